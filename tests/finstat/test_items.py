"""The item catalogue's two copies agree: finstat/items.py (ingestion, demo) and dbt's seed items.csv.

Neither is generated from the other: ingestion imports finstat.items at import time, and the
installed package does not ship dbt_project/ (pyproject's package list), so the Python copy cannot
read the seed. This test keeps them one catalogue instead.
"""

from __future__ import annotations

import csv

from finstat import items
from finstat.settings import DBT_PROJECT_DIR

SEED = DBT_PROJECT_DIR / "seeds" / "items.csv"
# The seed's item_kind of the items finstat/items.py reads as balances (余额) or disposals.
BALANCE_KINDS = {"balance", "memo", "class"}
DISPOSAL_KIND = "disposal"


def _seed_rows() -> list[dict[str, str]]:
    with SEED.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_same_codes_in_the_same_order():
    assert [row["item_code"] for row in _seed_rows()] == [*items.BALANCE_ITEMS, *items.DISPOSAL_ITEMS]


def test_the_same_names():
    assert {row["item_code"]: row["item_name"] for row in _seed_rows()} == items.ITEM_NAMES


def test_the_same_kinds_and_measures():
    for row in _seed_rows():
        code, kind = row["item_code"], row["item_kind"]
        if kind == DISPOSAL_KIND:
            assert code in items.DISPOSAL_ITEMS, code
            assert items.measures_for(code) == (items.MONTH_MEASURE, items.YTD_MEASURE), code
        else:
            assert kind in BALANCE_KINDS, (code, kind)
            assert code in items.BALANCE_ITEMS, code
            assert items.measures_for(code) == (items.BALANCE_MEASURE,), code


def test_the_demo_s_programme_items_are_the_catalogue_s():
    """demo/bank_programmes keeps its own copy (with the template's indent levels): the same codes and names."""
    from demo.bank_programmes import ITEMS, MEASURES

    assert tuple(ITEMS) == items.PROGRAMME_ITEMS
    assert MEASURES == items.PROGRAMME_QUANTITIES
    for code, (name, level, first_child) in ITEMS.items():
        # The template writes a first child 其中：<name>, as the spec's table names F03.
        assert ("其中：" if level and first_child else "") + name == items.PROGRAMME_ITEM_NAMES[code], code
