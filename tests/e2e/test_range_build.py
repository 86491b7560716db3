"""`finstat run --from A --to B`: one ingestion and dbt build for the range, then each month's gate.

The reference is the demo warehouse, whose months were run one by one (`--month`): the range must
publish the same figures, record the same gate outcome and leave the same working database.
"""

from __future__ import annotations

import json
import shutil

import dagster as dg
import duckdb
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from finstat.gate_record import read_gate_record
from tests.demo_warehouse import use_locations

pytestmark = pytest.mark.e2e

RANGE = ("2022-03", "2022-05")
MONTHS = ("2022-03", "2022-04", "2022-05")
# The months the demo warehouse ran one by one that the range also runs.
SHARED = ("2022-03", "2022-05")
# Times, run ids and release numbers differ between any two runs.
VOLATILE = ("_at", "run_id", "release")


@pytest.fixture(scope="module")
def range_run(demo_run, tmp_path_factory):
    """The demo landing run as one range into a warehouse of its own; the printed lines."""
    import contextlib
    import io

    from orchestration.cli import main

    home = tmp_path_factory.mktemp("range") / "warehouse"
    # The same acknowledgement the demo gave before its runs (rule 22 of 2022-03), and the same
    # pseudonym key: each warehouse makes its own, and the keyed columns are compared below.
    for folder in ("acks", "secrets"):
        shutil.copytree(demo_run["home"] / folder, home / folder)
    use_locations(demo_run["landing"], home)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(
            ["--landing", str(demo_run["landing"]), "--home", str(home), "run", "--from", *_range_args()]
        )
    return {"code": code, "home": home, "landing": demo_run["landing"], "lines": out.getvalue().splitlines()}


def _range_args() -> list[str]:
    return [RANGE[0], "--to", RANGE[1]]


def _rows(table) -> list[str]:
    cols = [c for c in table.column_names if not any(v in c for v in VOLATILE)]
    return sorted(json.dumps(r, default=str, sort_keys=True) for r in table.select(cols).to_pylist())


def _instance(home) -> dg.DagsterInstance:
    return dg.DagsterInstance.from_config(str(home / "dagster"))


def test_the_range_is_built_once_and_every_month_published(range_run):
    assert range_run["code"] == 0
    lines = range_run["lines"]
    assert lines[0].startswith(
        f"{RANGE[0]}..{RANGE[1]}: ingested and built in one run (3 months, one dbt build)"
    )
    assert [line.split(":")[0] for line in lines if line[:4].isdigit() and ":" in line[:8]] == list(MONTHS)
    assert all(f"{m}: published (version 1) — 已发布 v1" in lines for m in MONTHS)


def test_published_figures_equal_the_month_by_month_runs(range_run, demo_run):
    ranged = pq.read_table(range_run["home"] / "published" / "official_figures_history.parquet")
    single = pq.read_table(demo_run["home"] / "published" / "official_figures_history.parquet")
    for period in SHARED:
        mine = ranged.filter(pc.equal(ranged["period"], period))
        theirs = single.filter(pc.equal(single["period"], period))
        # The forced re-run of another demo test may add versions: version 1 is the first publication.
        theirs = theirs.filter(pc.equal(theirs["version"], 1))
        assert mine.num_rows > 100
        assert _rows(mine) == _rows(theirs), period


def test_gate_records_equal_the_month_by_month_runs(range_run, demo_run):
    for period in SHARED:
        mine = read_gate_record(range_run["home"], period)
        theirs = read_gate_record(demo_run["home"], period)
        assert mine["outcome"] == theirs["outcome"] == "published"
        # Every check's result, failing rows' fingerprint and acknowledgement, not only the outcome.
        assert mine["checks"] == theirs["checks"], period
        assert len(mine["checks"]) >= 30


def test_the_working_database_equals_the_month_by_month_builds(range_run, demo_run):
    # Both last built 2022-05 from the same landing: every table row for row (as multisets). Left
    # out: when a file was ingested, and dim_month's flag naming the latest build month, which
    # another demo test's forced re-run may have moved.
    skipped = {"ingested_at", "is_build_period"}
    with duckdb.connect() as con:
        for name, home in (("mine", range_run["home"]), ("theirs", demo_run["home"])):
            con.execute(f"attach '{home / 'work' / 'finstat.duckdb'}' as {name} (read_only)")
        # Views included (the loan-level staging over the lake).
        listed = "select table_schema, table_name from information_schema.tables where table_catalog = ? order by all"
        tables = con.sql(listed, params=["mine"]).fetchall()
        assert tables == con.sql(listed, params=["theirs"]).fetchall()
        assert len(tables) > 80
        for schema, table in tables:
            columns = con.sql(
                "select column_name from information_schema.columns where table_catalog = 'mine'"
                " and table_schema = ? and table_name = ? order by ordinal_position",
                params=[schema, table],
            ).fetchall()
            select = ", ".join(f'"{c}"' for (c,) in columns if c not in skipped)
            for a, b in (("mine", "theirs"), ("theirs", "mine")):
                only = con.sql(
                    f'select count(*) from (select {select} from {a}."{schema}"."{table}"'
                    f' except all select {select} from {b}."{schema}"."{table}")'
                ).fetchall()[0][0]
                assert only == 0, f"{schema}.{table}: {only} rows only in {a}"


