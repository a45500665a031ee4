"""The reader's highlighted text: stored spans over the original body turned into valid HTML.

Spans overlap freely (a quote holds names and figures; a figure may straddle a name), while
HTML elements must nest.  :func:`render_highlights` cuts the text at every span boundary and
keeps a stack of open ``<mark>`` elements: when a span ends, the elements opened after it are
closed and reopened around the rest of their text, so every span becomes one or more
properly nested pieces carrying the same attributes.  Text is escaped; offsets are those of
the stored spans (characters of ``Document.body``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

ENTITY_TYPES = ("PER", "ORG", "LOC")
#: outer kinds first when spans start and end together (a quote holds the rest)
KIND_RANK = {"quote": 0, "event": 1, "quantity": 2, "date": 3, "entity": 4}


@dataclass(frozen=True, slots=True)
class Highlight:
    start: int
    end: int
    kind: str  # entity | quantity | date | quote | event
    attrs: tuple[tuple[str, str], ...] = ()
    anchor: str | None = None  # id of the first piece, kind letter + start offset (pages link to it)


def _open_tag(h: Highlight, first: bool, anchors: set[str]) -> str:
    parts = ["<mark"]
    if first and h.anchor and h.anchor not in anchors:
        anchors.add(h.anchor)
        parts.append(f' id="{escape(h.anchor)}"')
    for name, value in h.attrs:
        parts.append(f' {name}="{escape(value)}"')
    if not first:
        parts.append(' data-cont="1"')  # a continuation piece of a span cut by nesting
    parts.append(">")
    return "".join(parts)


def render_highlights(text: str, highlights: Iterable[Highlight]) -> Markup:
    """``text`` escaped, with each highlight wrapped in ``<mark>`` pieces that nest correctly."""
    n = len(text)
    spans = [h for h in highlights if 0 <= h.start < h.end <= n]
    if not spans:
        return Markup(escape(text))
    # longer spans open first so that they enclose the shorter ones starting with them
    order = {id(h): i for i, h in enumerate(sorted(spans, key=lambda h: (h.start, -h.end, KIND_RANK.get(h.kind, 9))))}
    cuts = sorted({0, n, *(h.start for h in spans), *(h.end for h in spans)})
    by_start: dict[int, list[Highlight]] = {}
    for h in spans:
        by_start.setdefault(h.start, []).append(h)
    out: list[str] = []
    stack: list[Highlight] = []
    started: set[int] = set()
    anchors: set[str] = set()
    active: list[Highlight] = []
    for left, right in zip(cuts, cuts[1:]):
        active = [h for h in active if h.end > left] + by_start.get(left, [])
        live = {id(h) for h in active}
        keep = next((i for i, h in enumerate(stack) if id(h) not in live), len(stack))
        for _ in range(len(stack) - keep):
            out.append("</mark>")
        del stack[keep:]
        opened = {id(h) for h in stack}
        for h in sorted((h for h in active if id(h) not in opened), key=lambda h: order[id(h)]):
            out.append(_open_tag(h, id(h) not in started, anchors))
            started.add(id(h))
            stack.append(h)
        out.append(str(escape(text[left:right])))
    out.extend("</mark>" for _ in stack)
    return Markup("".join(out))


# ---------------------------------------------------------------------------- from an Analysis

def _entity_attrs(m: object, entity_id: str | None) -> tuple[tuple[str, str], ...]:
    attrs = [("data-entity-type", m.type)]  # type: ignore[attr-defined]
    if entity_id:
        attrs.append(("data-entity-id", entity_id))
    for name, value in (("data-canonical", m.canonical), ("data-role", m.role)):  # type: ignore[attr-defined]
        if value:
            attrs.append((name, str(value)))
    if m.lat is not None and m.lon is not None:  # type: ignore[attr-defined]
        attrs.append(("data-geo", f"{m.lat:.4f},{m.lon:.4f}"))  # type: ignore[attr-defined]
    attrs.append(("tabindex", "0"))
    return tuple(attrs)


def analysis_highlights(analysis: object, entity_ids: Mapping[str, str] | None = None) -> list[Highlight]:
    """Highlights of a stored Analysis: entities, quantities, dates, quotes and event triggers.

    ``entity_ids`` maps a stored entity id to the fused entity the page links to."""
    entity_ids = entity_ids or {}
    out: list[Highlight] = []
    for m in analysis.entities:  # type: ignore[attr-defined]
        if m.type not in ENTITY_TYPES:
            continue
        eid = entity_ids.get(m.entity_id or "", m.entity_id)
        out.append(Highlight(m.start, m.end, "entity", _entity_attrs(m, eid), f"m{m.start}"))
    for q in analysis.quantities:  # type: ignore[attr-defined]
        attrs = [("data-kind", "quantity"), ("data-qualifier", q.qualifier)]
        if q.category:
            attrs.append(("data-category", q.category))
        out.append(Highlight(q.start, q.end, "quantity", tuple(attrs), f"q{q.start}"))
    for d in analysis.dates:  # type: ignore[attr-defined]
        attrs = [("data-kind", "date")] + ([("data-normalized", d.normalized)] if d.normalized else [])
        out.append(Highlight(d.start, d.end, "date", tuple(attrs), f"d{d.start}"))
    for e in analysis.events:  # type: ignore[attr-defined]
        out.append(Highlight(e.start, e.end, "event", (("data-kind", "event"), ("data-event-type", e.type)), f"e{e.start}"))
    for q in analysis.quotes:  # type: ignore[attr-defined]
        attrs = [("data-kind", "quote")] + ([("data-speaker", q.speaker)] if q.speaker else [])
        out.append(Highlight(q.start, q.end, "quote", tuple(attrs), f"u{q.start}"))
    return out


def mark_spans(text: str, spans: Sequence[tuple[int, int]]) -> Markup:
    """Plain ``<mark>`` around search matches (snippets)."""
    return render_highlights(text, [Highlight(s, e, "match") for s, e in spans])
