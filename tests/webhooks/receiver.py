"""A real HTTP receiver on 127.0.0.1 for webhook tests: records every request, answers as told."""

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Receiver:
    """Records each POST (headers, body); ``statuses`` are answered in turn (then 200), after ``delay``.

    ``start()`` serves on ``port`` (picked free at creation), ``stop()`` closes it: a receiver that is
    down refuses connections on the same URL until started again.
    """

    def __init__(self, *, statuses=(), delay: float = 0.0):
        self.statuses = list(statuses)
        self.delay = delay
        self.requests: list[dict] = []
        self.lock = threading.Lock()
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def start(self) -> "Receiver":
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                arrived = time.time()  # wall clock, to compare with a change's recorded_at
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                if receiver.delay:
                    time.sleep(receiver.delay)
                with receiver.lock:
                    status = receiver.statuses.pop(0) if receiver.statuses else 200
                    receiver.requests.append(
                        {
                            "headers": {k.lower(): v for k, v in self.headers.items()},
                            "body": body,
                            "status": status,
                            "arrived": arrived,
                        }
                    )
                self.send_response(status)
                self.send_header("content-length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        class Server(ThreadingHTTPServer):
            allow_reuse_address = True
            block_on_close = False  # stopping does not wait for a request still being held (a hanging receiver)

            def handle_error(self, request, client_address):
                pass  # a sender that gave up (timeout) broke the connection: expected here

        self.server = Server(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def accepted(self) -> list[dict]:
        """The requests answered 2xx, in arrival order."""
        with self.lock:
            return [r for r in self.requests if 200 <= r["status"] < 300]

    def ids(self) -> list[int]:
        """``webhook-id`` of each accepted request, in arrival order (duplicates kept)."""
        return [int(r["headers"]["webhook-id"]) for r in self.accepted()]

    def payloads(self) -> list[dict]:
        return [json.loads(r["body"]) for r in self.accepted()]

    def wait_for(self, count: int, timeout: float) -> bool:
        """Until ``count`` distinct ids were accepted, at most ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(set(self.ids())) >= count:
                return True
            time.sleep(0.05)
        return False
