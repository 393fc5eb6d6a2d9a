"""Data quality: hospitals' scores across the network, their trend, and what changed between
assessments (after the OHDSI Data Quality Dashboard for one database and ARES for a network).

Two views: `build` for the network (the page's default and the report's sheet), and
`build_hospital` for one hospital's assessments. Every score is passed / (passed + failed)
checks, not-applicable checks left out, with the counts beside it.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Sequence

import polars as pl

from oversight import programme
from oversight.filters import Filters
from oversight.i18n import LANGUAGES, t
from oversight.queries import Runner
from oversight.regions import region_name
from oversight.views.localise import labelled
from oversight.views.model import Chart, Codes, Kpi, Margin, Name, Names, PageView, Panel, Region, Text, code_text

DEFAULT_THRESHOLD = programme.QUALITY_ALERT_THRESHOLD
# A hospital improved (regressed) when its score rose (fell) by more than this between its latest
# assessments of two consecutive quarters; smaller moves are within the run-to-run noise of a
# few checks. Stated in def.quality_quarter_change: change both together.
TOLERANCE = 0.01
EVENT_YEARS = (-3, 5)  # event-time window: years relative to the infrastructure year
BIN_WIDTH = 0.02  # score distribution: 2 percentage points per bar, edges aligned on the threshold
CATEGORIES = ("conformance", "completeness", "plausibility")
CONTEXTS = ("verification", "validation")
# (dimension, value) in the order the heatmap and the trends show them
DIMENSIONS = (("overall", "overall"), *(("category", c) for c in CATEGORIES), *(("context", c) for c in CONTEXTS))
CHANGES = ("new", "persisting", "resolved")
QUARTER_CHANGES = ("improved", "stable", "regressed", "not_compared")
QUARTERS_SHOWN = 8  # the quarterly chart: the last two years up to the period's end


# --- labels -----------------------------------------------------------------------------------

def quarter_label(quarter: dt.date, lang: str) -> str:
    return t("quality.quarter_label", lang, year=quarter.year, q=(quarter.month - 1) // 3 + 1)


def quarter_text(quarter: dt.date) -> Text:
    return Text.of("quality.quarter_label", year=quarter.year, q=(quarter.month - 1) // 3 + 1)


# The words of a dimension: "overall", a category or a context.
DIMENSION_PREFIXES = ("quality.dimension", "enum.category", "enum.context")
# A hospital is named in the language, else in the other, else by its id.
HOSPITAL = Names("name_ko", "name_en", "hospital")


def _hospital_name_pair(frame: pl.DataFrame) -> pl.DataFrame:
    """The name pair of HOSPITAL, the id standing in where a hospital has no name at all."""
    return frame.with_columns(pl.coalesce("name_ko", "name_en", "institution_id").alias("name_ko"))


# --- network ----------------------------------------------------------------------------------

def latest_scores(runner: Runner, filters: Filters, date_to: dt.date | None = None) -> pl.DataFrame:
    """Each hospital's latest assessment up to the period's end, one row per dimension."""
    params = filters.params() | ({"date_to": date_to} if date_to else {})
    return runner.run("quality_latest_scores", params)


def hospital_options(runner: Runner, filters: Filters, lang: str) -> pl.DataFrame:
    """The hospitals the page can open (assessed up to the period's end), by name."""
    overall = latest_scores(runner, filters).filter(pl.col("dimension") == "overall")
    return (
        labelled(_hospital_name_pair(overall), (HOSPITAL,), lang)
        .select("institution_id", "hospital", "score", "infrastructure_since")
        .sort("hospital", "institution_id")
    )


def build(runner: Runner, filters: Filters, threshold: float = DEFAULT_THRESHOLD) -> PageView:
    """The network: every hospital's latest scores, their spread and trend, and who changed."""
    latest = latest_scores(runner, filters)
    before = latest_scores(runner, filters, filters.previous().date_to)
    quarters = quarter_comparisons(runner.run("quality_quarter_scores", filters.params()))
    quarters_before = quarter_comparisons(
        runner.run("quality_quarter_scores", filters.previous().params())
    )
    now_quarter = _quarter_of(filters.date_to)
    kpis = _network_kpis(latest, before, quarters, quarters_before, filters, threshold)
    return PageView(
        sheet="Quality",
        title=Text("page.quality"),
        kpis=kpis,
        panels=(
            _heatmap(latest, threshold),
            _distribution(latest, threshold),
            _flagged(latest, threshold),
            _monthly_trend(runner, filters),
            _quarter_counts(quarters),
            _quarter_hospitals(quarters, now_quarter),
            _event_time(runner, filters),
        ),
        notes=(_network_summary(kpis, latest, threshold, now_quarter),),
    )


def overall_scores(latest: pl.DataFrame) -> pl.DataFrame:
    return latest.filter(pl.col("dimension") == "overall")


def network_figures(latest: pl.DataFrame, threshold: float) -> dict:
    """Pooled score, median hospital score and the count below the threshold, from latest_scores."""
    overall = overall_scores(latest)
    passed, failed = overall["passed"].sum(), overall["failed"].sum()
    scores = overall["score"].drop_nulls()
    return {
        "hospitals": overall.height,
        "passed": passed,
        "failed": failed,
        "network_score": passed / (passed + failed) if passed + failed else None,
        "median_score": scores.median() if scores.len() else None,
        "p25": scores.quantile(0.25, "linear") if scores.len() else None,
        "p75": scores.quantile(0.75, "linear") if scores.len() else None,
        "below_threshold": int((scores < threshold).sum()),
    }


def _network_kpis(latest, before, quarters, quarters_before, filters, threshold) -> tuple[Kpi, ...]:
    now, then = network_figures(latest, threshold), network_figures(before, threshold)
    changes_now = quarter_change_counts(quarters, _quarter_of(filters.date_to))
    changes_then = quarter_change_counts(quarters_before, _quarter_of(filters.previous().date_to))
    pct = threshold_label(threshold)
    quarter_name = quarter_text(_quarter_of(filters.date_to))

    def kpi(key, value, previous, unit, detail="", better=True, definition=None):
        return Kpi(
            key=f"quality.{key}", label=Text.of(f"quality.kpi.{key}", threshold=pct), value=value,
            previous=previous, unit=unit, definition=definition or Text(f"def.quality_{key}"),
            detail=detail, higher_is_better=better,
        )

    return (
        kpi(
            "network_score", now["network_score"], then["network_score"], "percent",
            detail=Text.of("quality.detail.counts", passed=f"{now['passed']:,}",
                           applicable=f"{now['passed'] + now['failed']:,}"),
            definition=Text("def.quality_score"),
        ),
        kpi(
            "median_score", now["median_score"], then["median_score"], "percent",
            detail=Text.of("quality.detail.spread", p25=_pct(now["p25"]), p75=_pct(now["p75"])),
        ),
        kpi(
            "hospitals", now["hospitals"], then["hospitals"], "count",
            detail=Text.of(
                "quality.detail.hospitals", n=int((overall_scores(latest)["assessed_on"] >= filters.date_from).sum()),
            ),
        ),
        kpi(
            "below_threshold", now["below_threshold"], then["below_threshold"], "count", better=False,
            detail=Text.of("quality.detail.of_hospitals", n=now["hospitals"]),
            definition=Text("def.quality_below_threshold"),
        ),
        kpi(
            "improved", changes_now["improved"], changes_then["improved"], "count",
            detail=Text.of("quality.detail.quarter", quarter=quarter_name, compared=changes_now["compared"]),
            definition=Text("def.quality_quarter_change"),
        ),
        kpi(
            "regressed", changes_now["regressed"], changes_then["regressed"], "count", better=False,
            detail=Text.of("quality.detail.quarter", quarter=quarter_name, compared=changes_now["compared"]),
            definition=Text("def.quality_quarter_change"),
        ),
    )


def threshold_label(threshold: float) -> str:
    """90% or 87.5%: as many decimals as the threshold has."""
    return f"{threshold:.0%}" if abs(threshold * 100 - round(threshold * 100)) < 1e-9 else f"{threshold:.1%}"


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.1%}"


