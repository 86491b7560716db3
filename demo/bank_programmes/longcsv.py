"""A programme report as the long CSV (spec 5b): one row per county, item and 计量; 单位 scales 金额 only."""

from __future__ import annotations

import csv
import io

from demo.bank_programmes.base import AMOUNT, COUNT, COUNT_WORDS, CSV_HEADER, ITEMS
from demo.bank_programmes.numbers import ProgrammeData
from demo.files import in_unit, plain_number
from demo.types import FilePlan


def _count_unit(item: str, unit: str, style: str) -> str:
    """The 单位 cell of a 户数 row, which readers ignore: the amount unit again, empty, or 户 / 家."""
    return {"repeated": unit, "empty": "", "word": COUNT_WORDS.get(item, "户")}[style]


def render_csv(data: ProgrammeData, plan: FilePlan) -> bytes:
    unit, style = plan.option("unit"), plan.option("count_unit")
    report = data.report(plan.period, plan.inst_code)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=plan.option("newline"))
    writer.writerow(CSV_HEADER)
    for county in plan.option("counties"):
        for item in ITEMS:
            households, amount = report[(county, item)]
            head = [plan.period, plan.inst_code, county, item]
            writer.writerow([*head, COUNT, str(households), _count_unit(item, unit, style)])
            writer.writerow([*head, AMOUNT, plain_number(in_unit(amount, unit)), unit])
    return out.getvalue().encode(plan.option("encoding"))
