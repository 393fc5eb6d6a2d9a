"""The dashboard side of the exports, in AppTest: download buttons on a page, the deck prepared
on request, and the presentation mode stepping through slides kept in the URL."""

import io

import openpyxl
import pypdf
import pytest
from conftest import YEAR_2025

from oversight import db, queries
from oversight.export import context as ctx
from oversight.pages import PAGES, SHEETS
from oversight.views import overview
from oversight.views.localise import localise
from ui import exports, presentation

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


def query(at) -> dict:
    return {k: (v[0] if isinstance(v, list) else v) for k, v in at.query_params.items()}


@pytest.mark.parametrize("lang, labels", [
    ("ko", ["이 페이지 엑셀", "전체 보고서 엑셀", "한 장 브리핑 (PDF)", "발표 자료 만들기"]),
    ("en", ["This page (Excel)", "Full report (Excel)", "One-page briefing (PDF)", "Prepare meeting deck"]),
])
def test_a_page_ends_with_its_downloads(app, lang, labels):
    at = app({"lang": lang})
    assert not at.exception
    downloads = at.get("download_button")
    assert [d.label for d in downloads] == labels[:3]
    assert at.button(key="reports_deck_prepare").label == labels[3]
    assert "reports_deck_download" not in [d.key for d in downloads]  # nothing built yet


def test_the_deferred_workbooks_are_the_page_and_the_whole_report(fixture_db):
    runner = queries.DatabaseRunner(db.read_only(fixture_db))
    view = localise(overview.build(runner, YEAR_2025), "ko")
    page = openpyxl.load_workbook(io.BytesIO(exports.page_workbook(view, ctx.report_context(runner, YEAR_2025, "ko"))))
    assert page.sheetnames == ["About", "Overview"]
    full = openpyxl.load_workbook(io.BytesIO(exports.full_workbook(str(fixture_db), YEAR_2025, "en", 5)))
    assert full.sheetnames == ["About", *SHEETS]


