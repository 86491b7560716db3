"""Loans and their life cycle: one rural-credit institution's book, moved forward a month at a time."""

from __future__ import annotations

import calendar
import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from demo.rural_credit.base import METHOD_NAMES, _rng, _yuan, month_end
from demo.rural_credit.identities import _CORP_TRADES, _SHOPS, Borrower, _Identities
from demo.types import split_cents

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
# Farming and food industries: their loans are nearly always 涉农 (the 涉农标志 column).
_AGRI_INDUSTRIES = ("A01", "A02", "A03", "A04", "C13", "C14")


def _index(period: str) -> int:
    year, month = map(int, period.split("-"))
    return year * 12 + month - 1


def _add_months_date(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


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
