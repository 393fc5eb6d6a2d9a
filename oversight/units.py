"""One table of units: how a KPI's value is written on screen, in the workbook, the deck,
presentation mode and the change summary, and the rounding that decides "unchanged".

Every output reads its format from here, so 1.99 hospitals per agreement cannot be 1.99 on
screen and 2 in Excel.
"""
from __future__ import annotations

from dataclasses import dataclass

from oversight.i18n import t


@dataclass(frozen=True)
class Unit:
    decimals: int  # digits shown after the point (of the percentage for percent)
    scale: int = 1  # 100 for percent: shown as 12.3%, changes as +1.2%p
    suffix_key: str | None = None  # locale key of a word written after the number (days)
    counter: str = "건"  # the Korean counter word after an amount in a sentence

    def shown(self, value: float) -> float:
        """The value as written; two values are "unchanged" when these are equal."""
        return round(value * self.scale, self.decimals) / self.scale


UNITS: dict[str, Unit] = {
    "count": Unit(0),
    "decimal": Unit(2, counter=""),
    "percent": Unit(1, scale=100, counter=""),
    "days": Unit(0, suffix_key="reports.unit.days_suffix", counter=""),
    "hours": Unit(1, counter="시간"),
}


def unit(name: str) -> Unit:
    try:
        return UNITS[name]
    except KeyError:
        raise ValueError(f"unknown unit {name!r}: oversight/units.py knows {sorted(UNITS)}") from None


def _number(value: float, spec: Unit) -> str:
    return f"{value * spec.scale:,.{spec.decimals}f}"


def format_value(value: float | None, unit_name: str, lang: str) -> str:
    """A value as every output writes it: 1.99, 12.3%, 14 days, 5,136.5."""
    if value is None:
        return "–"
    spec = unit(unit_name)
    text = _number(value, spec)
    if spec.scale == 100:
        return text + "%"
    return text + (t(spec.suffix_key, lang) if spec.suffix_key else "")


def format_change(change: float | None, unit_name: str) -> str | None:
    """A signed change as the KPI cards, deck and presentation mode write it: +1.2%p, -0.16."""
    if change is None:
        return None
    spec = unit(unit_name)
    text = f"{change * spec.scale:+,.{spec.decimals}f}"
    return text + "%p" if spec.scale == 100 else text


def excel_format(unit_name: str, lang: str, signed: bool = False) -> str:
    """The Excel number format that writes a value (or, signed, a change) as format_value does."""
    spec = unit(unit_name)
    digits = "#,##0" + ("." + "0" * spec.decimals if spec.decimals else "")
    if spec.scale == 100:
        if signed:  # the change is written in points, already multiplied by 100
            return f'+{digits}"%p";-{digits}"%p";{digits}"%p"'
        return digits.replace("#,##", "") + "%"
    suffix = f'"{t(spec.suffix_key, lang)}"' if spec.suffix_key else ""
    if signed:
        return f"+{digits}{suffix};-{digits}{suffix};{digits}{suffix}"
    return digits + suffix


def excel_change_value(change: float, unit_name: str) -> float:
    """The number written under excel_format(signed=True): percent changes in points."""
    return change * unit(unit_name).scale
