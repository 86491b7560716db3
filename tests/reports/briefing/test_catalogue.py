"""The codes a template may name: the catalogue seed's, the ledger figures of indicators.md among them."""

from __future__ import annotations

from reports.briefing.catalogue import catalogue_codes, known_indicators


def test_the_ledger_codes_of_indicators_md_are_known():
    ledger = {f"M{n:02d}" for n in range(1, 14)} | {f"S{n:02d}" for n in range(1, 7)} | {"G01"}
    assert ledger <= set(known_indicators()) == set(catalogue_codes())


def test_by_county_comes_from_the_catalogue():
    known = known_indicators()
    assert known["L01"].by_county and not known["L03"].by_county and not known["M01"].by_county
