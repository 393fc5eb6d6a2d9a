"""Synthetic demo data for every table of the data contract, reproducible from a seed.

Everything is drawn from numpy Generators seeded from (seed, table name), so one table's draws
never shift another's, and quality_checks (tens of millions of rows) is generated inside DuckDB
from hash(ids, seed) rather than random(), which is not reproducible under parallelism.
The data date is fixed: the same seed gives the same database on any day.

The four agreements of the press release (reference/seed_agreements.csv) are real; every other
name is invented (demo_names.py).

`tuning` holds the figures, `generate` the frames, `write` the database (`build_demo`).
"""

from oversight.demo.tuning import DATA_DATE, DEFAULT_SEED, SCALES, Scale  # noqa: F401
from oversight.demo.write import build_demo  # noqa: F401
