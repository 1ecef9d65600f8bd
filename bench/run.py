"""`make bench`: every speed figure of cchc beside its limit on this machine, measured in the same run.

    .venv/bin/python bench/run.py [--dossiers 2000000] [--out bench/RESULTS.md]

1. Prepares the PostgreSQL database cchc_bench (2,000,000 dossiers, 150 units, 6,000 procedures; generated
   once and kept, see bench/figures.py).
2. HTTP figures, with wrk against 127.0.0.1 only, bounded in time (BENCH_HTTP_SECONDS, default 10 s):
   - the public tracking page, and a bare Django view served by the same granian configuration (2 workers of
     2 threads, as `cchc serve`), at 32 connections; PostgreSQL's own rate for the page's statements comes
     from pgbench with 32 clients;
   - counter intake through the API (`POST /api/v1/dossiers`, each request its own Idempotency-Key).
3. In-process figures (bench/figures.py), each with the database's time for the statements it sent.
4. The simulator into its own database (bench/simulate_bench.py), beside COPY's own rate.
Prints the table and writes it (Markdown) to --out, which the README links. Asserts nothing about time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import psycopg
import requests

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"
SERVER = "postgres://postgres@127.0.0.1:5432"
DATABASE = f"{SERVER}/cchc_bench"
SIMULATOR_DATABASE = f"{SERVER}/cchc_bench_sim"
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
HOST = "127.0.0.1"  # the load generator never leaves this machine
CCHC_PORT, BARE_PORT = 8791, 8792
WORKERS, THREADS, CONNECTIONS = 2, 2, 32  # threads: `cchc serve`'s default
PGBENCH = shutil.which("pgbench") or "pgbench"
HTTP_SECONDS = int(os.environ.get("BENCH_HTTP_SECONDS", "10"))


@dataclass
class Row:
    what: str
    value: str
    limit: str
    share: str
    goal: str
    met: str


def _figures(name: str, *extra: str) -> list[dict[str, Any]]:
    """Run one figure of bench/figures.py in its own process; its RESULT lines."""
    env = {**os.environ, "DATABASE_URL": DATABASE}
    env.pop("REDIS_URL", None)
    done = subprocess.run(  # noqa: S603
        [str(BIN / "python"), str(ROOT / "bench" / "figures.py"), name, *extra],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    sys.stderr.write(done.stderr[-4000:] if done.returncode else "")
    if done.returncode:
        raise SystemExit(f"figures.py {name} failed ({done.returncode})")
    for line in done.stdout.splitlines():
        if not line.startswith("RESULT "):
            print(f"  {line}")
    return [json.loads(line[7:]) for line in done.stdout.splitlines() if line.startswith("RESULT ")]


def _serve(app: str, port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(  # noqa: S603
        [str(BIN / "granian"), "--interface", "wsgi", "--host", HOST, "--port", str(port),
         "--workers", str(WORKERS), "--blocking-threads", str(THREADS), "--no-ws", app],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    for _ in range(300):
        try:
            requests.get(f"http://{HOST}:{port}/tra-cuu/", timeout=2)
            return server
        except requests.RequestException:
            time.sleep(0.1)
    server.kill()
    raise SystemExit(f"{app} did not start on port {port}")


@dataclass
class Load:
    rate: float
    p50_ms: float
    p99_ms: float
    requests: int
    bad: int


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def _wrk(url: str, connections: int, script: str | None = None) -> Load:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{HTTP_SECONDS}s", "--latency", "--timeout", "10s"]
    if script:
        command += ["-s", script]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout  # noqa: S603
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", out, re.MULTILINE))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return Load(
        rate=float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        p50_ms=_ms(latency["50"]),
        p99_ms=_ms(latency["99"]),
        requests=int(re.search(r"(\d+) requests in", out).group(1)),  # type: ignore[union-attr]
        bad=(int(bad.group(1)) if bad else 0) + (sum(map(int, errors.groups())) if errors else 0),
    )


def _pgbench(script: str, clients: int) -> float:
    out = subprocess.run(  # noqa: S603
        [PGBENCH, "-n", "-h", HOST, "-U", "postgres", f"-c{clients}", "-j2", f"-T{HTTP_SECONDS}", "-f", script,
         "cchc_bench"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return float(re.search(r"tps = ([\d.]+)", out).group(1))  # type: ignore[union-attr]


_INTAKE_LUA = """
local counter = 0
local prefix = "%(prefix)s"
function setup(thread) thread:set("tid", tostring(math.random(1, 1000000000))) end
function request()
  counter = counter + 1
  local headers = {["Content-Type"] = "application/json", ["Cookie"] = "%(cookie)s",
                   ["X-CSRFToken"] = "%(csrf)s", ["Idempotency-Key"] = prefix .. tid .. "-" .. counter}
  return wrk.format("POST", "/api/v1/dossiers", headers, [[%(body)s]])
