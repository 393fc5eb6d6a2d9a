"""The Regions page in AppTest: its elements, filters reaching it, and the URL opening a region."""

import json
import shutil

import duckdb
import pytest
from helpers import open_page, query_value

PAGE = "pages/regions.py"




def _deck(at) -> dict:
    decks = at.get("deck_gl_json_chart")
    assert len(decks) == 1
    return json.loads(decks[0].proto.json)


def _layer_sizes(spec: dict) -> dict:
    return {
        layer["id"]: len(layer["data"]["features"]) if isinstance(layer["data"], dict) else len(layer["data"])
        for layer in spec["layers"]
    }




def test_the_first_screen_answers_where_and_how_concentrated(app):
    at = open_page(app, PAGE)
    assert sorted(m.label for m in at.metric) == sorted([
        "수도권 비중 · 참여 기관", "수도권 비중 · 체결 협약", "수도권 비중 · 제공 완료 신청",
        "지역 불균등 지수 · 협약", "지역 불균등 지수 · 제공 완료", "협약 병원이 있는 시도 (17개 중)",
    ])
    assert all(m.value not in ("", None) for m in at.metric)
    spec = _deck(at)
    sizes = _layer_sizes(spec)
    assert sizes["regions"] == 17 and sizes["institutions"] > 0
    assert spec["mapStyle"] == "__MAP_STYLE__"  # no basemap
    subheaders = [s.value for s in at.subheader]
    assert "지역별 현황 지도" in subheaders and "지도의 수치" in subheaders
    beside = at.dataframe[0].value
    assert len(beside) == 17 + 3  # 17 regions, capital area, other regions, all


def test_a_kind_filter_changes_the_figures(app):
    at = open_page(app, PAGE)
    before = {m.label: m.value for m in at.metric}
    at.multiselect(key="w_kinds_ko").set_value(["company"]).run()
    after = {m.label: m.value for m in at.metric}
    assert before["수도권 비중 · 참여 기관"] != after["수도권 비중 · 참여 기관"]


def test_the_region_filter_greys_the_other_regions(app):
    at = open_page(app, PAGE)
    at.multiselect(key="w_regions_ko").set_value(["11", "26"]).run()
    features = _deck(at)["layers"][0]["data"]["features"]
    grey = [f["properties"]["code"] for f in features if f["properties"]["fill"][:3] == [221, 221, 221]]
    assert len(grey) == 15 and "11" not in grey
    assert len(at.dataframe[0].value) == 2 + 1  # Seoul, Busan, and their total


def test_a_url_opens_a_region_and_its_districts(app):
    at = open_page(app, PAGE, {"region": "11"})
    assert "서울특별시 시군구 지도" in [s.value for s in at.subheader]
    sizes = _layer_sizes(_deck(at))
    assert sizes["districts"] == 25 and sizes["regions"] == 16  # the others as context
    assert at.selectbox(key="regions_pick_11").value == "11"


def test_a_legacy_code_in_the_url_opens_the_current_region(app):
    at = open_page(app, PAGE, {"region": "45"})
    assert "전북특별자치도 시군구 지도" in [s.value for s in at.subheader]
    assert query_value(at, "region") == "52"


def test_picking_a_region_in_the_list_drills_down_and_back_returns(app):
    at = open_page(app, PAGE)
    at.selectbox(key="regions_pick_all").set_value("26").run()
    assert query_value(at, "region") == "26"
    assert _layer_sizes(_deck(at))["districts"] == 16  # Busan's 16 districts
    next(b for b in at.button if b.label == "전국 지도로").click().run()
    assert query_value(at, "region") is None
    assert _layer_sizes(_deck(at))["regions"] == 17


def test_the_metric_and_basis_are_kept_in_the_url(app):
    at = open_page(app, PAGE)
    at.selectbox(key="regions_metric").set_value("agreements").run()
    assert query_value(at, "region_metric") == "agreements"
    columns = list(at.dataframe[0].proto.column_order)
    assert columns[:2] == ["지역", "협약 수 (100만 명당)"]  # the coloured figure comes first
    reopened = open_page(app, PAGE, {"region_metric": "agreements", "region_basis": "count"})
    assert list(reopened.dataframe[0].proto.column_order)[:2] == ["지역", "협약 수"]


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_page_reads_in_both_languages(app, lang):
    at = open_page(app, PAGE, {"lang": lang, "region": "41"})
    text = " ".join(s.value for s in at.subheader)
    assert ("경기도" if lang == "ko" else "Gyeonggi") in text
    tooltips = [f["properties"]["tooltip"] for f in _deck(at)["layers"][1]["data"]["features"]]
    assert any(t.startswith("수원시 장안구" if lang == "ko" else "Suwon-si Jangan-gu") for t in tooltips)


def test_a_database_from_before_the_districts_says_what_to_do(app, demo_db, tmp_path):
    old = tmp_path / "old.duckdb"
    shutil.copy(demo_db, old)
    con = duckdb.connect(str(old))
    con.execute("drop table institution_districts")
    con.close()
    at = app(db_path=old)
    at.switch_page(PAGE).run()
    assert not at.exception
    assert any("python -m oversight refresh" in e.value for e in at.error)  # the data is kept
    assert not at.get("deck_gl_json_chart")
