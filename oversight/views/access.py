"""Data access: how requests move from request to delivery, where they wait, and what was delivered.

The page's charts cross-filter each other: a `CrossFilter` of data types, access modes and
hospitals narrows every panel except the one it was chosen on (which highlights it instead, so
another bar stays one click away). The open-pipeline age band only narrows the list of open
requests below the chart.
"""

from __future__ import annotations

import polars as pl

from oversight.filters import Filters
from oversight.page_state import CrossFilter
from oversight import kpis
from oversight.i18n import enum_label, t
from oversight.queries import Runner
from oversight.views.common import first_row, localise_enum, localise_names, localise_region
from oversight.views.model import Chart, Margin, PageView, Panel

TOP_N = 10  # hospitals shown in the lead-time ranking
MIN_DELIVERIES = 5  # a hospital is ranked once it delivered this many requests in the period
OPEN_ROWS = 200  # open requests listed under the pipeline chart
AGE_BANDS = ("d0_30", "d31_90", "d91_180", "d181_plus")
FUNNEL_PATH = ("requested", "under_review", "approved", "delivered")
DROP_OUTS = ("rejected", "withdrawn")
STAGE_COLUMNS = (
    "approvals", "median_days_to_approval", "p90_days_to_approval",
    "deliveries", "median_days_to_delivery", "p90_days_to_delivery",
    "median_total_days", "p90_total_days",
)



# What the page's charts pick, as CrossFilter dimensions: each narrows every panel but its own.
# `age_band` (one band of the open pipeline) narrows only the list of open requests.
DIMENSIONS = ("data_types", "access_modes", "hospital_ids")


def build(
    runner: Runner,
    filters: Filters,
    lang: str,
    selection: CrossFilter = CrossFilter(),
    top_n: int = TOP_N,
    fastest: bool = False,
    min_deliveries: int = MIN_DELIVERIES,
) -> PageView:
    params = filters.params() | selection.params(*DIMENSIONS)
    now = first_row(runner.run("access_kpis", params))
    before = first_row(runner.run("access_kpis", filters.previous().params() | selection.params(*DIMENSIONS)))
    return PageView(
        sheet="Access",
        title=t("page.access", lang),
        kpis=kpis.read("access_kpis", now, before, lang),
        panels=(
            _funnel(runner, params, lang),
            _pipeline(runner, params, lang),
            _open_requests(runner, params, selection.one("age_band") or "", lang),
            _lead_times(runner, filters, selection, "data_type", lang),
            _lead_times(runner, filters, selection, "access_mode", lang),
            _lead_by_hospital(runner, filters, selection, lang, top_n, fastest, min_deliveries),
            _deliveries(runner, params, lang),
        ),
        notes=tuple(f"{label}: {values}" for _, label, values in describe_selection(runner, selection, lang)),
    )


def describe_selection(runner: Runner, selection: CrossFilter, lang: str) -> list[tuple[str, str, str]]:
    """(field, dimension label, chosen values in words) for each active cross-filter."""
    described = []
    if selection.get("data_types"):
        described.append(("data_types", t("col.data_type", lang),
                          ", ".join(enum_label("data_type", v, lang) for v in selection.get("data_types"))))
    if selection.get("access_modes"):
        described.append(("access_modes", t("col.access_mode", lang),
                          ", ".join(enum_label("access_mode", v, lang) for v in selection.get("access_modes"))))
    if selection.get("hospital_ids"):
        described.append(("hospital_ids", t("col.hospital", lang),
                          ", ".join(hospital_names(runner, selection.get("hospital_ids"), lang))))
    if selection.one("age_band"):
        described.append(("age_band", t("col.age_band", lang), t(f"access.age_band.{selection.one('age_band')}", lang)))
    return described


def hospital_names(runner: Runner, hospital_ids: tuple[str, ...], lang: str) -> list[str]:
    """Names of the chosen hospitals in the chosen language; an unknown id stays as written."""
    found = localise_names(
        runner.run("access_selected_hospitals", {"hospital_ids": list(hospital_ids)}),
        "name_ko", "name_en", "name", lang,
    )
    names = dict(zip(found.get_column("institution_id"), found.get_column("name")))
    return [names.get(h, h) for h in hospital_ids]


def _funnel(runner: Runner, params: dict, lang: str) -> Panel:
    raw = runner.run("request_funnel", params)
    requested = raw.filter(pl.col("stage") == "requested").get_column("reached").sum()
    path = raw.filter(pl.col("stage").is_in(FUNNEL_PATH)).sort("step")
    # Each main stage as a share of the one before; drop-outs as a share of all requested.
    conversion = path.select(
        "stage", (pl.col("reached") / pl.col("reached").shift(1)).alias("conversion")
    )
    frame = (
        raw.join(conversion, on="stage", how="left")
        .sort("step")
        .with_columns(
            (pl.col("reached") / requested if requested else pl.lit(None, dtype=pl.Float64)).alias("share_of_requested"),
        )
    )
    frame = localise_enum(frame, "stage", "request_status", lang).select(
        "stage", "reached", "share_of_requested", "conversion", "at_period_end"
    )
    return Panel(
        key="access.funnel",
        title=t("access.funnel.title", lang),
        definition=t("def.access_funnel", lang),
        frame=frame,
        chart=Chart(kind="funnel", x="stage", y="reached"),
        count_columns=("reached", "at_period_end"),
        margins=(Margin(("at_period_end",)),),  # the open-pipeline KPI
        percent_columns=("share_of_requested", "conversion"),
    )


