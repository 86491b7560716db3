"""Pseudonymisation of personal data at ingestion: HMAC-SHA256 keys for 客户名称 and 证件号码."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
import unicodedata
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from finstat.identifiers import check_identifier
from finstat.settings import Settings

KEY_ENV = "FINSTAT_PSEUDONYM_KEY_FILE"
KEY_BYTES = 32


class PseudonymKeyError(RuntimeError):
    """The key file is unusable (unsafe permissions, not hex, too short): the run stops, no file is blamed."""


def key_path(settings: Settings) -> Path:
    """FINSTAT_PSEUDONYM_KEY_FILE when set, else FINSTAT_HOME/secrets/pseudonym.key."""
    explicit = os.environ.get(KEY_ENV)
    return Path(explicit) if explicit else settings.secrets_dir / "pseudonym.key"


def _create(path: Path) -> None:
    # mkdir's mode only applies to directories it creates; an existing secrets folder is left alone.
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    # O_EXCL: two processes starting at once must not each write a different key.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(secrets.token_hex(KEY_BYTES) + "\n")


def load_key(settings: Settings) -> bytes:
    """The key bytes; the file is created (32 random bytes as hex, mode 0600) when it does not exist.

    A key readable by group or others is refused rather than fixed: someone may already have read
    it, and the officer must decide whether to rotate it. Messages name the path, never the key.
    """
    path = key_path(settings)
    if not path.exists():
        _create(path)
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise PseudonymKeyError(
            f"假名化密钥文件 {path} 的权限为 {mode:04o}，组或其他用户可访问；"
            "请确认密钥未泄露，改为 0600（chmod 600）后重试"
        )
    text = path.read_text(encoding="ascii", errors="replace").strip()
    try:
        key = bytes.fromhex(text)
    except ValueError:
        raise PseudonymKeyError(f"假名化密钥文件 {path} 不是十六进制文本") from None
    if len(key) < 16:
        raise PseudonymKeyError(f"假名化密钥文件 {path} 太短（至少 16 字节）")
    return key


def normalise_name(name: str) -> str:
    """NFKC (full-width letters, digits and brackets to ASCII), no whitespace at all, upper case."""
    return "".join(unicodedata.normalize("NFKC", name).split()).upper()


def normalise_id(id_number: str) -> str:
    """An ID number as compared: the same folding as names (a trailing x becomes X)."""
    return normalise_name(id_number)


def _digest(key: bytes, text: str) -> str:
    return hmac.digest(key, text.encode("utf-8"), hashlib.sha256).hex()


def name_keys(key: bytes, names: pa.Array) -> pa.Array:
    """name_key per row: one HMAC per distinct spelling, mapped back through a dictionary."""
    encoded = pc.dictionary_encode(names)
    digests = [_digest(key, normalise_name(v)) for v in encoded.dictionary.to_pylist()]
    return pc.take(pa.array(digests, pa.string()), encoded.indices)


def borrower_keys(key: bytes, id_types: pa.Array, id_numbers: pa.Array) -> tuple[pa.Array, pa.Array]:
    """(borrower_key, id_check_ok) per row: HMAC of 证件类型 + ':' + normalised 证件号码.

    The check digit is computed here, on the clear value, because nothing after ingestion can.
    """
    # The type comes from a fixed list without NUL, so the first NUL splits type and number.
    encoded = pc.dictionary_encode(pc.binary_join_element_wise(id_types, id_numbers, "\x00"))
    keys: list[str] = []
    checks: list[bool | None] = []
    for value in encoded.dictionary.to_pylist():
        id_type, _, number = value.partition("\x00")
        normalised = normalise_id(number)
        keys.append(_digest(key, f"{id_type}:{normalised}"))
        checks.append(check_identifier(id_type, normalised))
    indices = encoded.indices
    return pc.take(pa.array(keys, pa.string()), indices), pc.take(pa.array(checks, pa.bool_()), indices)
