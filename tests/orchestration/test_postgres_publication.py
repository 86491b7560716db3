"""The PostgreSQL copy in the monthly job and the CLI: written, failing loudly, killed, or off."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys

import dagster as dg
import psycopg
import pytest

from finstat.publication import postgres
from finstat.publication.publish import publish_period
from finstat.settings import PostgresSettings, load_settings
from orchestration.cli import main
from orchestration.defs.publication.assets import postgres_tables
from orchestration.resources import FinstatPaths, PostgresTarget
from orchestration.runner import BLOCKED, FAILED, OUTCOME_CODES, PUBLISHED
from tests.finstat.test_postgres import MAY, _figures, _file_rows, _pg_state, _publish_two_versions, _typed

PROJECT_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture
def home(tmp_path):
    return tmp_path / "warehouse"


@pytest.fixture
def target(postgres_dsn, request, monkeypatch):
    """A schema of its own per test, also set in the environment as an operator would."""
    settings = PostgresSettings(dsn=postgres_dsn, schema=f"o_{request.node.name[:40].lower()}")
    monkeypatch.setenv("FINSTAT_POSTGRES_DSN", settings.dsn)
    monkeypatch.setenv("FINSTAT_POSTGRES_SCHEMA", settings.schema)
    return settings


def _materialize(home, dsn: str, schema: str = "finstat") -> dg.ExecuteInProcessResult:
    """The asset alone, as the monthly job runs it after published_figures."""
    paths = FinstatPaths(landing=str(home / "landing"), home=str(home), reference_dir=str(home / "ref"))
    return dg.materialize(
        [postgres_tables],
        partition_key=MAY,
        resources={"finstat": paths, "postgres": PostgresTarget(dsn=dsn, schema_name=schema)},
        raise_on_error=False,
    )


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # closed again on return: nothing listens there


def _matches_files(published, target) -> None:
    state = _pg_state(target)
    for table in postgres.TABLES:
        assert _typed(state[table.name]) == _typed(_file_rows(published, table)), table.name


@pytest.mark.parametrize(
    ("outcome", "code"),
    [
        ("published", PUBLISHED),
        # Recorded by the job's failure hook when a step fails after the publication in the same
        # run (postgres_tables): on file, but PostgreSQL's readers do not have it, so exit 1.
        ("failed", FAILED),
        ("blocked", BLOCKED),
        ("no_data", FAILED),
    ],
)
def test_each_recorded_outcome_has_its_exit_code(outcome, code):
    assert OUTCOME_CODES[outcome] == code


def test_the_asset_writes_the_current_release(home, target):
    published = load_settings(home=home).published
    _publish_two_versions(published)
    result = _materialize(home, target.dsn, target.schema)
    assert result.success
    [materialization] = result.asset_materializations_for_node("postgres_tables")
    metadata = {k: v.value for k, v in materialization.metadata.items()}
    assert metadata["release"] == published.resolve().name and metadata["rows_publications"] == 3
    assert "passfile" in metadata["server"]
    _matches_files(published, target)
    assert postgres.read_state(target)["written_by"] == f"dagster run {result.run_id}"


def test_a_failure_says_the_month_is_published_on_file_and_how_to_retry(home):
    published = load_settings(home=home).published
    publish_period(published, MAY, _figures("785.0299999"))
    dsn = (
        f"host=127.0.0.1 port={_closed_port()} dbname=finstat user=finstat password=s3cret connect_timeout=5"
    )
    result = _materialize(home, dsn)
    assert not result.success
    [failure] = [e for e in result.all_events if e.event_type_value == "STEP_FAILURE"]
    message = failure.event_specific_data.error.message
    # What `finstat run` prints of it (orchestration.cli._print_outcome): the facts and the retry.
    shown = f"{failure.step_key}: {message.strip()}".splitlines()[0][:400]
    for needed in (f"{MAY} IS published on file (v1)", "PostgreSQL was NOT updated", "finstat postgres-sync"):
        assert needed in shown, shown
    assert "OperationalError" in message and "s3cret" not in message and "password=***" in message
    assert not result.asset_materializations_for_node("postgres_tables")


def test_without_a_dsn_nothing_connects(home, monkeypatch, capsys):
    monkeypatch.delenv("FINSTAT_POSTGRES_DSN", raising=False)

    def refuse(*args, **kwargs):
        raise AssertionError("connected to PostgreSQL although FINSTAT_POSTGRES_DSN is not set")

    monkeypatch.setattr(psycopg, "connect", refuse)
    publish_period(load_settings(home=home).published, MAY, _figures("785.0299999"))
    result = _materialize(home, "")
    assert result.success and not result.asset_materializations_for_node("postgres_tables")
    assert main(["--home", str(home), "status"]) == 0
    assert "PostgreSQL" not in capsys.readouterr().out
    assert main(["--home", str(home), "postgres-sync"]) == 1
    assert "FINSTAT_POSTGRES_DSN is not set" in capsys.readouterr().err


def test_without_a_dsn_the_driver_is_not_even_imported(home):
    """`finstat status` in a fresh process (the asset imports the mirror inside its body too)."""
    env = {k: v for k, v in os.environ.items() if k != "FINSTAT_POSTGRES_DSN"}
    code = (
        "import sys\n"
        "from orchestration.cli import main\n"
        f"assert main(['--home', {str(home)!r}, 'status']) == 0\n"
        "assert 'psycopg' not in sys.modules, 'psycopg imported'\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]


def test_the_cli_writes_the_current_release_and_status_says_so(home, target, capsys):
    published = load_settings(home=home).published
    _publish_two_versions(published)
    assert main(["--home", str(home), "postgres-sync"]) == 0
    out = capsys.readouterr().out
    assert f"wrote release {published.resolve().name} in one transaction" in out
    assert "official_figures_history: 15 rows" in out and "publications: 3 rows" in out
    _matches_files(published, target)
    assert main(["--home", str(home), "status"]) == 0
    assert f"schema {target.schema}): holds the current publication" in capsys.readouterr().out


def test_the_cli_reports_a_server_it_cannot_reach(home, monkeypatch, capsys):
    monkeypatch.setenv("FINSTAT_POSTGRES_DSN", f"host=127.0.0.1 port={_closed_port()} user=x password=s3cret")
    publish_period(load_settings(home=home).published, MAY, _figures("785.0299999"))
    assert main(["--home", str(home), "postgres-sync"]) == 1
    err = capsys.readouterr().err
    assert "was NOT updated and keeps its previous state" in err and "s3cret" not in err
    assert main(["--home", str(home), "status"]) == 0
    assert "cannot be read" in capsys.readouterr().out


def test_a_sync_killed_mid_write_leaves_postgres_as_it_was(home, target):
    """SIGKILL between tables (as a power cut): the server drops the open transaction."""
    published = load_settings(home=home).published
    publish_period(published, MAY, _figures("785.0299999"))
    assert main(["--home", str(home), "postgres-sync"]) == 0
    before = _pg_state(target)
    _publish_two_versions(published)
    env = {**os.environ, "FINSTAT_FAULT": "postgres-writing"}
    killed = subprocess.run(
        [sys.executable, "-m", "orchestration.cli", "--home", str(home), "postgres-sync"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]
    assert _pg_state(target) == before
    assert main(["--home", str(home), "postgres-sync"]) == 0
    _matches_files(published, target)
