"""Runs one target: Hypothesis draws inputs here, a worker process parses them, outcomes are tallied."""

from __future__ import annotations

import multiprocessing
import re
import shutil
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import HealthCheck, Phase, Verbosity, given, seed, settings

from fuzz.strategies import FuzzInput
from fuzz.targets import FOLDER_PERIOD, Target
from fuzz.worker import ACCEPTED, ERROR, REJECTED, Outcome, serve

_STARTUP_SECONDS = 120
SLOW = "Slow"  # a Finding's error when the input was parsed, but too slowly


class Worker:
    """A spawned `fuzz.worker.serve` process, restarted whenever an input kills or hangs it."""

    def __init__(self, memory_bytes: int, stderr_path: Path) -> None:
        self._memory = memory_bytes
        self.stderr_path = stderr_path
        self._context = multiprocessing.get_context("spawn")  # a fresh interpreter, no forked threads
        self.restarts = -1
        self._start()

    def _start(self) -> None:
        self._conn, child = self._context.Pipe()
        self._process = self._context.Process(
            target=serve, args=(child, self._memory, str(self.stderr_path)), daemon=True
        )
        self._process.start()
        child.close()
        self.restarts += 1
        if not self._conn.poll(_STARTUP_SECONDS) or self._conn.recv() != "ready":
            raise RuntimeError("fuzz worker did not start")

    def _stop(self) -> None:
        self._process.kill()
        self._process.join()
        self._conn.close()

    def run(self, target: str, path: Path, file_ref: str, hang_seconds: float) -> Outcome:
        self._conn.send((target, str(path), file_ref))
        if not self._conn.poll(hang_seconds):
            self._stop()
            self._start()
            return Outcome(ERROR, hang_seconds, error="Hang", message=f"no answer after {hang_seconds:.0f} s")
        try:
            return self._conn.recv()
        except EOFError:
            self._process.join()
            code = self._process.exitcode
            self._conn.close()
            self._start()
            return Outcome(
                ERROR, 0.0, error="WorkerDied", message=f"worker exit code {code} (negative: signal)"
            )

    def close(self) -> None:
        try:
            self._conn.send(None)
            self._process.join(10)
        finally:
            if self._process.is_alive():
                self._stop()


@dataclass
class Finding:
    error: str
    message: str
    recipe: tuple[str, ...]
    saved: Path
    seconds: float


@dataclass
class Tally:
    target: str
    inputs: int = 0
    accepted: int = 0
    rejected_by_rule: Counter = field(default_factory=Counter)
    findings: list[Finding] = field(default_factory=list)
    slowest: float = 0.0
    slowest_recipe: tuple[str, ...] = ()
    longest_message: int = 0
    reasons: Counter = field(default_factory=Counter)  # rejection messages without their values

    @property
    def rejected(self) -> int:
        return sum(self.rejected_by_rule.values())

    @property
    def errors(self) -> int:
        return sum(f.error != SLOW for f in self.findings)

    @property
    def slow(self) -> int:
        return sum(f.error == SLOW for f in self.findings)


_VALUES = re.compile(r'"[^"]*"|“[^”]*”|\'[^\']*\'|（[^）]*）|[0-9A-Z]{2,}[0-9A-Z-]*|\d+')


def _reason(outcome: Outcome) -> str:
    """`rule N: 文件 …, 第 R 行: message` -> `rN message` with the quoted values and numbers blanked."""
    message = outcome.message.split(": ", 2)[-1]
    return f"r{outcome.rule} " + _VALUES.sub("…", message)[:70]


def run_target(
    target: Target,
    worker: Worker,
    workdir: Path,
    examples: int,
    seed_value: int,
    slow_seconds: float,
    hang_seconds: float,
) -> Tally:
    """Run `examples` inputs of the target; every input that is not accepted or rejected is a Finding."""
    tally = Tally(target.name)
    folder = workdir / target.source / FOLDER_PERIOD
    folder.mkdir(parents=True, exist_ok=True)
    findings_dir = workdir / "findings"

    def one(fuzz_input: FuzzInput) -> None:
        path = folder / fuzz_input.name
        path.write_bytes(fuzz_input.data)
        file_ref = f"{target.source}/{FOLDER_PERIOD}/{fuzz_input.name}"
        outcome = worker.run(target.name, path, file_ref, hang_seconds)
        tally.inputs += 1
        if outcome.seconds > tally.slowest:
            tally.slowest, tally.slowest_recipe = outcome.seconds, fuzz_input.recipe
        if outcome.kind == ACCEPTED:
            tally.accepted += 1
        elif outcome.kind == REJECTED:
            tally.rejected_by_rule[outcome.rule] += 1
            tally.longest_message = max(tally.longest_message, outcome.message_chars)
            tally.reasons[_reason(outcome)] += 1
        if outcome.kind == ERROR or outcome.seconds > slow_seconds:
            findings_dir.mkdir(exist_ok=True)
            saved = findings_dir / f"{target.source}-{tally.inputs:05d}-{fuzz_input.name}"
            shutil.copyfile(path, saved)
            error = outcome.error if outcome.kind == ERROR else SLOW
            tally.findings.append(Finding(error, outcome.message, fuzz_input.recipe, saved, outcome.seconds))
        path.unlink()

    # Generation only: a finding is recorded, not raised, so there is nothing to shrink or replay.
    test = settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
        verbosity=Verbosity.quiet,
        print_blob=False,
    )(given(target.inputs())(one))
    seed(seed_value)(test)()
    return tally
