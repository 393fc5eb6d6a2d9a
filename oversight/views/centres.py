"""Safe utilisation centres: how much each centre is used, how many requests go through centres,
and whether a centre's latest month is out of line with its own recent history.

Choosing centres (on the usage or history chart) narrows the KPIs, the share of requests and the
requests by data type to those centres; the usage and history charts highlight them.
"""

from __future__ import annotations


import polars as pl

from oversight.filters import Filters
from oversight.page_state import CrossFilter
from oversight import kpis
from oversight.queries import Runner
from oversight.views.common import first_row, picked_notes
from oversight.views.model import Chart, Codes, Margin, Name, Names, PageView, Panel, Region, Text

METRICS = ("sessions", "researcher_hours", "researchers")
HISTORY_MONTHS = 6  # the trailing window of centre_usage_vs_history.sql
ABOVE = 1.3  # latest month at or above 130 % of the trailing median: well above usual
BELOW = 0.7  # at or below 70 %: well below usual
MIN_HISTORY = 3  # reported months in the window before a month is judged
FLAGS = ("above", "below", "usual", "insufficient", "no_report")



DIMENSIONS = ("centre_ids",)  # what the page's charts pick, as CrossFilter dimensions


def build(
    runner: Runner,
    filters: Filters,
    selection: CrossFilter = CrossFilter(),
    metric: str = "sessions",
) -> PageView:
    if metric not in METRICS:
        raise ValueError(f"unknown centre metric {metric!r}")
    params = filters.params() | selection.params(*DIMENSIONS)
    now = first_row(runner.run("centre_kpis", params))
    before = first_row(runner.run("centre_kpis", filters.previous().params() | selection.params(*DIMENSIONS)))
    usage = _usage(runner, filters)
    return PageView(
        sheet="Centres",
        title=Text("page.centres"),
        kpis=kpis.read("centre_kpis", now, before),
        panels=(
            usage,
            _history(runner, filters, metric),
            _share(runner, params),
            _requests_by_type(runner, params),
            _directory(runner, filters, usage),
            *((_detail(usage, selection),) if selection.get("centre_ids") else ()),
        ),
        notes=picked_notes(picked_texts(runner, selection)),
    )


def picked_texts(runner: Runner, selection: CrossFilter) -> list[tuple[str, Text, tuple]]:
    """(dimension, its name, the chosen values) of what is picked, in no language."""
    if not selection.get("centre_ids"):
        return []
    return [("centre_ids", Text("col.centre"), centre_names(runner, selection.get("centre_ids")))]



def centre_names(runner: Runner, centre_ids: tuple[str, ...]) -> tuple[Name | str, ...]:
    centres = runner.run("centre_designations", {})
    names = {row["institution_id"]: Name(row["name_ko"], row["name_en"]) for row in centres.iter_rows(named=True)}
    return tuple(names.get(c, c) for c in centre_ids)


def flag(value: float | None, trailing_median: float | None, history_months: int) -> str:
    """How a centre's latest month compares with the median of its months before."""
    if value is None:
        return "no_report"
    if history_months < MIN_HISTORY or trailing_median is None:
        return "insufficient"
    if trailing_median == 0:
        return "above" if value > 0 else "usual"
    ratio = value / trailing_median
    if ratio >= ABOVE:
        return "above"
    if ratio <= BELOW:
        return "below"
    return "usual"


USAGE_COLUMNS = ("month", "centre", "centre_id", *METRICS)


def _usage(runner: Runner, filters: Filters) -> Panel:
    return Panel(
        key="centres.usage",
        title=Text("centres.usage.title"),
        definition=Text("def.centre_usage"),
        frame=runner.run("centre_usage_by_month", filters.params()).select(
            "month", "name_ko", "name_en", "centre_id", *METRICS),
        chart=Chart(kind="centre_usage", x="month", y="sessions", color="centre"),
        count_columns=("sessions", "researchers"),
        # published totals: KPI, chart, directory
        margins=(
            Margin(("sessions",)),
            Margin(("sessions",), by=("month",)),
            Margin(("sessions", "researchers"), by=("centre_id",)),
        ),
        labels=(Names("name_ko", "name_en", "centre"),),
        columns=USAGE_COLUMNS,
    )


