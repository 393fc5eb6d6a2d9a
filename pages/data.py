"""Data: check submitted files, load them as one batch, templates, what is loaded, the history.

Data managers only: the role is checked here, on the server, before anything else runs.
"""

import streamlit as st

from oversight import auth, config, loader
from oversight.i18n import t
from oversight.loader import dqd, problems, report, template
from ui import access, accessibility, audit, components, data, state


# First, before anything else: this also runs when a URL reaches the file without app.py.
lang = state.lang()
access.require(auth.Role.DATA_MANAGER, lang)

db_path = config.database_path()
if db_path.exists():
    info = components.page_header("page.data", lang)
else:  # an empty start: the first batch is loaded here
    st.title(t("page.data", lang), anchor=accessibility.MAIN_ANCHOR)
    info = {}
st.caption(t("loader.page.intro", lang))
limit_mb = int(st.get_option("server.maxUploadSize"))

# Page-local session keys carry the page's prefix.
CHECKED, OUTCOME, ROUND = "data_checked", "data_outcome", "data_upload_round"


@st.cache_data(max_entries=4, show_spinner=False)
def template_bytes(example: bool) -> bytes:
    return template.template(example_rows=example)


def progress_bar(placeholder):
    bar = placeholder.progress(0.0)

    def report_progress(label: str, fraction: float) -> None:
        bar.progress(min(max(fraction, 0.0), 1.0), text=t(f"loader.stage.{label}", lang))

    return report_progress


def show_outcome(outcome: dict) -> None:
    kind = outcome["outcome"]
    if kind == "loaded":
        st.success(t("loader.page.loaded", lang, batch=outcome["batch_id"], seconds=outcome["seconds"]),
                   icon=":material/check_circle:")
    elif kind == "unchanged":
        st.info(t("loader.page.unchanged", lang), icon=":material/info:")
    else:
        st.error(t("loader.page.refused_on_load", lang, n=outcome["problems"]), icon=":material/error:")


def show_problems(checked: loader.Checked) -> None:
    found = checked.problems
    wide = {t("loader.problem.problem", lang): st.column_config.TextColumn(width="large")}
    st.error(t("loader.page.refused", lang, n=f"{found.height:,}"), icon=":material/error:")
    st.subheader(t("loader.page.summary", lang))
    st.dataframe(problems.summary(found, lang), hide_index=True, width="stretch", column_config=wide)
    st.subheader(t("loader.page.details", lang))
    shown = problems.table(found, lang, limit=problems.LISTED * 5)
    st.dataframe(shown, hide_index=True, width="stretch", column_config=wide)
    if found.height > shown.height:
        st.caption(t("loader.page.more", lang, shown=f"{shown.height:,}", n=f"{found.height - shown.height:,}"))
    st.download_button(
        t("loader.page.download_problems", lang), problems.to_csv(found, lang, limit=None),
        file_name="problems.csv", mime="text/csv", icon=":material/download:", key="data_problems_csv",
    )


def results_file(name: str, content: bytes) -> loader.Submission:
    """A DQD results file with the hospital that ran it (suggested from its CDM_SOURCE_NAME) and,
    when it has no startTimestamp, the assessment date: asked here, beside the file."""
    results = dqd.describe(content)
    hospitals = data.runner().run("hospital_names", {}).rows() if db_path.exists() else []
    names = {h[0]: h[1] or h[2] for h in hospitals}
    suggested = dqd.suggest_hospital(results.source_name if results else None, hospitals)
    key = loader.Submission(name, content).sha256[:16]
    st.markdown(t("loader.page.dqd_file", lang, file=components.plain(name),
                  generation=t(f"loader.dqd.{results.generation}" if results else "loader.dqd.unread", lang),
                  source=components.plain(results.source_name if results and results.source_name else "–")))
    left, right = st.columns(2)
    if names:
        hospital = left.selectbox(
            t("loader.page.dqd_hospital", lang), list(names), index=list(names).index(suggested) if suggested else None,
            format_func=lambda i: f"{i} · {names[i]}", key=f"data_dqd_hospital_{key}",
            placeholder=t("loader.page.dqd_choose", lang),
        )
    else:  # an empty start: the hospital comes in the same batch's institutions
        hospital = left.text_input(t("loader.page.dqd_hospital", lang), key=f"data_dqd_hospital_{key}").strip() or None
    day = results.started_on if results else None
    if day is None:
        day = right.date_input(t("loader.page.dqd_date", lang), value=None, format="YYYY-MM-DD",
                               key=f"data_dqd_date_{key}")
    else:
        right.caption(t("loader.page.dqd_started", lang, date=day))
    return loader.Submission(name, content, hospital, None if results and results.started_on else day)


