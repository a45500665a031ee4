"""Named-entity recognition: back-ends registered in :data:`marsad.registry.ner_backends`.

``recognise(analysis)`` returns PER/ORG/LOC mentions with spans into ``analysis.doc.body``,
English canonical names, roles for persons and coordinates for places.
"""

from __future__ import annotations

import os

from marsad.records import Analysis, Mention
from marsad.registry import ner_backends


DEFAULT_BACKEND = "crf"


def default_backend() -> str:
    """The back-end the pipeline uses: ``MARSAD_NER`` when set (crf, lexicon, camel, hf)."""
    return os.environ.get("MARSAD_NER", DEFAULT_BACKEND)


def recognise(analysis: Analysis, backend: str | None = None) -> list[Mention]:
    import marsad.ner.backends  # noqa: F401  (registers the model back-ends)
    import marsad.ner.lexicon  # noqa: F401  (registers the lexicon back-end)

    return ner_backends.get(backend or default_backend())(analysis)


__all__ = ["DEFAULT_BACKEND", "default_backend", "recognise"]
