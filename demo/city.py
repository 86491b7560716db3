"""The city a demo is generated for: its codes, names and local place names, and its reference files.

The generator's numbers and random streams are keyed by Hebi's codes, the *slots*; a DemoCity
relabels them. Its counties map to the slots in code order, so anything sorted by code keeps its
order, and its place-name tuples have the lengths of Hebi's, so `rng.choice` draws the same.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"
# The slots: Hebi's city and county codes, in code order.
SLOT_CITY = "410600"
SLOT_COUNTIES = ("410602", "410603", "410611", "410621", "410622")


@dataclass(frozen=True)
class DemoCounty:
    """A district or county: code, name, the short form in bank names, the names firms take."""

    code: str
    name: str  # 淇滨区; also the prefix of shop and cooperative names
    short: str  # 淇滨, as in 鹤壁淇滨农村商业银行
    places: tuple[str, ...]  # company-name prefixes of the rural-credit borrowers
    platform_places: tuple[str, ...]  # company-name prefixes of the platform's enterprises


@dataclass(frozen=True)
class DemoCity:
    """A prefecture-level city and its five districts and counties, in slot order."""

    key: str  # the command line's name for it
    code: str
    name: str  # 鹤壁市
    short: str  # 鹤壁
    phone_area: str  # in the reports' footers
    counties: tuple[DemoCounty, ...]
    _regions: dict[str, str] = field(init=False, repr=False, compare=False)
    _slots: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        codes = [c.code for c in self.counties]
        if len(codes) != len(SLOT_COUNTIES) or codes != sorted(codes):
            raise ValueError(f"{self.key}: five counties in code order, one per slot")
        if not self.code.endswith("00") or any(c[:4] != self.code[:4] for c in codes):
            raise ValueError(f"{self.key}: the counties must belong to the city {self.code}")
        regions = dict(zip((SLOT_CITY, *SLOT_COUNTIES), (self.code, *codes), strict=True))
        object.__setattr__(self, "_regions", regions)
        object.__setattr__(self, "_slots", {code: slot for slot, code in regions.items()})

    @property
    def county_codes(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.counties)

    @property
    def regions(self) -> dict[str, str]:
        """regions.csv: the city total first, then the counties."""
        return {self.code: self.name, **{c.code: c.name for c in self.counties}}

    def county(self, slot: str) -> DemoCounty:
        """The county in a slot (Hebi's county code)."""
        return self.counties[SLOT_COUNTIES.index(slot)]

    def region(self, slot: str) -> str:
        """This city's code for a slot region code (410600 or a Hebi county)."""
        return self._regions[slot]

    def slot_region(self, code: str) -> str:
        return self._slots[code]

    def inst_code(self, slot_code: str) -> str:
        """An institution code with its region part (characters 7-12) moved to this city."""
        return slot_code[:6] + self.region(slot_code[6:12]) + slot_code[12:]

    def slot_inst(self, code: str) -> str:
        """The slot (Hebi) institution code behind one of this city's codes."""
        return code[:6] + self.slot_region(code[6:12]) + code[12:]

    def inst_name(self, hebi_name: str) -> str:
        """A Hebi institution name with the city's and counties' short names replaced."""
        table = {
            HEBI.short: self.short,
            **{h.short: c.short for h, c in zip(HEBI.counties, self.counties, strict=True)},
        }
        # One pass, longest first: a replacement never gets replaced again.
        pattern = "|".join(map(re.escape, sorted(table, key=len, reverse=True)))
        return re.sub(pattern, lambda m: table[m.group()], hebi_name)


def _check_like_hebi(city: DemoCity) -> None:
    """Same tuple lengths and the same equal/different pattern of place names as Hebi's.

    A tuple of another length makes `rng.choice` draw differently; a place name shared by two
    Hebi counties (鹤壁市) but not by the city's would change which names count as duplicates.
    """
    pairs: dict[str, str] = {}
    for hebi, mine in zip(HEBI.counties, city.counties, strict=True):
        for a, b in ((hebi.places, mine.places), (hebi.platform_places, mine.platform_places)):
            if len(a) != len(b):
                raise ValueError(f"{city.key} {mine.code}: {b} must have {len(a)} names, like {a}")
        # The short names only go into bank names, which never meet the place names.
        names = (*hebi.places, *hebi.platform_places, hebi.name)
        for h, m in zip(names, (*mine.places, *mine.platform_places, mine.name), strict=True):
            if pairs.setdefault(h, m) != m:
                raise ValueError(f"{city.key}: {h} must map to one name, not {pairs[h]} and {m}")
    if len(set(pairs.values())) != len(pairs):
        raise ValueError(f"{city.key}: two different Hebi place names map to the same name")


HEBI = DemoCity(
    key="hebi",
    code="410600",
    name="鹤壁市",
    short="鹤壁",
    phone_area="0392",
    counties=(
        DemoCounty("410602", "鹤山区", "鹤山", ("鹤壁市", "鹤壁市鹤山区"), ("鹤壁市", "鹤壁市鹤山区")),
        DemoCounty("410603", "山城区", "山城", ("鹤壁市", "鹤壁市山城区"), ("鹤壁市", "鹤壁市山城区")),
        DemoCounty(
            "410611", "淇滨区", "淇滨", ("鹤壁市", "鹤壁市淇滨区", "鹤壁"), ("鹤壁市", "鹤壁市淇滨区", "鹤壁")
        ),
        DemoCounty("410621", "浚县", "浚县", ("浚县", "鹤壁市浚县", "浚县黎阳"), ("浚县", "鹤壁市浚县")),
        DemoCounty("410622", "淇县", "淇县", ("淇县", "鹤壁市淇县", "淇县朝歌"), ("淇县", "鹤壁市淇县")),
    ),
)
if HEBI.county_codes != SLOT_COUNTIES or HEBI.code != SLOT_CITY:
    raise AssertionError("Hebi's codes are the slots")

ANYANG = DemoCity(
    key="anyang",
    code="410500",
    name="安阳市",
    short="安阳",
    phone_area="0372",
    counties=(
        DemoCounty("410502", "文峰区", "文峰", ("安阳市", "安阳市文峰区"), ("安阳市", "安阳市文峰区")),
        DemoCounty("410503", "北关区", "北关", ("安阳市", "安阳市北关区"), ("安阳市", "安阳市北关区")),
        DemoCounty(
            "410505", "殷都区", "殷都", ("安阳市", "安阳市殷都区", "安阳"), ("安阳市", "安阳市殷都区", "安阳")
        ),
        DemoCounty(
            "410506", "龙安区", "龙安", ("龙安区", "安阳市龙安区", "龙安区马投涧"), ("龙安区", "安阳市龙安区")
        ),
        DemoCounty(
            "410522", "安阳县", "安阳县", ("安阳县", "安阳市安阳县", "安阳县水冶"), ("安阳县", "安阳市安阳县")
        ),
    ),
)
_check_like_hebi(ANYANG)

CITIES = {city.key: city for city in (HEBI, ANYANG)}


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def reference_files(city: DemoCity) -> dict[str, bytes]:
    """institutions.csv, regions.csv and poverty_households.csv of the city: the shipped Hebi files, relabelled."""
    with (REFERENCE_DIR / "institutions.csv").open(encoding="utf-8", newline="") as fh:
        header, *rows = list(csv.reader(fh))
    code, name, region = (header.index(c) for c in ("inst_code", "inst_name", "region_code"))
    for row in rows:
        row[code], row[name], row[region] = (
            city.inst_code(row[code]),
            city.inst_name(row[name]),
            city.region(row[region]),
        )
    regions = [["region_code", "region_name"], *([c, n] for c, n in city.regions.items())]
    # The denominators of the poverty-credit rates, one row per year and county (never the city's).
    with (REFERENCE_DIR / "poverty_households.csv").open(encoding="utf-8", newline="") as fh:
        poverty_header, *poverty = list(csv.reader(fh))
    county = poverty_header.index("region_code")
    for row in poverty:
        row[county] = city.region(row[county])
    return {
        "institutions.csv": _csv([header, *rows]),
        "regions.csv": _csv(regions),
        "poverty_households.csv": _csv([poverty_header, *poverty]),
    }


def write_reference(city: DemoCity, folder: Path) -> list[Path]:
    """Write the city's reference files (the shipped files' format) into folder."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in reference_files(city).items():
        (folder / name).write_bytes(data)
        written.append(folder / name)
    return written
