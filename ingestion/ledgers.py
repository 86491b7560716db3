"""Source ledgers: the bureau's own Excel ledgers (局内台账), one workbook per kind -> one sparse lake table each."""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

import pyarrow as pa
from python_calamine import CalamineWorkbook

from ingestion.calamine_guard import calamine_panics, check_sheet_extents
from ingestion.errors import FileRejected
from ingestion.landing_files import LandedFile
from ingestion.ledger_cells import enumeration, to_count, to_date, to_flag, to_text, to_yuan
from ingestion.ledger_sheets import Column, Row, SheetReader, SheetSpec, find_sheet
from ingestion.ledger_tables import DOCUMENTS, LAKE_TABLES, LISTING, MATCHMAKING
from ingestion.pseudonym import borrower_keys, name_keys
from ingestion.source import LakeTable, ReadContext, Senders, Source
from ingestion.xlsx_errors import error_cells

# The bureau sends its own ledgers: this stands in the log and lake paths where other sources have
# the institution code (like the platform's PLATFORM).
SENDER = "BUREAU"
# <ledger>_<YYYYMM>, then anything not starting with a digit (a marker such as _v2 or 更正), .xlsx.
_FILE_NAME = re.compile(
    r"^(?P<kind>银企对接台账|上市后备企业台账|监管文书台账)_(?P<year>\d{4})(?P<month>0[1-9]|1[0-2])"
    r"(?P<rest>(?![0-9])[^.]*)\.xlsx$",
    re.IGNORECASE,
)
NAME_HINT = (
    "文件名应为 银企对接台账_<YYYYMM>.xlsx、上市后备企业台账_<YYYYMM>.xlsx 或 监管文书台账_<YYYYMM>.xlsx"
    "（更正报送可加 _v2 或 更正）"
)

STAGES = ("培育", "股改完成", "辅导备案", "已申报", "已过会", "已上市")
FORMS = ("线上", "线下")
SERVICE_TYPES = ("培训", "走访", "协调解决问题")
TARGET_TYPES = ("小额贷款公司", "融资担保公司", "典当行", "其他")
DOC_TYPES = ("整改通知书", "风险提示函", "其他")

# Placeholders for the personal columns: read in clear, turned into keys before the rows leave.
_USCC, _NAME = "uscc", "name"


def _code(value: object) -> str | None:
    """An institution code as the register writes it (upper case)."""
    text = to_text(value)
    return text.upper() if text is not None else None


def _text(header: str, field: str, required: bool = False) -> Column:
    return Column(header, field, to_text, required)


def _date(header: str, field: str, required: bool = False) -> Column:
    return Column(header, field, to_date, required)


def _money(header: str, field: str) -> Column:
    return Column(header, field, to_yuan, error_rule=5)


def _count(header: str, field: str) -> Column:
    return Column(header, field, to_count, error_rule=5)


def _enum(header: str, field: str, values: tuple[str, ...], required: bool = False) -> Column:
    return Column(header, field, enumeration(values), required, note="/".join(values))


def _flag(header: str, field: str) -> Column:
    return Column(header, field, to_flag, note="是/否")


_USCC_COLUMN = _text("统一社会信用代码", _USCC)
_NAME_COLUMN = _text("企业名称", _NAME)
_COUNTY = _text("县区代码", "county_code")

