"""Every output writes a KPI's value as the one table of units (oversight/units.py) says."""
from oversight import kpis, units
from oversight.export import context as ctx
from oversight.export.summary import change_sentence
from oversight.views.model import Kpi

# value, previous, and what the screen must read in English, per unit
CASES = {
    "count": (1234.0, 1200.0, "1,234"),
    "decimal": (1.99, 1.77, "1.99"),
    "percent": (0.1234, 0.1, "12.3%"),
    "days": (14.0, 12.0, "14 days"),
    "hours": (5136.5, 5000.0, "5,136.5"),
}


def _excel_decimals(number_format: str) -> int:
    digits = number_format.split(";")[0]
    return len(digits.split(".")[1].split('"')[0].rstrip("%")) if "." in digits else 0


def test_every_unit_reads_the_same_in_every_output():
    problems = []
    used = {spec.unit for spec in kpis.CATALOGUE}
    problems += [f"catalogue unit {u} has no case here" for u in used - CASES.keys()]
    for name, (value, previous, english) in CASES.items():
        spec = units.unit(name)
        for lang in ("ko", "en"):
            screen = units.format_value(value, name, lang)
            kpi = Kpi(key="k", label="L", value=value, previous=previous, unit=name, definition="",
                      detail="", higher_is_better=True)
            if ctx.format_kpi_value(value, name, lang) != screen:
                problems.append(f"{name}/{lang}: deck {ctx.format_kpi_value(value, name, lang)} != {screen}")
            number = screen.split("%")[0].split(" ")[0].rstrip("일")
            if number not in change_sentence(kpi, lang, threshold=1):
                problems.append(f"{name}/{lang}: summary {change_sentence(kpi, lang, threshold=1)!r} lacks {number}")
            for signed in (False, True):
                excel = units.excel_format(name, lang, signed)
                if _excel_decimals(excel) != spec.decimals:
                    problems.append(f"{name}/{lang}: Excel {excel} has not {spec.decimals} decimals")
        if units.format_value(value, name, "en") != english:
            problems.append(f"{name}: screen {units.format_value(value, name, 'en')} != {english}")
    assert problems == []


def test_a_change_rounded_away_is_unchanged_and_a_visible_one_is_not():
    moved = Kpi(key="k", label="L", value=1.75, previous=1.91, unit="decimal", definition="", detail="",
                higher_is_better=True)
    still = Kpi(key="k", label="L", value=1.912, previous=1.914, unit="decimal", definition="", detail="",
                higher_is_better=True)
    assert "0.16" in change_sentence(moved, "en", threshold=1)
    assert change_sentence(still, "en", threshold=1) == change_sentence(
        Kpi(key="k", label="L", value=1.912, previous=1.912, unit="decimal", definition="", detail="",
            higher_is_better=True), "en", threshold=1)
    assert units.format_change(-0.16, "decimal") == "-0.16"
