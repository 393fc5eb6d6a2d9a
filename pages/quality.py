"""Data quality: where hospitals stand, the network's trend, and what changed between assessments.

The whole network by default; one hospital when the URL names it (`?hospital=ID`), chosen from
the select box or by clicking its row in the heatmap. The flagging threshold is kept in the URL
too (`?threshold=87.5`, in percent).
"""

import streamlit as st

from oversight import page_state
from oversight.charts import registry
from oversight.i18n import t
from oversight.views import quality
from ui import components, data, state

HOSPITAL = page_state.Ident("hospital")  # one hospital's view; the whole network without it
NETWORK = ""  # the hospital box's entry for the whole network (None would show as no choice)
THRESHOLD = page_state.Number("threshold", round(quality.DEFAULT_THRESHOLD * 100, 6), 0.0, 100.0)  # in percent
ASSESSMENT = page_state.Day("assessment")  # the hospital's assessment shown; its latest without it
HEATMAP_WIDGET = "quality_heatmap"
HEATMAP_ROWS = 30  # hospitals in the heatmap until the user asks for all of them


def open_hospital(institution_id: str | None) -> None:
    """Show a hospital (None: the network); callbacks only, before the widgets are drawn."""
    st.session_state[state.control_key(HOSPITAL)] = institution_id or NETWORK
    state.write(HOSPITAL, institution_id)
    state.write(ASSESSMENT, None)
    st.session_state.pop(state.control_key(ASSESSMENT), None)


def on_hospital_change() -> None:
    open_hospital(st.session_state[state.control_key(HOSPITAL)] or None)


def on_heatmap_select() -> None:
    points = st.session_state[HEATMAP_WIDGET].selection.points
    chosen = [p.get("customdata") for p in points if p.get("customdata")]
    if chosen:
        value = chosen[0]
        open_hospital(value[0] if isinstance(value, list) else value)


def show_heatmap(panel, lang: str, threshold: float, figure_of) -> None:
    st.subheader(components.plain(panel.title))
    total = panel.frame["institution_id"].n_unique()
    limit = None
    if total > HEATMAP_ROWS:
        if not st.toggle(t("quality.show_all", lang, n=total), key="quality_show_all"):
            limit = HEATMAP_ROWS
            st.caption(t("quality.heatmap.showing", lang, shown=HEATMAP_ROWS, total=total))
    if panel.frame.height:
        st.plotly_chart(
            figure_of(limit),
            width="stretch", key=HEATMAP_WIDGET, on_select=on_heatmap_select, selection_mode="points",
            config={"displaylogo": False, "displayModeBar": False},
        )
        components.chart_summary(panel, lang)
        with st.expander(t("app.show_data", lang)):
            components.show_table(panel, lang)
    else:
        st.info(t("app.no_data", lang))
    st.caption(f"{t('app.definition', lang)}: {panel.definition}")


def network_page(runner, filters, lang: str, threshold: float) -> None:
    view = data.view(quality.build, filters, lang, threshold=threshold)

    def panel(key: str) -> None:
        components.show_panel(view.panel(key), lang, options=dict(threshold=threshold))

    for note in view.notes:
        st.info(components.plain(note), icon=":material/fact_check:")
    components.kpi_cards(view.kpis, lang)

    st.header(t("quality.section.snapshot", lang))
    heatmap = view.panel("quality.heatmap")
    show_heatmap(heatmap, lang, threshold,
                 lambda limit: data.drawn(registry.draw, heatmap, lang, threshold=threshold, limit=limit))
    left, right = st.columns(2, gap="large")
    with left:
        panel("quality.distribution")
    with right:
        panel("quality.flagged")

    st.header(t("quality.section.trend", lang))
    panel("quality.trend")

    st.header(t("quality.section.changes", lang))
    left, right = st.columns(2, gap="large")
    with left:
        panel("quality.quarters")
    with right:
        panel("quality.quarter_hospitals")

    st.header(t("quality.section.inputs", lang))
    st.warning(t("quality.event_time.caveat", lang), icon=":material/info:")
    panel("quality.event_time")
    components.page_footer(view, lang)


