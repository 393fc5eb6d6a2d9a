"""The shared filters: one object handed to every page and query, mirrored in the URL.

What each filter means, per table (stated on the About page, `about.filters.*`):
- period: agreements by signing date, requests by request date (deliveries by delivery date),
  institutions by joining date, quality by assessment date, consultations and centre use by date;
- regions: an institution's own region; an agreement or request by its hospital's region;
- kinds and sectors: the institution's kind and company sector; for agreements and requests,
  the requester's;
- research areas: the agreement's area (and so its requests').
An empty selection means "all".
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace

from oversight import schema
from oversight.page_state import parse_day
from oversight.regions import REGION_CODES

PROGRAMME_START = dt.date(2020, 1, 1)
_LIST_SEPARATOR = ","


@dataclass(frozen=True)
class Filters:
    date_from: dt.date
    date_to: dt.date
    regions: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()

    def params(self) -> dict[str, object]:
        """The DuckDB parameters every filtered query may declare."""
        return {
            "date_from": self.date_from,
            "date_to": self.date_to,
            "regions": list(self.regions),
            "kinds": list(self.kinds),
            "sectors": list(self.sectors),
            "areas": list(self.areas),
        }

    @property
    def days(self) -> int:
        return (self.date_to - self.date_from).days + 1

    def previous(self) -> Filters:
        """The period of the same length just before this one, other filters unchanged."""
        to = self.date_from - dt.timedelta(days=1)
        return replace(self, date_from=to - dt.timedelta(days=self.days - 1), date_to=to)

    def to_query(self) -> dict[str, str]:
        """URL query-string form; empty selections are left out."""
        query = {"from": self.date_from.isoformat(), "to": self.date_to.isoformat()}
        for key in ("regions", "kinds", "sectors", "areas"):
            values = getattr(self, key)
            if values:
                query[key] = _LIST_SEPARATOR.join(values)
        return query


def default_end(data_date: dt.date, data_until: dt.date | None = None) -> dt.date:
    """Where the default period ends: the data date, or the end of the latest month that holds
    data when that is earlier (data ending in 2024, loaded in 2026, must not open on zeros)."""
    if data_until is None:
        return data_date
    month_end = dt.date(data_until.year, data_until.month, calendar.monthrange(data_until.year, data_until.month)[1])
    return min(data_date, month_end)


def default_filters(data_date: dt.date, data_until: dt.date | None = None) -> Filters:
    """The twelve months up to the default end's month (default_end), ending on that day."""
    last_day = default_end(data_date, data_until)
    start_month = _add_months(dt.date(last_day.year, last_day.month, 1), -11)
    return Filters(date_from=start_month, date_to=last_day)


def from_query(query: Mapping[str, str], data_date: dt.date, data_until: dt.date | None = None) -> Filters:
    """Read filters from a URL query string; anything malformed falls back to the default."""
    default = default_filters(data_date, data_until)
    date_from = parse_day(query.get("from")) or default.date_from
    date_to = parse_day(query.get("to")) or default.date_to
    if date_from > date_to:
        date_from, date_to = default.date_from, default.date_to
    return Filters(
        date_from=max(date_from, PROGRAMME_START),
        date_to=date_to,
        regions=_parse_list(query.get("regions"), REGION_CODES),
        kinds=_parse_list(query.get("kinds"), schema.INSTITUTION_KINDS),
        sectors=_parse_list(query.get("sectors"), schema.COMPANY_SECTORS),
        areas=_parse_list(query.get("areas"), schema.RESEARCH_AREAS),
    )


def _parse_list(text: str | None, allowed: tuple[str, ...]) -> tuple[str, ...]:
    """Only known values pass: the URL is user input."""
    if not text:
        return ()
    wanted = {part.strip() for part in text.split(_LIST_SEPARATOR)}
    return tuple(value for value in allowed if value in wanted)


def _add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))