def _pipeline(runner: Runner, params: dict, lang: str) -> Panel:
    raw = runner.run("request_pipeline_by_age", params)
    frame = raw.with_columns(
        pl.col("age_band").replace_strict({b: t(f"access.age_band.{b}", lang) for b in AGE_BANDS}),
        pl.col("stage").replace_strict(
            {s: t(f"access.stage.{s}", lang) for s in ("requested", "under_review", "approved")}
        ),
    ).select("age_band", "stage", "requests")
    return Panel(
        key="access.pipeline",
        title=t("access.pipeline.title", lang),
        definition=t("def.access_open_pipeline", lang),
        frame=frame,
        chart=Chart(kind="stacked_bar", x="age_band", y="requests", color="stage"),
        count_columns=("requests",),
        # published totals: KPI, bar heights, stages
        margins=(
            Margin(("requests",)),
            Margin(("requests",), by=("age_band",)),
            Margin(("requests",), by=("stage",)),
        ),
    )


def _open_requests(runner: Runner, params: dict, age_band: str, lang: str) -> Panel:
    raw = runner.run("request_pipeline_open", params | {"age_band": age_band, "row_limit": OPEN_ROWS})
    total = raw.get_column("open_requests").max() or 0
    frame = localise_names(raw, "hospital_ko", "hospital_en", "hospital", lang)
    frame = localise_names(frame, "requester_ko", "requester_en", "requester", lang)
    frame = localise_enum(frame, "data_type", "data_type", lang)
    frame = localise_enum(frame, "access_mode", "access_mode", lang)
    frame = frame.with_columns(
        pl.col("stage").replace_strict(
            {s: t(f"access.stage.{s}", lang) for s in ("requested", "under_review", "approved")}
        )
    ).select("request_id", "hospital", "requester", "data_type", "access_mode", "requested_on", "stage", "age_days")
    band = t(f"access.age_band.{age_band}", lang) if age_band else t("access.age_band.all", lang)
    return Panel(
        key="access.open_requests",
        title=t("access.open_requests.title", lang, band=band, shown=f"{frame.height:,}", total=f"{total:,}"),
        definition=t("def.access_open_pipeline", lang),
        frame=frame,
    )


def _lead_times(runner: Runner, filters: Filters, selection: CrossFilter, dimension: str, lang: str) -> Panel:
    own = {"data_type": "data_types", "access_mode": "access_modes"}[dimension]
    raw = runner.run(
        "request_lead_times",
        filters.params() | selection.params(*DIMENSIONS, without=own) | {"dimension": dimension},
    )
    frame = (
        localise_enum(raw, "key", dimension, lang, into=dimension)
        .select(dimension, *STAGE_COLUMNS)
        .sort("median_total_days", dimension, descending=[True, False], nulls_last=True)
    )
    return Panel(
        key=f"access.lead_by_{dimension}",
        title=t(f"access.lead_by_{dimension}.title", lang),
        definition=t("def.access_stage_lead_time", lang),
        frame=frame,
        chart=Chart(kind="lead_time", x=dimension, y="median_total_days"),
        count_columns=("approvals", "deliveries"),
        margins=(Margin(("approvals", "deliveries")),),  # deliveries: a KPI
    )


def _lead_by_hospital(runner, filters, selection, lang, top_n, fastest, min_deliveries) -> Panel:
    raw = runner.run(
        "request_lead_times_by_hospital",
        filters.params() | selection.params(*DIMENSIONS, without="hospital_ids")
        | {"top_n": top_n, "fastest": fastest, "min_deliveries": min_deliveries},
    )
    ranked = raw.get_column("ranked_hospitals").max() or 0
    frame = localise_region(localise_names(raw, "name_ko", "name_en", "hospital", lang), "region_code", lang)
    frame = frame.select("hospital_id", "hospital", "region", *STAGE_COLUMNS)
    order = "fastest" if fastest else "slowest"
    return Panel(
        key="access.lead_by_hospital",
        title=t(f"access.lead_by_hospital.{order}", lang, n=frame.height, ranked=ranked, min=min_deliveries),
        definition=t("def.access_hospital_ranking", lang, min=min_deliveries),
        frame=frame,
        chart=Chart(kind="lead_time", x="hospital", y="median_total_days"),
        count_columns=("approvals", "deliveries"),
    )


def _deliveries(runner: Runner, params: dict, lang: str) -> Panel:
    frame = runner.run("request_deliveries_by_month", params)
    return Panel(
        key="access.deliveries",
        title=t("access.deliveries.title", lang),
        definition=t("def.access_deliveries", lang),
        frame=frame,
        chart=Chart(kind="deliveries", x="month", y="records"),
        count_columns=("deliveries",),
        margins=(Margin(("deliveries",)),),  # a KPI
    )