def _network_summary(kpis: tuple[Kpi, ...], latest: pl.DataFrame, threshold: float, quarter: dt.date) -> Text:
    values = {k.key.removeprefix("quality."): k for k in kpis}
    if not values["hospitals"].value:
        return Text("quality.summary.none")
    score = values["network_score"]
    change = "" if score.change is None else Text.of("quality.summary.change", change=f"{score.change * 100:+.1f}")
    return Text.of(
        "quality.summary.network",
        score=_pct(score.value), change=change, hospitals=f"{values['hospitals'].value:,}",
        below=f"{values['below_threshold'].value:,}", threshold=threshold_label(threshold),
        quarter=quarter_text(quarter), improved=values["improved"].value, regressed=values["regressed"].value,
    )


def _heatmap(latest: pl.DataFrame, threshold: float) -> Panel:
    """Hospitals (worst overall score first) by overall, category and context scores."""
    order = (
        overall_scores(latest).sort("score", "institution_id", nulls_last=True)
        .with_row_index("rank").select("institution_id", "rank")
    )
    dimension_order = pl.DataFrame(
        {"dimension_value": [v for _, v in DIMENSIONS], "dimension_rank": list(range(len(DIMENSIONS)))}
    )
    frame = (
        latest.join(order, on="institution_id").join(dimension_order, on="dimension_value")
        .sort("rank", "dimension_rank")
        .with_columns(
            (pl.col("passed") + pl.col("failed")).alias("applicable"),
            (pl.col("score") < threshold).alias("below_threshold"),
        )
    )
    return Panel(
        key="quality.heatmap",
        title=Text("quality.heatmap.title"),
        definition=Text("def.quality_heatmap"),
        frame=_hospital_name_pair(frame),
        chart=Chart(kind="quality_heatmap", x="quality_dimension", y="score", color="hospital"),
        percent_columns=("score",),
        labels=(
            HOSPITAL, Region("region_code"), Codes("dimension_value", DIMENSION_PREFIXES, into="quality_dimension"),
        ),
        columns=(
            "institution_id", "hospital", "region", "assessed_on", "quality_dimension", "score",
            "passed", "failed", "not_applicable", "applicable", "below_threshold",
        ),
    )


