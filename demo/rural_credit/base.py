"""The 贷款明细 / 不良处置 contract (source, headers, encoding, variations) and helpers all rural modules use."""

from __future__ import annotations

import calendar
import datetime as dt
import random
from decimal import Decimal

from demo.types import SEED
from finstat.items import DISPOSAL_ITEMS, ITEM_NAMES

SOURCE = "rural_credit"
LOAN_HEADER = (
    "数据日期",
    "机构代码",
    "借据号",
    "客户号",
    "客户名称",
    "证件类型",
    "证件号码",
    "客户类型",
    "县区代码",
    "行业代码",
    "发放日期",
    "到期日期",
    "发放金额",
    "贷款余额",
    "逾期天数",
    "五级分类",
    "脱贫人口小额信贷标志",
    "普惠小微标志",
    "涉农标志",
)
DISPOSAL_HEADER = (
    "数据日期",
    "机构代码",
    "处置编号",
    "借据号",
    "处置日期",
    "处置方式",
    "处置本金",
    "处置利息",
)
CLASS_NAMES = ("正常", "关注", "次级", "可疑", "损失")
CLASS_ITEMS = ("C01", "C02", "C03", "C04", "C05")
METHOD_NAMES = {item: ITEM_NAMES[item] for item in DISPOSAL_ITEMS}
ENCODING = "gb18030"

# Every variation of spec/extracts.md section 2 the demo must exercise at least once.
ALL_VARIATIONS = (
    "class_name",
    "class_digit",
    "flag_是否",
    "flag_YN",
    "date_compact",
    "date_dash",
    "date_mixed",
    "id_身份证",
    "id_统一社会信用代码",
    "id_其他",
    "customer_个人",
    "customer_个体工商户",
    "customer_企业",
)


def _rng(*key: object) -> random.Random:
    return random.Random("|".join(map(str, (SEED, "rural", *key))))


def month_end(period: str) -> dt.date:
    year, month = map(int, period.split("-"))
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _yuan(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)
