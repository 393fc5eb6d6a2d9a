"""Notes on charts in the exports: the workbook under the panel's title (a text cell, never a
formula) and the deck's slide of that panel, read back; the context reads them from the store."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import zipfile

import openpyxl
from pptx import Presentation
from test_export_excel import CONTEXT

from conftest import YEAR_2025
from fixture_reports import synthetic_view
from oversight import settings, state
from oversight.auth import Role
from oversight.export import context as ctx
from oversight.export import deck, excel
from oversight.state import notes

HOSTILE = '=HYPERLINK("http://evil.example","click") 병원 X 시스템 이전'


def _with_note():
    view = synthetic_view()
    panel = next(p for p in view.panels if p.chart is not None)
    line = f"✎1 메모 2025-03: {HOSTILE} — lee@mohw.example"
    return view, panel, dataclasses.replace(CONTEXT, notes={panel.key: (line, "=1+1")}), line


def test_the_workbook_writes_a_note_under_its_panel_as_text_never_a_formula():
    view, panel, context, line = _with_note()
    data = excel.workbook_bytes([view], context)
    book = openpyxl.load_workbook(io.BytesIO(data))
    cells = [c for row in book[view.sheet].iter_rows() for c in row if c.value == line]
    assert len(cells) == 1 and cells[0].data_type == "s"
    # A line that a spreadsheet would run (were the format ever to start with the text) keeps its apostrophe.
    (formula_like,) = [c for row in book[view.sheet].iter_rows() for c in row if c.value == "=1+1"]
    assert formula_like.quotePrefix and formula_like.row == cells[0].row + 1
    titles = [c.row for row in book[view.sheet].iter_rows() for c in row if c.value == panel.title]
    assert titles and cells[0].row == titles[0] + 2  # title, definition, then the notes
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert not any("<f>" in archive.read(n).decode("utf-8") for n in archive.namelist()
                       if n.startswith("xl/worksheets/"))


def test_the_deck_shows_a_note_on_its_panels_slide():
    view, panel, context, line = _with_note()
    slides = Presentation(io.BytesIO(deck.deck_bytes([view], context))).slides
    holding = [s for s in slides for shape in s.shapes if shape.has_text_frame and line in shape.text_frame.text]
    assert len(holding) == 1
    assert any(panel.title in shape.text_frame.text for shape in holding[0].shapes if shape.has_text_frame)


def test_the_report_context_reads_the_notes_overlapping_the_period_in_its_language(runner, monkeypatch, tmp_path):
    url = f"sqlite:///{tmp_path / 'state.sqlite'}"
    monkeypatch.setenv(settings.STATE_URL.name, url)
    engine = state.engine(url)
    notes.add("lee@mohw.example", Role.ANALYST, "access.monthly", *notes.month("2025-03"), HOSTILE, engine=engine)
    notes.add("lee@mohw.example", Role.ANALYST, "access.monthly", *notes.month("2024-03"), "outside", engine=engine)
    context = ctx.report_context(runner, YEAR_2025, "en")
    assert context.notes == {"access.monthly": (f"✎1 Note 2025-03: {HOSTILE} — lee@mohw.example",)}
    assert ctx.report_context(runner, dataclasses.replace(YEAR_2025, date_from=dt.date(2025, 4, 1)),
                              "en").notes == {}
