"""Components every page uses: banner, data date, KPI cards, panels with their data and definition."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import plotly.graph_objects as go
import polars as pl
import pyarrow as pa
import streamlit as st

from oversight import findings, units
from oversight.charts import describe, registry
from oversight.config import SUPPRESSION_THRESHOLD
from oversight.i18n import column_label, t
from oversight.views.localise import words
from oversight.views.model import Kpi, PageView, Panel
from ui import accessibility, data, exports, state

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def plain(text: str) -> str:
    """Escape text from data before it reaches anything that renders Markdown."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


def page_header(title_key: str, lang: str) -> dict:
    """Title, the demo-data banner and the data date: the first lines of every page."""
    info = data.dataset_info()
    st.title(t(title_key, lang), anchor=accessibility.MAIN_ANCHOR)
    demo_banner(info, lang)
    data_date_caption(info, lang)
    return info


def demo_banner(info: dict, lang: str) -> None:
    if info.get("kind") in ("demo", "mixed"):  # mixed: submitted data loaded over demo data
        st.warning(
            t("app.demo_banner" if info["kind"] == "demo" else "loader.banner.mixed", lang,
              seed=info.get("seed"), scale=info.get("scale")),
            icon=":material/science:",
        )


def data_date_caption(info: dict, lang: str) -> None:
    parts = [t("app.data_date", lang, date=info.get("data_date"))]
    if info.get("data_until") and info["data_until"] < info["data_date"]:
        parts.append(t("app.data_until", lang, date=info["data_until"]))
    if info.get("latest_batch"):
        parts.append(t("app.source_batch", lang, batch=info["latest_batch"]))
    st.caption(" · ".join(plain(p) for p in parts))


def kpi_cards(kpis: tuple[Kpi, ...], lang: str, columns: int = 3, compared_to: str = "period") -> None:
    """KPI cards with their change. `compared_to` says against what: the previous period of the same
    length (its value always stated), or a hospital's previous assessment (stated when there is one)."""
    cols = st.columns(columns)
    for index, kpi in enumerate(kpis):
        with cols[index % columns]:
            previous = units.format_value(kpi.previous, kpi.unit, lang)
            if compared_to == "period":
                notes = [t("overview.kpi.previous_value", lang, value=previous), t("def.change", lang)]
            else:
                notes = [t("quality.kpi.previous_assessment", lang, value=previous)] if kpi.previous is not None else []
            st.metric(
                label=kpi.label,
                value=units.format_value(kpi.value, kpi.unit, lang),
                delta=units.format_change(kpi.change, kpi.unit),
                delta_color="normal" if kpi.higher_is_better else "inverse",
                help="\n\n".join(filter(None, [kpi.definition, *notes])),
                border=True,
            )
            if kpi.detail:
                st.caption(plain(kpi.detail))


def display_table(panel: Panel, lang: str) -> tuple[pa.Table, dict]:
    """A panel's frame as st.dataframe shows it, with its column settings: translated headers,
    percentages as percentages, counts with separators, days as days and months as months.
    An Arrow table, which st.dataframe takes without a pandas copy; drawn once per panel."""
    frame = panel.frame.with_columns(
        [(pl.col(c) * 100).round(1) for c in panel.percent_columns if c in panel.frame.columns]
    )
    labels = {c: column_label(c, lang) for c in frame.columns}
    config = {labels[c]: st.column_config.NumberColumn(format="%.1f%%") for c in panel.percent_columns if c in labels}
    # counts with thousands separators (not every integer: years must stay 2021)
    config |= {labels[c]: st.column_config.NumberColumn(format="localized") for c in panel.count_columns if c in labels}
    # Dates are days (without a format st.dataframe adds a time of day); a month is a month.
    config |= {
        labels[c]: st.column_config.DateColumn(format="YYYY-MM" if c == "month" else "YYYY-MM-DD")
        for c, dtype in frame.schema.items() if dtype == pl.Date
    }
    return frame.rename(labels).to_arrow(), config


def show_table(panel: Panel, lang: str, height: int | None = None) -> None:
    if panel.frame.height == 0:
        st.info(t("app.no_data", lang))
        return
    table, config = data.drawn(display_table, panel, lang)
    # st.dataframe shows cell text as text: nothing from data is ever rendered as HTML.
    st.dataframe(table, column_config=dict(config), hide_index=True, width="stretch", height=height or "auto")


