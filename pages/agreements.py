"""Agreements: how many, growing how fast, in what; who signs with whom; one agreement's detail.

Page-level selections live in the URL (declared below, read and written by ui.state), so a copied link reproduces the view:
`agreement` (the open detail), `agreements_q` (search), `agreements_order`, `agreements_scope`,
`agreements_top`, and what was clicked in the charts: `agreements_area`, `agreements_group`,
`agreements_status`, `agreements_party`.
"""

import hashlib

import streamlit as st

from oversight import page_state, schema
from oversight.i18n import t
from oversight.views import agreements
from oversight.views.localise import localise
from ui import components, data, state

AGREEMENT = page_state.Ident("agreement")  # the open detail
SEARCH = page_state.Text("agreements_q")
ORDER = page_state.Choice("agreements_order", agreements.ORDERS)
SCOPE = page_state.Choice("agreements_scope", agreements.SCOPES)
TOP = page_state.Choice("agreements_top", agreements.NETWORK_TOP_N_CHOICES, default=agreements.NETWORK_TOP_N)
# What was clicked in the mix charts and the network
PICKS = {
    "area": page_state.Codes("agreements_area", "area", schema.RESEARCH_AREAS),
    "requester_group": page_state.Codes("agreements_group", "requester_group", agreements.REQUESTER_GROUPS),
    "status": page_state.Codes("agreements_status", "status", schema.AGREEMENT_STATUSES),
    "party": page_state.Codes("agreements_party", "party"),
}
NONCE = "agreements_nonce"  # bumped to reset chart and table selections when a selection is cleared
PRESS_RELEASE_SEARCH = "AGR-SEED"  # the demo's ids for the press release's four agreements

lang, filters = components.current()
runner = data.runner()


def _nonce() -> int:
    return st.session_state.setdefault(NONCE, 0)


def _bump() -> None:
    st.session_state[NONCE] = _nonce() + 1


def _on_mix_click(dimension: str, key: str, current: str | None) -> None:
    points = st.session_state[key]["selection"]["points"]
    code = points[0].get("customdata") if points else None
    if isinstance(code, list):
        code = code[0] if code else None
    # clicking the bar already chosen clears it
    state.write(PICKS[dimension], () if code in (None, current) else (code,))


def _on_network_click(key: str, current: str | None) -> None:
    points = st.session_state[key]["selection"]["points"]
    ident = points[0].get("customdata") if points else None
    if isinstance(ident, list):
        ident = ident[0] if ident else None
    if ident:  # the "other" nodes carry no id
        state.write(PICKS["party"], () if ident == current else (ident,))


def _clear_focus() -> None:
    for param in PICKS.values():
        state.write(param, ())
    _bump()


def _press_release() -> None:
    state.set_control(SEARCH, PRESS_RELEASE_SEARCH)
    state.set_control(SCOPE, "all")


def _on_row_click(key: str, ids: list[str]) -> None:
    rows = st.session_state[key]["selection"]["rows"]
    state.write(AGREEMENT, ids[rows[0]] if rows and rows[0] < len(ids) else None)


def _close_detail() -> None:
    state.write(AGREEMENT, None)
    _bump()


def _facts_grid(panel, per_row: int = 4) -> None:
    """A facts panel (item, value) as a grid of labelled values; values from data as plain text."""
    rows = list(panel.frame.iter_rows())
    for start in range(0, len(rows), per_row):
        for cell, (item, value) in zip(st.columns(per_row), rows[start:start + per_row]):
            cell.caption(components.plain(item))
            cell.markdown(components.plain(value))


def _profile_link(institution_id: str, label: str) -> None:
    query = filters.to_query() | {state.LANG_KEY: lang, "institution": institution_id}
    st.page_link("pages/institutions.py", label=label, icon=":material/apartment:", query_params=query)


