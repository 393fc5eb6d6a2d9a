"""Where things are. One place for paths and environment settings."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
QUERIES_DIR = PROJECT_ROOT / "queries"
MACROS_DIR = QUERIES_DIR / "macros"
DEFAULT_DB = PROJECT_ROOT / "data" / "oversight.duckdb"
REFERENCE_DIR = Path(__file__).resolve().parent / "reference"

# Counts below this are suppressed in exports and shared views (docs/architecture.md, definitions).
SUPPRESSION_THRESHOLD = int(os.environ.get("OVERSIGHT_SUPPRESSION", "5"))


def database_path(explicit: str | os.PathLike | None = None) -> Path:
    """--db PATH wins over OVERSIGHT_DB, which wins over data/oversight.duckdb."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("OVERSIGHT_DB")
    return Path(env) if env else DEFAULT_DB
