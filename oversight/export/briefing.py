"""The one-page A4 briefing: filters, headline numbers, findings, charts, what needs attention,
data date, definitions and the suppression rule, as a PDF.

Typeset by Typst (the `typst` package compiles in-process: no binary, no browser) from the
template `briefing.typ` beside this module. Every text, number and chart reaches the template
as JSON in `sys.inputs` and is placed there as a string, so a name such as `#panic()` or
`*bold*` is printed as written, never read as markup. The template imports no package, so
Typst has nothing to download; fonts are the Noto CJK files found by fontconfig, embedded in
the PDF. Charts are SVG (oversight.export.vector_charts), vector in the PDF.

The findings are the programme's, ranked by oversight.findings as the Overview, the deck and
presentation mode rank them; the charts are those that show the key findings.

The figures are those of the views, suppressed as in every export: a KPI count of 1 to n-1 is
"<n" and its change is not written; charts are drawn from the masked panel; the attention
lists show hidden cells as their labels.
"""

from __future__ import annotations

import functools
import json
import subprocess
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import typst

from oversight import findings as ranking
from oversight.charts.describe import summary
from oversight.export import context as ctx
from oversight.export import vector_charts
from oversight.export.suppression import kpi_small, masked_panel, suppress_panel
from oversight.filters import Filters
from oversight.i18n import column_label, t
from oversight.queries import Runner
from oversight.views.localise import words
from oversight.views.model import Kpi, PageView, Panel

MIME = "application/pdf"
TEMPLATE = Path(__file__).with_name("briefing.typ")
FONT_FAMILIES = ("Noto Sans CJK KR",)
CHARTS = 3
ATTENTION_ROWS = 3
CHART_PX = (280, 200)  # one chart with its axes and legend, a third of the page's width
# What needs attention: the alert panels, with the columns a reader needs to act on a row.
ATTENTION = {
    "overview.quality_alerts": ("name", "region", "score", "previous_score"),
    "overview.waiting": ("hospital", "requester", "stage", "days_waiting"),
    "quality.flagged": ("hospital", "region", "score", "weakest_category"),
}


class FontsMissing(RuntimeError):
    """Noto Sans CJK is not installed (Debian: fonts-noto-cjk)."""


@functools.cache
def font_dirs() -> tuple[str, ...]:
    """The folders of the Noto Sans CJK KR files, as fontconfig finds them."""
    found = set()
    for family in FONT_FAMILIES:
        for style in ("", ":bold"):
            try:
                path = subprocess.run(["fc-match", "-f", "%{file}", f"{family}{style}"], capture_output=True,
                                      text=True, timeout=10, check=True).stdout.strip()
            except (OSError, subprocess.SubprocessError):
                path = ""
            if "NotoSansCJK" not in Path(path).name:  # fc-match falls back to any font
                raise FontsMissing(f"no {family} font found: install fonts-noto-cjk")
            found.add(str(Path(path).parent))
    return tuple(sorted(found))


_compile_lock = threading.Lock()  # one compiler for the process; Streamlit's download threads take turns


@functools.cache
def _compiler() -> typst.Compiler:
    # System fonts are not scanned: the PDF has Noto CJK (and Typst's own for symbols), always.
    fonts = typst.Fonts(include_system_fonts=False, include_embedded_fonts=True, font_paths=list(font_dirs()))
    return typst.Compiler(TEMPLATE, root=TEMPLATE.parent, font_paths=fonts)


def _warm_up() -> None:
    """Load the fonts and start Vega's engine (0.5 s between them) while the views are built."""
    with _compile_lock:
        _compiler()
    vector_charts.warm_up(font_dirs())


def build_briefing(runner: Runner, filters: Filters, lang: str, sheets: Sequence[str] | None = None,
                   threshold: int | None = None) -> bytes:
    """The briefing over every registered view (or the named ones) as PDF bytes."""
    warming = threading.Thread(target=_warm_up, name="briefing-warm-up", daemon=True)
    warming.start()
    context = ctx.report_context(runner, filters, lang, threshold=threshold)
    views = ctx.build_views(runner, filters, lang, sheets)
    warming.join()
    return briefing_pdf(views, context)


