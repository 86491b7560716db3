"""demo/ imports form a DAG: read from the source with ast, a function's lazy import counts too."""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

from tests.import_graph import imports_in, package_of, source_modules

# Defined once, in demo.types, and imported from there by every generator that uses them.
SHARED = ("SEED", "split_cents", "Institution", "FilePlan", "DemoDataset")


def _modules() -> dict[str, Path]:
    return source_modules("demo")


@cache
def _tree(module: str) -> ast.Module:
    return ast.parse(_modules()[module].read_text(encoding="utf-8"))


def demo_imports(module: str) -> set[str]:
    """The demo modules a module imports.

    The parent package Python runs before a submodule is no edge of its own: a package's __init__
    only re-exports its modules, and a module that imported it back would close a cycle here.
    """
    package = package_of(module, _modules()[module])
    return {name for name in imports_in(_tree(module), package) if name in _modules() and name != module}


def find_cycle(graph: dict[str, set[str]]) -> list[str]:
    """One cycle of the graph as a path that ends where it starts, or [] when there is none."""
    done: set[str] = set()
    path: list[str] = []

    def visit(node: str) -> list[str]:
        if node in path:
            return [*path[path.index(node) :], node]
        if node in done:
            return []
        path.append(node)
        for target in sorted(graph.get(node, ())):
            cycle = visit(target)
            if cycle:
                return cycle
        path.pop()
        done.add(node)
        return []

    for node in sorted(graph):
        cycle = visit(node)
        if cycle:
            return cycle
    return []


def test_the_cycle_finder_finds_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) == []


def test_a_function_level_import_is_an_edge():
    # The cycles this test guards against hid in functions (generator <-> rural_credit, files, platform).
    tree = ast.parse("def f():\n    from demo.generator import build_dataset\n    from .. import files\n")
    assert {"demo.generator", "demo.files"} <= imports_in(tree, "demo.rural_credit")


def test_demo_modules_import_each_other_without_a_cycle():
    graph = {module: demo_imports(module) for module in _modules()}
    cycle = find_cycle(graph)
    assert cycle == [], " -> ".join(cycle)


def test_the_shared_types_sit_below_every_generator():
    assert demo_imports("demo.types") <= {"demo.city"}
    assert demo_imports("demo.city") == set()


def test_the_shared_names_are_defined_in_demo_types_only():
    defined: dict[str, list[str]] = {name: [] for name in SHARED}
    for module in _modules():
        for node in _tree(module).body:
            if isinstance(node, ast.ClassDef | ast.FunctionDef):
                names = [node.name]
            elif isinstance(node, ast.Assign):
                names = [target.id for target in node.targets if isinstance(target, ast.Name)]
            else:
                continue
            for name in names:
                if name in defined:
                    defined[name].append(module)
    assert defined == {name: ["demo.types"] for name in SHARED}
