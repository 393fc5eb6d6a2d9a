"""Regions: where the programme reaches across the 17 regions and their districts, and how
concentrated it is in the capital area.

Every figure is attributed to a region by the institution's own region; agreements and
requests by their hospitals' (the shared filters' rule). Codes are normalised to the current
ones (Gangwon 51, Jeonbuk 52) before anything is summed, so a legacy code is never a region of
its own. Per-capita figures use the populations in oversight/reference/regions.csv.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from oversight import geo, i18n
from oversight.filters import Filters
from oversight.queries import Runner
from oversight.regions import CAPITAL_AREA, REGION_CODES, by_code, normalise_region, regions
from oversight.views.model import Chart, Codes, Kpi, Margin, Name, Names, PageView, Panel, Region, Text

METRICS = ("institutions", "hospitals", "agreements", "requests_delivered", "records_delivered", "score")
COUNT_METRICS = METRICS[:-1]  # counts have a per-million form; the quality score is a rate
DEFAULT_METRIC = "institutions"
MILLION = 1_000_000
# The trends behind the concentration figures: (series key, column of region_quarterly).
CONCENTRATION_SERIES = ("institutions", "agreements", "requests_delivered")
SUMMED = ("institutions", "hospitals", "agreements", "requests_delivered", "records_delivered", "passed", "failed")


# --- the arithmetic, defined once --------------------------------------------------------------

def per_million(count: float | None, population: float) -> float | None:
    """count / population x 1,000,000 (docs/architecture.md: per-capita figures use regions.csv)."""
    if count is None or not population:
        return None
    return count / population * MILLION


def hoover_index(values: Mapping[str, float], populations: Mapping[str, float]) -> float | None:
    """Hoover (Robin Hood) index of `values` against `populations`, over the regions in
    `populations`: half the sum of |share of the value - share of the population|, i.e. the
    share of the value that would have to move between regions for every region to have the
    same value per resident. 0 = in proportion to population; None when the value is 0 overall."""
    total = sum(values.get(code, 0) or 0 for code in populations)
    people = sum(populations.values())
    if not total or not people:
        return None
    return 0.5 * sum(abs((values.get(code, 0) or 0) / total - population / people)
                     for code, population in populations.items())


def population_share(codes) -> float:
    people = {r.code: r.population for r in regions()}
    return sum(people[c] for c in codes) / sum(people.values())


def value_column(metric: str, per_capita: bool) -> str:
    """The table column the map colours by."""
    return f"{metric}_per_million" if per_capita and metric in COUNT_METRICS else metric


# --- normalising codes -------------------------------------------------------------------------

def current_codes(frame: pl.DataFrame, column: str = "region_code", keys: tuple[str, ...] = ()) -> pl.DataFrame:
    """Rewrite legacy region codes as current ones and add up their rows, so that 42 and 51
    (45 and 52) are one region. `keys` are further grouping columns; every other column that
    is a count is summed, and the quality score recomputed."""
    mapping = {c: normalise_region(c) or c for c in frame.get_column(column).drop_nulls().unique().to_list()}
    frame = frame.with_columns(pl.col(column).replace_strict(mapping, default=None))
    summed = [c for c in SUMMED if c in frame.columns]
    others = [c for c in frame.columns if c not in (column, *keys, *summed, "score")]
    frame = frame.group_by([*keys, column], maintain_order=True).agg(
        [pl.col(c).sum() for c in summed] + [pl.col(c).first() for c in others]
    )
    if {"passed", "failed"} <= set(frame.columns):
        frame = frame.with_columns(
            (pl.col("passed") / (pl.col("passed") + pl.col("failed")).replace(0, None)).alias("score")
        )
    return frame


def _rename_quality(frame: pl.DataFrame) -> pl.DataFrame:
    names = {"quality_passed": "passed", "quality_failed": "failed", "quality_score": "score"}
    return frame.rename({k: v for k, v in names.items() if k in frame.columns})


# --- the view ----------------------------------------------------------------------------------

def districts_ready(runner: Runner) -> bool:
    """Whether the database holds each institution's district: files built before the Regions
    page lack it until their next load."""
    frame = runner.run("district_table_ready", {})
    return bool(frame.height and frame.item(0, "ready"))


def build(
    runner: Runner,
    filters: Filters,
    metric: str = DEFAULT_METRIC,
    per_capita: bool = True,
    region: str | None = None,
    map_view: PageView | None = None,
) -> PageView:
    """The whole page. `map_view` takes the view of `map_panels` already built (the page
    draws the map first, then asks for the rest)."""
    metric = metric if metric in METRICS else DEFAULT_METRIC
    region = normalise_region(region) if region else None
    params = filters.params() | {"capital_area": list(CAPITAL_AREA)}
    # Concentration compares all 17 regions: the region filter does not apply to it.
    national = _figures(runner, params | {"regions": []})
    before = _figures(runner, filters.previous().params() | {"capital_area": list(CAPITAL_AREA), "regions": []})
    quarterly = _quarterly(runner, filters)
    panels = [
        *(map_view if map_view is not None else map_panels(runner, filters, region)).panels,
        _capital_share(quarterly),
        _inequality(quarterly),
        _trends(quarterly, filters, metric, per_capita),
    ]
    return PageView(
        sheet="Regions",
        title=Text("page.regions"),
        kpis=_kpis(national, before),
        panels=tuple(panels),
        notes=_summary(national),
    )


def map_panels(runner: Runner, filters: Filters, region: str | None = None) -> PageView:
    """What the map draws: the regional table, the chosen region's districts, the institutions."""
    region = normalise_region(region) if region else None
    figures = _figures(runner, filters.params() | {"capital_area": list(CAPITAL_AREA)})
    panels = [_table(figures, filters)]
    if region is not None:
        panels.append(_districts(runner, filters, region))
    panels.append(_institutions(runner, filters, region))
    return PageView(sheet="Regions", title=Text("page.regions"), panels=tuple(panels))