end
"""


def _signed_in(port: int, username: str, password: str) -> tuple[str, str]:
    session = requests.Session()
    base = f"http://{HOST}:{port}"
    session.get(f"{base}/can-bo/dang-nhap/", timeout=10)
    csrf = session.cookies["csrftoken"]
    session.post(
        f"{base}/can-bo/dang-nhap/", timeout=10, allow_redirects=False,
        data={"username": username, "password": password, "csrfmiddlewaretoken": csrf},
    )  # fmt: skip
    return session.cookies["sessionid"], session.cookies["csrftoken"]


def _http(setup: dict[str, Any], intake_limit: float) -> list[Row]:
    env = {
        **os.environ,
        "DATABASE_URL": DATABASE,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "PYTHONPATH": str(ROOT),
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14"),
        "CCHC_INSECURE_COOKIES": "1",
    }
    rows = []
    bare = _serve("bench.bare_wsgi:application", BARE_PORT, {**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        ceiling = _wrk(f"http://{HOST}:{BARE_PORT}/tra-cuu/", CONNECTIONS)
    finally:
        os.killpg(bare.pid, 9)
        bare.wait()
    database = _pgbench(setup["script"], CONNECTIONS)
    server = _serve("cchc.wsgi:application", CCHC_PORT, env)
    try:
        page = _wrk(f"http://{HOST}:{CCHC_PORT}{setup['path']}", CONNECTIONS)
        session, csrf = _signed_in(CCHC_PORT, setup["username"], setup["password"])
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
            lua.write(_INTAKE_LUA % {
                "prefix": f"bench-{time.time_ns()}-", "cookie": f"sessionid={session}; csrftoken={csrf}",
                "csrf": csrf, "body": json.dumps(setup["intake"], ensure_ascii=False),
            })  # fmt: skip
        api = _wrk(f"http://{HOST}:{CCHC_PORT}/api/v1/dossiers", 16, lua.name)
    finally:
        os.killpg(server.pid, 9)
        server.wait()
    rows.append(Row(
        f"tracking page (`/tra-cuu/`), {CONNECTIONS} connections, {page.requests:,} requests"
        + (f", {page.bad} failed" if page.bad else ""),
        f"{page.rate:,.0f} req/s, p50 {page.p50_ms:.1f} ms, p99 {page.p99_ms:.1f} ms",
        f"bare Django view, same granian: {ceiling.rate:,.0f} req/s, p99 {ceiling.p99_ms:.1f} ms; "
        f"PostgreSQL alone ({setup['statements']} statements, pgbench): {database:,.0f}/s",
        f"{page.rate / ceiling.rate:.0%} of bare Django; {page.rate / database:.0%} of PostgreSQL",
        "≥ 50% of bare Django, p99 < 25 ms",
        _met(page.rate >= ceiling.rate / 2 and page.p99_ms < 25 and not page.bad),
    ))  # fmt: skip
    rows.append(Row(
        f"counter intake through the API, 16 connections, {api.requests:,} dossiers"
        + (f", {api.bad} failed" if api.bad else ""),
        f"{api.rate:,.0f} dossiers/s, p50 {api.p50_ms:.0f} ms, p99 {api.p99_ms:.0f} ms",
        f"PostgreSQL alone, same statements: {intake_limit:,.0f}/s",
        f"{api.rate / intake_limit:.0%}",
        "≥ 500/s",
        _met(api.rate >= 500 and not api.bad),
    ))  # fmt: skip
    return rows


def _met(ok: bool) -> str:
    return "yes" if ok else "**no**"


def _row(figure: dict[str, Any]) -> Row:
    if figure["unit"] == "ms":
        value = f"p50 {figure['value']:.1f} ms"
        limit = f"PostgreSQL alone, same {figure.get('statements', '')} statements: {figure['raw']:.1f} ms".replace(
            "same  ", "same "
        )
        share = f"{figure['share']:.0%} of the time is the database"
    else:
        value = f"{figure['value']:,.0f}{figure['unit']}"
        label = figure.get("raw_label") or f"PostgreSQL alone, same {figure.get('statements', '')} statements"
        limit = f"{label}: {figure['raw']:,.0f}{figure['unit']}"
        share = f"{figure['share']:.0%} of the limit"
    return Row(figure["what"], value, limit, share, figure["goal"], _met(figure["met"]))


_SIMULATED = re.compile(r"([\d,]+) dossiers in\s+([\d.]+) s:\s+([\d,]+) dossiers/s")
_COPY = re.compile(r"([\d,]+) rows/s\): ([\d,]+) dossiers/s if nothing else")


def _simulator(count: int) -> Row:
    env = {**os.environ, "DATABASE_URL": SIMULATOR_DATABASE}
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
        admin.execute("DROP DATABASE IF EXISTS cchc_bench_sim WITH (FORCE)")
    out = subprocess.run(  # noqa: S603
        [str(BIN / "python"), str(ROOT / "bench" / "simulate_bench.py"), str(count)],
        env=env, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    simulated, copy = _SIMULATED.search(out), _COPY.search(out)
    assert simulated and copy, out
    rate, ceiling = float(simulated.group(3).replace(",", "")), float(copy.group(2).replace(",", ""))
    return Row(
        f"`cchc simulate`, {count:,} dossiers of a year into an empty database",
        f"{rate:,.0f} dossiers/s",
        f"PostgreSQL COPY alone, same rows ({copy.group(1)} rows/s): {ceiling:,.0f} dossiers/s",
        f"{rate / ceiling:.0%} of the limit",
        "≥ 50,000/s",
        _met(rate >= 50_000),
    )


def _table(rows: list[Row], machine: dict[str, str], seconds: float) -> str:
    lines = [
        "# `make bench`: cchc beside its limits on this machine",
        "",
        f"Measured {dt.datetime.now(VIETNAM):%d/%m/%Y %H:%M} (Vietnam time) in {seconds:.0f} s on {machine['cpu']}, "
        f"{machine['cores']} cores, {machine['memory']}; Python {platform.python_version()}, "
        f"PostgreSQL {machine['postgresql']}; granian {WORKERS} workers × {THREADS} threads; wrk and the "
        "benchmarked server share the machine's cores.",
        "",
        "| figure | cchc | the limit, measured in the same run | cchc against it | goal | met |",
        "|---|---|---|---|---|---|",
    ]
    lines += [f"| {r.what} | {r.value} | {r.limit} | {r.share} | {r.goal} | {r.met} |" for r in rows]
    lines += [
        "",
        "For latencies, the limit is the median time PostgreSQL takes for the very statements cchc sent "
        "(captured, then replayed on a plain psycopg connection), so the share is the part of cchc's time "
        "spent in the database. For rates, it is the rate of those statements alone from the same number of "
        "processes (writes: replayed and rolled back, plus a durable commit measured apart).",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=2_000_000)
    parser.add_argument("--simulated", type=int, default=50_000)
    parser.add_argument("--out", default=str(ROOT / "bench" / "RESULTS.md"))
    args = parser.parse_args()
    began = time.perf_counter()
    print(f"preparing {DATABASE} ({args.dossiers:,} dossiers; generated once, then kept)")
    _figures("prepare", str(args.dossiers))
    setup = _figures("tracking")[0]
    figures: dict[str, dict[str, Any]] = {}
    for name in ("search", "worklist", "stats", "index766", "parindex", "intake", "submission", "deadlines"):
        print(f"measuring {name}")
        for figure in _figures(name):
            figures[figure["key"]] = figure
    print("measuring over HTTP (wrk, pgbench)")
    http = _http(setup, figures["intake"]["raw"])
    print("measuring the simulator")
    simulator = _simulator(args.simulated)
    rows = [http[0], _row(figures["search"]), _row(figures["worklist"])]
    rows += [_row(figures[k]) for k in ("stats", "stats_live", "index766", "index766_live", "parindex")]
    rows += [
        _row(figures["intake"]),
        http[1],
        _row(figures["submission"]),
        _row(figures["deadlines"]),
        simulator,
    ]
    table = _table(rows, setup["machine"], time.perf_counter() - began)
    Path(args.out).write_text(table, encoding="utf-8")
    print()
    print(table)
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
