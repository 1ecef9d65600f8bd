"""The database's own limit for what cchc asks of it: the statements one call sends, captured, then replayed.

`capture()` records every statement Django sends while a call runs (with its parameters, as sent). `replay_ms`
times the same statements on a plain psycopg connection in a tight loop (the rows are fetched, nothing else is
done with them), so a figure of cchc can be read as a fraction of what PostgreSQL itself does for the same
query shape. `replay_rate` does it from several processes at once for writes, each run rolled back; the cost
of a durable commit is measured apart by `commit_ms` (a one-row insert and its commit). `pgbench_script`
writes the statements with their values inlined, for pgbench's clients.
"""

from __future__ import annotations

import multiprocessing
import os
import statistics
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from typing import Any

import psycopg
from django.db import connection

Statement = tuple[str, Any]
# Transaction control is the replay's own business: savepoints only exist inside Django's atomic blocks.
_SKIPPED = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT", "BEGIN", "COMMIT", "ROLLBACK")


@contextmanager
def capture() -> Iterator[list[Statement]]:
    """Every statement Django sends inside the block (executemany calls included once per parameter row)."""
    statements: list[Statement] = []

    def wrapper(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        if not sql.lstrip().upper().startswith(_SKIPPED):
            if many:
                statements.extend((sql, row) for row in params)
            else:
                statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield statements


def _connect() -> psycopg.Connection[Any]:
    """A plain connection to Django's database, with client-side binding as Django uses (psycopg.ClientCursor)."""
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    params.pop("prepare_threshold", None)
    return psycopg.connect(**params, cursor_factory=psycopg.ClientCursor, autocommit=True)


def _run(cursor: psycopg.Cursor[Any], statements: Sequence[Statement]) -> None:
    for sql, params in statements:
        cursor.execute(sql, params)
        if cursor.description is not None:
            cursor.fetchall()


def replay_ms(statements: Sequence[Statement], rounds: int) -> float:
    """Median milliseconds for PostgreSQL to run the statements once, read-only, from a plain connection."""
    with _connect() as conn, conn.cursor() as cursor:
        _run(cursor, statements)  # warm up
        times = []
        for _ in range(rounds):
            began = time.perf_counter()
            _run(cursor, statements)
            times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


@dataclass(frozen=True)
class Write:
    """What makes a captured write unique, so that it can be replayed: the row ids it created (the table whose
    `INSERT … RETURNING` made each) and its unique strings (codes, keys), which each replay renews."""

    ids: dict[int, str] = field(default_factory=dict)
    strings: frozenset[str] = frozenset()


def _renew(value: Any, fresh: dict[Any, Any], write: Write) -> Any:
    if isinstance(value, (list, tuple)):
        return type(value)(_renew(v, fresh, write) for v in value)
    if isinstance(value, uuid.UUID):
        return fresh.setdefault(value, uuid.uuid4())
    if isinstance(value, str) and value in write.strings:
        return fresh.setdefault(
            value, value[0] + uuid.uuid4().hex[: len(value) - 1].rjust(len(value) - 1, "0")
        )
    if isinstance(value, int) and not isinstance(value, bool) and value in write.ids:
        return fresh.get(value, value)
    return value


def _run_write(cursor: psycopg.Cursor[Any], statements: Sequence[Statement], write: Write) -> None:
    fresh: dict[Any, Any] = {}
    made = {table: old for old, table in write.ids.items()}
    for sql, params in statements:
        cursor.execute(sql, _renew(params, fresh, write))
        if cursor.description is None:
            continue
        rows = cursor.fetchall()
        head = sql.lstrip()[:80].split('"')
        if head[0].upper().startswith("INSERT INTO") and len(head) > 1 and head[1] in made and rows:
            fresh[made[head[1]]] = rows[0][0]


def _replay_worker(
    statements: Sequence[Statement], write: Write, seconds: float, start: Any, done: Any
) -> None:
    count = 0
    try:
        with _connect() as conn, conn.cursor() as cursor:
            with conn.transaction(force_rollback=True):
                _run_write(cursor, statements, write)  # warm up
            start.wait()
            stop = time.perf_counter() + seconds
            while time.perf_counter() < stop:
                with conn.transaction(force_rollback=True):
                    _run_write(cursor, statements, write)
                count += 1
    except Exception as failure:
        start.abort()
        done.put(repr(failure))
        return
    done.put(count)


def replay_rate(statements: Sequence[Statement], write: Write, processes: int, seconds: float) -> float:
    """Runs per second of a write's statements as one transaction each (rolled back), from `processes`
    processes at once."""
    connection.close()  # nothing of Django's connection may cross the fork
    context = multiprocessing.get_context("fork")
    start, done = context.Barrier(processes + 1, timeout=120), context.Queue()
    workers = [
        context.Process(target=_replay_worker, args=(statements, write, seconds, start, done))
        for _ in range(processes)
    ]
    for worker in workers:
        worker.start()
    with suppress(threading.BrokenBarrierError):  # a worker failed: its message is in the queue
        start.wait()
    began = time.perf_counter()
    counts = [done.get(timeout=seconds + 120) for _ in workers]
    elapsed = time.perf_counter() - began
    for worker in workers:
        worker.join()
    failures = [c for c in counts if isinstance(c, str)]
    if failures:
        raise RuntimeError(f"replay failed: {failures[0]}")
    return sum(counts) / elapsed


def commit_ms(rounds: int = 300) -> float:
    """Median milliseconds of a durable commit of a one-row insert: the flush every intake pays once."""
    with _connect() as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS bench_commit (id bigserial PRIMARY KEY, at timestamptz)")
        times = []
        for _ in range(rounds):
            began = time.perf_counter()
            with conn.transaction():
                conn.execute("INSERT INTO bench_commit (at) VALUES (now())")
            times.append((time.perf_counter() - began) * 1000)
        conn.execute("TRUNCATE bench_commit")
    return statistics.median(times)


def pgbench_script(statements: Sequence[Statement], path: str) -> str:
    """Write the statements with their values inlined (one per line) for `pgbench -f`; returns the path."""
    with _connect() as conn, conn.cursor() as cursor:
        lines = [" ".join(cursor.mogrify(sql, params).split()) + ";" for sql, params in statements]
    with open(path, "w", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")
    return path


def machine() -> dict[str, str]:
    """Cores, memory, processor and the PostgreSQL server's version, for the table's heading."""
    model = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            model = next(
                (line.split(":", 1)[1].strip() for line in info if line.startswith("model name")), ""
            )
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    return {"cores": str(os.cpu_count()), "memory": f"{memory:.0f} GiB", "cpu": model, "postgresql": server}
