"""The Institutions page in AppTest over the tiny demo database: league tables, filters, profiles by URL."""

from helpers import metrics, open_page, subheaders

PAGE = "pages/institutions.py"








def _table(at, header):
    return next(df.value for df in at.dataframe if header in df.value.columns)


def test_page_shows_both_sides_and_the_hospital_league(app):
    at = open_page(app, PAGE)
    assert [m.label for m in at.metric] == ["참여 병원", "기간 중 활동 병원", "참여 신청 기관", "기간 중 활동 신청 기관"]
    assert metrics(at)["참여 병원"] == "26"  # the tiny demo's 26 hospitals all joined before its data date
    shown = " ".join(subheaders(at))
    assert "병원별 신청 접수와 제공 소요일" in shown and "신청 기관 상위" in shown
    league = _table(at, "품질 점수")
    assert league.shape[0] == 26
    assert {"기관명", "지역", "병원 종별", "인프라 구축 연도", "협약 수", "신청 수", "제공 완료", "중앙값(일)",
            "통과 검사 수", "실패 검사 수"} <= set(league.columns)


def test_a_region_filter_changes_the_figures(app):
    at = open_page(app, PAGE)
    before = metrics(at)["참여 병원"]
    at.multiselect(key="w_regions_ko").set_value(["11"]).run()
    assert metrics(at)["참여 병원"] != before
    assert set(_table(at, "품질 점수")["지역"]) == {"서울특별시"}


def test_the_requester_league_from_the_url(app):
    at = open_page(app, PAGE, {"institutions_side": "requesters", "lang": "en"})
    league = _table(at, "Requester group")
    assert "Samjin Pharmaceutical" in set(league["Name"])
    assert not any("Quality score" in df.value.columns for df in at.dataframe)


def test_a_url_opens_a_hospital_profile(app):
    at = open_page(app, PAGE, {"institution": "SEED-H-SMC", "lang": "en"})
    assert "Profile: Samsung Medical Center (Samsung Seoul Hospital)" in subheaders(at)
    shown = subheaders(at)
    for expected in ("Activity by month", "Data quality score by assessment", "Requesters it signed with", "Its agreements"):
        assert expected in shown
    agreements = _table(at, "Agreement ID")
    assert "AGR-SEED-1" in set(agreements["Agreement ID"])  # Samsung Medical Center is party to Samjin's
    assert at.query_params["institution"] in ("SEED-H-SMC", ["SEED-H-SMC"])


def test_a_requester_profile_and_closing_it(app):
    at = open_page(app, PAGE, {"institution": "SEED-HUMANDEEP"})
    assert "기관 상세: 휴먼딥" in subheaders(at)
    partners = _table(at, "첫 협약일")
    assert list(partners["기관명"]) == ["건양대학교병원"]  # Human Deep signed with Konyang University Hospital
    assert metrics(at)["협약 병원"] == "1"
    at.button(key="institutions_close_profile").click().run()
    assert "institution" not in at.query_params
    assert not any(s.startswith("기관 상세") for s in subheaders(at))


def test_an_unknown_institution_says_so(app):
    at = open_page(app, PAGE, {"institution": "NOPE'--", "lang": "en"})
    assert any("There is no institution" in w.value for w in at.warning)
