"""The pseudonymisation key: refused when readable by others, never written anywhere, safe to rotate."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from finstat.settings import load_settings
from ingestion.platform import ENTERPRISES, PRODUCTS, REQUESTS
from ingestion.pseudonym import KEY_ENV, PseudonymKeyError, key_path, load_key
from ingestion.run import ingest_landing
from tests.ingestion.platform_builders import (
    OWNER_NAME,
    USCC,
    enterprise_row,
    product_row,
    request_row,
    write_snapshot_file,
)
from tests.ingestion.rural_builders import (
    COMPANY_ID,
    COMPANY_NAME,
    OTHER_RURAL,
    PERSON_ID,
    PERSON_NAME,
    company_row,
    disposal_row,
    loan_row,
    loans_name,
    write_disposals,
    write_loans,
)
from tests.reliability.harness import MONTH, make_settings

SECOND_PERSON, SECOND_ID = "李四", "11010519800101003X"
# Every clear value the files below hold: none may reach FINSTAT_HOME.
CLEAR = [PERSON_NAME, PERSON_ID, COMPANY_NAME, COMPANY_ID, OWNER_NAME, USCC, SECOND_PERSON, SECOND_ID]


@pytest.fixture(autouse=True)
def no_key_env(monkeypatch):
    monkeypatch.delenv(KEY_ENV, raising=False)


def _landing(settings) -> None:
    """Rural loans (a person with two loans, a company, another person), disposals, a platform snapshot,
    and one rejected file whose bad row holds personal data."""
    write_loans(
        settings,
        [
            loan_row(),
            loan_row(借据号="JJ0003", 贷款余额="20000.00"),  # the same borrower again
            company_row(),
            loan_row(借据号="JJ0004", 客户名称=SECOND_PERSON, 证件号码=SECOND_ID, 贷款余额="3.33"),
        ],
    )
    write_disposals(settings, [disposal_row()])
    # Rejected (rule 1, 证件类型 not in the list) on a row carrying a name and an ID number.
    write_loans(
        settings,
        [loan_row(机构代码=OTHER_RURAL, 证件类型="护照", 客户名称=SECOND_PERSON, 证件号码=SECOND_ID)],
        name=loans_name(inst=OTHER_RURAL),
    )
    write_snapshot_file(
        settings, ENTERPRISES, [enterprise_row(), enterprise_row(企业ID="QY2", 企业名称=PERSON_NAME)]
    )
    write_snapshot_file(settings, PRODUCTS, [product_row()])
    write_snapshot_file(settings, REQUESTS, [request_row()])


def _ingest(settings) -> dict[str, str]:
    statuses = {}
    for source in ("rural_credit", "platform"):
        for outcome in ingest_landing(settings, MONTH, source=source).outcomes:
            statuses[outcome.file_path.rsplit("/", 1)[1]] = outcome.status
    return statuses


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o660], ids=lambda m: f"{m:04o}")
@pytest.mark.parametrize("explicit", [False, True], ids=["home_secrets", "FINSTAT_PSEUDONYM_KEY_FILE"])
def test_key_readable_by_others_is_refused_naming_the_path_not_the_key(tmp_path, monkeypatch, mode, explicit):
    settings = make_settings(tmp_path)
    if explicit:
        monkeypatch.setenv(KEY_ENV, str(tmp_path / "vault" / "finstat.key"))
    key = load_key(settings)
    path = key_path(settings)
    assert path == (
        tmp_path / "vault" / "finstat.key" if explicit else settings.home / "secrets" / "pseudonym.key"
    )
    os.chmod(path, mode)
    write_loans(settings, [loan_row()])
    with pytest.raises(PseudonymKeyError) as info:
        ingest_landing(settings, MONTH, source="rural_credit")
    message = str(info.value)
    assert str(path) in message and f"{mode:04o}" in message and "chmod 600" in message
    assert key.hex() not in message and path.read_text().strip() not in message
    # Nothing ran: no file was blamed, so no log row (the month's files wait for a usable key).
    assert not list(settings.lake.glob("ingestion_log/*/*.parquet"))


def _every_file(home: Path) -> list[Path]:
    return sorted(p for p in home.rglob("*") if p.is_file())


def _texts_in(path: Path) -> list[bytes]:
    """A file's raw bytes, and for Parquet also every string value decoded (pages may be compressed)."""
    found = [path.read_bytes()]
    if path.suffix == ".parquet":
        table = pq.read_table(path)
        for column in table.columns:
            if str(column.type) in ("string", "large_string"):
                found.append("\n".join(v for v in column.to_pylist() if v).encode("utf-8"))
    return found


