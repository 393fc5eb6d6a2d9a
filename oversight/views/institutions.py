"""Institutions: the hospitals and requesters of the programme, side by side, and each one's profile.

`build` is the page (and the Excel sheet): KPIs, a workload-and-speed chart of hospitals, the
most active requesters, and the league tables of hospitals and of requesters. `profile` is one
institution: who it is, its activity in the period, its trends by month (for hospitals the
quality score by assessment, for safe centres their use), its partners and its agreements.

How the shared filters apply here: the region filter selects institutions by their own region;
the kind and sector filters select requesters (the requester league lists those; the hospital
league counts only their agreements and requests); the research area selects agreements and
requests; the period counts agreements by signing date, requests by request date and
deliveries by delivery date. Quality takes each hospital's latest assessment up to the period's end.
"""

from __future__ import annotations

import polars as pl

from oversight.filters import Filters
from oversight import kpis
from oversight.queries import Runner
from oversight.regions import region_name
from oversight.views.common import facts, first_row
from oversight.views.model import Chart, Codes, Kpi, Margin, Name, Names, Order, PageView, Panel, Region, Text, code_text

TOP_REQUESTERS = 15
SIDES = ("hospitals", "requesters")



def build(runner: Runner, filters: Filters) -> PageView:
    params = filters.params()
    now = first_row(runner.run("institution_kpis", params))
    before = first_row(runner.run("institution_kpis", filters.previous().params()))
    hospitals = _hospital_league(runner, filters)
    requesters = _requester_league(runner, filters)
    return PageView(
        sheet="Institutions",
        title=Text("page.institutions"),
        kpis=kpis.read("institution_kpis", now, before),
        panels=(
            _workload(hospitals),
            _top_requesters(requesters),
            hospitals,
            requesters,
        ),
    )


# What a requester is: a company's sector ("other" for a company of another sector), or the kind
# of any other institution (a company without a sector included).
GROUP_PREFIXES = ("institutions.group", "enum.sector", "enum.kind")
_GROUP = (
    pl.when((pl.col("kind") == "company") & pl.col("company_sector").is_not_null())
    .then(pl.col("company_sector"))
    .otherwise(pl.col("kind"))
)


def _group(kind: str, sector: str | None) -> str:
    """What a requester is (GROUP_PREFIXES): a company's sector, or its kind."""
    return sector if kind == "company" and sector else kind


_NAME_REGION = (Names("name_ko", "name_en", "name"), Region("region_code"))


def _hospital_league(runner: Runner, filters: Filters) -> Panel:
    frame = runner.run("hospital_league", filters.params())
    return Panel(
        key="institutions.hospitals",
        title=Text("institutions.hospitals.title"),
        definition=Text("def.institutions_hospital_league"),
        frame=frame.with_columns(
            pl.col("hospital_tier").alias("tier"), pl.col("median_lead_days").alias("median_days"),
        ),
        count_columns=("agreements", "requests", "delivered", "records"),
        # published totals: KPIs, Regions table
        margins=(
            Margin(("agreements", "requests", "delivered", "records")),
            Margin(("agreements", "delivered", "records"), by=("region_code",)),
        ),
        percent_columns=("score",),
        labels=(*_NAME_REGION, Codes("tier", ("enum.tier",))),
        columns=(
            "institution_id", "name", "region", "tier", "infrastructure_since", "safe_centre_since",
            "agreements", "requests", "delivered", "median_days", "records", "score", "passed", "failed",
            "assessed_on",
        ),
    )


def _requester_league(runner: Runner, filters: Filters) -> Panel:
    frame = runner.run("requester_league", filters.params())
    return Panel(
        key="institutions.requesters",
        title=Text("institutions.requesters.title"),
        definition=Text("def.institutions_requester_league"),
        frame=frame.with_columns(_GROUP.alias("requester_group"), pl.col("median_lead_days").alias("median_days")),
        count_columns=("agreements", "hospitals", "requests", "delivered", "records"),
        # published totals: KPIs, agreements by group
        margins=(
            Margin(("agreements", "requests", "delivered", "records")),
            Margin(("agreements",), by=("requester_group",)),
        ),
        labels=(*_NAME_REGION, Codes("requester_group", GROUP_PREFIXES)),
        columns=(
            "institution_id", "name", "requester_group", "region", "joined_on", "agreements", "hospitals",
            "requests", "delivered", "records", "median_days",
        ),
    )


