"""Synthetic page views for the export tests: every chart kind, every value type, small counts,
Korean text and names that try to be formulas or markup."""

from __future__ import annotations

import datetime as dt

import polars as pl

from oversight.views.model import Chart, Kpi, Margin, PageView, Panel

D = dt.date

HOSTILE_NAMES = (
    '=HYPERLINK("http://evil.example","click")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r\n=2+2",
    "\n@risk",
    "＝전각 등호",
    "<b>굵게</b><script>alert(1)</script>",
    '<a href="http://evil.example">링크</a> 병원',
    "_x0041_ escaped",
    "가람병원 &amp; 하늘병원",
)

MONTHS = [D(2025, m, 1) for m in range(1, 7)]
SHARE_TOTAL = (Margin(("requests",)),)  # a region's requests and its share give the total

# month x series counts; small ones (1-4) are hidden, with what would give them back.
TREND = {
    "병원": [12, 15, 18, 21, 25, 30],
    "기업": [3, 6, 9, 14, 18, 22],
    "대학": [0, 1, 1, 2, 4, 7],
    HOSTILE_NAMES[0]: [20, 21, 22, 23, 24, 25],
}


def trend_frame() -> pl.DataFrame:
    rows = [(m, s, v[i]) for s, v in TREND.items() for i, m in enumerate(MONTHS)]
    return pl.DataFrame(rows, schema={"month": pl.Date, "series": pl.String, "count": pl.Int64}, orient="row")


def regions_frame() -> pl.DataFrame:
    counts = [40, 3, 25, 12, 0, 9]
    total = sum(counts)
    return pl.DataFrame({
        "region": ["서울특별시", "부산광역시", "경기도", HOSTILE_NAMES[1], "세종특별자치시", HOSTILE_NAMES[8]],
        "requests": counts,
        "share": [c / total for c in counts],
    })


def entity_frame() -> pl.DataFrame:
    """One row per name: every value type, and every hostile name."""
    n = len(HOSTILE_NAMES)
    return pl.DataFrame({
        "name": list(HOSTILE_NAMES),
        "signed_on": [D(2025, 1, 1) + dt.timedelta(days=17 * i) for i in range(n)],
        "loaded_at": [dt.datetime(2025, 3, 1, 9, 30) + dt.timedelta(hours=i) for i in range(n)],
        "active": [i % 2 == 0 for i in range(n)],
        "score": [0.5 + i / 40 for i in range(n)],
        "median_days": [10.5 + i for i in range(n)],
        "year": [2020 + i % 5 for i in range(n)],
        "note": [None if i % 3 == 0 else f"비고 {i}" for i in range(n)],
    })


def heat_frame() -> pl.DataFrame:
    rows = [(h, c, 0.6 + 0.05 * i + 0.1 * j) for i, h in enumerate(["가람병원", "하늘병원", HOSTILE_NAMES[9]])
            for j, c in enumerate(["conformance", "completeness", "plausibility"])]
    return pl.DataFrame(rows, schema={"hospital": pl.String, "category": pl.String, "score": pl.Float64}, orient="row")


def synthetic_view(lang: str = "ko") -> PageView:
    trend = trend_frame()
    regions = regions_frame()
    return PageView(
        sheet="Synthetic",
        title="합성 페이지" if lang == "ko" else "Synthetic page",
        kpis=(
            Kpi("agreements_signed", "체결 협약", 196, 70, "count", "기간 중 체결된 협약 수."),
            Kpi("requests_delivered", "제공 완료 신청", 3, 8, "count", "기간 중 제공된 신청 수."),
            Kpi("median_lead_days", "제공 소요일(중앙값)", 41.0, 43.0, "days", "중앙값.", higher_is_better=False),
            Kpi("quality_score", "네트워크 데이터 품질", 0.926, 0.9297, "percent", "통과 ÷ 적용.", detail="적용 검사 100건 중 93건 통과"),
            Kpi("institutions", "참여 기관", 500, None, "count", "기관 수."),
        ),
        panels=(
            Panel("synthetic.trend", "월별 추이", "월별 건수(계열별).", trend,
                  Chart("line", "month", "count", color="series"), count_columns=("count",)),
            Panel("synthetic.regions", "지역별 신청", "지역별 신청 수와 비중.", regions,
                  Chart("bar", "region", "requests"), count_columns=("requests",), percent_columns=("share",), margins=SHARE_TOTAL),
            Panel("synthetic.stacked", "월별 누적 막대", "계열별 누적 막대.", trend,
                  Chart("stacked_bar", "month", "count", color="series"), count_columns=("count",),
                  margins=(Margin(("count",), by=("month",)),)),  # the bars' heights
            Panel("synthetic.hbar", "가로 막대", "지역별 가로 막대.", regions,
                  Chart("hbar", "region", "requests"), count_columns=("requests",), percent_columns=("share",), margins=SHARE_TOTAL),
            Panel("synthetic.pie", "비중", "지역별 비중.", regions.filter(pl.col("requests") > 0),
                  Chart("pie", "region", "requests"), count_columns=("requests",), percent_columns=("share",), margins=SHARE_TOTAL),
            Panel("synthetic.heat", "품질 히트맵", "병원·범주별 점수.", heat_frame(),
                  Chart("heatmap", "category", "score", color="hospital"), percent_columns=("score",)),
            Panel("synthetic.network", "협약 네트워크", "기관 간 협약 연결.", regions,
                  # a kind no registry knows (no view declares one: test_chart_registry): the deck's fallback
                  Chart("unregistered", "region", "requests"), count_columns=("requests",),
                  percent_columns=("share",), margins=SHARE_TOTAL),
            Panel("synthetic.entities", "기관 목록", "모든 값 유형.", entity_frame(), percent_columns=("score",)),
            Panel("synthetic.empty", "빈 표", "자료 없음.", regions.head(0)),
        ),
        notes=("합성 데이터로 만든 시험용 페이지입니다.",),
    )
