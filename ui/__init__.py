"""Streamlit glue shared by app.py and the pages: state, cached data access, components.

Pages get everything from here (`ui.filters()`, `ui.runner()`, `ui.lang()`) and never reach
into st.session_state themselves.
"""
