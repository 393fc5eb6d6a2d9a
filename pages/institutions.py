"""Institutions: hospitals and requesters side by side, and one institution's profile.

Page-level selections live in the URL (declared below, read and written by ui.state): `institution` (the open profile)
and `institutions_side` (which league table is shown).
"""

import hashlib

import streamlit as st

from oversight import page_state
from oversight.charts import registry
from oversight.i18n import t
from oversight.views import institutions
from ui import components, data, selection, state

INSTITUTION = page_state.Ident("institution")  # the open profile
SIDE = page_state.Choice("institutions_side", institutions.SIDES)  # which league table is shown
NONCE = "institutions_nonce"  # bumped to reset selections when the profile is closed

lang, filters = components.current()
runner = data.runner()


def _nonce() -> int:
    return st.session_state.setdefault(NONCE, 0)


def _open(ident: str | None) -> None:
    state.write(INSTITUTION, ident)


def _on_point_click(key: str) -> None:
    points = st.session_state[key]["selection"]["points"]
    ident = points[0].get("customdata") if points else None
    if isinstance(ident, list):
        ident = ident[0] if ident else None
    if ident:
        _open(ident)


def _on_row_click(key: str, ids: list[str]) -> None:
    rows = st.session_state[key]["selection"]["rows"]
    if rows and rows[0] < len(ids):
        _open(ids[rows[0]])


def _close() -> None:
    _open(None)
    st.session_state[NONCE] = _nonce() + 1


def _definition(panel) -> None:
    st.caption(f"{t('app.definition', lang)}: {panel.definition}")


def _clickable_table(panel, key_prefix: str, ids_column: str, on_click, selected: str | None, height=None):
    """A panel's table whose rows open something; a new widget whenever its rows change, so the
    highlighted row always matches what is open."""
    frame, config = data.drawn(components.display_table, panel, lang)
    ids = panel.frame.get_column(ids_column).to_list()
    digest = hashlib.sha1("\n".join(map(str, ids)).encode()).hexdigest()[:10]
    key = f"{key_prefix}_{_nonce()}_{digest}"
    st.dataframe(
        frame, column_config=dict(config), hide_index=True, width="stretch", height=height or "auto",
        key=key, on_select=lambda: on_click(key, ids), selection_mode="single-row",
        selection_default={"selection": {"rows": [ids.index(selected)] if selected in ids else []}},
    )


open_id = state.read(INSTITUTION)

# --- first screen: who takes part and who is busy ------------------------------------------------
components.page_header("page.institutions", lang)
previous = filters.previous()
st.caption(
    t(
        "institutions.period_caption", lang,
        start=filters.date_from, end=filters.date_to, days=filters.days,
        pstart=previous.date_from, pend=previous.date_to,
    )
)
profile = data.view(institutions.profile, filters, lang, open_id) if open_id else None
if open_id:
    notice, jump = st.columns([5, 1], vertical_alignment="center")
    notice.info(
        t("institutions.profile.open_notice", lang, name=components.plain(profile.title if profile else open_id)),
        icon=":material/apartment:",
    )
    jump.markdown(f"[{t('institutions.profile.jump', lang)}](#institution-profile)")

view = data.view(institutions.build, filters, lang)
components.kpi_cards(view.kpis, lang, columns=4)

st.header(t("institutions.section.activity", lang))
left, right = st.columns([3, 2])
with left:
    workload = view.panel("institutions.workload")
    key = f"institutions_workload_{_nonce()}"
    components.show_panel(
        workload, lang,
        selected=open_id,
        hint=t("institutions.workload.click_hint", lang), select=components.ChartSelect(key, lambda: _on_point_click(key)),
    )
with right:
    top = view.panel("institutions.top_requesters")
    top_key = f"institutions_top_{_nonce()}"
    components.show_panel(
        top, lang, selected=open_id,
        hint=t("institutions.top_requesters.click_hint", lang), mode_bar=False,
        select=components.ChartSelect(top_key, lambda: _on_point_click(top_key)),
    )

