"""Django's PostgreSQL backend, with a limit on how long the client waits for the server's answer.

``statement_timeout`` (``DATABASE_STATEMENT_TIMEOUT_MS``) makes the server give up on a slow query and
``connect_timeout`` bounds a connection attempt, but neither helps when the server stops answering
at all (frozen, out of memory, a network path that drops packets): the worker would wait on its
socket until gunicorn killed it, and the client would get a dropped connection. So every wait for
the server here ends after the statement timeout plus a second (``DATABASE_ANSWER_TIMEOUT``): the
connection, whose state is then unknown, is closed, and the request fails with a database error that
the API answers as a 503 with ``Retry-After`` (``apps.core.api.errors``).

psycopg 3 has the deadline (``Connection.wait(timeout=)``) but no setting to apply it to every query,
and Django builds its connections with ``psycopg.connect`` (no connection-class option outside a
pool), hence the subclass and the module that hands it to Django.
"""

import types

import psycopg
from django.conf import settings
from django.db.backends.postgresql import base
from psycopg import errors
from psycopg.connection import _WAIT_INTERVAL


class DeadlineConnection(psycopg.Connection):
    """A psycopg connection whose waits for the server end after ``answer_timeout`` seconds (None: never)."""

    answer_timeout: float | None = None

    def wait(self, gen, interval=_WAIT_INTERVAL, timeout=None):
        timeout = timeout if timeout is not None else self.answer_timeout
        try:
            return super().wait(gen, interval=interval, timeout=timeout)
        except errors._WaitTimeout:  # psycopg's own deadline, private: made public here
            self.pgconn.finish()  # mid-protocol, its state unknown: never reuse it
            raise psycopg.OperationalError(f"the database did not answer within {timeout:g} s") from None


class _Psycopg(types.ModuleType):
    """psycopg as Django's backend sees it (``DatabaseWrapper.Database``), but connecting as above."""

    def __getattr__(self, name):
        return getattr(psycopg, name)

    @staticmethod
    def connect(*args, **kwargs):
        connection = DeadlineConnection.connect(*args, **kwargs)
        connection.answer_timeout = getattr(settings, "DATABASE_ANSWER_TIMEOUT", None)
        return connection


class DatabaseWrapper(base.DatabaseWrapper):
    Database = _Psycopg("psycopg")

    # The check of a reused connection (CONN_HEALTH_CHECKS) is a SELECT 1: it answers in milliseconds or
    # the server is not answering, so it gets a second, not a statement's time, before a new connection
    # (bounded by connect_timeout) is tried. A frozen server then costs a request about 1 s + connect_timeout.
    health_check_timeout = 1.0

    def is_usable(self):
        connection = self.connection
        saved, connection.answer_timeout = connection.answer_timeout, self.health_check_timeout
        try:
            return super().is_usable()
        finally:
            connection.answer_timeout = saved
