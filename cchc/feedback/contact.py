"""The sender's contact details: checked and written one way (số điện thoại, thư điện tử)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

_SEPARATORS = re.compile(r"[\s.\-()]")
# Vietnamese numbers: 10 digits for mobiles (03, 05, 07, 08, 09), 11 for landlines (02x), written 0…, 84… or +84….
_PHONE = re.compile(r"0(?:[35789]\d{8}|2\d{9})")


def normalise_phone(text: str) -> str:
    """The phone number as 0xxxxxxxxx, '' for an empty value; ValueError with a Vietnamese message otherwise."""
    raw = _SEPARATORS.sub("", text or "")
    if not raw:
        return ""
    if raw.startswith("+84"):
        raw = "0" + raw[3:]
    elif raw.startswith("84") and len(raw) in (11, 12):
        raw = "0" + raw[2:]
    if not _PHONE.fullmatch(raw):
        raise ValueError(_("Số điện thoại không hợp lệ. Ví dụ đúng: 0912 345 678."))
    return raw


def normalise_email(text: str) -> str:
    """The e-mail address trimmed, '' for an empty value; ValueError with a Vietnamese message otherwise."""
    address = (text or "").strip()
    if not address:
        return ""
    try:
        validate_email(address)
    except ValidationError:
        raise ValueError(_("Địa chỉ thư điện tử không hợp lệ.")) from None
    return address
