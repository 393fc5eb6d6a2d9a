"""What there is to measure: the pages listed in app.py and the export commands that exist."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXPORTS = ("report", "deck")  # python -m oversight COMMAND, measured once they exist
_ONE_SHEET_OPTIONS = ("--sheet", "--sheets", "--page", "--pages", "--only")
_OUT_OPTIONS = ("--out", "--output", "-o")


@dataclass(frozen=True)
class Page:
    path: str  # "pages/overview.py", what AppTest.switch_page takes
    title_key: str
    url_path: str  # "overview"; the default page is served at "/"
    default: bool

    @property
    def name(self) -> str:
        return Path(self.path).stem


def pages(app_text: str | None = None) -> list[Page]:
    """Every page in app.py's PAGES, in menu order, read from the source (app.py runs Streamlit)."""
    text = app_text if app_text is not None else (ROOT / "app.py").read_text(encoding="utf-8")
    for node in ast.walk(ast.parse(text)):
        if (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "PAGES" for t in node.targets)
        ):
            sections = ast.literal_eval(node.value)
            break
    else:
        raise ValueError("app.py has no PAGES = {...} literal")
    default = _default_url(text)
    listed = [entry for section in sections.values() for entry in section]
    if default is None and listed:
        default = listed[0][2]
    return [Page(path, title, url, url == default) for path, title, url, *_ in listed]


def _default_url(text: str) -> str | None:
    match = re.search(r"default=\(url\s*==\s*[\"']([a-z0-9_-]+)[\"']\)", text)
    return match.group(1) if match else None


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
