"""OHDSI Data Quality Dashboard results, as hospitals write them, read into `quality_checks`.

A hospital sends the file DQD wrote; nobody converts it by hand. Every generation in use:
- v1 with upper-case keys (2019): `CheckResults[]` with CHECK_NAME, CDM_TABLE, CDM_FIELD,
  CATEGORY, CONTEXT, FAILED, NUM_VIOLATED_ROWS, PCT_VIOLATED_ROWS; no denominator, threshold or
  timestamp;
- v1 in camelCase (2020): checkName, cdmTableName, cdmFieldName, failed, numViolatedRows,
  numDenominatorRows, thresholdValue, a run-specific numeric checkId, and startTimestamp;
- v2 (DQD 2.x): adds passed, isError, error, notApplicable, notApplicableReason, conceptId,
  unitConceptId, checkLevel;
- DQD's CSV export (`writeJsonResultsToCsv`) of the same results.

DQD's verdict is kept as given (`status`); denominators and thresholds are kept when present and
left empty when absent. A check's id is `checkName.table.field[.conceptId[.unitConceptId]]`,
lower-cased: DQD's own numeric checkId changes between runs, this one matches a 2020 check with
the same check in 2024. The hospital and, when the file has no startTimestamp, the assessment
date come from whoever loads it (Submission.hospital, Submission.assessed_on).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass

import polars as pl

from oversight.loader import problems

MAX_JSON_BYTES = 100 * 1024 * 1024  # DQD 2.x with concept checks writes 20-60 MB
MAX_CHECKS = 500_000  # DQD 2.x runs about 4,000 checks per database, 25,000 with every concept check
SHEET = "CheckResults"  # where a problem lies in a JSON file, as the problem's sheet

# DQD's field names, upper-case (2019) to camelCase (2020 and later).
UPPER_CASE = {
    "CHECK_ID": "checkId", "CHECK_NAME": "checkName", "CHECK_LEVEL": "checkLevel",
    "CHECK_DESCRIPTION": "checkDescription", "CDM_TABLE": "cdmTableName", "CDM_TABLE_NAME": "cdmTableName",
    "CDM_FIELD": "cdmFieldName", "CDM_FIELD_NAME": "cdmFieldName", "CONCEPT_ID": "conceptId",
    "UNIT_CONCEPT_ID": "unitConceptId", "CATEGORY": "category", "SUBCATEGORY": "subcategory",
    "CONTEXT": "context", "FAILED": "failed", "PASSED": "passed", "IS_ERROR": "isError",
    "NOT_APPLICABLE": "notApplicable", "NOT_APPLICABLE_REASON": "notApplicableReason", "ERROR": "error",
    "NUM_VIOLATED_ROWS": "numViolatedRows", "PCT_VIOLATED_ROWS": "pctViolatedRows",
    "NUM_DENOMINATOR_ROWS": "numDenominatorRows", "THRESHOLD_VALUE": "thresholdValue",
    "NOTES_VALUE": "notesValue",
}
# What a CSV header must name to be DQD's export rather than a contract table.
CSV_MARKS = frozenset({"checkname", "cdmtablename", "category", "context"})
_DAY = re.compile(r"(\d{4}-\d{2}-\d{2})")


@dataclass(frozen=True)
class Results:
    """One DQD results file, read."""

    generation: str  # 'v1_upper' (2019), 'v1_camel' (2020), 'v2' (DQD 2.x) or 'csv'
    checks: list[dict]  # camelCase keys
    source_name: str | None = None  # Metadata's CDM_SOURCE_NAME: which database ran it
    started_on: dt.date | None = None  # the day of startTimestamp
    row_numbers: list[int] | None = None  # each check's row in a CSV file (blank rows skipped)


class NotDqd(Exception):
    """Not DQD results; carries the problem (rule and detail)."""

    def __init__(self, rule: str, **detail):
        super().__init__(rule)
        self.rule = rule
        self.detail = detail


def looks_like_json(data: bytes) -> bool:
    return data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{"


def read_json(data: bytes) -> Results:
    """DQD's results JSON, or NotDqd naming the rule it breaks."""
    if len(data) > MAX_JSON_BYTES:
        raise NotDqd("file.json_too_large", size_mb=round(len(data) / 2**20, 1), limit_mb=MAX_JSON_BYTES // 2**20)
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except RecursionError:
        raise NotDqd("file.json_too_deep") from None  # a nesting bomb: thousands of brackets deep
    except (UnicodeDecodeError, ValueError) as exc:
        raise NotDqd("file.json_unreadable", detail=str(exc)[:200]) from None
    checks = document.get("CheckResults") if isinstance(document, dict) else None
    if not isinstance(checks, list):
        raise NotDqd("file.not_dqd")
    if len(checks) > MAX_CHECKS:
        raise NotDqd("file.dqd_too_many_checks", count=len(checks), limit=MAX_CHECKS)
    upper = any(isinstance(c, dict) and "CHECK_NAME" in c for c in checks[:1])
    checks = [_camel(c) if upper else c for c in checks]
    generation = "v1_upper" if upper else "v2" if any(
        isinstance(c, dict) and ("passed" in c or "isError" in c or "notApplicable" in c) for c in checks[:50]
    ) else "v1_camel"
    metadata = document.get("Metadata")
    first = metadata[0] if isinstance(metadata, list) and metadata and isinstance(metadata[0], dict) else (
        metadata if isinstance(metadata, dict) else {})
    source = first.get("CDM_SOURCE_NAME", first.get("cdmSourceName"))
    return Results(generation, checks, _text(source), started_on(document.get("startTimestamp")))


def read_csv_rows(header: list[str | None], numbered: list[tuple[int, tuple]]) -> Results:
    """DQD's CSV export: (spreadsheet row, cells) under its header."""
    names = [h or "" for h in header]
    return Results("csv", [dict(zip(names, row, strict=False)) for _, row in numbered],
                   row_numbers=[number for number, _ in numbered])


def is_dqd_header(header: list[str | None]) -> bool:
    return CSV_MARKS <= {(h or "").strip().casefold() for h in header}


def is_results(data: bytes) -> bool:
    """Whether a file is meant as DQD results (JSON, or a CSV whose header is DQD's export), so
    that it needs a hospital; whether it really is DQD output the loader decides."""
    if looks_like_json(data):
        return True
    first_line = data[:4096].lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0].decode("utf-8", "replace")
    return is_dqd_header([h.strip().strip('"') for h in first_line.split(",")])


