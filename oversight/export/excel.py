"""The Excel report: a cover sheet `About`, then one sheet per page view.

Each view's sheet holds its KPIs and every panel's data as an Excel table (styled header,
number, percent and date formats, column widths, translated headers) with a native Excel chart
where Excel has the chart type, or a colour-scaled matrix for a heatmap. The top rows (title,
filters, data date) are frozen; inside a table, Excel shows the table's header in place of the
column letters while scrolling.

Figures are the view's own frames, so the workbook equals the page. Text from data is written
as text and never as a formula (safe_text); counts under the threshold are hidden with
complementary suppression (suppression).
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import polars as pl
import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from oversight import charts, units
from oversight.charts import registry
from oversight.export import context as ctx
from oversight.export.safe_text import formula_like
from oversight.export.suppression import COMPLEMENT_LABEL, Suppression, kpi_small, suppress_panel
from oversight.filters import Filters
from oversight.i18n import column_label, t
from oversight.queries import Runner
from oversight.views.model import Kpi, PageView, Panel

ABOUT_SHEET = "About"
FONT = "Malgun Gothic"  # Excel's Korean UI font; LibreOffice substitutes Noto Sans CJK KR
MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_FILL = "#0B3C5D"
MUTED = "#5F6B7A"
HEADER = {"bold": True, "font_color": "#FFFFFF", "bg_color": HEADER_FILL, "text_wrap": True, "valign": "top",
          "border": 1, "border_color": "#FFFFFF"}
HEADER_ROWS = 4  # title, filters, data date, blank: frozen on every view sheet
CHART_WIDTH, CHART_HEIGHT = 760, 380
CHART_ROWS = 20  # rows a chart covers at the default row height
MAX_CHART_SERIES = 24
MAX_WIDTH, MIN_WIDTH = 60, 8
WIDTH_SAMPLE_ROWS = 300
KPI_DETAIL_WIDTH = 28
COVER_WIDTHS = (24, 34, 110)
LINE_HEIGHT = 13.5  # points per line of 10-point text

# Chart kind -> (Excel chart type, subtype)
NATIVE_CHARTS = {
    "line": ("line", None),
    "area": ("area", "stacked"),
    "bar": ("column", None),
    "stacked_bar": ("column", "stacked"),
    "hbar": ("bar", None),
    "pie": ("doughnut", None),
    "scatter": ("scatter", None),
}


def build_report(runner: Runner, filters: Filters, lang: str, sheets: Sequence[str] | None = None,
                 threshold: int | None = None, progress: ctx.Progress | None = None) -> bytes:
    """The whole report (or the named sheets) as .xlsx bytes."""
    context = ctx.report_context(runner, filters, lang, threshold=threshold)
    views = ctx.build_views(runner, filters, lang, sheets, progress=progress)
    return workbook_bytes(views, context)


def workbook_bytes(views: Sequence[PageView], context: ctx.ReportContext) -> bytes:
    buffer = io.BytesIO()
    write_workbook(views, context, buffer)
    return buffer.getvalue()


def write_workbook(views: Sequence[PageView], context: ctx.ReportContext, out: str | Path | BinaryIO) -> None:
    book = xlsxwriter.Workbook(
        out,
        {
            "in_memory": True,
            "remove_timezone": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
            "default_format_properties": {"font_name": FONT, "font_size": 10},
        },
    )
    book.set_properties({
        "title": context.t("reports.title"),
        "subject": ctx.period_text(context.filters, context.lang),
        "author": context.t("reports.author"),
        "comments": ctx.data_line(context),
        "created": context.generated_at.replace(tzinfo=None),
    })
    writer = _Writer(book, context)
    about = book.add_worksheet(ABOUT_SHEET)
    for view in views:
        writer.view_sheet(view)
    writer.about_sheet(about, views)
    about.activate()
    book.close()


# ---------------------------------------------------------------------------------------------


@dataclass
class _Column:
    name: str
    header: str
    kind: str  # text, count, integer, number, percent, date, month, datetime, boolean
    width: float


class _Writer:
    def __init__(self, book: Workbook, context: ctx.ReportContext):
        self.book = book
        self.context = context
        self.lang = context.lang
        self._formats: dict[tuple, Any] = {}
        self._table_names: set[str] = set()

    # formats ------------------------------------------------------------------------------

    def fmt(self, **props):
        key = tuple(sorted(props.items()))
        if key not in self._formats:
            self._formats[key] = self.book.add_format({"font_name": FONT, "font_size": 10, **props})
        return self._formats[key]

    def _num_format(self, kind: str) -> str | None:
        return {
            "count": "#,##0",
            "integer": "#,##0",
            "year": "0",
            "number": "#,##0.0##",
            "percent": "0.0%",
            "date": "yyyy-mm-dd",
            "month": "yyyy-mm",
            "datetime": "yyyy-mm-dd hh:mm",
        }.get(kind)

    def cell_format(self, kind: str, **extra):
        props = dict(extra)
        number = self._num_format(kind)
        if number:
            props["num_format"] = number
        if kind in ("date", "month", "datetime"):
            props.setdefault("align", "left")
        return self.fmt(**props)

    # writing cells ------------------------------------------------------------------------

    def text(self, sheet: Worksheet, row: int, col: int, value: Any, **props) -> None:
        """Text from anywhere, never run as a formula."""
        text = "" if value is None else str(value)
        if formula_like(text):
            props["quote_prefix"] = True
        sheet.write_string(row, col, text, self.fmt(**props) if props else None)

    def value(self, sheet: Worksheet, row: int, col: int, value: Any, kind: str, **props) -> None:
        if value is None or (isinstance(value, float) and not math.isfinite(value)):
            sheet.write_blank(row, col, None, self.cell_format(kind, **props))
        elif isinstance(value, bool):
            sheet.write_boolean(row, col, value, self.cell_format("boolean", **props))
        elif isinstance(value, (int, float)):
            sheet.write_number(row, col, value, self.cell_format(kind, **props))
        elif isinstance(value, (dt.datetime, dt.date)):
            if isinstance(value, dt.datetime) and value.tzinfo is not None:
                value = value.astimezone().replace(tzinfo=None)
            sheet.write_datetime(row, col, value, self.cell_format(kind, **props))
        elif isinstance(value, dt.time):
            self.text(sheet, row, col, value.isoformat(), **props)
        elif isinstance(value, dt.timedelta):
            sheet.write_number(row, col, value.total_seconds() / 86400, self.cell_format("number", **props))
        elif isinstance(value, (list, tuple)):
            self.text(sheet, row, col, ", ".join(map(str, value)), **props)
        else:
            self.text(sheet, row, col, value, **props)

    def hidden_cell(self, sheet: Worksheet, row: int, col: int, label: str, **props) -> None:
        sheet.write_string(row, col, label,
                           self.fmt(align="right", font_color=MUTED, italic=label == COMPLEMENT_LABEL, **props))

    def table_name(self, *parts: str) -> str:
        base = re.sub(r"[^A-Za-z0-9_]", "_", "_".join(("tbl", *parts)))[:200]
        name, index = base, 2
        while name.lower() in self._table_names:
            name, index = f"{base}_{index}", index + 1
        self._table_names.add(name.lower())
        return name

    # a view's sheet -----------------------------------------------------------------------

    def view_sheet(self, view: PageView) -> None:
        sheet = self.book.add_worksheet(sheet_name(view.sheet))
        _print_setup(sheet)
        sheet.repeat_rows(0, HEADER_ROWS - 2)
        widths: dict[int, float] = {}
        self.text(sheet, 0, 0, view.title, bold=True, font_size=16, font_color=HEADER_FILL)
        self.text(sheet, 1, 0, ctx.filters_sentence(self.context.filters, self.lang))
        self.text(sheet, 2, 0, ctx.data_line(self.context), font_color=MUTED)
        sheet.freeze_panes(HEADER_ROWS - 1, 0)
        sheet.set_row(0, 26)
        row = HEADER_ROWS
        for note in view.notes:
            self.text(sheet, row, 0, note, italic=True)
            row += 1
        if view.kpis:
            row = self.kpi_table(sheet, view, row, widths) + 2
        for index, panel in enumerate(view.panels):
            row = self.panel_block(sheet, view, index, panel, row, widths) + 2
        for col, width in widths.items():
            sheet.set_column(col, col, width)

    def kpi_table(self, sheet: Worksheet, view: PageView, row: int, widths: dict[int, float]) -> int:
        self.text(sheet, row, 0, self.context.t("reports.kpis"), bold=True, font_size=13)
        row += 1
        headers = [self.context.t(f"reports.kpi.{k}") for k in ("indicator", "value", "previous", "change", "detail", "definition")]
        first = row + 1
        n = self.context.threshold
        for offset, kpi in enumerate(view.kpis):
            r = first + offset
            hide_now, hide_before = kpi_small(kpi, n)
            self.text(sheet, r, 0, kpi.label, valign="top")
            for col, value, hidden in ((1, kpi.value, hide_now), (2, kpi.previous, hide_before)):
                if hidden:
                    self.hidden_cell(sheet, r, col, f"<{n}", valign="top")
                else:
                    self._kpi_number(sheet, r, col, value, kpi)
            if hide_now or hide_before or kpi.change is None:
                sheet.write_blank(r, 3, None, self.fmt(valign="top"))
            else:
                self._kpi_change(sheet, r, 3, kpi)
            self.text(sheet, r, 4, kpi.detail, text_wrap=True, valign="top")
            self.text(sheet, r, 5, kpi.definition, text_wrap=True, valign="top")
            # Neither Excel nor LibreOffice grows a row for wrapped text on opening a file.
            sheet.set_row(r, row_height((kpi.detail, KPI_DETAIL_WIDTH), (kpi.definition, MAX_WIDTH)))
        last = first + len(view.kpis) - 1
        sheet.add_table(row, 0, last, len(headers) - 1, {
            "name": self.table_name(view.sheet, "kpis"),
            "columns": [{"header": h, "header_format": self._header_format()} for h in headers],
            "style": "Table Style Light 1",
            "autofilter": False,
        })
        fixed = {4: KPI_DETAIL_WIDTH, 5: MAX_WIDTH}  # detail and definition wrap
        for col, header in enumerate(headers):
            sample = [header] + ([k.label for k in view.kpis] if col == 0 else [])
            widths[col] = max(widths.get(col, MIN_WIDTH), fixed.get(col, _width(sample, cap=40)), 14)
        return last

    def _kpi_number(self, sheet, row, col, value, kpi: Kpi) -> None:
        if value is None:
            sheet.write_blank(row, col, None, self.fmt(valign="top"))
            return
        number_format = units.excel_format(kpi.unit, self.context.lang)
        sheet.write_number(row, col, value, self.fmt(num_format=number_format, valign="top"))

    def _kpi_change(self, sheet, row, col, kpi: Kpi) -> None:
        number_format = units.excel_format(kpi.unit, self.context.lang, signed=True)
        sheet.write_number(row, col, units.excel_change_value(kpi.change, kpi.unit),
                           self.fmt(num_format=number_format, valign="top"))

    def _header_format(self):
        return self.fmt(**HEADER)

    def panel_block(self, sheet: Worksheet, view: PageView, index: int, panel: Panel, row: int,
                    widths: dict[int, float]) -> int:
        """Title, definition, the table and its chart. Returns the last row used."""
        title_row = row
        self.text(sheet, row, 0, panel.title, bold=True, font_size=13)
        self.text(sheet, row + 1, 0, f"{self.context.t('app.definition')}: {panel.definition}", font_color=MUTED)
        row += 2
        for line in self.context.notes.get(panel.key, ()):  # text cells: a note is never a formula
            self.text(sheet, row, 0, line, italic=True)
            row += 1
        frame = panel.frame
        suppression = suppress_panel(panel, self.context.threshold)
        if suppression:
            self.text(sheet, row, 0, self.context.t("reports.suppressed_here", n=self.context.threshold,
                                                    small=suppression.small, other=len(suppression.cells) - suppression.small),
                      italic=True, font_color=MUTED)
            row += 1
        if frame.height == 0 or frame.width == 0:
            self.text(sheet, row, 0, self.context.t("app.no_data"), italic=True)
            return row
        columns = _columns(panel, self.lang)
        header_row = row
        for c, column in enumerate(columns):
            values = frame.get_column(column.name).to_list()
            fmt_kind = column.kind
            for r, value in enumerate(values):
                label = suppression.label(r, column.name)
                if label is not None:
                    self.hidden_cell(sheet, header_row + 1 + r, c, label)
                elif column.kind == "text" and value is not None:
                    self.text(sheet, header_row + 1 + r, c, value)
                else:
                    self.value(sheet, header_row + 1 + r, c, value, fmt_kind)
            widths[c] = max(widths.get(c, MIN_WIDTH), column.width)
        last_row = header_row + frame.height
        sheet.add_table(header_row, 0, last_row, len(columns) - 1, {
            "name": self.table_name(view.sheet, str(index + 1), panel.key.split(".")[-1]),
            "columns": [{"header": col.header, "header_format": self._header_format()} for col in columns],
            "style": "Table Style Light 9",
        })
        chart_end = self.chart(sheet, panel, suppression, columns, header_row, last_row, len(columns) + 1, title_row, widths)
        return max(last_row, chart_end)

    # charts --------------------------------------------------------------------------------

    def chart(self, sheet: Worksheet, panel: Panel, suppression: Suppression, columns: list[_Column],
              header_row: int, last_row: int, col: int, title_row: int, widths: dict[int, float]) -> int:
        """A native chart right of the table, drawn from the table itself or, where the table is
        long (one row per series and x) or has hidden values, from a chart-data block under it."""
        spec = panel.chart
        if spec is None:
            return last_row
        if registry.is_grid(panel) and spec.color:
            return self.heatmap(sheet, panel, suppression, header_row, col, widths)
        native = NATIVE_CHARTS.get(registry.native_kind(panel))
        if native is None:
            self.text(sheet, header_row, col, self.context.t("reports.no_native_chart"), italic=True, font_color=MUTED)
            return last_row
        frame = suppression.masked(panel.frame)
        if spec.color and frame.get_column(spec.color).n_unique() > MAX_CHART_SERIES:
            self.text(sheet, header_row, col, self.context.t("reports.too_many_series", n=frame.get_column(spec.color).n_unique()),
                      italic=True, font_color=MUTED)
            return last_row
        kinds = {c.name: c.kind for c in columns}
        names = [c.name for c in columns]
        # The chart sits right of the table; a chart-data block, where one is needed, under it.
        block_row = header_row + CHART_ROWS + 2
        spec = registry.as_native(spec)  # drawn as its generic type: the same columns
        if spec.kind == "scatter":
            series, block_end = self._scatter_block(sheet, frame, spec, block_row, col, kinds, widths)
        elif spec.color is None and not any(suppression.hidden(r, spec.y) for r in range(frame.height)):
            x_col, y_col = names.index(spec.x), names.index(spec.y)
            series = [_series([sheet.name, header_row, y_col], sheet.name, header_row + 1, last_row, x_col, y_col)]
            block_end = last_row
        else:
            series, block_end = self._pivot_block(sheet, frame, spec, block_row, col, kinds, widths)
        if not series:
            return max(last_row, block_end)
        chart = self._native_chart(sheet, panel, native, series, kinds.get(spec.x, "text"), title_row, frame)
        sheet.insert_chart(header_row, col, chart, {"object_position": 1})
        return max(block_end, header_row + CHART_ROWS)

    def _native_chart(self, sheet: Worksheet, panel: Panel, native, series: list[dict], x_kind: str, title_row: int,
                      frame: pl.DataFrame):
        spec = panel.chart
        chart_type, subtype = native
        chart = self.book.add_chart({"type": chart_type, **({"subtype": subtype} if subtype else {})})
        font = {"name": FONT, "size": 9}
        for index, item in enumerate(series):
            colour = charts.PALETTE[index % len(charts.PALETTE)]
            options = {"name": item["name"], "categories": item["categories"], "values": item["values"]}
            if chart_type == "line":
                options |= {"line": {"color": colour, "width": 2.0}, "marker": {"type": "none"}}
            elif chart_type == "scatter":
                options["marker"] = {"type": "circle", "size": 5, "fill": {"color": colour}, "border": {"color": colour}}
            elif chart_type == "doughnut":
                options["points"] = [{"fill": {"color": charts.PALETTE[i % len(charts.PALETTE)]}} for i in range(item["points"])]
            else:
                options |= {"fill": {"color": colour}, "border": {"none": True}}
            chart.add_series(options)
        # The title is the panel's title cell: no text reaches the chart except through cells.
        chart.set_title({"name": [sheet.name, title_row, 0], "name_font": {**font, "size": 12, "bold": True}})
        chart.set_legend({"position": "bottom", "font": font} if (spec.color or chart_type == "doughnut") else {"none": True})
        chart.set_size({"width": CHART_WIDTH, "height": CHART_HEIGHT})
        chart.show_blanks_as("gap")
        if chart_type == "doughnut":
            chart.set_hole_size(45)
            return chart
        value_axis = {
            "name": column_label(spec.y, self.lang), "num_font": font, "name_font": font,
            "num_format": "0%" if spec.y in panel.percent_columns else "#,##0",
            "major_gridlines": {"visible": True, "line": {"color": "#E5E5E5"}},
        }
        category_axis = {"name": column_label(spec.x, self.lang), "num_font": font, "name_font": font}
        if x_kind in ("date", "month", "datetime") and chart_type in ("line", "area", "column"):
            category_axis |= {"date_axis": True, "num_format": "yyyy-mm", **_date_unit(frame.get_column(spec.x))}
        if chart_type == "bar":
            category_axis["reverse"] = True  # first row on top, as on the page
            chart.set_x_axis(value_axis)
            chart.set_y_axis(category_axis)
        else:
            chart.set_x_axis(category_axis)
            chart.set_y_axis(value_axis)
        return chart

    def _block_heading(self, sheet, header_row: int, col: int, key: str) -> None:
        if header_row > 0:
            self.text(sheet, header_row - 1, col, self.context.t(key), italic=True, font_color=MUTED)

    def _pivot_block(self, sheet, frame: pl.DataFrame, spec, header_row: int, col: int, kinds, widths):
        """x down the first column, one column per series; hidden or missing values are blank."""
        x, y = spec.x, spec.y
        if spec.color is None:
            wide, value_columns = frame.select(x, y), [y]
            names = [column_label(y, self.lang)]
        else:
            wide = frame.pivot(on=spec.color, index=x, values=y, aggregate_function="first")
            value_columns = [c for c in wide.columns if c != x]
            names = value_columns
        if kinds.get(x) in ("date", "month", "datetime"):
            wide = wide.sort(x)
        self._block_heading(sheet, header_row, col, "reports.chart_data")
        self.text(sheet, header_row, col, column_label(x, self.lang), **HEADER)
        for offset, name in enumerate(names):
            self.text(sheet, header_row, col + 1 + offset, name, **HEADER)
        x_values = wide.get_column(x).to_list()
        x_kind, y_kind = kinds.get(x, "text"), kinds.get(y, "number")
        for r, value in enumerate(x_values):
            self.value(sheet, header_row + 1 + r, col, value, x_kind)
        for offset, column in enumerate(value_columns):
            for r, value in enumerate(wide.get_column(column).to_list()):
                self.value(sheet, header_row + 1 + r, col + 1 + offset, value, y_kind)
        last = header_row + len(x_values)
        widths[col] = max(widths.get(col, MIN_WIDTH),
                          _width([column_label(x, self.lang), *(_display(v, x_kind) for v in x_values[:WIDTH_SAMPLE_ROWS])]))
        for offset, name in enumerate(names):
            widths[col + 1 + offset] = max(widths.get(col + 1 + offset, MIN_WIDTH), _width([name], cap=24), 10)
        series = [
            _series([sheet.name, header_row, col + 1 + offset], sheet.name, header_row + 1, last, col, col + 1 + offset)
            for offset in range(len(value_columns))
        ]
        return series, last

    def _scatter_block(self, sheet, frame, spec, header_row, col, kinds, widths):
        """Series after series (sorted by colour): name, x and y; each series a run of rows."""
        ordered = frame.sort(spec.color, maintain_order=True) if spec.color else frame
        labels = [column_label(c, self.lang) for c in (spec.color or spec.y, spec.x, spec.y)]
        self._block_heading(sheet, header_row, col, "reports.chart_data")
        for offset, label in enumerate(labels):
            self.text(sheet, header_row, col + offset, label, **HEADER)
        names = ordered.get_column(spec.color).to_list() if spec.color else [labels[2]] * ordered.height
        xs, ys = ordered.get_column(spec.x).to_list(), ordered.get_column(spec.y).to_list()
        for r, (name, a, b) in enumerate(zip(names, xs, ys)):
            self.text(sheet, header_row + 1 + r, col, name)
            self.value(sheet, header_row + 1 + r, col + 1, a, kinds.get(spec.x, "number"))
            self.value(sheet, header_row + 1 + r, col + 2, b, kinds.get(spec.y, "number"))
        runs, start = [], 0
        for i in range(1, len(names) + 1):
            if i == len(names) or names[i] != names[start]:
                runs.append((start, i))
                start = i
        last = header_row + ordered.height
        widths[col] = max(widths.get(col, MIN_WIDTH), _width([labels[0], *map(str, names[:WIDTH_SAMPLE_ROWS])]))
        for c in (col + 1, col + 2):
            widths[c] = max(widths.get(c, MIN_WIDTH), 12)
        series = [
            _series([sheet.name, header_row + 1 + a, col], sheet.name, header_row + 1 + a, header_row + b, col + 1, col + 2)
            for a, b in runs if b > a
        ]
        return series, last

    def heatmap(self, sheet, panel: Panel, suppression: Suppression, header_row: int, col: int, widths) -> int:
        """Excel has no heatmap chart: the matrix itself, coloured by a two-colour scale."""
        spec = panel.chart
        frame = suppression.masked(panel.frame)
        wide = frame.pivot(on=spec.x, index=spec.color, values=spec.y, aggregate_function="first")
        value_columns = [c for c in wide.columns if c != spec.color]
        self._block_heading(sheet, header_row, col, "reports.heatmap_data")
        self.text(sheet, header_row, col, column_label(spec.color, self.lang), **HEADER)
        for offset, name in enumerate(value_columns):
            self.text(sheet, header_row, col + 1 + offset, name, **HEADER)
        kind = "percent" if spec.y in panel.percent_columns else "number"
        for r, values in enumerate(wide.iter_rows()):
            self.value(sheet, header_row + 1 + r, col, values[0], "text")
            for offset, value in enumerate(values[1:]):
                self.value(sheet, header_row + 1 + r, col + 1 + offset, value, kind)
        last = header_row + wide.height
        if wide.height and value_columns:
            sheet.conditional_format(header_row + 1, col + 1, last, col + len(value_columns), {
                "type": "2_color_scale", "min_color": "#F2F7FB", "max_color": "#3A7DBA",
            })
        widths[col] = max(widths.get(col, MIN_WIDTH), _width(map(_display, wide.get_column(spec.color).to_list()[:WIDTH_SAMPLE_ROWS])))
        for offset, name in enumerate(value_columns):
            widths[col + 1 + offset] = max(widths.get(col + 1 + offset, MIN_WIDTH), _width([name], cap=20), 9)
        return last

    # the cover ----------------------------------------------------------------------------

    def about_sheet(self, sheet: Worksheet, views: Sequence[PageView]) -> None:
        c = self.context
        _print_setup(sheet)
        for col, width in enumerate(COVER_WIDTHS):
            sheet.set_column(col, col, width)
        label_fmt = {"bold": True, "font_color": "#33414E", "valign": "top"}
        self.text(sheet, 0, 0, c.t("reports.title"), bold=True, font_size=18, font_color=HEADER_FILL)
        sheet.set_row(0, 30)
        self.text(sheet, 1, 0, c.t("reports.subtitle"), font_color=MUTED)
        row = 3
        if c.is_demo:
            self.text(sheet, row, 0, t("app.demo_banner", c.lang, seed=c.info.get("seed"), scale=c.info.get("scale")),
                      bold=True, font_color="#9C2B00")
            row += 2

        def section(title: str) -> None:
            nonlocal row
            self.text(sheet, row, 0, title, bold=True, font_size=13, font_color=HEADER_FILL)
            row += 1

        def pair(label: str, value: Any, kind: str = "text") -> None:
            nonlocal row
            self.text(sheet, row, 0, label, **label_fmt)
            if kind == "text":
                self.text(sheet, row, 1, value)
            else:
                self.value(sheet, row, 1, value, kind, align="left")
            row += 1

        section(c.t("reports.about.report"))
        pair(c.t("reports.about.generated"), c.generated_at.strftime("%Y-%m-%d %H:%M %Z").strip())
        pair(c.t("reports.about.data_date"), c.data_date, "date")
        kind = c.info.get("kind", "submitted")
        pair(c.t("reports.about.kind"), t(f"about.kind.{kind}", c.lang) if kind in ("demo", "submitted") else kind)
        pair(c.t("reports.about.language"), {"ko": "한국어", "en": "English"}.get(c.lang, c.lang))
        pair(c.t("reports.about.threshold"), c.threshold, "integer")
        row += 1

        section(c.t("reports.about.filters"))
        for label, value in ctx.filter_lines(c.filters, c.lang):
            pair(label, value)
        row += 1

        section(c.t("reports.about.sources"))
        if c.batches:
            headers = [c.t(f"reports.batch.{k}") for k in ("batch_id", "loaded_at", "source", "files")]
            first = row + 1
            for offset, batch in enumerate(c.batches):
                r = first + offset
                self.text(sheet, r, 0, batch.batch_id)
                self.value(sheet, r, 1, batch.loaded_at, "datetime", align="left")
                self.text(sheet, r, 2, batch.source)
                self.value(sheet, r, 3, batch.files, "integer")
            sheet.add_table(row, 0, first + len(c.batches) - 1, 3, {
                "name": self.table_name("about", "batches"),
                "columns": [{"header": h, "header_format": self._header_format()} for h in headers],
                "style": "Table Style Light 1", "autofilter": False,
            })
            row = first + len(c.batches) + 1
        else:
            self.text(sheet, row, 0, c.t("reports.about.no_batches"), italic=True)
            row += 2

        section(c.t("reports.about.sheets"))
        for view in views:
            name = sheet_name(view.sheet)
            sheet.write_url(row, 0, f"internal:'{name}'!A1", string=name,
                            cell_format=self.fmt(font_color="#0B5CAD", underline=1))
            self.text(sheet, row, 1, view.title)
            self.text(sheet, row, 2, c.t("reports.about.sheet_contents", kpis=len(view.kpis), panels=len(view.panels)))
            row += 1
        row += 1

        section(c.t("reports.about.suppression"))
        sheet.merge_range(row, 0, row, 2, "", self.fmt(text_wrap=True, valign="top"))
        self.text(sheet, row, 0, ctx.suppression_rule(c), text_wrap=True, valign="top")
        sheet.set_row(row, row_height((ctx.suppression_rule(c), sum(COVER_WIDTHS))))
        row += 2

        section(c.t("reports.about.definitions"))
        rows = ctx.definitions(views) + [
            ("", t("defname.change", c.lang), t("def.change", c.lang)),
        ]
        headers = [c.t("reports.def.sheet"), c.t("reports.def.figure"), c.t("reports.def.definition")]
        first = row + 1
        for offset, (source, figure, definition) in enumerate(rows):
            r = first + offset
            self.text(sheet, r, 0, source, valign="top")
            self.text(sheet, r, 1, figure, valign="top", text_wrap=True)
            self.text(sheet, r, 2, definition, valign="top", text_wrap=True)
            sheet.set_row(r, row_height((figure, COVER_WIDTHS[1]), (definition, COVER_WIDTHS[2])))
        sheet.add_table(row, 0, first + len(rows) - 1, 2, {
            "name": self.table_name("about", "definitions"),
            "columns": [{"header": h, "header_format": self._header_format()} for h in headers],
            "style": "Table Style Light 1",
        })
        sheet.freeze_panes(2, 0)


# ---------------------------------------------------------------------------------------------


def sheet_name(name: str) -> str:
    """A sheet name Excel accepts: at most 31 characters, none of [ ] : * ? / \\."""
    cleaned = re.sub(r"\s+", " ", re.sub(r"[\[\]:*?/\\]", " ", name)).strip().strip("'")
    return cleaned[:31].strip() or "Sheet"


def _print_setup(sheet: Worksheet) -> None:
    """A4 landscape, one page wide: printed reports keep their columns together."""
    sheet.hide_gridlines(2)
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    sheet.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    sheet.set_footer("&L&A&R&P / &N")


def _date_unit(values: pl.Series) -> dict:
    """About a dozen labels on a date axis, on whole months."""
    values = values.drop_nulls()
    if values.is_empty():
        return {}
    first, last = values.min(), values.max()
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    step = next((s for s in (1, 2, 3, 6, 12, 24, 60) if months / s <= 12), 120)
    monthly = all(getattr(v, "day", 1) == 1 for v in values.to_list())
    return {"major_unit": step, "major_unit_type": "months", "base_unit": "months" if monthly else "days"}


def row_height(*cells: tuple[str, float]) -> float:
    """Height (points) for a row whose wrapped cells hold these texts in columns this wide."""
    lines = 1
    for text, width in cells:
        usable = max(width - 1.5, 1.0)
        lines = max(lines, sum(max(1, math.ceil(_text_width(part) / usable)) for part in str(text or "").split("\n")))
    return LINE_HEIGHT * lines + 3


def _series(name, sheet: str, first: int, last: int, x_col: int, y_col: int) -> dict:
    return {
        "name": name,
        "categories": [sheet, first, x_col, last, x_col],
        "values": [sheet, first, y_col, last, y_col],
        "points": last - first + 1,
    }


def _column_kind(panel: Panel, name: str, dtype: pl.DataType) -> str:
    if name in panel.percent_columns:
        return "percent"
    if name in panel.count_columns:
        return "count"
    if dtype == pl.Date:
        return "month" if name in ("month",) or name.endswith("_month") else "date"
    if isinstance(dtype, pl.Datetime):
        return "datetime"
    if dtype == pl.Boolean:
        return "boolean"
    if dtype.is_integer():
        return "year" if name == "year" or name.endswith("_year") or name.endswith("_since") else "integer"
    if dtype.is_numeric():
        return "number"
    return "text"


def _columns(panel: Panel, lang: str) -> list[_Column]:
    seen: dict[str, int] = {}
    columns = []
    for name, dtype in panel.frame.schema.items():
        header = column_label(name, lang).strip() or name
        if header.lower() in seen:  # table headers must be unique
            seen[header.lower()] += 1
            header = f"{header} ({seen[header.lower()]})"
        seen.setdefault(header.lower(), 1)
        kind = _column_kind(panel, name, dtype)
        sample = panel.frame.get_column(name).head(WIDTH_SAMPLE_ROWS).to_list()
        columns.append(_Column(name, header, kind, _width([header, *(_display(v, kind) for v in sample)])))
    return columns


def _display(value: Any, kind: str = "text") -> str:
    if value is None:
        return ""
    if kind == "percent" and isinstance(value, (int, float)):
        return f"{value:.1%}"
    if isinstance(value, float):
        return f"{value:,.1f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return str(value)


def _text_width(text: str) -> float:
    return sum(2.0 if unicodedata.east_asian_width(ch) in "WF" else 1.1 if ch.isupper() else 1.0 for ch in text)


def _width(texts, cap: float = MAX_WIDTH) -> float:
    widest = max((_text_width(line) for text in texts for line in str(text).splitlines() or [""]), default=0)
    return float(min(cap, max(MIN_WIDTH, widest + 2)))