@dataclass(frozen=True)
class ChartSelect:
    """What picking points on a chart does: `on_select` runs (it reads the widget `key`)."""

    key: str
    on_select: Callable[[], None]
    modes: tuple[str, ...] = ("points",)
    # The same pick by keyboard: a list of the chart's points under it (KWCAG 2.2 "키보드 사용 보장").
    picked: tuple[str, ...] = ()
    pick: Callable[[tuple[str, ...]], None] | None = None


def show_panel(panel: Panel, lang: str, figure: go.Figure | None = None, *, selected: registry.Selected = (),
               options: dict | None = None, select: ChartSelect | None = None,
               hint: str | None = None, note: str | None = None, table_open: bool = False,
               mode_bar: bool = True) -> None:
    """Title, chart (its data one click away as a table) and definition: the one way a panel is drawn.

    The chart is drawn by the builder its declared kind names in the chart registry
    (`oversight.charts.registry`), with the codes `selected` on it drawn strong and the page's
    `options` (e.g. the quality threshold); `figure` is such a drawing with something added. A chart
    whose points filter or open something passes `select`; `hint` (above the chart) says what a
    click does, `note` (below it) anything else the reader should know.
    """
    from ui import notes  # ui.notes needs this module's plain()

    st.subheader(plain(panel.title))
    panel_notes = notes.for_panel(panel.key)
    if (panel.chart is not None or figure is not None) and panel.frame.height:
        fig = notes.annotate(
            figure if figure is not None else data.drawn(registry.draw, panel, lang, selected, **(options or {})),
            panel_notes)
        # No "download plot as PNG": a picture of the chart would leave the page without the
        # suppression the exports apply (issue 13); the workbook and the deck are the ways out.
        config = {"displaylogo": False, "modeBarButtonsToRemove": ["toImage"]} | (
            {} if mode_bar else {"displayModeBar": False})
        if hint:
            st.caption(hint)
        if select is None:
            st.plotly_chart(fig, width="stretch", key=f"chart_{panel.key}", config=config)
        else:
            st.plotly_chart(fig, width="stretch", key=select.key, config=config, on_select=select.on_select,
                            selection_mode=select.modes)
            if select.pick is not None:
                keyboard_pick(select, fig, lang)
        if note:
            st.caption(note)
        chart_summary(panel, lang)
        with st.expander(t("app.show_data", lang), expanded=table_open):
            show_table(panel, lang)
    else:
        show_table(panel, lang)
    st.caption(f"{t('app.definition', lang)}: {panel.definition}")
    notes.section(panel.key, panel_notes, lang)


def keyboard_pick(select: ChartSelect, fig: go.Figure, lang: str) -> None:
    """The chart's points as a list to choose from, doing what a click on them does."""
    options = data.drawn(describe.choices, fig)
    if not options:
        return
    key = f"{select.key}_keys"

    def picked() -> None:
        select.pick(tuple(st.session_state[key]))

    st.multiselect(
        t("xfilter.keyboard", lang), list(options), default=[c for c in select.picked if c in options],
        format_func=options.get, key=key, on_change=picked, placeholder=t("xfilter.keyboard_placeholder", lang),
    )


def chart_summary(panel: Panel, lang: str) -> None:
    """The chart in a sentence, under it: for screen readers, and for anyone who reads rather than
    decodes colours (oversight/charts/describe.py)."""
    if described := data.drawn(describe.summary, panel, lang):
        st.caption(f"{t('chart.summary.label', lang)}: {plain(described)}")


def what_changed(view: PageView, lang: str, shown: int = findings.KEY_MESSAGES[0]) -> None:
    """The view's findings, the most significant first (oversight/findings.py): the top ones as
    bullets, all of them one click away."""
    ranked = data.drawn(findings.ranked, view)
    if not ranked:
        return
    st.header(t("finding.what_changed", lang))
    for finding in ranked[:shown]:
        st.markdown("- " + plain(words(finding.sentence, lang)))
    if len(ranked) > shown:
        with st.expander(t("finding.all", lang, n=len(ranked))):
            st.markdown("\n".join("- " + plain(words(f.title, lang)) for f in ranked))


def page_footer(view: PageView, lang: str) -> None:
    st.divider()
    exports.download_buttons(view, lang)
    st.caption(t("app.suppressed_note", lang, n=SUPPRESSION_THRESHOLD) + " " + t("app.share_hint", lang))


def current():
    """(language, filters) for a page; the first call of every page."""
    state.require_entrypoint()
    return state.lang(), state.filters()
