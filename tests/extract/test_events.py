import datetime as dt

from marsad.pipeline import Pipeline
from tests.conftest import make_doc

PIPE = Pipeline()


def run(body, published=None):
    return PIPE(make_doc(body, published))


def test_event_types_and_modality():
    body = ("وشنت طائرات التحالف الدولي غارات على مواقع للتنظيم قرب الحدود. "
            "ونفت قوات سوريا الديمقراطية إطلاق سراح أي معتقل. "
            "ومن المقرر عقد اجتماع أمني في بغداد الأسبوع المقبل.")
    a = run(body)
    types = {e.type: e for e in a.events}
    assert {"AIRSTRIKE", "RELEASE", "MEETING"} <= set(types)
    assert types["RELEASE"].modality == "denied"
    assert types["MEETING"].modality == "expected"
    assert types["AIRSTRIKE"].modality == "asserted"
    for e in a.events:
        assert body[e.start:e.end] == e.trigger


def test_today_falls_back_to_publication_date():
    body = "واعتقلت القوات الأمنية اليوم ثلاثة مطلوبين في حي الزهور."
    a = run(body, dt.date(2025, 5, 2))
    (arrest,) = [e for e in a.events if e.type == "ARREST"]
    assert arrest.when == "2025-05-02"
    assert arrest.plover == "COERCE"
