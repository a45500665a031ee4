"""Event extraction on short original sentences, one phenomenon each (all names and incidents are
invented; places and organisations are real)."""

import datetime as dt
import json
from pathlib import Path

import pytest

from marsad.evaluate import Report, score_document
from marsad.pipeline import Pipeline
from marsad.records import EVENT_TYPES, to_contract
from tests.conftest import make_doc

PIPE = Pipeline()
PUBLISHED = dt.date(2025, 5, 2)


def run(body, published=PUBLISHED):
    return PIPE(make_doc(body, published))


def events(body, published=PUBLISHED):
    a = run(body, published)
    for e in a.events:
        assert body[e.start:e.end] == e.trigger
        assert e.type in EVENT_TYPES
    return a.events


def only(body, etype):
    found = [e for e in events(body) if e.type == etype]
    assert len(found) == 1, [(e.type, e.trigger) for e in events(body)]
    return found[0]


# ── one sentence per event type, with its PLOVER category ──────────────────────────────────

TYPES = [
    ("فجّر انتحاري حزاماً ناسفاً وسط سوق شعبي في كركوك مساء الخميس.", "ATTACK", "فجّر", "ASSAULT"),
    ("واختطف مسلحون مجهولون سائق شاحنة على الطريق الدولي قرب الرطبة.", "ATTACK", "اختطف", "ASSAULT"),
    ("أسفر انفجار عبوة ناسفة عن مقتل سبعة مدنيين في سوق المدينة.", "KILL", "مقتل", "ASSAULT"),
    ("وأعدمت السلطات ثلاثة مدانين بتهم إرهابية.", "KILL", "أعدمت", "ASSAULT"),
    ("شنت طائرات التحالف الدولي غارتين على مخبأ للتنظيم في صحراء الأنبار.", "AIRSTRIKE", "غارتين", "ASSAULT"),
    ("ونفذت طائرات القوة الجوية العراقية ثلاث ضربات على أوكار التنظيم.", "AIRSTRIKE", "ضربات", "ASSAULT"),
    ("اعتقلت قوات سوريا الديمقراطية خمسة عناصر من تنظيم داعش في بلدة الشحيل.", "ARREST", "اعتقلت", "COERCE"),
    ("وأصدرت محكمة الجنايات المركزية مذكرات قبض بحق ثلاثين متهماً.", "ARREST", "مذكرات قبض", "COERCE"),
    ("وأحيلت المتهمات إلى القضاء فور وصولهن إلى المطار.", "ARREST", "أحيلت", "COERCE"),
    ("أفرجت الحكومة العراقية عن أربعين محتجزاً من سجن الناصرية.", "RELEASE", "أفرجت", "RETREAT"),
    ("وأصدرت الإدارة الذاتية عفواً عاماً عن مئات السجناء.", "RELEASE", "عفواً", "RETREAT"),
    ("اندلعت اشتباكات عنيفة بين قوات البيشمركة ومسلحين من داعش قرب مخمور.", "CLASH", "اشتباكات", "FIGHT"),
    ("ورصدت كاميرات الحراسة محاولة تسلل لمجموعة مسلحة قادمة من سوريا.", "INFILTRATION", "تسلل", "MOBILIZE"),
    ("واجتمع وزير الداخلية العراقي بنظيره التركي في أنقرة.", "MEETING", "اجتمع", "CONSULT"),
    ("ووقع العراق والأردن مذكرة تفاهم لتبادل المعلومات الأمنية.", "AGREEMENT", "وقع", "COOPERATE"),
    ("واتفقت بغداد وأنقرة على تشكيل لجنة مشتركة لمراقبة الحدود.", "AGREEMENT", "اتفقت", "COOPERATE"),
    ("ونفت وزارة الدفاع السورية تعرض مواقعها لأي قصف.", "STATEMENT", "نفت", None),
    ("وأعادت الحكومة العراقية 150 عائلة من مخيم الهول إلى الأنبار.", "REPATRIATION", "أعادت", "AID"),
    ("وتسلمت السلطات التونسية دفعة من النساء والأطفال من مخيم روج.", "REPATRIATION", "تسلمت", "AID"),
    ("وجندت الخلية أربعة شبان من القرى المجاورة مقابل المال.", "RECRUITMENT", "جندت", "MOBILIZE"),
    ("والتحق أكثر من مئة شاب من المدينة بالجماعات المسلحة في سوريا.", "TRAVEL_TO_FIGHT", "التحق", "MOBILIZE"),
    ("وضبطت مفارز الشرطة مستودعاً يضم أسلحة وعبوات ناسفة في الطارمية.", "SEIZURE", "ضبطت", "COERCE"),
    ("وسيطر مسلحو التنظيم على معبر حدودي مهجور ليلة الجمعة.", "SEIZURE", "سيطر", "COERCE"),
    ("وفرضت السلطات المحلية في سامراء حظر تجوال شاملاً.", "SECURITY_MEASURE", "حظر تجوال", "COERCE"),
    ("ورفعت قيادة العمليات المشتركة حالة التأهب على الشريط الحدودي.", "SECURITY_MEASURE", "التأهب", "MOBILIZE"),
    ("ونشرت الوزارة ثلاثة أفواج إضافية على طريق المطار.", "SECURITY_MEASURE", "نشرت", "MOBILIZE"),
]


