"""The ledgers contract (spec/extracts.md section 6): workbooks, sheets, columns, export days, variations."""

from __future__ import annotations

import datetime as dt
import random

from demo.types import SEED
from finstat.periods import add_months

SOURCE = "ledgers"
MATCHMAKING, LISTING, DOCUMENTS = "银企对接台账", "上市后备企业台账", "监管文书台账"
LEDGERS = (MATCHMAKING, LISTING, DOCUMENTS)
# The officers began keeping the ledgers in Excel with the year 2021; the pipeline's enterprises
# entered before were copied over with their original 入库日期.
FIRST_PERIOD = "2021-01"
# The one demo month without ledger files (the October holidays: nobody exported them), so the
# month publishes its other figures and withholds M, S and G. No test singles this month out.
MISSING_PERIOD = "2021-10"

# Sheets and their columns in the spec's order (the header cells exactly as the spec writes them).
SHEETS: dict[str, dict[str, tuple[str, ...]]] = {
    MATCHMAKING: {
        "对接活动": ("活动编号", "活动日期", "活动名称", "形式", "类别", "参与金融机构数", "参与企业数"),
        "走访企业": (
            "走访编号",
            "走访日期",
            "统一社会信用代码",
            "企业名称",
            "县区代码",
            "反映问题数",
            "已解决问题数",
        ),
        "推介项目": (
            "项目编号",
            "批次",
            "推介日期",
            "项目名称",
            "统一社会信用代码",
            "县区代码",
            "融资需求(万元)",
            "项目类别",
        ),
        "授信跟踪": ("项目编号", "机构代码", "授信金额(万元)", "授信日期", "放款金额(万元)", "放款日期"),
        "签约": (
            "活动编号",
            "项目编号",
            "机构代码",
            "意向金额(万元)",
            "是否签约",
            "签约金额(万元)",
            "签约日期",
        ),
    },
    LISTING: {
        "后备企业": (
            "企业编号",
            "企业名称",
            "统一社会信用代码",
            "县区代码",
            "重点企业",
            "入库日期",
            "出库日期",
            "阶段",
            "阶段日期",
            "拟上市板块",
        ),
        "服务记录": ("日期", "企业编号", "类型", "户次", "解决问题数"),
    },
    DOCUMENTS: {"文书": ("文号", "下发日期", "对象名称", "对象类型", "文书类型")},
}
DATE_COLUMNS = frozenset(
    (
        "活动日期",
        "走访日期",
        "推介日期",
        "授信日期",
        "放款日期",
        "签约日期",
        "入库日期",
        "出库日期",
        "阶段日期",
        "日期",
        "下发日期",
    )
)
AMOUNT_COLUMNS = frozenset(
    c for sheets in SHEETS.values() for cols in sheets.values() for c in cols if "(万元)" in c
)
BOOL_COLUMNS = frozenset(("是否签约", "重点企业"))
COUNT_COLUMNS = frozenset(
    ("参与金融机构数", "参与企业数", "反映问题数", "已解决问题数", "户次", "解决问题数")
)
REMARK = "备注"
STAGES = ("培育", "股改完成", "辅导备案", "已申报", "已过会", "已上市")