upload_tab, template_tab, contents_tab, history_tab, audit_tab = st.tabs([
    t("loader.page.tab_upload", lang), t("loader.page.tab_templates", lang),
    t("loader.page.tab_contents", lang), t("loader.page.tab_history", lang), t("audit.page.tab", lang),
])

with upload_tab:
    if OUTCOME in st.session_state:
        show_outcome(st.session_state.pop(OUTCOME))
    files = st.file_uploader(
        t("loader.page.upload", lang), type=["xlsx", "csv", "parquet", "json"], accept_multiple_files=True,
        key=f"data_upload_{st.session_state.get(ROUND, 0)}", help=t("loader.page.upload_help", lang, mb=limit_mb),
    )
    if files:
        submissions = [results_file(f.name, f.getvalue()) if dqd.is_results(f.getvalue())
                       else loader.Submission(f.name, f.getvalue()) for f in files]
        version = data.database().version().token if db_path.exists() else None
        key = (tuple((s.sha256, s.hospital, s.assessed_on) for s in submissions), tuple(s.name for s in submissions), version)
        held = st.session_state.get(CHECKED)
        if held is None or held[0] != key:
            placeholder = st.empty()
            checked = loader.check(submissions, db_path, max_bytes=limit_mb * 2**20,
                                   progress=progress_bar(placeholder))
            placeholder.empty()
            st.session_state[CHECKED] = held = (key, checked)
        checked = held[1]
        st.dataframe(report.files_frame(checked.files, lang), hide_index=True, width="stretch")
        if not checked.ok:
            show_problems(checked)
        else:
            st.success(t("loader.page.ready", lang, seconds=f"{checked.seconds:.1f}"), icon=":material/task_alt:")
            st.dataframe(report.changes_frame(checked.changes, lang), hide_index=True, width="stretch")
            if not checked.changes_anything:
                st.info(t("loader.page.nothing_changes", lang), icon=":material/info:")
            today = loader.today()
            data_date = st.date_input(
                t("loader.page.data_date", lang), value=max(today, info.get("data_date") or today),
                help=t("loader.page.data_date_help", lang), format="YYYY-MM-DD", key="data_data_date",
            )
            if st.button(t("loader.page.load", lang), type="primary", icon=":material/upload:", key="data_load"):
                placeholder = st.empty()
                try:
                    outcome = loader.load(
                        checked, db_path, by=access.who(), data_date=data_date, submissions=submissions,
                        max_bytes=limit_mb * 2**20, progress=progress_bar(placeholder),
                    )
                except loader.Busy:
                    placeholder.empty()
                    st.warning(t("loader.page.busy", lang), icon=":material/hourglass:")
                else:
                    if outcome.outcome == "loaded":
                        audit.log("load", f"batch {outcome.batch_id}: {', '.join(s.name for s in submissions)}")
                    st.session_state[OUTCOME] = {
                        "outcome": outcome.outcome, "batch_id": outcome.batch_id,
                        "seconds": f"{outcome.seconds:.1f}", "problems": f"{outcome.checked.problems.height:,}",
                    }
                    st.session_state.pop(CHECKED, None)
                    st.session_state[ROUND] = st.session_state.get(ROUND, 0) + 1  # a fresh, empty uploader
                    st.rerun()

with template_tab:
    st.markdown(t("loader.page.templates_intro", lang))
    left, right = st.columns(2)
    left.download_button(
        t("loader.page.template", lang), template_bytes(False), file_name="submission_template.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", icon=":material/download:",
        key="data_template",
    )
    right.download_button(
        t("loader.page.example", lang), template_bytes(True), file_name="submission_example.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", icon=":material/download:",
        key="data_example",
    )

if db_path.exists():
    runner = data.runner()
    with contents_tab:
        st.dataframe(report.tables_frame(runner, lang), hide_index=True, width="stretch")
    with history_tab:
        st.caption(t("loader.page.history_note", lang))
        st.dataframe(report.history_frame(runner, db_path, lang), hide_index=True, width="stretch")
else:
    for tab in (contents_tab, history_tab):
        tab.info(t("app.no_data_yet", lang), icon=":material/hourglass_empty:")

with audit_tab:
    audit.trail(lang)
