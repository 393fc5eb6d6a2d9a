"""What every page needs for screen readers and keyboards, beyond Streamlit's own markup.

- The document's `lang` follows the chosen language, so a screen reader reads Korean as Korean.
- A skip link, the first thing a keyboard reaches, jumps past the sidebar to the page's title.
- Focus is always visible, links included.

The scripts and styles here are constants chosen by language code; no value from data or the
URL is ever written into them (docs/accessibility.md).
"""

from __future__ import annotations

import html

import streamlit as st

from oversight.i18n import LANGUAGES, t
from oversight.security import LANGUAGE_SCRIPTS

MAIN_ANCHOR = "main"  # the id of every page's title (st.title(..., anchor=MAIN_ANCHOR))

_STYLE = """
<style>
/* Streamlit's own skip link says "Skip to main content" in English on every page: ours speaks
   the page's language. */
[data-testid="stSkipToContent"] { display: none !important; }
.skip-link { position: absolute; left: -10000px; top: 0; }
.skip-link:focus { position: fixed; left: 1rem; top: 1rem; z-index: 1000100; padding: 0.5rem 1rem;
    background: #ffffff; color: #0b3d91; border: 3px solid #0b3d91; font-weight: 600; }
a:focus-visible, button:focus-visible, [role="tab"]:focus-visible, [role="radio"]:focus-visible,
summary:focus-visible, input:focus-visible, [tabindex]:focus-visible {
    outline: 3px solid #0b3d91 !important; outline-offset: 2px !important;
}
</style>
"""


def page_language(lang: str) -> None:
    """Set <html lang> to the chosen language (Streamlit writes "en" whatever the content)."""
    if lang not in LANGUAGES:  # a constant per language: nothing else reaches the script
        raise ValueError(f"unknown language {lang!r}")
    st.html(f"<script>{LANGUAGE_SCRIPTS[lang]}</script>", unsafe_allow_javascript=True)


def skip_link(lang: str) -> None:
    """A link past the sidebar to the page title, hidden until a keyboard reaches it."""
    st.html(_STYLE)
    st.html(f'<a class="skip-link" href="#{MAIN_ANCHOR}">{html.escape(t("app.skip_to_content", lang))}</a>')