@pytest.mark.parametrize(("body", "etype", "in_trigger", "plover"), TYPES)
def test_each_event_type(body, etype, in_trigger, plover):
    event = only(body, etype)
    assert in_trigger in event.trigger or event.trigger in in_trigger
    assert event.plover == plover
    assert event.modality == "asserted"


def test_every_event_type_has_a_sentence():
    assert {etype for _, etype, _, _ in TYPES} == set(EVENT_TYPES)


# ── context words decide between readings, and blocking phrases ───────────────────────────


@pytest.mark.parametrize("body", [
    "وأقيمت نقطة تفتيش جديدة عند مدخل المدينة.",  # a checkpoint is a place
    "ودعا المجلس إلى الإسراع في إعادة الإعمار في المناطق المحررة.",  # rebuilding, not repatriation
    "ونشرت الوزارة بياناً مطولاً حول نتائج الانتخابات.",  # publishing a statement is no deployment
    "ووصل وفد البنك الدولي إلى بغداد صباحاً.",  # an arrival is no repatriation convoy
    "وأصدرت المحكمة حكماً بإعدام خمسة مدانين.",  # a sentence is not an execution
    "وقال إن بعضهم شارك في معارك الموصل قبل سنوات.",  # a named battle of the past
    "وتحتجز قوات سوريا الديمقراطية في سجونها آلاف العناصر.",  # a state, not an event
])
def test_no_event(body):
    assert events(body) == []


def test_strikes_need_aircraft_nearby():
    assert only("وأعلن الجيش أن طائرات مسيرة نفذت ضربتين على مواقع المسلحين.", "AIRSTRIKE").trigger == "ضربتين"
    assert [e for e in events("وتلقى الفريق ضربة قوية بخسارة المباراة.") if e.type == "AIRSTRIKE"] == []


def test_repatriation_needs_returnees_nearby():
    convoy = only("وانطلقت صباح الثلاثاء قافلة تقل 90 عائلة من مخيم الهول باتجاه العراق.", "REPATRIATION")
    assert convoy.trigger.startswith("انطلقت")
    assert [e for e in events("وانطلقت صباح الثلاثاء أعمال المؤتمر الاقتصادي في البصرة.")
            if e.type == "REPATRIATION"] == []


# ── modality ──────────────────────────────────────────────────────────────────────────────


def test_denial_is_a_statement_and_denies_what_it_governs():
    found = {e.type: e for e in events("ونفت قيادة شرطة نينوى اعتقال أي صحفي خلال الاحتجاجات في الموصل.")}
    assert found["STATEMENT"].modality == "asserted"
    assert found["STATEMENT"].actors
    assert found["ARREST"].modality == "denied"


def test_negation():
    assert only("لم تعتقل الشرطة أياً من المشتبه بهم حتى الآن.", "ARREST").modality == "denied"


