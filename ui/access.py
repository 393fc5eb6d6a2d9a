"""Sign-in and roles, the Streamlit side: who is here, the sidebar control, and page guards.

The decision itself is `oversight.auth.decide` (tested without Streamlit); this module only
gathers what it needs from Streamlit: whether `[auth]` is configured in secrets.toml, the
signed-in user (st.user), the address the server listens on and the request's headers.
Pages that need a role call `require(...)` first: the check runs on the server for every
run of the page, so opening the page's URL directly shows nothing to someone without it.
"""

from __future__ import annotations

import streamlit as st

from oversight import auth
from oversight.i18n import t
from ui.components import plain

Role = auth.Role


def sign_in_configured() -> bool:
    try:
        return bool(st.secrets.load_if_toml_exists()) and "auth" in st.secrets
    except Exception:  # an unreadable secrets file: sign-in is not available
        return False


def _verified(value) -> bool | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip().lower() == "true"
    return bool(value)


def _headers() -> dict[str, str]:
    try:
        return {k: v for k, v in (st.context.headers or {}).items()}
    except Exception:  # no browser request (e.g. a test run)
        return {}


def _roles() -> auth.RolesConfig | None:
    try:
        return auth.load_roles()
    except auth.RolesError:
        return None


def current() -> auth.Access:
    """The role of the person in this session, decided afresh at every run."""
    configured = sign_in_configured()
    logged_in = bool(configured and st.user.is_logged_in)
    request = auth.Request(
        sign_in_configured=configured,
        logged_in=logged_in,
        email=st.user.get("email") if logged_in else None,
        email_verified=_verified(st.user.get("email_verified")) if logged_in else None,
        server_address=st.get_option("server.address"),
        headers=_headers(),
    )
    roles = _roles()
    if roles is None:  # a broken roles file grants nothing beyond viewing
        return auth.Access(Role.VIEWER if not configured or logged_in else None, "roles_broken")
    return auth.decide(request, roles)


def who() -> str:
    """The name recorded with a batch: the signed-in address, or the local user."""
    from oversight.loader import user_name

    if sign_in_configured() and st.user.is_logged_in:
        return str(st.user.get("email") or st.user.get("sub") or "signed-in user")
    return "local:" + user_name()


def gate(lang: str) -> auth.Access:
    """At the top of the app: stop here when signing in is required and nobody has."""
    access = current()
    if access.role is None:
        st.title(t("app.title", lang))
        st.info(t("access.sign_in_required", lang), icon=":material/lock:")
        st.button(t("access.sign_in", lang), on_click=st.login, type="primary", key="access_sign_in_gate")
        st.stop()
    return access


def sidebar_control(access: auth.Access, lang: str) -> None:
    """Signed in as whom, with which role, and the button to sign in or out."""
    if sign_in_configured():
        if st.user.is_logged_in:
            st.caption(t("access.signed_in_as", lang, email=plain(st.user.get("email") or ""),
                         role=t(f"access.role.{access.role.key}", lang)))
            st.button(t("access.sign_out", lang), on_click=st.logout, key="access_sign_out")
        else:
            st.button(t("access.sign_in", lang), on_click=st.login, key="access_sign_in")
    elif access.reason == "local":
        st.caption(t("access.local_mode", lang))
    if access.reason == "roles_broken":
        st.error(t("access.roles_broken", lang))


def require(needed: Role, lang: str) -> auth.Access:
    """Stop the page unless the person has `needed`; say why and what to do."""
    access = current()
    if access.allows(needed):
        return access
    st.title(t("access.closed_title", lang))
    if sign_in_configured() and not st.user.is_logged_in:
        st.info(t("access.sign_in_needed", lang, role=t(f"access.role.{needed.key}", lang)), icon=":material/lock:")
        st.button(t("access.sign_in", lang), on_click=st.login, type="primary", key="access_sign_in_page")
    elif sign_in_configured():
        st.warning(t("access.role_needed", lang, role=t(f"access.role.{needed.key}", lang),
                     current=t(f"access.role.{access.role.key}", lang) if access.role else "–"),
                   icon=":material/block:")
    else:
        st.warning(t("access.closed_without_sign_in", lang), icon=":material/lock:")
    st.stop()
