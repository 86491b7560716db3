"""Deterministic bank_programmes demo (金融支持重点领域专项统计月报) calibrated to the bureau's May 2022 report.

Every in-scope institution files one report a month from START (2021-03): 2021-01 and 2021-02 have
none, so they publish with the V and H figures withheld. Totals of May 2022 are the report's
(calibration.CITY_TOTALS); 本年累计 items grow along each year's season and restart in January; F04
only grows; the rural credit institutions' F02/F03 are their own loan files' poverty micro-credit;
every other bank's F02 stays within its A02 住户贷款. The variations are listed in base.py.
"""

# The package's public API; the modules below it import each other directly, never this file.
from demo.bank_programmes.base import ALL_VARIATIONS, CSV_HEADER, ITEMS, MEASURES, SOURCE, START, TITLE
from demo.bank_programmes.calibration import CITY_TOTALS, POVERTY_FILE, load_poverty_households
from demo.bank_programmes.files import render_programme, write_bank_programmes
from demo.bank_programmes.numbers import ProgrammeData, build_programmes
from demo.bank_programmes.plan import plan_programme_files

__all__ = [
    "ALL_VARIATIONS",
    "CITY_TOTALS",
    "CSV_HEADER",
    "ITEMS",
    "MEASURES",
    "POVERTY_FILE",
    "SOURCE",
    "START",
    "TITLE",
    "ProgrammeData",
    "build_programmes",
    "load_poverty_households",
    "plan_programme_files",
    "render_programme",
    "write_bank_programmes",
]
