"""Command line: `python -m demo generate --landing PATH [--city hebi|anyang] [--reference DIR] [months]`."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from demo.city import CITIES, write_reference
from demo.generator import DEFAULT_FIRST, DEFAULT_LAST, build_dataset, write_landing
from finstat.periods import check_period


def _period(text: str) -> str:
    try:
        return check_period(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m demo", description="finstat demo extracts")
    sub = parser.add_subparsers(dest="command", required=True)
    gen = sub.add_parser(
        "generate",
        help="write bank_loans, rural_credit, platform, pbc, bank_programmes and ledgers demo files into a landing folder",
    )
    gen.add_argument(
        "--landing",
        required=True,
        type=Path,
        help="landing root (bank_loans/, rural_credit/, platform/, pbc/, bank_programmes/ and "
        "ledgers/<YYYY-MM>/ are created; platform files start with 2020-09, the month the platform "
        "opened, bank_programmes files with 2021-03, the month the bureau began collecting them, and "
        "ledgers skip 2021-10, a month the bureau exported none)",
    )
    gen.add_argument("--last-period", default=DEFAULT_LAST, type=_period, help="last month, YYYY-MM")
    gen.add_argument("--first-period", default=DEFAULT_FIRST, type=_period, help="first month, YYYY-MM")
    gen.add_argument(
        "--city",
        choices=sorted(CITIES),
        default="hebi",
        help="the city whose codes and names the files carry (the numbers are the same for every city)",
    )
    gen.add_argument(
        "--reference",
        type=Path,
        help="also write the city's institutions.csv, regions.csv and poverty_households.csv here "
        "(point FINSTAT_REFERENCE_DIR at it)",
    )
    args = parser.parse_args(argv)

    city = CITIES[args.city]
    dataset = build_dataset(first=args.first_period, last=args.last_period, city=city)
    if args.reference is not None:
        for path in write_reference(city, args.reference):
            print(f"{path}: {city.name}参考数据")
    written = write_landing(dataset, args.landing)
    per_month = Counter((path.parent.parent.name, path.parent.name) for path in written)
    for source, month in sorted(per_month):
        unit = {"bank_loans": "份报表", "bank_programmes": "份报表", "ledgers": "本台账"}.get(
            source, "个文件"
        )
        print(f"{args.landing / source / month}: {per_month[(source, month)]} {unit}")
    print(f"共写入 {len(written)} 个文件（{args.first_period} 至 {args.last_period}）")
    return 0


if __name__ == "__main__":
    sys.exit(main())
