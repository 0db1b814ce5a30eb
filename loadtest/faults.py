"""The failure-mode table, measured: gunicorn on 127.0.0.1 with a private Redis and PostgreSQL, each stopped
or frozen (SIGSTOP) under light load (`make faults`; README, "Failure modes").

It starts its own redis-server and PostgreSQL on free ports (tests/processes.py), migrates and seeds, and
runs gunicorn (gunicorn.conf.py, WEB_CONCURRENCY default 5, throttles at their defaults) against them.
Then, for each fault, light load runs before, during and after: editors' reads of a list page and
writes (a new topic each) at about 8 requests/s, /health/live and /health/ready probed every 0.2 s.
For each it prints what every request got during the fault (statuses, p99 latency, dropped
connections) and the recovery: seconds from the fault's end to the first good answer. Bounded: about
3 minutes in all; everything it started is stopped at the end.
"""

import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from tests import processes  # noqa: E402

WORKERS = os.environ.get("WEB_CONCURRENCY") or "5"


def request(url: str, token: str | None = None, body: dict | None = None) -> tuple[int | str, float, bytes]:
    """(status, seconds, body); the status is "dropped" when no HTTP answer came."""
    headers = {"Content-Type": "application/json"} if body else {}
    if token:
        headers["Authorization"] = f"Token {token}"
    data = json.dumps(body).encode() if body else None
    started = time.monotonic()
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data, headers), timeout=60) as response:
            content = response.read()
            status: int | str = response.status
    except urllib.error.HTTPError as error:
        status, content = error.code, error.read()
    except OSError:
        status, content = "dropped", b""
    return status, time.monotonic() - started, content


class Load:
    """Light load in the background; each answer recorded with the moment it was sent."""

    def __init__(self, base: str, token: str):
        self.base, self.token = base, token
        # (kind, sent, status, seconds, what /health/ready said of the cache)
        self.records: list[tuple[str, float, int | str, float, str]] = []
        self.stop = threading.Event()
        self.threads = [
            threading.Thread(target=self.loop, args=(kind, period), daemon=True)
            for kind, period in (("read", 0.25), ("read", 0.25), ("write", 1.0), ("live", 0.2), ("ready", 0.2))
        ]
        self.count = 0

    def loop(self, kind: str, period: float) -> None:
        while not self.stop.is_set():
            sent, cache = time.monotonic(), ""
            if kind == "read":
                status, took, _ = request(f"{self.base}/api/v1/topics/", self.token)
            elif kind == "write":
                self.count += 1
                slug = f"fault-{os.getpid()}-{threading.get_ident()}-{self.count}"
                status, took, _ = request(f"{self.base}/api/v1/topics/", self.token, {"slug": slug, "name": slug})
            else:
                status, took, body = request(f"{self.base}/health/{kind}")
                if kind == "ready" and body:
                    cache = json.loads(body)["checks"].get("cache", "")
            self.records.append((kind, sent, status, took, cache))
            self.stop.wait(max(0.0, period - took))

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(70)


def p99(values: list[float]) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * 0.99))] if values else float("nan")


def report(name: str, load: Load, start: float, end: float) -> None:
    during = [r for r in load.records if start <= r[1] < end]
    after = [r for r in load.records if r[1] >= end and r[0] == "read"]
    first_good = min((r[1] + r[3] for r in after if r[2] == 200), default=None)
    cache_back = min((r[1] + r[3] for r in load.records if r[1] >= end and r[4] == "ok"), default=None)
    print(f"\n{name} ({end - start:.0f} s)")
    for kind in ("read", "write", "live", "ready"):
        rows = [r for r in during if r[0] == kind]
        statuses = dict(sorted(Counter(str(r[2]) for r in rows).items()))
        print(f"  {kind:5} {len(rows):4} requests  p99 {p99([r[3] for r in rows]) * 1000:7.0f} ms  {statuses}")
    recovery = f"{first_good - end:.1f} s" if first_good else "none"
    print(f"  recovery: first 200 read {recovery} after the fault ended", end="")
    print(f"; cache used again after {cache_back - end:.1f} s" if cache_back and "Redis" in name else "")


