"""Notes on charts in AppTest: an analyst writes one under a panel, it shows as text under the chart
and as a band on it; hostile text is refused with the reason; the author deletes it."""

from __future__ import annotations

import json

import pytest

from oversight import settings, state
from oversight.state import audit, notes


@pytest.fixture()
def store(monkeypatch, tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'state.sqlite'}"
    monkeypatch.setenv(settings.STATE_URL.name, url)
    return url


def _new_note_areas(at):
    return [a for a in at.text_area if a.key.startswith("note_text_") and a.key.endswith("_new")]


def _captions(at) -> list[str]:
    return [c.value for c in at.caption]


def test_an_analyst_adds_a_note_it_shows_under_the_chart_and_on_it_and_the_author_deletes_it(app, store):
    at = app({"lang": "en"})
    assert not at.exception, [e.value for e in at.exception]
    area = _new_note_areas(at)[0]
    key = area.key.removeprefix("note_text_").removesuffix("_new")
    # A form's widgets reach the server with its submit button, in the same run.
    area.input("2026-03: <b>hospital X</b> moved systems, late submissions")
    next(b for b in at.button if b.label == "Add the note" and key in b.proto.form_id).click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    (note,) = notes.for_panels([key], notes.month("2000-01")[0], notes.month("2099-12")[1],
                               engine=state.engine(store))[key]
    assert note.text.startswith("2026-03: <b>hospital X</b>") and note.author.startswith("local:")
    line = next(c for c in _captions(at) if c.startswith("✎1 Note"))
    assert r"\<b\>hospital X\</b\>" in line or "&lt;b&gt;" in line  # escaped for Markdown, never markup
    assert audit.events(engine=state.engine(store))["action"].to_list() == ["note_add"]
    # On the chart over time: a band over the note's period, numbered as in the text, its text escaped.
    marked = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    marked = [json.dumps(m, ensure_ascii=False) for m in marked if "✎1" in json.dumps(m, ensure_ascii=False)]
    assert len(marked) == 1 and "&lt;b&gt;hospital X" in marked[0] and "<b>hospital" not in marked[0]
    # The author's own note has its form: delete it.
    next(b for b in at.button if b.label == "Delete" and b.proto.form_id.endswith(f"_{note.id}")).click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert not any(c.startswith("✎1 Note") for c in _captions(at))
    assert audit.events(engine=state.engine(store))["action"].to_list() == ["note_delete", "note_add"]


def test_a_hostile_note_is_refused_with_its_reason_and_nothing_is_stored(app, store):
    at = app({"lang": "en"})
    area = _new_note_areas(at)[0]
    key = area.key.removeprefix("note_text_").removesuffix("_new")
    area.input("hidden\u200btext")
    next(b for b in at.button if b.label == "Add the note" and key in b.proto.form_id).click()
    at.run()
    assert any("The note was not stored" in e.value and "U+200B" in e.value for e in at.error)
    assert audit.events(engine=state.engine(store)).is_empty()


def test_a_viewer_reads_the_notes_but_is_offered_no_form(app, store, monkeypatch):
    from oversight.auth import Access, Role
    from ui import access

    at = app({"lang": "en"})
    key = _new_note_areas(at)[0].key.removeprefix("note_text_").removesuffix("_new")
    today = notes.month("2026-11")
    notes.add("lee@mohw.example", Role.ANALYST, key, *today, "for everyone", engine=state.engine(store))
    monkeypatch.setattr(access, "current", lambda: Access(Role.VIEWER, "signed_in"))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(c.startswith("✎1 Note") and "for everyone" in c for c in _captions(at))
    assert _new_note_areas(at) == [] and not any(b.label == "Add the note" for b in at.button)
