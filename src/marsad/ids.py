"""Stable identifiers: documents are named by a hash of their normalised body."""

from __future__ import annotations

import hashlib
import unicodedata

import regex

_MARKS = regex.compile(r"[\p{Mn}\u0640\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_SPACE = regex.compile(r"\s+")


def fingerprint_text(body: str) -> str:
    """The body as compared for deduplication: NFC, no marks or tatweel, one space."""
    text = unicodedata.normalize("NFC", body)
    text = _MARKS.sub("", text)
    return _SPACE.sub(" ", text).strip()


def document_id(body: str) -> str:
    """Document id: first 16 hex digits of SHA-256 over the fingerprint text."""
    return hashlib.sha256(fingerprint_text(body).encode("utf-8")).hexdigest()[:16]


def stable_id(*parts: object) -> str:
    joined = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:16]