def _workload(hospitals: Panel) -> Panel:
    """Hospitals that received requests: how many, against how fast they delivered."""
    return Panel(
        key="institutions.workload",
        title=Text("institutions.workload.title"),
        definition=Text("def.institutions_workload"),
        frame=hospitals.frame.filter(pl.col("requests") > 0),
        # drawn by oversight.charts.institutions.workload (a scatter, one point per hospital)
        chart=Chart(kind="workload", x="requests", y="median_days", color="tier"),
        count_columns=("requests", "delivered", "agreements"),
        # published totals: KPIs, Regions table
        margins=(
            Margin(("requests", "delivered", "agreements")),
            Margin(("delivered", "agreements"), by=("region_code",)),
        ),
        labels=hospitals.labels,
        columns=("institution_id", "name", "tier", "region", "requests", "delivered", "median_days", "agreements"),
    )


def _top_requesters(requesters: Panel) -> Panel:
    frame = (
        requesters.frame.filter(pl.col("agreements") > 0)
        .sort(["agreements", "requests", "institution_id"], descending=[True, True, False])
        .head(TOP_REQUESTERS)
    )
    return Panel(
        key="institutions.top_requesters",
        title=Text.of("institutions.top_requesters.title", n=TOP_REQUESTERS),
        definition=Text.of("def.institutions_top_requesters", n=TOP_REQUESTERS),
        frame=frame,
        chart=Chart(kind="top_requesters", x="name", y="agreements"),
        count_columns=("agreements", "hospitals", "requests"),
        labels=requesters.labels,
        columns=("institution_id", "name", "requester_group", "agreements", "hospitals", "requests"),
    )


# --- one institution ----------------------------------------------------------------------------

def profile(runner: Runner, filters: Filters, institution_id: str) -> PageView | None:
    """One institution; None when there is no such institution.

    Its counts for the period and its trends up to the period's end describe the institution as
    a whole: the region, kind, sector and area filters do not narrow a profile."""
    params = {"institution_id": institution_id, "date_from": filters.date_from, "date_to": filters.date_to}
    head = first_row(runner.run("institution_profile", params))
    if not head:
        return None
    panels = [_facts(head), _activity(runner, params)]
    if head["kind"] == "hospital":
        panels.append(_quality(runner, params))
    if head["safe_centre_since"] is not None:
        panels.append(_centre_use(runner, params))
    panels += [_partners(runner, params, head["kind"]), _agreements(runner, params)]
    return PageView(
        sheet="Institution",
        title=Name(head["name_ko"], head["name_en"]),
        kpis=_profile_kpis(head),
        panels=tuple(panels),
    )


def _profile_kpis(head: dict) -> tuple[Kpi, ...]:
    values = (
        ("agreements", head["agreements"], "count", True),
        ("agreements_to_date", head["agreements_to_date"], "count", True),
        ("partners", head["partners"], "count", True),
        ("requests", head["requests"], "count", True),
        ("delivered", head["delivered"], "count", True),
        ("median_lead_days", head["median_lead_days"], "days", False),
    )
    partner_key = "hospitals" if head["kind"] != "hospital" else "requesters"
    return tuple(
        Kpi(
            key=f"institutions.profile.{key}",
            label=Text(f"institutions.profile.kpi.{partner_key if key == 'partners' else key}"),
            value=value,
            previous=None,
            unit=unit,
            definition=Text("def.institutions_profile"),
            higher_is_better=better,
        )
        for key, value, unit, better in values
    )


def _facts(head: dict) -> Panel:
    kind = head["kind"]
    rows = [
        ("institution_id", head["institution_id"]),
        ("name", Name(head["name_ko"], head["name_en"])),
        ("name_other", Name(head["name_en"], head["name_ko"])),  # the name in the other language
        ("kind", code_text("enum.kind", kind)),
    ]
    if kind == "hospital":
        rows.append(("tier", code_text("enum.tier", head["hospital_tier"]) or "–"))
        rows.append(("infrastructure_since", str(head["infrastructure_since"] or "–")))
    if kind == "company":
        rows.append(("sector", code_text(GROUP_PREFIXES, _group(kind, head["company_sector"]))))
    code = head["region_code"]
    rows += [
        ("region", Name(region_name(code, "ko"), region_name(code, "en")) if code else "–"),
        ("joined_on", head["joined_on"].isoformat()),
    ]
    if head["safe_centre_since"] is not None:
        rows.append(("safe_centre_since", head["safe_centre_since"].isoformat()))
    return facts("institutions.profile.facts", Text("institutions.profile.facts.title"),
                 Text("def.institutions_profile"), rows)


