"""Phone numbers, e-mail addresses and ID numbers of citizens (cchc.citizens.contacts)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from cchc.citizens.contacts import (
    Contact,
    ContactKind,
    id_number_matches_birth_date,
    mask_email,
    normalise_phone,
    parse_contact,
    validate_id_number,
)


@pytest.mark.parametrize(
    "raw",
    [
        "0912345678",
        "0912 345 678",
        "0912.345.678",
        "+84 912 345 678",
        "+84912345678",
        "84912345678",
        "(091) 2345-678",
    ],
)
def test_mobile_numbers_are_normalised_to_ten_digits_starting_with_0(raw: str) -> None:
    assert normalise_phone(raw) == "0912345678"


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "091234567",
        "09123456789",
        "0212345678",
        "0112345678",
        "01612345678",
        "+1 912 345 678",
        "09123abc78",
    ],
)
def test_non_mobile_numbers_are_refused_in_vietnamese(raw: str) -> None:
    with pytest.raises(ValidationError) as error:
        normalise_phone(raw)
    assert "Số điện thoại di động không hợp lệ" in error.value.messages[0]


@pytest.mark.parametrize("prefix", ["03", "05", "07", "08", "09"])
def test_every_mobile_network_prefix_is_accepted(prefix: str) -> None:
    assert normalise_phone(prefix + "12345678") == prefix + "12345678"


def test_contact_is_told_apart_by_the_at_sign_and_email_is_lower_cased() -> None:
    assert parse_contact(" An.Nguyen@Example.VN ") == Contact(ContactKind.EMAIL, "an.nguyen@example.vn")
    assert parse_contact("+84 987 654 321") == Contact(ContactKind.SMS, "0987654321")


@pytest.mark.parametrize("raw", ["", "   ", "an@", "@example.vn", "an@@example.vn", "12345", "an nguyen"])
def test_bad_contacts_are_refused(raw: str) -> None:
    with pytest.raises(ValidationError):
        parse_contact(raw)


def test_valid_id_number_passes() -> None:
    validate_id_number("079190001234")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("07919000123", "đúng 12 chữ số"),
        ("0791900012345", "đúng 12 chữ số"),
        ("07919000123a", "đúng 12 chữ số"),
        ("079 19000123", "đúng 12 chữ số"),
        ("000190001234", "mã tỉnh"),
        ("097190001234", "mã tỉnh"),
    ],
)
def test_bad_id_numbers_are_refused_with_the_reason(value: str, message: str) -> None:
    with pytest.raises(ValidationError) as error:
        validate_id_number(value)
    assert message in error.value.messages[0]


@pytest.mark.parametrize(
    ("value", "birth", "matches"),
    [
        ("079090001234", dt.date(1990, 9, 5), True),  # 0: male, 1900s
        ("079190001234", dt.date(1990, 9, 5), True),  # 1: female, 1900s
        ("001203001234", dt.date(2003, 1, 1), True),  # 2: male, 2000s
        ("001303001234", dt.date(2003, 1, 1), True),  # 3: female, 2000s
        ("079091001234", dt.date(1990, 9, 5), False),  # year digits 91
        ("079290001234", dt.date(1990, 9, 5), False),  # century digit says 2090
    ],
)
def test_id_number_encodes_century_and_year_of_birth(value: str, birth: dt.date, matches: bool) -> None:
    assert id_number_matches_birth_date(value, birth) is matches


def test_email_is_masked_but_for_its_first_character_and_domain() -> None:
    assert mask_email("nguyen.an@example.vn") == "n********@example.vn"
    assert mask_email("a@b.vn") == "a**@b.vn"
    assert Contact(ContactKind.SMS, "0912345678").masked == "*******678"
