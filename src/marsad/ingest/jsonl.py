"""JSON Lines: one report object per line.

Fields: ``body`` or ``text`` (required, string), ``title``, ``url``, ``outlet``, ``published``
(ISO date or datetime), ``tlp``, ``language``; null counts as absent, other fields are ignored.
A bad line becomes ``Rejection(path, line_no, reason)`` and the other lines are still read.
``Document.source`` is ``path#line_no``.

A ``.json`` file (one JSON document) is read with the same record rules: an object is one
report, an array holds one report per element (``source`` = ``path#N``, N counted from 1, and
rejections say "record N: …").
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from marsad.ingest.meta import (
    FileMeta, build_document, clean_language, normalise_tlp, parse_published, type_name,
)
from marsad.ingest.options import IngestOptions, Rejection, RejectedInput
from marsad.records import Document

_STRING_FIELDS = ("title", "url", "outlet", "body", "text", "tlp", "published", "language")


def read_jsonl(source: str, text: str, options: IngestOptions) -> Iterator[Document | Rejection]:
    # split on '\n' only: str.splitlines() also breaks on U+2028 and friends, which JSON
    # strings may contain raw, and that would shift every later line number.
    seen_any = False
    for line_no, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        seen_any = True
        try:
            yield record_document(line, f"{source}#{line_no}", options)
        except RejectedInput as exc:
            yield Rejection(source, line_no, exc.reason)
    if not seen_any:
        raise RejectedInput("no JSON records (the file has only blank lines)")


def read_json(source: str, text: str, options: IngestOptions) -> Iterator[Document | Rejection]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RejectedInput(f"invalid JSON: {exc.msg}", line=exc.lineno) from None
    if isinstance(value, dict):
        try:
            yield object_document(value, source, options)
        except RejectedInput as exc:
            raise RejectedInput(f"{exc.reason} (Marsad reads a JSON object with a 'body' or 'text' field per report)") from None
        return
    if not isinstance(value, list) or not value:
        raise RejectedInput(f"expected a JSON object or a non-empty array of objects, got {type_name(value)}")
    for number, element in enumerate(value, start=1):
        try:
            yield object_document(element, f"{source}#{number}", options)
        except RejectedInput as exc:
            yield Rejection(source, None, f"record {number}: {exc.reason}")


def record_document(line: str, source: str, options: IngestOptions) -> Document:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise RejectedInput(f"invalid JSON: {exc.msg} (column {exc.colno})") from None
    return object_document(record, source, options)


def object_document(record: object, source: str, options: IngestOptions) -> Document:
    if not isinstance(record, dict):
        raise RejectedInput(f"expected a JSON object, got {type_name(record)}")
    fields = {key: value for key, value in record.items() if value is not None}
    for key in _STRING_FIELDS:
        if key in fields and not isinstance(fields[key], str):
            raise RejectedInput(f"field '{key}' must be a string, got {type_name(fields[key])}")
    body = fields.get("body", fields.get("text"))
    if body is None:
        raise RejectedInput("no 'body' or 'text' field")
    if not body.strip():
        raise RejectedInput("'body'/'text' is empty")
    meta = FileMeta(
        title=fields.get("title"), outlet=fields.get("outlet"), url=fields.get("url"),
        language=clean_language(fields.get("language")),
    )
    try:
        meta.published = parse_published(fields["published"]) if "published" in fields else None
        meta.tlp = normalise_tlp(fields["tlp"]) if "tlp" in fields else None
    except ValueError as exc:
        key = "tlp" if "TLP" in str(exc) else "published"
        raise RejectedInput(f"field '{key}': {exc}") from None
    return build_document(body, source, meta, options)
