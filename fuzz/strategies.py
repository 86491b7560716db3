"""Hypothesis strategies of whole input files: a valid base, mutated, rendered, sometimes damaged."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import strategies as st

from fuzz.bases_csv import (
    BANK_CSV_SPECIAL,
    PLATFORM_SPECIAL,
    PROGRAMME_CSV_SPECIAL,
    RURAL_SPECIAL,
    bank_csv_doc,
    platform_doc,
    programme_csv_doc,
    rural_doc,
)
from fuzz.bases_ledgers import ledger_book
from fuzz.bases_xlsx import bank_book, pbc_book, programme_book
from fuzz.byte_damage import maybe_damaged
from fuzz.csv_model import mutated, plain, rendered
from fuzz.odds import one_in
from fuzz.sheet_model import render
from fuzz.sheet_mutations import mutated_book
from fuzz.zip_damage import damaged_xlsx


@dataclass(frozen=True)
class FuzzInput:
    """One landing file: its name, its bytes and the recipe that made it (printed with a finding)."""

    name: str
    data: bytes
    recipe: tuple[str, ...]


@st.composite
def _random_bytes(draw, name: str, magic: bytes) -> FuzzInput:
    # A prefix of the format's magic bytes gets past "is it a zip at all" to the reader behind it.
    prefix = magic if draw(st.booleans()) else b""
    data = prefix + draw(st.binary(max_size=4096))
    return FuzzInput(name, data, ("random-bytes", f"{len(data)} bytes"))


def csv_inputs(base, special: dict, encodings: tuple[str, ...]) -> st.SearchStrategy[FuzzInput]:
    """Inputs for a CSV reader: `base` draws (name, CsvDoc); encodings[0] is the contract's."""

    @st.composite
    def build(draw) -> FuzzInput:
        name, doc = draw(base)
        if one_in(draw, 10):
            return draw(_random_bytes(name, b"\xef\xbb\xbf"))
        doc = draw(mutated(doc, special))
        data, how = draw(rendered(doc, encodings))
        data, damage = draw(maybe_damaged(data))
        return FuzzInput(name, data, (*doc.notes, *how, *damage))

    return build()


def xlsx_inputs(base) -> st.SearchStrategy[FuzzInput]:
    """Inputs for an xlsx reader: `base` draws (name, Book, spots)."""

    @st.composite
    def build(draw) -> FuzzInput:
        name, book, spots = draw(base)
        if one_in(draw, 10):
            return draw(_random_bytes(name, b"PK\x03\x04"))
        book = draw(mutated_book(book, spots))
        data = render(book)
        damage: list[str] = []
        if one_in(draw, 5):
            data, damage = draw(damaged_xlsx(data))
        return FuzzInput(name, data, (*book.notes, *damage))

    return build()


def _unmutated_csv(base, encoding: str) -> st.SearchStrategy[FuzzInput]:
    return base.map(lambda named: FuzzInput(named[0], plain(named[1], encoding), ("unmutated",)))


def _unmutated_xlsx(base) -> st.SearchStrategy[FuzzInput]:
    return base.map(lambda named: FuzzInput(named[0], render(named[1]), ("unmutated",)))


# Valid files as each base builds them: `make test` checks they are accepted, so the fuzzer's
# starting points cannot drift away from the contract unnoticed (and stop reaching deep).
VALID = {
    "bank_loans.xlsx": lambda: _unmutated_xlsx(bank_book()),
    "bank_loans.csv": lambda: _unmutated_csv(bank_csv_doc(), "utf-8"),
    "rural_credit.csv": lambda: _unmutated_csv(rural_doc(valid=True), "gb18030"),
    "platform.csv": lambda: _unmutated_csv(platform_doc(valid=True), "utf-8-sig"),
    "pbc.xlsx": lambda: _unmutated_xlsx(pbc_book()),
    "bank_programmes.xlsx": lambda: _unmutated_xlsx(programme_book()),
    "bank_programmes.csv": lambda: _unmutated_csv(programme_csv_doc(), "utf-8"),
    "ledgers.xlsx": lambda: _unmutated_xlsx(ledger_book()),
}


def bank_xlsx() -> st.SearchStrategy[FuzzInput]:
    return xlsx_inputs(bank_book())


def bank_csv() -> st.SearchStrategy[FuzzInput]:
    return csv_inputs(bank_csv_doc(), BANK_CSV_SPECIAL, ("utf-8", "utf-8-sig", "gb18030", "utf-16"))


def rural_csv() -> st.SearchStrategy[FuzzInput]:
    return csv_inputs(rural_doc(), RURAL_SPECIAL, ("gb18030", "utf-8", "utf-8-sig", "utf-16"))


def platform_csv() -> st.SearchStrategy[FuzzInput]:
    return csv_inputs(platform_doc(), PLATFORM_SPECIAL, ("utf-8-sig", "utf-8", "gb18030", "utf-16"))


def pbc_xlsx() -> st.SearchStrategy[FuzzInput]:
    return xlsx_inputs(pbc_book())


def programme_xlsx() -> st.SearchStrategy[FuzzInput]:
    return xlsx_inputs(programme_book())


def programme_csv() -> st.SearchStrategy[FuzzInput]:
    return csv_inputs(programme_csv_doc(), PROGRAMME_CSV_SPECIAL, ("utf-8", "utf-8-sig", "gb18030", "utf-16"))


def ledger_xlsx() -> st.SearchStrategy[FuzzInput]:
    return xlsx_inputs(ledger_book())
