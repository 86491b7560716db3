"""The bureau's reference files (regions.csv, institutions.csv, poverty_households.csv): read, checked, and the city they name."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import partial
from pathlib import Path

REGIONS_FILE = "regions.csv"
INSTITUTIONS_FILE = "institutions.csv"
POVERTY_FILE = "poverty_households.csv"
# extracts.md, reference data: the denominators of the poverty-credit rates, per year and county.
POVERTY_COLUMNS = ("year", "region_code", "脱贫户数", "监测对象户数")
POVERTY_COUNTS = ("脱贫户数", "监测对象户数")
REGION_COLUMNS = ("region_code", "region_name")
INSTITUTION_COLUMNS = (
    "inst_code",
    "inst_name",
    "inst_type",
    "is_rural_credit",
    "region_code",
    "reports_from",
    "reports_to",
)
# extracts.md, reference data: the institution types of the register.
INSTITUTION_TYPES = frozenset(
    {
        "政策性银行",
        "国有大型商业银行",
        "股份制商业银行",
        "城市商业银行",
        "农村商业银行",
        "农村信用社",
        "村镇银行",
        "邮政储蓄银行",
        "外资银行",
        "其他",
    }
)
# The officer edits institutions.csv by hand: accept the spellings of true/false people type.
TRUE_TEXT = frozenset({"true", "1", "yes", "y", "是"})
FALSE_TEXT = frozenset({"false", "0", "no", "n", "否", ""})
_REGION_CODE = re.compile(r"\d{6}")
_INST_CODE = re.compile(r"[A-Z0-9]{14}")
_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")
_YEAR = re.compile(r"\d{4}")
_COUNT = re.compile(r"\d+")


class ReferenceError(ValueError):
    """A reference file finstat cannot use; the message names the file, row and column."""


@dataclass(frozen=True)
class City:
    """The city a bureau serves: its regions.csv row whose code ends in 00 (GB/T 2260)."""

    code: str
    name: str

    def is_city(self, region_code: str) -> bool:
        """True for the city's own row (市本级 amounts share its code)."""
        return region_code == self.code


@dataclass(frozen=True)
class Regions:
    """regions.csv: the city and its districts and counties, code -> name."""

    city: City
    names: dict[str, str]

    @property
    def counties(self) -> list[str]:
        """The district and county codes (every row but the city's), in code order."""
        return sorted(code for code in self.names if code != self.city.code)


@dataclass(frozen=True)
class PovertyHouseholds:
    """poverty_households.csv: (year, county code) -> (脱贫户数, 监测对象户数)."""

    counts: dict[tuple[int, str], tuple[int, int]]

    @property
    def years(self) -> list[int]:
        return sorted({year for year, _ in self.counts})

    def counties_of(self, year: int) -> list[str]:
        """The counties with a row for the year, in code order."""
        return sorted(county for y, county in self.counts if y == year)


@dataclass(frozen=True)
class ReferenceSummary:
    """What `finstat check-reference` found: the city, its counties, the register's size, the poverty counts."""

    folder: Path
    regions: Regions
    institutions: list[dict[str, str]]
    # Only the V figures (poverty-credit rates) need poverty_households.csv: a problem with it is
    # reported here, never a reason to stop the loan figures (gate rule 29 withholds what needs it).
    poverty: PovertyHouseholds | None = None
    poverty_problem: str | None = None


