"""Regions: where the programme reaches across the 17 regions and their districts, drawn
offline, and how concentrated it is in the capital area."""

import streamlit as st

from oversight import page_state
from oversight.charts import regions as region_charts
from oversight.i18n import column_label, t
from oversight.regions import REGION_CODES, region_name
from oversight.views import regions as regions_view
from ui import components, data, state

# Page-level selections live in the URL (?region=11&region_metric=agreements&region_basis=count).
REGION = page_state.Region("region")  # a region's districts; legacy codes and names are understood
METRIC = page_state.Choice("region_metric", regions_view.METRICS, default=regions_view.DEFAULT_METRIC)
BASIS = page_state.Choice("region_basis", ("per_million", "count"))

lang, filters = components.current()
components.page_header("page.regions", lang)
previous = filters.previous()
st.caption(
    t(
        "regions.period_caption", lang,
        start=filters.date_from, end=filters.date_to, pstart=previous.date_from, pend=previous.date_to,
    )
)

if not regions_view.districts_ready(data.runner()):
    st.error(t("regions.needs_reload", lang))
    st.stop()

region = state.read(REGION)
metric = state.read(METRIC)
per_capita = state.read(BASIS) != "count"

kpi_area = st.container()  # filled once the view is built: the first screen answers the question

st.header(t("regions.section.map", lang))
controls = st.columns([3, 2, 3, 2], vertical_alignment="bottom")
with controls[0]:
    metric = st.selectbox(
        t("regions.control.metric", lang), regions_view.METRICS,
        index=regions_view.METRICS.index(metric), key="regions_metric",
        format_func=lambda m: t(f"regions.metric.{m}", lang),
    )
with controls[1]:
    basis = st.segmented_control(
        t("regions.control.basis", lang), ("per_million", "count"),
        default="per_million" if per_capita else "count", key="regions_basis",
        format_func=lambda b: t(f"regions.basis.{b}", lang),
        disabled=metric not in regions_view.COUNT_METRICS,
        help=t("regions.rate_no_per_million", lang),
    ) or "per_million"
with controls[2]:
    options = ("", *REGION_CODES)
    picked = st.selectbox(
        t("regions.control.region", lang), options, index=options.index(region or ""),
        # One widget per region shown: a region chosen on the map or by the back button gets a
        # fresh list showing it, and the list's earlier pick does not come back.
        key=f"regions_pick_{region or 'all'}",
        format_func=lambda code: region_name(code, lang) if code else t("regions.control.all_regions", lang),
        help=t("regions.control.help", lang),
    ) or None
with controls[3]:
    show_points = st.toggle(t("regions.control.points", lang), value=True, key="regions_points")
per_capita = basis == "per_million"
state.write(REGION, picked)
if picked != region:
    st.rerun()
state.write(METRIC, metric)
state.write(BASIS, basis)

# The map first (its data is quick), so that the browser draws it while the rest is computed.
map_built = data.built(regions_view.map_panels, filters, region)
map_view = data.localised(map_built, lang)
table = map_view.panel("regions.table")
points = map_view.panel("regions.institutions") if show_points else None
value = regions_view.value_column(metric, per_capita)
left, right = st.columns([3, 2], gap="medium")
with left:
    if region is None:
        st.subheader(t("regions.map.title", lang))
        deck, scale = data.drawn(region_charts.national_map, table, points, value, lang)
        alt = t("regions.map.alt", lang, metric=t(f"regions.metric.{value}", lang))
        legend_title = t(f"regions.metric.{value}", lang)
        beside = table
    else:
        name = region_name(region, lang)
        st.subheader(t("regions.map.districts_title", lang, region=name))
        if st.button(t("regions.control.back", lang), icon=":material/zoom_out_map:"):
            state.write(REGION, None)
            st.rerun()
        beside = map_view.panel("regions.districts")
        deck, scale = data.drawn(region_charts.district_map, beside, points, region, metric, lang)
        alt = t("regions.map.districts_alt", lang, region=name, metric=t(f"regions.metric.{metric}", lang))
        legend_title = t(f"regions.metric.{metric}", lang)
        if metric in regions_view.COUNT_METRICS and per_capita:
            st.caption(t("regions.district_no_per_million", lang))
    event = st.pydeck_chart(
        deck, on_select="rerun", selection_mode="single-object", height=region_charts.MAP_HEIGHT,
        key=f"regions_map_{region or 'all'}", alt=alt,
    )
    static = {"displayModeBar": False, "staticPlot": True}
    st.plotly_chart(data.drawn(region_charts.legend, scale, legend_title, lang, no_data=bool(filters.regions) and region is None),
                    config=static, key="regions_legend")
    if show_points:
        st.plotly_chart(data.drawn(region_charts.kinds_legend, lang), config=static, key="regions_kinds_legend")
    st.caption(t("regions.map.caption", lang))
    clicked = region_charts.clicked_region(event.selection)
    if clicked is not None and clicked != region:
        state.write(REGION, clicked)
        st.rerun()

with right:
    # The map's text alternative: the same figures, the coloured one first.
    st.subheader(t("regions.map.table_title", lang))
    frame, config = data.drawn(components.display_table, beside, lang)
    shown_value = value if region is None else metric
    name_column = "region" if region is None else "district"
    order = [name_column, shown_value] + [c for c in region_charts.TOOLTIP_FIGURES if c != shown_value]
    st.dataframe(
        frame, column_config=dict(config), hide_index=True, width="stretch", height=region_charts.MAP_HEIGHT + 60,
        column_order=[column_label(c, lang) for c in order if c in beside.frame.columns],
    )
    st.caption(f"{t('app.definition', lang)}: {beside.definition}")

view = data.view(
    regions_view.build, filters, lang, metric=metric, per_capita=per_capita, region=region, map_view=map_built
)
with kpi_area:
    st.info(" ".join(components.plain(note) for note in view.notes), icon=":material/travel_explore:")
    components.kpi_cards(view.kpis, lang)

st.header(t("regions.concentration.heading", lang))
share_column, inequality_column = st.columns(2)
with share_column:
    share = view.panel("regions.capital_share")
    components.show_panel(share, lang)
with inequality_column:
    components.show_panel(view.panel("regions.inequality"), lang)

trends = view.panel("regions.trends")
components.show_panel(trends, lang)
st.caption(t("regions.trends.caption", lang))

components.show_panel(table, lang)
st.header(t("regions.institutions.heading", lang))
institutions = view.panel("regions.institutions")
# Up to a thousand rows: drawn on request, so that they do not hold up the map.
if st.toggle(t("regions.institutions.show", lang, n=institutions.frame.height), key="regions_list"):
    components.show_table(institutions, lang)
st.caption(f"{t('app.definition', lang)}: {institutions.definition}")

components.page_footer(view, lang)