def briefing_pdf(views: Sequence[PageView], context: ctx.ReportContext) -> bytes:
    data = content(views, context)
    return compile_pdf(data, [c.pop("svg") for c in data["charts"]])


def compile_pdf(data: dict, svgs: Sequence[str]) -> bytes:
    """The template filled with `data` (JSON) and the charts' SVG texts, as PDF bytes."""
    inputs = {"briefing": json.dumps(data, ensure_ascii=False)}
    inputs |= {f"chart{index}": svg for index, svg in enumerate(svgs)}
    with _compile_lock:
        return _compiler().compile(format="pdf", sys_inputs=inputs, timestamp=int(data["generated_epoch"]))


@dataclass(frozen=True)
class _Chart:
    view: PageView
    panel: Panel
    finding: int | None = None  # the number of the key finding it shows


def content(views: Sequence[PageView], context: ctx.ReportContext) -> dict:
    """Everything the page says, as plain JSON values (and each chart's SVG under "svg")."""
    lang, n = context.lang, context.threshold
    headline = next((v for v in views if v.kpis), None)
    shown_kpis = headline.kpis if headline else ()
    found = ranking.ranked_across(views, n)
    key = ranking.key_messages([f for f in found if not f.attention])  # alerts have their own section
    charts = chosen_charts(views, key)
    definitions = [(k.label, k.definition) for k in shown_kpis]
    definitions += [(k.label, k.definition) for k in _kpis_of(views, key) if k.label not in {d[0] for d in definitions}]
    definitions += [(c.panel.title, c.panel.definition) for c in charts]
    definitions.append((t("defname.change", lang), t("def.change", lang)))
    # the rule in short, with the definitions (the rule in full: the workbook's cover)
    definitions.append((t("briefing.suppression", lang), t("briefing.suppression_note", lang, n=n, m=n - 1)))
    info = context.info
    return {
        "lang": lang,
        "title": t("briefing.title", lang),
        "subtitle": t("briefing.subtitle", lang),
        "demo": t("app.demo_banner", lang, seed=info.get("seed"), scale=info.get("scale")) if context.is_demo else None,
        "filters": [list(pair) for pair in ctx.filter_lines(context.filters, lang)],
        "data_line": ctx.data_line(context),
        "generated": f"{t('reports.about.generated', lang)}: {context.generated_at:%Y-%m-%d %H:%M}",
        "generated_epoch": context.generated_at.timestamp(),
        "headings": {name: t(f"briefing.{name}", lang) for name in (
            "headline", "findings", "charts", "attention", "definitions")},
        "headline_page": str(headline.title) if headline else "",
        "compared": t("reports.deck.compared", lang, start=context.filters.previous().date_from,
                      end=context.filters.previous().date_to),
        "kpis": [kpi_card(k, lang, n) for k in shown_kpis],
        "findings": [finding_item(f, views, lang) for f in key],
        "charts": [chart_item(c, lang, n) for c in charts],
        "attention": [item for f in found if f.attention for item in attention_item(f, views, lang, n)],
        "definitions": _halves([[str(a), str(b)] for a, b in definitions]),
    }


def _halves(entries: list[list[str]]) -> list[list[list[str]]]:
    """The entries in two columns of about the same length (Typst fills columns, never balances)."""
    sizes = [len(a) + len(b) for a, b in entries]
    split = min(range(len(entries) + 1), key=lambda i: abs(sum(sizes[:i]) - sum(sizes[i:])))
    return [entries[:split], entries[split:]]


