"""JSON Lines: good records, per-line rejections with line numbers, metadata precedence."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from marsad.ids import document_id
from tests.ingest.helpers import PARAGRAPHS, documents, read_all, rejections


def line(**fields: object) -> str:
    return json.dumps(fields, ensure_ascii=False)


def test_records_and_rejections_keep_line_numbers(tmp_path: Path) -> None:
    lines = [
        line(title="الأول", body=PARAGRAPHS[0], url="https://a.example/1", outlet="نشرة الصباح",
             published="2031-01-05", tlp="green"),                          # 1 ok
        "",                                                                 # 2 blank: skipped
        "{not json",                                                        # 3
        "[1, 2]",                                                           # 4
        line(title="بلا نص"),                                               # 5
        line(body=42),                                                      # 6
        line(text=PARAGRAPHS[1], published="2031-02-30"),                   # 7
        line(text=PARAGRAPHS[1], tlp="ORANGE"),                             # 8
        line(text=PARAGRAPHS[2], published="2031-02-03T22:15:00Z"),         # 9 ok, 'text' field
        line(body="   "),                                                   # 10
        "   ",                                                              # 11 blank
        line(body=PARAGRAPHS[1], title=None, outlet=None),                  # 12 ok, nulls = absent
    ]
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = read_all([path])
    docs, bad = documents(items), rejections(items)

    assert [d.source for d in docs] == [f"{path}#1", f"{path}#9", f"{path}#12"]
    first = docs[0]
    assert (first.title, first.url, first.outlet, first.tlp) == ("الأول", "https://a.example/1", "نشرة الصباح", "GREEN")
    assert first.published == dt.date(2031, 1, 5)
    assert first.id == document_id(PARAGRAPHS[0])
    assert docs[1].published == dt.date(2031, 2, 3)
    assert docs[2].title and docs[2].outlet is None

    reasons = {r.line: r.reason for r in bad}
    assert sorted(reasons) == [3, 4, 5, 6, 7, 8, 10]
    assert all(r.path == str(path) for r in bad)
    assert reasons[3].startswith("invalid JSON")
    assert reasons[4] == "expected a JSON object, got array"
    assert reasons[5] == "no 'body' or 'text' field"
    assert reasons[6] == "field 'body' must be a string, got number"
    assert "field 'published'" in reasons[7] and "invalid date" in reasons[7]
    assert "field 'tlp'" in reasons[8] and "unknown TLP" in reasons[8]
    assert reasons[10] == "'body'/'text' is empty"
    assert str(bad[0]) == f"{path}:3: {reasons[3]}"


def test_crlf_and_bom_do_not_shift_lines(tmp_path: Path) -> None:
    path = tmp_path / "x.ndjson"
    text = "\r\n".join([line(body=PARAGRAPHS[0]), "oops", line(body="\u2028".join(PARAGRAPHS[1:]))])
    path.write_bytes(text.encode("utf-8-sig"))
    items = read_all([path])
    assert [getattr(i, "line", None) for i in rejections(items)] == [2]
    assert [d.source for d in documents(items)] == [f"{path}#1", f"{path}#3"]


def test_options_are_defaults_for_records(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text("\n".join([
        line(body=PARAGRAPHS[0]),
        line(body=PARAGRAPHS[1], outlet="صوت الساحل", published="2031-07-01", tlp="clear"),
        line(body=PARAGRAPHS[2], tlp="red"),
    ]), encoding="utf-8")
    docs = documents(read_all([path], outlet="نشرة داخلية", published="2030-12-31", tlp="amber", owner="org-1"))
    assert [d.outlet for d in docs] == ["نشرة داخلية", "صوت الساحل", "نشرة داخلية"]
    assert [d.published for d in docs] == [dt.date(2030, 12, 31), dt.date(2031, 7, 1), dt.date(2030, 12, 31)]
    # TLP only tightens: a record cannot loosen the user's --tlp, but can raise it.
    assert [d.tlp for d in docs] == ["AMBER", "AMBER", "RED"]
    assert {d.owner for d in docs} == {"org-1"}


def test_only_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "blank.jsonl"
    path.write_text("\n\n  \n", encoding="utf-8")
    [rejection] = read_all([path])
    assert "only whitespace" in rejection.reason


def test_json_object_and_array(tmp_path: Path) -> None:
    single = tmp_path / "one.json"
    single.write_text(json.dumps({"title": "عنوان", "body": PARAGRAPHS[0]}, ensure_ascii=False, indent=2), encoding="utf-8")
    many = tmp_path / "many.json"
    many.write_text(json.dumps([{"text": PARAGRAPHS[1]}, {"title": "بلا نص"}, 5], ensure_ascii=False), encoding="utf-8")
    gold_like = tmp_path / "annotations"  # no extension: sniffed as JSON
    gold_like.write_text('{\n  "entities": []\n}', encoding="utf-8")
    broken = tmp_path / "broken.json"
    broken.write_text('{\n  "body": "نص",\n  oops\n}', encoding="utf-8")
    items = read_all([single, many, gold_like, broken])
    assert [d.source for d in documents(items)] == [str(single), f"{many}#1"]
    assert [str(r) for r in rejections(items)] == [
        f"{many}: record 2: no 'body' or 'text' field",
        f"{many}: record 3: expected a JSON object, got number",
        f"{gold_like}: no 'body' or 'text' field (Marsad reads a JSON object with a 'body' or 'text' field per report)",
        f"{broken}:3: invalid JSON: Expecting property name enclosed in double quotes",
    ]
