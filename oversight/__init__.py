"""Core of the Medical Data Utilisation Project oversight dashboard.

Never imports Streamlit (tests/unit/test_architecture.py enforces it): everything here runs and is
tested without a browser, and the pages in ../pages only compose it.
"""
