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
from oversight.queries import Runner
from oversight.views.common import first_row, picked_notes
from oversight.views.model import Chart, Codes, Margin, Name, Names, Order, PageView, Panel, Region, Text, code_text

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
        title=Text("page.access"),
        kpis=kpis.read("access_kpis", now, before),
        panels=(
            _funnel(runner, params),
            _pipeline(runner, params),
            _open_requests(runner, params, selection.one("age_band") or ""),
            _lead_times(runner, filters, selection, "data_type"),
            _lead_times(runner, filters, selection, "access_mode"),
            _lead_by_hospital(runner, filters, selection, top_n, fastest, min_deliveries),
            _deliveries(runner, params),
        ),
        notes=picked_notes(picked_texts(runner, selection)),
    )


def picked_texts(runner: Runner, selection: CrossFilter) -> list[tuple[str, Text, tuple]]:
    """(field, dimension name, chosen values) for each active cross-filter, in no language."""
    described = []
    if selection.get("data_types"):
        described.append(("data_types", Text("col.data_type"),
                          tuple(code_text("enum.data_type", v) for v in selection.get("data_types"))))
    if selection.get("access_modes"):
        described.append(("access_modes", Text("col.access_mode"),
                          tuple(code_text("enum.access_mode", v) for v in selection.get("access_modes"))))
    if selection.get("hospital_ids"):
        described.append(("hospital_ids", Text("col.hospital"), hospital_names(runner, selection.get("hospital_ids"))))
    if selection.one("age_band"):
        described.append(("age_band", Text("col.age_band"), (Text(f"access.age_band.{selection.one('age_band')}"),)))
    return described



def hospital_names(runner: Runner, hospital_ids: tuple[str, ...]) -> tuple[Name | str, ...]:
    """Names of the chosen hospitals; an unknown id stays as written."""
    found = runner.run("access_selected_hospitals", {"hospital_ids": list(hospital_ids)})
    names = {row["institution_id"]: Name(row["name_ko"], row["name_en"]) for row in found.iter_rows(named=True)}
    return tuple(names.get(h, h) for h in hospital_ids)


def _funnel(runner: Runner, params: dict) -> Panel:
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
    return Panel(
        key="access.funnel",
        title=Text("access.funnel.title"),
        definition=Text("def.access_funnel"),
        frame=frame.select("stage", "reached", "share_of_requested", "conversion", "at_period_end"),
        chart=Chart(kind="funnel", x="stage", y="reached"),
        count_columns=("reached", "at_period_end"),
        margins=(Margin(("at_period_end",)),),  # the open-pipeline KPI
        percent_columns=("share_of_requested", "conversion"),
        labels=(Codes("stage", ("enum.request_status",)),),
    )


def _pipeline(runner: Runner, params: dict) -> Panel:
    return Panel(
        key="access.pipeline",
        title=Text("access.pipeline.title"),
        definition=Text("def.access_open_pipeline"),
        frame=runner.run("request_pipeline_by_age", params).select("age_band", "stage", "requests"),
        chart=Chart(kind="pipeline", x="age_band", y="requests", color="stage"),
        count_columns=("requests",),
        # published totals: KPI, bar heights, stages
        margins=(
            Margin(("requests",)),
            Margin(("requests",), by=("age_band",)),
            Margin(("requests",), by=("stage",)),
        ),
        labels=(Codes("age_band", ("access.age_band",)), Codes("stage", ("access.stage",))),
    )


def _open_requests(runner: Runner, params: dict, age_band: str) -> Panel:
    frame = runner.run("request_pipeline_open", params | {"age_band": age_band, "row_limit": OPEN_ROWS})
    total = frame.get_column("open_requests").max() or 0
    return Panel(
        key="access.open_requests",
        title=Text.of("access.open_requests.title", band=Text(f"access.age_band.{age_band or 'all'}"),
                      shown=f"{frame.height:,}", total=f"{total:,}"),
        definition=Text("def.access_open_pipeline"),
        frame=frame,
        labels=(
            Names("hospital_ko", "hospital_en", "hospital"),
            Names("requester_ko", "requester_en", "requester"),
            Codes("data_type", ("enum.data_type",)),
            Codes("access_mode", ("enum.access_mode",)),
            Codes("stage", ("access.stage",)),
        ),
        columns=(
            "request_id", "hospital", "requester", "data_type", "access_mode", "requested_on", "stage", "age_days",
        ),
    )


def _lead_times(runner: Runner, filters: Filters, selection: CrossFilter, dimension: str) -> Panel:
    own = {"data_type": "data_types", "access_mode": "access_modes"}[dimension]
    raw = runner.run(
        "request_lead_times",
        filters.params() | selection.params(*DIMENSIONS, without=own) | {"dimension": dimension},
    )
    return Panel(
        key=f"access.lead_by_{dimension}",
        title=Text(f"access.lead_by_{dimension}.title"),
        definition=Text("def.access_stage_lead_time"),
        frame=raw.rename({"key": dimension}).select(dimension, *STAGE_COLUMNS),
        chart=Chart(kind="lead_time", x=dimension, y="median_total_days"),
        count_columns=("approvals", "deliveries"),
        margins=(Margin(("approvals", "deliveries")),),  # deliveries: a KPI
        labels=(Codes(dimension, (f"enum.{dimension}",)),),
        order=Order(("median_total_days", dimension), descending=(True, False), nulls_last=True),
    )


def _lead_by_hospital(runner, filters, selection, top_n, fastest, min_deliveries) -> Panel:
    raw = runner.run(
        "request_lead_times_by_hospital",
        filters.params() | selection.params(*DIMENSIONS, without="hospital_ids")
        | {"top_n": top_n, "fastest": fastest, "min_deliveries": min_deliveries},
    )
    ranked = raw.get_column("ranked_hospitals").max() or 0
    order = "fastest" if fastest else "slowest"
    return Panel(
        key="access.lead_by_hospital",
        title=Text.of(f"access.lead_by_hospital.{order}", n=raw.height, ranked=ranked, min=min_deliveries),
        definition=Text.of("def.access_hospital_ranking", min=min_deliveries),
        frame=raw,
        chart=Chart(kind="lead_time", x="hospital", y="median_total_days"),
        count_columns=("approvals", "deliveries"),
        labels=(Names("name_ko", "name_en", "hospital"), Region("region_code")),
        columns=("hospital_id", "hospital", "region", *STAGE_COLUMNS),
    )


def _deliveries(runner: Runner, params: dict) -> Panel:
    return Panel(
        key="access.deliveries",
        title=Text("access.deliveries.title"),
        definition=Text("def.access_deliveries"),
        frame=runner.run("request_deliveries_by_month", params),
        chart=Chart(kind="deliveries", x="month", y="records"),
        count_columns=("deliveries",),
        margins=(Margin(("deliveries",)),),  # a KPI
    )