def score_bins(scores: Sequence[float | None], threshold: float, width: float = BIN_WIDTH) -> pl.DataFrame:
    """Hospitals per score bin of `width`, the bins' edges on the threshold so that a bar is wholly
    below it or not. A bin holds [lower, upper); a score of 100% falls in the last bin."""
    values = [s for s in scores if s is not None and not math.isnan(s)]
    top = max(math.ceil((1 - threshold) / width - 1e-9) - 1, 0)  # the bin that holds 100%

    def edge(i: int) -> float:
        return round(threshold + i * width, 9)  # 0.9 + 0.05 is 0.9500000000000001 otherwise

    def index(value: float) -> int:
        i = math.floor((value - threshold) / width)
        if edge(i) > value:
            i -= 1
        elif edge(i + 1) <= value:
            i += 1
        return min(i, top)

    indices = [index(v) for v in values]
    bins = range(min(indices), max(indices) + 1) if indices else range(0)
    return pl.DataFrame(
        {
            "band_lower": [max(edge(i), 0.0) for i in bins],
            "band_upper": [max(min(edge(i + 1), 1.0), edge(i)) for i in bins],
            "hospitals": [indices.count(i) for i in bins],
            "below_threshold": [i < 0 for i in bins],
        },
        schema={"band_lower": pl.Float64, "band_upper": pl.Float64, "hospitals": pl.Int64, "below_threshold": pl.Boolean},
    )


