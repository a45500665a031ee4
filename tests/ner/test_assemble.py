"""Model proposals assembled with the lexicon, and the shipped CRF back-end on an invented report."""

from __future__ import annotations

import pytest

from marsad.geo.keys import name_key
from marsad.ids import document_id
from marsad.ner import DEFAULT_BACKEND, default_backend, recognise
from marsad.ner.assemble import assemble
from marsad.ner.candidates import Candidate
from marsad.ner.lexicon import LexiconRecogniser
from marsad.ner.proposers import Proposal
from marsad.ner.tokens import words
from marsad.records import Analysis, Document, Mention
from marsad.registry import ner_backends


@pytest.fixture(scope="module")
def lexicon() -> LexiconRecogniser:
    return LexiconRecogniser()


def proposal(text: str, surface: str, kind: str, occurrence: int = 0) -> Proposal:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(surface, start + 1)
    return Proposal(start, start + len(surface), kind, 0.75)


def checked(text: str, mentions: list[Mention]) -> list[Mention]:
    for m in mentions:
        assert text[m.start:m.end] == m.text
    for a, b in zip(mentions, mentions[1:]):
        assert a.end <= b.start, f"{a.text!r} overlaps {b.text!r}"
    return mentions


def only(mentions: list[Mention], text: str) -> Mention:
    found = [m for m in mentions if m.text == text]
    assert len(found) == 1, f"{text!r} in {[(m.text, m.type) for m in mentions]}"
    return found[0]


def is_english(name: str | None) -> bool:
    return bool(name) and name.isascii() and any(ch.isalpha() for ch in name)


# --- assemble() with hand-made proposals -------------------------------------------------------


def test_a_proposal_overlapping_a_lexicon_candidate_is_not_duplicated(lexicon) -> None:
    text = "أعلن تنظيم داعش مسؤوليته عن الهجوم قرب الموصل."
    alone = checked(text, assemble(text, [], lexicon))
    for kind in ("ORG", "PER", "LOC"):
        mentions = checked(text, assemble(text, [proposal(text, "داعش", kind),
                                                 proposal(text, "قرب الموصل", "LOC")], lexicon))
        assert mentions == alone
    assert [(m.text, m.type, m.canonical) for m in alone] == [
        ("تنظيم داعش", "ORG", "ISIS"), ("الموصل", "LOC", "Mosul")]


def test_a_new_proposal_is_added_trimmed_of_its_proclitic(lexicon) -> None:
    text = "وصل وكريم الحداد أمس إلى وزالتين ثم إلى والكفرون."
    mentions = checked(text, assemble(text, [proposal(text, "وكريم الحداد", "PER"),
                                             proposal(text, "وزالتين", "LOC"),
                                             proposal(text, "والكفرون", "LOC")], lexicon))
    person = only(mentions, "كريم الحداد")
    assert person.type == "PER" and is_english(person.canonical) and person.confidence == 0.75
    unknown_place = only(mentions, "زالتين")
    assert unknown_place.type == "LOC" and is_english(unknown_place.canonical)
    assert unknown_place.lat is None  # not in the gazetteer: named, not geocoded
    assert only(mentions, "الكفرون").type == "LOC"  # و goes, the article stays


def test_a_proposed_gazetteer_place_is_geocoded(lexicon) -> None:
    text = "وصل الوفد إلى تلعفر صباحا."
    mentions = checked(text, assemble(text, [proposal(text, "تلعفر", "LOC")], lexicon, known=[]))
    place = only(mentions, "تلعفر")
    assert place.lat is not None and place.lon is not None and place.geo_kind


def test_a_proposal_naming_a_known_actor_gets_its_canonical(lexicon) -> None:
    text = "هاجمت داعش القرية."
    via_model = assemble(text, [proposal(text, "داعش", "ORG")], lexicon, known=[])
    via_lexicon = assemble(text, [], lexicon)
    assert [(m.text, m.canonical, m.entity_id) for m in via_model] == [
        (m.text, m.canonical, m.entity_id) for m in via_lexicon] == [
        ("داعش", "ISIS", via_lexicon[0].entity_id)]