def region_name(code: str) -> Name:
    """A region's name, Korean and English, as a name pair."""
    return Name(by_code(code).name("ko"), by_code(code).name("en"))


def _sentences(first: str, second: str) -> Text:
    return Text.of("text.sentences", first=Text(first), second=Text(second))


def _figures(runner: Runner, params: dict) -> dict[str, pl.DataFrame]:
    frame = _rename_quality(runner.run("region_figures", params))
    regional = current_codes(frame.filter(pl.col("scope") == "region"), keys=("scope",))
    totals = frame.filter(pl.col("scope") != "region")
    return {"region": regional, **{scope: totals.filter(pl.col("scope") == scope) for scope in ("capital", "other", "all")}}


def _quarterly(runner: Runner, filters: Filters) -> pl.DataFrame:
    """Each quarter for each of the 17 regions: a region with no institution yet has zeros."""
    frame = _rename_quality(runner.run("region_quarterly", filters.params()))
    frame = current_codes(frame, keys=("quarter", "quarter_end"))
    grid = frame.select("quarter", "quarter_end").unique().join(
        pl.DataFrame({"region_code": list(REGION_CODES)}), how="cross"
    )
    counts = [c for c in SUMMED if c in frame.columns]
    return (
        grid.join(frame.drop("quarter_end"), on=["quarter", "region_code"], how="left")
        .with_columns([pl.col(c).fill_null(0) for c in counts])
        .sort("quarter", "region_code")
    )


def _total(figures: dict[str, pl.DataFrame], scope: str, column: str) -> float:
    frame = figures[scope]
    return (frame.get_column(column)[0] or 0) if frame.height else 0


def _share(figures: dict[str, pl.DataFrame], column: str) -> float | None:
    total = _total(figures, "all", column)
    return _total(figures, "capital", column) / total if total else None


def _hoover(figures: dict[str, pl.DataFrame], column: str) -> float | None:
    regional = figures["region"]
    values = dict(zip(regional.get_column("region_code").to_list(), regional.get_column(column).to_list()))
    return hoover_index(values, {r.code: r.population for r in regions()})


def _reached(figures: dict[str, pl.DataFrame]) -> tuple[int, list[str]]:
    regional = figures["region"].filter(pl.col("agreements") > 0)
    reached = set(regional.get_column("region_code").to_list())
    return len(reached), [c for c in REGION_CODES if c not in reached]


