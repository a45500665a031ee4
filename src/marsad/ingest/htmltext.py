"""HTML fragments (feed summaries, content:encoded) → plain text with paragraph breaks."""

from __future__ import annotations

import html

import lxml.html
from lxml import etree

_BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption",
    "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "ol",
    "p", "pre", "section", "table", "td", "th", "tr", "ul",
})
_DROPPED_TAGS = ("script", "style", "noscript", "template", "iframe")


def html_fragment_to_text(fragment: str) -> str:
    """Text of an HTML fragment: one line per block element, spaces collapsed inside lines."""
    if "<" not in fragment:
        return _tidy_lines(html.unescape(fragment))
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return _tidy_lines(html.unescape(fragment))
    for element in root.iter(*_DROPPED_TAGS):
        element.drop_tree()
    parts: list[str] = []
    # iterwalk instead of recursion: feed HTML can nest deeper than Python's stack allows.
    for event, element in etree.iterwalk(root, events=("start", "end")):
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start":
            if tag in _BLOCK_TAGS:
                parts.append("\n")
            if tag and element.text:
                parts.append(element.text)
        else:
            if tag in _BLOCK_TAGS:
                parts.append("\n")
            if element is not root and element.tail:
                parts.append(element.tail)
    return _tidy_lines("".join(parts))


def _tidy_lines(text: str) -> str:
    lines = (" ".join(line.split()) for line in text.replace("\r", "\n").split("\n"))
    return "\n".join(line for line in lines if line)
