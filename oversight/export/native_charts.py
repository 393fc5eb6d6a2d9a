"""Native PowerPoint charts of a panel: editable by the official, the data in the chart's own
sheet, the screen's palette. A kind is drawn as the generic type the chart registry names for it
(`oversight.charts.registry`, e.g. the agreements' bars and running total as its bars); maps,
networks, tile grids and heatmaps stay pictures (oversight.export.figures)."""

from __future__ import annotations

import datetime as dt

import polars as pl
from pptx.chart.data import CategoryChartData, XyChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.util import Pt

from oversight.charts import PALETTE, registry
from oversight.export.safe_text import plain_for_slides
from oversight.i18n import column_label
from oversight.views.model import Panel

CHART_TYPES = {
    "line": XL_CHART_TYPE.LINE,
    "area": XL_CHART_TYPE.AREA_STACKED,
    "bar": XL_CHART_TYPE.COLUMN_CLUSTERED,
    "stacked_bar": XL_CHART_TYPE.COLUMN_STACKED,
    "hbar": XL_CHART_TYPE.BAR_CLUSTERED,
    "pie": XL_CHART_TYPE.DOUGHNUT,
    "scatter": XL_CHART_TYPE.XY_SCATTER,
}


def is_native(panel: Panel) -> bool:
    return registry.native_kind(panel) in CHART_TYPES


def _rgb(colour: str) -> RGBColor:
    return RGBColor.from_string(colour.lstrip("#").upper())


def _label(value) -> str:
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, dt.date):
        return f"{value:%Y-%m}" if value.day == 1 else value.isoformat()
    return plain_for_slides(str(value))


def _series(frame: pl.DataFrame, colour_column: str | None, fallback: str):
    if colour_column is None:
        return [(fallback, frame)]
    return [(_label(name), part) for (name,), part in frame.group_by(colour_column, maintain_order=True)]


def chart_data(masked: Panel, lang: str):
    """The chart's sheet: hidden counts (null in the masked frame) are left empty."""
    chart, frame = registry.as_native(masked.chart), masked.frame
    series = _series(frame, chart.color, column_label(chart.y, lang))
    if chart.kind == "scatter":
        data = XyChartData()
        for name, part in series:
            points = data.add_series(name)
            for x, y in part.select(chart.x, chart.y).iter_rows():
                if x is not None and y is not None:
                    points.add_data_point(x, y)
        return data
    categories = list(dict.fromkeys(frame.get_column(chart.x).to_list()))
    if frame.schema[chart.x].is_temporal():  # series starting at different months: one time axis
        categories.sort()
    data = CategoryChartData()
    data.categories = [_label(c) for c in categories]
    for name, part in series:
        values = dict(part.select(chart.x, chart.y).iter_rows())
        data.add_series(name, [values.get(c) for c in categories])
    return data


def add_chart(slide, masked: Panel, lang: str, left, top, width, height):
    """The panel (its hidden cells already null) as a native chart on the slide."""
    chart_spec = registry.as_native(masked.chart)
    graphic = slide.shapes.add_chart(CHART_TYPES[chart_spec.kind], left, top, width, height,
                                     chart_data(masked, lang))
    chart = graphic.chart
    chart.font.size = Pt(12)
    chart.font.name = "Malgun Gothic"
    chart.has_legend = chart_spec.color is not None or chart_spec.kind == "pie"
    if chart.has_legend:
        chart.legend.position = XL_LEGEND_POSITION.TOP
        chart.legend.include_in_layout = False
    plot = chart.plots[0]
    if chart_spec.kind == "pie":
        for index, point in enumerate(plot.series[0].points):
            point.format.fill.solid()
            point.format.fill.fore_color.rgb = _rgb(PALETTE[index % len(PALETTE)])
        return graphic
    if chart_spec.kind == "hbar":
        chart.category_axis.reverse_order = True  # the first row on top, as on screen
    for index, series in enumerate(plot.series):
        colour = _rgb(PALETTE[index % len(PALETTE)])
        if chart_spec.kind in ("line", "scatter"):
            series.format.line.color.rgb = colour
            series.smooth = False
            if chart_spec.kind == "scatter":
                series.format.line.fill.background()  # points only
                series.marker.format.fill.solid()
                series.marker.format.fill.fore_color.rgb = colour
        else:
            series.format.fill.solid()
            series.format.fill.fore_color.rgb = colour
    ticks = chart.value_axis.tick_labels  # thousands separated, rates as rates, as on screen
    ticks.number_format = "0%" if chart_spec.y_format.endswith("%") or chart_spec.y in masked.percent_columns \
        else "#,##0.##" if masked.frame.schema[chart_spec.y].is_float() else "#,##0"
    ticks.number_format_is_linked = False
    if chart_spec.kind in ("line", "bar", "stacked_bar", "hbar", "area") and chart_spec.y in masked.count_columns:
        chart.value_axis.minimum_scale = 0  # counts from zero, as plotly draws them
    for axis, column in ((chart.category_axis, chart_spec.x), (chart.value_axis, chart_spec.y)):
        axis.has_title = True
        axis.axis_title.text_frame.text = plain_for_slides(column_label(column, lang))
    return graphic
