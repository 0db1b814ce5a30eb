"""A bounded HTTP load test: gunicorn on 127.0.0.1, locust headless, one endpoint at a time.

`make loadtest DATABASE_URL=postgres://…/factsapi_load` (REDIS_URL too, to measure the shared cache).
It migrates, loads the seed, adds LOADTEST_STATEMENTS statements through the write path (once), starts
gunicorn with the project's gunicorn.conf.py, runs locust against each endpoint for LOADTEST_SECONDS
with LOADTEST_USERS users, and prints requests/s, p50 and p99, each also as a ratio to the static
endpoint (/health/live) on the same server. It fails if any request failed. It writes data, so it
refuses a database whose name does not contain "load".
"""

import csv
import datetime
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PORT = int(os.environ.get("LOADTEST_PORT") or 8765)
SECONDS = int(os.environ.get("LOADTEST_SECONDS") or 15)
USERS = int(os.environ.get("LOADTEST_USERS") or 8)
STATEMENTS = int(os.environ.get("LOADTEST_STATEMENTS") or 2000)

# The server under test: production settings; throttles on (their cache traffic is part of the cost)
# but high enough never to refuse the load generator's one address.
SERVER_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": os.environ.get("SECRET_KEY") or "load-test-only-not-secret",
    "THROTTLE_ANON_BURST": "100000000/min",
    "THROTTLE_ANON_SUSTAINED": "100000000/hour",
    "PORT": str(PORT),
    "LOG_LEVEL": "WARNING",
}


def prepare() -> dict[str, str]:
    """Migrate, seed, add statements if there are too few; the endpoints to measure."""
    os.environ.update(SERVER_ENV)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factsapi.settings")
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    name = str(settings.DATABASES["default"]["NAME"])
    if "load" not in Path(name).name:
        sys.exit(f"Refusing to write load-test data into {name!r}: use a database whose name contains 'load'.")
    call_command("migrate", verbosity=0)
    call_command("seed", if_empty=True, verbosity=0)

    from apps.actors.models import Actor
    from apps.core.choices import Certainty
    from apps.core.record import services
    from apps.sources.models import Source
    from apps.statements.choices import StatementKind
    from apps.statements.models import Statement
    from apps.topics.models import Topic

    actors, topics, sources = list(Actor.objects.all()), list(Topic.objects.all()), list(Source.objects.all())
    missing = STATEMENTS - Statement.objects.count()
    rng = random.Random(7)
    if missing > 0:
        print(f"Adding {missing} statements through the write path…", flush=True)
    for n in range(missing):
        services.create(
            Statement,
            data={
                "speaker": rng.choice(actors),
                "text": f"Load-test statement {n}: "
                + " ".join(
                    rng.choice(
                        [
                            "talks",
                            "ceasefire",
                            "sanctions",
                            "troops",
                            "border",
                            "agreement",
                            "negotiations",
                            "security",
                            "guarantees",
                        ]
                    )
                    for _ in range(30)
                ),
                "kind": rng.choice(StatementKind.values),
                "said_on": datetime.date(2024, 1, 1) + datetime.timedelta(days=rng.randrange(800)),
                "certainty": rng.choice(Certainty.values),
                "about": rng.sample(actors, 2),
                "topics": rng.sample(topics, 2),
            },
            citations=[{"source": rng.choice(sources)}],
        )
    topic = max(topics, key=lambda t: t.statements.count())
    item = Statement.objects.order_by("-said_on").first()
    assert item is not None
    return {
        "static /health/live": "/health/live",
        "schema /api/v1/schema/": "/api/v1/schema/",
        "list /statements/": "/api/v1/statements/",
        "filtered list": f"/api/v1/statements/?topic={topic.slug}&certainty=confirmed",
        "item /statements/<id>/": f"/api/v1/statements/{item.pk}/",
    }


def wait_ready(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.3)


def warm_up(url: str) -> None:
    """A few requests first, so each worker has built what it keeps (URL resolvers, the schema…)."""
    request = urllib.request.Request(url, headers={"Accept": "application/json", "Accept-Encoding": "gzip"})

    def get(_) -> None:
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()

    with ThreadPoolExecutor(USERS) as pool:  # concurrent, so that every worker gets some
        list(pool.map(get, range(4 * USERS)))


def run_locust(name: str, path: str, out: Path) -> dict[str, float]:
    prefix = out / name.split()[0]
    env = {**os.environ, "LOADTEST_PATH": path, "LOADTEST_NAME": name}
    command = [
        str(BIN / "locust"), "-f", str(BASE_DIR / "loadtest/locustfile.py"), "--headless", "--only-summary",
        "-u", str(USERS), "-r", str(USERS), "-t", f"{SECONDS}s", "--host", f"http://127.0.0.1:{PORT}",
        "--csv", str(prefix), "--loglevel", "WARNING",
    ]  # fmt: skip
    subprocess.run(command, env=env, check=False, stdout=subprocess.DEVNULL)
    with open(f"{prefix}_stats.csv", newline="") as file:
        row = next(r for r in csv.DictReader(file) if r["Name"] == "Aggregated")
    return {
        "requests": float(row["Request Count"]),
        "failures": float(row["Failure Count"]),
        "rps": float(row["Requests/s"]),
        "p50": float(row["50%"]),
        "p99": float(row["99%"]),
        "bytes": float(row["Average Content Size"]),
    }


def main() -> int:
    endpoints = prepare()
    env = {**os.environ, **SERVER_ENV}
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "factsapi.wsgi", "--bind", f"127.0.0.1:{PORT}", "--access-logfile", "/dev/null"],
        cwd=BASE_DIR,
        env=env,
        start_new_session=True,
    )
    results: dict[str, dict[str, float]] = {}
    try:
        wait_ready(f"http://127.0.0.1:{PORT}/health/ready")
        with tempfile.TemporaryDirectory() as out:
            for name, path in endpoints.items():
                warm_up(f"http://127.0.0.1:{PORT}{path}")
                results[name] = run_locust(name, path, Path(out))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    static = results["static /health/live"]
    workers = os.environ.get("WEB_CONCURRENCY") or "gunicorn.conf.py default"
    cache = "Redis" if os.environ.get("REDIS_URL") else "local memory"
    print(f"\n{USERS} users, {SECONDS} s per endpoint, workers: {workers}, cache: {cache}, {STATEMENTS} statements")
    print(f"{'endpoint':<24}{'requests':>9}{'errors':>7}{'req/s':>8}{'p50 ms':>8}{'p99 ms':>8}"
          f"{'bytes*':>8}{'req/s ×':>9}{'p50 ×':>7}{'p99 ×':>7}")  # fmt: skip
    for name, r in results.items():
        print(
            f"{name:<24}{r['requests']:>9.0f}{r['failures']:>7.0f}{r['rps']:>8.1f}{r['p50']:>8.0f}{r['p99']:>8.0f}"
            f"{r['bytes']:>8.0f}{r['rps'] / static['rps']:>9.2f}{r['p50'] / static['p50']:>7.1f}"
            f"{r['p99'] / static['p99']:>7.1f}"
        )
    print("× = ratio to the static endpoint on the same server (req/s below 1, p50/p99 above 1: slower);")
    print("bytes* = body size after decompression (responses travel gzip-compressed)")
    failed = sum(r["failures"] for r in results.values())
    if failed or any(r["requests"] == 0 for r in results.values()):
        print(f"FAILED: {failed:.0f} failed requests", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
