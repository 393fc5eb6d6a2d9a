"""The Data page with DQD results and an empty start, in AppTest (issue 15)."""

from __future__ import annotations

import datetime as dt
import shutil

from fixture_dqd import V1_UPPER_2019, V2_2024, json_bytes
from loader_files import table_rows
from oversight import auth
from oversight.loader import template

DATA_PAGE = "pages/data.py"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_an_empty_start_lets_a_data_manager_load_the_first_batch_in_the_browser(app, tmp_path):
    missing = tmp_path / "new" / "oversight.duckdb"
    at = app(db_path=missing)  # OVERSIGHT_LOCAL_DATA_MANAGER=1 on loopback: a data manager
    assert not at.exception, [e.value for e in at.exception]
    assert [t.value for t in at.title] == ["데이터 적재"]
    assert "아직 데이터베이스가 없습니다" in at.info[0].value
    at.file_uploader[0].set_value([("example.xlsx", template.template(example_rows=True), XLSX)]).run()
    assert not at.exception, [e.value for e in at.exception]
    at.button(key="data_load").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert table_rows(missing, "select count(*) from institutions") == [(5,)]
    assert table_rows(missing, "select kind from dataset_info") == [("submitted",)]


def test_an_empty_start_shows_a_viewer_a_short_message(app, tmp_path, monkeypatch):
    monkeypatch.delenv(auth.LOCAL_ENV, raising=False)
    at = app({"lang": "en"}, db_path=tmp_path / "none.duckdb")
    assert not at.exception, [e.value for e in at.exception]
    assert [i.value for i in at.info] == ["No data has been loaded yet. The figures appear here once a data manager loads the first submission."]
    assert len(at.error) == 0 and len(at.file_uploader) == 0


def test_dqd_results_ask_for_the_hospital_and_the_missing_date_then_load(app, fixture_db, tmp_path):
    live = tmp_path / "live.duckdb"
    shutil.copy(fixture_db, live)
    at = app({"lang": "en"}, db_path=live)
    at.switch_page(DATA_PAGE).run()
    at.file_uploader[0].set_value([("hospital.json", json_bytes(V2_2024), "application/json"),
                                   ("old.json", json_bytes(V1_UPPER_2019), "application/json")]).run()
    assert not at.exception, [e.value for e in at.exception]
    assert "No hospital was given" in " ".join(str(d.value.to_dict()) for d in at.dataframe)
    at_hospital = [s for s in at.selectbox if s.key != "data_audit_action"]  # the audit tab's filter aside
    assert [s.value for s in at_hospital] == [None, None]  # no fixture hospital is named like the file's source
    asked = [d for d in at.date_input if d.key and d.key.startswith("data_dqd_date_")]
    assert len(asked) == 1  # old.json's date: hospital.json has its startTimestamp
    at.selectbox[0].set_value("H1")
    at.selectbox[1].set_value("H2")
    asked[0].set_value(dt.date(2019, 7, 1)).run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    at.button(key="data_load").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert table_rows(live, "select institution_id, assessed_on::varchar, count(*) from quality_checks"
                            " where assessed_on in ('2024-03-04', '2019-07-01') group by all order by 1") == [
        ("H1", "2024-03-04", 9), ("H2", "2019-07-01", 6)]
