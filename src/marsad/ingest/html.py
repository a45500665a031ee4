"""HTML pages: main text through trafilatura, metadata from the page's own tags.

Extraction settings were chosen on a realistic Arabic news page (tests/ingest/test_html.py):
trafilatura's default balance, favor_precision and favor_recall all drop the navigation,
"most read" aside and footer and keep every paragraph there, so the default is used, with
favor_recall as a second try for very short pages. Comments are excluded (reader comments
are not the report). A first line equal to the title is dropped from the body, since
trafilatura keeps the ``<h1>``; the title lives in ``Document.title``.

Metadata: title = og:title; else the body's first line when the ``<title>`` contains it (the
page's own headline without the " - Site name" part); else the page's single ``<h1>``; else
``<title>``; else trafilatura's guess (last: it splits "Site - Headline" on the wrong side at
times). outlet = og:site_name,
else trafilatura's site name; published = article:published_time (and similar meta tags),
else trafilatura's date; url = ``<link rel=canonical>``, else og:url.
"""

from __future__ import annotations

from collections.abc import Iterator

import lxml.html
import trafilatura
from lxml import etree

from marsad.ingest.meta import FileMeta, build_document, clean_language, clean_text, clean_title, parse_published
from marsad.ingest.options import IngestOptions, RejectedInput
from marsad.records import Document

_DATE_META = ("article:published_time", "og:published_time", "datepublished", "pubdate",
              "publishdate", "date", "dc.date", "dc.date.issued", "sailthru.date")


def read_html(source: str, text: str, options: IngestOptions) -> Iterator[Document]:
    body = _main_text(text)
    if not body:
        raise RejectedInput(
            "no main text found in the HTML page (only navigation, scripts or markup); "
            "save the article itself, or convert it to .txt"
        )
    meta = page_meta(text, body)
    if meta.title:
        body = _drop_leading_title(body, meta.title)
    yield build_document(body, source, meta, options)


def page_meta(text: str, body: str = "") -> FileMeta:
    """Title, outlet, date, url and language from the page's tags and trafilatura's metadata."""
    tags = _meta_tags(text)
    found = trafilatura.extract_metadata(text)
    title = (
        tags.get("og:title")
        or _headline_in_title(body, tags.get("<title>"))
        or tags.get("<h1>")
        or tags.get("<title>")
        or (found.title if found else None)
    )
    meta = FileMeta(
        title=title,
        outlet=tags.get("og:site_name") or (found.sitename if found else None),
        url=tags.get("canonical") or tags.get("og:url") or (found.url if found else None),
        language=clean_language(tags.get("lang")),
    )
    for candidate in [*(tags.get(name) for name in _DATE_META), found.date if found else None]:
        if candidate:
            try:
                meta.published = parse_published(candidate)
                break
            except ValueError:
                continue  # a malformed date tag must not cost us the article
    return meta


def _main_text(text: str) -> str:
    for settings in ({}, {"favor_recall": True}):
        extracted = trafilatura.extract(
            text, include_comments=False, include_tables=True, deduplicate=False, **settings
        )
        if extracted and extracted.strip():
            return clean_text(extracted)
    return ""


def _meta_tags(text: str) -> dict[str, str]:
    try:
        root = lxml.html.document_fromstring(text.encode("utf-8"), parser=_PARSER)
    except (etree.ParserError, ValueError):
        return {}
    tags: dict[str, str] = {}
    for element in root.iter("meta"):
        name = (element.get("property") or element.get("name") or element.get("itemprop") or "").strip().lower()
        content = (element.get("content") or "").strip()
        if name and content and name not in tags:
            tags[name] = content
    for element in root.iter("link"):
        if "canonical" in (element.get("rel") or "").lower().split() and element.get("href"):
            tags.setdefault("canonical", element.get("href").strip())
    title = root.find(".//title")
    if title is not None and title.text_content().strip():
        tags["<title>"] = clean_title(title.text_content())
    headings = [clean_title(h.text_content()) for h in root.iter("h1")]
    if len(headings) == 1 and headings[0]:
        tags["<h1>"] = headings[0]
    if root.get("lang"):
        tags["lang"] = root.get("lang")
    return tags


# The text is already decoded; tell lxml so it does not re-guess from the <meta charset>.
_PARSER = lxml.html.HTMLParser(encoding="utf-8")


def _headline_in_title(body: str, page_title: str | None) -> str | None:
    first = clean_title(body.partition("\n")[0])
    if page_title and first and len(first) <= 200 and first in page_title:
        return first
    return None


def _drop_leading_title(body: str, title: str) -> str:
    first, _, rest = body.partition("\n")
    if clean_title(first) == clean_title(title) and rest.strip():
        return rest.strip("\n")
    return body
