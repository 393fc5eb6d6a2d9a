"""Shared state: language and filters, held in session state and mirrored in the URL.

The canonical values live in plain session keys (`ui_lang`, `ui_filters`); the sidebar widgets
start from them and copy a user's change back in their on_change callbacks. A widget whose
identity changes (as at the first run of a session, served at "/" before the navigation has
chosen a page) is then re-created with the right value instead of its default.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import streamlit as st

from oversight import filters as flt
from oversight.page_state import Codes, CrossFilter, Param
from oversight.i18n import DEFAULT_LANGUAGE, LANGUAGES

LANG_KEY = "lang"  # the URL parameter
_LANG = "ui_lang"
_FILTERS = "ui_filters"
_FILTER_KEYS = ("from", "to", "regions", "kinds", "sectors", "areas")
FIELDS = ("period", "regions", "kinds", "sectors", "areas")
LANG_WIDGET = "w_lang"


def widget_key(field: str, lang: str) -> str:
    """Key of a filter's sidebar widget. Per language, because a multiselect keeps its choices as
    formatted labels: after a switch, a fresh widget shows them in the new language."""
    return f"w_{field}_{lang}"


def init(data_date: dt.date, data_until: dt.date | None = None) -> None:
    """Seed language and filters from the URL once per session, so a shared link reproduces a view;
    without one, the default period ends where the data does (filters.default_end)."""
    if _LANG not in st.session_state:
        value = st.query_params.get(LANG_KEY, DEFAULT_LANGUAGE)
        st.session_state[_LANG] = value if value in LANGUAGES else DEFAULT_LANGUAGE
    st.session_state["ui_data_until"] = data_until
    if st.session_state.get("ui_data_date") != data_date:
        query = {k: st.query_params.get(k) for k in _FILTER_KEYS}
        st.session_state[_FILTERS] = flt.from_query(query, data_date, data_until)
        st.session_state["ui_data_date"] = data_date


def require_entrypoint() -> None:
    """Make sure app.py ran in this session before a page draws.

    Right after a server start, a deep link (/quality?...) reaches a session before any run of
    app.py has set up the navigation, and Streamlit, seeing a pages/ folder, runs the page file
    alone, as in its old multipage mode. Switch that guess off, as the navigation call itself
    does, and rerun: app.py then draws the shared filters and routes to the requested page.
    """
    if _FILTERS in st.session_state:
        return
    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = False
    st.rerun()


def lang() -> str:
    if _LANG in st.session_state:
        return st.session_state[_LANG]
    value = st.query_params.get(LANG_KEY, DEFAULT_LANGUAGE)  # before init(), e.g. for an error
    return value if value in LANGUAGES else DEFAULT_LANGUAGE


def on_language_change() -> None:
    st.session_state[_LANG] = st.session_state[LANG_WIDGET]


def filters() -> flt.Filters:
    """The shared filters of this run."""
    return st.session_state[_FILTERS]


def on_filter_change(field: str, key: str) -> None:
    value = st.session_state[key]
    current = filters()
    if field == "period":
        # A range being picked has one end only; keep the current period until it is complete.
        if len(value) != 2:
            return
        st.session_state[_FILTERS] = replace(current, date_from=value[0], date_to=value[1])
    else:
        st.session_state[_FILTERS] = replace(current, **{field: tuple(value)})


def reset_filters(data_date: dt.date) -> None:
    st.session_state[_FILTERS] = flt.default_filters(data_date, st.session_state.get("ui_data_until"))
    for field in FIELDS:
        for language in LANGUAGES:
            st.session_state.pop(widget_key(field, language), None)  # re-created from the defaults


def shared_query() -> dict[str, str]:
    """Language and filters as URL parameters: what every page of a view shares."""
    return filters().to_query() | {LANG_KEY: lang()}


def publish() -> None:
    """Mirror language and filters in the URL; page-level keys are left alone."""
    wanted = shared_query()
    for key in (*_FILTER_KEYS, LANG_KEY):
        if key in wanted:
            if st.query_params.get(key) != wanted[key]:
                st.query_params[key] = wanted[key]
        elif key in st.query_params:
            del st.query_params[key]


def read(param: Param):
    """A page's parameter from the URL, parsed (the default when absent or malformed)."""
    return param.parse(st.query_params.get(param.key))


def write(param: Param, value) -> None:
    """Keep a page's parameter in the URL; a default or empty value is left out."""
    text = param.text(value)
    if text is None:
        if param.key in st.query_params:
            del st.query_params[param.key]
    elif st.query_params.get(param.key) != text:
        st.query_params[param.key] = text


def cross_filter(*params: Codes) -> CrossFilter:
    """What the user picked on the page's charts, read from the URL."""
    return CrossFilter.of(**{param.dimension: read(param) for param in params})


def control_key(param: Param) -> str:
    """The session key of a widget that shows `param`, seeded from the URL the first time; draw
    the widget with `on_change=on_control_change, args=(param,)` to keep the URL in step."""
    key = _widget(param)
    if key not in st.session_state:
        st.session_state[key] = read(param)
    return key


def on_control_change(param: Param) -> None:
    write(param, st.session_state[_widget(param)])


def set_control(param: Param, value) -> None:
    """Change a URL-mirrored widget's value from a callback: the widget and the URL."""
    st.session_state[_widget(param)] = value
    write(param, value)


def _widget(param: Param) -> str:
    return f"w_{param.key}"
