"""The edge where a view gets its language: `localise(view, lang)` turns a built view (texts as
i18n keys, frames of codes) into what a page shows and an export writes. Pure: the built view is
left as it was, so one build serves both languages."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import polars as pl

from oversight import i18n
from oversight.regions import region_name
from oversight.views.model import (
    Chart, Codes, Kpi, Label, Margin, Name, Names, PageView, Panel, Phrase, Region, Text,
)

_ROW = "__row"  # the built row behind each shown row, while labelling


def localise(view: PageView, lang: str) -> PageView:
    return replace(
        view,
        title=words(view.title, lang),
        kpis=tuple(localise_kpi(kpi, lang) for kpi in view.kpis),
        panels=tuple(localise_panel(panel, lang) for panel in view.panels),
        notes=tuple(words(note, lang) for note in view.notes),
    )


def words(phrase: Phrase, lang: str) -> Phrase:
    """A Text, a Name or a tuple of them in `lang`; anything else as it is (a number keeps its type,
    so that a placeholder's format, e.g. {n:,}, still applies)."""
    if isinstance(phrase, Text):
        text = i18n.t(phrase.key, lang, **{name: words(value, lang) for name, value in phrase.args})
        return text.lower() if phrase.lower else text
    if isinstance(phrase, Name):
        return i18n.localised_name(phrase.ko, phrase.en, lang)
    if isinstance(phrase, tuple):
        return ", ".join(str(words(part, lang)) for part in phrase)
    return phrase


def localise_kpi(kpi: Kpi, lang: str) -> Kpi:
    return replace(kpi, label=words(kpi.label, lang), definition=words(kpi.definition, lang),
                   detail=words(kpi.detail, lang))


def labelled(frame: pl.DataFrame, labels: tuple[Label, ...], lang: str) -> pl.DataFrame:
    """`frame` with the words of `labels` in `lang`."""
    for label in labels:
        frame = _LABELLERS[type(label)](frame, label, lang)
    return frame


def localise_panel(panel: Panel, lang: str) -> Panel:
    frame = labelled(panel.frame.with_row_index(_ROW), panel.labels, lang)
    if panel.columns:
        frame = frame.select(_ROW, *panel.columns)
    if panel.order is not None:
        order = panel.order
        frame = frame.sort(list(order.columns), descending=order.descending, nulls_last=order.nulls_last,
                           maintain_order=True)
    codes = panel.frame if panel.order is None else panel.frame[frame.get_column(_ROW).to_list()]
    return replace(
        panel,
        title=words(panel.title, lang),
        definition=words(panel.definition, lang),
        frame=frame.drop(_ROW),
        chart=_localise_chart(panel.chart, lang),
        margins=_localise_margins(panel, frame),
        codes=codes,
        labels=(), columns=(), order=None,  # done: the frame holds words now
    )


def _localise_margins(panel: Panel, shown: pl.DataFrame) -> tuple[Margin, ...]:
    """The published totals over the shown frame: a margin's rows follow their built rows when words
    re-sort them, and a group column left out of what is shown is replaced by its words (grouping by
    a code or by its words is the same grouping)."""
    position = {built: index for index, built in enumerate(shown.get_column(_ROW).to_list())}
    words_of = {label.column: label.into for label in panel.labels if isinstance(label, (Codes, Region)) and label.into}
    words_of |= {label.ko: label.into for label in panel.labels if isinstance(label, Names)}

    def column(name: str) -> str:
        return name if name in shown.columns else words_of.get(name, name)

    return tuple(
        replace(margin, by=tuple(column(c) for c in margin.by),
                rows=None if margin.rows is None else tuple(sorted(position[r] for r in margin.rows)))
        for margin in panel.margins
    )


def _localise_chart(chart: Chart | None, lang: str) -> Chart | None:
    if chart is None:
        return None
    return replace(
        chart,
        events=tuple((day, words(text, lang)) for day, text in chart.events),
        markers=tuple((day, words(text, lang)) for day, text in chart.markers),
        markers_label=words(chart.markers_label, lang),
    )


def code_words(prefixes: tuple[str, ...], code: str, lang: str) -> str:
    """The words of a code: the text of the first key f"{prefix}.{code}" the catalogue has."""
    return next((i18n.t(f"{p}.{code}", lang) for p in prefixes if i18n.has(f"{p}.{code}")), code)


def _codes(frame: pl.DataFrame, label: Codes, lang: str) -> pl.DataFrame:
    column = frame.get_column(label.column)
    if column.dtype == pl.List:
        values = column.explode().drop_nulls().unique().to_list()
        mapping = {v: code_words(label.prefixes, v, lang) for v in values}
        expression = pl.col(label.column).list.eval(
            pl.element().replace_strict(mapping, default=pl.element())).list.join(", ")
    else:
        values = column.unique().drop_nulls().to_list()
        mapping = {v: code_words(label.prefixes, v, lang) for v in values}
        # return_dtype: an empty frame would otherwise give a Null column that cannot be concatenated
        expression = pl.col(label.column).replace_strict(mapping, default=None, return_dtype=pl.String)
    return frame.with_columns(expression.alias(label.into or label.column))


def _names(frame: pl.DataFrame, label: Names, lang: str) -> pl.DataFrame:
    first, second = (label.ko, label.en) if lang == "ko" else (label.en, label.ko)
    return frame.with_columns(pl.coalesce(pl.col(first), pl.col(second)).alias(label.into)).drop(label.ko, label.en)


def _region(frame: pl.DataFrame, label: Region, lang: str) -> pl.DataFrame:
    values = frame.get_column(label.column).unique().drop_nulls().to_list()
    mapping = {v: region_name(v, lang) for v in values}
    return frame.with_columns(
        pl.col(label.column).replace_strict(mapping, default=None, return_dtype=pl.String).alias(label.into))


_LABELLERS: dict[type, Callable[[pl.DataFrame, Label, str], pl.DataFrame]] = {
    Codes: _codes, Names: _names, Region: _region,
}


def view_in(build: Callable, runner, filters, lang: str, *args, **options) -> PageView | None:
    """`build`'s view localised into `lang`: what the exports, the CLI and the bench write (the
    dashboard keeps the built view for both languages, ui/data.py). None stays None."""
    view = build(runner, filters, *args, **options)
    return None if view is None else localise(view, lang)
