"""Named-entity recognition: back-ends registered in :data:`marsad.registry.ner_backends`.

``recognise(analysis)`` returns PER/ORG/LOC mentions with spans into ``analysis.doc.body``,
English canonical names, roles for persons and coordinates for places.
"""

from __future__ import annotations

from marsad.records import Analysis, Mention
from marsad.registry import ner_backends


def recognise(analysis: Analysis, backend: str = "lexicon") -> list[Mention]:
    import marsad.ner.lexicon  # noqa: F401  (registers the built-in back-end)

    return ner_backends.get(backend)(analysis)


__all__ = ["recognise"]
