"""An unchanged month's re-run: a fingerprint of its inputs, saved when it publishes, spares the job."""

# Standard library and finstat's light modules only: the CLI checks this before (instead of)
# importing Dagster, dbt or pandas, so an unchanged month answers in the time of a Python start.

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from datetime import UTC, datetime
from pathlib import Path

from finstat import gate_record
from finstat.fsio import replace_atomically
from finstat.periods import check_period
from finstat.settings import PROJECT_ROOT, Settings

# Bump when what a fingerprint covers changes: an older file then never matches.
FORMAT = 1
# The project's source: what the job runs (models, macros, seeds and tests of dbt included), each
# folder with what is left out of it: dbt's own output and packages, derived from the rest.
CODE_DIRS = {
    "ingestion": set(),
    "dbt_project": {"target", "logs", "dbt_packages"},
    "expectations": set(),
    "orchestration": set(),
    "finstat": set(),
    "reports": set(),
}
# Set by the job itself for the month it builds (dbt reads it), not a setting of the officer's.
# Landing, home and reference are covered by what they hold; the PostgreSQL pair is read below.
ENV_COVERED_ELSEWHERE = {
    "FINSTAT_PERIOD",
    "FINSTAT_PERIOD_FROM",
    "FINSTAT_LANDING",
    "FINSTAT_HOME",
    "FINSTAT_REFERENCE_DIR",
    "FINSTAT_POSTGRES_DSN",
    "FINSTAT_POSTGRES_SCHEMA",
}
KEY_ENV = "FINSTAT_PSEUDONYM_KEY_FILE"  # ingestion.pseudonym's, not imported: it pulls in numpy
_MONTH = re.compile(r"^(?:period=)?(\d{4}-(?:0[1-9]|1[0-2]))$")
_URI_PASSWORD = re.compile(r"(://[^:/@?#]*):[^@/?#]*@")
_KV_PASSWORD = re.compile(r"(password\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s&]*)", re.IGNORECASE)


def record_path(settings: Settings, period: str) -> Path:
    """FINSTAT_HOME/work/unchanged/<YYYY-MM>.json."""
    return settings.home / "work" / "unchanged" / f"{check_period(period)}.json"


def _digest(rows) -> str:
    sha = hashlib.sha256()
    for row in rows:
        sha.update(json.dumps(row, ensure_ascii=False).encode("utf-8"))
        sha.update(b"\n")
    return sha.hexdigest()


def _files(root: Path, skipped: set[str] = frozenset()):
    """Every file under root (relative path, DirEntry), sorted, dot-entries and caches left out."""
    if not root.is_dir():
        return
    stack = [""]
    while stack:
        rel = stack.pop()
        entries = sorted(os.scandir(root / rel) if rel else os.scandir(root), key=lambda e: e.name)
        for entry in entries:
            path = f"{rel}/{entry.name}" if rel else entry.name
            if entry.name.startswith(".") and not entry.name.startswith(".."):
                # Staged writes and editor leftovers: never read by the job.
                continue
            if entry.is_dir(follow_symlinks=False):
                if entry.name != "__pycache__" and path not in skipped:
                    stack.append(path)
            else:
                yield path, entry


def _stats(root: Path, keep=lambda rel: True) -> str:
    """Names, sizes and modification times: for folders of large files (landing, lake)."""
    rows = []
    for rel, entry in _files(root):
        if keep(rel):
            stat = entry.stat(follow_symlinks=False)
            rows.append([rel, stat.st_size, stat.st_mtime_ns])
    return _digest(sorted(rows))


def _contents(root: Path, skipped: set[str] = frozenset()) -> str:
    """Names and SHA-256 of every file: for small folders (code, reference, acknowledgements)."""
    rows = []
    for rel, entry in _files(root, skipped):
        if rel.endswith(".pyc"):
            continue
        try:
            data = Path(entry.path).read_bytes()
        except OSError:
            data = b"<unreadable>"
        rows.append([rel, hashlib.sha256(data).hexdigest()])
    return _digest(sorted(rows))


def _up_to(period: str):
    """A path filter: files of months after the period are left out (those without a month kept)."""

    def keep(rel: str) -> bool:
        for part in rel.split("/")[:-1]:
            match = _MONTH.match(part)
            if match:
                return match.group(1) <= period
        return True

    return keep


def _code() -> str:
    return _digest([[name, _contents(PROJECT_ROOT / name, skipped)] for name, skipped in CODE_DIRS.items()])


