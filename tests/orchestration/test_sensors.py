"""The landing sensor requests a run for exactly the month whose files changed."""

import dagster as dg

from orchestration.defs.ingestion.sensors import landing_sensor
from orchestration.resources import FinstatPaths


def _tick(tmp_path, cursor=None):
    paths = FinstatPaths(
        landing=str(tmp_path / "landing"), home=str(tmp_path / "home"), reference_dir=str(tmp_path)
    )
    context = dg.build_sensor_context(cursor=cursor, resources={"finstat": paths})
    result = landing_sensor(context)
    requests = [r for r in result if isinstance(r, dg.RunRequest)] if result is not None else []
    return requests, context.cursor


def _drop(tmp_path, month, name, data=b"x"):
    folder = tmp_path / "landing" / "bank_loans" / month
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)


def test_new_file_requests_its_month_only(tmp_path):
    _drop(tmp_path, "2022-04", "a.csv")
    requests, cursor = _tick(tmp_path)
    assert [r.partition_key for r in requests] == ["2022-04"]
    requests, cursor = _tick(tmp_path, cursor)
    assert requests == [], "nothing changed, nothing requested"
    _drop(tmp_path, "2022-05", "b.xlsx")
    requests, cursor = _tick(tmp_path, cursor)
    assert [r.partition_key for r in requests] == ["2022-05"]


def test_changed_file_requests_again_and_junk_folders_are_ignored(tmp_path):
    _drop(tmp_path, "2022-05", "b.csv", b"1")
    _, cursor = _tick(tmp_path)
    _drop(tmp_path, "2022-05", "b.csv", b"22")
    (tmp_path / "landing" / "bank_loans" / "notes").mkdir()
    requests, _ = _tick(tmp_path, cursor)
    assert [r.partition_key for r in requests] == ["2022-05"]


def test_hostile_deliveries_still_request_their_month(tmp_path):
    """A GBK-named file, a dangling symlink and a `..x` name are deliveries ingestion must refuse."""
    folder = tmp_path / "landing" / "bank_loans" / "2022-05"
    folder.mkdir(parents=True)
    (folder / "~$lock.xlsx").write_bytes(b"owner file")  # Excel's leftover: not a delivery
    _, cursor = _tick(tmp_path)
    (folder / "报表.csv".encode("gbk").decode("utf-8", "surrogateescape")).write_bytes(b"x")
    requests, cursor = _tick(tmp_path, cursor)
    assert [r.partition_key for r in requests] == ["2022-05"]
    (folder / "link.csv").symlink_to(tmp_path / "nowhere.csv")
    requests, cursor = _tick(tmp_path, cursor)
    assert [r.partition_key for r in requests] == ["2022-05"]
    (folder / "..hidden.csv").write_bytes(b"x")
    requests, _ = _tick(tmp_path, cursor)
    assert [r.partition_key for r in requests] == ["2022-05"]
