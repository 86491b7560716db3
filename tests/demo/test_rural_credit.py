"""The rural_credit demo: agreement with bank_loans (rule 14), R04/R06, rules 13/15-17, files, life cycle."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter, defaultdict
from decimal import ROUND_HALF_UP, Decimal

import pytest

from demo.generator import build_dataset, build_rural_credit
from demo.rural_credit import (
    ALL_VARIATIONS,
    CLASS_NAMES,
    DISPOSAL_HEADER,
    LOAN_HEADER,
    METHOD_NAMES,
    month_end,
    write_benchmark_month,
)
from finstat.identifiers import check_identifier
from finstat.items import DISPOSAL_ITEMS
from finstat.periods import add_months

NPL = ("次级", "可疑", "损失")
CLASS_ITEM = dict(zip(CLASS_NAMES, ("C01", "C02", "C03", "C04", "C05"), strict=True))
RURAL = ("B1280H41061121", "B1281H41062122", "D1282H41062223")


@pytest.fixture(scope="module")
def rural(dataset):
    return build_rural_credit(dataset)


@pytest.fixture(scope="module")
def loans(rural):
    """(period, inst) -> list[LoanRow], materialised once for the module."""
    return {key: rural.loans[key] for key in rural.keys()}


def _r2(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def test_every_rural_institution_and_month_has_data(dataset, rural):
    assert {inst.code for inst in dataset.institutions if inst.is_rural_credit} == set(RURAL)
    assert rural.periods == dataset.periods
    assert set(rural.keys()) == {(p, i) for p in dataset.periods for i in RURAL}
    assert set(rural.disposals) == set(rural.keys())


def test_rule_14_loans_equal_the_bank_loans_reports_to_the_cent(dataset, loans, rural):
    for (period, inst), rows in loans.items():
        by_county = defaultdict(Decimal)
        for row in rows:
            by_county[(row.county_code, "A01")] += row.balance
            by_county[(row.county_code, CLASS_ITEM[row.risk_class])] += row.balance
        report = {
            (county, item): amount
            for (p, i, county, item), amount in dataset.balances.items()
            if p == period and i == inst and item in ("A01", "C01", "C02", "C03", "C04", "C05")
        }
        assert {k: by_county.get(k, Decimal(0)) for k in report} == report, (period, inst)
        assert set(by_county) <= set(report)
        methods = defaultdict(Decimal)
        for event in rural.disposals[(period, inst)]:
            methods[event.method_item] += event.principal
        for item in DISPOSAL_ITEMS:
            assert methods[item] == dataset.disposals[(period, inst, item)][0], (period, inst, item)


def test_r04_is_46_22_and_double_fall_from_the_loans(loans):
    def r02_r03(period):
        rows = [row for inst in RURAL for row in loans[(period, inst)]]
        npl = sum((r.balance for r in rows if r.risk_class in NPL), Decimal(0))
        return npl, npl / sum((r.balance for r in rows), Decimal(0)) * 100

    npl_dec, ratio_dec = r02_r03("2021-12")
    npl_may, ratio_may = r02_r03("2022-05")
    assert _r2((ratio_dec - ratio_may) / ratio_dec * 100) == Decimal("46.22")
    r06 = 1 if npl_may < npl_dec and ratio_may < ratio_dec else 0
    assert r06 == 1


def test_no_warning_of_rules_15_16_17_and_no_error_of_rule_13(loans, rural):
    for (period, inst), rows in loans.items():
        ids = Counter(row.loan_id for row in rows)
        assert [k for k, n in ids.items() if n > 1] == [], (period, inst)  # rule 13
        assert [r.loan_id for r in rows if r.overdue_days > 90 and r.risk_class in ("正常", "关注")] == []
        assert [r.loan_id for r in rows if check_identifier(r.id_type, r.id_number) is False] == []
        previous = loans.get((add_months(period, -1), inst))
        if previous is not None:
            gone = {r.loan_id for r in previous if r.risk_class in NPL} - set(ids)
            disposed = {e.loan_id for e in rural.disposals[(period, inst)]}
            assert gone <= disposed, (period, inst, sorted(gone - disposed)[:5])


def test_every_variation_appears(rural):
    used = rural.variations
    assert [name for name in ALL_VARIATIONS if not used.get(name)] == []


def test_rows_are_well_formed(loans, rural):
    for (period, inst), rows in loans.items():
        end = month_end(period)
        assert 500 <= len(rows) <= 3000, (period, inst, len(rows))
        for r in rows:
            assert r.data_date == end and r.inst_code == inst
            assert Decimal(0) < r.balance <= r.issued_amount, r.loan_id
            assert r.balance.as_tuple().exponent == -2 and r.issued_amount.as_tuple().exponent == -2
            assert r.issue_date <= end < r.maturity_date or r.risk_class in NPL, r.loan_id
            assert r.customer_type in ("个人", "个体工商户", "企业")
            assert r.id_type in ("身份证", "统一社会信用代码", "其他")
            if r.id_type == "身份证":
                assert r.id_number.startswith("4106"), r.id_number
                assert "1950" <= r.id_number[6:14] <= "2000"
            if r.poverty:
                assert r.customer_type == "个人" and r.issued_amount <= 50_000, r.loan_id
        for e in rural.disposals[(period, inst)]:
            assert e.method_name == METHOD_NAMES[e.method_item]
            assert e.principal > 0 and e.interest >= 0 and e.disposal_date.strftime("%Y-%m") == period


def test_life_cycle(dataset, loans, rural):
    for inst in RURAL:
        seen: dict[str, tuple] = {}
        paths: dict[str, list[str]] = defaultdict(list)
        methods, repaid, issued = set(), 0, 0
        for period in dataset.periods:
            rows = loans[(period, inst)]
            current = {r.loan_id: r for r in rows}
            for r in rows:
                if r.loan_id in seen:
                    # Same 借据, same borrower and terms; a balance never goes up.
                    assert seen[r.loan_id][:2] == (r.customer_no, r.id_number)
                    assert r.balance <= seen[r.loan_id][2], (period, r.loan_id)
                seen[r.loan_id] = (r.customer_no, r.id_number, r.balance)
                paths[r.loan_id].append(r.risk_class)
            previous = loans.get((add_months(period, -1), inst), [])
            repaid += sum(1 for r in previous if r.risk_class not in NPL and r.loan_id not in current)
            issued += sum(1 for r in rows if r.issue_date.strftime("%Y-%m") == period)
            assert any(r.issue_date.strftime("%Y-%m") == period for r in rows), (period, inst)
            methods |= {e.method_item for e in rural.disposals[(period, inst)]}
            poverty = [r for r in rows if r.poverty]
            assert poverty and sum(r.balance for r in poverty) > 0, (period, inst)  # R08
            assert len({r.id_number for r in poverty}) < len(poverty)  # R09 counts borrowers
        assert methods == set(DISPOSAL_ITEMS), inst
        assert repaid > 100 and issued > 100, inst
        chains = {tuple(dict.fromkeys(p)) for p in paths.values()}
        assert any(c[:3] == ("正常", "关注", "次级") for c in chains), inst
        assert any("可疑" in c and "损失" in c for c in chains), inst
        borrowers = Counter(r.customer_no for r in loans[(dataset.last, inst)])
        assert max(borrowers.values()) > 1


def _parse(data: bytes):
    text = data.decode("gb18030")
    return list(csv.reader(io.StringIO(text)))


def test_files_are_gb18030_with_the_exact_header_and_the_data(dataset, rural, landing):
    root, written = landing
    paths = [p for p in written if p.relative_to(root).parts[0] == "rural_credit"]
    assert len(paths) == 2 * len(rural.keys())
    for period, inst in rural.keys():
        yyyymm = period.replace("-", "")
        folder = root / "rural_credit" / period
        loan_rows = _parse((folder / f"{inst}_{yyyymm}_贷款明细.csv").read_bytes())
        disposal_rows = _parse((folder / f"{inst}_{yyyymm}_不良处置.csv").read_bytes())
        assert tuple(loan_rows[0]) == LOAN_HEADER and tuple(disposal_rows[0]) == DISPOSAL_HEADER
        expected = rural.loans[(period, inst)]
        assert len(loan_rows) - 1 == len(expected)
        assert len(disposal_rows) - 1 == len(rural.disposals[(period, inst)])
        for cells, row in zip(loan_rows[1:], expected, strict=True):
            assert cells[0] == f"{month_end(period):%Y%m%d}" and cells[1] == inst
            assert cells[2] == row.loan_id and cells[6] == row.id_number
            assert re.fullmatch(r"\d+\.\d\d", cells[12]) and Decimal(cells[13]) == row.balance
            assert re.fullmatch(r"\d{8}|\d{4}-\d{2}-\d{2}", cells[10])
            assert cells[15] in (row.risk_class, str(CLASS_NAMES.index(row.risk_class) + 1))
            assert cells[16] in (("是", "Y") if row.poverty else ("否", "N"))
        total = sum((Decimal(c[6]) for c in disposal_rows[1:]), Decimal(0))
        assert total == sum((d[0] for (p, i, _), d in dataset.disposals.items() if (p, i) == (period, inst)))


def test_deterministic_and_range_independent(dataset, rebuilt, rural):
    # Byte-identical files across runs are checked with the whole landing in test_files.py.
    again = rebuilt.rural_credit
    assert again.class_sums() == rural.class_sums()
    assert again.disposals == rural.disposals and again.styles == rural.styles
    assert again.loans[(dataset.last, RURAL[0])] == rural.loans[(dataset.last, RURAL[0])]
    short = build_dataset(first="2022-04", last="2022-05").rural_credit
    for key in short.keys():
        assert short.loans[key] == rural.loans[key]
        assert short.disposals[key] == rural.disposals[key]


def test_benchmark_month(tmp_path):
    loans_path, disposals_path = write_benchmark_month(tmp_path, "2022-05", 50_000, "B1280H41061121")
    rows = _parse(loans_path.read_bytes())
    assert tuple(rows[0]) == LOAN_HEADER and len(rows) == 50_001
    assert len({r[2] for r in rows[1:]}) == 50_000
    assert all(check_identifier(r[5], r[6]) is not False for r in rows[1:2000])
    assert all(len(r) == len(LOAN_HEADER) for r in rows[1:])
    assert all(not (int(r[14]) > 90 and r[15] in ("正常", "关注")) for r in rows[1:])
    assert loans_path.name == "B1280H41061121_202205_贷款明细.csv"
    assert _parse(disposals_path.read_bytes()) == [list(DISPOSAL_HEADER)]