def test_a_person_proposal_replaces_a_minor_place_only(lexicon) -> None:
    text = "التقى الوفد بالشيخ حسن كرمة في القرية."
    ws = words(text)
    k = next(i for i, w in enumerate(ws) if w.text == "كرمة")
    start = ws[k].start

    def place(minor: bool) -> Candidate:
        return Candidate(k, k, start, start + 4, "LOC", None, None, 0.85, place_key="كرمه",
                         minor_place=minor)

    person = proposal(text, "حسن كرمة", "PER")
    replaced = checked(text, assemble(text, [person], lexicon, known=[place(True)], ws=ws))
    assert [(m.text, m.type) for m in replaced] == [("حسن كرمة", "PER")]
    assert replaced[0].lat is None
    kept = checked(text, assemble(text, [person], lexicon, known=[place(False)], ws=ws))
    assert [(m.text, m.type) for m in kept] == [("كرمة", "LOC")]
    # only a person displaces it
    org = checked(text, assemble(text, [proposal(text, "حسن كرمة", "ORG")], lexicon,
                                 known=[place(True)], ws=ws))
    assert [(m.text, m.type) for m in org] == [("كرمة", "LOC")]


def test_a_person_proposal_replaces_a_minor_place_the_lexicon_found(lexicon) -> None:
    text = "التقى الوفد حسن الهول أمس."
    [cand] = lexicon.candidates(text)
    assert (cand.type, cand.minor_place) == ("LOC", True), "precondition: الهول is a minor place"
    mentions = checked(text, assemble(text, [proposal(text, "حسن الهول", "PER")], lexicon))
    assert [(m.text, m.type) for m in mentions] == [("حسن الهول", "PER")]


def test_proposals_of_fewer_than_two_letters_are_dropped(lexicon) -> None:
    text = "قال م. سالم إن الوفد وصل، و ب انتهى."
    lone_waw, lone_ba = text.index(" و ") + 1, text.index(" ب ") + 1
    proposals = [proposal(text, "م", "PER"), proposal(text, "م.", "PER"),
                 Proposal(lone_waw, lone_waw + 1, "ORG", 0.75), Proposal(lone_ba, lone_ba + 1, "LOC", 0.75),
                 proposal(text, "، ", "LOC"), proposal(text, "سالم", "PER")]
    mentions = checked(text, assemble(text, proposals, lexicon, known=[]))
    assert [(m.text, m.type) for m in mentions] == [("سالم", "PER")]


def test_a_surname_proposal_shares_the_full_name_entity(lexicon) -> None:
    text = "وصرح رائد العكيدي للصحفيين أمس. وأكد العكيدي أن الوضع مستقر."
    proposals = [proposal(text, "رائد العكيدي", "PER"), proposal(text, "العكيدي", "PER", 1)]
    full, surname = checked(text, assemble(text, proposals, lexicon))
    assert (full.text, surname.text) == ("رائد العكيدي", "العكيدي")
    assert surname.entity_id == full.entity_id and surname.canonical == full.canonical
    assert is_english(full.canonical)


def test_a_proposed_place_after_fused_lil_is_looked_up_without_it(lexicon) -> None:
    text = "توجه الوفد للموصل أمس."
    [mention] = checked(text, assemble(text, [proposal(text, "للموصل", "LOC")], lexicon, known=[]))
    assert mention.canonical == "Mosul" and mention.lat is not None


# --- the shipped model -------------------------------------------------------------------------


REPORT = (
    "قال وزير الداخلية العراقي نزار الكبيسي إن قوات الأمن أحبطت هجوما قرب الموصل صباح الاثنين. "
    "وأضاف الكبيسي أن التنسيق مستمر مع قوات سوريا الديمقراطية في دير الزور، وأن وفدا أمنيا "
    "توجه لدمشق ثم عاد، وبغداد تتابع الملف.\n"
    "وصرح رائد العكيدي مدير شرطة الحسكة للصحفيين أمس أن الدوريات مستمرة."
)


