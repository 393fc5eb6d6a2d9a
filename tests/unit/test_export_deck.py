"""The meeting deck read back with python-pptx: 16:9, the meeting slides then, with the appendix,
every page's slides, native charts (a picture for the heatmap, a table without Chromium), Korean
text in a Korean font, hidden small counts, names as plain text."""

import io
import time

import pytest
from PIL import Image
from pptx import Presentation
from openpyxl import load_workbook
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE
from pptx.oxml.ns import qn
from pptx.util import Emu

from conftest import YEAR_2025
from fixture_reports import HOSTILE_NAMES, synthetic_view
from oversight.export import deck
from oversight.export.summary import change_sentence
from test_export_excel import CONTEXT

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


def texts(slide) -> list[str]:
    found = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            found.append(shape.text_frame.text)
        if shape.has_table:
            found += [cell.text for row in shape.table.rows for cell in row.cells]
    return found


@pytest.fixture(scope="module")
def synthetic_deck():
    return Presentation(io.BytesIO(deck.deck_bytes([synthetic_view()], CONTEXT, appendix=True)))


# The synthetic page's findings name no chart: its meeting slides are the title, key messages,
# what needs attention, sources and definitions; the appendix starts after its divider.
MEETING = 5
A = MEETING + 1  # the first appendix slide: the page's KPIs

def test_slides_are_16_by_9(synthetic_deck):
    assert synthetic_deck.slide_width / synthetic_deck.slide_height == pytest.approx(16 / 9, rel=1e-3)


def test_the_meeting_slides_then_the_appendix_kpis_changes_one_slide_per_chart_and_definitions(synthetic_deck):
    slides = list(synthetic_deck.slides)
    view = synthetic_view()
    charted = [p for p in view.panels if p.chart is not None and p.frame.height]
    assert len(charted) == 7
    # title, key messages, what needs attention, sources, definitions; the appendix: its divider,
    # one KPI slide (5 KPIs), what changed, 7 charts, every definition
    assert len(slides) == MEETING + 1 + 1 + 1 + 7 + 1
    assert "의료데이터 활용 사업 현황" in texts(slides[0])
    assert "핵심 메시지" in texts(slides[1])
    assert "주의가 필요한 항목" in texts(slides[2])
    assert "출처와 기준" in texts(slides[3])
    assert "지표 정의" in texts(slides[4])
    assert "부록: 페이지별 지표와 차트" in texts(slides[MEETING])
    assert "합성 페이지: 핵심 지표" in texts(slides[A])
    assert "직전 기간과 비교해 달라진 점" in texts(slides[A + 1])
    for slide, panel in zip(slides[A + 2:A + 9], charted):
        assert panel.title in texts(slide)
        assert any(panel.definition in t for t in texts(slide))
        assert panel.definition in slide.notes_slide.notes_text_frame.text
    assert "지표 정의" in texts(slides[-1])
    assert [t for t in texts(slides[5]) if t.endswith("/ 16")] == ["6 / 16"]


def test_without_the_appendix_the_deck_is_the_meeting_slides_only():
    prs = Presentation(io.BytesIO(deck.deck_bytes([synthetic_view()], CONTEXT)))
    assert len(prs.slides) == MEETING
    messages = "\n".join(texts(list(prs.slides)[1]))
    assert "체결 협약 196, 직전 기간보다 126 늘어남 (+180%)" in messages  # the top finding first


