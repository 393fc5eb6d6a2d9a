"""Who may do what: roles from a configuration file mapping e-mail addresses to roles.

Roles, each including the ones before it:
- viewer: reads the dashboard;
- analyst: also filters, drills down and exports;
- data_manager: also loads submissions (the Data page).

The file (config/roles.toml, or the path in OVERSIGHT_ROLES):

    signed_in = "viewer"        # role of a signed-in address the file does not list
    anonymous = "viewer"        # role without signing in, when sign-in is configured ("none": must sign in)

    [roles]
    data_manager = ["kim@khis.example"]
    analyst = ["lee@mohw.example", "@mohw.example"]   # "@domain" matches the whole domain

An address listed under several roles gets the highest. Addresses compare case-insensitively.
A provider that says an address is not verified (`email_verified = false`) gets no more than
`signed_in`.

Without sign-in configured the app has no way to know who is there: everyone is an analyst,
and the Data page is closed, unless OVERSIGHT_LOCAL_DATA_MANAGER=1 is set and the server
listens on a loopback address only, with no proxy in front (see `decide`).

No Streamlit here: the UI (ui/access.py) passes in what it knows about the request.
"""

from __future__ import annotations

import enum
import functools
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from oversight import settings
from oversight.config import PROJECT_ROOT

DEFAULT_ROLES_FILE = PROJECT_ROOT / "config" / "roles.toml"
ROLES_ENV = settings.ROLES.name
LOCAL_ENV = settings.LOCAL_DATA_MANAGER.name
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
PROXY_HEADERS = ("x-forwarded-for", "x-forwarded-host", "x-real-ip", "forwarded")


class Role(enum.IntEnum):
    VIEWER = 1
    ANALYST = 2
    DATA_MANAGER = 3

    @property
    def key(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Role:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise RolesError(f"unknown role {text!r}: use viewer, analyst or data_manager") from None


class RolesError(ValueError):
    """The roles file is malformed."""


@dataclass(frozen=True)
class RolesConfig:
    addresses: dict[str, Role] = field(default_factory=dict)  # lower-case address -> role
    domains: dict[str, Role] = field(default_factory=dict)  # lower-case domain -> role
    signed_in: Role = Role.VIEWER
    anonymous: Role | None = Role.VIEWER  # None: signing in is required to see anything

    def role_of(self, email: str | None, verified: bool | None = None) -> Role:
        if not email or verified is False:
            return self.signed_in
        address = email.strip().lower()
        domain = address.rpartition("@")[2]
        found = [r for r in (self.addresses.get(address), self.domains.get(domain)) if r is not None]
        return max([self.signed_in, *found])


def roles_path() -> Path:
    return settings.ROLES.value() or DEFAULT_ROLES_FILE


def load_roles(path: Path | None = None) -> RolesConfig:
    """The roles file as it is now; a missing file gives nobody more than the defaults.

    Read at every script run, so an edit applies at once; parsed only when the file changed
    (reading and parsing it took 5 ms of every run)."""
    path = Path(path) if path else roles_path()
    try:
        stat = path.stat()
    except FileNotFoundError:
        return RolesConfig()
    return _parse_roles(path, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=8)
def _parse_roles(path: Path, mtime_ns: int, size: int) -> RolesConfig:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise RolesError(f"{path}: {exc}") from exc
    addresses: dict[str, Role] = {}
    domains: dict[str, Role] = {}
    for name, members in (data.get("roles") or {}).items():
        role = Role.parse(name)
        if isinstance(members, str):
            members = [members]
        for member in members:
            member = str(member).strip().lower()
            if member.startswith("@") or member.startswith("*@"):
                target, key = domains, member.split("@", 1)[1]
            elif "@" in member:
                target, key = addresses, member
            else:
                raise RolesError(f"{path}: {member!r} is neither an address nor '@domain'")
            target[key] = max(role, target.get(key, role))
    anonymous = str(data.get("anonymous", "viewer"))
    return RolesConfig(
        addresses=addresses,
        domains=domains,
        signed_in=Role.parse(str(data.get("signed_in", "viewer"))),
        anonymous=None if anonymous.strip().lower() == "none" else Role.parse(anonymous),
    )


@dataclass(frozen=True)
class Request:
    """What the UI knows about the person and the connection."""

    sign_in_configured: bool
    logged_in: bool = False
    email: str | None = None
    email_verified: bool | None = None
    server_address: str | None = None  # what the server listens on (server.address)
    headers: dict[str, str] = field(default_factory=dict)  # of the browser's request, any case


@dataclass(frozen=True)
class Access:
    role: Role | None  # None: nothing may be shown until the person signs in
    reason: str  # which rule decided, for the sidebar and for tests: an i18n key suffix

    def allows(self, needed: Role) -> bool:
        return self.role is not None and self.role >= needed


def local_data_manager_enabled() -> bool:
    return settings.LOCAL_DATA_MANAGER.value()


def decide(request: Request, roles: RolesConfig, local_override: bool | None = None) -> Access:
    """The role of this request.

    With sign-in configured, the signed-in address decides (roles file), and the local
    setting is ignored. Without it, everyone is an analyst; OVERSIGHT_LOCAL_DATA_MANAGER=1
    makes them a data manager only when the server listens on loopback alone and the request
    did not come through a proxy (which would carry other people's requests to loopback).
    """
    if request.sign_in_configured:
        if request.logged_in:
            return Access(roles.role_of(request.email, request.email_verified), "signed_in")
        return Access(roles.anonymous, "anonymous")
    override = local_data_manager_enabled() if local_override is None else local_override
    if override:
        headers = {k.lower(): v for k, v in request.headers.items()}
        proxied = any(h in headers for h in PROXY_HEADERS)
        host = headers.get("host", "").rsplit(":", 1)[0] if headers.get("host") else None
        if (request.server_address or "").strip() in LOOPBACK and not proxied and (host is None or host in LOOPBACK):
            return Access(Role.DATA_MANAGER, "local")
        return Access(Role.ANALYST, "local_refused")
    return Access(Role.ANALYST, "open")
