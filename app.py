"""Entry point: page config, language, the shared filters, and the list of pages.

The only place that sets the page config, draws the shared filters and lists the pages
(DESIGN.md rule 4). Filters live in session state and in the URL (ui/state.py).
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from oversight import config, db, schema
from oversight.filters import PROGRAMME_START
from oversight.i18n import LANGUAGES, enum_label, t
from oversight.regions import REGION_CODES, region_name
from ui import data, state

ICON = Path(__file__).parent / "assets" / "icon.png"

st.set_page_config(
    page_title="의료데이터 활용 사업 · Medical Data Utilisation",
    page_icon=str(ICON),  # a local file: a :material/ icon would fetch the favicon from the internet
    layout="wide",
)
state.init_language()
lang = state.lang()

try:
    info = data.dataset_info()
except db.DatabaseMissing:
    st.error(t("app.db_missing", lang, path=config.database_path()))
    st.stop()
except db.DatabaseUnreadable as exc:
    st.error(t("app.db_unreadable", lang, path=config.database_path(), detail=str(exc)))
    st.stop()

data_date = info["data_date"]
state.init_filters(data_date)

with st.sidebar:
    st.radio(
        t("app.language", lang),
        LANGUAGES,
        key=state.LANG_KEY,
        format_func=lambda code: {"ko": "한국어", "en": "English"}[code],
        horizontal=True,
    )
    lang = state.lang()
    st.header(t("app.filters", lang))
    st.date_input(
        t("app.period", lang),
        key=state.widget_key("period"),
        min_value=PROGRAMME_START,
        max_value=data_date,
        help=t("app.period_help", lang),
        format="YYYY-MM-DD",
    )
    st.multiselect(
        t("app.regions", lang), REGION_CODES, key=state.widget_key("regions"),
        format_func=lambda code: region_name(code, lang), placeholder=t("app.all", lang),
    )
    st.multiselect(
        t("app.kinds", lang), schema.INSTITUTION_KINDS, key=state.widget_key("kinds"),
        format_func=lambda v: enum_label("kind", v, lang), placeholder=t("app.all", lang),
    )
    st.multiselect(
        t("app.sectors", lang), schema.COMPANY_SECTORS, key=state.widget_key("sectors"),
        format_func=lambda v: enum_label("sector", v, lang), placeholder=t("app.all", lang),
    )
    st.multiselect(
        t("app.areas", lang), schema.RESEARCH_AREAS, key=state.widget_key("areas"),
        format_func=lambda v: enum_label("area", v, lang), placeholder=t("app.all", lang),
    )
    st.button(t("app.reset_filters", lang), on_click=state.reset_filters, args=(data_date,))

state.publish(state.current_filters(data_date))

PAGES = {
    "app.section.programme": [
        ("pages/overview.py", "page.overview", "overview", ":material/dashboard:"),
    ],
    "app.section.info": [
        ("pages/about.py", "page.about", "about", ":material/info:"),
    ],
}
navigation = st.navigation(
    {
        t(section, lang): [
            st.Page(path, title=t(title, lang), url_path=url, icon=icon, default=(url == "overview"))
            for path, title, url, icon in pages
        ]
        for section, pages in PAGES.items()
    }
)
navigation.run()
