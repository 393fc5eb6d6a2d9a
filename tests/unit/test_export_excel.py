"""The Excel report read back with openpyxl: sheets, tables equal to the views, formats, charts,
no formulas, hidden small counts, and a cover that says where the figures come from."""

import datetime as dt
import io
import re
import zipfile

import openpyxl
import pytest
from openpyxl.utils import range_boundaries

from conftest import YEAR_2025
from fixture_reports import HOSTILE_NAMES, synthetic_view
from oversight import db, queries
from oversight.export import context as ctx
from oversight.export import excel
from oversight.export.suppression import suppress_panel
from oversight.filters import Filters, default_filters
from oversight.i18n import column_label
from oversight.pages import SHEETS
from oversight.views.localise import view_in

CONTEXT = ctx.ReportContext(
    lang="ko",
    filters=Filters(dt.date(2025, 1, 1), dt.date(2025, 12, 31), regions=("11", "26")),
    info={"kind": "demo", "data_date": dt.date(2026, 6, 30), "latest_batch": "b-2026", "seed": 7, "scale": "tiny"},
    batches=(ctx.Batch("b-2026", dt.datetime(2026, 7, 1, 9, 0), "import", 3), ctx.Batch("=evil-batch", None, "demo", 1)),
    generated_at=dt.datetime(2026, 7, 2, 10, 30),
    threshold=5,
)
_CONTROL_ESCAPE = re.compile(r"_x(00[01][0-9A-F])_")


def read(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def as_written(value):
    """openpyxl leaves the OOXML escape of a control character (e.g. _x000D_ for a carriage
    return) undecoded; Excel and LibreOffice decode it."""
    return _CONTROL_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), value) if isinstance(value, str) else value


def tables_in_order(sheet):
    return sorted(sheet.tables.values(), key=lambda table: range_boundaries(table.ref)[1])


def table_rows(sheet, table):
    rows = [[cell.value for cell in row] for row in sheet[table.ref]]
    return rows[0], rows[1:]


def expected_cell(value):
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime.combine(value, dt.time())
    if isinstance(value, float):
        return pytest.approx(value, rel=1e-12)  # a workbook keeps about 16 significant digits
    return value


@pytest.fixture(scope="module")
def synthetic_book():
    return read(excel.workbook_bytes([synthetic_view()], CONTEXT))


def test_report_has_the_cover_then_one_sheet_per_registered_view_in_order(runner):
    book = read(excel.build_report(runner, YEAR_2025, "ko"))
    assert book.sheetnames == ["About", *SHEETS]
    assert book.active.title == "About"


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("threshold", [0, 5])
def test_every_table_equals_its_views_frame(demo_db, lang, threshold):
    """The workbook's figures are the page's: each panel's table holds its frame, cell for cell,
    with hidden counts replaced by their labels."""
    runner = queries.DatabaseRunner(db.read_only(demo_db))
    data_date = runner.run("dataset_info", {}).get_column("data_date")[0]
    filters = default_filters(data_date)
    book = read(excel.build_report(runner, filters, lang, threshold=threshold))
    for name, build in SHEETS.items():
        view = view_in(build, runner, filters, lang)
        sheet = book[name]
        tables = tables_in_order(sheet)
        kpi_table, panel_tables = (tables[0], tables[1:]) if view.kpis else (None, tables)
        if kpi_table is not None:
            _, rows = table_rows(sheet, kpi_table)
            assert [r[0] for r in rows] == [k.label for k in view.kpis]
            for row, kpi in zip(rows, view.kpis):
                small = kpi.unit == "count" and kpi.value is not None and 0 < kpi.value < threshold
                assert row[1] == (f"<{threshold}" if small else expected_cell(kpi.value))
        shown = [p for p in view.panels if p.frame.height]
        assert len(panel_tables) == len(shown)
        for table, panel in zip(panel_tables, shown):
            header, rows = table_rows(sheet, table)
            assert header == [column_label(c, lang) for c in panel.frame.columns]
            assert len(rows) == panel.frame.height
            hidden = suppress_panel(panel, threshold)
            assert bool(hidden) == (threshold > 0 and bool(hidden.cells))
            for r, values in enumerate(panel.frame.iter_rows()):
                for c, value in enumerate(values):
                    label = hidden.label(r, panel.frame.columns[c])
                    got = as_written(rows[r][c])
                    if label is not None:
                        assert got == label
                    elif value is None:
                        assert got in (None, "")
                    elif isinstance(value, float):
                        assert got == pytest.approx(value)
                    else:
                        assert got == expected_cell(value), (panel.key, r, c)


