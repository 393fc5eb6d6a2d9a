"""The submission template: an XLSX workbook with a sheet per table, drop-down lists for the
enumerations, typed date and number cells, and instructions in Korean and English.

`template()` is empty; `template(example=True)` is filled with a small, consistent example
(example.py) that loads cleanly into an empty database. Both come from the contract in
schema.py, so a column added there appears here too.
"""

from __future__ import annotations

import datetime as dt
import io

import xlsxwriter

from oversight import schema
from oversight.i18n import t
from oversight.loader import cells, example

INSTRUCTIONS = "instructions"
LISTS = "lists"  # hidden sheet with the drop-down values
LAST_ROW = 1_048_575  # validation reaches the sheet's last row (0-based)
HEADER_FILL = "#0072B2"


def template(example_rows: bool = False) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    formats = _formats(book)
    instructions = book.add_worksheet(INSTRUCTIONS)
    lists = book.add_worksheet(LISTS)
    ranges = _write_lists(lists, formats)
    for name in schema.LOAD_ORDER:
        sheet = book.add_worksheet(name)
        _write_table_sheet(sheet, schema.TABLES[name], formats, ranges,
                           example.ROWS.get(name, []) if example_rows else [])
    _write_instructions(instructions, formats, example_rows)
    lists.hide()
    instructions.activate()
    book.close()
    return buffer.getvalue()


def _formats(book) -> dict:
    return {
        "header": book.add_format({"bold": True, "font_color": "#FFFFFF", "bg_color": HEADER_FILL, "border": 1}),
        "required": book.add_format({"bold": True, "font_color": "#FFFFFF", "bg_color": "#D55E00", "border": 1}),
        "date": book.add_format({"num_format": "yyyy-mm-dd"}),
        "month": book.add_format({"num_format": "yyyy-mm"}),
        "text": book.add_format({"num_format": "@"}),
        "integer": book.add_format({"num_format": "#,##0"}),
        "decimal": book.add_format({"num_format": "#,##0.0##"}),
        "title": book.add_format({"bold": True, "font_size": 14}),
        "heading": book.add_format({"bold": True, "font_size": 12, "bottom": 1}),
        "wrap": book.add_format({"text_wrap": True, "valign": "top"}),
        "bold": book.add_format({"bold": True, "valign": "top"}),
    }


def _enum_columns():
    seen: dict[tuple[str, ...], str] = {}
    for table in schema.TABLES.values():
        for column in table.columns:
            if column.type == "enum" and column.values not in seen:
                seen[column.values] = column.name
    return seen


def _write_lists(sheet, formats) -> dict[tuple[str, ...], str]:
    """One column per distinct enumeration (and yes/no); returns values -> range formula."""
    ranges = {}
    lists = list(_enum_columns().items()) + [(("true", "false"), "boolean")]
    for index, (values, label) in enumerate(lists):
        sheet.write(0, index, label, formats["header"])
        for row, value in enumerate(values, start=1):
            sheet.write_string(row, index, value)
        letter = xlsxwriter.utility.xl_col_to_name(index)
        ranges[values] = f"={LISTS}!${letter}$2:${letter}${len(values) + 1}"
    return ranges


def _describe(table: str, column: schema.Column, lang: str) -> str:
    return t(f"loader.column.{table}.{column.name}", lang)


def _write_table_sheet(sheet, table: schema.Table, formats, ranges, rows: list[dict]) -> None:
    sheet.freeze_panes(1, 0)
    for index, column in enumerate(table.columns):
        sheet.write_string(0, index, column.name, formats["required" if column.required else "header"])
        sheet.write_comment(
            0, index,
            f"{_describe(table.name, column, 'ko')}\n\n{_describe(table.name, column, 'en')}",
            {"x_scale": 2.2, "y_scale": 1.6},
        )
        cell_format = formats.get(column.type) if column.type in ("date", "month", "integer", "decimal") else (
            formats["text"] if column.type == "text" else None)
        sheet.set_column(index, index, max(14, len(column.name) + 4), cell_format)
        validation = _validation(table.name, column, ranges)
        if validation:
            sheet.data_validation(1, index, LAST_ROW, index, validation)
    for row_index, row in enumerate(rows, start=1):
        for index, column in enumerate(table.columns):
            value = row.get(column.name)
            if value is None:
                continue
            if column.type in ("date", "month"):
                sheet.write_datetime(row_index, index, dt.datetime.combine(value, dt.time()),
                                     formats[column.type])
            elif column.type in ("integer", "decimal"):
                sheet.write_number(row_index, index, value)
            elif column.type == "boolean":
                sheet.write_boolean(row_index, index, value)
            else:
                sheet.write_string(row_index, index, str(value))


