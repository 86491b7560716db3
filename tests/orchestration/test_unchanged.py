"""An unchanged published month answers without the job; any input that can change its outcome runs it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from finstat import gate_record
from finstat.settings import PROJECT_ROOT, SHIPPED_REFERENCE_DIR, load_settings
from orchestration import cli, unchanged
from orchestration.runner import MonthOutcome

MONTH = "2022-04"
CASE_SETTINGS = (
    "FINSTAT_TEMPLATE_DIR",
    "FINSTAT_POSTGRES_DSN",
    "FINSTAT_PSEUDONYM_KEY_FILE",
    "FINSTAT_ENGINE",
    "FINSTAT_MAX_LANDING_FILE_BYTES",
)


class FakeJob:
    """Stands in for the Dagster job: records each month it runs and writes the month's record."""

    def __init__(self, home: Path, outcome: str = gate_record.PUBLISHED, during=None):
        self.home, self.outcome, self.during, self.ran = home, outcome, during, []

    def __call__(self, period, settings, instance, built=False):
        # One month at a time here (_months is patched): never a range's gate run.
        assert not built
        run_id = f"run-{len(self.ran) + 1}"
        self.ran.append(period)
        if self.during:
            self.during, during = None, self.during
            during()
        version = 1 if self.outcome == gate_record.PUBLISHED else None
        gate_record.write_gate_record(
            self.home,
            {"period": period, "run_id": run_id, "outcome": self.outcome, "published_version": version},
        )
        code = {gate_record.PUBLISHED: 0, gate_record.BLOCKED: 2, gate_record.FAILED: 1}[self.outcome]
        return MonthOutcome(period, code, run_id, published_version=version, summary=self.outcome)


@pytest.fixture
def warehouse(tmp_path, monkeypatch):
    """A landing, lake, reference, code tree and site-packages of the test's own; the job faked."""
    landing, home = tmp_path / "landing", tmp_path / "home"
    for source, month in [("bank_loans", "2022-03"), ("bank_loans", MONTH), ("pbc", MONTH)]:
        (landing / source / month).mkdir(parents=True)
        (landing / source / month / f"{source}_{month}.csv").write_text("delivered\n", encoding="utf-8")
    (home / "lake" / "bank_loans" / f"period={MONTH}").mkdir(parents=True)
    (home / "lake" / "bank_loans" / f"period={MONTH}" / "B1__aaaa.parquet").write_bytes(b"rows")
    (home / "work").mkdir(parents=True)
    (home / "work" / "finstat.duckdb").write_bytes(b"db")
    reference = tmp_path / "reference"
    shutil.copytree(SHIPPED_REFERENCE_DIR, reference)
    code = tmp_path / "code"
    for name in unchanged.CODE_DIRS:
        (code / name).mkdir(parents=True)
        (code / name / "module.py").write_text("x = 1\n", encoding="utf-8")
    site = tmp_path / "site-packages"
    (site / "duckdb-2.0.1.dist-info").mkdir(parents=True)
    monkeypatch.setattr(unchanged, "PROJECT_ROOT", code)
    monkeypatch.setattr(sys, "path", [*sys.path, str(site)])
    for key in [k for k in os.environ if k.startswith("FINSTAT_")]:
        monkeypatch.delenv(key)
    # Set empty (finstat reads that as unset) so that what a case sets is undone after it.
    for key in CASE_SETTINGS:
        monkeypatch.setenv(key, "")
    job = FakeJob(home)
    monkeypatch.setattr("orchestration.runner.run_month", job)
    monkeypatch.setattr("orchestration.runner.dagster_instance", lambda settings: object())
    # Which months a run asks for is test_cli's subject; here the month is always one of the job's.
    monkeypatch.setattr(cli, "_months", lambda args, landing: [args.month or args.from_])
    argv = ["--landing", str(landing), "--home", str(home), "run", "--month", MONTH]
    monkeypatch.setenv("FINSTAT_REFERENCE_DIR", str(reference))
    return {
        "landing": landing,
        "home": home,
        "reference": reference,
        "code": code,
        "site": site,
        "job": job,
        "argv": argv,
        "settings": load_settings(landing, home, reference),
    }


def _published_once(warehouse, capsys):
    """Run the month (the job runs, publishes, the fingerprint is kept), then again: no job."""
    assert cli.main(warehouse["argv"]) == 0
    assert cli.main(warehouse["argv"]) == 0
    assert warehouse["job"].ran == [MONTH]
    capsys.readouterr()


def _runs_again(warehouse) -> bool:
    before = len(warehouse["job"].ran)
    assert cli.main(warehouse["argv"]) == 0
    return len(warehouse["job"].ran) == before + 1


