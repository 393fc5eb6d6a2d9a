"""Small-count suppression for exports and shared views (docs/architecture.md, definitions).

Primary: a count of 1 to threshold-1 in a panel's `count_columns` is hidden and shown as
"<5". A zero is shown: it identifies no one.

Complementary: a hidden count must not come back by subtraction from a published total. The
panel declares which totals of its frame are published (`Panel.margins`: a column's grand total,
its subtotals by some columns); each gives a group of cells whose sum is known. Totals that are
nowhere published are not assumed known, so a long list whose column sums appear nowhere keeps
its cells.

A group with exactly one hidden cell gets a second one: its smallest shown count, preferring
a non-zero one. Then an audit looks for any hidden count an attacker could still pin down from
the group totals, knowing that "<5" cells lie in 0..4 and "x" cells are 5 or more: exactly, by
linear algebra over the group sums, or by narrowing each cell's interval from the others'. A
pinned cell gets one more hidden neighbour, and the audit runs again until none is pinned, but
for cells that the totals pin even with every cell hidden: no hiding here can help them.

Cells hidden to protect another are shown as "x" (the symbol of Korean official statistics for
figures withheld to protect confidentiality); a zero chosen for that purpose shows "<5",
which stays true. In a row with a hidden count, its rates and other decimal figures are hidden
too ("x"), since a rate and the row's other counts would give the count back; so are the
figures a panel declares computed from its counts (`Panel.derived_columns`: a change on the
previous period gives a hidden previous count back from the current one).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import polars as pl
from threadpoolctl import threadpool_limits

from oversight import config
from oversight.views.model import Kpi, Margin, Panel

COMPLEMENT_LABEL = "x"
_MAX_ROUNDS = 10_000
_TOLERANCE = 1e-7


def threshold() -> int:
    return config.SUPPRESSION_THRESHOLD


def small_label(n: int | None = None) -> str:
    return f"<{threshold() if n is None else n}"


def is_small(value: float | None, n: int) -> bool:
    """A count that is hidden by itself: 1 to n-1."""
    return value is not None and not _isnan(value) and 0 < value < n


@dataclass(frozen=True)
class Suppression:
    """Which cells of one frame are hidden, and the text shown in their place."""

    threshold: int
    cells: Mapping[tuple[int, str], str] = field(default_factory=dict)  # (row, column) -> "<5" or "x"

    def label(self, row: int, column: str) -> str | None:
        return self.cells.get((row, column))

    def hidden(self, row: int, column: str) -> bool:
        return (row, column) in self.cells

    def __bool__(self) -> bool:
        return bool(self.cells)

    @property
    def small(self) -> int:
        return sum(1 for text in self.cells.values() if text != COMPLEMENT_LABEL)

    @property
    def complementary(self) -> int:
        return sum(1 for text in self.cells.values() if text == COMPLEMENT_LABEL)

    def columns(self) -> set[str]:
        return {column for _, column in self.cells}

    def masked(self, frame: pl.DataFrame) -> pl.DataFrame:
        """The frame with every hidden cell set to null (for charts: a gap, never a value)."""
        if not self.cells:
            return frame
        updates = []
        for column in sorted(self.columns()):
            rows = sorted(r for r, c in self.cells if c == column)
            hide = np.zeros(frame.height, dtype=bool)
            hide[rows] = True
            updates.append(
                pl.when(pl.Series(hide)).then(None).otherwise(pl.col(column)).alias(column)
            )
        return frame.with_columns(updates)

    def labelled(self, frame: pl.DataFrame) -> pl.DataFrame:
        """The frame with hidden columns as text: "<5" or "x" where hidden, the number elsewhere."""
        if not self.cells:
            return frame
        updates = []
        for column in sorted(self.columns()):
            values = frame.get_column(column).to_list()
            text = [
                self.cells.get((row, column), None if value is None else _number_text(value))
                for row, value in enumerate(values)
            ]
            updates.append(pl.Series(column, text, dtype=pl.String))
        return frame.with_columns(updates)


def suppress_panel(panel: Panel, n: int | None = None) -> Suppression:
    return suppress_frame(panel.frame, panel.count_columns, panel.percent_columns, n, panel.margins,
                          panel.derived_columns)


def masked_panel(panel: Panel, n: int | None = None) -> tuple[Panel, Suppression]:
    """A copy of the panel whose frame has its hidden cells set to null, and the suppression."""
    result = suppress_panel(panel, n)
    return (replace(panel, frame=result.masked(panel.frame)) if result else panel), result


def kpi_small(kpi: Kpi, n: int | None = None) -> tuple[bool, bool]:
    """(value hidden, previous hidden): count KPIs of 1 to n-1 are hidden like panel counts."""
    n = threshold() if n is None else n
    if kpi.unit != "count":
        return False, False
    return is_small(kpi.value, n), is_small(kpi.previous, n)


def suppress_frame(
    frame: pl.DataFrame,
    count_columns: Sequence[str],
    percent_columns: Sequence[str] = (),
    n: int | None = None,
    margins: Sequence[Margin] = (),
    derived_columns: Sequence[str] = (),
) -> Suppression:
    n = threshold() if n is None else n
    counts = [c for c in count_columns if c in frame.columns]
    if not counts or frame.height == 0 or n <= 1:
        return Suppression(n)
    cells = _Cells(frame, counts)
    if not cells.size:
        return Suppression(n)
    hidden = np.array([is_small(v, n) for v in cells.values])
    if not hidden.any():
        return Suppression(n)
    groups = _groups(frame, margins, cells)
    # The matrices are small (hundreds of cells): OpenBLAS's threads only wait on each other,
    # and on shared cores they made the same report two to five times slower.
    with threadpool_limits(limits=1, user_api="blas"):
        hidden = _protect(cells.values, hidden, groups, n)

    labels: dict[tuple[int, str], str] = {}
    for index in np.flatnonzero(hidden):
        row, column = cells.address[index]
        labels[(row, column)] = small_label(n) if cells.values[index] < n else COMPLEMENT_LABEL
    _hide_derived(frame, counts, [*percent_columns, *derived_columns], labels)
    return Suppression(n, labels)


# ---------------------------------------------------------------------------------------------
# the cells and their groups


class _Cells:
    """The non-null count cells of a frame, numbered."""

    def __init__(self, frame: pl.DataFrame, counts: Sequence[str]):
        self.address: list[tuple[int, str]] = []
        values: list[float] = []
        self.index: dict[tuple[int, str], int] = {}
        for column in counts:
            for row, value in enumerate(frame.get_column(column).to_list()):
                if value is None or _isnan(value):
                    continue
                self.index[(row, column)] = len(values)
                self.address.append((row, column))
                values.append(float(value))
        self.values = np.array(values, dtype=float)

    @property
    def size(self) -> int:
        return len(self.values)


def _groups(frame: pl.DataFrame, margins: Sequence[Margin], cells: _Cells) -> list[np.ndarray]:
    """The cells behind each published total, as arrays of cell numbers.

    A total over a single cell is left out: it publishes that cell, which no hiding here can help.
    """
    numbered = frame.with_row_index("__row")
    seen: set[tuple[int, ...]] = set()
    groups: list[np.ndarray] = []
    for margin in margins:
        keyed = numbered if margin.rows is None else numbered[list(margin.rows)]
        if margin.by:
            row_sets = keyed.group_by(list(margin.by), maintain_order=True).agg(pl.col("__row")).get_column("__row").to_list()
        else:
            row_sets = [keyed.get_column("__row").to_list()]
        for column in margin.columns:
            for rows in row_sets:
                key = tuple(sorted(cells.index[(r, column)] for r in rows if (r, column) in cells.index))
                if len(key) >= 2 and key not in seen:
                    seen.add(key)
                    groups.append(np.array(key))
    return groups


# ---------------------------------------------------------------------------------------------
# choosing the cells to hide


def _protect(values: np.ndarray, hidden: np.ndarray, groups: list[np.ndarray], n: int) -> np.ndarray:
    hidden = hidden.copy()
    membership: dict[int, list[int]] = {}
    for g, members in enumerate(groups):
        for m in members:
            membership.setdefault(int(m), []).append(g)
    # Cells pinned even with every cell hidden (a hospital alone in its region, whose total is
    # published; cells that the labels' ranges fix) stay pinned whatever else is hidden: chasing
    # them would hide the whole frame for nothing. Their protection is the total's own suppression.
    beyond_help = set(_pinned(values, np.ones_like(hidden), groups, n))
    for _ in range(_MAX_ROUNDS):
        changed = False
        for members in groups:
            if hidden[members].sum() == 1:
                changed |= _hide_next(values, hidden, [members])
        if changed:
            continue
        for cell in _pinned(values, hidden, groups, n):
            if cell not in beyond_help:
                changed |= _hide_next(values, hidden, [groups[g] for g in membership.get(cell, [])])
        if not changed:
            break
    return hidden


def _hide_next(values: np.ndarray, hidden: np.ndarray, candidates: list[np.ndarray]) -> bool:
    """Hide the smallest shown cell of the given groups, preferring a non-zero one."""
    pool = np.unique(np.concatenate(candidates)) if candidates else np.array([], dtype=int)
    shown = pool[~hidden[pool]] if pool.size else pool
    if not shown.size:
        return False
    nonzero = shown[values[shown] > 0]
    choice = nonzero if nonzero.size else shown
    pick = choice[np.argmin(values[choice])]
    hidden[pick] = True
    return True


def _pinned(values: np.ndarray, hidden: np.ndarray, groups: list[np.ndarray], n: int) -> list[int]:
    """Hidden cells whose value follows from the group totals and what the labels tell."""
    hidden_cells = np.flatnonzero(hidden)
    if not hidden_cells.size:
        return []
    position = {int(c): i for i, c in enumerate(hidden_cells)}
    equations: list[tuple[list[int], float]] = []
    for members in groups:
        inside = [position[int(m)] for m in members if hidden[m]]
        if inside:
            equations.append((inside, float(values[members][hidden[members]].sum())))
    # What a reader knows of a hidden cell: "<5" is 0..n-1, "x" is n or more.
    small = values[hidden_cells] < n
    low = np.where(small, 0.0, float(n))
    high = np.where(small, float(n - 1), math.inf)
    low, high = _narrow(equations, low, high)
    pinned = set(np.flatnonzero(np.isclose(low, high)).tolist())
    pinned |= _determined(equations, len(hidden_cells))
    return [int(hidden_cells[i]) for i in sorted(pinned)]


def _narrow(equations, low: np.ndarray, high: np.ndarray, rounds: int = 200):
    """Interval propagation over sum(x_i) = total: each x_i lies within total - the others' range.

    All equations at once per round (a cell keeps the tightest bound any of its equations
    gives); the bounds only ever narrow, so this reaches the same fixed point as one equation
    at a time, in numpy rather than a Python loop per cell.
    """
    low, high = low.copy(), high.copy()
    if not equations:
        return low, high
    eq = np.concatenate([np.full(len(members), e) for e, (members, _) in enumerate(equations)])
    cell = np.concatenate([np.asarray(members) for members, _ in equations])
    total = np.array([t for _, t in equations])[eq]
    count = len(equations)
    for _ in range(rounds):
        sum_low = np.bincount(eq, weights=low[cell], minlength=count)[eq]
        sum_high = np.bincount(eq, weights=high[cell], minlength=count)[eq]
        with np.errstate(invalid="ignore"):
            new_high = total - (sum_low - low[cell])
            new_low = np.where(np.isfinite(sum_high), total - (sum_high - high[cell]), -math.inf)
        tightest_high = np.full(low.shape, math.inf)
        tightest_low = np.full(low.shape, -math.inf)
        np.minimum.at(tightest_high, cell, new_high)
        np.maximum.at(tightest_low, cell, new_low)
        lower_high = tightest_high < high - _TOLERANCE
        higher_low = tightest_low > low + _TOLERANCE
        if not (lower_high.any() or higher_low.any()):
            break
        high = np.where(lower_high, tightest_high, high)
        low = np.where(higher_low, tightest_low, low)
    return low, high


def _determined(equations, size: int) -> set[int]:
    """Cells fixed by the group sums alone: those whose unit vector lies in the equations' row space.

    Cell i is fixed exactly when no change of the hidden values that keeps every sum moves it,
    i.e. e_i is orthogonal to the null space, i.e. its projection on the row space has length 1.
    Equations only link the cells of one connected part, so each part is solved on its own, and
    the economy SVD of a part (equations x cells) costs far less than the null space of all cells.
    """
    determined: set[int] = set()
    for cells, rows in _components(equations, size):
        local = {cell: k for k, cell in enumerate(cells)}
        matrix = np.zeros((len(rows), len(cells)))
        for row, members in enumerate(rows):
            matrix[row, [local[m] for m in members]] = 1.0
        _, singular, vt = np.linalg.svd(matrix, full_matrices=False)
        rank = int((singular > 1e-9 * max(1.0, singular.max(initial=0.0))).sum())
        reach = (vt[:rank] ** 2).sum(axis=0)
        determined.update(cells[k] for k in np.flatnonzero(reach > 1 - 1e-9).tolist())
    return determined


def _components(equations, size: int) -> list[tuple[list[int], list[list[int]]]]:
    """(cells, equations' members) of each set of cells linked through shared equations."""
    parent = list(range(size))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for members, _ in equations:
        first = root(members[0])
        for m in members[1:]:
            parent[root(m)] = first
    cells: dict[int, list[int]] = {}
    rows: dict[int, list[list[int]]] = {}
    for members, _ in equations:
        rows.setdefault(root(members[0]), []).append(members)
    for i in range(size):
        cells.setdefault(root(i), []).append(i)
    return [(cells[r], rows[r]) for r in cells if r in rows]


def _hide_derived(frame: pl.DataFrame, counts, computed_columns, labels: dict) -> None:
    """In rows with a hidden count: hide the rates, the decimals and the declared computed figures."""
    rows = {row for row, _ in labels}
    derived = [
        c for c in frame.columns
        if c not in counts and (c in computed_columns or frame.schema[c].is_float())
    ]
    for column in derived:
        values = frame.get_column(column)
        for row in rows:
            if values[row] is not None:
                labels[(row, column)] = COMPLEMENT_LABEL


def _isnan(value) -> bool:
    return isinstance(value, float) and math.isnan(value)


def _number_text(value) -> str:
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() else f"{value:,.3g}"
    return f"{value:,}" if isinstance(value, int) else str(value)
