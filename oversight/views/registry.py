"""Every page's view, by its Excel sheet name, in the order of the report.

Each builder is `build(runner, filters, lang) -> PageView` (extra arguments have defaults), so
the Excel report and the meeting deck can write every page exactly as the page shows it. A page
adds itself here with one line.
"""

from __future__ import annotations

from collections.abc import Callable

from oversight.views import access, agreements, centres, consulting, institutions, overview, quality, regions
from oversight.views.model import PageView

SHEETS: dict[str, Callable[..., PageView]] = {
    "Overview": overview.build,
    "Agreements": agreements.build,
    "Institutions": institutions.build,
    "Access": access.build,
    "Centres": centres.build,
    "Consulting": consulting.build,
    "Regions": regions.build,
    "Quality": quality.build,
}
