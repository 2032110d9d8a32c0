"""Django's PostgreSQL backend, with a health check that asks the server nothing when the
connection plainly lives.

A persistent connection (`CONN_MAX_AGE`) is checked before its first use in each request
(`CONN_HEALTH_CHECKS`), so a restarted or failed-over database is reconnected instead of failing a
request. Django checks with `SELECT 1`: a round trip on every request that reads the database,
which costs both processes CPU on shared cores. A connection the server ended (a restart, a
terminated backend, an idle timeout) has the end waiting on its socket: the server sends its error
and closes, and the kernel marks the socket readable. So an idle connection whose socket has
nothing to read is alive as far as `SELECT 1` could tell, and is taken as healthy; one with
anything to read, or in an unfinished transaction, gets Django's own check.
"""

import select

from django.db.backends.postgresql import base
from psycopg.pq import TransactionStatus


class DatabaseWrapper(base.DatabaseWrapper):
    def close_if_health_check_failed(self):
        if (
            self.connection is not None
            and self.health_check_enabled
            and not self.health_check_done
            and not self.pool
            and quietly_alive(self.connection)
        ):
            self.health_check_done = True
            return
        super().close_if_health_check_failed()


def quietly_alive(connection) -> bool:
    """Whether `connection` is open, idle, and has nothing waiting on its socket."""
    if connection.closed or connection.broken:
        return False
    if connection.info.transaction_status != TransactionStatus.IDLE:
        return False
    poller = select.poll()
    poller.register(connection.fileno(), select.POLLIN | select.POLLPRI)
    return not poller.poll(0)