def test_an_unchanged_month_answers_with_the_run_that_published_it(warehouse, capsys):
    assert cli.main(warehouse["argv"]) == 0
    saved = json.loads(unchanged.record_path(warehouse["settings"], MONTH).read_text(encoding="utf-8"))
    assert saved["run_id"] == "run-1" and saved["published_version"] == 1
    capsys.readouterr()
    assert cli.main(warehouse["argv"]) == 0
    assert warehouse["job"].ran == [MONTH]
    assert capsys.readouterr().out == f"{MONTH}: unchanged since run run-1 — published version 1\n"


def _touch_landing(w):
    path = w["landing"] / "bank_loans" / MONTH / f"bank_loans_{MONTH}.csv"
    path.write_text("delivered again, corrected\n", encoding="utf-8")


def _new_earlier_delivery(w):
    (w["landing"] / "platform" / "2021-12").mkdir(parents=True)
    (w["landing"] / "platform" / "2021-12" / "late.csv").write_text("late\n", encoding="utf-8")


def _lake_file(w):
    (w["home"] / "lake" / "ingestion_log" / "2022-03").mkdir(parents=True)
    (w["home"] / "lake" / "ingestion_log" / "2022-03" / "x__accepted.parquet").write_bytes(b"log")


def _reference(w):
    with open(w["reference"] / "regions.csv", "a", encoding="utf-8") as handle:
        handle.write("\n")


def _ack(w):
    (w["home"] / "acks").mkdir(exist_ok=True)
    (w["home"] / "acks" / f"{MONTH}__rule22__1.parquet").write_bytes(b"ack")


def _template_dir(w):
    folder = w["home"].parent / "template"
    folder.mkdir()
    (folder / "金融运行简报.docx").write_bytes(b"docx")
    os.environ["FINSTAT_TEMPLATE_DIR"] = str(folder)


def _code(w):
    (w["code"] / "dbt_project" / "module.py").write_text("x = 2\n", encoding="utf-8")


def _dbt_model(w):
    (w["code"] / "dbt_project" / "models").mkdir()
    (w["code"] / "dbt_project" / "models" / "fct.sql").write_text("select 1\n", encoding="utf-8")


def _package(w):
    shutil.rmtree(w["site"] / "duckdb-2.0.1.dist-info")
    (w["site"] / "duckdb-2.0.2.dist-info").mkdir()


def _postgres(w):
    os.environ["FINSTAT_POSTGRES_DSN"] = "host=db.intranet dbname=stats"


def _key_file(w):
    key = w["home"].parent / "other.key"
    key.write_text("00" * 32 + "\n", encoding="ascii")
    os.environ["FINSTAT_PSEUDONYM_KEY_FILE"] = str(key)


def _key_rotated(w):
    key = w["home"] / "secrets" / "pseudonym.key"
    key.parent.mkdir(exist_ok=True)
    key.write_text("11" * 32 + "\n", encoding="ascii")


def _engine(w):
    os.environ["FINSTAT_ENGINE"] = "spark"


def _file_limit(w):
    os.environ["FINSTAT_MAX_LANDING_FILE_BYTES"] = "1000"


def _blocked(w):
    gate_record.write_gate_record(
        w["home"], {"period": MONTH, "run_id": "ui-run", "outcome": gate_record.BLOCKED, "checks": []}
    )


def _failed(w):
    gate_record.write_gate_record(
        w["home"], {"period": MONTH, "run_id": "ui-run", "outcome": gate_record.FAILED, "errors": ["x"]}
    )


def _republished_by_the_ui(w):
    record = gate_record.read_gate_record(w["home"], MONTH)
    gate_record.write_gate_record(w["home"], {**record, "run_id": "ui-run", "published_version": 2})


def _flagged(w):
    from finstat.publication.flags import to_table
    from finstat.publication.schema import FLAGS_FILE

    flag = {"period": MONTH, "base_period": "2022-03", "base_version": 2, "flagged_at": datetime.now(UTC)}
    (w["home"] / "published").mkdir(exist_ok=True)
    pq.write_table(to_table([flag]), w["home"] / "published" / FLAGS_FILE)


def _work_db_missing(w):
    (w["home"] / "work" / "finstat.duckdb").unlink()


def _fingerprint_lost(w):
    unchanged.record_path(w["settings"], MONTH).unlink()


INVALIDATIONS = [
    _touch_landing,
    _new_earlier_delivery,
    _lake_file,
    _reference,
    _ack,
    _template_dir,
    _code,
    _dbt_model,
    _package,
    _postgres,
    _key_file,
    _key_rotated,
    _engine,
    _file_limit,
    _blocked,
    _failed,
    _republished_by_the_ui,
    _flagged,
    _work_db_missing,
    _fingerprint_lost,
]


@pytest.mark.parametrize("change", INVALIDATIONS, ids=[f.__name__.strip("_") for f in INVALIDATIONS])
def test_each_input_that_can_change_the_outcome_runs_the_job(warehouse, capsys, change):
    _published_once(warehouse, capsys)
    change(warehouse)
    assert _runs_again(warehouse), change.__name__
    assert "unchanged since" not in capsys.readouterr().out


