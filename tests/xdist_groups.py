"""Under pytest-xdist, the tests of one expensive session fixture run in one worker (built once)."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pytest
from xdist.scheduler import LoadScopeScheduling

# Session fixtures that cost minutes; a test using one (directly or through another fixture) runs in
# that fixture's group. Every other test stays with its module, so module fixtures (the gate's
# planted world, the crash scenario) are built once too.
EXPENSIVE_SESSION_FIXTURES = ("demo_run", "dbt_run", "landing", "rural_data")
# The groups that run the Dagster job or a full dbt build, costliest first (`make test`'s
# --durations). They start before everything else: a minutes-long group scheduled last would run
# alone on one core at the end (xdist orders groups by their number of tests, not their cost).
COSTLIEST_GROUPS = (
    "demo_run",
    "tests/e2e/test_gate_blocks.py",
    "tests/reliability/test_crash_safety.py",
    "tests/e2e/test_redelivery_job.py",
    "tests/e2e/test_platform_republish.py",
    "tests/e2e/test_second_city.py",
    "tests/e2e/test_rural_reconciliation.py",
    "tests/e2e/test_year_to_date_base.py",
    "tests/e2e/test_ledger_gate.py",
    "tests/reliability/test_programme_gate.py",
    "dbt_run",
    "tests/dbt/test_incremental.py",
)
_DIR_KEY = "finstat_xdist_groups"


def group_of(item: pytest.Item) -> str:
    """The scheduling group of a collected test: its first expensive fixture, else its module."""
    names = getattr(item, "fixturenames", ())
    return next((n for n in EXPENSIVE_SESSION_FIXTURES if n in names), item.nodeid.split("::")[0])


def pytest_configure_node(node) -> None:
    """Controller: tell each worker where to write the groups it collected."""
    folder = getattr(node.config, "_finstat_group_dir", None)
    if folder is None:
        folder = node.config._finstat_group_dir = tempfile.mkdtemp(prefix="finstat-xdist-")
    node.workerinput[_DIR_KEY] = folder


def pytest_unconfigure(config: pytest.Config) -> None:
    """Controller: remove the groups folder at the end of the run."""
    folder = getattr(config, "_finstat_group_dir", None)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Worker: write nodeid -> group (only a worker knows each test's fixture closure)."""
    workerinput = getattr(config, "workerinput", None)
    if workerinput and _DIR_KEY in workerinput:
        path = Path(workerinput[_DIR_KEY]) / f"{workerinput['workerid']}.json"
        path.write_text(json.dumps({item.nodeid: group_of(item) for item in items}))


class FixtureGroupScheduling(LoadScopeScheduling):
    """LoadScope whose scope is the group the workers reported (xdist's loadgroup needs pytest < 9)."""

    def _split_scope(self, nodeid: str) -> str:
        if not hasattr(self, "_groups"):
            # Every worker collected the same tests (xdist checks) and wrote its file before
            # reporting its collection, so any one file is complete when scheduling starts.
            folder = Path(self.config._finstat_group_dir)
            self._groups = json.loads(next(folder.glob("*.json")).read_text())
        return self._groups.get(nodeid, nodeid.split("::")[0])

    def _assign_work_unit(self, node) -> None:
        """Before the first assignment, move the costliest groups to the front of the queue."""
        if not getattr(self, "_ordered", False):
            self._ordered = True
            rank = {group: i for i, group in enumerate(COSTLIEST_GROUPS)}
            ordered = sorted(self.workqueue.items(), key=lambda item: rank.get(item[0], len(rank)))
            self.workqueue.clear()
            self.workqueue.update(ordered)  # sorted() is stable: the others keep xdist's order
        super()._assign_work_unit(node)


def pytest_xdist_make_scheduler(config: pytest.Config, log) -> LoadScopeScheduling | None:
    """`--dist loadgroup` schedules by fixture group (xdist's own sets item._nodeid, which pytest 9 ignores)."""
    if config.getvalue("dist") == "loadgroup":
        return FixtureGroupScheduling(config, log)
    return None
