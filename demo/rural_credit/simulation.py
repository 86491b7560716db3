"""Simulation over the generator's months and the data the files are written from."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from demo.city import HEBI, DemoCity
from demo.rural_credit.base import CLASS_ITEMS, CLASS_NAMES, _rng, _yuan, month_end
from demo.rural_credit.identities import _Identities
from demo.rural_credit.loans import DisposalEvent, LoanRow, _Institution, _Snap
from finstat.items import DISPOSAL_ITEMS
from finstat.periods import add_months


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
