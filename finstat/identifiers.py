"""Check digits of Chinese identifiers: 身份证号码 (GB 11643), 统一社会信用代码 (GB 32100), 组织机构代码 (GB 11714)."""

from __future__ import annotations

import re

# GB 11643-1999: weights 2^(17-i) mod 11 over the first 17 digits; 10 is written X. Public: the
# vectorised checks (ingestion.pseudonym) and generators (bench.loan_file) use the same tables.
RESIDENT_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
RESIDENT_CHECK = "10X98765432"
_RESIDENT = re.compile(r"^\d{17}[\dX]$")

# GB 32100-2015: 31 characters (no I, O, S, V, Z); weights 3^i mod 31 over the first 17.
USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
_USCC = re.compile(rf"^[{USCC_CHARSET}]{{18}}$")

# GB 11714-1997: 8 digits or capital letters (A = 10 .. Z = 35) weighted 3,7,9,10,5,8,4,2; the check is
# 11 - sum mod 11, with 10 written X and 11 written 0. A USCC carries one as its characters 9..17.
ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_BODY = re.compile(r"[0-9A-Z]{8}")


def resident_id_check_char(first17: str) -> str:
    """The 18th character of a 身份证号码 given its first 17 digits."""
    if not re.fullmatch(r"\d{17}", first17):
        raise ValueError("a resident ID body is 17 digits")
    total = sum(int(c) * w for c, w in zip(first17, RESIDENT_WEIGHTS, strict=True))
    return RESIDENT_CHECK[total % 11]


def is_valid_resident_id(value: str) -> bool:
    """True when an 18-character 身份证号码 has the right form and check digit."""
    text = (value or "").strip().upper()
    return bool(_RESIDENT.match(text)) and resident_id_check_char(text[:17]) == text[17]


def uscc_check_char(first17: str) -> str:
    """The 18th character of a 统一社会信用代码 given its first 17 characters."""
    if not re.fullmatch(rf"[{USCC_CHARSET}]{{17}}", first17):
        raise ValueError("a USCC body is 17 characters of the GB 32100 set")
    total = sum(USCC_CHARSET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def is_valid_uscc(value: str) -> bool:
    """True when an 18-character 统一社会信用代码 has the right form and check character."""
    text = (value or "").strip().upper()
    return bool(_USCC.match(text)) and uscc_check_char(text[:17]) == text[17]


def org_code_check_char(first8: str) -> str:
    """The 9th character of a 组织机构代码 given its first 8 (written after a hyphen on the certificate)."""
    if not _ORG_BODY.fullmatch(first8):
        raise ValueError("an organisation code body is 8 digits or capital letters")
    total = sum(int(c, 36) * w for c, w in zip(first8, ORG_CODE_WEIGHTS, strict=True))
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def check_identifier(id_type: str, value: str) -> bool | None:
    """Check digit verdict by 证件类型; None for types without a check digit (其他)."""
    if id_type == "身份证":
        return is_valid_resident_id(value)
    if id_type == "统一社会信用代码":
        return is_valid_uscc(value)
    return None
