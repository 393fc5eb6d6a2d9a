"""Findings: a view's KPIs and its "needs attention" lists as ranked, worded findings.

Pure (no Streamlit, no query): what the Overview's "what changed", the meeting deck, presentation
mode and the one-page briefing put first. The interface:

    @dataclass(frozen=True) class Finding:
        key      "Overview.agreements_signed", "Overview.overview.waiting": unique across pages
        score    significance, 0 and up; higher is more important (how it is computed: below)
        title    Text: the action title, the finding stated ("체결 협약 1,468건, 직전 기간보다 954건 늘어남 (+186%)")
        sentence Text: the same with its context (previous value, the change against its usual movement)
        panel    the key of the panel whose chart shows it (maybe on another page), or None
        kpi      the KPI's key (None for an attention list)
        sheet    the view it comes from
        unit, value, previous: the figures it states (None where suppressed), for read-back tests
        attention True for a "needs attention" list; worse True for a change for the worse

    ranked(view, threshold=None, usual=None) -> list[Finding]     one page's findings, best first
    ranked_across(views, threshold=None, usual=None) -> list[Finding]   the whole programme's:
        every page's findings, the same figure met on two pages kept once (the first page's)
    words(finding.title, lang) (oversight.views.localise.words) writes a Text in a language.

Views may be built (labels are Texts) or already localised (labels are words): the Texts built
here carry what the view holds, so a localised view's findings are in its language.

The score of a KPI finding grows with the size of its change against the previous period relative
to its usual movement, z = |change| / usual movement, as 2 ln(1 + z) (a change ten times the usual
is not ten times the news), times WORSE_WEIGHT when the change is for the worse, plus CROSSED_SCORE
when it crossed a programme threshold (the quality alert line). A KPI's usual
movement is given by the caller (`usual`, by KPI key: e.g. the spread of its monthly series) or,
without one, taken from its unit: a count is a Poisson count (the difference of two has a spread
of sqrt(now + before)); a rate moves by RATE_MOVEMENT (one percentage point); days, hours and
other amounts by AMOUNT_MOVEMENT of the larger of the two values. An attention list (hospitals below the
quality line, requests waiting too long) is an alert raised: ALERT_SCORE plus ln(1 + its length) / 2.
Suppression-safe: a count under the threshold now or before is neither written nor ranked (score
0, worded "fewer than n"); nor is a list shorter than the threshold written out.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from oversight import config, programme, units
from oversight.views.model import Kpi, PageView, Panel, Text

WORSE_WEIGHT = 1.25
CROSSED_SCORE = 3.0
ALERT_SCORE = 3.0
RATE_MOVEMENT = 0.01
AMOUNT_MOVEMENT = 0.10
KEY_MESSAGES = (3, 5)  # the deck and the briefing state between 3 and 5

# Thresholds the programme watches, by KPI key: crossing one is a finding in itself.
THRESHOLDS: dict[str, float] = {
    "quality_score": programme.QUALITY_ALERT_THRESHOLD,
    "quality.network_score": programme.QUALITY_ALERT_THRESHOLD,
    "quality.median_score": programme.QUALITY_ALERT_THRESHOLD,
}

# The panel whose chart shows a KPI, by (sheet, KPI key); it may be on another page (the Overview's
# agreements are drawn month by month on the Agreements page).
PANELS: dict[tuple[str, str], str] = {
    ("Overview", "institutions"): "overview.adoption",
    ("Overview", "hospitals_with_agreements"): "agreements.network",
    ("Overview", "agreements_signed"): "agreements.monthly",
    ("Overview", "requests_delivered"): "access.funnel",
    ("Overview", "median_lead_days"): "access.lead_by_data_type",
    ("Overview", "quality_score"): "quality.trend",
    ("Agreements", "agreements.signed"): "agreements.monthly",
    ("Agreements", "agreements.in_force"): "agreements.by_status",
    ("Agreements", "agreements.requesters"): "agreements.by_requester_group",
    ("Agreements", "agreements.hospitals_per_agreement"): "agreements.network",
    ("Institutions", "institutions.hospitals"): "institutions.workload",
    ("Institutions", "institutions.active_hospitals"): "institutions.workload",
    ("Institutions", "institutions.requesters"): "institutions.top_requesters",
    ("Institutions", "institutions.active_requesters"): "institutions.top_requesters",
    ("Access", "requests_made"): "access.funnel",
    ("Access", "delivered"): "access.funnel",
    ("Access", "median_lead_days"): "access.lead_by_data_type",
    ("Access", "p90_lead_days"): "access.lead_by_hospital",
    ("Access", "open_pipeline"): "access.pipeline",
    ("Centres", "sessions"): "centres.usage",
    ("Centres", "researcher_hours"): "centres.usage",
    ("Centres", "centre_share"): "centres.share",
    ("Centres", "centres_reporting"): "centres.history",
    ("Consulting", "consultations"): "consulting.by_month",
    ("Consulting", "hours"): "consulting.by_topic",
    ("Consulting", "satisfied_share"): "consulting.satisfaction",
    ("Consulting", "institutions"): "consulting.by_topic",
    ("Regions", "capital_share_institutions"): "regions.capital_share",
    ("Regions", "capital_share_agreements"): "regions.capital_share",
    ("Regions", "capital_share_requests_delivered"): "regions.capital_share",
    ("Regions", "hoover_agreements"): "regions.inequality",
    ("Regions", "hoover_requests_delivered"): "regions.inequality",
    ("Regions", "regions_with_agreements"): "regions.trends",
    ("Quality", "quality.network_score"): "quality.trend",
    ("Quality", "quality.median_score"): "quality.trend",
    ("Quality", "quality.hospitals"): "quality.distribution",
    ("Quality", "quality.below_threshold"): "quality.distribution",
    ("Quality", "quality.improved"): "quality.quarters",
    ("Quality", "quality.regressed"): "quality.quarters",
}

# "Needs attention" lists: a panel of rows that each ask for action.
ATTENTION = ("overview.quality_alerts", "overview.waiting", "quality.flagged")


@dataclass(frozen=True)
class Finding:
    key: str
    score: float
    title: Text
    sentence: Text
    panel: str | None
    kpi: str | None
    sheet: str
    unit: str = "count"
    value: float | None = None
    previous: float | None = None
    attention: bool = False
    worse: bool = False  # a change for the worse (what needs attention, beside the alert lists)


def _figure(value: float, unit: str) -> Text:
    """A value as the screen writes it (units.format_value), in no language."""
    spec = units.unit(unit)
    number = f"{value * spec.scale:,.{spec.decimals}f}" + ("%" if spec.scale == 100 else "")
    return Text.of("finding.figure", value=number, suffix=Text(spec.suffix_key) if spec.suffix_key else "")


def _difference(change: float, unit: str) -> Text:
    """The size of a change: points for a rate, the unit's amount otherwise."""
    if units.unit(unit).scale == 100:
        return Text.of("finding.points", value=units.format_change(abs(change), unit).lstrip("+").removesuffix("%p"))
    return _figure(abs(change), unit)