def _packages() -> str:
    """The installed distributions (name and version are in each dist-info folder's name)."""
    names = set()
    for entry in sys.path:
        if entry and os.path.isdir(entry) and os.path.basename(entry) in ("site-packages", "dist-packages"):
            names.update(n for n in os.listdir(entry) if n.endswith((".dist-info", ".egg-info")))
    return _digest([sys.version, *sorted(names)])


def without_password(dsn: str) -> str:
    """A libpq DSN (URI or key=value) with its password taken out."""
    return _KV_PASSWORD.sub(r"\1***", _URI_PASSWORD.sub(r"\1@", dsn))


def _settings() -> str:
    env = {
        k: v
        for k, v in os.environ.items()
        if k.startswith("FINSTAT_") and k not in ENV_COVERED_ELSEWHERE and v.strip()
    }
    dsn = os.environ.get("FINSTAT_POSTGRES_DSN", "").strip()
    if dsn:
        # The definitions default the schema; an unset one means that default, the DSN's absence none.
        env["FINSTAT_POSTGRES_DSN"] = without_password(dsn)
        env["FINSTAT_POSTGRES_SCHEMA"] = os.environ.get("FINSTAT_POSTGRES_SCHEMA", "").strip()
    return _digest(sorted(env.items()))


def _key_file(settings: Settings) -> str:
    # Size and time only: no digest of the key itself is ever written down.
    path = Path(os.environ.get(KEY_ENV) or settings.secrets_dir / "pseudonym.key")
    try:
        stat = path.stat()
    except OSError:
        return _digest([str(path), None])
    return _digest([str(path), stat.st_size, stat.st_mtime_ns])


def _template() -> str:
    folder = os.environ.get("FINSTAT_TEMPLATE_DIR", "").strip()
    return _digest([folder, _contents(Path(folder)) if folder else "shipped (in the code)"])


def fingerprint(settings: Settings, period: str) -> dict[str, str]:
    """One digest per input that can change the month's outcome."""
    keep = _up_to(check_period(period))
    return {
        "format": str(FORMAT),
        "landing": _stats(settings.landing, keep),
        "lake": _stats(settings.lake, keep),
        "reference": _contents(settings.reference_dir),
        "acknowledgements": _contents(settings.acks_dir),
        "template": _template(),
        "pseudonym_key": _key_file(settings),
        "code": _code(),
        "packages": _packages(),
        "settings": _settings(),
    }


def inputs_moved(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """What changed during a run apart from the lake, which the run itself writes."""
    return sorted(k for k in after if k != "lake" and before.get(k) != after[k])


def save(settings: Settings, period: str, run_id: str, version: int, prints: dict[str, str]) -> None:
    """Record the published month's fingerprint with the run that published (or confirmed) it."""
    if _flagged(settings, period):
        forget(settings, period)
        return
    record = {
        "period": period,
        "run_id": run_id,
        "published_version": version,
        "saved_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "fingerprint": prints,
        "flags_file": _flags_stat(settings),
    }
    text = json.dumps(record, ensure_ascii=False, indent=1)
    replace_atomically(record_path(settings, period), lambda p: p.write_text(text, encoding="utf-8"))


def forget(settings: Settings, period: str) -> None:
    """A month that did not publish has no shortcut until it publishes again."""
    record_path(settings, period).unlink(missing_ok=True)


FLAGS_FILE = "republication_flags.parquet"  # finstat.publication.schema's, which imports pyarrow


def _flags_stat(settings: Settings) -> list[int] | None:
    try:
        stat = (settings.published / FLAGS_FILE).stat()
    except OSError:
        return None
    return [stat.st_size, stat.st_mtime_ns]


def _flagged(settings: Settings, period: str) -> bool:
    if _flags_stat(settings) is None:
        return False
    from finstat.publication.flags import open_flags

    return any(flag["period"] == period for flag in open_flags(settings.published))


def unchanged_since(settings: Settings, period: str) -> dict | None:
    """The saved record when nothing the month depends on changed since it was published, else None."""
    path = record_path(settings, period)
    if not path.exists() or not settings.work_db.exists():
        return None
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    latest = gate_record.read_gate_record(settings.home, period) or {}
    # The month's latest run must still be the one that published: a later blocked or failed run,
    # or any run the UI started since, is not vouched for by this fingerprint.
    if (
        latest.get("outcome") != gate_record.PUBLISHED
        or latest.get("run_id") != saved.get("run_id")
        or latest.get("published_version") != saved.get("published_version")
    ):
        return None
    if saved.get("fingerprint") != fingerprint(settings, period):
        return None
    # The flags are read (pyarrow, ~0.4 s) only when they were written since: the month had none open.
    if saved.get("flags_file") != _flags_stat(settings) and _flagged(settings, period):
        return None
    return saved
