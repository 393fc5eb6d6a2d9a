"""The one list of the dashboard's pages: what app.py shows, what the exports write, what the
bench and the tests walk. Streamlit-free, so everything reads it and nothing scrapes source.

A new page is a view builder in `oversight/views/`, a script in `pages/`, its queries in
`queries/` and one row here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from oversight.auth import Role
from oversight.views import access, agreements, centres, consulting, institutions, overview, quality, regions
from oversight.views.model import PageView


@dataclass(frozen=True)
class Page:
    slug: str  # the URL path (/agreements); the default page is also served at "/"
    title_key: str  # i18n key of its menu entry and title
    icon: str  # a Streamlit :material/ icon (drawn from the bundled font, nothing fetched)
    section: str  # i18n key of its menu section
    role: Role = Role.VIEWER  # who may see and open it (the page checks again itself)
    view: Callable[..., PageView] | None = None  # build(runner, filters) -> PageView in no language
    sheet: str | None = None  # its sheet in the Excel report and its part of the deck
    default: bool = False  # served at "/"

    @property
    def script(self) -> str:
        """The page file, as st.Page and AppTest.switch_page take it."""
        return f"pages/{self.slug}.py"


PROGRAMME, ANALYSIS, INFO, DATA = "app.section.programme", "app.section.analysis", "app.section.info", "app.section.data"

PAGES: tuple[Page, ...] = (
    Page("overview", "page.overview", ":material/dashboard:", PROGRAMME, view=overview.build, sheet="Overview",
         default=True),
    Page("agreements", "page.agreements", ":material/handshake:", PROGRAMME, view=agreements.build,
         sheet="Agreements"),
    Page("institutions", "page.institutions", ":material/apartment:", PROGRAMME, view=institutions.build,
         sheet="Institutions"),
    Page("access", "page.access", ":material/move_to_inbox:", PROGRAMME, view=access.build, sheet="Access"),
    Page("centres", "page.centres", ":material/shield_lock:", PROGRAMME, view=centres.build, sheet="Centres"),
    Page("consulting", "page.consulting", ":material/support_agent:", PROGRAMME, view=consulting.build,
         sheet="Consulting"),
    Page("regions", "page.regions", ":material/map:", ANALYSIS, view=regions.build, sheet="Regions"),
    Page("quality", "page.quality", ":material/fact_check:", ANALYSIS, view=quality.build, sheet="Quality"),
    Page("about", "page.about", ":material/info:", INFO),
    Page("data", "page.data", ":material/upload_file:", DATA, role=Role.DATA_MANAGER),
)

# Every page's view by its sheet name, in the order of the report and the deck.
SHEETS: dict[str, Callable[..., PageView]] = {p.sheet: p.view for p in PAGES if p.sheet and p.view}


def by_slug(slug: str) -> Page:
    return next(p for p in PAGES if p.slug == slug)


def sections() -> dict[str, list[Page]]:
    """Pages by menu section, both in menu order."""
    grouped: dict[str, list[Page]] = {}
    for page in PAGES:
        grouped.setdefault(page.section, []).append(page)
    return grouped


def viewer_pages() -> list[Page]:
    """What a viewer finds in the menu."""
    return [p for p in PAGES if p.role <= Role.VIEWER]
