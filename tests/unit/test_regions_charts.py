"""The Regions page's figures: the offline deck, its colour scale and legend, the tile grid."""

import json
import math

import pytest

from conftest import YEAR_2025
from oversight.charts import regions as rc
from oversight.charts import registry
from oversight.filters import Filters
from oversight.views import regions as rv
from oversight.views.localise import localise


@pytest.fixture(scope="module")
def view(runner):
    return localise(rv.build(runner, YEAR_2025), "ko")


def _features(deck, layer_id):
    layer = next(layer for layer in deck.layers if layer.id == layer_id)
    return layer.data["features"] if isinstance(layer.data, dict) else layer.data


def test_the_national_map_draws_17_regions_and_the_institutions(view):
    deck, scale = rc.national_map(view.panel("regions.table"), view.panel("regions.institutions"),
                                  "institutions_per_million", "ko")
    assert rc.layer_size(deck) == {"regions": 17, "institutions": 7}
    features = _features(deck, "regions")
    codes = [f["properties"]["code"] for f in features]
    assert sorted(codes) == sorted(rv.REGION_CODES)
    seoul = features[codes.index("11")]["properties"]
    assert seoul["tooltip"].splitlines()[:3] == ["서울특별시", "기관 수 (100만 명당): 0.21", "기관 수: 2"]
    # Sejong has the most per million (1 / 0.387 = 2.58): the darkest colour on a 0-3 scale.
    assert scale.high == 3
    sejong = features[codes.index("36")]["properties"]["fill"]
    jeju = features[codes.index("50")]["properties"]["fill"]
    assert tuple(jeju[:3]) == rc.scale_for([0]).colour(0) == rc._rgb(rc.RAMP[0])  # zero: lightest
    assert rc._luminance(sejong) < rc._luminance(seoul["fill"]) < rc._luminance(jeju)


def test_the_deck_requests_nothing_and_is_compact(view):
    deck, _ = rc.national_map(view.panel("regions.table"), view.panel("regions.institutions"), "agreements", "en")
    text = deck.to_json()
    spec = json.loads(text)
    assert deck.map_provider is None
    assert spec["mapStyle"] == "__MAP_STYLE__"  # Streamlit's marker for "no basemap"
    assert "http" not in text
    assert "\n" not in text.replace("\\n", "")  # no indentation: half the bytes
    layers = {layer["id"]: layer for layer in spec["layers"]}
    assert layers["institutions"]["radiusUnits"] == "pixels"  # a unit, not an accessor
    assert spec["layers"][0]["@@type"] == "GeoJsonLayer"


def test_regions_outside_the_filter_are_grey(runner):
    filtered = localise(rv.build(runner, Filters(YEAR_2025.date_from, YEAR_2025.date_to, regions=("11",))), "ko")
    deck, _ = rc.national_map(filtered.panel("regions.table"), None, "institutions", "ko")
    fills = {f["properties"]["code"]: tuple(f["properties"]["fill"][:3]) for f in _features(deck, "regions")}
    assert fills["26"] == rc.NO_DATA and fills["11"] != rc.NO_DATA
    assert rc.layer_size(deck) == {"regions": 17}


def test_the_district_map_of_seoul(runner):
    view = localise(rv.build(runner, YEAR_2025, region="11"), "en")
    deck, scale = rc.district_map(view.panel("regions.districts"), view.panel("regions.institutions"),
                                  "11", "institutions", "en")
    assert rc.layer_size(deck) == {"regions": 16, "districts": 25, "institutions": 2}
    tips = {f["properties"]["code"]: f["properties"]["tooltip"] for f in _features(deck, "districts")}
    assert tips["11140"].splitlines()[:2] == ["Jung-gu", "Institutions: 1"]
    view_state = deck.initial_view_state
    assert 37.4 < view_state.latitude < 37.7 and 126.8 < view_state.longitude < 127.2
    assert view_state.zoom > 9  # zoomed in on Seoul


def test_text_from_data_stays_text(runner):
    view = localise(rv.build(runner, YEAR_2025), "en")
    deck, _ = rc.national_map(view.panel("regions.table"), view.panel("regions.institutions"), "institutions", "en")
    assert set(deck._tooltip) == {"text", "style"}  # innerText: a name is never parsed as HTML


