"""Broken files (truncated, wrong encoding, empty, header only, header repeated): rule 1 or 5, isolated."""

from __future__ import annotations

import zipfile
from decimal import Decimal

import pyarrow.parquet as pq
import pytest

from finstat.items import BALANCE_ITEMS, PROGRAMME_ITEMS, PROGRAMME_QUANTITIES
from ingestion.platform import COLUMNS as PLATFORM_COLUMNS
from ingestion.platform import KINDS
from ingestion.run import ingest_landing
from ingestion.rural_credit import DISPOSAL_COLUMNS, LOAN_COLUMNS
from tests.ingestion.builders import CSV_HEADER, Workbook, csv_rows, write_csv, write_workbook
from tests.ingestion.platform_builders import platform_bytes, snapshot_name
from tests.ingestion.programme_builders import (
    ProgrammeWorkbook,
    programme_csv_rows,
    write_programme_csv,
    write_programme_workbook,
)
from tests.ingestion.rural_builders import (
    OTHER_RURAL,
    RURAL,
    csv_bytes,
    disposal_row,
    disposals_name,
    loan_row,
    loans_name,
)
from tests.ingestion.test_pbc import write_workbook as write_pbc_workbook
from tests.reliability.harness import (
    MONTH,
    PBC_NAME,
    PLATFORM_ROWS,
    assert_rejected,
    folder,
    make_settings,
    run_month,
)

# --- case 1: a valid workbook cut short ----------------------------------------------------------


def _central_directory_offset(data: bytes) -> int:
    """Where the zip's central directory starts: every member's data lies before it."""
    return data.rindex(b"PK\x01\x02", 0, data.rindex(b"PK\x05\x06"))


CUTS = {
    "first_tenth": lambda data: len(data) // 10,
    "half": lambda data: len(data) // 2,
    "members_whole_directory_gone": _central_directory_offset,
    "last_byte_missing": lambda data: len(data) - 1,
}


@pytest.mark.parametrize("cut", sorted(CUTS))
@pytest.mark.parametrize("source", ["bank_loans", "pbc", "bank_programmes"])
def test_truncated_workbook_is_rule_1_naming_the_file(tmp_path, source, cut):
    settings = make_settings(tmp_path)
    if source == "bank_loans":
        path = write_workbook(folder(settings, source) / "cut.xlsx")
    elif source == "bank_programmes":
        path = write_programme_workbook(folder(settings, source) / "cut.xlsx")
    else:
        path = write_pbc_workbook(settings, name=f"0_{PBC_NAME}")
    data = path.read_bytes()
    path.write_bytes(data[: CUTS[cut](data)])
    with pytest.raises(zipfile.BadZipFile):  # the cut really broke the workbook
        zipfile.ZipFile(path)
    outcome = run_month(settings, source, path)
    assert_rejected(outcome, 1, path.name, "无法读取 Excel 文件", "文件被截断")
    assert outcome.inst_code is None


# --- case 3: the wrong encoding -------------------------------------------------------------------


def _rural_loans(**kw) -> bytes:
    return csv_bytes(LOAN_COLUMNS, [loan_row(), loan_row(借据号="JJ0002", **kw)])


ENCODINGS = [
    # (source, file name, bytes, fragments)
    (
        "rural_credit",
        loans_name(),
        csv_bytes(LOAN_COLUMNS, [loan_row()], encoding="utf-8"),
        ("第 1 行", "文件编码应为 GB18030，实际为 UTF-8"),
    ),
    (
        "rural_credit",
        loans_name(),
        b"\xef\xbb\xbf" + csv_bytes(LOAN_COLUMNS, [loan_row()], encoding="utf-8"),
        ("第 1 行", "实际为带 BOM 的 UTF-8"),
    ),
    (
        "rural_credit",
        loans_name(),
        # "Café" typed in latin-1: é (0xE9) then a comma is no GB18030 character.
        _rural_loans(客户名称="@@").replace(b"@@", b"Caf\xe9"),
        ("第 3 行", "该行不是有效的 GB18030 编码"),
    ),
    (
        "platform",
        snapshot_name("入驻企业"),
        platform_bytes("入驻企业", [PLATFORM_ROWS["入驻企业"]()], encoding="gb18030"),
        ("第 1 行", "文件编码应为 UTF-8，实际为 GB18030"),
    ),
    (
        "platform",
        snapshot_name("入驻企业"),
        platform_bytes(
            "入驻企业", [PLATFORM_ROWS["入驻企业"](), PLATFORM_ROWS["入驻企业"](企业ID="QY2", 行业代码="@@")]
        ).replace(b"@@", b"Caf\xe9"),
        ("第 3 行", "该行不是有效的 UTF-8 编码"),
    ),
]


