"""Notes on charts (oversight/state/notes.py) on SQLite and PostgreSQL: who may write, edit and
delete; hostile text refused with a clear reason and nothing stored half."""

from __future__ import annotations

import datetime as dt

import pytest

from oversight import state
from oversight.auth import Role
from oversight.state import audit, notes

KIM, LEE = "kim@khis.example", "lee@mohw.example"
MARCH = notes.month("2026-03")


@pytest.fixture()
def engine(state_url):
    return state.create(state_url)


def test_an_analyst_writes_a_note_for_a_month_and_everyone_reads_it_in_an_overlapping_period(engine):
    note_id = notes.add(LEE, Role.ANALYST, "access.monthly", *MARCH, "  병원 X 시스템 이전으로 제출 지연 ",
                        view="/access?lang=ko", engine=engine)
    found = notes.for_panels(["access.monthly", "overview.kpis"], dt.date(2026, 1, 1), dt.date(2026, 3, 5),
                             engine=engine)
    assert list(found) == ["access.monthly"]
    (note,) = found["access.monthly"]
    assert (note.id, note.text, note.author, note.period) == (
        note_id, "병원 X 시스템 이전으로 제출 지연", LEE, "2026-03")
    assert notes.for_panels(["access.monthly"], dt.date(2026, 4, 1), dt.date(2026, 12, 31), engine=engine) == {}
    events = audit.events(engine=engine)
    assert events["action"].to_list() == ["note_add"] and events["view"][0] == "/access?lang=ko"


def test_only_the_author_edits_and_deletes_and_viewers_write_nothing(engine):
    note_id = notes.add(LEE, Role.ANALYST, "access.monthly", *MARCH, "first", engine=engine)
    with pytest.raises(notes.NoteDenied, match="only analysts and data managers"):
        notes.add("viewer@mohw.example", Role.VIEWER, "access.monthly", *MARCH, "hello", engine=engine)
    with pytest.raises(notes.NoteDenied, match="only its author"):
        notes.edit(KIM, Role.DATA_MANAGER, note_id, text="changed", date_from=MARCH[0], date_to=MARCH[1],
                   engine=engine)
    with pytest.raises(notes.NoteDenied, match="only its author"):
        notes.delete(KIM, Role.DATA_MANAGER, note_id, engine=engine)
    notes.edit(LEE.upper(), Role.ANALYST, note_id, text="second", date_from=dt.date(2026, 3, 2),
               date_to=dt.date(2026, 3, 20), engine=engine)
    (note,) = notes.for_panels(["access.monthly"], *MARCH, engine=engine)["access.monthly"]
    assert (note.text, note.period) == ("second", "2026-03-02–2026-03-20")
    notes.delete(LEE, Role.ANALYST, note_id, engine=engine)
    assert notes.for_panels(["access.monthly"], *MARCH, engine=engine) == {}
    assert audit.events(engine=engine)["action"].to_list() == ["note_delete", "note_edit", "note_add"]


@pytest.mark.parametrize(("panel", "text", "period", "reason"), [
    ("access.monthly", "", MARCH, "cannot be empty"),
    ("access.monthly", "   \n ", MARCH, "cannot be empty"),
    ("access.monthly", "x" * (notes.MAX_LENGTH + 1), MARCH, f"at most {notes.MAX_LENGTH}"),
    ("access.monthly", "safe\u202egnp.exe", MARCH, r"U\+202E"),
    ("access.monthly", "bell\x07", MARCH, r"U\+0007"),
    ("access.monthly", "ok", (dt.date(2026, 3, 5), dt.date(2026, 3, 1)), "starts 2026-03-05 after"),
    ("access.monthly", "ok", ("2026-03-01", dt.date(2026, 3, 1)), "two dates"),
    ("access.monthly", "ok", (dt.date(1900, 1, 1), dt.date(2026, 3, 1)), "outside"),
    ("<script>", "ok", MARCH, "not a panel's key"),
    ("access.monthly'; drop table notes; --", "ok", MARCH, "not a panel's key"),
])
def test_hostile_values_are_refused_clearly_and_nothing_is_stored(engine, panel, text, period, reason):
    with pytest.raises(notes.NoteError, match=reason):
        notes.add(LEE, Role.ANALYST, panel, *period, text, engine=engine)
    assert notes.for_panels(["access.monthly"], dt.date(2000, 1, 1), dt.date(2100, 1, 1), engine=engine) == {}
    assert audit.events(engine=engine).is_empty()


def test_html_and_formulas_are_kept_as_text_for_the_places_that_escape_them(engine):
    hostile = '=HYPERLINK("http://x","y") <img src=x onerror=alert(1)>'
    notes.add(LEE, Role.ANALYST, "access.monthly", *MARCH, hostile, engine=engine)
    assert notes.for_panels(["access.monthly"], *MARCH, engine=engine)["access.monthly"][0].text == hostile


def test_a_failed_edit_leaves_the_note_and_the_trail_as_they_were(engine):
    note_id = notes.add(LEE, Role.ANALYST, "access.monthly", *MARCH, "kept", engine=engine)
    with pytest.raises(notes.NoteError):
        notes.edit(LEE, Role.ANALYST, note_id, text="x" * 600, date_from=MARCH[0], date_to=MARCH[1], engine=engine)
    with pytest.raises(notes.NoteError, match="no note"):
        notes.delete(LEE, Role.ANALYST, note_id + 100, engine=engine)
    assert notes.for_panels(["access.monthly"], *MARCH, engine=engine)["access.monthly"][0].text == "kept"
    assert audit.events(engine=engine)["action"].to_list() == ["note_add"]


def test_a_month_is_read_strictly():
    assert notes.month("2024-02") == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    with pytest.raises(notes.NoteError, match="YYYY-MM"):
        notes.month("March")
