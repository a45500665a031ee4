"""What a figure counts, read from the word that governs it (lang/ar/quantity_governors.tsv),
and the place its own clause names. Invented sentences."""

from marsad.pipeline import Pipeline
from tests.conftest import make_doc

PIPE = Pipeline()


def claims(body):
    return {q.value: q for q in PIPE(make_doc(body)).quantities}


def test_group_left_prison_counts_the_released():
    # the counted noun says detainees; the clause says they left prison
    q = claims("وقال المسؤول إن المجموعة التي غادرت السجون صباح الأحد ضمت 75 محتجزاً فقط.")[75]
    assert q.category == "released"
    assert q.kind == "flow"
    assert q.qualifier == "only"


def test_detainees_without_a_release_stay_a_stock():
    q = claims("وقال المسؤول إن السجن المركزي يضم 75 محتجزاً من جنسيات مختلفة.")[75]
    assert q.category == "detainees"
    assert q.kind == "stock"


def test_bodies_count_the_dead():
    q = claims("وقال مصدر طبي إن المستشفى تسلم جثث ستة جنود مساء الجمعة.")[6]
    assert q.category == "killed"


def test_arrest_of_a_cell_counts_its_members_as_arrested():
    q = claims("أعلنت الشرطة القبض على شبكة مؤلفة من سبعة عناصر في حي النصر.")[7]
    assert q.category == "arrested"


def test_a_relative_clause_after_the_governor_has_its_own_verb():
    q = claims("أعلنت الشرطة القبض على قيادي الذي كان يدير 30 عنصراً في المنطقة.")[30]
    assert q.category == "fighters"


def test_things_are_not_recategorised():
    q = claims("وأعلنت القوات القبض على المطلوب ومعه ثلاث سيارات مفخخة.")[3]
    assert q.category != "arrested"


def test_place_is_taken_from_the_figure_clause_only():
    body = ("وقال مصدر في المستشفى إن المستشفى استقبل جثث أربعة جنود، مبيناً أن اثنين من الجرحى نقلوا إلى بغداد.")
    q = claims(body)[4]
    assert q.where is None  # Baghdad is where the wounded went, in another clause


def test_place_in_the_figure_clause_is_kept():
    q = claims("أفرجت السلطات عن 40 محتجزاً من سجن الحسكة المركزي يوم الخميس.")[40]
    assert q.where is not None and "asak" in q.where
