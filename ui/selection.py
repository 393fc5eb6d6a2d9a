"""Cross-filtering: selecting bars or points on a chart narrows the rest of the page.

A selection lives in the URL as a page parameter (`access_type=genomic,emr`), so a copied link
reproduces it. Charts carry each bar's or point's code in `customdata`; a click or a box
selection (Streamlit's plotly selection event) writes those codes to the URL in a callback,
before the page reruns and builds its view from them. The chart's widget key includes the
current selection, so after a change it starts afresh instead of keeping plotly's own
dimming of the unselected points; the figure highlights the selection itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import streamlit as st

from oversight.i18n import t
from oversight.views.model import Panel
from ui import components, state

SEPARATOR = ","
MAX_VALUES = 50  # a URL is user input: a selection longer than this is cut
ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,32}$")  # institution ids (docs/data-contract.md)


@dataclass(frozen=True)
class Dimension:
    """One cross-filter of a page: its URL key (prefixed by the page) and the values it accepts."""

    param: str
    allowed: tuple[str, ...] = ()  # an enumeration's values; empty: ids of the contract's form

    def parse(self, text: str | None) -> tuple[str, ...]:
        """Only well-formed values pass, in the URL's order, each once."""
        if not text:
            return ()
        values = []
        for part in (p.strip() for p in text.split(SEPARATOR)):
            ok = part in self.allowed if self.allowed else bool(ID_PATTERN.match(part))
            if ok and part not in values:
                values.append(part)
        return tuple(values[:MAX_VALUES])


def read(dimension: Dimension) -> tuple[str, ...]:
    return dimension.parse(state.page_param(dimension.param))


def write(dimension: Dimension, values: Iterable[str]) -> None:
    values = dimension.parse(SEPARATOR.join(values))
    state.set_page_param(dimension.param, SEPARATOR.join(values) if values else None)


def clear(*dimensions: Dimension) -> None:
    for dimension in dimensions:
        state.set_page_param(dimension.param, None)


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


def _widget_key(dimension: Dimension, name: str) -> str:
    return f"xf_{name}_{'_'.join(read(dimension)) or 'none'}"


def _on_select(dimension: Dimension, widget_key: str) -> None:
    event = st.session_state.get(widget_key) or {}
    points = (event.get("selection") or {}).get("points") or []
    write(dimension, values_from_points(points))


def bind(dimension: Dimension, panel: Panel) -> components.ChartSelect:
    """Clicked or box-selected points of `panel`'s chart become `dimension`'s selection.

    The widget key includes the current selection, so after a change the chart starts afresh
    instead of keeping plotly's own dimming of the unselected points; the figure highlights the
    selection itself."""
    key = _widget_key(dimension, panel.key.replace(".", "_"))
    return components.ChartSelect(key, lambda: _on_select(dimension, key), ("points", "box"))


def chips(active: Sequence[tuple[Dimension, str, str]], lang: str) -> None:
    """The active selections, each cleared by its own button, all by one more.

    `active` holds (dimension, its label, the chosen values in words); the words may come from
    data (hospital names), so they are escaped before they reach a button's Markdown label."""
    if not active:
        return
    with st.container(border=True, horizontal=True, vertical_alignment="center"):
        st.caption(t("xfilter.label", lang), width="content")
        for dimension, label, values in active:
            st.button(
                components.plain(t("xfilter.clear_one", lang, dimension=label, values=values)),
                key=f"xf_clear_{dimension.param}",
                icon=":material/close:",
                on_click=clear,
                args=(dimension,),
            )
        if len(active) > 1:
            st.button(
                t("xfilter.clear_all", lang),
                key="xf_clear_all",
                icon=":material/filter_alt_off:",
                on_click=clear,
                args=tuple(d for d, _, _ in active),
                type="primary",
            )


def choice(
    param: str,
    options: Sequence[Any],
    label: str,
    format_func: Callable[[Any], str] = str,
    default: Any = None,
) -> Any:
    """A page-level control (e.g. the ranking order) whose value is kept in the URL."""
    default = options[0] if default is None else default
    key = f"w_{param}"
    if key not in st.session_state:
        wanted = state.page_param(param)
        st.session_state[key] = next((o for o in options if str(o) == wanted), default)
    value = st.segmented_control(label, options, key=key, format_func=format_func, required=True)
    state.set_page_param(param, None if value == default else str(value))
    return value