def test_the_fixture_report_hides_its_small_counts(runner):
    book = read(excel.build_report(runner, YEAR_2025, "ko", threshold=5))
    sheet = book["Overview"]
    _, rows = table_rows(sheet, tables_in_order(sheet)[0])
    kpis = {row[0]: row[1:4] for row in rows}
    # 2025 on the fixture (tests/queries/test_queries.py): 7 institutions (4 before), 3 hospitals with
    # agreements (2 before), 2 agreements (1 before), 2 deliveries (1 before), median 80 days
    # (30 before), quality 8/9 (none before). Counts of 1-4 show as "<5", with no change.
    assert kpis["참여 기관"] == [7, "<5", None]
    assert kpis["협약 참여 병원"] == ["<5", "<5", None]
    assert kpis["체결 협약"] == ["<5", "<5", None]
    assert kpis["제공 완료 신청"] == ["<5", "<5", None]
    assert kpis["제공 소요일(중앙값)"] == [80, 30, 50]
    assert kpis["네트워크 데이터 품질"][0] == pytest.approx(8 / 9)
    _, adoption = table_rows(sheet, tables_in_order(sheet)[1])
    shown = [row[2] for row in adoption if isinstance(row[2], int)]
    assert shown and all(v == 0 or v >= 5 for v in shown)


def test_no_cell_is_a_formula_and_names_from_data_are_written_as_they_are(synthetic_book):
    texts = []
    for sheet in synthetic_book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula: {cell.value!r}"
                if isinstance(cell.value, str):
                    texts.append((as_written(cell.value), cell.quotePrefix))
    written = {text for text, _ in texts}
    assert set(HOSTILE_NAMES) <= written
    for text, quoted in texts:
        if text in HOSTILE_NAMES and text[0] in "=+-@\t\r\n＝":
            assert quoted, f"{text!r} is not marked as text"
    # the batch id from data on the cover too
    assert ("=evil-batch", True) in texts


def test_formula_text_never_reaches_the_file_as_a_formula():
    data = excel.workbook_bytes([synthetic_view()], CONTEXT)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert "<f>" not in archive.read(name).decode("utf-8"), name