def kpi_card(kpi: Kpi, lang: str, n: int) -> dict:
    hide_now, hide_before = kpi_small(kpi, n)
    value = f"<{n}" if hide_now else ctx.format_kpi_value(kpi.value, kpi.unit, lang)
    previous = f"<{n}" if hide_before else ctx.format_kpi_value(kpi.previous, kpi.unit, lang)
    if hide_now or hide_before or kpi.change is None:
        change, tone = t("reports.deck.no_change", lang), "flat"
    else:
        change = ctx.format_kpi_change(kpi)
        tone = "flat" if kpi.change == 0 else ("good" if (kpi.change > 0) == kpi.higher_is_better else "bad")
    return {"label": str(kpi.label), "value": value, "change": change, "tone": tone,
            "previous": t("overview.kpi.previous_value", lang, value=previous), "detail": str(kpi.detail or "")}


def _kpis_of(views: Sequence[PageView], found: Sequence[ranking.Finding]) -> list[Kpi]:
    by_key = {(v.sheet, k.key): k for v in views for k in v.kpis}
    return [by_key[(f.sheet, f.kpi)] for f in found if (f.sheet, f.kpi) in by_key]


def _page_title(views: Sequence[PageView], sheet: str) -> str:
    return next((str(v.title) for v in views if v.sheet == sheet), sheet)


def finding_item(finding: ranking.Finding, views: Sequence[PageView], lang: str) -> dict:
    """A key finding: its statement, then its context (the previous value, how unusual the change is)."""
    return {"title": str(words(finding.title, lang)), "sentence": str(words(finding.sentence, lang)),
            "page": _page_title(views, finding.sheet)}


def chosen_charts(views: Sequence[PageView], key: Sequence[ranking.Finding] = ()) -> list[_Chart]:
    """Up to three charts: those that show the key findings, in their order (the panel may be on
    another page), then the first each page draws, one a page, in the order of the pages; only
    charts the briefing draws as the page does."""
    panels = {p.key: (v, p) for v in views for p in v.panels if vector_charts.drawable(p)}
    picked: dict[str, _Chart] = {}
    for number, finding in enumerate(key, start=1):
        if finding.panel in panels and finding.panel not in picked:
            picked[finding.panel] = _Chart(*panels[finding.panel], finding=number)
    for view in views:
        first = next((p for p in view.panels if p.key in panels), None)
        if first is not None and first.key not in picked and all(c.view is not view for c in picked.values()):
            picked[first.key] = _Chart(view, first)
    return list(picked.values())[:CHARTS]


def chart_item(chart: _Chart, lang: str, n: int) -> dict:
    masked, suppression = masked_panel(chart.panel, n)
    width, height = CHART_PX
    return {
        "page": str(chart.view.title),
        "finding": t("briefing.shows_finding", lang, n=chart.finding) if chart.finding else "",
        "title": str(chart.panel.title),
        "sentence": summary(masked, lang) or "",
        "suppressed": t("briefing.suppressed", lang, n=n) if suppression else "",
        "svg": vector_charts.svg(masked, lang, width, height, font_dirs()),
    }


def attention_item(finding: ranking.Finding, views: Sequence[PageView], lang: str, n: int) -> list[dict]:
    """An alert raised: what it says and, unless its list is short enough to be a small count, the
    first rows to act on. Nothing for a list the views do not hold."""
    panel = next((p for v in views for p in v.panels if p.key == finding.panel), None)
    if panel is None:
        return []
    rows = panel.frame.height if panel.frame.height >= n else 0
    shown = [c for c in ATTENTION.get(panel.key, panel.columns or panel.frame.columns) if c in panel.frame.columns]
    table = ctx.display_table(panel, suppress_panel(panel, n), rows=min(rows, ATTENTION_ROWS))
    return [{
        "title": str(words(finding.title, lang)),
        "more": t("briefing.more_rows", lang, n=f"{rows - ATTENTION_ROWS:,}") if rows > ATTENTION_ROWS else "",
        "header": [column_label(c, lang) for c in shown] if rows else [],
        "rows": [list(row) for row in table.select(shown).iter_rows()] if rows else [],
    }]