def _distribution(latest: pl.DataFrame, threshold: float) -> Panel:
    bins = score_bins(overall_scores(latest)["score"].to_list(), threshold)
    frame = bins.with_columns(
        pl.format("{}–{}%", (pl.col("band_lower") * 100).round(1), (pl.col("band_upper") * 100).round(1)).alias("score_band"),
    ).select("score_band", "band_lower", "band_upper", "hospitals", "below_threshold")
    return Panel(
        key="quality.distribution",
        title=Text("quality.distribution.title"),
        definition=Text("def.quality_distribution"),
        frame=frame,
        chart=Chart(kind="score_distribution", x="score_band", y="hospitals"),
        count_columns=("hospitals",),
        margins=(Margin(("hospitals",)), Margin(("hospitals",), by=("below_threshold",))),  # the KPIs
        percent_columns=("band_lower", "band_upper"),
    )


def _flagged(latest: pl.DataFrame, threshold: float) -> Panel:
    weakest = (
        latest.filter(pl.col("dimension") == "category", pl.col("score").is_not_null())
        .sort("score", "dimension_value").group_by("institution_id", maintain_order=True).first()
        .select("institution_id", pl.col("dimension_value").alias("weakest_category"),
                pl.col("score").alias("weakest_score"))
    )
    frame = (
        overall_scores(latest).filter(pl.col("score") < threshold)
        .join(weakest, on="institution_id", how="left")
        .sort("score", "institution_id")
        .with_columns(((pl.col("score") - pl.col("previous_score")) * 100).round(1).alias("score_change"))
    )
    return Panel(
        key="quality.flagged",
        title=Text.of("quality.flagged.title", threshold=threshold_label(threshold)),
        definition=Text("def.quality_below_threshold"),
        frame=_hospital_name_pair(frame),
        percent_columns=("score", "previous_score", "weakest_score"),
        labels=(HOSPITAL, Region("region_code"), Codes("weakest_category", DIMENSION_PREFIXES)),
        columns=(
            "institution_id", "hospital", "region", "assessed_on", "score", "passed", "failed",
            "previous_score", "score_change", "weakest_category", "weakest_score",
        ),
    )


def _monthly_trend(runner: Runner, filters: Filters) -> Panel:
    frame = runner.run("quality_scores_by_month", filters.params())
    return Panel(
        key="quality.trend",
        title=Text("quality.trend.title"),
        definition=Text("def.quality_trend"),
        frame=frame.select(
            "month", "hospitals", *(pl.col(q).alias(f"score_{q}") for q in ("p10", "p25", "median", "p75", "p90")),
            "network_score", "passed", "failed",
        ),
        chart=Chart(kind="quality_trend", x="month", y="score_median", y_format=".0%"),
        count_columns=("hospitals",),
        percent_columns=("score_p10", "score_p25", "score_median", "score_p75", "score_p90", "network_score"),
    )


def _quarter_of(day: dt.date) -> dt.date:
    return dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def quarter_comparisons(frame: pl.DataFrame) -> pl.DataFrame:
    """Classify each hospital's latest score of a quarter against its latest of the quarter before:
    improved or regressed beyond TOLERANCE, stable within it, not compared without a previous one."""
    # Rounded so that a move of exactly the tolerance (e.g. 90% to 91%) is not pushed over it by
    # floating point.
    change = (pl.col("score") - pl.col("previous_score")).round(9)
    return frame.with_columns(change.alias("change")).with_columns(
        pl.when(pl.col("previous_score").is_null() | pl.col("score").is_null()).then(pl.lit("not_compared"))
        .when(pl.col("change") > TOLERANCE).then(pl.lit("improved"))
        .when(pl.col("change") < -TOLERANCE).then(pl.lit("regressed"))
        .otherwise(pl.lit("stable"))
        .alias("quarter_change")
    )


QUARTER_CHANGE = Codes("quarter_change", ("quality.quarter_change",), into="change")


def quarter_change_counts(comparisons: pl.DataFrame, quarter: dt.date) -> dict[str, int]:
    rows = comparisons.filter(pl.col("quarter") == quarter)
    counts = {c: int((rows["quarter_change"] == c).sum()) for c in QUARTER_CHANGES}
    counts["compared"] = counts["improved"] + counts["stable"] + counts["regressed"]
    return counts


