"""Borrowers: plausible local names and identifiers with valid check digits (rule 16 stays quiet)."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from demo.city import SLOT_COUNTIES, DemoCity
from finstat.identifiers import org_code_check_char, resident_id_check_char, uscc_check_char

_SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚"
    "卢姜崔钟谭陆汪范金石廖贾夏付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严武戴孔汤牛常申靳岳"
)
_GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华红玉兰建国志文斌辉鹏飞波宁凤海峰亮春梅林新利民永生金荣"
    "晓彦振宇浩凯俊丹萍燕玲雪庆福喜来顺保全德胜广田秋菊爱花小书"
)
_BRAND_FIRST = "宏鑫丰瑞恒佳禾永金华盛兴昌润泰德信源达安嘉隆旺福广"
_BRAND_SECOND = "达源丰泰盛昌隆发信旺通远康和顺利辉祥鼎诚"
# Place names (company-name prefixes, the county of a shop) are the city's: DemoCounty.places, .name.
# GB/T 4754 industry (门类+大类) -> trade words for company names and shop names.
_CORP_TRADES = {
    "A01": ("农业科技", "种植", "生态农业"),
    "A03": ("牧业", "养殖", "畜牧"),
    "C13": ("面粉", "粮油", "饲料"),
    "C14": ("食品", "调味品"),
    "C17": ("纺织", "棉业"),
    "C26": ("化工", "新材料"),
    "C30": ("建材", "水泥制品"),
    "C33": ("机械制造", "五金制品"),
    "E47": ("建筑工程", "建设工程"),
    "F51": ("商贸", "农资"),
    "G54": ("物流", "运输"),
    "L72": ("企业管理咨询", "农业服务"),
}
_CORP_SUFFIXES = ("有限公司", "有限公司", "有限公司", "有限责任公司", "股份有限公司")
_SHOPS = {
    "F52": ("超市", "粮油店", "日杂店", "农资店"),
    "F51": ("批发部", "商行"),
    "H62": ("饭店", "面馆", "烩面馆"),
    "A03": ("养殖场", "养猪场", "养鸡场"),
    "A01": ("种植园", "果园", "家庭农场"),
    "C13": ("面粉加工厂", "榨油坊"),
    "O80": ("汽车修理部", "理发店"),
}


@dataclass(frozen=True, slots=True)
class Borrower:
    """A customer as the rural bank's system knows it (名称 and 证件号码 are personal data)."""

    customer_no: str
    name: str
    id_type: str
    id_number: str
    customer_type: str


class _Identities:
    """Unique names and ID numbers across every institution (one person, one ID), in a city.

    Counties are given as slots; the numbers and names carry the city's codes and places.
    """

    def __init__(self, city: DemoCity) -> None:
        self.city = city
        self.ids: set[str] = set()
        self.companies: set[str] = set()

    def person_name(self, rng: random.Random) -> str:
        given = rng.choice(_GIVEN) + (rng.choice(_GIVEN) if rng.random() < 0.7 else "")
        return rng.choice(_SURNAMES) + given

    def resident_id(self, rng: random.Random, county: str, born_from: int, born_to: int) -> str:
        while True:
            # Most people carry an ID of their own county; some moved within the city.
            slot = county if rng.random() < 0.85 else rng.choice(SLOT_COUNTIES)
            region = self.city.region(slot)
            born = dt.date(born_from, 1, 1) + dt.timedelta(
                days=rng.randrange((dt.date(born_to, 12, 31) - dt.date(born_from, 1, 1)).days)
            )
            body = f"{region}{born:%Y%m%d}{rng.randrange(1, 1000):03d}"
            number = body + resident_id_check_char(body)
            if number not in self.ids:
                self.ids.add(number)
                return number

    def uscc(self, rng: random.Random, kind: str, county: str) -> str:
        charset = "0123456789ABCDEFGHJKLMNPQRTUWXY"
        while True:
            if rng.random() < 0.6:
                # Registered before 2015: the old 组织机构代码 (8 digits + GB 11714 check) inside.
                digits = "".join(str(rng.randrange(10)) for _ in range(8))
                org = digits + org_code_check_char(digits)
            else:
                org = "MA" + "".join(rng.choice(charset) for _ in range(7))
            body = f"{kind}{self.city.region(county)}{org}"
            number = body + uscc_check_char(body)
            if number not in self.ids:
                self.ids.add(number)
                return number

    def other_id(self, rng: random.Random, enterprise: bool) -> str:
        while True:
            if enterprise:
                digits = "".join(str(rng.randrange(10)) for _ in range(8))
                number = f"{digits}-{org_code_check_char(digits)}"  # an old 组织机构代码 certificate
            else:
                number = rng.choice("HM") + f"{rng.randrange(10**8):08d}"  # 港澳居民来往内地通行证
            if number not in self.ids:
                self.ids.add(number)
                return number

    def company_name(self, rng: random.Random, county: str, industry: str, cooperative: bool) -> str:
        while True:
            first = rng.choice(_BRAND_FIRST)
            second = rng.choice(_BRAND_SECOND.replace(first, ""))
            place = rng.choice(self.city.county(county).places)
            trade = rng.choice(_CORP_TRADES[industry])
            suffix = "专业合作社" if cooperative else rng.choice(_CORP_SUFFIXES)
            name = f"{place}{first}{second}{trade}{suffix}"
            if name not in self.companies:
                self.companies.add(name)
                return name
