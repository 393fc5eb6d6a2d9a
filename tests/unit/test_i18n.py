"""Every user-facing string exists in Korean and English."""

import re
import string
from pathlib import Path

import pytest

from oversight import i18n, schema

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = i18n.catalogue()
LITERAL_KEY = re.compile(r"""\bt\(\s*["']([a-z0-9_.]*[a-z0-9_])["']\s*[,)]""")


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_key_has_korean_and_english():
    """One test over the whole catalogue, listing every key that lacks a language or is empty."""
    incomplete = [
        key for key, texts in sorted(CATALOGUE.items())
        if set(texts) != set(i18n.LANGUAGES) or not all(texts.get(lang, "").strip() for lang in i18n.LANGUAGES)
    ]
    assert len(CATALOGUE) > 1000 and incomplete == []


def test_placeholders_match_between_languages():
    mismatched = {
        key: (sorted(_fields(texts.get("ko", ""))), sorted(_fields(texts.get("en", ""))))
        for key, texts in sorted(CATALOGUE.items())
        if _fields(texts.get("ko", "")) != _fields(texts.get("en", ""))
    }
    assert mismatched == {}


def test_every_key_used_in_code_exists():
    used = set()
    for path in [ROOT / "app.py", *ROOT.glob("pages/*.py"), *ROOT.glob("ui/*.py"), *ROOT.glob("oversight/**/*.py")]:
        used |= set(LITERAL_KEY.findall(path.read_text(encoding="utf-8")))
    missing = sorted(k for k in used if k not in CATALOGUE)
    assert missing == []


def test_every_enumeration_value_has_a_label():
    enums = {
        "kind": schema.INSTITUTION_KINDS, "tier": schema.HOSPITAL_TIERS, "sector": schema.COMPANY_SECTORS,
        "area": schema.RESEARCH_AREAS, "agreement_status": schema.AGREEMENT_STATUSES,
        "request_status": schema.REQUEST_STATUSES, "data_type": schema.DATA_TYPES,
        "access_mode": schema.ACCESS_MODES, "category": schema.QUALITY_CATEGORIES,
        "context": schema.QUALITY_CONTEXTS, "topic": schema.CONSULTATION_TOPICS,
    }
    missing = [f"enum.{e}.{v}" for e, values in enums.items() for v in values if f"enum.{e}.{v}" not in CATALOGUE]
    assert missing == []


def test_every_definition_has_a_name():
    definitions = [k.removeprefix("def.") for k in CATALOGUE if k.startswith("def.")]
    assert definitions
    assert [d for d in definitions if f"defname.{d}" not in CATALOGUE] == []


def test_a_missing_key_is_an_error():
    with pytest.raises(i18n.CatalogueError):
        i18n.t("no.such.key", "ko")


def test_names_fall_back_to_the_other_language():
    assert i18n.localised_name(None, "Garam", "ko") == "Garam"
    assert i18n.localised_name("가람", None, "en") == "가람"
    assert i18n.localised_name("가람", "Garam", "en") == "Garam"
