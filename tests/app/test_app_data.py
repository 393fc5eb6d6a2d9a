"""The Data page in AppTest: who may open it, checking and loading uploads, templates, history."""

from __future__ import annotations

import hashlib
import io
import shutil
from pathlib import Path

import openpyxl
import pytest
from loader_files import REQUEST_HEADER, table_rows

from oversight import auth, loader, settings, state
from oversight.loader import template
from oversight.state import audit

ROOT = Path(__file__).resolve().parents[2]
DATA_PAGE = "pages/data.py"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(autouse=True)
def audit_store(monkeypatch, tmp_path) -> str:
    """Each test its own empty audit trail: what a test records is all the page shows."""
    url = f"sqlite:///{tmp_path / 'state.sqlite'}"
    monkeypatch.setenv(settings.STATE_URL.name, url)
    return url


@pytest.fixture()
def live(demo_db, tmp_path) -> Path:
    path = tmp_path / "live.duckdb"
    shutil.copy(demo_db, path)
    return path


def open_data_page(app, live, lang="ko"):
    at = app({"lang": lang}, db_path=live)
    at.switch_page(DATA_PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at) -> str:
    parts = [e.value for kind in ("title", "header", "subheader", "caption", "success", "info", "warning", "error")
             for e in getattr(at, kind)]
    return "\n".join(map(str, parts))


def test_without_sign_in_or_the_local_setting_the_page_is_not_listed(app, monkeypatch):
    monkeypatch.delenv(auth.LOCAL_ENV, raising=False)
    at = app()
    assert not at.exception
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(DATA_PAGE)


