"""The one-page briefing read back: A4, one or two pages, Noto CJK embedded, the view's figures,
hidden small counts, hostile names printed as text, nothing fetched, pictures of its pages."""

import dataclasses
import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polars as pl
import pypdf
import pytest
from PIL import Image

from conftest import YEAR_2025
from fixture_reports import HOSTILE_NAMES, synthetic_view
from hostile import PAYLOADS, build_hostile
from oversight import db, filters, queries, units
from oversight.__main__ import main
from oversight.export import briefing, vector_charts
from oversight.export import context as ctx
from oversight.export.suppression import masked_panel
from oversight.views.model import Chart, Panel
from test_export_excel import CONTEXT

ROOT = Path(__file__).resolve().parents[2]
A4 = (595.28, 841.89)  # points
# Typst markup and code that would do something visible if a name were read as markup.
TYPST_PAYLOADS = ('#panic("pwned")', '*bold* _em_ $x^2$', '#read("/etc/hostname")', '<lbl> @lbl', '] ) } \\ //')


def read(data: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(data))


def text(data: bytes) -> str:
    """The PDF's text on one line: words separated by single spaces."""
    return " ".join(" ".join(page.extract_text() for page in read(data).pages).split())


def squeezed(data: bytes) -> str:
    return re.sub(r"\s+", "", text(data))


def printed(name: str, data: bytes) -> bool:
    """Every word of `name` is in the PDF as written (a long name wraps inside its table cell, and
    the cells of one line are read across, so whole names are not contiguous in the text)."""
    whole = squeezed(data)
    return all(word in whole for word in name.split())


def default_filters(path: Path) -> filters.Filters:
    runner = queries.DatabaseRunner(db.read_only(path))
    info = runner.run("dataset_info", {}).row(0, named=True)
    return filters.default_filters(info["data_date"], info["data_until"])


@pytest.fixture(scope="module")
def demo_pdfs(demo_db):
    runner = queries.DatabaseRunner(db.read_only(demo_db))
    chosen = default_filters(demo_db)
    return {lang: briefing.build_briefing(runner, chosen, lang) for lang in ("ko", "en")}


@pytest.mark.parametrize("lang, title, headings", [
    ("ko", "의료데이터 활용 사업 브리핑", ["핵심 지표", "주요 내용", "추이와 구성", "주의가 필요한 항목", "지표 정의",
                                   "작은 건수 가림 규칙", "합성 데모 데이터입니다", "자료 기준일"]),
    ("en", "Medical Data Utilisation Project: briefing", ["Headline figures", "Key findings", "Trends and breakdowns",
                                                         "Needs attention", "Definitions", "Small-count suppression",
                                                         "Synthetic demo data", "Data as of"]),
])
def test_one_or_two_a4_pages_with_every_section_in_the_language(demo_pdfs, lang, title, headings):
    data = demo_pdfs[lang]
    pages = read(data).pages
    assert 1 <= len(pages) <= 2
    for page in pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(A4, abs=0.5)
    words = text(data)
    assert words.startswith(title)
    for heading in headings:
        assert heading in words
    assert ("Headline figures" if lang == "ko" else "핵심 지표") not in words  # one language, not both


def _fonts(reader: pypdf.PdfReader) -> dict[str, bool]:
    """Every font the PDF uses (in pages and in the charts' forms): its name, and whether embedded."""
    found = {}

    def walk(resources):
        resources = resources.get_object() if resources is not None else {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            for part in font.get("/DescendantFonts") or [font]:
                descriptor = part.get_object().get("/FontDescriptor")
                descriptor = descriptor.get_object() if descriptor is not None else {}
                found[str(part.get_object()["/BaseFont"])] = any(
                    key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
        for xobject in (resources.get("/XObject") or {}).values():
            xobject = xobject.get_object()
            if "/Resources" in xobject:
                walk(xobject["/Resources"])

    for page in reader.pages:
        walk(page.get("/Resources"))
    return found


def test_the_fonts_are_noto_cjk_and_embedded(demo_pdfs):
    fonts = _fonts(read(demo_pdfs["ko"]))
    assert any("NotoSansCJKkr-Regular" in name for name in fonts)
    assert any("NotoSansCJKkr-Bold" in name for name in fonts)
    assert fonts and all(fonts.values()), fonts


def test_the_pages_render_to_pictures(demo_pdfs, tmp_path):
    """pdftoppm draws each page (A4 at 60 dpi: 497 x 702 px, as poppler rounds), and the pages are not blank."""
    for lang, data in demo_pdfs.items():
        pdf = tmp_path / f"{lang}.pdf"
        pdf.write_bytes(data)
        subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(tmp_path / lang)], check=True,
                       capture_output=True)
        pictures = sorted(tmp_path.glob(f"{lang}-*.png"))
        assert len(pictures) == len(read(data).pages)
        for number, picture in enumerate(pictures):
            image = Image.open(picture).convert("RGB")
            assert image.size == (497, 702)
            colours = image.getcolors(maxcolors=1 << 16) or []
            assert len(colours) > 50  # text, cards and charts, not an empty page
            if number == 0:  # the headings in the accent, the charts' bars and lines in the palette's blue
                assert _near(colours, (0x0B, 0x3C, 0x5D)) > 200
                assert _near(colours, (0x00, 0x72, 0xB2)) > 500


