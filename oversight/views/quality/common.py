"""What the network view and one hospital's view share: the dimensions, checks' changes,
quarters, and each hospital's latest scores."""

from __future__ import annotations

import datetime as dt

import polars as pl

from oversight import programme
from oversight.filters import Filters
from oversight.i18n import t
from oversight.queries import Runner
from oversight.views.model import Names, Text


DEFAULT_THRESHOLD = programme.QUALITY_ALERT_THRESHOLD
# A hospital improved (regressed) when its score rose (fell) by more than this between its latest
# assessments of two consecutive quarters; smaller moves are within the run-to-run noise of a
# few checks. Stated in def.quality_quarter_change: change both together.
TOLERANCE = 0.01
EVENT_YEARS = (-3, 5)  # event-time window: years relative to the infrastructure year
BIN_WIDTH = 0.02  # score distribution: 2 percentage points per bar, edges aligned on the threshold
CATEGORIES = ("conformance", "completeness", "plausibility")
CONTEXTS = ("verification", "validation")
# (dimension, value) in the order the heatmap and the trends show them
DIMENSIONS = (("overall", "overall"), *(("category", c) for c in CATEGORIES), *(("context", c) for c in CONTEXTS))
CHANGES = ("new", "persisting", "resolved")
QUARTER_CHANGES = ("improved", "stable", "regressed", "not_compared")
QUARTERS_SHOWN = 8  # the quarterly chart: the last two years up to the period's end


# --- labels -----------------------------------------------------------------------------------

def quarter_label(quarter: dt.date, lang: str) -> str:
    return t("quality.quarter_label", lang, year=quarter.year, q=(quarter.month - 1) // 3 + 1)


def quarter_text(quarter: dt.date) -> Text:
    return Text.of("quality.quarter_label", year=quarter.year, q=(quarter.month - 1) // 3 + 1)


# The words of a dimension: "overall", a category or a context.
DIMENSION_PREFIXES = ("quality.dimension", "enum.category", "enum.context")
# A hospital is named in the language, else in the other, else by its id.
HOSPITAL = Names("name_ko", "name_en", "hospital")


def hospital_name_pair(frame: pl.DataFrame) -> pl.DataFrame:
    """The name pair of HOSPITAL, the id standing in where a hospital has no name at all."""
    return frame.with_columns(pl.coalesce("name_ko", "name_en", "institution_id").alias("name_ko"))



def latest_scores(runner: Runner, filters: Filters, date_to: dt.date | None = None) -> pl.DataFrame:
    """Each hospital's latest assessment up to the period's end, one row per dimension."""
    params = filters.params() | ({"date_to": date_to} if date_to else {})
    return runner.run("quality_latest_scores", params)
