"""Model back-ends as *span proposers*: typed character spans over the text, nothing more.

A proposer (CAMeL Tools, a Hugging Face token classifier, …) only says "characters 12–19 look
like a LOC, with this confidence". Merging proposals with the lexicon and gazetteer, canonical
English names, roles and geocodes is the shared assembler's job, so every back-end gets the same
treatment after this point.

The heavy back-ends live in their own modules (:mod:`marsad.ner.camel_backend`,
:mod:`marsad.ner.hf_backend`) and import their packages lazily; when a package or the model files
are missing they raise :class:`BackendUnavailable` with a message that says what to install or
where to put the model. Nothing is downloaded at run time.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Protocol, runtime_checkable

import regex

ENTITY_TYPES = frozenset({"PER", "ORG", "LOC"})


@dataclass(frozen=True, slots=True)
class Proposal:
    """A typed span proposed by a model: ``text[start:end]`` is the entity."""

    start: int  # char offsets into the text given
    end: int
    type: str  # "PER" | "ORG" | "LOC"
    confidence: float


@runtime_checkable
class SpanProposer(Protocol):
    name: str

    def propose(self, text: str) -> list[Proposal]: ...


class BackendUnavailable(RuntimeError):
    """An optional back-end cannot run here; the message says what to install or configure."""


# ---------------------------------------------------------------------------------------------
# labels

_PREFIX = regex.compile(r"^[BIESLU][-_]")
_TYPES = {
    "PER": "PER",
    "PERS": "PER",
    "PERSON": "PER",
    "ORG": "ORG",
    "ORGANIZATION": "ORG",
    "ORGANISATION": "ORG",
    "LOC": "LOC",
    "LOCATION": "LOC",
    "GPE": "LOC",
    "FAC": "LOC",
}


@lru_cache(maxsize=1024)  # a model has a handful of labels, asked for once per token
def _split_label(label: str) -> tuple[str, str]:
    """("B", "PERS") for "B-PERS"; ("", "LOC") for "LOC"; ("", "O") for "O"."""
    label = label.strip().upper()
    if _PREFIX.match(label):
        return label[0], label[2:]
    return "", label


@lru_cache(maxsize=1024)
def map_label(label: str) -> str | None:
    """Marsad's type for a model label: PERS/PER→PER, ORG→ORG, LOC/GPE/FAC→LOC, anything else None.

    BIO/BIOES/BILOU prefixes (``B-``, ``I-``, ``E-``, ``S-``, ``L-``, ``U-``) are stripped first.
    """
    if not label:
        return None
    return _TYPES.get(_split_label(label)[1])


# ---------------------------------------------------------------------------------------------
# helpers shared by the token-level back-ends


def locate_tokens(
    text: str, tokens: Sequence[str], start: int = 0, end: int | None = None
) -> list[tuple[int, int] | None]:
    """Character spans of ``tokens`` found in order in ``text[start:end]``; None where not found.

    A token that cannot be found (a tokenizer that rewrote it) does not move the cursor, so the
    tokens after it are still found.
    """
    end = len(text) if end is None else end
    spans: list[tuple[int, int] | None] = []
    pos = start
    for token in tokens:
        at = text.find(token, pos, end) if token else -1
        if at < 0:
            spans.append(None)
            continue
        spans.append((at, at + len(token)))
        pos = at + len(token)
    return spans


def decode_token_labels(
    spans: Sequence[tuple[int, int] | None], labels: Sequence[str], confidence: float
) -> list[Proposal]:
    """Turn per-token BIO/BIOES labels into proposals spanning from the first to the last token.

    Lenient like conlleval: an ``I-`` after ``O`` or after another type starts an entity, and
    unprefixed labels (IO scheme) join neighbours of the same type. Labels that :func:`map_label`
    does not know (``O``, ``MISC``) and tokens without a span end the current entity.
    """
    out: list[Proposal] = []
    current: list = []  # [start, end, type]

    def close() -> None:
        if current:
            out.append(Proposal(current[0], current[1], current[2], confidence))
            current.clear()

    for span, label in zip(spans, labels, strict=False):
        kind = map_label(label)
        if kind is None or span is None:
            if current:  # (close() would do nothing: most tokens are outside names)
                close()
            continue
        prefix = _split_label(label)[0]
        if current and current[2] == kind and prefix in ("I", "E", "L", ""):
            current[1] = span[1]
        else:
            close()
            current.extend([span[0], span[1], kind])
        if prefix in ("E", "L", "S", "U"):
            close()
    close()
    return out


def dedupe(proposals: Iterable[Proposal]) -> list[Proposal]:
    """Proposals sorted by position, one per (start, end, type), keeping the highest confidence."""
    best: dict[tuple[int, int, str], Proposal] = {}
    for p in proposals:
        key = (p.start, p.end, p.type)
        if key not in best or p.confidence > best[key].confidence:
            best[key] = p
    return [best[k] for k in sorted(best)]


def require_packages(backend: str, extra: str, *modules: str) -> None:
    """Raise :class:`BackendUnavailable` unless every module can be imported."""
    missing = [m for m in modules if importlib.util.find_spec(m) is None]
    if missing:
        raise BackendUnavailable(
            f"the {backend} NER back-end needs {', '.join(missing)}, which is not installed; "
            f"install it with: pip install 'marsad[{extra}]'"
        )


def require_model_dir(backend: str, path: str | os.PathLike[str], env_var: str) -> Path:
    """The model directory as a Path, or :class:`BackendUnavailable` if it is not a saved model.

    Checking first matters: a path that does not exist would be taken for a Hub model id by
    ``from_pretrained`` and fetched from the network.
    """
    model_dir = Path(path).expanduser()
    if not model_dir.is_dir():
        raise BackendUnavailable(
            f"the {backend} NER model directory {str(model_dir)!r} does not exist; put the model "
            f"files (config.json, weights, tokenizer files) there or point {env_var} at the "
            f"directory that holds them (Marsad never downloads models)"
        )
    if not (model_dir / "config.json").is_file():
        raise BackendUnavailable(
            f"{str(model_dir)!r} holds no config.json, so it is not a saved {backend} model; "
            f"point {env_var} at a directory written by save_pretrained()"
        )
    return model_dir


__all__ = [
    "ENTITY_TYPES",
    "BackendUnavailable",
    "Proposal",
    "SpanProposer",
    "decode_token_labels",
    "dedupe",
    "locate_tokens",
    "map_label",
]
