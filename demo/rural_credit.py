"""Deterministic loan-level rural_credit demo data (贷款明细 / 不良处置) that agrees with the bank_loans reports."""

from __future__ import annotations

import calendar
import csv
import dataclasses
import datetime as dt
import io
import random
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from demo.city import HEBI, SLOT_COUNTIES, DemoCity
from demo.generator import SEED, split_cents
from finstat.identifiers import resident_id_check_char, uscc_check_char
from finstat.items import DISPOSAL_ITEMS, ITEM_NAMES
from finstat.periods import add_months

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

# Target loan count per 亿元 of book: about 1,300 to 2,700 loans per institution, well under the
# 3,000 a month the tests can afford, which forces the larger average loan sizes of a county bank.
LOANS_PER_YI = 42
# Share of the loan count by product; corporate loans fill whatever balance the others leave.
COUNT_SHARES = {"poverty": Decimal("0.24"), "personal": Decimal("0.30"), "sole": Decimal("0.26")}
YI_CENTS = 10_000_000_000

# Each institution's own system formats its numbers its own way (they are only unique per institution).
_LOAN_ID_FORMATS = {
    "B1280H41061121": lambda issue, seq: f"QB{issue:%Y%m%d}{seq:06d}",
    "B1281H41062122": lambda issue, seq: f"8101{issue:%y}{seq:010d}",
    "D1282H41062223": lambda issue, seq: f"JJ{issue:%Y%m}{seq:07d}",
}
_CUSTOMER_FORMATS = {
    "B1280H41061121": lambda seq: f"8012{seq:010d}",
    "B1281H41062122": lambda seq: f"C{seq:011d}",
    "D1282H41062223": lambda seq: f"QXKH{seq:08d}",
}


def _rng(*key: object) -> random.Random:
    return random.Random("|".join(map(str, (SEED, "rural", *key))))


def _index(period: str) -> int:
    year, month = map(int, period.split("-"))
    return year * 12 + month - 1


