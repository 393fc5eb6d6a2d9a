"""A small, consistent example of every table, for the filled template.

Invented institutions (ids start with EX-) whose rows follow every rule of the contract: it
loads cleanly into an empty database, and shows a region left empty where the coordinates
give it (EX-H2 lies in Busan).
"""

from __future__ import annotations

import datetime as dt

D = dt.date.fromisoformat

ROWS: dict[str, list[dict]] = {
    "institutions": [
        {"institution_id": "EX-H1", "name_en": "Example University Hospital", "name_ko": "예시대학교병원",
         "kind": "hospital", "hospital_tier": "tertiary", "region_code": "11", "latitude": 37.5796,
         "longitude": 126.9990, "joined_on": D("2024-01-15"), "infrastructure_since": 2021,
         "safe_centre_since": D("2026-04-13")},
        {"institution_id": "EX-H2", "name_en": "Example General Hospital", "name_ko": "예시종합병원",
         "kind": "hospital", "hospital_tier": "general", "latitude": 35.1796, "longitude": 129.0756,
         "joined_on": D("2024-03-10"), "infrastructure_since": 2022},
        {"institution_id": "EX-C1", "name_en": "Example Pharm", "name_ko": "예시제약", "kind": "company",
         "company_sector": "pharmaceutical", "region_code": "41", "joined_on": D("2024-02-01")},
        {"institution_id": "EX-U1", "name_en": "Example University", "name_ko": "예시대학교", "kind": "university",
         "region_code": "대전광역시", "joined_on": D("2025-09-05")},
        {"institution_id": "EX-P1", "name_en": "Example Data Agency", "name_ko": "예시데이터진흥원",
         "kind": "public_agency", "region_code": "Sejong", "joined_on": D("2024-01-02"),
         "safe_centre_since": D("2026-05-18")},
    ],
    "agreements": [
        {"agreement_id": "EX-A1", "signed_on": D("2024-05-01"), "requester_id": "EX-C1", "research_area": "oncology",
         "title": "Lung cancer treatment outcomes", "status": "active"},
        {"agreement_id": "EX-A2", "signed_on": D("2025-10-10"), "requester_id": "EX-U1", "research_area": "neurology",
         "status": "signed", "ends_on": D("2027-10-09")},
    ],
    "agreement_hospitals": [
        {"agreement_id": "EX-A1", "hospital_id": "EX-H1"},
        {"agreement_id": "EX-A1", "hospital_id": "EX-H2"},
        {"agreement_id": "EX-A2", "hospital_id": "EX-H2"},
    ],
    "data_requests": [
        {"request_id": "EX-R1", "agreement_id": "EX-A1", "hospital_id": "EX-H1", "requested_on": D("2024-06-01"),
         "approved_on": D("2024-06-21"), "delivered_on": D("2024-07-01"), "status": "delivered", "data_type": "emr",
         "access_mode": "remote_analysis", "patients": 1200, "records": 15400},
        {"request_id": "EX-R2", "agreement_id": "EX-A1", "hospital_id": "EX-H2", "requested_on": D("2026-05-04"),
         "approved_on": D("2026-05-20"), "delivered_on": D("2026-06-02"), "status": "delivered",
         "data_type": "imaging", "access_mode": "safe_centre", "centre_id": "EX-P1", "patients": 300,
         "records": 2100},
        {"request_id": "EX-R3", "agreement_id": "EX-A2", "hospital_id": "EX-H2", "requested_on": D("2025-11-03"),
         "status": "under_review", "data_type": "emr", "access_mode": "deidentified_transfer"},
    ],
    "centre_usage": [
        {"centre_id": "EX-H1", "month": D("2026-05-01"), "sessions": 12, "researcher_hours": 40.5, "researchers": 5},
        {"centre_id": "EX-P1", "month": D("2026-06-01"), "sessions": 3, "researcher_hours": 6.0, "researchers": 2},
    ],
    "quality_checks": [
        {"institution_id": "EX-H1", "assessed_on": D("2025-12-31"), "check_id": "isRequired.person.gender_concept_id",
         "category": "completeness", "context": "verification", "cdm_table": "person", "violated_rows": 0,
         "denominator_rows": 15000, "threshold_pct": 0, "not_applicable": False},
        {"institution_id": "EX-H1", "assessed_on": D("2025-12-31"),
         "check_id": "plausibleValueHigh.measurement.value_as_number", "category": "plausibility",
         "context": "verification", "cdm_table": "measurement", "violated_rows": 37, "denominator_rows": 820000,
         "threshold_pct": 1, "not_applicable": False},
        {"institution_id": "EX-H1", "assessed_on": D("2025-12-31"), "check_id": "measureValueCompleteness.death.cause",
         "category": "completeness", "context": "validation", "cdm_table": "death", "violated_rows": 0,
         "denominator_rows": 0, "threshold_pct": 5, "not_applicable": True},
    ],
    "consultations": [
        {"consultation_id": "EX-K1", "institution_id": "EX-C1", "held_on": D("2026-03-01"),
         "topic": "deidentification", "hours": 2.0, "satisfaction": 5},
        {"consultation_id": "EX-K2", "institution_id": "EX-U1", "held_on": D("2026-03-20"),
         "topic": "cdm_conversion", "hours": 1.5},
    ],
}
