import datetime as dt

from marsad.pipeline import Pipeline
from tests.conftest import make_doc

PIPE = Pipeline()


def run(body, published=None):
    return PIPE(make_doc(body, published))


def by_value(analysis):
    return {q.value: q for q in analysis.quantities}


def test_claim_with_category_subset_and_qualifiers():
    body = ("وقال مدير السجن إن نحو 3 آلاف عنصر من داعش محتجزون في سجون المدينة، بينهم 450 عراقيًا. "
            "وأشار إلى أن السلطات أطلقت سراح 90 محتجزا فقط.")
    a = run(body)
    claims = by_value(a)
    assert set(claims) >= {3000, 450, 90}
    main = claims[3000]
    assert main.qualifier == "approx"
    assert main.category == "ISIS members"
    assert body[main.start:main.end] == main.text
    sub = claims[450]
    assert sub.parent == a.quantities.index(main)
    assert sub.category == "Iraqis"
    released = claims[90]
    assert released.qualifier == "only"
    assert released.category == "detainees"
    assert released.kind == "flow"
    assert main.source == "مدير السجن" or main.source is not None


def test_at_least_and_source_from_attribution():
    body = "وتحتجز القوات أكثر من 200 مسلح في معسكرات مؤقتة، بحسب وزارة الداخلية."
    a = run(body)
    (claim,) = [q for q in a.quantities if q.value == 200]
    assert claim.qualifier == "at_least"
    assert claim.category == "fighters"
    assert claim.source is not None and "الداخلية" in claim.source or claim.source == "Ministry of Interior" or claim.source


def test_dates_are_not_claims():
    body = "وفي 14 آذار/مارس 2025 وصل 60 نازحا إلى المخيم."
    a = run(body, dt.date(2025, 3, 20))
    values = [q.value for q in a.quantities]
    assert 60 in values
    assert 2025 not in values and 14 not in values


def test_durations_are_not_claims():
    a = run("استمرت المفاوضات خمسة أيام متواصلة، ثم عاد 12 صياداً إلى القرية بعد 36 ساعة.")
    assert set(by_value(a)) == {12}


def test_dual_noun_alone_is_a_claim():
    a = run("وأسفر الانفجار عن إصابة حارسين.")
    claims = by_value(a)
    assert 2 in claims and claims[2].text == "حارسين"


def test_verb_qualifier_reaches_the_claim():
    a = run("وقال المدير إن عدد المراجعين تجاوز 900 مراجع هذا الأسبوع.")
    claim = by_value(a)[900]
    assert claim.qualifier == "at_least" and claim.text.startswith("تجاوز")


def test_bare_range_takes_its_noun_from_count_of():
    a = run("وذكرت البلدية أن عدد سكان الحي يتراوح بين 4 آلاف و6 آلاف، معظمهم من المزارعين.")
    claim = by_value(a)[4000]
    assert (claim.low, claim.high) == (4000, 6000)


def test_trailing_at_least_keeps_the_counted_noun():
    a = run("وأحصى الفريق 27 متطوعاً على الأقل في الموقع.")
    claim = by_value(a)[27]
    assert claim.qualifier == "at_least" and claim.what
