"""Overview: where the programme stands in the chosen period and what changed."""

from __future__ import annotations

import polars as pl

from oversight import programme
from oversight.filters import Filters
from oversight import kpis
from oversight.i18n import t
from oversight.queries import Runner
from oversight.views.common import first_row, localise_enum, localise_names, localise_region
from oversight.views.model import Chart, Margin, PageView, Panel

# KPI key -> (column of overview_kpis, unit, higher is better)


def build(
    runner: Runner,
    filters: Filters,
    lang: str,
    quality_threshold: float = programme.QUALITY_ALERT_THRESHOLD,
    waiting_days: int = programme.WAITING_ALERT_DAYS,
) -> PageView:
    params = filters.params()
    now = first_row(runner.run("overview_kpis", params))
    before = first_row(runner.run("overview_kpis", filters.previous().params()))
    return PageView(
        sheet="Overview",
        title=t("page.overview", lang),
        kpis=kpis.read("overview_kpis", now, before, lang),
        panels=(
            _adoption(runner, filters, lang),
            _quality_alerts(runner, filters, lang, quality_threshold),
            _waiting(runner, filters, lang, waiting_days),
        ),
    )


def milestones(lang: str) -> tuple:
    """The programme's milestones, drawn as labelled lines on trends."""
    return tuple((day, t(key, lang)) for day, key in programme.MILESTONES)


def centre_designations(runner: Runner, lang: str) -> tuple:
    """Each safe centre's designation, drawn as a marker named on hover."""
    centres = localise_names(runner.run("centre_designations", {}), "name_ko", "name_en", "name", lang)
    return tuple(
        (row["safe_centre_since"], t("event.centre_designated", lang, name=row["name"]))
        for row in centres.iter_rows(named=True)
    )


def _adoption(runner: Runner, filters: Filters, lang: str) -> Panel:
    params = filters.params()
    institutions = localise_enum(
        runner.run("institutions_by_month", params), "kind", "kind", lang, into="series"
    ).select("month", "series", "cumulative")
    agreements = (
        runner.run("agreements_by_month", params)
        .group_by("month")
        .agg(pl.col("cumulative").sum())
        .with_columns(pl.lit(t("overview.series.agreements", lang)).alias("series"))
        .select("month", "series", "cumulative")
    )
    frame = pl.concat([institutions, agreements]).sort("month", "series")
    kinds = tuple(i for i, series in enumerate(frame.get_column("series").to_list())
                  if series != t("overview.series.agreements", lang))
    return Panel(
        key="overview.adoption",
        title=t("overview.adoption.title", lang),
        definition=t("def.adoption", lang),
        frame=frame,
        chart=Chart(
            kind="line", x="month", y="cumulative", color="series",
            events=milestones(lang), markers=centre_designations(runner, lang),
            markers_label=t("event.centre_designations", lang),
        ),
        count_columns=("cumulative",),
        margins=(Margin(("cumulative",), by=("month",), rows=kinds),),  # the kinds' sum: the institutions KPI
    )


def _quality_alerts(runner: Runner, filters: Filters, lang: str, threshold: float) -> Panel:
    frame = runner.run("quality_alerts", filters.params() | {"threshold": threshold})
    frame = localise_region(localise_names(frame, "name_ko", "name_en", "name", lang), "region_code", lang)
    frame = frame.select("institution_id", "name", "region", "assessed_on", "score", "previous_score", "passed", "failed")
    return Panel(
        key="overview.quality_alerts",
        title=t("overview.quality_alerts.title", lang, threshold=f"{threshold:.0%}"),
        definition=t("def.quality_score", lang),
        frame=frame,
        percent_columns=("score", "previous_score"),
    )


def _waiting(runner: Runner, filters: Filters, lang: str, min_days: int) -> Panel:
    frame = runner.run("waiting_requests", filters.params() | {"min_days": min_days})
    frame = localise_names(frame, "hospital_ko", "hospital_en", "hospital", lang)
    frame = localise_names(frame, "requester_ko", "requester_en", "requester", lang)
    frame = localise_enum(frame, "stage", "request_status", lang).select("request_id", "hospital", "requester", "requested_on", "stage", "days_waiting")
    return Panel(
        key="overview.waiting",
        title=t("overview.waiting.title", lang, days=min_days),
        definition=t("def.waiting", lang),
        frame=frame,
    )