def _near(colours, rgb, distance: int = 12) -> int:
    """Pixels within `distance` of a colour in every channel."""
    return sum(count for count, c in colours if all(abs(a - b) <= distance for a, b in zip(c, rgb)))


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_headline_figures_are_the_overviews_kpis_as_the_screen_writes_them(demo_db, demo_pdfs, lang):
    runner = queries.DatabaseRunner(db.read_only(demo_db))
    overview = ctx.build_views(runner, default_filters(demo_db), lang, ["Overview"])[0]
    words = text(demo_pdfs[lang])
    for kpi in overview.kpis:
        value = units.format_value(kpi.value, kpi.unit, lang)
        change = units.format_change(kpi.change, kpi.unit) or ""
        assert f"{kpi.label} {value} {change}".strip() in words, kpi.key
        assert units.format_value(kpi.previous, kpi.unit, lang) in words


def test_small_counts_are_hidden_and_their_changes_not_written(runner):
    """2025 on the fixture: 2 agreements signed, 2 deliveries, 3 hospitals (presentation mode's case)."""
    views = ctx.build_views(runner, YEAR_2025, "ko")
    data = briefing.briefing_pdf(views, ctx.report_context(runner, YEAR_2025, "ko"))
    words = text(data)
    small = {"체결 협약": 2, "제공 완료 신청": 2, "협약 참여 병원": 3}
    for label, value in small.items():
        assert f"{label} <5 직전 기간과 비교할 수 없음" in words
        assert f"{label} {value}" not in words and f"{label}: {value}" not in words
    assert "참여 기관 7" in words


def test_a_chart_is_drawn_from_the_masked_panel():
    """A hidden count is no bar: the chart's data holds null where the page's table shows "<5"."""
    view = synthetic_view()
    panel = next(p for p in view.panels if p.key == "synthetic.regions")
    masked, suppression = masked_panel(panel, 5)
    assert suppression.hidden(1, "requests")
    values = vector_charts.spec(masked, "ko", 200, 100)["data"]["values"]
    assert values[1]["requests"] is None and values[0]["requests"] == 40
    assert "<svg" in vector_charts.svg(masked, "ko", 200, 100, briefing.font_dirs())


def _hostile_view():
    """The synthetic page with an alert list of hostile and Typst-markup names, and a bar chart of them."""
    names = [*HOSTILE_NAMES, *TYPST_PAYLOADS, *PAYLOADS]
    waiting = pl.DataFrame({"hospital": names, "requester": list(reversed(names)),
                            "stage": ["심의 중"] * len(names), "days_waiting": list(range(len(names), 0, -1))})
    bars = pl.DataFrame({"name": TYPST_PAYLOADS, "requests": [50, 40, 30, 20, 10]})
    view = synthetic_view()
    return dataclasses.replace(view, panels=(
        Panel("overview.waiting", "대기 중인 신청", "대기 일수.", waiting),
        Panel("synthetic.names", "이름 막대", "이름별 신청.", bars, Chart("bar", "name", "requests"),
              count_columns=("requests",)),
        *view.panels,
    ))


def test_names_are_printed_as_written_never_read_as_markup(monkeypatch):
    monkeypatch.setattr(briefing, "ATTENTION_ROWS", 40)  # every hostile name in the list
    view = _hostile_view()
    data = briefing.briefing_pdf([view], CONTEXT)  # a name read as markup would fail (panic) or lose its marks
    for name in [*HOSTILE_NAMES, *TYPST_PAYLOADS, *PAYLOADS]:
        assert printed(name, data), name
    svg = vector_charts.svg(view.panels[1], "ko", 200, 100)
    assert "#panic(&quot;pwned&quot;)" in svg or '#panic("pwned")' in svg  # XML-escaped by Vega, as text
    assert "<lbl>" not in svg and "&lt;lbl&gt;" in svg


