"""The demo for another city: Hebi's numbers under Anyang's codes and names, and each city's reference files."""

from __future__ import annotations

import csv
import dataclasses
import io
import re
import zipfile
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pytest
from openpyxl import load_workbook

from demo.__main__ import main as demo_main
from demo.city import ANYANG, HEBI, REFERENCE_DIR, write_reference
from demo.generator import build_dataset
from demo.pbc import branch_rows
from tests.e2e.expected_figures import expected_city_figures, expected_county_figures
from tests.e2e.expected_platform import expected_platform_figures
from tests.e2e.expected_rural import expected_rural_figures

# Hebi's names and the local names the Hebi demo uses; none may show in another city's files.
HEBI_WORDS = ("鹤壁", "淇滨", "浚县", "淇县", "山城", "鹤山", "黎阳", "朝歌")
SCANNED = ("2022-04", "2022-05")


@pytest.fixture(scope="module")
def anyang(dataset):
    """Anyang over the same months as the session's Hebi build (a build costs the same for any range)."""
    return build_dataset(dataset.first, dataset.last, city=ANYANG)


@pytest.fixture(scope="module")
def anyang_landing(tmp_path_factory):
    """Two months of Anyang files and its reference files, written by the command line."""
    root = tmp_path_factory.mktemp("anyang")
    code = demo_main(
        [
            "generate",
            "--city",
            "anyang",
            "--first-period",
            SCANNED[0],
            "--last-period",
            SCANNED[-1],
            "--landing",
            str(root / "landing"),
            "--reference",
            str(root / "reference"),
        ]
    )
    assert code == 0
    return root


def _slot(code: str) -> str:
    """Hebi's code for an Anyang institution or region code."""
    return ANYANG.slot_inst(code) if len(code) == 14 else ANYANG.slot_region(code)


# ---------------------------------------------------------------------------------------------
# Reference files
# ---------------------------------------------------------------------------------------------
def test_shipped_reference_files_are_hebis(tmp_path):
    written = write_reference(HEBI, tmp_path)
    assert sorted(p.name for p in written) == ["institutions.csv", "poverty_households.csv", "regions.csv"]
    for path in written:
        assert path.read_bytes() == (REFERENCE_DIR / path.name).read_bytes(), path.name


