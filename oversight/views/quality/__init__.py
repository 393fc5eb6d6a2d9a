"""Data quality: hospitals' scores across the network, their trend, and what changed between
assessments (after the OHDSI Data Quality Dashboard for one database and ARES for a network).

Two views: `build` for the network (the page's default and the report's sheet), and
`build_hospital` for one hospital's assessments. Every score is passed / (passed + failed)
checks, not-applicable checks left out, with the counts beside it.

The package holds the two apart: `network` (build), `hospital` (build_hospital and its helpers), and
`common`, what both read. Callers import `oversight.views.quality` as before.
"""

from oversight.views.quality.common import (  # noqa: F401
    DEFAULT_THRESHOLD,
    TOLERANCE,
    EVENT_YEARS,
    BIN_WIDTH,
    CATEGORIES,
    CONTEXTS,
    DIMENSIONS,
    CHANGES,
    QUARTER_CHANGES,
    QUARTERS_SHOWN,
    quarter_label,
    quarter_text,
    DIMENSION_PREFIXES,
    HOSPITAL,
    latest_scores,
)
from oversight.views.quality.network import (  # noqa: F401
    build,
    overall_scores,
    network_figures,
    threshold_label,
    score_bins,
    quarter_comparisons,
    QUARTER_CHANGE,
    quarter_change_counts,
    event_time_summary,
)
from oversight.views.quality.hospital import (  # noqa: F401
    hospital_options,
    hospital_assessments,
    build_hospital,
    CATEGORY,
    CHECK_LABELS,
)
