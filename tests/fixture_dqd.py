"""Data Quality Dashboard results of each generation, written as DQD writes them.

Field names follow DQD's source (OHDSI/DataQualityDashboard): the upper-case CheckResults of
2019, the camelCase of 2020 (`checkName`, `cdmTableName`, `numDenominatorRows`,
`thresholdValue`, a run-specific numeric `checkId`, `startTimestamp`), DQD 2.x's `passed`,
`isError`, `notApplicable`, `notApplicableReason`, `conceptId`, `unitConceptId`, and the
`Overview` block of R/summarizeResults.R (countTotal, countThresholdFailed, countErrorFailed,
countOverallFailed, countPassed, percentPassed, percentFailed, countTotal<Category>,
countFailed<Category>, countPassed<Category>). The CSV export has the columns of
`writeJsonResultsToCsv`, NA for missing values as R writes them.

Each file's Overview was counted by hand from its checks, by DQD's formulas:
- v1 (2019, 2020): an errored check has FAILED = 1, so countOverallFailed = threshold failures +
  errors and countPassed = countTotal - countOverallFailed;
- v2 (2024): an errored check has isError = 1 and failed = 0; a not-applicable check has
  failed = 0 and passed = 0; countPassed is still countTotal - countOverallFailed (DQD's own
  figure counts errors and not-applicable checks as passed), while countPassed<Category> counts
  passed = 1.
"""

from __future__ import annotations

import csv
import io
import json

# The same hospital database assessed three times. isRequired.person.year_of_birth fails in 2019
# and 2020 and passes in 2024: one id in all three generations.
V1_UPPER_2019 = {
    "CheckResults": [
        {"NUM_VIOLATED_ROWS": 0, "PCT_VIOLATED_ROWS": 0, "EXECUTION_TIME": "0.1 secs", "QUERY_TEXT": "select 1",
         "CHECK_NAME": "isRequired", "CHECK_LEVEL": "FIELD", "CHECK_DESCRIPTION": "The number and percent of records with a NULL value in the GENDER_CONCEPT_ID of the PERSON table.",
         "CDM_TABLE": "PERSON", "CDM_FIELD": "GENDER_CONCEPT_ID", "SQL_FILE": "field_is_not_nullable.sql",
         "CATEGORY": "Conformance", "SUBCATEGORY": "Relational", "CONTEXT": "Verification", "FAILED": 0},
        {"NUM_VIOLATED_ROWS": 12, "PCT_VIOLATED_ROWS": 0.012, "CHECK_NAME": "isRequired", "CHECK_LEVEL": "FIELD",
         "CDM_TABLE": "PERSON", "CDM_FIELD": "YEAR_OF_BIRTH", "CATEGORY": "Conformance",
         "SUBCATEGORY": "Relational", "CONTEXT": "Verification", "FAILED": 1},
        {"NUM_VIOLATED_ROWS": 30, "PCT_VIOLATED_ROWS": 0.006, "CHECK_NAME": "measureValueCompleteness",
         "CHECK_LEVEL": "FIELD", "CDM_TABLE": "VISIT_OCCURRENCE", "CDM_FIELD": "VISIT_END_DATE",
         "CATEGORY": "Completeness", "CONTEXT": "Verification", "FAILED": 0},
        {"NUM_VIOLATED_ROWS": 300, "PCT_VIOLATED_ROWS": 0.03, "CHECK_NAME": "plausibleValueLow",
         "CHECK_LEVEL": "FIELD", "CDM_TABLE": "MEASUREMENT", "CDM_FIELD": "VALUE_AS_NUMBER",
         "CATEGORY": "Plausibility", "SUBCATEGORY": "Atemporal", "CONTEXT": "Verification", "FAILED": 1},
        {"NUM_VIOLATED_ROWS": 0, "PCT_VIOLATED_ROWS": 0, "CHECK_NAME": "plausibleDuringLife", "CHECK_LEVEL": "FIELD",
         "CDM_TABLE": "DRUG_EXPOSURE", "CDM_FIELD": "DRUG_EXPOSURE_START_DATE", "CATEGORY": "Plausibility",
         "SUBCATEGORY": "Temporal", "CONTEXT": "Validation", "FAILED": 0},
        {"NUM_VIOLATED_ROWS": None, "PCT_VIOLATED_ROWS": None, "CHECK_NAME": "cdmTable", "CHECK_LEVEL": "TABLE",
         "CDM_TABLE": "NOTE", "CATEGORY": "Conformance", "SUBCATEGORY": "Relational", "CONTEXT": "Verification",
         "ERROR": "Error executing SQL: relation \"cdm.note\" does not exist", "FAILED": 1},
    ],
    "Metadata": [{"CDM_SOURCE_NAME": "Hanbit University Hospital CDM", "CDM_SOURCE_ABBREVIATION": "HBUH",
                  "CDM_HOLDER": "Hanbit", "SOURCE_RELEASE_DATE": "2019-05-01", "CDM_RELEASE_DATE": "2019-06-01",
                  "CDM_VERSION": "5.3.1", "VOCABULARY_VERSION": "v5.0 04-MAR-19"}],
    "Overview": {
        "countTotal": 6, "countPassed": 3, "countErrorFailed": 1, "countThresholdFailed": 2,
        "countOverallFailed": 3, "percentPassed": 50, "percentFailed": 50,
        "countTotalPlausibility": 2, "countTotalConformance": 3, "countTotalCompleteness": 1,
        "countFailedPlausibility": 1, "countFailedConformance": 2, "countFailedCompleteness": 0,
        "countPassedPlausibility": 1, "countPassedConformance": 1, "countPassedCompleteness": 1,
    },
}

