"""Text that a spreadsheet would run (= + - @) stays text in every export: CSV, workbook, HTML, Markdown."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import html
from decimal import Decimal

import openpyxl
import pyarrow as pa
import pytest

from finstat.publication import schema
from finstat.publication.publish import _write_csv, publish_period
from finstat.reference import City
from finstat.textcells import FORMULA_TRIGGERS, safe_text
from reports import workbook as workbook_module
from reports.html import render_html
from reports.model import GateLine, ReconciliationReport
from reports.release_note import release_note
from reports.workbook import write_workbook
from tests.reports.test_reconciliation import INSTITUTIONS, LINES, _inst, _trend

CITY_CODE = "410600"

INJECTED = ('=HYPERLINK("http://x","y")', "+1", "-2", "@SUM(A1)", "\t=1+1", "\r=1+1")
PERIOD = "2022-05"


def test_one_rule_for_every_spreadsheet_export():
    """reports/workbook.py uses the shared rule, not a copy of it."""
    assert workbook_module.safe_text is safe_text
    assert [safe_text(t) for t in INJECTED] == ["'" + t for t in INJECTED]
    assert safe_text("鹤壁市") == "鹤壁市" and safe_text("A=1") == "A=1" and safe_text("") == ""
    assert FORMULA_TRIGGERS == ("=", "+", "-", "@", "\t", "\r")


def _figures(names: tuple[str, ...]) -> pa.Table:
    stamp = dt.datetime(2022, 6, 10, 2, 0, tzinfo=dt.UTC)
    rows = [
        {
            "period": PERIOD,
            "indicator_code": f"L{i:02d}",
            "indicator_name": name,
            "region_code": CITY_CODE,
            "region_name": names[-1 - i],
            # Negative values are legitimate (比年初增减): a number, never quote-prefixed.
            "value": Decimal(f"-{i}.2500"),
            "unit": "亿元",
            "version": 1,
            "published_at": stamp,
        }
        for i, name in enumerate(names)
    ]
    return pa.Table.from_pylist(rows, schema=schema.FIGURES)


def _csv_rows(path) -> list[dict]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(raw.decode("utf-8-sig").splitlines(keepends=True)))


def test_published_csv_quotes_text_cells_and_keeps_numbers(tmp_path):
    path = tmp_path / "official_figures.csv"
    _write_csv(_figures(INJECTED), path)
    rows = _csv_rows(path)
    assert [r["indicator_name"] for r in rows] == ["'" + t for t in INJECTED]
    assert [r["region_name"] for r in rows] == ["'" + t for t in reversed(INJECTED)]
    assert [r["value"] for r in rows] == [f"-{i}.2500" for i in range(len(INJECTED))]
    assert {r["period"] for r in rows} == {PERIOD} and {r["version"] for r in rows} == {"1"}
    for row in rows:  # nothing a spreadsheet would evaluate, except the numbers
        for column, value in row.items():
            assert column == "value" or not value.startswith(FORMULA_TRIGGERS), (column, value)


def _publish(published, names: tuple[str, ...], ack: dict | None = None) -> None:
    base = {"region_code": CITY_CODE, "unit": "亿元"}
    candidates = [
        {
            **base,
            "indicator_code": f"L{i:02d}",
            "indicator_name": name,
            "region_name": "+1",
            "value": Decimal(f"-{i}.25"),
        }
        for i, name in enumerate(names)
    ]
    publish_period(
        published,
        PERIOD,
        candidates,
        acknowledgements=[ack] if ack else None,
        run_id="r1",
        now=dt.datetime(2022, 6, 10, 2, 0, tzinfo=dt.UTC),
    )


def test_publication_writes_the_quoted_csv(tmp_path):
    """The same through publish_period, the way official_figures.csv is really produced."""
    published = tmp_path / "published"
    _publish(published, INJECTED)
    rows = _csv_rows(published / schema.CURRENT_CSV)
    assert sorted(r["indicator_name"] for r in rows) == sorted("'" + t for t in INJECTED)
    assert {r["region_name"] for r in rows} == {"'+1"}
    assert sorted(r["value"] for r in rows) == sorted(f"-{i}.2500" for i in range(len(INJECTED)))


@pytest.fixture
def report() -> ReconciliationReport:
    institutions = (
        *INSTITUTIONS[:2],
        _inst("农村信用社", "R0009", INJECTED[0], "1.0000", "0.5000", "0.5000", "0.0100"),
        _inst(INJECTED[1], "R0010", INJECTED[3], "2.0000", "1.0000", "1.0000", "0.0200"),
    )
    lines = (dataclasses.replace(LINES[0], explanation=INJECTED[2]), *LINES[1:])
    gate = (
        GateLine(11, "warn", INJECTED[3], False, 2, INJECTED[0]),
        GateLine(12, "error", "元/万元单位混用", True, 0, None),
    )
    return ReconciliationReport(
        period="2024-05",
        version=1,
        published_at=dt.datetime(2024, 6, 12, 7, 30, tzinfo=dt.UTC),
        city_name=INJECTED[2],
        lines=lines,
        institutions=institutions,
        gate=gate,
        trend=_trend(),
    )


def test_reconciliation_workbook_keeps_injected_names_as_quoted_text(tmp_path, report):
    book = openpyxl.load_workbook(write_workbook(report, tmp_path / "对账表.xlsx"))
    texts = {}
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate)
                if isinstance(cell.value, str):
                    texts.setdefault(cell.value, []).append(cell.data_type)
                    assert not cell.value.startswith(FORMULA_TRIGGERS), (sheet.title, cell.coordinate)
        assert not sheet._hyperlinks
    for text in (INJECTED[0], INJECTED[1], INJECTED[2], INJECTED[3]):
        assert texts.get("'" + text), text  # present, quoted, as a string cell
        assert set(texts["'" + text]) == {"s"}
    # Amounts are still numbers, negative ones included (差额 of the first line).
    assert any(isinstance(c.value, float) and c.value < 0 for r in book["汇总"].iter_rows() for c in r)


def test_reconciliation_html_shows_the_text_escaped_and_inert(report):
    page = render_html(report)
    # HTML never evaluates a cell: the text shows as written, escaped, each in its own cell
    # (the institution type, the explanation, the gate rule's title, the acknowledgement).
    for text in INJECTED[:4]:
        assert f"<td>{html.escape(text, quote=True)}</td>" in page, text
    assert "<td>=HYPERLINK(&quot;http://x&quot;,&quot;y&quot;)</td>" in page
    assert "<a " not in page and "href" not in page


def test_release_note_keeps_the_names_as_table_text(tmp_path):
    published = tmp_path / "published"
    ack = {"period": PERIOD, "rule": 11, "reason": INJECTED[2], "acknowledged_by": INJECTED[3]}
    _publish(published, INJECTED[:4], ack)
    note = release_note(published, PERIOD, 1, City(CITY_CODE, "测试市"))
    for i, name in enumerate(INJECTED[:4]):
        # Inside a table cell, verbatim: Markdown has no formulas, and a cell cannot start a line.
        assert f"| L{i:02d} | {name} | -{i}.25 | 亿元 |" in note
    assert f"- 规则 11：{INJECTED[2]}（{INJECTED[3]}）" in note
    assert not [line for line in note.splitlines() if line.startswith(INJECTED[:4])]
