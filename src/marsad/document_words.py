"""A document's tokens read once for every stage: the NER's words and the extractors' words.

The NER back-end needs every token of :func:`marsad.arabic.segment.tokens` (the CRF model's
input) and its words (:func:`marsad.ner.tokens.words`: lookup keys, joined/spaced flags); the
extractors need theirs (:func:`marsad.extract.phrases.words`: runs of letters, marks and digits
with their match keys). One pass over the segmenter's tokens builds all three, with one dict
lookup per token (each token text's forms are remembered), where three passes over the text
each made their own tokens, slices and lookups.

Why the extractors' words can be read off the tokens: a run of letters, marks and digits is made
of whole word tokens (a word starts with a letter, a number with a digit, ½ is a numeric sign),
less the characters inside them that are none of these (the separators of 1,200, a ZWNJ), and
joined across two tokens with nothing between them (و31 is the word و and the number 31). The
one exception is a combining mark outside every word (after a space or a digit): the segmenter
drops it but it belongs to an extractor word, so a document holding one (rare) takes the
extractors' own regex pass for their words.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import regex

from marsad.arabic.segment import token_texts
from marsad.extract.phrases import Word as ExtractWord
from marsad.extract.phrases import word_key
from marsad.extract.phrases import words as extract_words
from marsad.ner.tokens import Word as NerWord
from marsad.ner.tokens import word_flags, word_keys

# A combining mark right after neither a letter nor a mark: one that may lie outside every word
# token (a mark after a ZWNJ inside a word is taken for one too, which only costs the slow path).
_STRAY_MARK = regex.compile(r"\p{M}(?<![\p{L}\p{M}]\p{M})")
_MAX_FORMS = 131072  # token texts remembered; the dict is emptied when full (a long-running server)


@dataclass(frozen=True, slots=True)
class DocumentWords:
    """The tokens of one document and its two word lists; shared by the stages, never changed."""

    surfaces: list[str]  # the text of every token (words and punctuation), in order
    spans: list[tuple[int, int]]  # their (start, end)
    ner: list[NerWord]  # what marsad.ner.tokens.words(text) gives
    extract: list[ExtractWord]  # what marsad.extract.phrases.words(text) gives


# The forms of a token text: (NER key, NER light form, extractor words), None for punctuation.
# The extractor words are one match key when the whole token is one extractor word (nearly
# always), else the token's words with offsets into the token.
_Forms = tuple[str, str, "str | tuple[ExtractWord, ...]"]
_FORMS: dict[str, _Forms | None] = {}
_UNSEEN = ("", "", "")


def _forms_of(surface: str) -> _Forms | None:
    keys = word_keys(surface)
    if keys is None:
        return None
    pieces = extract_words(surface)
    whole = len(pieces) == 1 and pieces[0].start == 0 and pieces[0].end == len(surface)
    return keys[0], keys[1], pieces[0].key if whole else tuple(pieces)


def _new_forms(surface: str) -> _Forms | None:
    if len(_FORMS) >= _MAX_FORMS:
        _FORMS.clear()
    found = _FORMS[surface] = _forms_of(surface)
    return found


@lru_cache(maxsize=4)
def document_words(text: str) -> DocumentWords:
    """The tokens and both word lists of ``text``. Cached: the NER stage and the three
    extractors ask about the same document in turn."""
    surfaces = token_texts(text)
    spans: list[tuple[int, int]] = []
    ner: list[NerWord] = []
    extract: list[ExtractWord] = []
    add_span, add_ner, add_extract = spans.append, ner.append, extract.append
    find, known, unseen = text.find, _FORMS.get, _UNSEEN
    pos = 0
    prev_end = -2  # end of the previous word (never within one character of a token start)
    run_open = False  # the previous word ends on a letter or digit: a word right after it goes on with its run
    for surface in surfaces:
        start = find(surface, pos)  # (nothing between two tokens can begin one: see token_texts)
        pos = end = start + len(surface)
        add_span((start, end))
        forms = known(surface, unseen)
        if forms is unseen:
            forms = _new_forms(surface)
        if forms is None:
            continue  # punctuation
        key, light, pieces = forms
        joined, spaced = word_flags(text, prev_end, start)
        add_ner(NerWord(start, end, surface, key, light, joined, spaced))
        if pieces.__class__ is str and start != prev_end:  # the common case: the token is one word
            add_extract(ExtractWord(start, end, surface, pieces))
            run_open = True
        else:
            run_open = _add_pieces(extract, text, start, surface, pieces, run_open and start == prev_end)
        prev_end = end
    if _STRAY_MARK.search(text):
        extract = extract_words(text)
    return DocumentWords(surfaces, spans, ner, extract)


def _add_pieces(extract: list[ExtractWord], text: str, start: int, surface: str,
                pieces: str | tuple[ExtractWord, ...], goes_on: bool) -> bool:
    """Add the extractor words of the token ``surface`` at ``start``; with ``goes_on``, its first
    one continues the last word added (no gap between the two tokens: و31). Returns whether the
    token ends on a letter or digit (a word right after it would go on with its last run)."""
    runs = ((0, len(surface), surface, pieces),) if isinstance(pieces, str) else tuple(
        (w.start, w.end, w.text, w.key) for w in pieces)
    for first, last, run, key in runs:
        if goes_on and first == 0:
            head = extract.pop()
            merged = text[head.start:start + last]
            extract.append(ExtractWord(head.start, start + last, merged, word_key(merged)))
        else:
            extract.append(ExtractWord(start + first, start + last, run, key))
        goes_on = False
    return bool(runs) and runs[-1][1] == len(surface)
