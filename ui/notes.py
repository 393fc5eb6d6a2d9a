"""Notes on charts, the Streamlit side: read for a panel, marked on its chart, listed under it,
and written, edited and deleted by analysts and data managers (oversight/state/notes.py checks
the role and the author again, on the server, whatever this form offers)."""

from __future__ import annotations

import datetime as dt
import logging
import re

import plotly.graph_objects as go
import streamlit as st

from oversight.charts.safe import plotly_text
from oversight.i18n import t
from oversight.state import notes

log = logging.getLogger(__name__)
_DATE = re.compile(r"^\d{4}-\d{2}(-\d{2})?")


def for_panel(key: str) -> list[notes.Note]:
    """The panel's notes overlapping the period on screen; none when the store cannot be read."""
    from ui import state

    chosen = state.filters()
    try:
        return notes.for_panels([key], chosen.date_from, chosen.date_to).get(key, [])
    except Exception:  # noqa: BLE001 - the chart is drawn even when the notes cannot be read
        log.exception("notes: could not read the notes of %s", key)
        return []


def _dated(fig: go.Figure) -> bool:
    """Does the chart's horizontal axis run over dates (months, days)?"""
    for trace in fig.data:
        values = getattr(trace, "x", None)
        if values is not None and len(values):
            first = values[0]
            return isinstance(first, (dt.date, dt.datetime)) or bool(_DATE.match(str(first)))
    return False


def annotate(fig: go.Figure, found: list[notes.Note]) -> go.Figure:
    """A shaded band for each note's period on a chart over time, labelled with its number."""
    if not found or not _dated(fig):
        return fig
    marked = go.Figure(fig)
    for n, note in enumerate(found, start=1):
        marked.add_vrect(x0=note.date_from.isoformat(), x1=(note.date_to + dt.timedelta(days=1)).isoformat(),
                         fillcolor="#f2c14e", opacity=0.18, line_width=0, annotation_position="top left",
                         annotation_text=plotly_text(f"✎{n}"), annotation_hovertext=plotly_text(note.text))
    return marked


def section(key: str, found: list[notes.Note], lang: str) -> None:
    """Under the chart: the notes as text, and for writers the form to add one or change theirs."""
    from ui import access, audit
    from ui.components import plain

    for n, note in enumerate(found, start=1):
        st.caption(t("notes.line", lang, n=n, period=note.period, text=plain(note.text), author=plain(note.author)))
    decided = access.current()
    if not decided.allows(notes.WRITERS):
        return
    me = access.who()
    own = [note for note in found if note.author.lower() == me.lower()]
    with st.popover(t("notes.add", lang), icon=":material/edit_note:"):
        _form(key, None, me, decided.role, audit.view(), lang)
        for note in own:
            st.divider()
            _form(key, note, me, decided.role, audit.view(), lang)


def _form(key: str, note: notes.Note | None, me: str, role, where: str, lang: str) -> None:
    from ui import state

    suffix = f"{key}_{note.id if note else 'new'}"
    chosen = state.filters()
    with st.form(f"note_form_{suffix}", clear_on_submit=note is None, border=False):
        period = st.date_input(t("notes.period", lang), format="YYYY-MM-DD", key=f"note_period_{suffix}",
                               value=(note.date_from, note.date_to) if note else (chosen.date_to.replace(day=1),
                                                                                  chosen.date_to))
        text = st.text_area(t("notes.text", lang, limit=notes.MAX_LENGTH), value=note.text if note else "",
                            max_chars=notes.MAX_LENGTH, key=f"note_text_{suffix}")
        save = st.form_submit_button(t("notes.save" if note else "notes.create", lang))
        remove = note is not None and st.form_submit_button(t("notes.delete", lang))
    if not (save or remove):
        return
    start, end = (period[0], period[-1]) if isinstance(period, (tuple, list)) and period else (None, None)
    try:
        if remove:
            notes.delete(me, role, note.id, view=where)
        elif note is None:
            notes.add(me, role, key, start, end, text, view=where)
        else:
            notes.edit(me, role, note.id, text=text, date_from=start, date_to=end, view=where)
    except (notes.NoteError, notes.NoteDenied) as exc:
        st.error(t("notes.refused", lang, reason=str(exc)), icon=":material/error:")
        return
    st.rerun()