def fault(name: str, load: Load, seconds: float, begin, finish) -> None:
    time.sleep(2)
    start = time.monotonic()
    begin()
    time.sleep(seconds)
    end = time.monotonic()
    finish()
    time.sleep(8)  # longer than CACHE_RETRY_SECONDS: time for every worker to use Redis again
    report(name, load, start, end)


def main() -> int:
    missing = processes.missing()
    if missing:
        sys.exit(f"not installed: {', '.join(missing)}")
    redis, postgres = processes.Redis(), processes.Postgres()
    port = processes.free_port()
    env = {
        **os.environ,
        "DATABASE_URL": postgres.url("factsapi"),
        "REDIS_URL": redis.url,
        "SECRET_KEY": "faults-only-not-secret",
        "DEBUG": "false",
        "WEB_CONCURRENCY": WORKERS,
        "LOG_LEVEL": "ERROR",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    server = None
    try:
        postgres.run([f"{postgres.bin}/createdb", "-h", "127.0.0.1", "-p", str(postgres.port), "factsapi"])
        manage = [sys.executable, "manage.py"]
        subprocess.run([*manage, "migrate", "--no-input", "-v0"], cwd=BASE_DIR, env=env, check=True)
        subprocess.run([*manage, "seed", "--if-empty", "-v0"], cwd=BASE_DIR, env=env, check=True)
        token = subprocess.run(
            [
                *manage,
                "shell",
                "-c",
                "from django.contrib.auth.models import User, Group; from knox.models import AuthToken; "
                "u = User.objects.create_user('faults'); u.groups.add(Group.objects.get(name='Editors')); "
                "print(AuthToken.objects.create(user=u)[1])",
            ],
            cwd=BASE_DIR,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()[-1]  # after what the shell prints of its automatic imports
        started = time.monotonic()
        server = subprocess.Popen(
            [str(Path(sys.executable).with_name("gunicorn")), "factsapi.wsgi", "--bind", f"127.0.0.1:{port}"],
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        while request(f"{base}/health/live")[0] != 200:
            time.sleep(0.1)
        print(f"gunicorn, {WORKERS} workers: first answer {time.monotonic() - started:.1f} s after start")
        with ThreadPoolExecutor(8) as pool:  # eight concurrent first requests of the schema
            firsts = list(pool.map(lambda _: request(f"{base}/api/v1/schema/"), range(8)))
        slowest = max(f[1] for f in firsts)
        print(f"schema, 8 concurrent first requests: {[f[0] for f in firsts]}, slowest {slowest:.2f} s")

        faults = {
            "redis-stopped": ("Redis stopped", 10, redis.stop, redis.start),
            "redis-frozen": ("Redis frozen", 25, redis.freeze, redis.thaw),
            "postgres-crashed": ("PostgreSQL crashed (SIGKILL)", 10, lambda: kill(postgres), postgres.start),
            "postgres-frozen": ("PostgreSQL frozen", 40, postgres.freeze, postgres.thaw),
        }
        chosen = os.environ.get("FAULTS", ",".join(faults)).split(",")  # FAULTS=redis-frozen,… for some only
        with Load(base, token) as load:
            for key in chosen:
                fault(*faults[key][:1], load, *faults[key][1:])
        return 0
    finally:
        if server is not None:
            server.send_signal(signal.SIGINT)
            server.wait(30)
        redis.stop()
        postgres.remove()


def kill(postgres: processes.Postgres) -> None:
    for pid in processes.family(postgres.process.pid):
        os.kill(pid, signal.SIGKILL)
    postgres.process.wait(10)


if __name__ == "__main__":
    sys.exit(main())