@pytest.mark.parametrize(("body", "etype"), [
    ("ومن المقرر أن تعقد اللجنة الأمنية اجتماعاً في أربيل الأسبوع المقبل.", "MEETING"),
    ("وستقوم القوات الأمنية بنشر ألف عنصر إضافي على الحدود.", "SECURITY_MEASURE"),
    ("وسيتم ترحيل مئتي عائلة من المخيم إلى العراق الشهر المقبل.", "REPATRIATION"),
    ("وسوف تفرض السلطات حظر تجوال في المدينة.", "SECURITY_MEASURE"),
    ("وتتوقع الأجهزة الأمنية تصاعد الهجمات خلال فصل الصيف.", "ATTACK"),
    ("وأكد أن الشرطة ستعتقل كل من يثبت تورطه.", "ARREST"),
    ("وقال إن هناك لجنة مشتركة ستشكل بين البلدين.", "AGREEMENT"),
])
def test_expected_or_planned(body, etype):
    assert only(body, etype).modality == "expected"


@pytest.mark.parametrize(("body", "etype"), [
    ("وفي حال شن التنظيم هجوماً جديداً ستتدخل القوات الجوية.", "ATTACK"),
    ("وإذا تسلل المسلحون عبر الساتر فستتعامل معهم القوات.", "INFILTRATION"),
    ("وحذر مسؤول محلي من أن الخلايا قد تستهدف محطات الكهرباء.", "ATTACK"),
    ("ونشرت القوات كاميرات حرارية خشية تسلل عناصر من الجانب الآخر.", "INFILTRATION"),
    ("ويبقى آلاف الأطفال في المخيم عرضة للتجنيد.", "RECRUITMENT"),
])
def test_hypothetical(body, etype):
    assert only(body, etype).modality == "hypothetical"


def test_qad_with_a_perfect_verb_is_asserted():
    assert only("وكانت السلطات قد أغلقت منفذ ربيعة الحدودي قبل يومين.", "SECURITY_MEASURE").modality == "asserted"


def test_a_result_clause_keeps_a_planned_attack_asserted():
    body = "وكان مطلوباً بتهمة التخطيط لهجوم أودى بحياة ستة من عناصر الشرطة."
    assert only(body, "ATTACK").modality == "asserted"
    body = "واعترف الموقوفون بالتخطيط لاستهداف أبراج الكهرباء في المنطقة."
    assert only(body, "ATTACK").modality == "expected"


def test_coordinated_events_share_the_call():
    found = events("ودعا المحافظ إلى نشر منظومات مراقبة على الطرق الصحراوية وتكثيف الطلعات الجوية الليلية.")
    assert {e.type for e in found} == {"SECURITY_MEASURE", "AIRSTRIKE"}
    assert {e.modality for e in found} == {"hypothetical"}


def test_modality_stops_at_the_clause():
    found = {e.type: e for e in events("ولم تعلق الوزارة على الحادث، واعتقلت الشرطة لاحقاً سائق الشاحنة.")}
    assert found["ARREST"].modality == "asserted"


# ── arguments ─────────────────────────────────────────────────────────────────────────────


def test_verb_subject_actor_target_place_time():
    body = "اعتقلت قوات سوريا الديمقراطية خمسة عناصر من تنظيم داعش في بلدة الشحيل يوم 3 نيسان/أبريل 2025."
    e = only(body, "ARREST")
    assert e.actors == ["Syrian Democratic Forces"]
    assert e.targets == ["ISIS"]
    assert e.where and "Shuhayl" in e.where
    assert e.when == "2025-04-03"


def test_subject_before_the_verb():
    e = only("وقالت مصادر محلية إن قوات البيشمركة اعتقلت ثلاثة مهربين قرب الحدود.", "ARREST")
    assert e.actors == ["Peshmerga"]


def test_agent_after_min_qibal():
    e = only("وجرى إطلاق سراح عشرات المحتجزين من قبل قوات سوريا الديمقراطية.", "RELEASE")
    assert e.actors == ["Syrian Democratic Forces"]


def test_symmetric_events_list_all_participants():
    e = only("اندلعت اشتباكات بين قوات البيشمركة ومسلحين من داعش قرب مخمور.", "CLASH")
    assert set(e.actors) == {"Peshmerga", "ISIS"}
    assert e.targets == []


def test_states_can_act():
    e = only("ووقّع العراق والأردن مذكرة تفاهم لتبادل المعلومات الأمنية في عمّان.", "AGREEMENT")
    assert e.actors[:2] == ["Iraq", "Jordan"]
    assert e.where == "Amman"


