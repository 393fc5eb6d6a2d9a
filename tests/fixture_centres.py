"""A second known-answer database, for judging a safe centre's latest month against its history.

The main fixture's centres report one or two months, too few to judge; these five report enough.
Period used: July 2025 (2025-07-01 to 2025-07-31); the history window is January to June 2025.

sessions by month      Dec-24  Jan  Feb  Mar  Apr  May  Jun | Jul   median of Jan-Jun   Jul / median
S1 (above)              100    10   12    8   14   10   11  |  20   (10 + 11) / 2 = 10.5  1.905 -> above
S2 (below)                     20   22   18   20   24   20  |  13   (20 + 20) / 2 = 20    0.65  -> below
S3 (too little history)                                 5   |   6   5 (1 month)          -> insufficient
S4 (usual)                               10   10   10   10  |  12   10                   1.2   -> usual
S5 (no report)          designated 2025-05-01, never reports                              -> no_report
S1's December 2024 lies outside the six-month window and must not count.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from fixture import DATA_DATE
from oversight import db

BATCH = "fixture-centres-1"

CENTRES = [
    # id, name_en, name_ko, kind, region, joined, centre since
    ("S1", "Sol Centre", "솔센터", "public_agency", "11", "2024-01-01", "2024-12-01"),
    ("S2", "Dal Centre", "달센터", "public_agency", "26", "2024-01-01", "2025-01-01"),
    ("S3", "Byeol Centre", "별센터", "research_institute", "30", "2024-01-01", "2025-06-01"),
    ("S4", "Bit Centre", None, "public_agency", "41", "2024-01-01", "2025-03-01"),
    ("S5", "Gang Centre", "강센터", "public_agency", "11", "2024-01-01", "2025-05-01"),
]

# centre, month, sessions; researcher hours are 4 x sessions and researchers sessions // 2
SESSIONS = {
    "S1": {"2024-12": 100, "2025-01": 10, "2025-02": 12, "2025-03": 8, "2025-04": 14, "2025-05": 10,
           "2025-06": 11, "2025-07": 20},
    "S2": {"2025-01": 20, "2025-02": 22, "2025-03": 18, "2025-04": 20, "2025-05": 24, "2025-06": 20,
           "2025-07": 13},
    "S3": {"2025-06": 5, "2025-07": 6},
    "S4": {"2025-03": 10, "2025-04": 10, "2025-05": 10, "2025-06": 10, "2025-07": 12},
}


def build_centres_fixture(path: Path) -> Path:
    institutions = pl.DataFrame(
        CENTRES,
        schema=["institution_id", "name_en", "name_ko", "kind", "region_code", "joined_on", "safe_centre_since"],
        orient="row",
    ).with_columns(pl.col("joined_on", "safe_centre_since").str.to_date())
    usage = pl.DataFrame(
        [
            (centre, f"{month}-01", sessions, 4.0 * sessions, sessions // 2)
            for centre, months in SESSIONS.items()
            for month, sessions in months.items()
        ],
        schema=["centre_id", "month", "sessions", "researcher_hours", "researchers"],
        orient="row",
    ).with_columns(pl.col("month").str.to_date())
    with db.rebuild(path, copy_existing=False) as con:
        db.insert_frame(con, "institutions", institutions, BATCH)
        db.insert_frame(con, "centre_usage", usage, BATCH)
        con.execute(
            "insert into batches values (?, now(), 'tests', 'import', '[]', '{}', 'loaded', null)", [BATCH]
        )
        con.execute("insert into dataset_info values ('submitted', null, null, now(), ?, 1)", [DATA_DATE])
    return path
