"""The Agreements page in AppTest over the tiny demo database: key elements, filters, URL drill-down.

The demo carries the press release's four agreements (docs/architecture.md): AGR-SEED-1 Samjin
Pharmaceutical with four hospitals, AGR-SEED-2 Hanmi Pharm with two, AGR-SEED-3 Whanin
Pharmaceutical with two, AGR-SEED-4 Human Deep with one.
"""

import pytest
from helpers import metrics, open_page, subheaders

PAGE = "pages/agreements.py"








def _table(at, header="협약 ID"):
    """The first table that has the header (agreement tables: the list, then the detail's)."""
    return next(df.value for df in at.dataframe if header in df.value.columns)


def test_page_answers_how_many_how_fast_and_in_what(app):
    at = open_page(app, PAGE)
    labels = [m.label for m in at.metric]
    assert labels == ["기간 중 체결 협약", "기간 말 유효 협약", "협약 체결 신청 기관", "협약당 참여 병원"]
    assert all(m.value not in ("", None, "–") for m in at.metric)
    shown = " ".join(subheaders(at))
    for expected in ("월별 체결 협약", "연구 분야별", "신청 기관 구분별", "협약 상태별", "연결망", "협약 목록"):
        assert expected in shown
    captions = " ".join(c.value for c in at.caption)
    assert "자료 기준일" in captions and captions.count("정의:") >= 6  # data date; a definition per figure
    listing = _table(at)
    assert listing.shape[0] >= 4 and listing["협약 ID"].str.startswith("AGR-").all()


def test_a_filter_changes_the_figures(app):
    at = open_page(app, PAGE)
    before = metrics(at)
    at.multiselect(key="w_areas_ko").set_value(["cardiovascular"]).run()
    after = metrics(at)
    assert after["기간 중 체결 협약"] != before["기간 중 체결 협약"]
    assert set(_table(at)["연구 분야"]) == {"심혈관"}
    assert at.query_params["areas"] in ("cardiovascular", ["cardiovascular"])


def test_a_url_opens_one_agreement(app):
    at = open_page(app, PAGE, {"agreement": "AGR-SEED-1"})
    assert "협약 상세: AGR-SEED-1" in subheaders(at)
    figures = metrics(at)
    assert figures["참여 병원"] == "4"  # Samjin signed with four hospitals
    requests = _table(at, "신청 ID")
    assert requests.shape[0] == int(figures["데이터 신청"].replace(",", ""))
    assert at.query_params["agreement"] in ("AGR-SEED-1", ["AGR-SEED-1"])


def test_closing_the_detail_clears_the_url(app):
    at = open_page(app, PAGE, {"agreement": "AGR-SEED-4"})
    assert metrics(at)["참여 병원"] == "1"  # Human Deep with one hospital
    at.button(key="agreements_close_detail").click().run()
    assert "agreement" not in at.query_params
    assert not any("협약 상세" in s for s in subheaders(at))


def test_an_unknown_agreement_says_so(app):
    at = open_page(app, PAGE, {"agreement": "AGR-NOPE", "lang": "en"})
    assert any("There is no agreement AGR" in w.value for w in at.warning)


def test_search_finds_the_press_release_agreements_and_is_kept_in_the_url(app):
    at = open_page(app, PAGE, {"lang": "en"})
    at.text_input(key="w_agreements_q").input("AGR-SEED").run()
    assert at.query_params["agreements_q"] in ("AGR-SEED", ["AGR-SEED"])
    listing = _table(at, "Agreement ID")
    assert sorted(listing["Agreement ID"]) == ["AGR-SEED-1", "AGR-SEED-2", "AGR-SEED-3", "AGR-SEED-4"]
    assert set(listing["Hospitals"]) == {4, 2, 1}


def test_the_press_release_button(app):
    at = open_page(app, PAGE, {"lang": "en", "from": "2020-01-01", "to": "2020-12-31"})
    at.button[[b.label for b in at.button].index("Press-release agreements")].click().run()
    # the seeds were signed in 2026: the button widens the list to every agreement to the period's end...
    assert at.query_params["agreements_scope"] in ("all", ["all"])
    # ...but the period ends in 2020, so none is listed yet
    assert not any("Agreement ID" in df.value.columns for df in at.dataframe)
    at.query_params["to"] = "2026-11-27"
    reopened = open_page(app, PAGE, {k: (v[0] if isinstance(v, list) else v) for k, v in at.query_params.items()})
    assert sorted(_table(reopened, "Agreement ID")["Agreement ID"]) == [f"AGR-SEED-{i}" for i in range(1, 5)]


def test_a_selection_in_the_url_narrows_the_list_and_shows_with_a_clear_button(app):
    at = open_page(app, PAGE, {"lang": "en", "agreements_area": "cardiovascular", "agreements_scope": "all"})
    assert set(_table(at, "Agreement ID")["Research area"]) == {"Cardiovascular"}
    assert any("Research area: Cardiovascular" in m.value.replace("\\", "") for m in at.markdown)
    at.button[[b.label for b in at.button].index("Clear selection")].click().run()
    assert "agreements_area" not in at.query_params
    assert len(set(_table(at, "Agreement ID")["Research area"])) > 1


def test_a_party_in_the_url_lists_its_agreements(app):
    at = open_page(app, PAGE, {"lang": "en", "agreements_party": "SEED-SAMJIN", "agreements_scope": "all"})
    assert list(_table(at, "Agreement ID")["Agreement ID"]) == ["AGR-SEED-1"]
    assert any("Institution: Samjin Pharmaceutical" in m.value.replace("\\", "") for m in at.markdown)


@pytest.mark.parametrize("query", [
    {"agreements_order": "'; drop table agreements; --", "agreements_top": "999999", "agreements_scope": "x"},
    {"agreements_area": "nonsense", "agreements_group": "<script>", "agreements_status": "x"},
    {"agreement": "x" * 500, "agreements_q": "%_'\""},
])
def test_hostile_urls_fall_back_to_defaults(app, query):
    at = open_page(app, PAGE, query)
    assert not at.error
    assert len(at.metric) >= 4


def test_english(app):
    at = open_page(app, PAGE, {"lang": "en", "agreement": "AGR-SEED-2"})
    assert [m.label for m in at.metric][:4] == [
        "Agreements signed", "Agreements in force", "Requesters that signed", "Hospitals per agreement",
    ]
    assert "Agreement AGR-SEED-2" in subheaders(at)
    assert metrics(at)["Hospitals"] == "2"  # Hanmi Pharm with two
