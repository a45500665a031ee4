"""document_words: one pass over the segmenter's tokens gives exactly what the three separate
tokenisations give (token spans, the NER's words, the extractors' words), on any text."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given

from marsad.arabic.segment import token_spans
from marsad.document_words import document_words
from marsad.extract import phrases
from marsad.ner import tokens as ner_tokens
from tests.text_strategies import SETTINGS, texts_of

ROOT = Path(__file__).resolve().parents[1]

_PIECES = [
    # tatweel, diacritics (on a letter, after a space, after a digit), ZWNJ/ZWJ inside a word
    "كتـــاب", "مَدْرَسَةٌ", "ألفاً", " ً", "5ً", "ب\u200cك", "ب\u200dك", "\u200cب",
    # a clitic on a figure, separators, numeric signs, Arabic-Indic digits, Latin, mixed scripts
    "و31", "و2,500", "1,200", "2.5", "١٬٢٠٠", "٢٫٥", "12½", "½", "x²y", "F16", "U.S.", "ب2", "2ب",
    "للمخابرات", "وبالحسكة", "عبد الله", "د.",
    # punctuation, spaces, controls
    "«", "»", "“", "”", '"', "'", ".", "،", "؛", ":", "…", "-", "–", "(", ")", "/", "\n", " ", "  ",
    "\t", "\u00a0", "\u200f", "\u202b", "\u2066", "\ufeff", "\u064e", "\u0651", "\u0670",
    # beyond the BMP: letters, digits, a variation selector (a mark)
    "𝐀𝐁", "\U0001d7d9", "\U00010400", "😀", "\U000e0100",
]
texts = texts_of(_PIECES, arbitrary=3)


def _assert_as_before(text: str) -> None:
    found = document_words.__wrapped__(text)  # uncached: each example computed afresh
    spans = token_spans(text)
    assert found.spans == spans
    assert found.surfaces == [text[a:b] for a, b in spans]
    assert found.ner == ner_tokens.words(text, spans=spans)
    assert found.extract == phrases.words(text)


@SETTINGS
@given(texts)
def test_same_lists_as_the_separate_tokenisations(text: str) -> None:
    _assert_as_before(text)


@pytest.mark.parametrize("text", [
    "", " ", "،", "ً", "و31 ألفاً وأكثر من 2,500 عنصر و١٬٢٠٠ مدني",
    "قال عبدُ الله: «إن الوضعَ مستقرٌ» — U.S. F16 x²",
    "كتـــاب ب\u200cك ½ 12½ ب2 2ب",
    "ً5 بغداد",  # a mark outside any word: the extractors' own pass
    "بغداد 𝐀𝐁 \U0001d7d9 وصل",  # beyond the BMP: the regex token scan
])
def test_edge_cases(text: str) -> None:
    _assert_as_before(text)


def test_example_reports() -> None:
    for path in sorted((ROOT / "examples" / "reports").iterdir()):
        _assert_as_before(path.read_text(encoding="utf-8", errors="replace"))


def test_cached_per_document() -> None:
    text = "وقال المتحدث إن 31 عنصراً اعتقلوا."
    assert document_words(text) is document_words(text)


def test_crf_proposals_same_with_token_texts() -> None:
    from marsad.ner.backends import _crf_backend

    recogniser = _crf_backend()
    text = (ROOT / "examples" / "reports" / "03_hamrin_airstrike.txt").read_text(encoding="utf-8")
    found = document_words(text)
    known = recogniser.lexicon.candidates(text, found.ner)
    proposer = recogniser.proposer
    assert proposer.propose_with_known(text, known)  # (the report has names)
    assert (proposer.propose_with_known(text, known, found.spans, surfaces=found.surfaces)
            == proposer.propose_with_known(text, known, found.spans) == proposer.propose_with_known(text, known))
