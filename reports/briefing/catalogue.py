"""The indicator codes a template may name: the catalogue seed, plus the ledger codes still on their way."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from finstat.settings import DBT_PROJECT_DIR

CATALOGUE_SEED = DBT_PROJECT_DIR / "seeds" / "indicators.csv"

# PENDING_LEDGER_CODES: the bureau's ledger figures of indicators.md (issue 19), which the default
# template names but which are not yet rows of the catalogue seed. Until they are, a template may
# name them and their sentences say 暂无数据 with PENDING_REASON. Once the seed has a code, the
# catalogue's row wins and the code is an ordinary indicator (published, or withheld with its
# reason); tests/reports/briefing/test_catalogue.py fails then, so this table is emptied.
PENDING_REASON = "台账指标尚未纳入指标目录"
PENDING_LEDGER_CODES = {
    "M01": ("本年银企对接活动次数", "次"),
    "M02": ("本年走访企业数", "家"),
    "M03": ("本年走访解决问题数", "个"),
    "M04": ("本年推介项目批次", "批"),
    "M05": ("本年推介项目融资需求", "亿元"),
    "M06": ("本年推介项目已授信金额", "亿元"),
    "M07": ("本年推介项目已放款金额", "亿元"),
    "M08": ("本年对接活动达成贷款意向金额", "亿元"),
    "M09": ("达成贷款意向的金融机构数", "家"),
    "M10": ("达成贷款意向的项目数", "个"),
    "M11": ("本年签约金额", "亿元"),
    "M12": ("本年签约项目数", "个"),
    "M13": ("签约贷款落地率", "%"),
    "S01": ("重点上市后备企业数", "家"),
    "S02": ("上市后备企业数", "家"),
    "S03": ("辅导备案及以后阶段企业数", "家"),
    "S04": ("本年上市培训企业户次", "户次"),
    "S05": ("本年走访上市后备企业户次", "户次"),
    "S06": ("本年协调解决上市问题数", "个"),
    "G01": ("本年下发整改通知书和风险提示函", "份"),
}


@dataclass(frozen=True)
class Indicator:
    """One code a template may name: its name, unit, whether it is published by county."""

    code: str
    name: str
    unit: str
    by_county: bool
    pending: bool = False


@cache
def _read(path: Path) -> tuple[Indicator, ...]:
    with open(path, encoding="utf-8", newline="") as handle:
        return tuple(
            Indicator(row["indicator_code"], row["indicator_name"], row["unit"], row["by_county"] == "true")
            for row in csv.DictReader(handle)
        )


def catalogue_codes(path: Path = CATALOGUE_SEED) -> frozenset[str]:
    """The codes of the catalogue seed (what dbt publishes)."""
    return frozenset(i.code for i in _read(path))


def known_indicators(path: Path = CATALOGUE_SEED) -> dict[str, Indicator]:
    """Every code a template may name: the catalogue's, then the pending ledger codes it lacks."""
    known = {i.code: i for i in _read(path)}
    for code, (name, unit) in PENDING_LEDGER_CODES.items():
        known.setdefault(code, Indicator(code, name, unit, by_county=False, pending=True))
    return known