@pytest.mark.parametrize(("source", "name", "data", "fragments"), ENCODINGS, ids=[
    "rural_utf8", "rural_utf8_bom", "rural_latin1_row", "platform_gb18030", "platform_latin1_row",
])  # fmt: skip
def test_wrong_encoding_is_rule_1_with_the_row(tmp_path, source, name, data, fragments):
    settings = make_settings(tmp_path)
    path = folder(settings, source) / name
    path.write_bytes(data)
    assert_rejected(run_month(settings, source, path), 1, name, *fragments)


def test_bank_csv_latin1_bytes_are_rule_1_with_the_row(tmp_path):
    settings = make_settings(tmp_path)
    rows = csv_rows()
    rows[6][4] = "@@"
    path = write_csv(folder(settings, "bank_loans") / "bank.csv", rows)
    # 0xFF is neither UTF-8 nor GB18030; the row (line 8) is named.
    path.write_bytes(path.read_bytes().replace(b"@@", b"\xff\xfe"))
    outcome = run_month(settings, "bank_loans", path)
    assert_rejected(outcome, 1, "bank.csv", "第 8 行", "文件编码既不是 UTF-8 也不是 GB18030")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_bank_csv_takes_both_contract_encodings_with_the_same_amounts(tmp_path, encoding):
    """The reverse case does not exist for bank_loans: its contract accepts UTF-8 and GB18030."""
    settings = make_settings(tmp_path)
    write_csv(folder(settings, "bank_loans") / "bank.csv", encoding=encoding)
    (outcome,) = ingest_landing(settings, MONTH).outcomes
    assert outcome.status == "accepted", outcome.reason
    (lake,) = settings.lake.glob("bank_loans/period=*/*.parquet")
    # 万元 text in the file, 元 in the lake: the same Decimal whichever encoding carried it.
    expected = {(r[2], r[3], r[4], Decimal(r[5]) * 10000) for r in csv_rows()}
    stored = {
        (r["county_code"], r["item_code"], r["measure"], r["amount_yuan"])
        for r in pq.read_table(lake).to_pylist()
    }
    assert stored == expected


# --- case 5: empty and header-only files ----------------------------------------------------------


def _empty(settings, source, name):
    path = folder(settings, source) / name
    path.write_bytes(b"")
    return path


EMPTY = [
    ("bank_loans", "bank.csv", "文件为空"),
    ("bank_loans", "bank.xlsx", "无法读取 Excel 文件"),
    ("rural_credit", loans_name(), "文件为空"),
    ("rural_credit", disposals_name(OTHER_RURAL), "文件为空"),
    *[("platform", snapshot_name(kind), "文件为空") for kind in KINDS],
    ("pbc", f"0_{PBC_NAME}", "无法读取 Excel 文件"),
    ("bank_programmes", "programmes.csv", "文件为空"),
    ("bank_programmes", "programmes.xlsx", "无法读取 Excel 文件"),
]


@pytest.mark.parametrize(("source", "name", "fragment"), EMPTY)
def test_zero_byte_file_is_rule_1(tmp_path, source, name, fragment):
    settings = make_settings(tmp_path)
    path = _empty(settings, source, name)
    kind = next((k for k in KINDS if name.startswith(k)), None)
    assert_rejected(run_month(settings, source, path, hostile_kind=kind), 1, name, fragment)


def _header_only(settings, source, name):
    path = folder(settings, source) / name
    if source == "bank_loans" and name.endswith(".csv"):
        return write_csv(path, rows=[])
    if source == "bank_loans":
        # Title, info line and the header row, then nothing (every item dropped, no footer).
        layout = Workbook(drop_items=tuple(BALANCE_ITEMS), footer=False, disposal_sheet=None)
        return write_workbook(path, layout)
    if source == "bank_programmes" and name.endswith(".csv"):
        return write_programme_csv(path, rows=[])
    if source == "bank_programmes":
        # Title, info line and the header row, then nothing but the footer.
        every_row = tuple((item, quantity) for item in PROGRAMME_ITEMS for quantity in PROGRAMME_QUANTITIES)
        return write_programme_workbook(path, ProgrammeWorkbook(drop=every_row))
    if source == "pbc":
        return write_pbc_workbook(settings, rows=[], name=name)
    if source == "rural_credit":
        path.write_bytes(csv_bytes(LOAN_COLUMNS, []))
    else:
        path.write_bytes(platform_bytes(next(k for k in KINDS if name.startswith(k)), []))
    return path


