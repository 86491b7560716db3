"""published/ is a symlink to an immutable release folder; a publication switches it atomically."""

from __future__ import annotations

import contextlib
import filecmp
import os
import shutil
import stat
import uuid
from collections.abc import Iterator
from pathlib import Path

from finstat.faults import fault_point
from finstat.fsio import fsync_dir, writer_lock

RELEASES = "releases"
# Releases kept besides the current one: a BI tool that resolved published/ a moment before a
# switch still finds its files; older releases are removed (every file is also in the newest).
KEEP_PREVIOUS = 5
_STAGING = ".staging-"


def releases_dir(published: Path) -> Path:
    """Where the release folders of a published/ link live: next to it."""
    return published.parent / RELEASES


def _numbered(root: Path) -> list[Path]:
    return sorted((p for p in root.iterdir() if p.is_dir() and p.name.isdigit()), key=lambda p: int(p.name))


def _next_name(root: Path) -> str:
    existing = _numbered(root)
    return f"{(int(existing[-1].name) + 1) if existing else 1:06d}"


def _point(published: Path, release: Path) -> None:
    """Make published/ a relative symlink to the release in one rename (readers see old or new)."""
    tmp = published.parent / f".{published.name}.{uuid.uuid4().hex}.tmp"
    os.symlink(os.path.relpath(release, published.parent), tmp)
    os.replace(tmp, published)
    fsync_dir(published.parent)


def current_release(published: Path) -> Path:
    """The release published/ points at, repairing the layout first (call under the writer lock).

    A plain published/ folder (a warehouse from before releases) becomes the first release; a
    missing or dangling link (a crash during the very first switch) points at the newest release.
    """
    root = releases_dir(published)
    root.mkdir(parents=True, exist_ok=True)
    if published.is_symlink() and published.resolve().is_dir():
        return published.resolve()
    if published.is_dir() and not published.is_symlink():
        target = root / _next_name(root)
        os.rename(published, target)
        fsync_dir(published.parent)
    else:
        releases = _numbered(root)
        target = releases[-1] if releases else root / _next_name(root)
        target.mkdir(exist_ok=True)
    _point(published, target)
    return target


def _link_tree(source: Path, target: Path) -> None:
    """A copy of the release made of hard links: no bytes copied, and released files are read-only."""
    for folder, dirs, files in os.walk(source):
        rel = Path(folder).relative_to(source)
        (target / rel).mkdir(parents=True, exist_ok=True)
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if not name.startswith("."):
                try:
                    os.link(Path(folder) / name, target / rel / name)
                except OSError:  # a file system without hard links: copy instead (slower, same result)
                    shutil.copy2(Path(folder) / name, target / rel / name)


def _files(root: Path) -> dict[str, Path]:
    return {
        str(p.relative_to(root)): p
        for p in root.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts)
    }


def _unchanged(staging: Path, current: Path) -> bool:
    """Same files with the same bytes (a writer that rewrote identical bytes changed nothing)."""
    new, old = _files(staging), _files(current)
    if new.keys() != old.keys():
        return False
    return all(
        new[k].stat().st_ino == old[k].stat().st_ino or filecmp.cmp(new[k], old[k], shallow=False)
        for k in new
    )


def _seal(root: Path) -> None:
    # Every writer replaces files through a rename (new inode); a file changed in place would
    # change it in every release that links it, so released files are made read-only. Folders are
    # fsynced so the release survives a power cut once published/ points at it.
    for path in sorted(root.rglob("*"), reverse=True):
        if path.is_file():
            path.chmod(stat.S_IMODE(path.stat().st_mode) & ~0o222)
        elif path.is_dir():
            fsync_dir(path)
    fsync_dir(root)


def _prune(root: Path, current: Path) -> None:
    for stale in root.glob(f"{_STAGING}*"):
        shutil.rmtree(stale, ignore_errors=True)
    older = [p for p in _numbered(root) if p != current]
    for old in older[: max(0, len(older) - KEEP_PREVIOUS)]:
        shutil.rmtree(old, ignore_errors=True)


@contextlib.contextmanager
def open_release(published: Path) -> Iterator[Path]:
    """Yield a writable copy of the current release; when the block ends without error, switch to it.

    Writers are serialised by a file lock. A crash or an exception before the switch leaves
    published/ exactly as it was (the staging folder is removed on the next release); a block that
    changed nothing creates no release.
    """
    root = releases_dir(published)
    root.mkdir(parents=True, exist_ok=True)
    with writer_lock(root):
        current = current_release(published)
        _prune(root, current)
        staging = root / f"{_STAGING}{uuid.uuid4().hex}"
        _link_tree(current, staging)
        try:
            yield staging
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        if _unchanged(staging, current):
            shutil.rmtree(staging, ignore_errors=True)
            return
        _seal(staging)
        fault_point("publication-staged")
        release = root / _next_name(root)
        os.rename(staging, release)
        fsync_dir(root)
        _point(published, release)
        fault_point("publication-switched")
        _prune(root, release)
