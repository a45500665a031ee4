from __future__ import annotations

import datetime as dt
import os

import pytest
from sqlalchemy import create_engine, text

from marsad.records import Analysis, DateMatch, Document, Event, Mention, Quantity, Quote
from marsad.store import Store

# Invented text (not taken from any sample report).
BODY = (
    "أعلنَ المتحدث باسم وزارة الداخلية أن نحو ٣٥٠ شخصاً نُقلوا من مخيم الوادي إلى الحسكة، "
    "بينهم 40 طفلاً. وقال المتحدث: إن الأوضاع في المخيم مستقرة. "
    "وأضاف أن دورية اعتقلت خمسة مشتبهين في القامشلي يوم الاثنين."
)


def span(body: str, text: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = body.index(text, start + 1)
    return start, start + len(text)


def make_analysis(doc_id: str = "doc-1", body: str = BODY, *, title: str = "تقرير تجريبي",
                  published: dt.date | None = dt.date(2024, 11, 3), tlp: str = "GREEN",
                  outlet: str = "وكالة تجريبية") -> Analysis:
    doc = Document(id=doc_id, title=title, body=body, source=f"test/{doc_id}.txt", outlet=outlet,
                   published=published, url="https://example.org/x", tlp=tlp, owner="org-a",
                   ingested_at=dt.datetime(2024, 11, 4, 8, 30, tzinfo=dt.UTC))
    a = Analysis(doc=doc)
    if body is BODY:
        s, e = span(body, "الحسكة")
        a.entities.append(Mention(s, e, "الحسكة", "LOC", canonical="Al-Hasakah", lat=36.5, lon=40.7,
                                  geo_kind="city", geonames_id=173057))
        s, e = span(body, "القامشلي")
        a.entities.append(Mention(s, e, "القامشلي", "LOC", canonical="Qamishli"))
        s, e = span(body, "وزارة الداخلية")
        a.entities.append(Mention(s, e, "وزارة الداخلية", "ORG", role="ministry", confidence=0.9))
        s, e = span(body, "نحو ٣٥٠ شخصاً")
        a.quantities.append(Quantity(s, e, "نحو ٣٥٠ شخصاً", 350, qualifier="approx", what="شخصاً",
                                     category="displaced", where="الحسكة", when="2024-11",
                                     source="المتحدث باسم وزارة الداخلية", kind="flow"))
        s, e = span(body, "40 طفلاً")
        a.quantities.append(Quantity(s, e, "40 طفلاً", 40, what="طفلاً", category="children",
                                     where="الحسكة", parent=0))
        s, e = span(body, "يوم الاثنين")
        a.dates.append(DateMatch(s, e, "يوم الاثنين", "2024-11-04", relative=True))
        s, e = span(body, "اعتقلت")
        a.events.append(Event(s, e, "اعتقلت", "ARREST", actors=["دورية"], targets=["خمسة مشتبهين"],
                              where="القامشلي", when="2024-11-04", plover="ARREST"))
        s, e = span(body, "إن الأوضاع في المخيم مستقرة")
        a.quotes.append(Quote(s, e, "إن الأوضاع في المخيم مستقرة", "المتحدث", cue="وقال",
                              speaker_kind="person"))
    return a


#: e.g. postgresql+psycopg://user@/db?host=/tmp/pg&port=5432 — the store tests then also
#: run against that (emptied!) database.
PG_URL = os.environ.get("MARSAD_TEST_PG")


def _empty_postgres(url: str) -> None:
    from marsad.store.schema import metadata

    engine = create_engine(url)
    with engine.begin() as conn:
        metadata.drop_all(conn)
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path):
    if request.param == "postgresql":
        if not PG_URL:
            pytest.skip("set MARSAD_TEST_PG to run the store tests on PostgreSQL")
        _empty_postgres(PG_URL)
        s = Store.open(PG_URL)
    else:
        s = Store.open(tmp_path / "marsad.db")
    yield s
    s.close()


def is_sqlite(store: Store) -> bool:
    return store.url.startswith("sqlite")
