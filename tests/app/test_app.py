"""Every page in AppTest: no exception, its key elements, filters and language reaching it."""

import re
from pathlib import Path

import pytest

from oversight import pages as registry

ROOT = Path(__file__).resolve().parents[2]
PAGES = [page.script for page in registry.PAGES]
HANGUL = re.compile(r"[\uac00-\ud7a3]")


def _texts(at) -> str:
    parts = [m.label for m in at.metric] + [h.value for h in at.header] + [h.value for h in at.subheader]
    parts += [h.value for h in at.title] + [c.value for c in at.caption] + [w.value for w in at.warning]
    return "\n".join(map(str, parts))


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_every_page_renders_without_exception_in_both_languages(app, page, lang):
    at = app({"lang": lang})
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    text = _texts(at)
    assert ("합성 데모 데이터" if lang == "ko" else "Synthetic demo data") in text, "demo banner"
    assert ("자료 기준일" if lang == "ko" else "Data as of") in text, "data date"
    if lang == "en":
        titles = " ".join(e.value for e in [*at.title, *at.subheader, *at.header])
        assert not HANGUL.search(titles), f"Korean text left in English titles: {titles}"


def test_overview_shows_six_kpis_the_trend_and_alerts(app):
    at = app()
    assert sorted(m.label for m in at.metric) == sorted([
        "참여 기관", "협약 참여 병원", "체결 협약", "제공 완료 신청", "제공 소요일(중앙값)", "네트워크 데이터 품질",
    ])
    assert all(m.value not in ("", None) for m in at.metric)
    subheaders = [s.value for s in at.subheader]
    assert any("누적" in s for s in subheaders)
    assert any("품질 점수" in s for s in subheaders)
    assert any("대기" in s for s in subheaders)


def test_overview_says_what_changed_the_most_significant_first_and_all_one_click_away(app, demo_db):
    """The same ranking as the deck and the briefing (oversight/findings.py), in the page's words."""
    from oversight import db, findings, queries
    from oversight.filters import default_filters
    from oversight.views import overview
    from oversight.views.localise import localise, words

    at = app()
    assert "달라진 점" in [h.value for h in at.header]
    runner = queries.DatabaseRunner(db.read_only(demo_db))
    info = runner.run("dataset_info", {}).row(0, named=True)
    filters = default_filters(info["data_date"], info["data_until"])
    ranked = findings.ranked(localise(overview.build(runner, filters), "ko"))
    bullets = [m.value for m in at.markdown if m.value.startswith("- ")]
    assert bullets[:3] == ["- " + components_plain(words(f.sentence, "ko")) for f in ranked[:3]]
    expander = next(e for e in at.expander if e.label.startswith("모든 변화 보기"))
    listed = expander.markdown[0].value.split("\n")
    assert listed == ["- " + components_plain(words(f.title, "ko")) for f in ranked]
    assert len(listed) == len(ranked) > 3


def components_plain(text: str) -> str:
    from ui.components import plain

    return plain(text)


def test_changing_a_filter_changes_a_kpi_and_the_url(app):
    at = app()
    before = {m.label: m.value for m in at.metric}
    at.multiselect(key="w_regions_ko").set_value(["11"]).run()
    after = {m.label: m.value for m in at.metric}
    assert before["참여 기관"] != after["참여 기관"]
    assert at.query_params["regions"] in ("11", ["11"])


def test_a_shared_link_reproduces_the_view(app):
    first = app()
    first.multiselect(key="w_regions_ko").set_value(["26"]).run()
    link = {k: (v[0] if isinstance(v, list) else v) for k, v in first.query_params.items()}
    opened = app(link)
    assert opened.multiselect(key="w_regions_ko").value == ["26"]
    assert [m.value for m in opened.metric] == [m.value for m in first.metric]


def test_the_language_switch_translates_and_is_kept_in_the_url(app):
    at = app()
    at.radio(key="w_lang").set_value("en").run()
    assert "Institutions in the programme" in [m.label for m in at.metric]
    assert at.query_params["lang"] in ("en", ["en"])


