"""Helpers the views share: localising names and enum values in frames."""

from __future__ import annotations

import polars as pl

from oversight import i18n
from oversight.regions import region_name


def localise_names(frame: pl.DataFrame, ko: str, en: str, into: str, lang: str) -> pl.DataFrame:
    """Replace a pair of name columns by one, in `lang` with the other language as fallback."""
    first, second = (ko, en) if lang == "ko" else (en, ko)
    return frame.with_columns(pl.coalesce(pl.col(first), pl.col(second)).alias(into)).drop(ko, en)


def localise_enum(frame: pl.DataFrame, column: str, enum: str, lang: str, into: str | None = None) -> pl.DataFrame:
    values = frame.get_column(column).unique().drop_nulls().to_list()
    mapping = {v: i18n.enum_label(enum, v, lang) for v in values}
    # return_dtype: an empty frame would otherwise give a Null column that cannot be concatenated
    return frame.with_columns(
        pl.col(column).replace_strict(mapping, default=None, return_dtype=pl.String).alias(into or column)
    )


def localise_region(frame: pl.DataFrame, column: str, lang: str, into: str = "region") -> pl.DataFrame:
    values = frame.get_column(column).unique().drop_nulls().to_list()
    mapping = {v: region_name(v, lang) for v in values}
    return frame.with_columns(pl.col(column).replace_strict(mapping, default=None, return_dtype=pl.String).alias(into))


def first_row(frame: pl.DataFrame) -> dict:
    return frame.row(0, named=True) if frame.height else {}
