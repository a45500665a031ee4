"""Every kind of bad input becomes a Rejection naming the file; good files still come through."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from marsad.ingest import IngestOptions, Rejection, iter_documents
from tests.ingest.helpers import REPORT, TITLE, documents, read_all, rejections

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"


def run_with_good(tmp_path: Path, bad: Path, **options: object) -> Rejection:
    """Read [good, bad, good]; assert both good files came through; return the rejection."""
    first, last = tmp_path / "a_good.txt", tmp_path / "z_good.txt"
    first.write_text(REPORT, encoding="utf-8")
    last.write_text(REPORT.replace("الأحد", "الاثنين"), encoding="utf-8")
    items = read_all([first, bad, last], **options)
    assert [d.source for d in documents(items)] == [str(first), str(last)]
    [rejection] = rejections(items)
    assert rejection.path == str(bad)
    assert str(bad) in str(rejection)
    return rejection


def test_png(tmp_path: Path) -> None:
    bad = tmp_path / "photo.png"
    bad.write_bytes(PNG)
    assert run_with_good(tmp_path, bad).reason == "binary file (a PNG image), not text"


def test_png_renamed_to_txt(tmp_path: Path) -> None:
    bad = tmp_path / "photo.txt"
    bad.write_bytes(PNG)
    assert "PNG image" in run_with_good(tmp_path, bad).reason


def test_random_bytes(tmp_path: Path) -> None:
    bad = tmp_path / "noise.bin"
    bad.write_bytes(random.Random(7).randbytes(4096))
    assert run_with_good(tmp_path, bad).reason.startswith("binary file")


def test_random_bytes_without_nul(tmp_path: Path) -> None:
    bad = tmp_path / "noise.txt"
    bad.write_bytes(random.Random(8).randbytes(4096).replace(b"\x00", b"\x01"))
    assert run_with_good(tmp_path, bad).reason.startswith("binary file")


def test_pdf_gets_advice(tmp_path: Path) -> None:
    bad = tmp_path / "report.pdf"
    bad.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    assert "pdftotext" in run_with_good(tmp_path, bad).reason


def test_empty_file(tmp_path: Path) -> None:
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    assert run_with_good(tmp_path, bad).reason == "empty file (0 bytes)"


@pytest.mark.parametrize("content", [b"  \n\t\r\n  ", "\u00a0\n".encode(), "\ufeff \n".encode("utf-16")])
def test_whitespace_only(tmp_path: Path, content: bytes) -> None:
    bad = tmp_path / "blank.txt"
    bad.write_bytes(content)
    assert run_with_good(tmp_path, bad).reason == "file contains only whitespace"


def test_undecodable_bytes(tmp_path: Path) -> None:
    bad = tmp_path / "broken.txt"
    text = REPORT * 4
    cut = len(text[:150].encode("utf-8"))  # a character boundary
    data = text.encode("utf-8")
    bad.write_bytes(data[:cut] + b"\xc0\xaf" + data[cut:])
    reason = run_with_good(tmp_path, bad).reason
    assert f"invalid UTF-8 at byte {cut}" in reason and "--encoding" in reason


def test_file_over_max_bytes(tmp_path: Path) -> None:
    bad = tmp_path / "huge.txt"
    bad.write_text(REPORT * 50, encoding="utf-8")
    size = bad.stat().st_size
    reason = run_with_good(tmp_path, bad, max_bytes=2048).reason
    assert f"({size:,} bytes)" in reason and "(2,048 bytes)" in reason
    assert "raise it with --max-bytes" in reason


def test_malformed_jsonl_record_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "records.jsonl"
    bad.write_text('{"body": "نص صالح"}\n{"body": \n', encoding="utf-8")
    items = read_all([bad])
    assert len(documents(items)) == 1
    [rejection] = rejections(items)
    assert (rejection.path, rejection.line) == (str(bad), 2)
    assert str(rejection).startswith(f"{bad}:2: invalid JSON")


def test_html_without_text(tmp_path: Path) -> None:
    bad = tmp_path / "shell.html"
    bad.write_text("<html><body><script>app()</script></body></html>", encoding="utf-8")
    assert "no main text found" in run_with_good(tmp_path, bad).reason


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs POSIX permissions, not root")
def test_unreadable_file(tmp_path: Path) -> None:
    bad = tmp_path / "secret.txt"
    bad.write_text(REPORT, encoding="utf-8")
    bad.chmod(0)
    try:
        assert run_with_good(tmp_path, bad).reason == "cannot read: permission denied"
    finally:
        bad.chmod(0o644)


def test_missing_path(tmp_path: Path) -> None:
    assert run_with_good(tmp_path, tmp_path / "nowhere.txt").reason == "no such file or folder"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_named_pipe_is_not_opened(tmp_path: Path) -> None:
    bad = tmp_path / "pipe.txt"
    os.mkfifo(bad)
    assert "not a regular file" in run_with_good(tmp_path, bad).reason


def test_reader_bug_does_not_abort_the_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from marsad.ingest import reader

    def explode(*_: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setitem(reader.READERS, "html", explode)
    bad = tmp_path / "page.html"
    bad.write_text(f"<html><body><p>{TITLE}</p></body></html>", encoding="utf-8")
    reason = run_with_good(tmp_path, bad).reason
    assert "unexpected error" in reason and "RuntimeError: boom" in reason


def test_options_are_checked_before_any_file(tmp_path: Path) -> None:
    from marsad.ingest import IngestError

    with pytest.raises(IngestError):
        iter_documents([tmp_path], "not options")  # type: ignore[arg-type]
    assert list(iter_documents([], IngestOptions())) == []