# --- league tables -------------------------------------------------------------------------------
st.header(t("institutions.league.heading", lang))
side = selection.choice(SIDE, t("institutions.league.side", lang), lambda s: t(f"institutions.league.side.{s}", lang))
league = view.panel(f"institutions.{side}")
st.subheader(components.plain(league.title))
st.caption(t("institutions.league.click_hint", lang))
if league.frame.height == 0:
    st.info(t("app.no_data", lang))
else:
    _clickable_table(
        league, f"institutions_league_{league.key}", "institution_id", _on_row_click, open_id,
        height=420 if league.frame.height > 10 else None,
    )
_definition(league)

# --- one institution ------------------------------------------------------------------------------
if open_id:
    with st.container(border=True):
        if profile is None:
            st.warning(t("institutions.profile.not_found", lang, id=components.plain(open_id)))
            st.button(t("institutions.profile.close", lang), on_click=_close, icon=":material/close:")
        else:
            title_col, close_col = st.columns([5, 1], vertical_alignment="center")
            title_col.subheader(
                components.plain(t("institutions.profile.heading", lang, name=profile.title)),
                anchor="institution-profile",
            )
            close_col.button(
                t("institutions.profile.close", lang), on_click=_close, icon=":material/close:",
                key="institutions_close_profile",
            )
            st.caption(t("institutions.profile.scope_note", lang, start=filters.date_from, end=filters.date_to))
            facts = profile.panel("institutions.profile.facts")
            rows = list(facts.frame.iter_rows())
            for start in range(0, len(rows), 4):
                for cell, (item, value) in zip(st.columns(4), rows[start:start + 4]):
                    cell.caption(components.plain(item))
                    cell.markdown(components.plain(value))
            components.kpi_cards(profile.kpis, lang, columns=3)

            for key in ("institutions.profile.activity", "institutions.profile.quality", "institutions.profile.centre"):
                panel = next((p for p in profile.panels if p.key == key), None)
                if panel is None:
                    continue
                figure = registry.draw(panel, lang) if panel.frame.height else None
                if figure is not None and key == "institutions.profile.activity":
                    # the chosen period, shaded
                    figure.add_vrect(x0=filters.date_from, x1=filters.date_to, fillcolor="#0072B2",
                                     opacity=0.07, line_width=0)
                components.show_panel(panel, lang, figure=figure)

            partners = profile.panel("institutions.profile.partners")
            st.subheader(components.plain(partners.title))
            if partners.frame.height == 0:
                st.info(t("app.no_data", lang))
            else:
                st.caption(t("institutions.profile.partners.click_hint", lang))
                _clickable_table(partners, f"institutions_partners_{open_id}", "institution_id", _on_row_click, None)
            _definition(partners)

            agreements_panel = profile.panel("institutions.profile.agreements")
            st.subheader(components.plain(agreements_panel.title))
            if agreements_panel.frame.height == 0:
                st.info(t("app.no_data", lang))
            else:
                st.caption(t("institutions.profile.agreements.click_hint", lang))
                frame, config = data.drawn(components.display_table, agreements_panel, lang)
                agreement_ids = agreements_panel.frame.get_column("agreement_id").to_list()
                picked = st.dataframe(
                    frame, column_config=dict(config), hide_index=True, width="stretch",
                    key=f"institutions_agreements_{open_id}", on_select="rerun", selection_mode="single-row",
                )
                if picked["selection"]["rows"]:
                    query = filters.to_query() | {
                        state.LANG_KEY: lang, "agreement": agreement_ids[picked["selection"]["rows"][0]],
                    }
                    st.switch_page("pages/agreements.py", query_params=query)
            _definition(agreements_panel)
            st.page_link(
                "pages/agreements.py", label=t("institutions.profile.open_agreements", lang),
                icon=":material/handshake:",
                query_params=filters.to_query() | {
                    state.LANG_KEY: lang, "agreements_party": open_id, "agreements_scope": "all",
                },
            )

components.page_footer(view, lang)
