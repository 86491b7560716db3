"""`python -m fuzz`: fuzz every landing-file parser and print what happened per target."""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

from fuzz.harness import Finding, Tally, Worker, run_target
from fuzz.targets import TARGETS


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m fuzz", description=__doc__)
    parser.add_argument("--examples", type=int, default=1000, help="inputs per target (default 1000)")
    parser.add_argument("--seed", type=int, help="Hypothesis seed (default: random, printed)")
    parser.add_argument("--targets", nargs="+", choices=sorted(TARGETS), default=list(TARGETS))
    parser.add_argument("--slow", type=float, default=5.0, help="seconds after which an input is a finding")
    parser.add_argument("--hang", type=float, default=60.0, help="seconds after which the worker is killed")
    parser.add_argument("--reasons", type=int, default=0, help="print the N commonest rejections per target")
    parser.add_argument("--memory-gb", type=float, default=4.0, help="address-space cap of the worker")
    return parser.parse_args(argv)


def _rules(tally: Tally) -> str:
    return " ".join(f"r{rule}:{count}" for rule, count in sorted(tally.rejected_by_rule.items())) or "-"


def print_reasons(tallies: list[Tally], top: int, out=sys.stdout) -> None:
    """Where inputs were stopped: shows whether they get past the first checks."""
    for t in tallies:
        print(f"\ncommonest rejections of {t.target}:", file=out)
        for reason, count in t.reasons.most_common(top):
            print(f"{count:>7}  {reason}", file=out)


def print_report(tallies: list[Tally], seconds: float, out=sys.stdout) -> None:
    # other: inputs that raised anything but FileRejected; slow: parsed, but over --slow seconds.
    head = (
        f"{'target':<18}{'inputs':>8}{'accepted':>10}{'rejected':>10}  {'rejected by rule':<28}"
        f"{'other':>7}{'slow':>6}{'slowest s':>11}"
    )
    print(head, file=out)
    print("-" * len(head), file=out)
    for t in tallies:
        print(
            f"{t.target:<18}{t.inputs:>8}{t.accepted:>10}{t.rejected:>10}  {_rules(t):<28}"
            f"{t.errors:>7}{t.slow:>6}{t.slowest:>11.3f}",
            file=out,
        )
    total = sum(t.inputs for t in tallies)
    print("-" * len(head), file=out)
    print(f"{'total':<18}{total:>8}  in {seconds:.1f} s", file=out)
    for t in tallies:
        print(f"slowest {t.target}: {t.slowest:.3f} s  {' | '.join(t.slowest_recipe)[:200]}", file=out)
        if t.longest_message > 1000:
            print(f"longest rejection message {t.target}: {t.longest_message} characters", file=out)
    for t in tallies:
        for (error, site), group in _grouped(t.findings).items():
            first = group[0]
            print(f"\nFINDING {t.target}: {error} x{len(group)} {site}", file=out)
            print(f"  first input: {first.saved} ({first.seconds:.2f} s)", file=out)
            print(f"  recipe: {' | '.join(first.recipe)[:500]}", file=out)
            print("  " + first.message.replace("\n", "\n  ")[:2000], file=out)


_SITE = re.compile(r'File "[^"]*?([^/"]+)", line (\d+), in (\S+)')


def _grouped(findings: list[Finding]) -> dict[tuple[str, str], list[Finding]]:
    """Findings by error and the line that raised it: one crash found a hundred times prints once."""
    groups: dict[tuple[str, str], list[Finding]] = {}
    for finding in findings:
        sites = _SITE.findall(finding.message)
        site = f"at {sites[-1][0]}:{sites[-1][1]} ({sites[-1][2]})" if sites else ""
        groups.setdefault((finding.error, site), []).append(finding)
    return groups


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    seed = args.seed if args.seed is not None else random.randrange(2**32)
    workdir = Path(tempfile.mkdtemp(prefix="finstat-fuzz-"))
    print(f"fuzz: {args.examples} inputs per target, seed {seed}, files under {workdir}", flush=True)
    started = time.perf_counter()
    worker = Worker(int(args.memory_gb * 2**30), workdir / "worker-stderr.log")
    tallies = []
    try:
        for name in args.targets:
            tallies.append(
                run_target(TARGETS[name], worker, workdir, args.examples, seed, args.slow, args.hang)
            )
            print(f"  {name}: {tallies[-1].inputs} inputs", flush=True)
    finally:
        worker.close()
    if args.reasons:
        print_reasons(tallies, args.reasons)
    print_report(tallies, time.perf_counter() - started)
    findings = sum(len(t.findings) for t in tallies)
    short = [t.target for t in tallies if t.inputs < args.examples]
    if worker.restarts:
        print(f"worker restarted {worker.restarts} times (killed or hung by an input)")
    if short:
        print(f"FAILED: fewer inputs than asked for {', '.join(short)}")
    if findings:
        print(f"FAILED: {findings} findings; inputs kept in {workdir / 'findings'} (replay: --seed {seed})")
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    return 1 if findings or short else 0


if __name__ == "__main__":
    sys.exit(main())
