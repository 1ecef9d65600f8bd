"""Dossier codes (mã số hồ sơ) and lookup keys (mã tra cứu).

Decree 118/2025/NĐ-CP Art. 28 and Circular 03/2025/TT-VPCP Art. 13: the system generates the code from the
electronic identifier of the competent agency (or, for a group of linked procedures, of the receiving unit or
the national portal), the reception date and a sequence number within that day. The caller passes that
identifier as ``prefix``; choosing it is the caller's business (docs/domain.md §3).

Two syntaxes exist and both are parsed, because old dossiers keep their codes:

* 2018, Circular 01/2018/TT-VPCP Art. 19: ``V1V2V3.Z1Z2.Y1Y2.MX1X2-YYMMDD-XXXX``,
  e.g. ``000.00.12.H57-260213-0001``.
* 2026, nationwide central systems (Circular 04/2025): ``MX1X2.Y1Y2Y3.Z1Z2-YYMMDD-AAXXXX``,
  e.g. ``H57.123.45-260213-AB0001``, with a sequence of at least 4 digits.

How the letters are read here (the regexes below are the authority):

* ``V`` is a digit; ``M`` is an upper-case letter and ``X1X2`` two digits (the ``H57`` group);
  ``Y`` and ``Z`` are upper-case letters or digits;
* ``AA`` (2026 only) is exactly two upper-case letters or digits, kept as :attr:`ParsedCode.series`;
* ``YYMMDD`` is a real calendar date in 2000-2099;
* the sequence is 4 digits zero-padded (``0001``-``9999``) and grows without padding beyond that
  (``10000``, ...); ``0000`` and padded forms such as ``00001`` are refused. Only upper case is accepted.

The code is generated from ``settings.DOSSIER_CODE_PATTERN`` (a :meth:`str.format` pattern with ``prefix``,
``day`` and ``seq``), by default the 2018 syntax ``{prefix}-{day:%y%m%d}-{seq:04d}``.
"""

from __future__ import annotations

import datetime
import re
import secrets
from dataclasses import dataclass
from typing import Final, Literal

from django.conf import settings
from django.db import connection, transaction

from cchc.dossiers.models import DailySequence, Dossier

DEFAULT_PATTERN: Final = "{prefix}-{day:%y%m%d}-{seq:04d}"

# Lookup keys avoid characters that are easily confused when read aloud or copied by hand: 0/O, 1/I/L.
LOOKUP_KEY_ALPHABET: Final = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LOOKUP_KEY_LENGTH: Final = 8

_SEQ = r"(?P<seq>[0-9]{4}|[1-9][0-9]{4,})"
_DAY = r"(?P<day>[0-9]{6})"
_CODE_2018: Final = re.compile(
    rf"(?P<agency>[0-9]{{3}}\.[0-9A-Z]{{2}}\.[0-9A-Z]{{2}}\.[A-Z][0-9]{{2}})-{_DAY}-{_SEQ}"
)
_CODE_2026: Final = re.compile(
    rf"(?P<agency>[A-Z][0-9]{{2}}\.[0-9A-Z]{{3}}\.[0-9A-Z]{{2}})-{_DAY}-(?P<series>[0-9A-Z]{{2}}){_SEQ}"
)


@dataclass(frozen=True, slots=True)
class ParsedCode:
    """A dossier code taken apart.

    ``agency`` is the electronic identifier of the agency (``000.00.12.H57`` or ``H57.123.45``); ``series`` is
    the ``AA`` part of the 2026 syntax and ``None`` for the 2018 syntax.
    """

    syntax: Literal["2018", "2026"]
    agency: str
    day: datetime.date
    sequence: int
    series: str | None = None


