"""RSS and Atom feeds via feedparser: one Document per item/entry.

body = the longest ``content`` (Atom content, RSS content:encoded), else the summary/
description, with HTML turned into text line by line; title = item title (else the body's
first line); url = item link; published = item published, else updated, as the calendar date
the feed wrote; outlet = channel title. ``Document.source`` is ``path#item-N`` (1-based).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import io
from collections.abc import Iterator
from typing import Any

import feedparser
import regex

from marsad.ingest.htmltext import html_fragment_to_text
from marsad.ingest.meta import FileMeta, build_document, clean_language, parse_published
from marsad.ingest.options import IngestOptions, Rejection, RejectedInput
from marsad.records import Document

_XML_ENCODING = regex.compile(r"""\A(\s*<\?xml[^>]*?encoding\s*=\s*["'])[^"']*(["'])""")
_ROOT_TAG = regex.compile(r"<([A-Za-z_][\w:.\-]*)")
_SKIPPED_ROOT = regex.compile(r"<(?:\?|!)[^>]*>")  # XML declaration, comments, doctype


def read_feed(source: str, text: str, options: IngestOptions) -> Iterator[Document | Rejection]:
    parsed = parse_feed(text)
    if not parsed.get("version"):
        raise RejectedInput(f"XML is not an RSS or Atom feed (root element <{root_tag(text)}>)")
    if not parsed.entries:
        raise RejectedInput("feed has no items")
    channel = parsed.get("feed", {})
    outlet = channel.get("title") or None
    language = clean_language(channel.get("language"))
    for number, entry in enumerate(parsed.entries, start=1):
        try:
            yield entry_document(entry, f"{source}#item-{number}", outlet, language, options)
        except RejectedInput as exc:
            yield Rejection(source, None, f"item {number}: {exc.reason}")


def parse_feed(text: str) -> Any:
    """feedparser on already-decoded text.

    The text is re-encoded as UTF-8 and its XML declaration rewritten to say so (otherwise
    feedparser would decode it a second time as the declared windows-1256). It is passed as a
    stream because feedparser treats a plain string that looks like a path or URL as one to open.
    """
    utf8 = _XML_ENCODING.sub(r"\g<1>utf-8\g<2>", text, count=1)
    return feedparser.parse(io.BytesIO(utf8.encode("utf-8")), sanitize_html=False,
                            resolve_relative_uris=False)


def looks_like_feed(text: str) -> bool:
    return root_tag(text).lower() in ("rss", "feed", "rdf:rdf", "rdf")


def root_tag(text: str) -> str:
    head = _SKIPPED_ROOT.sub("", text[:4096]).lstrip()
    match = _ROOT_TAG.match(head)
    return match.group(1) if match else "?"


def entry_document(entry: Any, source: str, outlet: str | None, language: str | None,
                   options: IngestOptions) -> Document:
    body = entry_body(entry)
    if not body:
        raise RejectedInput("no text in its content, summary or description")
    title = html_fragment_to_text(entry.get("title", "")).replace("\n", " ") or None
    meta = FileMeta(title=title, outlet=outlet, url=entry.get("link") or None,
                    published=entry_date(entry), language=language)
    return build_document(body, source, meta, options)


def entry_body(entry: Any) -> str:
    candidates = [(c.get("value") or "", c.get("type") or "") for c in entry.get("content", [])]
    if not any(value.strip() for value, _ in candidates):
        detail = entry.get("summary_detail") or {}
        candidates = [(entry.get("summary") or "", detail.get("type") or "text/html")]
    value, kind = max(candidates, key=lambda item: len(item[0]))
    if kind == "text/plain":
        return value.strip()
    return html_fragment_to_text(value)


def entry_date(entry: Any) -> dt.date | None:
    """The date as the feed wrote it (feedparser's *_parsed fields are shifted to UTC)."""
    for key in ("published", "updated", "created"):
        raw = entry.get(key)
        if not raw:
            continue
        try:
            return email.utils.parsedate_to_datetime(raw).date()  # RSS: RFC 822 dates
        except (TypeError, ValueError, IndexError):
            pass
        try:
            return parse_published(raw)  # Atom: ISO 8601
        except ValueError:
            pass
        parsed = entry.get(f"{key}_parsed")
        if parsed:
            return dt.date(*parsed[:3])
    return None
