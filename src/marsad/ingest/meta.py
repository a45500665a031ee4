"""Metadata values as files spell them: dates, TLP markings, titles; and Document assembly."""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

import regex

from marsad.ids import document_id
from marsad.records import TLP_LEVELS, Document

if TYPE_CHECKING:
    from marsad.ingest.options import IngestOptions

TITLE_FALLBACK_CHARS = 80
_TLP_ALIASES = {"WHITE": "CLEAR"}  # TLP 1.0 name of CLEAR, still common in older feeds
_SPACES = regex.compile(r"\s+")
_WORD_CHAR = regex.compile(r"[\p{L}\p{N}]")
_LANGUAGE = regex.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)*$")


def normalise_tlp(value: object) -> str:
    """'amber+strict', 'TLP:RED', 'white' → the TLP 2.0 level name; ValueError otherwise."""
    if not isinstance(value, str):
        raise ValueError(f"TLP must be text, got {type_name(value)}")
    level = value.strip().upper()
    level = regex.sub(r"^TLP\s*[:\-]?\s*", "", level)
    level = regex.sub(r"\s*[+_\s-]\s*", "+", level)  # AMBER+STRICT, amber_strict, amber-strict
    level = _TLP_ALIASES.get(level, level)
    if level not in TLP_LEVELS:
        raise ValueError(f"unknown TLP {value!r} (expected one of {', '.join(TLP_LEVELS)})")
    return level


def stricter_tlp(first: str, second: str) -> str:
    return first if TLP_LEVELS.index(first) >= TLP_LEVELS.index(second) else second


def parse_published(value: object) -> dt.date:
    """A date, datetime or ISO 8601 string → the calendar date as written (no UTC shift)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise ValueError(f"date must be an ISO date string, got {type_name(value)}")
    text = value.strip()
    try:
        if len(text) == 10:
            return dt.date.fromisoformat(text)
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00")).date()
    except ValueError:
        raise ValueError(
            f"invalid date {value!r} (expected YYYY-MM-DD or an ISO datetime)"
        ) from None


def type_name(value: object) -> str:
    names = {bool: "boolean", int: "number", float: "number", str: "string", list: "array",
             dict: "object", type(None): "null"}
    return names.get(type(value), type(value).__name__)


def clean_text(text: str) -> str:
    """NFC, '\\n' line endings, no trailing whitespace on any line, no blank lines around."""
    text = unicodedata.normalize("NFC", text.lstrip("\ufeff"))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.rstrip() for line in text.split("\n")]
    return "\n".join(lines).strip("\n")


def clean_title(text: str) -> str:
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def fallback_title(body: str) -> str:
    """First non-empty line of the body, cut at a word boundary to about 80 characters."""
    lines = [clean_title(line) for line in body.split("\n")]
    first = next((line for line in lines if has_words(line)), "") or next((line for line in lines if line), "")
    if len(first) <= TITLE_FALLBACK_CHARS:
        return first
    cut = first[:TITLE_FALLBACK_CHARS]
    if " " in cut[TITLE_FALLBACK_CHARS // 2:]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ،,.:;-") + "…"


def has_words(text: str) -> bool:
    """Contains a letter or digit: a '---' or '* * *' line is never a title."""
    return bool(_WORD_CHAR.search(text))


def clean_language(value: object) -> str | None:
    if isinstance(value, str) and _LANGUAGE.match(value.strip()):
        return regex.split(r"[-_]", value.strip())[0].lower()
    return None


@dataclass(slots=True)
class FileMeta:
    """What a file says about itself; None means 'not said' (options may fill it)."""

    title: str | None = None
    outlet: str | None = None
    published: dt.date | None = None
    url: str | None = None
    tlp: str | None = None
    language: str | None = None


def build_document(body: str, source: str, meta: FileMeta, options: IngestOptions) -> Document:
    """Assemble a Document; file metadata wins, options fill what the file left unsaid.

    TLP is the exception that only tightens: the stricter of the file's marking and
    ``--tlp`` applies, so a user's ``--tlp RED`` is never loosened by a file saying CLEAR.
    """
    from marsad.ingest.options import RejectedInput

    body = clean_text(body)
    if not body.strip():
        raise RejectedInput("no text to ingest (the body is empty)")
    title = clean_title(meta.title) if meta.title else ""
    tlp = stricter_tlp(meta.tlp, options.tlp) if meta.tlp else options.tlp
    return Document(
        id=document_id(body),
        title=title or fallback_title(body),
        body=body,
        source=source,
        outlet=clean_title(meta.outlet) if meta.outlet and meta.outlet.strip() else options.outlet,
        published=meta.published or options.published,
        url=meta.url.strip() if meta.url and meta.url.strip() else None,
        language=meta.language or "ar",
        tlp=tlp,
        owner=options.owner,
        ingested_at=dt.datetime.now(dt.timezone.utc),
    )