def test_anyang_reference_files(anyang_landing):
    folder = anyang_landing / "reference"
    with open(folder / "regions.csv", encoding="utf-8", newline="") as fh:
        regions = {r["region_code"]: r["region_name"] for r in csv.DictReader(fh)}
    assert regions == {
        "410500": "安阳市",
        "410502": "文峰区",
        "410503": "北关区",
        "410505": "殷都区",
        "410506": "龙安区",
        "410522": "安阳县",
    }
    with open(folder / "institutions.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    with open(REFERENCE_DIR / "institutions.csv", encoding="utf-8", newline="") as fh:
        hebi = list(csv.DictReader(fh))
    assert [_slot(r["inst_code"]) for r in rows] == [r["inst_code"] for r in hebi]
    assert {r["region_code"] for r in rows} <= set(regions)
    names = {r["inst_code"]: r["inst_name"] for r in rows}
    assert names["B1280H41050521"] == "安阳殷都农村商业银行股份有限公司"
    assert names["B0006H41050001"] == "中国农业发展银行安阳市分行"
    assert len(set(names.values())) == len(rows)
    assert not [n for n in names.values() if any(w in n for w in HEBI_WORDS)]
    for a, h in zip(rows, hebi, strict=True):
        same = ("inst_type", "is_rural_credit", "reports_from", "reports_to")
        assert [a[c] for c in same] == [h[c] for c in same]
    with open(folder / "poverty_households.csv", encoding="utf-8", newline="") as fh:
        poverty = list(csv.DictReader(fh))
    with open(REFERENCE_DIR / "poverty_households.csv", encoding="utf-8", newline="") as fh:
        hebi_poverty = list(csv.DictReader(fh))
    # The county rows under Anyang's codes, never the city's; the households are Hebi's.
    assert {r["region_code"] for r in poverty} == set(regions) - {"410500"}
    assert [{**r, "region_code": _slot(r["region_code"])} for r in poverty] == hebi_poverty


# ---------------------------------------------------------------------------------------------
# The same numbers under Anyang's codes
# ---------------------------------------------------------------------------------------------
def test_bank_loans_numbers_are_hebis(dataset, anyang):
    assert anyang.city is ANYANG and dataset.city is HEBI
    assert anyang.regions == ANYANG.regions
    balances = {(p, _slot(i), _slot(c), item): v for (p, i, c, item), v in anyang.balances.items()}
    assert balances == dataset.balances
    disposals = {(p, _slot(i), item): v for (p, i, item), v in anyang.disposals.items()}
    assert disposals == dataset.disposals
    assert [
        dataclasses.replace(i, code=_slot(i.code), name="", region_code=_slot(i.region_code))
        for i in anyang.institutions
    ] == [dataclasses.replace(i, name="") for i in dataset.institutions]
    for period in dataset.periods:
        assert branch_rows(anyang, period) == branch_rows(dataset, period), period


def test_expected_figures_are_hebis_relabelled(dataset, anyang):
    """The e2e truth helpers give Anyang Hebi's figures, region for region."""
    for period in ("2022-03", "2022-05"):
        assert expected_city_figures(anyang, period) == expected_city_figures(dataset, period)
        county = {(code, _slot(r)): v for (code, r), v in expected_county_figures(anyang, period).items()}
        assert county == expected_county_figures(dataset, period)
        rural = {
            (code, _slot(r)): v
            for (code, r), v in expected_rural_figures(anyang.rural_credit, period, ANYANG).items()
        }
        assert rural == expected_rural_figures(dataset.rural_credit, period)
        platform = {
            (code, _slot(r)): v
            for (code, r), v in expected_platform_figures(anyang.platform.snapshot(period), ANYANG).items()
        }
        assert platform == expected_platform_figures(dataset.platform.snapshot(period))


def _place_map() -> list[tuple[str, str]]:
    """(Anyang place, Hebi place) pairs, longest first, for the names firms and shops take."""
    pairs = {}
    for a, h in zip(ANYANG.counties, HEBI.counties, strict=True):
        pairs.update(
            zip((*a.places, *a.platform_places, a.name), (*h.places, *h.platform_places, h.name), strict=True)
        )
    return sorted(pairs.items(), key=lambda pair: -len(pair[0]))


PLACES = _place_map()


def _hebi_name(name: str) -> str:
    """A firm's or shop's Anyang name with its place prefix back in Hebi."""
    for mine, hebi in PLACES:
        if name.startswith(mine):
            return hebi + name[len(mine) :]
    return name


def _hebi_id(id_type: str, number: str) -> str:
    """An Anyang ID number with Hebi's region part (the check character aside)."""
    if id_type == "身份证":
        return _slot(number[:6]) + number[6:17]
    if id_type == "统一社会信用代码":
        return number[:2] + _slot(number[2:8]) + number[8:17]
    return number


def test_rural_credit_loans_are_hebis(dataset, anyang):
    hebi, mine = dataset.rural_credit, anyang.rural_credit
    assert [_slot(i) for i in mine.institutions] == hebi.institutions
    assert mine.periods == hebi.periods
    for period in ("2021-12", "2022-05"):
        for inst in mine.institutions:
            key = (period, _slot(inst))
            rows = mine.loans[(period, inst)]
            assert len(rows) == len(hebi.loans[key])
            for a, h in zip(rows, hebi.loans[key], strict=True):
                assert a.inst_code == inst and _slot(a.county_code) == h.county_code
                assert (
                    _hebi_id(a.id_type, a.id_number) == h.id_number[: len(_hebi_id(a.id_type, a.id_number))]
                )
                name = a.customer_name if a.customer_type == "个人" else _hebi_name(a.customer_name)
                assert name == h.customer_name
                mapped = ("inst_code", "county_code", "id_number", "customer_name")
                assert dataclasses.replace(a, **{f: None for f in mapped}) == dataclasses.replace(
                    h, **{f: None for f in mapped}
                )
    for (period, inst), events in mine.disposals.items():
        relabelled = [dataclasses.replace(e, inst_code=_slot(e.inst_code)) for e in events]
        assert relabelled == hebi.disposals[(period, _slot(inst))]
    assert {(p, _slot(i)): s for (p, i), s in mine.styles.items()} == hebi.styles


def test_bank_programmes_are_hebis(dataset, anyang):
    hebi, mine = dataset.programmes, anyang.programmes
    assert {(p, _slot(i), _slot(c), item): v for (p, i, c, item), v in mine.values.items()} == hebi.values

    def slotted(plan):
        options = tuple(
            (k, tuple(map(_slot, v)) if k in ("columns", "counties") else v) for k, v in plan.options
        )
        return plan.period, _slot(plan.inst_code), plan.fmt, options, plan.variations

    assert [slotted(p) for p in mine.files] == [
        (p.period, p.inst_code, p.fmt, p.options, p.variations) for p in hebi.files
    ]


def test_platform_records_are_hebis(dataset, anyang):
    hebi, mine = dataset.platform.snapshot("2022-05"), anyang.platform.snapshot("2022-05")
    assert len(mine.enterprises) == len(hebi.enterprises)
    for a, h in zip(mine.enterprises, hebi.enterprises, strict=True):
        assert _slot(a.county_code) == h.county_code and _hebi_name(a.name) == h.name
        assert _hebi_id("统一社会信用代码", a.uscc) == h.uscc[:17]
        assert dataclasses.replace(a, county_code="", name="", uscc="") == dataclasses.replace(
            h, county_code="", name="", uscc=""
        )
    for a, h in zip(mine.products, hebi.products, strict=True):
        assert a.name == ANYANG.inst_name(h.name)
        assert dataclasses.replace(a, inst_code=_slot(a.inst_code), name="") == dataclasses.replace(
            h, name=""
        )
    assert len(mine.products) == len(hebi.products)
    assert [dataclasses.replace(r, inst_code=_slot(r.inst_code)) for r in mine.requests] == hebi.requests


def test_file_plans_are_hebis(dataset, anyang):
    """Same formats and variations file for file; the names and county columns are Anyang's."""
    assert len(anyang.files) == len(dataset.files)
    for a, h in zip(anyang.files, dataset.files, strict=True):
        inst, hebi_inst = anyang.institution(a.inst_code), dataset.institution(h.inst_code)
        assert (a.period, _slot(a.inst_code), a.fmt, a.variations) == (
            h.period,
            h.inst_code,
            h.fmt,
            h.variations,
        )
        name = Path(h.relpath).name.replace(hebi_inst.name, inst.name).replace(hebi_inst.code, inst.code)
        assert a.relpath == str(Path(h.relpath).with_name(name))
        options = dict(a.options)
        for key in ("columns", "counties"):
            if key in options:
                options[key] = tuple(_slot(c) for c in options[key])
        assert options == dict(h.options)


# ---------------------------------------------------------------------------------------------
# Nothing of Hebi in Anyang's landing files
# ---------------------------------------------------------------------------------------------
def _hebi_words(text: str) -> list[str]:
    return [w for w in HEBI_WORDS if w in text]


def _is_number(text: str) -> bool:
    try:
        Decimal(text.replace(",", ""))
    except InvalidOperation:
        return False
    return True


def _xlsx_codes(path: Path) -> set[str]:
    """Henan region codes (41xxxx: headers, info cells, institution codes) in a workbook's text cells."""
    codes = set()
    for sheet in load_workbook(path, read_only=True).worksheets:
        for row in sheet.iter_rows(values_only=True):
            for cell in row:
                if isinstance(cell, str) and not _is_number(cell):
                    codes |= set(re.findall(r"(?<![0-9])(41\d{4})(?![0-9])", cell))
                    codes |= {m[6:12] for m in re.findall(r"[A-Z]\d{4}H\d{8}", cell)}
    return codes


def _csv_rows(path: Path, encodings=("utf-8-sig", "gb18030")) -> tuple[str, list[dict[str, str]]]:
    for encoding in encodings:
        try:
            text = path.read_bytes().decode(encoding)
        except UnicodeDecodeError:
            continue
        return text, list(csv.DictReader(io.StringIO(text)))
    raise AssertionError(f"{path}: not decodable")


def _row_regions(row: dict[str, str]) -> set[str]:
    """The region parts of a CSV row's codes: institution, county, ID numbers of either kind."""
    out = set()
    if row.get("机构代码"):
        out.add(row["机构代码"][6:12])
    if row.get("县区代码"):
        out.add(row["县区代码"])
    uscc = row.get("统一社会信用代码") or (
        row.get("证件号码") if row.get("证件类型") == "统一社会信用代码" else None
    )
    if uscc:
        out.add(uscc[2:8])
    if row.get("证件类型") == "身份证":
        out.add(row["证件号码"][:6])
    return out


def test_anyang_landing_has_no_hebi_code_or_name(anyang_landing):
    landing = anyang_landing / "landing"
    paths = sorted(p for p in landing.rglob("*") if p.is_file())
    assert {p.relative_to(landing).parts[0] for p in paths} == {
        "bank_loans",
        "rural_credit",
        "platform",
        "pbc",
        "bank_programmes",
        "ledgers",
    }
    assert {p.parent.name for p in paths} == set(SCANNED)
    allowed = set(ANYANG.regions)
    seen: set[str] = set()  # every code found, so a scan that reads nothing cannot pass
    for path in paths:
        source = path.relative_to(landing).parts[0]
        assert "4106" not in path.name and not _hebi_words(path.name), path
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as book:
                for member in book.namelist():
                    text = book.read(member).decode("utf-8", errors="replace")
                    assert not _hebi_words(text), (path, member, _hebi_words(text))
            codes = _xlsx_codes(path)
            assert codes <= allowed, (path, codes - allowed)
            seen |= codes
            if source == "pbc":
                assert "安阳市" in str(
                    [c for row in load_workbook(path).active.iter_rows(values_only=True) for c in row]
                )
            continue
        encodings = ("gb18030",) if source == "rural_credit" else ("utf-8-sig", "gb18030")
        text, rows = _csv_rows(path, encodings)
        assert not _hebi_words(text), (path, _hebi_words(text))
        regions = set().union(*(_row_regions(r) for r in rows)) if rows else set()
        assert regions <= allowed, (path, regions - allowed)
        seen |= regions
    assert seen == allowed
