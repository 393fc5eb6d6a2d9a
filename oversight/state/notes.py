"""Notes on charts: "2026-03: 병원 X 시스템 이전으로 제출 지연" on a panel, for a month or a date range.

Analysts and data managers write notes; everyone who reads the dashboard reads them; only the
author edits or deletes a note. Checked here, on the server, whatever the page offers. A note is
plain text: it is escaped wherever it is shown (Markdown, plotly), written to Excel as a string
(never a formula) and to slides without control characters. A note and its audit event are
stored in one transaction: a refused or failed change leaves neither."""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

import sqlalchemy as sa

from oversight.auth import Role
from oversight.state import audit
from oversight.state import engine as state_engine
from oversight.state.schema import notes as table

MAX_LENGTH = 500
PANEL = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)*$")
# Line breaks and tabs are text; every other control or format character (bidi overrides,
# zero-width joiners used to hide text) is refused rather than silently dropped.
_ALLOWED_CONTROLS = {"\n", "\t"}
WRITERS = Role.ANALYST


class NoteError(ValueError):
    """A note that cannot be stored as given: the message says why."""


class NoteDenied(PermissionError):
    """The person may not make this change."""


@dataclass(frozen=True)
class Note:
    id: int
    panel: str
    date_from: dt.date
    date_to: dt.date
    text: str
    author: str
    created_at: dt.datetime
    updated_at: dt.datetime

    @property
    def period(self) -> str:
        """2026-03 for a whole month, 2026-03-02–2026-03-20 for a range, one date for a day."""
        last = calendar.monthrange(self.date_to.year, self.date_to.month)[1]
        if (self.date_from.day == 1 and self.date_to == self.date_from.replace(day=last)):
            return f"{self.date_from:%Y-%m}"
        if self.date_from == self.date_to:
            return f"{self.date_from:%Y-%m-%d}"
        return f"{self.date_from:%Y-%m-%d}–{self.date_to:%Y-%m-%d}"


def month(text: str) -> tuple[dt.date, dt.date]:
    """'2026-03' as its first and last day."""
    try:
        first = dt.datetime.strptime(text.strip(), "%Y-%m").date()
    except ValueError:
        raise NoteError(f"{text!r} is not a month written as YYYY-MM") from None
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def clean_text(text: object) -> str:
    if not isinstance(text, str):
        raise NoteError("a note is text")
    cleaned = unicodedata.normalize("NFC", text).strip()
    if not cleaned:
        raise NoteError("a note cannot be empty")
    if len(cleaned) > MAX_LENGTH:
        raise NoteError(f"a note has at most {MAX_LENGTH} characters, this one {len(cleaned)}")
    bad = sorted({f"U+{ord(c):04X}" for c in cleaned
                  if unicodedata.category(c) in {"Cc", "Cf", "Cs", "Co"} and c not in _ALLOWED_CONTROLS})
    if bad:
        raise NoteError(f"a note cannot hold control or invisible characters ({', '.join(bad)})")
    return cleaned


def clean_period(date_from: object, date_to: object) -> tuple[dt.date, dt.date]:
    for value in (date_from, date_to):
        if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
            raise NoteError(f"a note's period is two dates, not {value!r}")
    if date_from > date_to:
        raise NoteError(f"the period starts {date_from} after it ends {date_to}")
    if date_from.year < 2000 or date_to.year > 2100:
        raise NoteError(f"the period {date_from}–{date_to} is outside 2000–2100")
    return date_from, date_to


def clean_panel(panel: object) -> str:
    if not isinstance(panel, str) or len(panel) > table.c.panel.type.length or not PANEL.match(panel):
        raise NoteError(f"{panel!r} is not a panel's key")
    return panel


def _writer(actor: str, role: Role | None) -> None:
    if role is None or role < WRITERS:
        raise NoteDenied("only analysts and data managers write notes")
    if not actor:
        raise NoteDenied("a note needs an author")


def _own(conn: sa.Connection, actor: str, note_id: int) -> Note:
    row = conn.execute(sa.select(table).where(table.c.id == note_id)).first()
    if row is None:
        raise NoteError(f"there is no note {note_id}")
    if row.author.lower() != actor.strip().lower():
        raise NoteDenied("only its author edits or deletes a note")
    return Note(**row._mapping)


def add(actor: str, role: Role | None, panel: str, date_from: dt.date, date_to: dt.date, text: str, *,
        view: str | None = None, engine: sa.Engine | None = None) -> int:
    _writer(actor, role)
    values = {"panel": clean_panel(panel), "text": clean_text(text)}
    values["date_from"], values["date_to"] = clean_period(date_from, date_to)
    moment = audit.now()
    with (engine or state_engine()).begin() as conn:
        note_id = conn.execute(table.insert().values(author=actor, created_at=moment, updated_at=moment, **values)
                               .returning(table.c.id)).scalar_one()
        audit.record(actor, "note_add", role=role.key, view=view, detail=f"{panel} #{note_id}: {values['text']}",
                     at=moment, connection=conn)
    return note_id


def edit(actor: str, role: Role | None, note_id: int, *, text: str, date_from: dt.date, date_to: dt.date,
         view: str | None = None, engine: sa.Engine | None = None) -> None:
    _writer(actor, role)
    cleaned = clean_text(text)
    start, end = clean_period(date_from, date_to)
    moment = audit.now()
    with (engine or state_engine()).begin() as conn:
        note = _own(conn, actor, note_id)
        conn.execute(table.update().where(table.c.id == note_id)
                     .values(text=cleaned, date_from=start, date_to=end, updated_at=moment))
        audit.record(actor, "note_edit", role=role.key, view=view, detail=f"{note.panel} #{note_id}: {cleaned}",
                     at=moment, connection=conn)


def delete(actor: str, role: Role | None, note_id: int, *, view: str | None = None,
           engine: sa.Engine | None = None) -> None:
    _writer(actor, role)
    with (engine or state_engine()).begin() as conn:
        note = _own(conn, actor, note_id)
        conn.execute(table.delete().where(table.c.id == note_id))
        audit.record(actor, "note_delete", role=role.key, view=view, detail=f"{note.panel} #{note_id}: {note.text}",
                     connection=conn)


def for_panels(panels: list[str] | tuple[str, ...] | None, date_from: dt.date, date_to: dt.date, *,
               engine: sa.Engine | None = None) -> dict[str, list[Note]]:
    """The notes on these panels (None: on every panel) whose period overlaps [date_from, date_to],
    oldest period first."""
    if panels is not None and not panels:
        return {}
    query = (sa.select(table).where(table.c.date_from <= date_to, table.c.date_to >= date_from)
             .order_by(table.c.date_from, table.c.id))
    if panels is not None:
        query = query.where(table.c.panel.in_(list(panels)))
    found: dict[str, list[Note]] = {}
    with (engine or state_engine()).connect() as conn:
        for row in conn.execute(query):
            note = Note(**row._mapping)
            found.setdefault(note.panel, []).append(note)
    return found
