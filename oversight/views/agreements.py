"""Agreements: how many, growing how fast, in what; who signs with whom; each agreement.

`build` is the page (and the Excel sheet): KPIs, the monthly trend, the mix by research area,
requester group and status, the requester-hospital network and the table of agreements.
`detail` is one agreement with its parties and data requests. The picks (a `CrossFilter`) narrow the network and
the table to what was clicked in the mix charts or the network (cross-filtering); the KPIs,
trend and mix always show the whole of the shared filters, so the selection keeps its context.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import polars as pl

from oversight import schema
from oversight.page_state import CrossFilter
from oversight.filters import PROGRAMME_START, Filters
from oversight import kpis
from oversight import i18n
from oversight.i18n import localised_name
from oversight.queries import Runner
from oversight.views.common import facts, first_row
from oversight.views.localise import code_words
from oversight.views.model import Chart, Codes, Kpi, Margin, Name, Names, Order, PageView, Panel, Region, Text, code_text

NETWORK_TOP_N = 15
NETWORK_TOP_N_CHOICES = (5, 10, 15, 20, 30)
TABLE_ROWS = 1000
ORDERS = ("newest", "oldest", "hospitals", "requests", "id")
SCOPES = ("period", "all")  # the network and table: agreements signed in the period, or ever up to its end
MIX_DIMENSIONS = ("area", "requester_group", "status")
REQUESTER_GROUPS = (*schema.COMPANY_SECTORS, "company", "university", "research_institute")



# What the page's charts pick, as CrossFilter dimensions: a research area, requester group or
# status (from the mix charts) and a party (an institution, from the network). They narrow the
# network and the list; the KPIs and the mix keep the shared filters only.
DIMENSIONS = ("area", "requester_group", "status", "party")


def narrow(filters: Filters, picks: CrossFilter) -> Filters:
    """The shared filters narrowed to the picked area and requester group: an intersection, so a
    pick the shared filters exclude leaves nothing rather than widening them."""
    narrowed = filters
    area, group = picks.one("area"), picks.one("requester_group")
    if area:
        narrowed = replace(narrowed, areas=_intersect(filters.areas, area))
    if group in schema.COMPANY_SECTORS:
        narrowed = replace(
            narrowed,
            kinds=_intersect(filters.kinds, "company"),
            sectors=_intersect(filters.sectors, group),
        )
    elif group in schema.REQUESTER_KINDS:
        narrowed = replace(narrowed, kinds=_intersect(filters.kinds, group))
    return narrowed


def _pick_params(picks: CrossFilter, search: str) -> dict[str, object]:
    return {
        "agreement_statuses": list(picks.get("status")),
        "party_id": picks.one("party") or "",
        "search": search.strip(),
    }


NOTHING = ""  # a filter value that matches no row


def _intersect(chosen: tuple[str, ...], picked: str) -> tuple[str, ...]:
    """A shared filter (empty = all) narrowed to one picked value."""
    return (picked,) if not chosen or picked in chosen else (NOTHING,)


def build(
    runner: Runner,
    filters: Filters,
    picks: CrossFilter = CrossFilter(),
    search: str = "",
    order: str = "newest",
    top_n: int = NETWORK_TOP_N,
    scope: str = "period",
    row_limit: int = TABLE_ROWS,
) -> PageView:
    params = filters.params()
    now = first_row(runner.run("agreement_kpis", params))
    before = first_row(runner.run("agreement_kpis", filters.previous().params()))
    mix_now = runner.run("agreement_mix", params)
    mix_before = runner.run("agreement_mix", filters.previous().params())
    scoped = narrow(filters, picks)
    if scope == "all":
        scoped = replace(scoped, date_from=PROGRAMME_START)
    table, matches = _table(runner, scoped, _pick_params(picks, search), order, row_limit)
    return PageView(
        sheet="Agreements",
        title=Text("page.agreements"),
        kpis=kpis.read("agreement_kpis", now, before),
        panels=(
            _monthly(runner, filters),
            *(_mix(dimension, mix_now, mix_before) for dimension in MIX_DIMENSIONS),
            _network(runner, scoped, _pick_params(picks, search), top_n, scope),
            table,
        ),
        notes=(Text.of("agreements.list.shown", shown=f"{table.frame.height:,}", total=f"{matches:,}"),),
    )


def _monthly(runner: Runner, filters: Filters) -> Panel:
    frame = runner.run("agreement_signed_by_month", filters.params())
    return Panel(
        key="agreements.monthly",
        title=Text("agreements.monthly.title"),
        definition=Text("def.agreements_monthly"),
        frame=frame,
        # drawn as bars of `signed` with the running total as a line (charts.agreements.monthly)
        chart=Chart(kind="bar_cumulative", x="month", y="signed"),
        count_columns=("signed", "cumulative"),
        margins=(Margin(("signed",)),),  # the KPI
    )


# Where the words of a mix value are: a requester group is a company's sector, a company without
# one ("company"), a company of another sector ("other") or a non-company kind.
MIX_PREFIXES = {
    "area": ("enum.area",),
    "requester_group": ("agreements.group", "enum.sector", "enum.kind"),
    "status": ("enum.agreement_status",),
}
MIX_COLUMN = {"area": "research_area", "requester_group": "requester_group", "status": "status"}


def label(dimension: str, value: str, lang: str) -> str:
    """The label of a mix value (a research area, requester group or status) in `lang`."""
    return code_words(MIX_PREFIXES[dimension], value, lang)


def _mix(dimension: str, now: pl.DataFrame, before: pl.DataFrame) -> Panel:
    column = MIX_COLUMN[dimension]
    current = now.filter(pl.col("dimension") == dimension).select("value", "agreements")
    previous = before.filter(pl.col("dimension") == dimension).select(
        "value", pl.col("agreements").alias("previous")
    )
    total = current.get_column("agreements").sum()
    frame = (
        current.join(previous, on="value", how="left")
        .with_columns(
            pl.col("previous").fill_null(0),
            (pl.col("agreements") / total if total else pl.lit(None, dtype=pl.Float64)).alias("share"),
        )
        .with_columns((pl.col("agreements") - pl.col("previous")).alias("change"))
        .select(pl.col("value").alias(column), "agreements", "share", "previous", "change")
    )
    return Panel(
        key=f"agreements.by_{dimension}",
        title=Text(f"agreements.by_{dimension}.title"),
        definition=Text(f"def.agreements_by_{dimension}"),
        frame=frame,
        chart=Chart(kind="mix", x=column, y="agreements"),
        count_columns=("agreements", "previous"),
        margins=(Margin(("agreements", "previous")),),  # the KPI; the shares give it too
        derived_columns=("change",),  # agreements - previous: would give a hidden previous back
        percent_columns=("share",),
        labels=(Codes(column, MIX_PREFIXES[dimension]),),
        order=Order(("agreements", column), descending=(True, False)),
    )


def _network(runner: Runner, filters: Filters, picked: dict, top_n: int, scope: str) -> Panel:
    raw = runner.run("agreement_network", filters.params() | picked | {"top_n": top_n})
    return Panel(
        key="agreements.network",
        title=Text.of(f"agreements.network.title_{scope}", n=top_n),
        definition=Text.of("def.agreements_network", n=top_n),
        frame=raw.with_columns(
            *_folded("requester", "agreements.network.other_requesters"),
            *_folded("hospital", "agreements.network.other_hospitals"),
        ),
        # not a generic kind: drawn by oversight.charts.agreements.network
        chart=Chart(kind="network", x="requester", y="agreements", color="hospital"),
        count_columns=("agreements", "requester_agreements", "hospital_agreements"),
        # published totals: the total columns
        margins=(Margin(("agreements",), by=("requester_id",)), Margin(("agreements",), by=("hospital_id",))),
        labels=(Names("requester_ko", "requester_en", "requester"), Names("hospital_ko", "hospital_en", "hospital")),
        columns=(
            "requester", "hospital", "agreements", "requester_agreements", "hospital_agreements",
            "requester_rank", "hospital_rank", "requester_id", "hospital_id",
        ),
    )


def _folded(side: str, key: str) -> list[pl.Expr]:
    """The name pair of a side's "other" node (no id: the institutions folded into it), e.g.
    "other requesters (12)", written in both languages like an institution's name."""
    return [
        pl.when(pl.col(f"{side}_id").is_null())
        # polars fills "{}" with the number of institutions folded into the node
        .then(pl.format(i18n.t(key, lang, n="{}"), pl.col(f"{side}_members")))
        .otherwise(pl.col(f"{side}_{lang}"))
        .alias(f"{side}_{lang}")
        for lang in i18n.LANGUAGES
    ]


