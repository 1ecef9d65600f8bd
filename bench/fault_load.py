"""Load with faults (issue 8): many clients receive dossiers through the API while the app server is killed
with SIGKILL and PostgreSQL is restarted; then nothing acknowledged may be lost, nothing duplicated, no dossier
code skipped or repeated, and every history chain must verify.

Each client posts counter intakes (`POST /api/v1/dossiers`) with its own Idempotency-Key per dossier and retries
the same key after any failure (refused connection, 5xx, timeout) until it is acknowledged (201, or 200 for a
retry of a dossier already made). Meanwhile the fault thread kills the granian server (SIGKILL to its process
group) once a third of the dossiers are acknowledged and restarts it, and restarts PostgreSQL once two thirds
are. Bounded in count and time; runs against 127.0.0.1 only. Prints the counts; the exit status is 1 when any
check fails.

Usage (PostgreSQL; the database is dropped and made again with `cchc demo`):
    .venv/bin/python bench/fault_load.py [DOSSIERS=10000] [CLIENTS=16]
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import requests

ROOT = Path(__file__).resolve().parents[1]
SERVER = "postgres://postgres@127.0.0.1:5432"
NAME = "cchc_faults"
URL = f"{SERVER}/{NAME}"
PORT = 8799
BASE = f"http://127.0.0.1:{PORT}"
DEADLINE_SECONDS = 1800
ENV = {
    **os.environ,
    "DATABASE_URL": URL,
    "CCHC_INSECURE_COOKIES": "1",
    "DJANGO_SETTINGS_MODULE": "cchc.settings",
}
ENV.pop("REDIS_URL", None)


@dataclass
class Tally:
    acknowledged: dict[str, str] = field(default_factory=dict)  # key -> dossier code
    retries: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _fresh_database() -> None:
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{NAME}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{NAME}"')
    subprocess.run([str(ROOT / ".venv/bin/cchc"), "demo"], env=ENV, check=True, stdout=subprocess.DEVNULL)  # noqa: S603


def _start_server() -> subprocess.Popen[bytes]:
    server = subprocess.Popen(  # noqa: S603
        [str(ROOT / ".venv/bin/cchc"), "serve", "--port", str(PORT), "--workers", "2"],
        env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    for _ in range(200):
        try:
            if requests.get(f"{BASE}/api/v1/openapi.json", timeout=2).status_code == 200:
                return server
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise SystemExit("the server did not start")


def _session() -> tuple[dict[str, str], dict[str, object]]:
    """Sign in as the demo reception officer; the cookies and the intake body every client sends."""
    session = requests.Session()
    session.get(f"{BASE}/can-bo/dang-nhap/", timeout=10)
    token = session.cookies["csrftoken"]
    session.post(
        f"{BASE}/can-bo/dang-nhap/", timeout=10, allow_redirects=False,
        data={"username": "tiepnhan.tinh", "password": "cchc-demo-2026", "csrfmiddlewaretoken": token},
    )  # fmt: skip
    cookies = {"sessionid": session.cookies["sessionid"], "csrftoken": session.cookies["csrftoken"]}
    with psycopg.connect(URL) as db:
        centre, department, code = db.execute(
            "SELECT c.id, d.id, p.code FROM orgs_unit c, orgs_unit d, catalog_procedure p "
            "JOIN catalog_procedureversion v ON v.procedure_id = p.id AND v.status = 'published' "
            "WHERE c.kind = 'province_centre' AND d.kind = 'department' ORDER BY c.id, d.id, p.code LIMIT 1"
        ).fetchone()  # type: ignore[misc]
    body: dict[str, object] = {
        "procedure_code": code, "receiving_unit_id": centre, "competent_unit_id": department,
        "applicant": {"full_name": "Nguyễn Văn Tải", "id_number": "079203001234"}, "outcome": "receive",
    }  # fmt: skip
    return cookies, body


def _client(
    keys: list[str], cookies: dict[str, str], body: dict[str, object], tally: Tally, stop: float
) -> None:
    http = requests.Session()
    http.cookies.update(cookies)
    headers = {"X-CSRFToken": cookies["csrftoken"], "Content-Type": "application/json"}
    for key in keys:
        while time.monotonic() < stop:
            try:
                answer = http.post(f"{BASE}/api/v1/dossiers", json=body, timeout=15,
                                   headers={**headers, "Idempotency-Key": key})  # fmt: skip
            except requests.RequestException:
                answer = None
            with tally.lock:
                if answer is not None:
                    tally.statuses[answer.status_code] += 1
                if answer is not None and answer.status_code in (200, 201):
                    tally.acknowledged[key] = answer.json()["code"]
                    break
                tally.retries += 1
            time.sleep(0.2)


def _faults(
    total: int, tally: Tally, server: list[subprocess.Popen[bytes]], log: list[str], stop: float
) -> None:
    done: set[str] = set()
    while time.monotonic() < stop and len(done) < 2:
        count = len(tally.acknowledged)
        if "kill" not in done and count >= total // 3:
            os.killpg(server[0].pid, signal.SIGKILL)
            server[0].wait()
            log.append(f"server killed (SIGKILL) after {count} acknowledged")
            time.sleep(1)
            server[0] = _start_server()
            log.append("server restarted")
            done.add("kill")
        if "postgres" not in done and count >= 2 * total // 3:
            cluster = sorted(os.listdir("/etc/postgresql"))[-1]
            restart = ["/usr/bin/pg_ctlcluster", "--skip-systemctl-redirect", cluster, "main", "restart"]
            subprocess.run(restart, check=True)  # noqa: S603 - a fixed command
            log.append(f"PostgreSQL restarted after {count} acknowledged")
            done.add("postgres")
        time.sleep(0.05)


def _checks(keys: list[str], tally: Tally) -> list[tuple[str, int]]:
    with psycopg.connect(URL) as db:
        # The API keeps a key as "<user id>:<key>" (a key is the caller's own).
        rows = [
            (stored.split(":", 1)[1], code)
            for stored, code in db.execute(
                "SELECT idempotency_key, code FROM dossiers_dossier WHERE idempotency_key LIKE %s",
                ["%:faults-%"],
            ).fetchall()
        ]
        codes = [
            code for (code,) in db.execute("SELECT code FROM dossiers_dossier WHERE code <> ''").fetchall()
        ]
    stored = dict(rows)
    lost = sum(1 for key, code in tally.acknowledged.items() if stored.get(key) != code)
    per_key = Counter(key for key, _code in rows)
    duplicated = sum(n - 1 for n in per_key.values() if n > 1) + sum(
        n - 1 for n in Counter(codes).values() if n > 1
    )
    # Codes end in -YYMMDD-NNNN per agency and day: each prefix's numbers must run 1..n with none skipped.
    series: dict[str, list[int]] = {}
    for code in codes:
        match = re.fullmatch(r"(.+-\d{6})-(\d+)", code)
        if match:
            series.setdefault(match.group(1), []).append(int(match.group(2)))
    skipped = sum(max(numbers) - len(set(numbers)) for numbers in series.values())
    verify = [str(ROOT / ".venv/bin/cchc"), "verify-history"]
    history = subprocess.run(verify, env=ENV, capture_output=True, text=True, check=False)  # noqa: S603
    print(history.stdout.strip() or history.stderr.strip())
    return [
        ("acknowledged but lost", lost),
        ("duplicated (same key or same code)", duplicated),
        ("codes skipped", skipped),
        ("history check failures", 0 if history.returncode == 0 else 1),
        ("submitted but never acknowledged", len(keys) - len(tally.acknowledged)),
    ]


def main() -> int:
    total = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    clients = int(sys.argv[2]) if len(sys.argv) > 2 else 16
    print(f"Chuẩn bị cơ sở dữ liệu {NAME} (cchc demo)…")
    _fresh_database()
    server = [_start_server()]
    cookies, body = _session()
    keys = [f"faults-{uuid.uuid4()}" for _ in range(total)]
    tally, log = Tally(), []
    started = time.monotonic()
    stop = started + DEADLINE_SECONDS
    threads = [
        threading.Thread(target=_client, args=(keys[i::clients], cookies, body, tally, stop))
        for i in range(clients)
    ]
    faults = threading.Thread(target=_faults, args=(total, tally, server, log, stop))
    for thread in [*threads, faults]:
        thread.start()
    for thread in threads:
        thread.join()
    faults.join(timeout=5)
    elapsed = time.monotonic() - started
    os.killpg(server[0].pid, signal.SIGTERM)
    for line in log:
        print(line)
    print(f"{total} dossiers, {clients} clients, {elapsed:.0f} s ({len(tally.acknowledged) / elapsed:.0f}/s), "
          f"{tally.retries} retries, answers {dict(sorted(tally.statuses.items()))}")  # fmt: skip
    failures = _checks(keys, tally)
    for label, count in failures:
        print(f"{label:40s} {count}")
    return 1 if any(count for _label, count in failures) else 0


if __name__ == "__main__":
    sys.exit(main())
