"""A gate rule is its audit model and its declaration: the two agree, and a bad declaration fails the load."""

from __future__ import annotations

import subprocess
import sys

import pytest
import yaml

from expectations.rules import (
    AUDIT_MODELS,
    AUDIT_MODELS_YML,
    GATE_RULES,
    SUITES_DIR,
    Release,
    RuleDeclarationError,
    load_rules,
)
from expectations.suites.common import RULE_COLUMNS
from finstat.settings import PROJECT_ROOT

MODELS = {model["name"]: model for model in yaml.safe_load(AUDIT_MODELS_YML.read_text("utf-8"))["models"]}


def test_every_declared_rule_has_its_audit_model():
    missing = [spec.model for spec in GATE_RULES if not (AUDIT_MODELS / f"{spec.model}.sql").is_file()]
    assert missing == []


def test_every_audit_rule_model_is_declared():
    declared = {spec.model for spec in GATE_RULES}
    models = {path.stem for path in AUDIT_MODELS.glob("qr_*.sql")}
    assert models, "the audit folder holds the rule models"
    assert sorted(models - declared) == []


@pytest.mark.parametrize("spec", GATE_RULES, ids=lambda s: s.check_name)
def test_a_rule_model_has_the_shared_layout_then_its_record_columns(spec):
    columns = [column["name"] for column in MODELS[spec.model]["columns"]]
    assert tuple(columns[: len(RULE_COLUMNS)]) == RULE_COLUMNS
    assert set(spec.record_columns) <= set(columns[len(RULE_COLUMNS) :])


def test_every_suite_module_is_some_rules_extra_suite():
    """A module that adds nothing to a declared rule would be checked by no one."""
    modules = {path.stem for path in SUITES_DIR.glob("*.py")} - {"__init__", "common"}
    assert modules == {spec.extra_suite for spec in GATE_RULES if spec.extra_suite}


def test_only_a_reported_rule_never_blocks_and_only_an_error_is_never_acknowledged():
    for spec in GATE_RULES:
        assert spec.blocks_publication == (spec.release is not Release.REPORT), spec.rule
        assert spec.acknowledgeable == (spec.severity == "warn"), spec.rule
    assert [spec.rule for spec in GATE_RULES if not spec.blocks_publication] == [22]


def test_reading_the_rules_does_not_import_great_expectations():
    """The UI and the CLI read the rules on every load; GX (~5 s) is imported only when a suite is built."""
    code = "import sys, expectations.rules; assert 'great_expectations' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=PROJECT_ROOT)


GOOD = {
    "rule": 30,
    "severity": "warn",
    "release": "acknowledge",
    "title": "台账年累计数不低于上月",
    "record_columns": ["ledger_id"],
}


def _yml(tmp_path, gate, name="qr_30_ledger_ytd", extra_models=()):
    columns = [{"name": c} for c in (*RULE_COLUMNS, "ledger_id")]
    models = [{"name": name, "config": {"meta": {"gate": gate}}, "columns": columns}, *extra_models]
    path = tmp_path / "_audit__models.yml"
    path.write_text(yaml.safe_dump({"version": 2, "models": models}, allow_unicode=True), "utf-8")
    return path


def test_a_declaration_becomes_a_rule(tmp_path):
    [spec] = load_rules(
        _yml(tmp_path, {**GOOD, "within_tolerance": True, "extra_suite": "platform_cumulative"})
    )
    assert (spec.rule, spec.severity, spec.release, spec.model) == (
        30,
        "warn",
        Release.ACKNOWLEDGE,
        "qr_30_ledger_ytd",
    )
    assert (spec.record_columns, spec.within_tolerance, spec.extra_suite) == (
        ("ledger_id",),
        True,
        "platform_cumulative",
    )
    assert (spec.check_name, spec.blocks_publication, spec.acknowledgeable) == (
        "rule_30_ledger_ytd",
        True,
        True,
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"rule": 31}, "not the number its name qr_NN_ carries"),
        ({"severity": "error"}, "does not go with release 'acknowledge'"),
        ({"release": "ignore"}, "release 'ignore' is not one of"),
        ({"record_columns": ["loan_id"]}, "record_columns ['loan_id'] are not columns of the model"),
        ({"extra_suite": "no_such_suite"}, "no expectations/suites/no_such_suite.py"),
        ({"within_tolerance": "yes"}, "within_tolerance 'yes' is not true or false"),
        ({"title": " "}, "title must be a non-empty text"),
        ({"blocking": False}, "unknown ['blocking']"),
        ({"title": None}, "title must be a non-empty text"),
    ],
)
def test_a_bad_declaration_fails_the_load_naming_the_model(tmp_path, change, message):
    with pytest.raises(RuleDeclarationError) as refused:
        load_rules(_yml(tmp_path, {**GOOD, **change}))
    assert "qr_30_ledger_ytd" in str(refused.value) and message in str(refused.value)


def test_a_missing_key_and_a_repeated_number_fail_the_load(tmp_path):
    with pytest.raises(RuleDeclarationError, match=r"missing \['release'\]"):
        load_rules(_yml(tmp_path, {k: v for k, v in GOOD.items() if k != "release"}))
    twin = {
        "name": "qr_30_ledger_other",
        "config": {"meta": {"gate": GOOD}},
        "columns": [{"name": "ledger_id"}],
    }
    with pytest.raises(RuleDeclarationError, match="rule 30 declared twice"):
        load_rules(_yml(tmp_path, GOOD, extra_models=[twin]))
