"""Exports of the page views: the Excel report, the meeting deck, and what they share.

    python -m oversight report --out report.xlsx [--from DATE] [--to DATE] [--region CODE ...]
                               [--lang ko|en] [--sheet NAME ...] [--db PATH]
    python -m oversight deck --out deck.pptx [same options]

- `excel`: cover sheet `About`, then one sheet per view registered in
  `oversight.pages.SHEETS`, each with its KPIs and every panel as an Excel table with
  a native chart where Excel has the type.
- `deck`: 16:9 slides: title, KPIs, what changed, one slide per chart, sources and definitions.
- `suppression`: small counts hidden, with whatever would give them back (docs/architecture.md).
- `safe_text`: text from data never becomes a formula or markup.
- `summary`: what changed, as sentences written from the KPI figures (Korean and English).
- `figures`: the pages' charts for a room (deck and presentation mode), rendered offline.
- `context`: filters in words, data date, sources: what every export states.

Nothing here imports Streamlit: the dashboard's download buttons (`ui/exports.py`) and
presentation mode (`ui/presentation.py`) call these builders.
"""
