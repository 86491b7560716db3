"""Source rural_credit: 农信系统 loan-level CSVs (贷款明细, 不良处置) -> validated, pseudonymised Arrow tables."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import pyarrow as pa
import pyarrow.compute as pc

from ingestion.column_checks import Check, ColumnChecks
from ingestion.csv_table import CsvStream, CsvTable
from ingestion.errors import FileRejected
from ingestion.lake import LINEAGE, Lineage, StagedLakeFile, lake_file
from ingestion.landing_files import LandedFile
from ingestion.numbers import ZERO_MARKS
from ingestion.pseudonym import borrower_keys, name_keys
from ingestion.register import Reference
from ingestion.source import LakeTable, ReadContext, Senders, Source

LOANS, DISPOSALS = "贷款明细", "不良处置"

# <inst_code>_<YYYYMM>_<kind>, then anything (a resubmission marker such as _v2 or 更正), then .csv.
_FILE_NAME = re.compile(
    r"^(?P<inst>[0-9A-Za-z]{14})_(?P<year>\d{4})(?P<month>0[1-9]|1[0-2])_(?P<kind>贷款明细|不良处置)(?P<rest>[^.]*)\.csv$",
    re.IGNORECASE,
)
NAME_HINT = "文件名应为 <机构代码>_<YYYYMM>_贷款明细.csv 或 <机构代码>_<YYYYMM>_不良处置.csv（更正报送可加 _v2 或 更正）"

DATA_DATE, INST, LOAN_ID, CUSTOMER_NO, NAME, ID_TYPE, ID_NO, CUSTOMER_TYPE = (
    "数据日期", "机构代码", "借据号", "客户号", "客户名称", "证件类型", "证件号码", "客户类型",
)  # fmt: skip
COUNTY, INDUSTRY, ISSUE_DATE, MATURITY_DATE, ISSUED, BALANCE, OVERDUE, RISK_CLASS = (
    "县区代码", "行业代码", "发放日期", "到期日期", "发放金额", "贷款余额", "逾期天数", "五级分类",
)  # fmt: skip
POVERTY, INCLUSIVE, AGRI = "脱贫人口小额信贷标志", "普惠小微标志", "涉农标志"
DISPOSAL_ID, DISPOSAL_DATE, METHOD, PRINCIPAL, INTEREST = (
    "处置编号",
    "处置日期",
    "处置方式",
    "处置本金",
    "处置利息",
)

LOAN_COLUMNS = (
    DATA_DATE, INST, LOAN_ID, CUSTOMER_NO, NAME, ID_TYPE, ID_NO, CUSTOMER_TYPE, COUNTY, INDUSTRY,
    ISSUE_DATE, MATURITY_DATE, ISSUED, BALANCE, OVERDUE, RISK_CLASS, POVERTY, INCLUSIVE, AGRI,
)  # fmt: skip
DISPOSAL_COLUMNS = (DATA_DATE, INST, DISPOSAL_ID, LOAN_ID, DISPOSAL_DATE, METHOD, PRINCIPAL, INTEREST)
# Personal data: never quoted in a message, never written (docs/architecture.md "Pseudonymisation").
PII_COLUMNS = frozenset({NAME, ID_NO})

ID_TYPES = ("身份证", "统一社会信用代码", "其他")
CUSTOMER_TYPES = ("个人", "个体工商户", "企业")
RISK_CLASSES = ("正常", "关注", "次级", "可疑", "损失")
METHODS = ("现金清收", "核销", "转让", "资产证券化", "以物抵债", "上调", "其他")
FLAG_TEXT = ("是", "否", "Y", "N")

MONEY = pa.decimal128(20, 2)
# Column order and types: docs/architecture.md ("Lake table rural_credit_loans / _disposals").
LOANS_SCHEMA = pa.schema(
    [
        ("period", pa.string()),
        ("data_date", pa.date32()),
        ("inst_code", pa.string()),
        ("loan_id", pa.string()),
        ("customer_no", pa.string()),
        ("name_key", pa.string()),
        ("id_type", pa.string()),
        ("borrower_key", pa.string()),
        ("id_check_ok", pa.bool_()),
        ("customer_type", pa.string()),
        ("county_code", pa.string()),
        ("industry_code", pa.string()),
        ("issue_date", pa.date32()),
        ("maturity_date", pa.date32()),
        ("issued_amount_yuan", MONEY),
        ("balance_yuan", MONEY),
        ("overdue_days", pa.int32()),
        ("risk_class", pa.string()),
        ("risk_item", pa.string()),
        ("poverty_flag", pa.bool_()),
        ("inclusive_flag", pa.bool_()),
        ("agri_flag", pa.bool_()),
        *LINEAGE,
    ]
)
DISPOSALS_SCHEMA = pa.schema(
    [
        ("period", pa.string()),
        ("data_date", pa.date32()),
        ("inst_code", pa.string()),
        ("disposal_id", pa.string()),
        ("loan_id", pa.string()),
        ("disposal_date", pa.date32()),
        ("method_name", pa.string()),
        ("method_item", pa.string()),
        ("principal_yuan", MONEY),
        ("interest_yuan", MONEY),
        *LINEAGE,
    ]
)
LAKE_TABLES = {
    LOANS: ("rural_credit_loans", LOANS_SCHEMA),
    DISPOSALS: ("rural_credit_disposals", DISPOSALS_SCHEMA),
}

# Rows validated, pseudonymised and written at a time: memory stays flat whatever the month's size,
# and each chunk is one row group of the lake file, which DuckDB reads in parallel.
CHUNK_ROWS = 500_000

_DATE_FORM = r"^\d{4}-\d{2}-\d{2}$|^\d{8}$"
# 元 with at most two decimals and at most 18 integer digits (DECIMAL(20,2)); thousands separators
# only in proper groups of three. A sign is let through so a negative gets its own message.
_MONEY_FORM = r"^[+-]?(?:\d{1,3}(?:,\d{3}){1,5}|\d{1,18})(?:\.\d{1,2})?$"


@dataclass(frozen=True)
class FileName:
    inst_code: str
    period: str
    kind: str


def parse_file_name(name: str) -> FileName | None:
    match = _FILE_NAME.match(PurePosixPath(name).name)
    if match is None:
        return None
    return FileName(match["inst"].upper(), f"{match['year']}-{match['month']}", match["kind"])


def _parse_dates(text: pa.Array) -> pa.Array:
    """DATE per row for YYYYMMDD or YYYY-MM-DD, NULL when the text is not a real calendar date."""
    # A month of loans holds a few thousand distinct dates: parse each once, then map back.
    encoded = pc.dictionary_encode(text)
    values = encoded.dictionary
    digits = pc.replace_substring(values, "-", "")
    parsed = pc.strptime(digits, format="%Y%m%d", unit="s", error_is_null=True)
    # strptime rolls 20220231 over to March 3rd: a round trip keeps only real dates.
    real = pc.and_kleene(
        pc.match_substring_regex(values, _DATE_FORM),
        pc.equal(pc.strftime(parsed, format="%Y%m%d"), digits),
    )
    # Year 0 is no calendar year: Arrow takes it, Python's date (every reader of the lake) cannot.
    real = pc.and_kleene(real, pc.invert(pc.starts_with(digits, "0000")))
    dates = pc.if_else(pc.fill_null(real, False), pc.cast(parsed, pa.date32()), pa.scalar(None, pa.date32()))
    return pc.take(dates, encoded.indices)


def _last_day(date: dt.date) -> dt.date:
    return date.replace(day=calendar.monthrange(date.year, date.month)[1])


class RuralCreditFile(ColumnChecks):
    """One 贷款明细 or 不良处置 file: its first chunk read on open, every chunk validated and staged by stage()."""

    pii_columns = PII_COLUMNS

    def __init__(self, path: Path, file_ref: str, reference: Reference, key: bytes) -> None:
        self._file = file_ref
        self._reference = reference
        self._key = key
        name = parse_file_name(path.name)
        if name is None:
            raise FileRejected(1, NAME_HINT, file_ref)
        self._name = name
        self.kind = name.kind
        columns = LOAN_COLUMNS if name.kind == LOANS else DISPOSAL_COLUMNS
        self._chunks = CsvStream(path, file_ref, columns).chunks(CHUNK_ROWS)
        # The first chunk says who sent the file for which month; the rest is read by stage().
        self._use(next(self._chunks))
        if self._table.num_rows == 0:
            # A month without disposals is a header-only file: who and when come from the name.
            self.inst_code, self.period = name.inst_code, name.period
            self.inst_at = self.period_at = (None, None, None)
            self._data_date = _last_day(dt.date.fromisoformat(f"{name.period}-01"))
            return
        first = int(self._rows[0])
        self.inst_code = self._table.column(INST)[0].as_py().upper()
        self.inst_at = (None, first, INST)
        self.period_at = (None, first, DATA_DATE)
        date = _parse_dates(self._col(DATA_DATE).slice(0, 1))[0].as_py()
        if date is None:
            raise FileRejected(
                1, f"数据日期 {self._shown(DATA_DATE, 0)} 不是有效日期", file_ref, None, first, DATA_DATE
            )
        self._data_date = date
        self.period = f"{date.year:04d}-{date.month:02d}"

    def _use(self, chunk: CsvTable) -> None:
        """Make `chunk` the rows the checks look at (row numbers stay physical lines of the file)."""
        self._table, self._rows = chunk.table, chunk.row_numbers

    def check_header(self) -> None:
        """After the folder month and the register: the file name must name the content (rules 3, 2)."""
        if self._name.inst_code != self.inst_code:
            raise FileRejected(
                3, f"文件名中的机构代码 {self._name.inst_code} 与文件内容的 {self.inst_code} 不一致",
                self._file, *self.inst_at,
            )  # fmt: skip
        if self._name.period != self.period:
            raise FileRejected(
                2, f"文件名中的月份 {self._name.period} 与数据日期所在月份 {self.period} 不一致",
                self._file, *self.period_at,
            )  # fmt: skip
        if self._data_date != _last_day(self._data_date):
            raise FileRejected(
                2, f"数据日期 {self._data_date:%Y%m%d} 不是 {self.period} 的月末日（应为 "
                f"{_last_day(self._data_date):%Y%m%d}）", self._file, *self.period_at,
            )  # fmt: skip

    # --- body: every row, vectorised ------------------------------------------------------------

    def _date(self, column: str, checks: list[Check]) -> pa.Array:
        dates = _parse_dates(self._col(column))
        checks.append(
            Check(
                column, pc.is_null(dates), 1, lambda v: f"{column} {v} 不是有效日期（YYYYMMDD 或 YYYY-MM-DD）"
            )
        )
        return dates

    def _money(self, column: str, checks: list[Check]) -> pa.Array:
        text = self._col(column)
        zero = pc.is_in(text, value_set=pa.array(sorted(ZERO_MARKS)))
        form = pc.or_(zero, pc.match_substring_regex(text, _MONEY_FORM))
        usable = pc.if_else(form, pc.if_else(zero, "0", pc.replace_substring(text, ",", "")), "0")
        amounts = pc.cast(usable, MONEY)
        checks.append(
            Check(column, pc.invert(form), 5, lambda v: f"{column} {v} 不是金额（元，最多两位小数）")
        )
        checks.append(
            Check(column, pc.less(amounts, pa.scalar(0, MONEY)), 5, lambda v: f"{column} {v} 为负数")
        )
        # "-0" passes as zero; storing it as 0.00 keeps the sign out of the lake.
        return pc.abs(amounts)

    def _same_header(self, checks: list[Check], data_dates: pa.Array) -> None:
        inst = pc.utf8_upper(self._col(INST))
        checks.append(
            Check(
                INST,
                pc.not_equal(inst, self.inst_code),
                1,
                lambda v: f"机构代码 {v} 与文件首行的 {self.inst_code} 不一致（一个文件只能报一家机构）",
            )
        )
        other_day = pc.fill_null(pc.not_equal(data_dates, pa.scalar(self._data_date, pa.date32())), False)
        checks.append(
            Check(
                DATA_DATE,
                other_day,
                2,
                lambda v: f"数据日期 {v} 与文件首行的 {self._data_date:%Y%m%d} 不一致",
            )
        )

    def stage(self, lake_root: Path, lineage: Lineage) -> StagedLakeFile:
        """Validate and pseudonymise every chunk into a staged lake file; raise FileRejected (rules 1, 2, 5).

        The first offending row of the file is the one named, as every chunk before it passed. A
        rejected file leaves nothing in the lake: the staged file is discarded.
        """
        table_name, schema = LAKE_TABLES[self.kind]
        target = lake_file(lake_root, self.period, self.inst_code, lineage.file_sha256, table_name)
        staged = StagedLakeFile(target, schema)
        try:
            for rows in self._validated_chunks():
                staged.write(pa.table({**rows, **lineage.columns(len(rows["period"]))}, schema=schema))
        except BaseException:
            staged.discard()
            raise
        return staged

    def body(self) -> pa.Table:
        """The whole file's lake rows in memory (lineage except row_number left to the writer).

        For small files and the fuzzer, which read the body as the ingestion loop did before staging.
        """
        schema = LAKE_TABLES[self.kind][1]
        tables = []
        for rows in self._validated_chunks():
            fields = [f for f in schema if f.name in rows]
            tables.append(pa.table({f.name: rows[f.name] for f in fields}, schema=pa.schema(fields)))
        return pa.concat_tables(tables)

    def _validated_chunks(self) -> Iterator[dict[str, pa.Array]]:
        """The lake columns of each chunk in file order; raise FileRejected at the file's first bad row."""
        if self.kind == LOANS and self._table.num_rows == 0:
            # Unlike a month without disposals, an institution always has loans outstanding: an
            # empty detail is a failed export. Raised here, after open, so the log names the sender.
            raise FileRejected(1, "贷款明细只有表头、没有数据行（应每笔月末在贷款一行）", self._file)
        while True:
            yield self._chunk_rows()
            chunk = next(self._chunks, None)
            if chunk is None:
                break
            self._use(chunk)
        # The clear name and ID columns go with the reader; nothing below holds them.
        self._table = self._table.drop_columns([c for c in PII_COLUMNS if c in self._table.column_names])

    def _chunk_rows(self) -> dict[str, pa.Array]:
        """The current chunk's lake columns (all but the lineage constants); raise on its first bad row."""
        checks: list[Check] = []
        data_dates = self._date(DATA_DATE, checks)
        self._same_header(checks, data_dates)
        n = self._table.num_rows
        head = {
            "period": pa.repeat(pa.scalar(self.period), n),
            "data_date": data_dates,
            "inst_code": pa.repeat(pa.scalar(self.inst_code), n),
        }
        if self.kind == LOANS:
            build, order = self._loans(checks), LOAN_COLUMNS
        else:
            build, order = self._disposals(checks), DISPOSAL_COLUMNS
        self.raise_first(checks, order)
        # Only once every check passed is it worth hashing a million names.
        return {**head, **build(), "row_number": pa.array(self._rows, pa.int32())}

    def _loans(self, checks: list[Check]) -> Callable[[], dict[str, pa.Array]]:
        """Add the loan checks; return what builds the lake columns once they all passed."""
        self._required(LOAN_ID, checks)
        self._required(NAME, checks)
        id_type = self._enum(ID_TYPE, ID_TYPES, checks)
        self._required(ID_NO, checks)
        customer_type = self._enum(CUSTOMER_TYPE, CUSTOMER_TYPES, checks)
        county = self._col(COUNTY)
        regions = pa.array(sorted(self._reference.region_names))
        checks.append(
            Check(
                COUNTY,
                pc.invert(pc.is_in(county, value_set=regions)),
                1,
                lambda v: f"县区代码 {v} 不是本市的区划代码",
            )
        )
        issue_date = self._date(ISSUE_DATE, checks)
        maturity_date = self._date(MATURITY_DATE, checks)
        issued = self._money(ISSUED, checks)
        balance = self._money(BALANCE, checks)
        overdue_text = self._col(OVERDUE)
        overdue_ok = pc.match_substring_regex(overdue_text, r"^\d{0,6}$")
        checks.append(Check(OVERDUE, pc.invert(overdue_ok), 1, lambda v: f"逾期天数 {v} 不是非负整数"))
        # Blank overdue days means not overdue; anything unusable was rejected above.
        overdue = pc.cast(
            pc.if_else(pc.and_(overdue_ok, pc.greater(pc.utf8_length(overdue_text), 0)), overdue_text, "0"),
            pa.int32(),
        )
        risk = self._enum(RISK_CLASS, (*RISK_CLASSES, "1", "2", "3", "4", "5"), checks)
        flags = {
            column: self._enum(column, FLAG_TEXT, checks, upper=True) for column in (POVERTY, INCLUSIVE, AGRI)
        }

        def build() -> dict[str, pa.Array]:
            # Names 0..4 and digits 5..9 of the value set point at the same class.
            class_index = pc.if_else(pc.greater_equal(risk, 5), pc.subtract(risk, 5), risk)
            id_types = pc.take(pa.array(ID_TYPES), id_type)
            borrower, check_ok = borrower_keys(self._key, id_types, self._col(ID_NO))
            return {
                "loan_id": self._col(LOAN_ID),
                "customer_no": self._col(CUSTOMER_NO),
                "name_key": name_keys(self._key, self._col(NAME)),
                "id_type": id_types,
                "borrower_key": borrower,
                "id_check_ok": check_ok,
                "customer_type": pc.take(pa.array(CUSTOMER_TYPES), customer_type),
                "county_code": county,
                "industry_code": self._col(INDUSTRY),
                "issue_date": issue_date,
                "maturity_date": maturity_date,
                "issued_amount_yuan": issued,
                "balance_yuan": balance,
                "overdue_days": overdue,
                "risk_class": pc.take(pa.array(RISK_CLASSES), class_index),
                "risk_item": pc.take(pa.array([f"C{i:02d}" for i in range(1, 6)]), class_index),
                # 是 and Y are positions 0 and 2 of FLAG_TEXT.
                **{
                    name: pc.is_in(flags[column], value_set=pa.array([0, 2], pa.int32()))
                    for name, column in (
                        ("poverty_flag", POVERTY),
                        ("inclusive_flag", INCLUSIVE),
                        ("agri_flag", AGRI),
                    )
                },
            }

        return build

    def _disposals(self, checks: list[Check]) -> Callable[[], dict[str, pa.Array]]:
        self._required(DISPOSAL_ID, checks)
        self._required(LOAN_ID, checks)
        disposal_date = self._date(DISPOSAL_DATE, checks)
        method = self._enum(METHOD, METHODS, checks)
        principal = self._money(PRINCIPAL, checks)
        interest = self._money(INTEREST, checks)

        def build() -> dict[str, pa.Array]:
            return {
                "disposal_id": self._col(DISPOSAL_ID),
                "loan_id": self._col(LOAN_ID),
                "disposal_date": disposal_date,
                "method_name": pc.take(pa.array(METHODS), method),
                "method_item": pc.take(pa.array([f"D{i:02d}" for i in range(1, 8)]), method),
                "principal_yuan": principal,
                "interest_yuan": interest,
            }

        return build


def _open(landed: LandedFile, context: ReadContext) -> RuralCreditFile:
    assert context.key is not None
    return RuralCreditFile(landed.path, landed.file_path, context.reference, context.key)


SOURCE = Source(
    name="rural_credit",
    title="农信系统贷款明细 rural-credit loan-level files",
    suffixes=(".csv",),
    tables=tuple(LakeTable(name, schema, kind) for kind, (name, schema) in LAKE_TABLES.items()),
    open=_open,
    read_body=RuralCreditFile.body,
    name_pattern=_FILE_NAME,
    senders=Senders.RURAL_CREDIT,
    personal_data=True,
    check_header=RuralCreditFile.check_header,
    stage_body=RuralCreditFile.stage,
)
