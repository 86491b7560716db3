"""Demo central bank branch figures: close to the bureau's, one month off by the bills, and ingestible."""

from __future__ import annotations

from decimal import Decimal

import pytest

from demo.pbc import OFF_MONTH, branch_rows, write_pbc
from finstat.settings import load_settings
from ingestion.run import ingest_landing
from tests.ingestion.builders import write_reference

YI = Decimal(100_000_000)


def _bureau(dataset, period, items):
    return sum(v for (p, _i, _c, item), v in dataset.balances.items() if p == period and item in items) / YI


@pytest.mark.parametrize("period", ["2021-06", "2022-02", OFF_MONTH, "2022-05"])
def test_branch_balances_sit_near_the_bureaus_except_the_bills_month(dataset, period):
    rows = {r.name: r for r in branch_rows(dataset, period)}
    diff = rows["各项贷款"].balance - _bureau(dataset, period, ("A01",))
    if period == OFF_MONTH:
        assert diff > Decimal("0.5")
    else:
        assert abs(diff) <= Decimal("0.31")
    for name, item in (("住户贷款", "A02"), ("企（事）业单位贷款", "A05")):
        assert abs(rows[name].balance - _bureau(dataset, period, (item,))) <= Decimal("0.31")


def test_written_workbooks_are_accepted_by_ingestion(dataset, tmp_path):
    landing = tmp_path / "landing"
    paths = write_pbc(dataset, landing)
    assert len(paths) == len(dataset.periods)
    settings = load_settings(landing, tmp_path / "home", write_reference(tmp_path / "reference"))
    report = ingest_landing(settings, up_to_period=dataset.last, source="pbc")
    assert {o.status for o in report.outcomes} == {"accepted"}
    assert {o.period for o in report.outcomes} == set(dataset.periods)
