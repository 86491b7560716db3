"""`make bench`: finstat's monthly run against a hand-written DuckDB baseline on N rural-credit loan rows.

Run: .venv/bin/python -m bench [--rows 1000000,10000000] [--months 12] [--no-tiny] [--keep DIR] [--json PATH]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import tempfile
from pathlib import Path

from bench.runner import run_case
from finstat.periods import add_months

MONTH = "2022-05"  # single-month cases: the demo's last month (R04..R06 against December 2021)
RESULTS = Path(__file__).resolve().parent / "results"


def _rows(text: str) -> list[int]:
    return [int(part.replace("_", "")) for part in text.split(",") if part]


def _table(cases: list[dict]) -> str:
    head = (
        f"{'case':<14}{'month':<9}{'rows':>11} | {'finstat s':>9}{'rows/s':>9}{'RSS MiB':>9}{'tree':>7}"
        f" | {'base s':>7}{'rows/s':>9}{'RSS MiB':>9} | {'ratio':>6} pub match"
    )
    lines = [head, "-" * len(head)]
    for case in cases:
        for r in case["months"]:
            f, b = r["finstat"], r["baseline"]
            lines.append(
                f"{case['case']:<14}{r['month']:<9}{r['rows']:>11,} | {f['wall_s']:>9}{f['rows_per_s']:>9,}"
                f"{f['peak_rss_mib']:>9,}{f['tree_peak_rss_mib']:>7,} | {b['wall_s']:>7}{b['rows_per_s']:>9,}"
                f"{b['peak_rss_mib']:>9,} | {r['ratio']:>6} {'yes' if r['published'] else 'NO':<4}"
                f"{'yes' if r['figures_match'] else 'NO'}"
            )
        if len(case["months"]) > 1:
            first, last = case["months"][0]["finstat"]["wall_s"], case["months"][-1]["finstat"]["wall_s"]
            case["month_last_over_first"] = round(last / first, 2)
            lines.append(
                f"{'':<14}finstat month {len(case['months'])} / month 1 = {case['month_last_over_first']}"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=_rows, default=[1_000_000, 10_000_000], help="comma-separated N")
    parser.add_argument(
        "--months", type=int, default=12, help="consecutive months of --series-rows (0: none)"
    )
    parser.add_argument("--series-rows", type=int, default=1_000_000)
    parser.add_argument("--last-month", default=MONTH, help="single-month cases and the series' last month")
    parser.add_argument("--no-tiny", action="store_true", help="skip the demo-size month (fixed overhead)")
    parser.add_argument(
        "--keep", type=Path, help="work in this folder and keep it (else a temp folder, deleted)"
    )
    parser.add_argument("--json", type=Path, help=f"results file (default {RESULTS}/bench_<time>.json)")
    args = parser.parse_args()

    workdir = args.keep or Path(tempfile.mkdtemp(prefix="finstat-bench-"))
    plan = [] if args.no_tiny else [("tiny", [args.last_month], 0)]
    plan += [(f"{n:,}".replace(",", "_"), [args.last_month], n) for n in args.rows]
    if args.months:
        series = [add_months(args.last_month, i - args.months + 1) for i in range(args.months)]
        plan.append((f"series{args.months}x{args.series_rows:,}".replace(",", "_"), series, args.series_rows))
    cases = []
    try:
        for name, months, rows in plan:
            print(f"{name}: {months[0]}..{months[-1]}, {rows:,} rows a month", flush=True)
            case = run_case(workdir, name, months, rows)
            cases.append(case)
            if args.keep is None:  # gigabytes of landing and lake per case: not left in /tmp
                shutil.rmtree(case.pop("workdir"), ignore_errors=True)
    finally:
        if args.keep is None:
            shutil.rmtree(workdir, ignore_errors=True)
    print(_table(cases))
    target = args.json or RESULTS / f"bench_{dt.datetime.now():%Y%m%dT%H%M%S}.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps({"measured_at": dt.datetime.now().isoformat(), "cases": cases}, indent=2))
    print(f"results: {target}")


if __name__ == "__main__":
    main()
