"""The personal identification number (số định danh cá nhân, on the CCCD card): its format and validation.

Pure functions, no database; shared by the citizens' contacts, the identity provider's claims and staff
identities.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# 12 digits (Law on Identification 2023 Art. 12; verify). Structure (Decree 137/2015/NĐ-CP Art. 13, Circular
# 07/2016/TT-BCA Art. 7; verify): 3 digits province of birth registration (001-096), 1 digit century and sex,
# 2 digits year of birth, 6 digits.
ID_NUMBER_PATTERN = r"^[0-9]{12}$"
_ID_NUMBER_RE = re.compile(ID_NUMBER_PATTERN)
PROVINCE_CODE_MAX = 96


def validate_id_number(value: str) -> None:
    """A 12-digit personal identification number whose first 3 digits are a province code."""
    if not _ID_NUMBER_RE.match(value or ""):
        raise ValidationError(_("Số CCCD (số định danh cá nhân) phải gồm đúng 12 chữ số."), code="id_number")
    if not 1 <= int(value[:3]) <= PROVINCE_CODE_MAX:
        raise ValidationError(
            _("Số CCCD không hợp lệ: ba chữ số đầu là mã tỉnh nơi đăng ký khai sinh (001 đến 096)."),
            code="id_number_province",
        )