def _kpis(now: dict, before: dict) -> tuple[Kpi, ...]:
    capital_people = population_share(CAPITAL_AREA)
    population_note = Text.of("regions.kpi.population_share", share=f"{capital_people:.1%}")
    kpis = [
        Kpi(
            key=f"capital_share_{column}",
            label=Text(f"regions.kpi.capital_share_{column}"),
            value=_share(now, column),
            previous=_share(before, column),
            unit="percent",
            definition=Text("def.capital_share"),
            detail=population_note,
            higher_is_better=False,
        )
        for column in CONCENTRATION_SERIES
    ]
    kpis += [
        Kpi(
            key=f"hoover_{column}",
            label=Text(f"regions.kpi.hoover_{column}"),
            value=_hoover(now, column),
            previous=_hoover(before, column),
            unit="percent",
            definition=Text("def.hoover"),
            higher_is_better=False,
        )
        for column in ("agreements", "requests_delivered")
    ]
    reached, missing = _reached(now)
    previous, _ = _reached(before)
    names = tuple(region_name(c) for c in missing)
    kpis.append(
        Kpi(
            key="regions_with_agreements",
            label=Text("regions.kpi.regions_with_agreements"),
            value=reached,
            previous=previous,
            unit="count",
            definition=Text("def.regions_with_agreements"),
            detail=Text.of("regions.kpi.regions_without", names=names) if missing else Text("regions.kpi.all_regions"),
        )
    )
    return tuple(kpis)


def _summary(figures: dict) -> tuple[Text, ...]:
    """The page's answer in a sentence or two, written from the figures."""
    def share(column: str) -> str:
        value = _share(figures, column)
        return "–" if value is None else f"{value:.1%}"

    notes = [Text.of("regions.summary", population=f"{population_share(CAPITAL_AREA):.1%}",
                     institutions=share("institutions"), agreements=share("agreements"),
                     requests=share("requests_delivered"))]
    _, missing = _reached(figures)
    if missing:
        notes.append(Text.of("regions.summary_none", names=tuple(region_name(c) for c in missing)))
    return tuple(notes)