def _validation(table: str, column: schema.Column, ranges) -> dict | None:
    title = column.name
    message = _describe(table, column, "ko")[:250]
    common = {"input_title": title[:32], "input_message": message, "error_title": title[:32]}
    if column.type == "enum":
        return {**common, "validate": "list", "source": ranges[column.values],
                "error_message": t("loader.template.enum_error", "ko") + " / " + t("loader.template.enum_error", "en")}
    if column.type == "boolean":
        return {**common, "validate": "list", "source": ranges[("true", "false")]}
    if column.type in ("date", "month"):
        return {**common, "validate": "date", "criteria": "between",
                "minimum": dt.datetime.combine(cells.EARLIEST, dt.time()),
                "maximum": dt.datetime.combine(cells.LATEST, dt.time()),
                "error_type": "warning",
                "error_message": t("loader.template.date_error", "ko") + " / " + t("loader.template.date_error", "en")}
    if column.type in ("integer", "decimal"):
        low, high, _ = cells.LIMITS.get((table, column.name), (None, None, False))
        kind = "integer" if column.type == "integer" else "decimal"
        if low is None and high is None:
            return {**common, "validate": kind, "criteria": "between", "minimum": -1e15, "maximum": 1e15,
                    "error_type": "warning", "error_message": t("loader.template.number_error", "en")}
        criteria = {"criteria": "between", "minimum": low, "maximum": high} if low is not None and high is not None \
            else {"criteria": ">=", "value": low}
        return {**common, "validate": kind, **criteria, "error_type": "warning",
                "error_message": t("loader.template.range_error", "ko") + " / " + t("loader.template.range_error", "en")}
    return {**common, "validate": "any"}


def _write_instructions(sheet, formats, filled: bool) -> None:
    sheet.set_column(0, 0, 24)
    sheet.set_column(1, 1, 10)
    sheet.set_column(2, 2, 10)
    sheet.set_column(3, 4, 70)
    row = 0
    sheet.write(row, 0, t("loader.template.title", "ko") + " · " + t("loader.template.title", "en"), formats["title"])
    row += 1
    if filled:
        sheet.write(row, 0, t("loader.template.example_note", "ko") + " / " + t("loader.template.example_note", "en"))
        row += 1
    row += 1
    for lang in ("ko", "en"):
        sheet.write(row, 0, t("loader.template.rules_heading", lang), formats["heading"])
        row += 1
        for index in range(1, 9):
            sheet.merge_range(row, 0, row, 4, f"{index}. " + t(f"loader.template.rule{index}", lang), formats["wrap"])
            sheet.set_row(row, 30)
            row += 1
        row += 1
    for name in schema.LOAD_ORDER:
        table = schema.TABLES[name]
        sheet.write(row, 0, name, formats["heading"])
        sheet.merge_range(row, 1, row, 4, t(f"loader.table.{name}", "ko") + " / " + t(f"loader.table.{name}", "en"),
                          formats["heading"])
        row += 1
        for index, label in enumerate(("column", "required", "type", "rule_ko", "rule_en")):
            sheet.write(row, index, t(f"loader.template.{label}", "ko") + " / " + t(f"loader.template.{label}", "en"),
                        formats["header"])
        row += 1
        for column in table.columns:
            sheet.write(row, 0, column.name, formats["bold"])
            sheet.write(row, 1, t("loader.template.yes" if column.required else "loader.template.no", "ko"))
            sheet.write(row, 2, column.type)
            sheet.write(row, 3, _describe(name, column, "ko"), formats["wrap"])
            sheet.write(row, 4, _describe(name, column, "en"), formats["wrap"])
            row += 1
        key = ", ".join(table.key)
        sheet.write(row, 0, t("loader.template.key", "ko") + " / " + t("loader.template.key", "en"))
        sheet.write(row, 3, key)
        row += 2
