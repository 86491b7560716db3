"""M01-M13, S01-S06, G01 read straight from the demo's ledger workbooks (a reader of our own, not the pipeline).

The reader follows the spec (extracts.md section 6, indicators.md), independent of the generator's
numbers and of finstat's parser: tests/demo/test_ledgers.py checks the demo with it, and the
end-to-end tests compare what the pipeline published with it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from openpyxl import load_workbook

from demo.ledgers import LEDGERS, SHEETS, relpath
from demo.ledgers.base import STAGES

_SLASH = re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})")
_CN = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")


def _date(value, forms: set[str] | None = None):
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        forms is not None and forms.add("excel")
        return value.date()
    text = str(value).strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        forms is not None and forms.add("iso")
        return dt.date.fromisoformat(text)
    for pattern, form in ((_SLASH, "slash"), (_CN, "cn")):
        match = pattern.fullmatch(text)
        if match:
            forms is not None and forms.add(form)
            return dt.date(*map(int, match.groups()))
    raise AssertionError(f"not a date: {value!r}")


def _amount(value, forms: set[str] | None = None):
    if value is None or value == "":
        return None
    if isinstance(value, str):
        forms is not None and forms.add("text" if "," in value else "plain_text")
        return Decimal(value.replace(",", ""))
    forms is not None and forms.add("number")
    return Decimal(repr(value))


def _bool(value, forms: set[str] | None = None):
    if forms is not None:
        forms.add("是否" if value in ("是", "否") else "YN")
    return {"是": True, "Y": True, "否": False, "N": False}[value]


def read_ledger(path, seen: dict[str, set] | None = None) -> dict[str, list[dict]]:
    """Sheet -> rows (column -> typed value); `seen` collects the layout forms met on the way."""
    seen = seen if seen is not None else defaultdict(set)
    book = load_workbook(path, read_only=True)
    out = {}
    for sheet in book.worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        spec = SHEETS[path.name.split("_")[0]][sheet.title]
        header_at = next(i for i, row in enumerate(rows[:4]) if spec[0] in row)
        seen["title"].add(header_at)
        header = [str(c).strip() if c is not None else None for c in rows[header_at]]
        assert set(spec) <= set(header), (path.name, sheet.title, header)
        seen["order"].add("spec" if [c for c in header if c in spec] == list(spec) else "moved")
        seen["remark"] |= set(header) - set(spec) - {None}
        records = []
        for row in rows[header_at + 1 :]:
            if all(c is None or c == "" for c in row):
                seen["blank"].add(True)
                continue
            cells = dict(zip(header, row, strict=False))
            record = {}
            for name in spec:
                value = cells.get(name)
                if "日期" in name:
                    value = _date(value, seen["dates"])
                elif "(万元)" in name:
                    value = _amount(value, seen["amounts"])
                elif name in ("是否签约", "重点企业"):
                    value = _bool(value, seen["bools"])
                elif name == "批次":
                    seen["batch"].add("number" if isinstance(value, int | float) else "text")
                    value = str(int(value)) if isinstance(value, int | float) else value
                record[name] = value
            records.append(record)
        out[sheet.title] = records
    return out


def _in_year(day, end: dt.date) -> bool:
    return day is not None and dt.date(end.year, 1, 1) <= day <= end


def figures(period: str, match: dict, listing: dict, docs: dict) -> dict[str, Decimal]:
    """M01-M13, S01-S06, G01 of spec/indicators.md from the three ledgers of `period` (亿元 from 万元)."""
    year, month = map(int, period.split("-"))
    end = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
    yi = Decimal(10_000)
    visits = [v for v in match["走访企业"] if _in_year(v["走访日期"], end)]
    projects = {p["项目编号"]: p for p in match["推介项目"] if _in_year(p["推介日期"], end)}
    credits = [c for c in match["授信跟踪"] if c["项目编号"] in projects]
    activity_days = {a["活动编号"]: a["活动日期"] for a in match["对接活动"]}
    intents = [s for s in match["签约"] if _in_year(activity_days[s["活动编号"]], end)]
    signed = [s for s in intents if s["是否签约"] and s["签约日期"] <= end]
    pairs = {(s["项目编号"], s["机构代码"]) for s in signed}
    drawn = sum(
        (
            c["放款金额(万元)"]
            for c in match["授信跟踪"]
            if (c["项目编号"], c["机构代码"]) in pairs and c["放款日期"] and c["放款日期"] <= end
        ),
        Decimal(0),
    )
    m11 = sum((s["签约金额(万元)"] for s in signed), Decimal(0))
    active = [
        e
        for e in listing["后备企业"]
        if e["入库日期"] <= end and not (e["出库日期"] and e["出库日期"] <= end)
    ]
    services = [s for s in listing["服务记录"] if _in_year(s["日期"], end)]
    out = {
        "M01": Decimal(sum(_in_year(a["活动日期"], end) for a in match["对接活动"])),
        "M02": Decimal(len({v["统一社会信用代码"] for v in visits})),
        "M03": Decimal(sum(v["已解决问题数"] for v in visits)),
        "M04": Decimal(len({p["批次"] for p in projects.values()})),
        "M05": sum((p["融资需求(万元)"] for p in projects.values()), Decimal(0)) / yi,
        "M06": sum((c["授信金额(万元)"] for c in credits if c["授信日期"] <= end), Decimal(0)) / yi,
        "M07": sum(
            (c["放款金额(万元)"] for c in credits if c["放款日期"] and c["放款日期"] <= end), Decimal(0)
        )
        / yi,
        "M08": sum((s["意向金额(万元)"] for s in intents), Decimal(0)) / yi,
        "M09": Decimal(len({s["机构代码"] for s in intents})),
        "M10": Decimal(len({s["项目编号"] for s in intents})),
        "M11": m11 / yi,
        "M12": Decimal(len({s["项目编号"] for s in signed})),
        "S01": Decimal(sum(e["重点企业"] for e in active)),
        "S02": Decimal(len(active)),
        "S03": Decimal(
            sum(STAGES.index(e["阶段"]) >= STAGES.index("辅导备案") and e["阶段日期"] <= end for e in active)
        ),
        "S04": Decimal(sum(s["户次"] for s in services if s["类型"] == "培训")),
        "S05": Decimal(sum(s["户次"] for s in services if s["类型"] == "走访")),
        "S06": Decimal(sum(s["解决问题数"] for s in services)),
        "G01": Decimal(
            sum(
                d["文书类型"] in ("整改通知书", "风险提示函") and _in_year(d["下发日期"], end)
                for d in docs["文书"]
            )
        ),
    }
    if m11:
        out["M13"] = drawn / m11 * 100
    return out


def _published(code: str, value: Decimal) -> Decimal:
    """As publication rounds (indicators.md): amounts and rates to 2 places, counts whole; widened to 4."""
    places = Decimal("0.01") if code in ("M05", "M06", "M07", "M08", "M11", "M13") else Decimal(1)
    return value.quantize(places, rounding=ROUND_HALF_UP).quantize(Decimal("0.0001"))


def expected_ledger_figures(landing: Path, period: str) -> dict[str, Decimal]:
    """The city's published ledger figures of `period` from its three workbooks in landing ({} without them)."""
    paths = [landing / relpath(ledger, period) for ledger in LEDGERS]
    if not all(path.exists() for path in paths):
        return {}
    return {code: _published(code, v) for code, v in figures(period, *map(read_ledger, paths)).items()}
