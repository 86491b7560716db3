"""The sources finstat ingests: the one list, which everything that loops over sources reads."""

from __future__ import annotations

from ingestion import bank_loans, bank_programmes, ledgers, pbc, platform, rural_credit
from ingestion.source import Source

# In the order the monthly job shows and runs them.
SOURCES: tuple[Source, ...] = (
    bank_loans.SOURCE,
    rural_credit.SOURCE,
    platform.SOURCE,
    pbc.SOURCE,
    bank_programmes.SOURCE,
    ledgers.SOURCE,
)
BY_NAME: dict[str, Source] = {source.name: source for source in SOURCES}
# The landing folders finstat reads (`<landing>/<name>/<YYYY-MM>/`); any other folder is never ingested.
SOURCE_NAMES: tuple[str, ...] = tuple(BY_NAME)
# Every kind of report that coexists with others of the same sender and month (rule 4 compares
# within a kind; the gate resolves a rejection by a later accepted file of the same kind).
FILE_KINDS: tuple[str, ...] = tuple(kind for source in SOURCES for kind in source.kinds)


def source_named(name: str) -> Source:
    """The registered source of that name (its landing folder); ValueError naming the known ones."""
    source = BY_NAME.get(name)
    if source is None:
        raise ValueError(f"unknown source {name!r}; known: {', '.join(BY_NAME)}")
    return source