SENDERS = {"rural_credit": RURAL, "platform": "PLATFORM"}
HEADER_ONLY = [
    ("bank_loans", "bank.csv", ("文件没有数据行",)),
    ("bank_loans", "bank.xlsx", ("工作表 贷款余额", "缺少指标 A01、A02")),
    ("rural_credit", loans_name(), ("贷款明细只有表头、没有数据行",)),
    *[("platform", snapshot_name(kind), ("快照只有表头、没有数据行",)) for kind in KINDS],
    ("pbc", f"0_{PBC_NAME}", ("工作表 金融统计", "缺少指标行：各项贷款")),
    ("bank_programmes", "programmes.csv", ("文件没有数据行",)),
    ("bank_programmes", "programmes.xlsx", ("工作表 专项统计", "缺少指标 F01 户数、F01 金额")),
]


@pytest.mark.parametrize(("source", "name", "fragments"), HEADER_ONLY)
def test_header_only_file_is_rule_1(tmp_path, source, name, fragments):
    settings = make_settings(tmp_path)
    path = _header_only(settings, source, name)
    kind = next((k for k in KINDS if name.startswith(k)), None)
    outcome = run_month(settings, source, path, hostile_kind=kind)
    assert_rejected(outcome, 1, name, *fragments)
    if source in SENDERS:
        # Rejected after the header was read: the log says whose file it was, so a good file sent
        # again later resolves the rejection in the gate.
        assert (outcome.inst_code, outcome.period) == (SENDERS[source], MONTH)


def test_header_only_disposals_file_is_accepted_as_the_contract_says(tmp_path):
    """The one exception: a month without disposal events is a header-only 不良处置 file."""
    settings = make_settings(tmp_path)
    path = folder(settings, "rural_credit") / disposals_name(OTHER_RURAL)
    path.write_bytes(csv_bytes(DISPOSAL_COLUMNS, []))
    (only,) = ingest_landing(settings, MONTH, source="rural_credit").outcomes
    assert (only.status, only.row_count, only.inst_code) == ("accepted", 0, OTHER_RURAL)


# --- case 9: the header row repeated in the middle of a CSV ---------------------------------------


def _bank_repeated(settings):
    rows = csv_rows()
    rows.insert(10, list(CSV_HEADER))  # data line 12 (header = line 1)
    return write_csv(folder(settings, "bank_loans") / "bank.csv", rows), 12


def _rural_repeated(settings, kind):
    columns, row, name = (
        (LOAN_COLUMNS, loan_row, loans_name())
        if kind == "贷款明细"
        else (DISPOSAL_COLUMNS, lambda: disposal_row(机构代码=OTHER_RURAL), disposals_name(OTHER_RURAL))
    )
    path = folder(settings, "rural_credit") / name
    path.write_bytes(csv_bytes(columns, [row(), dict(zip(columns, columns, strict=True)), row()]))
    return path, 3


def _platform_repeated(settings, kind):
    columns = PLATFORM_COLUMNS[kind]
    path = folder(settings, "platform") / snapshot_name(kind)
    path.write_bytes(platform_bytes(kind, [PLATFORM_ROWS[kind](), dict(zip(columns, columns, strict=True))]))
    return path, 3


def _programmes_repeated(settings):
    rows = programme_csv_rows()
    rows.insert(10, ["报表期", "机构代码", "县区代码", "指标代码", "计量", "数值", "单位"])  # data line 12
    return write_programme_csv(folder(settings, "bank_programmes") / "programmes.csv", rows), 12


REPEATED = {
    "bank_loans": ("bank_loans", _bank_repeated),
    "bank_programmes": ("bank_programmes", _programmes_repeated),
    "rural_贷款明细": ("rural_credit", lambda s: _rural_repeated(s, "贷款明细")),
    "rural_不良处置": ("rural_credit", lambda s: _rural_repeated(s, "不良处置")),
    **{f"platform_{kind}": ("platform", lambda s, k=kind: _platform_repeated(s, k)) for kind in KINDS},
}


@pytest.mark.parametrize("case", sorted(REPEATED))
def test_header_repeated_mid_file_is_rejected_naming_its_row(tmp_path, case):
    settings = make_settings(tmp_path)
    source, write = REPEATED[case]
    path, line = write(settings)
    kind = next((k for k in KINDS if path.name.startswith(k)), None)
    outcome = run_month(settings, source, path, hostile_kind=kind)
    # The repeated header is a row whose values are column names: rule 1 (a date, code or enum
    # column) or rule 5 (an amount column), whichever column comes first; always its row.
    assert outcome.status == "rejected" and outcome.rule in (1, 5), outcome.reason
    assert_rejected(outcome, outcome.rule, path.name, f"第 {line} 行, 列 ")
