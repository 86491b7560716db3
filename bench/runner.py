"""Benchmark cases: generate a landing, time finstat's monthly run and the baseline on it, compare figures."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import duckdb

from bench.landing import build_landing
from bench.measure import Measured, run_measured
from demo.pbc import DEMO_EXPLANATION
from finstat.periods import add_months
from finstat.reference import load_city
from finstat.settings import OFFLINE_ENV, load_settings

BIN = Path(sys.executable).parent
COMPARED = ("R01", "R02", "R03")  # must match; R04..R09 are compared and reported too
# The demo's one difference with the central bank branch (rule 22), acknowledged as `make demo` does.
DEMO_ACKS = {"2022-03": (22, DEMO_EXPLANATION)}


def _env(root: Path) -> dict[str, str]:
    home = root / "home"
    return {
        **os.environ,
        **OFFLINE_ENV,
        "FINSTAT_LANDING": str(root / "landing"),
        "FINSTAT_HOME": str(home),
        "DAGSTER_HOME": str(home / "dagster"),
    }


def _prepare_history(root: Path, first_timed: str, months: list[str]) -> None:
    """Bring the warehouse to where it stands before the first timed month (untimed).

    Every earlier month is ingested, and the month before is run through the job: the history is
    built (the incremental models' first, full build), the Dagster instance exists and dbt's
    partial-parse state is there, as in a warehouse that has been running for a while.
    """
    env = _env(root)
    Path(env["DAGSTER_HOME"]).mkdir(parents=True, exist_ok=True)
    from ingestion.registry import SOURCES
    from ingestion.run import ingest_landing  # the job's own ingestion step, run here untimed

    settings = load_settings(env["FINSTAT_LANDING"], env["FINSTAT_HOME"])
    before = add_months(first_timed, -1)
    for source in SOURCES:
        ingest_landing(settings, before, source=source.name)
    for month in months:
        if month in DEMO_ACKS:
            rule, reason = DEMO_ACKS[month]
            command = [str(BIN / "finstat"), "ack", "--month", month, "--rule", str(rule), "--reason", reason]
            subprocess.run(command, env=env, check=True, capture_output=True)
    warm = subprocess.run(
        [str(BIN / "finstat"), "run", "--from", before, "--to", before],
        env=env,
        capture_output=True,
        text=True,
    )
    if warm.returncode != 0:
        raise RuntimeError(
            f"finstat run {before} (history) failed:\n{warm.stdout[-3000:]}{warm.stderr[-3000:]}"
        )


def _published(root: Path, month: str) -> dict[tuple[str, str], Decimal]:
    path = root / "home" / "published" / "official_figures.parquet"
    if not path.exists():
        return {}
    rows = duckdb.sql(
        f"select indicator_code, region_code, cast(value as varchar) from '{path}' "
        f"where period = '{month}' and indicator_code like 'R%'"
    ).fetchall()
    return {(code, region): Decimal(value) for code, region, value in rows}


def _baseline_figures(out: Path, month: str) -> dict[tuple[str, str], Decimal]:
    path = out / month / "figures.parquet"
    if not path.exists():
        return {}
    rows = duckdb.sql(
        f"select indicator_code, region_code, cast(published_value as varchar) from '{path}'"
    ).fetchall()
    return {(code, region): Decimal(value) for code, region, value in rows}


def _side(m: Measured, rows: int) -> dict:
    return {
        "exit_code": m.code,
        "wall_s": m.wall_s,
        "rows_per_s": round(rows / m.wall_s) if m.wall_s else None,
        "peak_rss_mib": m.max_rss_mib,
        "tree_peak_rss_mib": m.tree_peak_mib,
        "log": str(m.log),
        # The work folder is usually deleted: keep the end of a failing run's output.
        **({"log_tail": m.log.read_text(errors="replace").splitlines()[-30:]} if m.code else {}),
    }


def run_month(root: Path, month: str, rows: int, bank_totals: Path) -> dict:
    """Time finstat's run of the month, then the baseline's; check publication and compare R figures."""
    env = _env(root)
    finstat = run_measured(
        [str(BIN / "finstat"), "run", "--from", month, "--to", month],
        env,
        root / "logs" / f"finstat_{month}.log",
    )
    shown = subprocess.run(
        [str(BIN / "finstat"), "figures", "--month", month], env=env, capture_output=True, text=True
    )
    published = finstat.code == 0 and shown.returncode == 0 and "R01" in shown.stdout
    out = root / "baseline"
    baseline = run_measured(
        [
            str(BIN / "python"),
            "-m",
            "bench.baseline",
            "--landing",
            str(root / "landing"),
            "--bank-totals",
            str(bank_totals),
            "--month",
            month,
            "--out",
            str(out),
        ],
        env,
        root / "logs" / f"baseline_{month}.log",
        cwd=Path(__file__).resolve().parent.parent,
    )
    ours, theirs = _published(root, month), _baseline_figures(out, month)
    city = load_city(load_settings().reference_dir).code
    differ = {
        f"{code}/{region}": {"finstat": str(ours.get((code, region))), "baseline": str(value)}
        for (code, region), value in sorted(theirs.items())
        if ours.get((code, region)) != value
    }
    required = [k for k in theirs if k[0] in COMPARED]
    return {
        "month": month,
        "rows": rows,
        "published": published,
        "figures_match": bool(required) and not any(f"{c}/{r}" in differ for c, r in required),
        "figure_differences": differ,
        "city": {code: str(ours.get((code, city))) for code in ("R01", "R02", "R03")},
        "finstat": _side(finstat, rows),
        "baseline": _side(baseline, rows),
        "ratio": round(finstat.wall_s / baseline.wall_s, 2) if baseline.wall_s else None,
    }


def run_case(workdir: Path, name: str, months: list[str], rows: int) -> dict:
    """Generate the landing for `months` (rows loans each; 0 = the demo's own files) and run them in order."""
    root = workdir / name
    started = time.perf_counter()
    bench = build_landing(root, months, rows)
    generated = round(time.perf_counter() - started, 1)
    _prepare_history(root, months[0], months)
    results = []
    for month in months:
        month_rows = rows or sum(1 for _ in _loan_lines(bench.landing, month))
        results.append(run_month(root, month, month_rows, bench.bank_totals))
        print(_progress(name, results[-1]), flush=True)
    return {"case": name, "rows": rows, "months": results, "generate_s": generated, "workdir": str(root)}


def _loan_lines(landing: Path, month: str):
    for path in (landing / "rural_credit" / month).glob("*_贷款明细.csv"):
        with open(path, "rb") as fh:
            next(fh)
            yield from fh


def _progress(name: str, r: dict) -> str:
    f, b = r["finstat"], r["baseline"]
    return (
        f"  {name} {r['month']}: finstat {f['wall_s']} s (exit {f['exit_code']}), "
        f"baseline {b['wall_s']} s (exit {b['exit_code']}), published={r['published']}, "
        f"figures_match={r['figures_match']}"
    )
