"""Every user-facing string, in Korean and English.

Catalogues live in `locales/*.json`, one file per area of the product, each mapping a key to
`{"ko": ..., "en": ...}`. A key may appear in one file only; tests/unit/test_i18n.py fails when a
key lacks either language or when code asks for a key that no catalogue has.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

LANGUAGES = ("ko", "en")
DEFAULT_LANGUAGE = "ko"
LOCALES_DIR = Path(__file__).resolve().parent / "locales"


class CatalogueError(RuntimeError):
    pass


@cache
def catalogue() -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for path in sorted(LOCALES_DIR.glob("*.json")):
        for key, texts in json.loads(path.read_text(encoding="utf-8")).items():
            if key in merged:
                raise CatalogueError(f"key {key!r} is defined twice ({path.name})")
            merged[key] = texts
    return merged


def t(key: str, lang: str, **values: object) -> str:
    """The text of `key` in `lang`, with `{name}` placeholders filled from `values`."""
    try:
        text = catalogue()[key][lang]
    except KeyError:
        raise CatalogueError(f"no {lang!r} text for key {key!r}") from None
    return text.format(**values) if values else text


def has(key: str) -> bool:
    return key in catalogue()


def enum_label(enum: str, value: str | None, lang: str) -> str:
    """Label of an enumeration value, e.g. enum_label("kind", "hospital", "ko") -> "병원"."""
    if value is None:
        return ""
    key = f"enum.{enum}.{value}"
    return t(key, lang) if has(key) else value


def column_label(column: str, lang: str) -> str:
    key = f"col.{column}"
    return t(key, lang) if has(key) else column


def localised_name(name_ko: str | None, name_en: str | None, lang: str) -> str:
    """An institution's name in the chosen language, the other as fallback."""
    first, second = (name_ko, name_en) if lang == "ko" else (name_en, name_ko)
    return first or second or ""
