"""Safe utilisation centres: use per centre, the share of requests served through centres, and
each centre's latest month against its own history.

Clicking a centre (a line on the usage chart, a bar on the history chart) narrows the figures,
the share chart and the requests by data type to it; the choice is kept in the URL.
"""

import streamlit as st

from oversight import page_state
from oversight.i18n import column_label, t
from oversight.views import centres
from oversight.views.localise import words
from ui import components, data, selection, state

CENTRE = page_state.Codes("centres_centre", "centre_ids")
METRIC = page_state.Choice("centres_metric", centres.METRICS)

lang, filters = components.current()
components.page_header("page.centres", lang)
previous = filters.previous()
st.caption(
    t("centres.intro", lang) + " "
    + t("overview.period_caption", lang, start=filters.date_from, end=filters.date_to, days=filters.days,
        pstart=previous.date_from, pend=previous.date_to)
)
chosen = state.cross_filter(CENTRE)
runner = data.runner()

chips_area, kpi_area = st.container(), st.container()
st.header(t("centres.section.usage", lang))
usage_area = st.container()
history_col, share_col = st.columns(2)
with history_col:
    metric = selection.choice(METRIC, t("centres.metric.label", lang), lambda m: column_label(m, lang))

view = data.view(centres.build, filters, lang, selection=chosen, metric=metric)


with chips_area:
    selection.chips(
        [(CENTRE, words(label, lang), words(values, lang)) for _, label, values in centres.picked_texts(runner, chosen)],
        lang,
    )
    st.caption(t("centres.select_hint", lang))
with kpi_area:
    components.kpi_cards(view.kpis, lang, columns=len(view.kpis))
with usage_area:
    panel = view.panel("centres.usage")
    components.show_panel(panel, lang, selected=chosen.get("centre_ids"), select=selection.bind(CENTRE, panel))
with history_col:
    panel = view.panel("centres.history")
    components.show_panel(panel, lang, selected=chosen.get("centre_ids"), select=selection.bind(CENTRE, panel))
with share_col:
    panel = view.panel("centres.share")
    components.show_panel(panel, lang)

by_type, detail = st.columns(2)
with by_type:
    panel = view.panel("centres.requests_by_type")
    components.show_panel(panel, lang)
with detail:
    if chosen.get("centre_ids"):
        components.show_panel(view.panel("centres.detail"), lang, None)
    else:
        st.subheader(t("centres.detail.title", lang))
        st.info(t("centres.detail.hint", lang), icon=":material/ads_click:")
components.show_panel(view.panel("centres.directory"), lang, None)

components.page_footer(view, lang)
