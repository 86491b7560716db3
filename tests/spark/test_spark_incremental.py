"""Month by month on Spark: a build rewrites only the months DuckDB's would, and the tables stay equal."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.dbt.conftest import write_tiny_home
from tests.dbt.test_incremental import CORRECTED, INCREMENTAL, _compiled_months, _correct, _expected
from tests.dbt.tiny_lake import BUILD_PERIOD
from tests.spark.marks import spark_only
from tests.spark.test_spark_vs_duckdb import assert_same_build, build

pytestmark = spark_only("dbt.adapters.spark")

FIRST = CORRECTED  # built before BUILD_PERIOD's files arrived


def _partition_files(home: Path) -> dict[str, dict[str, list[str]]]:
    """model -> month -> the Parquet files of that month's partition in the Spark warehouse."""
    found = {}
    for model in INCREMENTAL:
        schema = "audit" if model.startswith("qr_") else "finstat"
        folder = home / "work" / "spark-warehouse" / f"{schema}.db" / model
        found[model] = {
            part.name.removeprefix("period="): sorted(p.name for p in part.glob("*.parquet"))
            for part in folder.glob("period=*")
        }
    return found


def _rewritten(before: dict, after: dict) -> dict[str, set[str]]:
    """model -> the months whose partition files changed (written, rewritten or dropped)."""
    return {
        model: {
            m
            for m in before[model].keys() | after[model].keys()
            if before[model].get(m) != after[model].get(m)
        }
        for model in INCREMENTAL
    }


def _built_months(root: Path, months: str) -> None:
    """Each incremental model's last Spark build selected exactly `months` (rule 17: and the next)."""
    for model in INCREMENTAL:
        assert _compiled_months(root, model, "target-spark") == _expected(model, months), model


def test_a_later_month_and_a_correction_rewrite_only_their_months_on_spark(tmp_path):
    home, reference = write_tiny_home(tmp_path)
    # FIRST is built before any file of BUILD_PERIOD arrived: the central bank's table then has no
    # data file at all, which Spark builds over (the source's types) as DuckDB does.
    later = tmp_path / "later"
    for folder in list((home / "lake").glob(f"*/period={BUILD_PERIOD}")):
        (later / folder.parent.name).mkdir(parents=True)
        shutil.move(folder, later / folder.parent.name / folder.name)
    assert not [p for p in (home / "lake" / "pbc_figures").rglob("*.parquet") if not p.name.startswith("_")]
    for target in ("dev", "spark"):
        build(tmp_path, home, reference, target, FIRST)
    assert_same_build(home, home)
    first = _partition_files(home)
    assert first["fct_rural_loan_month"].keys() == {"2021-12", FIRST}

    # BUILD_PERIOD's files arrive: its build writes BUILD_PERIOD only (a month never built).
    for folder in list(later.glob("*/*")):
        shutil.move(folder, home / "lake" / folder.parent.name / folder.name)
    for target in ("dev", "spark"):
        build(tmp_path, home, reference, target, BUILD_PERIOD)
    assert_same_build(home, home)
    _built_months(tmp_path, f"'{BUILD_PERIOD}'")
    second = _partition_files(home)
    rewritten = _rewritten(first, second)
    for model in INCREMENTAL:
        assert rewritten[model] <= {BUILD_PERIOD, "2022-06"}, model
    assert rewritten["fct_rural_loan_month"] == {BUILD_PERIOD}

    # A revision of FIRST ingested with BUILD_PERIOD: BUILD_PERIOD's build again rewrites both, not 2021-12.
    _correct(home)
    for target in ("dev", "spark"):
        build(tmp_path, home, reference, target, BUILD_PERIOD)
    assert_same_build(home, home)
    _built_months(tmp_path, f"'{FIRST}', '{BUILD_PERIOD}'")
    rewritten = _rewritten(second, _partition_files(home))
    for model in INCREMENTAL:
        assert "2021-12" not in rewritten[model], model
    assert rewritten["fct_rural_loan_month"] == {FIRST, BUILD_PERIOD}
