"""One hospital: its scores by category, context and table, its trend, and which checks failed
anew, were resolved or persist against the assessment before (after the OHDSI Data Quality Dashboard)."""

from __future__ import annotations

import datetime as dt
import functools

import polars as pl

from oversight.filters import Filters
from oversight.queries import Runner
from oversight.regions import region_name
from oversight.views.localise import labelled
from oversight.views.model import Chart, Codes, Kpi, Name, PageView, Panel, Text, code_text
from oversight.views.quality.common import (
    DEFAULT_THRESHOLD, CATEGORIES, CONTEXTS, CHANGES, DIMENSION_PREFIXES, HOSPITAL, hospital_name_pair,
    latest_scores,
)


def hospital_options(runner: Runner, filters: Filters, lang: str) -> pl.DataFrame:
    """The hospitals the page can open (assessed up to the period's end), by name."""
    overall = latest_scores(runner, filters).filter(pl.col("dimension") == "overall")
    return (
        labelled(hospital_name_pair(overall), (HOSPITAL,), lang)
        .select("institution_id", "hospital", "score", "infrastructure_since")
        .sort("hospital", "institution_id")
    )



def hospital_assessments(runner: Runner, filters: Filters, institution_id: str) -> list[dt.date]:
    """A hospital's assessment dates up to the period's end, latest first."""
    history = runner.run("quality_hospital_history", {"institution_id": institution_id, "date_to": filters.date_to})
    return sorted(history["assessed_on"].unique().to_list(), reverse=True)


def build_hospital(
    runner: Runner,
    filters: Filters,
    institution_id: str,
    threshold: float = DEFAULT_THRESHOLD,
    assessed_on: dt.date | None = None,
) -> PageView | None:
    """One hospital: its scores by category, context and table, its trend, and which checks failed
    anew, were resolved or persist against the assessment before. None if it has no assessment."""
    info = latest_scores(runner, filters).filter(
        pl.col("institution_id") == institution_id, pl.col("dimension") == "overall"
    )
    history = runner.run("quality_hospital_history", {"institution_id": institution_id, "date_to": filters.date_to})
    if history.height == 0 or info.height == 0:
        return None
    dates = sorted(history["assessed_on"].unique().to_list())
    chosen = assessed_on if assessed_on in dates else dates[-1]
    previous = dates[dates.index(chosen) - 1] if dates.index(chosen) > 0 else None
    breakdown = runner.run("quality_assessment_breakdown", {"institution_id": institution_id, "assessed_on": chosen})
    changes = runner.run(
        "quality_check_changes",
        {"institution_id": institution_id, "assessed_on": chosen, "previous_assessed_on": previous},
    )
    if previous is None:  # a first assessment: its failures, none of them new against anything
        changes = changes.with_columns(pl.lit("failed").alias("change"))
    head = hospital_name_pair(info).row(0, named=True)
    name = Name(head["name_ko"], head["name_en"])
    return PageView(
        sheet="Quality hospital",
        title=name,
        kpis=_hospital_kpis(history, changes, chosen, previous),
        panels=(
            _hospital_trend(history),
            _dqd_overview(breakdown),
            _table_scores(breakdown),
            _change_summary(changes, previous),
            _failed_checks(changes),
            _errored_checks(changes),
            *(_change_list(changes, change) for change in CHANGES),
        ),
        notes=(_hospital_note(name, head, len(dates), chosen, previous),),
    )


def _score_at(history: pl.DataFrame, day: dt.date | None, value: str) -> dict:
    if day is None:
        return {}
    rows = history.filter(pl.col("assessed_on") == day, pl.col("dimension_value") == value)
    return rows.row(0, named=True) if rows.height else {}


def _hospital_kpis(history, changes, chosen, previous) -> tuple[Kpi, ...]:
    compared = (Text.of("quality.detail.vs_previous_assessment", date=previous) if previous
                else Text("quality.detail.first_assessment"))
    kpis = []
    for value in ("overall", *CATEGORIES):
        now, then = _score_at(history, chosen, value), _score_at(history, previous, value)
        kpis.append(Kpi(
            key=f"quality.hospital.{value}",
            label=Text.of("quality.kpi.hospital_score", dimension=code_text(DIMENSION_PREFIXES, value)),
            value=now.get("score"),
            previous=then.get("score"),
            unit="percent",
            definition=Text.of("text.sentences", first=Text("def.quality_score"), second=compared),
            detail=Text.of("quality.detail.counts", passed=f"{now.get('passed', 0):,}",
                           applicable=f"{now.get('passed', 0) + now.get('failed', 0):,}"),
        ))
    for change in CHANGES:
        count = int((changes["change"] == change).sum()) if previous else None
        kpis.append(Kpi(
            key=f"quality.hospital.{change}",
            label=Text(f"quality.kpi.{change}"),
            value=count,
            previous=None,
            unit="count",
            definition=Text("def.quality_check_changes"),
            detail=compared,
            higher_is_better=change == "resolved",
        ))
    return tuple(kpis)


