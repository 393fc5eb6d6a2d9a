"""Expert consulting: advice by topic and month, satisfaction, who used it, and whether requests
moved faster afterwards (an association, stated as such on the page).

Clicking a topic (on the topic or the satisfaction chart) narrows the rest of the page to it;
the choice is kept in the URL.
"""

import streamlit as st

from oversight import page_state, schema
from oversight.i18n import t
from oversight.views import consulting
from oversight.views.localise import words
from ui import components, data, selection, state

TOPIC = page_state.Codes("consulting_topic", "topics", schema.CONSULTATION_TOPICS)

lang, filters = components.current()
components.page_header("page.consulting", lang)
previous = filters.previous()
st.caption(
    t("consulting.intro", lang) + " "
    + t("overview.period_caption", lang, start=filters.date_from, end=filters.date_to, days=filters.days,
        pstart=previous.date_from, pend=previous.date_to)
)
chosen = state.cross_filter(TOPIC)
runner = data.runner()
view = data.view(consulting.build, filters, lang, selection=chosen)


selection.chips(
    [(TOPIC, words(label, lang), words(values, lang)) for _, label, values in consulting.picked_texts(chosen)], lang
)
st.caption(t("consulting.select_hint", lang))
components.kpi_cards(view.kpis, lang, columns=len(view.kpis))

st.header(t("consulting.section.topics", lang))
left, right = st.columns(2)
with left:
    panel = view.panel("consulting.by_topic")
    components.show_panel(panel, lang, selected=chosen.get("topics"), select=selection.bind(TOPIC, panel))
with right:
    panel = view.panel("consulting.satisfaction")
    components.show_panel(panel, lang, selected=chosen.get("topics"), select=selection.bind(TOPIC, panel))

panel = view.panel("consulting.by_month")
components.show_panel(panel, lang)

st.header(t("consulting.lead_time.heading", lang))
st.info(t("consulting.association_note", lang), icon=":material/info:")
left, right = st.columns([2, 3])
lead_time = view.panel("consulting.lead_time")
with left:
    panel = view.panel("consulting.lead_time")
    components.show_panel(panel, lang)
with right:
    # The counts behind each median matter as much as the medians: shown open, not behind a click.
    st.subheader(t("consulting.lead_time.counts", lang))
    components.show_table(lead_time, lang)
components.show_panel(view.panel("consulting.requesters"), lang, None)

components.page_footer(view, lang)
