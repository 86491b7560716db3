"""Rule 14 end to end: one altered loan balance blocks May 2022; the corrected file publishes it again."""

from __future__ import annotations

import csv
import io
import os
import shutil
from decimal import Decimal

import pytest

from finstat.settings import load_settings

pytestmark = pytest.mark.e2e

MAY = "2022-05"
RURAL_INST = "B1280H41061121"
LOAN_FILE = f"{RURAL_INST}_202205_贷款明细.csv"
ALTERATION = Decimal("20000.00")  # 2 万元: twice rule 14's tolerance


def _read(path):
    text = path.read_bytes().decode("gb18030")
    rows = list(csv.reader(io.StringIO(text)))
    return rows[0], rows[1:]


def _write(path, header, rows):
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows([header, *rows])
    path.write_bytes(buffer.getvalue().encode("gb18030"))


@pytest.fixture(scope="module")
def copied_world(demo_run, tmp_path_factory):
    """A copy of the published demo warehouse, so this module's runs leave the demo untouched."""
    root = tmp_path_factory.mktemp("rural14")
    landing, home = root / "landing", root / "warehouse"
    shutil.copytree(demo_run["landing"], landing)
    shutil.copytree(demo_run["home"], home)
    saved = {k: os.environ.get(k) for k in ("FINSTAT_LANDING", "FINSTAT_HOME", "DAGSTER_HOME")}
    os.environ.update(
        FINSTAT_LANDING=str(landing), FINSTAT_HOME=str(home), DAGSTER_HOME=str(home / "dagster")
    )
    yield {"landing": landing, "home": home, "settings": load_settings(landing, home)}
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


def _published_may(home):
    import pyarrow.parquet as pq

    table = pq.read_table(home / "published" / "official_figures_history.parquet").to_pylist()
    return [r for r in table if r["period"] == MAY]


def test_altered_loan_blocks_then_corrected_file_publishes(copied_world):
    from orchestration.runner import dagster_instance, run_month

    settings, landing = copied_world["settings"], copied_world["landing"]
    folder = landing / "rural_credit" / MAY
    header, rows = _read(folder / LOAN_FILE)
    balance_col, class_col = header.index("贷款余额"), header.index("五级分类")
    issue_col = header.index("发放日期")
    target = next(i for i, r in enumerate(rows) if r[class_col] in ("正常", "1"))
    original = rows[target][balance_col]
    published_before = _published_may(copied_world["home"])

    altered = [list(r) for r in rows]
    altered[target][balance_col] = f"{Decimal(original) + ALTERATION:.2f}"
    _write(folder / f"{RURAL_INST}_202205_贷款明细_v2.csv", header, altered)
    instance = dagster_instance(settings)
    blocked = run_month(MAY, settings, instance)
    assert blocked.status == "blocked", blocked.errors
    failed = [c for c in blocked.failed_checks if c["check"] == "rule_14_rural_reconciliation"]
    assert failed, [c["check"] for c in blocked.failed_checks]
    rows14 = failed[0]["metadata"]["failing_rows_json"]
    assert {r["inst_code"] for r in rows14} == {RURAL_INST}
    a01 = [r for r in rows14 if r["item_code"] == "A01"]
    assert len(a01) == 1 and Decimal(str(a01[0]["diff"])) == ALTERATION, rows14
    assert _published_may(copied_world["home"]) == published_before, "nothing published changed"

    # The bank re-sends the right balance (its system writes the issue date the other way round, so
    # the bytes differ from the first delivery: an identical file would be a mere duplicate).
    corrected = [list(r) for r in rows]
    date = corrected[target][issue_col]
    corrected[target][issue_col] = (
        date.replace("-", "") if "-" in date else f"{date[:4]}-{date[4:6]}-{date[6:]}"
    )
    _write(folder / f"{RURAL_INST}_202205_贷款明细_v3.csv", header, corrected)
    again = run_month(MAY, settings, instance)
    assert again.status == "published", (again.failed_checks, again.errors)
    assert _published_may(copied_world["home"]) == published_before, "same figures: no new version"
