"""publish_period in a real subprocess, killed just before and just after the switch of published/."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pyarrow.parquet as pq
import pytest

from finstat.publication.publish import publish_period, read_history
from finstat.publication.release import releases_dir
from finstat.settings import PROJECT_ROOT
from tests.finstat.test_publish import _candidates
from tests.reliability.runs import fingerprint

PUBLISH = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from finstat.publication.publish import publish_period
    from tests.finstat.test_publish import _candidates
    publish_period(Path(sys.argv[1]), "2022-05", _candidates(l01="790.00"))
    """
)


def _publish_in_subprocess(published, fault):
    env = {**os.environ, "FINSTAT_FAULT": fault}
    return subprocess.run(
        [sys.executable, "-c", PUBLISH, str(published)],
        cwd=PROJECT_ROOT,
        env=env,
        start_new_session=True,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def published(tmp_path):
    path = tmp_path / "published"
    publish_period(path, "2022-05", _candidates())
    return path


def test_killed_before_the_switch_nothing_changes_and_the_next_run_publishes(published):
    before = fingerprint(published)
    done = _publish_in_subprocess(published, "publication-staged")
    assert done.returncode == -9, done.stderr
    assert fingerprint(published) == before
    assert any(p.name.startswith(".staging-") for p in releases_dir(published).iterdir()), (
        "it died mid-release"
    )
    outcome = publish_period(published, "2022-05", _candidates(l01="790.00"))
    assert (outcome.version, outcome.created) == (2, True)
    assert not any(p.name.startswith(".staging-") for p in releases_dir(published).iterdir()), "cleaned up"


def test_killed_after_the_switch_the_new_version_is_whole_and_the_next_run_adds_nothing(published):
    done = _publish_in_subprocess(published, "publication-switched")
    assert done.returncode == -9, done.stderr
    history = read_history(published)
    assert sorted(set(history.column("version").to_pylist())) == [1, 2]
    current = pq.read_table(published / "official_figures.parquet").to_pylist()
    assert {r["version"] for r in current} == {2}, "every file of the release is the new publication"
    again = publish_period(published, "2022-05", _candidates(l01="790.00"))
    assert (again.version, again.created) == (2, False)
