"""Headless Chromium and the Dagster webserver for the UI test: installed from Debian when missing."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

# Debian's browser, and a CJK font so the Chinese descriptions render in the screenshot.
PACKAGES = ("chromium", "fonts-wqy-microhei")


def chromium() -> str | None:
    """The chromium binary; installed with apt-get when this is root on Debian; None when impossible."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found or os.geteuid() != 0 or not shutil.which("apt-get"):
        return found
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    try:
        subprocess.run(["apt-get", "update", "-qq"], env=env, check=True, capture_output=True, timeout=300)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *PACKAGES],
            env=env, check=True, capture_output=True, timeout=900,
        )  # fmt: skip
    except (subprocess.SubprocessError, OSError):
        return None
    return shutil.which("chromium")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def webserver(env: dict[str, str], log: Path):
    """`dagster-webserver` on 127.0.0.1 with the given FINSTAT_*/DAGSTER_HOME; yields its base URL."""
    port = _free_port()
    command = [
        str(Path(sys.executable).with_name("dagster-webserver")),
        "-m", "orchestration.definitions", "-h", "127.0.0.1", "-p", str(port),
    ]  # fmt: skip
    with open(log, "wb") as out:
        process = subprocess.Popen(command, env={**os.environ, **env}, stdout=out, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    with urllib.request.urlopen(f"{base}/server_info", timeout=2) as response:
                        if response.status == 200:
                            break
                except OSError:
                    pass
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"dagster-webserver did not start; see {log}")
                time.sleep(0.5)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def _headless(binary: str, *args: str, size: str = "1600,1000") -> list[str]:
    # --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
    return [binary, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--hide-scrollbars", f"--window-size={size}", "--virtual-time-budget=20000", *args]  # fmt: skip


def rendered_dom(binary: str, url: str) -> str:
    """The page's DOM after its scripts ran (the UI is a single-page app: the HTML alone is empty)."""
    done = subprocess.run(_headless(binary, "--dump-dom", url), capture_output=True, timeout=120)
    return done.stdout.decode("utf-8", errors="replace")


def screenshot(binary: str, url: str, target: Path, size: str = "1600,1000") -> Path:
    """A PNG of the page in a window of `size` (width,height in pixels: a long page needs its height)."""
    subprocess.run(
        _headless(binary, f"--screenshot={target}", url, size=size), capture_output=True, timeout=120
    )
    return target