def _table(runner, filters: Filters, picked: dict, order: str, row_limit: int) -> tuple[Panel, int]:
    raw = runner.run(
        "agreement_list",
        filters.params() | picked
        | {"agreement_order": order if order in ORDERS else "newest", "row_limit": row_limit},
    )
    matches = int(raw.get_column("matches")[0]) if raw.height else 0
    frame = raw.with_columns(
        pl.when(pl.col("requester_kind") == "company")
        .then(pl.col("requester_sector").fill_null("company"))
        .otherwise(pl.col("requester_kind"))
        .alias("requester_group")
    )
    panel = Panel(
        key="agreements.list",
        title=Text("agreements.list.title"),
        definition=Text("def.agreements_list"),
        frame=frame,
        count_columns=("requests", "delivered"),
        margins=(Margin(("requests", "delivered")),),
        labels=(
            Names("requester_ko", "requester_en", "requester"),
            Names("hospitals_ko", "hospitals_en", "hospital_names"),
            Codes("requester_group", MIX_PREFIXES["requester_group"]),
            Codes("research_area", MIX_PREFIXES["area"]),
            Codes("status", MIX_PREFIXES["status"]),
        ),
        columns=(
            "agreement_id", "signed_on", "requester", "requester_group", "hospital_names", "hospitals",
            "research_area", "status", "title", "requests", "delivered", "ends_on",
        ),
    )
    return panel, matches


