"""The lint venv renders the models with the dbt that builds them: its pins agree with constraints.txt."""

from __future__ import annotations

import re

from finstat.settings import PROJECT_ROOT

# sqlfluff caps click below the tested set's version (requirements-lint.txt says why).
ALLOWED_DIFFERENCES = {"click"}


def pins(name: str) -> dict[str, str]:
    """package (normalised) -> version of every `package==version` line of a requirements file."""
    found = {}
    for line in (PROJECT_ROOT / name).read_text(encoding="utf-8").splitlines():
        match = re.fullmatch(r"([A-Za-z0-9_.\-\[\]]+)==(\S+)", line.strip())
        if match:
            found[re.sub(r"[-_.]+", "-", match.group(1).lower())] = match.group(2)
    return found


def test_lint_venv_pins_agree_with_the_tested_set():
    lint, tested = pins("requirements-lint.txt"), pins("constraints.txt")
    differing = {name for name in lint.keys() & tested.keys() if lint[name] != tested[name]}
    assert differing <= ALLOWED_DIFFERENCES, {name: (lint[name], tested[name]) for name in differing}


def test_lint_venv_holds_the_dbt_of_the_build():
    lint = pins("requirements-lint.txt")
    for package in ("dbt-core", "dbt-duckdb", "duckdb", "sqlfluff", "sqlfluff-templater-dbt"):
        assert package in lint, package
