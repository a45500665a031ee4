"""Encodings: UTF-8 (± BOM), UTF-16, Windows-1256, declared charsets, and refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from marsad.ingest import DecodeError, decode_bytes
from marsad.ingest.decode import arabic_share
from tests.ingest.helpers import BODY, REPORT, TITLE, only_document, only_rejection

SHORT_ARABIC = ["ب", "سلام", "خبر قصير", "افتتح المحافظ جسراً جديداً.", "قال: «نعم»، ثم غادر؟"]


@pytest.mark.parametrize("text", [*SHORT_ARABIC, REPORT, REPORT * 20])
def test_cp1256_arabic_short_and_long_is_detected(text: str) -> None:
    decoded = decode_bytes(text.encode("cp1256"))
    assert decoded.encoding == "cp1256"
    assert decoded.text == text


def test_cp1256_mixed_with_latin_and_digits() -> None:
    text = "اجتمع 25 مسؤولاً في مقر UNDP يوم 3/4/2031 لمناقشة خطة الطوارئ (المرحلة B)."
    assert decode_bytes(text.encode("cp1256")).text == text


@pytest.mark.parametrize("text", SHORT_ARABIC + [REPORT])
def test_utf8_fast_path(text: str) -> None:
    decoded = decode_bytes(text.encode("utf-8"))
    assert (decoded.text, decoded.encoding) == (text, "utf-8")


@pytest.mark.parametrize(
    ("codec", "expected"),
    [("utf-8-sig", "utf-8"), ("utf-16", None), ("utf-16-le", None), ("utf-16-be", None), ("utf-32", None)],
)
def test_byte_order_marks(codec: str, expected: str | None) -> None:
    data = REPORT.encode(codec)
    if codec in ("utf-16-le", "utf-16-be"):
        data = "\ufeff".encode(codec) + data  # explicit BOM for the endian-specific codecs
    decoded = decode_bytes(data)
    assert decoded.text == REPORT
    if expected:
        assert decoded.encoding == expected


def test_russian_cp1251_is_not_taken_for_arabic() -> None:
    text = "Привет, как дела? Это тестовый текст на русском языке, и он довольно длинный."
    decoded = decode_bytes(text.encode("cp1251"))
    assert decoded.text == text


def test_arabic_share() -> None:
    assert arabic_share("abc") == 0.0
    assert arabic_share("خبر") == 1.0
    assert arabic_share("Привет") == 0.0


def test_forced_encoding() -> None:
    text = "خبر عاجل"
    assert decode_bytes(text.encode("iso8859_6"), forced="iso8859_6").text == text
    with pytest.raises(DecodeError, match="cannot decode as utf-8"):
        decode_bytes(text.encode("cp1256"), forced="utf-8")


def test_declared_charset_honoured_unless_bytes_are_utf8() -> None:
    text = "<html><head><meta charset='iso-8859-6'></head><body>خبر عاجل</body></html>"
    assert decode_bytes(text.encode("iso8859_6"), declared="iso-8859-6").text == text
    # A page labelled windows-1256 but saved as UTF-8: the bytes win.
    assert decode_bytes(text.encode("utf-8"), declared="windows-1256").text == text


def test_corrupted_utf8_is_rejected_not_guessed() -> None:
    data = (REPORT * 3).encode("utf-8")
    data = data[:101] + b"\xff" + data[102:]
    with pytest.raises(DecodeError, match="invalid UTF-8 at byte 101"):
        decode_bytes(data)


def test_bomless_utf16_gets_a_hint() -> None:
    with pytest.raises(DecodeError, match="--encoding utf-16-le"):
        decode_bytes("report 2031 ok".encode("utf-16-le"))


@pytest.mark.parametrize("codec", ["utf-8", "utf-8-sig", "utf-16", "cp1256"])
@pytest.mark.parametrize("name", ["report.txt", "report.md", "report"])
def test_same_document_whatever_the_encoding(tmp_path: Path, codec: str, name: str) -> None:
    original = tmp_path / "utf8" / name
    original.parent.mkdir()
    original.write_text(REPORT, encoding="utf-8")
    other = tmp_path / codec / name
    other.parent.mkdir()
    other.write_bytes(REPORT.replace("\n", "\r\n").encode(codec))  # Windows line endings too
    a, b = only_document(original), only_document(other)
    assert (a.id, a.title, a.body) == (b.id, b.title, b.body)
    assert a.title == TITLE and a.body == BODY


def test_cp1256_html_with_meta_charset(tmp_path: Path) -> None:
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1256">'
        f"<title>{TITLE}</title></head><body><article><h1>{TITLE}</h1>"
        + "".join(f"<p>{p}</p>" for p in BODY.split("\n\n"))
        + "</article></body></html>"
    )
    utf8 = tmp_path / "utf8.html"
    utf8.write_text(page.replace("windows-1256", "utf-8"), encoding="utf-8")
    cp = tmp_path / "cp.html"
    cp.write_bytes(page.encode("cp1256"))
    a, b = only_document(utf8), only_document(cp)
    assert (a.id, a.title, a.body) == (b.id, b.title, b.body)
    assert "خمسة آلاف كتاب" in b.body


def test_forced_encoding_option_applies_to_files(tmp_path: Path) -> None:
    path = tmp_path / "legacy.txt"
    path.write_bytes(REPORT.encode("iso8859_6", errors="replace"))
    rejection = only_rejection(path, encoding="utf-8")
    assert "cannot decode as utf-8" in rejection.reason and "--encoding" in rejection.reason
