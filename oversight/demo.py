"""Synthetic demo data for every table of the data contract, reproducible from a seed.

Everything is drawn from numpy Generators seeded from (seed, table name), so one table's draws
never shift another's, and quality_checks (tens of millions of rows) is generated inside DuckDB
from hash(ids, seed) rather than random(), which is not reproducible under parallelism.
The data date is fixed: the same seed gives the same database on any day.

The four agreements of the press release (reference/seed_agreements.csv) are real; every other
name is invented (demo_names.py).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from oversight import db, queries, schema
from oversight.config import REFERENCE_DIR
from oversight.demo_names import (
    COMPANY_FORMS, HOSPITAL_FORMS, OTHER_FORMS, STEMS, TITLE_DESIGNS, TITLE_SUBJECTS,
)
from oversight.regions import CAPITAL_AREA, REGION_CODES

DEFAULT_SEED = 20260201
DATA_DATE = np.datetime64("2026-11-27")  # a Friday: the last weekly submission
PROGRAMME_START = np.datetime64("2020-01-01")  # infrastructure funding began in 2020
LAUNCH = np.datetime64("2026-02-01")  # the data utilisation project launched in February 2026
SEED_SIGNED_ON = np.datetime64("2026-06-18")  # the release says only "recently"

Progress = Callable[[str, float], None]


@dataclass(frozen=True)
class Scale:
    institutions: int
    hospitals: int
    agreements: int
    requests: int
    checks: int  # size of the quality-check catalogue: rows = assessments x checks
    consultations: int
    check_slices: int  # quality_checks is written in this many slices, for progress


SCALES: dict[str, Scale] = {
    "tiny": Scale(50, 26, 60, 600, 300, 100, 1),  # for tests
    "small": Scale(150, 60, 400, 5_000, 1_000, 600, 2),
    "medium": Scale(500, 200, 3_000, 50_000, 3_000, 4_000, 4),
    "large": Scale(1_000, 400, 20_000, 500_000, 11_800, 25_000, 10),
}

# --- institutions -------------------------------------------------------------------------------

# Share of the non-hospital institutions by kind; hospitals are counted apart.
NON_HOSPITAL_KINDS = {"company": 0.67, "university": 0.15, "research_institute": 0.15,
                      "public_agency": 0.03}
HOSPITAL_TIER_SHARES = {"tertiary": 0.15, "general": 0.50, "hospital": 0.35}
COMPANY_SECTOR_SHARES = {"pharmaceutical": 0.35, "ai_digital_health": 0.28, "medical_device": 0.17,
                         "biotech": 0.14, "other": 0.06}
INFRASTRUCTURE_CHANCE = {"tertiary": 0.95, "general": 0.85, "hospital": 0.6}
INFRASTRUCTURE_NEXT_YEAR = 0.4  # funded the year after joining (assessed once or more before)
ONBOARDING_GROWTH = 0.3  # per year, exponential
ONBOARDING_LAUNCH_BOOST = 2.5  # joining rate after the launch, relative to the trend
HOSPITAL_JOIN_YEARS = dict.fromkeys(range(2020, 2027), 1.0)  # hospitals: as many every year

# Relative chance of a region, by group of kinds. Roughly population, with research hospitals
# and companies concentrated in the capital area (Pangyo, Songdo), Daejeon (Daedeok) and
# Chungbuk (Osong); public agencies in Sejong.
REGION_WEIGHTS = {
    "hospital": {"11": 30, "26": 7, "27": 5, "28": 6, "29": 3, "30": 3, "31": 2, "36": 0.5,
                 "41": 20, "51": 3, "43": 3, "44": 3.5, "52": 3, "46": 3, "47": 4, "48": 5,
                 "50": 1.5},
    "company": {"11": 42, "26": 3, "27": 2.5, "28": 6, "29": 1.5, "30": 6, "31": 1, "36": 1,
                "41": 25, "51": 1.5, "43": 4, "44": 2, "52": 1, "46": 1, "47": 1.5, "48": 2,
                "50": 0.5},
    "other": {"11": 25, "26": 6, "27": 5, "28": 4, "29": 4, "30": 9, "31": 2, "36": 6, "41": 14,
              "51": 4, "43": 4, "44": 4, "52": 4, "46": 3, "47": 4, "48": 4, "50": 2},
}

# (latitude, longitude, jitter in degrees) of one to four cities per region, chosen and jittered
# so that points stay on land.
CITY_CENTRES = {
    "11": ((37.556, 126.991, 0.07),),
    "26": ((35.170, 129.060, 0.04),),
    "27": ((35.871, 128.601, 0.06),),
    "28": ((37.456, 126.705, 0.04),),
    "29": ((35.160, 126.853, 0.05),),
    "30": ((36.350, 127.385, 0.05),),
    "31": ((35.538, 129.311, 0.04),),
    "36": ((36.480, 127.289, 0.04),),
    "41": ((37.264, 127.029, 0.04), (37.676, 126.770, 0.04), (36.992, 127.113, 0.04),
           (37.200, 126.830, 0.04)),
    "51": ((37.881, 127.730, 0.05), (37.342, 127.920, 0.05), (37.752, 128.876, 0.03)),
    "43": ((36.642, 127.489, 0.05), (36.991, 127.926, 0.04)),
    "44": ((36.815, 127.114, 0.05), (36.601, 126.660, 0.04)),
    "52": ((35.824, 127.148, 0.05), (35.948, 126.958, 0.04)),
    "46": ((34.951, 127.487, 0.04), (35.016, 126.711, 0.04)),
    "47": ((36.568, 128.729, 0.05), (36.120, 128.345, 0.05), (35.856, 129.225, 0.04)),
    "48": ((35.228, 128.681, 0.03), (35.180, 128.108, 0.05)),
    "50": ((33.470, 126.540, 0.03),),
}

# The press release's institutions: id, kind, tier or sector, and demo-only values (joining
# date, infrastructure year) that make no claim about the real institutions.
SEED_REQUESTERS = {
    "Samjin Pharmaceutical": ("SEED-SAMJIN", "2026-03-16", 37.553, 126.915),
    "Hanmi Pharm": ("SEED-HANMI", "2026-03-04", 37.515, 127.104),
    "Whanin Pharmaceutical": ("SEED-WHANIN", "2026-04-20", 37.509, 127.062),
    "Human Deep": ("SEED-HUMANDEEP", "2026-05-11", 37.498, 127.028),
}
SEED_HOSPITALS = {
    "Samsung Medical Center (Samsung Seoul Hospital)": ("SEED-H-SMC", "tertiary", 2020),
    "Kangbuk Samsung Hospital": ("SEED-H-KBSMC", "general", 2023),
    "Samsung Changwon Hospital": ("SEED-H-SCMC", "tertiary", 2024),
    "Hanyang University Hospital": ("SEED-H-HYUMC", "tertiary", 2022),
    "Korea University Anam Hospital": ("SEED-H-KUANAM", "tertiary", 2020),
    "Korea University Guro Hospital": ("SEED-H-KUGURO", "tertiary", 2022),
    "Seoul St. Mary's Hospital": ("SEED-H-SSMH", "tertiary", 2021),
    "Asan Medical Center (Seoul Asan Hospital)": ("SEED-H-AMC", "tertiary", 2021),
    "Konyang University Hospital": ("SEED-H-KYUH", "tertiary", 2023),
}
SEED_AGREEMENTS = {  # requester -> (area, title)
    "Samjin Pharmaceutical": ("cardiovascular",
                              "Real-world outcomes of antiplatelet therapy after coronary events"),
    "Hanmi Pharm": ("metabolic_endocrine",
                    "Treatment patterns and outcomes in obesity and diabetes"),
    "Whanin Pharmaceutical": ("mental_health",
                              "Long-term outcomes of treatment for depression and dementia"),
    "Human Deep": ("medical_imaging", "AI model development for clinical image interpretation"),
}

# The five safe utilisation centres: region, kind, designation date (after the launch).
SAFE_CENTRES = (
    ("11", "hospital", "2026-04-13"),
    ("41", "public_agency", "2026-05-18"),
    ("26", "hospital", "2026-06-22"),
    ("27", "research_institute", "2026-08-10"),
    ("29", "hospital", "2026-09-14"),
)

# --- agreements and requests --------------------------------------------------------------------

AGREEMENTS_FROM = np.datetime64("2020-03-01")
AGREEMENT_GROWTH = 0.35
AGREEMENT_LAUNCH_BOOST = 2.0
HOSPITALS_PER_AGREEMENT = {1: 0.45, 2: 0.30, 3: 0.15, 4: 0.10}
HOSPITAL_PICK_WEIGHT = {"tertiary": 4.0, "general": 1.5, "hospital": 0.5}
CAPITAL_PICK_BOOST = 1.6
REQUESTER_PICK_WEIGHT = {"pharmaceutical": 1.5, "ai_digital_health": 1.3, "medical_device": 1.0,
                         "biotech": 1.1, "other": 0.6, "university": 0.8,
                         "research_institute": 0.7}
RESEARCH_AREA_SHARES = {
    "oncology": 0.22, "cardiovascular": 0.12, "neurology": 0.09, "metabolic_endocrine": 0.1,
    "infectious_disease": 0.06, "respiratory": 0.05, "mental_health": 0.06, "rare_disease": 0.05,
    "ophthalmology": 0.04, "medical_imaging": 0.11, "digital_therapeutics": 0.05, "other": 0.05,
}
AGREEMENT_DAYS = (365, 1460)  # planned duration, uniform
STARTUP_DAYS = 60  # an agreement stays 'signed' until work starts
TERMINATED_SHARE = 0.05
UNTITLED_SHARE = 0.1

FIRST_REQUEST_AFTER_DAYS = 7
DAYS_TO_APPROVAL = (22, 0.85)  # lognormal median, sigma
DAYS_TO_DELIVERY = (17, 0.9)
TERTIARY_SPEED = 0.85  # tertiary hospitals' lead times relative to others
REQUEST_OUTCOMES = {"delivered": 0.85, "rejected": 0.07, "withdrawn": 0.05, "stalled": 0.03}
STALLED_DAYS = (120, 700)  # uniform: reviews that hang for months
MAX_STAGE_DAYS = 365  # a lognormal stage beyond this would be a stall, drawn apart
WITHDRAWN_AFTER_APPROVAL = 0.4
DATA_TYPE_SHARES = {"emr": 0.35, "imaging": 0.18, "genomic": 0.08, "claims": 0.1,
                    "biosignal": 0.08, "pathology": 0.11, "other": 0.1}
# Research areas whose requests lean to one data type.
AREA_DATA_TYPE = {"medical_imaging": "imaging", "ophthalmology": "imaging",
                  "digital_therapeutics": "biosignal", "rare_disease": "genomic"}
SAFE_CENTRE_SHARE = 0.35  # of requests made once a centre exists
CENTRE_SESSIONS = (40, 90)  # a month, uniform per centre, once running at full use

# --- centres, consultations, quality ------------------------------------------------------------

CONSULTATION_TOPICS = {"deidentification": 0.25, "data_processing": 0.22, "cdm_conversion": 0.18,
                       "ethics_irb": 0.15, "security": 0.12, "other": 0.08}
CONSULTATION_PILOT_SHARE = 0.05  # consultations in pilots before the launch,
PILOTS_FROM = np.datetime64("2025-06-01")  # which began on this date
CONSULTING_WEIGHT = {"company": 3.0, "university": 2.5, "research_institute": 2.0,
                     "hospital": 0.4, "public_agency": 0.3}  # mostly requesters
SATISFACTION_SHARES = {1: 0.02, 2: 0.04, 3: 0.12, 4: 0.37, 5: 0.45}
SATISFACTION_MISSING = 0.15

MONTHS_ORIGIN = np.datetime64("2020-01", "M")
LAST_MONTH = int((DATA_DATE.astype("datetime64[M]") - MONTHS_ORIGIN).astype(int))
ASSESSMENT_MONTHS = 3  # hospitals with infrastructure are assessed quarterly
MAX_ASSESSMENTS = 24
UNFUNDED_ASSESSED = 0.25  # share of hospitals without infrastructure assessed at all
BASE_PASS_RATE = 0.80  # before a hospital's infrastructure is funded
INFRASTRUCTURE_GAIN = 0.15  # pass rate gained once the infrastructure has run for a while
GAIN_YEARS = 0.5  # time constant of that gain
REGRESSION_SHARE = 0.05  # hospitals whose latest assessment drops
CONCEPT_ABSENT_SHARE = 0.03  # concept-level checks not applicable: the concept is not recorded
CONCEPT_EMPTY_SHARE = 0.002  # applicable, but no rows in this extract: denominator 0

# CDM tables: rows per person, and the chance a hospital does not have the table at all.
CDM_ROWS_PER_PERSON = {
    "person": 1.0, "observation_period": 1.05, "visit_occurrence": 28.0, "visit_detail": 35.0,
    "condition_occurrence": 45.0, "drug_exposure": 90.0, "procedure_occurrence": 30.0,
    "device_exposure": 6.0, "measurement": 350.0, "observation": 70.0, "death": 0.04,
    "note": 25.0, "specimen": 1.5, "condition_era": 12.0, "drug_era": 20.0,
}
CDM_TABLE_MISSING = {"note": 0.2, "specimen": 0.25, "device_exposure": 0.15, "visit_detail": 0.2,
                     "death": 0.05}
# Fields of the OMOP CDM v5.4 tables that are checked. Flags: K primary key, R required,
# C standard concept, S source concept, V source value, F foreign key, D date, E end date,
# N number.
CDM_FIELDS = {
    "person": "person_id K, gender_concept_id RC, year_of_birth RN, month_of_birth N, "
              "day_of_birth N, birth_datetime D, race_concept_id RC, ethnicity_concept_id RC, "
              "location_id F, provider_id F, care_site_id F, person_source_value V, "
              "gender_source_value V, gender_source_concept_id S",
    "observation_period": "observation_period_id K, person_id RF, "
                          "observation_period_start_date RD, observation_period_end_date RDE, "
                          "period_type_concept_id RC",
    "visit_occurrence": "visit_occurrence_id K, person_id RF, visit_concept_id RC, "
                        "visit_start_date RD, visit_end_date RDE, visit_type_concept_id RC, "
                        "provider_id F, care_site_id F, visit_source_value V, "
                        "visit_source_concept_id S, admitted_from_concept_id C, "
                        "discharged_to_concept_id C, preceding_visit_occurrence_id F",
    "visit_detail": "visit_detail_id K, person_id RF, visit_detail_concept_id RC, "
                    "visit_detail_start_date RD, visit_detail_end_date RDE, "
                    "visit_detail_type_concept_id RC, visit_occurrence_id RF, "
                    "visit_detail_source_value V, visit_detail_source_concept_id S",
    "condition_occurrence": "condition_occurrence_id K, person_id RF, condition_concept_id RC, "
                            "condition_start_date RD, condition_end_date DE, "
                            "condition_type_concept_id RC, condition_status_concept_id C, "
                            "visit_occurrence_id F, condition_source_value V, "
                            "condition_source_concept_id S",
    "drug_exposure": "drug_exposure_id K, person_id RF, drug_concept_id RC, "
                     "drug_exposure_start_date RD, drug_exposure_end_date RDE, "
                     "drug_type_concept_id RC, quantity N, days_supply N, refills N, "
                     "route_concept_id C, visit_occurrence_id F, drug_source_value V, "
                     "drug_source_concept_id S, route_source_value V",
    "procedure_occurrence": "procedure_occurrence_id K, person_id RF, procedure_concept_id RC, "
                            "procedure_date RD, procedure_type_concept_id RC, "
                            "modifier_concept_id C, quantity N, visit_occurrence_id F, "
                            "procedure_source_value V, procedure_source_concept_id S",
    "device_exposure": "device_exposure_id K, person_id RF, device_concept_id RC, "
                       "device_exposure_start_date RD, device_exposure_end_date DE, "
                       "device_type_concept_id RC, quantity N, device_source_value V, "
                       "device_source_concept_id S",
    "measurement": "measurement_id K, person_id RF, measurement_concept_id RC, "
                   "measurement_date RD, measurement_type_concept_id RC, operator_concept_id C, "
                   "value_as_number N, value_as_concept_id C, unit_concept_id C, range_low N, "
                   "range_high N, visit_occurrence_id F, measurement_source_value V, "
                   "measurement_source_concept_id S, unit_source_value V",
    "observation": "observation_id K, person_id RF, observation_concept_id RC, "
                   "observation_date RD, observation_type_concept_id RC, value_as_number N, "
                   "value_as_concept_id C, unit_concept_id C, visit_occurrence_id F, "
                   "observation_source_value V, observation_source_concept_id S",
    "death": "person_id KF, death_date RD, death_type_concept_id C, cause_concept_id C, "
             "cause_source_value V, cause_source_concept_id S",
    "note": "note_id K, person_id RF, note_date RD, note_type_concept_id RC, "
            "note_class_concept_id RC, note_text R, encoding_concept_id RC, "
            "language_concept_id RC, visit_occurrence_id F, note_source_value V",
    "specimen": "specimen_id K, person_id RF, specimen_concept_id RC, "
                "specimen_type_concept_id RC, specimen_date RD, quantity N, unit_concept_id C, "
                "anatomic_site_concept_id C, specimen_source_value V",
    "condition_era": "condition_era_id K, person_id RF, condition_concept_id RC, "
                     "condition_era_start_date RD, condition_era_end_date RDE",
    "drug_era": "drug_era_id K, person_id RF, drug_concept_id RC, drug_era_start_date RD, "
                "drug_era_end_date RDE",
}
EVENT_TABLES = ("condition_occurrence", "drug_exposure", "procedure_occurrence",
                "device_exposure", "measurement", "observation")
# Check type -> (category, context, thresholds to choose from), after the OHDSI Data Quality
# Dashboard's check descriptions.
CHECK_TYPES = {
    "cdmTable": ("conformance", "verification", (0,)),
    "cdmField": ("conformance", "verification", (0,)),
    "cdmDatatype": ("conformance", "verification", (0,)),
    "isPrimaryKey": ("conformance", "verification", (0,)),
    "isForeignKey": ("conformance", "verification", (0,)),
    "fkDomain": ("conformance", "verification", (0,)),
    "isStandardValidConcept": ("conformance", "verification", (0,)),
    "isRequired": ("completeness", "verification", (0,)),
    "measureValueCompleteness": ("completeness", "verification", (0, 5, 10)),
    "standardConceptRecordCompleteness": ("completeness", "verification", (0, 5)),
    "sourceConceptRecordCompleteness": ("completeness", "verification", (10,)),
    "sourceValueCompleteness": ("completeness", "verification", (10,)),
    "measurePersonCompleteness": ("completeness", "validation", (0, 5, 10)),
    "plausibleValueLow": ("plausibility", "verification", (1, 5)),
    "plausibleValueHigh": ("plausibility", "verification", (1, 5)),
    "plausibleStartBeforeEnd": ("plausibility", "verification", (0, 1)),
    "plausibleAfterBirth": ("plausibility", "verification", (1,)),
    "plausibleBeforeDeath": ("plausibility", "verification", (1,)),
    "withinVisitDates": ("plausibility", "verification", (5,)),
    "plausibleGender": ("plausibility", "validation", (5,)),
    "plausibleUnitConceptIds": ("plausibility", "validation", (5, 10)),
}
MIN_CONCEPT_CHECKS = 0.15  # share of any catalogue
CATEGORY_DIFFICULTY = {"conformance": 0.6, "completeness": 1.2, "plausibility": 1.3}
MEASUREMENT_CONCEPTS = (3004249, 3012888, 3027018, 3025315, 3036277, 3020891, 3024171, 3016723,
                        3004410, 3013682)  # blood pressure, heart rate, weight, height, ...


def build_demo(
    db_path: Path,
    scale: str = "small",
    seed: int = DEFAULT_SEED,
    progress: Progress | None = None,
) -> dict:
    """Build a demo database at db_path (swapped in whole); returns rows per table and seconds."""
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}: choose one of {', '.join(SCALES)}")
    started = time.perf_counter()
    shape = SCALES[scale]
    report = progress or (lambda label, fraction: None)
    batch_id = f"demo-{scale}-{seed}"

    def rng(part: str) -> np.random.Generator:
        return np.random.default_rng([seed, zlib.crc32(part.encode())])

    report("institutions", 0.0)
    inst = _institutions(rng("institutions"), shape)
    assessments = _assessments(rng("assessments"), inst)
    report("agreements", 0.05)
    agreements, parties = _agreements(rng("agreements"), inst, shape)
    report("data requests", 0.1)
    requests = _requests(rng("requests"), inst, agreements, parties, shape)
    usage = _centre_usage(rng("centre_usage"), inst, requests)
    consultations = _consultations(rng("consultations"), inst, shape)
    catalogue = _check_catalogue(rng("catalogue"), shape)

    frames = {
        "institutions": inst,
        "agreements": agreements,
        "agreement_hospitals": parties,
        "data_requests": requests,
        "centre_usage": usage,
        "consultations": consultations,
    }
    rows = {name: frames[name].height if name in frames else assessments.height * catalogue.height
            for name in schema.LOAD_ORDER}

    with db.rebuild(db_path, copy_existing=False) as con:
        con.execute("set enable_progress_bar = false")  # it would draw on stderr
        report("writing tables", 0.15)
        for name, frame in frames.items():
            db.insert_frame(con, name, frame, batch_id)
        _insert_quality_checks(con, assessments, catalogue, seed, batch_id, shape, report)
        now = dt.datetime.now()
        queries.execute(con, "record_batch", {
            "batch_id": batch_id, "loaded_at": now, "loaded_by": "demo generator", "source": "demo",
            "files": "[]", "rows_per_table": json.dumps(rows), "message": None,
        })
        queries.execute(con, "record_dataset_info", {
            "kind": "demo", "seed": seed, "scale": scale, "built_at": now, "data_date": DATA_DATE.item(),
            "contract_version": schema.CONTRACT_VERSION,
        })
        report("derived tables and writing the file", 0.9)
    report("done", 1.0)
    return {"rows": rows, "seconds": round(time.perf_counter() - started, 1), "batch_id": batch_id}


# --- small helpers ------------------------------------------------------------------------------


def _allocate(n: int, shares: dict) -> np.ndarray:
    """n labels in the given shares (largest remainder), each present once n allows it."""
    labels = list(shares)
    weights = np.array([shares[k] for k in labels], dtype=float)
    exact = n * weights / weights.sum()
    counts = np.floor(exact).astype(int)
    if n >= len(labels):
        counts = np.maximum(counts, 1)
    while counts.sum() > n:
        counts[np.argmax(counts)] -= 1
    order = np.argsort(-(exact - counts), kind="stable")
    counts[order[: n - counts.sum()]] += 1
    return np.repeat(np.array(labels, dtype=object), counts)


def _choice(rng: np.random.Generator, shares: dict, n: int) -> np.ndarray:
    labels = np.array(list(shares), dtype=object)
    p = np.array(list(shares.values()), dtype=float)
    return labels[rng.choice(len(labels), size=n, p=p / p.sum())]


def _curve(days, growth, launch_boost) -> np.ndarray:
    """Daily rate growing exponentially from the programme's start, jumping at the launch."""
    years = (days - PROGRAMME_START).astype(int) / 365.25
    return np.exp(growth * years) * np.where(days >= LAUNCH, launch_boost, 1.0)


