"""Great Expectations suites that gate publication, and a runner returning plain results."""

import importlib
import os
import threading

# GX's analytics must be off before great_expectations is imported (intranet, no telemetry).
os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")


def warm_up() -> threading.Thread:
    """Import GX (~5 s) in a background thread, to overlap other work (the dbt build) before the gate."""
    thread = threading.Thread(
        target=importlib.import_module, args=("expectations.context",), name="gx-import", daemon=True
    )
    thread.start()
    return thread
