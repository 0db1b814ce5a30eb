"""Private servers for fault tests: a redis-server and a PostgreSQL started on free ports, to stop and freeze.

``freeze()`` (SIGSTOP) and ``thaw()`` (SIGCONT) reach every process of a server (PostgreSQL's backends
too), and ``stop()`` ends it. ``missing()`` names a binary that is not
installed, for a test to skip with that reason; .ci/run installs both (Debian's redis-server, postgresql).
"""

import contextlib
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time

import psycopg


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


def postgres_bin() -> str | None:
    """The folder of PostgreSQL's server binaries (Debian keeps them off PATH), or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"))
    path = found[-1] if found else shutil.which("postgres")
    return os.path.dirname(path) if path else None


def missing() -> list[str]:
    return [
        name
        for name, path in (("redis-server", shutil.which("redis-server")), ("postgres", postgres_bin()))
        if not path
    ]


def family(pid: int) -> list[int]:
    """``pid`` and its descendants, parents first (PostgreSQL's backends each lead a process group of their own)."""
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as children:
            return [pid, *(p for child in children.read().split() for p in family(int(child)))]
    except FileNotFoundError:
        return []


class Server:
    process: subprocess.Popen
    port: int
    stop_signal = signal.SIGTERM

    def freeze(self) -> None:
        """SIGSTOP the server and every process it started: the kernel still accepts connections, nothing answers."""
        for pid in family(self.process.pid):
            os.kill(pid, signal.SIGSTOP)

    def thaw(self) -> None:
        for pid in family(self.process.pid):
            os.kill(pid, signal.SIGCONT)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.thaw()
            self.process.send_signal(self.stop_signal)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(5)


class Redis(Server):
    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.start()

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            start_new_session=True,
        )
        wait_for_port(self.port)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"


class Postgres(Server):
    """A throwaway cluster (fsync off), run as the ``postgres`` user when this is root (PostgreSQL refuses root)."""

    stop_signal = signal.SIGINT  # a fast shutdown: SIGTERM would wait for every client to leave

    def __init__(self):
        self.bin = postgres_bin()
        self.dir = tempfile.mkdtemp(prefix="factsapi-pg-")
        self.user = "postgres" if os.geteuid() == 0 else None
        if self.user:
            os.chown(self.dir, pwd.getpwnam(self.user).pw_uid, -1)
        self.run([f"{self.bin}/initdb", "-D", f"{self.dir}/data", "-A", "trust", "-U", "postgres", "--no-sync"])
        self.port = free_port()
        self.start()

    def run(self, command: list[str]) -> None:
        subprocess.run(command, check=True, capture_output=True, user=self.user, cwd=self.dir)

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                f"{self.bin}/postgres",
                "-D",
                f"{self.dir}/data",
                "-p",
                str(self.port),
                "-k",
                self.dir,
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                "fsync=off",
                "-c",
                "full_page_writes=off",
                "-c",
                "synchronous_commit=off",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            user=self.user,
            cwd=self.dir,  # one the postgres user may enter, wherever the tests run from
        )
        wait_for_port(self.port)
        deadline = time.monotonic() + 15
        while True:  # the port opens before the server accepts logins
            try:
                psycopg.connect(self.url(), connect_timeout=2).close()
                return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def url(self, name: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)
