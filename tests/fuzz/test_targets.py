"""Every registered source is fuzzed: one target per file type it accepts, reading it as ingestion does."""

from __future__ import annotations

from fuzz.targets import INPUTS, TARGETS
from ingestion.registry import SOURCES


def test_every_file_type_of_every_source_has_a_target():
    expected = [f"{source.name}{suffix}" for source in SOURCES for suffix in source.suffixes]
    assert list(TARGETS) == expected, "a source's file type has no inputs in fuzz/targets.py INPUTS"
    assert set(INPUTS) == set(expected), "inputs for a file type no source accepts"
    assert all(TARGETS[name].source == name.rpartition(".")[0] for name in expected)
