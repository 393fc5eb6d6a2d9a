"""Findings ranked on hand-made KPI sets: known answers fix the order, the words and what small
counts leave out."""

import math

import polars as pl
import pytest

from oversight import findings
from oversight.views.localise import words
from oversight.views.model import Kpi, PageView, Panel, Text


def kpi(key, value, previous, unit="count", better=True, label=None):
    return Kpi(key, label or key.replace("_", " ").capitalize(), value, previous, unit, "definition",
               higher_is_better=better)


def view(*kpis, panels=(), sheet="Overview"):
    return PageView(sheet, "Overview", kpis=kpis, panels=panels)


def test_a_large_change_against_its_usual_movement_ranks_above_a_small_one():
    # 17 regions unchanged; lead time up 40% (41 -> 57 days); institutions 500 -> 520 (z = 20/sqrt(1020))
    found = findings.ranked(view(
        kpi("regions", 17, 17),
        kpi("institutions", 520, 500),
        kpi("median_lead_days", 57.0, 41.0, "days", better=False),
    ))
    assert [f.kpi for f in found] == ["median_lead_days", "institutions", "regions"]
    lead, institutions, regions = found
    z = 16 / (0.1 * 57)
    assert lead.score == pytest.approx(2 * math.log1p(z) * findings.WORSE_WEIGHT, rel=1e-6)
    assert institutions.score == pytest.approx(2 * math.log1p(20 / math.sqrt(1020)), rel=1e-6)
    assert regions.score == 0
    assert words(lead.title, "en") == "Median lead days up 16 days to 57 days (+39%)"
    assert words(lead.title, "ko") == "Median lead days 57일, 직전 기간보다 16일 늘어남 (+39%)"
    assert words(regions.title, "en") == "Regions unchanged at 17"
    assert lead.panel == "access.lead_by_data_type" and institutions.panel == "overview.adoption"


def test_the_same_change_for_the_worse_outranks_it_for_the_better():
    found = findings.ranked(view(kpi("delivered", 150, 100), kpi("open_pipeline", 150, 100, better=False),
                                 sheet="Access"))
    assert [f.kpi for f in found] == ["open_pipeline", "delivered"]
    assert words(found[0].sentence, "en").endswith("a deterioration.")
    assert words(found[1].sentence, "ko").endswith("개선입니다.")


def test_crossing_the_quality_line_outranks_a_bigger_move_that_crosses_nothing():
    found = findings.ranked(view(
        kpi("quality_score", 0.895, 0.905, "percent"),  # 1 point, across 90%
        kpi("satisfied_share", 0.80, 0.77, "percent"),  # 3 points, no line
    ))
    assert [f.kpi for f in found] == ["quality_score", "satisfied_share"]
    assert found[0].score == pytest.approx(2 * math.log1p(1.0) * findings.WORSE_WEIGHT + findings.CROSSED_SCORE)
    assert words(found[0].title, "en") == "Quality score fell below the 90.0% line to 89.5%"
    assert words(found[1].title, "en") == "Satisfied share up 3.0 points to 80.0%"


def test_small_counts_are_neither_written_nor_ranked():
    found = findings.ranked(view(kpi("centres", 3, 9), kpi("agreements", 12, 4), kpi("hospitals", 40, 30)), threshold=5)
    assert [f.kpi for f in found] == ["hospitals", "centres", "agreements"]
    small = found[1:]
    assert all(f.score == 0 and f.value is None and f.previous is None for f in small)
    assert words(small[0].title, "en") == "Centres: fewer than 5 (small counts are not published)"
    assert all(str(n) not in words(f.sentence, lang) for f in small for n in (3, 4, 9, 12) for lang in ("ko", "en"))


def test_an_alert_list_is_a_finding_and_a_short_one_is_not_counted_out():
    alerts = Panel("overview.quality_alerts", Text("overview.quality_alerts.title"), "def",
                   pl.DataFrame({"institution_id": [f"H{i}" for i in range(35)]}))
    waiting = Panel("overview.waiting", "Waiting", "def", pl.DataFrame({"request_id": ["R1", "R2"]}))
    found = findings.ranked(view(kpi("regions", 17, 17), panels=(alerts, waiting)), threshold=5)
    assert [f.key for f in found] == [
        "Overview.overview.quality_alerts", "Overview.overview.waiting", "Overview.regions"]
    assert found[0].score == pytest.approx(findings.ALERT_SCORE + math.log1p(35) / 2)
    assert found[0].attention and found[0].value == 35
    assert words(found[1].title, "en") == "Waiting: fewer than 5"


def test_across_pages_a_figure_stated_twice_is_kept_once_from_the_first_page():
    overview = view(kpi("median_lead_days", 57.0, 41.0, "days", better=False), kpi("institutions", 520, 500))
    access = view(kpi("median_lead_days", 57.0, 41.0, "days", better=False),
                  kpi("open_pipeline", 300, 100, better=False), sheet="Access")
    found = findings.ranked_across([overview, access])
    assert [f.key for f in found] == ["Access.open_pipeline", "Overview.median_lead_days", "Overview.institutions"]
    top = findings.key_messages(found, most=2)
    assert [f.key for f in top] == ["Access.open_pipeline", "Overview.median_lead_days"]


def test_no_value_no_finding_and_no_previous_says_so():
    found = findings.ranked(view(kpi("institutions", None, 3), kpi("hospitals", 12, None)))
    assert [f.kpi for f in found] == ["hospitals"]
    assert words(found[0].title, "en") == "Hospitals: 12, no value for the previous period"
