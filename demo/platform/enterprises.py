"""Enterprises: who registers on the platform, when, and under which name and USCC."""

from __future__ import annotations

import datetime as dt
import random

from demo.city import DemoCity
from demo.platform.base import (
    ENTERPRISES_BY_CALIBRATION,
    OPENED,
    _bank_time,
    _month_start,
    _monthly_counts,
    _online_time,
    _pick,
    _rng,
)
from demo.platform.records import _EnterpriseLife
from finstat.identifiers import org_code_check_char, uscc_check_char
from finstat.periods import add_months

# Enterprises per county slot (Hebi's codes; demo/city.py gives the city's).
COUNTY_WEIGHTS = (("410611", 36), ("410621", 22), ("410622", 20), ("410603", 12), ("410602", 10))

# Enterprises: kind (USCC type digit), industry and trade words for names.
_KINDS = (("company", 68), ("sole", 24), ("cooperative", 8))
_TYPE_DIGIT = {"company": "1", "sole": "2", "cooperative": "3"}
_COMPANY_TRADES = {
    "A01": ("农业科技", "种植", "生态农业"),
    "A03": ("牧业", "养殖"),
    "C13": ("粮油", "面粉", "饲料"),
    "C14": ("食品", "调味品"),
    "C17": ("纺织", "服饰"),
    "C30": ("建材", "水泥制品"),
    "C33": ("五金制品", "机械制造"),
    "C39": ("电子科技", "光电"),
    "E47": ("建筑工程", "建设工程"),
    "F51": ("商贸", "农资", "贸易"),
    "G54": ("物流", "运输"),
    "I65": ("信息技术", "软件"),
    "L72": ("企业管理咨询", "农业服务"),
}
_COMPANY_SUFFIXES = ("有限公司", "有限公司", "有限公司", "有限责任公司", "股份有限公司")
_COOPERATIVE_TRADES = {"A01": ("种植", "农业", "果蔬"), "A03": ("养殖", "畜牧")}
_SHOPS = {
    "F52": ("便利店", "超市", "粮油店", "日杂店"),
    "F51": ("批发部", "商行"),
    "H62": ("饭店", "烩面馆", "小吃店"),
    "O80": ("汽车修理部", "理发店", "家电维修部"),
    "A01": ("家庭农场", "果园"),
}
# Place names (company-name prefixes, a shop's county) are the city's: DemoCounty.platform_places, .name.
_BRAND_FIRST = "宏鑫丰瑞恒佳禾永金华盛兴昌润泰德信源达安嘉隆旺福广"
_BRAND_SECOND = "达源丰泰盛昌隆发信旺通远康和顺利辉祥鼎诚"
_SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹"
_COMPANY_SIZES = (("微型", 40), ("小型", 42), ("中型", 14), ("大型", 4))


class _Names:
    """Unique enterprise names and USCCs across the platform, in the city's places (counties as slots)."""

    def __init__(self, city: DemoCity) -> None:
        self.city = city
        self.names: set[str] = set()
        self.codes: set[str] = set()

    def uscc(self, rng: random.Random, kind: str, county: str) -> str:
        """A valid 统一社会信用代码: 9, type digit, county, 组织机构代码 with its check, check char.

        The type digit is GB 32100's: 1 enterprise, 2 个体工商户, 3 农民专业合作社 (as in rural_credit).
        """
        while True:
            digits = f"{rng.randrange(10**8):08d}"
            body = f"9{_TYPE_DIGIT[kind]}{self.city.region(county)}{digits}{org_code_check_char(digits)}"
            code = body + uscc_check_char(body)
            if code not in self.codes:
                self.codes.add(code)
                return code

    def name(self, rng: random.Random, kind: str, county: str, industry: str) -> str:
        """A synthetic name in the local style (鹤壁市宏达商贸有限公司, 浚县李记烩面馆)."""
        place = self.city.county(county)
        while True:
            first = rng.choice(_BRAND_FIRST)
            brand = first + rng.choice(_BRAND_SECOND.replace(first, ""))
            if kind == "company":
                trade = rng.choice(_COMPANY_TRADES[industry])
                text = f"{rng.choice(place.platform_places)}{brand}{trade}{rng.choice(_COMPANY_SUFFIXES)}"
            elif kind == "cooperative":
                trade = rng.choice(_COOPERATIVE_TRADES[industry])
                text = f"{place.name}{brand}{trade}专业合作社"
            else:
                owner = f"{rng.choice(_SURNAMES)}记" if rng.random() < 0.3 else brand
                text = f"{place.name}{owner}{rng.choice(_SHOPS[industry])}"
            if text not in self.names:
                self.names.add(text)
                return text


def _enterprise(seq: int, registered_at: dt.datetime, names: _Names) -> _EnterpriseLife:
    """The seq-th enterprise to register (its attributes depend on seq only)."""
    rng = _rng("enterprise", seq)
    kind = _pick(rng, _KINDS)
    county = _pick(rng, COUNTY_WEIGHTS)
    if kind == "company":
        industry, size = rng.choice(tuple(_COMPANY_TRADES)), _pick(rng, _COMPANY_SIZES)
    elif kind == "cooperative":
        industry, size = rng.choice(tuple(_COOPERATIVE_TRADES)), rng.choice(("微型", "小型"))
    else:
        industry, size = rng.choice(tuple(_SHOPS)), "微型"
    cancelled_at = None
    if rng.random() < 0.045:
        # A few close down or merge later; their records stay with 状态 注销.
        cancelled_at = _bank_time(rng, registered_at, 30, 720)
    return _EnterpriseLife(
        enterprise_id=f"QY{seq:06d}",
        uscc=names.uscc(rng, kind, county),
        name=names.name(rng, kind, county, industry),
        county_code=names.city.region(county),
        industry_code=industry,
        size=size,
        registered_at=registered_at,
        cancelled_at=cancelled_at,
    )


def _build_enterprises(horizon: str, city: DemoCity) -> list[_EnterpriseLife]:
    """Every enterprise registering from opening to the end of the month after `horizon`."""
    counts = _monthly_counts("enterprises", ENTERPRISES_BY_CALIBRATION, 3.0, 0.07, add_months(horizon, 1))
    names, out = _Names(city), []
    for period, count in counts.items():
        rng = _rng("enterprise-times", period)
        start = max(_month_start(period), OPENED)
        times = sorted(_online_time(rng, start, _month_start(add_months(period, 1))) for _ in range(count))
        out += [_enterprise(len(out) + i + 1, at, names) for i, at in enumerate(times)]
    return out
