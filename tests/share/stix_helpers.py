"""Builders shared by the STIX and TAXII tests: small invented reports with known facts."""

from __future__ import annotations

import datetime as dt

from marsad.ids import document_id, stable_id
from marsad.records import Analysis, DateMatch, Document, Event, Mention, Quantity, Quote

# Invented text (not from any sample report).
BODY = (
    "قال العميد سامر الخطيب مدير شرطة الحسكة إن تنظيم داعش نقل نحو 300 عنصر إلى بلدة الشاي، "
    "بينهم 40 أجنبياً. وأضاف أن دورية من وزارة الداخلية اعتقلت خمسة مشتبهين في الحسكة."
)


def span(body: str, text: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = body.index(text, start + 1)
    return start, start + len(text)


def analysis(body: str = BODY, *, tlp: str = "GREEN", owner: str | None = "ACME",
             title: str = "تقرير تجريبي", published: dt.date | None = dt.date(2024, 11, 3),
             ingested: dt.datetime = dt.datetime(2024, 11, 4, 8, 30, 0, 123456, tzinfo=dt.UTC),
             facts: bool = True) -> Analysis:
    doc = Document(id=document_id(body), title=title, body=body, source="test/report.txt",
                   outlet="وكالة تجريبية", published=published, url="https://example.org/r",
                   tlp=tlp, owner=owner, ingested_at=ingested)
    a = Analysis(doc=doc)
    if not facts:
        return a
    s, e = span(body, "سامر الخطيب")
    a.entities.append(Mention(s, e, "سامر الخطيب", "PER", canonical="Samer al-Khatib",
                              role="director of Hasakah police",
                              entity_id=stable_id("PER", "samer al-khatib"), confidence=0.9))
    s, e = span(body, "الحسكة")
    a.entities.append(Mention(s, e, "الحسكة", "LOC", canonical="Al-Hasakah", lat=36.50237,
                              lon=40.74772, geo_kind="city", geonames_id=173811,
                              entity_id=stable_id("LOC", "al-hasakah"), confidence=0.85))
    s, e = span(body, "تنظيم داعش")
    a.entities.append(Mention(s, e, "تنظيم داعش", "ORG", canonical="ISIS",
                              entity_id=stable_id("ORG", "isis"), confidence=0.95))
    s, e = span(body, "الشاي")
    a.entities.append(Mention(s, e, "الشاي", "LOC", canonical="al-Shai",
                              entity_id=stable_id("LOC", "al-shai"), confidence=0.7))
    s, e = span(body, "وزارة الداخلية")
    a.entities.append(Mention(s, e, "وزارة الداخلية", "ORG", canonical="Ministry of Interior",
                              entity_id=stable_id("ORG", "ministry of interior"), confidence=0.95))
    s, e = span(body, "الحسكة", 1)
    a.entities.append(Mention(s, e, "الحسكة", "LOC", canonical="Al-Hasakah", lat=36.50237,
                              lon=40.74772, geo_kind="city", geonames_id=173811,
                              entity_id=stable_id("LOC", "al-hasakah"), confidence=0.85))
    s, e = span(body, "نحو 300 عنصر")
    a.quantities.append(Quantity(s, e, "نحو 300 عنصر", 300.0, "approx", what="عنصر",
                                 category="ISIS members", where="al-Shai",
                                 source="Samer al-Khatib", confidence=0.7))
    s, e = span(body, "40 أجنبياً")
    a.quantities.append(Quantity(s, e, "40 أجنبياً", 40.0, "exact", what="أجنبياً",
                                 category="foreigners", parent=0, low=None, high=None,
                                 kind="stock", confidence=0.6))
    s, e = span(body, "اعتقلت")
    a.events.append(Event(s, e, "اعتقلت", "ARREST", actors=["Ministry of Interior"], targets=[],
                          where="Al-Hasakah", when="2024-11-02", source="Samer al-Khatib",
                          plover="ARREST", confidence=0.65))
    s, e = span(body, "نقل")
    a.events.append(Event(s, e, "نقل", "TRAVEL_TO_FIGHT", actors=["ISIS"], targets=["x", "y"],
                          modality="expected", confidence=0.55))
    s, e = span(body, "تنظيم داعش نقل نحو 300 عنصر إلى بلدة الشاي")
    a.quotes.append(Quote(s, e, body[s:e], "Samer al-Khatib", cue="قال", speaker_kind="person",
                          direct=False, confidence=0.6))
    s, e = span(body, "خمسة")
    a.dates.append(DateMatch(s, e, "خمسة", "2024-11", relative=True, note="test"))
    return a


def body_variant(n: int) -> str:
    """A distinct report body (a different hash, hence a different document)."""
    return BODY + f" وذكر المصدر أن البلاغ رقم {n} سُجّل."
