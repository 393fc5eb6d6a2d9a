"""Overview: where the programme stands in the chosen period and what changed."""

from __future__ import annotations

import polars as pl

from oversight import programme
from oversight.filters import Filters
from oversight import kpis
from oversight.queries import Runner
from oversight.views.common import first_row
from oversight.views.model import Chart, Codes, Margin, Name, Names, Order, PageView, Panel, Region, Text


def build(
    runner: Runner,
    filters: Filters,
    quality_threshold: float = programme.QUALITY_ALERT_THRESHOLD,
    waiting_days: int = programme.WAITING_ALERT_DAYS,
) -> PageView:
    params = filters.params()
    now = first_row(runner.run("overview_kpis", params))
    before = first_row(runner.run("overview_kpis", filters.previous().params()))
    return PageView(
        sheet="Overview",
        title=Text("page.overview"),
        kpis=kpis.read("overview_kpis", now, before),
        panels=(
            _adoption(runner, filters),
            _quality_alerts(runner, filters, quality_threshold),
            _waiting(runner, filters, waiting_days),
        ),
    )


def milestones() -> tuple:
    """The programme's milestones, drawn as labelled lines on trends."""
    return tuple((day, Text(key)) for day, key in programme.MILESTONES)


def centre_designations(runner: Runner) -> tuple:
    """Each safe centre's designation, drawn as a marker named on hover."""
    return tuple(
        (row["safe_centre_since"], Text.of("event.centre_designated", name=Name(row["name_ko"], row["name_en"])))
        for row in runner.run("centre_designations", {}).iter_rows(named=True)
    )


def _adoption(runner: Runner, filters: Filters) -> Panel:
    params = filters.params()
    institutions = runner.run("institutions_by_month", params).select(
        "month", pl.col("kind").alias("series"), "cumulative",
    )
    agreements = (
        runner.run("agreements_by_month", params)
        .group_by("month")
        .agg(pl.col("cumulative").sum())
        .with_columns(pl.lit("agreements").alias("series"))
        .select("month", "series", "cumulative")
    )
    frame = pl.concat([institutions, agreements]).sort("month", "series")
    kinds = tuple(i for i, series in enumerate(frame.get_column("series").to_list()) if series != "agreements")
    return Panel(
        key="overview.adoption",
        title=Text("overview.adoption.title"),
        definition=Text("def.adoption"),
        frame=frame,
        chart=Chart(
            kind="line", x="month", y="cumulative", color="series",
            events=milestones(), markers=centre_designations(runner),
            markers_label=Text("event.centre_designations"),
        ),
        count_columns=("cumulative",),
        margins=(Margin(("cumulative",), by=("month",), rows=kinds),),  # the kinds' sum: the institutions KPI
        labels=(Codes("series", ("enum.kind", "overview.series")),),
        order=Order(("month", "series")),
    )


def _quality_alerts(runner: Runner, filters: Filters, threshold: float) -> Panel:
    return Panel(
        key="overview.quality_alerts",
        title=Text.of("overview.quality_alerts.title", threshold=f"{threshold:.0%}"),
        definition=Text("def.quality_score"),
        frame=runner.run("quality_alerts", filters.params() | {"threshold": threshold}),
        percent_columns=("score", "previous_score"),
        labels=(Names("name_ko", "name_en", "name"), Region("region_code")),
        columns=("institution_id", "name", "region", "assessed_on", "score", "previous_score", "passed", "failed"),
    )


def _waiting(runner: Runner, filters: Filters, min_days: int) -> Panel:
    return Panel(
        key="overview.waiting",
        title=Text.of("overview.waiting.title", days=min_days),
        definition=Text("def.waiting"),
        frame=runner.run("waiting_requests", filters.params() | {"min_days": min_days}),
        labels=(
            Names("hospital_ko", "hospital_en", "hospital"),
            Names("requester_ko", "requester_en", "requester"),
            Codes("stage", ("enum.request_status",)),
        ),
        columns=("request_id", "hospital", "requester", "requested_on", "stage", "days_waiting"),
    )