# --- one agreement ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Detail:
    view: PageView
    requester_id: str
    hospital_ids: tuple[str, ...]


def party_name(runner: Runner, institution_id: str, lang: str) -> str:
    """An institution's name in `lang`, to label a selection; its id when it is unknown."""
    row = first_row(runner.run("institution_name", {"institution_id": institution_id}))
    return localised_name(row["name_ko"], row["name_en"], lang) if row else institution_id


def detail(runner: Runner, agreement_id: str) -> Detail | None:
    """One agreement: its facts, its hospitals and its data requests (all of them, whatever the
    period: the detail describes the agreement itself). None when there is no such agreement."""
    head = first_row(runner.run("agreement_detail", {"agreement_id": agreement_id}))
    if not head:
        return None
    parties = _parties(runner, agreement_id)
    view = PageView(
        sheet="Agreement",
        title=Text.of("agreements.detail.title", id=head["agreement_id"]),
        kpis=_detail_kpis(head),
        panels=(
            _facts(head),
            parties,
            _requests(runner, agreement_id),
        ),
    )
    return Detail(view, head["requester_id"], tuple(parties.frame.get_column("hospital_id").to_list()))


def _detail_kpis(head: dict) -> tuple[Kpi, ...]:
    values = (
        ("hospitals", head["hospitals"], "count", True),
        ("requests", head["requests"], "count", True),
        ("delivered", head["delivered"], "count", True),
        ("open_requests", head["open_requests"], "count", False),
        ("records", head["records"], "count", True),
        ("median_lead_days", head["median_lead_days"], "days", False),
    )
    return tuple(
        Kpi(
            key=f"agreements.detail.{key}",
            label=Text(f"agreements.detail.kpi.{key}"),
            value=value,
            previous=None,
            unit=unit,
            definition=Text("def.agreement_detail"),
            higher_is_better=better,
        )
        for key, value, unit, better in values
    )


def _facts(head: dict) -> Panel:
    """The agreement's facts as rows of (item, value): shown as text, written as a sheet."""
    group = head["requester_sector"] if head["requester_kind"] == "company" else head["requester_kind"]
    return facts("agreements.detail.facts", Text("agreements.detail.facts.title"), Text("def.agreement_detail"), [
        ("agreement_id", head["agreement_id"]),
        ("title", head["title"] or "–"),
        ("requester", Name(head["requester_ko"], head["requester_en"])),
        ("requester_id", head["requester_id"]),
        ("requester_group", code_text(MIX_PREFIXES["requester_group"], group or "company")),
        ("research_area", code_text(MIX_PREFIXES["area"], head["research_area"])),
        ("status", code_text(MIX_PREFIXES["status"], head["status"])),
        ("signed_on", head["signed_on"].isoformat()),
        ("ends_on", head["ends_on"].isoformat() if head["ends_on"] else "–"),
    ])


def _parties(runner: Runner, agreement_id: str) -> Panel:
    frame = runner.run("agreement_parties", {"agreement_id": agreement_id})
    return Panel(
        key="agreements.detail.parties",
        title=Text("agreements.detail.parties.title"),
        definition=Text("def.agreement_detail"),
        frame=frame.with_columns(pl.col("median_lead_days").alias("median_days")),
        count_columns=("requests", "delivered"),
        margins=(Margin(("requests", "delivered")),),  # the agreement's row in the list
        labels=(
            Names("name_ko", "name_en", "hospital"), Region("region_code"),
            Codes("hospital_tier", ("enum.tier",), into="tier"),
        ),
        columns=("hospital_id", "hospital", "region", "tier", "requests", "delivered", "median_days"),
    )


def _requests(runner: Runner, agreement_id: str) -> Panel:
    return Panel(
        key="agreements.detail.requests",
        title=Text("agreements.detail.requests.title"),
        definition=Text("def.lead_time"),
        frame=runner.run("agreement_requests", {"agreement_id": agreement_id}),
        count_columns=("patients", "records"),
        labels=(
            Names("hospital_ko", "hospital_en", "hospital"),
            Codes("status", ("enum.request_status",)),
            Codes("data_type", ("enum.data_type",)),
            Codes("access_mode", ("enum.access_mode",)),
        ),
        columns=(
            "request_id", "hospital", "status", "data_type", "access_mode", "requested_on", "approved_on",
            "delivered_on", "days_to_approval", "days_approval_to_delivery", "lead_days", "patients", "records",
        ),
    )