def read_rows(path: Path, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """(line number, row) of a reference CSV with every required column; cells stripped."""
    if not path.is_file():
        raise ReferenceError(f"{path}: file not found (FINSTAT_REFERENCE_DIR names the reference folder)")
    # utf-8-sig: the officer edits these files in Excel, which adds a BOM when saving as UTF-8.
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = [(name or "").strip() for name in reader.fieldnames or []]
            missing = [c for c in columns if c not in header]
            if missing:
                raise ReferenceError(
                    f"{path} row 1: missing column(s) {', '.join(missing)} (header: {header})"
                )
            rows = []
            for row in reader:
                # Cells past the header's columns (csv puts them under the key None): empty ones are
                # what Excel leaves after a deleted column; any other would shift the row's meaning.
                extra = [cell for cell in row.pop(None, []) if cell.strip()]
                if extra:
                    raise ReferenceError(
                        f"{path} row {reader.line_num}: {len(extra)} cell(s) more than the header's "
                        f"columns ({', '.join(header)}): a comma inside a value?"
                    )
                if any((v or "").strip() for v in row.values()):
                    # Line numbers as a spreadsheet shows them: the header is row 1.
                    rows.append(
                        (reader.line_num, {(k or "").strip(): (v or "").strip() for k, v in row.items()})
                    )
            return rows
    except UnicodeDecodeError as exc:
        raise ReferenceError(
            f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start}); save it as CSV UTF-8"
        ) from exc


def read_regions(reference_dir: Path) -> Regions:
    """regions.csv checked: six-digit unique codes, one city row (…00), every other row one of its counties."""
    path = Path(reference_dir) / REGIONS_FILE
    names: dict[str, str] = {}
    lines: dict[str, int] = {}
    for line, row in read_rows(path, REGION_COLUMNS):
        code, name = row["region_code"], row["region_name"]
        if not _REGION_CODE.fullmatch(code):
            raise ReferenceError(
                f"{path} row {line}, column region_code: {code!r} is not a six-digit GB/T 2260 code"
            )
        if not name:
            raise ReferenceError(f"{path} row {line}, column region_name: empty")
        if code in names:
            raise ReferenceError(f"{path} row {line}, column region_code: {code} repeats row {lines[code]}")
        names[code], lines[code] = name, line
    cities = [code for code in names if code.endswith("00")]
    if len(cities) != 1:
        found = ", ".join(f"{c} (row {lines[c]})" for c in cities) or "none"
        raise ReferenceError(
            f"{path}: exactly one row must be the city total (region_code ending in 00); found {found}"
        )
    city = City(code=cities[0], name=names[cities[0]])
    for code, line in lines.items():
        # GB/T 2260: a city's districts and counties share its first four digits.
        if code != city.code and code[:4] != city.code[:4]:
            raise ReferenceError(
                f"{path} row {line}, column region_code: {code} is not a district or county of "
                f"{city.name} ({city.code}): its code must start with {city.code[:4]}"
            )
    if len(names) == 1:
        raise ReferenceError(f"{path}: the city {city.code} has no district or county row")
    return Regions(city=city, names=names)


def _cell_error(path: Path, line: int, column: str, why: str) -> ReferenceError:
    return ReferenceError(f"{path} row {line}, column {column}: {why}")


def read_institutions(reference_dir: Path, regions: Regions) -> list[dict[str, str]]:
    """institutions.csv checked against the contract and regions.csv; rows as read (cells stripped)."""
    path = Path(reference_dir) / INSTITUTIONS_FILE
    rows: list[dict[str, str]] = []
    seen: dict[str, int] = {}
    for line, row in read_rows(path, INSTITUTION_COLUMNS):
        bad = partial(_cell_error, path, line)
        code = row["inst_code"]
        if not _INST_CODE.fullmatch(code):
            raise bad("inst_code", f"{code!r} is not a 14-character 金融机构编码 (A-Z, 0-9)")
        if code in seen:
            raise bad("inst_code", f"{code} repeats row {seen[code]}")
        seen[code] = line
        if row["inst_type"] not in INSTITUTION_TYPES:
            raise bad(
                "inst_type", f"{row['inst_type']!r} is not one of {'、'.join(sorted(INSTITUTION_TYPES))}"
            )
        if row["is_rural_credit"].lower() not in TRUE_TEXT | FALSE_TEXT:
            raise bad("is_rural_credit", f"{row['is_rural_credit']!r} is neither true nor false")
        if row["region_code"] not in regions.names:
            raise bad(
                "region_code",
                f"{row['region_code']!r} is not a region of {REGIONS_FILE} "
                f"(the city {regions.city.code} or one of {', '.join(regions.counties)})",
            )
        if not _MONTH.fullmatch(row["reports_from"]):
            raise bad("reports_from", f"{row['reports_from']!r} is not a month YYYY-MM")
        if row["reports_to"] and not _MONTH.fullmatch(row["reports_to"]):
            raise bad(
                "reports_to", f"{row['reports_to']!r} is not a month YYYY-MM (or empty: still reporting)"
            )
        if row["reports_to"] and row["reports_to"] < row["reports_from"]:
            raise bad("reports_to", f"{row['reports_to']} is before reports_from {row['reports_from']}")
        rows.append(row)
    if not rows:
        raise ReferenceError(f"{path}: the register has no institution")
    return rows


