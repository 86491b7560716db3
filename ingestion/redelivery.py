"""The lake file of a revision whose bytes an earlier revision already brought (x_v5 equal to x.csv)."""

from __future__ import annotations

import shutil
from pathlib import Path

from finstat.fsio import move_into_place

# Lake files are named by institution and content hash, so x_v5 with x.csv's bytes would overwrite
# x.csv's lake file. It is written under this scratch root (outside every table's glob) by the
# source's own writer, then moved beside the original with its revision in the name: the original
# keeps its lineage, the month's list of lake files changes (so the incremental build recomputes
# it) and dbt's highest revision is the re-delivered content.
SCRATCH = ".redelivery"


def scratch_root(lake_root: Path) -> Path:
    """An empty scratch lake root for one write (a crash may have left files in it)."""
    root = lake_root / SCRATCH
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    return root


def move_as_revision(lake_root: Path, written: Path, revision: int) -> Path:
    """Move a lake file written under the scratch root to `<inst_code>__<sha12>__r<N>.parquet`."""
    relative = written.relative_to(lake_root / SCRATCH)
    target = lake_root / relative.with_name(f"{relative.stem}__r{revision}{relative.suffix}")
    target.parent.mkdir(parents=True, exist_ok=True)
    move_into_place(written, target)
    shutil.rmtree(lake_root / SCRATCH, ignore_errors=True)
    return target
