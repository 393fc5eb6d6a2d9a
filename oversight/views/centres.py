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
from oversight.i18n import t
from oversight.queries import Runner
from oversight.views.common import first_row, localise_enum, localise_names, localise_region
from oversight.views.model import Chart, Margin, PageView, Panel

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
    lang: str,
    selection: CrossFilter = CrossFilter(),
    metric: str = "sessions",
) -> PageView:
    if metric not in METRICS:
        raise ValueError(f"unknown centre metric {metric!r}")
    params = filters.params() | selection.params(*DIMENSIONS)
    now = first_row(runner.run("centre_kpis", params))
    before = first_row(runner.run("centre_kpis", filters.previous().params() | selection.params(*DIMENSIONS)))
    usage = _usage(runner, filters, lang)
    return PageView(
        sheet="Centres",
        title=t("page.centres", lang),
        kpis=kpis.read("centre_kpis", now, before, lang),
        panels=(
            usage,
            _history(runner, filters, lang, metric),
            _share(runner, params, lang),
            _requests_by_type(runner, params, lang),
            _directory(runner, filters, usage, lang),
            *((_detail(usage, selection, lang),) if selection.get("centre_ids") else ()),
        ),
        notes=tuple(f"{label}: {values}" for _, label, values in describe_selection(runner, selection, lang)),
    )


def describe_selection(runner: Runner, selection: CrossFilter, lang: str) -> list[tuple[str, str, str]]:
    if not selection.get("centre_ids"):
        return []
    return [("centre_ids", t("col.centre", lang), ", ".join(centre_names(runner, selection.get("centre_ids"), lang)))]


def centre_names(runner: Runner, centre_ids: tuple[str, ...], lang: str) -> list[str]:
    centres = localise_names(runner.run("centre_designations", {}), "name_ko", "name_en", "name", lang)
    names = dict(zip(centres.get_column("institution_id"), centres.get_column("name")))
    return [names.get(c, c) for c in centre_ids]


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


def _usage(runner: Runner, filters: Filters, lang: str) -> Panel:
    raw = runner.run("centre_usage_by_month", filters.params())
    frame = localise_names(raw, "name_ko", "name_en", "centre", lang).select(
        "month", "centre", "centre_id", *METRICS
    )
    return Panel(
        key="centres.usage",
        title=t("centres.usage.title", lang),
        definition=t("def.centre_usage", lang),
        frame=frame,
        chart=Chart(kind="centre_usage", x="month", y="sessions", color="centre"),
        count_columns=("sessions", "researchers"),
        # published totals: KPI, chart, directory
        margins=(
            Margin(("sessions",)),
            Margin(("sessions",), by=("month",)),
            Margin(("sessions", "researchers"), by=("centre_id",)),
        ),
    )


def _history(runner: Runner, filters: Filters, lang: str, metric: str) -> Panel:
    raw = runner.run("centre_usage_vs_history", filters.params()).filter(pl.col("metric") == metric)
    flags = [
        flag(value, median, months)
        for value, median, months in raw.select("value", "trailing_median", "history_months").iter_rows()
    ]
    frame = (
        localise_names(raw, "name_ko", "name_en", "centre", lang)
        .with_columns(
            (pl.col("value") / pl.when(pl.col("trailing_median") > 0).then(pl.col("trailing_median"))).alias("ratio"),
            pl.Series("flag", [t(f"centres.flag.{f}", lang) for f in flags], dtype=pl.String),
            pl.lit(t(f"col.{metric}", lang)).alias("metric"),
        )
        .select("centre_id", "centre", "metric", "month", "value", "trailing_median", "ratio", "history_months", "flag")
    )
    return Panel(
        key="centres.history",
        title=t("centres.history.title", lang, metric=t(f"col.{metric}", lang).lower()),
        definition=t(
            "def.centre_history", lang, months=HISTORY_MONTHS, min=MIN_HISTORY,
            above=f"{ABOVE:.0%}", below=f"{BELOW:.0%}",
        ),
        frame=frame,
        chart=Chart(kind="centre_history", x="centre", y="value"),
        percent_columns=("ratio",),
    )


def _share(runner: Runner, params: dict, lang: str) -> Panel:
    frame = runner.run("centre_share_by_month", params)
    return Panel(
        key="centres.share",
        title=t("centres.share.title", lang),
        definition=t("def.centre_share", lang),
        frame=frame,
        chart=Chart(kind="line", x="month", y="share", y_format=".0%"),
        count_columns=("requests", "centre_requests"),
        margins=(Margin(("requests", "centre_requests")),),
        percent_columns=("share",),
    )


def _requests_by_type(runner: Runner, params: dict, lang: str) -> Panel:
    raw = runner.run("centre_requests_by_type", params)
    frame = localise_enum(raw, "data_type", "data_type", lang)
    return Panel(
        key="centres.requests_by_type",
        title=t("centres.requests_by_type.title", lang),
        definition=t("def.centre_requests_by_type", lang),
        frame=frame,
        chart=Chart(kind="hbar", x="data_type", y="requests"),
        count_columns=("requests", "delivered"),
        margins=(Margin(("requests", "delivered")),),
    )


def _detail(usage: Panel, selection: CrossFilter, lang: str) -> Panel:
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
        title=t("centres.detail.title", lang),
        definition=t("def.centre_usage", lang),
        frame=frame,
        count_columns=("sessions", "researchers"),
        margins=(Margin(("sessions", "researchers"), by=("centre_id",)),),  # the directory
    )


def _directory(runner: Runner, filters: Filters, usage: Panel, lang: str) -> Panel:
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
    frame = localise_region(localise_names(frame, "name_ko", "name_en", "centre", lang), "region_code", lang)
    frame = frame.rename({"institution_id": "centre_id"}).select(
        "centre_id", "centre", "region", "safe_centre_since", "months_reported", *METRICS
    )
    return Panel(
        key="centres.directory",
        title=t("centres.directory.title", lang),
        definition=t("def.centre_usage", lang),
        frame=frame,
        count_columns=("sessions", "researchers"),
        margins=(Margin(("sessions",)),),  # the KPI
    )
