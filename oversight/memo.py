"""A bounded, thread-safe memo that computes each value once, however many ask at the same time.

The dashboard's sessions run in threads of one process. When a room opens the same briefing link,
fifty sessions want the same view in the same second: the first computes it and the others wait
for that result instead of computing it forty-nine more times. Values are handed back as they
are, without a copy, so only immutable things are memoised here (polars frames, frozen views,
figures that are drawn and never changed).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")


class _Pending:
    """A value being computed: later callers wait on its event."""

    def __init__(self):
        self.done = threading.Event()
        self.value: Any = None
        self.error: BaseException | None = None


class Memo:
    """Least recently used entries go first once there are more than `max_entries`, or once their
    `weight` (bytes, say) adds up to more than `max_weight`."""

    def __init__(self, max_entries: int, max_weight: float = float("inf"),
                 weight: Callable[[Any], float] = lambda value: 0):
        self.max_entries = max_entries
        self.max_weight = max_weight
        self._weigh = weight
        self._values: OrderedDict[Hashable, Any] = OrderedDict()
        self._weights: dict[Hashable, float] = {}
        self.weight = 0.0
        self._pending: dict[Hashable, _Pending] = {}
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                self.hits += 1
                return self._values[key]
            pending = self._pending.get(key)
            owner = pending is None
            if owner:
                pending = self._pending[key] = _Pending()
                self.misses += 1
        if not owner:
            pending.done.wait()
            if pending.error is not None:
                raise pending.error
            return pending.value
        try:
            pending.value = compute()
        except BaseException as exc:  # the waiters see the same error; nothing is stored
            pending.error = exc
            raise
        else:
            weight = self._weigh(pending.value)
            with self._lock:
                self._values[key] = pending.value
                self._weights[key] = weight
                self.weight += weight
                while len(self._values) > 1 and (
                    len(self._values) > self.max_entries or self.weight > self.max_weight
                ):
                    old, _ = self._values.popitem(last=False)
                    self.weight -= self._weights.pop(old)
            return pending.value
        finally:
            with self._lock:
                del self._pending[key]
            pending.done.set()

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
            self._weights.clear()
            self.weight = 0.0

    def __len__(self) -> int:
        return len(self._values)
