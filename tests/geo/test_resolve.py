"""Geocoder: candidates, prominence, traps from PROVENANCE.md, and context."""

from __future__ import annotations

import pytest

from marsad.geo import Gazetteer, GeoContext, distance_km
from marsad.geo.keys import name_key


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load()


def near(place, lat: float, lon: float, km: float = 10.0) -> bool:
    return place is not None and distance_km(place.lat, place.lon, lat, lon) <= km


def test_load_is_cached(gaz: Gazetteer) -> None:
    assert Gazetteer.load() is gaz
    assert len(gaz) > 50_000


def test_al_qaim_is_the_border_town_not_the_village(gaz: Gazetteer) -> None:
    place = gaz.resolve("القائم", GeoContext())
    assert place.country == "IQ" and near(place, 34.37, 41.09, km=15)


def test_al_hol_camp_and_town_despite_wof_spelling(gaz: Gazetteer) -> None:
    camp = gaz.resolve("مخيم الهول", GeoContext())
    assert camp.kind == "camp" and near(camp, 36.39, 41.15)
    assert gaz.resolve("الهول").country == "SY"


def test_ain_al_asad_is_the_airbase_not_the_lebanese_village(gaz: Gazetteer) -> None:
    for name in ("عين الأسد", "قاعدة عين الأسد"):
        place = gaz.resolve(name)
        assert place.kind == "base" and place.country == "IQ" and near(place, 33.80, 42.43)


def test_bare_capital_name_is_the_city_prefixed_is_the_governorate(gaz: Gazetteer) -> None:
    assert gaz.resolve("الحسكة").kind == "city"
    assert gaz.resolve("محافظة الحسكة").kind == "governorate"


def test_region_alt_name_equal_to_capital_is_dropped(gaz: Gazetteer) -> None:
    # Ninawa lists الموصل as an alt name in WOF; the index must not offer it for that key
    assert all(p.kind != "governorate" for p in gaz.candidates(name_key("الموصل")))


def test_countries_from_cldr_and_nisba_territory(gaz: Gazetteer) -> None:
    assert gaz.resolve("روسيا").name_en == "Russia"
    assert gaz.resolve("الأراضي السورية").kind == "country"
    assert gaz.resolve("بيلاروس").country == "BY"


def test_world_city_by_population(gaz: Gazetteer) -> None:
    assert gaz.resolve("موسكو").country == "RU"
    assert near(gaz.resolve("واشنطن"), 38.90, -77.04)


def test_kurdistan_region_prefers_iraq(gaz: Gazetteer) -> None:
    assert gaz.resolve("كردستان").country == "IQ"


def test_joined_spelling_key(gaz: Gazetteer) -> None:
    assert gaz.resolve("البوكمال").country == "SY"


def test_context_pulls_a_homonym_to_the_reports_country(gaz: Gazetteer) -> None:
    # سنجار is the Iraqi district town, but there is also a Sinjar in Idlib (Syria)
    assert gaz.resolve("سنجار").country == "IQ"
    context = GeoContext()
    for name in ("إدلب", "معرة النعمان", "سوريا"):
        context.add(gaz.resolve(name))
    assert gaz.resolve("سنجار", context).country == "SY"


def test_proximity_favours_the_candidate_near_other_places(gaz: Gazetteer) -> None:
    far, close = GeoContext(), GeoContext()
    far.points.append((33.3, 44.4))  # Baghdad
    close.points.append((35.9, 36.7))  # near Idlib
    candidates = gaz.candidates(name_key("سنجار"))
    syrian = next(p for p in candidates if p.country == "SY")
    from marsad.geo.resolve import score
    assert score(syrian, close) > score(syrian, far)


def test_amman_is_the_jordanian_capital_unless_the_sultanate_is_named(gaz: Gazetteer) -> None:
    plain = gaz.resolve("عمان", GeoContext(words=frozenset({name_key("اجتماع"), name_key("في")})))
    assert plain is not None and plain.country == "JO" and plain.kind == "city"
    sultanate = gaz.resolve("عمان", GeoContext(words=frozenset({name_key("سلطنة")})))
    assert sultanate is not None and sultanate.country == "OM" and sultanate.kind == "country"


def test_western_desert_reads_as_iraqs_unless_the_maghreb_is_in_view(gaz: Gazetteer) -> None:
    iraq = gaz.resolve("الصحراء الغربية", GeoContext())
    assert iraq is not None and iraq.country == "IQ"
    sahara = gaz.resolve("الصحراء الغربية", GeoContext(words=frozenset({name_key("البوليساريو")})))
    assert sahara is not None and sahara.country == "EH"


@pytest.mark.parametrize("name, lat, lon", [
    ("مخيم الجدعة", 35.83, 43.24),
    ("منفذ ربيعة", 36.8055, 42.1003),
    ("الرطبة", 33.0381, 40.2848),
])
def test_domain_places_curated_by_marsad(gaz: Gazetteer, name: str, lat: float, lon: float) -> None:
    assert near(gaz.resolve(name, GeoContext()), lat, lon, km=5)


def test_a_head_word_alone_is_not_a_place() -> None:
    from marsad.ner.lexicon import LexiconRecogniser

    mentions = LexiconRecogniser().recognise_text("نقل النازحون من مخيم إلى آخر عبر وادي ضيق قرب الحي القديم.")
    assert not [m for m in mentions if m.type == "LOC" and m.text in ("مخيم", "وادي")]


def test_proximity_bound_is_never_below_the_proximity() -> None:
    """Gazetteer.best skips a candidate whose best possible closeness (from latitudes alone)
    cannot lift it to the top: that bound must hold for every place and set of points."""
    import random

    rng = random.Random(5)
    for _ in range(300):
        context = GeoContext(points=[(rng.uniform(-60, 70), rng.uniform(-180, 180)) for _ in range(rng.randint(1, 6))])
        for _ in range(20):
            lat, lon = rng.uniform(-60, 70), rng.uniform(-180, 180)
            if rng.random() < 0.2:  # on a point's latitude, or on the point itself
                lat = rng.choice(context.points)[0]
            assert context.proximity(lat, lon) <= context.proximity_bound(lat)
        context.points.append((lat, lon))  # a point added later: both start afresh
        assert context.proximity(lat, lon) == context.proximity_bound(lat) == 30.0
