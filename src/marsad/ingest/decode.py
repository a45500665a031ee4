"""Bytes → text, Arabic first.

Order of decisions (first that applies wins):

1. ``--encoding`` forced by the user: decode strictly with it.
2. A byte-order mark: UTF-8, UTF-16 LE/BE, UTF-32 LE/BE.
3. Known binary signatures (PNG, PDF, ZIP/.docx …), NUL bytes, many control bytes → binary.
4. An encoding the document declares (HTML ``<meta charset>``, XML declaration), unless the
   bytes are valid UTF-8 with non-ASCII text: pages labelled windows-1256 that were re-saved
   as UTF-8 are common, and decoding them as declared would produce mojibake.
5. Strict UTF-8 (the fast path for almost every file).
6. Nearly-valid UTF-8 (a few corrupted bytes) → rejected rather than guessed as a code page.
7. Windows-1256 when it decodes the high-bit bytes to Arabic letters almost exclusively.
   charset-normalizer guesses short Arabic cp1256 text as UTF-16, Big5 or cp1251, and longer
   text as ISO-8859-6 / CP720 / Mac-Arabic at times; cp1256 is what Arabic Windows software
   writes, so it wins whenever it yields clean Arabic.
8. charset-normalizer's best guess for anything else.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

import regex
from charset_normalizer import from_bytes

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"%PDF-", "a PDF document; extract its text first (e.g. pdftotext)"),
    (b"PK\x03\x04", "a ZIP archive (or .docx/.xlsx/.odt); save it as plain text first"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a legacy Office document (.doc/.xls); save it as text first"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"\x1f\x8b", "a gzip archive; decompress it first"),
    (b"\x7fELF", "an executable"),
    (b"SQLite format 3\x00", "an SQLite database"),
)
# Arabic Windows code page first: it is the one Arabic users actually have on disk.
_ARABIC_CODE_PAGES = ("cp1256", "iso8859_6", "cp720", "cp864", "mac_arabic")
# WHATWG: these labels mean windows-1252 on the web; Python's latin-1 would leave C1 controls.
_LABEL_ALIASES = {"iso-8859-1": "cp1252", "iso8859-1": "cp1252", "latin1": "cp1252",
                  "latin-1": "cp1252", "us-ascii": "cp1252", "ascii": "cp1252"}
_CONTROL_BYTES = bytes(sorted((set(range(0x01, 0x09)) | set(range(0x0E, 0x20)) | {0x7F}) - {0x1B}))
_CONTROL_CHARS = regex.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_NON_ASCII = regex.compile(r"[^\x00-\x7f\ufffd]")
_NON_ASCII_LETTER = regex.compile(r"[\p{L}--\p{ASCII}]", regex.V1)
_ARABIC_LETTER = regex.compile(r"[\p{L}&&\p{Arabic}]", regex.V1)
_CP1256_ARABIC_SHARE = 0.95
_SAMPLE_CHARS = 1 << 20
# Byte classes of Windows-1256 (single-byte: one byte, one character), for counting by bytes.
_CP1256_CHARS = bytes(range(256)).decode("cp1256")
_NOT_CP1256_LETTER = bytes(b for b in range(256) if not (b > 0x7F and _NON_ASCII_LETTER.match(_CP1256_CHARS[b])))
_NOT_CP1256_ARABIC = bytes(b for b in range(256) if not (b > 0x7F and _ARABIC_LETTER.match(_CP1256_CHARS[b])))
_BINARY_CONTROL_SHARE = 0.03
_META_CHARSET = regex.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", regex.I)
_XML_DECLARATION = regex.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.\-]+)["']""")