def test_hostile_names_of_a_database_come_out_as_text(demo_db, tmp_path):
    path = build_hostile(demo_db, tmp_path / "hostile.duckdb")
    runner = queries.DatabaseRunner(db.read_only(path))
    chosen = default_filters(path)
    views = ctx.build_views(runner, chosen, "en")
    content = briefing.content(views, ctx.report_context(runner, chosen, "en"))
    names = [cell for item in content["attention"] for row in item["rows"] for cell in row[:2]]
    assert any(payload.split()[0] in name for name in names for payload in PAYLOADS), names
    data = briefing.briefing_pdf(views, ctx.report_context(runner, chosen, "en"))
    for name in names:
        assert printed(name, data), name


def test_the_template_imports_no_package():
    """A Typst package import (`@preview/...`) would be downloaded: the template has none."""
    source = briefing.TEMPLATE.read_text(encoding="utf-8")
    assert not re.search(r"#import|#include|@preview|@local", source)
    assert "sys.inputs" in source


def _connects(command: list[str], tmp_path: Path) -> list[str]:
    """The network connects (and sends to an address) a command makes, traced by strace."""
    log = tmp_path / "strace.log"
    subprocess.run(["strace", "-f", "-qq", "-e", "trace=connect,sendto,sendmsg", "-o", str(log), *command],
                   check=True, capture_output=True, cwd=ROOT, timeout=120)
    return [line for line in log.read_text().splitlines() if re.search(r"AF_INET6?\b", line)]


def test_no_request_leaves_the_machine(demo_db, tmp_path):
    """strace sees every socket the CLI opens, Rust (Typst, Vega's engine) and Python alike."""
    # The trace sees a connect when there is one: a Python connect to a closed local port.
    probe = [sys.executable, "-c", "import socket\ntry: socket.create_connection(('127.0.0.1', 9), 1)\n"
                                   "except OSError: pass"]
    assert _connects(probe, tmp_path)
    out = tmp_path / "briefing.pdf"
    assert _connects([sys.executable, "-m", "oversight", "briefing", "--db", str(demo_db), "--out", str(out)],
                     tmp_path) == []
    assert read(out.read_bytes()).pages


def test_the_command_line_writes_the_briefing_of_the_filters_given(fixture_db, tmp_path, capsys):
    out = tmp_path / "nested" / "briefing.pdf"
    code = main(["briefing", "--db", str(fixture_db), "--out", str(out), "--from", "2025-01-01", "--to", "2025-12-31",
                 "--region", "11", "--lang", "en"])
    assert code == 0
    words = text(out.read_bytes())
    assert "Period 2025-01-01 to 2025-12-31 (365 days)" in words
    assert "Regions Seoul" in words
    assert "Wrote" in capsys.readouterr().out
    assert not list(out.parent.glob(".*partial"))


def test_fonts_are_found_by_fontconfig():
    assert shutil.which("fc-match")
    dirs = briefing.font_dirs()
    assert dirs and all(any(Path(d).glob("NotoSansCJK*")) for d in dirs)


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_key_findings_are_the_ranking_and_state_their_pages_kpi_figures(demo_db, demo_pdfs, lang):
    """The findings section is oversight.findings' ranking (the Overview's, the deck's), and each
    finding's figures are its page's KPI as the screen writes it."""
    from oversight import findings
    from oversight.views.localise import words

    runner = queries.DatabaseRunner(db.read_only(demo_db))
    views = ctx.build_views(runner, default_filters(demo_db), lang)
    expected = findings.key_messages([f for f in findings.ranked_across(views) if not f.attention])
    assert len(expected) >= 3
    shown = briefing.content(views, ctx.report_context(runner, default_filters(demo_db), lang))["findings"]
    assert [f["title"] for f in shown] == [words(f.title, lang) for f in expected]
    kpis = {(v.sheet, k.key): k for v in views for k in v.kpis}
    squeezed_pdf = squeezed(demo_pdfs[lang])
    for finding, item in zip(expected, shown):
        assert re.sub(r"\s+", "", item["title"]) in squeezed_pdf, item["title"]
        kpi = kpis[(finding.sheet, finding.kpi)]
        assert finding.value == kpi.value and finding.previous == kpi.previous
        assert units.format_value(kpi.value, kpi.unit, lang) in item["title"]
