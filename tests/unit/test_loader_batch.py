"""A batch loads all or nothing, keys replace rows, the same content twice changes nothing, and
every attempt is recorded; the command line and the templates."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import threading

import openpyxl
import pytest

from loader_files import D, REQUEST_HEADER, csv_file, found, table_rows
from oversight import db as database
from oversight import loader, schema
from oversight.__main__ import main
from oversight.loader import batch, example, history, template


def sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture()
def db(fixture_db, tmp_path):
    path = tmp_path / "live.duckdb"
    shutil.copy(fixture_db, path)
    return path


R4_REVIEWED = "R4,A3,H3,2025-11-01,2025-11-20,,approved,emr,remote_analysis,,,"  # was under_review
R8_NEW = "R8,A2,H1,2026-06-20,,,requested,imaging,remote_analysis,,,"
R1_SAME = "R1,A1,H1,2024-06-01,2024-06-21,2024-07-01,delivered,emr,remote_analysis,,100,1000"


def requests_file(*lines):
    return csv_file("data_requests.csv", REQUEST_HEADER, *lines)


def test_a_batch_with_one_error_loads_nothing_and_leaves_the_file_byte_for_byte(db):
    before = sha(db)
    outcome = loader.import_files([requests_file(R4_REVIEWED, R8_NEW, "R9,A1,H1,2026-13-01,,,requested,emr,remote_analysis,,,")],
                                  db, by="tester")
    assert outcome.outcome == "refused"
    assert found(outcome.checked) == [("data_requests.csv", "", 4, "requested_on", "2026-13-01", "cell.date")]
    assert sha(db) == before
    assert not list(db.parent.glob(".*building*"))
    (record,) = history.read_log(db)
    assert (record["outcome"], record["loaded_by"], record["problems"]) == ("refused", "tester", 1)
    assert record["files"][0]["sha256"] == hashlib.sha256(requests_file(R4_REVIEWED, R8_NEW, "R9,A1,H1,2026-13-01,,,requested,emr,remote_analysis,,,").data).hexdigest()


def test_keys_replace_loaded_rows_and_the_batch_is_recorded(db):
    submission = requests_file(R4_REVIEWED, R8_NEW, R1_SAME)
    outcome = loader.import_files([submission], db, by="kim@agency.example")
    assert outcome.outcome == "loaded", found(outcome.checked)
    assert outcome.changes["data_requests"].as_dict() == {"rows": 3, "new": 1, "changed": 1, "same": 1, "removed": 0}
    rows = dict(table_rows(db, "select request_id, status || ' ' || batch_id from data_requests where request_id in ('R1', 'R4', 'R8')"))
    assert rows == {
        "R1": "delivered fixture-1",  # identical: keeps the batch that first wrote it
        "R4": f"approved {outcome.batch_id}",
        "R8": f"requested {outcome.batch_id}",
    }
    assert table_rows(db, "select count(*) from data_requests") == [(8,)]  # 7 + R8
    (recorded,) = table_rows(db, "select loaded_by, source, files, rows_per_table, outcome from batches where batch_id = '" + outcome.batch_id + "'")
    assert recorded[0:2] == ("kim@agency.example", "import")
    assert json.loads(recorded[2])[0]["sha256"] == submission.sha256
    assert json.loads(recorded[3]) == {"data_requests": 3}
    assert recorded[4] == "loaded"
    # Derived tables are rebuilt in the same swap: R4 is now approved in request_facts.
    assert table_rows(db, "select status from request_facts where request_id = 'R4'") == [("approved",)]


def test_the_same_content_twice_changes_nothing_and_says_so(db):
    files = [requests_file(R4_REVIEWED, R8_NEW)]
    first = loader.import_files(files, db, by="tester")
    assert first.outcome == "loaded"
    after_first = sha(db)
    second = loader.import_files([requests_file(R4_REVIEWED, R8_NEW)], db, by="tester")
    assert second.outcome == "unchanged"
    assert second.changes["data_requests"].as_dict() == {"rows": 2, "new": 0, "changed": 0, "same": 2, "removed": 0}
    assert sha(db) == after_first
    assert [r["outcome"] for r in history.read_log(db)] == ["loaded", "unchanged"]


def test_the_history_shows_loaded_batches_from_the_database_and_other_attempts_from_the_log(db):
    loader.import_files([requests_file(R8_NEW)], db, by="a")
    loader.import_files([requests_file(R8_NEW)], db, by="b")
    loader.import_files([requests_file("R9,A9,H1,2026-01-01,,,requested,emr,remote_analysis,,,")], db, by="c")
    from oversight import queries

    runner = queries.DatabaseRunner(database.read_only(db))
    combined = history.combined(runner.run("batch_history", {}), db)
    assert combined.select("loaded_by", "outcome").rows() == [
        ("c", "refused"), ("b", "unchanged"), ("a", "loaded"), ("tests", "loaded")]
    shown = history.display(combined, "ko")
    assert shown.columns[:3] == ["시각(KST)", "결과", "적재자"]
    assert shown.row(0)[1] == "거부됨"


def test_a_database_that_does_not_exist_is_created_with_the_schema(tmp_path):
    path = tmp_path / "new" / "oversight.duckdb"
    workbook = loader.Submission("example.xlsx", template.template(example_rows=True))
    outcome = loader.import_files([workbook], path, by="tester", data_date=D("2026-06-30"))
    assert outcome.outcome == "loaded", found(outcome.checked)
    assert outcome.dataset_kind == "submitted"
    counts = {t: table_rows(path, "select count(*) from " + t)[0][0] for t in schema.LOAD_ORDER}
    assert counts == {t: len(example.ROWS[t]) for t in schema.LOAD_ORDER}
    assert table_rows(path, "select kind, seed, scale, data_date, contract_version from dataset_info") == [
        ("submitted", None, None, D("2026-06-30"), 1)]
    # EX-H2 was given no region, only a point in Busan.
    assert table_rows(path, "select region_code from institutions where institution_id = 'EX-H2'") == [("26",)]


def test_submitted_data_over_demo_data_is_marked_mixed_and_keeps_the_demo_seed(demo_db, tmp_path):
    path = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, path)
    demo_date = table_rows(path, "select data_date from dataset_info")[0][0]
    workbook = loader.Submission("example.xlsx", template.template(example_rows=True))
    outcome = loader.import_files([workbook], path, by="tester")
    assert outcome.outcome == "loaded", found(outcome.checked)
    assert table_rows(path, "select kind, seed, scale from dataset_info") == [("mixed", 7, "tiny")]
    (data_date,) = table_rows(path, "select data_date from dataset_info")[0]
    assert data_date == max(demo_date, batch.today())


def test_a_second_loader_is_told_the_database_is_busy(db):
    before = sha(db)
    with batch.locked(db):
        with pytest.raises(loader.Busy):
            loader.import_files([requests_file(R8_NEW)], db, by="tester")
    assert sha(db) == before
    assert loader.import_files([requests_file(R8_NEW)], db, by="tester").outcome == "loaded"


def test_a_batch_checked_before_another_load_is_checked_again(db):
    checked = loader.check([requests_file(R8_NEW)], db)
    assert checked.changes["data_requests"].new == 1
    loader.import_files([requests_file(R8_NEW)], db, by="someone else")
    outcome = loader.load(checked, db, by="tester", submissions=[requests_file(R8_NEW)])
    assert outcome.outcome == "unchanged"  # checked again against the new version
    with pytest.raises(loader.Busy):
        loader.load(checked, db, by="tester")  # without the files it cannot be checked again


def test_loads_from_two_threads_are_serialised(db):
    results = []

    def run(line):
        results.append(loader.import_files([requests_file(line)], db, by="t", wait_seconds=60).outcome)

    threads = [threading.Thread(target=run, args=(line,)) for line in (R8_NEW, R4_REVIEWED)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["loaded", "loaded"]
    assert table_rows(db, "select count(*) from batches where loaded_by = 't'") == [(2,)]
    assert table_rows(db, "select status from data_requests where request_id in ('R4', 'R8') order by 1") == [
        ("approved",), ("requested",)]


# --- command line -----------------------------------------------------------------------------------


def write(path, submission):
    path.write_bytes(submission.data)
    return str(path)


def test_import_exits_0_when_loaded_or_unchanged_and_1_with_the_problems_when_refused(db, tmp_path, capsys):
    good = write(tmp_path / "data_requests.csv", requests_file(R8_NEW))
    assert main(["import", good, "--db", str(db), "--lang", "en", "--quiet"]) == 0
    assert "Loaded batch import-" in capsys.readouterr().out
    assert main(["import", good, "--db", str(db), "--lang", "en", "--quiet"]) == 0
    assert "Unchanged" in capsys.readouterr().out
    bad_lines = [f"R{100 + i},A1,H1,2026-13-01,,,requested,emr,remote_analysis,,," for i in range(60)]
    (tmp_path / "bad").mkdir()
    bad = write(tmp_path / "bad" / "data_requests.csv", requests_file(*bad_lines))
    before = sha(db)
    errors = tmp_path / "problems.csv"
    assert main(["import", bad, "--db", str(db), "--lang", "en", "--quiet", "--max-errors", "5",
                 "--errors-csv", str(errors)]) == 1
    out = capsys.readouterr().out
    assert "Refused: 60 problems" in out
    assert "data_requests.csv · row 2 · requested_on: Not a date." in out
    assert "… and 55 more" in out
    assert sha(db) == before
    assert len(errors.read_text(encoding="utf-8-sig").splitlines()) == 61


def test_import_in_korean_by_default(db, tmp_path, capsys):
    bad = write(tmp_path / "data_requests.csv", requests_file("R9,A1,H1,2026-13-01,,,requested,emr,remote_analysis,,,"))
    assert main(["import", bad, "--db", str(db), "--quiet"]) == 1
    out = capsys.readouterr().out
    assert "거부: 문제 1건" in out and "data_requests.csv · 2행 · requested_on: 날짜로 읽을 수 없습니다" in out


def test_import_check_only_loads_nothing(db, tmp_path, capsys):
    before = sha(db)
    good = write(tmp_path / "data_requests.csv", requests_file(R8_NEW))
    assert main(["import", good, "--db", str(db), "--lang", "en", "--quiet", "--check-only"]) == 0
    assert "data_requests: 1 rows — 1 new" in capsys.readouterr().out
    assert sha(db) == before


def test_import_exits_3_when_another_load_holds_the_database_and_2_for_a_missing_file(db, tmp_path, capsys):
    good = write(tmp_path / "data_requests.csv", requests_file(R8_NEW))
    with batch.locked(db):
        assert main(["import", good, "--db", str(db), "--quiet", "--wait", "0"]) == 3
    assert main(["import", str(tmp_path / "absent.csv"), "--db", str(db), "--quiet"]) == 2


def test_import_exits_4_when_the_database_cannot_be_read(tmp_path, capsys):
    corrupt = tmp_path / "corrupt.duckdb"
    corrupt.write_bytes(b"not a database" * 1000)
    before = sha(corrupt)
    good = write(tmp_path / "data_requests.csv", requests_file(R8_NEW))
    assert main(["import", good, "--db", str(corrupt), "--quiet", "--lang", "en"]) == 4
    assert "cannot be read" in capsys.readouterr().err
    assert sha(corrupt) == before


def test_template_command_writes_the_template_and_the_example_loads_cleanly(tmp_path, capsys):
    empty, filled = tmp_path / "template.xlsx", tmp_path / "example.xlsx"
    assert main(["template", "--out", str(empty)]) == 0
    assert main(["template", "--out", str(filled), "--example"]) == 0
    target = tmp_path / "fresh.duckdb"
    assert main(["import", str(filled), "--db", str(target), "--quiet", "--lang", "en"]) == 0
    assert table_rows(target, "select count(*) from data_requests") == [(len(example.ROWS["data_requests"]),)]
    # The empty template is a batch with no rows: refused, nothing created.
    assert main(["import", str(empty), "--db", str(tmp_path / "other.duckdb"), "--quiet"]) == 1
    assert not (tmp_path / "other.duckdb").exists()


def test_the_template_has_a_sheet_per_table_drop_downs_and_instructions_in_both_languages():
    book = openpyxl.load_workbook(io.BytesIO(template.template()))
    assert book.sheetnames == ["instructions", "lists", *schema.LOAD_ORDER]
    assert book["lists"].sheet_state == "hidden"
    for name in schema.LOAD_ORDER:
        sheet = book[name]
        assert [c.value for c in sheet[1]] == list(schema.TABLES[name].column_names)
        assert sheet.freeze_panes == "A2"
        lists = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation if v.type == "list"}
        enums = [c for c in schema.TABLES[name].columns if c.type in ("enum", "boolean")]
        assert len(lists) == len(enums), name
        assert all(f.startswith("lists!$") for f in lists.values())
    institutions = book["institutions"]
    kind = next(v for v in institutions.data_validations.dataValidation if str(v.sqref).startswith("D2"))
    letter = kind.formula1.split("$")[1]
    values = [c.value for c in book["lists"][letter][1:] if c.value]
    assert values == list(schema.INSTITUTION_KINDS)
    text = "\n".join(str(c.value) for row in book["instructions"].iter_rows() for c in row if c.value)
    assert "작성 요령" in text and "How to fill it in" in text
    assert "병원이 아닙니다" not in text  # instructions, not error messages
    assert "기관 ID. 고유" in text and "Institution ID: unique" in text
