"""What every export states besides its figures: filters in words, data date, sources, time.

The workbook's cover, the deck's title and sources slides and the presentation mode share it,
so the three say the same thing about where the figures come from.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from oversight import config, units
from oversight.filters import Filters
from oversight.i18n import enum_label, t
from oversight.queries import Runner
from oversight.regions import region_name
from oversight.views.model import Kpi, PageView, Panel
from oversight.views.localise import view_in
from oversight.pages import SHEETS

Progress = Callable[[str, float], None]


@dataclass(frozen=True)
class Batch:
    batch_id: str
    loaded_at: dt.datetime | None
    source: str
    files: int | None


@dataclass(frozen=True)
class ReportContext:
    lang: str
    filters: Filters
    info: dict  # the dataset_info row
    batches: tuple[Batch, ...] = ()
    generated_at: dt.datetime = field(default_factory=lambda: dt.datetime.now().astimezone())
    threshold: int = config.SUPPRESSION_THRESHOLD
    # panel key -> its notes as lines; not part of the context's identity (it is hashed as a cache key)
    notes: Mapping[str, tuple[str, ...]] = field(default_factory=dict, compare=False)

    @property
    def data_date(self) -> dt.date | None:
        return self.info.get("data_date")

    @property
    def is_demo(self) -> bool:
        return self.info.get("kind") == "demo"

    def t(self, key: str, **values) -> str:
        return t(key, self.lang, **values)


def report_context(runner: Runner, filters: Filters, lang: str, threshold: int | None = None,
                   now: dt.datetime | None = None) -> ReportContext:
    info = runner.run("dataset_info", {})
    batches = runner.run("report_batches", {})
    return ReportContext(
        lang=lang,
        filters=filters,
        info=info.row(0, named=True) if info.height else {},
        batches=tuple(Batch(**row) for row in batches.iter_rows(named=True)),
        generated_at=now or dt.datetime.now().astimezone(),
        threshold=config.SUPPRESSION_THRESHOLD if threshold is None else threshold,
        notes=panel_notes(filters, lang),
    )


def panel_notes(filters: Filters, lang: str) -> dict[str, tuple[str, ...]]:
    """Every panel's notes overlapping the period, as the lines the exports print under it
    (notes.line, as on screen). A store that cannot be read gives an export without notes."""
    from oversight.state import notes

    try:
        found = notes.for_panels(None, filters.date_from, filters.date_to)
    except Exception:  # noqa: BLE001 - the figures matter more than the notes beside them
        logging.getLogger(__name__).exception("exports: the notes could not be read")
        return {}
    return {key: tuple(t("notes.line", lang, n=n, period=note.period, text=note.text, author=note.author)
                       for n, note in enumerate(items, start=1))
            for key, items in found.items()}


def build_views(runner: Runner, filters: Filters, lang: str, sheets: Iterable[str] | None = None,
                progress: Progress | None = None) -> list[PageView]:
    """Every registered view (or the named ones), in the order of the registry."""
    wanted = list(SHEETS) if sheets is None else [s for s in SHEETS if s in set(sheets)]
    views = []
    for index, name in enumerate(wanted):
        if progress:
            progress(name, index / max(len(wanted), 1))
        views.append(view_in(SHEETS[name], runner, filters, lang))
    return views


def period_text(filters: Filters, lang: str) -> str:
    return t("reports.period_value", lang, start=filters.date_from, end=filters.date_to, days=filters.days)


def filter_lines(filters: Filters, lang: str) -> list[tuple[str, str]]:
    """The filters in words, one (label, value) per filter; an empty selection reads "all"."""
    previous = filters.previous()
    everything = t("app.all", lang)

    def listed(values, label) -> str:
        return ", ".join(label(v) for v in values) if values else everything

    return [
        (t("app.period", lang), period_text(filters, lang)),
        (t("reports.previous_period", lang), period_text(previous, lang)),
        (t("app.regions", lang), listed(filters.regions, lambda c: region_name(c, lang))),
        (t("app.kinds", lang), listed(filters.kinds, lambda v: enum_label("kind", v, lang))),
        (t("app.sectors", lang), listed(filters.sectors, lambda v: enum_label("sector", v, lang))),
        (t("app.areas", lang), listed(filters.areas, lambda v: enum_label("area", v, lang))),
    ]


def filters_sentence(filters: Filters, lang: str) -> str:
    """The filters on one line, e.g. for a sheet's heading."""
    return " · ".join(f"{label}: {value}" for label, value in filter_lines(filters, lang))


def data_line(context: ReportContext) -> str:
    info = context.info
    parts = [t("app.data_date", context.lang, date=info.get("data_date", "–"))]
    if info.get("latest_batch"):
        parts.append(t("app.source_batch", context.lang, batch=info["latest_batch"]))
    if context.is_demo:
        parts.append(t("about.kind.demo", context.lang))
    return " · ".join(str(p) for p in parts)


def suppression_rule(context: ReportContext) -> str:
    return context.t("reports.suppression.rule", n=context.threshold, m=context.threshold - 1)


def definitions(views: Iterable[PageView]) -> list[tuple[str, str, str]]:
    """(sheet, figure, definition) for every KPI and panel of the views, in order."""
    rows: list[tuple[str, str, str]] = []
    for view in views:
        for kpi in view.kpis:
            rows.append((view.sheet, kpi.label, kpi.definition))
        for panel in view.panels:
            rows.append((view.sheet, panel.title, panel.definition))
    return rows


def charted_panels(views: Iterable[PageView]) -> list[tuple[PageView, Panel]]:
    """The key charts: every panel with a chart and data, in the order of the pages."""
    return [(v, p) for v in views for p in v.panels if p.chart is not None and p.frame.height]


def display_table(panel: Panel, suppression, rows: int | None = None):
    """The panel's frame as text, as a room reads it: percentages as percentages, thousands
    separated, hidden cells as their labels ("<5", "x")."""
    import polars as pl

    frame = panel.frame if rows is None else panel.frame.head(rows)
    columns = {}
    for name in frame.columns:
        percent = name in panel.percent_columns
        columns[name] = [
            suppression.label(r, name) or cell_text(value, percent)
            for r, value in enumerate(frame.get_column(name).to_list())
        ]
    return pl.DataFrame(columns, schema={name: pl.String for name in frame.columns})


def cell_text(value, percent: bool = False) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if percent and isinstance(value, (int, float)):
        return f"{value:.1%}"
    if isinstance(value, float):
        return f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    return str(value)


def format_kpi_value(value: float | None, unit: str, lang: str) -> str:
    return units.format_value(value, unit, lang)


def format_kpi_change(kpi: Kpi) -> str:
    return units.format_change(kpi.change, kpi.unit) or "–"
