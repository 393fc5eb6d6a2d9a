"""The data-access, safe-centre and consulting pages in AppTest over the tiny demo database:
key elements, a shared filter changing a figure, and cross-filters opened from the URL and cleared."""

import re

import pytest
from helpers import metrics, open_page, query_value

from oversight import db, queries

ACCESS, CENTRES, CONSULTING = "pages/access.py", "pages/centres.py", "pages/consulting.py"
HANGUL = re.compile(r"[\uac00-\ud7a3]")








def chip_buttons(at) -> list:
    return [b for b in at.button if b.key and b.key.startswith("xf_clear")]


@pytest.fixture(scope="module")
def demo_ids(demo_db):
    runner = queries.DatabaseRunner(db.read_only(demo_db))
    centres = runner.run("centre_designations", {}).get_column("institution_id").to_list()
    return {"centres": centres}


# --- data access --------------------------------------------------------------------------------


def test_access_page_answers_in_the_first_screen(app):
    at = open_page(app, ACCESS)
    assert list(metrics(at)) == [
        "이용 신청", "제공 완료", "제공 소요일(중앙값)", "제공 소요일(90백분위)", "처리 중인 신청(기간 말)",
    ]
    assert all(v not in ("", None) for v in metrics(at).values())
    subheaders = " ".join(s.value for s in at.subheader)
    for title in ("신청 처리 단계", "경과일", "자료 유형별", "이용 방식별", "느린 병원", "월별 제공"):
        assert title in subheaders
    assert any(c.value.startswith("정의:") for c in at.caption)
    assert not chip_buttons(at)


def test_access_page_in_english(app):
    at = open_page(app, ACCESS, {"lang": "en"})
    assert "Requests made" in metrics(at)
    texts = " ".join([*(s.value for s in at.subheader), *(h.value for h in at.header), *metrics(at)])
    assert not HANGUL.search(texts)


def test_a_shared_filter_changes_the_access_figures(app):
    at = open_page(app, ACCESS)
    before = metrics(at)["이용 신청"]
    at.multiselect(key="w_regions_ko").set_value(["11"]).run()
    assert metrics(at)["이용 신청"] != before


def test_a_cross_filter_in_the_url_narrows_the_page_and_clears_in_one_click(app):
    everything = metrics(open_page(app, ACCESS))
    at = open_page(app, ACCESS, {"access_type": "genomic"})
    narrowed = metrics(at)
    assert int(narrowed["이용 신청"].replace(",", "")) < int(everything["이용 신청"].replace(",", ""))
    [chip] = chip_buttons(at)
    assert "자료 유형" in chip.label and "유전체" in chip.label
    chip.click().run()
    assert query_value(at, "access_type") is None
    assert not chip_buttons(at)
    assert metrics(at) == everything


def test_several_cross_filters_clear_all_at_once(app):
    at = open_page(app, ACCESS, {"access_type": "genomic,emr", "access_mode": "remote_analysis"})
    assert len(chip_buttons(at)) == 3  # one per dimension and one for all
    at.button(key="xf_clear_all").click().run()
    assert (query_value(at, "access_type"), query_value(at, "access_mode")) == (None, None)


def test_unknown_cross_filter_values_are_ignored(app):
    everything = metrics(open_page(app, ACCESS))
    at = open_page(app, ACCESS, {"access_type": "nonsense", "access_hospital": "x') or 1=1 --"})
    assert not chip_buttons(at)
    assert metrics(at) == everything


def test_the_hospital_ranking_order_is_kept_in_the_url(app):
    at = open_page(app, ACCESS, {"access_rank": "fastest", "access_n": "5"})
    assert any("빠른 병원 5곳" in s.value for s in at.subheader)
    at.segmented_control(key="w_access_rank").set_value("slowest").run()
    assert any("느린 병원 5곳" in s.value for s in at.subheader)
    assert query_value(at, "access_rank") is None  # the default is left out of the URL
    assert query_value(at, "access_n") == "5"


def test_an_age_band_opens_its_list(app):
    at = open_page(app, ACCESS, {"access_age": "d0_30"})
    assert any("0~30일" in e.label.replace("\\", "") for e in at.expander)  # labels are Markdown-escaped
    assert any("경과일 구간" in b.label for b in chip_buttons(at))


def test_the_selection_survives_a_language_switch(app):
    at = open_page(app, ACCESS, {"access_type": "genomic"})
    at.radio(key="w_lang").set_value("en").run()
    [chip] = chip_buttons(at)
    assert "Data type" in chip.label and "Genomic" in chip.label
    assert query_value(at, "access_type") == "genomic"


# --- safe centres -------------------------------------------------------------------------------


def test_centres_page_and_one_centre_from_the_url(app, demo_ids):
    at = open_page(app, CENTRES)
    assert list(metrics(at)) == ["센터 이용 횟수", "연구자 이용 시간", "센터 경유 신청 비중", "이용 실적 보고 센터"]
    everything = metrics(at)
    centre = demo_ids["centres"][0]
    one = open_page(app, CENTRES, {"centres_centre": centre})
    assert metrics(one)["이용 실적 보고 센터"] == "1"
    assert metrics(one)["센터 이용 횟수"] != everything["센터 이용 횟수"]
    assert any("선택한 센터의 월별 이용" in s.value for s in one.subheader)
    [chip] = chip_buttons(one)
    chip.click().run()
    assert query_value(one, "centres_centre") is None and metrics(one) == everything


def test_centres_metric_choice(app):
    at = open_page(app, CENTRES, {"centres_metric": "researcher_hours", "lang": "en"})
    assert any("researcher hours" in s.value for s in at.subheader)


def test_a_shared_filter_changes_the_centre_figures(app):
    at = open_page(app, CENTRES)
    before = metrics(at)["센터 경유 신청 비중"]
    at.multiselect(key="w_kinds_ko").set_value(["university"]).run()
    assert metrics(at)["센터 경유 신청 비중"] != before


# --- consulting ---------------------------------------------------------------------------------


def test_consulting_page_states_association_not_causation(app):
    for lang, words in (("ko", "인과관계가 아닙니다"), ("en", "not causation")):
        at = open_page(app, CONSULTING, {"lang": lang})
        assert any(words in i.value for i in at.info)
        assert len(at.metric) == 4


def test_a_topic_from_the_url_narrows_the_consulting_page(app):
    everything = metrics(open_page(app, CONSULTING))
    at = open_page(app, CONSULTING, {"consulting_topic": "security"})
    assert int(metrics(at)["컨설팅 건수"]) < int(everything["컨설팅 건수"].replace(",", ""))
    [chip] = chip_buttons(at)
    assert "보안" in chip.label
    chip.click().run()
    assert metrics(at) == everything
