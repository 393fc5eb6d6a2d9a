"""A chart in one sentence: what a screen reader reads beside it, and what anyone can read
without decoding colours (KWCAG 2.2 "대체 텍스트", WCAG 1.1.1; docs/accessibility.md).

Pure: a panel (its frame and the Chart that names the x, y and series columns) in, text out.
The sentence says what the chart shows at a glance; the table under it has every value.
- over time, one series: where it started and ended, and its peak;
- over time, several series: each series' latest value, the highest first;
- by category: how many, the highest and the lowest;
- a grid (heatmap): its size, the lowest and the highest cell;
- one number against another (scatter): how many points and the range of each.
"""

from __future__ import annotations

import datetime as dt
import html

import polars as pl

from oversight import units
from oversight.charts import registry
from oversight.i18n import column_label, t
from oversight.regions import region_name
from oversight.views.model import Panel

TIME_COLUMNS = frozenset({"month", "quarter", "event_year", "assessed_on", "day", "week"})
LATEST_SHOWN = 4  # series named in a sentence; the table has them all


def summary(panel: Panel, lang: str) -> str | None:
    """The panel's chart in a sentence, values written as its table writes them; None without
    a chart or data."""
    chart = panel.chart
    if chart is None or panel.frame.height == 0 or not {chart.x, chart.y} <= set(panel.frame.columns):
        return None
    frame = panel.frame.filter(pl.col(chart.y).is_not_null())
    if frame.height == 0:
        return None
    x, y = chart.x, chart.y
    series = chart.color if chart.color in frame.columns else None

    def value(number, column: str = y) -> str:
        return units.format_value(number, _unit(panel, column, frame), lang)

    measure = column_label(y, lang)
    if _is_time(frame, x):
        frame = frame.sort(x)
        if series is None:
            first, last = frame.row(0, named=True), frame.row(-1, named=True)
            peak = frame.sort(y, descending=True, maintain_order=True).row(0, named=True)
            return t("chart.summary.trend", lang, measure=measure,
                     start=_when(first[x], x), start_value=value(first[y]), end=_when(last[x], x),
                     end_value=value(last[y]), peak=_when(peak[x], x), peak_value=value(peak[y]))
        when = frame.get_column(x).max()
        latest = frame.filter(pl.col(x) == when).sort(y, descending=True, maintain_order=True)
        named = ", ".join(
            f"{_label(row[series], series, lang)} {value(row[y])}" for row in latest.head(LATEST_SHOWN).iter_rows(named=True)
        )
        return t("chart.summary.latest", lang, measure=measure, when=_when(when, x),
                 count=frame.get_column(series).n_unique(), values=named)
    if frame.schema[x].is_numeric() and frame.schema[y].is_numeric():
        return t("chart.summary.scatter", lang, count=frame.height,
                 x_measure=column_label(x, lang), x_low=value(frame.get_column(x).min(), x),
                 x_high=value(frame.get_column(x).max(), x), measure=measure,
                 low=value(frame.get_column(y).min()), high=value(frame.get_column(y).max()))
    if series is not None and registry.is_grid(panel):
        ordered = frame.sort(y, maintain_order=True)
        low, high = ordered.row(0, named=True), ordered.row(-1, named=True)
        return t("chart.summary.grid", lang, measure=measure,
                 rows=frame.get_column(series).n_unique(), columns=frame.get_column(x).n_unique(),
                 low=f"{_label(low[series], series, lang)} · {_label(low[x], x, lang)}", low_value=value(low[y]),
                 high=f"{_label(high[series], series, lang)} · {_label(high[x], x, lang)}", high_value=value(high[y]))
    if series is not None and y in panel.count_columns:  # stacked counts: each bar's total
        frame = frame.group_by(x, maintain_order=True).agg(pl.col(y).sum())
    elif series is not None:
        frame = frame.with_columns(pl.format("{} · {}", pl.col(x), pl.col(series)).alias(x))
    ordered = frame.sort(y, descending=True, maintain_order=True)
    top, bottom = ordered.row(0, named=True), ordered.row(-1, named=True)
    if ordered.height == 1:
        return t("chart.summary.single", lang, measure=measure, top=_label(top[x], x, lang), top_value=value(top[y]))
    return t("chart.summary.ranking", lang, measure=measure, count=ordered.height,
             top=_label(top[x], x, lang), top_value=value(top[y]), bottom=_label(bottom[x], x, lang), bottom_value=value(bottom[y]))


def choices(figure) -> dict[str, str]:
    """What a chart's points can be picked as, code to label, in the chart's order: the keyboard's
    way to the same cross-filter a click makes. Bars name their points on the category axis, pie
    slices by their labels, scatter points by their text; each carries its code in customdata."""
    found: dict[str, str] = {}
    for trace in figure.data:
        codes = trace.customdata
        if codes is None:
            continue
        if trace.type == "bar":
            labels = trace.y if trace.orientation == "h" else trace.x
        elif trace.type == "pie":
            labels = trace.labels
        elif trace.type == "scatter":
            labels = trace.hovertext if trace.hovertext is not None else trace.text
        else:
            continue
        if labels is None or isinstance(labels, str):
            continue
        for code, label in zip(codes, labels):
            code = code[0] if isinstance(code, (list, tuple)) and code else code
            if code is not None and str(code) not in found:
                found[str(code)] = html.unescape(str(label))  # plotly's labels are escaped (charts/safe.py)
    return found


def _is_time(frame: pl.DataFrame, column: str) -> bool:
    return frame.schema[column].is_temporal() or column in TIME_COLUMNS


def _unit(panel: Panel, column: str, frame: pl.DataFrame) -> str:
    """The unit the panel's table writes `column` in."""
    if column in panel.percent_columns or (panel.chart and column == panel.chart.y and "%" in panel.chart.y_format):
        return "percent"
    if "days" in column:
        return "days"
    if column in panel.count_columns or frame.schema[column].is_integer():
        return "count"
    return "decimal"


def _when(value, column: str) -> str:
    """A time as the charts show it: a month as 2026-11, a quarter as 2026 Q4, a day as 2026-11-27."""
    if not isinstance(value, dt.date):
        return str(value)
    if column == "quarter":
        return f"{value.year} Q{(value.month - 1) // 3 + 1}"
    return value.strftime("%Y-%m") if column == "month" else value.strftime("%Y-%m-%d")


def _label(value, column: str, lang: str) -> str:
    if column == "region_code":  # the tile grid's series: a region by its name
        return region_name(value, lang)
    return _when(value, "") if isinstance(value, dt.date) else str(value)