def test_bar_line_area_pie_panels_are_native_charts_with_their_data_and_the_palette(synthetic_deck):
    slides = list(synthetic_deck.slides)[A + 2:A + 7]
    charts = [shape.chart for slide in slides for shape in slide.shapes if shape.has_chart]
    assert [c.chart_type for c in charts] == [XL_CHART_TYPE.LINE, XL_CHART_TYPE.COLUMN_CLUSTERED,
                                              XL_CHART_TYPE.COLUMN_STACKED, XL_CHART_TYPE.BAR_CLUSTERED,
                                              XL_CHART_TYPE.DOUGHNUT]
    bar = charts[1].plots[0]
    assert list(bar.categories)[:2] == ["서울특별시", "부산광역시"]
    assert bar.series[0].values[:2] == (40.0, None)  # the hidden count is left out, as on screen
    assert list(bar.categories)[3] == HOSTILE_NAMES[1]  # a formula-looking name, as written
    line = charts[0].plots[0]
    assert len(line.series) > 1 and line.series[0].format.line.color.rgb == RGBColor.from_string("0072B2")
    assert line.series[1].format.line.color.rgb == RGBColor.from_string("E69F00")
    assert charts[1].value_axis.axis_title.text_frame.text == "신청 수"
    workbook = charts[1].part.chart_workbook.xlsx_part.blob  # the data sits in the chart's own sheet
    assert load_workbook(io.BytesIO(workbook)).active["A2"].value == "서울특별시"


def test_the_heatmap_is_a_picture_with_something_drawn(synthetic_deck):
    slides = list(synthetic_deck.slides)[A + 2:A + 9]
    pictures = [shape for slide in slides for shape in slide.shapes if shape.shape_type == 13]
    assert len(pictures) == 1  # the network has no generic figure: its slide shows the table
    for picture in pictures:
        image = Image.open(io.BytesIO(picture.image.blob))
        assert image.size == (2420, 1000)
        assert len(image.convert("RGB").getcolors(maxcolors=1_000_000)) > 50, "a blank image"
        assert picture.width < synthetic_deck.slide_width and picture.top + picture.height < synthetic_deck.slide_height


def test_a_chart_without_a_generic_figure_becomes_a_table_with_small_counts_hidden(synthetic_deck):
    slide = list(synthetic_deck.slides)[A + 8]
    tables = [shape.table for shape in slide.shapes if shape.has_table]
    assert len(tables) == 1
    rows = [[cell.text for cell in row.cells] for row in tables[0].rows]
    assert rows[0] == ["지역", "신청 수", "비중"]
    assert rows[1] == ["서울특별시", "40", "44.9%"]
    assert rows[2] == ["부산광역시", "<5", "x"]
    assert rows[4] == [HOSTILE_NAMES[1], "12", "13.5%"]  # a formula-looking name, as written
    assert rows[6] == [HOSTILE_NAMES[8], "x", "x"]  # markup, as written


def test_kpi_cards_hide_small_counts_and_the_change_sentences_match(synthetic_deck):
    slides = list(synthetic_deck.slides)
    cards = texts(slides[A])
    assert "196" in cards and "<5" in cards and "41일" in cards and "92.6%" in cards
    assert "직전 기간 대비 +126" in cards
    body = next(t for t in texts(slides[A + 1]) if t.startswith("• "))
    sentences = [line.removeprefix("• ") for line in body.split("\n")]
    assert sentences == [change_sentence(k, "ko", 5) for k in synthetic_view().kpis]
    assert sentences[0] == "체결 협약은 196건으로 직전 기간보다 126건 늘었습니다."
    assert sentences[1] == "제공 완료 신청은 5건 미만입니다."


def test_korean_text_is_set_in_a_korean_font(synthetic_deck):
    runs = [run for slide in synthetic_deck.slides for shape in slide.shapes if shape.has_text_frame
            for paragraph in shape.text_frame.paragraphs for run in paragraph.runs]
    assert runs
    for run in runs:
        r_pr = run._r.find(qn("a:rPr"))
        assert r_pr.find(qn("a:ea")).get("typeface") == deck.FONT
        assert r_pr.get("lang") == "ko-KR"
        children = [child.tag.split("}")[1] for child in r_pr]
        assert children.index("latin") < children.index("ea") < children.index("cs")  # schema order


def test_sources_slide_states_data_date_batches_filters_and_the_rule(synthetic_deck):
    text = "\n".join(texts(list(synthetic_deck.slides)[3]))
    for expected in ("2026-06-30", "b-2026", "=evil-batch", "2025-01-01 ~ 2025-12-31 (365일)", "서울특별시, 부산광역시", "'<5'"):
        assert expected in text, expected