def test_the_page_file_run_on_its_own_shows_nothing_to_someone_without_the_role(monkeypatch, demo_db):
    # A fresh server runs pages/data.py alone when its URL is the first one asked for
    # (Streamlit's pages/ folder): the page must guard itself.
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("OVERSIGHT_DB", str(demo_db))
    monkeypatch.delenv(auth.LOCAL_ENV, raising=False)
    at = AppTest.from_file(str(ROOT / DATA_PAGE), default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    assert [t.value for t in at.title] == ["접근 권한이 필요합니다"]
    assert "로그인이 설정되지 않은 서버" in at.warning[0].value
    assert len(at.file_uploader) == 0 and len(at.dataframe) == 0 and len(at.download_button) == 0


def test_a_broken_roles_file_closes_the_page_and_says_so(app, monkeypatch, tmp_path):
    broken = tmp_path / "roles.toml"
    broken.write_text("[roles\n", encoding="utf-8")
    monkeypatch.setenv(auth.ROLES_ENV, str(broken))
    at = app()
    assert any("권한 설정 파일을 읽을 수 없어" in e.value for e in at.sidebar.error)
    with pytest.raises(ValueError):
        at.switch_page(DATA_PAGE)


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_data_manager_sees_the_upload_the_templates_the_contents_and_the_history(app, live, lang):
    at = open_data_page(app, live, lang)
    assert [t.value for t in at.title] == ["데이터 적재" if lang == "ko" else "Data loading"]
    assert len(at.file_uploader) == 1 and at.file_uploader[0].accept_multiple_files
    assert len(at.tabs) == 5  # upload, templates, contents, history, audit trail
    assert len(at.download_button) == 2
    contents = at.dataframe[0].value
    counts = dict(zip(contents.iloc[:, 0], contents.iloc[:, 1], strict=True))
    assert counts == {t: table_rows(live, "select count(*) from " + t)[0][0] for t in counts}
    history = at.dataframe[1].value
    assert list(history.iloc[:, 3]) == ["demo-tiny-7"]  # the batch id column


def test_uploading_a_workbook_checks_it_and_loading_it_swaps_the_new_version_in(app, live):
    at = open_data_page(app, live)
    example = template.template(example_rows=True)
    at.file_uploader[0].set_value([("example.xlsx", example, XLSX)]).run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("문제 없음" in s.value for s in at.success)
    changes = at.dataframe[1].value  # files, then the changes table
    assert changes.iloc[:, 2].sum() == 20  # 5 + 2 + 3 + 3 + 2 + 3 + 2 new rows of the example
    at.button(key="data_load").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("적재 완료" in s.value for s in at.success)
    assert table_rows(live, "select count(*) from institutions where institution_id like 'EX-%'") == [(5,)]
    assert table_rows(live, "select kind from dataset_info") == [("mixed",)]
    assert "제출 자료가 더해진" in texts(at)  # the banner says the demo data is no longer alone
    assert len(at.file_uploader) == 1  # a fresh, empty uploader for the next batch


def test_a_load_is_recorded_in_the_audit_trail_which_the_page_shows(app, live, audit_store):
    url = audit_store
    at = open_data_page(app, live, "en")
    assert "No events match." in texts(at)
    at.file_uploader[0].set_value([("example.xlsx", template.template(example_rows=True), XLSX)]).run()
    at.button(key="data_load").click().run()
    assert not at.exception, [e.value for e in at.exception]
    events = audit.events(engine=state.engine(url))
    assert events["action"].to_list() == ["load"]
    assert events["actor"][0].startswith("local:") and events["role"][0] == "data_manager"
    assert events["view"][0].startswith("/data?") and "lang=en" in events["view"][0]
    assert "example.xlsx" in events["detail"][0]
    shown = at.dataframe[-1].value  # the audit tab's table, the page's last
    assert list(shown["Action"]) == ["Load"] and list(shown["User"]) == list(events["actor"])
    assert any(b.key == "data_audit_csv" for b in at.download_button)


def test_a_file_with_errors_is_refused_with_rows_and_columns_and_changes_nothing(app, live):
    before = sha(live)
    at = open_data_page(app, live, "en")
    bad = (REQUEST_HEADER + "\nR1,AGR-00001,H1,2026-13-01,,,requested,emr,remote_analysis,,,\n").encode()
    at.file_uploader[0].set_value([("data_requests.csv", bad, "text/csv")]).run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("problems: this batch cannot be loaded" in e.value for e in at.error)
    details = at.dataframe[2].value
    date = details[details["Column"] == "requested_on"].iloc[0]
    assert (date["File"], date["Row"], date["Value"]) == ("data_requests.csv", 2, "2026-13-01")
    assert date["Problem"].startswith("Not a date")
    party = details[details["Column"] == "agreement_id, hospital_id"].iloc[0]  # H1 is no hospital of the demo
    assert (party["Row"], party["Value"]) == (2, "AGR-00001 / H1")
    assert "Download the problems (CSV)" in [b.proto.label for b in at.get("download_button")]
    assert not any(b.key == "data_load" for b in at.button)
    assert sha(live) == before


def test_the_same_workbook_twice_is_unchanged_and_recorded(app, live, audit_store):
    url = audit_store  # an unchanged load records nothing
    example = loader.Submission("example.xlsx", template.template(example_rows=True))
    loader.import_files([example], live, by="earlier")
    before = sha(live)
    at = open_data_page(app, live)
    at.file_uploader[0].set_value([("example.xlsx", example.data, XLSX)]).run()
    assert any("이미 같은 내용이 적재되어" in i.value for i in at.info)
    at.button(key="data_load").click().run()
    assert any("변경 없음" in i.value for i in at.info)
    assert sha(live) == before
    history = at.dataframe[-1].value
    assert list(history.iloc[:2, 1]) == ["변경 없음", "적재됨"]
    assert audit.events(engine=state.engine(url)).is_empty()


def test_the_templates_offered_are_workbooks_with_a_sheet_per_table(app, live):
    at = open_data_page(app, live)
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["빈 양식 내려받기", "예시 양식 내려받기"]
    book = openpyxl.load_workbook(io.BytesIO(template.template()))
    assert "institutions" in book.sheetnames
