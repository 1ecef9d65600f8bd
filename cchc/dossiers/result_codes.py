"""The document code of an electronic result (mã số giấy tờ), Decree 118/2025/NĐ-CP Art. 22.

Each electronic result carries a document code: the result's own identifier plus its document-type code
(DOMAIN.md §3). The identifier is the issuing (competent) agency's electronic identifier, the year and a yearly
sequence of that agency; the type code comes from the procedure version (`result_type_code`, "KQ" when the
catalog gives none). The exact national syntax is not in the sources we hold (verify), so the pattern is a
setting, RESULT_CODE_PATTERN (environment CCHC_RESULT_CODE_PATTERN), a str.format pattern with `agency`, `year`, `seq` and `type`, by default
``{agency}-{year}-{seq:06d}.{type}``, e.g. ``000.00.12.H99-2026-000015.GKS``.

The sequence is the dossier codes' gap-free counter (cchc.dossiers.codes), under the prefix ``KQ:{agency}`` and
the year's 1 January, so a rolled-back resolution gives its number back.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from cchc.dossiers.codes import _sequence_next
from cchc.dossiers.models import DossierResult

DEFAULT_PATTERN: Final = "{agency}-{year}-{seq:06d}.{type}"
DEFAULT_TYPE: Final = "KQ"


def result_code_next(*, agency: str, type_code: str, day: dt.date) -> str:
    """The next document code of `agency` for a result issued on `day`; inside the resolving transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise transaction.TransactionManagementError(
            "result_code_next() must run in the resolving transaction."
        )
    if not agency or agency != agency.strip():
        raise ValueError(f"Mã định danh cơ quan không hợp lệ: {agency!r}.")
    seq = _sequence_next(prefix=f"KQ:{agency}"[:40], day=dt.date(day.year, 1, 1))
    pattern: str = getattr(settings, "RESULT_CODE_PATTERN", DEFAULT_PATTERN)
    try:
        code = pattern.format(agency=agency, year=day.year, seq=seq, type=type_code or DEFAULT_TYPE)
    except (KeyError, IndexError, ValueError) as error:
        raise ImproperlyConfigured(
            f"CCHC_RESULT_CODE_PATTERN {pattern!r} is not a valid pattern: {error}"
        ) from error
    limit = DossierResult._meta.get_field("document_code").max_length or 0
    if len(code) > limit:
        raise ValueError(f"Mã số giấy tờ {code!r} dài quá {limit} ký tự.")
    return code
