"""The shapes views return."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import polars as pl


@dataclass(frozen=True)
class Chart:
    """A chart of a panel's frame. Generic kinds are drawn by oversight.charts.figure and, where
    Excel has the type, written as native Excel charts; other kinds have their own builder."""

    kind: str  # line, area, bar, stacked_bar, hbar, pie, scatter, heatmap, histogram, box, ...
    x: str
    y: str
    color: str | None = None
    events: tuple[tuple[dt.date, str], ...] = ()  # labelled vertical lines on a time axis
    markers: tuple[tuple[dt.date, str], ...] = ()  # small marks on a time axis, named on hover
    markers_label: str = ""  # the markers' legend entry
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
    title: str  # translated
    definition: str  # translated: what the figure means, shown beside it and in exports
    frame: pl.DataFrame  # display-ready: names and enum labels in the chosen language
    chart: Chart | None = None
    count_columns: tuple[str, ...] = ()  # small counts here are suppressed in shared views
    percent_columns: tuple[str, ...] = ()  # fractions 0-1 shown as percentages
    margins: tuple[Margin, ...] = ()  # the published totals of count columns that suppression protects
    derived_columns: tuple[str, ...] = ()  # whole numbers computed from a row's counts (a change): hidden with them

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
    label: str
    value: float | None
    previous: float | None
    unit: str  # "count", "days" or "percent"
    definition: str
    detail: str = ""  # e.g. the counts behind a rate
    higher_is_better: bool = True

    @property
    def change(self) -> float | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous


@dataclass(frozen=True)
class PageView:
    sheet: str  # Excel sheet name (issue 6): Overview, Agreements, ...
    title: str
    kpis: tuple[Kpi, ...] = ()
    panels: tuple[Panel, ...] = ()
    notes: tuple[str, ...] = field(default=())

    def panel(self, key: str) -> Panel:
        return next(p for p in self.panels if p.key == key)