def test_key_and_clear_personal_data_appear_in_no_file_under_home(tmp_path):
    settings = make_settings(tmp_path)
    _landing(settings)
    statuses = _ingest(settings)
    assert statuses[loans_name(inst=OTHER_RURAL)] == "rejected"
    assert Counter(statuses.values())["accepted"] == 5
    key_file = key_path(settings)
    key_hex = key_file.read_text().strip()
    key = bytes.fromhex(key_hex)
    needles = {"key hex": key_hex.encode(), "key hex upper": key_hex.upper().encode(), "key bytes": key}
    for value in CLEAR:
        for encoding in ("utf-8", "gb18030"):
            needles[f"{value} ({encoding})"] = value.encode(encoding)
    files = [p for p in _every_file(settings.home) if p != key_file]
    # The scan covers the lake tables and the ingestion log (it would be meaningless otherwise).
    assert any("ingestion_log" in p.parts for p in files) and any(
        "rural_credit_loans" in p.parts for p in files
    )
    leaks = [
        (path.relative_to(settings.home).as_posix(), label)
        for path in files
        for text in _texts_in(path)
        for label, needle in needles.items()
        if needle in text
    ]
    assert leaks == []
    # The same scan does find them where they are: the landing files and the key file itself.
    landing = b"".join(p.read_bytes() for p in _every_file(settings.landing))
    assert PERSON_ID.encode() in landing and PERSON_NAME.encode("gb18030") in landing
    assert key_hex.encode() in key_file.read_bytes()


def _lake(settings, table: str) -> list[dict]:
    files = sorted((settings.lake / table).glob("period=*/*.parquet"))
    return [row for f in files for row in pq.read_table(f).to_pylist()]


def test_reingesting_under_a_new_key_changes_keys_but_not_counts_or_amounts(tmp_path, monkeypatch):
    """What makes the rotation in docs/reliability.md safe: only the keys change."""
    old = make_settings(tmp_path)  # key created at FINSTAT_HOME/secrets/pseudonym.key
    _landing(old)
    _ingest(old)
    # The new warehouse home H2 on the same landing, its new key named by FINSTAT_PSEUDONYM_KEY_FILE.
    new = load_settings(landing=old.landing, home=tmp_path / "h2", reference_dir=old.reference_dir)
    monkeypatch.setenv(KEY_ENV, str(tmp_path / "h2-key" / "pseudonym.key"))
    _ingest(new)
    old_key, new_key = old.home / "secrets" / "pseudonym.key", tmp_path / "h2-key" / "pseudonym.key"
    assert old_key.read_text() != new_key.read_text()

    for table, keys, amounts in (
        ("rural_credit_loans", ("borrower_key", "name_key"), ("balance_yuan", "issued_amount_yuan")),
        ("platform_enterprises", ("uscc_key", "name_key"), ()),
    ):
        before, after = _lake(old, table), _lake(new, table)
        assert len(before) == len(after) > 0
        id_column = "loan_id" if table == "rural_credit_loans" else "enterprise_id"
        before = {r[id_column]: r for r in before}
        after = {r[id_column]: r for r in after}
        assert before.keys() == after.keys()
        for column in keys:
            old_keys = {r[column] for r in before.values()}
            new_keys = {r[column] for r in after.values()}
            assert old_keys.isdisjoint(new_keys)  # every key changed
            assert len(old_keys) == len(new_keys)  # the same number of distinct borrowers / names
            # The same grouping: rows sharing a key before share one after, and only those.
            pairs = {(before[i][column], after[i][column]) for i in before}
            assert len(pairs) == len(old_keys)
        for column in amounts:
            assert {i: r[column] for i, r in before.items()} == {i: r[column] for i, r in after.items()}
    loans = _lake(new, "rural_credit_loans")
    assert len({r["borrower_key"] for r in loans}) == 3  # 张三丰 twice, the company, 李四