def test_every_page_with_figures_offers_the_briefing(app):
    for page in PAGES:
        if page.view is None:
            continue
        at = app()
        at.switch_page(page.script).run()
        assert not at.exception, (page.slug, [e.value for e in at.exception])
        briefing = [d for d in at.get("download_button") if d.key == "reports_briefing"]
        assert [d.label for d in briefing] == ["한 장 브리핑 (PDF)"], page.slug


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_briefings_figures_are_the_screens(app, demo_db, lang):
    """Each KPI card of the Overview as the screen shows it (label, value, change) is in the
    briefing its download writes, in the same words and figures."""
    at = app({"lang": lang})
    cards = [(m.label, m.value, m.proto.delta) for m in at.metric]
    assert len(cards) == 6
    data = exports.briefing_pdf(str(demo_db), _filters(demo_db), lang, 5)
    words = " ".join(" ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages).split())
    for label, value, delta in cards:
        assert f"{label} {value} {delta}" in words, (label, value, delta)


def _filters(db_path):
    from oversight.filters import default_filters

    runner = queries.DatabaseRunner(db.read_only(db_path))
    info = runner.run("dataset_info", {}).row(0, named=True)
    return default_filters(info["data_date"], info["data_until"])


def test_the_deck_is_prepared_with_progress_then_offered(app):
    at = app()
    at.button(key="reports_deck_prepare").click().run(timeout=180)
    assert not at.exception and not at.error
    assert "reports_deck_download" in [d.key for d in at.get("download_button")]
    assert any("발표 자료가 준비되었습니다" in c.value for c in at.caption)
    # a filter change makes it stale: the prepare button is back
    at.multiselect(key="w_regions_ko").set_value(["11"]).run()
    assert "reports_deck_download" not in [d.key for d in at.get("download_button")]
    assert at.button(key="reports_deck_prepare")


def _sequence(db_path, lang: str = "ko", filters=None) -> list:
    """The slides the app builds for the default view of a database: the key messages, a slide
    per key finding, what needs attention; then each registered page's KPIs, what changed and
    every charted panel."""
    from oversight.filters import default_filters

    runner = queries.DatabaseRunner(db.read_only(db_path))
    data_date = runner.run("dataset_info", {}).get_column("data_date")[0]
    return presentation.slides(ctx.build_views(runner, filters or default_filters(data_date), lang))


def _number_of(sequence, kind: str) -> int:
    return next(i for i, slide in enumerate(sequence) if slide.kind == kind) + 1


def test_presentation_mode_steps_through_the_slides_and_keeps_its_place_in_the_url(app, demo_db):
    from oversight.views.localise import words

    sequence = _sequence(demo_db)
    attention = _number_of(sequence, "attention")
    kpis = _number_of(sequence, "kpis")
    changes = _number_of(sequence, "changes")
    # the deck's meeting slides first: key messages, a slide per key finding, what needs attention
    assert sequence[0].kind == "messages" and attention >= 3
    assert all(s.kind == "finding" for s in sequence[1:attention - 1])
    assert kpis == attention + 1 and sequence[kpis - 1].view.sheet == "Overview"
    assert changes == kpis + 1 and sequence[changes].kind == "chart" and sequence[changes].view.sheet == "Overview"
    pages = [s.view.sheet for s in sequence if s.kind == "kpis"]
    assert pages == [sheet for sheet in SHEETS if sheet in pages]  # page by page, in the report's order

    at = app()
    at.toggle(key=presentation.TOGGLE_KEY).set_value(True).run()
    assert not at.exception
    assert query(at)["present"] == "1" and query(at)["slide"] == "1"
    assert any("section[data-testid=\"stSidebar\"]" in h.proto.body and "display: none" in h.proto.body
               for h in at.get("html"))  # the style sheet that hides it
    assert [t.value for t in at.title] == ["핵심 메시지"]
    messages = " ".join(m.value for m in at.markdown)
    finding = sequence[1].finding
    assert components_plain(words(finding.title, "ko")) in messages
    assert at.button(key="present_previous").disabled

    at.button(key="present_next").click().run()
    assert query(at)["slide"] == "2"
    assert [t.value for t in at.title] == [components_plain(words(finding.title, "ko"))]  # the action title
    assert len(at.get("plotly_chart")) == 1
    at.button(key="present_previous").click().run()
    assert query(at)["slide"] == "1"

    at = app({"present": "1", "slide": str(kpis)})
    assert [t.value for t in at.title] == ["개요\\: 핵심 지표"]
    assert len(at.metric) == 6

    at = app({"present": "1", "slide": str(changes)})
    assert [t.value for t in at.title] == ["직전 기간과 비교해 달라진 점"]
    assert any("직전 기간보다" in m.value or "미만입니다" in m.value for m in at.markdown)
    at.button(key="present_next").click().run()
    assert query(at)["slide"] == str(changes + 1)
    assert len(at.get("plotly_chart")) == 1

    last = app({"present": "1", "slide": str(len(sequence))})
    assert last.button(key="present_next").disabled
    last.button(key="present_exit").click().run()
    assert "present" not in query(last) and "slide" not in query(last)
    assert len(last.metric) == 6 and last.get("download_button"), "back on the page"


def test_a_link_opens_the_same_slide_and_odd_slide_numbers_are_kept_in_range(app, demo_db):
    sequence = _sequence(demo_db)
    last_title = sequence[-1].panel.title
    assert [t.value for t in app({"present": "1", "slide": "999"}).title] == [components_plain(last_title)]
    assert [t.value for t in app({"present": "1", "slide": "abc"}).title] == ["핵심 메시지"]
    english = app({"present": "1", "slide": str(_number_of(sequence, "changes")), "lang": "en"})
    assert [t.value for t in english.title] == ["What changed since the previous period"]


def components_plain(text: str) -> str:
    from ui.components import plain

    return plain(text)


def test_presentation_mode_hides_small_counts(app, fixture_db):
    from conftest import YEAR_2025

    kpis = _number_of(_sequence(fixture_db, filters=YEAR_2025), "kpis")
    at = app({"present": "1", "slide": str(kpis), "from": "2025-01-01", "to": "2025-12-31"}, db_path=fixture_db)
    values = {m.label: m.value for m in at.metric}
    # 2025 on the fixture: 7 institutions, 2 agreements signed, 2 deliveries, 3 hospitals
    assert values["참여 기관"] == "7"
    assert values["체결 협약"] == values["제공 완료 신청"] == values["협약 참여 병원"] == "<5"
    slide = _number_of(_sequence(fixture_db, filters=YEAR_2025), "changes")
    changes = app({"present": "1", "slide": str(slide), "from": "2025-01-01", "to": "2025-12-31"}, db_path=fixture_db)
    text = " ".join(m.value for m in changes.markdown)
    assert "체결 협약은 5건 미만입니다" in text
