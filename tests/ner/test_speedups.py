"""The shortcuts taken for speed give what the plain computations give.

Cached proclitic variants, the word splitter's fast path for plain spaces, key-based given-name
tests, the title first-word index and the geocoder's per-key context are checked against the
straightforward versions.
"""

from __future__ import annotations

from collections import Counter

import pytest

from marsad.arabic.segment import token_spans, tokens
from marsad.geo.keys import token_key
from marsad.geo.resolve import GeoContext, Place, score
from marsad.ner import tokens as ner_tokens
from marsad.ner.lexicon import LexiconRecogniser
from marsad.ner.persons import _title_at
from marsad.ner.resources import resources
from marsad.ner.romanise import known_given_key, known_given_name, unambiguous_given_key, unambiguous_given_name
from marsad.ner.tokens import Word, _keys, _TRANSPARENT_GAP, proclitic_variants, words

TEXT = ("وقال رئيس جهاز المخابرات العراقي حميد الشاطري،  إن «الدولة» - وبالحسكة للمخابرات\n"
        "والرئيس السوري أحمد الشرع في دمشق ½ 12.5 F16 عبد الله")


def _plain_words(text: str) -> list[Word]:
    """words() as first written: a regex test for every gap."""
    out: list[Word] = []
    prev_end = None
    for t in tokens(text):
        if not ner_tokens._WORD.match(t.text):
            continue
        joined = prev_end is not None and _TRANSPARENT_GAP.fullmatch(text, prev_end, t.start) is not None
        spaced = joined and not text[prev_end:t.start].strip()
        key, light = _keys(t.text)
        out.append(Word(t.start, t.end, t.text, key, light, joined, spaced))
        prev_end = t.end
    return out


def test_words_fast_path_matches_the_regex_path() -> None:
    assert words(TEXT, tokens(TEXT)) == _plain_words(TEXT)
    assert words(TEXT, spans=token_spans(TEXT)) == _plain_words(TEXT)
    assert words(TEXT) == _plain_words(TEXT)


def test_lexicon_start_index_finds_what_a_full_search_finds() -> None:
    """The per-key list of variants that begin a name keeps exactly the variants the plain
    test (a name or a pattern starts with it) keeps, in order."""
    lexicon = LexiconRecogniser()
    for w in words(TEXT):
        plain = tuple((v, skip, lexicon._name_starts.get(v, 0)) for v, skip in proclitic_variants(w.key)
                      if lexicon._name_starts.get(v, 0) or v in lexicon._pattern_heads)
        assert lexicon._starting(w.key) == plain
    assert any(lexicon._starting(w.key) for w in words(TEXT))


def test_words_are_hashable_values() -> None:
    ws = words(TEXT)
    assert len(set(ws)) == len(ws)
    assert ws[0] == words(TEXT)[0] and hash(ws[0]) == hash(words(TEXT)[0])


@pytest.mark.parametrize("word", ["وبالحسكة", "للمخابرات", "فلبنان", "والرئيس", "من", "وبه", "كالعادة"])
def test_cached_proclitic_variants_equal_uncached(word: str) -> None:
    key = token_key(word)
    assert proclitic_variants(key) == tuple(ner_tokens._proclitic_variants(key))
    assert proclitic_variants(key) is proclitic_variants(key)


@pytest.mark.parametrize("word", ["أحمد", "احمد", "عبد", "محمود", "الشاطري", "قال", "أسامة"])
def test_given_name_tests_by_key(word: str) -> None:
    key = token_key(word)
    assert known_given_key(key) == known_given_name(word)
    assert unambiguous_given_key(key) == unambiguous_given_name(word)


def test_title_index_finds_what_a_full_search_finds() -> None:
    res = resources()
    ws = words(TEXT)
    for i in range(len(ws)):
        found = _title_at(ws, i, res)
        full = None
        for variant, skip in proclitic_variants(ws[i].key)[:2]:
            if skip and ws[i].key[:1] not in ("و", "ف"):
                continue
            keys = [variant] + [w.key for w in ws[i + 1: i + res.max_title_words]]
            for n in range(len(keys), 0, -1):
                if (n == 1 or ws[i + n - 1].joined) and " ".join(keys[:n]) in res.titles:
                    full = (" ".join(keys[:n]), n, skip)
                    break
            if full:
                break
        assert found == full, ws[i].text


