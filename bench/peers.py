"""Pandas peers: a page's figures as an analyst would compute them without the app.

Each peer reads the same database tables the page's queries read into pandas (DuckDB `.df()`,
only the columns it needs), then filters, merges and groups in pandas. It is timed beside the
app in the same run, so the ratio holds however fast the machine is; and it must give exactly
the app's figures (tests/unit/test_bench.py checks that on the fixture, bench/run.py on every scale),
or the comparison would be meaningless.

Add a peer for a page with one decorated function:

    @peer("pages/agreements.py", sheet="Agreements", panels=("agreements.by_area",))
    def agreements(read, filters, lang) -> dict:
        ...
        return {"panel.agreements.by_area": frame}

`read(table, columns)` returns a pandas DataFrame (timed apart as reading). The function returns
the figures keyed as `figures_from_view` keys the app's: `kpi.<key>` -> (value, previous) for
every KPI when `kpis=True`, and `panel.<key>` -> the panel's frame for each panel named.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import polars as pl

from oversight.filters import Filters
from oversight.i18n import enum_label, t

Reader = Callable[[str, list[str]], pd.DataFrame]


@dataclass(frozen=True)
class Peer:
    page: str  # as listed in app.py
    sheet: str  # the view's name in oversight.pages.SHEETS
    kpis: bool
    panels: tuple[str, ...]
    compute: Callable[[Reader, Filters, str], dict]


PEERS: dict[str, Peer] = {}


def peer(page: str, sheet: str, kpis: bool = False, panels: tuple[str, ...] = ()):
    def register(function: Callable[[Reader, Filters, str], dict]):
        PEERS[page] = Peer(page, sheet, kpis, panels, function)
        return function

    return register


# --- comparing ------------------------------------------------------------------------------------

def figures_from_view(view, peer: Peer) -> dict:
    """The figures of the app's view that the peer computes too."""
    figures: dict = {}
    if peer.kpis:
        figures.update({f"kpi.{k.key}": (k.value, k.previous) for k in view.kpis})
    for key in peer.panels:
        figures[f"panel.{key}"] = view.panel(key).frame
    return figures


def app_figures(peer: Peer, runner, filters: Filters, lang: str) -> dict:
    from oversight.pages import SHEETS
    from oversight.views.localise import view_in

    return figures_from_view(view_in(SHEETS[peer.sheet], runner, filters, lang), peer)


def differences(app: dict, other: dict, rel: float = 1e-9) -> list[str]:
    """Where two sets of figures disagree (empty when they are equal)."""
    found = []
    for key in sorted(set(app) | set(other)):
        if key not in app or key not in other:
            found.append(f"{key}: only in {'the app' if key in app else 'the peer'}")
            continue
        a, b = app[key], other[key]
        if isinstance(a, pl.DataFrame) or isinstance(b, (pl.DataFrame, pd.DataFrame)):
            found += [f"{key}: {d}" for d in _frame_differences(_to_polars(a), _to_polars(b), rel)]
        elif not _same(a, b, rel):
            found.append(f"{key}: app {a!r}, peer {b!r}")
    return found


def _to_polars(frame) -> pl.DataFrame:
    return pl.from_pandas(frame) if isinstance(frame, pd.DataFrame) else frame


def _frame_differences(a: pl.DataFrame, b: pl.DataFrame, rel: float) -> list[str]:
    if a.columns != b.columns:
        return [f"columns {a.columns} != {b.columns}"]
    if a.height != b.height:
        return [f"{a.height} rows != {b.height} rows"]
    found = []
    for index, (left, right) in enumerate(zip(a.iter_rows(), b.iter_rows(), strict=True)):
        if not all(_same(x, y, rel) for x, y in zip(left, right, strict=True)):
            found.append(f"row {index}: app {left}, peer {right}")
            if len(found) >= 5:
                break
    return found


def _same(a, b, rel: float) -> bool:
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(_same(x, y, rel) for x, y in zip(a, b, strict=True))
    a, b = _plain(a), _plain(b)
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(a, b, rel_tol=rel, abs_tol=1e-12)
    return a == b


def _plain(value):
    """pandas and numpy scalars as Python values; NaN and NaT as None."""
    if value is None or value is pd.NaT:
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    return value


# --- timing -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PeerRun:
    figures: dict
    read_seconds: float
    compute_seconds: float

    @property
    def seconds(self) -> float:
        return self.read_seconds + self.compute_seconds


def run_peer(peer: Peer, cursor_factory, filters: Filters, lang: str) -> PeerRun:
    """One timed run: reading the tables into pandas, then computing."""
    read_seconds = 0.0

    def read(table: str, columns: list[str]) -> pd.DataFrame:
        nonlocal read_seconds
        started = time.perf_counter()
        cursor = cursor_factory()
        try:
            return cursor.table(table).select(*columns).df()
        finally:
            cursor.close()
            read_seconds += time.perf_counter() - started

    started = time.perf_counter()
    figures = peer.compute(read, filters, lang)
    total = time.perf_counter() - started
    return PeerRun(figures, read_seconds, total - read_seconds)


# --- the peers --------------------------------------------------------------------------------------

def _in(series: pd.Series, chosen: tuple[str, ...]) -> pd.Series:
    """The shared filters' rule: an empty selection means all."""
    return series.isin(chosen) if chosen else pd.Series(True, index=series.index)


def _any_in(lists: pd.Series, chosen: tuple[str, ...]) -> pd.Series:
    if not chosen:
        return pd.Series(True, index=lists.index)
    wanted = set(chosen)
    return lists.map(lambda values: bool(wanted.intersection(values)))


