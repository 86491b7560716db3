"""Fault injection is inert unless asked for, and refuses a point that does not exist."""

import pytest

from finstat.faults import ENV, POINTS, fault_point


def test_no_fault_without_the_variable(monkeypatch):
    monkeypatch.delenv(ENV, raising=False)
    for point in POINTS:
        fault_point(point)  # returns: nothing is killed


def test_another_point_does_not_fire(monkeypatch):
    monkeypatch.setenv(ENV, "publication-switched")
    fault_point("ingestion-lake-written")


def test_a_misspelt_point_is_an_error_not_a_silent_pass(monkeypatch):
    monkeypatch.setenv(ENV, "publication-stagged")
    with pytest.raises(ValueError, match="unknown fault point"):
        fault_point("publication-staged")
