"""Entry point: page config, language, the shared filters, and the list of pages.

The only place that sets the page config, draws the shared filters and lists the pages
(docs/architecture.md rule 4). Filters live in session state and in the URL (ui/state.py).
"""

from __future__ import annotations

from pathlib import Path

# plotly's JSON encoder looks pandas up in sys.modules without importing it: a session that
# draws a chart while another session's first import of pandas is under way gets the module
# half-initialised ("partially initialized module 'pandas' has no attribute 'NaT'", seen with
# 20 sessions at start). Importing it here first makes every session wait for the whole module.
import pandas  # noqa: F401
import streamlit as st

from oversight import config, db, derived, schema
from oversight import pages as registry
from oversight.filters import PROGRAMME_START
from oversight.i18n import LANGUAGES, enum_label, t
from oversight.regions import REGION_CODES, region_name
from ui import access, accessibility, audit, data, presentation, state

ICON = Path(__file__).parent / "assets" / "icon.png"
NAV_KEY = "page_nav"  # its links are found as .st-key-page_nav a

st.set_page_config(
    page_title="의료데이터 활용 사업 · Medical Data Utilisation",
    page_icon=str(ICON),  # a local file: a :material/ icon would fetch the favicon from the internet
    layout="wide",
)
lang = state.lang()
accessibility.page_language(lang)
who = access.gate(lang)  # stops here when signing in is required and nobody has
try:
    info = data.dataset_info()
except db.DatabaseMissing:
    # An empty start: a data manager loads the first batch on the Data page; others wait.
    first_load = registry.by_slug("data")
    if who.allows(first_load.role):
        st.info(t("app.empty_start", lang), icon=":material/upload_file:")
        st.navigation([st.Page(first_load.script, title=t(first_load.title_key, lang), url_path=first_load.slug,
                               icon=first_load.icon, default=True)]).run()
    else:
        st.info(t("app.no_data_yet", lang), icon=":material/hourglass_empty:")
    st.stop()
except db.DatabaseUnreadable as exc:
    st.error(t("app.db_unreadable", lang, path=config.database_path(), detail=str(exc)))
    st.stop()

if missing := derived.missing_tables(data.runner()):
    st.error(t("app.db_outdated", lang, path=config.database_path(), tables=", ".join(missing)))
    st.stop()

data_date = info["data_date"]
state.init(data_date, info.get("data_until"))
lang = state.lang()
current = state.filters()
all_label = t("app.all", lang)

# Streamlit's own menu fails axe (list markup); the menu is the app's own links under real
# headings (docs/accessibility.md). Each link carries the language and filters, so a link opened
# in a new tab shows the same view.
allowed = {section: [p for p in pages if who.allows(p.role)] for section, pages in registry.sections().items()}
st_pages = {
    page.slug: st.Page(page.script, title=t(page.title_key, lang), url_path=page.slug, icon=page.icon,
                       default=page.default)
    for pages in allowed.values() for page in pages
}
navigation = st.navigation(list(st_pages.values()), position="hidden")
audit.set_page(navigation.url_path)
audit.sign_in_once(who)

with st.sidebar:
    accessibility.skip_link(lang)
    with st.container(key=NAV_KEY):
        shared = state.shared_query()  # the view's language and filters, carried by every link
        for section, pages in allowed.items():
            if pages:
                st.header(t(section, lang))
                for page in pages:
                    st.page_link(st_pages[page.slug], label=t(page.title_key, lang), icon=page.icon,
                                 query_params=shared)
    st.divider()
    st.radio(
        t("app.language", lang),
        LANGUAGES,
        index=LANGUAGES.index(lang),
        key=state.LANG_WIDGET,
        on_change=state.on_language_change,
        format_func=lambda code: {"ko": "한국어", "en": "English"}[code],
        horizontal=True,
    )
    st.header(t("app.filters", lang))
    st.date_input(
        t("app.period", lang),
        value=(current.date_from, current.date_to),
        min_value=PROGRAMME_START,
        max_value=data_date,
        key=state.widget_key("period", lang),
        on_change=state.on_filter_change,
        args=("period", state.widget_key("period", lang)),
        help=t("app.period_help", lang),
        format="YYYY-MM-DD",
    )
    for field, label, options, enum in (
        ("regions", "app.regions", REGION_CODES, None),
        ("kinds", "app.kinds", schema.INSTITUTION_KINDS, "kind"),
        ("sectors", "app.sectors", schema.COMPANY_SECTORS, "sector"),
        ("areas", "app.areas", schema.RESEARCH_AREAS, "area"),
    ):
        st.multiselect(
            t(label, lang),
            options,
            default=list(getattr(current, field)),
            key=state.widget_key(field, lang),
            on_change=state.on_filter_change,
            args=(field, state.widget_key(field, lang)),
            format_func=(lambda code: region_name(code, lang)) if enum is None
            else (lambda value, enum=enum: enum_label(enum, value, lang)),
            placeholder=all_label,
        )
    st.button(t("app.reset_filters", lang), on_click=state.reset_filters, args=(data_date,))
    st.divider()
    presentation.toggle(lang)
    access.sidebar_control(who, lang)

state.publish()


@st.fragment(run_every="30m")
def keep_view_across_reconnects() -> None:
    """Draws nothing. A fragment timer makes Streamlit's browser client rerun after it reconnects
    (to another replica when its own died); without one, an idle page reconnects to an empty
    session and the next page switch loses the view's language and filters."""


keep_view_across_reconnects()
# Each page its own browser title, the first thing a screen reader announces (KWCAG 2.2 "제목 제공").
st.set_page_config(page_title=f"{navigation.title} · {t('app.title', lang)}")
if presentation.active():
    presentation.show(lang, current)  # in place of the page, chosen by the URL's present=1
else:
    navigation.run()
