"""The codes a template may name: the catalogue seed's, and the ledger codes still pending (issue 19)."""

from __future__ import annotations

from reports.briefing.catalogue import PENDING_LEDGER_CODES, catalogue_codes, known_indicators


def test_pending_ledger_codes_are_not_yet_in_the_catalogue():
    """Fails once the ledger figures reach the catalogue seed: then empty PENDING_LEDGER_CODES."""
    landed = sorted(set(PENDING_LEDGER_CODES) & catalogue_codes())
    assert not landed, (
        f"{landed} are in dbt_project/seeds/indicators.csv now: remove them from PENDING_LEDGER_CODES"
    )


def test_the_ledger_codes_of_indicators_md_are_known():
    ledger = {f"M{n:02d}" for n in range(1, 14)} | {f"S{n:02d}" for n in range(1, 7)} | {"G01"}
    assert ledger <= set(known_indicators())


def test_the_catalogue_wins_over_a_pending_entry():
    known = known_indicators()
    assert all(not known[code].pending for code in catalogue_codes())
    assert known["L01"].by_county and not known["L03"].by_county
