"""An attacker's feasibility intervals for hidden cells, by linear programming (scipy's HiGHS).

A table is a list of cell values and a list of relations "cell T is the sum of cells P": a
published margin is a shown total cell; a margin that is not published simply has no relation.
The attacker sees every shown cell and every relation, and knows bounds on each hidden cell
(0 and up for a plain "x"; 0..n-1 for "<n" and n and up for "x" where the labels say which).
For each hidden cell it minimises and maximises the cell's value over every assignment of the
hidden cells that satisfies every relation: the feasible interval. Tables of sums with their
margins (1-D with a total, 2-D with row and column totals) have totally unimodular constraints,
so the bounds are whole numbers, and an interval narrower than 1 means the cell is recovered
exactly.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
from scipy.optimize import linprog

Relation = tuple[int, Sequence[int]]  # (total cell, its part cells)


def feasible_intervals(
    values: Sequence[float],
    hidden: set[int],
    relations: Sequence[Relation],
    bounds: Mapping[int, tuple[float, float]],
) -> dict[int, tuple[float, float]]:
    """(lowest, highest) value each hidden cell can take; bounds default to 0 and up."""
    unknown = sorted(hidden)
    column = {cell: k for k, cell in enumerate(unknown)}
    rows, rhs = [], []
    for total, parts in relations:
        members = [(total, 1.0), *((p, -1.0) for p in parts)]
        if not any(cell in hidden for cell, _ in members):
            continue
        row = np.zeros(len(unknown))
        known = 0.0
        for cell, sign in members:
            if cell in hidden:
                row[column[cell]] += sign
            else:
                known -= sign * values[cell]
        rows.append(row)
        rhs.append(known)
    limits = [tuple(None if math.isinf(b) else b for b in bounds.get(cell, (0.0, math.inf))) for cell in unknown]
    a_eq = np.array(rows) if rows else None
    b_eq = np.array(rhs) if rows else None
    intervals = {}
    for cell in unknown:
        objective = np.zeros(len(unknown))
        objective[column[cell]] = 1.0
        ends = []
        for sign in (1.0, -1.0):
            result = linprog(sign * objective, A_eq=a_eq, b_eq=b_eq, bounds=limits, method="highs")
            if result.status == 3:  # unbounded: the cell may be as large as anyone likes
                ends.append(-sign * math.inf)
            else:
                assert result.status == 0, f"the published table is infeasible: {result.message}"
                ends.append(sign * result.fun)
        intervals[cell] = (ends[0], ends[1])
    return intervals


def label_bounds(values: Sequence[float], hidden: set[int], n: int) -> dict[int, tuple[float, float]]:
    """What the labels tell: "<n" cells lie in 0..n-1, "x" cells are n or more."""
    return {cell: (0.0, n - 1.0) if values[cell] < n else (float(n), math.inf) for cell in hidden}


def recovered(intervals: Mapping[int, tuple[float, float]], protection: float = 1.0) -> list[int]:
    """Hidden cells whose interval is narrower than the protection level."""
    return [cell for cell, (low, high) in intervals.items() if high - low < protection - 1e-9]
