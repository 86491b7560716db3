"""A throw-away PostgreSQL server for the session: Debian's initdb and pg_ctl, 127.0.0.1 only."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest

INSTALL_HINT = "run tests/postgres_install.sh (as root on Debian) to install Debian's postgresql package"
DATABASE = ROLE = "finstat"
PASSWORD = "finstat-test-only"


def server_binaries() -> Path | None:
    """The bin folder of the newest installed PostgreSQL (Debian: /usr/lib/postgresql/<major>/bin)."""
    found = sorted(
        (Path(p).parent for p in glob.glob("/usr/lib/postgresql/*/bin/initdb")),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
    )
    if found:
        return found[-1]
    initdb = shutil.which("initdb")
    return Path(initdb).resolve().parent if initdb and shutil.which("pg_ctl") else None


def _unavailable(reason: str) -> None:
    # CI must run these tests, not skip them quietly (as the UI test does with chromium).
    if os.environ.get("CI"):
        pytest.fail(f"PostgreSQL test server unavailable in CI: {reason}")
    pytest.skip(f"PostgreSQL test server unavailable: {reason}")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _as_server_user() -> list[str]:
    """initdb and postgres refuse to run as root: run them as Debian's `postgres` user then."""
    if os.geteuid() != 0:
        return []
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        _unavailable("running as root and there is no `postgres` OS user to run the server as")
    if not shutil.which("runuser"):
        _unavailable("running as root and `runuser` is missing")
    return ["runuser", "-u", "postgres", "--"]


def _tail(path: Path, lines: int = 15) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else "(no log)"


@pytest.fixture(scope="session")
def postgres_dsn(tmp_path_factory):
    """Start a server for the session and yield a DSN (no password in it) for role and database finstat."""
    import psycopg

    binaries = server_binaries()
    if binaries is None or not (binaries / "pg_ctl").exists():
        _unavailable(f"initdb/pg_ctl not found in /usr/lib/postgresql/*/bin or PATH; {INSTALL_HINT}")
    prefix = _as_server_user()
    # Under /tmp rather than pytest's tmp dir: that one is mode 0700 for the user running pytest,
    # which the `postgres` user cannot enter.
    root = Path(tempfile.mkdtemp(prefix="finstat-pg-"))
    if prefix:
        entry = pwd.getpwnam("postgres")
        os.chown(root, entry.pw_uid, entry.pw_gid)
    data, log, port = root / "data", root / "server.log", _free_port()

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([*prefix, *args], capture_output=True, text=True, timeout=120)

    try:
        init = run(
            str(binaries / "initdb"),
            "-D",
            str(data),
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--locale=C",
            "--auth-local=trust",
            "--auth-host=scram-sha-256",
            "--no-sync",
        )
        if init.returncode:
            _unavailable(f"initdb failed: {(init.stderr or init.stdout)[-800:]}")
        # Only 127.0.0.1 and a socket in our folder; durability off: the data is thrown away.
        options = f"-c listen_addresses=127.0.0.1 -p {port} -k {root} -c fsync=off -c full_page_writes=off"
        start = run(str(binaries / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options, "-w", "start")
        if start.returncode:
            _unavailable(f"pg_ctl start failed: {start.stderr.strip()}\nserver log:\n{_tail(log)}")
        with psycopg.connect(
            host=str(root), port=port, user="postgres", dbname="postgres", autocommit=True
        ) as c:
            c.execute(f"create role {ROLE} login password '{PASSWORD}'")
            c.execute(f"create database {DATABASE} owner {ROLE}")
        # The password reaches libpq through a passfile named in the DSN, as ~/.pgpass would.
        passfile = tmp_path_factory.mktemp("pgpass") / "pgpass"
        passfile.write_text(f"127.0.0.1:{port}:{DATABASE}:{ROLE}:{PASSWORD}\n")
        passfile.chmod(0o600)
        yield f"host=127.0.0.1 port={port} dbname={DATABASE} user={ROLE} passfile={passfile}"
    finally:
        if (data / "postmaster.pid").exists():
            run(str(binaries / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop")
        shutil.rmtree(root, ignore_errors=True)
