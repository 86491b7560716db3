"""Pseudonymisation: stable keys per person, key file creation, permissions, check digits."""

from __future__ import annotations

import hashlib
import hmac
import os
import random
import stat

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from finstat.identifiers import check_identifier
from ingestion.pseudonym import (
    KEY_ENV,
    PseudonymKeyError,
    borrower_keys,
    load_key,
    name_keys,
    normalise_id,
    normalise_name,
)
from ingestion.run import ingest_landing
from tests.ingestion.rural_builders import (
    COMPANY_ID,
    OTHER_RURAL,
    PERSON_ID,
    PERSON_NAME,
    RURAL,
    loan_row,
    loans_name,
    make_rural_settings,
    write_loans,
)


@pytest.fixture(autouse=True)
def no_key_env(monkeypatch):
    monkeypatch.delenv(KEY_ENV, raising=False)


def stored(settings):
    files = sorted((settings.lake / "rural_credit_loans").glob("period=*/*.parquet"))
    return [row for f in files for row in pq.read_table(f).to_pylist()]


def test_key_file_created_private(tmp_path):
    settings = make_rural_settings(tmp_path)
    key = load_key(settings)
    path = settings.home / "secrets" / "pseudonym.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert len(key) == 32 and path.read_text().strip() == key.hex()
    assert load_key(settings) == key  # not recreated


def test_group_readable_key_is_refused_and_nothing_logged(tmp_path):
    settings = make_rural_settings(tmp_path)
    load_key(settings)
    path = settings.home / "secrets" / "pseudonym.key"
    os.chmod(path, 0o640)
    write_loans(settings, [loan_row()])
    with pytest.raises(PseudonymKeyError, match="0640") as info:
        ingest_landing(settings, "2022-05", source="rural_credit")
    assert path.read_text().strip() not in str(info.value)
    assert not (settings.lake / "ingestion_log").exists() or not any(
        (settings.lake / "ingestion_log").rglob("*.parquet")
    )


def test_key_file_from_environment(tmp_path, monkeypatch):
    settings = make_rural_settings(tmp_path)
    explicit = tmp_path / "vault" / "k.hex"
    monkeypatch.setenv(KEY_ENV, str(explicit))
    key = load_key(settings)
    assert explicit.read_text().strip() == key.hex()
    assert not (settings.home / "secrets" / "pseudonym.key").exists()


def test_same_person_same_key_across_files_and_months(tmp_path):
    settings = make_rural_settings(tmp_path)
    write_loans(settings, [loan_row()])
    # Another institution, another month, the ID in lower case with spaces, the name padded.
    write_loans(
        settings,
        [
            loan_row(
                机构代码=OTHER_RURAL,
                数据日期="20220630",
                客户名称=f"\u3000{PERSON_NAME} ",
                证件号码=f" {PERSON_ID.lower()} ",
            )
        ],
        folder="2022-06",
        name=loans_name(inst=OTHER_RURAL, month="2022-06"),
    )
    outcomes = ingest_landing(settings, "2022-06", source="rural_credit").outcomes
    assert [o.status for o in outcomes] == ["accepted", "accepted"]
    may, june = stored(settings)
    assert may["borrower_key"] == june["borrower_key"] and may["name_key"] == june["name_key"]
    assert len(may["borrower_key"]) == len(may["name_key"]) == 64
    assert (may["inst_code"], june["inst_code"]) == (RURAL, OTHER_RURAL)


def test_another_key_file_gives_other_keys(tmp_path, monkeypatch):
    keys = []
    for name in ("one", "two"):
        settings = make_rural_settings(tmp_path / name)
        write_loans(settings, [loan_row()])
        ingest_landing(settings, "2022-05", source="rural_credit")
        keys.append(stored(settings)[0])
    assert keys[0]["borrower_key"] != keys[1]["borrower_key"]
    assert keys[0]["name_key"] != keys[1]["name_key"]


def test_id_type_is_part_of_the_borrower_key():
    key = b"k" * 32
    types = pa.array(["身份证", "其他"])
    numbers = pa.array([PERSON_ID, PERSON_ID])
    borrower, check = borrower_keys(key, types, numbers)
    assert borrower[0] != borrower[1]
    assert check.to_pylist() == [True, None]


