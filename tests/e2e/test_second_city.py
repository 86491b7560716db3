"""A second city end to end: Anyang's demo and reference files publish Hebi's figures under Anyang's codes.

finstat serves any city's bureau from its reference files alone (spec/extracts.md, reference data).
The Anyang demo is Hebi's data relabelled (demo/city.py), so every published figure must be the
Hebi truth of the expected_* helpers with the regions mapped, and nothing published may name Hebi.
One real run of the job (`finstat run --month 2022-05`), shared by the module.
"""

from __future__ import annotations

import html
import os
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import duckdb
import openpyxl
import pyarrow.parquet as pq
import pytest

from demo.bank_programmes import load_poverty_households
from demo.city import ANYANG, HEBI, write_reference
from demo.generator import build_dataset, build_rural_credit, write_landing
from finstat.publication.publish import latest_versions, read_history, read_publications
from tests.demo_warehouse import use_locations
from tests.e2e.expected_figures import expected_city_figures, expected_county_figures
from tests.e2e.expected_ledgers import expected_ledger_figures
from tests.e2e.expected_platform import expected_platform_figures
from tests.e2e.expected_programme import expected_programme_figures
from tests.e2e.expected_rural import expected_rural_figures

pytestmark = pytest.mark.e2e

MONTH = "2022-05"
FIRST = "2021-01"
# Hebi's city and county names and the local names of its demo: none may be published for Anyang.
HEBI_WORDS = (HEBI.name, HEBI.short, *(c.name for c in HEBI.counties), "淇滨", "山城", "鹤山")
# A Hebi region code standing alone (in text, JSON, a cell), not six digits inside a longer token.
HEBI_CODE = re.compile(r"(?<![0-9A-Za-z])4106\d\d(?![0-9A-Za-z])")
LOCATIONS = ("FINSTAT_LANDING", "FINSTAT_HOME", "DAGSTER_HOME", "FINSTAT_REFERENCE_DIR")
# Reconciliation summary line -> the published city figure its bureau column shows.
RECONCILED = {
    "各项贷款余额": "L01",
    "各项贷款比年初增减": "L02",
    "住户贷款余额": "L08",
    "企（事）业单位贷款余额": "L07",
    "不良贷款余额": "L10",
    "不良贷款率": "L11",
}


@pytest.fixture(scope="module")
def anyang_run(tmp_path_factory):
    """Anyang's landing 2021-01..2022-05 and reference files, and one `finstat run --month 2022-05`."""
    from orchestration.cli import main

    root = tmp_path_factory.mktemp("anyang")
    landing, home, reference = root / "landing", root / "warehouse", root / "reference"
    write_landing(build_dataset(FIRST, MONTH, city=ANYANG), landing)
    write_reference(ANYANG, reference)
    saved = {key: os.environ.get(key) for key in LOCATIONS}
    use_locations(landing, home)
    os.environ["FINSTAT_REFERENCE_DIR"] = str(reference)
    try:
        code = main(["--landing", str(landing), "--home", str(home), "run", "--month", MONTH])
    finally:
        # The other modules of this worker run against the shipped (Hebi) reference files.
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return {"code": code, "home": home, "landing": landing, "published": (home / "published").resolve()}


def _current(published: Path) -> list[dict]:
    return [r for r in latest_versions(read_history(published)).to_pylist() if r["period"] == MONTH]


def _hebi_truth(demo_dataset) -> dict[tuple[str, str], Decimal]:
    """Every figure the Hebi pipeline publishes for May 2022 (test_demo_pipeline), from the generator."""
    city = {(code, HEBI.code): v for code, v in expected_city_figures(demo_dataset, MONTH).items()}
    return {
        **city,
        **expected_county_figures(demo_dataset, MONTH),
        **expected_rural_figures(build_rural_credit(demo_dataset), MONTH),
        **expected_platform_figures(demo_dataset.platform.snapshot(MONTH)),
        **expected_programme_figures(demo_dataset.programmes, MONTH, load_poverty_households()),
    }