def _hospital_note(name: Name, head: dict, assessments: int, chosen: dt.date, previous: dt.date | None) -> Text:
    """Who the hospital is and which assessments are compared, as parts joined by dots."""
    parts: list = [name]
    if head.get("region_code"):
        parts.append(Name(region_name(head["region_code"], "ko"), region_name(head["region_code"], "en")))
    if head.get("hospital_tier"):
        parts.append(code_text("enum.tier", head["hospital_tier"]))
    parts.append(
        Text.of("quality.note.infrastructure", year=head["infrastructure_since"]) if head.get("infrastructure_since")
        else Text("quality.note.no_infrastructure")
    )
    parts.append(Text.of("quality.note.assessments", n=assessments))
    parts.append(
        Text.of("quality.note.compared", date=chosen, previous=previous) if previous
        else Text.of("quality.note.first", date=chosen)
    )
    return functools.reduce(lambda first, second: Text.of("text.dotted", first=first, second=second), parts)


def _hospital_trend(history: pl.DataFrame) -> Panel:
    shown = ("overall", *CATEGORIES)
    frame = (
        history.filter(pl.col("dimension_value").is_in(shown))
        .with_columns(pl.col("dimension_value").replace_strict({v: i for i, v in enumerate(shown)}).alias("order"))
        .sort("order", "assessed_on")
    )
    return Panel(
        key="quality.hospital.trend",
        title=Text("quality.hospital.trend.title"),
        definition=Text("def.quality_score"),
        frame=frame,
        chart=Chart(kind="hospital_trend", x="assessed_on", y="score", color="series", y_format=".0%"),
        percent_columns=("score",),
        labels=(Codes("dimension_value", DIMENSION_PREFIXES, into="series"),),
        columns=("assessed_on", "series", "score", "passed", "failed", "not_applicable"),
    )


def _dqd_overview(breakdown: pl.DataFrame) -> Panel:
    """The Data Quality Dashboard's overview: categories by context, and totals."""
    cells = breakdown.filter(pl.col("level") == "category_context")
    rows = []
    for category in (*CATEGORIES, None):
        row = {"category": category or "total"}
        for context in CONTEXTS:
            if category:
                part = cells.filter(pl.col("category") == category, pl.col("context") == context)
            else:
                part = breakdown.filter(pl.col("level") == "context", pl.col("context") == context)
            row.update(_counts(part, prefix=f"{context}_"))
        if category:
            total = breakdown.filter(pl.col("level") == "category", pl.col("category") == category)
        else:
            total = breakdown.filter(pl.col("level") == "overall")
        row.update(_counts(total, with_not_applicable=True))
        rows.append(row)
    frame = pl.DataFrame(rows, orient="row", infer_schema_length=None)
    return Panel(
        key="quality.hospital.overview",
        title=Text("quality.hospital.overview.title"),
        definition=Text("def.quality_dqd_overview"),
        frame=frame,
        percent_columns=("verification_score", "validation_score", "score"),
        labels=(Codes("category", (*DIMENSION_PREFIXES, "quality")),),  # "total" is quality.total
    )


def _counts(part: pl.DataFrame, prefix: str = "", with_not_applicable: bool = False) -> dict:
    passed = int(part["passed"].sum()) if part.height else 0
    failed = int(part["failed"].sum()) if part.height else 0
    counts = {f"{prefix}passed": passed, f"{prefix}failed": failed}
    if with_not_applicable:
        counts["not_applicable"] = int(part["not_applicable"].sum()) if part.height else 0
    counts[f"{prefix}score"] = passed / (passed + failed) if passed + failed else None
    return counts


