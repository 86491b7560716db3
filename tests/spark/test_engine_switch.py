"""The monthly job on Spark (FINSTAT_ENGINE=spark, a local Thrift server) publishes what DuckDB publishes.

The same `finstat` commands run in lockstep on both engines, each with its own FINSTAT_HOME over one
landing: December 2021 clean; January 2022 blocked by an error rule (7) with a warning (rule 11);
the warning acknowledged with `finstat ack` and the error corrected by a `_v2` file, so January
publishes; a December `_v2` that publishes December again and flags January (its figures use the
prior December as their base); `finstat status`.

Compared, step by step: the exit code of every command. At the end, everything the job wrote for
the officer, with only wall-clock times and run ids left out:
- every published figure of every version (official_figures_history: period, version, indicator,
  region, names, value as the exact Decimal of the file, unit);
- every publication record (period, version, figure count, changes, acknowledgements with reason
  and who, the withheld indicators and their missing base months);
- every republication flag (period, base month and version, resolved version, resolution);
- each month's gate record: outcome, published version and every check (rule, severity, passed,
  blocking, failing-row count, the SHA-256 fingerprint of the failing rows themselves, who
  acknowledged, the institutions named).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from finstat.gate_record import read_gate_records
from finstat.publication import schema
from finstat.settings import PROJECT_ROOT
from tests.e2e import scenario as sc
from tests.spark.marks import spark_only

pytestmark = spark_only("pyhive")

DEC, JAN = "2021-12", "2022-01"
I1, I2, I3, I4, I5, I6, I7 = sc.INSTITUTIONS
SCALE = {I1: "1", I2: "2", I3: "3", I4: "1.5", I5: "1", I6: "1", I7: "2.5"}
ENGINES = ("duckdb", "spark")
# Wall-clock and run identity: the only fields allowed to differ between the two engines' records.
VOLATILE = {"published_at", "run_id", "flagged_at", "resolved_at", "acknowledged_at", "finished_at", "at"}


def deliver(landing: Path, period: str, books: dict[str, str], suffix: str = "") -> None:
    """One CSV report per institution (scale of the base book); disposals D02 10 a month."""
    month = int(period[5:])
    for inst, scale in books.items():
        path = landing / "bank_loans" / period / f"{inst}_{period}{suffix}.csv"
        sc.write_csv_report(path, inst, period, sc.book(scale), sc.disposals("10", str(10 * month)))


def january_with_an_error_and_a_warning(landing: Path) -> None:
    """Rule 7 (error): I2's A03 grows while A02 does not; rule 11 (warn): I4's book grows by 40%."""
    deliver(landing, JAN, {i: s for i, s in SCALE.items() if i not in (I2, I4)})
    deliver(landing, JAN, {I4: "2.1"})
    cells = sc.book(SCALE[I2])
    cells[("410611", "A03")] += 50
    sc.write_csv_report(
        landing / "bank_loans" / JAN / f"{I2}_{JAN}.csv", I2, JAN, cells, sc.disposals("10", "10")
    )


def finstat(env: dict[str, str], *argv: str) -> tuple[subprocess.CompletedProcess, float]:
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "orchestration.cli", *argv],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    return done, time.monotonic() - started


def without_volatile(value):
    """A record with its timestamps and run ids left out (JSON text inside is read and cleaned too)."""
    if isinstance(value, dict):
        return {k: without_volatile(v) for k, v in value.items() if k not in VOLATILE}
    if isinstance(value, list):
        return [without_volatile(v) for v in value]
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return without_volatile(json.loads(value))
        except json.JSONDecodeError:
            return value
    return value


def masked(text: str) -> str:
    """Output with its clock times and run ids replaced (they differ between any two runs)."""
    text = re.sub(
        r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:?\d{2}|Z| UTC)?", "<time>", text
    )
    return re.sub(r"\b[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}\b|\b[0-9a-f]{8}\b", "<id>", text)


def published_records(home: Path) -> dict[str, object]:
    """What the officer's releases and gate say, without timestamps and run ids (the docstring's list)."""
    published = home / "published"

    def rows(name: str, arrow_schema, key: tuple[str, ...]) -> list[dict]:
        table = pq.read_table(published / name, schema=arrow_schema).to_pylist()
        return sorted((without_volatile(r) for r in table), key=lambda r: tuple(str(r[k]) for k in key))

    return {
        "figures": rows(
            schema.HISTORY_FILE, schema.FIGURES, ("period", "version", "indicator_code", "region_code")
        ),
        "publications": rows(schema.PUBLICATIONS_FILE, schema.PUBLICATIONS, ("period", "version")),
        "flags": rows(
            schema.FLAGS_FILE, schema.REPUBLICATION_FLAGS, ("period", "base_period", "base_version")
        ),
        "gate": without_volatile(read_gate_records(home)),
    }


@pytest.fixture(scope="module")
def engines(tmp_path_factory):
    """One landing and reference; per engine a FINSTAT_HOME (Spark's with its lake elsewhere and a server)."""
    from tests.spark_server import thrift_server

    root = tmp_path_factory.mktemp("engines")
    landing, reference = root / "landing", sc.write_reference(root / "reference")
    base = {k: v for k, v in os.environ.items() if not k.startswith(("FINSTAT_", "DAGSTER_HOME"))}
    envs = {}
    for engine in ENGINES:
        home = root / engine
        envs[engine] = {
            **base,
            "FINSTAT_ENGINE": engine,
            "FINSTAT_LANDING": str(landing),
            "FINSTAT_HOME": str(home),
            "FINSTAT_REFERENCE_DIR": str(reference),
            "DAGSTER_HOME": str(home / "dagster"),
        }
    # The lake where "the cluster" reads it: outside the warehouse home (FINSTAT_LAKE_DIR).
    envs["spark"]["FINSTAT_LAKE_DIR"] = str(root / "spark-lake")
    started = time.monotonic()
    with thrift_server(root / "spark") as server:
        print(f"\nSpark Thrift server on {server.host}:{server.port}: {time.monotonic() - started:.0f} s")
        envs["spark"].update(server.env())
        yield {"landing": landing, "root": root, "envs": envs}


def test_the_monthly_job_on_spark_publishes_what_duckdb_publishes(engines):
    landing, envs = engines["landing"], engines["envs"]
    timings: list[str] = []

    def step(name: str, expected: int, *argv: str) -> dict[str, str]:
        """Run one command on both engines; the same exit code, the one the scenario expects."""
        out = {}
        for engine in ENGINES:
            done, seconds = finstat(envs[engine], *argv)
            timings.append(f"{name:<34} {engine:<6} exit {done.returncode} {seconds:6.0f} s")
            print(timings[-1], flush=True)
            assert done.returncode == expected, f"{engine} {name}\n{done.stdout}\n{done.stderr}"
            out[engine] = done.stdout
        return out

    deliver(landing, DEC, SCALE)
    step("run 2021-12 (clean)", 0, "run", "--month", DEC)
    january_with_an_error_and_a_warning(landing)
    blocked = step("run 2022-01 (blocked: rule 7, 11)", 2, "run", "--month", JAN)
    for engine in ENGINES:
        assert "rule_07_item_sums" in blocked[engine] and "rule_11" in blocked[engine], blocked[engine]
    step(
        "ack 2022-01 rule 11",
        0,
        "ack",
        "--month",
        JAN,
        "--rule",
        "11",
        "--reason",
        "新增大额项目贷款，已核实",
        "--by",
        "officer",
    )
    deliver(landing, JAN, {I2: SCALE[I2]}, suffix="_v2")
    step("run 2022-01 (I2 _v2, published)", 0, "run", "--month", JAN)
    deliver(landing, DEC, {I7: "2.6"}, suffix="_v2")
    step("run 2021-12 (I7 _v2, v2, flags Jan)", 0, "run", "--month", DEC)
    status = step("status", 0, "status")
    print("\n".join(["", "per command, wall time:", *timings]))

    duck, spark = (published_records(Path(envs[e]["FINSTAT_HOME"])) for e in ENGINES)
    # The scenario happened as written (on DuckDB; Spark is then held to it below).
    versions = sorted({(r["period"], r["version"]) for r in duck["publications"]})
    assert versions == [(DEC, 1), (DEC, 2), (JAN, 1)], versions
    assert [(f["period"], f["base_period"], f["base_version"]) for f in duck["flags"]] == [(JAN, DEC, 2)]
    [january] = [p for p in duck["publications"] if p["period"] == JAN]
    assert [a["reason"] for a in january["acknowledgements_json"]] == ["新增大额项目贷款，已核实"]
    assert duck["gate"][JAN]["outcome"] == "published"
    assert duck["figures"], "nothing published"
    for part in ("figures", "publications", "flags", "gate"):
        assert spark[part] == duck[part], part
    # `finstat status` says the same, apart from when things happened.
    assert masked(status["spark"]) == masked(status["duckdb"])
