"""Expert consulting: advice given by topic and month, how satisfied the advised were, who used it,
and whether requests moved faster after a requester's first consultation.

The lead-time comparison is an association, never a claim that advice caused the difference: the
page and every export say so (`consulting.association_note`).

Choosing topics (on the topic or satisfaction chart) narrows the monthly trend, the requesters,
the lead-time comparison (a requester then counts as consulted from its first consultation on
those topics) and the KPIs; the topic and satisfaction charts highlight them.
"""

from __future__ import annotations


import polars as pl

from oversight.filters import Filters
from oversight.page_state import CrossFilter
from oversight import kpis
from oversight.i18n import enum_label, t
from oversight.queries import Runner
from oversight.views.common import first_row, localise_enum, localise_names
from oversight.views.model import Chart, Margin, PageView, Panel

SCORES = (1, 2, 3, 4, 5)
GROUPS = ("after", "before", "never")



DIMENSIONS = ("topics",)  # what the page's charts pick, as CrossFilter dimensions


def build(runner: Runner, filters: Filters, lang: str, selection: CrossFilter = CrossFilter()) -> PageView:
    params = filters.params() | selection.params(*DIMENSIONS)
    now = first_row(runner.run("consultation_kpis", params))
    before = first_row(runner.run("consultation_kpis", filters.previous().params() | selection.params(*DIMENSIONS)))
    return PageView(
        sheet="Consulting",
        title=t("page.consulting", lang),
        kpis=kpis.read("consultation_kpis", now, before, lang),
        panels=(
            _by_topic(runner, filters, lang),
            _by_month(runner, params, lang),
            _satisfaction(runner, filters, lang),
            _lead_time(runner, params, lang),
            _requesters(runner, params, lang),
        ),
        notes=(
            t("consulting.association_note", lang),
            *(f"{label}: {values}" for _, label, values in describe_selection(selection, lang)),
        ),
    )


def describe_selection(selection: CrossFilter, lang: str) -> list[tuple[str, str, str]]:
    if not selection.get("topics"):
        return []
    return [("topics", t("col.topic", lang), ", ".join(enum_label("topic", v, lang) for v in selection.get("topics")))]


def _by_topic(runner: Runner, filters: Filters, lang: str) -> Panel:
    raw = runner.run("consultation_by_topic", filters.params())
    frame = localise_enum(raw, "topic", "topic", lang).with_columns(pl.col("mean_satisfaction").round(2))
    return Panel(
        key="consulting.by_topic",
        title=t("consulting.by_topic.title", lang),
        definition=t("def.consulting_volume", lang),
        frame=frame,
        chart=Chart(kind="topics", x="topic", y="consultations"),
        count_columns=("consultations", "rated"),
        margins=(Margin(("consultations", "rated")),),  # the KPIs
    )


def _by_month(runner: Runner, params: dict, lang: str) -> Panel:
    raw = runner.run("consultation_by_month", params)
    frame = localise_enum(raw, "topic", "topic", lang)
    return Panel(
        key="consulting.by_month",
        title=t("consulting.by_month.title", lang),
        definition=t("def.consulting_volume", lang),
        frame=frame,
        chart=Chart(kind="stacked_bar", x="month", y="consultations", color="topic"),
        count_columns=("consultations",),
        # published totals: KPI, bar heights, topics
        margins=(
            Margin(("consultations",)),
            Margin(("consultations",), by=("month",)),
            Margin(("consultations",), by=("topic",)),
        ),
    )


def _satisfaction(runner: Runner, filters: Filters, lang: str) -> Panel:
    """One row per topic: responses, mean score and the share of each score."""
    raw = runner.run("consultation_satisfaction", filters.params())
    wide = (
        raw.with_columns(pl.format("share_{}", pl.col("score")).alias("column"))
        .pivot(on="column", index="topic", values="responses", aggregate_function="first")
    )
    shares = [f"share_{s}" for s in SCORES]
    rated = pl.sum_horizontal(shares)
    weighted = pl.sum_horizontal([pl.col(f"share_{s}") * s for s in SCORES])
    frame = wide.with_columns(
        rated.alias("rated"),
        (weighted / pl.when(rated > 0).then(rated)).round(2).alias("mean_satisfaction"),
        *((pl.col(c) / pl.when(rated > 0).then(rated)).alias(c) for c in shares),
    )
    frame = localise_enum(frame, "topic", "topic", lang).select("topic", "rated", "mean_satisfaction", *shares)
    return Panel(
        key="consulting.satisfaction",
        title=t("consulting.satisfaction.title", lang),
        definition=t("def.consulting_satisfaction", lang),
        frame=frame,
        chart=Chart(kind="satisfaction", x="topic", y="mean_satisfaction"),
        count_columns=("rated",),
        margins=(Margin(("rated",)),),
        percent_columns=tuple(shares),
    )


def _lead_time(runner: Runner, params: dict, lang: str) -> Panel:
    raw = runner.run("consultation_lead_time_comparison", params)
    frame = raw.with_columns(
        pl.col("consulted").replace_strict({g: t(f"consulting.group.{g}", lang) for g in GROUPS})
    ).select(
        "consulted", "requests", "requesters", "median_total_days", "p90_total_days",
        "median_days_to_approval", "median_days_to_delivery",
    )
    definition = t("def.consulting_lead_time", lang) + " " + t("consulting.association_note", lang)
    return Panel(
        key="consulting.lead_time",
        title=t("consulting.lead_time.title", lang),
        definition=definition,
        frame=frame,
        chart=Chart(kind="lead_comparison", x="consulted", y="median_total_days"),
        count_columns=("requests", "requesters"),
        margins=(Margin(("requests",)),),  # deliveries; a requester may sit in two groups
    )


def _requesters(runner: Runner, params: dict, lang: str) -> Panel:
    raw = runner.run("consultation_requesters", params)
    topic_labels = {v: enum_label("topic", v, lang) for v in raw.get_column("topics").explode().drop_nulls().unique()}
    frame = localise_names(raw, "name_ko", "name_en", "requester", lang)
    frame = localise_enum(frame, "kind", "kind", lang)
    frame = localise_enum(frame, "company_sector", "sector", lang, into="sector")
    frame = frame.with_columns(
        pl.col("topics").list.eval(pl.element().replace_strict(topic_labels, default=pl.element())).list.join(", "),
        pl.col("mean_satisfaction").round(2),
    ).select(
        "institution_id", "requester", "kind", "sector", "consultations", "hours", "mean_satisfaction",
        "topics", "first_consulted_on", "requests_made", "requests_after_first",
    )
    return Panel(
        key="consulting.requesters",
        title=t("consulting.requesters.title", lang, n=f"{frame.height:,}"),
        definition=t("def.consulting_requesters", lang),
        frame=frame,
        count_columns=("consultations", "requests_made", "requests_after_first"),
        margins=(Margin(("consultations",)),),  # the KPI; no total of requests is shown
    )
