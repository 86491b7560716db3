"""The gate rules, read from their declarations in the audit models' yml (`config.meta.gate`)."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from finstat.settings import DBT_PROJECT_DIR

if TYPE_CHECKING:
    import great_expectations as gx

AUDIT_MODELS = DBT_PROJECT_DIR / "models" / "audit"
AUDIT_MODELS_YML = AUDIT_MODELS / "_audit__models.yml"
SUITES_DIR = Path(__file__).parent / "suites"


class Release(StrEnum):
    """How a failing rule lets its month be published (spec/quality-rules.md)."""

    CORRECT = "correct"  # an error: blocks until the data is corrected at the source
    ACKNOWLEDGE = "acknowledge"  # a warning: blocks until the officer acknowledges its failing rows
    REPORT = "report"  # reported with the officer's explanation, never holds a month back (rule 22)


# An error is never acknowledged; a warning is, whether or not it blocks.
SEVERITY_OF = {Release.CORRECT: "error", Release.ACKNOWLEDGE: "warn", Release.REPORT: "warn"}
REQUIRED = ("rule", "severity", "release", "title")
OPTIONAL = ("record_columns", "within_tolerance", "extra_suite")


class RuleDeclarationError(ValueError):
    """A gate declaration in the audit yml that finstat cannot run as declared."""


@dataclass(frozen=True)
class RuleSpec:
    """One gate rule of spec/quality-rules.md as finstat checks it."""

    rule: int
    severity: str  # "error" blocks the month; "warn" blocks until acknowledged, or only reports
    model: str  # audit-schema dbt model with one row per checked thing
    title: str
    release: Release
    # Columns after the shared layout that name the records to act on (shown in the check's table).
    record_columns: tuple[str, ...] = ()
    # GX recomputes |found - expected| <= tolerance from the numbers, not only the SQL's `passed`.
    within_tolerance: bool = False
    # expectations/suites/<extra_suite>.py adds what the rule checks beyond the shared suite.
    extra_suite: str | None = None

    @property
    def blocks_publication(self) -> bool:
        return self.release is not Release.REPORT

    @property
    def acknowledgeable(self) -> bool:
        return self.release is not Release.CORRECT

    @property
    def check_name(self) -> str:
        return f"rule_{self.rule:02d}_{self.model.split('_', 2)[2]}"

    def build_suite(self) -> gx.ExpectationSuite:
        """The shared suite, the tolerance recomputation if declared, then the extra suite's expectations.

        GX is imported here, on first call: importing it takes ~5 s, the rule registry is read by
        every Dagster definitions load (the UI, the CLI), and the gate warms GX in the background
        while dbt builds (expectations.warm_up).
        """
        from expectations.suites.common import base_suite, within_tolerance

        suite = base_suite(self.model)
        if self.within_tolerance:
            within_tolerance(suite)
        if self.extra_suite:
            importlib.import_module(f"expectations.suites.{self.extra_suite}").add_expectations(suite)
        return suite


def load_rules(path: Path = AUDIT_MODELS_YML) -> tuple[RuleSpec, ...]:
    """Every model of the yml that declares `config.meta.gate`, by rule number."""
    document = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    specs = sorted(
        (_spec(model) for model in document.get("models") or [] if _declaration(model) is not None),
        key=lambda spec: spec.rule,
    )
    numbers = [spec.rule for spec in specs]
    repeated = sorted({n for n in numbers if numbers.count(n) > 1})
    if repeated:
        raise RuleDeclarationError(f"{path.name}: rule {', '.join(map(str, repeated))} declared twice")
    return tuple(specs)


def _declaration(model: dict) -> dict | None:
    return ((model.get("config") or {}).get("meta") or {}).get("gate")


def _spec(model: dict) -> RuleSpec:
    """One declaration, checked: what the gate cannot run as written fails the load, naming the model."""
    name, gate = model["name"], _declaration(model)

    def refuse(why: str) -> RuleDeclarationError:
        return RuleDeclarationError(f"gate declaration of {name}: {why}")

    if not isinstance(gate, dict):
        raise refuse("config.meta.gate must be a mapping")
    missing = [key for key in REQUIRED if key not in gate]
    unknown = sorted(set(gate) - {*REQUIRED, *OPTIONAL})
    if missing or unknown:
        raise refuse(f"missing {missing}, unknown {unknown}; the keys are {[*REQUIRED, *OPTIONAL]}")
    rule = gate["rule"]
    if not isinstance(rule, int) or not name.startswith(f"qr_{rule:02d}_"):
        raise refuse(f"rule {rule!r} is not the number its name qr_NN_ carries")
    try:
        release = Release(gate["release"])
    except ValueError:
        raise refuse(f"release {gate['release']!r} is not one of {[r.value for r in Release]}") from None
    if gate["severity"] != SEVERITY_OF[release]:
        raise refuse(f"severity {gate['severity']!r} does not go with release {release.value!r}")
    record_columns = tuple(gate.get("record_columns") or ())
    columns = {column["name"] for column in model.get("columns") or []}
    if not set(record_columns) <= columns:
        raise refuse(f"record_columns {sorted(set(record_columns) - columns)} are not columns of the model")
    within_tolerance = gate.get("within_tolerance", False)
    if not isinstance(within_tolerance, bool):
        raise refuse(f"within_tolerance {within_tolerance!r} is not true or false")
    extra_suite = gate.get("extra_suite")
    if extra_suite is not None and not (SUITES_DIR / f"{extra_suite}.py").is_file():
        raise refuse(f"extra_suite {extra_suite!r}: no expectations/suites/{extra_suite}.py")
    return RuleSpec(
        rule=rule,
        severity=SEVERITY_OF[release],
        model=name,
        title=_text(gate["title"], refuse),
        release=release,
        record_columns=record_columns,
        within_tolerance=within_tolerance,
        extra_suite=extra_suite,
    )


def _text(value: Any, refuse) -> str:
    if not isinstance(value, str) or not value.strip():
        raise refuse("title must be a non-empty text")
    return value.strip()


GATE_RULES: tuple[RuleSpec, ...] = load_rules()
RULES_BY_NUMBER = {spec.rule: spec for spec in GATE_RULES}