def test_the_postgres_schema_counts_only_with_a_dsn_and_the_password_never(warehouse, capsys, monkeypatch):
    monkeypatch.setenv("FINSTAT_POSTGRES_DSN", "postgresql://finstat:s3cret@db/stats")
    _published_once(warehouse, capsys)
    monkeypatch.setenv("FINSTAT_POSTGRES_DSN", "postgresql://finstat:other-s3cret@db/stats")
    assert not _runs_again(warehouse), "a new password writes the same tables to the same place"
    text = unchanged.record_path(warehouse["settings"], MONTH).read_text(encoding="utf-8")
    monkeypatch.setenv("FINSTAT_POSTGRES_SCHEMA", "stats_2")
    assert _runs_again(warehouse)
    assert "s3cret" not in text


@pytest.mark.parametrize(
    ("dsn", "shown"),
    [
        ("postgresql://finstat:pw@db:5432/stats", "postgresql://finstat@db:5432/stats"),
        ("host=db password='a b\\'c' dbname=stats", "host=db password=*** dbname=stats"),
        (
            "postgresql://db/stats?user=u&password=pw&sslmode=require",
            "postgresql://db/stats?user=u&password=***&sslmode=require",
        ),
    ],
)
def test_a_dsn_is_fingerprinted_without_its_password(dsn, shown):
    assert unchanged.without_password(dsn) == shown


def test_what_a_later_month_brings_does_not_touch_an_earlier_one(warehouse, capsys):
    _published_once(warehouse, capsys)
    for root in (warehouse["landing"] / "bank_loans", warehouse["home"] / "lake" / "bank_loans"):
        (root / "2022-05").mkdir()
        (root / "2022-05" / "next.parquet").write_bytes(b"next month")
    (warehouse["code"] / "dbt_project" / "target").mkdir()
    (warehouse["code"] / "dbt_project" / "target" / "manifest.json").write_text("{}", encoding="utf-8")
    assert not _runs_again(warehouse)


def test_force_runs_the_job_anyway(warehouse, capsys):
    _published_once(warehouse, capsys)
    assert cli.main([*warehouse["argv"], "--force"]) == 0
    assert warehouse["job"].ran == [MONTH, MONTH]


def test_a_month_that_did_not_publish_loses_its_shortcut(warehouse, capsys):
    _published_once(warehouse, capsys)
    warehouse["job"].outcome = gate_record.BLOCKED
    assert cli.main([*warehouse["argv"], "--force"]) == 2
    assert not unchanged.record_path(warehouse["settings"], MONTH).exists()


def test_a_delivery_landing_while_the_job_runs_is_not_vouched_for(warehouse, capsys):
    warehouse["job"].during = lambda: _new_earlier_delivery(warehouse)
    assert cli.main(warehouse["argv"]) == 0
    assert not unchanged.record_path(warehouse["settings"], MONTH).exists()
    assert _runs_again(warehouse)


def test_a_range_runs_only_its_changed_months(warehouse, capsys):
    argv = [*warehouse["argv"][:-2], "--from", MONTH, "--to", MONTH]
    _published_once(warehouse, capsys)
    assert cli.main(argv) == 0
    assert warehouse["job"].ran == [MONTH]
    assert "unchanged since run run-1" in capsys.readouterr().out


def test_the_flags_file_constant_is_publications(warehouse):
    from finstat.publication.schema import FLAGS_FILE

    assert unchanged.FLAGS_FILE == FLAGS_FILE


def test_the_shortcut_imports_no_dagster(warehouse, capsys):
    """The officer's quick answer must not pay Dagster's import (~3 s): checked in a fresh process."""
    _published_once(warehouse, capsys)
    # The child hashes the real project: record the month's fingerprint as that process sees it.
    script = (
        "import sys; from orchestration import cli, unchanged\n"
        "from finstat.settings import load_settings\n"
        f"s = load_settings({str(warehouse['landing'])!r}, {str(warehouse['home'])!r}, "
        f"{str(warehouse['reference'])!r})\n"
        f"unchanged.save(s, {MONTH!r}, 'run-1', 1, unchanged.fingerprint(s, {MONTH!r}))\n"
        f"code = cli.main({warehouse['argv']!r})\n"
        "print('dagster' in sys.modules, 'dbt' in sys.modules, 'pandas' in sys.modules)\n"
        "sys.exit(code)\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("FINSTAT_")}
    env.update(PYTHONPATH=str(PROJECT_ROOT), FINSTAT_REFERENCE_DIR=str(warehouse["reference"]))
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60, cwd=PROJECT_ROOT
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        f"{MONTH}: unchanged since run run-1 — published version 1",
        "False False False",
    ]
