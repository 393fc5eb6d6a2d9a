"""The edge where a built view (texts as keys, frames of codes) gets its language: known answers on
a hand-made view, in Korean and in English, from the same build."""

import datetime as dt

import polars as pl

from oversight.views.localise import localise, words
from oversight.views.model import Chart, Codes, Kpi, Name, Names, Order, PageView, Panel, Region, Text, code_text

BUILT = PageView(
    sheet="Test",
    title=Text("page.overview"),
    kpis=(Kpi("k", Text("overview.kpi.institutions"), 3, 2, "count", Text("def.institutions"),
              detail=Text.of("overview.waiting.title", days=30)),),
    panels=(
        Panel(
            key="test.panel",
            title=Text.of("overview.waiting.title", days=1_000),
            definition=Text("def.institutions"),
            frame=pl.DataFrame({
                "institution_id": ["C1", "U1", "H9", "H1"],
                "name_ko": ["누리제약", "한밭대학교", None, "가람병원"],
                "name_en": ["Nuri Pharm", None, "Only English", "Garam Hospital"],
                "kind": ["company", "university", "hospital", "not_a_kind"],
                "region_code": ["11", "42", None, "26"],
                "requests": [2, 2, 1, 5],
            }),
            chart=Chart(kind="hbar", x="kind", y="requests", events=((dt.date(2025, 1, 1), Text("page.overview")),)),
            labels=(Names("name_ko", "name_en", "name"), Codes("kind", ("enum.kind",)), Region("region_code")),
            columns=("institution_id", "name", "kind", "region", "requests"),
            order=Order(("requests", "name"), descending=(True, False)),
        ),
    ),
    notes=(Text.of("xfilter.note", label=Text("col.hospital"), values=(Name("가람병원", "Garam Hospital"), "H9")),),
)


def test_one_build_is_localised_into_either_language_with_its_codes_row_for_row():
    korean, english = localise(BUILT, "ko"), localise(BUILT, "en")

    assert (korean.title, english.title) == ("개요", "Overview")
    assert english.kpis[0].detail == "Requests waiting over 30 days"
    assert english.panels[0].title == "Requests waiting over 1000 days"  # a number keeps its format
    assert english.notes == ("Hospital: Garam Hospital, H9",)
    assert korean.notes == ("병원: 가람병원, H9",)

    # Names fall back to the other language; an unknown code stays as it is; rows ordered by words.
    assert english.panels[0].frame.rows() == [
        ("H1", "Garam Hospital", "not_a_kind", "Busan", 5),
        ("C1", "Nuri Pharm", "Company", "Seoul", 2),
        ("U1", "한밭대학교", "University", "Gangwon", 2),
        ("H9", "Only English", "Hospital", None, 1),
    ]
    assert korean.panels[0].frame.get_column("name").to_list() == ["가람병원", "누리제약", "한밭대학교", "Only English"]
    # the built frame, row for row: what a chart hands back on a click
    assert english.panels[0].codes.get_column("kind").to_list() == ["not_a_kind", "company", "university", "hospital"]
    assert korean.panels[0].codes.get_column("institution_id").to_list() == ["H1", "C1", "U1", "H9"]
    assert english.panels[0].chart.events == ((dt.date(2025, 1, 1), "Overview"),)

    assert BUILT.panels[0].frame.columns[:3] == ["institution_id", "name_ko", "name_en"]  # the build is untouched


def test_words_of_codes_and_texts():
    assert words(code_text("enum.kind", "hospital"), "ko") == "병원"
    assert code_text("enum.kind", "not_a_kind") == "not_a_kind"
    assert code_text(("agreements.group", "enum.sector", "enum.kind"), "other") == Text("agreements.group.other")
    assert words(Text("col.hospital", lower=True), "en") == "hospital"