@pytest.mark.parametrize("value, top", [(0, 1), (0.4, 0.4), (2.58, 3), (31, 40), (54, 60), (95, 100), (101, 120)])
def test_nice_scale_tops(value, top):
    assert rc.nice_ceiling(value) == pytest.approx(top)


def test_the_colour_scale_runs_from_light_to_dark():
    scale = rc.ColourScale(40)
    colours = [scale.colour(v) for v in (0, 10, 20, 30, 40, 50)]
    assert colours[0] == rc._rgb(rc.RAMP[0]) and colours[4] == rc._rgb(rc.RAMP[-1]) == colours[5]
    lightness = [rc._luminance(c) for c in colours[:5]]
    assert lightness == sorted(lightness, reverse=True)
    assert scale.colour(None) == rc.NO_DATA
    assert scale.ticks() == [0, 10, 20, 30, 40]


def test_the_legend_states_scale_and_units():
    fig = rc.legend(rc.ColourScale(40), "Institutions per million residents", "en", no_data=True)
    assert list(fig.layout.xaxis.ticktext) == ["0", "10", "20", "30", "40"]
    texts = [a.text for a in fig.layout.annotations]
    assert "Institutions per million residents" in texts
    assert any("Outside the filter" in text for text in texts)
    percent = rc.legend(rc.ColourScale(1.0, percent=True), "Quality", "en")
    assert list(percent.layout.xaxis.ticktext) == ["0.0%", "25.0%", "50.0%", "75.0%", "100.0%"]


def test_view_for_fits_the_box():
    wide = rc.view_for((126.0, 36.0, 128.0, 38.0), width=720, height=2000, padding=1.0)
    # 2 degrees of longitude fill 720 px: 512 x 2^zoom x 2/360 = 720
    assert wide.zoom == pytest.approx(math.log2(720 / (512 * 2 / 360)), abs=0.01)
    assert wide.longitude == 127.0 and 36.9 < wide.latitude < 37.1
    # Web Mercator stretches latitude: at 37 degrees, 2 degrees of it take 1/cos(37) = 1.25 times
    # the height of 2 degrees of longitude, so a 560 px map must zoom out further.
    tall = rc.view_for((126.0, 36.0, 128.0, 38.0), width=720, height=560, padding=1.0)
    height = 512 * 2 ** tall.zoom * 2 / 360 / math.cos(math.radians(37))
    assert height == pytest.approx(560, rel=0.02)


def test_tile_grid_has_17_tiles_placed_like_korea(view):
    fig = rc.tile_grid(view.panel("regions.trends"), "ko")
    labels = [a.text for a in fig.layout.annotations]
    assert len(labels) == 17 and len(fig.layout.shapes) == 17
    assert labels[list(rc.TILE_POSITIONS).index("11")].startswith("<b>서울</b>")
    assert len(fig.data) == 17  # a trend line in every tile
    assert rc.TILE_POSITIONS["50"][0] == max(r for r, _ in rc.TILE_POSITIONS.values())  # Jeju at the bottom
    assert rc.TILE_POSITIONS["28"][1] < rc.TILE_POSITIONS["11"][1] < rc.TILE_POSITIONS["51"][1]  # west to east


def test_capital_share_chart_draws_population_as_a_dashed_reference(view):
    fig = registry.draw(view.panel("regions.capital_share"), "ko")
    population = next(trace for trace in fig.data if trace.name == "인구 비중")
    assert population.line.dash == "dash"
    assert {trace.name for trace in fig.data} >= {"참여 기관", "체결 협약", "제공 완료 신청"}


def test_a_click_on_a_region_is_read_from_the_selection():
    selection = {"indices": {"regions": [3]}, "objects": {"regions": [{"type": "Feature", "properties": {"code": "28"}}]}}
    assert rc.clicked_region(selection) == "28"
    assert rc.clicked_region({"objects": {"institutions": [{"tooltip": "x"}]}}) is None
    assert rc.clicked_region({}) is None and rc.clicked_region(None) is None
