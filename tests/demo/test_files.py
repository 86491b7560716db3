"""The demo landing files: layout, determinism, every spec variation, and what they contain."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from demo.__main__ import main as demo_main
from demo.files import ALL_VARIATIONS, in_unit
from demo.generator import REFERENCE_DIR, write_landing


def test_every_variation_appears_at_least_once(dataset):
    used = dataset.variations
    assert [name for name in ALL_VARIATIONS if not used.get(name)] == []
    assert set(used) <= set(ALL_VARIATIONS)


def _bank_loans(root, written):
    """The bank_loans part of what write_landing wrote (rural_credit files follow it)."""
    return [p for p in written if p.relative_to(root).parts[0] == "bank_loans"]


def test_landing_layout_and_names(dataset, landing):
    root, written = landing
    bank = _bank_loans(root, written)
    assert len(bank) == len(dataset.files)
    assert {p.relative_to(root).parts[0] for p in written} == {
        "bank_loans",
        "rural_credit",
        "platform",
        "pbc",
        "bank_programmes",
        "ledgers",
    }
    for path in bank:
        rel = path.relative_to(root)
        assert rel.parts[0] == "bank_loans" and re.fullmatch(r"\d{4}-\d{2}", rel.parts[1]), rel
        assert path.suffix in (".xlsx", ".csv")
        # 更正 and _vN mark resubmissions (docs/architecture.md); first deliveries never carry them.
        assert not re.search(r"更正|_[vV]\d", path.name), path.name
    per_folder = defaultdict(list)
    for plan in dataset.files:
        per_folder[plan.period].append(plan.relpath)
    assert all(len(v) == len(set(v)) for v in per_folder.values())


def test_written_files_are_byte_identical_across_runs(tmp_path, rebuilt, landing):
    root, written = landing
    again = write_landing(rebuilt, tmp_path)
    assert [p.relative_to(tmp_path) for p in again] == [p.relative_to(root) for p in written]
    for first, second in zip(written, again, strict=True):
        assert first.read_bytes() == second.read_bytes(), first.name


@pytest.mark.parametrize("unit", ["元", "万元", "亿元"])
@pytest.mark.parametrize("amount", ["0.01", "12345678.91", "9999999999.99", "987654321098.76"])
def test_numeric_cells_read_back_exactly(unit, amount):
    value = in_unit(Decimal(amount), unit)
    # What the ingestion does with a float cell: repr, then back to 元.
    assert Decimal(repr(float(value))) * {"元": 1, "万元": 10_000, "亿元": 100_000_000}[unit] == Decimal(
        amount
    )


def _plans_with(dataset, variation):
    return [plan for plan in dataset.files if variation in plan.variations]


def test_excel_date_and_formula_cells_are_really_there(dataset, landing):
    root, _ = landing
    plan = _plans_with(dataset, "period_excel_date")[0]
    rows = CalamineWorkbook.from_path(str(root / plan.relpath)).get_sheet_by_index(0).to_python()
    assert any(isinstance(cell, dt.date) for row in rows for cell in row)

    plan = _plans_with(dataset, "amount_formula_parents")[0]
    sheet = load_workbook(root / plan.relpath).worksheets[0]
    formulas = [
        c.value
        for row in sheet.iter_rows()
        for c in row
        if isinstance(c.value, str) and c.value.startswith("=")
    ]
    assert any(f.startswith("=SUM(") and ":" in f for f in formulas)  # 合计
    assert any(f.startswith("=SUM(") and "," in f for f in formulas)  # parent items


def test_disposal_sheet_presence_follows_the_amounts(dataset, landing):
    root, _ = landing
    for variation, expected in (("disposal_sheet", True), ("disposal_sheet_omitted", False)):
        plan = _plans_with(dataset, variation)[0]
        names = CalamineWorkbook.from_path(str(root / plan.relpath)).sheet_names
        assert ("不良贷款处置" in names) is expected


def test_csv_encodings(dataset, landing):
    root, _ = landing
    for encoding in ("utf-8", "utf-8-sig", "gb18030"):
        plan = _plans_with(dataset, f"csv_{encoding}")[0]
        data = (root / plan.relpath).read_bytes()
        assert data.startswith(b"\xef\xbb\xbf") is (encoding == "utf-8-sig")
        header = data.decode(encoding).splitlines()[0]
        assert header == "报表期,机构代码,县区代码,指标代码,口径,金额,单位"


def test_reference_data_as_the_spec_says():
    institutions = (REFERENCE_DIR / "institutions.csv").read_text(encoding="utf-8").splitlines()
    assert (
        institutions[0] == "inst_code,inst_name,inst_type,is_rural_credit,region_code,reports_from,reports_to"
    )
    rows = [line.split(",") for line in institutions[1:]]
    assert 25 <= len(rows) <= 35
    assert all(re.fullmatch(r"[A-Z0-9]{14}", r[0]) for r in rows)
    assert len({r[0] for r in rows}) == len(rows)
    rural = [r for r in rows if r[3] == "true"]
    assert len(rural) == 3 and {r[2] for r in rural} <= {"农村商业银行", "农村信用社"}
    assert all(r[3] in ("true", "false") for r in rows)
    types = {"政策性银行", "国有大型商业银行", "股份制商业银行", "城市商业银行", "农村商业银行", "农村信用社"}
    types |= {"村镇银行", "邮政储蓄银行", "外资银行", "其他"}
    assert {r[2] for r in rows} == types
    regions = (REFERENCE_DIR / "regions.csv").read_text(encoding="utf-8").splitlines()
    assert regions[0] == "region_code,region_name"
    assert {line.split(",")[0] for line in regions[1:]} == {
        "410600",
        "410602",
        "410603",
        "410611",
        "410621",
        "410622",
    }


def test_cli_writes_the_requested_months(tmp_path, capsys):
    assert (
        demo_main(
            ["generate", "--landing", str(tmp_path), "--first-period", "2022-04", "--last-period", "2022-05"]
        )
        == 0
    )
    assert sorted(p.name for p in (tmp_path / "bank_loans").iterdir()) == ["2022-04", "2022-05"]
    assert sorted(p.name for p in (tmp_path / "rural_credit").iterdir()) == ["2022-04", "2022-05"]
    assert len(list((tmp_path / "rural_credit" / "2022-05").iterdir())) == 6
    out = capsys.readouterr().out
    assert "2022-05" in out and "rural_credit" in out


def test_ingestion_reads_back_exactly_the_generator_s_numbers(tmp_path, dataset, landing):
    run = pytest.importorskip("ingestion.run")
    pq = pytest.importorskip("pyarrow.parquet")
    from finstat.settings import load_settings

    root, written = landing
    settings = load_settings(landing=root, home=tmp_path / "home", reference_dir=REFERENCE_DIR)
    report = run.ingest_landing(settings, dataset.last)
    # This test is about bank_loans; the rural_credit files have tests of their own.
    outcomes = [o for o in report.outcomes if o.source == "bank_loans"]
    rejected = [(o.file_path, o.reason) for o in outcomes if o.status != "accepted"]
    assert rejected == [] and len(outcomes) == len(_bank_loans(root, written))

    balances, totals, disposals = {}, defaultdict(Decimal), {}
    for path in sorted((settings.lake / "bank_loans").glob("period=*/*.parquet")):
        for r in pq.read_table(path).to_pylist():
            key = (r["period"], r["inst_code"])
            if r["item_code"].startswith("D"):
                disposals[(*key, r["item_code"], r["measure"])] = r["amount_yuan"]
            elif r["county_code"] == "TOTAL":
                totals[(*key, r["item_code"])] += r["amount_yuan"]
            elif r["amount_yuan"] or (*key, r["county_code"], r["item_code"]) in dataset.balances:
                balances[(*key, r["county_code"], r["item_code"])] = r["amount_yuan"]
    assert balances == dataset.balances
    for (period, inst, item), (month, ytd) in dataset.disposals.items():
        assert disposals.get((period, inst, item, "本月"), Decimal(0)) == month
        assert disposals.get((period, inst, item, "本年累计"), Decimal(0)) == ytd
    county_sums = defaultdict(Decimal)
    for (period, inst, _county, item), amount in dataset.balances.items():
        county_sums[(period, inst, item)] += amount
    # Rule 8: every Excel 合计 equals the sum of its county columns, in 元.
    assert all(county_sums[key] == total for key, total in totals.items())
    assert Path(settings.lake).is_dir()
