"""Presentation mode: the key figures and charts of every page, one screen at a time.

A toggle in the sidebar turns it on and puts `present=1` in the URL (the slide shown is
`slide=N`), so a link opens the same slide. The sidebar and the page controls are hidden by a
style sheet written here (nothing is fetched), text and charts are enlarged, and Previous /
Next step through the meeting deck's slides first (the key messages, one slide per key finding
titled with it over its chart, what needs attention: oversight.export.deck.meeting), then the
pages: each page's KPIs, what changed, then every panel with a chart. What is shown is shared
with a room, so small counts are hidden as in the exports.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import streamlit as st

from oversight import config
from oversight.export import context as ctx
from oversight.export import deck
from oversight.export.figures import NoFigure, room_figure
from oversight.export.summary import change_sentence
from oversight.export.suppression import kpi_small, suppress_panel
from oversight.filters import Filters
from oversight.i18n import column_label, t
from oversight.pages import SHEETS
from oversight.findings import Finding
from oversight.views.localise import words
from oversight.views.model import PageView, Panel
from ui import components, data

PRESENT_PARAM = "present"
SLIDE_PARAM = "slide"
TOGGLE_KEY = "w_present"
CHART_HEIGHT = 620
FONT_SIZE = 20

# Hides the sidebar, its open/close control, the top toolbar and the page's own widgets;
# enlarges text. A constant: no value from data or the URL is ever written into it.
PRESENTATION_CSS = """
<style>
section[data-testid="stSidebar"], div[data-testid="stSidebarCollapsedControl"],
button[data-testid="stExpandSidebarButton"], header[data-testid="stHeader"],
div[data-testid="stToolbar"], div[data-testid="stDecoration"], div[data-testid="stStatusWidget"] {
    display: none !important;
}
div[data-testid="stMainBlockContainer"], .block-container {
    max-width: 100% !important; padding: 1.2rem 3rem 1rem 3rem !important;
}
div[data-testid="stMainBlockContainer"] h1 { font-size: 3rem !important; }
div[data-testid="stMainBlockContainer"] h2 { font-size: 2.3rem !important; }
div[data-testid="stMainBlockContainer"] p, div[data-testid="stMainBlockContainer"] li {
    font-size: 1.35rem !important; line-height: 1.6 !important;
}
div[data-testid="stMainBlockContainer"] div[data-testid="stMetricLabel"] p { font-size: 1.5rem !important; }
div[data-testid="stMainBlockContainer"] div[data-testid="stMetricValue"],
div[data-testid="stMainBlockContainer"] div[data-testid="stMetricValue"] p {
    font-size: 3.6rem !important; line-height: 1.25 !important; font-weight: 600 !important;
}
div[data-testid="stMainBlockContainer"] div[data-testid="stMetricDelta"],
div[data-testid="stMainBlockContainer"] div[data-testid="stMetricDelta"] p { font-size: 1.4rem !important; }
div[data-testid="stMainBlockContainer"] div[data-testid="stCaptionContainer"] p { font-size: 1.05rem !important; }
</style>
"""


@dataclass(frozen=True)
class Slide:
    kind: str  # "messages", "finding", "attention", "kpis", "changes" or "chart"
    view: PageView | None = None
    panel: Panel | None = None
    finding: Finding | None = None

    @property
    def key(self) -> str:
        if self.kind in ("chart", "finding"):
            return f"{self.kind}.{self.panel.key}"
        return f"{self.kind}.{self.view.sheet}" if self.view else self.kind


def slides(views: Sequence[PageView]) -> list[Slide]:
    """The sequence a meeting sees: the deck's key messages, a slide per key finding and what
    needs attention; then the first page's KPIs, what changed, and page by page its KPIs and
    its charts."""
    messages, key_slides, _ = deck.meeting(views)
    sequence: list[Slide] = []
    if messages:
        sequence.append(Slide("messages"))
        sequence += [Slide("finding", view, panel, finding) for finding, view, panel in key_slides]
        sequence.append(Slide("attention"))
    charted = ctx.charted_panels(views)
    for index, view in enumerate(views):
        if view.kpis:
            sequence.append(Slide("kpis", view))
        if index == 0 and any(v.kpis for v in views):
            sequence.append(Slide("changes"))
        sequence += [Slide("chart", v, panel) for v, panel in charted if v is view]
    return sequence


def active() -> bool:
    return st.query_params.get(PRESENT_PARAM) == "1"


def current_index(total: int) -> int:
    """The 0-based slide from the URL (`slide` counts from 1), kept in range."""
    try:
        number = int(st.query_params.get(SLIDE_PARAM, "1"))
    except ValueError:
        number = 1
    return min(max(number, 1), max(total, 1)) - 1


def toggle(lang: str) -> None:
    """The sidebar switch; its state lives in the URL."""
    st.session_state[TOGGLE_KEY] = active()
    st.toggle(t("reports.present.toggle", lang), key=TOGGLE_KEY, on_change=_on_toggle,
              help=t("reports.present.help", lang))


def _on_toggle() -> None:
    _set(st.session_state[TOGGLE_KEY])


def _set(on: bool) -> None:
    if on:
        st.query_params[PRESENT_PARAM] = "1"
        st.query_params[SLIDE_PARAM] = "1"
    else:
        for key in (PRESENT_PARAM, SLIDE_PARAM):
            if key in st.query_params:
                del st.query_params[key]


def _go(number: int) -> None:
    st.query_params[SLIDE_PARAM] = str(number)


def show(lang: str, filters: Filters) -> None:
    """Draw the current slide in place of the page."""
    st.html(PRESENTATION_CSS)
    # Every page's view, shared with the pages and every other session: a room following the
    # same briefing link builds them once.
    views = [data.view(build, filters, lang) for build in SHEETS.values()]
    sequence = data.drawn(slides, tuple(views))  # the findings ranked once per build of the views
    total = len(sequence)
    index = current_index(total)
    info = data.dataset_info()

    previous_col, counter_col, next_col, exit_col = st.columns([1, 2, 1, 1], vertical_alignment="center")
    with previous_col:
        st.button(t("reports.present.previous", lang), icon=":material/arrow_back:", key="present_previous",
                  disabled=index == 0, on_click=_go, args=(index,), width="stretch")
    with counter_col:
        st.markdown(t("reports.present.counter", lang, n=index + 1, total=total))
    with next_col:
        st.button(t("reports.present.next", lang), icon=":material/arrow_forward:", key="present_next",
                  disabled=index >= total - 1, on_click=_go, args=(index + 2,), width="stretch", type="primary")
    with exit_col:
        st.button(t("reports.present.exit", lang), icon=":material/close:", key="present_exit",
                  on_click=_set, args=(False,), width="stretch")

    if not sequence:
        st.info(t("reports.present.no_slides", lang))
        return
    slide = sequence[index]
    if slide.kind in ("messages", "attention"):
        _meeting_slide(slide.kind, views, filters, lang)
    elif slide.kind == "finding":
        _chart_slide(slide.view, slide.panel, lang, slide.finding)
    elif slide.kind == "kpis":
        _kpi_slide(slide.view, lang)
    elif slide.kind == "changes":
        _changes_slide(views, filters, lang)
    else:
        _chart_slide(slide.view, slide.panel, lang)
    components.data_date_caption(info, lang)


def _kpi_slide(view: PageView, lang: str) -> None:
    st.title(components.plain(t("reports.deck.kpis_title", lang, page=view.title)))
    n = config.SUPPRESSION_THRESHOLD
    columns = st.columns(3)
    for index, kpi in enumerate(view.kpis):
        hide_now, hide_before = kpi_small(kpi, n)
        with columns[index % 3]:
            st.metric(
                label=kpi.label,
                value=f"<{n}" if hide_now else ctx.format_kpi_value(kpi.value, kpi.unit, lang),
                delta=None if hide_now or hide_before or kpi.change is None else ctx.format_kpi_change(kpi),
                delta_color="normal" if kpi.higher_is_better else "inverse",
                border=True,
            )


def _changes_slide(views: list[PageView], filters: Filters, lang: str) -> None:
    st.title(t("reports.deck.changes_title", lang))
    previous = filters.previous()
    st.caption(t("reports.deck.compared", lang, start=previous.date_from, end=previous.date_to))
    for view in views:
        if not view.kpis:
            continue
        if len([v for v in views if v.kpis]) > 1:
            st.subheader(components.plain(view.title))
        for kpi in view.kpis:
            st.markdown("- " + components.plain(change_sentence(kpi, lang)))


def _meeting_slide(kind: str, views: list[PageView], filters: Filters, lang: str) -> None:
    """The key messages, or what needs attention: the deck's findings, the same ranking."""
    messages, _, attention = data.drawn(deck.meeting, tuple(views))
    if kind == "messages":
        st.title(t("reports.deck.messages_title", lang))
        previous = filters.previous()
        st.caption(t("reports.deck.compared", lang, start=previous.date_from, end=previous.date_to))
        lines = [words(f.title, lang) for f in messages]
    else:
        st.title(t("reports.deck.attention_title", lang))
        lines = [words(f.sentence, lang) for f in attention] or [t("reports.deck.attention_none", lang)]
    st.markdown("\n".join("- " + components.plain(line) for line in lines))


def _chart_slide(view: PageView, panel: Panel, lang: str, finding: Finding | None = None) -> None:
    """A panel's chart; a key finding's slide is titled with the finding and says it in full."""
    st.caption(components.plain(view.title if finding is None else f"{view.title} · {panel.title}"))
    st.title(components.plain(panel.title if finding is None else words(finding.title, lang)))
    if finding is not None:
        st.markdown(components.plain(words(finding.sentence, lang)))
    try:
        fig, suppression = data.drawn(room_figure, panel, lang, font_size=FONT_SIZE, height=CHART_HEIGHT)
    except NoFigure:
        suppression = suppress_panel(panel)
        frame = ctx.display_table(panel, suppression)
        st.dataframe(frame.rename({c: column_label(c, lang) for c in frame.columns}), hide_index=True,
                     width="stretch", height=CHART_HEIGHT)
    else:
        st.plotly_chart(fig, width="stretch", key=f"present_{panel.key}",
                        config={"displaylogo": False, "displayModeBar": False})
    note = f"{t('app.definition', lang)}: {panel.definition}"
    if suppression:
        note += " " + t("reports.deck.suppressed", lang, n=suppression.threshold)
    st.caption(components.plain(note))

