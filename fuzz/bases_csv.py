"""Valid CSV files to start from (1b bank_loans, 5b bank_programmes, rural_credit, platform) and nearly-right values per column."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import strategies as st

from finstat.identifiers import resident_id_check_char, uscc_check_char
from finstat.items import (
    BALANCE_ITEMS,
    COUNT_QUANTITY,
    DISPOSAL_ITEMS,
    PROGRAMME_ITEMS,
    PROGRAMME_QUANTITIES,
)
from fuzz.csv_model import CsvDoc
from fuzz.hostile import DATE_TEXT, PERIOD_TEXT, TIME_TEXT
from fuzz.odds import one_in
from fuzz.reference import BANKS, CITY, COUNTIES, RURALS
from ingestion import bank_loans_csv as bank_csv
from ingestion import bank_programmes_csv as programme_csv
from ingestion import platform, rural_credit

PERSON_ID = "11010519491231002" + resident_id_check_char("11010519491231002")
COMPANY_ID = "91410600MA3X00001" + uscc_check_char("91410600MA3X00001")
COUNTY_TEXT = (*(c for _, c in COUNTIES), "410699", "41061", "4106110", "４１０６１１", "", "淇滨区", "TOTAL")
INST_TEXT = (*BANKS, *RURALS, "b0001h41060002", "B0001H4106000", "B0001H410600021", "", "PLATFORM", "机构")
MONEY_TEXT = (
    "0", "0.00", "-0", "-0.00", "1,234.56", "1,23", "12,345,678.9", "999999999999999999.99",
    "9999999999999999999", "1000000000000000000", "1.005", "+5", "+1,000.00", " 5 ", "5.", ".5", "-", "—",
    "", "1e3", "-1", "1,000,000,000,000,000,000",
)  # fmt: skip
WAN_TEXT = (
    "100", "80.5", "1,000", "0.000001", "0.0000001", "99999999999999.999999", "999999999999999", "-1",
    "+1", "", "1,0000", "0", "-0", "1e2", "12,345,678,901,234", "1.",
)  # fmt: skip

# ---- 1b bank_loans CSV ---------------------------------------------------------------------------


@st.composite
def bank_csv_doc(draw) -> tuple[str, CsvDoc]:
    """A 1b file as the contract allows it: any column order, extra columns, separators, any unit."""
    inst = draw(st.sampled_from(BANKS))
    period = draw(st.sampled_from(("2022-05", "2022年05月", "202205", "2022.05")))
    unit = draw(st.sampled_from(("元", "万元", "亿元")))
    separators = draw(st.booleans())
    counties = draw(st.permutations([c for _, c in COUNTIES]))[: draw(st.integers(1, len(COUNTIES)))]
    columns = list(bank_csv.REQUIRED_COLUMNS)
    if draw(st.booleans()):
        columns = draw(st.permutations(columns)) + (["备注"] if draw(st.booleans()) else [])
    values = []
    for i, item in enumerate(BALANCE_ITEMS):
        for j, county in enumerate(counties):
            values.append((county, item, "余额", Decimal(i * 1000 + j * 10) + Decimal("1234.25")))
    for i, item in enumerate(DISPOSAL_ITEMS):
        for measure in ("本月", "本年累计"):
            values.append((CITY, item, measure, Decimal(i * 3) + Decimal("0.5")))
    rows = []
    for county, item, measure, amount in values:
        text = format(amount, ",f" if separators else "f")
        by_name = {"报表期": period, "机构代码": inst, "县区代码": county, "指标代码": item, "口径": measure}
        by_name |= {"金额": text, "单位": unit, "备注": ""}
        rows.append([by_name[c] for c in columns])
    return f"{inst}_202205.csv", CsvDoc(columns, rows)


BANK_CSV_SPECIAL = {
    "报表期": st.sampled_from(PERIOD_TEXT),
    "单位": st.sampled_from(("元", "万元", "亿元", "千元", "（万元）", "", "万 元")),
    "机构代码": st.sampled_from(INST_TEXT),
    "县区代码": st.sampled_from(COUNTY_TEXT),
    "指标代码": st.sampled_from(("A01", "a01", " A01 ", "A12", "D08", "Z99", "", "A1", "Ａ01")),
    "口径": st.sampled_from(("余额", "本月", "本年累计", "余 额", "", "年累计")),
    "金额": st.sampled_from(MONEY_TEXT),
}

# ---- rural_credit -------------------------------------------------------------------------------


def _loan(number: int, inst: str, company: bool, dashed: bool) -> dict[str, str]:
    date = "2022-05-31" if dashed else "20220531"
    return {
        "数据日期": date, "机构代码": inst, "借据号": f"JJ{number:04d}", "客户号": f"KH{number:04d}",
        "客户名称": "鹤壁市测试农业专业合作社" if company else "张三丰",
        "证件类型": "统一社会信用代码" if company else "身份证", "证件号码": COMPANY_ID if company else PERSON_ID,
        "客户类型": "企业" if company else "个人", "县区代码": COUNTIES[number % len(COUNTIES)][1],
        "行业代码": "A0111", "发放日期": "20210315", "到期日期": "2024-03-14", "发放金额": "200000.00",
        "贷款余额": "150,000.5", "逾期天数": "120" if company else "", "五级分类": "次级" if company else "1",
        "脱贫人口小额信贷标志": "否", "普惠小微标志": "是", "涉农标志": "y",
    }  # fmt: skip


def _disposal(number: int, inst: str, dashed: bool) -> dict[str, str]:
    return {
        "数据日期": "2022-05-31" if dashed else "20220531", "机构代码": inst, "处置编号": f"CZ{number:04d}",
        "借据号": f"JJ{number:04d}", "处置日期": "20220520", "处置方式": rural_credit.METHODS[number % 7],
        "处置本金": "80000.00", "处置利息": "0",
    }  # fmt: skip


@st.composite
def rural_doc(draw, valid: bool = False) -> tuple[str, CsvDoc]:
    """A 贷款明细 or 不良处置 file; `valid` leaves out what the contract refuses (empty loans, odd names)."""
    inst = draw(st.sampled_from(RURALS))
    kind = draw(st.sampled_from((rural_credit.LOANS, rural_credit.DISPOSALS)))
    columns = rural_credit.LOAN_COLUMNS if kind == rural_credit.LOANS else rural_credit.DISPOSAL_COLUMNS
    dashed = draw(st.booleans())
    # Rarely none: a header-only file stops before the row checks (and is refused for loans).
    count = 0 if not valid and one_in(draw, 10) else draw(st.integers(1, 6))
    if kind == rural_credit.LOANS:
        records = [_loan(i, inst, draw(st.booleans()), dashed) for i in range(count)]
    else:
        records = [_disposal(i, inst, dashed) for i in range(count)]
    # The name usually matches the content; otherwise check_header's rules 2 and 3 get their turn.
    name_kind = (
        draw(st.sampled_from((rural_credit.LOANS, rural_credit.DISPOSALS))) if one_in(draw, 6) else kind
    )
    name_inst = draw(st.sampled_from(INST_TEXT[:6])) if one_in(draw, 6) else inst
    # A bad name stops the reader before it reads anything: rarely.
    month = draw(st.sampled_from(("202204", "202213", "202206"))) if one_in(draw, 10) else "202205"
    suffix = ".bak" if one_in(draw, 20) else draw(st.sampled_from(("", "", "", "", "_v2", "更正")))
    name = f"{name_inst}_{month}_{name_kind}{suffix}.csv"
    if valid:
        name = f"{inst}_202205_{kind}{suffix.replace('.bak', '')}.csv"
    return name, CsvDoc(list(columns), [[r[c] for c in columns] for r in records])


RURAL_SPECIAL = {
    **{column: st.sampled_from(DATE_TEXT) for column in ("数据日期", "发放日期", "到期日期", "处置日期")},
    **{column: st.sampled_from(MONEY_TEXT) for column in ("发放金额", "贷款余额", "处置本金", "处置利息")},
    "机构代码": st.sampled_from(INST_TEXT),
    "县区代码": st.sampled_from(COUNTY_TEXT),
    "逾期天数": st.sampled_from(("0", "", "-1", "999999", "1000000", "１２", "3.5", " 7")),
    "五级分类": st.sampled_from(("正常", "1", "5", "6", "0", "正常类", "")),
    "证件类型": st.sampled_from(("身份证", "统一社会信用代码", "其他", "护照", "")),
    "证件号码": st.sampled_from((PERSON_ID, COMPANY_ID, PERSON_ID.lower(), "1" * 18, "", "X")),
    "客户类型": st.sampled_from(("个人", "企业", "个体工商户", "公司")),
    "处置方式": st.sampled_from(("核销", "其他", "打包转让", "")),
    **{
        column: st.sampled_from(("是", "否", "Y", "N", "y", "n", "", "1"))
        for column in rural_credit.LOAN_COLUMNS[-3:]
    },
}

# ---- platform -----------------------------------------------------------------------------------


def _platform_row(kind: str, number: int) -> dict[str, str]:
    ids = {"企业ID": f"QY{number:06d}", "产品ID": f"CP{number:04d}", "需求ID": f"XQ{number:08d}"}
    uscc_body = f"92410611MA44TP{number:03d}"
    common = {"机构代码": BANKS[0], "县区代码": "410611", "行业代码": "F52", **ids}
    rows = {
        platform.ENTERPRISES: {
            "统一社会信用代码": uscc_body + uscc_check_char(uscc_body), "企业名称": "王小二便利店",
            "企业规模": "微型", "注册时间": "2021-03-04 10:00:00", "状态": "正常",
        },
        platform.PRODUCTS: {
            "产品名称": "小微快贷", "担保方式": "信用", "额度上限(万元)": "1,000",
            "上架时间": "2021-01-01 00:00:00", "下架时间": "", "状态": "上架",
        },
        platform.REQUESTS: {
            "申请金额(万元)": "100", "申请时间": "2022-05-01 09:00:00", "状态": "已放款",
            "授信金额(万元)": "80.5", "授信时间": "2022-05-03 10:00:00", "放款金额(万元)": "80.123456",
            "放款时间": "2022-05-04 10:30:00",
        },
    }  # fmt: skip
    return {**common, **rows[kind]}


@st.composite
def platform_doc(draw, valid: bool = False) -> tuple[str, CsvDoc]:
    """A snapshot file; `valid` leaves out what the contract refuses (an empty snapshot, another kind's name)."""
    kind = draw(st.sampled_from(platform.KINDS))
    columns = platform.COLUMNS[kind]
    count = 0 if not valid and one_in(draw, 10) else draw(st.integers(1, 6))
    records = [_platform_row(kind, i) for i in range(count)]
    name_kind = draw(st.sampled_from(platform.KINDS)) if not valid and one_in(draw, 6) else kind
    suffix = draw(st.sampled_from(("", "", "", "_v2", "更正")))
    return f"{name_kind}_202205{suffix}.csv", CsvDoc(
        list(columns), [[r[c] for c in columns] for r in records]
    )


PLATFORM_SPECIAL = {
    **{
        c: st.sampled_from(TIME_TEXT)
        for c in ("注册时间", "上架时间", "下架时间", "申请时间", "授信时间", "放款时间")
    },
    **{
        c: st.sampled_from(WAN_TEXT)
        for c in ("额度上限(万元)", "申请金额(万元)", "授信金额(万元)", "放款金额(万元)")
    },
    "企业ID": st.sampled_from(("QY000000", "QY000001", "", " QY000000")),
    "产品ID": st.sampled_from(("CP0000", "CP0001", "")),
    "需求ID": st.sampled_from(("XQ00000000", "XQ00000001", "")),
    "县区代码": st.sampled_from(COUNTY_TEXT),
    "企业规模": st.sampled_from(("大型", "微型", "小微", "")),
    "状态": st.sampled_from(("正常", "注销", "上架", "下架", "已放款", "已拒绝", "", "未知")),
    "机构代码": st.sampled_from(INST_TEXT),
    "统一社会信用代码": st.sampled_from((COMPANY_ID, "", "1" * 18, COMPANY_ID.lower())),
}

# ---- 5b bank_programmes CSV ---------------------------------------------------------------------


@st.composite
def programme_csv_doc(draw) -> tuple[str, CsvDoc]:
    """A 5b file as the contract allows it: any column order, extra columns, any unit; 单位 of 户数 rows as given."""
    inst = draw(st.sampled_from(BANKS))
    period = draw(st.sampled_from(("2022-05", "2022年05月", "202205", "2022.05")))
    unit = draw(st.sampled_from(("元", "万元", "亿元")))
    count_unit = draw(st.sampled_from((unit, "", "户", "家")))
    counties = draw(st.permutations([c for _, c in COUNTIES]))[: draw(st.integers(1, len(COUNTIES)))]
    columns = list(programme_csv.REQUIRED_COLUMNS)
    if draw(st.booleans()):
        columns = draw(st.permutations(columns)) + (["备注"] if draw(st.booleans()) else [])
    rows = []
    for i, item in enumerate(PROGRAMME_ITEMS):
        for j, county in enumerate(counties):
            for quantity in PROGRAMME_QUANTITIES:
                is_count = quantity == COUNT_QUANTITY
                value = (
                    str(i * 7 + j) if is_count else format(Decimal(i * 100 + j * 10) + Decimal("12.34"), "f")
                )
                by_name = {"报表期": period, "机构代码": inst, "县区代码": county, "指标代码": item}
                by_name |= {
                    "计量": quantity,
                    "数值": value,
                    "单位": count_unit if is_count else unit,
                    "备注": "",
                }
                rows.append([by_name[c] for c in columns])
    return f"{inst}_202205_专项统计.csv", CsvDoc(columns, rows)


PROGRAMME_CSV_SPECIAL = {
    **{column: BANK_CSV_SPECIAL[column] for column in ("报表期", "机构代码", "县区代码")},
    "单位": st.sampled_from(("元", "万元", "亿元", "千元", "（万元）", "", "户", "家", "万 元")),
    "指标代码": st.sampled_from(("F01", "f01", " E03 ", "F05", "E04", "G01", "", "A01", "Ｆ01")),
    "计量": st.sampled_from(("户数", "金额", "户数（户）", "金额(万元)", "", "笔数", "户 数", "余额")),
    "数值": st.sampled_from((*MONEY_TEXT, "1.5", "0.001", "1.50", "3.000")),
}