def month_end(period: str) -> dt.date:
    year, month = map(int, period.split("-"))
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _add_months_date(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _yuan_text(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def _yuan(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


# ---------------------------------------------------------------------------------------------
# Borrowers: plausible local names and identifiers with valid check digits (rule 16 stays quiet)
# ---------------------------------------------------------------------------------------------
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
_AGRI_INDUSTRIES = ("A01", "A02", "A03", "A04", "C13", "C14")


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
                org = digits + _org_check(digits)
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
                number = f"{digits}-{_org_check(digits)}"  # an old 组织机构代码 certificate
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


def _org_check(digits: str) -> str:
    """GB 11714 check character of an 8-digit 组织机构代码 body."""
    value = 11 - sum(int(c) * w for c, w in zip(digits, (3, 7, 9, 10, 5, 8, 4, 2), strict=True)) % 11
    return {10: "X", 11: "0"}.get(value, str(value))


# ---------------------------------------------------------------------------------------------
# Loans and their life cycle
# ---------------------------------------------------------------------------------------------
@dataclass(eq=False, slots=True)
class _Loan:
    """One 借据: fixed terms plus the state the simulation moves month by month (amounts in cents)."""

    loan_id: str
    borrower: Borrower
    county: str
    industry: str
    product: str  # poverty / personal / sole / corp
    issue_date: dt.date
    maturity_date: dt.date
    issued: int
    term: int  # months
    amortising: bool  # equal principal instalments; otherwise principal at maturity
    poverty: bool
    inclusive: bool
    agri: bool
    balance: int
    cls: int = 1  # 1..5 = 正常..损失
    overdue_since: dt.date | None = None

    def scheduled(self, index: int) -> int:
        """Balance by the repayment schedule at the end of month index (0 once due)."""
        elapsed = index - (self.issue_date.year * 12 + self.issue_date.month - 1)
        if elapsed >= self.term:
            return 0
        if not self.amortising:
            return self.issued
        return self.issued * (self.term - elapsed) // self.term

    def overdue_days(self, end: dt.date) -> int:
        return (end - self.overdue_since).days if self.overdue_since else 0


@dataclass(frozen=True, slots=True)
class LoanRow:
    """One row of a 贷款明细 file, typed (amounts in 元; risk_class is the name even if the file writes 1..5)."""

    data_date: dt.date
    inst_code: str
    loan_id: str
    customer_no: str
    customer_name: str
    id_type: str
    id_number: str
    customer_type: str
    county_code: str
    industry_code: str
    issue_date: dt.date
    maturity_date: dt.date
    issued_amount: Decimal
    balance: Decimal
    overdue_days: int
    risk_class: str
    poverty: bool
    inclusive: bool
    agri: bool


@dataclass(frozen=True, slots=True)
class DisposalEvent:
    """One row of a 不良处置 file (amounts in 元)."""

    data_date: dt.date
    inst_code: str
    disposal_id: str
    loan_id: str
    disposal_date: dt.date
    method_item: str
    method_name: str
    principal: Decimal
    interest: Decimal


# A snapshot row: the loan's fixed terms and its month-end state (balance cents, class 1..5, 逾期天数).
_Snap = tuple[_Loan, int, int, int]

# Disposal methods in the order they pick loans; write-offs go first so they find the loss loans.
_DISPOSAL_ORDER = ("D02", "D03", "D04", "D05", "D06", "D01", "D07")
# Lower weight = picked earlier, per class 3..5 (次级, 可疑, 损失).
_CLASS_PREFERENCE = {
    "D01": (1.0, 1.0, 1.6),
    "D02": (2.5, 0.7, 0.2),
    "D03": (0.8, 0.5, 1.0),
    "D04": (0.5, 0.8, 2.5),
    "D05": (1.0, 0.7, 1.0),
    "D06": (1.0, 0.7, 0.5),
    "D07": (1.0, 0.8, 0.6),
}
# 处置利息 per 处置本金, in basis points (low, high): written-off loans carry the most unpaid interest.
_INTEREST_BP = {
    "D01": (0, 500),
    "D02": (300, 1200),
    "D03": (0, 800),
    "D04": (0, 300),
    "D05": (0, 600),
    "D06": (0, 400),
    "D07": (0, 200),
}


class _Institution:
    """The loan book of one rural-credit institution, moved forward one month at a time."""

    def __init__(self, code: str, counties: list[str], identities: _Identities) -> None:
        self.code = code
        self.counties = counties
        self.identities = identities
        self.loans: dict[str, list[_Loan]] = {county: [] for county in counties}
        self.pool: dict[tuple[str, str], list[Borrower]] = defaultdict(list)
        self.loan_seq = 0
        self.customer_seq = 0
        self.disposal_seq: dict[str, int] = defaultdict(int)

    # -- new business --------------------------------------------------------------------------
    def _borrower(self, rng: random.Random, county: str, product: str, industry: str) -> Borrower:
        pool = self.pool[(county, product)]
        # Customers come back: renewals, a second loan for a farmer, several drawings of a company.
        reuse = {"poverty": 0.1, "personal": 0.12, "sole": 0.25, "corp": 0.4}[product]
        if pool and rng.random() < reuse:
            return rng.choice(pool)
        ids = self.identities
        self.customer_seq += 1
        customer_no = _CUSTOMER_FORMATS[self.code](self.customer_seq)
        if product in ("poverty", "personal"):
            born = (1955, 1985) if product == "poverty" else (1962, 1998)
            if rng.random() < 0.02:
                id_type, number = "其他", ids.other_id(rng, enterprise=False)
            else:
                id_type, number = "身份证", ids.resident_id(rng, county, *born)
            borrower = Borrower(customer_no, ids.person_name(rng), id_type, number, "个人")
        elif product == "sole":
            owner = ids.person_name(rng)
            shop = rng.choice(_SHOPS.get(industry, ("经营部",)))
            name = f"{self.identities.city.county(county).name}{owner}{shop}"
            if rng.random() < 0.7:
                id_type, number = "统一社会信用代码", ids.uscc(rng, "92", county)
            else:
                id_type, number = "身份证", ids.resident_id(rng, county, 1960, 1995)
            borrower = Borrower(customer_no, name, id_type, number, "个体工商户")
        else:
            cooperative = industry in ("A01", "A03") and rng.random() < 0.3
            name = ids.company_name(rng, county, industry, cooperative)
            if rng.random() < 0.03:
                id_type, number = "其他", ids.other_id(rng, enterprise=True)
            else:
                id_type, number = "统一社会信用代码", ids.uscc(rng, "93" if cooperative else "91", county)
            borrower = Borrower(customer_no, name, id_type, number, "企业")
        pool.append(borrower)
        return borrower

    @staticmethod
    def _terms(rng: random.Random, product: str) -> tuple[int, bool, str]:
        """(term months, amortising, industry) of a new loan of a product."""
        if product == "poverty":
            # 脱贫人口小额信贷: up to 3 years, principal at maturity, for farming.
            return rng.choice((36, 36, 36, 24, 12)), False, rng.choice(("A01", "A01", "A03", "A02", "A04"))
        if product == "personal":
            return (
                rng.choice((12, 24, 36)),
                rng.random() < 0.5,
                rng.choice(("A01", "A01", "A03", "F52", "O80")),
            )
        if product == "sole":
            return rng.choice((12, 12, 24)), rng.random() < 0.4, rng.choice(tuple(_SHOPS))
        term = rng.choices((12, 24, 36, 60), weights=(65, 15, 12, 8))[0]
        return term, term > 12, rng.choice(tuple(_CORP_TRADES))

    @staticmethod
    def draw_amount(rng: random.Random, product: str) -> int:
        """A new loan's amount in cents, round as a loan officer writes it."""
        if product == "poverty":
            return rng.choice((50_000, 50_000, 50_000, 50_000, 30_000, 40_000, 20_000, 10_000)) * 100
        if product == "personal":
            return rng.randrange(30, 501) * 1_000 * 100
        if product == "sole":
            return rng.randrange(10, 301) * 10_000 * 100
        low, high = rng.choices(
            ((100, 500), (500, 1500), (1500, 3000), (3000, 6000)), weights=(45, 30, 15, 10)
        )[0]
        return rng.randrange(low, high + 1) * 10_000 * 100

    def new_loan(
        self, rng: random.Random, county: str, product: str, amount: int, issue: dt.date, term_age: int = 0
    ) -> _Loan:
        """A loan issued on `issue` (in the past for the opening book: term_age months ago)."""
        term, amortising, industry = self._terms(rng, product)
        borrower = self._borrower(rng, county, product, industry)
        self.loan_seq += 1
        inclusive = {
            "poverty": False,
            "personal": rng.random() < 0.4,
            "sole": True,
            "corp": amount <= 1_000 * 10_000 * 100 and rng.random() < 0.8,
        }[product]
        agri = product == "poverty" or (
            (industry in _AGRI_INDUSTRIES and rng.random() < 0.95) or rng.random() < 0.25
        )
        return _Loan(
            loan_id=_LOAN_ID_FORMATS[self.code](issue, self.loan_seq),
            borrower=borrower,
            county=county,
            industry=industry,
            product=product,
            issue_date=issue,
            maturity_date=_add_months_date(issue, term),
            issued=amount,
            term=term,
            amortising=amortising,
            poverty=product == "poverty",
            inclusive=inclusive,
            agri=agri,
            balance=amount,
        )

    # -- the opening book ------------------------------------------------------------------------
    def open_book(self, period: str, targets: dict[str, tuple[int, int, int]]) -> None:
        """Loans outstanding at the end of `period`, near (not exactly) the targets (a01, npl, attention)."""
        end, index = month_end(period), _index(period)
        for county, (a01, npl, attention) in targets.items():
            rng = _rng("open", self.code, county)
            loans = self.loans[county]
            counts = _count_targets(a01)
            for product, count in counts.items():
                for _ in range(count):
                    loans.append(self._aged_loan(rng, county, product, index, end))
            performing_target = a01 - npl
            while sum(loan.balance for loan in loans) < performing_target:
                loans.append(self._aged_loan(rng, county, "corp", index, end))
            rng.shuffle(loans)
            # Watch-list loans, then bad loans that have been bad for a while.
            watched = 0
            for loan in loans:
                if watched >= attention:
                    break
                loan.cls, watched = 2, watched + loan.balance
                if rng.random() < 0.6:
                    loan.overdue_since = end - dt.timedelta(days=rng.randrange(1, 80))
            bad = 0
            while bad < npl:
                product = rng.choices(("poverty", "personal", "sole", "corp"), weights=(20, 30, 28, 22))[0]
                loan = self.new_loan(rng, county, product, self.draw_amount(rng, product), end)
                low, high = rng.choices(((91, 181), (181, 361), (361, 1200)), weights=(50, 32, 18))[0]
                days = rng.randrange(low, high)
                loan.cls = 3 if days <= 180 else 4 if days <= 360 else 5
                loan.overdue_since = end - dt.timedelta(days=days)
                # Lent some months before it fell due; it stopped paying part-way through.
                issue = _add_months_date(loan.overdue_since, -rng.randrange(3, loan.term + 1))
                loan.issue_date, loan.maturity_date = issue, _add_months_date(issue, loan.term)
                loan.loan_id = _LOAN_ID_FORMATS[self.code](issue, self.loan_seq)
                loan.balance = min(loan.issued * rng.randrange(30, 101) // 100, npl - bad)
                loans.append(loan)
                bad += loan.balance

    def _aged_loan(self, rng: random.Random, county: str, product: str, index: int, end: dt.date) -> _Loan:
        amount = self.draw_amount(rng, product)
        loan = self.new_loan(rng, county, product, amount, end)
        age = rng.randrange(loan.term)
        issue = _add_months_date(dt.date(end.year, end.month, rng.randrange(1, 29)), -age)
        loan.issue_date, loan.maturity_date = issue, _add_months_date(issue, loan.term)
        loan.loan_id = _LOAN_ID_FORMATS[self.code](issue, self.loan_seq)
        loan.balance = loan.scheduled(index) or loan.issued
        return loan

    # -- one month -------------------------------------------------------------------------------
    def step(
        self,
        period: str,
        targets: dict[str, tuple[int, int, int]],
        disposals: dict[str, int],
    ) -> list[DisposalEvent]:
        """Move the book to the end of `period` so each county's balance and NPL hit the targets exactly."""
        end, index = month_end(period), _index(period)
        events = self._dispose_all(period, disposals)
        for county in self.counties:
            rng = _rng("step", self.code, county, period)
            a01, npl, attention = targets[county]
            loans = self._run_off(rng, county, index, end)
            self._fix_npl(rng, loans, npl, end)
            self._watch_list(rng, loans, attention, end)
            self._fix_performing(rng, county, loans, a01 - npl, end)
            self.loans[county] = loans
        return events

    def _dispose_all(self, period: str, disposals: dict[str, int]) -> list[DisposalEvent]:
        end = month_end(period)
        stock = [sum(x.balance for x in self.loans[c] if x.cls >= 3) for c in self.counties]
        if sum(disposals.values()) > sum(stock):
            raise AssertionError(f"{self.code} {period}: disposals exceed last month's NPL stock")
        events: list[DisposalEvent] = []
        gone: set[int] = set()  # id() of loans disposed of in full this month
        for item in _DISPOSAL_ORDER:
            amount = disposals.get(item, 0)
            if not amount:
                continue
            # Each county gives up bad loans in proportion to its stock, so none runs dry.
            for county, part in zip(
                self.counties, split_cents(amount, [Decimal(s) for s in stock]), strict=True
            ):
                if part:
                    rng = _rng("dispose", self.code, county, period, item)
                    events += self._dispose(rng, county, item, part, end, gone)
        for county in self.counties:
            self.loans[county] = [x for x in self.loans[county] if id(x) not in gone]
        return events

    def _dispose(
        self, rng: random.Random, county: str, item: str, amount: int, end: dt.date, gone: set[int]
    ) -> list[DisposalEvent]:
        prefs = _CLASS_PREFERENCE[item]
        candidates = [x for x in self.loans[county] if x.cls >= 3 and id(x) not in gone]
        keyed = []
        for loan in candidates:
            weight = prefs[loan.cls - 3]
            if item == "D05" and loan.product in ("poverty", "personal"):
                weight *= 4  # foreclosed collateral: mostly businesses with property pledged
            keyed.append((rng.random() * weight, loan))
        ordered = [loan for _, loan in sorted(keyed, key=lambda pair: pair[0])]
        picks: list[tuple[_Loan, int]] = []
        remaining = amount
        for loan in ordered:
            if loan.balance <= remaining:
                picks.append((loan, loan.balance))
                gone.add(id(loan))
                remaining -= loan.balance
                if remaining == 0:
                    break
        if remaining:
            # The rest comes out of one loan that stays on the books (a partial recovery or write-off).
            partial = next(
                (x for x in ordered if id(x) not in gone and x.balance - remaining >= 10_000),
                None,
            ) or next((x for x in ordered if id(x) not in gone and x.balance > remaining), None)
            if partial is None:
                raise AssertionError(f"{self.code} {county} {end}: no bad loan left for {item} {remaining}")
            picks.append((partial, remaining))
        events = []
        low_bp, high_bp = _INTEREST_BP[item]
        for loan, principal in picks:
            loan.balance -= principal
            self.disposal_seq[end.isoformat()] += 1
            # Securitisation deals close on the quarter's last day; other disposals any working day.
            day = end if item == "D04" else end.replace(day=rng.randrange(1, end.day + 1))
            events.append(
                DisposalEvent(
                    data_date=end,
                    inst_code=self.code,
                    disposal_id=f"CZ{end:%Y%m}{self.code[1:5]}{self.disposal_seq[end.isoformat()]:05d}",
                    loan_id=loan.loan_id,
                    disposal_date=day,
                    method_item=item,
                    method_name=METHOD_NAMES[item],
                    principal=_yuan(principal),
                    interest=_yuan(principal * rng.randrange(low_bp, high_bp + 1) // 10_000),
                )
            )
        return events

    def _run_off(self, rng: random.Random, county: str, index: int, end: dt.date) -> list[_Loan]:
        """Scheduled repayments and maturities of performing loans; bad loans age by class."""
        alive = []
        for loan in self.loans[county]:
            if loan.cls <= 2:
                scheduled = loan.scheduled(index)
                if scheduled == 0:
                    continue  # repaid at maturity
                loan.balance = min(loan.balance, scheduled)
            else:
                days = loan.overdue_days(end)
                # Slow migration keeps 损失 the smallest bad class, as in real rural books.
                if loan.cls == 3 and days > 180 and rng.random() < 0.12:
                    loan.cls = 4
                elif loan.cls == 4 and days > 360 and rng.random() < 0.06:
                    loan.cls = 5
            alive.append(loan)
        return alive

    def _fix_npl(self, rng: random.Random, loans: list[_Loan], target: int, end: dt.date) -> None:
        """Downgrade watch-list (then normal) loans until the county's NPL equals the target exactly."""
        current = sum(x.balance for x in loans if x.cls >= 3)
        if current > target:
            # More bad loans left than the report shows: restructured loans perform again (次级 first).
            upgradable = [x for x in loans if x.cls >= 3]
            rng.shuffle(upgradable)
            upgradable.sort(key=lambda x: x.cls)
            for loan in upgradable:
                if current <= target:
                    break
                loan.cls, loan.overdue_since = 2, None
                current -= loan.balance
        need = target - current
        if need <= 0:
            return
        keyed = []
        for loan in loans:
            if loan.cls <= 2:
                days = loan.overdue_days(end)
                rank = 0 if days > 90 else 1 if loan.cls == 2 else 2
                keyed.append((rank, rng.random(), loan))
        ordered = [loan for _, _, loan in sorted(keyed, key=lambda k: (k[0], k[1]))]
        chosen = _fill_exact(ordered, need)
        for loan in chosen:
            loan.cls = 3
            if loan.overdue_days(end) <= 90:
                loan.overdue_since = end - dt.timedelta(days=rng.randrange(91, 151))

    def _watch_list(self, rng: random.Random, loans: list[_Loan], target: int, end: dt.date) -> None:
        """Cure or clear watch-list loans, then move normal loans onto it towards the report's 关注 share."""
        current = 0
        for loan in loans:
            if loan.cls != 2:
                continue
            if loan.overdue_days(end) > 90:
                loan.overdue_since = None  # arrears paid; left on the watch list (rule 15 stays quiet)
            if rng.random() < 0.05:
                loan.cls, loan.overdue_since = 1, None
            else:
                current += loan.balance
        if current >= target:
            return
        normal = [x for x in loans if x.cls == 1]
        rng.shuffle(normal)
        for loan in normal:
            if current >= target:
                break
            loan.cls = 2
            if rng.random() < 0.6:
                loan.overdue_since = end - dt.timedelta(days=rng.randrange(1, 61))
            current += loan.balance

    def _fix_performing(
        self, rng: random.Random, county: str, loans: list[_Loan], target: int, end: dt.date
    ) -> None:
        """Prepayments and new loans so the county's performing book equals the target exactly."""
        current = sum(x.balance for x in loans if x.cls <= 2)
        gap = target - current
        floor = target // 100  # a bank keeps lending: at least about 1% of its book is new each month
        if gap < floor:
            normal = [x for x in loans if x.cls == 1]
            rng.shuffle(normal)
            prepaid: set[int] = set()
            for loan in normal:
                if gap >= floor:
                    break
                gap += loan.balance
                prepaid.add(id(loan))  # repaid early in full
            loans[:] = [x for x in loans if id(x) not in prepaid]
        new: list[_Loan] = []
        issued = 0
        counts: dict[str, int] = defaultdict(int)
        for loan in loans:
            counts[loan.product] += 1
        wanted = _count_targets(target)
        # Small loans by how far their count is below target, never more than half of the new money.
        for product in ("poverty", "personal", "sole"):
            for _ in range(max(0, wanted[product] - counts[product]) + rng.randrange(0, 3)):
                amount = self.draw_amount(rng, product)
                if issued + amount > gap // 2:
                    break
                new.append(self._issue(rng, county, product, amount, end))
                issued += amount
        # Corporate loans fill the rest; the last one is cut to the remaining amount (to 100 元).
        while issued < gap:
            remaining = gap - issued
            amount = self.draw_amount(rng, "corp")
            if amount >= remaining:
                if remaining >= 500_000 * 100:
                    product, amount = "corp", -(-remaining // 10_000) * 10_000
                elif remaining >= 100_000 * 100:
                    product, amount = "sole", -(-remaining // 10_000) * 10_000
                else:
                    product, amount = "personal", max(10_000 * 100, -(-remaining // 10_000) * 10_000)
            else:
                product = "corp"
            new.append(self._issue(rng, county, product, amount, end))
            issued += amount
        overshoot = issued - gap
        if overshoot:
            # Rounding the last loan up leaves a few 元 too much: an early partial repayment absorbs it.
            payers = [x for x in loans if x.cls == 1 and x.balance - overshoot >= 100_000]
            if not payers:
                raise AssertionError(f"{self.code} {county} {end}: nobody to prepay {overshoot}")
            rng.choice(payers).balance -= overshoot
        loans.extend(new)

    def _issue(self, rng: random.Random, county: str, product: str, amount: int, end: dt.date) -> _Loan:
        issue = end.replace(day=rng.randrange(1, end.day + 1))
        return self.new_loan(rng, county, product, amount, issue)

    def snapshot(self, end: dt.date) -> list[_Snap]:
        rows = []
        for county in self.counties:
            for loan in self.loans[county]:
                rows.append((loan, loan.balance, loan.cls, loan.overdue_days(end)))
        return rows


def _count_targets(a01: int) -> dict[str, int]:
    """How many loans of each small product a county book of this size carries."""
    total = Decimal(a01) / YI_CENTS * LOANS_PER_YI
    return {product: int(total * share) for product, share in COUNT_SHARES.items()}


def _fill_exact(ordered: list[_Loan], need: int) -> list[_Loan]:
    """Loans from `ordered` whose balances sum to `need` exactly, the last one cut down if necessary."""
    chosen, remaining = [], need
    taken: set[int] = set()
    for loan in ordered:
        if loan.balance <= remaining:
            chosen.append(loan)
            taken.add(id(loan))
            remaining -= loan.balance
            if remaining == 0:
                return chosen
    # The smallest loan bigger than what is missing: the borrower repaid part of it before default.
    rest = [x for x in ordered if id(x) not in taken and x.balance > remaining]
    if not rest:
        raise AssertionError(f"not enough loans to make up {need}")
    last = min(rest, key=lambda x: x.balance)
    last.balance = remaining
    chosen.append(last)
    return chosen


# ---------------------------------------------------------------------------------------------
# Simulation over the generator's months and the data the files are written from
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class FileStyle:
    """How one institution's system wrote one month's files (spec/extracts.md section 2 variations)."""

    classes: str  # "name" (正常..损失) or "digit" (1..5)
    flags: str  # "是否" or "YN"
    dates: str  # "compact" (YYYYMMDD), "dash" (YYYY-MM-DD) or "mixed" (发放日期 compact, 到期日期 dash)

    @property
    def variations(self) -> tuple[str, ...]:
        return (f"class_{self.classes}", f"flag_{self.flags}", f"date_{self.dates}")


def file_style(inst_code: str, period: str) -> FileStyle:
    # A bank keeps its export format; now and then a system upgrade changes it for a while.
    template, month = _rng("style", inst_code), _rng("style-month", inst_code, period)
    rng = month if month.random() < 0.3 else template
    return FileStyle(
        classes="digit" if rng.random() < 0.4 else "name",
        flags="YN" if rng.random() < 0.4 else "是否",
        dates=rng.choices(("compact", "dash", "mixed"), weights=(4, 4, 2))[0],
    )


class _Rows(Mapping):
    """(period, inst_code) -> list[LoanRow], built on access so the whole demo is not held as rows."""

    def __init__(self, data: RuralCreditData) -> None:
        self._data = data

    def __getitem__(self, key: tuple[str, str]) -> list[LoanRow]:
        period, inst = key
        end = month_end(period)
        return [
            LoanRow(
                data_date=end,
                inst_code=inst,
                loan_id=loan.loan_id,
                customer_no=loan.borrower.customer_no,
                customer_name=loan.borrower.name,
                id_type=loan.borrower.id_type,
                id_number=loan.borrower.id_number,
                customer_type=loan.borrower.customer_type,
                county_code=loan.county,
                industry_code=loan.industry,
                issue_date=loan.issue_date,
                maturity_date=loan.maturity_date,
                issued_amount=_yuan(loan.issued),
                balance=_yuan(balance),
                overdue_days=days,
                risk_class=CLASS_NAMES[cls - 1],
                poverty=loan.poverty,
                inclusive=loan.inclusive,
                agri=loan.agri,
            )
            for loan, balance, cls, days in self._data.snapshots[key]
        ]

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self._data.snapshots)

    def __len__(self) -> int:
        return len(self._data.snapshots)


@dataclass(eq=False, repr=False)
class RuralCreditData:
    """Loan-level truth per (period, inst_code): month-end loans and the month's disposal events."""

    periods: list[str]
    institutions: list[str]
    snapshots: dict[tuple[str, str], list[_Snap]]
    disposals: dict[tuple[str, str], list[DisposalEvent]]
    styles: dict[tuple[str, str], FileStyle] = field(default_factory=dict)

    def __repr__(self) -> str:
        rows = sum(len(v) for v in self.snapshots.values())
        return (
            f"RuralCreditData({self.periods[0]}..{self.periods[-1]}, {self.institutions}, {rows} loan rows)"
        )

    @property
    def loans(self) -> Mapping[tuple[str, str], list[LoanRow]]:
        return _Rows(self)

    def keys(self) -> list[tuple[str, str]]:
        return list(self.snapshots)

    def class_sums(self) -> dict[tuple[str, str, str, str], int]:
        """(period, inst, county, C01..C05) -> balance in cents."""
        out: dict[tuple[str, str, str, str], int] = defaultdict(int)
        for (period, inst), rows in self.snapshots.items():
            for loan, balance, cls, _days in rows:
                out[(period, inst, loan.county, CLASS_ITEMS[cls - 1])] += balance
        return dict(out)

    @property
    def variations(self) -> dict[str, list[tuple[str, str]]]:
        """Variation name -> (period, inst) of the files using it (formats and content kinds)."""
        out: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for key, rows in self.snapshots.items():
            names = set(self.styles[key].variations)
            for loan, *_ in rows:
                names.add(f"id_{loan.borrower.id_type}")
                names.add(f"customer_{loan.borrower.customer_type}")
            for name in sorted(names):
                out[name].append(key)
        return dict(out)

    def relabel(self, city: DemoCity) -> RuralCreditData:
        """The data under the city's institution and county codes (simulated on the slots).

        Called once, by build_dataset: the loans are relabelled in place (nothing else holds them).
        """
        code = city.inst_code
        loans = {id(loan): loan for rows in self.snapshots.values() for loan, *_ in rows}
        for loan in loans.values():
            loan.county = city.region(loan.county)
        return RuralCreditData(
            periods=self.periods,
            institutions=[code(inst) for inst in self.institutions],
            snapshots={(p, code(inst)): rows for (p, inst), rows in self.snapshots.items()},
            disposals={
                (p, code(inst)): [dataclasses.replace(e, inst_code=code(e.inst_code)) for e in events]
                for (p, inst), events in self.disposals.items()
            },
            styles={(p, code(inst)): style for (p, inst), style in self.styles.items()},
        )

    def restrict(self, periods: list[str]) -> RuralCreditData:
        wanted = set(periods)
        return RuralCreditData(
            periods=[p for p in self.periods if p in wanted],
            institutions=self.institutions,
            snapshots={k: v for k, v in self.snapshots.items() if k[0] in wanted},
            disposals={k: v for k, v in self.disposals.items() if k[0] in wanted},
            styles={k: v for k, v in self.styles.items() if k[0] in wanted},
        )


def simulate(
    rural: list[tuple[str, list[str]]],
    periods: list[str],
    balances: dict[tuple[str, str, str, str], int],
    disposals: dict[tuple[str, str, str], tuple[int, int]],
    city: DemoCity = HEBI,
) -> RuralCreditData:
    """Run the loan books of the rural institutions through `periods` (cents in, cents matched exactly).

    rural: (inst_code, counties) pairs, on the slot codes, and so is the result (RuralCreditData.relabel
    moves it to the city's); the borrowers' names and ID numbers are the city's already. Each
    county's month-end 贷款余额 equals its A01 and its 次级+可疑+损失 equals C03+C04+C05 of
    `balances`; each month's disposals by method equal the D items of `disposals`. The split among the bad classes and 关注 is the loans' own (the generator
    takes it over), which keeps the life cycle free of artificial plugs.
    """
    identities = _Identities(city)
    books = {code: _Institution(code, counties, identities) for code, counties in rural}

    def targets(period: str, code: str) -> dict[str, tuple[int, int, int]]:
        out = {}
        for county in books[code].counties:
            cell = {
                item: balances[(period, code, county, item)] for item in ("A01", "C02", "C03", "C04", "C05")
            }
            out[county] = (cell["A01"], cell["C03"] + cell["C04"] + cell["C05"], cell["C02"])
        return out

    first = periods[0]
    for code, book in books.items():
        # The book before the first month carries what the first month disposes of.
        opening = targets(first, code)
        month_disposals = sum(disposals[(first, code, item)][0] for item in DISPOSAL_ITEMS)
        npl_total = sum(npl for _a, npl, _c in opening.values()) or 1
        opening = {
            county: (a01, npl + month_disposals * npl // npl_total, c02)
            for county, (a01, npl, c02) in opening.items()
        }
        book.open_book(add_months(first, -1), opening)

    snapshots: dict[tuple[str, str], list[_Snap]] = {}
    events: dict[tuple[str, str], list[DisposalEvent]] = {}
    # Month by month across institutions: a month never depends on a later one, so a longer
    # horizon leaves earlier months as they were.
    for period in periods:
        for code, book in books.items():
            amounts = {item: disposals[(period, code, item)][0] for item in DISPOSAL_ITEMS}
            events[(period, code)] = book.step(period, targets(period, code), amounts)
            snapshots[(period, code)] = book.snapshot(month_end(period))
    return RuralCreditData(
        periods=list(periods),
        institutions=list(books),
        snapshots=snapshots,
        disposals=events,
        styles={(p, code): file_style(code, p) for p in periods for code in books},
    )


def build_rural_credit(dataset) -> RuralCreditData:
    """The loan-level data of a demo dataset (built with it, since it also fixes the rural C items)."""
    if getattr(dataset, "rural_credit", None) is None:
        from demo.generator import build_dataset

        return build_dataset(dataset.first, dataset.last, getattr(dataset, "city", HEBI)).rural_credit
    return dataset.rural_credit


# ---------------------------------------------------------------------------------------------
# Files
# ---------------------------------------------------------------------------------------------
def _date_text(day: dt.date, style: str) -> str:
    return f"{day:%Y-%m-%d}" if style == "dash" else f"{day:%Y%m%d}"


def render_loans(data: RuralCreditData, period: str, inst: str) -> bytes:
    style = data.styles[(period, inst)]
    data_date = f"{month_end(period):%Y%m%d}"
    yes, no = ("Y", "N") if style.flags == "YN" else ("是", "否")
    issue_style = "compact" if style.dates == "mixed" else style.dates
    maturity_style = "dash" if style.dates == "mixed" else style.dates
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(LOAN_HEADER)
    for loan, balance, cls, days in data.snapshots[(period, inst)]:
        b = loan.borrower
        writer.writerow(
            (
                data_date,
                inst,
                loan.loan_id,
                b.customer_no,
                b.name,
                b.id_type,
                b.id_number,
                b.customer_type,
                loan.county,
                loan.industry,
                _date_text(loan.issue_date, issue_style),
                _date_text(loan.maturity_date, maturity_style),
                _yuan_text(loan.issued),
                _yuan_text(balance),
                days,
                str(cls) if style.classes == "digit" else CLASS_NAMES[cls - 1],
                yes if loan.poverty else no,
                yes if loan.inclusive else no,
                yes if loan.agri else no,
            )
        )
    return out.getvalue().encode(ENCODING)


def render_disposals(data: RuralCreditData, period: str, inst: str) -> bytes:
    style = data.styles[(period, inst)]
    date_style = "compact" if style.dates == "mixed" else style.dates
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(DISPOSAL_HEADER)
    for e in data.disposals[(period, inst)]:
        writer.writerow(
            (
                f"{e.data_date:%Y%m%d}",
                e.inst_code,
                e.disposal_id,
                e.loan_id,
                _date_text(e.disposal_date, date_style),
                e.method_name,
                f"{e.principal:.2f}",
                f"{e.interest:.2f}",
            )
        )
    return out.getvalue().encode(ENCODING)


def file_names(period: str, inst: str) -> tuple[str, str]:
    yyyymm = period.replace("-", "")
    return f"{inst}_{yyyymm}_贷款明细.csv", f"{inst}_{yyyymm}_不良处置.csv"


def write_rural_credit(data: RuralCreditData, landing: Path) -> list[Path]:
    """Write landing/rural_credit/<YYYY-MM>/<inst>_<YYYYMM>_贷款明细.csv and _不良处置.csv; return the paths."""
    written = []
    for period in data.periods:
        folder = Path(landing) / SOURCE / period
        folder.mkdir(parents=True, exist_ok=True)
        for inst in data.institutions:
            loans_name, disposals_name = file_names(period, inst)
            (folder / loans_name).write_bytes(render_loans(data, period, inst))
            (folder / disposals_name).write_bytes(render_disposals(data, period, inst))
            written += [folder / loans_name, folder / disposals_name]
    return written


# ---------------------------------------------------------------------------------------------
# Benchmark: one very large month, written column-wise with numpy (no per-row Python formatting)
# ---------------------------------------------------------------------------------------------
def write_benchmark_month(
    landing: Path, period: str, n_rows: int, inst_code: str = "B1280H41061121", chunk: int = 200_000
) -> list[Path]:
    """One 贷款明细 file of n_rows loans (valid IDs, unique 借据号) and a header-only 不良处置 file.

    The rows are synthetic (they do not agree with any bank_loans report); the point is volume.
    """
    import numpy as np

    folder = Path(landing) / SOURCE / period
    folder.mkdir(parents=True, exist_ok=True)
    loans_name, disposals_name = file_names(period, inst_code)
    end = month_end(period)
    gen = np.random.default_rng(SEED)

    # A pool of borrowers, made once with the same identity rules as the demo, then sampled.
    identities, rng = _Identities(HEBI), _rng("benchmark", inst_code)
    book = _Institution("B1280H41061121", [], identities)  # only its borrower factory is used
    customer_format = _CUSTOMER_FORMATS.get(inst_code, lambda seq: f"K{seq:011d}")
    pool = []
    counties = SLOT_COUNTIES
    for i in range(min(20_000, max(1, n_rows // 4))):
        county = counties[i % len(counties)]
        product = ("poverty", "personal", "sole", "corp")[i % 4]
        industry = _Institution._terms(rng, product)[2]
        book.pool.clear()
        b = book._borrower(rng, county, product, industry)
        pool.append(
            (customer_format(i + 1), b.name, b.id_type, b.id_number, b.customer_type, county, industry)
        )

    def enc(values) -> np.ndarray:
        return np.array([str(v).encode(ENCODING) for v in values], dtype=object).astype(bytes)

    pool_cols = [enc(col) for col in zip(*pool, strict=True)]
    days = np.arange(0, 3 * 365)
    issue_pool = enc(f"{end - dt.timedelta(days=int(d)):%Y%m%d}" for d in days)
    maturity_pool = enc(f"{end + dt.timedelta(days=int(d)):%Y-%m-%d}" for d in days)
    class_pool = enc(CLASS_NAMES)
    flag_pool = enc(("否", "是"))
    head = ",".join(LOAN_HEADER).encode(ENCODING) + b"\r\n"
    prefix = f"{end:%Y%m%d},{inst_code},BM{end:%Y%m}".encode()

    def money(cents: np.ndarray) -> np.ndarray:
        whole = (cents // 100).astype(bytes)
        frac = np.strings.zfill((cents % 100).astype(bytes), 2)
        return np.strings.add(np.strings.add(whole, b"."), frac)

    path = folder / loans_name
    with open(path, "wb") as fh:
        fh.write(head)
        for start in range(0, n_rows, chunk):
            n = min(chunk, n_rows - start)
            who = gen.integers(0, len(pool), n)
            cls = gen.choice(5, n, p=[0.80, 0.12, 0.04, 0.025, 0.015])
            overdue = np.select(
                [cls == 0, cls == 1, cls == 2, cls == 3],
                [0, gen.integers(0, 91, n), gen.integers(91, 181, n), gen.integers(181, 361, n)],
                gen.integers(361, 1500, n),
            )
            issued = gen.integers(10, 5_000, n) * 1_000_000  # 1万..5000万 in cents
            balance = issued * gen.integers(5, 101, n) // 100 + gen.integers(0, 100, n)
            balance = np.minimum(balance, issued)
            seq = np.strings.zfill(np.arange(start + 1, start + n + 1).astype(bytes), 10)
            cols = [
                np.strings.add(prefix, seq),
                *(col[who] for col in pool_cols[:6]),
                pool_cols[6][who],
                issue_pool[gen.integers(0, len(days), n)],
                maturity_pool[gen.integers(0, len(days), n)],
                money(issued),
                money(balance),
                overdue.astype(bytes),
                class_pool[cls],
                flag_pool[gen.integers(0, 2, n)],
                flag_pool[gen.integers(0, 2, n)],
                flag_pool[gen.integers(0, 2, n)],
            ]
            line = cols[0]
            for col in cols[1:]:
                line = np.strings.add(np.strings.add(line, b","), col)
            fh.write(b"\r\n".join(line.tolist()) + b"\r\n")
    disposals_path = folder / disposals_name
    disposals_path.write_bytes(",".join(DISPOSAL_HEADER).encode(ENCODING) + b"\r\n")
    return [path, disposals_path]