def test_tables_formats_widths_and_the_frozen_heading(synthetic_book):
    sheet = synthetic_book["Synthetic"]
    assert sheet.freeze_panes == "A4"
    assert sheet["A1"].value == "합성 페이지"
    assert "2025-01-01 ~ 2025-12-31 (365일)" in sheet["A2"].value
    assert "서울특별시, 부산광역시" in sheet["A2"].value
    names = [t.name for t in tables_in_order(sheet)]
    assert names[0] == "tbl_Synthetic_kpis"
    assert "tbl_Synthetic_1_trend" in names and "tbl_Synthetic_8_entities" in names
    assert not any("empty" in n for n in names)  # an empty panel has no table

    entities = sheet.tables["tbl_Synthetic_8_entities"]
    header, _ = table_rows(sheet, entities)
    assert header == [column_label(c, "ko") for c in synthetic_view().panel("synthetic.entities").frame.columns]
    first_col, first_row, _, _ = range_boundaries(entities.ref)
    data_row = sheet[first_row + 1]
    formats = {header[i]: data_row[first_col - 1 + i].number_format for i in range(len(header))}
    assert formats[column_label("signed_on", "ko")] == "yyyy-mm-dd"
    assert formats[column_label("loaded_at", "ko")] == "yyyy-mm-dd hh:mm"
    assert formats[column_label("score", "ko")] == "0.0%"
    assert formats[column_label("year", "ko")] == "0"
    header_cell = sheet.cell(first_row, first_col)
    assert header_cell.font.b and header_cell.fill.fgColor.rgb.endswith("0B3C5D")
    assert sheet.column_dimensions["A"].width >= 20  # the long names

    trend = sheet.tables["tbl_Synthetic_1_trend"]
    first_col, first_row, _, _ = range_boundaries(trend.ref)
    assert sheet.cell(first_row + 1, first_col).number_format == "yyyy-mm"
    assert sheet.cell(first_row + 1, first_col + 2).number_format in ("#,##0", "General")  # a count, or its label
    counts = [sheet.cell(r, first_col + 2) for r in range(first_row + 1, first_row + 25)]
    assert {c.number_format for c in counts if isinstance(c.value, int)} == {"#,##0"}

    kpis = sheet.tables["tbl_Synthetic_kpis"]
    _, rows = table_rows(sheet, kpis)
    assert rows[0][:4] == ["체결 협약", 196, 70, 126]
    assert rows[1][1] == "<5" and rows[1][3] is None  # 3 is hidden, and so is its change
    assert sheet.cell(range_boundaries(kpis.ref)[1] + 4, 2).number_format == "0.0%"


def test_a_korean_font_everywhere(synthetic_book):
    sheet = synthetic_book["Synthetic"]
    assert sheet["A1"].font.name == excel.FONT
    assert synthetic_book._fonts[0].name == excel.FONT


def test_small_counts_are_hidden_with_what_would_give_them_back(synthetic_book):
    sheet = synthetic_book["Synthetic"]
    _, rows = table_rows(sheet, sheet.tables["tbl_Synthetic_2_regions"])
    by_region = {as_written(r[0]): r[1:] for r in rows}
    # requests 40, 3, 25, 12, 0, 9: the 3 alone would be the total less the rest; 9 goes with it.
    assert by_region["부산광역시"] == ["<5", "x"]
    assert by_region[HOSTILE_NAMES[8]] == ["x", "x"]
    assert by_region["서울특별시"] == [40, pytest.approx(40 / 89)]
    assert by_region["세종특별자치시"] == [0, 0]


def test_native_charts_where_excel_has_the_type(synthetic_book):
    data = excel.workbook_bytes([synthetic_view()], CONTEXT)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        charts = sorted(n for n in archive.namelist() if re.match(r"xl/charts/chart\d+\.xml", n))
        xml = [archive.read(n).decode("utf-8") for n in charts]
    # line, column, stacked column, bar, doughnut; the heatmap is a coloured matrix and the
    # network has no Excel equivalent
    assert len(xml) == 5
    kinds = ["lineChart" in x and "line" or 'barDir val="col"' in x and ("stacked" in x and "stacked" or "column")
             or 'barDir val="bar"' in x and "bar" or "doughnutChart" in x and "doughnut" for x in xml]
    assert kinds == ["line", "column", "stacked", "bar", "doughnut"]
    reference = re.compile(r"^'?\w+'?!\$[A-Z]+\$\d+(:\$[A-Z]+\$\d+)?$")
    for chart in xml:
        formulas = re.findall(r"<c:f>(.*?)</c:f>", chart)
        assert formulas, "series, categories and titles point at cells"
        assert all(reference.match(f) for f in formulas), formulas  # nothing from data becomes a formula
        assert "<script>" not in chart  # names appear only as escaped cached text
    sheet = synthetic_book["Synthetic"]
    assert sheet.conditional_formatting, "the heatmap's matrix is colour-scaled"
    texts = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert any("엑셀에 같은 유형이 없어" in t for t in texts)
    assert "자료 없음." in " ".join(texts) and "선택한 조건에 해당하는 자료가 없습니다." in texts