def _dates_on_curve(rng, n, start, end, growth, launch_boost) -> np.ndarray:
    """n dates between start and end, as many on each day as the curve says."""
    days = np.arange(start, end + 1, dtype="datetime64[D]")
    cdf = np.cumsum(_curve(days, growth, launch_boost))
    return days[np.searchsorted(cdf / cdf[-1], rng.random(n), side="right")]


def _year(days: np.ndarray) -> np.ndarray:
    return days.astype("datetime64[Y]").astype(int) + 1970


def _onboarding_year_shares() -> dict[int, float]:
    days = np.arange(PROGRAMME_START, DATA_DATE + 1, dtype="datetime64[D]")
    weight = _curve(days, ONBOARDING_GROWTH, ONBOARDING_LAUNCH_BOOST)
    return {int(y): float(weight[_year(days) == y].sum()) for y in np.unique(_year(days))}


def _onboarding_dates(rng, years: np.ndarray) -> np.ndarray:
    """A joining date in each given year, on the onboarding curve within the year."""
    dates = np.empty(len(years), dtype="datetime64[D]")
    for year in np.unique(years):
        where = np.flatnonzero(years == year)
        start = np.datetime64(f"{year}-01-01", "D")
        end = min(np.datetime64(f"{year}-12-31", "D"), DATA_DATE)
        dates[where] = _dates_on_curve(rng, len(where), start, end, ONBOARDING_GROWTH,
                                       ONBOARDING_LAUNCH_BOOST)
    return dates


