"""The registry of gate rules: number, severity, the audit model holding its rows, and its suite."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import great_expectations as gx


def _suite(module: str) -> Callable[[], gx.ExpectationSuite]:
    """The build_suite of expectations.suites.<module>, imported on first call.

    Importing GX takes ~5 s: the rule registry is read by every Dagster definitions load (the UI,
    the CLI), and the gate warms GX in the background while dbt builds (expectations.warm_up).
    """

    def build() -> gx.ExpectationSuite:
        return importlib.import_module(f"expectations.suites.{module}").build_suite()

    build.__qualname__ = f"{module}.build_suite"
    return build


@dataclass(frozen=True)
class RuleSpec:
    """One gate rule of spec/quality-rules.md as finstat checks it."""

    rule: int
    severity: str  # "error" blocks the month; "warn" blocks until acknowledged
    model: str  # audit-schema dbt model with one row per checked thing
    title: str
    build_suite: Callable[[], gx.ExpectationSuite]
    # Columns after the shared layout that name the records to act on (shown in the check's table).
    record_columns: tuple[str, ...] = ()
    # False for a rule that is reported but never holds a month back (rule 22).
    blocks_publication: bool = True

    @property
    def check_name(self) -> str:
        return f"rule_{self.rule:02d}_{self.model.split('_', 2)[2]}"


BANK_LOAN_RULES: tuple[RuleSpec, ...] = (
    RuleSpec(
        6,
        "error",
        "qr_06_completeness",
        "银行贷款月报完整性：每个在册机构都有本月报表",
        _suite("bank_loans_completeness"),
    ),
    RuleSpec(
        7,
        "error",
        "qr_07_item_sums",
        "父项等于子项之和（A01、A02、A05，分县区及合计）",
        _suite("bank_loans_item_sums"),
    ),
    RuleSpec(8, "error", "qr_08_total_column", "合计列等于各县区列之和", _suite("bank_loans_total_column")),
    RuleSpec(
        9,
        "error",
        "qr_09_classes_and_memos",
        "五级分类之和等于各项贷款；专项项目不超过各项贷款",
        _suite("bank_loans_classes_and_memos"),
    ),
    RuleSpec(
        10,
        "error",
        "qr_10_disposal_ytd",
        "本年累计处置额不减少且等于本年各月发生额之和",
        _suite("bank_loans_disposal_ytd"),
    ),
    RuleSpec(
        11,
        "warn",
        "qr_11_a01_movement",
        "机构各项贷款较上月变动不超过20%",
        _suite("bank_loans_a01_movement"),
    ),
    RuleSpec(
        12,
        "error",
        "qr_12_unit_jump",
        "数值约为上月的一万倍（元/万元混用）",
        _suite("bank_loans_unit_jump"),
    ),
)

RURAL_CREDIT_RULES: tuple[RuleSpec, ...] = (
    RuleSpec(
        13,
        "error",
        "qr_13_loan_id_unique",
        "借据号在同一机构同一月份内唯一",
        _suite("rural_credit_loan_id_unique"),
    ),
    RuleSpec(
        14,
        "error",
        "qr_14_rural_reconciliation",
        "农信机构贷款明细合计与其贷款月报一致（余额、不良分类、处置方式，容差1万元）",
        _suite("rural_credit_reconciliation"),
    ),
    RuleSpec(
        15,
        "warn",
        "qr_15_overdue_class",
        "逾期超过90天的贷款仍分类为正常或关注",
        _suite("rural_credit_overdue_class"),
        ("loan_id",),
    ),
    RuleSpec(
        16,
        "warn",
        "qr_16_id_check_digit",
        "证件号码校验位错误（GB 11643 身份证、GB 32100 统一社会信用代码）",
        _suite("rural_credit_id_check_digit"),
        ("loan_id",),
    ),
    RuleSpec(
        17,
        "warn",
        "qr_17_npl_vanished",
        "上月不良贷款本月消失且无处置记录",
        _suite("rural_credit_npl_vanished"),
        ("loan_id",),
    ),
)

PLATFORM_RECORDS = ("request_id", "product_id", "enterprise_id")
PLATFORM_RULES: tuple[RuleSpec, ...] = (
    RuleSpec(
        18,
        "error",
        "qr_18_platform_request_consistency",
        "融资需求放款金额不超过授信金额，授信不早于申请，放款不早于授信",
        _suite("platform_request_consistency"),
        PLATFORM_RECORDS,
    ),
    RuleSpec(
        19,
        "error",
        "qr_19_platform_references",
        "融资需求的企业ID、产品ID在同期快照中存在；产品的机构代码在机构名录中",
        _suite("platform_references"),
        PLATFORM_RECORDS,
    ),
    RuleSpec(
        20,
        "warn",
        "qr_20_platform_cumulative",
        "平台累计授信金额、累计放款金额、累计授信企业数不低于上月",
        _suite("platform_cumulative"),
        PLATFORM_RECORDS,
    ),
    RuleSpec(
        21,
        "warn",
        "qr_21_platform_uscc",
        "入驻企业统一社会信用代码校验位错误（GB 32100）",
        _suite("platform_uscc"),
        PLATFORM_RECORDS,
    ),
)

# Rule 22 is "reported, not blocking" (quality-rules.md): a failing line shows in the check and the
# reconciliation workbook with the officer's explanation (`finstat ack --rule 22`), and the month
# is published all the same.
PBC_RULES: tuple[RuleSpec, ...] = (
    RuleSpec(
        22,
        "warn",
        "qr_22_pbc_reconciliation",
        "与人民银行市分行金融统计核对（差额不超过0.5亿元或0.05个百分点）",
        _suite("pbc_reconciliation"),
        ("unit", "bureau_value", "pbc_value", "diff_value"),
        blocks_publication=False,
    ),
)

GATE_RULES: tuple[RuleSpec, ...] = BANK_LOAN_RULES + RURAL_CREDIT_RULES + PLATFORM_RULES + PBC_RULES
RULES_BY_NUMBER = {spec.rule: spec for spec in GATE_RULES}