def read_poverty_households(reference_dir: Path, regions: Regions) -> PovertyHouseholds:
    """poverty_households.csv checked: a year, a county of regions.csv, counts, one row per (year, county).

    A count is a denominator: a file that is missing, empty or malformed raises ReferenceError naming
    the file, row and column, rather than giving a rate over zero households.
    """
    path = Path(reference_dir) / POVERTY_FILE
    counts: dict[tuple[int, str], tuple[int, int]] = {}
    lines: dict[tuple[int, str], int] = {}
    for line, row in read_rows(path, POVERTY_COLUMNS):
        bad = partial(_cell_error, path, line)
        if not _YEAR.fullmatch(row["year"]):
            raise bad("year", f"{row['year']!r} is not a year YYYY")
        code = row["region_code"]
        if regions.city.is_city(code):
            raise bad(
                "region_code",
                f"{code} is the city {regions.city.name} itself: rows are per district or county "
                f"({', '.join(regions.counties)}); 市本级 amounts have no rate and need no row",
            )
        if code not in regions.names:
            raise bad(
                "region_code",
                f"{code!r} is not a district or county of {REGIONS_FILE} ({', '.join(regions.counties)})",
            )
        for column in POVERTY_COUNTS:
            if not _COUNT.fullmatch(row[column]):
                raise bad(column, f"{row[column]!r} is not a whole number of households (0 or more)")
        key = (int(row["year"]), code)
        if key in counts:
            raise bad("region_code", f"{row['year']} {code} repeats row {lines[key]}")
        counts[key] = (int(row["脱贫户数"]), int(row["监测对象户数"]))
        lines[key] = line
    if not counts:
        raise ReferenceError(f"{path}: no row (one per year and district or county is expected)")
    return PovertyHouseholds(counts)


def check_reference(reference_dir: Path) -> ReferenceSummary:
    """The reference files read and checked; raises ReferenceError naming the file, row and column.

    regions.csv and institutions.csv must be usable; a problem with poverty_households.csv is
    returned in `poverty_problem` (it stops only the poverty-credit rates).
    """
    regions = read_regions(reference_dir)
    institutions = read_institutions(reference_dir, regions)
    try:
        poverty, problem = read_poverty_households(reference_dir, regions), None
    except ReferenceError as exc:
        poverty, problem = None, str(exc)
    return ReferenceSummary(Path(reference_dir), regions, institutions, poverty, problem)


def load_city(reference_dir: Path) -> City:
    """The city of the reference folder (regions.csv checked)."""
    return read_regions(reference_dir).city


def dbt_vars(reference_dir: Path) -> dict[str, str | bool]:
    """The vars every dbt build of the project needs: the city (dbt_project/macros/city.sql), and
    whether poverty_households.csv passed its check (dbt reads it only then: a missing or malformed
    file gives no row, so gate rule 29 names the rows a month with poverty credit lacks, instead of
    dbt failing the whole month or reading a wrong denominator)."""
    summary = check_reference(reference_dir)
    return {
        "city_region_code": summary.regions.city.code,
        "poverty_households_usable": summary.poverty_problem is None,
    }


def is_true(text: str) -> bool:
    """is_rural_credit as the officer typed it."""
    return text.lower() in TRUE_TEXT
