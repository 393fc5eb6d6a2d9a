"""Loading submissions: read, check every rule, then load a batch all or nothing.

    from oversight import loader
    checked = loader.check([loader.Submission.from_path(p) for p in paths], db_path)
    if checked.ok:
        outcome = loader.load(checked, db_path, by="kim@agency.example")

Modules: sources (files -> text cells, by content), cells (text -> typed values), rules (rules
within a row; references declared), staging (rules across tables in DuckDB, applying a batch),
batch (check, lock, load, record), history (the batch history), template (XLSX templates).
"""

from oversight.loader.batch import Busy, Checked, Outcome, check, import_files, load, today, user_name
from oversight.loader.sources import MAX_FILE_BYTES, Submission

__all__ = [
    "Busy", "Checked", "MAX_FILE_BYTES", "Outcome", "Submission", "check", "import_files", "load", "today", "user_name",
]
