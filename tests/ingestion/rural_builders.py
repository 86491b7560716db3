"""Small rural_credit extracts (GB18030 贷款明细 / 不良处置 CSVs) and a register with rural banks."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from finstat.identifiers import resident_id_check_char, uscc_check_char
from finstat.settings import Settings, load_settings
from ingestion.rural_credit import DISPOSAL_COLUMNS, LOAN_COLUMNS
from tests.ingestion.builders import BANK, INSTITUTIONS, write_reference

RURAL = "B1280H41061121"
OTHER_RURAL = "D1282H41062223"
RETIRED_RURAL = "B1281H41062122"
MONTH = "2022-05"

RURAL_INSTITUTIONS = [
    *INSTITUTIONS,
    (RURAL, "鹤壁淇滨农村商业银行", "农村商业银行", "true", "410611", "2020-01", ""),
    (OTHER_RURAL, "淇县农村信用合作联社", "农村信用社", "true", "410622", "2020-01", ""),
    (RETIRED_RURAL, "已合并农商行", "农村商业银行", "true", "410621", "2019-01", "2021-12"),
]
assert BANK in {row[0] for row in RURAL_INSTITUTIONS}  # a bank that is not 农信系统

PERSON_ID = "11010519491231002" + resident_id_check_char("11010519491231002")
COMPANY_ID = "91410600MA3X00001" + uscc_check_char("91410600MA3X00001")
PERSON_NAME = "张三丰"
COMPANY_NAME = "鹤壁市淇滨区测试农业专业合作社"


def make_rural_settings(tmp_path: Path) -> Settings:
    reference = write_reference(tmp_path / "reference", RURAL_INSTITUTIONS)
    return load_settings(landing=tmp_path / "landing", home=tmp_path / "home", reference_dir=reference)


def loan_row(**overrides: str) -> dict[str, str]:
    row = {
        "数据日期": "20220531",
        "机构代码": RURAL,
        "借据号": "JJ0001",
        "客户号": "KH0001",
        "客户名称": PERSON_NAME,
        "证件类型": "身份证",
        "证件号码": PERSON_ID,
        "客户类型": "个人",
        "县区代码": "410611",
        "行业代码": "A0111",
        "发放日期": "20210315",
        "到期日期": "2024-03-14",
        "发放金额": "200000.00",
        "贷款余额": "150000.50",
        "逾期天数": "0",
        "五级分类": "正常",
        "脱贫人口小额信贷标志": "否",
        "普惠小微标志": "是",
        "涉农标志": "Y",
    }
    row.update(overrides)
    return row


def company_row(**overrides: str) -> dict[str, str]:
    base = {
        "借据号": "JJ0002",
        "客户号": "KH0002",
        "客户名称": COMPANY_NAME,
        "证件类型": "统一社会信用代码",
        "证件号码": COMPANY_ID,
        "客户类型": "企业",
        "五级分类": "次级",
        "逾期天数": "120",
    }
    return loan_row(**{**base, **overrides})


def disposal_row(**overrides: str) -> dict[str, str]:
    row = {
        "数据日期": "20220531",
        "机构代码": RURAL,
        "处置编号": "CZ0001",
        "借据号": "JJ0009",
        "处置日期": "20220520",
        "处置方式": "核销",
        "处置本金": "80000.00",
        "处置利息": "1234.56",
    }
    row.update(overrides)
    return row


def csv_bytes(columns, rows: list[dict[str, str]], encoding: str = "gb18030") -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows([[row.get(c, "") for c in columns] for row in rows])
    return buffer.getvalue().encode(encoding)


def loans_name(inst: str = RURAL, month: str = MONTH, suffix: str = "") -> str:
    return f"{inst}_{month.replace('-', '')}_贷款明细{suffix}.csv"


def disposals_name(inst: str = RURAL, month: str = MONTH, suffix: str = "") -> str:
    return f"{inst}_{month.replace('-', '')}_不良处置{suffix}.csv"


def write_loans(settings: Settings, rows, name: str | None = None, folder: str = MONTH, **kw) -> Path:
    path = settings.landing / "rural_credit" / folder / (name or loans_name(month=folder))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(csv_bytes(LOAN_COLUMNS, rows, **kw))
    return path


def write_disposals(settings: Settings, rows, name: str | None = None, folder: str = MONTH, **kw) -> Path:
    path = settings.landing / "rural_credit" / folder / (name or disposals_name(month=folder))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(csv_bytes(DISPOSAL_COLUMNS, rows, **kw))
    return path