_GENERIC = re.compile(r"\b(cdm|omop|dqd|db|hospital|university|medical|center|centre|the|of)\b|병원|대학교|의료원|의료센터")


def _core(name: str) -> str:
    """A hospital's name without the words every hospital's name has."""
    return re.sub(r"[\W_]+", "", _GENERIC.sub(" ", name.casefold()))


def suggest_hospital(source_name: str | None, hospitals: list[tuple[str, str | None, str | None]]) -> str | None:
    """The hospital (id, Korean name, English name) whose name matches the file's CDM_SOURCE_NAME
    ("Garam Hospital CDM", "가람병원 OMOP"), by the distinctive part of the name; None unless one
    is close."""
    import difflib

    wanted = _core(source_name or "")
    if not wanted:
        return None
    best, best_ratio = None, 0.85
    for hospital_id, *names in hospitals:
        for core in {_core(n) for n in (*names, hospital_id) if n} - {""}:
            ratio = 1.0 if core == wanted else difflib.SequenceMatcher(None, wanted, core).ratio()
            if ratio >= best_ratio:
                best, best_ratio = hospital_id, ratio
    return best


def describe(data: bytes) -> Results | None:
    """What the Data page needs to ask about a DQD results file; None if it cannot be read as one
    (the loader then says why)."""
    if not looks_like_json(data):
        return Results("csv", []) if is_results(data) else None  # the export names no source or date
    try:
        return read_json(data)
    except NotDqd:
        return None


def started_on(timestamp) -> dt.date | None:
    """The day of DQD's startTimestamp ("2020-06-15 09:12:03", possibly a one-element list)."""
    match = _DAY.search(_text(timestamp) or "")
    if not match:
        return None
    try:
        return dt.date.fromisoformat(match.group(1))
    except ValueError:
        return None


def _camel(check):
    return {UPPER_CASE.get(k, k): v for k, v in check.items()} if isinstance(check, dict) else check


def _scalar(value):
    """jsonlite writes a length-one R vector as a one-element list unless told otherwise."""
    return value[0] if isinstance(value, list) and len(value) == 1 else value


