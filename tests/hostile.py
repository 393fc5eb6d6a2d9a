"""A demo database whose names and titles are hostile: HTML, script, Markdown, formula prefixes.

Every page and export must show them as plain text (issue 9, injection and disclosure).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from oversight import db

# Each payload would do something visible if it were rendered instead of shown as text.
PAYLOADS = (
    '<img src=x onerror="window.__pwned=1" id="pwned-img">',
    '<script>window.__pwned=1</script>',
    '<b id="pwned-bold">bold</b>',
    "**md-bold** [md-link](javascript:window.__pwned=1)",
    "=HYPERLINK(\"http://example.invalid\",\"click\")",
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\tTabbed",
)

# Names are updated in SQL from constants; the payloads reach it as parameters.
RENAME_INSTITUTIONS = """
update institutions
set name_en = $payloads[1 + (hash(institution_id) % len($payloads))::bigint] || ' ' || institution_id,
    name_ko = $payloads[1 + (hash(institution_id || 'ko') % len($payloads))::bigint] || ' ' || institution_id
"""
RETITLE_AGREEMENTS = """
update agreements set title = $payloads[1 + (hash(agreement_id) % len($payloads))::bigint]
"""


def build_hostile(source: Path, target: Path) -> Path:
    shutil.copy(source, target)
    with db.rebuild(target) as con:
        con.execute(RENAME_INSTITUTIONS, {"payloads": list(PAYLOADS)})
        con.execute(RETITLE_AGREEMENTS, {"payloads": list(PAYLOADS)})
    return target
