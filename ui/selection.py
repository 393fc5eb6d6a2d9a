"""Cross-filtering: selecting bars or points on a chart narrows the rest of the page.

A selection lives in the URL as a page parameter (`access_type=genomic,emr`, declared as a
`page_state.Codes`), so a copied link reproduces it. Charts carry each bar's or point's code in
`customdata`; a click or a box selection (Streamlit's plotly selection event) writes those codes
to the URL in a callback, before the page reruns and builds its view from them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st

from oversight.i18n import t
from oversight.page_state import Choice, Codes
from oversight.views.model import Panel
from ui import components, state


def clear(*params: Codes) -> None:
    for param in params:
        state.write(param, ())


def values_from_points(points: Sequence[dict[str, Any]]) -> tuple[str, ...]:
    """The codes of the selected points, in order, each once (points without a code are ignored)."""
    values: list[str] = []
    for point in points:
        code = point.get("customdata")
        if isinstance(code, (list, tuple)):
            code = code[0] if code else None
        if code is not None and str(code) not in values:
            values.append(str(code))
    return tuple(values)


def _on_select(param: Codes, widget_key: str) -> None:
    event = st.session_state.get(widget_key) or {}
    points = (event.get("selection") or {}).get("points") or []
    state.write(param, values_from_points(points))


def bind(param: Codes, panel: Panel) -> components.ChartSelect:
    """Clicked or box-selected points of `panel`'s chart become `param`'s selection.

    The widget key includes the current selection, so after a change the chart starts afresh
    instead of keeping plotly's own dimming of the unselected points; the figure highlights the
    selection itself."""
    key = f"xf_{panel.key.replace('.', '_')}_{'_'.join(state.read(param)) or 'none'}"
    return components.ChartSelect(key, lambda: _on_select(param, key), ("points", "box"),
                                  picked=state.read(param), pick=lambda codes: state.write(param, codes))


def chips(active: Sequence[tuple[Codes, str, str]], lang: str) -> None:
    """The active selections, each cleared by its own button, all by one more.

    `active` holds (parameter, its label, the chosen values in words); the words may come from
    data (hospital names), so they are escaped before they reach a button's Markdown label."""
    if not active:
        return
    with st.container(border=True, horizontal=True, vertical_alignment="center"):
        st.caption(t("xfilter.label", lang), width="content")
        for param, label, values in active:
            st.button(
                components.plain(t("xfilter.clear_one", lang, dimension=label, values=values)),
                key=f"xf_clear_{param.key}",
                icon=":material/close:",
                on_click=clear,
                args=(param,),
            )
        if len(active) > 1:
            st.button(
                t("xfilter.clear_all", lang),
                key="xf_clear_all",
                icon=":material/filter_alt_off:",
                on_click=clear,
                args=tuple(p for p, _, _ in active),
                type="primary",
            )


def choice(param: Choice, label: str, format_func: Callable[[Any], str] = str) -> Any:
    """A page-level control (e.g. the ranking order) whose value is kept in the URL."""
    value = st.segmented_control(
        label, param.options, key=state.control_key(param), format_func=format_func, required=True,
        on_change=state.on_control_change, args=(param,),
    )
    state.write(param, value)  # also after a page change, which drops the page's URL keys
    return value
