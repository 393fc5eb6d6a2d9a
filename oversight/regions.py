"""The 17 first-level regions (sido): codes, legacy codes, names and populations.

Gangwon (legacy 42, now 51) and Jeonbuk (legacy 45, now 52) are one region each everywhere:
whatever spelling arrives, `normalise_region` returns the current code.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache

from oversight.config import REFERENCE_DIR

CAPITAL_AREA = ("11", "28", "41")  # Seoul, Incheon, Gyeonggi


@dataclass(frozen=True)
class Region:
    code: str
    legacy_codes: tuple[str, ...]
    name_ko: str
    name_en: str
    population: int

    def name(self, lang: str) -> str:
        return self.name_ko if lang == "ko" else self.name_en


@cache
def regions() -> tuple[Region, ...]:
    with open(REFERENCE_DIR / "regions.csv", encoding="utf-8") as handle:
        return tuple(
            Region(
                code=row["region_code"],
                legacy_codes=tuple(filter(None, row["legacy_codes"].split(";"))),
                name_ko=row["name_ko"],
                name_en=row["name_en"],
                population=int(row["population_2023"]),
            )
            for row in csv.DictReader(handle)
        )


REGION_CODES: tuple[str, ...] = tuple(r.code for r in regions())


@cache
def _lookup() -> dict[str, str]:
    table: dict[str, str] = {}
    for region in regions():
        for spelling in (region.code, *region.legacy_codes, region.name_ko, region.name_en):
            table[spelling.casefold()] = region.code
    return table


def normalise_region(value: str) -> str | None:
    """Current code for a current or legacy code or a Korean or English name; None if unknown."""
    return _lookup().get(value.strip().casefold())


def by_code(code: str) -> Region:
    return next(r for r in regions() if r.code == code)


def region_name(code: str, lang: str) -> str:
    current = normalise_region(code)
    return by_code(current).name(lang) if current else code
