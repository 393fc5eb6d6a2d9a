"""Writing the demo database: the generated frames, the quality checks drawn inside DuckDB
(queries/demo_quality_checks.sql) and the batch and dataset records, through the one executor."""

from __future__ import annotations

import datetime as dt
import json
import time
import zlib
from pathlib import Path

import numpy as np
import polars as pl

from oversight import db, queries, schema
from oversight.demo import generate
from oversight.demo.tuning import DEFAULT_SEED, DATA_DATE, Progress, SCALES, CONCEPT_ABSENT_SHARE, CONCEPT_EMPTY_SHARE


def build_demo(
    db_path: Path,
    scale: str = "small",
    seed: int = DEFAULT_SEED,
    progress: Progress | None = None,
) -> dict:
    """Build a demo database at db_path (swapped in whole); returns rows per table and seconds."""
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}: choose one of {', '.join(SCALES)}")
    started = time.perf_counter()
    shape = SCALES[scale]
    report = progress or (lambda label, fraction: None)
    batch_id = f"demo-{scale}-{seed}"

    def rng(part: str) -> np.random.Generator:
        return np.random.default_rng([seed, zlib.crc32(part.encode())])

    report("institutions", 0.0)
    inst = generate.institutions(rng("institutions"), shape)
    assessments = generate.assessments(rng("assessments"), inst)
    report("agreements", 0.05)
    agreements, parties = generate.agreements(rng("agreements"), inst, shape)
    report("data requests", 0.1)
    requests = generate.requests(rng("requests"), inst, agreements, parties, shape)
    usage = generate.centre_usage(rng("centre_usage"), inst, requests)
    consultations = generate.consultations(rng("consultations"), inst, shape)
    catalogue = generate.check_catalogue(rng("catalogue"), shape)

    frames = {
        "institutions": inst,
        "agreements": agreements,
        "agreement_hospitals": parties,
        "data_requests": requests,
        "centre_usage": usage,
        "consultations": consultations,
    }
    rows = {name: frames[name].height if name in frames else assessments.height * catalogue.height
            for name in schema.LOAD_ORDER}

    with db.rebuild(db_path, copy_existing=False) as con:
        con.execute("set enable_progress_bar = false")  # it would draw on stderr
        report("writing tables", 0.15)
        for name, frame in frames.items():
            db.insert_frame(con, name, frame, batch_id)
        _insert_quality_checks(con, assessments, catalogue, seed, batch_id, shape, report)
        now = dt.datetime.now()
        queries.execute(con, "record_batch", {
            "batch_id": batch_id, "loaded_at": now, "loaded_by": "demo generator", "source": "demo",
            "files": "[]", "rows_per_table": json.dumps(rows), "message": None,
        })
        queries.execute(con, "record_dataset_info", {
            "kind": "demo", "seed": seed, "scale": scale, "built_at": now, "data_date": DATA_DATE.item(),
            "contract_version": schema.CONTRACT_VERSION,
        })
        report("derived tables and writing the file", 0.9)
    report("done", 1.0)
    return {"rows": rows, "seconds": round(time.perf_counter() - started, 1), "batch_id": batch_id}



def _insert_quality_checks(con, assessments, catalogue, seed, batch_id, shape, report) -> None:
    slices = shape.check_slices
    # Slices hold whole hospitals, so rows land in the table in the order of the SQL.
    hospitals = max(assessments["institution_id"].n_unique(), 1)
    con.register("assessment_rows", assessments.with_columns(
        (pl.col("hospital_rank") * slices // hospitals).alias("slice")).to_arrow())
    con.register("check_rows", catalogue.to_arrow())
    queries.execute(con, "demo_stage_quality", {})
    con.unregister("assessment_rows")
    con.unregister("check_rows")
    try:
        for part in range(slices):
            queries.execute(con, "demo_quality_checks", {
                "seed": seed, "slice": part, "batch_id": batch_id,
                "absent_share": CONCEPT_ABSENT_SHARE, "empty_share": CONCEPT_EMPTY_SHARE,
            })
            report("quality checks", 0.15 + 0.75 * (part + 1) / slices)
    finally:
        con.execute("drop table if exists demo_assessments")
        con.execute("drop table if exists demo_checks")
