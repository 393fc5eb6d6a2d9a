"""python -m oversight report / deck: files written, filters applied, bad input refused."""

import io
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from pptx import Presentation

from oversight.__main__ import main
from oversight.pages import SHEETS

ROOT = Path(__file__).resolve().parents[2]


def cover(path: Path) -> set:
    book = openpyxl.load_workbook(path)
    return {c.value for row in book["About"].iter_rows() for c in row if c.value is not None}


def test_report_writes_the_workbook_with_the_filters_given(fixture_db, tmp_path, capsys):
    out = tmp_path / "nested" / "report.xlsx"
    code = main(["report", "--db", str(fixture_db), "--out", str(out), "--from", "2025-01-01", "--to", "2025-12-31",
                 "--region", "11", "--region", "부산광역시", "--lang", "en"])
    assert code == 0
    assert openpyxl.load_workbook(out).sheetnames == ["About", *SHEETS]
    cells = cover(out)
    assert "2025-01-01 to 2025-12-31 (365 days)" in cells
    assert "Seoul, Busan" in cells  # a code and a Korean name, both understood
    assert "Wrote" in capsys.readouterr().out
    assert not list(out.parent.glob(".*partial"))


def test_report_defaults_to_the_dashboards_period_in_korean(fixture_db, tmp_path):
    out = tmp_path / "report.xlsx"
    assert main(["report", "--db", str(fixture_db), "--out", str(out)]) == 0
    # the fixture's data date is 2026-06-30: the last twelve months from 2025-07-01
    assert "2025-07-01 ~ 2026-06-30 (365일)" in cover(out)


def test_report_of_one_sheet(fixture_db, tmp_path):
    out = tmp_path / "overview.xlsx"
    assert main(["report", "--db", str(fixture_db), "--out", str(out), "--sheet", "Overview"]) == 0
    assert openpyxl.load_workbook(out).sheetnames == ["About", "Overview"]


@pytest.mark.parametrize("args, message", [
    (["--region", "Atlantis"], "unknown region"),
    (["--sheet", "Nowhere"], "unknown sheet"),
    (["--from", "2025-12-31", "--to", "2025-01-01"], "is after"),
])
def test_bad_input_is_refused_with_a_reason(fixture_db, tmp_path, args, message):
    with pytest.raises(SystemExit, match=message):
        main(["report", "--db", str(fixture_db), "--out", str(tmp_path / "x.xlsx"), *args])
    assert not (tmp_path / "x.xlsx").exists()


@pytest.mark.parametrize("appendix", [False, True])
def test_deck_writes_the_slides(fixture_db, tmp_path, appendix):
    from oversight.export.deck import MEETING_SLIDES

    out = tmp_path / "deck.pptx"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "oversight", "deck", "--db", str(fixture_db), "--out", str(out),
         "--from", "2025-01-01", "--to", "2025-12-31", *(["--appendix"] if appendix else [])],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=180,
    )
    assert done.returncode == 0, done.stderr
    assert "[100%]" in done.stderr  # progress, step by step
    prs = Presentation(io.BytesIO(out.read_bytes()))
    if appendix:  # every page's slides after the meeting's, the network and the tile grid as pictures
        assert len(prs.slides) > MEETING_SLIDES
        assert any(shape.shape_type == 13 for slide in prs.slides for shape in slide.shapes), "a chart picture"
    else:
        assert 5 <= len(prs.slides) <= MEETING_SLIDES


def test_the_threshold_setting_reaches_the_report(fixture_db, tmp_path):
    out = tmp_path / "report.xlsx"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OVERSIGHT_SUPPRESSION": "10"}
    subprocess.run([sys.executable, "-m", "oversight", "report", "--db", str(fixture_db), "--out", str(out),
                    "--from", "2025-01-01", "--to", "2025-12-31"], cwd=ROOT, env=env, check=True, timeout=120)
    rows = list(openpyxl.load_workbook(out)["Overview"].iter_rows(values_only=True))
    assert "<10" in {v for row in rows for v in row} and "<5" not in {v for row in rows for v in row}
    institutions = next(row for row in rows if row[0] == "참여 기관")
    assert institutions[1] == "<10"  # 7 institutions in 2025 is now a small count too