def dossier_code_next(*, prefix: str, day: datetime.date) -> str:
    """Return the next dossier code for an agency identifier and a reception day (Decree 118/2025 Art. 28).

    Must run inside the caller's ``transaction.atomic()``, the one that creates the dossier: the day's
    counter (:class:`DailySequence`) is incremented under a row lock held until that transaction ends, so a
    rolled-back intake gives its number back and committed codes are unique and gap-free. The lock also
    serialises intakes of the same agency and day; keep the transaction short after calling this.
    The sequence restarts at 1 for each prefix and day. Assumes the default READ COMMITTED isolation.

    Raises ``TransactionManagementError`` outside a transaction and ``ValueError`` for an empty or too long
    prefix, or when the formatted code would not fit ``Dossier.code``.
    """
    if not transaction.get_connection().in_atomic_block:
        raise transaction.TransactionManagementError(
            "dossier_code_next() must be called inside transaction.atomic(), in the transaction that "
            "creates the dossier; otherwise a failed intake would leave a gap in the day's sequence."
        )
    prefix_max = DailySequence._meta.get_field("prefix").max_length or 0
    if not prefix or len(prefix) > prefix_max or prefix != prefix.strip():
        raise ValueError(
            f"Tiền tố mã hồ sơ không hợp lệ: {prefix!r} (không rỗng, tối đa {prefix_max} ký tự)."
        )
    sequence = _sequence_next(prefix=prefix, day=day)
    pattern: str = getattr(settings, "DOSSIER_CODE_PATTERN", DEFAULT_PATTERN)
    code = pattern.format(prefix=prefix, day=day, seq=sequence)
    code_max = Dossier._meta.get_field("code").max_length or 0
    if len(code) > code_max:
        raise ValueError(f"Mã hồ sơ {code!r} dài quá {code_max} ký tự.")
    return code


def _sequence_next(*, prefix: str, day: datetime.date) -> int:
    """Increment and return the day's counter in one statement; the caller's transaction holds the row lock.

    An upsert (INSERT .. ON CONFLICT DO UPDATE .. RETURNING, PostgreSQL and SQLite >= 3.35): the first intake of
    the day creates the row, the others wait on its lock and increment it. A rolled-back intake rolls its
    increment back with it.
    """
    table = connection.ops.quote_name(DailySequence._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (prefix, day, last) VALUES (%s, %s, 1) "  # noqa: S608 (a model's table name)
            f"ON CONFLICT (prefix, day) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [prefix, connection.ops.adapt_datefield_value(day)],
        )
        row = cursor.fetchone()
    if row is None:  # pragma: no cover - RETURNING always gives the row
        raise RuntimeError("daily sequence upsert returned nothing")
    return int(row[0])


def parse_dossier_code(code: str) -> ParsedCode:
    """Take a dossier code apart, in the 2026 syntax (Circular 03/2025 Art. 13) or the 2018 one.

    The 2018 syntax is that of Circular 01/2018/TT-VPCP Art. 19. Surrounding white space is ignored; anything
    else that does not match (see the module docstring) raises ``ValueError`` with a Vietnamese message.
    """
    text = code.strip()
    syntax: Literal["2018", "2026"]
    if match := _CODE_2018.fullmatch(text):
        syntax = "2018"
        series = None
    elif match := _CODE_2026.fullmatch(text):
        syntax = "2026"
        series = match["series"]
    else:
        raise ValueError(f"Mã hồ sơ {code!r} không đúng định dạng.")
    raw_day = match["day"]
    try:
        day = datetime.date(2000 + int(raw_day[:2]), int(raw_day[2:4]), int(raw_day[4:]))
    except ValueError:
        raise ValueError(f"Mã hồ sơ {code!r} có ngày tiếp nhận không hợp lệ: {raw_day}.") from None
    sequence = int(match["seq"])
    if sequence == 0:
        raise ValueError(f"Mã hồ sơ {code!r} có số thứ tự không hợp lệ (phải từ 0001).")
    return ParsedCode(syntax=syntax, agency=match["agency"], day=day, sequence=sequence, series=series)


def lookup_key_new() -> str:
    """Return a random tracking key (mã tra cứu) of 8 characters, printed on the receipt or as a QR code.

    About 39 bits from :mod:`secrets`; the key is not unique on its own (``Dossier.lookup_key`` is only
    indexed), so look dossiers up by code and key together.
    """
    return "".join(secrets.choice(LOOKUP_KEY_ALPHABET) for _ in range(LOOKUP_KEY_LENGTH))