def analysis_of(body: str) -> Analysis:
    return Analysis(doc=Document(id=document_id(body), title="", body=body, source="test"))


@pytest.fixture(scope="module")
def report_mentions() -> list[Mention]:
    return checked(REPORT, recognise(analysis_of(REPORT), backend="crf"))


def test_default_backend_is_the_crf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MARSAD_NER", raising=False)
    assert default_backend() == DEFAULT_BACKEND == "crf"
    monkeypatch.setenv("MARSAD_NER", "lexicon")
    assert default_backend() == "lexicon"


def test_shipped_model_spans_and_types(report_mentions: list[Mention]) -> None:
    got = {(m.text, m.type) for m in report_mentions}
    assert {("نزار الكبيسي", "PER"), ("الكبيسي", "PER"), ("الموصل", "LOC"),
            ("قوات سوريا الديمقراطية", "ORG"), ("دير الزور", "LOC"), ("دمشق", "LOC"),
            ("بغداد", "LOC"), ("رائد العكيدي", "PER"), ("الحسكة", "LOC")} <= got
    # proclitics stay outside the spans
    assert not {"لدمشق", "وبغداد"} & {m.text for m in report_mentions}


def test_shipped_model_places_in_the_gazetteer_are_geocoded(report_mentions, lexicon) -> None:
    gazetteer = lexicon.gazetteer
    located = 0
    for m in report_mentions:
        if m.type != "LOC":
            continue
        key = name_key(m.text)
        if key in gazetteer or key.removeprefix("ال") in gazetteer:
            assert m.lat is not None and m.lon is not None and m.geo_kind, m
            located += 1
    assert located >= 5
    assert only(report_mentions, "دمشق").canonical == "Damascus"
    assert only(report_mentions, "بغداد").canonical == "Baghdad"


def test_shipped_model_persons(report_mentions: list[Mention]) -> None:
    persons = [m for m in report_mentions if m.type == "PER"]
    assert persons and all(is_english(m.canonical) for m in persons)
    minister = only(report_mentions, "نزار الكبيسي")
    assert minister.role and "interior minister" in minister.role
    surname = only(report_mentions, "الكبيسي")
    assert surname.entity_id == minister.entity_id and surname.canonical == minister.canonical
    assert only(report_mentions, "رائد العكيدي").entity_id != minister.entity_id
    assert only(report_mentions, "قوات سوريا الديمقراطية").canonical == "Syrian Democratic Forces"


def test_shipped_model_adds_what_the_lexicon_misses() -> None:
    lexicon_only = {m.text for m in recognise(analysis_of(REPORT), backend="lexicon")}
    assert "رائد العكيدي" not in lexicon_only  # found by the model alone


def test_registry_and_entry_point_agree(report_mentions, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MARSAD_NER", raising=False)
    assert recognise(analysis_of(REPORT)) == report_mentions
    assert ner_backends.get("crf").recognise_text(REPORT) == report_mentions


def test_shipped_model_on_text_without_entities_and_empty_text() -> None:
    assert recognise(analysis_of("")) == []
    assert recognise(analysis_of("   \n ")) == []


def test_spokesman_with_a_compound_name() -> None:
    body = "قال المتحدث باسم قوات سوريا الديمقراطية فرهاد عبد الكريم إن القوات وصلت."
    names = {m.text for m in recognise(analysis_of(body), backend="crf") if m.type == "PER"}
    assert names == {"فرهاد عبد الكريم"}


def test_conjunction_after_a_title_is_not_a_name() -> None:
    body = "وصرح مدير شرطة الحسكة بأن الدوريات مستمرة."
    assert not [m for m in recognise(analysis_of(body), backend="crf") if m.type == "PER"]
