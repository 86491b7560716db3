"""Rule 14 end to end: one altered loan balance blocks May 2022; the corrected file publishes it again."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from tests.demo_warehouse import demo_copy

pytestmark = pytest.mark.e2e

MAY = "2022-05"
RURAL_INST = "B1280H41061121"
LOAN_FILE = f"{RURAL_INST}_202205_贷款明细.csv"
ALTERATION = Decimal("20000.00")  # 2 万元: twice rule 14's tolerance


def _read(path):
    text = path.read_bytes().decode("gb18030")
    rows = list(csv.reader(io.StringIO(text)))
    return rows[0], rows[1:]


def _write(path, header, rows):
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows([header, *rows])
    path.write_bytes(buffer.getvalue().encode("gb18030"))


@pytest.fixture(scope="module")
def copied_world(demo_run, tmp_path_factory):
    """A copy of the published demo warehouse, so this module's runs leave the demo untouched."""
    with demo_copy(demo_run, tmp_path_factory.mktemp("rural14")) as world:
        yield world


def _published_may(home):
    import pyarrow.parquet as pq

    table = pq.read_table(home / "published" / "official_figures_history.parquet").to_pylist()
    return [r for r in table if r["period"] == MAY]


NPL_CLASSES = ("次级", "可疑", "损失", "3", "4", "5")
NORMAL_CLASSES = ("正常", "1")


def _plant(header, rows, april_rows, disposed_ids):
    """The altered May file: +2 万元 on one loan (rule 14) and one loan for each of warnings 15-17."""
    col = {name: header.index(name) for name in header}
    rows = [list(r) for r in rows]
    normal = [i for i, r in enumerate(rows) if r[col["五级分类"]] in NORMAL_CLASSES]
    balance_of = {r[col["借据号"]]: r for r in rows}
    # Rule 14: one balance changed.
    altered = normal[0]
    rows[altered][col["贷款余额"]] = f"{Decimal(rows[altered][col['贷款余额']]) + ALTERATION:.2f}"
    # Rule 15: 120 days overdue, still 正常.
    overdue = normal[1]
    rows[overdue][col["逾期天数"]] = "120"
    # Rule 16: a 身份证号码 whose check character is wrong.
    bad_id = next(i for i in normal[2:] if rows[i][col["证件类型"]] == "身份证")
    number = rows[bad_id][col["证件号码"]]
    rows[bad_id][col["证件号码"]] = number[:17] + ("1" if number[17] != "1" else "2")
    # Rule 17: a loan non-performing in April and still on the books in May vanishes from May without
    # a disposal record; its balance moves to a loan of the same class and county, so the totals of
    # rule 14 are unchanged by it.
    vanished_row = next(
        balance_of[r[col["借据号"]]]
        for r in april_rows
        if r[col["五级分类"]] in NPL_CLASSES
        and r[col["借据号"]] in balance_of
        and r[col["借据号"]] not in disposed_ids
        and balance_of[r[col["借据号"]]][col["五级分类"]] in NPL_CLASSES
    )
    vanished = vanished_row[col["借据号"]]
    heir = next(
        r
        for r in rows
        if r[col["借据号"]] != vanished
        and r[col["五级分类"]] == vanished_row[col["五级分类"]]
        and r[col["县区代码"]] == vanished_row[col["县区代码"]]
    )
    heir[col["贷款余额"]] = f"{Decimal(heir[col['贷款余额']]) + Decimal(vanished_row[col['贷款余额']]):.2f}"
    loans = {
        "overdue": rows[overdue][col["借据号"]],
        "bad_id": rows[bad_id][col["借据号"]],
        "vanished": vanished,
    }
    return [r for r in rows if r[col["借据号"]] != vanished], altered, loans


def _check(outcome, name):
    found = [c for c in outcome.failed_checks if c["check"] == name]
    assert found, [c["check"] for c in outcome.failed_checks]
    return found[0]["metadata"]


def test_altered_loan_blocks_warnings_are_counted_then_corrected_file_publishes(copied_world):
    from orchestration.runner import dagster_instance, run_month

    settings, landing = copied_world["settings"], copied_world["landing"]
    folder = landing / "rural_credit" / MAY
    header, rows = _read(folder / LOAN_FILE)
    _, april = _read(landing / "rural_credit" / "2022-04" / f"{RURAL_INST}_202204_贷款明细.csv")
    _, disposals = _read(folder / f"{RURAL_INST}_202205_不良处置.csv")
    published_before = _published_may(copied_world["home"])

    planted, altered, loans = _plant(header, rows, april, {d[3] for d in disposals})
    _write(folder / f"{RURAL_INST}_202205_贷款明细_v2.csv", header, planted)
    instance = dagster_instance(settings)
    blocked = run_month(MAY, settings, instance)
    assert blocked.status == "blocked", blocked.errors
    rows14 = _check(blocked, "rule_14_rural_reconciliation")["failing_rows_json"]
    assert {r["inst_code"] for r in rows14} == {RURAL_INST}
    a01 = [r for r in rows14 if r["item_code"] == "A01"]
    assert len(a01) == 1 and Decimal(str(a01[0]["diff"])) == ALTERATION, rows14
    for rule, loan in (
        ("rule_15_overdue_class", "overdue"),
        ("rule_16_id_check_digit", "bad_id"),
        ("rule_17_npl_vanished", "vanished"),
    ):
        meta = _check(blocked, rule)
        assert meta["rule_severity"] == "warn" and "how_to_release" in meta
        assert [r["loan_id"] for r in meta["failing_rows_json"]] == [loans[loan]], rule
        (summary,) = meta["by_institution_json"]
        assert summary["inst_code"] == RURAL_INST and summary["loan_count"] == 1
        balance, book = Decimal(summary["balance_yuan"]), Decimal(summary["inst_balance_yuan"])
        assert balance > 0 and Decimal(summary["share_pct"]) == (balance * 100 / book).quantize(
            Decimal("0.0001")
        )
        assert Decimal("0") < Decimal(summary["share_pct"]) < Decimal("5"), summary
    assert _published_may(copied_world["home"]) == published_before, "nothing published changed"

    # The bank re-sends its true book (its system writes one issue date the other way round, so the
    # bytes differ from the first delivery: an identical file would be a mere duplicate).
    issue_col = header.index("发放日期")
    corrected = [list(r) for r in rows]
    date = corrected[altered][issue_col]
    corrected[altered][issue_col] = (
        date.replace("-", "") if "-" in date else f"{date[:4]}-{date[4:6]}-{date[6:]}"
    )
    _write(folder / f"{RURAL_INST}_202205_贷款明细_v3.csv", header, corrected)
    again = run_month(MAY, settings, instance)
    assert again.status == "published", (again.failed_checks, again.errors)
    assert _published_may(copied_world["home"]) == published_before, "same figures: no new version"
