"""The `finstat` command line: a thin layer over the same Dagster job the UI runs."""

from __future__ import annotations

import argparse
import json
import sys

from finstat.periods import check_period, month_range
from finstat.settings import apply_offline_env, load_settings

EXIT_PUBLISHED, EXIT_FAILED, EXIT_BLOCKED = 0, 1, 2


def _print_outcome(outcome) -> None:
    print(
        f"{outcome.period}: {outcome.status}"
        + (f" (version {outcome.published_version})" if outcome.published_version else "")
    )
    for check in outcome.failed_checks:
        meta = check["metadata"]
        print(
            f"  BLOCKED by {check['check']} on {check['asset']}: {meta.get('title', '')}"
            f" — {meta.get('failing_row_count', '?')} failing rows"
        )
        for row in (meta.get("failing_rows_json") or [])[:10]:
            text = row.get("detail") or row.get("reason") or json.dumps(row, ensure_ascii=False)
            print(f"    - {text}")
        if meta.get("how_to_release"):
            print(f"    release: {meta['how_to_release'].replace('<YYYY-MM>', outcome.period)}")
    for check in outcome.warnings:
        meta = check["metadata"]
        print(
            f"  warning {check['check']} acknowledged by {meta.get('acknowledged_by')}: "
            f"{meta.get('acknowledgement_reason')}"
        )
    for error in outcome.errors if not outcome.failed_checks else []:
        print(f"  error: {error.splitlines()[0][:400]}")
    if outcome.code != 0 and outcome.log_path:
        print(f"  run log (dbt output): {outcome.log_path}")


def cmd_run(args, settings) -> int:
    from orchestration.runner import BLOCKED, FAILED, dagster_instance, run_month

    if args.flagged:
        from finstat.publication.flags import open_flags

        months = sorted({flag["period"] for flag in open_flags(settings.published)})
        if not months:
            print("no month is flagged for republication")
            return EXIT_PUBLISHED
    else:
        months = [check_period(args.month)] if args.month else month_range(args.from_, args.to)
    instance = dagster_instance(settings)
    codes = []
    for period in months:
        outcome = run_month(period, settings, instance)
        _print_outcome(outcome)
        codes.append(outcome.code)
    if FAILED in codes:
        return EXIT_FAILED
    return EXIT_BLOCKED if BLOCKED in codes else EXIT_PUBLISHED


def cmd_ack(args, settings) -> int:
    from finstat.acks import record_ack

    row = record_ack(settings.acks_dir, check_period(args.month), args.rule, args.reason)
    print(f"acknowledged rule {row['rule']} for {row['period']} by {row['acknowledged_by']}: {row['reason']}")
    return 0


def cmd_dismiss(args, settings) -> int:
    from finstat.acks import record_dismissal
    from ingestion.log import latest_rejection

    period = check_period(args.month)
    outcome = latest_rejection(settings.lake, period, args.file)
    row = record_dismissal(settings.acks_dir, period, outcome.file_path, outcome.file_sha256, args.reason)
    print(
        f"set aside {row['file_path']} ({outcome.reason}) for {period} by {row['dismissed_by']}: {row['reason']}"
    )
    return 0


def cmd_status(args, settings) -> int:
    from finstat.settings import load_postgres_settings
    from finstat.status import month_status

    for line in month_status(settings):
        print(line)
    target = load_postgres_settings()
    if target is not None:
        from finstat.publication.postgres import status_line

        print(status_line(settings.published, target))
    return 0


def cmd_postgres_sync(args, settings) -> int:
    from finstat.settings import load_postgres_settings

    target = load_postgres_settings()
    if target is None:
        print("finstat: FINSTAT_POSTGRES_DSN is not set: nothing to write to", file=sys.stderr)
        return EXIT_FAILED
    from finstat.publication import postgres

    where = postgres.where(target)
    try:
        result = postgres.sync(settings.published, target, written_by="finstat postgres-sync")
    except postgres.Error as exc:
        print(
            f"finstat: {where} was NOT updated and keeps its previous state: {postgres.error_text(exc)}",
            file=sys.stderr,
        )
        return EXIT_FAILED
    print(f"{where}: wrote release {result.release or '(nothing published yet)'} in one transaction")
    for name, count in result.rows.items():
        print(f"  {name}: {count} rows")
    return 0


def cmd_figures(args, settings) -> int:
    from finstat.status import figures_table

    print(figures_table(settings, args.month, all_regions=args.all_regions))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="finstat", description=__doc__)
    parser.add_argument("--landing", help="landing folder (default: $FINSTAT_LANDING or data/landing)")
    parser.add_argument("--home", help="warehouse home (default: $FINSTAT_HOME or data/warehouse)")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="ingest, build, gate and publish a month or a range of months")
    group = run.add_mutually_exclusive_group(required=True)
    group.add_argument("--month", help="YYYY-MM")
    group.add_argument("--from", dest="from_", help="first month YYYY-MM (with --to)")
    group.add_argument(
        "--flagged",
        action="store_true",
        help="every published month flagged for republication (a base month it uses was republished)",
    )
    run.add_argument("--to", help="last month YYYY-MM (with --from)")
    ack = sub.add_parser("ack", help="acknowledge a warning rule for a month")
    ack.add_argument("--month", required=True)
    ack.add_argument("--rule", required=True, type=int)
    ack.add_argument("--reason", required=True)
    dismiss = sub.add_parser(
        "dismiss", help="set aside a rejected file no sender will replace (it stays in landing and the log)"
    )
    dismiss.add_argument("--month", required=True)
    dismiss.add_argument("--file", required=True, help="the file path as the ingestion log shows it")
    dismiss.add_argument("--reason", required=True)
    sub.add_parser("status", help="months, their files, gate results and published versions")
    figures = sub.add_parser("figures", help="print the published figures (latest version)")
    figures.add_argument("--month", help="YYYY-MM (default: the latest published month)")
    figures.add_argument("--all-regions", action="store_true", help="include the county rows")
    sub.add_parser(
        "postgres-sync",
        help="write the current published tables into PostgreSQL ($FINSTAT_POSTGRES_DSN) in one transaction",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    apply_offline_env()
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "run" and args.from_ and not args.to:
        parser.error("--from needs --to")
    settings = load_settings(args.landing, args.home)
    import os

    # The Dagster resources read these through dg.EnvVar: make the CLI's choice theirs.
    os.environ["FINSTAT_LANDING"] = str(settings.landing)
    os.environ["FINSTAT_HOME"] = str(settings.home)
    os.environ["FINSTAT_REFERENCE_DIR"] = str(settings.reference_dir)
    handler = {
        "run": cmd_run,
        "ack": cmd_ack,
        "dismiss": cmd_dismiss,
        "status": cmd_status,
        "figures": cmd_figures,
        "postgres-sync": cmd_postgres_sync,
    }[args.command]
    try:
        return handler(args, settings)
    except (ValueError, FileNotFoundError) as exc:
        print(f"finstat: {exc}", file=sys.stderr)
        return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
