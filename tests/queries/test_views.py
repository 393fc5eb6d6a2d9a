"""Every registered view builds on the fixture in both languages, with well-formed panels."""

import pytest

from conftest import YEAR_2025
from oversight.pages import SHEETS
from oversight.views.localise import view_in


@pytest.mark.parametrize("sheet", list(SHEETS))
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_view_builds_with_titled_defined_panels(runner, sheet, lang):
    view = view_in(SHEETS[sheet], runner, YEAR_2025, lang)
    assert view.sheet == sheet
    assert view.panels, "a view shows at least one panel"
    for panel in view.panels:
        assert panel.title and panel.definition, panel.key
        for column in (*panel.count_columns, *panel.percent_columns):
            assert column in panel.frame.columns, (panel.key, column)
        if panel.chart is not None:
            assert panel.chart.x in panel.frame.columns and panel.chart.y in panel.frame.columns
    for kpi in view.kpis:
        assert kpi.label and kpi.definition


@pytest.mark.parametrize("sheet", list(SHEETS))
def test_view_builds_when_nothing_is_in_scope(runner, sheet):
    """A filter that matches nothing (no institution in Jeju in the fixture) must not crash."""
    from dataclasses import replace

    view = view_in(SHEETS[sheet], runner, replace(YEAR_2025, regions=("50",)), "ko")
    assert view.sheet == sheet