def test_the_cover_states_filters_date_sources_definitions_and_the_rule(synthetic_book):
    sheet = synthetic_book["About"]
    cells = {c.value for row in sheet.iter_rows() for c in row if c.value is not None}
    text = "\n".join(map(str, cells))
    assert "의료데이터 활용 사업 현황 보고서" in cells
    assert "2026-07-02 10:30" in text
    assert dt.datetime(2026, 6, 30) in cells  # data date, a real date cell
    assert "2025-01-01 ~ 2025-12-31 (365일)" in cells and "2024-01-02 ~ 2024-12-31 (365일)" in cells
    assert "서울특별시, 부산광역시" in cells
    assert {"b-2026", "=evil-batch"} <= cells
    view = synthetic_view()
    for item in (*view.kpis, *view.panels):
        assert item.definition in cells, item
    assert any("'<5'" in str(c) and "'x'" in str(c) for c in cells), "the suppression rule"
    assert "합성 데모 데이터입니다" in text
    links = [c for row in sheet.iter_rows() for c in row if c.hyperlink is not None]
    assert [c.value for c in links] == ["Synthetic"] and links[0].hyperlink.location == "'Synthetic'!A1"
    assert "tbl_about_definitions" in sheet.tables


def test_english_report_has_english_headers_and_cover(runner):
    book = read(excel.build_report(runner, YEAR_2025, "en"))
    about = {c.value for row in book["About"].iter_rows() for c in row if c.value is not None}
    assert "Medical Data Utilisation Project: report" in about
    assert "2025-01-01 to 2025-12-31 (365 days)" in about
    sheet = book["Overview"]
    header, _ = table_rows(sheet, tables_in_order(sheet)[1])
    assert header == [column_label(c, "en") for c in ("month", "series", "cumulative")]
    assert header[0] == "Month"


def test_a_sheet_name_excel_refuses_is_made_acceptable():
    from dataclasses import replace

    view = replace(synthetic_view(), sheet="Centres/Consulting: [all]*?")
    book = read(excel.workbook_bytes([view], CONTEXT))
    assert book.sheetnames == ["About", "Centres Consulting all"]
    links = [c.hyperlink.location for row in book["About"].iter_rows() for c in row if c.hyperlink is not None]
    assert links == ["'Centres Consulting all'!A1"]


def test_a_scatter_is_charted_and_too_many_series_are_left_to_the_table():
    import polars as pl

    from oversight.views.model import Chart, PageView, Panel

    scatter = pl.DataFrame({"kind": ["병원"] * 3 + ["기업"] * 3, "patients": [10, 20, 30, 5, 15, 25],
                            "records": [100, 180, 320, 40, 160, 230]})
    crowded = pl.DataFrame({"month": [dt.date(2025, 1, 1)] * 30, "series": [f"기관 {i}" for i in range(30)],
                            "count": list(range(10, 40))})
    view = PageView("Extra", "추가", panels=(
        Panel("extra.scatter", "산점도", "환자 수와 기록 수.", scatter, Chart("scatter", "patients", "records", color="kind")),
        Panel("extra.crowded", "기관별", "기관별 건수.", crowded, Chart("line", "month", "count", color="series"),
              count_columns=("count",)),
    ))
    data = excel.workbook_bytes([view], CONTEXT)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        charts = [archive.read(n).decode("utf-8") for n in archive.namelist() if re.match(r"xl/charts/chart\d+\.xml", n)]
    assert len(charts) == 1 and "scatterChart" in charts[0]
    assert charts[0].count("<c:ser>") == 2  # one series per kind
    texts = [c.value for row in read(data)["Extra"].iter_rows() for c in row if isinstance(c.value, str)]
    assert any("30개로 많아" in t for t in texts)