# --- what the URL asks for ----------------------------------------------------------------------
picks = state.cross_filter(*PICKS.values())
focus_values = {dimension: picks.one(dimension) for dimension in agreements.MIX_DIMENSIONS}
party = picks.one("party")
order, scope, top_n, search = (state.read(param) for param in (ORDER, SCOPE, TOP, SEARCH))
open_id = state.read(AGREEMENT)

# --- first screen: how many, growing how fast, in what ------------------------------------------
info = components.page_header("page.agreements", lang)
previous = filters.previous()
st.caption(
    t(
        "agreements.period_caption", lang,
        start=filters.date_from, end=filters.date_to, days=filters.days,
        pstart=previous.date_from, pend=previous.date_to,
    )
)
if open_id:
    notice, jump = st.columns([5, 1], vertical_alignment="center")
    notice.info(t("agreements.detail.open_notice", lang, id=components.plain(open_id)), icon=":material/description:")
    jump.markdown(f"[{t('agreements.detail.jump', lang)}](#agreement-detail)")

view = data.view(agreements.build, filters, lang, picks=picks, search=search, order=order, top_n=top_n, scope=scope)
components.kpi_cards(view.kpis, lang, columns=4)

st.header(t("agreements.section.trend", lang))
monthly = view.panel("agreements.monthly")
trend, area = st.columns([3, 2])
with trend:
    components.show_panel(monthly, lang)


def mix_panel(dimension: str) -> None:
    panel = view.panel(f"agreements.by_{dimension}")
    current = focus_values[dimension]
    key = f"agreements_mix_{dimension}_{_nonce()}"
    components.show_panel(
        panel, lang, selected=current,
        select=components.ChartSelect(key, lambda: _on_mix_click(dimension, key, current),
                                      picked=(current,) if current else (),
                                      pick=lambda codes: state.write(PICKS[dimension], codes[-1:])),  # one bar at a time
    )


with area:
    mix_panel("area")

st.header(t("agreements.mix.heading", lang))
st.caption(t("agreements.mix.click_hint", lang))
left, right = st.columns(2)
with left:
    mix_panel("requester_group")
with right:
    mix_panel("status")

# --- the selection that narrows the network and the list ----------------------------------------
if any(focus_values.values()) or party:
    with st.container(border=True):
        st.markdown(f"**{t('agreements.focus.label', lang)}**")
        chips = [
            t(f"agreements.focus.{dimension}", lang, value=agreements.label(dimension, value, lang))
            for dimension, value in focus_values.items() if value
        ]
        if party:
            chips.append(t("agreements.focus.party", lang, value=agreements.party_name(runner, party, lang)))
        st.markdown(" · ".join(components.plain(chip) for chip in chips))
        clear, profile = st.columns([1, 3])
        clear.button(t("agreements.focus.clear", lang), on_click=_clear_focus, icon=":material/close:")
        if party:
            with profile:
                _profile_link(party, t("agreements.focus.open_profile", lang))

# --- who signs with whom -------------------------------------------------------------------------
st.header(t("agreements.network.heading", lang))
scope_col, top_col = st.columns([2, 1])
scope_col.segmented_control(
    t("agreements.scope", lang), agreements.SCOPES, key=state.control_key(SCOPE), required=True,
    format_func=lambda s: t(f"agreements.scope.{s}", lang),
    on_change=state.on_control_change, args=(SCOPE,),
)
top_col.select_slider(
    t("agreements.network.top_n", lang), agreements.NETWORK_TOP_N_CHOICES, key=state.control_key(TOP),
    on_change=state.on_control_change, args=(TOP,),
)
network = view.panel("agreements.network")
network_key = f"agreements_network_{_nonce()}"
components.show_panel(
    network, lang, selected=party,
    hint=t("agreements.network.click_hint", lang), mode_bar=False,
    select=components.ChartSelect(network_key, lambda: _on_network_click(network_key, party),
                                  picked=(party,) if party else (), pick=lambda ids: state.write(PICKS["party"], ids[-1:])),
)

