"""What there is to measure: the pages of the registry and the export commands that exist."""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from oversight import pages as registry

ROOT = Path(__file__).resolve().parent.parent
EXPORTS = ("report", "deck")  # python -m oversight COMMAND, measured once they exist
_ONE_SHEET_OPTIONS = ("--sheet", "--sheets", "--page", "--pages", "--only")
_OUT_OPTIONS = ("--out", "--output", "-o")


def pages() -> list[registry.Page]:
    """Every page, in menu order, from the page registry."""
    return list(registry.PAGES)


def cli_commands(help_text: str) -> set[str]:
    """The sub-commands named in `python -m oversight --help` ({demo,info,...})."""
    match = re.search(r"\{([a-z0-9_,-]+)\}", help_text)
    return set(match.group(1).split(",")) if match else set()


def cli_options(help_text: str) -> set[str]:
    return set(re.findall(r"(?<![\w-])(--[a-z][a-z0-9-]*|-[a-z])\b", help_text))


@dataclass(frozen=True)
class Export:
    command: str  # "report" or "deck"
    out_option: str | None  # how to name the output file
    sheet_option: str | None  # how to limit it to one page, when it can be

    @property
    def available(self) -> bool:
        return self.out_option is not None


def _help(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "oversight", *args, "--help"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    return done.stdout + done.stderr


def exports() -> dict[str, Export | None]:
    """Each export command as the CLI offers it today; None while it does not exist."""
    commands = cli_commands(_help())
    found: dict[str, Export | None] = {}
    for command in EXPORTS:
        if command not in commands:
            found[command] = None
            continue
        found[command] = export_from_help(command, _help(command))
    return found


def export_from_help(command: str, help_text: str) -> Export:
    options = cli_options(help_text)
    out = next((o for o in _OUT_OPTIONS if o in options), None)
    sheet = next((o for o in _ONE_SHEET_OPTIONS if o in options), None)
    return Export(command, out, sheet)
