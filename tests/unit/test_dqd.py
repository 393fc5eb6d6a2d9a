"""OHDSI Data Quality Dashboard results loaded as hospitals write them (issue 15).

Known answers: each fixture's own Overview block (tests/fixture_dqd.py, counted by hand by DQD's
formulas). The fixture database's hospitals are H1, H2, H3; C1 is a company.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil

import duckdb
import pytest

from fixture_dqd import GENERATIONS, V1_CAMEL_2020, V1_UPPER_2019, V2_2024, csv_export, json_bytes
from loader_files import rules
from oversight import __main__ as cli
from oversight import loader
from oversight.loader import dqd

DATE_2019 = dt.date(2019, 7, 1)
CATEGORIES = ("Conformance", "Completeness", "Plausibility")


@pytest.fixture()
def db(fixture_db, tmp_path):
    path = tmp_path / "live.duckdb"
    shutil.copy(fixture_db, path)
    return path


def submission(generation: str, hospital: str | None = "H1", assessed_on: dt.date | None = None) -> loader.Submission:
    document = GENERATIONS[generation]
    day = assessed_on or (DATE_2019 if generation == "v1_upper" else None)
    return loader.Submission(f"{generation}.json", json_bytes(document), hospital, day)


def scores(path, hospital: str, day: dt.date) -> dict:
    with duckdb.connect(str(path), read_only=True) as con:
        rows = con.execute(
            "select dimension_value, passed, failed, not_applicable, score from quality_scores"
            " where institution_id = ? and assessed_on = ?", [hospital, day]).fetchall()
    return {value: (passed, failed, na, score) for value, passed, failed, na, score in rows}


def checks(path, hospital: str, day: dt.date) -> dict:
    with duckdb.connect(str(path), read_only=True) as con:
        rows = con.execute(
            "select check_id, status, denominator_rows, threshold_pct, message, cdm_field from quality_checks"
            " where institution_id = ? and assessed_on = ?", [hospital, day]).fetchall()
    return {r[0]: r[1:] for r in rows}


def test_every_generation_scores_as_its_own_overview_says(db):
    """Overall: passed = the sum of countPassed<Category>, failed = countThresholdFailed +
    countErrorFailed (an errored check counts as failed). Per category: passed =
    countPassed<Category>, and passed + failed + not applicable = countTotal<Category>; in v1,
    where DQD sets FAILED on an error, failed = countFailed<Category> too."""
    days = {"v1_upper": DATE_2019, "v1_camel": dt.date(2020, 6, 15), "v2": dt.date(2024, 3, 4)}
    wrong = []
    for generation, document in GENERATIONS.items():
        outcome = loader.import_files([submission(generation)], db, by="test")
        assert outcome.outcome == "loaded", rules(outcome.checked)
        overview = document["Overview"]
        got = scores(db, "H1", days[generation])
        passed, failed, _, score = got["overall"]
        expected_passed = sum(overview[f"countPassed{c}"] for c in CATEGORIES)
        expected_failed = overview["countThresholdFailed"] + overview["countErrorFailed"]
        if (passed, failed) != (expected_passed, expected_failed):
            wrong.append((generation, "overall", (passed, failed), (expected_passed, expected_failed)))
        if score != pytest.approx(expected_passed / (expected_passed + expected_failed)):
            wrong.append((generation, "score", score))
        for category in CATEGORIES:
            c_passed, c_failed, c_na, _ = got[category.lower()]
            if c_passed != overview[f"countPassed{category}"] or c_passed + c_failed + c_na != overview[f"countTotal{category}"]:
                wrong.append((generation, category, (c_passed, c_failed, c_na)))
            if generation != "v2" and c_failed != overview[f"countFailed{category}"]:
                wrong.append((generation, category, "failed", c_failed))
    assert wrong == []


def test_v1_overall_figures_are_dqds_own(db):
    """In v1 DQD's countPassed and countOverallFailed are the dashboard's passed and failed."""
    for generation in ("v1_upper", "v1_camel"):
        loader.import_files([submission(generation)], db, by="test")
    for document, day in ((V1_UPPER_2019, DATE_2019), (V1_CAMEL_2020, dt.date(2020, 6, 15))):
        passed, failed, na, _ = scores(db, "H1", day)["overall"]
        assert (passed, failed, na) == (document["Overview"]["countPassed"], document["Overview"]["countOverallFailed"], 0)


def test_the_csv_export_scores_like_its_json(db):
    outcome = loader.import_files([loader.Submission("dqd_results.csv", csv_export(V2_2024), "H2", dt.date(2024, 3, 4))],
                                  db, by="test")
    assert outcome.outcome == "loaded", rules(outcome.checked)
    loader.import_files([submission("v2")], db, by="test")
    assert scores(db, "H2", dt.date(2024, 3, 4)) == scores(db, "H1", dt.date(2024, 3, 4))
    assert checks(db, "H2", dt.date(2024, 3, 4)) == checks(db, "H1", dt.date(2024, 3, 4))


def test_a_check_keeps_its_id_across_dqd_versions():
    ids = {g: {dqd.check_id(c) for c in dqd.read_json(json_bytes(d)).checks} for g, d in GENERATIONS.items()}
    assert "isrequired.person.year_of_birth" in ids["v1_upper"] & ids["v1_camel"] & ids["v2"]
    assert ids["v1_upper"] <= ids["v1_camel"]  # 2019's six checks are 2020's, by the same ids
    assert "plausiblevaluelow.measurement.value_as_number.3004249.8876" in ids["v2"]
    assert "measurepersoncompleteness.death" in ids["v2"]  # a table-level check has no field


def test_verdicts_messages_denominators_and_thresholds_are_kept_as_given(db):
    for generation in GENERATIONS:
        loader.import_files([submission(generation)], db, by="test")
    v1 = checks(db, "H1", DATE_2019)
    assert v1["isrequired.person.year_of_birth"] == ("failed", None, None, None, "year_of_birth")
    assert v1["cdmtable.note"][0] == "error" and "does not exist" in v1["cdmtable.note"][3]
    v2 = checks(db, "H1", dt.date(2024, 3, 4))
    assert v2["measurevaluecompleteness.visit_occurrence.visit_end_date"][:3] == ("failed", 5000, 5.0)
    assert v2["fkclass.drug_exposure.drug_concept_id"][0] == "error"
    assert v2["fkclass.drug_exposure.drug_concept_id"][3].endswith("statement timeout")
    assert v2["measurepersoncompleteness.death"] == ("not_applicable", 0, 0.0, "Table DEATH does not exist.", None)


def test_new_resolved_and_persisting_failures_match_2020_against_2024(db, runner):
    from oversight import queries
    from oversight import db as database

    for generation in ("v1_camel", "v2"):
        loader.import_files([submission(generation)], db, by="test")
    changes = queries.DatabaseRunner(database.read_only(db)).run(
        "quality_check_changes",
        {"institution_id": "H1", "assessed_on": dt.date(2024, 3, 4), "previous_assessed_on": dt.date(2020, 6, 15)},
    )
    got = {r["check_id"]: r["change"] for r in changes.iter_rows(named=True)}
    assert got == {
        "isrequired.person.year_of_birth": "resolved",
        "fkdomain.condition_occurrence.condition_concept_id": "resolved",
        "cdmtable.note": "resolved",
        "plausiblevaluelow.measurement.value_as_number": "persisting",
        "measurevaluecompleteness.visit_occurrence.visit_end_date": "new",
        "plausiblevaluelow.measurement.value_as_number.3004249.8876": "new",
        "fkclass.drug_exposure.drug_concept_id": "new",
    }


def test_loading_the_same_assessment_again_replaces_it_whole(db):
    loader.import_files([submission("v2")], db, by="test")
    fewer = {**V2_2024, "CheckResults": V2_2024["CheckResults"][:4]}
    outcome = loader.import_files([loader.Submission("rerun.json", json_bytes(fewer), "H1")], db, by="test")
    assert outcome.outcome == "loaded"
    assert outcome.changes["quality_checks"].removed == 5
    assert len(checks(db, "H1", dt.date(2024, 3, 4))) == 4
    again = loader.import_files([loader.Submission("rerun.json", json_bytes(fewer), "H1")], db, by="test")
    assert again.outcome == "unchanged"


def _refused(db, *submissions) -> list[str]:
    """The rules broken, without the note that references were skipped after a file-level refusal."""
    before = db.read_bytes()
    outcome = loader.import_files(list(submissions), db, by="test")
    assert outcome.outcome == "refused"
    assert db.read_bytes() == before  # the database is exactly as it was
    return [r for r in rules(outcome.checked) if r != "batch.references_skipped"]


def test_refusals_name_the_rule_and_change_nothing(db):
    deep = b'{"CheckResults": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    twice = {**V2_2024, "CheckResults": [*V2_2024["CheckResults"], V2_2024["CheckResults"][0]]}
    assert _refused(db, loader.Submission("other.json", b'{"results": []}', "H1")) == ["file.not_dqd"]
    assert _refused(db, loader.Submission("bomb.json", deep, "H1")) == ["file.json_too_deep"]
    assert _refused(db, loader.Submission("cut.json", b'{"CheckResults": [', "H1")) == ["file.json_unreadable"]
    assert _refused(db, submission("v2", hospital="ZZ")) == ["ref.institution"] * 9
    assert _refused(db, submission("v2", hospital="C1")) == ["ref.not_hospital"] * 9
    assert _refused(db, submission("v2", hospital=None)) == ["file.dqd_hospital_missing"]
    assert _refused(db, loader.Submission("v2.json", json_bytes(twice), "H1")) == ["key.duplicate"]
    assert _refused(db, loader.Submission("v1.json", json_bytes(V1_UPPER_2019), "H1")) == ["file.dqd_date_missing"]
    big = loader.Submission("big.json", b"{" + b" " * (dqd.MAX_JSON_BYTES + 1) + b"}", "H1")
    assert _refused(db, big) == ["file.json_too_large"]
    # all or nothing: a good file beside a bad one loads neither
    assert "file.dqd_hospital_missing" in _refused(db, submission("v2"), submission("v1_camel", hospital=None))


def test_the_messages_name_the_option_in_both_languages(db):
    outcome = loader.import_files([loader.Submission("v1.json", json_bytes(V1_UPPER_2019), "H1")], db, by="test")
    from oversight.loader import problems

    assert "--assessed-on" in problems.table(outcome.checked.problems, "en")["Problem"][0]
    assert "--assessed-on" in problems.table(outcome.checked.problems, "ko")["문제"][0]


def test_command_line_pairs_each_file_with_its_hospital(db, tmp_path, capsys):
    first, second, third = tmp_path / "a.json", tmp_path / "b.json", tmp_path / "c.json"
    first.write_bytes(json_bytes(V1_CAMEL_2020))
    second.write_bytes(json_bytes(V2_2024))
    third.write_bytes(json_bytes(V1_UPPER_2019))
    code = cli.main(["import", str(first), "--hospital", "H1", str(second), "--hospital", "H2", "--db", str(db),
                     "--quiet", "--lang", "en"])
    assert code == 0, capsys.readouterr()
    assert len(checks(db, "H1", dt.date(2020, 6, 15))) == 7 and len(checks(db, "H2", dt.date(2024, 3, 4))) == 9
    assert cli.main(["import", str(third), "--hospital", "H3", "--db", str(db), "--quiet", "--lang", "en"]) == 1
    assert "--assessed-on" in capsys.readouterr().out
    mapping = tmp_path / "hospitals.csv"
    mapping.write_text("file,hospital_id,assessed_on\nc.json,H3,2019-07-01\n")
    assert cli.main(["import", "--mapping", str(mapping), "--db", str(db), "--quiet"]) == 0
    assert len(checks(db, "H3", DATE_2019)) == 6


def test_the_file_tells_the_data_page_its_source_and_date():
    results = dqd.read_json(json_bytes(V2_2024))
    assert (results.generation, results.source_name, results.started_on) == ("v2", "Hanbit University Hospital CDM", dt.date(2024, 3, 4))
    assert dqd.read_json(json_bytes(V1_UPPER_2019)).generation == "v1_upper"
    assert dqd.read_json(json.dumps(V1_CAMEL_2020).encode("utf-8-sig")).generation == "v1_camel"


def test_the_hospital_is_suggested_by_the_distinctive_part_of_its_name():
    hospitals = [("H1", "가람병원", "Garam Hospital"), ("H2", "하늘병원", "Haneul Hospital"), ("H3", None, "Noeul Hospital")]
    assert dqd.suggest_hospital("Garam Hospital CDM", hospitals) == "H1"
    assert dqd.suggest_hospital("하늘병원 OMOP", hospitals) == "H2"
    assert dqd.suggest_hospital("Hanbit University Hospital CDM", hospitals) is None
    assert dqd.suggest_hospital(None, hospitals) is None


def test_a_new_users_data_ending_in_2024_opens_on_its_own_months(tmp_path):
    """Loaded today (2026) into an empty start, data that ends in March 2024 must not open on
    twelve empty months: the default period ends at the latest month that holds data."""
    from loader_files import INSTITUTION_HEADER, csv_file
    from oversight import db as database
    from oversight import filters, queries

    path = tmp_path / "first.duckdb"
    hospital = csv_file("institutions.csv", INSTITUTION_HEADER, "K1,Garam Hospital,가람병원,hospital,general,,11,,,2023-01-02,,")
    outcome = loader.import_files([hospital, submission("v2", hospital="K1")], path, by="test")
    assert outcome.outcome == "loaded", rules(outcome.checked)
    runner = queries.DatabaseRunner(database.read_only(path))
    info = runner.run("dataset_info", {}).row(0, named=True)
    assert info["data_date"] == loader.today() and info["data_until"] == dt.date(2024, 3, 4)
    period = filters.default_filters(info["data_date"], info["data_until"])
    assert (period.date_from, period.date_to) == (dt.date(2023, 4, 1), dt.date(2024, 3, 31))
    scores_now = runner.run("quality_latest_scores", {"date_to": period.date_to, "regions": []})
    assert scores_now.filter(dimension="overall")["score"].to_list() == [0.5]  # 4 passed of 8 applicable


def test_the_default_period_ends_at_the_data_date_when_data_reaches_its_month():
    from oversight import filters

    assert filters.default_end(dt.date(2026, 12, 4), dt.date(2026, 12, 1)) == dt.date(2026, 12, 4)
    assert filters.default_end(dt.date(2026, 12, 4), dt.date(2024, 2, 10)) == dt.date(2024, 2, 29)
    assert filters.default_end(dt.date(2026, 12, 4), None) == dt.date(2026, 12, 4)


def test_the_hospital_page_lists_errored_checks_apart_with_their_message(db):
    from oversight import db as database
    from oversight import queries
    from oversight.filters import Filters
    from oversight.views import quality
    from oversight.views.localise import view_in

    for generation in ("v1_camel", "v2"):
        loader.import_files([submission(generation)], db, by="test")
    runner = queries.DatabaseRunner(database.read_only(db))
    view = view_in(quality.build_hospital, runner, Filters(dt.date(2024, 1, 1), dt.date(2024, 12, 31)), "en", "H1",
                   assessed_on=dt.date(2024, 3, 4))
    errored = next(p for p in view.panels if p.key == "quality.hospital.errored").frame
    assert errored.select("check_id", "message").rows() == [
        ("fkclass.drug_exposure.drug_concept_id", "Error executing SQL: canceling statement due to statement timeout")]
    assert errored["change"].to_list() == ["New"]


def test_a_database_written_before_the_status_columns_takes_dqd_results(db):
    """An existing ministry database (contract version 1 before status, cdm_field, message were
    added) loads DQD results: the write adds the columns, the check reads them as empty."""
    with duckdb.connect(str(db)) as con:
        for column in ("status", "cdm_field", "message"):
            con.execute(f"alter table quality_checks drop column {column}")
        con.execute("alter table quality_checks alter column threshold_pct set not null")
    outcome = loader.import_files([submission("v2")], db, by="test")
    assert outcome.outcome == "loaded", rules(outcome.checked)
    assert checks(db, "H1", dt.date(2024, 3, 4))["fkclass.drug_exposure.drug_concept_id"][0] == "error"
    assert scores(db, "H1", dt.date(2024, 3, 4))["overall"][:3] == (4, 4, 1)


def test_command_line_refuses_unpaired_hospitals_and_bad_dates_before_reading_the_database(db, tmp_path, capsys):
    results = tmp_path / "a.json"
    results.write_bytes(json_bytes(V1_UPPER_2019))
    before = db.read_bytes()
    assert cli.main(["import", str(results), "--db", str(db), "--lang", "en"]) == 1
    assert "one --hospital per DQD results file" in capsys.readouterr().err
    assert cli.main(["import", str(results), "--hospital", "H1", "--assessed-on", "2019-13-01", "--db", str(db)]) == 1
    assert "2019-13-01" in capsys.readouterr().err
    assert db.read_bytes() == before


def test_the_data_page_is_told_what_each_file_is():
    assert dqd.describe(csv_export(V2_2024)).generation == "csv"
    assert dqd.describe(b'{"results": []}') is None
    assert dqd.describe(b"institution_id,name_en\n") is None


def test_an_entry_that_is_not_a_check_is_named_by_its_position(db):
    broken = {**V2_2024, "CheckResults": [V2_2024["CheckResults"][0], "isRequired", {"checkName": {"a": 1, "b": 2}}]}
    outcome = loader.import_files([loader.Submission("odd.json", json_bytes(broken), "H1")], db, by="test")
    assert outcome.outcome == "refused"
    found = outcome.checked.problems.filter(rule="dqd.not_a_check")
    assert found.select("sheet", "row").rows() == [("CheckResults", 2), ("CheckResults", 3)]


def test_a_database_without_the_status_columns_is_told_to_refresh(db):
    from oversight import db as database
    from oversight import derived, queries

    assert derived.missing_tables(queries.DatabaseRunner(database.read_only(db))) == []
    old = db.with_name("old.duckdb")
    shutil.copy(db, old)
    with duckdb.connect(str(old)) as con:
        con.execute("alter table quality_checks drop column status")
    assert derived.missing_tables(queries.DatabaseRunner(database.read_only(old))) == ["quality_checks.status"]
    assert cli.main(["refresh", "--db", str(old)]) == 0
    assert derived.missing_tables(queries.DatabaseRunner(database.read_only(old))) == []
