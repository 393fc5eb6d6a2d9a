"""Downloads at the foot of every page: this page in Excel, the full report, the one-page
briefing (PDF), the meeting deck.

Nothing is built while the page draws. The workbooks are deferred downloads: Streamlit calls
the builder when the button is pressed, on its own thread, so the builders get plain data and
a plain database reader (no Streamlit inside); so is the briefing (about 2 s at medium). The deck takes longer and shows its progress,
so it is prepared on a click and then offered for download.
"""

from __future__ import annotations

import datetime as dt
import functools
import time
from dataclasses import replace
from pathlib import Path

import streamlit as st

from oversight import db, queries
from oversight.export import context as ctx
from oversight.export import briefing, deck, excel
from oversight.filters import Filters
from oversight.i18n import t
from oversight.views.model import PageView
from ui import audit, data, state

_DECK_KEY = "reports_deck"


def download_buttons(view: PageView, lang: str) -> None:
    filters = state.filters()
    runner = data.runner()
    context = ctx.report_context(runner, filters, lang)
    stem = _stem(filters, lang)
    st.subheader(t("reports.ui.heading", lang))
    page_col, full_col, briefing_col, deck_col = st.columns(4)
    with page_col:
        st.download_button(
            t("reports.ui.page_excel", lang),
            data=audit.audited(functools.partial(page_workbook, view, context), "export",
                               f"workbook {view.sheet}"),
            file_name=f"oversight-{view.sheet.lower()}-{stem}.xlsx",
            mime=excel.MIME,
            icon=":material/table_view:",
            help=t("reports.ui.page_excel_help", lang),
            on_click="ignore",
            key=f"reports_xlsx_page_{view.sheet}",
            width="stretch",
        )
    with full_col:
        st.download_button(
            t("reports.ui.full_excel", lang),
            data=audit.audited(
                functools.partial(full_workbook, str(runner.database.path), filters, lang, context.threshold),
                "export", "workbook report"),
            file_name=f"oversight-report-{stem}.xlsx",
            mime=excel.MIME,
            icon=":material/workspaces:",
            help=t("reports.ui.full_excel_help", lang),
            on_click="ignore",
            key="reports_xlsx_full",
            width="stretch",
        )
    with briefing_col:
        st.download_button(
            t("briefing.ui.download", lang),
            data=functools.partial(briefing_pdf, str(runner.database.path), filters, lang, context.threshold),
            file_name=f"oversight-briefing-{stem}.pdf",
            mime=briefing.MIME,
            icon=":material/description:",
            help=t("briefing.ui.help", lang),
            on_click="ignore",
            key="reports_briefing",
            width="stretch",
        )
    with deck_col:
        deck_button(runner, filters, lang, stem)


def deck_button(runner, filters: Filters, lang: str, stem: str) -> None:
    """The meeting deck (at most deck.MEETING_SLIDES slides); the checkbox adds every page's slides."""
    appendix = st.checkbox(t("reports.deck.appendix_option", lang), key="reports_deck_appendix")
    signature = (filters, lang, runner.version, appendix)
    ready = st.session_state.get(_DECK_KEY)
    if ready is not None and ready[0] == signature:
        st.download_button(
            t("reports.ui.deck_download", lang),
            data=ready[1],
            file_name=f"oversight-deck-{stem}.pptx",
            mime=deck.MIME,
            icon=":material/download:",
            type="primary",
            on_click="ignore",
            key="reports_deck_download",
            width="stretch",
        )
        st.caption(t("reports.ui.deck_ready", lang, seconds=f"{ready[2]:.0f}"))
        for notice in ready[3]:
            st.warning(t("reports.ui.deck_notice", lang, detail=notice), icon=":material/warning:")
        return
    if st.button(t("reports.ui.deck_prepare", lang), icon=":material/slideshow:", help=t("reports.ui.deck_help", lang),
                 key="reports_deck_prepare", width="stretch"):
        bar = st.progress(0.0, text=t("reports.deck.progress.views", lang))
        started = time.perf_counter()
        notices: list[str] = []
        try:
            built = deck.build_deck(
                runner, filters, lang,
                progress=lambda label, fraction: bar.progress(min(max(fraction, 0.0), 1.0), text=label),
                notice=notices.append, appendix=appendix,
            )
        except Exception as exc:  # noqa: BLE001 - the page stays usable; the reason is shown
            bar.empty()
            st.error(t("reports.ui.deck_failed", lang, detail=type(exc).__name__))
            return
        st.session_state[_DECK_KEY] = (signature, built, time.perf_counter() - started, tuple(notices))
        audit.log("export", "deck")
        bar.empty()
        st.rerun()


def page_workbook(view: PageView, context: ctx.ReportContext) -> bytes:
    """This page's sheet with the About cover; the view is the one the page drew."""
    return excel.workbook_bytes([view], replace(context, generated_at=dt.datetime.now().astimezone()))


def full_workbook(path: str, filters: Filters, lang: str, threshold: int) -> bytes:
    """Every page's sheet. Runs on Streamlit's download thread: a plain reader, no cache."""
    runner = queries.DatabaseRunner(db.read_only(Path(path)))
    return excel.build_report(runner, filters, lang, threshold=threshold)


def briefing_pdf(path: str, filters: Filters, lang: str, threshold: int) -> bytes:
    """The one-page briefing. Runs on Streamlit's download thread: a plain reader, no cache."""
    runner = queries.DatabaseRunner(db.read_only(Path(path)))
    return briefing.build_briefing(runner, filters, lang, threshold=threshold)


def _stem(filters: Filters, lang: str) -> str:
    return f"{filters.date_from:%Y%m%d}-{filters.date_to:%Y%m%d}-{lang}"