def test_repeated_points_do_not_change_a_score() -> None:
    here = Place("حلب", "Aleppo", "SY", "city", 36.2, 37.16, 2_000_000)
    far = Place("الموصل", "Mosul", "IQ", "city", 36.34, 43.13, 1_000_000)
    once, twice = GeoContext(countries=Counter()), GeoContext(countries=Counter())
    once.add(far)
    twice.add(far)
    twice.add(far)
    assert twice.points == once.points
    assert score(here, twice) == pytest.approx(score(here, GeoContext(countries=Counter({"IQ": 2}), points=[(36.34, 43.13)])))


REPORT = ("قال وزير الدفاع العراقي ثابت العباسي إن قوات الأمن في محافظة نينوى اعتقلت خمسة في الموصل، "
          "وأكد العباسي أن قيادة عمليات غرب نينوى تتابع. والتقى الرئيس السوري أحمد الشرع في دمشق "
          "بوزير الخارجية التركي، وقال الشرع إن بشار الأسد غادر. ونقلت وكالة الأنباء عن مصدر في بغداد "
          "وحلب والحسكة وعمان والقائم أن العميد الخفاجي وصل، وأكد الخفاجي ذلك.")


class _Everything:
    def __contains__(self, _key: object) -> bool:
        return True


def test_name_prefixes_hold_every_run_of_first_words_of_every_key() -> None:
    lexicon = LexiconRecogniser()
    for key in (*lexicon.res.names, *lexicon.gazetteer.keys()):
        parts = key.split(" ")
        for m in range(2, len(parts) + 1):
            assert " ".join(parts[:m]) in lexicon._prefixes


def test_name_matching_shortcuts_find_what_the_plain_scan_finds() -> None:
    """Without the prefix pruning, the head prefilter and the per-key place gate, the same
    candidates come out."""
    from marsad.ner.lexicon import _run_ends

    fast = LexiconRecogniser()
    plain = LexiconRecogniser()
    plain._prefixes = _Everything()  # type: ignore[assignment]
    for text in (REPORT, TEXT):
        ws = words(text)
        run_end = _run_ends(ws)
        expected, i = [], 0
        while i < len(ws):
            plain._place_ok.clear()
            begins = plain._starting(ws[i].key)
            best = plain._longest_at(ws, i, run_end[i], begins) if begins else None
            if best is None:
                i += 1
                continue
            expected.append(best)
            i = best.last + 1
        assert fast._match_names(ws) == expected
        assert expected


def test_person_start_filter_finds_what_trying_every_word_finds(monkeypatch: pytest.MonkeyPatch) -> None:
    from marsad.ner import persons

    monkeypatch.setattr(persons, "_corefer", lambda _ws, found, _res: found)
    lexicon = LexiconRecogniser()
    res = resources()
    for text in (REPORT, TEXT):
        ws = words(text)
        found = lexicon._match_names(ws)
        covered = persons._coverage(ws, found)
        expected, i = [], 0
        while i < len(ws):
            person = None if covered[i] is not None else (
                persons._titled_person(ws, i, covered, res, lexicon.gazetteer) or persons._named_person(ws, i, covered, res))
            if person is None:
                i += 1
                continue
            expected.append(person)
            for k in range(person.first, person.last + 1):
                covered[k] = person
            i = person.last + 1
        merged = sorted([c for c in found if not any(c.overlaps(p) for p in expected)] + expected, key=lambda c: c.start)
        assert persons.find_persons(ws, lexicon._match_names(ws), res, lexicon.gazetteer) == merged
        assert expected


