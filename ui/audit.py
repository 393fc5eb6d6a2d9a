"""The audit trail, the Streamlit side: who is acting, on which view (oversight/state/audit.py).

A page records through `log`; a download, whose builder runs later on Streamlit's own thread,
through `audited`, which captures the person and the view while the page draws. A store that
cannot be written stops nothing the person is doing: the failure goes to the server's log."""

from __future__ import annotations

import logging
import urllib.parse

import streamlit as st

from oversight.state import audit

_PAGE_KEY = "audit_page"
_SIGNED_IN_KEY = "audit_signed_in"
log_ = logging.getLogger(__name__)


def set_page(url_path: str) -> None:
    """app.py: the page this run shows, for the events it records."""
    st.session_state[_PAGE_KEY] = url_path


def view() -> str:
    """This view as a link path: the page and its query string (language, filters)."""
    query = urllib.parse.urlencode(st.query_params.to_dict())
    page = "/" + st.session_state.get(_PAGE_KEY, "")
    return f"{page}?{query}" if query else page


def identity() -> tuple[str, str | None]:
    from ui import access  # ui.access needs ui.components, which needs this module (via ui.exports)

    decided = access.current()
    return access.who(), decided.role.key if decided.role else None


def _record(actor: str, role: str | None, action: str, view_: str | None, detail: str | None) -> None:
    try:
        audit.record(actor, action, role=role, view=view_, detail=detail)
    except Exception:  # noqa: BLE001 - the trail's failure must not stop the person's work
        log_.exception("audit trail: could not record %s by %s", action, actor)


def log(action: str, detail: str | None = None) -> None:
    actor, role = identity()
    _record(actor, role, action, view(), detail)


def sign_in_once(decided) -> None:
    """app.py: one sign-in event per signed-in session."""
    if decided.reason != "signed_in" or st.session_state.get(_SIGNED_IN_KEY):
        return
    st.session_state[_SIGNED_IN_KEY] = True
    log("sign_in")


def audited(builder, action: str, detail: str):
    """A download's builder that records the download when it runs (on the download thread)."""
    actor, role = identity()
    where = view()

    def build():
        content = builder()
        _record(actor, role, action, where, detail)
        return content

    return build


SHOWN = 5_000


def trail(lang: str) -> None:
    """The Data page's tab: the trail filtered, as a table and a CSV. The page checks the role."""
    import datetime as dt

    import polars as pl

    from oversight import settings
    from oversight.i18n import t

    days = settings.AUDIT_RETENTION_DAYS.value()
    st.caption(t("audit.page.intro", lang, days=f"{days:,}"))
    today = dt.date.today()
    left, middle, right = st.columns(3)
    period = left.date_input(t("audit.page.period", lang), value=(today - dt.timedelta(days=30), today),
                             max_value=today, format="YYYY-MM-DD", key="data_audit_period")
    actor = middle.text_input(t("audit.page.actor", lang), key="data_audit_actor").strip() or None
    action = right.selectbox(t("audit.page.action", lang), [None, *audit.ACTIONS], key="data_audit_action",
                             format_func=lambda a: t(f"audit.action.{a}", lang) if a else t("audit.page.all", lang))
    start, end = (period[0], period[-1]) if isinstance(period, (tuple, list)) and period else (today, today)
    seoul = dt.timezone(dt.timedelta(hours=9))
    try:
        audit.purge()
        found = audit.events(since=dt.datetime.combine(start, dt.time(), seoul),
                             until=dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), seoul),
                             actor=actor, action=action, limit=SHOWN)
    except Exception as exc:  # noqa: BLE001 - the rest of the Data page stays usable
        st.error(t("audit.page.unavailable", lang, detail=type(exc).__name__), icon=":material/error:")
        return
    if found.is_empty():
        st.info(t("audit.page.none", lang), icon=":material/info:")
        return
    st.caption(t("audit.page.count", lang, n=f"{found.height:,}", limit=f"{SHOWN:,}"))
    shown = found.drop("id").with_columns(
        pl.col("at").dt.convert_time_zone("Asia/Seoul").dt.strftime("%Y-%m-%d %H:%M:%S"),
        pl.col("action").replace_strict({a: t(f"audit.action.{a}", lang) for a in audit.ACTIONS},
                                        default=pl.col("action")),
    )
    labels = {c: t(f"audit.column.{c}", lang) for c in shown.columns}
    st.dataframe(shown.rename(labels), hide_index=True, width="stretch")  # cells are text, never HTML
    st.download_button(t("audit.page.download", lang), data=audited(lambda: audit.to_csv(found), "audit_export",
                                                                     f"{start}..{end}"),
                       file_name=f"audit-{start:%Y%m%d}-{end:%Y%m%d}.csv", mime="text/csv",
                       icon=":material/download:", on_click="ignore", key="data_audit_csv")