# ---------------------------------------------------------------------------------------------
# The variations of section 6 and which file has which: the one place to look. Officers keep one
# workbook and change its layout now and then (a new colleague, a cleaned-up template), so a style
# holds from its month until the ledger's next row. Columns:
#   title   rows above the header (0-3: a title, the export date, a unit line or a blank row)
#   remark  备注: an extra column at the end (or, with order `moved`, in the middle)
#   blank   blank rows here and there among the records
#   dates   the date forms, drawn per cell when several: excel (a date cell), iso (YYYY-MM-DD),
#           slash (YYYY/M/D), cn (YYYY年M月D日)
#   amounts number (a number cell) and/or text ('1,234.5', with separators), drawn per cell
#   bools   是否 (是/否) or YN (Y/N)
#   order   spec (the spec's column order) or moved (each sheet's columns in another fixed order)
#   batch   批次 as a number (1) or as text (第一批)
# ---------------------------------------------------------------------------------------------
_STYLE_TABLE = """
ledger          from     title remark blank dates               amounts      bools order batch
银企对接台账     2021-01  1     no     no    excel               number       是否   spec  number
银企对接台账     2021-05  2     yes    yes   iso                 number       是否   spec  number
银企对接台账     2021-09  0     yes    no    slash               text         YN     moved text
银企对接台账     2022-01  3     yes    yes   excel,cn            number,text  是否   moved text
银企对接台账     2022-04  2     yes    yes   excel,iso,slash,cn  number,text  YN     spec  number
上市后备企业台账  2021-01  2     yes    no    cn                  number       是否   spec  number
上市后备企业台账  2021-07  0     no     yes   excel               number       YN     moved number
上市后备企业台账  2022-02  3     yes    yes   iso,slash           number       是否   moved number
上市后备企业台账  2022-05  1     yes    yes   excel,slash,cn      number       YN     spec  number
监管文书台账     2021-01  0     no     no    iso                 number       是否   spec  number
监管文书台账     2021-04  3     yes    yes   cn                  number       是否   moved number
监管文书台账     2022-01  1     no     yes   excel,slash         number       是否   spec  number
"""
# Every variation name a file can carry (the test checks each is used somewhere).
ALL_VARIATIONS = (
    *(f"title_rows_{n}" for n in range(4)),
    "remark_column",
    "blank_rows",
    "date_excel",
    "date_iso",
    "date_slash",
    "date_cn",
    "amount_number",
    "amount_text",
    "bool_是否",
    "bool_YN",
    "columns_spec_order",
    "columns_moved",
    "batch_number",
    "batch_text",
)


def _parse_styles(table: str) -> dict[str, list[tuple[str, dict[str, object]]]]:
    out: dict[str, list[tuple[str, dict[str, object]]]] = {}
    for line in table.strip().splitlines()[1:]:
        ledger, start, title, remark, blank, dates, amounts, bools, order, batch = line.split()
        style = {
            "title": int(title),
            "remark": remark == "yes",
            "blank": blank == "yes",
            "dates": tuple(dates.split(",")),
            "amounts": tuple(amounts.split(",")),
            "bools": bools.replace("/", ""),
            "order": order,
            "batch": batch,
        }
        out.setdefault(ledger, []).append((start, style))
    return out


STYLES = _parse_styles(_STYLE_TABLE)


def style_of(ledger: str, period: str) -> dict[str, object]:
    """The layout the ledger's file of `period` is in (the latest style row starting on or before it)."""
    return [style for start, style in STYLES[ledger] if start <= period][-1]


def _rng(*key: object) -> random.Random:
    """A generator seeded by purpose and key, so no draw depends on loop order or on the months asked for."""
    return random.Random("|".join(map(str, (SEED, SOURCE, *key))))


def month_start(period: str) -> dt.date:
    year, month = map(int, period.split("-"))
    return dt.date(year, month, 1)


def month_end(period: str) -> dt.date:
    """The last day of `period` (the figures' "end of M")."""
    return month_start(add_months(period, 1)) - dt.timedelta(days=1)


def export_date(period: str) -> dt.date:
    """When the officers export the month's ledgers: the 2nd to 5th of the next month, fixed per month."""
    return month_start(add_months(period, 1)) + dt.timedelta(days=_rng("export", period).randint(1, 4))


def weekdays(period: str, first: int = 1, last: int = 31) -> list[dt.date]:
    """The weekdays of `period` between the days `first` and `last`."""
    start = month_start(period)
    days = (month_end(period) - start).days + 1
    out = [start + dt.timedelta(days=i) for i in range(days)]
    return [d for d in out if d.weekday() < 5 and first <= d.day <= last]