def test_dagster_records_one_build_run_for_the_range_and_a_gate_run_per_month(range_run):
    instance = _instance(range_run["home"])
    runs = list(reversed(instance.get_runs()))  # oldest first
    build, gates = runs[0], runs[1:]
    assert build.tags["dagster/asset_partition_range_start"] == RANGE[0]
    assert build.tags["dagster/asset_partition_range_end"] == RANGE[1]
    assert build.tags["finstat/outcome"] == "built"
    assert build.status == dg.DagsterRunStatus.SUCCESS
    assert "finstat_dbt_models" in build.step_keys_to_execute
    assert not any("gate" in key or key == "published_figures" for key in build.step_keys_to_execute)
    # Every partition of the range is materialized by the one build run, as the UI shows it.
    for key in ("fct_rural_npl", "candidate_figures", "bank_loans_lake"):
        assert set(MONTHS) <= instance.get_materialized_partitions(dg.AssetKey(key)), key
    assert [run.tags["dagster/partition"] for run in gates] == list(MONTHS)
    for run in gates:
        assert run.tags["finstat/outcome"] == "published"
        assert "published_figures" in run.step_keys_to_execute
        assert "finstat_dbt_models" not in run.step_keys_to_execute
        assert not any(key.endswith("_ingestion") for key in run.step_keys_to_execute)
        # Every gate rule ran in the month's own run (publication refuses a partial gate).
        checks = instance.get_records_for_run(
            run.run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION
        ).records
        assert len(checks) >= 30


def test_a_second_range_run_answers_unchanged_without_building(range_run, capsys):
    from orchestration.cli import main

    home = range_run["home"]
    code = main(["--home", str(home), "run", "--from", *_range_args()])
    lines = capsys.readouterr().out.splitlines()
    assert code == 0
    assert [line.split(" — ")[0] for line in lines] == [
        f"{m}: unchanged since run {read_gate_record(home, m)['run_id']}" for m in MONTHS
    ]


def test_a_failed_range_build_runs_each_month_on_its_own(range_run, tmp_path, monkeypatch, capsys):
    """Nothing is taken from a build run that failed: each month then runs the whole job.

    The build run really fails (its dbt step raises); the months' whole-job runs that follow are
    the ordinary path every other end-to-end test runs, so here they are recorded, not executed.
    """
    from types import SimpleNamespace

    from orchestration import runner
    from orchestration.cli import main
    from orchestration.defs.warehouse import assets

    home = tmp_path / "warehouse"
    shutil.copytree(range_run["home"], home, symlinks=True)
    use_locations(range_run["landing"], home)
    engine_args = assets.engine_args

    def failing_in_range_builds(engine):
        # The dbt step of a range's build run fails; a month's own build would not.
        if assets.os.environ[assets.PERIOD_FROM_ENV] != assets.os.environ[assets.PERIOD_ENV]:
            raise RuntimeError("planted failure of the range build")
        return engine_args(engine)

    ran = []

    def whole_month(period, settings, instance=None, built=False):
        ran.append((period, built))
        fields = dict(code=0, run_id=f"run-{period}", status="published", published_version=1)
        empty = dict(failed_checks=[], warnings=[], errors=[], log_path=None, withheld=[])
        return SimpleNamespace(period=period, summary="已发布 v1", **fields, **empty)

    monkeypatch.setattr(assets, "engine_args", failing_in_range_builds)
    monkeypatch.setattr(runner, "run_month", whole_month)
    gate_before = read_gate_record(home, "2022-04")
    argv = ["--landing", str(range_run["landing"]), "--home", str(home), "run", "--force"]
    code = main([*argv, "--from", "2022-04", "--to", "2022-05"])
    lines = capsys.readouterr().out.splitlines()
    assert code == 0
    assert lines[0].startswith("2022-04..2022-05: the one build of the range failed (finstat_dbt_models: ")
    assert "planted failure of the range build" in lines[0]
    assert lines[1].startswith("  run log: ")
    assert ran == [("2022-04", False), ("2022-05", False)]  # the whole job, month by month
    [build] = _instance(home).get_runs(limit=1)
    assert build.status == dg.DagsterRunStatus.FAILURE
    assert build.tags["finstat/outcome"] == "build_failed"
    assert build.tags["dagster/asset_partition_range_start"] == "2022-04"
    # A failed build run records no month's outcome: the month's record is still its last gate run's.
    assert read_gate_record(home, "2022-04") == gate_before
