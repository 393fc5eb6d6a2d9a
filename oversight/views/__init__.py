"""What each page shows, as data: KPIs and panels (a frame, its chart, its definition).

A page draws a view; the Excel report and the meeting deck write the same view, so the figures
in a workbook are the page's figures. Views take a query runner and the filters, never the
language: they are built in codes and localised at the edge (`localise.localise`). They never
touch Streamlit.
"""
