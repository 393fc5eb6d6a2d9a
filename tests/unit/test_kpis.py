"""The KPI catalogue: every row names a query that declares its column, words that exist in both
languages, a known unit; the views read their KPIs from it."""

from oversight import i18n, kpis, queries
from oversight.views.model import Kpi
from oversight.views.localise import localise_kpi

from oversight.units import UNITS


def test_every_row_of_the_catalogue_is_well_formed():
    problems = []
    keys = [(spec.query, spec.key) for spec in kpis.CATALOGUE]  # a key names a KPI within its page
    problems += [f"key {k} twice" for k in set(keys) if keys.count(k) > 1]
    catalogue = i18n.catalogue()
    for spec in kpis.CATALOGUE:
        try:
            columns = queries.get(spec.query).columns
        except queries.QueryError as exc:
            problems.append(f"{spec.key}: {exc}")
            continue
        if spec.column not in columns:
            problems.append(f"{spec.key}: {spec.query} declares no column {spec.column}")
        problems += [f"{spec.key}: no words for {k}" for k in (spec.label, spec.definition) if k not in catalogue]
        if spec.unit not in UNITS:
            problems.append(f"{spec.key}: unit {spec.unit}")
    assert problems == []


def test_a_kpi_is_read_from_the_rows_of_the_period_and_the_one_before():
    now = {"signed": 6, "in_force": 9, "requesters": 4, "hospitals_per_agreement": 1.914,
           "hospital_links": 11, "signed_prev": None}
    before = {"signed": 4, "in_force": 9, "requesters": None, "hospitals_per_agreement": 1.912}
    read = {k.key: localise_kpi(k, "en") for k in kpis.read("agreement_kpis", now, before)}
    assert list(read) == ["agreements.signed", "agreements.in_force", "agreements.requesters",
                          "agreements.hospitals_per_agreement"]
    signed = read["agreements.signed"]
    assert isinstance(signed, Kpi) and (signed.value, signed.previous, signed.change) == (6, 4, 2)
    assert "+50.0%" in signed.detail  # growth against the previous period
    assert read["agreements.requesters"].detail == ""  # no previous figure, no growth
    per = read["agreements.hospitals_per_agreement"]
    assert (per.value, per.previous, per.change) == (1.91, 1.91, 0)  # what is shown is compared
    assert "11" in per.detail and "6" in per.detail
    assert kpis.read("no_such_query", now, before) == ()