def _with_per_million(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(
        [(pl.col(c) / pl.col("population") * MILLION).round(2).alias(f"{c}_per_million") for c in COUNT_METRICS]
    )


TABLE_COLUMNS = (
    "region_code", "region", "population",
    "institutions", "institutions_per_million", "hospitals", "hospitals_per_million",
    "agreements", "agreements_per_million", "requests_delivered", "requests_delivered_per_million",
    "records_delivered", "records_delivered_per_million", "score", "passed", "failed",
)
COUNTS = ("institutions", "hospitals", "agreements", "requests_delivered", "records_delivered")


def _table(figures: dict[str, pl.DataFrame], filters: Filters) -> Panel:
    """One row per region (those in the region filter), then the capital area, the other
    regions and all of them: the map's figures as text."""
    shown = [c for c in REGION_CODES if not filters.regions or c in filters.regions]
    base = pl.DataFrame(
        {
            "region_code": shown,
            **{f"region_{lang}": [by_code(c).name(lang) for c in shown] for lang in i18n.LANGUAGES},
            "population": [by_code(c).population for c in shown],
        }
    )
    # cast: with nothing in scope the figures' region_code comes back Null-typed
    by_region = figures["region"].drop("scope").with_columns(pl.col("region_code").cast(pl.String))
    regional = base.join(by_region, on="region_code", how="left").with_columns(
        [pl.col(c).fill_null(0) for c in (*COUNTS, "passed", "failed")]
    )
    totals = []
    for scope, codes in (
        ("capital", [c for c in shown if c in CAPITAL_AREA]),
        ("other", [c for c in shown if c not in CAPITAL_AREA]),
        ("all", shown),
    ):
        if len(codes) < 2 or (scope != "all" and len(codes) == len(shown)):
            continue  # a total equal to another row adds nothing
        row = figures[scope].drop("scope", "region_code")
        if row.height == 0:
            row = pl.DataFrame({c: [0] for c in (*COUNTS, "passed", "failed")}).with_columns(score=pl.lit(None, pl.Float64))
        totals.append(
            row.with_columns(
                region_code=pl.lit(None, pl.String),
                **{f"region_{lang}": pl.lit(i18n.t(f"regions.scope.{scope}", lang)) for lang in i18n.LANGUAGES},
                population=pl.lit(sum(by_code(c).population for c in codes)),
            ).with_columns([pl.col(c).fill_null(0) for c in (*COUNTS, "passed", "failed")])
        )
    frame = pl.concat([regional.select(regional.columns), *[r.select(regional.columns) for r in totals]], how="vertical_relaxed")
    return Panel(
        key="regions.table",
        title=Text("regions.table.title"),
        definition=_sentences("def.regional_figures", "def.per_capita"),
        frame=_with_per_million(frame),
        count_columns=COUNTS,
        margins=_region_margins(shown),
        percent_columns=("score",),
        # a region's name, or the name of a total (the capital area, the other regions, all)
        labels=(Names("region_ko", "region_en", "region"),),
        columns=TABLE_COLUMNS,
    )



def _region_margins(shown: list[str]) -> tuple[Margin, ...]:
    """The regions' rows (the table's first rows) that the capital-area, other and national totals sum."""
    capital = tuple(i for i, code in enumerate(shown) if code in CAPITAL_AREA)
    other = tuple(i for i, code in enumerate(shown) if code not in CAPITAL_AREA)
    return tuple(Margin(COUNTS, rows=rows) for rows in (capital, other, tuple(range(len(shown)))))

DISTRICT_COLUMNS = (
    "district_code", "district", "institutions", "hospitals", "agreements", "requests_delivered",
    "records_delivered", "score", "passed", "failed",
)


def _districts(runner: Runner, filters: Filters, region: str) -> Panel:
    figures = _rename_quality(runner.run("district_figures", filters.params() | {"region_code": region}))
    drawn = [a.code for a in geo.districts_in(region)]
    located = [c for c in figures.get_column("district_code").to_list() if c is not None and c not in drawn]
    codes = drawn + sorted(located)
    names = {f"district_{lang}": [geo.district_label(c, lang) or c for c in codes] for lang in i18n.LANGUAGES}
    base = pl.DataFrame({"district_code": codes, **names},
                        schema={"district_code": pl.String, **{name: pl.String for name in names}})
    unplaced = figures.filter(pl.col("district_code").is_null())
    if unplaced.height:
        unplaced_names = {f"district_{lang}": [i18n.t("regions.district.unplaced", lang)] for lang in i18n.LANGUAGES}
        base = pl.concat([base, pl.DataFrame({"district_code": [None], **unplaced_names}, schema=base.schema)])
    frame = base.join(figures, on="district_code", how="left", nulls_equal=True).with_columns(
        [pl.col(c).fill_null(0) for c in (*COUNTS, "passed", "failed")]
    )
    return Panel(
        key="regions.districts",
        title=Text.of("regions.districts.title", region=region_name(region)),
        definition=_sentences("def.districts", "def.regional_figures"),
        frame=frame,
        count_columns=COUNTS,
        margins=(Margin(COUNTS),),  # the region's row in the table
        percent_columns=("score",),
        labels=(Names("district_ko", "district_en", "district"),),
        columns=DISTRICT_COLUMNS,
    )


def _institutions(runner: Runner, filters: Filters, region: str | None) -> Panel:
    frame = runner.run("region_institutions", filters.params())
    frame = frame.with_columns(pl.col("region_code").replace_strict(
        {c: normalise_region(c) or c for c in frame.get_column("region_code").unique().drop_nulls().to_list()},
        default=None, return_dtype=pl.String,
    ))
    if region is not None:
        frame = frame.filter(pl.col("region_code") == region)
    frame = frame.with_columns(
        *(pl.col("district_code").map_elements(lambda c, lang=lang: geo.district_label(c, lang), return_dtype=pl.String)
          .alias(f"district_{lang}") for lang in i18n.LANGUAGES),
        (pl.col("agreements") + pl.col("requests_delivered")).alias("activity"),
    )
    return Panel(
        key="regions.institutions",
        title=Text("regions.institutions.title"),
        definition=Text("def.institution_activity"),
        frame=frame,
        labels=(
            Names("name_ko", "name_en", "name"), Codes("kind", ("enum.kind",)), Region("region_code"),
            Names("district_ko", "district_en", "district"),
        ),
        columns=(
            "institution_id", "name", "kind", "region", "district",
            "agreements", "requests_delivered", "activity", "latitude", "longitude",
        ),
    )


def _capital_share(quarterly: pl.DataFrame) -> Panel:
    capital = quarterly.with_columns(pl.col("region_code").is_in(list(CAPITAL_AREA)).alias("in_capital"))
    rows = []
    for column in CONCENTRATION_SERIES:
        by_quarter = capital.group_by("quarter").agg(
            pl.col(column).filter(pl.col("in_capital")).sum().alias("capital"),
            pl.col(column).sum().alias("total"),
        )
        rows.append(by_quarter.with_columns(pl.lit(column).alias("series")))
    people = {r.code: r.population for r in regions()}
    capital_people = sum(people[c] for c in CAPITAL_AREA)
    quarters = quarterly.select("quarter").unique()
    rows.append(quarters.with_columns(
        pl.lit(capital_people).alias("capital"),
        pl.lit(sum(people.values())).alias("total"),
        pl.lit("population").alias("series"),
    ))
    frame = pl.concat([r.select("quarter", "series", pl.col("capital").cast(pl.Int64), pl.col("total").cast(pl.Int64)) for r in rows])
    # Series in a fixed order (not alphabetical), so that each keeps its colour in both languages.
    frame = frame.with_columns(
        (pl.col("capital") / pl.col("total").replace(0, None)).alias("share")
    ).sort("quarter", maintain_order=True)
    return Panel(
        key="regions.capital_share",
        title=Text("regions.capital_share.title"),
        definition=Text("def.capital_share"),
        frame=frame,
        chart=Chart(kind="capital_share", x="quarter", y="share", color="series", y_format=".0%"),
        percent_columns=("share",),
        labels=(Codes("series", ("regions.series",)),),
    )


def _inequality(quarterly: pl.DataFrame) -> Panel:
    people = {r.code: r.population for r in regions()}
    rows = []
    for (quarter,), part in quarterly.group_by("quarter", maintain_order=True):
        for column in CONCENTRATION_SERIES:
            values = dict(zip(part.get_column("region_code").to_list(), part.get_column(column).to_list()))
            rows.append({"quarter": quarter, "series": column,
                         "hoover": hoover_index(values, people)})
    frame = pl.DataFrame(rows, schema={"quarter": pl.Date, "series": pl.String, "hoover": pl.Float64})
    return Panel(
        key="regions.inequality",
        title=Text("regions.inequality.title"),
        definition=Text("def.hoover"),
        frame=frame.sort("quarter", maintain_order=True),
        chart=Chart(kind="line", x="quarter", y="hoover", color="series", y_format=".0%"),
        percent_columns=("hoover",),
        labels=(Codes("series", ("regions.series",)),),
    )


def _trends(quarterly: pl.DataFrame, filters: Filters, metric: str, per_capita: bool) -> Panel:
    shown = [c for c in REGION_CODES if not filters.regions or c in filters.regions]
    frame = quarterly.filter(pl.col("region_code").is_in(shown))
    population = pl.col("region_code").replace_strict({c: by_code(c).population for c in REGION_CODES}, default=None)
    if metric == "score":
        value = pl.col("passed") / (pl.col("passed") + pl.col("failed")).replace(0, None)
    elif per_capita:
        value = (pl.col(metric) / population * MILLION).round(2)
    else:
        value = pl.col(metric).cast(pl.Float64)
    frame = frame.select("region_code", "quarter", value.alias("value")).sort("region_code", "quarter")
    column = value_column(metric, per_capita)
    return Panel(
        key="regions.trends",
        title=Text.of("regions.trends.title", metric=Text(f"regions.metric.{column}")),
        definition=_sentences("def.region_trends", "def.per_capita") if column != metric else Text("def.region_trends"),
        frame=frame,
        chart=Chart(kind="tile_grid", x="quarter", y="value", color="region_code"),
        percent_columns=("value",) if metric == "score" else (),
        labels=(Region("region_code"),),
        columns=("region_code", "region", "quarter", "value"),
    )