def _absent(value) -> bool:
    return value is None or (isinstance(value, str) and value.strip() in ("", "NA"))


def _text(value) -> str | None:
    value = _scalar(value)
    if _absent(value) or isinstance(value, dict | list):
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _flag(value) -> bool | None:
    text = _text(value)
    if text is None:
        return None
    return text.casefold() in ("1", "true", "yes")


def check_id(check: dict) -> str | None:
    """`checkName.table.field[.conceptId[.unitConceptId]]`, lower-cased; None without a name or table."""
    name, table = _text(check.get("checkName")), _text(check.get("cdmTableName"))
    if name is None or table is None:
        return None
    parts = [name, table, _text(check.get("cdmFieldName")), _text(check.get("conceptId")),
             _text(check.get("unitConceptId"))]
    return ".".join(p for p in parts if p is not None).casefold()


def status(check: dict) -> str | None:
    """DQD's verdict as given: not applicable first (DQD sets it over an error of a missing
    table), then an error, then failed or passed. None when the check carries no verdict."""
    if _flag(check.get("notApplicable")):
        return "not_applicable"
    if _flag(check.get("isError")) or _text(check.get("error")) is not None:
        return "error"
    failed = _flag(check.get("failed"))
    if failed is None:
        return None
    return "failed" if failed else "passed"


COLUMNS = ("institution_id", "assessed_on", "check_id", "category", "context", "cdm_table", "cdm_field",
           "violated_rows", "denominator_rows", "threshold_pct", "status", "message")


def rows(results: Results, hospital: str | None, assessed_on: dt.date | None) -> list[dict]:
    """The checks as text cells of the contract's quality_checks columns."""
    day = assessed_on or results.started_on
    found = []
    for check in results.checks:
        if not isinstance(check, dict) or any(isinstance(v, dict | list) and len(v) != 1 for v in check.values()):
            found.append(None)  # not one check's fields: reported by the caller
            continue
        verdict = status(check)
        found.append({
            "institution_id": hospital,
            "assessed_on": day.isoformat() if day else None,
            "check_id": check_id(check),
            "category": _text(check.get("category")),
            "context": _text(check.get("context")),
            "cdm_table": (_text(check.get("cdmTableName")) or "").casefold() or None,
            "cdm_field": (_text(check.get("cdmFieldName")) or "").casefold() or None,
            "violated_rows": _text(check.get("numViolatedRows")),
            "denominator_rows": _text(check.get("numDenominatorRows")),
            "threshold_pct": _text(check.get("thresholdValue")),
            "status": verdict,
            "message": _text(check.get("error")) if verdict == "error"
            else _text(check.get("notApplicableReason")) if verdict == "not_applicable" else None,
        })
    return found


def frame(results: Results, *, file: str, sheet: str, order: int, first_row: int, hospital: str | None,
          assessed_on: dt.date | None) -> tuple[pl.DataFrame | None, pl.DataFrame]:
    """The checks as a loader sheet frame (text cells + location), and what is wrong at file level:
    no hospital given or no assessment date (then no frame), an entry that is not a check."""
    found = []
    if hospital is None:
        found.append(problems.one("file.dqd_hospital_missing", file=file, order=order))
    if assessed_on is None and results.started_on is None:
        found.append(problems.one("file.dqd_date_missing", file=file, order=order))
    if found:
        return None, problems.combine(found)
    cells = rows(results, hospital, assessed_on)
    numbers = results.row_numbers or range(first_row, first_row + len(cells))
    found.extend(problems.one("dqd.not_a_check", file=file, sheet=sheet, row=number, order=order)
                 for number, c in zip(numbers, cells, strict=True) if c is None)
    kept = [(number, c) for number, c in zip(numbers, cells, strict=True) if c is not None]
    table = pl.DataFrame(
        {
            **{column: [c[column] for _, c in kept] for column in COLUMNS},
            "_row": [r for r, _ in kept],
        },
        schema={**dict.fromkeys(COLUMNS, pl.Utf8), "_row": pl.Int64},
    ).with_columns(pl.lit(file).alias("_file"), pl.lit(sheet).alias("_sheet"), pl.lit(order, dtype=pl.Int64).alias("_order"))
    return table, problems.combine(found)
