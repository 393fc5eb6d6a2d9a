"""What a page keeps in its URL, and what the user picked on its charts.

Each page declares its URL keys once, as the parameters below (a key, a type, a default); the UI
reads and writes them through `ui.state.read`/`write`, so a copied link reproduces the view. A URL
is user input: parsing never fails, a value that is not of the declared form gives the default,
and an empty or default value is left out of the URL.

`CrossFilter` is what the user picked on a page's charts, by dimension; views take it as one
frozen, hashable value, so a view built for a pick is shared by every session that makes it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from oversight.regions import normalise_region

ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,32}$")  # institution ids (docs/data-contract.md)
SEPARATOR = ","
MAX_VALUES = 50  # a selection longer than this is cut


def parse_day(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


@dataclass(frozen=True)
class Codes:
    """Values picked on a chart (`access_type=genomic,emr`): an enumeration's values, or ids of
    the contract's form when `allowed` is empty. `dimension` names the pick in a CrossFilter."""

    key: str
    dimension: str
    allowed: tuple[str, ...] = ()
    default: tuple[str, ...] = ()

    def parse(self, text: str | None) -> tuple[str, ...]:
        """Only well-formed values pass, in the URL's order, each once."""
        values: list[str] = []
        for part in (p.strip() for p in (text or "").split(SEPARATOR)):
            ok = part in self.allowed if self.allowed else bool(ID_PATTERN.match(part))
            if ok and part not in values:
                values.append(part)
        return tuple(values[:MAX_VALUES])

    def text(self, values: Iterable[str]) -> str | None:
        return SEPARATOR.join(self.parse(SEPARATOR.join(values))) or None


@dataclass(frozen=True)
class Choice:
    """One of a few options (an order, a number of rows, a metric); the first is the default."""

    key: str
    options: tuple[Any, ...]
    default: Any = None

    def __post_init__(self):
        if self.default is None:
            object.__setattr__(self, "default", self.options[0])

    def parse(self, text: str | None) -> Any:
        return next((o for o in self.options if str(o) == text), self.default)

    def text(self, value: Any) -> str | None:
        return None if value is None or value == self.default or value not in self.options else str(value)


@dataclass(frozen=True)
class Ident:
    """One thing opened by id (an agreement, an institution). Unknown ids are the view's to report."""

    key: str
    max_length: int = 64
    default: None = None

    def parse(self, text: str | None) -> str | None:
        return (text or "").strip()[: self.max_length] or None

    def text(self, value: str | None) -> str | None:
        return self.parse(value)


@dataclass(frozen=True)
class Text:
    """Free text, such as a search; cut to `max_length`."""

    key: str
    max_length: int = 200
    default: str = ""

    def parse(self, text: str | None) -> str:
        return (text or "")[: self.max_length]

    def text(self, value: str | None) -> str | None:
        return self.parse(value) or None


@dataclass(frozen=True)
class Number:
    """A number between `low` and `high`, in the units its widget shows (`threshold=87.5`)."""

    key: str
    default: float
    low: float
    high: float

    def parse(self, text: str | None) -> float:
        try:
            value = float(text) if text is not None else self.default
        except ValueError:
            return self.default
        return value if self.low <= value <= self.high else self.default

    def text(self, value: float | None) -> str | None:
        if value is None or abs(value - self.default) < 1e-9:
            return None
        return f"{value:.6g}"


@dataclass(frozen=True)
class Day:
    key: str
    default: None = None

    def parse(self, text: str | None) -> dt.date | None:
        return parse_day(text)

    def text(self, value: dt.date | None) -> str | None:
        return value.isoformat() if value else None


@dataclass(frozen=True)
class Region:
    """A region by current or legacy code or name (`region=42` is Gangwon, 51); kept as its code."""

    key: str
    default: None = None

    def parse(self, text: str | None) -> str | None:
        return normalise_region(text) if text else None

    def text(self, value: str | None) -> str | None:
        return self.parse(value)


Param = Codes | Choice | Ident | Text | Number | Day | Region


@dataclass(frozen=True)
class CrossFilter:
    """What the user picked on a page's charts, by dimension; a dimension not picked means all."""

    picks: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @classmethod
    def of(cls, **picks: Iterable[str] | str | None) -> CrossFilter:
        kept = []
        for dimension, values in sorted(picks.items()):
            values = () if not values else (values,) if isinstance(values, str) else tuple(values)
            if values:
                kept.append((dimension, values))
        return cls(tuple(kept))

    def get(self, dimension: str) -> tuple[str, ...]:
        return dict(self.picks).get(dimension, ())

    def one(self, dimension: str) -> str | None:
        values = self.get(dimension)
        return values[0] if values else None

    def params(self, *dimensions: str, without: str | None = None) -> dict[str, list[str]]:
        """Query parameters of the picks, leaving out the dimension a chart selects itself."""
        return {d: [] if d == without else list(self.get(d)) for d in dimensions}

    def __bool__(self) -> bool:
        return bool(self.picks)