@pytest.fixture(scope="module")
def expected(demo_dataset, anyang_run) -> dict[tuple[str, str], Decimal]:
    """Hebi's truth with each region moved to its Anyang slot, and the city's ledger figures read from
    Anyang's own workbooks (their names are Anyang's; the reader knows no city)."""
    hebi = {(code, ANYANG.region(region)): v for (code, region), v in _hebi_truth(demo_dataset).items()}
    ledgers = expected_ledger_figures(anyang_run["landing"], MONTH)
    return {**hebi, **{(code, ANYANG.code): v for code, v in ledgers.items()}}


def test_the_month_is_published(anyang_run):
    assert anyang_run["code"] == 0
    published = anyang_run["published"]
    records = read_publications(published).to_pylist()
    assert [(r["period"], r["version"]) for r in records] == [(MONTH, 1)]
    assert {r["period"] for r in latest_versions(read_history(published)).to_pylist()} == {MONTH}


def test_every_city_and_county_figure_is_published(anyang_run, expected):
    """A figure the city should have but finstat left out (or one it made up) fails here."""
    published = {(r["indicator_code"], r["region_code"]) for r in _current(anyang_run["published"])}
    assert sorted(set(expected) - published) == [], "expected but not published"
    assert sorted(published - set(expected)) == [], "published but not expected"


def test_every_figure_is_hebis_relabelled(anyang_run, expected):
    rows = _current(anyang_run["published"])
    published = {(r["indicator_code"], r["region_code"]): r["value"] for r in rows}
    wrong = {
        key: (published[key], value) for key, value in expected.items() if published.get(key, value) != value
    }
    assert wrong == {}
    names = {r["region_code"]: r["region_name"] for r in rows}
    assert {code: name for code, name in names.items() if ANYANG.regions.get(code) != name} == {}


# ---------------------------------------------------------------------------------------------
# Nothing published names Hebi
# ---------------------------------------------------------------------------------------------
def _hebi_in(text: str) -> list[str]:
    """Hebi's names and region codes found in a text."""
    return [w for w in HEBI_WORDS if w in text] + HEBI_CODE.findall(text)


def _parquet_texts(path: Path) -> list[str]:
    table = pq.read_table(path)
    return [v for column in table.columns for v in column.to_pylist() if isinstance(v, str)]


def _duckdb_texts(path: Path) -> list[str]:
    """Every text value of every table of the BI database (and the table and column names)."""
    out = []
    with duckdb.connect(str(path), read_only=True) as con:
        columns = con.execute(
            "select table_schema, table_name, column_name, data_type from information_schema.columns"
        ).fetchall()
        for schema, table, column, data_type in columns:
            out += [table, column]
            if data_type.startswith(("VARCHAR", "JSON")):
                values = con.execute(f'select "{column}" from "{schema}"."{table}"').fetchall()
                out += [v for (v,) in values if v is not None]
    return out


