"""The child process that parses inputs, so an abort, a runaway allocation or a hang is a finding, not the end."""

from __future__ import annotations

import os
import resource
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

from fuzz.targets import TARGETS
from ingestion.errors import FileRejected

ACCEPTED, REJECTED, ERROR = "accepted", "rejected", "error"


@dataclass(frozen=True)
class Outcome:
    kind: str  # accepted | rejected | error
    seconds: float
    rule: int | None = None
    error: str | None = None  # exception type, or BadRejection, Hang, WorkerDied
    message: str = ""
    message_chars: int = 0  # length of the rejection message as the log would store it


def classify(read, path: Path, file_ref: str) -> Outcome:
    """Read one file and say how it ended; never raises (except KeyboardInterrupt)."""
    start = time.perf_counter()
    try:
        read(path, file_ref)
    except FileRejected as exc:
        seconds = time.perf_counter() - start
        text = str(exc)
        if not (1 <= exc.rule <= 5 and text.startswith(f"rule {exc.rule}: 文件 {file_ref}")):
            return Outcome(ERROR, seconds, exc.rule, "BadRejection", text[:300])
        return Outcome(REJECTED, seconds, exc.rule, message=text[:300], message_chars=len(text))
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # a Rust panic arrives as pyo3's PanicException, a BaseException
        seconds = time.perf_counter() - start
        where = "".join(traceback.format_exception(exc)[-6:])
        kind = type(exc)
        name = (
            kind.__qualname__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}"
        )
        return Outcome(ERROR, seconds, None, name, f"{str(exc)[:300]}\n{where}")
    return Outcome(ACCEPTED, time.perf_counter() - start)


def serve(conn, memory_bytes: int, stderr_path: str) -> None:
    """Answer (target name, path, file ref) requests with Outcomes until sent None."""
    # Rust aborts print a long backtrace: into a file, so the report stays readable.
    with open(stderr_path, "ab") as log:
        os.dup2(log.fileno(), 2)
    # A cap turns a runaway allocation into a quick failure instead of swapping the machine.
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    conn.send("ready")
    while (request := conn.recv()) is not None:
        name, path, file_ref = request
        conn.send(classify(TARGETS[name].read, Path(path), file_ref))
