"""The memo shared by every session: one computation however many ask, bounded, errors not kept;
and the views and figures the pages draw from it."""

from __future__ import annotations

import shutil
import threading
import time

import pytest

from conftest import YEAR_2025
from oversight import db
from oversight.memo import Memo
from oversight.views import overview


def test_many_callers_at_once_share_one_computation():
    memo = Memo(max_entries=4)
    calls = []
    started = threading.Event()

    def slow():
        calls.append(1)
        started.set()
        time.sleep(0.2)
        return object()

    results = []
    threads = [threading.Thread(target=lambda: results.append(memo.get("view", slow))) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1
    assert len(results) == 20 and all(r is results[0] for r in results)
    assert memo.misses == 1


def test_the_oldest_entry_goes_first_and_a_used_one_stays():
    memo = Memo(max_entries=2)
    memo.get("a", lambda: 1)
    memo.get("b", lambda: 2)
    memo.get("a", lambda: 99)  # used again: now the newest
    memo.get("c", lambda: 3)
    assert len(memo) == 2
    assert memo.get("a", lambda: "recomputed") == 1
    assert memo.get("b", lambda: "recomputed") == "recomputed"


def test_an_error_reaches_every_waiter_and_is_not_kept():
    memo = Memo(max_entries=2)
    release = threading.Event()

    def failing():
        release.wait(2)
        raise ValueError("query failed")

    errors = []

    def ask():
        try:
            memo.get("k", failing)
        except ValueError as exc:
            errors.append(str(exc))

    threads = [threading.Thread(target=ask) for _ in range(3)]
    for thread in threads:
        thread.start()
    time.sleep(0.1)
    release.set()
    for thread in threads:
        thread.join()
    assert errors == ["query failed"] * 3
    assert memo.get("k", lambda: "fine now") == "fine now"


@pytest.fixture()
def served(fixture_db, tmp_path, monkeypatch):
    path = tmp_path / "served.duckdb"
    shutil.copy(fixture_db, path)
    monkeypatch.setenv("OVERSIGHT_DB", str(path))
    return path


def test_a_view_is_built_once_per_arguments_and_again_after_a_swap(served):
    from ui import data

    first = data.view(overview.build, YEAR_2025, "ko")
    assert data.view(overview.build, YEAR_2025, "ko") is first
    english = data.view(overview.build, YEAR_2025, "en")
    assert english is not first and english.title != first.title

    panel = first.panels[0]
    drawn = data.drawn(lambda p, lang: [p.key, lang], panel, "ko")
    assert drawn == [panel.key, "ko"]

    # A load swaps a new file in: the same arguments now give a view of the new data.
    with db.rebuild(served) as con:
        con.execute("delete from quality_checks")
    after = data.view(overview.build, YEAR_2025, "ko")
    assert after is not first
    quality_before = next(k for k in first.kpis if "quality" in k.key).value
    quality_after = next(k for k in after.kpis if "quality" in k.key).value
    assert quality_before is not None and quality_after is None


def test_entries_go_once_their_weight_adds_up_past_the_bound():
    memo = Memo(max_entries=100, max_weight=10, weight=len)
    memo.get("a", lambda: "x" * 4)
    memo.get("b", lambda: "x" * 4)
    memo.get("c", lambda: "x" * 4)  # 12 > 10: the oldest goes
    assert len(memo) == 2 and memo.weight == 8
    assert memo.get("a", lambda: "again") == "again"
    memo.get("huge", lambda: "x" * 50)  # larger than the bound alone: kept, everything else goes
    assert len(memo) == 1 and memo.weight == 50


def test_one_build_serves_both_languages(served):
    from ui import data

    built = []

    def counted(runner, filters):
        built.append(filters)
        return overview.build(runner, filters)

    korean, english = data.view(counted, YEAR_2025, "ko"), data.view(counted, YEAR_2025, "en")
    assert built == [YEAR_2025]
    assert korean.title != english.title
    assert korean.panel("overview.waiting").codes is english.panel("overview.waiting").codes