def hospital_page(runner, filters, lang: str, threshold: float, institution_id: str, infrastructure_since) -> None:
    dates = quality.hospital_assessments(runner, filters, institution_id)
    wanted = state.read(ASSESSMENT)
    chosen = wanted if wanted in dates else dates[0]
    assessment_key = state.control_key(ASSESSMENT)
    if st.session_state[assessment_key] not in dates:
        st.session_state[assessment_key] = chosen  # chosen under another period, or not in the URL
    st.button(t("quality.back", lang), icon=":material/arrow_back:", on_click=open_hospital, args=(None,))
    st.selectbox(
        t("quality.assessment_select", lang), dates,
        format_func=lambda day: t("quality.assessment_latest", lang, date=day) if day == dates[0] else str(day),
        key=assessment_key, on_change=state.on_control_change, args=(ASSESSMENT,),
        help=t("quality.assessment_help", lang),
    )
    chosen = st.session_state[assessment_key]
    view = data.view(quality.build_hospital, filters, lang, institution_id, threshold=threshold, assessed_on=chosen)

    def panel(key: str) -> None:
        components.show_panel(view.panel(key), lang, options=dict(
            threshold=threshold, chosen=chosen, infrastructure_since=infrastructure_since))

    st.header(components.plain(view.title))  # the hospital: a section of the page, its panels under it
    for note in view.notes:
        st.caption(components.plain(note))
    components.kpi_cards(view.kpis[:4], lang, columns=4, compared_to="assessment")
    components.kpi_cards(view.kpis[4:], lang, columns=3, compared_to="assessment")

    left, right = st.columns([3, 2], gap="large")
    with left:
        panel("quality.hospital.trend")
    with right:
        panel("quality.hospital.tables")
    panel("quality.hospital.overview")

    # counts of new failures exist only against an assessment before
    compared = next(k for k in view.kpis if k.key == "quality.hospital.new").value is not None
    st.header(t("quality.section.hospital_changes" if compared else "quality.section.hospital_failures", lang))
    if not compared:
        st.info(t("quality.no_previous", lang))
    panel("quality.hospital.changes")
    keys = ("failed", "new", "persisting", "resolved") if compared else ("failed",)
    lists = [view.panel(f"quality.hospital.{key}") for key in keys]
    tabs = st.tabs([t("quality.tab_count", lang, label=p.title, n=f"{p.frame.height:,}") for p in lists])
    for tab, panel in zip(tabs, lists):
        with tab:
            components.show_table(panel, lang, height=420 if panel.frame.height > 12 else None)
            st.caption(f"{t('app.definition', lang)}: {panel.definition}")
    components.page_footer(view, lang)


lang, filters = components.current()
components.page_header("page.quality", lang)
st.caption(t("quality.period_caption", lang, end=filters.date_to))
runner = data.runner()
threshold = state.read(THRESHOLD) / 100
options = quality.hospital_options(runner, filters, lang)
names = dict(zip(options["institution_id"].to_list(), options["hospital"].to_list()))
infrastructure = dict(zip(options["institution_id"].to_list(), options["infrastructure_since"].to_list()))
hospital = state.read(HOSPITAL)
if hospital is not None and hospital not in names:
    st.info(t("quality.not_found", lang, id=components.plain(hospital)))
    state.write(HOSPITAL, None)
    hospital = None
hospital_key = state.control_key(HOSPITAL)
if st.session_state[hospital_key] not in (NETWORK, *names):
    st.session_state[hospital_key] = hospital or NETWORK  # from the URL, or chosen under other filters

controls = st.columns([1, 3])
with controls[0]:
    st.number_input(
        t("quality.threshold", lang), min_value=0.0, max_value=100.0, step=1.0, format="%.1f",
        key=state.control_key(THRESHOLD), on_change=state.on_control_change, args=(THRESHOLD,),
        help=t("quality.threshold_help", lang),
    )
with controls[1]:
    choices = [NETWORK, *names]
    st.selectbox(
        t("quality.hospital_select", lang), choices,
        format_func=lambda key: t("quality.hospital_none", lang) if key == NETWORK else names[key],
        key=hospital_key, on_change=on_hospital_change, help=t("quality.hospital_help", lang),
    )

if not names:
    st.info(t("quality.no_assessments", lang))
elif hospital is None:
    network_page(runner, filters, lang, threshold)
else:
    hospital_page(runner, filters, lang, threshold, hospital, infrastructure[hospital])
