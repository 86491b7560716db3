"""The fuzz harness, briefly: every target runs end to end, and every unmutated base input is accepted."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, Phase, given, settings

from fuzz.harness import Worker, run_target
from fuzz.strategies import VALID
from fuzz.targets import FOLDER_PERIOD, TARGETS
from fuzz.worker import ACCEPTED, classify

EXAMPLES = 20


@pytest.fixture(scope="module")
def worker(tmp_path_factory):
    worker = Worker(4 << 30, tmp_path_factory.mktemp("fuzz-worker") / "stderr.log")
    yield worker
    worker.close()


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_a_target_runs_every_input_it_is_asked_for(tmp_path, worker, name):
    # Slow inputs are not the point here (the machine may be busy): only errors count.
    tally = run_target(TARGETS[name], worker, tmp_path, EXAMPLES, 0, slow_seconds=600, hang_seconds=120)
    assert tally.inputs == EXAMPLES
    assert tally.accepted + tally.rejected == EXAMPLES
    assert [(f.error, f.message) for f in tally.findings] == []


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_the_unmutated_inputs_are_accepted(tmp_path, name):
    # Mutations start from these: a base the readers reject would keep every input shallow.
    target = TARGETS[name]
    folder = tmp_path / target.source / FOLDER_PERIOD
    folder.mkdir(parents=True)

    @settings(
        max_examples=5,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(VALID[name]())
    def accepted(fuzz_input):
        path = folder / fuzz_input.name
        path.write_bytes(fuzz_input.data)
        outcome = classify(target.read, path, f"{target.source}/{FOLDER_PERIOD}/{fuzz_input.name}")
        assert outcome.kind == ACCEPTED, outcome.message

    accepted()
