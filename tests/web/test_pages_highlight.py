"""The reader's highlighting (marsad.web.highlight): overlapping spans still give nested,
escaped HTML in which each span's pieces spell exactly its text."""

from __future__ import annotations

from html.parser import HTMLParser

from hypothesis import given, settings, strategies as st

from marsad.web.highlight import Highlight, render_highlights
from marsad.web.render import snippet_html


class Marks(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[dict] = []
        self.pieces: list[dict] = []
        self.text = ""
        self.feed(html)
        self.close()
        assert not self.stack, "unclosed <mark>"

    def handle_starttag(self, tag, attrs):  # noqa: ANN001
        assert tag == "mark", tag
        piece = {"attrs": dict(attrs), "text": ""}
        self.pieces.append(piece)
        self.stack.append(piece)

    def handle_endtag(self, tag):  # noqa: ANN001
        assert tag == "mark" and self.stack, f"stray </{tag}>"
        self.stack.pop()

    def handle_data(self, data):  # noqa: ANN001
        self.text += data
        for piece in self.stack:
            piece["text"] += data


@st.composite
def text_and_spans(draw):  # noqa: ANN001, ANN201
    text = draw(st.text(alphabet="اب ت<&>\"'ثج", max_size=40))
    n = len(text)
    spans = []
    for _ in range(draw(st.integers(0, 8))):
        start = draw(st.integers(0, max(0, n)))
        end = draw(st.integers(start, max(start, n)))
        spans.append((start, end, draw(st.sampled_from(["entity", "quantity", "date", "quote", "event"]))))
    return text, spans


@settings(max_examples=300, deadline=None)
@given(text_and_spans())
def test_overlapping_spans_nest_and_keep_their_text(case):  # noqa: ANN001
    text, spans = case
    highlights = [Highlight(s, e, kind, (("data-i", str(i)),), f"a{i}") for i, (s, e, kind) in enumerate(spans)]
    page = Marks(str(render_highlights(text, highlights)))
    assert page.text == text
    for i, (start, end, _kind) in enumerate(spans):
        pieces = [p for p in page.pieces if p["attrs"]["data-i"] == str(i)]
        assert "".join(p["text"] for p in pieces) == text[start:end]
        if start < end:
            assert pieces[0]["attrs"].get("id") == f"a{i}"  # the anchor is on the first piece
            assert all(p["attrs"].get("data-cont") == "1" for p in pieces[1:])


def test_quote_holding_a_name_that_straddles_its_end():
    text = "قال أحمد الكرخي إن الوضع هادئ"
    quote = Highlight(0, 15, "quote", (("data-kind", "quote"),))
    person = Highlight(4, 29, "entity", (("data-entity-type", "PER"),))
    html = str(render_highlights(text, [quote, person]))
    assert html == ('<mark data-kind="quote">قال <mark data-entity-type="PER">أحمد الكرخي</mark></mark>'
                    '<mark data-entity-type="PER" data-cont="1"> إن الوضع هادئ</mark>')


def test_text_and_attributes_are_escaped():
    html = str(render_highlights('<b>"x"</b>', [Highlight(3, 6, "entity", (("data-role", 'a"<b>'),))]))
    assert "<b>" not in html and 'data-role="a&#34;&lt;b&gt;"' in html


def test_snippet_brackets_become_marks_and_the_rest_is_escaped():
    assert str(snippet_html("في [والحسكة] <أمس>")) == 'في <mark class="hit">والحسكة</mark> &lt;أمس&gt;'
