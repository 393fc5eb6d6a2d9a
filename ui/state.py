"""Shared state: language and filters, held in session state and mirrored in the URL."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from oversight import filters as flt
from oversight.i18n import DEFAULT_LANGUAGE, LANGUAGES

LANG_KEY = "lang"
_FILTER_KEYS = ("from", "to", "regions", "kinds", "sectors", "areas")
_WIDGET = {  # session-state keys of the shared filter widgets
    "period": "flt_period",
    "regions": "flt_regions",
    "kinds": "flt_kinds",
    "sectors": "flt_sectors",
    "areas": "flt_areas",
}


def lang() -> str:
    return st.session_state.get(LANG_KEY) or _lang_from_url()


def _lang_from_url() -> str:
    value = st.query_params.get(LANG_KEY, DEFAULT_LANGUAGE)
    return value if value in LANGUAGES else DEFAULT_LANGUAGE


def init_language() -> None:
    if LANG_KEY not in st.session_state:
        st.session_state[LANG_KEY] = _lang_from_url()


def init_filters(data_date: dt.date) -> None:
    """Seed the filter widgets from the URL once per session, so a shared link reproduces a view."""
    if st.session_state.get("flt_initialised_for") == data_date:
        return
    start = flt.from_query({k: st.query_params.get(k) for k in _FILTER_KEYS}, data_date)
    st.session_state[_WIDGET["period"]] = (start.date_from, start.date_to)
    st.session_state[_WIDGET["regions"]] = list(start.regions)
    st.session_state[_WIDGET["kinds"]] = list(start.kinds)
    st.session_state[_WIDGET["sectors"]] = list(start.sectors)
    st.session_state[_WIDGET["areas"]] = list(start.areas)
    st.session_state["flt_initialised_for"] = data_date


def reset_filters(data_date: dt.date) -> None:
    default = flt.default_filters(data_date)
    st.session_state[_WIDGET["period"]] = (default.date_from, default.date_to)
    for key in ("regions", "kinds", "sectors", "areas"):
        st.session_state[_WIDGET[key]] = []


def widget_key(name: str) -> str:
    return _WIDGET[name]


def current_filters(data_date: dt.date) -> flt.Filters:
    period = st.session_state.get(_WIDGET["period"]) or ()
    default = flt.default_filters(data_date)
    # A date range being picked has one end only; keep the other until it is complete.
    date_from, date_to = (period[0], period[1]) if len(period) == 2 else (default.date_from, default.date_to)
    return flt.Filters(
        date_from=date_from,
        date_to=date_to,
        regions=tuple(st.session_state.get(_WIDGET["regions"], ())),
        kinds=tuple(st.session_state.get(_WIDGET["kinds"], ())),
        sectors=tuple(st.session_state.get(_WIDGET["sectors"], ())),
        areas=tuple(st.session_state.get(_WIDGET["areas"], ())),
    )


def publish(filters: flt.Filters) -> None:
    """Mirror language and filters in the URL; page-level keys are left alone."""
    wanted = filters.to_query() | {LANG_KEY: lang()}
    for key in (*_FILTER_KEYS, LANG_KEY):
        if key in wanted:
            if st.query_params.get(key) != wanted[key]:
                st.query_params[key] = wanted[key]
        elif key in st.query_params:
            del st.query_params[key]
    st.session_state["filters"] = filters


def filters() -> flt.Filters:
    """The shared filters, as app.py drew them on this run."""
    return st.session_state["filters"]


def page_param(key: str) -> str | None:
    """A page-level selection kept in the URL (e.g. the agreement shown), prefixed by its page."""
    return st.query_params.get(key)


def set_page_param(key: str, value: str | None) -> None:
    if value is None:
        if key in st.query_params:
            del st.query_params[key]
    elif st.query_params.get(key) != value:
        st.query_params[key] = value
