"""The network: every hospital's latest scores, their spread and trend, and who changed (the
page's default view and the report's sheet)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

import polars as pl

from oversight.filters import Filters
from oversight.i18n import LANGUAGES
from oversight.queries import Runner
from oversight.views.model import Chart, Codes, Kpi, Margin, Names, PageView, Panel, Region, Text
from oversight.views.quality.common import (
    DEFAULT_THRESHOLD, TOLERANCE, EVENT_YEARS, BIN_WIDTH, DIMENSIONS, QUARTER_CHANGES, QUARTERS_SHOWN,
    quarter_label, quarter_text, DIMENSION_PREFIXES, HOSPITAL, hospital_name_pair, latest_scores,
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
        frame=hospital_name_pair(frame),
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
        frame=hospital_name_pair(frame),
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
        frame=hospital_name_pair(frame),
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


