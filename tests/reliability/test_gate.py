"""Defects only the gate can see, from real landing files: a 元/万元 mix-up (rule 12), a repeated 借据号 (rule 13).

One selective dbt build for the module (the rules' models and what they read), on a lake written by
ingestion itself, so the path from landing file to failing gate row is the production one.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from expectations.rules import RULES_BY_NUMBER
from expectations.runner import load_rule_rows, run_rule
from finstat.reference import dbt_vars
from finstat.settings import OFFLINE_ENV, PROJECT_ROOT, load_settings
from ingestion.log import read_log
from ingestion.platform import PRODUCTS
from ingestion.registry import SOURCES
from ingestion.run import ingest_landing
from tests.dbt.conftest import DBT, DbtRun
from tests.ingestion.builders import (
    BANK,
    OTHER_BANK,
    Workbook,
    csv_rows,
    write_csv,
    write_reference,
    write_workbook,
)
from tests.ingestion.platform_builders import product_row, write_snapshot, write_snapshot_file
from tests.ingestion.rural_builders import (
    OTHER_RURAL,
    RURAL,
    RURAL_INSTITUTIONS,
    loan_row,
    loans_name,
    write_loans,
)
from tests.reliability.harness import THIRD_BANK

MONTH, PREVIOUS = "2022-05", "2022-04"
# Case 11: names with quotes, a semicolon, a comment and a backslash go through verbatim.
HOSTILE_NAME = "O'Brien; DROP TABLE x; --\"\\"
REGISTER = [*RURAL_INSTITUTIONS, (THIRD_BANK, HOSTILE_NAME, "城市商业银行", "false", "410603", "2020-01", "")]
MODELS = "+qr_12_unit_jump +qr_13_loan_id_unique stg_platform__products"


def _relabel_unit(path: Path, old: str, new: str) -> Path:
    """Change the unit the workbook declares, leaving every figure as it is (the mix-up)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(path.read_bytes())) as zin,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout,
    ):
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "xl/sharedStrings.xml":
                assert old.encode() in data
                data = data.replace(old.encode(), new.encode())
            zout.writestr(info, data)
    path.write_bytes(out.getvalue())
    return path


def _landing(settings) -> None:
    bank = settings.landing / "bank_loans"
    # BANK: April normal in 万元; May declares 元 but holds the same 万元 figures (1/10,000).
    write_workbook(bank / PREVIOUS / "bank.xlsx", Workbook(period="2022年04月"))
    _relabel_unit(write_workbook(bank / MONTH / "bank.xlsx"), "单位：万元", "单位：元")
    # OTHER_BANK: April normal in 元; May declares 万元 on every line but holds 元 figures (x10,000).
    write_csv(bank / PREVIOUS / "other.csv", csv_rows(inst_code=OTHER_BANK, period=PREVIOUS, unit="元"))
    wrong = [[*row[:6], "万元"] for row in csv_rows(inst_code=OTHER_BANK, unit="元")]
    write_csv(bank / MONTH / "other.csv", wrong)
    # THIRD_BANK: normal both months, the control.
    write_csv(bank / PREVIOUS / "third.csv", csv_rows(inst_code=THIRD_BANK, period=PREVIOUS))
    write_csv(bank / MONTH / "third.csv", csv_rows(inst_code=THIRD_BANK))
    # RURAL repeats 借据号 JJ0001 (two customers, two balances); OTHER_RURAL's are unique.
    write_loans(settings, [loan_row(), loan_row(客户号="KH0009", 贷款余额="1.00"), loan_row(借据号="JJ0002")])
    write_loans(
        settings,
        [loan_row(机构代码=OTHER_RURAL), loan_row(机构代码=OTHER_RURAL, 借据号="JJ0002")],
        name=loans_name(inst=OTHER_RURAL),
    )
    write_snapshot(settings)  # then its product renamed:
    write_snapshot_file(settings, PRODUCTS, [product_row(产品名称=HOSTILE_NAME)])


@pytest.fixture(scope="module")
def gate(tmp_path_factory) -> tuple[DbtRun, object]:
    root = tmp_path_factory.mktemp("gate")
    reference = write_reference(root / "reference", REGISTER)
    settings = load_settings(landing=root / "landing", home=root / "home", reference_dir=reference)
    _landing(settings)
    for source in SOURCES:
        ingest_landing(settings, MONTH, source=source.name)
    (settings.home / "work").mkdir()
    env = {
        **os.environ,
        **OFFLINE_ENV,
        "FINSTAT_HOME": str(settings.home),
        "FINSTAT_REFERENCE_DIR": str(reference),
    }
    command = [
        str(DBT), "build",
        "--project-dir", str(PROJECT_ROOT / "dbt_project"),
        "--profiles-dir", str(PROJECT_ROOT / "dbt_project"),
        "--target-path", str(root / "target"),
        "--log-path", str(root / "logs"),
        "--vars", json.dumps({"period": MONTH, **dbt_vars(reference)}),
        "--select", *MODELS.split(),
        # The models only: the project's data tests are tests/dbt's business (and take time).
        "--exclude-resource-type", "test", "unit_test",
    ]  # fmt: skip
    done = subprocess.run(command, env=env, capture_output=True, text=True, cwd=root, timeout=300)
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    return DbtRun(settings.work_db, 0.0, done.stdout), settings


