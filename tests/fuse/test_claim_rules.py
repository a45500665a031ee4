"""Comparability rules for claims that depend on time and on what a generic count is about:
year-only dates, slowly changing populations (update, not contradiction), and "persons" of one
dated incident. Pure stage on invented figures, then the same rules end to end on short
invented reports (our own sentences)."""

from __future__ import annotations

import datetime as dt

import pytest

from marsad.fuse.claims import Claim, GroupIndex, Spot, comparable, verdict

HOL = Spot("al-Hol camp", 36.39, 41.15, "camp")
HASAKAH = Spot("Al-Hasakah", 36.50, 40.75, "city")


def claim(key: str, value: float, published: dt.date, *, when: str | None = None, category: str = "families",
          kind: str = "stock", qualifier: str = "exact", place: Spot | None = HOL, source: str = "s",
          report_places: tuple[Spot, ...] = ()) -> Claim:
    return Claim(key=key, doc_id=key.split(":")[0], category=category, kind=kind, value=value, qualifier=qualifier,
                 place=place.name if place else None, lat=place.lat if place else None,
                 lon=place.lon if place else None, place_kind=place.kind if place else None, when=when,
                 published=published, source=source, outlet=key.split(":")[0], report_places=report_places)


def groups(claims: list[Claim]) -> list[set[str]]:
    index = GroupIndex()
    for c in claims:
        index.place(c, "g-" + c.key)
    return sorted(({c.key for c in members} for members in index.members.values()), key=sorted)


MAY20 = dt.date(2025, 5, 20)


def test_a_year_only_figure_is_not_set_against_a_days_figure():
    today = claim("r1:0", 150, MAY20, when="2025-05-20")
    this_year = claim("r2:0", 300, dt.date(2025, 5, 21), when="2025", qualifier="approx")
    assert not comparable(today, this_year)
    # annual tallies of the same year are compared; of different years they are not
    tally = claim("r3:0", 310, dt.date(2025, 6, 1), when="2025", qualifier="approx")
    assert comparable(this_year, tally)
    assert not comparable(this_year, claim("r4:0", 310, dt.date(2025, 6, 1), when="2024", qualifier="approx"))


def test_a_slowly_changing_population_months_apart_corroborates_or_is_updated():
    autumn = claim("r1:0", 9000, dt.date(2024, 10, 22), category="fighters", qualifier="approx", place=None,
                   report_places=(HASAKAH,))
    spring = claim("r2:0", 9000, dt.date(2025, 3, 15), category="ISIS members", qualifier="approx", place=None,
                   report_places=(HASAKAH,))
    assert comparable(autumn, spring)  # 144 days apart, within the update window (180)
    v = verdict([autumn, spring])
    assert v.status == "corroborated" and not v.updated
    # a different count months later is a new state, not a contradiction: not grouped with it
    later = claim("r3:0", 6000, dt.date(2025, 3, 15), category="ISIS members", place=None,
                  report_places=(HASAKAH,))
    assert not comparable(autumn, later)
    # ... but within the stock window two different counts do contradict each other
    close = claim("r4:0", 6000, dt.date(2025, 4, 1), category="ISIS members", place=None, report_places=(HASAKAH,))
    assert comparable(spring, close) and verdict([spring, close]).status == "contradicted"
    # beyond the update window nothing is compared
    assert not comparable(autumn, claim("r5:0", 9000, dt.date(2025, 6, 30), category="ISIS members",
                                        qualifier="approx", place=None, report_places=(HASAKAH,)))
    # other categories keep their window: flows of released prisoners months apart never meet
    assert not comparable(claim("r6:0", 300, dt.date(2024, 10, 22), category="released", kind="flow"),
                          claim("r7:0", 300, dt.date(2025, 1, 22), category="released", kind="flow"))


def test_a_drifting_chain_is_an_update_not_a_contradiction():
    # about 7000 in January, 8000 in April (agrees with both its neighbours), 9500 in June: the
    # first and last disagree, but only across months
    jan = claim("r1:0", 7000, dt.date(2025, 1, 10), category="detainees", qualifier="approx")
    apr = claim("r2:0", 8000, dt.date(2025, 4, 1), category="detainees", qualifier="approx")
    jun = claim("r3:0", 9500, dt.date(2025, 6, 20), category="detainees", qualifier="approx")
    assert not comparable(jan, jun)
    assert groups([jan, apr, jun]) == [{"r1:0", "r2:0", "r3:0"}]
    v = verdict([jan, apr, jun])
    # judged by its latest state: June's figure alone, one source
    assert v.updated and v.status == "single" and len(v.agreeing) == 2
    june_too = claim("r4:0", 9600, dt.date(2025, 6, 22), category="detainees", qualifier="approx")
    v = verdict([jan, apr, jun, june_too])
    assert v.updated and v.status == "corroborated"
    # a disagreement within one state still contradicts, whatever the months around it
    june_low = claim("r5:0", 6000, dt.date(2025, 6, 22), category="detainees")
    assert verdict([jan, apr, jun, june_low]).status == "contradicted"