def _table_scores(breakdown: pl.DataFrame) -> Panel:
    frame = (
        breakdown.filter(pl.col("level") == "cdm_table")
        .with_columns((pl.col("passed") + pl.col("failed")).alias("applicable"))
        .sort("score", "cdm_table", nulls_last=True)
        .select("cdm_table", "score", "passed", "failed", "not_applicable", "applicable")
    )
    return Panel(
        key="quality.hospital.tables",
        title=Text("quality.hospital.tables.title"),
        definition=Text("def.quality_score"),
        frame=frame,
        chart=Chart(kind="table_scores", x="cdm_table", y="score"),
        percent_columns=("score",),
    )


CATEGORY = Codes("category", DIMENSION_PREFIXES)
CHECK_LABELS = (
    Codes("status", ("quality.status",)),
    Codes("previous_status", ("quality.status",)),
    Codes("change", ("quality.change",)),  # the change of a first assessment's failure is blank
    CATEGORY,
    Codes("context", DIMENSION_PREFIXES),
)


def _change_summary(changes: pl.DataFrame, previous: dt.date | None) -> Panel:
    """Failed checks by category and change; with no assessment before, just the failures."""
    kinds = CHANGES if previous is not None else ("failed",)
    grid = pl.DataFrame(
        {"category": [c for c in CATEGORIES for _ in kinds], "change": [k for _ in CATEGORIES for k in kinds]}
    )
    counts = changes.group_by("category", "change").agg(pl.len().cast(pl.Int64).alias("check_count"))
    frame = (
        grid.join(counts, on=["category", "change"], how="left", maintain_order="left")
        .with_columns(pl.col("check_count").fill_null(0))
    )
    return Panel(
        key="quality.hospital.changes",
        title=Text("quality.hospital.changes.title" if previous is not None else "quality.changes.first_title"),
        definition=Text("def.quality_check_changes"),
        frame=frame.select("category", "change", "check_count"),
        chart=Chart(kind="change_summary", x="category", y="check_count", color="change"),
        labels=(CATEGORY, Codes("change", ("quality.change", "quality.status"))),  # a first one's: failed
    )


def _check_frame(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(
        pl.col("status").fill_null("absent"),
        pl.col("previous_status").fill_null("absent"),
        (pl.col("violation_pct") - pl.col("threshold_pct")).round(3).alias("excess_pct"),
        pl.col("violation_pct").round(3),
        pl.col("previous_violation_pct").round(3),
        # a first assessment's failures changed from nothing: no words (no key has the empty code)
        pl.col("change").replace("failed", ""),
    )


def _failed_checks(changes: pl.DataFrame) -> Panel:
    """Every check that failed in the assessment, worst excess over its threshold first."""
    failed = changes.filter(pl.col("status") == "failed").sort(
        pl.col("violation_pct") - pl.col("threshold_pct"), "check_id", descending=[True, False]
    )
    return Panel(
        key="quality.hospital.failed",
        title=Text("quality.hospital.failed.title"),
        definition=Text("def.quality_violation"),
        frame=_check_frame(failed),
        labels=CHECK_LABELS,
        columns=(
            "check_id", "category", "context", "cdm_table", "violated_rows", "denominator_rows",
            "violation_pct", "threshold_pct", "excess_pct", "change", "previous_violation_pct",
        ),
    )


def _errored_checks(changes: pl.DataFrame) -> Panel:
    """Checks that did not run (DQD's isError): counted as failed, listed apart with DQD's message."""
    errored = changes.filter(pl.col("status") == "error").sort("check_id")
    return Panel(
        key="quality.hospital.errored",
        title=Text("quality.hospital.errored.title"),
        definition=Text("def.quality_errored"),
        frame=_check_frame(errored),
        labels=CHECK_LABELS,
        columns=("check_id", "category", "context", "cdm_table", "change", "message"),
    )


def _change_list(changes: pl.DataFrame, change: str) -> Panel:
    rows = changes.filter(pl.col("change") == change).sort("category", "check_id")
    if change == "resolved":
        columns = ("check_id", "category", "context", "cdm_table", "previous_violation_pct", "threshold_pct",
                   "violation_pct", "status")
    else:
        columns = ("check_id", "category", "context", "cdm_table", "violation_pct", "threshold_pct",
                   "excess_pct", "previous_violation_pct", "previous_status")
    return Panel(
        key=f"quality.hospital.{change}",
        title=Text(f"quality.hospital.{change}.title"),
        definition=Text("def.quality_check_changes"),
        frame=_check_frame(rows),
        labels=CHECK_LABELS,
        columns=columns,
    )
