from __future__ import annotations

import pytest

from marsad.store.search import index_text, key_variants, parse_query, token_key

from .conftest import make_analysis

# Invented sentences, one per document, each exercising one kind of variation.
DOCS = {
    "waw": "وصلت القافلة والحسكة تستعد لاستقبالها.",
    "bi": "اجتمع الوفد بالحسكة مع وجهاء العشائر.",
    "plain": "تقع الحسكة في الشمال الشرقي وتضم أحياء كثيرة.",
    "heh": "زار المسؤول مدينة الحسكه أمس.",
    "lil": "وجه المجلس رسالة للمخابرات بشأن الموقوفين.",
    "wal": "نفى مصدر والمخابرات العامة صحة الخبر.",
    "diac": "عُقِدَ اجتماعٌ لِلْمُحافِظِ في المدينة.",
    "tatweel": "أعلنت اللجـــنة نتائج التحقيق.",
    "hamza": "قال إن الأمير أصدر قراراً بإعادة الأسرى.",
    "yaa": "شارك في المؤتمر ممثل عن الأمم الأخرى ومندوب مصطفى.",
    "digits": "أحصى الفريق ١٢٠٠ خيمة في الموقع و35 شاحنة.",
    "kaf": "بدت المدينة كالمعسكر بعد انتشار الحواجز.",
}


@pytest.fixture()
def search_store(store):
    store.save([make_analysis(k, body=v, title="") for k, v in DOCS.items()])
    return store


def ids(store, query, **kw):
    return {h.id for h in store.search(query, **kw)}


@pytest.mark.parametrize("query", ["الحسكه", "الحسكة", "حسكة", "حسكه", "الحَسَكة", "الحســكة"])
def test_place_with_clitics_and_spelling(search_store, query):
    assert {"waw", "bi", "plain", "heh"} <= ids(search_store, query)


def test_query_with_waw_also_finds_bare_form(search_store):
    assert {"waw", "bi", "plain", "heh"} <= ids(search_store, "والحسكة")


@pytest.mark.parametrize("query", ["المخابرات", "مخابرات", "والمخابرات"])
def test_lil_and_wal(search_store, query):
    assert {"lil", "wal"} <= ids(search_store, query)


def test_query_is_not_stripped(search_store):
    # "بالحسكة" is a more specific query: it does not match the plain form
    assert ids(search_store, "بالحسكة") == {"bi"}


@pytest.mark.parametrize("query,doc", [
    ("المحافظ", "diac"), ("محافظ", "diac"), ("اللجنة", "tatweel"), ("لجنه", "tatweel"),
    ("ان", "hamza"), ("الامير", "hamza"), ("أسرى", "hamza"), ("اعادة", "hamza"),
    ("الاخري", "yaa"), ("مصطفي", "yaa"), ("المؤتمر", "yaa"), ("المعسكر", "kaf"),
    ("1200", "digits"), ("١٢٠٠", "digits"), ("۱۲۰۰", "digits"), ("٣٥", "digits"),
])
def test_normalisation(search_store, query, doc):
    assert doc in ids(search_store, query)


def test_and_of_words_and_phrase(search_store):
    assert ids(search_store, "الحسكة الوفد") == {"bi"}
    assert ids(search_store, '"مدينة الحسكة"') == {"heh"}
    assert ids(search_store, '"مدينه الحسكه"') == {"heh"}
    assert ids(search_store, '"الحسكة مدينة"') == set()
    assert ids(search_store, '"المخابرات العامة"') == {"wal"}  # phrase with a clitic
    assert ids(search_store, 'تستعد "القافلة والحسكة"') == {"waw"}


@pytest.mark.parametrize("query", ['"', '""', "*", "-", "(", ")", "OR", "AND", "NOT", "NEAR",
                                   'الحسكة OR', '"الحسكة', "الحسكة*", "-الحسكة", "(الحسكة",
                                   "col:الحسكة", "^", "{variants}: x", "'; DROP TABLE documents;--",
                                   "", "   ", "،،", "\u0640\u064e"])