V1_CAMEL_2020 = {
    "startTimestamp": "2020-06-15 09:12:03",
    "endTimestamp": "2020-06-15 10:01:44",
    "executionTime": "49.7 mins",
    "CheckResults": [
        {"numViolatedRows": 0, "pctViolatedRows": 0, "numDenominatorRows": 1000, "executionTime": "0.2 secs",
         "checkName": "isRequired", "checkLevel": "FIELD", "cdmTableName": "PERSON", "cdmFieldName": "GENDER_CONCEPT_ID",
         "category": "Conformance", "subcategory": "Relational", "context": "Verification",
         "checkId": "isRequired_person_gender_concept_id", "failed": 0, "thresholdValue": 0, "notesValue": None},
        {"numViolatedRows": 12, "pctViolatedRows": 0.012, "numDenominatorRows": 1000, "checkName": "isRequired",
         "checkLevel": "FIELD", "cdmTableName": "PERSON", "cdmFieldName": "YEAR_OF_BIRTH", "category": "Conformance",
         "context": "Verification", "checkId": 2817, "failed": 1, "thresholdValue": 0},
        {"numViolatedRows": 30, "pctViolatedRows": 0.006, "numDenominatorRows": 5000,
         "checkName": "measureValueCompleteness", "checkLevel": "FIELD", "cdmTableName": "VISIT_OCCURRENCE",
         "cdmFieldName": "VISIT_END_DATE", "category": "Completeness", "context": "Verification", "checkId": 2818,
         "failed": 0, "thresholdValue": 5},
        {"numViolatedRows": 300, "pctViolatedRows": 0.03, "numDenominatorRows": 10000, "checkName": "plausibleValueLow",
         "checkLevel": "FIELD", "cdmTableName": "MEASUREMENT", "cdmFieldName": "VALUE_AS_NUMBER",
         "category": "Plausibility", "context": "Verification", "checkId": 2819, "failed": 1, "thresholdValue": 1},
        {"numViolatedRows": 0, "pctViolatedRows": 0, "numDenominatorRows": 8000, "checkName": "plausibleDuringLife",
         "checkLevel": "FIELD", "cdmTableName": "DRUG_EXPOSURE", "cdmFieldName": "DRUG_EXPOSURE_START_DATE",
         "category": "Plausibility", "context": "Validation", "checkId": 2820, "failed": 0, "thresholdValue": 1},
        {"numViolatedRows": None, "pctViolatedRows": None, "numDenominatorRows": None, "checkName": "cdmTable",
         "checkLevel": "TABLE", "cdmTableName": "NOTE", "category": "Conformance", "context": "Verification",
         "checkId": 2821, "failed": 1, "thresholdValue": 0,
         "error": "Error executing SQL: relation \"cdm.note\" does not exist"},
        {"numViolatedRows": 50, "pctViolatedRows": 0.0125, "numDenominatorRows": 4000, "checkName": "fkDomain",
         "checkLevel": "FIELD", "cdmTableName": "CONDITION_OCCURRENCE", "cdmFieldName": "CONDITION_CONCEPT_ID",
         "category": "Conformance", "context": "Verification", "checkId": 2822, "failed": 1, "thresholdValue": 0},
    ],
    "Metadata": [{"CDM_SOURCE_NAME": "Hanbit University Hospital CDM", "CDM_RELEASE_DATE": "2020-06-01",
                  "CDM_VERSION": "5.3.1"}],
    "Overview": {
        "countTotal": 7, "countPassed": 3, "countErrorFailed": 1, "countThresholdFailed": 3,
        "countOverallFailed": 4, "percentPassed": 42.86, "percentFailed": 57.14,
        "countTotalPlausibility": 2, "countTotalConformance": 4, "countTotalCompleteness": 1,
        "countFailedPlausibility": 1, "countFailedConformance": 3, "countFailedCompleteness": 0,
        "countPassedPlausibility": 1, "countPassedConformance": 1, "countPassedCompleteness": 1,
    },
}


