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


# attributes of matched items: category, source, speaker, parent

from marsad.evaluate import ShareScore, category_right, same_source, source_right, what_head  # noqa: E402


def test_what_head_stops_at_the_first_preposition():
    assert what_head("ISIS members released so far") == "isis members released so far"
    assert what_head("Iraqis among ISIS prisoners in Hasakah") == "iraqis"
    assert what_head("countries (Russia, Iran) cooperating with Iraq") == "countries"


def test_category_is_judged_on_the_head_of_the_gold_what():
    assert category_right("ISIS members", "ISIS members held in Hasakah prisons")
    assert category_right("released", "ISIS members released so far")
    assert category_right("fighters", "militants killed by the air force")
    assert category_right("killed", "militants killed by the air force")
    assert category_right("Iraqis", "Iraqis among ISIS prisoners")
    assert category_right("strikes", "airstrikes by the air force")
    assert not category_right("ISIS members", "Iraqis among ISIS prisoners")  # ISIS is outside the head
    assert not category_right("persons", "infiltrators in the armed group")
    assert not category_right("countries", None)
    assert category_right(None, None)


def test_sources_compare_by_name_or_by_kind():
    assert same_source("Hamid al-Shatri", "Hamid al-Shatri")
    assert same_source("al-Shatri", "Hamid al-Shatri")  # a surname names the same person
    assert same_source("Joint Operations Command", "Iraqi Joint Operations Command")
    assert same_source("Iraqi Army", "Iraqi Army announcement")  # a body for its own statement
    assert same_source("security sources", "Iraqi security sources")
    assert same_source("official in the Iraqi Interior Ministry", "official in the Ministry of Interior")
    assert not same_source("security sources", "security officer")  # another kind of source
    assert not same_source("Ministry of Migration", "official in the Ministry of Migration")
    assert not same_source("Iraqi National Security Service", "Iraqi National Intelligence Service")
    assert not same_source("Iraqi", "Iraqi Army")  # a nationality alone names nothing
    assert same_source(None, None)
    assert not same_source("Iraqi Army", None) and not same_source(None, "Iraqi Army")


def test_source_read_through_entities():
    gold_entities = [{"text": "سامر الحلفي", "type": "PER", "canonical": "Samer al-Hilfi"}]
    # an Arabic speaker names the gold entity it contains
    assert source_right("اللواء سامر الحلفي", "Samer al-Hilfi", gold_entities)
    # NER spelled the name another way: the mention it came from is the gold entity
    pred_entities = [{"text": "سامر الحلفي", "type": "PER", "canonical": "Samir al-Halfi"}]
    assert source_right("Samir al-Halfi", "Samer al-Hilfi", gold_entities, pred_entities)
    assert not source_right("Samir al-Halfi", "Samer al-Hilfi", gold_entities, [])


def test_shares_of_matched_items_are_reported():
    body = ("وقال مسؤول أمني إن القوات اعتقلت 40 مطلوباً، بينهم 6 نساء. "
            "وأضاف أن الحملة مستمرة.")
    gold = {
        "entities": [],
        "quantities": [
            {"text": "40 مطلوباً", "value": 40, "qualifier": "exact", "what": "wanted suspects arrested",
             "source": "security official", "parent_text": None},
            {"text": "6 نساء", "value": 6, "qualifier": "exact", "what": "women among those arrested",
             "source": "security official", "parent_text": "40 مطلوباً"},
        ],
        "quotes": [{"speaker": "security official", "text_start": "القوات اعتقلت 40 مطلوباً"},
                   {"speaker": "security official", "text_start": "الحملة مستمرة"}],
    }
    at = body.find
    pred = {
        "quantities": [
            {"text": "40 مطلوباً", "start": at("40"), "end": at("40") + 10, "value": 40, "qualifier": "exact",
             "what": "arrested", "source": "security official", "parent": None},
            {"text": "6 نساء", "start": at("6 نساء"), "end": at("6 نساء") + 6, "value": 6, "qualifier": "exact",
             "what": "children", "source": None, "parent": 0},
        ],
        "quotes": [
            {"speaker": "security official", "start": at("القوات"), "end": at("نساء") + 4},
            {"speaker": "Ministry of Interior", "start": at("الحملة"), "end": at("مستمرة") + 6},
        ],
    }
    report = Report()
    score_document(body, pred, gold, report, "doc")
    f = report.fields
    assert (f["quantities: category right"].tp_gold, f["quantities: category right"].gold) == (1, 2)
    assert (f["quantities: source right"].tp_gold, f["quantities: source right"].gold) == (1, 2)
    assert (f["quantities: parent right"].tp_gold, f["quantities: parent right"].gold) == (2, 2)
    assert (f["quotes: speaker right"].tp_gold, f["quotes: speaker right"].gold) == (1, 2)
    spoken = f["quotes (span+speaker)"]
    assert (spoken.tp_gold, spoken.gold, spoken.tp_pred, spoken.predicted) == (1, 2, 1, 2)
    row = f["quotes: speaker right"].as_dict()
    assert row["share"] == 0.5 and row["right"] == 1 and row["matched"] == 2 and row["f1"] == 0.5
    assert ShareScore("empty").as_dict()["share"] is None
