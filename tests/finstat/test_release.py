"""published/ switches between immutable releases: all of a change or none of it."""

import os
import stat

import pytest

from finstat.publication import release as release_module
from finstat.publication.release import current_release, open_release, releases_dir


def _write(folder, name, text):
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)  # a new inode, as replace_atomically does


def _tree(folder):
    return {
        str(p.relative_to(folder)): p.read_text(encoding="utf-8") for p in folder.rglob("*") if p.is_file()
    }


def test_a_release_switches_published_to_a_new_read_only_folder(tmp_path):
    published = tmp_path / "published"
    with open_release(published) as staging:
        _write(staging, "a.txt", "one")
        _write(staging, "reports/2022-05/b.txt", "two")
    assert published.is_symlink() and not os.path.isabs(os.readlink(published))
    assert _tree(published) == {"a.txt": "one", "reports/2022-05/b.txt": "two"}
    assert not stat.S_IMODE((published / "a.txt").stat().st_mode) & 0o222
    first = published.resolve()
    with open_release(published) as staging:
        _write(staging, "a.txt", "three")
    assert published.resolve() != first
    assert _tree(published) == {"a.txt": "three", "reports/2022-05/b.txt": "two"}
    assert _tree(first) == {"a.txt": "one", "reports/2022-05/b.txt": "two"}, "the old release is untouched"


def test_an_error_inside_the_block_leaves_published_as_it_was(tmp_path):
    published = tmp_path / "published"
    with open_release(published) as staging:
        _write(staging, "a.txt", "one")
    before = published.resolve()
    with pytest.raises(RuntimeError), open_release(published) as staging:
        _write(staging, "a.txt", "half")
        raise RuntimeError("disk full")
    assert published.resolve() == before and _tree(published) == {"a.txt": "one"}
    assert not [p for p in releases_dir(published).iterdir() if p.name.startswith(".staging")]


def test_rewriting_identical_bytes_makes_no_release(tmp_path):
    published = tmp_path / "published"
    with open_release(published) as staging:
        _write(staging, "a.txt", "one")
    before = published.resolve()
    with open_release(published) as staging:
        _write(staging, "a.txt", "one")
    assert published.resolve() == before


def test_a_plain_published_folder_becomes_the_first_release(tmp_path):
    published = tmp_path / "published"
    published.mkdir()
    (published / "a.txt").write_text("old layout", encoding="utf-8")
    with open_release(published) as staging:
        _write(staging, "b.txt", "new")
    assert _tree(published) == {"a.txt": "old layout", "b.txt": "new"}
    assert sorted(p.name for p in releases_dir(published).iterdir() if not p.name.startswith(".")) == [
        "000001",
        "000002",
    ]


def test_a_missing_link_after_a_crash_points_at_the_newest_release(tmp_path):
    published = tmp_path / "published"
    for text in ("one", "two"):
        with open_release(published) as staging:
            _write(staging, "a.txt", text)
    newest = published.resolve()
    published.unlink()  # as if the process died between the two renames of the first switch
    assert current_release(published) == newest
    assert _tree(published) == {"a.txt": "two"}


def test_old_releases_are_pruned_beyond_the_kept_ones(tmp_path, monkeypatch):
    monkeypatch.setattr(release_module, "KEEP_PREVIOUS", 2)
    published = tmp_path / "published"
    for number in range(6):
        with open_release(published) as staging:
            _write(staging, "a.txt", str(number))
    kept = sorted(p.name for p in releases_dir(published).iterdir() if p.name.isdigit())
    assert len(kept) == 3 and published.resolve().name == kept[-1]
    assert [(releases_dir(published) / name / "a.txt").read_text(encoding="utf-8") for name in kept] == [
        "3",
        "4",
        "5",
    ]
