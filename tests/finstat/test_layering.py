"""Primitives live below their users: the import graph, read from the source with ast."""

from __future__ import annotations

import ast
import sys
from functools import cache
from pathlib import Path

from tests.import_graph import imports_in, package_of, source_modules

FIRST_PARTY = ("bench", "demo", "expectations", "finstat", "fuzz", "ingestion", "orchestration", "reports")
PUBLICATION = "finstat.publication"
# Top-level finstat modules that are views over what was published (they read its tables).
PUBLICATION_VIEWS = {"finstat.status"}


def _modules() -> dict[str, Path]:
    return source_modules(*FIRST_PARTY)


@cache
def imports_of(module: str) -> frozenset[str]:
    """Every module the file imports, at any depth (a function's lazy import makes a cycle too)."""
    path = _modules()[module]
    return frozenset(imports_in(ast.parse(path.read_text(encoding="utf-8")), package_of(module, path)))


def _imports_publication(module: str) -> bool:
    return any(name == PUBLICATION or name.startswith(PUBLICATION + ".") for name in imports_of(module))


def _in(package: str) -> list[str]:
    return [m for m in _modules() if m == package or m.startswith(package + ".")]


def test_fsio_imports_only_the_standard_library():
    names = {name.partition(".")[0] for name in imports_of("finstat.fsio")}
    assert names <= set(sys.stdlib_module_names) | {"__future__"}, names - set(sys.stdlib_module_names)


def test_no_ingestion_module_imports_publication():
    assert [m for m in _in("ingestion") if _imports_publication(m)] == []


def test_only_the_views_over_publications_import_it_from_finstat():
    top_level = [m for m in _in("finstat") if m.count(".") == 1 and not m.startswith(PUBLICATION)]
    assert {"finstat.acks", "finstat.gate_record", "finstat.fsio"} <= set(top_level)
    assert {m for m in top_level if _imports_publication(m)} == PUBLICATION_VIEWS


def test_publication_never_reaches_a_module_that_imports_it_back():
    """No finstat <-> finstat.publication cycle, directly or through any first-party package."""
    outside = {
        name
        for m in _in(PUBLICATION)
        for name in imports_of(m)
        if name in _modules() and not name.startswith(PUBLICATION)
    }
    seen: set[str] = set()
    while outside:
        module = outside.pop()
        if module in seen:
            continue
        seen.add(module)
        assert not _imports_publication(module), f"{PUBLICATION} imports {module}, which imports it back"
        outside.update(n for n in imports_of(module) if n in _modules() and not n.startswith(PUBLICATION))
    assert "finstat.fsio" in seen, "publication writes through finstat.fsio"
