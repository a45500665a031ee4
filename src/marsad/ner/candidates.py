"""A mention while it is being found: word indices plus what is known about it so far."""

from __future__ import annotations

from dataclasses import dataclass

from marsad.geo.resolve import Place


@dataclass(slots=True)
class Candidate:
    first: int  # index of the first word
    last: int  # index of the last word (inclusive)
    start: int  # character offsets into the document body
    end: int
    type: str
    canonical: str | None
    entity_key: str | None
    confidence: float
    role: str | None = None
    place_key: str | None = None  # LOC: the index key to geocode
    place: Place | None = None
    template: str | None = None  # ORG: template id of a bare national-body form
    country: str | None = None  # country the name itself points to (nisba, place)
    prefer_admin: bool = False  # LOC from "بادية حمص": take the governorate's point
    minor_place: bool = False  # LOC known only as towns/villages/districts: gives way to a name

    def overlaps(self, other: Candidate) -> bool:
        return self.start < other.end and other.start < self.end
