"""Rules within a row (polars) and the rules that span tables (declared here, run in staging.py).

Row rules see one table's typed rows; a rule whose operands are null (already reported by the
cell parser, or simply not given) stays silent.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from oversight import schema
from oversight.loader import geo, problems
from oversight.regions import by_code, normalise_region, regions

# --- row rules ---------------------------------------------------------------------------------------


def _only_where(frame: pl.DataFrame, column: str, kind_column: str, kind: str, rule: str) -> pl.DataFrame:
    rows = frame.filter(pl.col(column).is_not_null() & (pl.col(kind_column) != kind))
    return problems.cells(rows, rule, column, pl.col(column), {"kind": kind})


def _not_before(frame: pl.DataFrame, later: str, earlier: str) -> pl.DataFrame:
    rows = frame.filter(pl.col(later) < pl.col(earlier))
    return problems.cells(rows, "row.not_before", later, pl.col(later),
                          {"other": earlier, "other_value": pl.col(earlier).cast(pl.Utf8)})


def _needs(frame: pl.DataFrame, condition: pl.Expr, column: str, rule: str, detail: dict) -> pl.DataFrame:
    rows = frame.filter(condition & pl.col(column).is_null())
    return problems.cells(rows, rule, column, None, detail)


@dataclass
class RowCheck:
    frame: pl.DataFrame  # the rows, possibly completed (a region from coordinates)
    problems: list[pl.DataFrame]


FORMER_NAMES = {"강원도": "51", "전라북도": "52", "제주도": "50"}  # names before the special status


def _region_suggestion(value: str) -> str:
    """The full name of a region written short or by its former name (서울, 전북, 충남, 강원도,
    Gyeonggi-do), when exactly one region fits."""
    text = value.strip().casefold()
    if text in FORMER_NAMES:
        return by_code(FORMER_NAMES[text]).name_ko
    fits = {
        r.name_ko for r in regions()
        if len(text) >= 2 and (r.name_ko.startswith(text[:2]) or r.name_ko[0] + r.name_ko[2] == text[:2])
        or text.startswith(r.name_en.casefold())
    }
    return fits.pop() if len(fits) == 1 else ""


def institutions(frame: pl.DataFrame) -> RowCheck:
    found = [
        _only_where(frame, "hospital_tier", "kind", "hospital", "row.only_for_kind"),
        _only_where(frame, "company_sector", "kind", "company", "row.only_for_kind"),
        _only_where(frame, "infrastructure_since", "kind", "hospital", "row.only_for_kind"),
    ]
    lat, lon = pl.col("latitude"), pl.col("longitude")
    half = frame.filter(lat.is_null() != lon.is_null())
    found.append(problems.cells(half, "row.coordinates_pair", "latitude",
                                pl.concat_str(lat.cast(pl.Utf8).fill_null("–"), pl.lit(", "), lon.cast(pl.Utf8).fill_null("–"))))

    # Region: any spelling of a code or name -> the current code.
    given = pl.col("region_code")
    spellings = frame.get_column("region_code").drop_nulls().unique().to_list()
    code = given.replace_strict({s: normalise_region(s) for s in spellings}, default=None, return_dtype=pl.Utf8)
    frame = frame.with_columns(code.alias("_region"))
    unknown = frame.filter(given.is_not_null() & pl.col("_region").is_null())
    hints = {s: _region_suggestion(s) for s in unknown.get_column("region_code").unique().to_list()}
    found.append(problems.cells(unknown, "cell.region", "region_code", "region_code",
                                {"suggestion": given.replace_strict(hints, default="", return_dtype=pl.Utf8)}))

    # A point must lie in South Korea; where the region is empty it gives the region.
    points = frame.filter(lat.is_not_null() & lon.is_not_null()).select("latitude", "longitude").unique()
    located = {
        (a, b): geo.region_of_point(a, b)
        for a, b in points.iter_rows()
        if -90 <= a <= 90 and -180 <= b <= 180
    }
    if located:
        mapping = pl.DataFrame(
            {"latitude": [p[0] for p in located], "longitude": [p[1] for p in located],
             "_point_region": list(located.values())},
            schema={"latitude": pl.Float64, "longitude": pl.Float64, "_point_region": pl.Utf8},
        )
        frame = frame.join(mapping, on=["latitude", "longitude"], how="left", nulls_equal=False)
    else:
        frame = frame.with_columns(pl.lit(None, dtype=pl.Utf8).alias("_point_region"))
    in_range = lat.is_between(-90, 90) & lon.is_between(-180, 180)
    outside = frame.filter(lat.is_not_null() & lon.is_not_null() & in_range & pl.col("_point_region").is_null())
    found.append(problems.cells(outside, "row.point_outside", "latitude",
                                pl.concat_str(lat.cast(pl.Utf8), pl.lit(", "), lon.cast(pl.Utf8))))
    nowhere = frame.filter(given.is_null() & (lat.is_null() | lon.is_null()))
    found.append(problems.cells(nowhere, "row.region_or_point", "region_code", None))
    frame = frame.with_columns(pl.coalesce("_region", "_point_region").alias("region_code")).drop("_region", "_point_region")
    return RowCheck(frame.sort("_order", "_sheet", "_row"), found)


def agreements(frame: pl.DataFrame) -> RowCheck:
    return RowCheck(frame, [_not_before(frame, "ends_on", "signed_on")])


def data_requests(frame: pl.DataFrame) -> RowCheck:
    status = pl.col("status")
    found = [
        _not_before(frame, "approved_on", "requested_on"),
        _not_before(frame, "delivered_on", "approved_on"),
        _needs(frame, pl.col("delivered_on").is_not_null(), "approved_on", "row.needs_date",
               {"other": "delivered_on"}),
        _needs(frame, status == "delivered", "delivered_on", "row.status_needs", {"status": "delivered"}),
        _needs(frame, status == "approved", "approved_on", "row.status_needs", {"status": "approved"}),
        _needs(frame, pl.col("access_mode") == "safe_centre", "centre_id", "row.centre_required", {}),
    ]
    return RowCheck(frame, found)


JUDGED_BY_COUNTS = ("violated_rows", "denominator_rows", "threshold_pct")


def quality_checks(frame: pl.DataFrame) -> RowCheck:
    over = frame.filter(pl.col("violated_rows") > pl.col("denominator_rows"))
    found = [problems.cells(over, "row.violated_over_denominator", "violated_rows",
                            pl.concat_str(pl.col("violated_rows").cast(pl.Utf8), pl.lit(" > "),
                                          pl.col("denominator_rows").cast(pl.Utf8)))]
    # Without a verdict of its own a check is judged by its counts, which it must then carry.
    found.extend(_needs(frame, pl.col("status").is_null(), column, "row.quality_needs_counts", {})
                 for column in JUDGED_BY_COUNTS)
    return RowCheck(frame, found)


ROW_RULES = {
    "institutions": institutions,
    "agreements": agreements,
    "data_requests": data_requests,
    "quality_checks": quality_checks,
}


def check_rows(table: str, frame: pl.DataFrame) -> RowCheck:
    rule = ROW_RULES.get(table)
    return rule(frame) if rule else RowCheck(frame, [])


# --- rules across tables (run in DuckDB by staging.py) -----------------------------------------------


@dataclass(frozen=True)
class Reference:
    """Rows of `child` must find a row of `parent` by `columns` = `keys`, and (optionally) that
    row must satisfy `condition`, an SQL expression over the parent row `p` with parameters."""

    child: str
    columns: tuple[str, ...]
    parent: str
    keys: tuple[str, ...]
    missing: str  # rule when no parent row is found
    condition: str | None = None
    failing: str | None = None  # rule when the condition fails
    only_if: str | None = None  # SQL over the child row `c`: check only where it holds
    decided_by: str = "kind"  # the parent's column that the condition reads

    @property
    def column(self) -> str:
        return self.columns[-1]


REFERENCE_PARAMS = {"requester_kinds": list(schema.REQUESTER_KINDS)}

REFERENCES = (
    Reference("agreements", ("requester_id",), "institutions", ("institution_id",), "ref.institution",
              "list_contains($requester_kinds, p.kind)", "ref.requester_kind"),
    Reference("agreement_hospitals", ("agreement_id",), "agreements", ("agreement_id",), "ref.agreement"),
    Reference("agreement_hospitals", ("hospital_id",), "institutions", ("institution_id",), "ref.institution",
              "p.kind = 'hospital'", "ref.not_hospital"),
    Reference("data_requests", ("agreement_id",), "agreements", ("agreement_id",), "ref.agreement"),
    Reference("data_requests", ("agreement_id", "hospital_id"), "agreement_hospitals", ("agreement_id", "hospital_id"),
              "ref.not_party",
              only_if="exists (select 1 from m_agreements a where a.agreement_id = c.agreement_id)"),
    Reference("data_requests", ("centre_id",), "institutions", ("institution_id",), "ref.institution",
              "p.safe_centre_since is not null", "ref.not_centre", decided_by="safe_centre_since"),
    Reference("centre_usage", ("centre_id",), "institutions", ("institution_id",), "ref.institution",
              "p.safe_centre_since is not null", "ref.not_centre", decided_by="safe_centre_since"),
    Reference("quality_checks", ("institution_id",), "institutions", ("institution_id",), "ref.institution",
              "p.kind = 'hospital'", "ref.not_hospital"),
    Reference("consultations", ("institution_id",), "institutions", ("institution_id",), "ref.institution"),
)
