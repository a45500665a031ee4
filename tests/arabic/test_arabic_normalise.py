"""normalise() and match_key(): folding, and the exact offset map back to the original."""

from __future__ import annotations

import pytest

from marsad.arabic.normalise import match_key, normalise


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("أحمد", "احمد"),
        ("إبراهيم", "ابراهيم"),
        ("آمال", "امال"),
        ("ٱلله", "الله"),
        ("مستشفى", "مستشفي"),
        ("مدرسة", "مدرسه"),
        ("مؤتمر", "موتمر"),
        ("رئيس", "رييس"),
        ("مُحَمَّدٌ", "محمد"),
        ("جـــميل", "جميل"),
        ("٢٠٢٤", "2024"),
        ("۱۴۰۳", "1403"),
        ("ABC Def", "abc def"),
        ("\u200fبغداد\u200e", "بغداد"),
        ("ب\u200cيت", "بيت"),
        ("ا\u0653", "ا"),  # alef + combining madda composes to آ under NFC, then folds
    ],
)
def test_match_key_folds(text: str, key: str) -> None:
    assert match_key(text) == key


@pytest.mark.parametrize(
    ("text", "fold", "digits", "expected"),
    [
        ("قالَ إنّ ٢٥ ألفاً", True, True, "قال ان 25 الفا"),
        ("قالَ إنّ ٢٥ ألفاً", False, True, "قال إن 25 ألفا"),
        ("قالَ إنّ ٢٥ ألفاً", True, False, "قال ان ٢٥ الفا"),
        ("١٫٥ و١٬٢٠٠", True, True, "1٫5 و1٬200"),  # Arabic separators are kept on purpose
    ],
)
def test_normalise_options(text: str, fold: bool, digits: bool, expected: str) -> None:
    result = normalise(text, fold_letters=fold, ascii_digits=digits)
    assert result.text == expected
    assert result.original == text


@pytest.mark.parametrize(
    ("text", "needle", "original_span"),
    [
        ("وصلَ خمسةُ آلافٍ إلى المخيمِ", "خمسه الاف", "خمسةُ آلافٍ"),
        ("قُتِلَ عشرونَ جندياً", "جنديا", "جندياً"),
        ("\u200fأعلنت\u200f الوزارة", "اعلنت", "أعلنت"),
        ("بـــغداد مدينة", "بغداد", "بـــغداد"),
        ("الْمُؤْتَمَرُ الصحفي", "الموتمر الصحفي", "الْمُؤْتَمَرُ الصحفي"),
    ],
)
def test_span_to_original_covers_removed_marks(text: str, needle: str, original_span: str) -> None:
    result = normalise(text)
    start = result.text.index(needle)
    s, e = result.span_to_original(start, start + len(needle))
    assert text[s:e] == original_span


def test_to_original_maps_every_offset_monotonically() -> None:
    text = "\u200fمُحَمَّدٌ وَصَلَ ٣ مراتٍ"
    result = normalise(text)
    mapped = [result.to_original(i) for i in range(len(result.text) + 1)]
    assert mapped == sorted(mapped)
    assert mapped[-1] == len(text)
    for i, ch in enumerate(result.text):
        assert match_key(text[mapped[i]]) in (ch, ch.lower()) or ch.isdigit()


def test_non_nfc_input_maps_clusters() -> None:
    text = "ا\u0653لاف جنود"  # decomposed آ
    result = normalise(text)
    assert result.text == "الاف جنود"
    s, e = result.span_to_original(0, 4)
    assert text[s:e] == "ا\u0653لاف"


def test_empty_text() -> None:
    result = normalise("")
    assert result.text == ""
    assert result.span_to_original(0, 0) == (0, 0)
    only_marks = normalise("\u064e\u064f")
    assert only_marks.text == ""
    assert only_marks.to_original(0) == 2
