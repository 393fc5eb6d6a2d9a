"""Names from data reach plotly escaped: plotly renders <b>, <a href> and <br> in labels."""

import datetime as dt

import polars as pl

from oversight import charts
from oversight.views.model import Chart, Panel

HOSTILE = '<a href="javascript:alert(1)">click</a> & <b>bold</b>'


def _panel(kind: str) -> Panel:
    frame = pl.DataFrame({"month": [dt.date(2026, 1, 1)] * 2, "series": [HOSTILE, "plain"], "count": [3, 4]})
    chart = Chart(kind=kind, x="series" if kind in ("bar", "pie") else "month", y="count",
                  color=None if kind in ("bar", "pie") else "series",
                  events=((dt.date(2026, 1, 1), HOSTILE),), markers=((dt.date(2026, 1, 1), HOSTILE),),
                  markers_label=HOSTILE)
    return Panel(key="t", title="t", definition="d", frame=frame, chart=chart)


def _labels(fig) -> list[str]:
    """Every piece of text a user sees: trace names, categories, pie labels, hover, annotations."""
    texts = []
    for trace in fig.data:
        texts.append(trace.name or "")
        for field in ("x", "y", "labels", "hovertext"):
            values = getattr(trace, field, None)
            if values is not None:
                texts += [str(v) for v in values]
    texts += [a.text for a in fig.layout.annotations]
    return texts


def test_generic_charts_escape_names_in_series_categories_and_annotations():
    escaped = '&lt;a href="javascript:alert(1)"&gt;click&lt;/a&gt; &amp; &lt;b&gt;bold&lt;/b&gt;'
    for kind in ("line", "bar", "pie"):
        labels = _labels(charts.figure(_panel(kind), "en"))
        assert not [text for text in labels if "<a " in text or "<b>" in text], kind
        assert escaped in labels, kind


def test_the_escaped_text_reads_as_written():
    from oversight.charts.safe import plotly_text

    assert plotly_text(HOSTILE) == '&lt;a href="javascript:alert(1)"&gt;click&lt;/a&gt; &amp; &lt;b&gt;bold&lt;/b&gt;'
    assert plotly_text("가람\x00병원") == "가람병원"
