"""Feedback codes (mã phản ánh) PAKN-yymmdd-xxxx and lookup keys (mã tra cứu).

The sequence restarts each day (Asia/Ho_Chi_Minh) and is incremented under the row lock of the day's counter in
the transaction that records the feedback: a rolled-back submission gives its number back, so codes are unique
and have no gaps (the same technique as dossier codes, cchc.dossiers.codes).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Final

from django.db import connection, transaction

from cchc.dossiers.codes import LOOKUP_KEY_ALPHABET, lookup_key_new
from cchc.feedback.models import FeedbackSequence

PREFIX: Final = "PAKN"
CODE_PATTERN: Final = re.compile(r"PAKN-[0-9]{6}-(?:[0-9]{4}|[1-9][0-9]{4,})")
KEY_PATTERN: Final = re.compile(f"[{LOOKUP_KEY_ALPHABET}]{{8}}")

__all__ = ["CODE_PATTERN", "KEY_PATTERN", "feedback_code_next", "lookup_key_new", "normalise_code"]


def feedback_code_next(*, day: dt.date) -> str:
    """The next code of `day`, e.g. PAKN-260213-0001. Must run inside the transaction that records the feedback."""
    if not transaction.get_connection().in_atomic_block:
        raise transaction.TransactionManagementError(
            "feedback_code_next() must run inside the transaction that records the feedback."
        )
    table = connection.ops.quote_name(FeedbackSequence._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (day, last) VALUES (%s, 1) "  # noqa: S608 (a model's table name)
            f"ON CONFLICT (day) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [connection.ops.adapt_datefield_value(day)],
        )
        row = cursor.fetchone()
    if row is None:  # pragma: no cover - RETURNING always gives the row
        raise RuntimeError("feedback sequence upsert returned nothing")
    return f"{PREFIX}-{day:%y%m%d}-{int(row[0]):04d}"


def normalise_code(text: str) -> str:
    """A code as typed (spaces, lower case) in its stored form; '' when it cannot be a feedback code."""
    code = "".join(text.split()).upper()
    return code if CODE_PATTERN.fullmatch(code) else ""