def test_a_missing_database_is_an_empty_start_not_an_error(app, tmp_path):
    at = app(db_path=tmp_path / "absent.duckdb")  # a data manager: the Data page (tests/app/test_app_dqd.py)
    assert not at.exception and not at.error
    assert any("첫 제출" in i.value for i in at.info)


def test_a_corrupt_database_says_what_to_do(app, tmp_path):
    bad = tmp_path / "bad.duckdb"
    bad.write_bytes(b"\0" * 4096)
    at = app(db_path=bad)
    assert not at.exception
    assert any("python -m oversight demo" in e.value for e in at.error)


def test_switching_language_keeps_the_filters(app):
    at = app()
    at.multiselect(key="w_regions_ko").set_value(["11"]).run()
    seoul = [m.value for m in at.metric]
    at.radio(key="w_lang").set_value("en").run()
    assert at.multiselect(key="w_regions_en").value == ["11"]
    digits = lambda values: [re.sub(r"[^0-9.%]", "", v) for v in values]  # units are translated
    assert digits(m.value for m in at.metric) == digits(seoul)
    assert at.query_params["regions"] in ("11", ["11"])


def test_a_database_from_an_earlier_version_says_how_to_refresh(app, demo_db, tmp_path):
    import shutil

    import duckdb

    old = tmp_path / "old.duckdb"
    shutil.copy(demo_db, old)
    con = duckdb.connect(str(old))
    con.execute("drop table quality_summary")
    con.close()
    at = app(db_path=old)
    assert not at.exception
    assert any("python -m oversight refresh" in e.value for e in at.error)
    from oversight.__main__ import main

    assert main(["refresh", "--db", str(old)]) == 0
    assert not app(db_path=old).error


def test_every_chart_has_a_sentence_beside_it(app):
    """Each chart's text summary (oversight/charts/describe.py), on every page: one test that lists
    every page short of summaries. Static legends (the map's) are part of the map, not charts."""
    short = {}
    for page in registry.PAGES:
        at = app({"lang": "en"})
        at.switch_page(page.script).run()
        assert not at.exception, [e.value for e in at.exception]
        charts = [c for c in at.get("plotly_chart") if '"staticPlot": true' not in c.proto.config.replace(":true", ": true")]
        summaries = [c.value for c in at.caption if c.value.startswith("Chart summary:")]
        if len(summaries) < len(charts):
            short[page.slug] = (len(charts), summaries)
    assert not short, short


def test_a_chart_pick_can_be_made_by_keyboard_from_the_list_under_the_chart(app):
    """The list under a cross-filtering chart does what a click on its bars does."""
    from helpers import query_value

    at = app({"lang": "en"})
    at.switch_page("pages/consulting.py").run()
    before = {m.label: m.value for m in at.metric}
    lists = [m for m in at.multiselect if m.label == "Narrow the page by this chart"]
    assert len(lists) == 2  # topics by count and by satisfaction
    assert "Ethics & IRB" in lists[0].options  # shown by name, picked by code
    lists[0].set_value(["ethics_irb"]).run()
    assert not at.exception
    assert query_value(at, "consulting_topic") == "ethics_irb"
    assert {m.label: m.value for m in at.metric} != before  # the KPIs narrowed to the topic
    picked = [m for m in at.multiselect if m.label == "Narrow the page by this chart"]
    assert picked[0].value == ["ethics_irb"] and picked[1].value == ["ethics_irb"]


def test_an_agreements_bar_can_be_picked_by_keyboard_one_at_a_time(app):
    from helpers import query_value

    at = app({"lang": "en"})
    at.switch_page("pages/agreements.py").run()
    area = next(m for m in at.multiselect if m.label == "Narrow the page by this chart" and "Oncology" in m.options)
    area.set_value(["oncology"]).run()
    assert not at.exception and query_value(at, "agreements_area") == "oncology"
    area = next(m for m in at.multiselect if m.label == "Narrow the page by this chart" and "Oncology" in m.options)
    area.set_value(["oncology", "rare_disease"]).run()  # a second choice replaces the first, as a click does
    assert query_value(at, "agreements_area") == "rare_disease"
