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
from oversight.queries import Runner
from oversight.views.common import first_row, picked_notes
from oversight.views.model import Chart, Codes, Margin, Names, PageView, Panel, Text, code_text

SCORES = (1, 2, 3, 4, 5)
GROUPS = ("after", "before", "never")



DIMENSIONS = ("topics",)  # what the page's charts pick, as CrossFilter dimensions


def build(runner: Runner, filters: Filters, selection: CrossFilter = CrossFilter()) -> PageView:
    params = filters.params() | selection.params(*DIMENSIONS)
    now = first_row(runner.run("consultation_kpis", params))
    before = first_row(runner.run("consultation_kpis", filters.previous().params() | selection.params(*DIMENSIONS)))
    return PageView(
        sheet="Consulting",
        title=Text("page.consulting"),
        kpis=kpis.read("consultation_kpis", now, before),
        panels=(
            _by_topic(runner, filters),
            _by_month(runner, params),
            _satisfaction(runner, filters),
            _lead_time(runner, params),
            _requesters(runner, params),
        ),
        notes=(
            Text("consulting.association_note"),
            *picked_notes(picked_texts(selection)),
        ),
    )


def picked_texts(selection: CrossFilter) -> list[tuple[str, Text, tuple]]:
    """(dimension, its name, the chosen values) of what is picked, in no language."""
    if not selection.get("topics"):
        return []
    return [("topics", Text("col.topic"), tuple(code_text("enum.topic", v) for v in selection.get("topics")))]



def _by_topic(runner: Runner, filters: Filters) -> Panel:
    raw = runner.run("consultation_by_topic", filters.params())
    return Panel(
        key="consulting.by_topic",
        title=Text("consulting.by_topic.title"),
        definition=Text("def.consulting_volume"),
        frame=raw.with_columns(pl.col("mean_satisfaction").round(2)),
        chart=Chart(kind="topics", x="topic", y="consultations"),
        count_columns=("consultations", "rated"),
        margins=(Margin(("consultations", "rated")),),  # the KPIs
        labels=(Codes("topic", ("enum.topic",)),),
    )


def _by_month(runner: Runner, params: dict) -> Panel:
    return Panel(
        key="consulting.by_month",
        title=Text("consulting.by_month.title"),
        definition=Text("def.consulting_volume"),
        frame=runner.run("consultation_by_month", params),
        chart=Chart(kind="topics_by_month", x="month", y="consultations", color="topic"),
        count_columns=("consultations",),
        # published totals: KPI, bar heights, topics
        margins=(
            Margin(("consultations",)),
            Margin(("consultations",), by=("month",)),
            Margin(("consultations",), by=("topic",)),
        ),
        labels=(Codes("topic", ("enum.topic",)),),
    )


def _satisfaction(runner: Runner, filters: Filters) -> Panel:
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
    return Panel(
        key="consulting.satisfaction",
        title=Text("consulting.satisfaction.title"),
        definition=Text("def.consulting_satisfaction"),
        frame=frame.select("topic", "rated", "mean_satisfaction", *shares),
        chart=Chart(kind="satisfaction", x="topic", y="mean_satisfaction"),
        count_columns=("rated",),
        margins=(Margin(("rated",)),),
        percent_columns=tuple(shares),
        labels=(Codes("topic", ("enum.topic",)),),
    )


def _lead_time(runner: Runner, params: dict) -> Panel:
    frame = runner.run("consultation_lead_time_comparison", params).select(
        "consulted", "requests", "requesters", "median_total_days", "p90_total_days",
        "median_days_to_approval", "median_days_to_delivery",
    )
    return Panel(
        key="consulting.lead_time",
        title=Text("consulting.lead_time.title"),
        definition=Text.of("text.sentences", first=Text("def.consulting_lead_time"),
                           second=Text("consulting.association_note")),
        frame=frame,
        chart=Chart(kind="lead_comparison", x="consulted", y="median_total_days"),
        count_columns=("requests", "requesters"),
        margins=(Margin(("requests",)),),  # deliveries; a requester may sit in two groups
        labels=(Codes("consulted", ("consulting.group",)),),
    )


def _requesters(runner: Runner, params: dict) -> Panel:
    frame = runner.run("consultation_requesters", params).with_columns(pl.col("mean_satisfaction").round(2))
    return Panel(
        key="consulting.requesters",
        title=Text.of("consulting.requesters.title", n=f"{frame.height:,}"),
        definition=Text("def.consulting_requesters"),
        frame=frame,
        count_columns=("consultations", "requests_made", "requests_after_first"),
        margins=(Margin(("consultations",)),),  # the KPI; no total of requests is shown
        labels=(
            Names("name_ko", "name_en", "requester"),
            Codes("kind", ("enum.kind",)),
            Codes("company_sector", ("enum.sector",), into="sector"),
            Codes("topics", ("enum.topic",)),
        ),
        columns=(
            "institution_id", "requester", "kind", "sector", "consultations", "hours", "mean_satisfaction",
            "topics", "first_consulted_on", "requests_made", "requests_after_first",
        ),
    )