def _history(runner: Runner, filters: Filters, metric: str) -> Panel:
    raw = runner.run("centre_usage_vs_history", filters.params()).filter(pl.col("metric") == metric)
    flags = [
        flag(value, median, months)
        for value, median, months in raw.select("value", "trailing_median", "history_months").iter_rows()
    ]
    frame = raw.with_columns(
        (pl.col("value") / pl.when(pl.col("trailing_median") > 0).then(pl.col("trailing_median"))).alias("ratio"),
        pl.Series("flag", flags, dtype=pl.String),
    )
    return Panel(
        key="centres.history",
        title=Text.of("centres.history.title", metric=Text(f"col.{metric}", lower=True)),
        definition=Text.of(
            "def.centre_history", months=HISTORY_MONTHS, min=MIN_HISTORY,
            above=f"{ABOVE:.0%}", below=f"{BELOW:.0%}",
        ),
        frame=frame,
        chart=Chart(kind="centre_history", x="centre", y="value"),
        percent_columns=("ratio",),
        labels=(Names("name_ko", "name_en", "centre"), Codes("flag", ("centres.flag",)), Codes("metric", ("col",))),
        columns=(
            "centre_id", "centre", "metric", "month", "value", "trailing_median", "ratio", "history_months", "flag",
        ),
    )


def _share(runner: Runner, params: dict) -> Panel:
    frame = runner.run("centre_share_by_month", params)
    return Panel(
        key="centres.share",
        title=Text("centres.share.title"),
        definition=Text("def.centre_share"),
        frame=frame,
        chart=Chart(kind="line", x="month", y="share", y_format=".0%"),
        count_columns=("requests", "centre_requests"),
        margins=(Margin(("requests", "centre_requests")),),
        percent_columns=("share",),
    )


def _requests_by_type(runner: Runner, params: dict) -> Panel:
    return Panel(
        key="centres.requests_by_type",
        title=Text("centres.requests_by_type.title"),
        definition=Text("def.centre_requests_by_type"),
        frame=runner.run("centre_requests_by_type", params),
        chart=Chart(kind="hbar", x="data_type", y="requests"),
        count_columns=("requests", "delivered"),
        margins=(Margin(("requests", "delivered")),),
        labels=(Codes("data_type", ("enum.data_type",)),),
    )


def _detail(usage: Panel, selection: CrossFilter) -> Panel:
    """The chosen centres' months, with the hours a session lasted on average."""
    frame = (
        usage.frame.filter(pl.col("centre_id").is_in(list(selection.get("centre_ids"))))
        .with_columns(
            (pl.col("researcher_hours") / pl.when(pl.col("sessions") > 0).then(pl.col("sessions")))
            .round(1).alias("hours_per_session")
        )
        .sort("centre_id", "month")
    )
    return Panel(
        key="centres.detail",
        title=Text("centres.detail.title"),
        definition=Text("def.centre_usage"),
        frame=frame,
        count_columns=("sessions", "researchers"),
        margins=(Margin(("sessions", "researchers"), by=("centre_id",)),),  # the directory
        labels=usage.labels,
        columns=(*USAGE_COLUMNS, "hours_per_session"),
    )


def _directory(runner: Runner, filters: Filters, usage: Panel) -> Panel:
    """The centres designated by the period's end, with their use in the period."""
    centres = runner.run("centre_designations", {}).filter(pl.col("safe_centre_since") <= filters.date_to)
    if filters.regions:
        centres = centres.filter(pl.col("region_code").is_in(list(filters.regions)))
    totals = usage.frame.group_by("centre_id").agg(
        pl.len().alias("months_reported"), *(pl.col(m).sum() for m in METRICS)
    )
    frame = centres.join(totals, left_on="institution_id", right_on="centre_id", how="left").with_columns(
        pl.col("months_reported").fill_null(0).cast(pl.Int64),
        *(pl.col(m).fill_null(0) for m in METRICS),
    )
    return Panel(
        key="centres.directory",
        title=Text("centres.directory.title"),
        definition=Text("def.centre_usage"),
        frame=frame.rename({"institution_id": "centre_id"}),
        count_columns=("sessions", "researchers"),
        margins=(Margin(("sessions",)),),  # the KPI
        labels=(Names("name_ko", "name_en", "centre"), Region("region_code")),
        columns=("centre_id", "centre", "region", "safe_centre_since", "months_reported", *METRICS),
    )