def _ts(day: dt.date) -> pd.Timestamp:
    return pd.Timestamp(day)


def _overview_kpis(tables: dict, f: Filters) -> dict:
    inst, agr, req, qual = tables["institutions"], tables["agreement_facts"], tables["request_facts"], tables["quality_summary"]
    start, end = _ts(f.date_from), _ts(f.date_to)

    institutions = inst[
        (inst["joined_on"] <= end) & _in(inst["region_code"], f.regions)
        & _in(inst["kind"], f.kinds) & _in(inst["company_sector"], f.sectors)
    ]
    agreements = agr[
        (agr["signed_on"] <= end) & _in(agr["research_area"], f.areas)
        & _in(agr["requester_kind"], f.kinds) & _in(agr["requester_sector"], f.sectors)
        & _any_in(agr["hospital_regions"], f.regions)
    ]
    parties = agreements[["hospital_ids"]].explode("hospital_ids").dropna()
    parties = parties.merge(inst[["institution_id", "region_code"]], left_on="hospital_ids", right_on="institution_id")
    hospitals = parties.loc[_in(parties["region_code"], f.regions), "hospital_ids"].nunique()

    delivered = req[
        (req["delivered_on"] >= start) & (req["delivered_on"] <= end)
        & _in(req["research_area"], f.areas) & _in(req["requester_kind"], f.kinds)
        & _in(req["requester_sector"], f.sectors) & _in(req["hospital_region"], f.regions)
    ]

    hospitals_in_region = inst.loc[_in(inst["region_code"], f.regions), ["institution_id"]]
    assessed = qual[qual["assessed_on"] <= end].merge(hospitals_in_region, on="institution_id")
    latest = assessed.groupby("institution_id", as_index=False)["assessed_on"].max()
    quality = qual.merge(latest, on=["institution_id", "assessed_on"])
    passed, failed = (int(quality["passed"].sum()), int(quality["failed"].sum())) if len(quality) else (None, None)
    applicable = None if passed is None else passed + failed
    return {
        "institutions": len(institutions),
        "hospitals_with_agreements": int(hospitals),
        "agreements_signed": int((agreements["signed_on"] >= start).sum()),
        "requests_delivered": len(delivered),
        "median_lead_days": float(delivered["lead_days"].median()) if len(delivered) else None,
        "quality_score": passed / applicable if applicable else None,
    }


def _cumulative_by_month(frame: pd.DataFrame, day: str, group: str, end: dt.date) -> pd.DataFrame:
    """Running totals per group for every month from the first one up to the month of `end`."""
    if frame.empty:
        return pd.DataFrame({"month": [], group: [], "cumulative": []})
    months = frame[day].dt.to_period("M")
    counts = frame.assign(month=months).groupby(["month", group]).size()
    every = pd.period_range(months.min(), pd.Period(end, freq="M"), freq="M")
    grid = pd.MultiIndex.from_product([every, sorted(frame[group].unique())], names=["month", group])
    counts = counts.reindex(grid, fill_value=0)
    cumulative = counts.groupby(level=group).cumsum().rename("cumulative").reset_index()
    cumulative["month"] = cumulative["month"].dt.to_timestamp().dt.date
    return cumulative


def _adoption(tables: dict, f: Filters, lang: str) -> pd.DataFrame:
    inst, agr = tables["institutions"], tables["agreement_facts"]
    end = _ts(f.date_to)
    joined = inst[
        (inst["joined_on"] <= end) & _in(inst["region_code"], f.regions)
        & _in(inst["kind"], f.kinds) & _in(inst["company_sector"], f.sectors)
    ]
    institutions = _cumulative_by_month(joined, "joined_on", "kind", f.date_to)
    institutions["series"] = institutions["kind"].map(lambda kind: enum_label("kind", kind, lang))

    signed = agr[
        (agr["signed_on"] <= end) & _in(agr["research_area"], f.areas)
        & _in(agr["requester_kind"], f.kinds) & _in(agr["requester_sector"], f.sectors)
        & _any_in(agr["hospital_regions"], f.regions)
    ]
    agreements = _cumulative_by_month(signed, "signed_on", "requester_kind", f.date_to)
    agreements = agreements.groupby("month", as_index=False)["cumulative"].sum()
    agreements["series"] = t("overview.series.agreements", lang)

    frame = pd.concat([institutions[["month", "series", "cumulative"]], agreements[["month", "series", "cumulative"]]])
    frame = frame.sort_values(["month", "series"], kind="stable").reset_index(drop=True)
    return frame.astype({"cumulative": "int64"})


@peer("pages/overview.py", sheet="Overview", kpis=True, panels=("overview.adoption",))
def overview(read: Reader, filters: Filters, lang: str) -> dict:
    """The six KPIs, now and in the previous period, and the adoption trend."""
    tables = {
        "institutions": read("institutions", ["institution_id", "kind", "company_sector", "region_code", "joined_on"]),
        "agreement_facts": read("agreement_facts", ["signed_on", "research_area", "requester_kind",
                                                    "requester_sector", "hospital_ids", "hospital_regions"]),
        "request_facts": read("request_facts", ["delivered_on", "lead_days", "research_area", "requester_kind",
                                                "requester_sector", "hospital_region"]),
        "quality_summary": read("quality_summary", ["institution_id", "assessed_on", "passed", "failed"]),
    }
    now, before = _overview_kpis(tables, filters), _overview_kpis(tables, filters.previous())
    figures = {f"kpi.{key}": (now[key], before[key]) for key in now}
    figures["panel.overview.adoption"] = _adoption(tables, filters, lang)
    return figures