def _weekday(days: np.ndarray) -> np.ndarray:
    """Meetings and signings fall on weekdays: weekends move back to the Friday."""
    return np.busday_offset(days, 0, roll="backward")


def _lognormal_days(rng, n, median, sigma) -> np.ndarray:
    return np.minimum(rng.lognormal(np.log(median), sigma, n), MAX_STAGE_DAYS)


def _pick_joined_by(rng, when, joined, weight) -> np.ndarray:
    """For each date in `when`, the index of an institution that joined by then, by weight.
    Where none had, the earliest to join."""
    order = np.argsort(joined, kind="stable")
    cum = np.cumsum(weight[order])
    k = np.maximum(np.searchsorted(joined[order], when, side="right"), 1)
    pick = np.searchsorted(cum, rng.random(len(when)) * cum[k - 1], side="right")
    return order[np.minimum(pick, k - 1)]


def _names(rng, groups: np.ndarray, forms: dict) -> tuple[np.ndarray, np.ndarray]:
    """Distinct (Korean, English) names: each group draws stem x suffix pairs without repeats."""
    ko = np.empty(len(groups), dtype=object)
    en = np.empty(len(groups), dtype=object)
    for group, suffixes in forms.items():
        members = np.flatnonzero(groups == group)
        pairs = [(s_ko + f_ko, f"{s_en} {f_en}") for s_ko, s_en in STEMS for f_ko, f_en in suffixes]
        if len(members) > len(pairs):
            raise ValueError(f"not enough invented names for {len(members)} {group}")
        chosen = rng.permutation(len(pairs))[: len(members)]
        ko[members] = [pairs[i][0] for i in chosen]
        en[members] = [pairs[i][1] for i in chosen]
    return ko, en


