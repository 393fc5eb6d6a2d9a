"""The cross-filter helper's pure part: what a chart event selected. (What a URL may select is
tested with the page parameters, tests/unit/test_page_state.py.)"""

from ui.selection import values_from_points


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