def test_the_deck_over_the_registered_views_in_english(runner):
    prs = Presentation(io.BytesIO(deck.build_deck(runner, YEAR_2025, "en", appendix=True)))
    all_text = "\n".join(t for slide in prs.slides for t in texts(slide))
    assert "Medical Data Utilisation Project" in all_text
    assert "What changed since the previous period" in all_text
    assert "Cumulative institutions and agreements" in all_text
    assert not any("\uac00" <= ch <= "\ud7a3" for ch in all_text.replace("합성", "")), "Korean left in English"
    assert Emu(prs.slide_width).inches == pytest.approx(13.333, abs=0.01)


def test_the_chart_renderer_fetches_nothing_from_the_web(monkeypatch):
    """kaleido loads MathJax from a CDN unless told not to; the proxy blocks anything else."""
    import kaleido

    from oversight.export import figures

    seen = {}
    monkeypatch.setattr(kaleido, "start_sync_server", lambda *a, **k: seen.update(k))
    monkeypatch.setattr(kaleido, "stop_sync_server", lambda *a, **k: None)
    monkeypatch.setattr(kaleido, "calc_fig_sync", lambda *a, **k: b"png")
    with figures.image_renderer():
        pass
    assert seen["mathjax"] is False
    assert seen["proxy_server"] == figures.NO_PROXY


def test_without_chromium_the_deck_is_built_at_once_with_tables_for_pictures_and_says_why(monkeypatch):
    """`make run` alone installs no browser: native charts need none, the heatmap slide shows
    its table with the reason, and the caller hears the reason (the CLI and the deck button)."""
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    heard = []
    started = time.perf_counter()
    prs = Presentation(io.BytesIO(deck.deck_bytes([synthetic_view()], CONTEXT, notice=heard.append, appendix=True)))
    assert time.perf_counter() - started < 60  # a hang, not a timing target
    slides = list(prs.slides)
    assert len(slides) == MEETING + 11
    assert not any(shape.shape_type == 13 for slide in slides for shape in slide.shapes)
    assert sum(shape.has_chart for slide in slides for shape in slide.shapes) == 5
    heat = slides[A + 7]
    assert any(shape.has_table for shape in heat.shapes)
    assert len(heard) == 1 and "Chromium" in heard[0]
    assert any(heard[0] in text for text in texts(heat))


def test_a_renderer_that_never_answers_is_given_up_within_its_time_limit(monkeypatch):
    import kaleido

    from oversight.export import figures

    monkeypatch.setattr(kaleido, "start_sync_server", lambda *a, **k: None)
    monkeypatch.setattr(kaleido, "stop_sync_server", lambda *a, **k: None)
    monkeypatch.setattr(kaleido, "calc_fig_sync", lambda *a, **k: time.sleep(30))
    started = time.perf_counter()
    with pytest.raises(figures.RendererUnavailable, match="no answer within 1 s"), \
            figures.image_renderer(start_seconds=1.0):
        pass
    assert time.perf_counter() - started < 10


def test_every_chart_and_picture_has_its_sentence_as_alt_text_without_hidden_counts(synthetic_deck):
    """A screen reader reading the deck hears each chart's sentence (oversight/charts/describe.py),
    computed on the suppressed figures: the hidden count (부산광역시, 3) is not in it."""
    from oversight.charts.describe import summary
    from oversight.export.suppression import masked_panel

    slides = list(synthetic_deck.slides)[A + 2:A + 8]
    shapes = [s for slide in slides for s in slide.shapes if s.has_chart or s.shape_type == 13]
    described = [s._element.xpath("./*[1]/p:cNvPr")[0].get("descr") for s in shapes]
    view = synthetic_view()
    expected = [summary(masked_panel(p, CONTEXT.threshold)[0], "ko") for p in view.panels
                if p.chart is not None and p.frame.height][:len(shapes)]
    assert described == expected and all(described)
    bar = next(d for d in described if "서울특별시" in d)
    assert "부산광역시" not in bar  # its small count is hidden, so it is neither highest nor lowest
