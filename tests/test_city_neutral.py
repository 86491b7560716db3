"""finstat names no city: the demo's (Hebi) codes and names live in demo/, tests and fixtures only."""

from __future__ import annotations

import re

from finstat.settings import PROJECT_ROOT

# The demo city's GB/T 2260 codes and names (issue 16): none may be written into finstat itself.
DEMO_CITY = re.compile(r"4106\d\d|鹤壁|hebi|淇滨|浚县|淇县|山城区|鹤山区", re.IGNORECASE)
SCANNED = ("finstat", "ingestion", "orchestration", "reports", "expectations", "dbt_project", "bench", "docs")
SUFFIXES = {".py", ".sql", ".yml", ".yaml", ".md", ".csv", ".toml", ".txt"}
# bench/loan_file.py writes demo-city loan files for the benchmark, like demo/ does.
DEMO_WRITERS = {"bench/loan_file.py"}
SKIPPED_DIRS = {"target", "logs", "dbt_packages", "__pycache__"}


def _text_outside_unit_tests(path) -> str:
    """A dbt yml without its `unit_tests:` blocks: their given/expect rows are test fixtures."""
    text = path.read_text(encoding="utf-8")
    if path.suffix != ".yml" or "unit_tests:" not in text:
        return text
    kept, in_tests = [], False
    for line in text.splitlines():
        if line and not line[0].isspace():
            in_tests = line.startswith("unit_tests:")
        if not in_tests:
            kept.append(line)
    return "\n".join(kept)


def test_no_demo_city_code_or_name_in_finstat():
    found = []
    for top in SCANNED:
        for path in sorted((PROJECT_ROOT / top).rglob("*")):
            relative = path.relative_to(PROJECT_ROOT)
            if (
                path.suffix not in SUFFIXES
                or SKIPPED_DIRS & set(relative.parts)
                or str(relative) in DEMO_WRITERS
            ):
                continue
            for number, line in enumerate(_text_outside_unit_tests(path).splitlines(), start=1):
                if DEMO_CITY.search(line):
                    found.append(f"{relative}:{number}: {line.strip()[:120]}")
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    found += [f"README.md: {m.group(0)}" for m in DEMO_CITY.finditer(readme)]
    assert not found, "\n".join(found)


def test_the_scan_sees_a_planted_code(tmp_path):
    planted = tmp_path / "x.yml"
    planted.write_text("models:\n  - description: the city 410600\nunit_tests:\n  - rows: {code: '410611'}\n")
    kept = _text_outside_unit_tests(planted)
    assert DEMO_CITY.search(kept) and "410600" in kept  # a description is scanned
    assert "410611" not in kept  # a unit test's fixture row is not
