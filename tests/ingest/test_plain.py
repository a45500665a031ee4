"""Plain text and Markdown: titles, front matter, body cleaning."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from marsad.ids import document_id
from tests.ingest.helpers import BODY, PARAGRAPHS, REPORT, TITLE, only_document, only_rejection


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_first_line_is_title_and_left_out_of_body(good_file: Path) -> None:
    doc = only_document(good_file)
    assert doc.title == TITLE
    assert doc.body == BODY
    assert doc.id == document_id(BODY)
    assert doc.source == str(good_file)
    assert doc.language == "ar" and doc.tlp == "CLEAR"
    assert doc.ingested_at is not None and doc.ingested_at.tzinfo == dt.timezone.utc


def test_single_line_file_keeps_its_line_in_the_body(tmp_path: Path) -> None:
    doc = only_document(write(tmp_path, "one.txt", PARAGRAPHS[0]))
    assert doc.body == PARAGRAPHS[0]
    assert doc.title.endswith("…") and len(doc.title) <= 81
    assert PARAGRAPHS[0].startswith(doc.title[:-1])


def test_long_first_paragraph_is_not_a_title(tmp_path: Path) -> None:
    long_line = " ".join(PARAGRAPHS)
    doc = only_document(write(tmp_path, "long.txt", f"{long_line}\n\nسطر آخر."))
    assert doc.body.startswith(long_line)
    assert len(doc.title) <= 81


def test_markdown_heading_marker_dropped(tmp_path: Path) -> None:
    doc = only_document(write(tmp_path, "r.md", f"# {TITLE}\n\n{BODY}"))
    assert doc.title == TITLE and doc.body == BODY


def test_body_cleaning(tmp_path: Path) -> None:
    decomposed = "ا\u0653"  # alef + madda above: NFC composes it to آ
    text = f"\n\n{TITLE}   \r\n\r\n{decomposed}لاء  \t\r\nسطر ثان\t\n\n\n"
    doc = only_document(write(tmp_path, "r.txt", text))
    assert doc.body == "آلاء\nسطر ثان"
    assert doc.title == TITLE


def test_front_matter(tmp_path: Path) -> None:
    text = (
        "---\ntitle: عنوان من الترويسة\noutlet: صحيفة الفجر\npublished: 2031-05-02\n"
        "url: https://fajr.example/a/1\ntlp: amber\n---\n"
        f"{REPORT}"
    )
    doc = only_document(write(tmp_path, "fm.md", text))
    assert doc.title == "عنوان من الترويسة"
    assert doc.body == f"{TITLE}\n\n{BODY}"  # the whole text, front matter excluded
    assert "---" not in doc.body and "outlet" not in doc.body
    assert doc.outlet == "صحيفة الفجر"
    assert doc.published == dt.date(2031, 5, 2)
    assert doc.url == "https://fajr.example/a/1"
    assert doc.tlp == "AMBER"


def test_front_matter_without_title_uses_first_line(tmp_path: Path) -> None:
    doc = only_document(write(tmp_path, "fm.txt", f"---\npublished: 2031-05-02T23:30:00+03:00\n---\n\n{REPORT}"))
    assert doc.title == TITLE and doc.body == BODY
    assert doc.published == dt.date(2031, 5, 2)  # the date as written, not shifted to UTC


def test_front_matter_source_key(tmp_path: Path) -> None:
    by_url = only_document(write(tmp_path, "a.txt", f"---\nsource: https://x.example/r\n---\n{REPORT}"))
    assert by_url.url == "https://x.example/r" and by_url.source.endswith("a.txt")
    by_name = only_document(write(tmp_path, "b.txt", f"---\nsource: إذاعة الوادي\n---\n{REPORT}"))
    assert by_name.outlet == "إذاعة الوادي"


def test_bad_front_matter_is_rejected(tmp_path: Path) -> None:
    bad_yaml = only_rejection(write(tmp_path, "y.txt", f"---\ntitle: [غير مغلق\n---\n{REPORT}"))
    assert "front matter" in bad_yaml.reason and "YAML" in bad_yaml.reason
    bad_date = only_rejection(write(tmp_path, "d.txt", f"---\npublished: أمس\n---\n{REPORT}"))
    assert "invalid date" in bad_date.reason
    bad_tlp = only_rejection(write(tmp_path, "t.txt", f"---\ntlp: PINK\n---\n{REPORT}"))
    assert "unknown TLP" in bad_tlp.reason


def test_horizontal_rule_without_closing_is_text(tmp_path: Path) -> None:
    doc = only_document(write(tmp_path, "hr.txt", f"---\n{REPORT}"))
    assert doc.title == TITLE
    assert doc.body == f"---\n{REPORT.strip()}"


def test_front_matter_only_is_rejected(tmp_path: Path) -> None:
    rejection = only_rejection(write(tmp_path, "empty.md", "---\ntitle: عنوان\n---\n"))
    assert "empty" in rejection.reason