# --- find an agreement ---------------------------------------------------------------------------
st.header(t("agreements.list.heading", lang))
search_col, order_col, button_col = st.columns([3, 1.4, 1.2], vertical_alignment="bottom")
search_col.text_input(
    t("agreements.list.search", lang), key=state.control_key(SEARCH), placeholder=t("agreements.list.search_placeholder", lang),
    on_change=state.on_control_change, args=(SEARCH,), max_chars=SEARCH.max_length,
)
order_col.selectbox(
    t("agreements.list.order", lang), agreements.ORDERS, key=state.control_key(ORDER),
    format_func=lambda o: t(f"agreements.list.order.{o}", lang),
    on_change=state.on_control_change, args=(ORDER,),
)
if info.get("kind") == "demo":
    button_col.button(
        t("agreements.list.press_release", lang), on_click=_press_release, icon=":material/campaign:",
        width="stretch", help=t("agreements.list.press_release_help", lang),
    )

listing = view.panel("agreements.list")
st.subheader(components.plain(listing.title))
st.caption(" ".join([*view.notes, t("agreements.list.click_hint", lang)]))
if listing.frame.height == 0:
    st.info(t("app.no_data", lang))
else:
    frame, config = data.drawn(components.display_table, listing, lang)
    ids = listing.frame.get_column("agreement_id").to_list()
    # A new table widget whenever the rows change, so its selection always matches the open detail.
    digest = hashlib.sha1("\n".join(ids).encode()).hexdigest()[:10]
    table_key = f"agreements_table_{_nonce()}_{digest}"
    selected_rows = [ids.index(open_id)] if open_id in ids else []
    st.dataframe(
        frame, column_config=dict(config), hide_index=True, width="stretch", height=420 if len(ids) > 10 else "auto",
        key=table_key, on_select=lambda: _on_row_click(table_key, ids), selection_mode="single-row",
        selection_default={"selection": {"rows": selected_rows}},
    )
    if len(ids) >= agreements.TABLE_ROWS:
        st.caption(t("agreements.list.more", lang, n=f"{agreements.TABLE_ROWS:,}"))
st.caption(f"{t('app.definition', lang)}: {listing.definition}")

# --- one agreement --------------------------------------------------------------------------------
if open_id:
    found = agreements.detail(runner, open_id)
    with st.container(border=True):
        if found is None:
            st.warning(t("agreements.detail.not_found", lang, id=components.plain(open_id)))
            st.button(t("agreements.detail.close", lang), on_click=_close_detail, icon=":material/close:")
        else:
            detail = localise(found.view, lang)
            title_col, close_col = st.columns([5, 1], vertical_alignment="center")
            title_col.subheader(components.plain(detail.title), anchor="agreement-detail")
            close_col.button(
                t("agreements.detail.close", lang), on_click=_close_detail, icon=":material/close:",
                key="agreements_close_detail",
            )
            facts = detail.panel("agreements.detail.facts")
            _facts_grid(facts)
            components.kpi_cards(detail.kpis, lang, columns=3)

            parties = detail.panel("agreements.detail.parties")
            st.subheader(components.plain(parties.title))
            party_frame, party_config = data.drawn(components.display_table, parties, lang)
            party_ids = list(found.hospital_ids)
            picked = st.dataframe(
                party_frame, column_config=dict(party_config), hide_index=True, width="stretch",
                key=f"agreements_parties_{open_id}", on_select="rerun", selection_mode="single-row",
            )
            st.caption(t("institutions.profile.partners.click_hint", lang))
            if picked["selection"]["rows"]:
                query = filters.to_query() | {state.LANG_KEY: lang, "institution": party_ids[picked["selection"]["rows"][0]]}
                st.switch_page("pages/institutions.py", query_params=query)

            requests = detail.panel("agreements.detail.requests")
            st.subheader(components.plain(requests.title))
            components.show_table(requests, lang)
            st.caption(f"{t('app.definition', lang)}: {facts.definition}")
            _profile_link(found.requester_id, t("agreements.detail.requester_profile", lang))

components.page_footer(view, lang)
