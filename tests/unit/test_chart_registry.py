"""The chart registry: every kind a view declares has a builder, every page's charted panel is
drawn through it, and the deck and the workbook find the same kind there."""

import ast
from pathlib import Path

import plotly.graph_objects as go
import pytest

from conftest import YEAR_2025
from oversight.charts import registry
from oversight.pages import SHEETS
from oversight.views.localise import localise
from oversight.views.model import Chart, Panel

ROOT = Path(__file__).resolve().parents[2]


def declared_kinds() -> dict[str, str]:
    """Every Chart(kind="...") written in the views, by the file that declares it."""
    found = {}
    for path in sorted((ROOT / "oversight" / "views").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Chart":
                for keyword in node.keywords:
                    if keyword.arg == "kind" and isinstance(keyword.value, ast.Constant):
                        found[keyword.value.value] = path.name
    return found


def test_every_declared_kind_has_a_builder():
    kinds = declared_kinds()
    assert len(kinds) >= 25, kinds  # the views declare many kinds: the scan itself works
    missing = {kind: where for kind, where in kinds.items() if kind not in registry.KINDS}
    assert not missing, f"chart kinds declared with no builder in oversight/charts/registry.py: {missing}"


def test_a_kind_with_no_builder_is_refused():
    import polars as pl

    panel = Panel("k", "t", "d", pl.DataFrame({"x": [1], "y": [2]}), Chart(kind="sparkline", x="x", y="y"))
    with pytest.raises(registry.UnknownKind, match="sparkline"):
        registry.draw(panel, "en")


def test_no_page_picks_a_chart_builder_itself():
    """Pages draw panels through show_panel or registry.draw, never an area's builder."""
    builders = {"funnel", "pipeline", "lead_time", "deliveries", "monthly", "mix", "network", "workload",
                "top_requesters", "distribution", "network_trend", "quarter_changes", "event_time",
                "hospital_trend", "table_scores", "change_summary", "heatmap", "capital_share", "tile_grid"}
    for path in sorted((ROOT / "pages").glob("*.py")):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in builders and isinstance(node.value, ast.Name) \
                    and node.value.id.endswith("charts"):
                pytest.fail(f"{path.name} calls {node.value.id}.{node.attr}: declare the kind instead")
            if isinstance(node, ast.Attribute) and node.attr == "figure" and getattr(node.value, "id", "") == "charts":
                pytest.fail(f"{path.name} calls charts.figure: use the registry")


def test_agreements_monthly_says_it_is_bars_and_a_line(runner):
    view = localise(SHEETS["Agreements"](runner, YEAR_2025), "en")
    panel = view.panel("agreements.monthly")
    assert panel.chart.kind == "bar_cumulative"
    fig = registry.draw(panel, "en")
    assert [trace.type for trace in fig.data] == ["bar", "scatter"]
    assert registry.native_kind(panel) == "bar"


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_every_charted_panel_of_every_page_draws(runner, lang):
    drawn = 0
    for build in SHEETS.values():
        view = localise(build(runner, YEAR_2025), lang)
        for panel in view.panels:
            if panel.chart is None or not panel.frame.height:
                continue
            fig = registry.draw(panel, lang)
            assert isinstance(fig, go.Figure) and fig.data, panel.key
            drawn += 1
    assert drawn >= 20
