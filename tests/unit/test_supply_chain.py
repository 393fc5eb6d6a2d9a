"""Issue 9, supply chain: exact pins, a Streamlit without published advisories, capped uploads."""

import re
import tomllib
from pathlib import Path

from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
REQUIREMENT = re.compile(r"^(?P<name>[A-Za-z0-9_.\-]+)(?P<spec>.*)$")


def _requirements(name: str) -> dict[str, str]:
    pins = {}
    for line in (ROOT / name).read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("-r "):
            continue
        match = REQUIREMENT.match(line)
        pins[match["name"].lower()] = match["spec"]
    return pins


def test_every_dependency_is_pinned_to_an_exact_version():
    for name in ("requirements.txt", "requirements-dev.txt"):
        loose = {pkg: spec for pkg, spec in _requirements(name).items() if not spec.startswith("==")}
        assert loose == {}, name


def test_streamlit_is_at_least_1_54():
    assert Version(_requirements("requirements.txt")["streamlit"].removeprefix("==")) >= Version("1.54")


def test_installed_versions_match_the_pins():
    from importlib.metadata import version

    for pkg, spec in _requirements("requirements.txt").items():
        assert version(pkg) == spec.removeprefix("=="), pkg


def test_uploads_are_capped_and_telemetry_is_off():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert 0 < config["server"]["maxUploadSize"] <= 200
    assert config["browser"]["gatherUsageStats"] is False
    assert config["server"]["address"] == "127.0.0.1"