def _quarter_counts(comparisons: pl.DataFrame) -> Panel:
    quarters = comparisons["quarter"].unique().sort().to_list()[-QUARTERS_SHOWN:]
    grid = pl.DataFrame(
        {"quarter": [q for q in quarters for _ in QUARTER_CHANGES], "quarter_change": [c for _ in quarters for c in QUARTER_CHANGES]},
        schema={"quarter": pl.Date, "quarter_change": pl.String},
    )
    counts = comparisons.group_by("quarter", "quarter_change").agg(pl.len().cast(pl.Int64).alias("hospitals"))
    frame = (
        grid.join(counts, on=["quarter", "quarter_change"], how="left", maintain_order="left")
        .with_columns(pl.col("hospitals").fill_null(0))
        # a quarter's name, e.g. "2026 Q1", written in both languages like a name pair
        .with_columns(*(
            pl.col("quarter").map_elements(lambda q, lang=lang: quarter_label(q, lang), return_dtype=pl.String)
            .alias(f"quarter_{lang}") for lang in LANGUAGES
        ))
    )
    return Panel(
        key="quality.quarters",
        title=Text("quality.quarters.title"),
        definition=Text("def.quality_quarter_change"),
        frame=frame,
        chart=Chart(kind="quarter_changes", x="quarter", y="hospitals", color="change"),
        count_columns=("hospitals",),
        margins=(Margin(("hospitals",), by=("quarter",)),),  # bar heights
        labels=(Names("quarter_ko", "quarter_en", "quarter"), QUARTER_CHANGE),
        columns=("quarter", "change", "hospitals"),
    )


def _quarter_hospitals(comparisons: pl.DataFrame, quarter: dt.date) -> Panel:
    frame = (
        comparisons.filter(pl.col("quarter") == quarter, pl.col("quarter_change") != "not_compared")
        .sort("change", "institution_id")
        .with_columns((pl.col("change") * 100).round(1).alias("score_change"))
    )
    return Panel(
        key="quality.quarter_hospitals",
        title=Text.of("quality.quarter_hospitals.title", quarter=quarter_text(quarter)),
        definition=Text("def.quality_quarter_change"),
        frame=_hospital_name_pair(frame),
        percent_columns=("previous_score", "score"),
        labels=(HOSPITAL, Region("region_code"), QUARTER_CHANGE),
        columns=(
            "institution_id", "hospital", "region", "previous_assessed_on", "previous_score",
            "assessed_on", "score", "score_change", "change",
        ),
    )


def event_time_summary(per_hospital: pl.DataFrame, years: tuple[int, int] = EVENT_YEARS) -> pl.DataFrame:
    """Median and quartiles across hospitals of their yearly scores, by year relative to each
    hospital's infrastructure year, within the window; every year of the window has a row."""
    window = pl.DataFrame({"event_year": list(range(years[0], years[1] + 1))}, schema={"event_year": pl.Int32})
    summary = (
        per_hospital.filter(pl.col("score").is_not_null())
        .group_by("event_year")
        .agg(
            pl.len().cast(pl.Int64).alias("hospitals"),
            pl.col("score").quantile(0.25, "linear").alias("score_p25"),
            pl.col("score").median().alias("score_median"),
            pl.col("score").quantile(0.75, "linear").alias("score_p75"),
        )
        .with_columns(pl.col("event_year").cast(pl.Int32))
    )
    return window.join(summary, on="event_year", how="left").with_columns(pl.col("hospitals").fill_null(0)).sort("event_year")


def _event_time(runner: Runner, filters: Filters) -> Panel:
    frame = event_time_summary(runner.run("quality_event_time", filters.params()))
    return Panel(
        key="quality.event_time",
        title=Text("quality.event_time.title"),
        definition=Text("def.quality_event_time"),
        frame=frame,
        chart=Chart(kind="event_time", x="event_year", y="score_median", y_format=".0%"),
        count_columns=("hospitals",),
        percent_columns=("score_p25", "score_median", "score_p75"),
    )


# --- one hospital -----------------------------------------------------------------------------

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
    head = _hospital_name_pair(info).row(0, named=True)
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
