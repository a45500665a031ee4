from marsad.evaluate import FieldScore, Report, occurrences, score_document


def test_overlap_and_key_agreement():
    body = "أطلق سراح أكثر من 400 سجين ثم 180 فقط"
    gold = {"quantities": [{"text": "أكثر من 400 سجين", "value": 400, "qualifier": "at_least"},
                           {"text": "180 فقط", "value": 180, "qualifier": "only"}]}
    pred = {"quantities": [{"text": "400 سجين", "start": body.find("400"), "end": body.find("400") + 8,
                            "value": 400, "qualifier": "at_least"},
                           {"text": "180", "start": body.find("180"), "end": body.find("180") + 3,
                            "value": 180, "qualifier": "exact"}]}
    report = Report()
    score_document(body, pred, gold, report, "doc")
    value = report.fields["quantities (value)"]
    both = report.fields["quantities (value+qualifier)"]
    assert (value.tp_gold, value.gold, value.tp_pred, value.predicted) == (2, 2, 2, 2)
    assert (both.tp_gold, both.tp_pred) == (1, 1)
    assert both.f1 == 0.5


def test_field_score_edges():
    assert FieldScore("x").f1 == 1.0  # nothing expected, nothing predicted
    s = FieldScore("x", tp_pred=0, predicted=3, tp_gold=0, gold=0)
    assert s.precision == 0.0 and s.f1 == 0.0
    assert occurrences("ابا ابا", "ابا") == [(0, 3), (4, 7)]
