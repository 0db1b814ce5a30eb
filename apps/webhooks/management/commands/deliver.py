"""The webhook worker: post the changes feed to subscriptions, until stopped.

Run as many processes as needed beside the web servers (README "Webhooks"): each claims
one subscription at a time per thread (``apps.webhooks.services.claim``), so a slow
receiver holds one thread, never the others. SIGTERM or SIGINT lets every thread finish
the post it is making, then exits.
"""

import logging
import secrets
import signal
import threading

from django.conf import settings
from django.core.management import BaseCommand
from django.db import close_old_connections, connection
from django.db.backends.signals import connection_created

from apps.webhooks import services

log = logging.getLogger("apps.webhooks")


class Command(BaseCommand):
    help = "Deliver webhooks from the changes feed (run beside gunicorn; several processes are fine)."

    def add_arguments(self, parser):
        parser.add_argument("--threads", type=int, default=4, help="Subscriptions posted to at once (default 4).")
        parser.add_argument(
            "--until-idle", action="store_true", help="Exit once no subscription has anything due (tests, cron)."
        )

    def handle(self, *args, threads=4, until_idle=False, verbosity=1, **options):
        logging.getLogger("httpx").setLevel(logging.WARNING)  # not a log line per post
        connection_created.connect(relaxed_commits)
        stop = threading.Event()
        if threading.current_thread() is threading.main_thread():
            for signum in (signal.SIGTERM, signal.SIGINT):
                signal.signal(signum, lambda *_: stop.set())
        workers = [
            threading.Thread(target=self.work, args=(stop, until_idle), name=f"deliver-{n}", daemon=True)
            for n in range(max(1, threads))
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            while worker.is_alive():
                worker.join(timeout=0.5)  # short waits, so the signal handler runs
        if verbosity > 1:
            self.stdout.write("deliver: stopped")

    def work(self, stop: threading.Event, until_idle: bool) -> None:
        token = secrets.token_hex(16)  # this thread's leases
        poll = settings.WEBHOOK_POLL_MS / 1000
        try:
            with services.http_client() as client:
                while not stop.is_set():
                    close_old_connections()
                    try:
                        subscription = services.claim(token)
                        if subscription is not None:
                            services.deliver_batch(subscription, token, client)
                            continue
                    except Exception:  # a database hiccup must not end the worker: log, wait, go on
                        log.exception("webhook delivery failed; retrying")
                        connection.close()
                    if until_idle:
                        return
                    stop.wait(poll)
        finally:
            connection.close()


def relaxed_commits(sender, connection, **kwargs):
    """The worker's commits on PostgreSQL do not wait for the disk (a commit cost about 7 ms of a 30 ms
    delivery). What a database crash could lose is the last cursor moves: those changes are then posted
    again, with the same ``webhook-id``. Never a change skipped: the cursor only moves after a 2xx."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO off")
