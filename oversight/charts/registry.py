"""The chart registry: a panel's declared chart kind names its builder here, and nowhere else.

`KINDS[kind]` says how a kind is drawn (`draw(panel, lang, selected, options) -> Figure`) and, where
PowerPoint and Excel have the chart type, which generic type their native charts draw it as
(`native`: "bar", "line", "hbar", ...; None: the deck shows a picture). Read by the pages
(`ui.components.show_panel`), the deck and presentation mode (`oversight.export.figures.room_figure`),
the workbook's and the deck's native charts and the chart sentence. A panel declares a kind; no
page picks a builder. `tests/unit/test_chart_registry.py` fails for a declared kind with no entry.

`selected` is the codes picked on the chart (drawn strong, the others faded): a tuple, a single
code or None. `options` are the page's settings a builder needs (`threshold`: the quality
threshold, `chosen`, `infrastructure_since`, `limit`); the room and the deck draw with none.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import plotly.graph_objects as go

from oversight import charts, programme
from oversight.charts import access, agreements, institutions, quality, regions
from oversight.views.model import Chart, Panel

Selected = Sequence[str] | str | None
Draw = Callable[[Panel, str, tuple, Mapping[str, Any]], go.Figure]


@dataclass(frozen=True)
class Kind:
    draw: Draw
    native: str | None = None  # the generic kind a native PowerPoint/Excel chart draws it as; None: a picture
    grid: bool = False  # rows by columns of one value (a heatmap): described and written to Excel as a grid


def _picked(selected: Selected) -> tuple:
    if selected is None:
        return ()
    return (selected,) if isinstance(selected, str) else tuple(selected)


def _one(selected: tuple) -> str | None:
    return selected[0] if selected else None


def _generic(panel: Panel, lang: str, selected: tuple, options: Mapping) -> go.Figure:
    return access.months(charts.figure(panel, lang), panel)


def _access(builder) -> Draw:
    """Builders of the access, centres and consulting pages return (figure, height)."""
    def draw(panel: Panel, lang: str, selected: tuple, options: Mapping) -> go.Figure:
        fig, height = builder(panel, lang, selected)
        charts.base_layout(fig, height=height)
        return access.months(fig, panel)
    return draw


def _threshold(options: Mapping) -> float:
    return options.get("threshold", programme.QUALITY_ALERT_THRESHOLD)  # the views' default


GENERIC = ("line", "area", "bar", "stacked_bar", "hbar", "pie", "scatter")

KINDS: dict[str, Kind] = {
    **{kind: Kind(_generic, native=kind) for kind in GENERIC},
    "heatmap": Kind(_generic, grid=True),
    # access, centres, consulting
    "funnel": Kind(_access(access.funnel), native="hbar"),
    "pipeline": Kind(_access(access.pipeline), native="stacked_bar"),
    "lead_time": Kind(_access(access.lead_time), native="hbar"),
    "deliveries": Kind(_access(access.deliveries), native="bar"),
    "centre_usage": Kind(_access(access.centre_usage), native="line"),
    "centre_history": Kind(_access(access.centre_history), native="hbar"),
    "topics": Kind(_access(access.topics), native="hbar"),
    "topics_by_month": Kind(_access(access.topics_by_month), native="stacked_bar"),
    "satisfaction": Kind(_access(access.satisfaction), native="hbar"),
    "lead_comparison": Kind(_access(access.lead_comparison), native="hbar"),
    # agreements: bars of each month with the running total as a line; natively its bars
    "bar_cumulative": Kind(lambda p, lang, s, o: agreements.monthly(p, lang), native="bar"),
    "mix": Kind(lambda p, lang, s, o: agreements.mix(p, lang, selected=_one(s)), native="hbar"),
    "network": Kind(lambda p, lang, s, o: agreements.network(p.frame, lang, selected=_one(s))),
    # institutions
    "workload": Kind(lambda p, lang, s, o: institutions.workload(p, lang, selected=_one(s)), native="scatter"),
    "top_requesters": Kind(lambda p, lang, s, o: institutions.top_requesters(p, lang, selected=_one(s)),
                           native="hbar"),
    # quality
    "quality_heatmap": Kind(lambda p, lang, s, o: quality.heatmap(p, lang, _threshold(o), o.get("limit")), grid=True),
    "score_distribution": Kind(lambda p, lang, s, o: quality.distribution(p, lang, _threshold(o)), native="bar"),
    "quality_trend": Kind(lambda p, lang, s, o: quality.network_trend(p, lang, _threshold(o)), native="line"),
    "quarter_changes": Kind(lambda p, lang, s, o: quality.quarter_changes(p, lang), native="stacked_bar"),
    "event_time": Kind(lambda p, lang, s, o: quality.event_time(p, lang, _threshold(o)), native="line"),
    "hospital_trend": Kind(lambda p, lang, s, o: quality.hospital_trend(
        p, lang, _threshold(o), chosen=o.get("chosen"), infrastructure_since=o.get("infrastructure_since")),
        native="line"),
    "table_scores": Kind(lambda p, lang, s, o: quality.table_scores(p, lang, _threshold(o)), native="hbar"),
    "change_summary": Kind(lambda p, lang, s, o: quality.change_summary(p, lang), native="stacked_bar"),
    # regions
    "capital_share": Kind(lambda p, lang, s, o: regions.capital_share(p, lang), native="line"),
    "tile_grid": Kind(lambda p, lang, s, o: regions.tile_grid(p, lang)),
}


class UnknownKind(ValueError):
    """A panel declares a chart kind the registry has no builder for."""


def kind(panel: Panel) -> Kind:
    if panel.chart is None:
        raise UnknownKind(f"panel {panel.key} has no chart")
    entry = KINDS.get(panel.chart.kind)
    if entry is None:
        raise UnknownKind(f"panel {panel.key}: no builder for chart kind {panel.chart.kind!r}")
    return entry


def draw(panel: Panel, lang: str, selected: Selected = (), **options) -> go.Figure:
    """The figure of any panel with a chart, as its page draws it."""
    return kind(panel).draw(panel, lang, _picked(selected), options)


def native_kind(panel: Panel) -> str | None:
    """The generic type a native PowerPoint or Excel chart draws the panel as; None: a picture."""
    entry = KINDS.get(panel.chart.kind) if panel.chart is not None else None
    return entry.native if entry else None


def is_grid(panel: Panel) -> bool:
    entry = KINDS.get(panel.chart.kind) if panel.chart is not None else None
    return bool(entry and entry.grid)


def as_native(chart: Chart) -> Chart:
    """The chart as the generic kind its native chart draws (the same columns)."""
    return replace(chart, kind=KINDS[chart.kind].native)
