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
    assert released.category == "released"  # a count under an event verb counts the event
    assert released.what == "محتجزا"
    assert released.kind == "flow"
    assert main.kind == "stock"
    assert main.source == "director of the prison"  # the quote's speaker, its title in English


def test_at_least_and_source_from_attribution():
    body = "وتحتجز القوات أكثر من 200 مسلح في معسكرات مؤقتة، بحسب وزارة الداخلية."
    a = run(body)
    (claim,) = [q for q in a.quantities if q.value == 200]
    assert claim.qualifier == "at_least"
    assert claim.category == "fighters"
    ministry = next(m for m in a.entities if m.text == "وزارة الداخلية")
    assert claim.source == (ministry.canonical or ministry.text)
    a = run("وتحتجز السلطات نحو 800 موقوف في سجن المطار، بحسب مصادر قضائية.")
    (claim,) = a.quantities
    assert (claim.category, claim.source, claim.kind) == ("detainees", "judicial sources", "stock")


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


# Every sentence below is invented for these tests.

def test_same_category_different_sources_and_qualifiers():
    """One report, two figures for the same release: the officials' "more than" and the
    administration's "only", each with its own source."""
    body = ("وأوضح المدير أن بيانات الشرطة المحلية تشير إلى إطلاق سراح أكثر من 300 موقوف حتى الآن، "
            "رغم أن إدارة السجن أعلنت أنها أطلقت سراح 95 نزيلاً فقط.")
    claims = by_value(run(body))
    high, low = claims[300], claims[95]
    assert (high.qualifier, low.qualifier) == ("at_least", "only")
    assert high.category == low.category == "released"
    assert high.kind == low.kind == "flow"
    assert high.source == "local police data"
    assert low.source and low.source != high.source


def test_subset_links():
    a = run("وقال المحافظ إن الفيضانات شردت نحو 1400 عائلة في القضاء، من بينهم 35 امرأة حاملاً.")
    claims = by_value(a)
    assert claims[35].parent == a.quantities.index(claims[1400])
    a = run("وقال مسؤول في منظمة إغاثة إن المخيم يؤوي 4500 نازح، بينهم 1200 طفل.")
    claims = by_value(a)
    assert claims[1200].parent == a.quantities.index(claims[4500])
    assert claims[1200].category == "children" and claims[4500].category == "displaced"
    # "N منهم" after the figure, and a group named back with "من الجرحى"
    a = run("واعتقلت القوات 60 مشتبهاً به في حملة التفتيش، وأفرجت عن 22 منهم بعد التحقيق.")
    claims = by_value(a)
    assert claims[22].parent == a.quantities.index(claims[60])
    assert (claims[60].category, claims[22].category) == ("arrested", "released")
    a = run("وأسفر الانفجار عن إصابة سبعة مدنيين، ونقل ثلاثة من الجرحى إلى مستشفى المدينة.")
    claims = by_value(a)
    assert claims[3].parent == a.quantities.index(claims[7])
    # "من بين المطلوبين 14 امرأة": the group is the earlier claim on suspects
    a = run("وأصدرت المحكمة مذكرات قبض بحق 90 متهماً. وأوضح القاضي أن من بين المطلوبين 14 امرأة.")
    claims = by_value(a)
    assert claims[14].parent == a.quantities.index(claims[90])
    # a partitive of members is what is counted, not a subset
    a = run("وقتلت القوات 20 مسلحاً في الوادي. وأصيب ثلاثة من عناصر الشرطة خلال الاشتباك.")
    assert by_value(a)[3].parent is None


def test_range_keeps_both_ends():
    a = run("وتشير التقديرات إلى وجود ما بين 150 و200 مسلح في الوديان المحيطة.")
    (claim,) = a.quantities
    assert (claim.low, claim.high, claim.category) == (150, 200, "fighters")


def test_source_from_the_verb_that_states_the_figure():
    a = run("أعلنت قيادة شرطة المثنى، الأحد، اعتقال 12 مطلوباً في حملة على أطراف السماوة.")
    (claim,) = a.quantities
    command = next(m for m in a.entities if m.type == "ORG")
    assert claim.source == (command.canonical or command.text)
    assert (claim.category, claim.kind) == ("arrested", "flow")
    body = ('وقال الناطق باسم البيشمركة العميد آزاد رشيد إن "المهاجمين انسحبوا نحو الجبال"، '
            "مؤكداً مقتل خمسة من المسلحين وإصابة اثنين من الحراس.")
    a = run(body)
    speaker = next(m for m in a.entities if m.text == "آزاد رشيد")
    killed = by_value(a)[5]
    assert killed.source == (speaker.canonical or speaker.text)
    assert killed.category == "killed"


def test_dual_nouns_get_their_category():
    a = run("وأعلن الجيش أن طائراته نفذت ضربتين على مواقع للمسلحين، أسفرتا عن مقتل عنصرين.")
    categories = sorted(q.category for q in a.quantities)
    assert categories == ["killed", "strikes"]


def test_anaphoric_others_take_the_event():
    a = run("وأدى الهجوم إلى مقتل أربعة جنود وإصابة ستة آخرين بجروح متفاوتة.")
    claims = by_value(a)
    assert claims[4].category in ("killed", "troops") and claims[6].category == "wounded"


def test_repeated_claim_takes_its_source():
    body = ("نقل 450 عائلة من مخيم الصحراء\n"
            "وقال مدير المخيم إن السلطات نقلت 450 عائلة إلى مدنها الأصلية خلال الشهر الجاري.")
    a = run(body)
    assert len(a.quantities) == 2
    assert a.quantities[0].source == a.quantities[1].source == "director of the camp"


def test_bare_document_is_no_source():
    a = run("وبحسب تقديرات اطلع عليها الموقع، تضم الشبكة 60 عنصراً على الأقل.")
    (claim,) = a.quantities
    assert claim.qualifier == "at_least" and claim.source is None