def usual_movement(kpi: Kpi) -> float:
    """How much the KPI moves between periods without anything happening, from its unit."""
    if kpi.unit == "count":
        return max(math.sqrt(abs(kpi.value) + abs(kpi.previous)), 1.0)
    if kpi.unit == "percent":
        return RATE_MOVEMENT
    return max(AMOUNT_MOVEMENT * max(abs(kpi.previous), abs(kpi.value)), 10 ** -units.unit(kpi.unit).decimals)


def _crossed(kpi: Kpi) -> float | None:
    line = THRESHOLDS.get(kpi.key)
    if line is None or kpi.value is None or kpi.previous is None:
        return None
    return line if (kpi.previous >= line) != (kpi.value >= line) else None


def kpi_finding(kpi: Kpi, sheet: str, threshold: int | None = None, usual: float | None = None) -> Finding | None:
    """The KPI as a finding; None without a value."""
    if kpi.value is None:
        return None
    n = config.SUPPRESSION_THRESHOLD if threshold is None else threshold
    common = dict(key=f"{sheet}.{kpi.key}", panel=PANELS.get((sheet, kpi.key)), kpi=kpi.key, sheet=sheet,
                  unit=kpi.unit)
    small = kpi.unit == "count" and any(v is not None and 0 < v < n for v in (kpi.value, kpi.previous))
    if small:
        text = Text.of("finding.title.small", label=kpi.label, under=n)
        return Finding(score=0.0, title=text, sentence=text, **common)
    value = _figure(kpi.value, kpi.unit)
    figures = dict(value=kpi.value, previous=kpi.previous)
    if kpi.previous is None:
        text = Text.of("finding.title.no_previous", label=kpi.label, value=value)
        return Finding(score=0.0, title=text, sentence=text, **common, **figures)
    spec = units.unit(kpi.unit)
    change = spec.shown(kpi.value) - spec.shown(kpi.previous)
    previous = _figure(kpi.previous, kpi.unit)
    if change == 0:
        title = Text.of("finding.title.same", label=kpi.label, value=value)
        sentence = Text.of("finding.sentence.same", label=kpi.label, value=value, previous=previous)
        return Finding(score=0.0, title=title, sentence=sentence, **common, **figures)
    movement = usual if usual else usual_movement(kpi)
    z = abs(change) / movement
    worse = (change > 0) != kpi.higher_is_better
    line = _crossed(kpi)
    score = 2 * math.log1p(z) * (WORSE_WEIGHT if worse else 1.0) + (CROSSED_SCORE if line is not None else 0.0)
    direction = "up" if change > 0 else "down"
    relative = "" if spec.scale == 100 or not kpi.previous else f" ({change / kpi.previous:+.0%})"
    args = dict(label=kpi.label, value=value, delta=_difference(change, kpi.unit), relative=relative)
    if line is not None:
        title = Text.of(f"finding.title.crossed_{'above' if change > 0 else 'below'}",
                        line=_figure(line, "percent"), **args)
    elif kpi.previous == 0:  # nothing in the previous period: "up 1,054 to 1,054" says it badly
        title = Text.of("finding.title.new", **args)
    else:
        title = Text.of(f"finding.title.{direction}", **args)
    sentence = Text.of(
        f"finding.sentence.{direction}", previous=previous, ratio=f"{abs(change) / movement:,.1f}",
        verdict=Text(f"finding.verdict.{'worse' if worse else 'better'}"), **args,
    )
    return Finding(score=round(score, 6), title=title, sentence=sentence, worse=worse, **common, **figures)


