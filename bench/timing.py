"""One way to time work: wall seconds and the process's CPU seconds, measured together.

Wall time is `time.perf_counter`; CPU time is `time.process_time` (this process, all threads,
DuckDB's included: what the work costs when it does not wait for a core, so a shared machine
under load stretches the first, not the second). Every figure of the bench comes from here.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass
class Timing:
    wall: float = 0.0
    cpu: float = 0.0


@contextlib.contextmanager
def timed() -> Iterator[Timing]:
    """`with timed() as t: ...`; then t.wall and t.cpu are the block's seconds."""
    timing = Timing()
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        yield timing
    finally:
        timing.wall, timing.cpu = time.perf_counter() - wall, time.process_time() - cpu
