"""The common part of the local fakes of outside systems (SMS gateway, OIDC provider, payment gateway, postal
service, national portal, remote signing service): a real HTTP server on 127.0.0.1, on a free port, served from
a thread for the length of a test, and the one JSON request handler the JSON fakes share."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self

# (method, path, headers, JSON body or None) -> (status, JSON answer)
JsonAnswer = Callable[[str, str, Any, Any], tuple[int, Any]]


def json_handler(answer: JsonAnswer) -> type[BaseHTTPRequestHandler]:
    """A handler that reads the request's JSON (None when absent or not JSON) and writes `answer`'s as UTF-8."""

    class Handler(BaseHTTPRequestHandler):
        def _reply(self, method: str) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                body = json.loads(raw.decode("utf-8")) if raw else None
            except ValueError:
                body = None
            status, reply = answer(method, self.path, self.headers, body)
            data = json.dumps(reply, ensure_ascii=False).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            self._reply("GET")

        def do_POST(self) -> None:
            self._reply("POST")

        def do_PUT(self) -> None:
            self._reply("PUT")

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


class LocalServer:
    _server: ThreadingHTTPServer
    _thread: threading.Thread

    def _serve(self, handler: type[BaseHTTPRequestHandler]) -> None:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def _serve_json(self, answer: JsonAnswer) -> None:
        self._serve(json_handler(answer))

    @property
    def origin(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> Self:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
