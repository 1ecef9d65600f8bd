"""Contact addresses and identity numbers of citizens: parsing, normalising, validating, masking.

Pure functions, no database. Messages are Vietnamese and marked for translation.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

# The identification number's rules live in cchc.core.idnumber (the identity provider's claims and staff
# identities use them too); citizens migration 0001 names the validator here.
from cchc.core.idnumber import validate_id_number as validate_id_number
from cchc.core.masking import mask_phone

# Vietnamese mobile numbers since the 2018 renumbering: 10 digits, 0 then a network prefix starting with
# 3, 5, 7, 8 or 9 (national numbering plan, Circular 22/2014/TT-BTTTT as amended; verify).
MOBILE_PATTERN = r"^0[35789][0-9]{8}$"
_MOBILE_RE = re.compile(MOBILE_PATTERN)
_PHONE_SEPARATORS = re.compile(r"[\s.\-()]")

EMAIL_MAX_LENGTH = 254


class ContactKind(StrEnum):
    SMS = "sms"
    EMAIL = "email"


@dataclass(frozen=True)
class Contact:
    """A normalised address a one-time code can be sent to: a mobile number 0xxxxxxxxx, or a lower-case e-mail."""

    kind: ContactKind
    value: str

    @property
    def masked(self) -> str:
        return mask_email(self.value) if self.kind == ContactKind.EMAIL else mask_phone(self.value)


def normalise_phone(raw: str) -> str:
    """The mobile number as 0xxxxxxxxx (from "+84 912 345 678", "84912345678", "0912.345.678", ...).

    Raises ValidationError with a Vietnamese message when it is not a Vietnamese mobile number.
    """
    text = _PHONE_SEPARATORS.sub("", raw or "")
    if text.startswith("+84"):
        text = "0" + text[3:]
    elif text.startswith("84") and len(text) == 11:
        text = "0" + text[2:]
    if not _MOBILE_RE.match(text):
        raise ValidationError(
            _("Số điện thoại di động không hợp lệ (gồm 10 chữ số, ví dụ 0912345678)."), code="phone"
        )
    return text


def normalise_email(raw: str) -> str:
    """The e-mail address trimmed and in lower case; ValidationError when it is not an address."""
    text = (raw or "").strip().lower()
    try:
        if len(text) > EMAIL_MAX_LENGTH:
            raise ValidationError("too long")
        validate_email(text)
    except ValidationError as error:
        raise ValidationError(_("Địa chỉ thư điện tử không hợp lệ."), code="email") from error
    return text


def parse_contact(raw: str) -> Contact:
    """A phone number or an e-mail address, told apart by "@"."""
    text = (raw or "").strip()
    if not text:
        raise ValidationError(
            _("Vui lòng nhập số điện thoại di động hoặc địa chỉ thư điện tử."), code="required"
        )
    if "@" in text:
        return Contact(ContactKind.EMAIL, normalise_email(text))
    try:
        return Contact(ContactKind.SMS, normalise_phone(text))
    except ValidationError as error:
        raise ValidationError(
            _("Số điện thoại di động hoặc địa chỉ thư điện tử không hợp lệ."), code="contact"
        ) from error


def id_number_matches_birth_date(value: str, birth_date: dt.date) -> bool:
    """Whether digits 4-6 encode the birth year: century and sex (0/1 for 1900s, 2/3 for 2000s, ...) then the
    year's last two digits (Circular 07/2016/TT-BCA Art. 7; verify)."""
    century_digit = int(value[3])
    century = 1900 + 100 * (century_digit // 2)
    return century <= birth_date.year < century + 100 and int(value[4:6]) == birth_date.year % 100


def mask_email(value: str) -> str:
    """The e-mail with its local part masked but for the first character: "nguyen.an@x.vn" → "n********@x.vn"."""
    local, _at, domain = (value or "").partition("@")
    if not local:
        return ""
    return local[0] + "*" * max(len(local) - 1, 2) + ("@" + domain if domain else "")