def test_today_falls_back_to_publication_date():
    e = only("واعتقلت القوات الأمنية اليوم ثلاثة مطلوبين في حي الزهور.", "ARREST")
    assert e.when == "2025-05-02"
    assert e.plover == "COERCE"


def test_no_date_without_today():
    assert only("واعتقلت القوات الأمنية ثلاثة مطلوبين في حي الزهور.", "ARREST").when is None
    # "اليوم" in an outlet's name is not today
    e = only('وقال مصدر لـ"الشرق اليوم" إن القوات اعتقلت ثلاثة مطلوبين.', "ARREST")
    assert e.when is None


def test_source_is_the_speaker_of_the_quote():
    body = 'وقال قائد شرطة كركوك العميد سامر الحديدي إن "قواتنا اعتقلت ستة مطلوبين في حي الواسطي".'
    a = run(body)
    (arrest,) = [e for e in a.events if e.type == "ARREST"]
    assert a.quotes and arrest.source == a.quotes[0].speaker
    assert arrest.source


# ── one event per instance ────────────────────────────────────────────────────────────────


def test_two_triggers_of_one_attack_make_one_event():
    body = "وقُتل ثلاثة جنود في هجوم مسلح استهدف دورية للجيش العراقي قرب بيجي."
    attacks = [e for e in events(body) if e.type == "ATTACK"]
    assert len(attacks) == 1
    assert attacks[0].trigger == "هجوم مسلح استهدف"


def test_a_later_definite_mention_refers_back():
    body = ("وشن مسلحون هجوماً على نقطة للشرطة في قضاء الخالص مساء الأحد. "
            "وأسفر الهجوم عن إصابة شرطيين. ويعد هذا الهجوم الثالث منذ مطلع الشهر.")
    assert [e.type for e in events(body)] == ["ATTACK"]


def test_the_same_event_named_twice_in_a_sentence():
    body = "وعقد الوزيران اجتماعاً في بغداد، وتناول الاجتماع أمن الحدود المشتركة."
    assert [e.type for e in events(body)] == ["MEETING"]


def test_a_strike_that_targets_is_one_airstrike():
    found = events("وأضاف أن طائرات التحالف الدولي نفذت ضربتين استهدفتا مواقع للمسلحين في عمق الجبل.")
    assert [e.type for e in found] == ["AIRSTRIKE"]


def test_coordinated_measures_are_two_events():
    body = "وعززت القوات العراقية انتشارها على الشريط الحدودي، ونصبت كمائن ليلية في المناطق الصحراوية."
    assert [e.type for e in events(body)] == ["SECURITY_MEASURE", "SECURITY_MEASURE"]


def test_two_different_attacks_stay_apart():
    body = "شن مسلحون هجوماً على قرية زراعية، ثم عادوا لتنفيذ هجوم ثان على نقطة أمنية قريبة."
    assert [e.type for e in events(body)] == ["ATTACK", "ATTACK"]


def test_an_elaboration_after_a_comma_is_the_same_convoy():
    body = "وغادرت 120 عائلة مخيم الهول صباح الثلاثاء، في أحدث دفعة من العائدين إلى العراق."
    assert [e.type for e in events(body)] == ["REPATRIATION"]


def test_habitual_imperfect_is_no_event():
    assert events("وتعتقل الأجهزة الأمنية عادة عشرات المطلوبين كل شهر.") == []


# ── own reports with gold events (tests/extract/data/events, written for these tests) ─────

DATA = Path(__file__).parent / "data" / "events"


def test_own_reports_event_f1():
    """Type+trigger F1 of the events asserted as having happened, scored like ``marsad eval``
    (gold codes no planned, feared or denied events)."""
    report = Report()
    golds = sorted(DATA.glob("*.json"))
    assert len(golds) >= 4
    for path in golds:
        gold = json.loads(path.read_text(encoding="utf-8"))
        body = path.with_suffix(".txt").read_text(encoding="utf-8")
        predicted = to_contract(run(body, dt.date.fromisoformat(gold["published"])))
        predicted["events"] = [e for e in predicted["events"] if e["modality"] == "asserted"]
        score_document(body, predicted, gold, report, path.stem)
    score = report.fields["events (type+trigger)"]
    assert score.f1 >= 0.85, score.as_dict()