def _v2(check_name, level, table, field, category, context, *, violated, denominator, threshold, failed=0,
        passed=0, is_error=0, not_applicable=0, reason=None, error=None, concept=None, unit=None, subcategory=None):
    return {
        "numViolatedRows": violated, "pctViolatedRows": None if violated is None or not denominator else violated / denominator,
        "numDenominatorRows": denominator, "executionTime": "0.3 secs", "queryText": "select 1", "checkName": check_name,
        "checkLevel": level, "checkDescription": f"{check_name} on {table}", "cdmTableName": table, "cdmFieldName": field,
        "conceptId": concept, "unitConceptId": unit, "sqlFile": f"{check_name}.sql", "category": category,
        "subcategory": subcategory, "context": context, "error": error, "warning": None,
        "checkId": f"{check_name}_{table}_{field}".lower(), "failed": failed, "passed": passed, "isError": is_error,
        "notApplicable": not_applicable, "notApplicableReason": reason, "thresholdValue": threshold, "notesValue": None,
    }


V2_2024 = {
    "startTimestamp": "2024-03-04 10:00:00",
    "endTimestamp": "2024-03-04 11:20:13",
    "executionTime": "80.2 mins",
    "executionTimeSeconds": 4813,
    "CheckResults": [
        _v2("isRequired", "FIELD", "PERSON", "GENDER_CONCEPT_ID", "Conformance", "Verification",
            violated=0, denominator=1200, threshold=0, passed=1),
        _v2("isRequired", "FIELD", "PERSON", "YEAR_OF_BIRTH", "Conformance", "Verification",
            violated=0, denominator=1200, threshold=0, passed=1),
        _v2("measureValueCompleteness", "FIELD", "VISIT_OCCURRENCE", "VISIT_END_DATE", "Completeness", "Verification",
            violated=600, denominator=5000, threshold=5, failed=1),
        _v2("plausibleValueLow", "CONCEPT", "MEASUREMENT", "VALUE_AS_NUMBER", "Plausibility", "Verification",
            violated=40, denominator=900, threshold=1, failed=1, concept=3004249, unit=8876),
        _v2("plausibleValueLow", "FIELD", "MEASUREMENT", "VALUE_AS_NUMBER", "Plausibility", "Verification",
            violated=250, denominator=11000, threshold=1, failed=1),
        _v2("plausibleDuringLife", "FIELD", "DRUG_EXPOSURE", "DRUG_EXPOSURE_START_DATE", "Plausibility", "Validation",
            violated=0, denominator=9000, threshold=1, passed=1),
        _v2("fkClass", "FIELD", "DRUG_EXPOSURE", "DRUG_CONCEPT_ID", "Conformance", "Verification",
            violated=None, denominator=None, threshold=0, is_error=1,
            error="Error executing SQL: canceling statement due to statement timeout"),
        _v2("measurePersonCompleteness", "TABLE", "DEATH", None, "Completeness", "Validation",
            violated=0, denominator=0, threshold=0, not_applicable=1, reason="Table DEATH does not exist."),
        _v2("fkDomain", "FIELD", "CONDITION_OCCURRENCE", "CONDITION_CONCEPT_ID", "Conformance", "Verification",
            violated=0, denominator=4500, threshold=0, passed=1),
    ],
    "Metadata": [{"CDM_SOURCE_NAME": "Hanbit University Hospital CDM", "CDM_RELEASE_DATE": "2024-02-01",
                  "CDM_VERSION": "5.4", "DQD_VERSION": "2.6.0", "VOCABULARY_VERSION": "v5.0 30-AUG-23"}],
    "Overview": {
        "countTotal": 9, "countPassed": 6, "countErrorFailed": 1, "countThresholdFailed": 3,
        "countOverallFailed": 3, "percentPassed": 66.67, "percentFailed": 33.33,
        "countTotalPlausibility": 3, "countTotalConformance": 4, "countTotalCompleteness": 2,
        "countFailedPlausibility": 2, "countFailedConformance": 0, "countFailedCompleteness": 1,
        "countPassedPlausibility": 1, "countPassedConformance": 3, "countPassedCompleteness": 0,
    },
}

GENERATIONS = {"v1_upper": V1_UPPER_2019, "v1_camel": V1_CAMEL_2020, "v2": V2_2024}

# writeJsonResultsToCsv's default columns (its list names checkLevel twice; written once here).
CSV_COLUMNS = (
    "checkId", "failed", "passed", "isError", "notApplicable", "checkName", "checkDescription", "thresholdValue",
    "notesValue", "checkLevel", "category", "subcategory", "context", "cdmTableName", "cdmFieldName", "conceptId",
    "unitConceptId", "numViolatedRows", "pctViolatedRows", "numDenominatorRows", "executionTime",
    "notApplicableReason", "error", "queryText",
)


def json_bytes(document: dict) -> bytes:
    return json.dumps(document, indent=2).encode()


def csv_export(document: dict) -> bytes:
    """The CSV that DQD's writeJsonResultsToCsv writes from a results file: NA for missing."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for check in document["CheckResults"]:
        writer.writerow(["NA" if check.get(c) is None else check[c] for c in CSV_COLUMNS])
    return out.getvalue().encode()