ACTIVITY = ("agreements", "requests", "delivered")


def _activity(runner: Runner, params: dict) -> Panel:
    """Agreements, requests and deliveries by month, long form: one series each."""
    wide = runner.run("institution_activity_by_month", params)
    frame = wide.unpivot(index="month", on=list(ACTIVITY), variable_name="series", value_name="count")
    if not frame.get_column("count").sum():
        frame = frame.clear()  # nothing to draw: a centre or agency with no agreements or requests
    return Panel(
        key="institutions.profile.activity",
        title=Text("institutions.profile.activity.title"),
        definition=Text("def.institutions_activity"),
        frame=frame,
        chart=Chart(kind="line", x="month", y="count", color="series"),
        count_columns=("count",),
        margins=(Margin(("count",), by=("series",)),),  # the institution's row in the lists
        labels=(Codes("series", ("institutions.series",)),),
        order=Order(("month", "series")),
    )


def _quality(runner: Runner, params: dict) -> Panel:
    frame = runner.run("hospital_quality_history", params)
    categories = tuple(i for i, c in enumerate(frame.get_column("category").to_list()) if c != "overall")
    return Panel(
        key="institutions.profile.quality",
        title=Text("institutions.profile.quality.title"),
        definition=Text("def.quality_score"),
        frame=frame.select("assessed_on", "category", "score", "passed", "failed", "not_applicable"),
        chart=Chart(kind="line", x="assessed_on", y="score", color="category", y_format=".0%"),
        count_columns=("passed", "failed", "not_applicable"),
        # published totals: the overall rows
        margins=(Margin(("passed", "failed", "not_applicable"), by=("assessed_on",), rows=categories),),
        percent_columns=("score",),
        # "overall" is institutions.quality.overall
        labels=(Codes("category", ("institutions.quality", "enum.category")),),
    )


def _centre_use(runner: Runner, params: dict) -> Panel:
    frame = runner.run("institution_centre_usage", params)
    return Panel(
        key="institutions.profile.centre",
        title=Text("institutions.profile.centre.title"),
        definition=Text("def.institutions_centre_use"),
        frame=frame,
        chart=Chart(kind="bar", x="month", y="sessions"),
        count_columns=("sessions", "researchers", "requests"),
        margins=(Margin(("sessions", "researchers")),),  # the centre's row in the directory
    )


def _partners(runner: Runner, params: dict, kind: str) -> Panel:
    frame = runner.run("institution_partners", params)
    side = "hospitals" if kind != "hospital" else "requesters"
    return Panel(
        key="institutions.profile.partners",
        title=Text(f"institutions.profile.partners.title_{side}"),
        definition=Text("def.institutions_partners"),
        frame=frame.with_columns(pl.col("partner_id").alias("institution_id")),
        count_columns=("agreements", "requests", "delivered"),
        margins=(Margin(("agreements", "requests", "delivered")),),  # the institution's row in the lists
        labels=(*_NAME_REGION, Codes("kind", ("enum.kind",))),
        columns=(
            "institution_id", "name", "kind", "region", "agreements", "first_signed_on", "last_signed_on",
            "requests", "delivered",
        ),
    )


def _agreements(runner: Runner, params: dict) -> Panel:
    return Panel(
        key="institutions.profile.agreements",
        title=Text("institutions.profile.agreements.title"),
        definition=Text("def.institutions_agreements"),
        frame=runner.run("institution_agreements", params),
        count_columns=("requests", "delivered"),
        margins=(Margin(("requests", "delivered")),),  # the institution's row in the lists
        labels=(
            Names("requester_ko", "requester_en", "requester"),
            Names("hospitals_ko", "hospitals_en", "hospital_names"),
            Codes("research_area", ("enum.area",)),
            Codes("status", ("enum.agreement_status",)),
        ),
        columns=(
            "agreement_id", "signed_on", "requester", "hospital_names", "research_area", "status", "title",
            "requests", "delivered", "ends_on",
        ),
    )
