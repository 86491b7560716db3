"""A local Spark Thrift server (HiveThriftServer2 from the pyspark wheel) for the FINSTAT_ENGINE=spark tests."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import yaml

from finstat.settings import DBT_PROJECT_DIR

START_TIMEOUT_S = 180  # about 45 s on 2 idle cores; a loaded machine takes longer
THRIFT_SERVER_CLASS = "org.apache.spark.sql.hive.thriftserver.HiveThriftServer2"
_ENV_VAR = re.compile(r"\{\{\s*env_var\('([A-Z_]+)'(?:,\s*'([^']*)')?\)\s*\}\}")


@dataclass(frozen=True)
class ThriftServer:
    """A running server: where it listens and its log."""

    host: str
    port: int
    log: Path

    def env(self) -> dict[str, str]:
        """The variables that point finstat (and dbt's `thrift` target) at this server."""
        return {"FINSTAT_SPARK_HOST": self.host, "FINSTAT_SPARK_PORT": str(self.port)}


def server_conf(home: Path) -> dict[str, str]:
    """The spark target's server_side_parameters (profiles.yml) for FINSTAT_HOME=home: the server's conf.

    A cluster's administrator puts the same settings in spark-defaults.conf; here they come from the
    one place the session target takes them, so the two Spark paths cannot drift apart.
    """
    profile = yaml.safe_load((DBT_PROJECT_DIR / "profiles.yml").read_text(encoding="utf-8"))
    params = profile["finstat"]["outputs"]["spark"]["server_side_parameters"]
    env = {**os.environ, "FINSTAT_HOME": str(home)}

    def render(value: str) -> str:
        return _ENV_VAR.sub(lambda m: env.get(m.group(1), m.group(2) or ""), str(value))

    conf = {key: render(value) for key, value in params.items()}
    # dbt-spark switches ANSI mode off in the sessions it opens; the server's own default (on, in
    # Spark 4) would otherwise apply to finstat's readers and any session that does not say.
    conf["spark.sql.ansi.enabled"] = "false"
    return conf


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


@contextmanager
def thrift_server(home: Path) -> Iterator[ThriftServer]:
    """Start HiveThriftServer2 (local[2], 127.0.0.1, a free port) over home's warehouse; stop it after."""
    import pyspark

    spark_home = Path(pyspark.__file__).parent
    conf = server_conf(home)
    master = conf.pop("spark.master", "local[2]")
    memory = conf.pop("spark.driver.memory", "2g")
    host, port = "127.0.0.1", free_port()
    (home / "work").mkdir(parents=True, exist_ok=True)
    log = home / "work" / "spark-thrift-server.log"
    command = [
        str(spark_home / "bin" / "spark-submit"),
        "--class",
        THRIFT_SERVER_CLASS,
        "--master",
        master,
        "--driver-memory",
        memory,
        "--name",
        "finstat-test-thrift",
        *(arg for key, value in conf.items() for arg in ("--conf", f"{key}={value}")),
        "spark-internal",
        "--hiveconf",
        f"hive.server2.thrift.bind.host={host}",
        "--hiveconf",
        f"hive.server2.thrift.port={port}",
    ]
    env = {**os.environ, "SPARK_HOME": str(spark_home)}
    with log.open("wb") as out:
        # A process group of its own: spark-submit's shell wrapper and the JVM stop together.
        process = subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=home / "work", start_new_session=True
        )
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while not _answers(host, port):
            if process.poll() is not None:
                raise RuntimeError(f"the Spark Thrift server exited ({process.returncode}); see {log}")
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"the Spark Thrift server did not answer in {START_TIMEOUT_S} s; see {log}"
                )
            time.sleep(1)
        yield ThriftServer(host=host, port=port, log=log)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
