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

from oversight import schema
from oversight.filters import Filters
from oversight import kpis
from oversight.i18n import enum_label, localised_name, t
from oversight.queries import Runner
from oversight.regions import region_name
from oversight.views.common import first_row, localise_enum, localise_names, localise_region
from oversight.views.localise import code_words
from oversight.views.model import Chart, Codes, Kpi, Names, PageView, Panel, Region, Text

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


def sector_or_kind(kind: str | None, sector: str | None, lang: str) -> str:
    """What a requester is, in words: a company's sector, or the kind of any other institution."""
    if kind is None:
        return ""
    return code_words(GROUP_PREFIXES, sector if kind == "company" and sector else kind, lang)


_NAME_REGION = (Names("name_ko", "name_en", "name"), Region("region_code"))


def _hospital_league(runner: Runner, filters: Filters) -> Panel:
    frame = runner.run("hospital_league", filters.params())
    return Panel(
        key="institutions.hospitals",
        title=Text("institutions.hospitals.title"),
        definition=Text("def.institutions_hospital_league"),
        frame=frame.with_columns(pl.col("hospital_tier").alias("tier"), pl.col("median_lead_days").alias("median_days")),
        count_columns=("agreements", "requests", "delivered", "records"),
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
        chart=Chart(kind="scatter", x="requests", y="median_days", color="tier"),
        count_columns=("requests", "delivered", "agreements"),
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
        chart=Chart(kind="hbar", x="name", y="agreements"),
        count_columns=("agreements", "hospitals", "requests"),
        labels=requesters.labels,
        columns=("institution_id", "name", "requester_group", "agreements", "hospitals", "requests"),
    )


# --- one institution ----------------------------------------------------------------------------

def profile(runner: Runner, filters: Filters, lang: str, institution_id: str) -> PageView | None:
    """One institution in the chosen language; None when there is no such institution.

    Its counts for the period and its trends up to the period's end describe the institution as
    a whole: the region, kind, sector and area filters do not narrow a profile."""
    params = {"institution_id": institution_id, "date_from": filters.date_from, "date_to": filters.date_to}
    head = first_row(runner.run("institution_profile", params))
    if not head:
        return None
    name = localised_name(head["name_ko"], head["name_en"], lang)
    panels = [_facts(head, lang), _activity(runner, params, lang)]
    if head["kind"] == "hospital":
        panels.append(_quality(runner, params, lang))
    if head["safe_centre_since"] is not None:
        panels.append(_centre_use(runner, params, lang))
    panels += [_partners(runner, params, head["kind"], lang), _agreements(runner, params, lang)]
    return PageView(
        sheet="Institution",
        title=name,
        kpis=_profile_kpis(head, lang),
        panels=tuple(panels),
    )


def _profile_kpis(head: dict, lang: str) -> tuple[Kpi, ...]:
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
            label=t(f"institutions.profile.kpi.{partner_key if key == 'partners' else key}", lang),
            value=value,
            previous=None,
            unit=unit,
            definition=t("def.institutions_profile", lang),
            higher_is_better=better,
        )
        for key, value, unit, better in values
    )


def _facts(head: dict, lang: str) -> Panel:
    kind = head["kind"]
    rows = [
        ("institution_id", head["institution_id"]),
        ("name", localised_name(head["name_ko"], head["name_en"], lang)),
        ("name_other", localised_name(head["name_en"], head["name_ko"], lang)),
        ("kind", enum_label("kind", kind, lang)),
    ]
    if kind == "hospital":
        rows.append(("tier", enum_label("tier", head["hospital_tier"], lang) or "–"))
        rows.append(("infrastructure_since", str(head["infrastructure_since"] or "–")))
    if kind == "company":
        rows.append(("sector", sector_or_kind(kind, head["company_sector"], lang)))
    rows += [
        ("region", _region(head["region_code"], lang)),
        ("joined_on", head["joined_on"].isoformat()),
    ]
    if head["safe_centre_since"] is not None:
        rows.append(("safe_centre_since", head["safe_centre_since"].isoformat()))
    frame = pl.DataFrame({"item": [t(f"col.{key}", lang) for key, _ in rows], "value": [str(v) for _, v in rows]})
    return Panel(
        key="institutions.profile.facts",
        title=t("institutions.profile.facts.title", lang),
        definition=t("def.institutions_profile", lang),
        frame=frame,
    )