def attention_finding(panel: Panel, sheet: str, threshold: int | None = None) -> Finding:
    """A "needs attention" list as an alert: how many rows ask for action."""
    n = config.SUPPRESSION_THRESHOLD if threshold is None else threshold
    rows = panel.frame.height
    common = dict(key=f"{sheet}.{panel.key}", panel=panel.key, kpi=None, sheet=sheet, attention=True)
    if rows == 0:
        text = Text.of("finding.attention.none", title=panel.title)
        return Finding(score=0.0, title=text, sentence=text, **common)
    if rows < n:
        text = Text.of("finding.attention.small", title=panel.title, under=n)
        return Finding(score=ALERT_SCORE, title=text, sentence=text, **common)
    score = ALERT_SCORE + math.log1p(rows) / 2
    title = Text.of("finding.attention.title", title=panel.title, n=f"{rows:,}")
    return Finding(score=score, title=title, sentence=title, value=rows, **common)


def _order(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: -f.score)  # stable: ties keep the page's order


def ranked(view: PageView, threshold: int | None = None, usual: Mapping[str, float] | None = None) -> list[Finding]:
    """The view's findings, the most significant first."""
    usual = usual or {}
    found = [kpi_finding(kpi, view.sheet, threshold, usual.get(kpi.key)) for kpi in view.kpis]
    found += [attention_finding(p, view.sheet, threshold) for p in view.panels if p.key in ATTENTION]
    return _order(f for f in found if f is not None)


def _same_figure(finding: Finding) -> tuple:
    """Two pages stating one figure (the Overview's and the Access page's lead time) agree on it."""
    if finding.attention:
        return ("attention", finding.value)  # the Overview's list of low scores is the Quality page's
    return (finding.unit, finding.value, finding.previous)


def ranked_across(views: Iterable[PageView], threshold: int | None = None,
                  usual: Mapping[str, float] | None = None) -> list[Finding]:
    """The whole programme's findings, best first; a figure met on several pages once."""
    seen, found = set(), []
    for view in views:
        for finding in ranked(view, threshold, usual):
            if _same_figure(finding) in seen:
                continue
            seen.add(_same_figure(finding))
            found.append(finding)
    return _order(found)


def key_messages(findings: list[Finding], most: int = KEY_MESSAGES[1],
                 shows: Callable[[str], bool] | None = None) -> list[Finding]:
    """The findings a meeting hears first: the top ones with a score (at least KEY_MESSAGES[0]
    when there are that many), one a chart: a finding shown by a chart an earlier one has is
    left to the full list (requests made and delivered are one funnel), and so is one whose
    chart `shows(panel key)` says cannot show it (e.g. most of it hidden as small counts)."""
    scored = [f for f in findings if f.score > 0]
    chosen, charts = [], set()
    for finding in scored if len(scored) >= KEY_MESSAGES[0] else findings:
        if finding.panel is not None and (finding.panel in charts or (shows and not shows(finding.panel))):
            continue
        charts.add(finding.panel)
        chosen.append(finding)
    return chosen[:most]
