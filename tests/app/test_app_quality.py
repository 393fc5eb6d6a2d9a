"""The data quality page in AppTest over the tiny demo database: the network view, the threshold
(a widget and a URL parameter), and one hospital's view opened from the URL or the select box."""

import polars as pl
import pytest
from helpers import metrics, open_page

from oversight import db, queries
from oversight.views import quality

PAGE = "pages/quality.py"


@pytest.fixture(scope="module")
def demo(demo_db):
    """The demo database's data date, and a hospital with two or more assessments by then."""
    runner = queries.DatabaseRunner(db.read_only(demo_db))
    data_date = runner.run("dataset_info", {})["data_date"][0]
    latest = runner.run("quality_latest_scores", {"date_to": data_date, "regions": []})
    overall = latest.filter(pl.col("dimension") == "overall")
    hospital = overall.filter(pl.col("previous_assessed_on").is_not_null()).sort("institution_id").row(0, named=True)
    changes = runner.run("quality_check_changes", {
        "institution_id": hospital["institution_id"], "assessed_on": hospital["assessed_on"],
        "previous_assessed_on": hospital["previous_assessed_on"],
    })
    counts = {c: int((changes["change"] == c).sum()) for c in quality.CHANGES}
    return {"date": data_date, "hospital": hospital, "counts": counts, "scores": overall["score"].to_list()}






def test_network_view_renders_its_figures(app, demo):
    at = open_page(app, PAGE, {"lang": "en"})
    values = metrics(at)
    for label in ("Network quality score", "Median hospital score", "Hospitals assessed", "Hospitals below 90%",
                  "Improved on last quarter", "Regressed on last quarter"):
        assert label in values, label
    assert values["Hospitals assessed"] == str(len(demo["scores"]))
    below = sum(score < 0.9 for score in demo["scores"])
    assert values["Hospitals below 90%"] == str(below)
    subheaders = " ".join(s.value for s in at.subheader)
    for title in ("Quality scores by hospital", "Distribution of hospital scores", "median and spread",
                  "before and after the infrastructure year"):
        assert title in subheaders, title
    assert len(at.get("plotly_chart")) >= 5
    assert at.selectbox(key="w_hospital").value == ""  # the whole network


def test_the_threshold_changes_the_flagged_count_and_is_kept_in_the_url(app, demo):
    at = open_page(app, PAGE, {"lang": "en"})
    at.number_input(key="w_threshold").set_value(95.0).run()
    assert not at.exception
    values = metrics(at)
    assert values["Hospitals below 95%"] == str(sum(score < 0.95 for score in demo["scores"]))
    assert sum(score < 0.95 for score in demo["scores"]) > sum(score < 0.9 for score in demo["scores"])
    assert at.query_params["threshold"] in ("95", ["95"])
    assert any("Hospitals scoring below 95%" in s.value for s in at.subheader)


def test_a_threshold_in_the_url_is_used(app, demo):
    at = open_page(app, PAGE, {"lang": "en", "threshold": "85"})
    assert at.number_input(key="w_threshold").value == 85.0
    assert metrics(at)["Hospitals below 85%"] == str(sum(score < 0.85 for score in demo["scores"]))


def test_the_url_opens_a_hospital_with_its_changes(app, demo):
    hospital = demo["hospital"]
    at = open_page(app, PAGE, {"lang": "en", "hospital": hospital["institution_id"]})
    assert not at.error
    values = metrics(at)
    counts = demo["counts"]
    assert values["New failures"] == f"{counts['new']:,}"
    assert values["Resolved failures"] == f"{counts['resolved']:,}"
    assert values["Persisting failures"] == f"{counts['persisting']:,}"
    assert values["Overall score"] == f"{hospital['score']:.1%}"
    assert at.selectbox(key="w_hospital").value == hospital["institution_id"]
    assert at.selectbox(key="w_assessment").value == hospital["assessed_on"]
    tabs = [tab.label for tab in at.tabs]
    assert f"New failures ({counts['new']:,})" in tabs
    assert "Network quality score" not in values  # the network's figures give way to the hospital's


def test_choosing_a_hospital_and_going_back(app, demo):
    hospital = demo["hospital"]["institution_id"]
    at = open_page(app, PAGE)
    at.selectbox(key="w_hospital").set_value(hospital).run()
    assert not at.exception
    assert at.query_params["hospital"] in (hospital, [hospital])
    assert "신규 실패 검사" in metrics(at)
    at.button[0].click().run()  # back to the whole network
    assert "hospital" not in at.query_params
    assert "네트워크 품질 점수" in metrics(at)
    assert at.selectbox(key="w_hospital").value == ""


def test_an_earlier_assessment_compares_with_the_one_before_it(app, demo):
    hospital = demo["hospital"]
    at = open_page(app, PAGE, {"lang": "en", "hospital": hospital["institution_id"]})
    at.selectbox(key="w_assessment").set_value(hospital["previous_assessed_on"]).run()
    assert not at.exception
    assert at.query_params["assessment"] in (hospital["previous_assessed_on"].isoformat(), [hospital["previous_assessed_on"].isoformat()])
    note = f"assessment of {hospital['previous_assessed_on']} compared with"
    assert any(note in c.value.replace("\\", "") for c in at.caption)  # captions escape Markdown
    assert metrics(at)["Overall score"] == f"{hospital['previous_score']:.1%}"


def test_an_unknown_hospital_in_the_url_falls_back_to_the_network(app):
    at = open_page(app, PAGE, {"lang": "en", "hospital": "NO-SUCH-HOSPITAL"})
    assert any("NO" in i.value and "whole network" in i.value for i in at.info)
    assert "Network quality score" in metrics(at)
    assert "hospital" not in at.query_params


def test_a_shorter_period_moves_the_hospital_to_its_assessment_then(app, demo):
    hospital = demo["hospital"]
    at = open_page(app, PAGE, {"hospital": hospital["institution_id"]})
    assert at.selectbox(key="w_assessment").value == hospital["assessed_on"]
    end = hospital["previous_assessed_on"]  # the latest assessment falls outside the new period
    at.date_input(key="w_period_ko").set_value((end.replace(year=end.year - 1), end)).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="w_assessment").value == hospital["previous_assessed_on"]
    assert metrics(at)["전체 점수"] == f"{hospital['previous_score']:.1%}"


def test_a_region_without_assessed_hospitals_says_so(app, demo_db):
    from oversight.regions import REGION_CODES

    runner = queries.DatabaseRunner(db.read_only(demo_db))
    data_date = runner.run("dataset_info", {})["data_date"][0]
    assessed = set(runner.run("quality_latest_scores", {"date_to": data_date, "regions": []})["region_code"])
    empty = next(code for code in REGION_CODES if code not in assessed)
    at = open_page(app, PAGE, {"lang": "en", "regions": empty})
    assert not at.error
    assert any("No quality assessment within the current filters" in i.value for i in at.info)
