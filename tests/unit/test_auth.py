"""Roles from the roles file, and who may load: with sign-in, without it, and the local setting."""

from __future__ import annotations

import pytest

from oversight import auth
from oversight.auth import Access, Request, Role

ROLES = """
signed_in = "viewer"
anonymous = "viewer"

[roles]
data_manager = ["Kim@KHIS.example"]
analyst = ["lee@mohw.example", "@khis.example", "kim@khis.example"]
"""


@pytest.fixture()
def roles(tmp_path) -> auth.RolesConfig:
    path = tmp_path / "roles.toml"
    path.write_text(ROLES, encoding="utf-8")
    return auth.load_roles(path)


@pytest.mark.parametrize(("email", "role"), [
    ("kim@khis.example", Role.DATA_MANAGER),  # listed twice: the higher role; case does not matter
    ("KIM@khis.example", Role.DATA_MANAGER),
    ("park@khis.example", Role.ANALYST),  # by domain
    ("lee@mohw.example", Role.ANALYST),
    ("choi@mohw.example", Role.VIEWER),  # signed in, not listed
    ("kim@khis.example.evil", Role.VIEWER),  # a domain is matched whole
    (None, Role.VIEWER),
])
def test_roles_by_address_and_domain(roles, email, role):
    assert roles.role_of(email) == role


def test_an_unverified_address_gets_no_listed_role(roles):
    assert roles.role_of("kim@khis.example", verified=False) == Role.VIEWER
    assert roles.role_of("kim@khis.example", verified=True) == Role.DATA_MANAGER


def test_a_missing_roles_file_gives_nobody_more_than_viewing(tmp_path):
    config = auth.load_roles(tmp_path / "absent.toml")
    assert config.role_of("kim@khis.example") == Role.VIEWER
    assert config.anonymous == Role.VIEWER


@pytest.mark.parametrize("text", [
    '[roles]\nsuperuser = ["a@b.example"]',
    '[roles]\ndata_manager = ["not an address"]',
    'anonymous = "admin"',
    "[roles\n",
])
def test_a_malformed_roles_file_is_an_error(tmp_path, text):
    path = tmp_path / "roles.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(auth.RolesError):
        auth.load_roles(path)


def test_the_roles_file_path_comes_from_the_environment(tmp_path, monkeypatch):
    path = tmp_path / "elsewhere.toml"
    path.write_text('[roles]\ndata_manager = ["a@b.example"]', encoding="utf-8")
    monkeypatch.setenv(auth.ROLES_ENV, str(path))
    assert auth.load_roles().role_of("a@b.example") == Role.DATA_MANAGER


def test_the_committed_roles_file_parses_and_names_nobody():
    config = auth.load_roles(auth.DEFAULT_ROLES_FILE)
    assert config.addresses == {} and config.domains == {}


# --- decide -------------------------------------------------------------------------------------------

LOCAL_HEADERS = {"Host": "127.0.0.1:8501"}


def test_with_sign_in_the_signed_in_address_decides(roles):
    signed_in = Request(True, logged_in=True, email="kim@khis.example", email_verified=True)
    assert auth.decide(signed_in, roles) == Access(Role.DATA_MANAGER, "signed_in")
    assert auth.decide(Request(True), roles) == Access(Role.VIEWER, "anonymous")


def test_with_sign_in_the_local_setting_is_ignored(roles):
    request = Request(True, server_address="127.0.0.1", headers=LOCAL_HEADERS)
    assert auth.decide(request, roles, local_override=True).role == Role.VIEWER


def test_sign_in_can_be_required_for_everything(tmp_path):
    path = tmp_path / "roles.toml"
    path.write_text('anonymous = "none"', encoding="utf-8")
    access = auth.decide(Request(True), auth.load_roles(path))
    assert access.role is None and not access.allows(Role.VIEWER)


def test_without_sign_in_everyone_is_an_analyst_and_nobody_loads(roles):
    access = auth.decide(Request(False, server_address="127.0.0.1", headers=LOCAL_HEADERS), roles, local_override=False)
    assert access == Access(Role.ANALYST, "open")
    assert access.allows(Role.ANALYST) and not access.allows(Role.DATA_MANAGER)


@pytest.mark.parametrize(("address", "headers", "role"), [
    ("127.0.0.1", LOCAL_HEADERS, Role.DATA_MANAGER),
    ("localhost", {"host": "localhost:8501"}, Role.DATA_MANAGER),
    ("::1", {"host": "[::1]:8501"}, Role.DATA_MANAGER),
    ("127.0.0.1", {}, Role.DATA_MANAGER),  # no browser request (a test run)
    ("0.0.0.0", LOCAL_HEADERS, Role.ANALYST),  # listens on every interface
    ("", LOCAL_HEADERS, Role.ANALYST),  # Streamlit's default: every interface
    (None, LOCAL_HEADERS, Role.ANALYST),
    ("10.0.0.5", LOCAL_HEADERS, Role.ANALYST),
    ("127.0.0.1", {**LOCAL_HEADERS, "X-Forwarded-For": "203.0.113.9"}, Role.ANALYST),  # a proxy in front
    ("127.0.0.1", {**LOCAL_HEADERS, "Forwarded": "for=203.0.113.9"}, Role.ANALYST),
    ("127.0.0.1", {"Host": "dashboard.mohw.example"}, Role.ANALYST),  # reached by another name
])
def test_the_local_data_manager_setting_holds_only_on_loopback_without_a_proxy(roles, address, headers, role):
    access = auth.decide(Request(False, server_address=address, headers=headers), roles, local_override=True)
    assert access.role == role
    assert access.reason == ("local" if role == Role.DATA_MANAGER else "local_refused")


def test_the_local_setting_is_read_from_the_environment(roles, monkeypatch):
    request = Request(False, server_address="127.0.0.1", headers=LOCAL_HEADERS)
    monkeypatch.setenv(auth.LOCAL_ENV, "1")
    assert auth.decide(request, roles).role == Role.DATA_MANAGER
    monkeypatch.setenv(auth.LOCAL_ENV, "yes")  # only "1" counts
    assert auth.decide(request, roles).role == Role.ANALYST
    monkeypatch.delenv(auth.LOCAL_ENV)
    assert auth.decide(request, roles).role == Role.ANALYST


