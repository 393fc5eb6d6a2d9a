"""A known-answer database for the quality page: four hospitals whose assessments were chosen to
exercise quarter comparisons (improved, stable at exactly the tolerance, regressed, not compared),
event time before and after the infrastructure year, and new, persisting and resolved failures
that include a check run for the first time and one that became not applicable.

Every assessment runs checks k000, k001, ...; category by number mod 3 (0 conformance,
1 completeness, 2 plausibility), context by number mod 2 (0 verification, 1 validation). A failing
check violates 10 of 100 rows against a 5% threshold, a passing one 0 of 100. The expected values
in tests/queries/test_quality.py were worked out by hand from the table below.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

from oversight import db

D = dt.date.fromisoformat
BATCH = "fixture-quality-1"
DATA_DATE = D("2026-06-30")
CATEGORIES = ("conformance", "completeness", "plausibility")
CONTEXTS = ("verification", "validation")

INSTITUTIONS = [
    # id, name_en, name_ko, region, joined, infrastructure since
    ("QA", "Alder Hospital", "오리나무병원", "11", "2020-03-01", 2023),
    ("QB", "Birch Hospital", "자작나무병원", "26", "2020-03-01", 2024),
    ("QC", "Cedar Hospital", "삼나무병원", "11", "2020-03-01", None),
    ("QD", "Damson Hospital", "자두나무병원", "41", "2020-03-01", 2022),
]

# (hospital, assessed_on, checks run, failing checks, not-applicable checks)
ASSESSMENTS = [
    # QA: 14/20 = 0.70 in Q1 2026; 15/20 = 0.75 then 16/20 = 0.80 in Q2 (k005 not applicable,
    # k020 run for the first time). 2026-05-20 against 2026-04-10: new {k019, k020}, persisting
    # {k000, k001}, resolved {k002, k003, k004}.
    ("QA", "2026-02-15", 20, range(0, 6), ()),
    ("QA", "2026-04-10", 20, range(0, 5), ()),
    ("QA", "2026-05-20", 21, (0, 1, 19, 20), (5,)),
    # QB: 90/100 = 0.90 in Q1, 91/100 = 0.91 in Q2: a rise of exactly one point, stable
    ("QB", "2026-03-31", 100, range(0, 10), ()),
    ("QB", "2026-06-30", 100, range(0, 9), ()),
    # QC: 19/20 = 0.95 in Q1, 18/20 = 0.90 in Q2: regressed
    ("QC", "2026-01-10", 20, (0,), ()),
    ("QC", "2026-04-01", 20, (0, 1), ()),
    # QD: 12/20 = 0.60 the year before its infrastructure (2021), 16/20 = 0.80 in Q4 2025 and
    # 18/20 = 0.90 in Q2 2026: nothing in Q1 2026, so not compared
    ("QD", "2021-06-01", 20, range(0, 8), ()),
    ("QD", "2025-12-01", 20, range(0, 4), ()),
    ("QD", "2026-06-15", 20, (0, 1), ()),
]


def check_rows() -> list[tuple]:
    rows = []
    for hospital, day, checks, failing, not_applicable in ASSESSMENTS:
        for number in range(checks):
            rows.append((
                hospital, day, f"k{number:03d}", CATEGORIES[number % 3], CONTEXTS[number % 2], "person",
                10 if number in failing else 0, 100, 5.0, True if number in not_applicable else None,
            ))
    return rows


def build_quality_fixture(path: Path) -> Path:
    institutions = pl.DataFrame(
        [(i, en, ko, "hospital", "general", None, region, None, None, joined, infra, None)
         for i, en, ko, region, joined, infra in INSTITUTIONS],
        schema=["institution_id", "name_en", "name_ko", "kind", "hospital_tier", "company_sector",
                "region_code", "latitude", "longitude", "joined_on", "infrastructure_since",
                "safe_centre_since"],
        orient="row", infer_schema_length=None,
    ).with_columns(pl.col("joined_on").str.to_date(), pl.col("safe_centre_since").cast(pl.Date))
    checks = pl.DataFrame(
        check_rows(),
        schema=["institution_id", "assessed_on", "check_id", "category", "context", "cdm_table",
                "violated_rows", "denominator_rows", "threshold_pct", "not_applicable"],
        orient="row", infer_schema_length=None,
    ).with_columns(pl.col("assessed_on").str.to_date())
    with db.rebuild(path, copy_existing=False) as con:
        db.insert_frame(con, "institutions", institutions, BATCH)
        db.insert_frame(con, "quality_checks", checks, BATCH)
        con.execute(
            "insert into batches values (?, now(), 'tests', 'import', '[]', '{}', 'loaded', null)",
            [BATCH],
        )
        con.execute(
            "insert into dataset_info values ('submitted', null, null, now(), ?, 1)", [DATA_DATE]
        )
    return path