def _region(code: str | None, lang: str) -> str:
    return region_name(code, lang) if code else "–"


def _activity(runner: Runner, params: dict, lang: str) -> Panel:
    """Agreements, requests and deliveries by month, long form: one series each."""
    wide = runner.run("institution_activity_by_month", params)
    series = {
        "agreements": t("institutions.series.agreements", lang),
        "requests": t("institutions.series.requests", lang),
        "delivered": t("institutions.series.delivered", lang),
    }
    frame = (
        wide.unpivot(index="month", on=list(series), variable_name="series", value_name="count")
        .with_columns(pl.col("series").replace_strict(series))
        .sort("month", "series")
    )
    if not frame.get_column("count").sum():
        frame = frame.clear()  # nothing to draw: a centre or agency with no agreements or requests
    return Panel(
        key="institutions.profile.activity",
        title=t("institutions.profile.activity.title", lang),
        definition=t("def.institutions_activity", lang),
        frame=frame,
        chart=Chart(kind="line", x="month", y="count", color="series"),
        count_columns=("count",),
    )


def _quality(runner: Runner, params: dict, lang: str) -> Panel:
    frame = runner.run("hospital_quality_history", params)
    frame = frame.with_columns(
        pl.col("category").replace_strict(
            {"overall": t("institutions.quality.overall", lang)}
            | {c: enum_label("category", c, lang) for c in schema.QUALITY_CATEGORIES},
            default=pl.col("category"),
        )
    ).select("assessed_on", "category", "score", "passed", "failed", "not_applicable")
    return Panel(
        key="institutions.profile.quality",
        title=t("institutions.profile.quality.title", lang),
        definition=t("def.quality_score", lang),
        frame=frame,
        chart=Chart(kind="line", x="assessed_on", y="score", color="category", y_format=".0%"),
        count_columns=("passed", "failed", "not_applicable"),
        percent_columns=("score",),
    )


def _centre_use(runner: Runner, params: dict, lang: str) -> Panel:
    frame = runner.run("institution_centre_usage", params)
    return Panel(
        key="institutions.profile.centre",
        title=t("institutions.profile.centre.title", lang),
        definition=t("def.institutions_centre_use", lang),
        frame=frame,
        chart=Chart(kind="bar", x="month", y="sessions"),
        count_columns=("sessions", "researchers", "requests"),
    )


def _partners(runner: Runner, params: dict, kind: str, lang: str) -> Panel:
    frame = runner.run("institution_partners", params)
    frame = localise_region(localise_names(frame, "name_ko", "name_en", "name", lang), "region_code", lang)
    frame = localise_enum(frame, "kind", "kind", lang).select(
        pl.col("partner_id").alias("institution_id"), "name", "kind", "region", "agreements",
        "first_signed_on", "last_signed_on", "requests", "delivered",
    )
    side = "hospitals" if kind != "hospital" else "requesters"
    return Panel(
        key="institutions.profile.partners",
        title=t(f"institutions.profile.partners.title_{side}", lang),
        definition=t("def.institutions_partners", lang),
        frame=frame,
        count_columns=("agreements", "requests", "delivered"),
    )


def _agreements(runner: Runner, params: dict, lang: str) -> Panel:
    frame = runner.run("institution_agreements", params)
    frame = localise_names(frame, "requester_ko", "requester_en", "requester", lang)
    frame = localise_names(frame, "hospitals_ko", "hospitals_en", "hospital_names", lang)
    frame = localise_enum(frame, "research_area", "area", lang)
    frame = localise_enum(frame, "status", "agreement_status", lang).select(
        "agreement_id", "signed_on", "requester", "hospital_names", "research_area", "status", "title",
        "requests", "delivered", "ends_on",
    )
    return Panel(
        key="institutions.profile.agreements",
        title=t("institutions.profile.agreements.title", lang),
        definition=t("def.institutions_agreements", lang),
        frame=frame,
        count_columns=("requests", "delivered"),
    )
