"""Components every page uses: banner, data date, KPI cards, panels with their data and definition."""

from __future__ import annotations

import re

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from oversight import charts
from oversight.config import SUPPRESSION_THRESHOLD
from oversight.i18n import column_label, t
from oversight.views.model import Kpi, PageView, Panel
from ui import data, exports, state

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def plain(text: str) -> str:
    """Escape text from data before it reaches anything that renders Markdown."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


def page_header(title_key: str, lang: str) -> dict:
    """Title, the demo-data banner and the data date: the first lines of every page."""
    info = data.dataset_info()
    st.title(t(title_key, lang))
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
    if info.get("latest_batch"):
        parts.append(t("app.source_batch", lang, batch=info["latest_batch"]))
    st.caption(" · ".join(plain(p) for p in parts))


def format_value(value: float | None, unit: str, lang: str) -> str:
    if value is None:
        return "–"
    if unit == "percent":
        return f"{value:.1%}"
    if unit == "days":
        return t("overview.unit.days", lang, value=f"{value:,.0f}")
    if unit == "decimal":
        return f"{value:,.2f}"
    return f"{value:,.0f}"


def format_change(kpi: Kpi) -> str | None:
    change = kpi.change
    if change is None:
        return None
    if kpi.unit == "percent":
        return f"{change * 100:+.1f}%p"
    if kpi.unit == "decimal":
        return f"{change:+,.2f}"
    return f"{change:+,.0f}"


def kpi_cards(kpis: tuple[Kpi, ...], lang: str, columns: int = 3) -> None:
    cols = st.columns(columns)
    for index, kpi in enumerate(kpis):
        with cols[index % columns]:
            help_text = "\n\n".join(
                filter(None, [
                    kpi.definition,
                    t("overview.kpi.previous_value", lang, value=format_value(kpi.previous, kpi.unit, lang)),
                    t("def.change", lang),
                ])
            )
            st.metric(
                label=kpi.label,
                value=format_value(kpi.value, kpi.unit, lang),
                delta=format_change(kpi),
                delta_color="normal" if kpi.higher_is_better else "inverse",
                help=help_text,
                border=True,
            )
            if kpi.detail:
                st.caption(plain(kpi.detail))


def display_frame(panel: Panel, lang: str):
    """A panel's frame for st.dataframe: translated headers, percentages as percentages."""
    frame = panel.frame.with_columns(
        [(pl.col(c) * 100).round(1) for c in panel.percent_columns if c in panel.frame.columns]
    )
    labels = {c: column_label(c, lang) for c in frame.columns}
    config = {labels[c]: st.column_config.NumberColumn(format="%.1f%%") for c in panel.percent_columns if c in labels}
    # counts with thousands separators (not every integer: years must stay 2021)
    config |= {labels[c]: st.column_config.NumberColumn(format="localized") for c in panel.count_columns if c in labels}
    # Dates are days: without a format st.dataframe adds a time of day.
    config |= {
        labels[c]: st.column_config.DateColumn(format="YYYY-MM-DD")
        for c, dtype in frame.schema.items() if dtype == pl.Date
    }
    return frame.rename(labels), config


def show_table(panel: Panel, lang: str, height: int | None = None) -> None:
    frame, config = display_frame(panel, lang)
    if frame.height == 0:
        st.info(t("app.no_data", lang))
        return
    # st.dataframe shows cell text as text: nothing from data is ever rendered as HTML.
    st.dataframe(frame, column_config=config, hide_index=True, width="stretch", height=height or "auto")


def show_panel(panel: Panel, lang: str, figure: go.Figure | None = None, table_open: bool = False, *,
               hint: str | None = None, key: str | None = None, on_select=None, mode_bar: bool = True) -> None:
    """Title, chart (its data one click away as a table) and definition.

    A chart whose points open or filter something passes `on_select` (called with no argument
    when the user picks points), the widget `key` the callback reads, and a `hint` saying what a
    click does.
    """
    st.subheader(plain(panel.title))
    if (panel.chart is not None or figure is not None) and panel.frame.height:
        fig = figure if figure is not None else charts.figure(panel, lang)
        config = {"displaylogo": False} | ({} if mode_bar else {"displayModeBar": False})
        if hint:
            st.caption(hint)
        if on_select is None:
            st.plotly_chart(fig, width="stretch", key=key or f"chart_{panel.key}", config=config)
        else:
            st.plotly_chart(fig, width="stretch", key=key, config=config, on_select=on_select,
                            selection_mode="points")
        with st.expander(t("app.show_data", lang), expanded=table_open):
            show_table(panel, lang)
    else:
        show_table(panel, lang)
    st.caption(f"{t('app.definition', lang)}: {panel.definition}")


def page_footer(view: PageView, lang: str) -> None:
    st.divider()
    exports.download_buttons(view, lang)
    st.caption(t("app.suppressed_note", lang, n=SUPPRESSION_THRESHOLD) + " " + t("app.share_hint", lang))


def current():
    """(language, filters) for a page; the first call of every page."""
    state.require_entrypoint()
    return state.lang(), state.filters()
