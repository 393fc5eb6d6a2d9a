"""Codes until the edge (issue 14): one view built in no language, localised into Korean and into
English, is what each page shows in that language."""



from helpers import metrics, open_page, subheaders
from oversight import db, filters as flt, queries
from oversight.pages import PAGES
from oversight.views.localise import localise
from oversight.views.model import Text

# Panels a page does not title with a subheader by default: a list below its chart, a detail shown
# once something is picked, the league of requesters (one league is shown at a time), the list of
# institutions on the regions page (behind a toggle).
NOT_A_SUBHEADER = {
    "access.open_requests", "centres.detail", "agreements.list", "institutions.requesters", "regions.institutions",
}


def _untranslated(view) -> list[str]:
    """Whatever is still a Text (or a name pair) once localised: a text the edge missed."""
    found = [f"title {view.title!r}"] if not isinstance(view.title, str) else []
    found += [f"note {n!r}" for n in view.notes if not isinstance(n, str)]
    for kpi in view.kpis:
        found += [f"kpi {kpi.key}.{f}" for f in ("label", "definition", "detail") if not isinstance(getattr(kpi, f), str)]
    for panel in view.panels:
        found += [f"panel {panel.key}.{f}" for f in ("title", "definition") if not isinstance(getattr(panel, f), str)]
        if panel.chart is not None:
            texts = [t for _, t in (*panel.chart.events, *panel.chart.markers)] + [panel.chart.markers_label]
            found += [f"panel {panel.key} chart text" for t in texts if isinstance(t, Text)]
        if panel.codes is None or panel.codes.height != panel.frame.height:
            found.append(f"panel {panel.key}: its codes are not row for row with its frame")
    return found


def test_one_build_localised_is_what_each_page_shows_in_either_language(app, demo_db):
    runner = queries.DatabaseRunner(db.read_only(demo_db))
    info = runner.run("dataset_info", {}).row(0, named=True)
    filters = flt.default_filters(info["data_date"], info.get("data_until"))
    differences = []
    for page in (p for p in PAGES if p.view is not None):
        built = page.view(runner, filters)
        by_lang = {lang: localise(built, lang) for lang in ("ko", "en")}
        if by_lang["ko"].title == by_lang["en"].title:
            differences.append(f"{page.slug}: the same title in both languages")
        for lang, view in by_lang.items():
            where = f"{page.slug} ({lang})"
            differences += [f"{where}: {text}" for text in _untranslated(view)]
            at = open_page(app, page.script, {"lang": lang})
            if at.title[0].value != view.title:
                differences.append(f"{where}: page title {at.title[0].value!r}, view {view.title!r}")
            shown_kpis = metrics(at)
            differences += [f"{where}: KPI {k.label!r} not shown" for k in view.kpis if k.label not in shown_kpis]
            shown_titles = subheaders(at)
            differences += [
                f"{where}: panel {p.key} titled {p.title!r} not shown" for p in view.panels
                if p.key not in NOT_A_SUBHEADER and p.title not in shown_titles
            ]
    assert not differences, "\n".join(differences)
