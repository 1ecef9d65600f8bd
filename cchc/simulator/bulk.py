"""Bulk writing (ghi hàng loạt): id ranges reserved up front, then COPY on PostgreSQL, executemany on SQLite.

Rows are tuples of neutral values: str, int, bool or None, with moments as naive UTC text
("YYYY-MM-DD HH:MM:SS", how Django stores them on SQLite; PostgreSQL reads them as UTC because the writing
transaction sets its time zone to UTC). So the same rows go to both databases.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import DatabaseError, connection, transaction
from django.db.models import ForeignKey, Model


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


def _copy(table: Table, rows: Sequence[tuple[Any, ...]]) -> None:
    """COPY in text format, each row formatted and escaped by psycopg 3's C writer (write_row)."""
    columns = ", ".join(connection.ops.quote_name(c) for c in table.columns)
    statement = f"COPY {connection.ops.quote_name(table.name)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(statement) as copy:
            write_row = copy.write_row
            for row in rows:
                write_row(row)


def utc_session() -> None:
    """Read naive moments as UTC for the rest of the transaction (PostgreSQL)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL TIME ZONE 'UTC'")


def bulk_session() -> bool:
    """Settings for the rest of the bulk-load transaction (PostgreSQL); True when the per-row foreign-key
    triggers are off, and the caller must then check the written rows with `foreign_keys_check`.

    The simulator writes test data, so the commit need not wait for the WAL flush (synchronous_commit off: a
    crash in the next few hundred milliseconds could lose the whole run, never corrupt the database). When the
    role may set session_replication_role (a superuser), the deferred per-row FK checks (one locking SELECT per
    reference, tens of millions at commit for a large run) are replaced by one set-based check per table and
    column; otherwise PostgreSQL checks each row as usual.
    """
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('cchc.sim_restore', current_setting('synchronous_commit'), true)")
        cursor.execute("SET LOCAL synchronous_commit = off")
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
    except DatabaseError:
        return False
    # A savepoint's SET LOCAL lasts until the end of the whole transaction once the savepoint is released.
    return True


def bulk_session_end() -> None:
    """Undo bulk_session for the rest of an enclosing transaction (when the caller holds a wider one)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = origin")
        cursor.execute("SELECT set_config('synchronous_commit', current_setting('cchc.sim_restore'), true)")


def row_triggers(*, on: bool) -> None:
    """Turn the per-row triggers back on (for the few rows written through the ORM) or off again, after
    bulk_session returned True."""
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL session_replication_role = {'origin' if on else 'replica'}")


def foreign_keys_check(tables: Sequence[Table], dossier_table: str, low: int, high: int) -> None:
    """What the foreign-key triggers would have checked, for the rows of dossiers `low`..`high`: every
    reference exists, and the referenced rows are locked FOR KEY SHARE until commit as the triggers do.
    RuntimeError names the first dangling reference (the transaction is then rolled back)."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in tables:
            scope = "id" if table.name == dossier_table else "dossier_id"
            fields = [
                f
                for f in table.model._meta.concrete_fields
                if isinstance(f, ForeignKey)
                and f.column in table.columns
                and getattr(f, "db_constraint", True)
            ]
            for field in fields:
                related: type[Model] = field.related_model  # type: ignore[assignment]
                target = related._meta.db_table
                column, key = quote(field.column), quote(field.target_field.column)
                where = f"c.{quote(scope)} BETWEEN %s AND %s AND c.{column} IS NOT NULL"
                if target == dossier_table:
                    cursor.execute(
                        f"SELECT c.{column} FROM {quote(table.name)} c WHERE {where} AND NOT EXISTS "  # noqa: S608
                        f"(SELECT 1 FROM {quote(target)} p WHERE p.{key} = c.{column}) LIMIT 1",
                        [low, high],
                    )
                    missing = [row[0] for row in cursor.fetchall()]
                else:
                    cursor.execute(
                        f"SELECT DISTINCT c.{column} FROM {quote(table.name)} c WHERE {where}",  # noqa: S608
                        [low, high],
                    )
                    wanted = {row[0] for row in cursor.fetchall()}
                    if not wanted:
                        continue
                    cursor.execute(
                        f"SELECT p.{key} FROM {quote(target)} p WHERE p.{key} = ANY(%s) FOR KEY SHARE",  # noqa: S608
                        [list(wanted)],
                    )
                    missing = sorted(wanted - {row[0] for row in cursor.fetchall()})
                if missing:
                    raise RuntimeError(f"{table.name}.{field.column}: {missing[0]} not in {target}")