def test_persons_are_compared_only_as_the_people_of_one_dated_incident():
    convoy = claim("r1:0", 600, MAY20, when="2025-05-20", category="persons", qualifier="approx")
    arrival = claim("r2:0", 597, dt.date(2025, 5, 21), when="2025-05-20", category="persons", place=None,
                    report_places=(Spot("Jeddah camp", 35.83, 43.24, "camp"), HOL))
    assert comparable(convoy, arrival)
    # dated only by its report: not tied to the incident
    assert not comparable(convoy, claim("r3:0", 12, MAY20, category="persons"))
    # another day, or nowhere at all
    assert not comparable(convoy, claim("r4:0", 40, dt.date(2025, 5, 23), when="2025-05-23", category="persons"))
    assert not comparable(claim("r5:0", 5, MAY20, when="2025-05-20", category="persons", place=None),
                          claim("r6:0", 7, MAY20, when="2025-05-20", category="persons", place=None))
    # within one report, a repeated figure is the same figure even without its own date
    again = Claim(**{**{f: getattr(convoy, f) for f in convoy.__slots__}, "key": "r1:1", "when": None})
    assert comparable(convoy, again)


# ------------------------------------------------------------------ end to end, invented reports

REPORTS = [
    ("r-a", "2025-08-12", "وكالة النهرين",
     "غادرت فجر اليوم الثلاثاء مخيم الهول قافلة تقل 95 عائلة عراقية تضم قرابة 400 شخص، بحسب وزارة الهجرة."),
    ("r-b", "2025-08-13", "صحيفة الوادي",
     "غادرت مساء أمس الثلاثاء قافلة من مخيم الهول ضمت 96 عائلة عراقية تضم 410 أشخاص، وفق إدارة المخيم. "
     "ونُقل 12 شخصاً إلى مستشفى في الحسكة. وكانت قافلتان سابقتان خلال العام الجاري قد أعادتا نحو 200 عائلة."),
    ("r-c", "2025-01-10", "وكالة النهرين",
     "قال مسؤول في الإدارة الذاتية إن سجون الحسكة تضم قرابة 8 آلاف عنصر من داعش."),
    ("r-d", "2025-05-20", "صحيفة الوادي", "أكد مصدر أمني أن سجون الحسكة تضم نحو 8 آلاف عنصر من داعش."),
]


@pytest.fixture(scope="module")
def fused(tmp_path_factory):  # noqa: ANN001, ANN201
    from marsad.pipeline import Pipeline
    from marsad.records import Document
    from marsad.store import Store

    pipeline = Pipeline()
    store = Store.open(tmp_path_factory.mktemp("rules") / "fuse.db")
    store.save([pipeline(Document(id=i, title="", body=body, source=f"t/{i}.txt", outlet=outlet,
                                  published=dt.date.fromisoformat(day))) for i, day, outlet, body in REPORTS])
    store.fuse()
    yield store
    store.close()


def _group_of(store, doc: str, text: str) -> dict:  # noqa: ANN001
    for g in store.claim_groups(min_members=1, limit=1000):
        if any(v["doc_id"] == doc and text in v["text"] for v in g["values"]):
            return g
    raise AssertionError(f"no group holds {text!r} of {doc}")


def _members(group: dict) -> set[tuple[str, float]]:
    return {(v["doc_id"], v["value"]) for v in group["values"]}


def test_reports_families_and_persons_of_one_convoy_corroborate(fused):  # noqa: ANN001
    families = _group_of(fused, "r-a", "95 عائلة")
    assert _members(families) == {("r-a", 95.0), ("r-b", 96.0)}  # not the 200 of earlier convoys this year
    assert families["status"] == "corroborated"
    persons = _group_of(fused, "r-a", "400 شخص")
    assert _members(persons) == {("r-a", 400.0), ("r-b", 410.0)}  # not the 12 taken to hospital
    assert persons["status"] == "corroborated"


def test_reports_prisoners_counted_months_apart_corroborate(fused):  # noqa: ANN001
    held = _group_of(fused, "r-c", "8 آلاف")
    assert _members(held) == {("r-c", 8000.0), ("r-d", 8000.0)}
    assert held["status"] == "corroborated"
    assert held["updated"] is False  # agreeing months apart: a steady population, not an update
