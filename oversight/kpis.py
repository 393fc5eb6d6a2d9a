"""The KPI catalogue: every headline figure that is one column of a query's row, compared with the
same row for the previous period of the same length.

One row a KPI: its key (as exports and tests know it), label, query, column, unit, direction and
definition, and where it has one, the sentence of detail beside it. A view reads its page's KPIs
with `read(query, now, before)`, in no language (oversight.views.localise words them); adding a
KPI is a row here and a column in the query.

Figures that are computed rather than read (the regions' concentration and inequality, the
quality scores of an assessment against the one before it) are built by their views.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from oversight.views.model import Kpi, Text

Row = dict  # one row of a KPI query, by column


@dataclass(frozen=True)
class KpiSpec:
    key: str
    label: str  # i18n key
    query: str  # the query whose single row holds it, for the period and for the previous one
    column: str
    unit: str  # a key of oversight.units.UNITS
    higher_is_better: bool
    definition: str  # i18n key
    detail: Callable[[Row, Row], Text | str] | None = None  # a sentence from the rows


# --- details: what stands beside a figure ------------------------------------------------------

def _quality_counts(now: Row, before: Row) -> Text | str:
    if now.get("quality_passed") is None:
        return ""
    return Text.of("overview.kpi.quality_detail", passed=f"{now['quality_passed']:,}",
             applicable=f"{now['quality_passed'] + now['quality_failed']:,}")


def _growth(column: str) -> Callable[[Row, Row], Text | str]:
    def detail(now: Row, before: Row) -> Text | str:
        if now.get(column) is None or not before.get(column):
            return ""
        return Text.of("agreements.kpi.growth_detail", pct=f"{now[column] / before[column] - 1:+.1%}")
    return detail


def _hospital_links(now: Row, before: Row) -> Text | str:
    if now.get("hospital_links") is None:
        return ""
    return Text.of("agreements.kpi.links_detail", links=f"{now['hospital_links']:,}", agreements=f"{now['signed']:,}")


def _delivered(now: Row, before: Row) -> Text | str:
    if not now.get("delivered"):
        return ""
    return Text.of("access.kpi.delivered_detail", records=f"{now['records_delivered']:,}",
             patients=f"{now['patients_delivered']:,}")


def _centre_share(now: Row, before: Row) -> Text | str:
    if now.get("requests") is None:
        return ""
    return Text.of("centres.kpi.share_detail", centre=f"{now['centre_requests']:,}", all=f"{now['requests']:,}")


def _researcher_months(now: Row, before: Row) -> Text | str:
    if now.get("researcher_months") is None:
        return ""
    return Text.of("centres.kpi.researcher_months_detail", n=f"{now['researcher_months']:,}")


def _satisfaction(now: Row, before: Row) -> Text | str:
    if not now.get("rated"):
        return ""
    return Text.of("consulting.kpi.satisfaction_detail", mean=f"{now['mean_satisfaction']:.2f}",
             rated=f"{now['rated']:,}")


def _spec(area: str, name: str, query: str, unit: str, better: bool, definition: str, *,
          key: str | None = None, column: str | None = None, detail=None) -> KpiSpec:
    return KpiSpec(key or name, f"{area}.kpi.{name}", query, column or name, unit, better, definition, detail)


CATALOGUE: tuple[KpiSpec, ...] = (
    # Overview
    _spec("overview", "institutions", "overview_kpis", "count", True, "def.institutions"),
    _spec("overview", "hospitals_with_agreements", "overview_kpis", "count", True, "def.hospitals_with_agreements"),
    _spec("overview", "agreements_signed", "overview_kpis", "count", True, "def.agreements_signed"),
    _spec("overview", "requests_delivered", "overview_kpis", "count", True, "def.requests_delivered"),
    _spec("overview", "median_lead_days", "overview_kpis", "days", False, "def.median_lead_days"),
    _spec("overview", "quality_score", "overview_kpis", "percent", True, "def.quality_score", detail=_quality_counts),
    # Agreements
    _spec("agreements", "signed", "agreement_kpis", "count", True, "def.agreements_signed",
          key="agreements.signed", detail=_growth("signed")),
    _spec("agreements", "in_force", "agreement_kpis", "count", True, "def.agreements_in_force",
          key="agreements.in_force", detail=_growth("in_force")),
    _spec("agreements", "requesters", "agreement_kpis", "count", True, "def.agreements_requesters",
          key="agreements.requesters", detail=_growth("requesters")),
    _spec("agreements", "hospitals_per_agreement", "agreement_kpis", "decimal", True,
          "def.agreements_hospitals_per_agreement", key="agreements.hospitals_per_agreement",
          detail=_hospital_links),
    # Institutions
    _spec("institutions", "hospitals", "institution_kpis", "count", True, "def.institutions_hospitals",
          key="institutions.hospitals"),
    _spec("institutions", "active_hospitals", "institution_kpis", "count", True, "def.institutions_active_hospitals",
          key="institutions.active_hospitals"),
    _spec("institutions", "requesters", "institution_kpis", "count", True, "def.institutions_requesters",
          key="institutions.requesters"),
    _spec("institutions", "active_requesters", "institution_kpis", "count", True,
          "def.institutions_active_requesters", key="institutions.active_requesters"),
    # Data access
    _spec("access", "requests_made", "access_kpis", "count", True, "def.access_requests_made"),
    _spec("access", "delivered", "access_kpis", "count", True, "def.requests_delivered", detail=_delivered),
    _spec("access", "median_lead_days", "access_kpis", "days", False, "def.median_lead_days"),
    _spec("access", "p90_lead_days", "access_kpis", "days", False, "def.access_p90_lead_days"),
    _spec("access", "open_pipeline", "access_kpis", "count", False, "def.access_open_pipeline"),
    # Safe centres
    _spec("centres", "sessions", "centre_kpis", "count", True, "def.centre_usage"),
    _spec("centres", "researcher_hours", "centre_kpis", "hours", True, "def.centre_usage", detail=_researcher_months),
    _spec("centres", "centre_share", "centre_kpis", "percent", True, "def.centre_share", detail=_centre_share),
    _spec("centres", "centres_reporting", "centre_kpis", "count", True, "def.centre_reporting"),
    # Consulting
    _spec("consulting", "consultations", "consultation_kpis", "count", True, "def.consulting_volume"),
    _spec("consulting", "hours", "consultation_kpis", "hours", True, "def.consulting_volume"),
    _spec("consulting", "satisfied_share", "consultation_kpis", "percent", True, "def.consulting_satisfaction",
          detail=_satisfaction),
    _spec("consulting", "institutions", "consultation_kpis", "count", True, "def.consulting_institutions"),
)


def of_query(query: str) -> tuple[KpiSpec, ...]:
    return tuple(spec for spec in CATALOGUE if spec.query == query)


def read(query: str, now: Row, before: Row) -> tuple[Kpi, ...]:
    """The KPIs `query` holds, from its row for the period and for the previous period."""
    return tuple(_kpi(spec, now, before) for spec in of_query(query))


def _kpi(spec: KpiSpec, now: Row, before: Row) -> Kpi:
    value, previous = now.get(spec.column), before.get(spec.column)
    if spec.unit == "decimal":  # compare what is shown: 1.914 against 1.912 is no change
        value, previous = (None if v is None else round(v, 2) for v in (value, previous))
    return Kpi(
        key=spec.key,
        label=Text(spec.label),
        value=value,
        previous=previous,
        unit=spec.unit,
        definition=Text(spec.definition),
        detail=spec.detail(now, before) if spec.detail else "",
        higher_is_better=spec.higher_is_better,
    )
