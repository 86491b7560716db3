"""The institution register (institutions.csv) and regions (regions.csv) from the reference folder."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

CITY_LEVEL_NAME = "市本级"
# The officer edits institutions.csv by hand: accept the spellings of "true" people type.
_TRUE_TEXT = frozenset({"true", "1", "yes", "y", "是"})


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


def _read_rows(path: Path) -> list[dict[str, str]]:
    # utf-8-sig: the officer edits these files in Excel, which adds a BOM when saving as UTF-8.
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return [{k.strip(): (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]


def load_reference(reference_dir: Path) -> Reference:
    """Read institutions.csv and regions.csv; the city is the region whose code ends in 00."""
    institutions = {
        row["inst_code"]: Institution(
            inst_code=row["inst_code"],
            inst_name=row.get("inst_name", ""),
            reports_from=row["reports_from"],
            reports_to=row.get("reports_to") or None,
            is_rural_credit=(row.get("is_rural_credit") or "").lower() in _TRUE_TEXT,
        )
        for row in _read_rows(reference_dir / "institutions.csv")
    }
    regions = {row["region_code"]: row["region_name"] for row in _read_rows(reference_dir / "regions.csv")}
    # GB/T 2260: a prefecture-level city's own code ends in 00; districts and counties do not.
    city_codes = [code for code in regions if code.endswith("00")]
    if len(city_codes) != 1:
        raise ValueError(
            f"regions.csv must hold exactly one city row (code ending in 00), found {city_codes}"
        )
    return Reference(institutions=institutions, region_names=regions, city_code=city_codes[0])
