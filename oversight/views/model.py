"""The shapes views return.

A view is built once, in no language: its texts are `Text`s (an i18n key and its arguments), its
frames hold codes (enum codes, ids, both columns of a name pair), and each panel declares in
`labels` how its code columns become words. `oversight.views.localise.localise(view, lang)`
turns it into what a page shows and an export writes, so one build serves both languages.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Union

import polars as pl

from oversight import i18n


@dataclass(frozen=True)
class Text:
    """A user-facing text before its language is chosen: `i18n.t(key, lang, **args)`.

    An argument is used as it is, unless it is a Text, a Name or a tuple of them (words in the
    language, a tuple joined by commas). `lower` writes the text in lower case (a column name
    used inside a sentence)."""

    key: str
    args: tuple[tuple[str, Phrase], ...] = ()
    lower: bool = False

    @classmethod
    def of(cls, key: str, **args: Phrase) -> Text:
        return cls(key, tuple(args.items()))


@dataclass(frozen=True)
class Name:
    """An institution's name: Korean and English, the other language as fallback."""

    ko: str | None
    en: str | None


Phrase = Union[Text, Name, tuple, str, int, float, None]


def code_text(prefixes: str | tuple[str, ...], code: str | None) -> Text | str:
    """The words of a code: the first key f"{prefix}.{code}" the catalogue has, e.g.
    code_text("enum.kind", "hospital"); an unknown code stays as it is (as `Codes` labels it)."""
    if code is None:
        return ""
    keys = [f"{prefix}.{code}" for prefix in ((prefixes,) if isinstance(prefixes, str) else prefixes)]
    return next((Text(key) for key in keys if i18n.has(key)), code)


@dataclass(frozen=True)
class Codes:
    """Column `column` holds codes; its words are the text of the first key f"{prefix}.{code}" the
    catalogue has (the code itself if none), written to `into` (in place by default). A list column
    becomes the words of its codes joined by commas."""

    column: str
    prefixes: tuple[str, ...]
    into: str | None = None


@dataclass(frozen=True)
class Names:
    """Columns `ko` and `en` hold a name pair; they become one column `into`, in the language."""

    ko: str
    en: str
    into: str


@dataclass(frozen=True)
class Region:
    """Column `column` holds region codes; their names are written to `into`."""

    column: str
    into: str = "region"


Label = Union[Codes, Names, Region]


@dataclass(frozen=True)
class Order:
    """The order of a panel's rows by columns that hold words once labelled (words sort
    differently in Korean and English): polars' sort of the labelled frame."""

    columns: tuple[str, ...]
    descending: tuple[bool, ...] | bool = False
    nulls_last: bool = False


@dataclass(frozen=True)
class Chart:
    """A chart of a panel's frame. Generic kinds are drawn by oversight.charts.figure and, where
    Excel has the type, written as native Excel charts; other kinds have their own builder."""

    kind: str  # line, area, bar, stacked_bar, hbar, pie, scatter, heatmap, histogram, box, ...
    x: str
    y: str
    color: str | None = None
    events: tuple[tuple[dt.date, str | Text], ...] = ()  # labelled vertical lines on a time axis
    markers: tuple[tuple[dt.date, str | Text], ...] = ()  # small marks on a time axis, named on hover
    markers_label: str | Text = ""  # the markers' legend entry
    y_format: str = ""  # plotly tick format, e.g. ".0%"


@dataclass(frozen=True)
class Margin:
    """Totals of a panel's count columns that are published, so that suppression must protect them.

    One total of each of `columns` per distinct value of the `by` columns (the rows sharing those
    values), or the columns' grand totals when `by` is empty; over `rows` only, when given. A
    total is published when anyone who sees the export can read it: a KPI of the page (the grand
    total), a share column (a part and its share give the whole), the height of a stacked bar, a
    total column or total row of the same frame, or a figure of another table or page (e.g. the
    Regions table's count per region). A total shown nowhere is not declared: there is nothing to
    subtract from, and suppression hides only the small counts themselves.
    """

    columns: tuple[str, ...]
    by: tuple[str, ...] = ()
    rows: tuple[int, ...] | None = None  # the rows the totals cover when not all (e.g. the regions under a total row)


@dataclass(frozen=True)
class Panel:
    key: str  # stable id, e.g. "overview.adoption"; i18n title is f"{key}.title"
    title: str | Text
    definition: str | Text  # what the figure means, shown beside it and in exports
    frame: pl.DataFrame  # built: codes; localised: display-ready, names and labels in the language
    chart: Chart | None = None
    count_columns: tuple[str, ...] = ()  # small counts here are suppressed in shared views
    percent_columns: tuple[str, ...] = ()  # fractions 0-1 shown as percentages
    margins: tuple[Margin, ...] = ()  # the published totals of count columns that suppression protects
    derived_columns: tuple[str, ...] = ()  # whole numbers computed from a row's counts (a change): hidden with them
    labels: tuple[Label, ...] = ()  # how the built frame's codes become words, in order
    columns: tuple[str, ...] = ()  # the columns shown, in order, once labelled (all when empty)
    order: Order | None = None  # the order of the shown rows, once labelled (as built when None)
    codes: pl.DataFrame | None = None  # localised: the built frame, row for row with `frame`

    def __post_init__(self) -> None:
        for margin in self.margins:
            if not set(margin.columns) <= set(self.count_columns):
                raise ValueError(f"panel {self.key}: margin columns {margin.columns} "
                                 f"are not all count columns {self.count_columns}")
            missing = [c for c in margin.by if c not in self.frame.columns]
            if missing:
                raise ValueError(f"panel {self.key}: margin by {missing} "
                                 f"not in the frame's columns {self.frame.columns}")
            if any(not 0 <= row < self.frame.height for row in margin.rows or ()):
                raise ValueError(f"panel {self.key}: margin rows {margin.rows} "
                                 f"outside the frame's {self.frame.height} rows")


@dataclass(frozen=True)
class Kpi:
    key: str
    label: str | Text
    value: float | None
    previous: float | None
    unit: str  # "count", "days" or "percent"
    definition: str | Text
    detail: str | Text = ""  # e.g. the counts behind a rate
    higher_is_better: bool = True

    @property
    def change(self) -> float | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous


@dataclass(frozen=True)
class PageView:
    sheet: str  # Excel sheet name (issue 6): Overview, Agreements, ...
    title: str | Text
    kpis: tuple[Kpi, ...] = ()
    panels: tuple[Panel, ...] = ()
    notes: tuple[str | Text, ...] = field(default=())

    def panel(self, key: str) -> Panel:
        return next(p for p in self.panels if p.key == key)
