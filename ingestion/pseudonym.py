"""Pseudonymisation of personal data at ingestion: HMAC-SHA256 keys for 客户名称 and 证件号码."""

from __future__ import annotations

import os
import secrets
import stat
import unicodedata
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from finstat.identifiers import (
    RESIDENT_CHECK,
    RESIDENT_WEIGHTS,
    USCC_CHARSET,
    USCC_WEIGHTS,
    check_identifier,
)
from finstat.settings import Settings
from ingestion import hmac_pool

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


# Text NFKC leaves as it is, with no whitespace and nothing str.upper() changes beyond ASCII letters:
# printable ASCII, the middle dot of minority names and the CJK Unified Ideographs (no
# decompositions, no case). Such a value normalises to its ASCII upper case without leaving Arrow;
# anything else (full-width brackets, spaces, rarer characters) goes through normalise_name.
_PLAIN = r"^[!-~\x{00B7}\x{4E00}-\x{9FFF}]*$"
_HEX_DIGITS = np.frombuffer(b"0123456789abcdef", np.uint8)
_RESIDENT, _USCC = "身份证", "统一社会信用代码"
_ID_LENGTH = 18
_RESIDENT_WEIGHTS = np.array(RESIDENT_WEIGHTS, np.int64)
_RESIDENT_CHECK = np.frombuffer(RESIDENT_CHECK.encode(), np.uint8)
_USCC_CHARSET = USCC_CHARSET.encode()
_USCC_WEIGHTS = np.array(USCC_WEIGHTS, np.int64)
# Byte -> position in the GB 32100 character set, -1 for a byte outside it.
_USCC_INDEX = np.full(256, -1, np.int64)
_USCC_INDEX[np.frombuffer(_USCC_CHARSET, np.uint8)] = np.arange(len(_USCC_CHARSET))


def _normalised(values: pa.Array) -> pa.Array:
    """normalise_name of every value: vectorised for plain text, in Python for the rest."""
    plain = pc.match_substring_regex(values, _PLAIN)
    upper = pc.ascii_upper(values)
    if pc.all(plain).as_py() is not False:
        return upper
    others = pc.indices_nonzero(pc.invert(plain))
    fixed = pa.array([normalise_name(v) for v in pc.take(values, others).to_pylist()], pa.string())
    # Scatter the Python results back over the vectorised ones at their positions.
    positions = np.full(len(values), -1, np.int64)
    positions[others.to_numpy()] = np.arange(len(fixed))
    replaced = pc.take(fixed, pa.array(np.where(positions >= 0, positions, 0)))
    return pc.if_else(plain, upper, replaced)


def _hex_digests(key: bytes, messages: pa.Array) -> pa.Array:
    """HMAC-SHA256 of each UTF-8 message as 64 lower-case hex characters (as hmac.digest().hex())."""
    n = len(messages)
    offsets = np.frombuffer(messages.buffers()[1], np.int32, n + 1, messages.offset * 4).astype(np.int64)
    data = messages.buffers()[2]
    raw = data.to_pybytes() if data is not None else b""
    digests = hmac_pool.digests(key, raw, offsets)
    binary = np.frombuffer(digests, np.uint8)
    text = np.empty(2 * len(binary), np.uint8)
    text[0::2] = _HEX_DIGITS[binary >> 4]
    text[1::2] = _HEX_DIGITS[binary & 0x0F]
    hex_offsets = np.arange(0, 64 * (n + 1), 64, dtype=np.int32)
    return pa.StringArray.from_buffers(n, pa.py_buffer(hex_offsets), pa.py_buffer(text))


def name_keys(key: bytes, names: pa.Array) -> pa.Array:
    """name_key per row: one HMAC per distinct spelling, mapped back through a dictionary."""
    encoded = pc.dictionary_encode(names)
    return pc.take(_hex_digests(key, _normalised(encoded.dictionary)), encoded.indices)


def _check_digits_ascii(id_types: pa.Array, numbers: pa.Array) -> np.ndarray:
    """check_identifier for ASCII numbers already upper case without spaces (vectorised): True/False."""
    n = len(numbers)
    ok = np.zeros(n, bool)
    lengths = pc.binary_length(numbers).to_numpy(zero_copy_only=False)
    rows = np.flatnonzero(lengths == _ID_LENGTH)
    if not len(rows):
        return ok
    offsets = np.frombuffer(numbers.buffers()[1], np.int32, n + 1, numbers.offset * 4)
    data = np.frombuffer(numbers.buffers()[2], np.uint8)
    chars = data[offsets[rows][:, None] + np.arange(_ID_LENGTH)]
    body, last = chars[:, :17], chars[:, 17]
    is_resident = pc.equal(id_types, _RESIDENT).to_numpy(zero_copy_only=False)[rows]
    is_uscc = pc.equal(id_types, _USCC).to_numpy(zero_copy_only=False)[rows]
    digits = (body >= ord("0")) & (body <= ord("9"))
    resident_total = ((body.astype(np.int64) - ord("0")) * _RESIDENT_WEIGHTS).sum(axis=1) % 11
    resident = (
        digits.all(axis=1)
        & (((last >= ord("0")) & (last <= ord("9"))) | (last == ord("X")))
        & (_RESIDENT_CHECK[resident_total] == last)
    )
    index = _USCC_INDEX[chars]
    uscc_total = (index[:, :17] * _USCC_WEIGHTS).sum(axis=1) % 31
    uscc_check = np.frombuffer(_USCC_CHARSET, np.uint8)[(31 - uscc_total) % 31]
    uscc = (index >= 0).all(axis=1) & (uscc_check == last)
    ok[rows] = (is_resident & resident) | (is_uscc & uscc)
    return ok


def _check_digits(id_types: pa.Array, numbers: pa.Array) -> pa.Array:
    """check_identifier(type, normalised number) per value: NULL for types without a check digit."""
    ok = _check_digits_ascii(id_types, numbers)
    # A non-ASCII number (digits of another script) keeps the Python rules, whatever they say.
    others = pc.indices_nonzero(pc.invert(pc.string_is_ascii(numbers))).to_numpy()
    if len(others):
        pairs = zip(pc.take(id_types, others).to_pylist(), pc.take(numbers, others).to_pylist(), strict=True)
        ok[others] = [bool(check_identifier(t, v)) for t, v in pairs]
    checked = pc.or_(pc.equal(id_types, _RESIDENT), pc.equal(id_types, _USCC))
    return pc.if_else(checked, pa.array(ok), pa.scalar(None, pa.bool_()))


def borrower_keys(key: bytes, id_types: pa.Array, id_numbers: pa.Array) -> tuple[pa.Array, pa.Array]:
    """(borrower_key, id_check_ok) per row: HMAC of 证件类型 + ':' + normalised 证件号码.

    The check digit is computed here, on the clear value, because nothing after ingestion can.
    """
    # The type comes from a fixed list without NUL, so the first NUL splits type and number.
    encoded = pc.dictionary_encode(pc.binary_join_element_wise(id_types, id_numbers, "\x00"))
    parts = pc.split_pattern(encoded.dictionary, "\x00", max_splits=1)
    types, numbers = pc.list_element(parts, 0), _normalised(pc.list_element(parts, 1))
    keys = _hex_digests(key, pc.binary_join_element_wise(types, numbers, ":"))
    indices = encoded.indices
    return pc.take(keys, indices), pc.take(_check_digits(types, numbers), indices)
