"""Check digits of 身份证号码 (GB 11643), 统一社会信用代码 (GB 32100) and 组织机构代码 (GB 11714)."""

import pytest

from finstat.identifiers import (
    check_identifier,
    is_valid_resident_id,
    is_valid_uscc,
    org_code_check_char,
    resident_id_check_char,
    uscc_check_char,
)


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("11010519491231002X", True),  # the standard's worked example, check character X
        ("11010519491231002x", True),  # lower-case x is the same character
        ("110105194912310021", False),
        ("1101051949123100", False),  # too short
        ("11010519491231002Y", False),
    ],
)
def test_resident_id(value, valid):
    assert is_valid_resident_id(value) is valid


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("91350100M000100Y43", True),  # the standard's worked example
        ("91350100M000100Y44", False),
        ("91350100M000100I43", False),  # I is not in the GB 32100 character set
        ("", False),
    ],
)
def test_uscc(value, valid):
    assert is_valid_uscc(value) is valid


def test_check_chars_complete_any_body():
    assert resident_id_check_char("11010519491231002") == "X"
    assert uscc_check_char("91350100M000100Y4") == "3"
    assert is_valid_uscc("91410600MA" + "0000001" + uscc_check_char("91410600MA0000001"))


@pytest.mark.parametrize(
    ("code", "check"),
    [
        ("D2143569-X", "X"),  # the example code of GB 11714: 11 - 199 mod 11 = 10, written X
        ("M000100Y-4", "4"),  # characters 9..17 of GB 32100's example USCC 91350100M000100Y43
        ("12345678-8", "8"),  # 201 mod 11 = 3
        ("00000000-0", "0"),  # 11 - 0 = 11, written 0
    ],
)
def test_org_code_check_char(code, check):
    body, _, written = code.partition("-")
    assert org_code_check_char(body) == written == check


@pytest.mark.parametrize("body", ["1234567", "123456789", "d2143569", "D214356-"])
def test_org_code_body_is_eight_digits_or_capitals(body):
    with pytest.raises(ValueError, match="8 digits or capital letters"):
        org_code_check_char(body)


@pytest.mark.parametrize(
    ("id_type", "value", "verdict"),
    [
        ("身份证", "11010519491231002X", True),
        ("统一社会信用代码", "91350100M000100Y44", False),
        ("其他", "A123", None),
    ],
)
def test_check_identifier_by_type(id_type, value, verdict):
    assert check_identifier(id_type, value) is verdict
