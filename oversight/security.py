"""What the dashboard's pages may load and run in a browser, stated once.

The proxy (deploy/haproxy.cfg through deploy/serve.py) and the Kubernetes Ingress example send
`content_security_policy()` on every response; `tests/browser/test_security.py` walks every page
under it in Chromium and counts violations. The only inline scripts allowed are Streamlit's own
(its index.html) and the app's constant `<html lang>` setters below, one per language
(ui/accessibility.py), each by its hash; no value from data or the URL is ever written into a script. docs/security.md says why
each source is there.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import re
from pathlib import Path

from oversight.i18n import LANGUAGES

LANGUAGE_SCRIPTS: dict[str, str] = {lang: f"document.documentElement.lang = '{lang}';" for lang in LANGUAGES}


def script_hash(script: str) -> str:
    """A CSP source that allows exactly this inline script."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


def streamlit_inline_scripts() -> list[str]:
    """The inline scripts of the installed Streamlit's index.html (today one line that tells
    prerenderers to wait), read from the file rather than copied, so an upgrade cannot drift from
    the policy. Found without importing Streamlit (the core never does)."""
    spec = importlib.util.find_spec("streamlit")
    if spec is None or spec.origin is None:
        return []
    index = Path(spec.origin).parent / "static" / "index.html"
    return re.findall(r"<script>(.*?)</script>", index.read_text(encoding="utf-8"), flags=re.S)


def content_security_policy() -> str:
    inline = [*streamlit_inline_scripts(), *(LANGUAGE_SCRIPTS[lang] for lang in sorted(LANGUAGE_SCRIPTS))]
    scripts = " ".join(script_hash(script) for script in inline)
    return "; ".join((
        "default-src 'self'",
        f"script-src 'self' {scripts}",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "frame-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "object-src 'none'",
    ))
