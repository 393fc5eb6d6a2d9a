"""Helpers the views share."""

from __future__ import annotations

import polars as pl

from oversight import i18n
from oversight.views.localise import words
from oversight.views.model import Codes, Names, Panel, Phrase, Text


def first_row(frame: pl.DataFrame) -> dict:
    return frame.row(0, named=True) if frame.height else {}


def picked_notes(picked: list[tuple[str, Text, Phrase]]) -> tuple[Text, ...]:
    """What is picked on a page's charts, one note a dimension ("Hospital: Garam Hospital, ...")."""
    return tuple(Text.of("xfilter.note", label=label, values=values) for _, label, values in picked)


def facts(key: str, title: Text, definition: Text, rows: list[tuple[str, Phrase]]) -> Panel:
    """Facts of one thing as rows of (item, value): shown as text, written as a sheet. The items
    are column names (col.*); the values, words and all, are written in both languages, like a
    name pair."""
    frame = pl.DataFrame({
        "item": [item for item, _ in rows],
        **{f"value_{lang}": [str(words(value, lang)) for _, value in rows] for lang in i18n.LANGUAGES},
    })
    return Panel(
        key=key, title=title, definition=definition, frame=frame,
        labels=(Codes("item", ("col",)), Names("value_ko", "value_en", "value")),
    )
