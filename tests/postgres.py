"""A real, throwaway PostgreSQL server for the state store's tests (Debian's `postgresql`).

initdb and pg_ctl refuse to run as root, so as root the cluster belongs to the `postgres`
user Debian's package creates and the commands run through `runuser`. It listens on a free
loopback port and on a socket in its own folder; trust authentication, since only this
machine's tests reach it. Skips only when postgres is missing and we are not root (as root,
`make system-deps` installs it, so missing is a failure)."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def _bin(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


def _as_owner(args: list[str], owner: str | None) -> list[str]:
    return ["runuser", "-u", owner, "--", *args] if owner else args


@contextmanager
def server(port: int) -> Iterator[str]:
    initdb, pg_ctl = _bin("initdb"), _bin("pg_ctl")
    root = os.geteuid() == 0
    if not initdb or not pg_ctl:
        if root:
            pytest.fail("PostgreSQL is not installed: run `make system-deps`")
        pytest.skip("PostgreSQL is not installed and we are not root to install it")
    owner = "postgres" if root else None
    base = Path(tempfile.mkdtemp(prefix="oversight-pg-"))
    data = base / "data"
    if owner:
        entry = pwd.getpwnam(owner)
        os.chown(base, entry.pw_uid, entry.pw_gid)
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.PIPE, "check": True}
    subprocess.run(_as_owner([initdb, "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                              "--no-sync"], owner), **quiet)
    options = f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100"
    subprocess.run(_as_owner([pg_ctl, "-D", str(data), "-o", options, "-l", str(base / "log"), "-w", "start"],
                             owner), **quiet)
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(_as_owner([pg_ctl, "-D", str(data), "-m", "immediate", "stop"], owner),
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(base, ignore_errors=True)


def fresh_database(url: str, name: str) -> str:
    """A new empty database on the server at `url`, for one test: its URL."""
    import psycopg
    import sqlalchemy as sa
    from psycopg import sql

    address = sa.make_url(url)
    # A database name cannot be a parameter: psycopg quotes it as an identifier.
    with psycopg.connect(host=address.host, port=address.port, user=address.username, dbname=address.database,
                         autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return address.set(database=name).render_as_string(hide_password=False)