def _coordinates(rng, regions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    lat = np.empty(len(regions))
    lon = np.empty(len(regions))
    for code, cities in CITY_CENTRES.items():
        where = np.flatnonzero(regions == code)
        city = np.array(cities)[rng.integers(0, len(cities), len(where))]
        lat[where] = city[:, 0] + city[:, 2] * rng.uniform(-1, 1, len(where))
        lon[where] = city[:, 1] + city[:, 2] * rng.uniform(-1, 1, len(where))
    return lat.round(5), lon.round(5)


def _ids(prefix: str, n: int, width: int) -> np.ndarray:
    """prefix + 1..n, zero-padded to width digits."""
    numbers = pl.int_range(1, n + 1, eager=True).cast(pl.String).str.zfill(width)
    return (prefix + numbers).to_numpy().astype(object)


def _lookup(values: np.ndarray, mapping: dict, default=None) -> np.ndarray:
    """Each value mapped through a dict, vectorised (no Python loop over rows)."""
    return pl.Series(values.tolist() if values.dtype == object else values).replace_strict(
        mapping, default=default).to_numpy()


def _frame(columns: dict) -> pl.DataFrame:
    """A frame from numpy columns: object arrays (text with None) become lists, NaT becomes null."""
    return pl.DataFrame({
        name: values.tolist() if isinstance(values, np.ndarray) and values.dtype == object
        else values
        for name, values in columns.items()
    })


# --- institutions -------------------------------------------------------------------------------


def _seed_rows() -> tuple[dict, list[tuple[str, str]]]:
    """The press release's institutions as columns, and its (requester id, hospital id) pairs."""
    with open(REFERENCE_DIR / "seed_agreements.csv", encoding="utf-8") as handle:
        pairs = list(csv.DictReader(handle))
    cols: dict[str, list] = {c: [] for c in schema.TABLES["institutions"].column_names}

    def add(**values):
        for column in cols:
            cols[column].append(values.get(column))

    for name_en, (inst_id, joined, lat, lon) in SEED_REQUESTERS.items():
        row = next(p for p in pairs if p["requester_en"] == name_en)
        # Head offices are not in the file: placed in Seoul, approximately.
        add(institution_id=inst_id, name_en=name_en, name_ko=row["requester_ko"], kind="company",
            company_sector=row["requester_sector"], region_code="11", latitude=lat, longitude=lon,
            joined_on=dt.date.fromisoformat(joined))
    for name_en, (inst_id, tier, infra) in SEED_HOSPITALS.items():
        row = next(p for p in pairs if p["hospital_en"] == name_en)
        add(institution_id=inst_id, name_en=name_en, name_ko=row["hospital_ko"], kind="hospital",
            hospital_tier=tier, region_code=row["hospital_region_code"],
            latitude=float(row["hospital_lat"]), longitude=float(row["hospital_lon"]),
            joined_on=dt.date(infra, 3, 2), infrastructure_since=infra)
    ids = {**{k: v[0] for k, v in SEED_REQUESTERS.items()},
           **{k: v[0] for k, v in SEED_HOSPITALS.items()}}
    return cols, [(ids[p["requester_en"]], ids[p["hospital_en"]]) for p in pairs]


def _institutions(rng, shape: Scale) -> pl.DataFrame:
    seed_cols, _ = _seed_rows()
    n_seed_hospitals = len(SEED_HOSPITALS)
    n_hospitals = shape.hospitals - n_seed_hospitals
    if n_hospitals < len(REGION_CODES):
        raise ValueError("a scale needs a synthetic hospital in every region")

    # Hospitals: one in every region, the rest where the weights say.
    h_region = np.concatenate([
        rng.permutation(np.array(REGION_CODES, dtype=object)),
        _choice(rng, REGION_WEIGHTS["hospital"], n_hospitals - len(REGION_CODES)),
    ])
    h_tier = rng.permutation(_allocate(n_hospitals, HOSPITAL_TIER_SHARES))
    if not np.any((h_tier == "tertiary") & (h_region == "11")):
        # The Seoul safe centre is a tertiary hospital: make sure Seoul has one.
        seoul = np.flatnonzero(h_region == "11")[0]
        tertiary = np.flatnonzero(h_tier == "tertiary")[0]
        h_tier[[seoul, tertiary]] = h_tier[[tertiary, seoul]]
    h_ko, h_en = _names(rng, h_tier, HOSPITAL_FORMS)

    # Other kinds, the seed requesters counted among the companies.
    others = rng.permutation(_allocate(shape.institutions - shape.hospitals, NON_HOSPITAL_KINDS))
    others = np.delete(others, np.flatnonzero(others == "company")[: len(SEED_REQUESTERS)])
    n_others = len(others)
    sector = np.full(n_others, None, dtype=object)
    is_company = others == "company"
    sector[is_company] = rng.permutation(_allocate(int(is_company.sum()), COMPANY_SECTOR_SHARES))
    o_region = np.where(
        is_company,
        _choice(rng, REGION_WEIGHTS["company"], n_others),
        _choice(rng, REGION_WEIGHTS["other"], n_others),
    )
    name_group = np.where(is_company, sector, others)
    o_ko, o_en = _names(rng, name_group, {**COMPANY_FORMS, **OTHER_FORMS})

    kind = np.concatenate([np.full(n_hospitals, "hospital", dtype=object), others])
    region = np.concatenate([h_region, o_region])
    tier = np.concatenate([h_tier, np.full(n_others, None, dtype=object)])
    lat, lon = _coordinates(rng, region)

    # Joining: a set number each year, so that more join every year with a jump at the launch;
    # hospitals spread evenly, their infrastructure funded in the year they joined or the next.
    n = len(kind)
    joined = np.concatenate([
        _onboarding_dates(rng, rng.permutation(_allocate(n_hospitals, HOSPITAL_JOIN_YEARS))),
        _onboarding_dates(rng, rng.permutation(_allocate(n_others, _onboarding_year_shares()))),
    ])
    has_infra = rng.random(n_hospitals) < _lookup(h_tier, INFRASTRUCTURE_CHANCE)
    next_year = rng.random(n_hospitals) < INFRASTRUCTURE_NEXT_YEAR
    infra_year = np.where(has_infra, np.minimum(_year(joined[:n_hospitals]) + next_year, 2026), 0)

    prefix = {"hospital": "HOSP-", "company": "COMP-", "university": "UNIV-",
              "research_institute": "INST-", "public_agency": "AGCY-"}
    ids = np.empty(n, dtype=object)
    for k, p in prefix.items():
        where = np.flatnonzero(kind == k)
        ids[where] = _ids(p, len(where), 4)

    synthetic = _frame({
        "institution_id": ids,
        "name_en": np.concatenate([h_en, o_en]),
        "name_ko": np.concatenate([h_ko, o_ko]),
        "kind": kind,
        "hospital_tier": tier,
        "company_sector": np.concatenate([np.full(n_hospitals, None, dtype=object), sector]),
        "region_code": region,
        "latitude": lat,
        "longitude": lon,
        "joined_on": joined,
        "infrastructure_since": np.concatenate([np.where(has_infra, infra_year, -1),
                                                np.full(n_others, -1)]),
    }).with_columns(
        pl.col("infrastructure_since").replace(-1, None),
        pl.lit(None, dtype=pl.Date).alias("safe_centre_since"),
    )
    seed = pl.DataFrame(seed_cols, schema=synthetic.schema, strict=False)
    # Hospitals first, the press release's leading each group.
    frame = pl.concat([seed.filter(pl.col("kind") == "hospital"),
                       synthetic.filter(pl.col("kind") == "hospital"),
                       seed.filter(pl.col("kind") != "hospital"),
                       synthetic.filter(pl.col("kind") != "hospital")])
    return _designate_centres(rng, frame)


def _designate_centres(rng, inst: pl.DataFrame) -> pl.DataFrame:
    """Five synthetic institutions become safe utilisation centres, one per region of
    SAFE_CENTRES: the best-tier institution of the kind in that region (another region's
    moves there when the region has none)."""
    kind = inst["kind"].to_numpy()
    region = inst["region_code"].to_numpy().copy()
    rank = inst["hospital_tier"].replace_strict(
        {"tertiary": 0, "general": 1, "hospital": 2}, default=3).to_numpy()
    synthetic = ~inst["institution_id"].str.starts_with("SEED-").to_numpy()
    lat = inst["latitude"].to_numpy().copy()
    lon = inst["longitude"].to_numpy().copy()
    joined = inst["joined_on"].to_numpy().astype("datetime64[D]")
    since = np.full(inst.height, np.datetime64("NaT"), dtype="datetime64[D]")
    for code, centre_kind, designated in SAFE_CENTRES:
        free = np.flatnonzero((kind == centre_kind) & synthetic & np.isnat(since))
        if len(free) == 0:
            raise ValueError(f"no {centre_kind} to designate as a safe centre")
        best = free[np.lexsort((free, rank[free], region[free] != code))[0]]
        if region[best] != code:
            region[best] = code
            (lat[best],), (lon[best],) = _coordinates(rng, np.array([code], dtype=object))
        since[best] = np.datetime64(designated)
        # A centre was in the programme well before its designation.
        joined[best] = min(joined[best], since[best] - 90)
    return inst.with_columns(
        pl.Series("region_code", region), pl.Series("latitude", lat),
        pl.Series("longitude", lon), pl.Series("joined_on", joined),
        pl.Series("safe_centre_since", since),
    )


# --- quality assessments ------------------------------------------------------------------------


def _assessments(rng, inst: pl.DataFrame) -> pl.DataFrame:
    """Each hospital's assessment dates and, per assessment, the intended share of failing checks.

    Hospitals with infrastructure are assessed quarterly from around their infrastructure year
    (those funded the year after joining from soon after joining); the others rarely or never,
    and none before it joined. Quality climbs from BASE_PASS_RATE once the infrastructure runs;
    a few hospitals slip in their latest assessment.
    """
    hosp = inst.filter(pl.col("kind") == "hospital")
    n = hosp.height
    tier = hosp["hospital_tier"].to_numpy()
    is_seed = hosp["institution_id"].str.starts_with("SEED-").to_numpy()
    infra = hosp["infrastructure_since"].fill_null(0).to_numpy()
    has_infra = infra > 0
    infra_month = (np.maximum(infra, 2020) - 2020) * 12
    joined = hosp["joined_on"].to_numpy().astype("datetime64[M]")
    joined_month = (joined - MONTHS_ORIGIN).astype(int)

    interval = np.where(has_infra, ASSESSMENT_MONTHS, rng.integers(6, 10, n))
    baseline = has_infra & (infra > _year(joined))
    start = np.where(baseline, joined_month + rng.integers(1, 4, n),
                     infra_month + rng.integers(0, 6, n))
    start = np.where(has_infra, start, rng.integers(LAST_MONTH - 20, LAST_MONTH + 1, n))
    start = np.maximum(start, joined_month + 1)
    assessed = has_infra | (rng.random(n) < UNFUNDED_ASSESSED)
    count = np.where(assessed, np.maximum((LAST_MONTH - start) // interval + 1, 0), 0)
    kept = np.minimum(count, MAX_ASSESSMENTS)
    first = start + (count - kept) * interval  # the latest MAX_ASSESSMENTS are kept

    h = np.repeat(np.arange(n), kept)
    k = np.arange(kept.sum()) - np.repeat(np.cumsum(kept) - kept, kept)
    month = first[h] + k * interval[h]
    day = rng.integers(0, 26, n)[h]  # up to the 26th: the last one stays before the data date
    assessed_on = (MONTHS_ORIGIN + month).astype("datetime64[D]") + day

    tier_level = np.select([tier == "tertiary", tier == "hospital"], [0.01, -0.015], 0.0)
    level = rng.normal(0, 0.02, n) + tier_level
    level = np.where(is_seed, np.abs(level), level)
    years_on = np.where(has_infra[h], (month - infra_month[h]) / 12, -1.0)
    gain = np.where(years_on >= 0, INFRASTRUCTURE_GAIN * (1 - np.exp(-years_on / GAIN_YEARS)), 0)
    pass_rate = BASE_PASS_RATE + level[h] + gain + rng.normal(0, 0.012, len(h))
    pass_rate -= np.where(rng.random(len(h)) < 0.05, rng.uniform(0.03, 0.06, len(h)), 0)
    # A few hospitals slip in their latest assessment (never the press release's ones), so the
    # quality alert has something to show.
    slips = (rng.random(n) < REGRESSION_SHARE) & (kept >= 2) & ~is_seed
    if not slips.any():
        slips[np.argmax(np.where(is_seed, -1, kept))] = True
    latest = k == kept[h] - 1
    pass_rate -= np.where(latest & slips[h], rng.uniform(0.07, 0.12, len(h)), 0)

    size = np.select([tier == "tertiary", tier == "general"], [1.2e6, 3e5], 6e4)
    persons = size * rng.lognormal(0, 0.35, n)
    tables = list(CDM_ROWS_PER_PERSON)
    missing = np.zeros(n, dtype=np.int64)
    for table, chance in CDM_TABLE_MISSING.items():
        lacks = rng.random(n) < chance * np.where(tier == "tertiary", 0.5, 1.0)
        missing |= np.where(lacks, 1 << tables.index(table), 0)

    frame = _frame({
        "institution_id": hosp["institution_id"].to_numpy()[h],
        "assessed_on": assessed_on,
        "persons": persons[h] * (1 + 0.06 * month / 12),  # databases grow
        "fail_rate": 1 - np.clip(pass_rate, 0.55, 0.995),
        "missing_tables": missing[h],
    }).sort("institution_id", "assessed_on")
    return frame.with_row_index("assessment_no").with_columns(
        pl.col("assessment_no").cast(pl.Int64),
        (pl.col("institution_id").rank("dense") - 1).cast(pl.Int64).alias("hospital_rank"),
    )


# --- agreements ---------------------------------------------------------------------------------


def _agreements(rng, inst: pl.DataFrame, shape: Scale) -> tuple[pl.DataFrame, pl.DataFrame]:
    kind = inst["kind"].to_numpy()
    ids = inst["institution_id"].to_numpy()
    joined = inst["joined_on"].to_numpy().astype("datetime64[D]")
    is_seed = inst["institution_id"].str.starts_with("SEED-").to_numpy()
    n = shape.agreements - len(SEED_AGREEMENTS)

    signed = _weekday(_dates_on_curve(rng, n, AGREEMENTS_FROM, DATA_DATE, AGREEMENT_GROWTH,
                                      AGREEMENT_LAUNCH_BOOST))
    # Requesters: the release's four have only their own agreement.
    req = np.flatnonzero(np.isin(kind, schema.REQUESTER_KINDS) & ~is_seed)
    kind_or_sector = np.where(kind == "company", inst["company_sector"].to_numpy(), kind)[req]
    weight = _lookup(kind_or_sector, REQUESTER_PICK_WEIGHT) * rng.lognormal(0, 0.8, len(req))
    # (the lognormal factor: a few requesters are very active)
    requester = req[_pick_joined_by(rng, signed, joined[req], weight)]

    # Hospitals: 1-4 distinct ones that had joined, tertiary and capital-area ones favoured
    # (Gumbel top-k: a weighted draw without replacement for every agreement at once).
    hosp = np.flatnonzero(kind == "hospital")
    tier = inst["hospital_tier"].to_numpy()[hosp]
    h_weight = (_lookup(tier, HOSPITAL_PICK_WEIGHT)
                * np.where(np.isin(inst["region_code"].to_numpy()[hosp], CAPITAL_AREA),
                           CAPITAL_PICK_BOOST, 1.0)
                * np.where(inst["infrastructure_since"].is_not_null().to_numpy()[hosp], 1.5, 1.0)
                * rng.lognormal(0, 0.5, len(hosp)))
    eligible = joined[hosp][None, :] <= signed[:, None]
    eligible[~eligible.any(axis=1)] = True
    keys = np.where(eligible, np.log(h_weight) + rng.gumbel(size=eligible.shape), -np.inf)
    ranked = np.argsort(-keys, axis=1)[:, :max(HOSPITALS_PER_AGREEMENT)]
    wanted = _choice(rng, HOSPITALS_PER_AGREEMENT, n).astype(int)
    row = np.repeat(np.arange(n), wanted)
    pick = ranked[row, np.arange(len(row)) - np.repeat(np.cumsum(wanted) - wanted, wanted)]
    usable = np.isfinite(keys[row, pick])
    row, party = row[usable], hosp[pick[usable]]

    # Signed once every party had joined.
    latest_join = joined[requester].copy()
    np.maximum.at(latest_join, row, joined[party])
    signed = np.maximum(signed, latest_join)

    age = (DATA_DATE - signed).astype(int)
    planned_end = signed + rng.integers(*AGREEMENT_DAYS, n)
    started = age >= STARTUP_DAYS
    terminated = started & (rng.random(n) < TERMINATED_SHARE)
    completed = started & ~terminated & (planned_end <= DATA_DATE)
    status = np.select(
        [~started & (rng.random(n) < 0.8), terminated, completed],
        ["signed", "terminated", "completed"],
        "active",
    )
    ends_on = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    ends_on[completed] = planned_end[completed]
    stopped = signed + STARTUP_DAYS + (rng.random(n) * (age - STARTUP_DAYS)).astype(int)
    ends_on[terminated] = stopped[terminated]

    area = _choice(rng, RESEARCH_AREA_SHARES, n)
    title = np.full(n, None, dtype=object)
    for a, subjects in TITLE_SUBJECTS.items():
        where = np.flatnonzero(area == a)
        subject = rng.choice(np.array(subjects, dtype=object), len(where))
        design = rng.choice(np.array(TITLE_DESIGNS, dtype=object), len(where))
        title[where] = design + subject
    title[rng.random(n) < UNTITLED_SHARE] = None

    order = np.lexsort((np.arange(n), signed))
    agreement_id = np.empty(n, dtype=object)
    agreement_id[order] = _ids("AGR-", n, 5)
    synthetic = _frame({
        "agreement_id": agreement_id, "signed_on": signed, "requester_id": ids[requester],
        "research_area": area, "title": title, "status": status, "ends_on": ends_on,
    })
    parties = _frame({"agreement_id": agreement_id[row], "hospital_id": ids[party]})

    _, seed_pairs = _seed_rows()
    seed_ids = {requester_id: f"AGR-SEED-{i}"
                for i, requester_id in enumerate(dict.fromkeys(r for r, _ in seed_pairs), 1)}
    seed = pl.DataFrame({
        "agreement_id": list(seed_ids.values()),
        "signed_on": [SEED_SIGNED_ON.item()] * len(seed_ids),
        "requester_id": list(seed_ids),
        "research_area": [SEED_AGREEMENTS[name][0] for name in SEED_REQUESTERS],
        "title": [SEED_AGREEMENTS[name][1] for name in SEED_REQUESTERS],
        "status": ["active"] * len(seed_ids),
        "ends_on": [None] * len(seed_ids),
    }, schema=synthetic.schema)
    seed_parties = pl.DataFrame({
        "agreement_id": [seed_ids[r] for r, _ in seed_pairs],
        "hospital_id": [h for _, h in seed_pairs],
    })
    agreements = pl.concat([synthetic.sort("agreement_id"), seed])
    parties = pl.concat([parties, seed_parties]).sort("agreement_id", "hospital_id")
    return agreements, parties


# --- data requests ------------------------------------------------------------------------------


def _requests(rng, inst, agreements, parties, shape: Scale) -> pl.DataFrame:
    n = shape.requests
    signed = agreements["signed_on"].to_numpy().astype("datetime64[D]")
    status = agreements["status"].to_numpy()
    ends_on = agreements["ends_on"].to_numpy().astype("datetime64[D]")
    area = agreements["research_area"].to_numpy()

    # Requests come while an agreement runs, from a week after signing.
    start = signed + FIRST_REQUEST_AFTER_DAYS
    end = np.where(np.isnat(ends_on), DATA_DATE, ends_on - 30)
    window = (end - start).astype(int)
    index = dict(zip(agreements["agreement_id"].to_list(), range(agreements.height)))
    party_row = _lookup(parties["agreement_id"].to_numpy(), index).astype(int)
    party_count = np.bincount(party_row, minlength=agreements.height)
    party_offset = np.cumsum(party_count) - party_count  # parties are sorted by agreement
    weight = np.where((status == "signed") | (window <= 0), 0.0, np.maximum(window, 0))
    weight = weight * np.sqrt(party_count) * rng.lognormal(0, 0.7, len(weight))
    a = rng.choice(len(weight), size=n, p=weight / weight.sum())
    requested = start[a] + (rng.random(n) * (window[a] + 1)).astype(int)
    party = party_offset[a] + (rng.random(n) * party_count[a]).astype(int)
    hospital = parties["hospital_id"].to_numpy()[party]

    hospitals = inst.filter(pl.col("kind") == "hospital")
    tier = _lookup(hospital, dict(zip(hospitals["institution_id"], hospitals["hospital_tier"])))
    region = _lookup(hospital, dict(zip(hospitals["institution_id"], hospitals["region_code"])))

    # Access: a safe centre once one had been designated, otherwise remote analysis or transfer.
    centres = inst.filter(pl.col("safe_centre_since").is_not_null())
    since = centres["safe_centre_since"].to_numpy().astype("datetime64[D]")
    open_centre = since[None, :] <= requested[:, None]
    near = np.where(centres["region_code"].to_numpy()[None, :] == region[:, None], 3.0, 1.0)
    keys = np.where(open_centre, np.log(near) + rng.gumbel(size=open_centre.shape), -np.inf)
    use_centre = open_centre.any(axis=1) & (rng.random(n) < SAFE_CENTRE_SHARE)
    nearest_open = centres["institution_id"].to_numpy()[np.argmax(keys, axis=1)]
    centre = np.where(use_centre, nearest_open, None)
    mode = np.where(use_centre, "safe_centre",
                    np.where(rng.random(n) < 0.45, "remote_analysis", "deidentified_transfer"))

    data_type = _choice(rng, DATA_TYPE_SHARES, n)
    leaning = _lookup(area[a], AREA_DATA_TYPE, default="")
    data_type = np.where((leaning != "") & (rng.random(n) < 0.6), leaning, data_type)

    # Lead times: long-tailed, tertiary hospitals a little faster, safe centres deliver sooner.
    speed = np.where(tier == "tertiary", TERTIARY_SPEED, 1.0)
    to_approval = np.maximum(1, np.round(_lognormal_days(rng, n, *DAYS_TO_APPROVAL) * speed))
    to_delivery = np.maximum(1, np.round(_lognormal_days(rng, n, *DAYS_TO_DELIVERY) * speed
                                         * np.where(use_centre, 0.7, 1.0)))
    outcome = _choice(rng, REQUEST_OUTCOMES, n)
    to_approval = np.where(outcome == "stalled", rng.integers(*STALLED_DAYS, n), to_approval)
    approved_at = requested + to_approval.astype(int)
    delivered_at = approved_at + to_delivery.astype(int)
    after_approval = (outcome == "withdrawn") & (rng.random(n) < WITHDRAWN_AFTER_APPROVAL)
    decided_at = np.select(
        [outcome == "rejected", after_approval, outcome == "withdrawn"],
        [approved_at, approved_at + _lognormal_days(rng, n, 10, 0.8).astype(int),
         requested + _lognormal_days(rng, n, 25, 0.8).astype(int)],
        delivered_at,
    )
    is_approved = approved_at <= DATA_DATE
    is_delivered = np.isin(outcome, ["delivered", "stalled"]) & (delivered_at <= DATA_DATE)
    is_closed = np.isin(outcome, ["rejected", "withdrawn"]) & (decided_at <= DATA_DATE)
    waited = (DATA_DATE - requested).astype(int)
    still_new = (waited < 14) | (rng.random(n) < 0.25)
    goes_ahead = np.isin(outcome, ["delivered", "stalled"]) | after_approval
    state = np.select(
        [is_delivered, is_closed, is_approved & goes_ahead],
        [np.array("delivered", dtype=object), outcome, np.array("approved", dtype=object)],
        np.where(still_new, "requested", "under_review"),
    )
    shows_approval = (np.isin(state, ["delivered", "approved"])
                      | ((state == "withdrawn") & after_approval))
    approved_on = np.where(shows_approval, approved_at, np.datetime64("NaT"))
    delivered_on = np.where(state == "delivered", delivered_at, np.datetime64("NaT"))

    # Cohort sizes: known once delivered, sometimes estimated at approval.
    patients = np.round(rng.lognormal(np.log(2500), 1.2, n)
                        * np.where(tier == "tertiary", 1.5, 1.0)
                        * np.where(data_type == "genomic", 0.1, 1.0)).astype(np.int64)
    per_patient = rng.lognormal(np.log(30), 1.0, n)
    records = np.maximum(patients, np.round(patients * per_patient)).astype(np.int64)
    sized = (state == "delivered") | ((state == "approved") & (rng.random(n) < 0.3))

    order = np.lexsort((rng.random(n), requested))
    request_id = np.empty(n, dtype=object)
    request_id[order] = _ids("REQ-", n, 7)
    frame = _frame({
        "request_id": request_id,
        "agreement_id": agreements["agreement_id"].to_numpy()[a],
        "hospital_id": hospital,
        "requested_on": requested,
        "approved_on": approved_on.astype("datetime64[D]"),
        "delivered_on": delivered_on.astype("datetime64[D]"),
        "status": state,
        "data_type": data_type,
        "access_mode": mode,
        "centre_id": centre,
        "patients": patients,
        "records": records,
        "sized": sized,
    })
    return frame.with_columns(
        pl.when("sized").then("patients").alias("patients"),
        pl.when("sized").then("records").alias("records"),
    ).drop("sized").sort("request_id")


# --- safe centres and consultations -------------------------------------------------------------


def _centre_usage(rng, inst: pl.DataFrame, requests: pl.DataFrame) -> pl.DataFrame:
    """Each centre, each month from its designation: use ramps up and follows its requests."""
    centres = inst.filter(pl.col("safe_centre_since").is_not_null()).sort("institution_id")
    since = centres["safe_centre_since"].to_numpy().astype("datetime64[D]")
    first = (since.astype("datetime64[M]") - MONTHS_ORIGIN).astype(int)
    months = LAST_MONTH - first + 1
    c = np.repeat(np.arange(centres.height), months)
    k = np.arange(months.sum()) - np.repeat(np.cumsum(months) - months, months)
    month = (MONTHS_ORIGIN + first[c] + k).astype("datetime64[D]")
    next_month = (MONTHS_ORIGIN + first[c] + k + 1).astype("datetime64[D]")
    # Part months: the designation month from its day, the data month up to the data date.
    open_from = np.maximum(month, since[c])
    open_to = np.minimum(next_month, DATA_DATE + 1)
    coverage = (open_to - open_from).astype(int) / (next_month - month).astype(int)

    frame = _frame({"centre_id": centres["institution_id"].to_numpy()[c], "month": month})
    routed = (
        requests.filter(pl.col("access_mode") == "safe_centre")
        .group_by("centre_id", pl.col("requested_on").dt.truncate("1mo").alias("month"))
        .len()
    )
    demand = frame.join(routed, on=["centre_id", "month"], how="left", maintain_order="left")[
        "len"].fill_null(0).to_numpy()

    # Seats are few: use follows each centre's share of demand, not the scale's request volume.
    base = rng.uniform(*CENTRE_SESSIONS, centres.height)[c]
    ramp = 1 - np.exp(-(k + 1) / 3)
    demand_index = demand / max(demand.mean(), 1)
    sessions = rng.poisson(base * ramp * (0.6 + 0.4 * demand_index) * coverage)
    researchers = np.round(sessions * rng.uniform(0.3, 0.45, len(c))).astype(np.int64)
    researchers = np.where(sessions > 0, np.maximum(researchers, 1), 0)
    hours = np.round(sessions * rng.lognormal(np.log(4.5), 0.2, len(c)) * 2) / 2
    return frame.with_columns(
        pl.Series("sessions", sessions.astype(np.int64)),
        pl.Series("researcher_hours", hours),
        pl.Series("researchers", researchers.astype(np.int64)),
    )


def _consultations(rng, inst: pl.DataFrame, shape: Scale) -> pl.DataFrame:
    n = shape.consultations
    pilot = rng.random(n) < CONSULTATION_PILOT_SHARE
    held = np.where(
        pilot,
        PILOTS_FROM + rng.integers(0, (LAUNCH - PILOTS_FROM).astype(int), n),
        _dates_on_curve(rng, n, LAUNCH, DATA_DATE, 0.5, 1.0),
    )
    held = _weekday(held)
    weight = _lookup(inst["kind"].to_numpy(), CONSULTING_WEIGHT)
    # Advice often comes just before an institution formally joins.
    joined = inst["joined_on"].to_numpy().astype("datetime64[D]")
    who = _pick_joined_by(rng, held + 60, joined, weight)
    hours = np.clip(np.round(rng.lognormal(np.log(2), 0.6, n) * 2) / 2, 0.5, 8.0)
    satisfaction = _choice(rng, SATISFACTION_SHARES, n).astype(float)
    satisfaction[rng.random(n) < SATISFACTION_MISSING] = np.nan

    order = np.lexsort((rng.random(n), held))
    consultation_id = np.empty(n, dtype=object)
    consultation_id[order] = _ids("CON-", n, 6)
    frame = _frame({
        "consultation_id": consultation_id,
        "institution_id": inst["institution_id"].to_numpy()[who],
        "held_on": held,
        "topic": rng.permutation(_allocate(n, CONSULTATION_TOPICS)),
        "hours": hours,
        "satisfaction": satisfaction,
    })
    return frame.with_columns(
        pl.col("satisfaction").fill_nan(None).cast(pl.Int64)
    ).sort("consultation_id")


# --- quality checks -----------------------------------------------------------------------------


def _check_catalogue(rng, shape: Scale) -> pl.DataFrame:
    """The checks every assessment runs: field-level ones from CDM_FIELDS, then concept-level
    plausibility checks up to the scale's catalogue size."""
    rows = []  # check_id, type, table, rows per person, concept level
    for table, spec in CDM_FIELDS.items():
        per_person = CDM_ROWS_PER_PERSON[table]
        rows.append((f"cdmTable.{table}", "cdmTable", table, per_person, False))
        if table != "person":
            rows.append((f"measurePersonCompleteness.{table}", "measurePersonCompleteness",
                         table, 1.0, False))
        for item in spec.split(", "):
            field, _, flags = item.partition(" ")
            types = ["cdmField", "measureValueCompleteness"]
            types += ["isPrimaryKey", "isRequired"] if "K" in flags else []
            types += ["isRequired"] if "R" in flags else []
            types += ["isForeignKey", "fkDomain", "isStandardValidConcept",
                      "standardConceptRecordCompleteness", "cdmDatatype"] if "C" in flags else []
            types += ["isForeignKey", "sourceConceptRecordCompleteness"] if "S" in flags else []
            types += ["sourceValueCompleteness"] if "V" in flags else []
            types += ["isForeignKey", "cdmDatatype"] if "F" in flags else []
            if "N" in flags:
                types += ["cdmDatatype", "plausibleValueLow", "plausibleValueHigh"]
            if "D" in flags:
                types += ["plausibleValueLow", "plausibleValueHigh"]
                if table not in ("person", "death"):
                    types += ["plausibleAfterBirth", "plausibleBeforeDeath"]
                types += ["withinVisitDates"] if table in EVENT_TABLES else []
            types += ["plausibleStartBeforeEnd"] if "E" in flags else []
            share = 1.0 if "R" in flags or "K" in flags else rng.uniform(0.3, 1.0)
            rows += [(f"{t}.{table}.{field}", t, table, per_person * share, False)
                     for t in dict.fromkeys(types)]
    fields = pl.DataFrame(
        rows, schema=["check_id", "type", "cdm_table", "row_factor", "concept_level"], orient="row"
    )
    n_concepts = max(shape.checks - fields.height, round(MIN_CONCEPT_CHECKS * shape.checks))
    if fields.height > shape.checks - n_concepts:  # a small catalogue: a sample of the fields
        fields = fields.sample(shape.checks - n_concepts, seed=int(rng.integers(2**31)),
                               shuffle=False)
    catalogue = pl.concat([fields, _concept_checks(rng, n_concepts)])

    types = pl.DataFrame(
        [(name, category, context, list(thresholds))
         for name, (category, context, thresholds) in CHECK_TYPES.items()],
        schema=["type", "category", "context", "thresholds"], orient="row",
    )
    catalogue = catalogue.join(types, on="type", how="left", maintain_order="left")
    difficulty = (_lookup(catalogue["category"].to_numpy(), CATEGORY_DIFFICULTY)
                  * rng.lognormal(0, 0.6, catalogue.height))
    table_bits = {table: 1 << i for i, table in enumerate(CDM_ROWS_PER_PERSON)}
    return catalogue.with_row_index("check_no").with_columns(
        pl.col("check_no").cast(pl.Int64),
        pl.col("thresholds").list.get(
            pl.Series(rng.integers(0, 60, catalogue.height)) % pl.col("thresholds").list.len()
        ).cast(pl.Int64).alias("threshold"),
        pl.Series("difficulty", difficulty / difficulty.mean()),
        pl.Series("table_bit", _lookup(catalogue["cdm_table"].to_numpy(), table_bits)),
    ).drop("thresholds")


def _concept_checks(rng, n: int) -> pl.DataFrame:
    """Per-concept checks: value range and units of measurements (three checks per concept),
    gender plausibility of conditions and procedures (one each)."""
    n_measurements = int(n * 0.6) // 3
    n_gender = n - 3 * n_measurements
    others = np.setdiff1d(np.arange(3_000_000, 3_060_000), MEASUREMENT_CONCEPTS)
    measured = np.concatenate([
        MEASUREMENT_CONCEPTS, rng.choice(others, n_measurements, replace=False)
    ])[:n_measurements].astype(str).astype(object)
    gendered = rng.choice(np.arange(4_000_000, 4_400_000), n_gender, replace=False)
    gendered = gendered.astype(str).astype(object)
    is_condition = rng.random(n_gender) < 0.6
    gender_table = np.where(is_condition, "condition_occurrence", "procedure_occurrence")
    gender_field = np.where(is_condition, "condition_concept_id", "procedure_concept_id")
    check_id = np.concatenate([
        "plausibleValueLow.measurement.value_as_number." + measured,
        "plausibleValueHigh.measurement.value_as_number." + measured,
        "plausibleUnitConceptIds.measurement.unit_concept_id." + measured,
        "plausibleGender." + gender_table.astype(object) + "." + gender_field.astype(object)
        + "." + gendered,
    ])
    kinds = np.concatenate([
        np.repeat(["plausibleValueLow", "plausibleValueHigh", "plausibleUnitConceptIds"],
                  n_measurements),
        np.full(n_gender, "plausibleGender"),
    ])
    table = np.concatenate([np.full(3 * n_measurements, "measurement"), gender_table])
    concept_share = np.clip(rng.lognormal(np.log(0.003), 1.0, n_measurements), 1e-5, 0.2)
    share = np.concatenate([np.tile(concept_share, 3),
                            np.clip(rng.lognormal(np.log(0.002), 1.0, n_gender), 1e-5, 0.1)])
    per_person = _lookup(table.astype(object), CDM_ROWS_PER_PERSON)
    return pl.DataFrame({
        "check_id": check_id.tolist(), "type": kinds.tolist(), "cdm_table": table.tolist(),
        "row_factor": per_person * share, "concept_level": np.ones(n, dtype=bool),
    })


def _insert_quality_checks(con, assessments, catalogue, seed, batch_id, shape, report) -> None:
    slices = shape.check_slices
    # Slices hold whole hospitals, so rows land in the table in the order of the SQL.
    hospitals = max(assessments["institution_id"].n_unique(), 1)
    con.register("assessment_rows", assessments.with_columns(
        (pl.col("hospital_rank") * slices // hospitals).alias("slice")).to_arrow())
    con.register("check_rows", catalogue.to_arrow())
    queries.execute(con, "demo_stage_quality", {})
    con.unregister("assessment_rows")
    con.unregister("check_rows")
    try:
        for part in range(slices):
            queries.execute(con, "demo_quality_checks", {
                "seed": seed, "slice": part, "batch_id": batch_id,
                "absent_share": CONCEPT_ABSENT_SHARE, "empty_share": CONCEPT_EMPTY_SHARE,
            })
            report("quality checks", 0.15 + 0.75 * (part + 1) / slices)
    finally:
        con.execute("drop table if exists demo_assessments")
        con.execute("drop table if exists demo_checks")
