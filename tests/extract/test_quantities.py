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
