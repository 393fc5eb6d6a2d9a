"""Facts about the programme itself, used to annotate trends."""

from __future__ import annotations

import datetime as dt

# (date, i18n key) of the programme's milestones; centre designations come from the data.
MILESTONES = (
    (dt.date(2020, 1, 1), "event.infrastructure_funding"),
    (dt.date(2026, 2, 1), "event.project_launch"),
)

QUALITY_ALERT_THRESHOLD = 0.90  # a hospital's latest score below this is flagged
WAITING_ALERT_DAYS = 90  # an open request older than this is flagged
