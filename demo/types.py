"""What every demo generator shares: the seed, exact cent splitting, the register row, the dataset."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from demo.city import HEBI, DemoCity
from finstat.periods import month_range

# Every random stream of the demo is keyed by this seed and its purpose (and each module's name).
SEED = 20220531


def split_cents(total: int, weights: list[Decimal]) -> list[int]:
    """Split an amount in cents by weights with exact sum (largest remainder; zero weight gets zero)."""
    weight_sum = sum(weights, Decimal(0))
    if total == 0 or weight_sum == 0:
        if total and weight_sum == 0:
            raise ValueError("cannot split a non-zero amount with zero weights")
        return [0] * len(weights)
    raw = [Decimal(total) * w / weight_sum for w in weights]
    parts = [int(r) for r in raw]  # floors: everything here is non-negative
    short = total - sum(parts)
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - parts[i]), i))
    for i in order[:short]:
        parts[i] += 1
    return parts


@dataclass(frozen=True)
class Institution:
    """One row of the institution register (机构名录)."""

    code: str
    name: str
    inst_type: str
    is_rural_credit: bool
    region_code: str
    reports_from: str
    reports_to: str | None

    def in_scope(self, period: str) -> bool:
        return self.reports_from <= period and (self.reports_to is None or period <= self.reports_to)


@dataclass(frozen=True)
class FilePlan:
    """One landing file: where it goes, its format and the spec variations it exercises."""

    period: str
    inst_code: str
    relpath: str  # relative to the landing root, e.g. bank_loans/2022-05/xxx.xlsx
    fmt: str  # "xlsx" or "csv"
    options: tuple[tuple[str, object], ...]
    variations: tuple[str, ...]

    def option(self, name: str, default: object = None) -> object:
        return dict(self.options).get(name, default)


@dataclass
class DemoDataset:
    """The generator's truth: balances and disposals in 元, the register, and the planned files."""

    first: str
    last: str
    institutions: list[Institution]
    regions: dict[str, str]
    balances: dict[tuple[str, str, str, str], Decimal]
    disposals: dict[tuple[str, str, str], tuple[Decimal, Decimal]]
    files: list[FilePlan] = field(default_factory=list)
    # Loan-level rural_credit data (demo.rural_credit.RuralCreditData); left out of == and repr,
    # which would otherwise walk a hundred thousand loans.
    rural_credit: object = field(default=None, compare=False, repr=False)
    # The inclusive-finance platform's records (demo.platform.PlatformData), kept out of == and repr
    # for the same reason.
    platform: object = field(default=None, compare=False, repr=False)
    # The programme reports (demo.bank_programmes.ProgrammeData): their own numbers and file plans,
    # kept apart from `files`, which are the bank_loans reports.
    programmes: object = field(default=None, compare=False, repr=False)
    # The bureau's own ledgers (demo.ledgers.LedgerData), kept out of == and repr like the platform.
    ledgers: object = field(default=None, compare=False, repr=False)
    # Whose codes and names the dataset carries (its numbers are Hebi's, relabelled).
    city: DemoCity = HEBI

    @property
    def periods(self) -> list[str]:
        return month_range(self.first, self.last)

    @property
    def variations(self) -> dict[str, list[str]]:
        """Variation name -> relative paths of the files that use it."""
        out: dict[str, list[str]] = defaultdict(list)
        for plan in self.files:
            for name in plan.variations:
                out[name].append(plan.relpath)
        return dict(out)

    def institution(self, code: str) -> Institution:
        return next(inst for inst in self.institutions if inst.code == code)