# Each workbook's sheets and columns as extracts.md section 6 lists them; required = the sheet's
# key and the dates its figures filter by (the contract's list), and 阶段.
SHEETS: dict[str, tuple[SheetSpec, ...]] = {
    MATCHMAKING: (
        SheetSpec("对接活动", (
            _text("活动编号", "activity_id", required=True),
            _date("活动日期", "activity_date", required=True),
            _text("活动名称", "activity_name"),
            _enum("形式", "activity_form", FORMS),
            _text("类别", "activity_category"),
            _count("参与金融机构数", "inst_count"),
            _count("参与企业数", "enterprise_count"),
        )),
        SheetSpec("走访企业", (
            _text("走访编号", "visit_id", required=True),
            _date("走访日期", "visit_date", required=True),
            # Required here: M02 counts the distinct codes, so a visit without one would go uncounted.
            _text("统一社会信用代码", _USCC, required=True),
            _NAME_COLUMN,
            _COUNTY,
            _count("反映问题数", "problems_reported"),
            _count("已解决问题数", "problems_solved"),
        )),
        SheetSpec("推介项目", (
            _text("项目编号", "project_id", required=True),
            _text("批次", "batch"),
            _date("推介日期", "recommended_date", required=True),
            _text("项目名称", "project_name"),
            _USCC_COLUMN,
            _COUNTY,
            _money("融资需求(万元)", "demand_yuan"),
            _text("项目类别", "project_category"),
        )),
        SheetSpec("授信跟踪", (
            _text("项目编号", "project_id", required=True),
            Column("机构代码", "inst_code_ref", _code, required=True),
            _money("授信金额(万元)", "credit_yuan"),
            _date("授信日期", "credit_date", required=True),
            _money("放款金额(万元)", "disbursed_yuan"),
            _date("放款日期", "disbursed_date"),
        )),
        SheetSpec("签约", (
            _text("活动编号", "activity_id", required=True),
            _text("项目编号", "project_id", required=True),
            Column("机构代码", "inst_code_ref", _code, required=True),
            _money("意向金额(万元)", "intent_yuan"),
            _flag("是否签约", "signed"),
            _money("签约金额(万元)", "signed_yuan"),
            _date("签约日期", "signed_date"),
        )),
    ),
    LISTING: (
        SheetSpec("后备企业", (
            _text("企业编号", "enterprise_id", required=True),
            _NAME_COLUMN,
            _USCC_COLUMN,
            _COUNTY,
            _flag("重点企业", "is_key"),
            _date("入库日期", "entered_date", required=True),
            _date("出库日期", "exited_date"),
            _enum("阶段", "stage", STAGES, required=True),
            _date("阶段日期", "stage_date", required=True),
            _text("拟上市板块", "target_board"),
        )),
        SheetSpec("服务记录", (
            _date("日期", "service_date", required=True),
            _text("企业编号", "enterprise_id", required=True),
            _enum("类型", "service_type", SERVICE_TYPES, required=True),
            _count("户次", "attendances"),
            _count("解决问题数", "problems_solved"),
        )),
    ),
    DOCUMENTS: (
        SheetSpec("文书", (
            _text("文号", "doc_no", required=True),
            _date("下发日期", "issued_date", required=True),
            _text("对象名称", "target_name"),
            _enum("对象类型", "target_type", TARGET_TYPES),
            _enum("文书类型", "doc_type", DOC_TYPES),
        )),
    ),
}  # fmt: skip


def parse_file_name(name: str) -> tuple[str, str] | None:
    """(workbook kind, YYYY-MM) of a ledger file name, None when it is not one."""
    match = _FILE_NAME.match(PurePosixPath(name).name)
    if match is None:
        return None
    return match["kind"], f"{match['year']}-{match['month']}"


def _body_schema(schema: pa.Schema) -> pa.Schema:
    """What a workbook's body fills in: all but the lineage constants the lake writer adds."""
    constants = {"source_file", "file_sha256", "revision", "ingested_at"}
    return pa.schema([field for field in schema if field.name not in constants])


