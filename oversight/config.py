"""Where things are. One place for paths; environment settings are declared in `oversight/settings.py`."""

from __future__ import annotations

import os
from pathlib import Path

from oversight import settings

PROJECT_ROOT = Path(__file__).resolve().parent.parent
QUERIES_DIR = PROJECT_ROOT / "queries"
MACROS_DIR = QUERIES_DIR / "macros"
DEFAULT_DB = PROJECT_ROOT / "data" / "oversight.duckdb"
REFERENCE_DIR = Path(__file__).resolve().parent / "reference"

# Counts below this are suppressed in exports and shared views (docs/architecture.md, definitions).
SUPPRESSION_THRESHOLD = settings.SUPPRESSION.value()


def database_path(explicit: str | os.PathLike | None = None) -> Path:
    """--db PATH wins over OVERSIGHT_DB, which wins over data/oversight.duckdb."""
    if explicit:
        return Path(explicit)
    return settings.DB.value() or DEFAULT_DB
