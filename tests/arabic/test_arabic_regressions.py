"""Regressions from the fuzz target and from the example-report evaluation (invented sentences)."""

import datetime as dt

import pytest

from marsad.arabic import find_dates, find_numbers

REF = dt.date(2023, 6, 20)


def _numbers(text):
    found = find_numbers(text)
    for m in found:
        assert 0 <= m.start <= m.end <= len(text)
        assert text[m.start:m.end] == m.text
    return [(m.text, m.value, m.qualifier) for m in found]


@pytest.mark.parametrize("text", [
    "استلم المخزن الثلاثمئة بضعة  فقط",  # fuzz: an after-qualifier reached past the next number
    "وزعت خمسمئة سلة عشرات تقريبا",
    "سجلت اثنتا عشر حالة عشرات على الأقل",
])
def test_qualifier_never_crosses_the_next_number(text):
    spans = [(m.start, m.end) for m in find_numbers(text)]
    assert all(s <= e for s, e in spans)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))


def test_after_qualifier_is_not_borrowed_by_the_following_number():
    assert _numbers("نجا ثلاثة صيادين فقط وأربعة آخرون") == [
        ("ثلاثة صيادين فقط", 3.0, "only"), ("وأربعة", 4.0, "exact")]


@pytest.mark.parametrize("text, span, value, qualifier", [
    ("وقال المسؤول إن عدد الزوار تجاوز 12 ألف زائر", "تجاوز 12 ألف", 12000.0, "at_least"),
    ("أرض زراعية يتجاوز طولها 40 كيلومتراً", "يتجاوز طولها 40", 40.0, "at_least"),
    ("صفقة تقارب 7.5 مليون يورو", "تقارب 7.5 مليون", 7500000.0, "approx"),
    ("ميزانية يقارب حجمها 300 ألف دينار", "يقارب حجمها 300 ألف", 300000.0, "approx"),
    ("ساحة لم يتجاوز عدد روادها 60 زائراً", "لم يتجاوز عدد روادها 60", 60.0, "at_most"),
    ("قاعة لا يتجاوز عدد مقاعدها 90 مقعداً", "لا يتجاوز عدد مقاعدها 90", 90.0, "at_most"),
    ("حضر قرابة ألفين من المشجعين", "قرابة ألفين", 2000.0, "approx"),
])
def test_verb_qualifiers(text, span, value, qualifier):
    assert _numbers(text)[0] == (span, value, qualifier)


def test_coordinated_scaled_figures_form_a_range():
    m = find_numbers("شارك ما بين ستة آلاف وثمانية آلاف متطوع في الحملة")[0]
    assert (m.text, m.value, m.low, m.high) == ("ما بين ستة آلاف وثمانية آلاف", 6000.0, 6000.0, 8000.0)
    # a scale followed by a smaller part is still one number
    assert _numbers("بلغت الحصيلة ستة آلاف وثمانمئة") == [("ستة آلاف وثمانمئة", 6800.0, "exact")]


def test_range_with_conjunction_clitic():
    m = find_numbers("تراوح عدد الضحايا بين سبعة وتسعة أشخاص")[0]
    assert (m.text, m.low, m.high) == ("بين سبعة وتسعة", 7.0, 9.0)


def test_construct_state_dual_scale_and_new_dual_noun():
    assert _numbers("خصصت الوزارة ملياري ريال للمشروع") == [("ملياري", 2e9, "exact")]
    assert _numbers("انطلقت قافلتين نحو الشمال") == [("قافلتين", 2.0, "exact")]


def _dates(text, ref=REF):
    return [(d.text, d.normalized) for d in find_dates(text, ref)]


def test_today_closing_a_quoted_name_is_not_a_date():
    assert _dates('وقال المتحدث لصحيفة "المساء اليوم" إن الطريق مغلق') == []
    assert _dates("وصل الوفد اليوم إلى الميناء") == [("اليوم", "2023-06-20")]


def test_ordinal_after_a_definite_noun_is_not_a_day():
    assert _dates("تستمر الحملة في الربع الثالث من شهر آب") == [("شهر آب", "2023-08")]
    assert _dates("في الأسابيع الثلاثة الأولى من تموز") == [("تموز", "2023-07")]
    assert _dates("في الثالث من تموز") == [("الثالث من تموز", "2023-07-03")]


def test_weekday_before_an_explicit_date_is_one_date():
    assert _dates("يبدأ المهرجان يوم الأحد 9/7/2023 في الحديقة") == [
        ("يوم الأحد 9/7/2023", "2023-07-09")]


@pytest.mark.parametrize("text, span, value", [
    ("تضاعفت الأسعار منذ مطلع العام الحالي", "مطلع العام الحالي", "2023"),
    ("تراجعت المبيعات منذ مطلع العام، كما قال التجار", "مطلع العام", "2023"),
    ("يفتتح الجسر في بداية العام المقبل", "بداية العام المقبل", "2024"),
    ("ينتهي العقد أواخر العام المقبل", "أواخر العام المقبل", "2024"),
])
def test_part_of_a_year_keeps_the_year_precision(text, span, value):
    # "early this year" does not say which month: the honest precision is the year
    assert _dates(text) == [(span, value)]