def test_rank_is_the_plain_sort_by_score_and_remembered_proximity_follows_new_points() -> None:
    from marsad.geo.resolve import ADMIN_KINDS, CAPITAL_NAME_PENALTY, _homographs

    gaz = LexiconRecogniser().gazetteer
    context = GeoContext(countries=Counter({"IQ": 3, "SY": 1}), points=[(36.34, 43.13)])
    for key in ("القائم", "الحسكه", "عمان", "تل ابيض", "الرمادي"):
        places = gaz.candidates(key)
        with_city = {p.country for p in places if p.kind in ("city", "town")}
        for _ in range(2):
            expected = sorted(places, key=lambda p: -(score(p, context) - (
                CAPITAL_NAME_PENALTY if p.kind in ADMIN_KINDS and p.country in with_city else 0.0)))
            homograph = _homographs().get(key)
            if homograph is not None:
                country, kind = homograph.reading(context.words)
                expected.sort(key=lambda p: not (p.country == country and p.kind == kind))
            assert gaz.rank(key, context) == expected
            context.add(Place("حلب", "Aleppo", "SY", "city", 36.2, 37.16, 2_000_000))
    aleppo = Place("x", "x", "SY", "town", 36.3, 37.2)
    fresh = GeoContext(countries=Counter(context.countries), points=list(context.points))
    assert score(aleppo, context) == score(aleppo, fresh)
    assert gaz.resolve_key("الحسكه") == gaz.rank("الحسكه")[0]


def test_best_is_the_first_of_the_ranking() -> None:
    """Gazetteer.best scores fully only the candidates that can still come first: it must pick
    what rank() puts first (with the admin filter of "بادية حمص" too), ties included."""
    gaz = LexiconRecogniser().gazetteer
    crowded = sorted((k for k in gaz.keys() if len(gaz.candidates(k)) > 3), key=lambda k: -len(gaz.candidates(k)))
    keys = [*crowded[:40], "القائم", "الحسكه", "عمان", "حمص", "الصحراء الغربيه", "لا مكان هنا"]
    admin = frozenset({"governorate", "region"})
    contexts = [GeoContext(), GeoContext(countries=Counter({"IQ": 2, "YE": 1}), points=[(36.34, 43.13), (15.35, 44.2)]),
                GeoContext(countries=Counter({"SY": 1}), points=[(36.2, 37.16)], words=frozenset({"سلطنه"})),
                GeoContext(countries=Counter({"IQ": 3, "SY": -2}), points=[(33.3, 44.4)])]
    for key in keys:
        for context in contexts:
            ranked = gaz.rank(key, context)
            assert gaz.best(key, context) == (ranked[0] if ranked else None)
            wanted = [p for p in ranked if p.kind in admin]
            assert gaz.best(key, context, admin) == (wanted or ranked or [None])[0]


def _plain_candidate_tags(spans, known):
    tags = [["O"] * len(sentence) for sentence in spans]
    flat = [(s, t, a, b) for s, sentence in enumerate(spans) for t, (a, b) in enumerate(sentence)]
    k = 0
    for cand in sorted(known, key=lambda c: c.start):
        while k < len(flat) and flat[k][3] <= cand.start:
            k += 1
        j, first = k, True
        while j < len(flat) and flat[j][2] < cand.end:
            tags[flat[j][0]][flat[j][1]] = f"{'B' if first else 'I'}-{cand.type}"
            first = False
            j += 1
    return tags


def test_candidate_tags_by_bisection_are_the_plain_walks() -> None:
    from marsad.arabic.segment import sentences
    from marsad.ner.crf import candidate_tags

    lexicon = LexiconRecogniser()
    for text in (REPORT, TEXT):
        known = lexicon.candidates(text)
        spans = [[(t.start, t.end) for t in tokens(text) if s.start <= t.start < s.end] for s in sentences(text)]
        for shape in (spans, [s for s in spans if s], [[], *spans, []]):
            assert candidate_tags(shape, known) == _plain_candidate_tags(shape, known)
        assert any(tag != "O" for sentence in candidate_tags(spans, known) for tag in sentence)
