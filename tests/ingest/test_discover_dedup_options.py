"""Folder expansion, in-run dedup and option validation."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from marsad.ingest import (
    DEFAULT_MAX_BYTES, Duplicate, IngestError, IngestOptions, Rejection, dedup_stream, discover,
    iter_documents,
)
from tests.ingest.helpers import PARAGRAPHS, REPORT, documents, read_all, rejections


def make_tree(root: Path) -> None:
    (root / "b" / "deep").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / "a.txt").write_text(REPORT, encoding="utf-8")
    (root / "b" / "deep" / "c.md").write_text(PARAGRAPHS[0], encoding="utf-8")
    (root / "b" / "2.jsonl").write_text('{"body": "نص"}', encoding="utf-8")
    (root / ".hidden.txt").write_text(REPORT, encoding="utf-8")
    (root / ".git" / "HEAD").write_text("ref", encoding="utf-8")


def test_discover_recurses_sorted_and_skips_hidden(tmp_path: Path) -> None:
    make_tree(tmp_path)
    assert discover([tmp_path]) == [tmp_path / "a.txt", tmp_path / "b" / "2.jsonl", tmp_path / "b" / "deep" / "c.md"]


def test_explicit_hidden_file_and_argument_order_kept(tmp_path: Path) -> None:
    make_tree(tmp_path)
    found = discover([tmp_path / "b", tmp_path / ".hidden.txt", str(tmp_path / "missing")])
    assert found[:3] == [tmp_path / "b" / "2.jsonl", tmp_path / "b" / "deep" / "c.md", tmp_path / ".hidden.txt"]
    assert found[3] == Rejection(str(tmp_path / "missing"), None, "no such file or folder")


def test_source_is_the_path_as_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_tree(tmp_path)
    monkeypatch.chdir(tmp_path)
    docs = documents(list(iter_documents(["./b/", "a.txt"], IngestOptions())))
    assert [d.source for d in docs] == ["./b/2.jsonl#1", "./b/deep/c.md", "a.txt"]


def test_missing_path_is_a_rejection_not_an_exception(tmp_path: Path) -> None:
    items = read_all([tmp_path / "missing", tmp_path])
    assert isinstance(items[0], Rejection) and items[0].reason == "no such file or folder"
    assert str(items[0]) == f"{tmp_path / 'missing'}: no such file or folder"


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_symlink_loop_and_broken_link(tmp_path: Path) -> None:
    make_tree(tmp_path)
    (tmp_path / "b" / "deep" / "loop").symlink_to(tmp_path / "b")
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    items = read_all([tmp_path])
    assert len(documents(items)) == 3
    reasons = {Path(r.path).name: r.reason for r in rejections(items)}
    assert reasons["dangling.txt"].startswith("broken symbolic link")
    assert reasons["loop"].startswith("folder loop")


def test_dedup_stream_reports_repeats(tmp_path: Path) -> None:
    (tmp_path / "1.txt").write_text(REPORT, encoding="utf-8")
    # Same body once tashkeel, tatweel and spacing are normalised: the same document id.
    (tmp_path / "2.txt").write_text(REPORT.replace("مكتبة", "مكتـبةٌ").replace("مكتبةٌ", "مكتبة") + "\n\n", encoding="utf-8")
    (tmp_path / "3.txt").write_text(PARAGRAPHS[2], encoding="utf-8")
    (tmp_path / "4.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    out = list(dedup_stream(iter_documents([tmp_path], IngestOptions())))
    kinds = [type(item).__name__ for item in out]
    assert kinds == ["Document", "Duplicate", "Document", "Rejection"]
    duplicate = out[1]
    assert isinstance(duplicate, Duplicate)
    assert duplicate.first_source == str(tmp_path / "1.txt")
    assert str(duplicate).startswith(f"{tmp_path / '2.txt'}: duplicate of {tmp_path / '1.txt'}")


@pytest.mark.parametrize(("given", "expected"), [
    ("clear", "CLEAR"), ("amber+strict", "AMBER+STRICT"), ("Amber Strict", "AMBER+STRICT"),
    ("TLP:RED", "RED"), ("white", "CLEAR"), (" green ", "GREEN"),
])
def test_tlp_option_normalised(given: str, expected: str) -> None:
    assert IngestOptions(tlp=given).tlp == expected


@pytest.mark.parametrize("kwargs", [
    {"tlp": "PINK"}, {"published": "yesterday"}, {"max_bytes": 0}, {"max_bytes": "big"},
    {"encoding": "no-such-codec"},
])
def test_bad_options_raise_ingest_error(kwargs: dict[str, object]) -> None:
    with pytest.raises(IngestError):
        IngestOptions(**kwargs)  # type: ignore[arg-type]


def test_option_defaults() -> None:
    options = IngestOptions(published="2031-02-03", encoding="Windows-1256")
    assert options.published == dt.date(2031, 2, 3)
    assert options.encoding == "cp1256"
    assert options.max_bytes == DEFAULT_MAX_BYTES == 20 * 1024 * 1024
    assert options.tlp == "CLEAR"


def test_options_fill_plain_text_and_file_wins(tmp_path: Path) -> None:
    bare = tmp_path / "bare.txt"
    bare.write_text(REPORT, encoding="utf-8")
    marked = tmp_path / "marked.txt"
    marked.write_text(f"---\noutlet: جريدة المساء\npublished: 2031-09-09\ntlp: RED\n---\n{REPORT}", encoding="utf-8")
    a, b = documents(read_all([bare, marked], outlet="مصدر الأمر", published="2031-01-01", tlp="green", owner="org"))
    assert (a.outlet, a.published, a.tlp, a.owner) == ("مصدر الأمر", dt.date(2031, 1, 1), "GREEN", "org")
    assert (b.outlet, b.published, b.tlp, b.owner) == ("جريدة المساء", dt.date(2031, 9, 9), "RED", "org")


def test_discover_output_can_be_fed_to_iter_documents(tmp_path: Path) -> None:
    make_tree(tmp_path)
    entries = discover([tmp_path, tmp_path / "missing.txt"])
    items = list(iter_documents(entries, IngestOptions()))
    assert len(documents(items)) == 3
    assert [r.reason for r in rejections(items)] == ["no such file or folder"]
