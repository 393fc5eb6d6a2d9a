"""The demo's tuning: its scales, dates, shares and rates. Every figure the generator draws
from is here, so changing how the demo looks is a change to this file only."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


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


