"""Overview: where the programme stands, what changed, and what needs attention."""

import streamlit as st

from oversight.i18n import t
from oversight.views import overview
from ui import components, data

lang, filters = components.current()
components.page_header("page.overview", lang)
previous = filters.previous()
st.caption(
    t(
        "overview.period_caption", lang,
        start=filters.date_from, end=filters.date_to, days=filters.days,
        pstart=previous.date_from, pend=previous.date_to,
    )
)

view = data.view(overview.build, filters, lang)
components.kpi_cards(view.kpis, lang)
components.what_changed(view, lang)

st.header(t("overview.section.trend", lang))
adoption = view.panel("overview.adoption")
components.show_panel(adoption, lang)

st.header(t("overview.alerts", lang))
left, right = st.columns(2)
with left:
    components.show_panel(view.panel("overview.quality_alerts"), lang)
with right:
    components.show_panel(view.panel("overview.waiting"), lang)

components.page_footer(view, lang)
