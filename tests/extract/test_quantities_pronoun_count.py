"""A bare figure after عدد with a pronoun ("وعددها ستة") counts the group named before it, and a
predicate right after a figure ("في قبضة القوات") can say what it counts. Invented sentences."""

from marsad.pipeline import Pipeline
from tests.conftest import make_doc

PIPE = Pipeline()


def claims(body):
    return {q.value: q for q in PIPE(make_doc(body)).quantities}


def test_the_size_of_a_cell_in_custody_counts_the_arrested():
    q = claims("ونفى مدير الشرطة فرار أي متهم، مؤكداً أن الخلية كلها، وعددها ستة، في قبضة الأجهزة الأمنية.")[6]
    assert q.what == "الخلية"
    assert q.category == "arrested"
    assert q.kind == "stock"


def test_the_size_of_a_cell_without_a_predicate_counts_its_members():
    q = claims("وقال الضابط إن الخلية التي رصدت منذ أشهر وعددها سبعة كانت تتنقل بين القرى.")[7]
    assert q.category == "fighters"


def test_a_bare_figure_after_a_pronoun_count_without_a_group_is_not_a_claim():
    # no group noun before "وعددها": nothing says what the figure counts
    q = claims("وقالت الوزارة إن المشاريع متعثرة، وعددها تسعة.").get(9)
    assert q is None or q.category is None


def test_a_predicate_far_after_the_figure_does_not_govern_it():
    q = claims("وشارك في الاجتماع ستة عناصر من الحشد الشعبي قبل أن تعلن القوات أن المطلوبين في قبضة الأمن.")[6]
    assert q.category != "arrested"
