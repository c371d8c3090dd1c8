"""Where the central server's database is, how it is connected to, and the transactions every
query runs in. SQLite (one file, the embedded default) or PostgreSQL (a province).

`locate(text)` reads a location: a file path or `sqlite:///PATH` for SQLite,
`postgresql://USER[:PASSWORD]@HOST:PORT/DB` (also `postgres://`, `postgresql+psycopg://`, and
libpq parameters such as `?host=/run/postgresql&sslmode=require`) for PostgreSQL.

`Database.connect(location)` gives the connections:

- SQLite: SQLAlchemy's QueuePool of connections opened by checkpoint_common.durable (WAL,
  `synchronous=FULL` checked, busy_timeout, foreign keys; file mode 0600). sqlite3's own
  transaction handling is off; the `begin` event below emits BEGIN (reads) or BEGIN IMMEDIATE
  (writes), and writes in this process queue on one lock first (SQLite allows one writer; in
  Python they wait in order, in SQLite's busy handler they would sleep up to 100 ms a retry).
- PostgreSQL: psycopg 3 connections from psycopg_pool's ConnectionPool, handed to SQLAlchemy
  the way psycopg documents it (NullPool, `creator=pool.getconn`, `close_returns=True`): the
  pool checks a connection before lending it, replaces broken and old ones, and reconnects
  with backoff after the server comes back.

Transactions (the only way storage code touches the database):

- `write()`: one write transaction, committed when the block ends, rolled back on an
  exception. SQLite: BEGIN IMMEDIATE, so the block never fails midway on a lock. PostgreSQL:
  READ COMMITTED; code that reads and then writes shared state takes `lock(conn, name)` first
  (a transaction-scoped advisory lock; on SQLite writes are serialised already) or locks rows
  (`SELECT … FOR UPDATE`, ignored by SQLite where it is not needed).
- `read()`: several statements that see one snapshot (SQLite: BEGIN; PostgreSQL: REPEATABLE
  READ, READ ONLY). `query()`: a single statement, no snapshot needed.

Keep transactions short: no network I/O inside, no loops over a caller's work. Errors: the
helpers raise StorageBusy (SQLite locked past busy_timeout), StorageUnavailable (PostgreSQL
unreachable, or no pooled connection free within POOL_TIMEOUT_S); others propagate.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import json
import logging
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Connection,
    Engine,
    Table,
    Text,
    any_,
    create_engine,
    event,
    func,
    inspect,
    literal,
    select,
    text,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.pool import NullPool, QueuePool

from central.errors import InvalidDatabaseUrl, StorageBusy, StorageError, StorageUnavailable
from central.schema import POSTGRESQL, SQLITE, UtcTime
from checkpoint_common.durable import connect_durable, create_private
from checkpoint_common.timefmt import to_iso

if TYPE_CHECKING:
    import sqlite3

    import psycopg

log = logging.getLogger(__name__)

DATABASE_URL_ENV = "KIOSK_CENTRAL_DATABASE_URL"
# SQLite: how long a connection waits for another process's write lock before StorageBusy.
BUSY_TIMEOUT_MS = 5000
# PostgreSQL: seconds to wait for the server when connecting, and for a free pooled connection.
CONNECT_TIMEOUT_S = 10
POOL_TIMEOUT_S = 10.0
# Connections kept per process. PostgreSQL: FastAPI's thread pool runs up to 40 requests at
# once; most are short, so a few connections serve them (the rest wait their turn in the pool).
PG_POOL_MIN = 2
PG_POOL_MAX = 10
SQLITE_POOL_SIZE = 10
SQLITE_POOL_OVERFLOW = 30

_WRITE = "central_write"  # execution option: this transaction writes (SQLite: BEGIN IMMEDIATE)


@dataclass(frozen=True, slots=True)
class DatabaseLocation:
    """Where the database is: an SQLAlchemy URL with its driver (sqlite+pysqlite or
    postgresql+psycopg). `str()` shows it without a password."""

    url: URL

    @property
    def engine(self) -> str:
        """ "sqlite" or "postgresql"."""
        return SQLITE if self.url.get_backend_name() == SQLITE else POSTGRESQL

    @property
    def path(self) -> Path:
        """The SQLite file (ValueError for PostgreSQL)."""
        if self.engine != SQLITE or not self.url.database:
            raise ValueError(f"{self} is not an SQLite file")
        return Path(self.url.database)

    def conninfo(self) -> str:
        """The libpq connection URI of a PostgreSQL location (password included: never log)."""
        return self.url.set(drivername="postgresql").render_as_string(hide_password=False)

    def __str__(self) -> str:
        if self.engine == SQLITE:
            return str(self.path)
        return self.url.set(drivername="postgresql").render_as_string(hide_password=True)


def locate(target: str | Path) -> DatabaseLocation:
    """A location from a path or a URL (module docstring). Raises InvalidDatabaseUrl."""
    if isinstance(target, Path) or "://" not in target:
        path = Path(target)
        if not str(target).strip():
            raise InvalidDatabaseUrl("the database path is empty")
        return DatabaseLocation(URL.create("sqlite+pysqlite", database=str(path)))
    try:
        url = make_url(target)
    except ArgumentError as exc:
        raise InvalidDatabaseUrl(f"not a database URL: {_shown(target)}") from exc
    backend = url.get_backend_name()
    if backend == SQLITE:
        if not url.database or url.database == ":memory:":
            raise InvalidDatabaseUrl("an SQLite URL needs a file: sqlite:///PATH")
        return DatabaseLocation(url.set(drivername="sqlite+pysqlite"))
    if backend in ("postgresql", "postgres"):
        if url.get_driver_name() not in ("psycopg", "postgresql", "postgres"):
            raise InvalidDatabaseUrl(
                f"{url.drivername}: only psycopg 3 is supported; write postgresql://..."
            )
        if not url.database:
            raise InvalidDatabaseUrl(
                f"{_shown(target)}: name the database, postgresql://USER@HOST:PORT/DB"
            )
        return DatabaseLocation(url.set(drivername="postgresql+psycopg"))
    raise InvalidDatabaseUrl(
        f"{backend}: the server runs on SQLite (a file) or PostgreSQL (postgresql://...)"
    )


def _shown(text: str) -> str:
    """A URL as it may be printed: the password, if any, hidden."""
    try:
        return make_url(text).render_as_string(hide_password=True)
    except ArgumentError:
        return "(unreadable URL)"


def describe_failure(exc: BaseException) -> str:
    """One line saying why the database failed (the driver's first line; no password)."""
    cause = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    lines = [line.strip() for line in str(cause).strip().splitlines() if line.strip()]
    return lines[0] if lines else type(cause).__name__


# SQLite primary result codes (the low byte of the extended code a sqlite3 error carries):
# locked by another connection, or the file cannot take a write now.
_SQLITE_BUSY = {5, 6}  # SQLITE_BUSY, SQLITE_LOCKED
_SQLITE_UNUSABLE = {8, 10, 13, 14}  # SQLITE_READONLY, SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN
# PostgreSQL errors that say "not now" without being OperationalError (which all are: connection
# lost, server shutting down or starting, disk full, out of memory, statement timeout, I/O):
# 25006 read_only_sql_transaction (a replica after a failover, default_transaction_read_only).
_PG_UNUSABLE_STATES = {"25006"}


def unusable(exc: BaseException, dialect: str) -> StorageUnavailable | None:
    """The named error for a driver error (SQLAlchemy's, or the driver's own from a COPY or an
    executemany sent straight to it) that means the database cannot be used right now (retry
    later: the app answers 503), else None (a bug or bad data: let it propagate).

    SQLite: locked (StorageBusy), read-only, I/O error (a file system remounted read-only by
    the kernel after disk errors answers SQLITE_IOERR_WRITE), full, cannot open. PostgreSQL:
    every OperationalError (unreachable, restarted, disk full, out of memory, ...) and a
    read-only transaction. The message is the driver's first line (no statement, no
    parameters, no password)."""
    orig = exc.orig if isinstance(exc, DBAPIError) else exc
    if dialect == SQLITE:
        import sqlite3

        if not isinstance(orig, sqlite3.Error):
            return None
        reason = describe_failure(exc)
        code = getattr(orig, "sqlite_errorcode", None)
        primary = code & 0xFF if isinstance(code, int) else None
        locked = primary is None and ("locked" in reason or "busy" in reason)
        if primary in _SQLITE_BUSY or locked:
            return StorageBusy(f"database busy: {reason}")
        if primary in _SQLITE_UNUSABLE:
            return StorageUnavailable(f"database unavailable: {reason}")
        return None
    import psycopg

    if isinstance(orig, psycopg.OperationalError) or (
        isinstance(orig, psycopg.Error) and orig.sqlstate in _PG_UNUSABLE_STATES
    ):
        return StorageUnavailable(f"database unavailable: {describe_failure(exc)}")
    return None


def _lock_key(name: str) -> int:
    """A stable signed 64-bit advisory-lock key for `name`."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


@functools.cache
def _pooled_connection_class() -> type[Any]:
    """psycopg's Connection, made to tolerate SQLAlchemy's NullPool integration: SQLAlchemy
    sees each loan as a new connection and registers its notice handler again every time; it
    is kept once, or the list (and every NOTICE's logging) would grow with each request until
    the connection is retired. (psycopg is imported only when PostgreSQL is used.)"""
    import psycopg

    class PooledConnection(psycopg.Connection[Any]):
        def add_notice_handler(self, callback: Callable[[psycopg.errors.Diagnostic], None]) -> None:
            if callback not in self._notice_handlers:
                super().add_notice_handler(callback)

    return PooledConnection


class Database:
    """Connections and transactions (module docstring). Thread-safe; `close()` when done."""

    def __init__(self, location: DatabaseLocation, engine: Engine, pool: Any | None) -> None:
        self.location = location
        self.engine = engine
        self.dialect = location.engine
        self._pool = pool
        self._write_lock = threading.Lock()

    @classmethod
    def connect(cls, location: DatabaseLocation, *, pooled: bool = True) -> Database:
        """Connections to `location` (opened lazily; nothing is checked here). `pooled=False`:
        one connection per use, closed after it (migrations, one-off commands' checks)."""
        if location.engine == SQLITE:
            return cls(location, _sqlite_engine(location.path, pooled=pooled), None)
        if not pooled:
            engine = create_engine(
                location.url,
                poolclass=NullPool,
                connect_args={
                    "connect_timeout": CONNECT_TIMEOUT_S,
                    "application_name": "kiosk-central",
                },
            )
            return cls(location, engine, None)
        from psycopg_pool import ConnectionPool

        pool: ConnectionPool[Any] = ConnectionPool(
            location.conninfo(),
            connection_class=_pooled_connection_class(),
            kwargs={"connect_timeout": CONNECT_TIMEOUT_S, "application_name": "kiosk-central"},
            min_size=PG_POOL_MIN,
            max_size=PG_POOL_MAX,
            open=False,
            check=ConnectionPool.check_connection,
            name="kiosk-central",
            close_returns=True,
            timeout=POOL_TIMEOUT_S,
        )
        pool.open(wait=False)
        engine = create_engine(
            "postgresql+psycopg://",
            poolclass=NullPool,
            creator=cast(Any, pool.getconn),
        )
        return cls(location, engine, pool)

    def close(self) -> None:
        """Close every connection. SQLite: a passive WAL checkpoint first (leaves a small WAL;
        harmless if it fails: the WAL is replayed at the next open)."""
        if self.dialect == SQLITE:
            try:
                with self.engine.connect() as conn:
                    conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
            except DBAPIError as exc:
                log.info("no WAL checkpoint at close: %s", describe_failure(exc))
        self.engine.dispose()
        if self._pool is not None:
            self._pool.close()

    # -- transactions ---------------------------------------------------------------------------

    @contextlib.contextmanager
    def write(self) -> Iterator[Connection]:
        """One write transaction (module docstring). Raises StorageBusy, StorageUnavailable."""
        with self._errors(), self.engine.connect() as conn:
            if self.dialect == SQLITE:
                with self._write_lock:
                    conn.execution_options(**{_WRITE: True})
                    with conn.begin():
                        yield conn
            else:
                with conn.begin():
                    yield conn

    @contextlib.contextmanager
    def read(self) -> Iterator[Connection]:
        """Statements that see one snapshot (module docstring)."""
        with self._errors(), self.engine.connect() as conn, conn.begin():
            if self.dialect == POSTGRESQL:
                conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            yield conn

    @contextlib.contextmanager
    def query(self) -> Iterator[Connection]:
        """A connection for one statement (or several that need no common snapshot)."""
        with self._errors(), self.engine.connect() as conn:
            yield conn

    @contextlib.contextmanager
    def autocommit(self) -> Iterator[Connection]:
        """PostgreSQL only: a connection on which each statement commits by itself, for what
        cannot run in a transaction block (`DETACH PARTITION … CONCURRENTLY`) and for session
        advisory locks held across several statements. Back in transaction mode before it
        returns to the pool. Raises StorageUnavailable; ValueError on SQLite."""
        if self.dialect != POSTGRESQL:
            raise ValueError("autocommit() is for PostgreSQL")
        with self._errors(), self.engine.connect() as conn:
            driver = cast("psycopg.Connection[Any]", conn.connection.driver_connection)
            driver.autocommit = True
            try:
                yield conn
            finally:
                if not driver.closed and not driver.broken:
                    driver.autocommit = False

    def lock(self, conn: Connection, name: str) -> None:
        """Serialise the rest of this write transaction with every other transaction that takes
        the same `name`, in any process, until it ends (PostgreSQL: pg_advisory_xact_lock; on
        SQLite a write transaction holds the only write lock already)."""
        if self.dialect == POSTGRESQL:
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _lock_key(name)})

    # -- dialect helpers ------------------------------------------------------------------------

    def insert(self, table: Table) -> postgresql.Insert | sqlite.Insert:
        """INSERT with this engine's ON CONFLICT (`on_conflict_do_nothing`, `…_do_update`)."""
        return postgresql.insert(table) if self.dialect == POSTGRESQL else sqlite.insert(table)

    def among(
        self, column: ColumnElement[Any], values: Iterable[str] | Iterable[int]
    ) -> ColumnElement[bool]:
        """`column IN values` for any number of text (or integer: row ids) values, bound as one
        parameter.

        PostgreSQL: `= ANY(:array)`. A list of 500 parameters (`IN (:1, …, :500)`) is planned
        once psycopg prepares the statement, and PostgreSQL's generic plan then compares each
        row with each value in turn: measured 47 ms against 1.6 ms for 500 event ids. SQLite:
        `IN (SELECT value FROM json_each(:json))`, free of SQLite's limit on the number of
        parameters (32766 by default)."""
        items = list(values)
        if self.dialect == POSTGRESQL:
            kind = BigInteger() if items and isinstance(items[0], int) else Text()
            return column == any_(literal(items, postgresql.ARRAY(kind)))
        each = func.json_each(literal(json.dumps(items), Text)).table_valued("value")
        return column.in_(select(each.c.value))

    def upsert(
        self,
        table: Table,
        key: Sequence[str],
        *,
        update: Sequence[str],
        also: Mapping[str, Any] | None = None,
    ) -> postgresql.Insert | sqlite.Insert:
        """INSERT … ON CONFLICT (`key`) DO UPDATE: the columns in `update` take the new row's
        values, those in `also` the values given. Add `.values(...)`, or execute it with a list
        of rows."""
        insert = self.insert(table)
        changes: dict[str, Any] = {name: insert.excluded[name] for name in update}
        changes.update(also or {})
        return insert.on_conflict_do_update(index_elements=list(key), set_=changes)

    def insert_rows(
        self, conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]]
    ) -> None:
        """Insert many rows (dicts with the same keys) in this transaction, the fastest way the
        engine offers, straight to the driver: COPY on PostgreSQL, one executemany on SQLite.
        SQLAlchemy's per-row type processing is skipped (it was a third of the ingest's CPU), so
        values must be what the driver takes: text, int, bool, bytes, None, and aware datetimes
        (UtcTime columns; written here as central.schema.UtcTime writes them). No ON CONFLICT:
        the caller knows the rows are new."""
        if not rows:
            return
        columns = list(rows[0])
        names = ", ".join(f'"{name}"' for name in columns)
        driver = conn.connection.driver_connection
        if self.dialect == SQLITE:
            times = [i for i, name in enumerate(columns) if isinstance(table.c[name].type, UtcTime)]
            texts: dict[dt.datetime, str] = {}  # a batch's rows mostly share their times

            def values(row: Mapping[str, Any]) -> list[Any]:
                found = [row[name] for name in columns]
                for i in times:
                    moment = found[i]
                    if moment is not None:
                        text = texts.get(moment)
                        if text is None:
                            text = texts[moment] = to_iso(moment)
                        found[i] = text
                return found

            marks = ", ".join("?" for _ in columns)
            cast("sqlite3.Connection", driver).executemany(
                f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})',  # noqa: S608
                map(values, rows),
            )
            return
        with (
            cast("psycopg.Connection[Any]", driver).cursor() as cursor,
            cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy,
        ):
            for row in rows:
                copy.write_row([row[name] for name in columns])

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        """Turn the driver's "cannot use the database now" errors into named ones: StorageBusy
        (SQLite locked), StorageUnavailable (unreachable, restarted, full, read-only, I/O
        errors: see `unusable`). Anything else (a bug, a constraint) propagates as it is."""
        try:
            yield
        except StorageError:
            raise
        except Exception as exc:
            named = unusable(exc, self.dialect)
            if named is not None:
                raise named from exc
            # psycopg_pool's PoolTimeout comes through SQLAlchemy's creator unwrapped.
            if self._pool is not None:
                from psycopg_pool import PoolTimeout

                if isinstance(exc, PoolTimeout):
                    raise StorageUnavailable(
                        f"no database connection free within {POOL_TIMEOUT_S:.0f} s"
                    ) from exc
            raise


