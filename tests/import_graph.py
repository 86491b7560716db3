"""The project's import graph read from the source with ast (for the layering tests of each package)."""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

from finstat.settings import PROJECT_ROOT


def module_name(path: Path) -> str:
    """The dotted name of a source file of the project (a package's __init__ is the package)."""
    parts = path.relative_to(PROJECT_ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def source_modules(*packages: str) -> dict[str, Path]:
    """Dotted name -> file of every module of the given top-level packages."""
    return {
        module_name(path): path
        for package in packages
        for path in sorted((PROJECT_ROOT / package).rglob("*.py"))
    }


def package_of(module: str, path: Path) -> str:
    """The package a module's relative imports are resolved against."""
    return module if path.name == "__init__.py" else module.rpartition(".")[0]


def imports_in(tree: ast.Module, package: str) -> set[str]:
    """Every module a parsed file imports, at any depth of its body (a function's lazy import too).

    Relative imports are resolved against package; `from a import b` yields a and a.b (b may be a
    submodule): callers keep the names they know.
    """
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found
