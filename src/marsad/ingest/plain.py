"""Plain text and Markdown reports, with optional YAML front matter.

Title rule (predictable on purpose):

* front matter ``title:`` wins, and then the whole text after the front matter is the body;
* otherwise the first non-empty line is the title (a leading Markdown ``#`` is dropped) and
  is left out of the body **only if more text follows it**, it is short enough to be a
  headline (at most 200 characters) and has a letter or digit (not a '---' rule);
* otherwise (a single line, or a long first paragraph) the body is the whole text and the
  title is its first line cut to about 80 characters.

Front matter keys: title, outlet, published (or date), url, tlp, language, source. A
``source:`` that is a URL fills ``url`` when absent, otherwise it names the outlet when
``outlet`` is absent; ``Document.source`` itself always stays the file path.
"""

from __future__ import annotations

from collections.abc import Iterator

import regex
import yaml

from marsad.ingest.meta import (
    FileMeta, build_document, clean_language, clean_text, has_words, normalise_tlp, parse_published, type_name,
)
from marsad.ingest.options import IngestOptions, RejectedInput
from marsad.records import Document

MAX_HEADLINE_CHARS = 200
_FRONT_MATTER = regex.compile(r"\A---[ \t]*\n(?:(.*?)\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", regex.S)
_MARKDOWN_HEADING = regex.compile(r"^\s{0,3}#{1,6}\s+")
_STRING_KEYS = ("title", "outlet", "url", "source")


def read_plain(source: str, text: str, options: IngestOptions) -> Iterator[Document]:
    text = clean_text(text)
    meta, rest = split_front_matter(text)
    if meta.title:
        body = rest
    else:
        title, body = split_title(rest)
        meta.title = title
    yield build_document(body, source, meta, options)


def split_front_matter(text: str) -> tuple[FileMeta, str]:
    """(metadata, text after the front matter); no front matter → (empty metadata, text)."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return FileMeta(), text
    closing_line = match.group(0).rstrip("\n").count("\n") + 1
    try:
        fields = yaml.safe_load(match.group(1) or "") or {}
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise RejectedInput(
            f"front matter (lines 1-{closing_line}) is not valid YAML: {problem}; "
            "fix it, or remove the --- lines if they are part of the text"
        ) from None
    if not isinstance(fields, dict):
        raise RejectedInput(
            f"front matter (lines 1-{closing_line}) must be 'key: value' lines, got {type_name(fields)}"
        )
    return _front_matter_meta(fields), text[match.end():].strip("\n")


def split_title(text: str) -> tuple[str | None, str]:
    """(title, body) by the rule in the module doc; title None means 'use the fallback'."""
    lines = text.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return None, text
    title = _MARKDOWN_HEADING.sub("", lines[first]).strip()
    rest = "\n".join(lines[first + 1:]).strip("\n")
    if rest.strip() and len(title) <= MAX_HEADLINE_CHARS and has_words(title):
        return title or None, rest
    return None, text


def _front_matter_meta(fields: dict[object, object]) -> FileMeta:
    fields = {str(k).strip().lower(): v for k, v in fields.items() if v is not None}
    for key in _STRING_KEYS:
        if key in fields and not isinstance(fields[key], str):
            raise RejectedInput(f"front matter '{key}' must be text, got {type_name(fields[key])}")
    meta = FileMeta(
        title=fields.get("title") or None,
        outlet=fields.get("outlet") or None,
        url=fields.get("url") or None,
        language=clean_language(fields.get("language") or fields.get("lang")),
    )
    published = fields.get("published", fields.get("date"))
    try:
        meta.published = parse_published(published) if published is not None else None
        meta.tlp = normalise_tlp(fields["tlp"]) if "tlp" in fields else None
    except ValueError as exc:
        raise RejectedInput(f"front matter: {exc}") from None
    source = str(fields.get("source", "")).strip()
    if source.startswith(("http://", "https://")):
        meta.url = meta.url or source
    elif source:
        meta.outlet = meta.outlet or source
    return meta
