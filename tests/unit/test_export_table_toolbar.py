"""The table toolbar is no way out: the app's config switches its export off, and the About page's
rule (and the reports' rule) says so in both languages."""

import tomllib
from pathlib import Path

from streamlit import config as st_config

from oversight.i18n import t

ROOT = Path(__file__).resolve().parents[2]


def test_the_config_switches_the_table_export_off_and_the_rule_says_so():
    settings = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert settings["client"]["disableDataExport"] is True
    assert "client.disableDataExport" in st_config._config_options_template  # the pinned Streamlit knows it
    about = {lang: t("def.suppression", lang, n=5) for lang in ("ko", "en")}
    reports = {lang: t("reports.suppression.rule", lang, n=5, m=4) for lang in ("ko", "en")}
    assert "CSV 내려받기와 복사가 없습니다" in about["ko"] and "no CSV download or copy" in about["en"]
    assert "내려받기와 복사를 막아" in reports["ko"] and "switched off" in reports["en"]
