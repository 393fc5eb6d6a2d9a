"""The meeting deck over real databases: rendered by LibreOffice (every slide a page, every key
finding's slide a chart), and every finding's figures read back from the slides equal to the
page's own KPI figures, in Korean and English, on the known-answer fixture and a demo database."""

import io
import re
import shutil
import subprocess

import pytest
from pptx import Presentation

from conftest import YEAR_2025
from oversight import db, queries, units
from oversight.export import context as ctx
from oversight.export import deck
from oversight.export.suppression import kpi_small
from oversight.filters import default_filters
from oversight.pages import SHEETS
from oversight.views.localise import view_in, words

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


def texts(slide) -> list[str]:
    return [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]


def inputs(which, runner, demo_db):
    if which == "fixture":
        return runner, YEAR_2025
    demo = queries.DatabaseRunner(db.read_only(demo_db))
    info = demo.run("dataset_info", {}).row(0, named=True)
    return demo, default_filters(info["data_date"], info["data_until"])


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_meeting_deck_renders_in_libreoffice_with_a_chart_on_every_key_finding(runner, demo_db, tmp_path, lang):
    soffice, pdftoppm = shutil.which("soffice"), shutil.which("pdftoppm")
    assert soffice and pdftoppm, "make system-deps installs libreoffice-impress and poppler-utils"
    source, filters = inputs("demo", runner, demo_db)
    data = deck.build_deck(source, filters, lang)
    path = tmp_path / "deck.pptx"
    path.write_bytes(data)
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(path)], check=True, capture_output=True, timeout=240)
    subprocess.run([pdftoppm, "-r", "50", "-png", str(tmp_path / "deck.pdf"), str(tmp_path / "s")],
                   check=True, timeout=120)
    pages = sorted(tmp_path.glob("s-*.png"))
    slides = list(Presentation(io.BytesIO(data)).slides)
    assert len(pages) == len(slides) <= deck.MEETING_SLIDES
    views = ctx.build_views(source, filters, lang)
    _, key_slides, _ = deck.meeting(views)
    assert key_slides, "the demo has findings with charts"
    for index in range(2, 2 + len(key_slides)):
        assert any(shape.has_chart or shape.shape_type == 13 for shape in slides[index].shapes), index
    assert not any(shape.has_table for slide in slides for shape in slide.shapes), "no table stands in"


@pytest.mark.parametrize("which", ["fixture", "demo"])
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_every_findings_figures_on_the_slides_are_the_pages_kpi_figures(runner, demo_db, which, lang):
    source, filters = inputs(which, runner, demo_db)
    views = ctx.build_views(source, filters, lang)
    messages, key_slides, _ = deck.meeting(views)
    slides = list(Presentation(io.BytesIO(deck.deck_bytes(views, ctx.report_context(source, filters, lang)))).slides)
    listed = "\n".join(texts(slides[1]))
    checked = 0
    for finding in messages:
        assert words(finding.title, lang) in listed
        if finding.kpi is None:
            continue
        page = view_in(SHEETS[finding.sheet], source, filters, lang)  # the page, built on its own
        kpi = next(k for k in page.kpis if k.key == finding.kpi)
        assert str(kpi.label) in listed
        hide_now, hide_before = kpi_small(kpi)
        figures = re.findall(r"\d+(?:,\d{3})*(?:\.\d+)?", words(finding.title, lang))
        if not hide_now:
            shown = units.format_value(kpi.value, kpi.unit, lang)
            assert shown in words(finding.title, lang)
            assert re.sub(r"[^\d,.]", "", shown) in figures
            checked += 1
        if kpi.change and not (hide_now or hide_before):
            size = units.format_change(abs(kpi.change), kpi.unit).lstrip("+").removesuffix("%p")
            assert size in figures or re.sub(r"[^\d,.]", "", units.format_value(abs(kpi.change), kpi.unit, lang)) \
                in figures, (size, figures)
    for index, (finding, _, panel) in enumerate(key_slides, start=2):
        slide = texts(slides[index])
        assert words(finding.title, lang) in slide  # the action title states the finding
        assert any(words(finding.sentence, lang) in text for text in slide)
    assert checked >= 1