class DecodeError(ValueError):
    """The bytes are not text Marsad can read; ``reason`` says why and what to do."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str  # the Python codec name actually used


def decode_bytes(data: bytes, forced: str | None = None, declared: str | None = None) -> Decoded:
    """Decode a whole file's bytes (see module doc for the order of decisions)."""
    if forced:
        return _decode_forced(data, forced)
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _checked(_decode_strict(data[len(bom):], codec, f"its {codec} byte-order mark"), codec)
    _reject_binary(data)
    if declared:
        decoded = _decode_declared(data, declared)
        if decoded is not None:
            return decoded
    try:
        return _checked(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    if _looks_like_broken_utf8(data):
        raise DecodeError(
            f"invalid UTF-8 at byte {utf8_error.start} (the rest of the file is UTF-8, so some "
            "bytes are corrupted); repair the file, or pass --encoding if it is not UTF-8"
        )
    if cp1256_arabic_share(data) >= _CP1256_ARABIC_SHARE:
        return _checked(data.decode("cp1256"), "cp1256")
    return _checked(*_detect(data))


def declared_encoding(data: bytes) -> str | None:
    """The charset an HTML or XML document declares in its first 2 KiB, if any."""
    head = data[:2048]
    match = _XML_DECLARATION.match(head) or _META_CHARSET.search(head)
    return match.group(1).decode("ascii").lower() if match else None


def arabic_share(text: str) -> float:
    """Share of Arabic letters among the non-ASCII letters of text (0 when there are none)."""
    letters = len(_NON_ASCII_LETTER.findall(text))
    return len(_ARABIC_LETTER.findall(text)) / letters if letters else 0.0


def cp1256_arabic_share(data: bytes) -> float:
    """`arabic_share` of the bytes read as Windows-1256, counted on bytes (fast on big files)."""
    letters = len(data.translate(None, _NOT_CP1256_LETTER))
    return len(data.translate(None, _NOT_CP1256_ARABIC)) / letters if letters else 0.0


def _decode_forced(data: bytes, codec: str) -> Decoded:
    _reject_signature(data)
    text = _decode_strict(data, codec, f"--encoding {codec}")
    return _checked(text.lstrip("\ufeff"), codec)


def _decode_strict(data: bytes, codec: str, why: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        bad = data[exc.start:exc.end][:4].hex(" ")
        raise DecodeError(
            f"cannot decode as {codec} (chosen by {why}): invalid bytes {bad} at byte {exc.start}; "
            "pass --encoding with the file's real encoding"
        ) from None


def _decode_declared(data: bytes, label: str) -> Decoded | None:
    try:
        codec = codecs.lookup(_LABEL_ALIASES.get(label, label)).name
    except LookupError:
        return None  # an unknown label: detect instead, as browsers do
    if codec in ("utf-8", "utf-16", "utf-16-le", "utf-16-be"):
        return None  # the UTF-8 fast path below handles these; UTF-16 needs a BOM anyway
    if not data.isascii():
        try:
            data.decode("utf-8")
            return None  # valid non-ASCII UTF-8 despite the label: the label is stale
        except UnicodeDecodeError:
            pass
    try:
        return _checked(data.decode(codec), codec)
    except UnicodeDecodeError:
        return None  # wrong label; fall back to detection


def _detect(data: bytes) -> tuple[str, str]:
    best = from_bytes(data).best()
    if best is None:
        raise DecodeError(
            "cannot determine the text encoding (not UTF-8, UTF-16 with a byte-order mark or "
            "Windows-1256 Arabic); pass --encoding NAME if you know it"
        )
    text = str(best)
    codec = codecs.lookup(best.encoding).name
    if codec in _ARABIC_CODE_PAGES[1:] and cp1256_arabic_share(data) >= arabic_share(text[:_SAMPLE_CHARS]):
        # Ambiguous between Arabic code pages: cp1256 is by far the likeliest on disk.
        return data.decode("cp1256"), "cp1256"
    return text, codec


def _looks_like_broken_utf8(data: bytes) -> bool:
    """Mostly valid multi-byte UTF-8 with a few bad bytes: corruption, not another code page."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = len(_NON_ASCII.findall(text))
    return good >= 4 and bad * 10 <= good


def _reject_signature(data: bytes) -> None:
    for signature, what in _SIGNATURES:
        if data.startswith(signature):
            raise DecodeError(f"binary file ({what}), not text")


def _reject_binary(data: bytes) -> None:
    _reject_signature(data)
    if b"\x00" in data:
        if _looks_like_bomless_utf16(data):
            raise DecodeError(
                "contains NUL bytes; it looks like UTF-16 without a byte-order mark: "
                "pass --encoding utf-16-le (or utf-16-be)"
            )
        raise DecodeError("binary file (contains NUL bytes), not text")
    controls = len(data) - len(data.translate(None, _CONTROL_BYTES))
    if controls / len(data) > _BINARY_CONTROL_SHARE:
        raise DecodeError(f"binary file ({controls} control bytes in {len(data)}), not text")


def _looks_like_bomless_utf16(data: bytes) -> bool:
    even, odd = data[0::2], data[1::2]
    share = max(even.count(0) / max(len(even), 1), odd.count(0) / max(len(odd), 1))
    return len(data) % 2 == 0 and share > 0.3 and min(even.count(0), odd.count(0)) == 0


def _checked(text: str, codec: str) -> Decoded:
    """Decoded text still full of control characters was binary after all."""
    controls = len(_CONTROL_CHARS.findall(text))
    if "\x00" in text or (text and controls / len(text) > _BINARY_CONTROL_SHARE):
        raise DecodeError(f"binary file (decoded as {codec} it is mostly control characters), not text")
    return Decoded(text.lstrip("\ufeff"), codec)