class LedgerWorkbook:
    """One ledger workbook: its sheets found and read on open; body() validates every row."""

    def __init__(self, path: Path, file_ref: str, key: bytes) -> None:
        self._file = file_ref
        self._key = key
        named = parse_file_name(path.name)
        if named is None:
            raise FileRejected(1, NAME_HINT, file_ref)
        self.kind, self.period = named
        # A ledger states its month only in its name; rule 2 compares it with the folder.
        self.inst_code = SENDER
        self.inst_at = self.period_at = (None, None, None)
        try:
            workbook = CalamineWorkbook.from_path(str(path))
            names = list(workbook.sheet_names)
        except Exception as exc:  # calamine raises several types (zip, xml, io); all mean unreadable
            raise FileRejected(1, f"无法读取 Excel 文件（{type(exc).__name__}）", file_ref) from exc
        check_sheet_extents(path, file_ref)  # before calamine builds any sheet's grid
        errors = error_cells(path)
        self._readers: list[SheetReader] = []
        for spec in SHEETS[self.kind]:
            sheet = find_sheet(names, spec.name)
            if sheet is None:
                shown = "、".join(names) or "无"
                raise FileRejected(
                    1, f"{self.kind}缺少工作表（现有工作表：{shown}）", file_ref, sheet=spec.name
                )
            try:
                with calamine_panics():
                    grid = workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
            except Exception as exc:  # any calamine failure means the sheet is unreadable
                raise FileRejected(
                    1, f"无法读取工作表（{type(exc).__name__}）", file_ref, sheet=sheet
                ) from exc
            self._readers.append(SheetReader(spec, sheet, grid, errors.get(sheet, {}), file_ref))

    def body(self) -> pa.Table:
        """The lake rows of every sheet (lineage constants left to the writer); raise FileRejected (1, 5)."""
        read: list[tuple[str, Row]] = [(r.spec.name, row) for r in self._readers for row in r.rows()]
        schema = _body_schema(LAKE_TABLES[self.kind][1])
        n = len(read)
        columns: dict[str, list] = {name: [None] * n for name in schema.names}
        columns["period"] = [self.period] * n
        columns["inst_code"] = [SENDER] * n
        columns["sheet"] = [sheet for sheet, _ in read]
        columns["row_number"] = [row.number for _, row in read]
        for i, (_, row) in enumerate(read):
            for field, value in row.values.items():
                if field in columns:
                    columns[field][i] = value
        if "uscc_key" in columns:
            codes = [row.values.get(_USCC) for _, row in read]
            columns["uscc_key"], columns["uscc_check_ok"] = self._uscc_keys(codes)
        if "name_key" in columns:
            columns["name_key"] = self._name_keys([row.values.get(_NAME) for _, row in read])
        return pa.table(columns, schema=schema)

    def _uscc_keys(self, codes: list[str | None]) -> tuple[list, list]:
        """The platform's key and GB 32100 verdict for each code (NULL where the cell is empty)."""
        present = [i for i, code in enumerate(codes) if code is not None]
        keys: list = [None] * len(codes)
        verdicts: list = [None] * len(codes)
        if present:
            values = pa.array([codes[i] for i in present], pa.string())
            kinds = pa.repeat(pa.scalar("统一社会信用代码"), len(present))
            found, ok = borrower_keys(self._key, kinds, values)
            for i, k, v in zip(present, found.to_pylist(), ok.to_pylist(), strict=True):
                keys[i], verdicts[i] = k, v
        return keys, verdicts

    def _name_keys(self, names: list[str | None]) -> list:
        present = [i for i, name in enumerate(names) if name is not None]
        keys: list = [None] * len(names)
        if present:
            found = name_keys(self._key, pa.array([names[i] for i in present], pa.string()))
            for i, k in zip(present, found.to_pylist(), strict=True):
                keys[i] = k
        return keys


def _open(landed: LandedFile, context: ReadContext) -> LedgerWorkbook:
    assert context.key is not None
    return LedgerWorkbook(landed.path, landed.file_path, context.key)


SOURCE = Source(
    name="ledgers",
    title="局内台账 the bureau's own ledgers (matchmaking, listing pipeline, supervisory documents)",
    suffixes=(".xlsx",),
    tables=tuple(LakeTable(name, schema, kind) for kind, (name, schema) in LAKE_TABLES.items()),
    open=_open,
    read_body=LedgerWorkbook.body,
    name_pattern=_FILE_NAME,
    senders=Senders.OUTSIDE,
    personal_data=True,
    sender_label="金融局",
)
# 银企对接台账, 上市后备企业台账 or 监管文书台账 (the workbook a file name gives), else ''.
kind_of = SOURCE.kind_of