def _rule_rows(run: DbtRun, rule: int, period: str = MONTH) -> list[dict]:
    model = RULES_BY_NUMBER[rule].model
    return run.rows(f"select * from audit.{model} where period = ?", [period])


def test_the_defects_pass_ingestion(gate):
    """Both defects are plausible files: only the gate, with the previous month or the whole file, sees them."""
    _, settings = gate
    log = read_log(settings.lake)
    assert log and {o.status for o in log} == {"accepted"}, [(o.file_path, o.reason) for o in log if o.reason]


@pytest.mark.parametrize(
    ("inst", "source_file", "direction"),
    [
        (BANK, f"bank_loans/{MONTH}/bank.xlsx", "万分之一"),  # declares 元, holds 万元
        (OTHER_BANK, f"bank_loans/{MONTH}/other.csv", "一万倍"),  # declares 万元, holds 元
    ],
)
def test_unit_mix_up_fails_rule_12_for_that_institution_and_month(gate, inst, source_file, direction):
    run, _ = gate
    rows = [r for r in _rule_rows(run, 12) if r["inst_code"] == inst]
    failing = [r for r in rows if not r["passed"]]
    # Every cell with a balance last month fails; only zero cells (A09 everywhere) cannot tell.
    assert failing and all(r["expected"] > 0 for r in failing)
    assert all(r["expected"] == 0 for r in rows if r["passed"])
    for row in failing:
        ratio = row["found"] / row["expected"]
        assert ratio == (Decimal("0.0001") if direction == "万分之一" else Decimal(10000))
        assert row["source_file"] == source_file and row["row_number"]
        assert direction in row["detail"] and "疑似元/万元单位混用" in row["detail"] and inst in row["detail"]
    # The previous month, which was normal, has no rule-12 row failing for it.
    assert not [r for r in _rule_rows(run, 12, PREVIOUS) if not r["passed"]]


def test_rule_12_blocks_the_month_and_names_only_the_mixed_up_institutions(gate):
    run, _ = gate
    spec = RULES_BY_NUMBER[12]
    result = run_rule(spec, load_rule_rows(run.db_path, spec.model, MONTH))
    assert not result.passed and spec.severity == "error"
    assert {r["inst_code"] for r in result.failing_rows} == {BANK, OTHER_BANK}
    control = [r for r in _rule_rows(run, 12) if r["inst_code"] == THIRD_BANK]
    assert control and all(r["passed"] for r in control)


def test_duplicate_loan_id_fails_rule_13_naming_it(gate):
    run, settings = gate
    rows = _rule_rows(run, 13)
    # The contract (quality-rules.md 13): a gate error, not an ingestion rejection; 借据号 is not
    # personal data, so it is named in clear; both rows stay in the lake until a correction.
    assert [(r["inst_code"], r["found"], r["passed"]) for r in rows] == [(RURAL, 2, False)]
    detail = rows[0]["detail"]
    assert "借据号 JJ0001 出现 2 次" in detail and "第 2、3 行" in detail
    assert rows[0]["source_file"] == f"rural_credit/{MONTH}/{loans_name()}"
    spec = RULES_BY_NUMBER[13]
    result = run_rule(spec, load_rule_rows(run.db_path, spec.model, MONTH))
    assert not result.passed and [r["inst_code"] for r in result.failing_rows] == [RURAL]
    (lake,) = [
        p for p in (settings.lake / "rural_credit_loans").glob("period=*/*.parquet") if RURAL in p.name
    ]
    assert pq.read_table(lake).column("loan_id").to_pylist().count("JJ0001") == 2


def test_hostile_names_come_through_dbt_verbatim(gate):
    """Case 11 at the warehouse end: the register's and the platform's names are data, not SQL."""
    run, _ = gate
    assert run.rows("select inst_name from dim_institution where inst_code = ?", [THIRD_BANK]) == [
        {"inst_name": HOSTILE_NAME}
    ]
    assert run.rows("select product_name from stg_platform__products") == [{"product_name": HOSTILE_NAME}]
