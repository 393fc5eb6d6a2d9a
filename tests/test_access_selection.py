"""The cross-filter helper's pure parts: what a URL may select, and what a chart event selected."""

from oversight import schema
from ui.selection import MAX_VALUES, Dimension, values_from_points

TYPE = Dimension("access_type", schema.DATA_TYPES)
HOSPITAL = Dimension("access_hospital")


def test_enumerations_accept_known_values_only_in_url_order_each_once():
    assert TYPE.parse("genomic,emr,genomic") == ("genomic", "emr")
    assert TYPE.parse(" imaging , nonsense,EMR") == ("imaging",)  # values are case-sensitive codes
    assert TYPE.parse("") == () and TYPE.parse(None) == ()


def test_ids_must_have_the_contract_form():
    assert HOSPITAL.parse("HOSP-0001,H_2") == ("HOSP-0001", "H_2")
    assert HOSPITAL.parse("H1') or 1=1 --,<script>,") == ()
    assert HOSPITAL.parse("X" * 33) == ()  # ids have at most 32 characters


def test_a_long_url_selection_is_cut():
    many = ",".join(f"H{i}" for i in range(MAX_VALUES + 20))
    assert len(HOSPITAL.parse(many)) == MAX_VALUES


def test_values_from_chart_points():
    points = [
        {"x": 3, "y": "Genomic", "customdata": "genomic", "curve_number": 0},
        {"x": 5, "y": "Genomic", "customdata": "genomic", "curve_number": 1},  # the same bar, other stage
        {"x": 2, "y": "EMR", "customdata": ["emr", 12]},  # customdata may be a list
        {"x": 1, "y": 0},  # a marker without a code
        {"customdata": None},
    ]
    assert values_from_points(points) == ("genomic", "emr")
    assert values_from_points([]) == ()
