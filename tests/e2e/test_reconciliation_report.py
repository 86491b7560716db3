"""Rule 22 end to end: the reconciliation workbook and page of each published month, read back."""

from __future__ import annotations

from decimal import Decimal

import openpyxl
import pyarrow.parquet as pq
import pytest

from demo.pbc import DEMO_EXPLANATION, OFF_MONTH

pytestmark = pytest.mark.e2e

# Summary line -> the published indicator whose rounded value the bureau column must show.
PUBLISHED = {
    "各项贷款余额": "L01",
    "各项贷款比年初增减": "L02",
    "住户贷款余额": "L08",
    "企（事）业单位贷款余额": "L07",
    "不良贷款余额": "L10",
    "不良贷款率": "L11",
}


def _published_city(home, period):
    rows = pq.read_table(home / "published" / "official_figures.parquet").to_pylist()
    return {
        r["indicator_code"]: r["value"]
        for r in rows
        if r["period"] == period and r["region_code"] == "410600"
    }


def _workbook(home, period):
    path = home / "published" / "reports" / period / f"金融统计对账表_{period}_v1.xlsx"
    assert path.exists(), sorted((home / "published").rglob("*"))
    return openpyxl.load_workbook(path)


def _summary(book):
    sheet = book["汇总"]
    header = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "指标")
    rows = list(sheet.iter_rows(values_only=True))
    start = rows.index(header) + 1
    return {r[0]: dict(zip(header, r, strict=True)) for r in rows[start:] if r[0]}


def _two(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


@pytest.mark.parametrize("period", [OFF_MONTH, "2022-05"])
def test_bureau_column_shows_the_published_figures(demo_run, period):
    published = _published_city(demo_run["home"], period)
    summary = _summary(_workbook(demo_run["home"], period))
    for measure, code in PUBLISHED.items():
        assert _two(summary[measure]["地方金融监管局"]) == published[code], (period, measure)
    for line in summary.values():
        bureau, pbc = line["地方金融监管局"], line["人民银行市分行"]
        assert _two(line["差额"]) == (Decimal(str(bureau)) - Decimal(str(pbc))).quantize(
            Decimal("0.01")
        ) or abs(_two(line["差额"]) - (Decimal(str(bureau)) - Decimal(str(pbc)))) <= Decimal("0.01")


def test_the_difference_is_reported_explained_and_does_not_block(demo_run):
    assert demo_run["codes"] == [0, 0, 0]  # March is published although rule 22 fails
    summary = _summary(_workbook(demo_run["home"], OFF_MONTH))
    outside = {m for m, line in summary.items() if line["是否在容差内"] == "否"}
    assert outside == {"各项贷款余额", "各项贷款比年初增减", "各项贷款同比增长"}
    for measure in outside:
        assert summary[measure]["说明"] == DEMO_EXPLANATION
    assert all(line["说明"] is None for m, line in summary.items() if m not in outside)
    may = _summary(_workbook(demo_run["home"], "2022-05"))
    assert {line["是否在容差内"] for line in may.values()} == {"是"}


def test_institution_detail_adds_up_to_the_city(demo_run):
    published = _published_city(demo_run["home"], "2022-05")
    sheet = _workbook(demo_run["home"], "2022-05")["机构明细"]
    rows = list(sheet.iter_rows(values_only=True))
    total = next(r for r in rows if r[0] == "合计")
    assert _two(total[3]) == published["L01"] and _two(total[6]) == published["L10"]
    institutions = [r for r in rows[1:] if r[1]]
    assert len(institutions) == 30


def test_page_is_self_contained_with_the_trend_chart(demo_run):
    page = demo_run["home"] / "published" / "reports" / OFF_MONTH / f"金融统计对账表_{OFF_MONTH}_v1.html"
    text = page.read_text(encoding="utf-8")
    assert "<svg" in text and DEMO_EXPLANATION in text
    assert "http://" not in text and "https://" not in text


def test_release_note_of_each_published_month(demo_run):
    published = _published_city(demo_run["home"], "2022-05")
    note = (demo_run["home"] / "published" / "reports" / "2022-05" / "发布说明_2022-05_v1.md").read_text(
        encoding="utf-8"
    )
    assert f"| L01 | 各项贷款余额 | {published['L01']:.2f} | 亿元 |" in note
    assert f"| P03 | 平台上线金融产品数 | {published['P03']:.0f} | 支 |" in note
    march = (
        demo_run["home"] / "published" / "reports" / OFF_MONTH / f"发布说明_{OFF_MONTH}_v1.md"
    ).read_text(encoding="utf-8")
    assert f"- 规则 22：{DEMO_EXPLANATION}" in march