def test_injection_safe(search_store, query):
    search_store.search(query)
    search_store.count_search(query)


def test_operators_are_plain_words(search_store):
    assert ids(search_store, "الحسكة OR") == set()  # "or" is just a word, and absent
    assert {"waw", "bi", "plain", "heh"} <= ids(search_store, '(الحسكة*')


def test_snippet_from_original_body(search_store):
    for hit in search_store.search("الحسكه"):
        body = DOCS[hit.id]
        assert "[" in hit.snippet
        assert hit.snippet.replace("[", "").replace("]", "") in body
        for s, e in hit.match_spans:
            assert token_key(body[s:e]).endswith("حسكه")
    hit = next(h for h in search_store.search("المحافظ") if h.id == "diac")
    assert "[لِلْمُحافِظِ]" in hit.snippet  # the original, with its diacritics
    assert DOCS["diac"][hit.match_spans[0][0]:hit.match_spans[0][1]] == "لِلْمُحافِظِ"
    phrase = search_store.search('"مدينة الحسكه"')[0]
    assert "[مدينة الحسكه]" in phrase.snippet


def test_snippet_window_on_long_body(store):
    body = " ".join(["كلمة"] * 300 + ["والحسكة"] + ["نص"] * 300)
    store.save([make_analysis("long", body=body, title="")])
    hit = store.search("الحسكة")[0]
    assert "[والحسكة]" in hit.snippet and len(hit.snippet) < 400
    assert hit.snippet.replace("[", "").replace("]", "") in body
    s, e = hit.match_spans[0]
    assert body[s:e] == "والحسكة"


def test_hit_fields_rank_and_paging(store):
    docs = [make_analysis(f"d{i}", body="الحسكة " * (i + 1) + "نص آخر " * 20, title=f"عنوان {i}")
            for i in range(5)]
    store.save(docs)
    hits = store.search("الحسكة")
    assert {h.id for h in hits} == {"d0", "d1", "d2", "d3", "d4"}
    # bm25 (SQLite) and ts_rank (PostgreSQL) both rank more matches first
    assert [h.id for h in hits] == ["d4", "d3", "d2", "d1", "d0"]
    assert hits[0].score > hits[-1].score
    assert [x.id for x in store.search("الحسكة", limit=2, offset=1)] == ["d3", "d2"]
    h = next(x for x in hits if x.id == "d4")
    assert (h.title, h.tlp, h.outlet, h.source) == ("عنوان 4", "GREEN", "وكالة تجريبية", "test/d4.txt")
    assert h.published.isoformat() == "2024-11-03"
    assert store.count_search("الحسكة") == 5
    assert store.count_search("عنوان 3") == 1  # titles are searched
    assert store.count_search("غائبة") == 0


def test_variants_and_query_parsing():
    assert key_variants(token_key("وبالحسكة")) == ("وبالحسكه", "بالحسكه", "الحسكه", "حسكه")
    assert key_variants(token_key("للمخابرات")) == ("للمخابرات", "المخابرات", "مخابرات")
    assert key_variants(token_key("من")) == ("من",)
    assert key_variants(token_key("وبه")) == ("وبه", "به")  # stems keep two letters
    variants, stems = index_text("", "والحسكة مدينة")
    assert variants.split() == ["والحسكه", "الحسكه", "حسكه", "مدينه"]
    assert stems.split() == ["حسكه", "مدينه"]
    parsed = parse_query('والحسكة "مدينة الحسكة" * OR')
    assert parsed.words == [("والحسكه", "الحسكه"), ("or",)]
    assert parsed.phrases == [("مدينه", "حسكه")]
    assert parse_query('"*"').fts() == ""


def test_reindex(search_store):
    before = ids(search_store, "الحسكه")
    assert search_store.reindex_search() == len(DOCS)
    assert ids(search_store, "الحسكه") == before
    assert search_store.count_search("المخابرات") == 2
