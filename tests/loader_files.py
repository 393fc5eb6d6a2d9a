"""Helpers for the loader tests: submission files built in memory, in every format the contract names."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import openpyxl
import polars as pl

from oversight import loader
from oversight.loader import problems

INSTITUTION_HEADER = ("institution_id,name_en,name_ko,kind,hospital_tier,company_sector,region_code,latitude,"
                      "longitude,joined_on,infrastructure_since,safe_centre_since")
REQUEST_HEADER = ("request_id,agreement_id,hospital_id,requested_on,approved_on,delivered_on,status,data_type,"
                  "access_mode,centre_id,patients,records")


def csv_file(name: str, header: str, *lines: str, encoding: str = "utf-8", newline: str = "\n") -> loader.Submission:
    text = newline.join([header, *lines]) + newline
    return loader.Submission(name, text.encode(encoding))


def xlsx_file(name: str, sheets: dict[str, list[list]], hidden: tuple[str, ...] = ()) -> loader.Submission:
    """A workbook written by openpyxl: Python dates become Excel date cells, numbers numbers."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
        if title in hidden:
            sheet.sheet_state = "hidden"
    buffer = io.BytesIO()
    book.save(buffer)
    return loader.Submission(name, buffer.getvalue())


def parquet_file(name: str, frame: pl.DataFrame) -> loader.Submission:
    buffer = io.BytesIO()
    frame.write_parquet(buffer)
    return loader.Submission(name, buffer.getvalue())


def found(checked) -> list[tuple]:
    """(file, sheet, row, column, value, rule) of every problem, in order."""
    return [
        (r["file"], r["sheet"], r["row"], r["column"], r["value"], r["rule"])
        for r in checked.problems.iter_rows(named=True)
    ]


def rules(checked) -> list[str]:
    return checked.problems.get_column("rule").to_list()


def sentences(checked, lang: str = "en") -> list[str]:
    return problems.table(checked.problems, lang, None).get_column("Problem" if lang == "en" else "문제").to_list()


def zip_with(parts: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def replace_part(xlsx: bytes, part: str, transform) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    return zip_with({n: transform(source.read(n)) if n == part else source.read(n) for n in source.namelist()})


def table_rows(path: Path, sql: str) -> list[tuple]:
    import duckdb

    con = duckdb.connect(":memory:")
    try:
        con.execute("attach ? as d (read_only)", [str(path)])
        con.execute("use d")
        return con.execute(sql).fetchall()
    finally:
        con.close()


D = dt.date.fromisoformat
