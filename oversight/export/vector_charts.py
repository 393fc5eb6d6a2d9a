"""Charts as SVG without a browser: a panel's chart as a Vega-Lite spec, drawn by vl-convert.

The briefing (oversight.export.briefing) embeds them as vector images. Plotly draws SVG only
through kaleido's Chromium, which takes 2.5-3 s to start (measured 3.1 s for the first SVG at
load 0.15), more than the whole briefing may take; vl-convert runs Vega in-process (about
0.5 s for the first chart, 0.1 s for each after). A kind is drawn as the generic type the chart
registry names for its native charts (`oversight.charts.registry.native_kind`, as the deck's
native charts are: the agreements' bars and running total as its bars); only the bar, line and
area types are drawn here, and the caller picks among the panels that have one.

The panel comes masked (hidden counts are null: no bar, a gap in a line). Its data is passed
as values in the spec and no base URL is allowed, so drawing fetches nothing. Text from data
(names) ends up escaped in the SVG's XML by Vega itself.
"""

from __future__ import annotations

import datetime as dt
import functools
import json

import polars as pl
import vl_convert

from oversight.charts import DASHES, MUTED_TEXT, PALETTE, TEXT, registry
from oversight.i18n import column_label
from oversight.views.model import Panel

FONT = "Noto Sans CJK KR"
KINDS = ("line", "area", "bar", "stacked_bar", "hbar")
LOCALES = {"ko": "ko-KR", "en": "en-GB"}
# Vega's strokeDash arrays for the screen's dash names: series differ by more than colour.
_DASH_ARRAYS = {"solid": [1, 0], "dash": [6, 3], "dot": [1, 2], "dashdot": [6, 2, 1, 2], "longdash": [10, 3],
                "longdashdot": [10, 2, 1, 2]}


def drawable(panel: Panel) -> bool:
    return registry.native_kind(panel) in KINDS and panel.frame.height > 0


@functools.cache
def _fonts(directories: tuple[str, ...]) -> None:
    for directory in directories:  # text is measured with the fonts the PDF embeds
        vl_convert.register_font_directory(directory)


def warm_up(font_dirs: tuple[str, ...] = ()) -> None:
    """Start the engine (about half a second, once a process) with a chart of one point."""
    _fonts(font_dirs)
    vl_convert.vegalite_to_svg({"mark": "point", "data": {"values": [{"a": 1}]},
                                "encoding": {"x": {"field": "a", "type": "quantitative"}}}, allowed_base_urls=[])


def svg(masked: Panel, lang: str, width: int, height: int, font_dirs: tuple[str, ...] = ()) -> str:
    """The masked panel's chart as SVG text, `width` x `height` px with its axes and legend."""
    _fonts(font_dirs)
    locale = LOCALES.get(lang, "en-GB")
    return vl_convert.vegalite_to_svg(spec(masked, lang, width, height), allowed_base_urls=[],
                                      format_locale=locale, time_format_locale=locale)


def _value(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def spec(masked: Panel, lang: str, width: int, height: int) -> dict:
    chart, frame = registry.as_native(masked.chart), masked.frame
    if chart.kind == "hbar":
        height = max(height, 13 * frame.height + 50)  # a bar a line of text high, and the axis below
    columns = [c for c in dict.fromkeys((chart.x, chart.y, chart.color)) if c]
    rows = [{k: _value(v) for k, v in row.items()} for row in frame.select(columns).iter_rows(named=True)]
    temporal = frame.schema[chart.x] in (pl.Date, pl.Datetime) or isinstance(frame.schema[chart.x], pl.Datetime)
    order = list(dict.fromkeys(frame.get_column(chart.x).to_list())) if not temporal else None
    category = {"field": chart.x, "title": column_label(chart.x, lang)}
    if temporal:  # months: a continuous axis under lines, one band a month under bars
        category |= {"type": "temporal" if chart.kind in ("line", "area") else "ordinal", "timeUnit": "yearmonth",
                     "axis": {"format": "%Y-%m", "labelAngle": -40, "labelOverlap": True}}
    else:
        category |= {"type": "nominal", "sort": [_value(v) for v in order] if order else None,
                     "axis": {"labelLimit": 100, "labelAngle": -35}}
    measure = {"field": chart.y, "type": "quantitative", "title": column_label(chart.y, lang),
               "axis": {"format": chart.y_format} if chart.y_format else {}}
    encoding: dict = {"x": category, "y": measure}
    if chart.kind == "hbar":
        encoding = {"y": category | {"title": None, "axis": {"labelLimit": 100}}, "x": measure}
    mark: dict = {"type": {"line": "line", "area": "area"}.get(chart.kind, "bar")}
    if chart.kind == "bar" or chart.kind == "hbar":
        mark |= {"color": PALETTE[0]}
    if chart.kind in ("line", "area"):
        mark |= {"strokeWidth": 1.6, "interpolate": "linear"}
    if chart.color:
        series = list(dict.fromkeys(frame.get_column(chart.color).to_list()))
        encoding["color"] = {"field": chart.color, "type": "nominal", "title": None, "sort": series,
                             "scale": {"domain": series, "range": list(PALETTE[:len(series)])},
                             "legend": {"orient": "bottom", "columns": 2, "labelLimit": 120}}
        if chart.kind == "line":
            encoding["strokeDash"] = {"field": chart.color, "type": "nominal", "sort": series, "legend": None,
                                      "scale": {"domain": series, "range": [
                                          _DASH_ARRAYS[DASHES[i % len(DASHES)]] for i in range(len(series))]}}
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "width": width, "height": height, "background": "white", "padding": 2,
        "autosize": {"type": "fit", "contains": "padding"},  # axes and legend inside: every chart one size
        "data": {"values": json.loads(json.dumps(rows, default=str))},
        "mark": mark, "encoding": encoding,
        "config": {"font": FONT, "axis": {"labelFontSize": 11, "titleFontSize": 11, "labelColor": MUTED_TEXT,
                                          "titleColor": TEXT, "gridColor": "#e5e5e5"},
                   "legend": {"labelFontSize": 11, "labelColor": TEXT, "symbolSize": 80},
                   "view": {"stroke": None}},
    }
