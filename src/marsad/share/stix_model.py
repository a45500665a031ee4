"""The STIX 2.1 vocabulary Marsad speaks: deterministic ids, TLP 2.0 markings, custom types.

Everything here is data or tiny pure functions so the exporter, the importer and the TAXII
server agree on one definition (docs/stix-taxii.md has the mapping table).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from stix2.properties import (
    BooleanProperty,
    FloatProperty,
    IntegerProperty,
    ListProperty,
    ReferenceProperty,
    StringProperty,
)
from stix2.v21 import CustomObject, MarkingDefinition

from marsad.ids import stable_id
from marsad.records import TLP_LEVELS
from marsad.share import tlp

# ---------------------------------------------------------------------------- ids
# uuid5 under a fixed namespace: exporting the same store twice (or a store rebuilt from an
# import) gives the same STIX ids, so partners deduplicate on id + modified.
NAMESPACE = uuid.UUID("6d1c0a52-5b0e-5d0f-9a57-4d4152534144")  # fixed for Marsad; never change


def stix_id(stix_type: str, kind: str, key: str) -> str:
    """``report--<uuid5>`` for (kind, key), e.g. ("document", doc.id)."""
    return f"{stix_type}--{uuid.uuid5(NAMESPACE, f'{kind}:{key}')}"


def report_id(doc_id: str) -> str:
    return stix_id("report", "document", doc_id)


def organisation_id(name: str) -> str:
    return stix_id("identity", "organisation", name)


def record_id(stix_type: str, doc_id: str, kind: str, position: int) -> str:
    # position = index in Store.get_analysis order, which is stable (start, end, idx)
    return stix_id(stix_type, kind, f"{doc_id}:{position}")


# ---------------------------------------------------------------------------- TLP 2.0
# stix2 3.0 ships only the TLP 1.0 constants (TLP_WHITE…).  These are the official TLP 2.0
# marking definitions of the OASIS extension (cti-stix-common-objects,
# extension-definition-specifications/tlp-2.0): the ids and the created timestamp are fixed
# by that schema, so every STIX tool recognises them.
TLP2_EXTENSION = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"
TLP2_CREATED = "2022-10-01T00:00:00.000Z"
TLP2_IDS: dict[str, str] = {
    "CLEAR": "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
    "GREEN": "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
    "AMBER": "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
    "AMBER+STRICT": "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
    "RED": "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
}
# TLP 1.0 markings (stix2.TLP_WHITE…) read on import, mapped as FIRST's TLP 2.0 text says.
TLP1_IDS: dict[str, str] = {
    "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9": "CLEAR",  # TLP:WHITE
    "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da": "GREEN",
    "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82": "AMBER",
    "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed": "RED",
}
TLP_BY_MARKING: dict[str, str] = {**{v: k for k, v in TLP2_IDS.items()}, **TLP1_IDS}


def tlp_marking(level: str) -> MarkingDefinition:
    """The official TLP 2.0 marking-definition object for a Marsad level ("AMBER+STRICT")."""
    return MarkingDefinition(
        id=TLP2_IDS[level],
        created=TLP2_CREATED,
        name=f"TLP:{level}",
        extensions={TLP2_EXTENSION: {"extension_type": "property-extension",
                                     "tlp_2_0": level.lower()}},
    )


def tlp_rank(level: str) -> int:
    return TLP_LEVELS.index(level)


def strictest(levels: Any) -> str:
    return tlp.strictest(levels).value


# ---------------------------------------------------------------------------- armed groups
# Rule (docs/stix-taxii.md): an ORG entity is exported as a threat-actor when it is one of
# these entries of lang/ar/aliases.tsv — non-state armed groups designated as terrorist
# organisations by the UN Security Council, the US State Department (FTO list) or the EU.
# States' forces, militias inside state structures (PMF, Peshmerga) and parties stay identities.
ARMED_GROUP_KEYS: tuple[str, ...] = (
    "isis", "isis_k", "al_qaeda", "aqap", "nusra", "hts", "hurras_al_din", "hezbollah",
    "hamas", "houthis", "kataib_hezbollah", "aah", "pkk",
)
ARMED_GROUP_IDS: frozenset[str] = frozenset(stable_id("ORG", key) for key in ARMED_GROUP_KEYS)
ARMED_GROUP_CANONICALS: frozenset[str] = frozenset({
    "ISIS", "ISIS-Khorasan", "al-Qaeda", "al-Qaeda in the Arabian Peninsula", "al-Nusra Front",
    "Hay'at Tahrir al-Sham", "Hurras al-Din", "Hezbollah", "Hamas", "Houthis (Ansar Allah)",
    "Kata'ib Hezbollah", "Asa'ib Ahl al-Haq", "Kurdistan Workers' Party (PKK)",
})


def is_armed_group(entity_id: str, canonical: str | None) -> bool:
    return entity_id in ARMED_GROUP_IDS or (canonical or "") in ARMED_GROUP_CANONICALS


# ---------------------------------------------------------------------------- custom objects
# Events, claims and quotes have no STIX 2.1 counterpart that keeps their fields (a Note or an
# Opinion is free text about other objects), so they are custom objects with the "x-marsad-"
# prefix, registered with stix2 so that every property is type-checked on export and import.
# Every record keeps its span into the report's x_marsad_body and points back to its report.

def _report_ref() -> ReferenceProperty:
    return ReferenceProperty(valid_types="report", spec_version="2.1")


_SPAN = [
    ("report_ref", _report_ref()),
    ("doc_id", StringProperty(required=True)),
    ("start", IntegerProperty(required=True, min=0)),
    ("end", IntegerProperty(required=True, min=0)),
]


@CustomObject("x-marsad-claim", [
    *_SPAN,
    ("text", StringProperty(required=True)),
    ("value", FloatProperty(required=True)),
    ("low", FloatProperty()),
    ("high", FloatProperty()),
    ("qualifier", StringProperty(required=True)),
    ("what", StringProperty()),
    ("category", StringProperty()),
    ("where", StringProperty()),
    ("when", StringProperty()),
    ("source", StringProperty()),
    ("parent_ref", ReferenceProperty(valid_types="x-marsad-claim", spec_version="2.1")),
    ("kind", StringProperty(required=True)),
    ("marsad_confidence", FloatProperty(required=True)),
])
class MarsadClaim:
    """A quantity claim (records.Quantity): value or range, qualifier, what, where, when, who."""


@CustomObject("x-marsad-event", [
    *_SPAN,
    ("trigger", StringProperty(required=True)),
    ("event_type", StringProperty(required=True)),
    ("actors", ListProperty(StringProperty)),
    ("targets", ListProperty(StringProperty)),
    ("where", StringProperty()),
    ("when", StringProperty()),
    ("source", StringProperty()),
    ("modality", StringProperty(required=True)),
    ("plover", StringProperty()),
    ("marsad_confidence", FloatProperty(required=True)),
])
class MarsadEvent:
    """An event (records.Event): trigger span, type, actors, targets, place, time, PLOVER."""


@CustomObject("x-marsad-quote", [
    *_SPAN,
    ("text", StringProperty(required=True)),
    ("speaker", StringProperty()),
    ("cue", StringProperty()),
    ("speaker_kind", StringProperty()),
    ("channel", StringProperty()),
    ("direct", BooleanProperty(required=True)),
    ("marsad_confidence", FloatProperty(required=True)),
])
class MarsadQuote:
    """A quote or reported speech (records.Quote) with its speaker and cue verb."""


@CustomObject("x-marsad-place", [
    ("name", StringProperty(required=True)),
    ("x_marsad_id", StringProperty(required=True)),
    ("x_marsad_type", StringProperty(required=True)),
    ("x_marsad_canonical", StringProperty()),
    ("x_marsad_aliases", ListProperty(StringProperty)),
    ("x_marsad_geo_kind", StringProperty()),
    ("x_marsad_geonames_id", IntegerProperty()),
])
class MarsadPlace:
    """A place Marsad could not geocode: a STIX location needs coordinates, a region or a
    country, and Marsad would have to invent them."""


CUSTOM_TYPES: tuple[str, ...] = ("x-marsad-claim", "x-marsad-event", "x-marsad-quote", "x-marsad-place")


# ---------------------------------------------------------------------------- time
def stix_time(value: dt.datetime) -> dt.datetime:
    """Timezone-aware UTC (stix2 serialises microseconds when present, so nothing is lost)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


def parse_time(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(dt.UTC)


def format_time(value: dt.datetime) -> str:
    """STIX/TAXII timestamp with microseconds: '2024-01-02T03:04:05.123456Z'."""
    return stix_time(value).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