def test_check_digit_matches_finstat_identifiers():
    key = b"k" * 32
    bad_person = PERSON_ID[:-1] + ("0" if PERSON_ID[-1] != "0" else "1")
    bad_company = COMPANY_ID[:-1] + ("0" if COMPANY_ID[-1] != "0" else "1")
    types = ["身份证", "身份证", "统一社会信用代码", "统一社会信用代码", "其他", "身份证"]
    numbers = [PERSON_ID, bad_person, COMPANY_ID, bad_company, "A123", PERSON_ID.lower()]
    _, check = borrower_keys(key, pa.array(types), pa.array(numbers))
    assert check.to_pylist() == [True, False, True, False, None, True]
    assert check.to_pylist()[:5] == [
        check_identifier(t, n) for t, n in zip(types[:5], numbers[:5], strict=True)
    ]


def test_name_key_normalisation():
    key = b"k" * 32
    keys = name_keys(
        key, pa.array(["鹤壁（测试）合作社", "鹤壁(测试)合作社", " 鹤壁 (测试) 合作社\u3000", "别的合作社"])
    )
    assert len(set(keys.to_pylist()[:3])) == 1 and keys[3] != keys[0]


def _reference_name_key(key: bytes, name: str) -> str:
    """The per-value definition (docs/architecture.md): HMAC-SHA256 of the normalised text, as hex."""
    return hmac.digest(key, normalise_name(name).encode("utf-8"), hashlib.sha256).hex()


def _reference_borrower(key: bytes, id_type: str, number: str) -> tuple[str, bool | None]:
    normalised = normalise_id(number)
    digest = hmac.digest(key, f"{id_type}:{normalised}".encode(), hashlib.sha256).hex()
    return digest, check_identifier(id_type, normalised)


def _awkward_texts(count: int) -> list[str]:
    """Names and ID numbers mixing the vectorised path (ASCII, CJK) with what needs Python's NFKC."""
    rng = random.Random(20220531)
    pieces = [
        "张", "伟", "·", "合作社", "（", "）", "(", ")", " ", "\u3000", "\u00a0", "ａ", "Ｂ", "x", "X", "é",
        "e\u0301", "ß", "ﬁ", "①", "\u2028", "豈", "𠀀", "0", "7", "١", "-", "ǅ", "\t",
    ]  # fmt: skip
    texts = [
        PERSON_ID, PERSON_ID.lower(), COMPANY_ID, COMPANY_ID.lower(), f" {PERSON_ID} ", "", "A123",
        PERSON_ID[:-1] + "x", "１" + PERSON_ID[1:], "١" + PERSON_ID[1:],
    ]  # fmt: skip
    digits = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    while len(texts) < count:
        if rng.random() < 0.4:
            texts.append("".join(rng.choice(digits[: rng.choice((10, 31))]) for _ in range(18)))
        else:
            texts.append("".join(rng.choice(pieces) for _ in range(rng.randint(1, 6))))
    return texts


def test_vectorised_keys_match_the_per_value_definition():
    key = b"0123456789abcdef" * 5  # longer than a SHA-256 block: HMAC hashes it first
    texts = _awkward_texts(3000)
    types = [("身份证", "统一社会信用代码", "其他")[i % 3] for i in range(len(texts))]
    # A slice: Arrow arrays with an offset must be read from the right place.
    names = pa.array(["pad", *texts])[1:]
    assert name_keys(key, names).to_pylist() == [_reference_name_key(key, t) for t in texts]
    for k in (key, b"k" * 32):
        borrower, check = borrower_keys(k, pa.array(types), pa.array(["pad", *texts])[1:])
        expected = [_reference_borrower(k, t, n) for t, n in zip(types, texts, strict=True)]
        assert borrower.to_pylist() == [e[0] for e in expected]
        assert check.to_pylist() == [e[1] for e in expected]
    # Valid numbers are among them, so the check is not trivially all False.
    assert check.to_pylist().count(True) >= 2
