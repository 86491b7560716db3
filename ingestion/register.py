"""The institution register (institutions.csv) and regions (regions.csv) from the reference folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from finstat.reference import check_reference, is_true

CITY_LEVEL_NAME = "市本级"


@dataclass(frozen=True)
class Institution:
    """One row of the register."""

    inst_code: str
    inst_name: str
    reports_from: str
    reports_to: str | None
    # 农信系统 (农村商业银行, 农村信用社): only these deliver rural_credit files (rule 3).
    is_rural_credit: bool = False

    def in_scope(self, period: str) -> bool:
        """True when the institution must report for the month (reports_to empty = still reporting)."""
        return self.reports_from <= period and (self.reports_to is None or period <= self.reports_to)


@dataclass(frozen=True)
class Reference:
    """Register and region catalogue read once per ingestion run."""

    institutions: dict[str, Institution]
    region_names: dict[str, str]
    city_code: str

    def county_code_for_header(self, header: object) -> str | None:
        """GB/T 2260 code of a county column headed by name or by code; 市本级 -> the city code."""
        text = header_text(header)
        if not text:
            return None
        if text == CITY_LEVEL_NAME:
            return self.city_code
        if text in self.region_names:
            return text
        for code, name in self.region_names.items():
            if name == text and code != self.city_code:
                return code
        return None

    def is_region(self, code: str) -> bool:
        return code in self.region_names


def header_text(value: object) -> str:
    """A header cell as compact text: spaces (incl. U+3000) removed, integral numbers without .0."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if value is None:
        return ""
    return "".join(str(value).split()).replace("\u3000", "")


def load_reference(reference_dir: Path) -> Reference:
    """Read and check institutions.csv and regions.csv (finstat.reference); the city is the row ending in 00."""
    summary = check_reference(reference_dir)
    institutions = {
        row["inst_code"]: Institution(
            inst_code=row["inst_code"],
            inst_name=row["inst_name"],
            reports_from=row["reports_from"],
            reports_to=row["reports_to"] or None,
            is_rural_credit=is_true(row["is_rural_credit"]),
        )
        for row in summary.institutions
    }
    regions = summary.regions
    return Reference(institutions=institutions, region_names=regions.names, city_code=regions.city.code)
