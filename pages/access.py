"""Data access: how requests move to delivery, where they wait, how long each stage takes, what was delivered.

Bars on the lead-time charts cross-filter the page (data type, access mode, hospital); an age
band on the pipeline chart lists its open requests. Every choice is kept in the URL.
"""

import streamlit as st

from oversight import page_state, schema
from oversight.i18n import t
from oversight.views import access
from oversight.views.localise import words
from ui import components, data, selection, state

TYPE = page_state.Codes("access_type", "data_types", schema.DATA_TYPES)
MODE = page_state.Codes("access_mode", "access_modes", schema.ACCESS_MODES)
HOSPITAL = page_state.Codes("access_hospital", "hospital_ids")
AGE = page_state.Codes("access_age", "age_band", access.AGE_BANDS)
ORDER = page_state.Choice("access_rank", ("slowest", "fastest"))
TOP_N = page_state.Choice("access_n", (5, 10, 20), default=access.TOP_N)
PICKS = {param.dimension: param for param in (TYPE, MODE, HOSPITAL, AGE)}

lang, filters = components.current()
components.page_header("page.access", lang)
previous = filters.previous()
st.caption(
    t("access.intro", lang) + " "
    + t("overview.period_caption", lang, start=filters.date_from, end=filters.date_to, days=filters.days,
        pstart=previous.date_from, pend=previous.date_to)
)
chosen = state.cross_filter(*PICKS.values())
runner = data.runner()

chips_area, kpi_area, flow_area = st.container(), st.container(), st.container()
st.header(t("access.section.lead_times", lang))
st.caption(t("access.select_hint", lang) + " " + t("access.bars_hint", lang))
by_type, by_mode = st.columns(2)
controls = st.columns([2, 3, 5])
with controls[0]:
    order = selection.choice(ORDER, t("access.rank.label", lang), lambda o: t(f"access.rank.{o}", lang))
with controls[1]:
    top_n = selection.choice(TOP_N, t("access.top_n.label", lang))

view = data.view(access.build, filters, lang, selection=chosen, top_n=top_n, fastest=order == "fastest")


with chips_area:
    selection.chips(
        [(PICKS[field], words(label, lang), words(values, lang))
         for field, label, values in access.picked_texts(runner, chosen)],
        lang,
    )
with kpi_area:
    components.kpi_cards(view.kpis, lang, columns=len(view.kpis))
with flow_area:
    st.header(t("access.section.flow", lang))
    left, right = st.columns(2)
    with left:
        panel = view.panel("access.funnel")
        components.show_panel(panel, lang)
    with right:
        panel = view.panel("access.pipeline")  # one band is listed at a time
        components.show_panel(panel, lang, selected=chosen.get("age_band")[:1], select=selection.bind(AGE, panel),
                              note=t("access.pipeline.hint", lang))
    open_requests = view.panel("access.open_requests")
    with st.expander(components.plain(open_requests.title), expanded=bool(chosen.get("age_band"))):
        components.show_table(open_requests, lang, height=320)
        st.caption(f"{t('app.definition', lang)}: {open_requests.definition}")
with by_type:
    panel = view.panel("access.lead_by_data_type")
    components.show_panel(panel, lang, selected=chosen.get("data_types"), select=selection.bind(TYPE, panel))
with by_mode:
    panel = view.panel("access.lead_by_access_mode")
    components.show_panel(panel, lang, selected=chosen.get("access_modes"), select=selection.bind(MODE, panel))
panel = view.panel("access.lead_by_hospital")
components.show_panel(panel, lang, selected=chosen.get("hospital_ids"), select=selection.bind(HOSPITAL, panel))

st.header(t("access.section.delivered", lang))
panel = view.panel("access.deliveries")
components.show_panel(panel, lang)

components.page_footer(view, lang)
