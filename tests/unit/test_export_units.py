"""Every output writes a KPI's value as the one table of units (oversight/units.py) says: the
screen, the workbook (its number formats rendered), the deck's cards and the change summary."""
import io
import re

from conftest import YEAR_2025
from openpyxl import load_workbook
from pptx import Presentation

from oversight import db, kpis, queries, units
from oversight.export import context as ctx
from oversight.export import deck, excel
from oversight.export.summary import change_sentence
from oversight.export.suppression import kpi_small
from oversight.views.model import Kpi

# value, previous, and what the screen must read in English, per unit
CASES = {
    "count": (1234.0, 1200.0, "1,234"),
    "decimal": (1.99, 1.77, "1.99"),
    "percent": (0.1234, 0.1, "12.3%"),
    "days": (14.0, 12.0, "14 days"),
    "hours": (5136.5, 5000.0, "5,136.5"),
}


def _excel_decimals(number_format: str) -> int:
    digits = number_format.split(";")[0]
    return len(digits.split(".")[1].split('"')[0].rstrip("%")) if "." in digits else 0


def test_every_unit_reads_the_same_in_every_output():
    problems = []
    used = {spec.unit for spec in kpis.CATALOGUE}
    problems += [f"catalogue unit {u} has no case here" for u in used - CASES.keys()]
    for name, (value, previous, english) in CASES.items():
        spec = units.unit(name)
        for lang in ("ko", "en"):
            screen = units.format_value(value, name, lang)
            kpi = Kpi(key="k", label="L", value=value, previous=previous, unit=name, definition="",
                      detail="", higher_is_better=True)
            if ctx.format_kpi_value(value, name, lang) != screen:
                problems.append(f"{name}/{lang}: deck {ctx.format_kpi_value(value, name, lang)} != {screen}")
            number = screen.split("%")[0].split(" ")[0].rstrip("일")
            if number not in change_sentence(kpi, lang, threshold=1):
                problems.append(f"{name}/{lang}: summary {change_sentence(kpi, lang, threshold=1)!r} lacks {number}")
            for signed in (False, True):
                excel = units.excel_format(name, lang, signed)
                if _excel_decimals(excel) != spec.decimals:
                    problems.append(f"{name}/{lang}: Excel {excel} has not {spec.decimals} decimals")
        if units.format_value(value, name, "en") != english:
            problems.append(f"{name}: screen {units.format_value(value, name, 'en')} != {english}")
    assert problems == []


def test_a_change_rounded_away_is_unchanged_and_a_visible_one_is_not():
    moved = Kpi(key="k", label="L", value=1.75, previous=1.91, unit="decimal", definition="", detail="",
                higher_is_better=True)
    still = Kpi(key="k", label="L", value=1.912, previous=1.914, unit="decimal", definition="", detail="",
                higher_is_better=True)
    assert "0.16" in change_sentence(moved, "en", threshold=1)
    assert change_sentence(still, "en", threshold=1) == change_sentence(
        Kpi(key="k", label="L", value=1.912, previous=1.912, unit="decimal", definition="", detail="",
            higher_is_better=True), "en", threshold=1)
    assert units.format_change(-0.16, "decimal") == "-0.16"


def _excel_text(value: float, number_format: str) -> str:
    """What Excel shows for the plain number formats units.excel_format writes."""
    match = re.fullmatch(r'(#,##)?0(?:\.(0+))?(%?)(?:"(.*)")?', number_format)
    assert match, f"a number format this test cannot read: {number_format}"
    separators, decimals, percent, suffix = match[1], len(match[2] or ""), match[3], match[4] or ""
    if percent:
        return f"{value * 100:.{decimals}f}%"
    return (f"{value:,.{decimals}f}" if separators else f"{value:.{decimals}f}") + suffix


def test_every_kpi_of_every_page_reads_the_same_on_screen_in_the_workbook_deck_and_summary(demo_db, monkeypatch):
    """On the demo (the fixture's KPIs are whole numbers): hospitals per agreement and the hours
    have fractions there, which the workbook used to round away."""
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")  # the deck's cards need no browser
    runner = queries.DatabaseRunner(db.read_only(demo_db))
    fractions = set()
    problems = []
    for lang in ("ko", "en"):
        context = ctx.report_context(runner, YEAR_2025, lang)
        views = ctx.build_views(runner, YEAR_2025, lang)
        book = load_workbook(io.BytesIO(excel.workbook_bytes(views, context)))
        cells = {}  # KPI label -> (value cell, previous cell), from every sheet
        for sheet in book.worksheets:
            for row in sheet.iter_rows(min_col=1, max_col=3):
                if isinstance(row[0].value, str):
                    cells.setdefault(row[0].value, (row[1], row[2]))
        slides = Presentation(io.BytesIO(deck.deck_bytes(views, context, appendix=True)))  # the KPI cards: the appendix
        deck_text = {shape.text_frame.text for slide in slides.slides for shape in slide.shapes if shape.has_text_frame}
        for view in views:
            for kpi in view.kpis:
                name = f"{lang} {view.title} / {kpi.label}"
                hide_now, _ = kpi_small(kpi, context.threshold)
                if kpi.value is None or hide_now:
                    continue
                screen = units.format_value(kpi.value, kpi.unit, lang)
                fractions |= {kpi.key} if kpi.value != round(kpi.value) and kpi.unit != "percent" else set()
                if kpi.label not in cells:
                    problems.append(f"{name}: not in the workbook")
                else:
                    cell = cells[kpi.label][0]
                    written = _excel_text(cell.value, cell.number_format) if isinstance(cell.value, float | int) else cell.value
                    if written != screen:
                        problems.append(f"{name}: workbook {written!r} ({cell.number_format}), screen {screen!r}")
                if screen not in deck_text:
                    problems.append(f"{name}: no deck card reads {screen!r}")
                number = units.format_value(kpi.value, kpi.unit, "en").split(" ")[0]
                if number not in change_sentence(kpi, lang, context.threshold):
                    problems.append(f"{name}: summary {change_sentence(kpi, lang, context.threshold)!r} lacks {number}")
    assert problems == []
    assert {"agreements.hospitals_per_agreement"} <= fractions, "the demo has no fractional KPI to check"
