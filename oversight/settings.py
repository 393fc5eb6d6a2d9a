"""Every environment setting the project reads, in one table.

Each `OVERSIGHT_*` variable is declared here once (name, default, meaning, parser) and read only
through `Setting.value()`; the README's settings table names the same variables
(`tests/unit/test_settings.py` checks both, and that no other module reads one from the
environment itself). An unset or empty variable means its default.

A new setting: one row below and one row in the README's table."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Setting:
    name: str
    default: str  # as it would be written in the environment; "" is unset
    meaning: str  # one line, as in the README
    parse: Callable[[str], Any]
    scope: str = "app"  # "app": the dashboard and its command line; "tests": the test suites and bench

    def value(self, environ: Mapping[str, str] | None = None) -> Any:
        raw = (os.environ if environ is None else environ).get(self.name, "").strip()
        return self.parse(raw or self.default)


def _path(text: str) -> Path | None:
    return Path(text) if text else None


def _flag(text: str) -> bool:
    # Only "1" switches a flag on: "yes" or "true" are refused rather than guessed.
    return text == "1"


def _any(text: str) -> bool:
    return bool(text)


DB = Setting("OVERSIGHT_DB", "", "the database file (`--db PATH` wins; unset: `data/oversight.duckdb`)", _path)
SUPPRESSION = Setting("OVERSIGHT_SUPPRESSION", "5", "counts below this are hidden in exports and shared views", int)
ROLES = Setting("OVERSIGHT_ROLES", "", "the roles file (unset: `config/roles.toml`)", _path)
LOCAL_DATA_MANAGER = Setting(
    "OVERSIGHT_LOCAL_DATA_MANAGER", "", "`1`: without sign-in, a request from this machine (not proxied) "
    "is a data manager", _flag)
STATE_URL = Setting(
    "OVERSIGHT_STATE_URL", "", "the state store (audit trail, notes): a SQLAlchemy URL such as "
    "`postgresql+psycopg://user@host/db` (unset: SQLite `data/state.sqlite`)", str)
AUDIT_RETENTION_DAYS = Setting(
    "OVERSIGHT_AUDIT_RETENTION_DAYS", "730", "days the audit trail keeps an event (default two years)", int)
REQUIRE_BROWSER = Setting(
    "OVERSIGHT_REQUIRE_BROWSER", "", "any value: browser tests fail instead of skipping without Chromium (CI)",
    _any, "tests")
SOAK_ROUNDS = Setting("OVERSIGHT_SOAK_ROUNDS", "1", "rounds of the 20-session load test (`make soak`: 20)", int,
                      "tests")
FUZZ_SCALE = Setting("OVERSIGHT_FUZZ_SCALE", "1", "how many times more loader fuzzing examples (`make soak`: 20)",
                     float, "tests")
REGIONS_BENCH_DB = Setting(
    "OVERSIGHT_REGIONS_BENCH_DB", "", "a database to time the Regions map on (unset: that benchmark skips)",
    _path, "tests")

SETTINGS: tuple[Setting, ...] = (DB, SUPPRESSION, ROLES, LOCAL_DATA_MANAGER, STATE_URL, AUDIT_RETENTION_DAYS,
                                 REQUIRE_BROWSER, SOAK_ROUNDS, FUZZ_SCALE, REGIONS_BENCH_DB)
BY_NAME: dict[str, Setting] = {s.name: s for s in SETTINGS}