def _sqlite_engine(path: Path, *, pooled: bool) -> Engine:
    def connect() -> Any:
        create_private(path)
        return connect_durable(path, busy_timeout_ms=BUSY_TIMEOUT_MS, error=StorageError)

    pool_args: dict[str, Any] = (
        {
            "poolclass": QueuePool,
            "pool_size": SQLITE_POOL_SIZE,
            "max_overflow": SQLITE_POOL_OVERFLOW,
        }
        if pooled
        else {"poolclass": NullPool}
    )
    engine = create_engine(
        URL.create("sqlite+pysqlite", database=str(path)), creator=connect, **pool_args
    )

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        # sqlite3's own BEGIN is off (isolation_level=None in connect_durable): SQLAlchemy's
        # documented recipe. Writes take the write lock up front.
        immediate = conn.get_execution_options().get(_WRITE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def table_names(conn: Connection) -> set[str]:
    """The tables in the connected database (public schema on PostgreSQL)."""
    return set(inspect(conn).get_table_names())


def advisory_lock(conn: Connection, name: str) -> None:
    """A session-level PostgreSQL advisory lock (migrations), released by advisory_unlock or
    when the connection closes."""
    conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _lock_key(name)})


def advisory_unlock(conn: Connection, name: str) -> None:
    conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _lock_key(name)})


__all__ = [
    "DATABASE_URL_ENV",
    "Database",
    "DatabaseLocation",
    "advisory_lock",
    "advisory_unlock",
    "describe_failure",
    "locate",
    "table_names",
    "unusable",
]