def _xlsx_texts(path: Path) -> list[str]:
    """Sheet titles, every cell, and every XML part (shared strings, charts and their titles, properties)."""
    book = openpyxl.load_workbook(path)
    out = list(book.sheetnames)
    for sheet in book.worksheets:
        out += [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    with zipfile.ZipFile(path) as archive:
        for member in archive.namelist():
            if member.endswith((".xml", ".rels")):
                out.append(archive.read(member).decode("utf-8"))
    return out


def _texts(path: Path) -> list[str]:
    if path.suffix == ".parquet":
        return _parquet_texts(path)
    if path.suffix == ".duckdb":
        return _duckdb_texts(path)
    if path.suffix == ".xlsx":
        return _xlsx_texts(path)
    data = path.read_bytes()
    try:
        return [data.decode("utf-8-sig")]
    except UnicodeDecodeError:
        return []  # a binary file of a kind not listed above: nothing for a person to read


def test_nothing_published_names_hebi(anyang_run):
    published = anyang_run["published"]
    files = sorted(p for p in published.rglob("*") if p.is_file())
    kinds = {p.suffix for p in files}
    assert {".parquet", ".csv", ".duckdb", ".xlsx", ".html", ".md"} <= kinds, kinds
    found = {}
    for path in files:
        hits = sorted({hit for text in [path.name, *_texts(path)] for hit in _hebi_in(text)})
        if hits:
            found[str(path.relative_to(published))] = hits
    assert found == {}


# ---------------------------------------------------------------------------------------------
# The reports of the month
# ---------------------------------------------------------------------------------------------
def _report(anyang_run, name: str) -> Path:
    path = anyang_run["published"] / "reports" / MONTH / name
    assert path.exists(), sorted(p.name for p in path.parent.glob("*"))
    return path


def _city_current(anyang_run) -> dict[str, Decimal]:
    return {
        r["indicator_code"]: r["value"]
        for r in _current(anyang_run["published"])
        if r["region_code"] == ANYANG.code
    }


def test_reconciliation_title_names_the_city(anyang_run):
    book = openpyxl.load_workbook(_report(anyang_run, f"金融统计对账表_{MONTH}_v1.xlsx"))
    title = book["汇总"].cell(1, 1).value
    assert title.startswith(ANYANG.name), title
    page = _report(anyang_run, f"金融统计对账表_{MONTH}_v1.html").read_text(encoding="utf-8")
    assert f"<h1>{ANYANG.name}" in page


def test_reconciliation_compares_the_city_with_the_branch(anyang_run):
    """Rule 22's summary holds the city's figures (the branch's workbook names 安阳市 too)."""
    city = _city_current(anyang_run)
    book = openpyxl.load_workbook(_report(anyang_run, f"金融统计对账表_{MONTH}_v1.xlsx"))
    rows = list(book["汇总"].iter_rows(values_only=True))
    header = next(r for r in rows if r[0] == "指标")
    summary = {r[0]: dict(zip(header, r, strict=True)) for r in rows[rows.index(header) + 1 :] if r[0]}
    shown = {
        m: Decimal(str(summary[m]["地方金融监管局"])).quantize(Decimal("0.01"))
        for m in RECONCILED
        if m in summary
    }
    assert shown == {m: city[code] for m, code in RECONCILED.items()}
    assert {line["是否在容差内"] for line in summary.values()} == {"是"}  # May has no unexplained gap
    total = next(r for r in book["机构明细"].iter_rows(values_only=True) if r[0] == "合计")
    assert Decimal(str(total[3])).quantize(Decimal("0.01")) == city["L01"]


def _chart_series_cells(path: Path) -> list[list[object]]:
    """For each series of each chart of a workbook, the values of the cells it plots."""
    book = openpyxl.load_workbook(path)
    out = []
    with zipfile.ZipFile(path) as archive:
        charts = [m for m in archive.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", m)]
        for member in charts:
            xml = archive.read(member).decode("utf-8")
            for ref in re.findall(r"<c:val>\s*<c:numRef>\s*<c:f>([^<]+)</c:f>", xml):
                sheet, cells = html.unescape(ref).rsplit("!", 1)
                ws = book[sheet.strip("'")]
                out.append([c.value for row in ws[cells.replace("$", "")] for c in row])
    return out


def test_trend_chart_has_the_published_month(anyang_run):
    """The page's chart (and the workbook's, if it has one) plots L01 and L11 of May."""
    city = _city_current(anyang_run)
    page = _report(anyang_run, f"金融统计对账表_{MONTH}_v1.html").read_text(encoding="utf-8")
    points = {
        key: re.findall(rf'<circle class="pt pt-{key}"[^>]*><title>([^<]*)</title>', page)
        for key in ("loans", "npl")
    }
    # One published month: one marker per series, titled with May's published value.
    assert len(points["loans"]) == 1 and f"{city['L01']:,.2f}" in points["loans"][0], points
    assert len(points["npl"]) == 1 and f"{city['L11']:,.2f}" in points["npl"][0], points
    for values in _chart_series_cells(_report(anyang_run, f"金融统计对账表_{MONTH}_v1.xlsx")):
        assert values and values[-1] not in (None, ""), values  # the last month is the published one


def test_release_note_lists_every_city_figure(anyang_run, expected):
    note = _report(anyang_run, f"发布说明_{MONTH}_v1.md").read_text(encoding="utf-8")
    assert note.startswith(f"# {ANYANG.name}"), note.splitlines()[0]
    rows = {
        cells[0]: cells[2]
        for line in note.splitlines()
        if re.match(r"\| [LRPVHMSG]\d\d \|", line)
        for cells in [[c.strip() for c in line.strip("|").split("|")]]
    }
    city_codes = {code for code, region in expected if region == ANYANG.code}
    assert set(rows) == city_codes
    assert [code for code, value in rows.items() if value in ("", "—")] == []
