"""Bulk writing (ghi hàng loạt): id ranges reserved up front, then COPY on PostgreSQL, executemany on SQLite.

Rows are tuples of neutral values: str, int, bool or None, with moments as naive UTC text
("YYYY-MM-DD HH:MM:SS", how Django stores them on SQLite; PostgreSQL reads them as UTC because the writing
transaction sets its time zone to UTC). So the same rows go to both databases.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection
from django.db.models import Model


class Table:
    """A model's table with the columns the simulator writes, checked against the model."""

    def __init__(self, model: type[Model], columns: Sequence[str], json_columns: Sequence[str] = ()) -> None:
        known = {f.column for f in model._meta.concrete_fields}
        unknown = set(columns) - known
        if unknown:
            raise RuntimeError(f"{model._meta.label}: unknown columns {sorted(unknown)}")
        self.model = model
        self.name = model._meta.db_table
        self.columns = tuple(columns)
        self.json_indexes = tuple(self.columns.index(c) for c in json_columns)

    def reserve(self, count: int) -> int:
        """The first of `count` new ids that no other writer will take (the caller holds the transaction)."""
        if count <= 0:
            return 0
        table = connection.ops.quote_name(self.name)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [self.name])
                row = cursor.fetchone()
                sequence = row[0] if row else None
                if sequence is None:
                    raise RuntimeError(f"{self.name}: no id sequence")
                cursor.execute(
                    f"SELECT GREATEST(nextval(%s), (SELECT COALESCE(MAX(id), 0) + 1 FROM {table}))",  # noqa: S608
                    [sequence],
                )
                first = int(cursor.fetchone()[0])
                cursor.execute("SELECT setval(%s, %s)", [sequence, first + count - 1])
                return first
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")  # noqa: S608
            return int(cursor.fetchone()[0])

    def write(self, rows: Sequence[tuple[Any, ...]]) -> None:
        if not rows:
            return
        if connection.vendor == "postgresql":
            _copy(self, rows)
        else:
            table = connection.ops.quote_name(self.name)
            names = ", ".join(connection.ops.quote_name(c) for c in self.columns)
            marks = ", ".join("?" for _ in self.columns)
            with connection.cursor() as cursor:
                sqlite_cursor = cursor.cursor  # the driver's cursor: executemany without Django's % parsing
                sqlite_cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)  # noqa: S608


_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _text(value: Any) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    return str(value)


def _lines(table: Table, rows: Iterable[tuple[Any, ...]]) -> Iterable[str]:
    json_indexes = table.json_indexes
    for row in rows:
        values = [_text(v) for v in row]
        for index in json_indexes:
            values[index] = values[index].translate(_ESCAPES)
        yield "\t".join(values)


def _copy(table: Table, rows: Sequence[tuple[Any, ...]]) -> None:
    """COPY in text format, sent in large buffers (psycopg 3)."""
    columns = ", ".join(connection.ops.quote_name(c) for c in table.columns)
    statement = f"COPY {connection.ops.quote_name(table.name)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(statement) as copy:
            buffer: list[str] = []
            size = 0
            for line in _lines(table, rows):
                buffer.append(line)
                size += 1
                if size >= 20_000:
                    copy.write("\n".join(buffer) + "\n")
                    buffer, size = [], 0
            if buffer:
                copy.write("\n".join(buffer) + "\n")


def utc_session() -> None:
    """Read naive moments as UTC for the rest of the transaction (PostgreSQL)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL TIME ZONE 'UTC'")
