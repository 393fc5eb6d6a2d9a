"""A known-answer database: a handful of hand-written rows whose figures were computed by hand.

The expected values in the tests come from reading these rows, not from running the code.
Period used by most tests: 2025-01-01 to 2025-12-31 (previous period 2024-01-02 to 2024-12-31).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

from oversight import db

D = dt.date.fromisoformat
BATCH = "fixture-1"
DATA_DATE = D("2026-06-30")

INSTITUTIONS = [
    # id, name_en, name_ko, kind, tier, sector, region, lat, lon, joined, infra, centre since
    ("H1", "Garam Hospital", "가람병원", "hospital", "tertiary", None, "11", 37.55, 127.0, "2024-01-15", 2021, "2026-04-01"),
    ("H2", "Haneul Hospital", "하늘병원", "hospital", "general", None, "26", 35.18, 129.07, "2024-03-10", 2022, None),
    ("H3", "Noeul Hospital", None, "hospital", "hospital", None, "52", 35.82, 127.15, "2025-06-01", None, None),
    ("C1", "Nuri Pharm", "누리제약", "company", None, "pharmaceutical", "11", 37.50, 127.03, "2024-02-01", None, None),
    ("C2", "Bitna AI", "빛나AI", "company", None, "ai_digital_health", "41", 37.40, 127.10, "2025-07-20", None, None),
    ("U1", "Hanbat University", "한밭대학교", "university", None, None, "30", 36.35, 127.38, "2025-09-05", None, None),
    ("P1", "Data Agency", "데이터진흥원", "public_agency", None, None, "36", 36.48, 127.28, "2024-01-02", None, "2026-05-01"),
]
AGREEMENTS = [
    ("A1", "2024-05-01", "C1", "oncology", "Lung cancer outcomes", "active", None, ["H1", "H2"]),
    ("A2", "2025-08-01", "C2", "medical_imaging", "Chest X-ray triage", "active", None, ["H1"]),
    ("A3", "2025-10-10", "U1", "neurology", None, "signed", None, ["H3"]),
    ("A4", "2026-03-15", "C1", "cardiovascular", None, "signed", "2027-03-14", ["H2"]),
]
REQUESTS = [
    # id, agreement, hospital, requested, approved, delivered, status, type, mode, centre, patients, records
    ("R1", "A1", "H1", "2024-06-01", "2024-06-21", "2024-07-01", "delivered", "emr", "remote_analysis", None, 100, 1000),
    ("R2", "A1", "H2", "2025-01-10", "2025-02-09", "2025-03-01", "delivered", "imaging", "deidentified_transfer", None, 50, 500),
    ("R3", "A2", "H1", "2025-09-01", "2025-09-11", "2025-12-20", "delivered", "genomic", "deidentified_transfer", None, 20, 2000),
    ("R4", "A3", "H3", "2025-11-01", None, None, "under_review", "emr", "remote_analysis", None, None, None),
    ("R5", "A2", "H1", "2026-05-01", "2026-05-15", "2026-06-01", "delivered", "emr", "safe_centre", "H1", 10, 100),
    ("R6", "A4", "H2", "2026-04-01", None, None, "rejected", "claims", "remote_analysis", None, None, None),
    ("R7", "A1", "H1", "2026-06-15", "2026-07-01", None, "approved", "emr", "safe_centre", "P1", None, None),
]
CENTRE_USAGE = [
    ("H1", "2026-04-01", 10, 35.5, 4),
    ("H1", "2026-05-01", 12, 40.0, 5),
    ("P1", "2026-05-01", 3, 6.0, 2),
]
# (hospital, assessed_on, check, category, context, table, violated, denominator, threshold, n/a)
QUALITY = [
    # H1 on 2025-06-30: c1 pass, c2 fail (10% > 5), c3 pass (5% is not > 5), c4 n/a, c5 fail (2% > 0)
    ("H1", "2025-06-30", "c1", "conformance", "verification", "person", 0, 100, 0, None),
    ("H1", "2025-06-30", "c2", "completeness", "verification", "person", 10, 100, 5, False),
    ("H1", "2025-06-30", "c3", "plausibility", "validation", "measurement", 5, 100, 5, None),
    ("H1", "2025-06-30", "c4", "completeness", "validation", "visit_occurrence", 0, 0, 0, True),
    ("H1", "2025-06-30", "c5", "conformance", "validation", "person", 1, 50, 0, None),
    # H1 on 2025-12-31: c1 pass, c2 pass (3%), c3 fail (6%), c4 n/a, c5 pass (empty denominator)
    ("H1", "2025-12-31", "c1", "conformance", "verification", "person", 0, 100, 0, None),
    ("H1", "2025-12-31", "c2", "completeness", "verification", "person", 3, 100, 5, None),
    ("H1", "2025-12-31", "c3", "plausibility", "validation", "measurement", 6, 100, 5, None),
    ("H1", "2025-12-31", "c4", "completeness", "validation", "visit_occurrence", 0, 0, 0, True),
    ("H1", "2025-12-31", "c5", "conformance", "validation", "person", 0, 0, 0, None),
    # H2 on 2025-12-31: all five pass
    ("H2", "2025-12-31", "c1", "conformance", "verification", "person", 0, 80, 0, None),
    ("H2", "2025-12-31", "c2", "completeness", "verification", "person", 0, 80, 5, None),
    ("H2", "2025-12-31", "c3", "plausibility", "validation", "measurement", 4, 80, 5, None),
    ("H2", "2025-12-31", "c4", "completeness", "validation", "visit_occurrence", 0, 10, 0, None),
    ("H2", "2025-12-31", "c5", "conformance", "validation", "person", 0, 80, 0, None),
]
CONSULTATIONS = [
    ("K1", "C1", "2026-03-01", "deidentification", 2.0, 5),
    ("K2", "C2", "2026-03-20", "data_processing", 1.5, 4),
    ("K3", "U1", "2026-04-02", "cdm_conversion", 3.0, None),
]


def _frame(rows, columns, dates=()):
    frame = pl.DataFrame(rows, schema=columns, orient="row", infer_schema_length=None)
    return frame.with_columns([pl.col(c).str.to_date() for c in dates])


def build_fixture(path: Path) -> Path:
    tables = {
        "institutions": _frame(
            INSTITUTIONS,
            ["institution_id", "name_en", "name_ko", "kind", "hospital_tier", "company_sector",
             "region_code", "latitude", "longitude", "joined_on", "infrastructure_since",
             "safe_centre_since"],
            dates=("joined_on", "safe_centre_since"),
        ),
        "agreements": _frame(
            [a[:7] for a in AGREEMENTS],
            ["agreement_id", "signed_on", "requester_id", "research_area", "title", "status", "ends_on"],
            dates=("signed_on", "ends_on"),
        ),
        "agreement_hospitals": _frame(
            [(a[0], h) for a in AGREEMENTS for h in a[7]], ["agreement_id", "hospital_id"]
        ),
        "data_requests": _frame(
            REQUESTS,
            ["request_id", "agreement_id", "hospital_id", "requested_on", "approved_on",
             "delivered_on", "status", "data_type", "access_mode", "centre_id", "patients", "records"],
            dates=("requested_on", "approved_on", "delivered_on"),
        ),
        "centre_usage": _frame(
            CENTRE_USAGE, ["centre_id", "month", "sessions", "researcher_hours", "researchers"],
            dates=("month",),
        ),
        "quality_checks": _frame(
            QUALITY,
            ["institution_id", "assessed_on", "check_id", "category", "context", "cdm_table",
             "violated_rows", "denominator_rows", "threshold_pct", "not_applicable"],
            dates=("assessed_on",),
        ),
        "consultations": _frame(
            CONSULTATIONS,
            ["consultation_id", "institution_id", "held_on", "topic", "hours", "satisfaction"],
            dates=("held_on",),
        ),
    }
    with db.rebuild(path, copy_existing=False) as con:
        for name, frame in tables.items():
            db.insert_frame(con, name, frame, BATCH)
        con.execute(
            "insert into batches values (?, now(), 'tests', 'import', '[]', '{}', 'loaded', null)",
            [BATCH],
        )
        con.execute(
            "insert into dataset_info values ('submitted', null, null, now(), ?, 1)", [DATA_DATE]
        )
    return path
