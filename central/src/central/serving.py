"""`kiosk-central serve`: one process or several (uvicorn's workers) on one database, and the
housekeeping that runs beside them.

Workers. `run(...)` serves on a socket the caller bound. With one worker the app runs in this
process. With N > 1 (PostgreSQL only), uvicorn's supervisor (`uvicorn.supervisors.Multiprocess`)
starts N processes that share the socket; each builds its own app and its own connection pool
from the database URL (`AppFactory`, pickled to the spawned process), and the supervisor
replaces a worker that dies. Nothing in a worker is shared with another: the rate limiter is
per process, every write is one transaction, and what reads then writes shared state takes a
row lock or an advisory lock (central.database), so N processes are as safe as N threads.
On SQLite the server stays at one process: SQLite lets one connection write at a time, and
this process already queues its writers on one lock in order (central.database); a second
process would wait on the file lock in SQLite's busy handler (sleeping up to 100 ms a retry,
503 `busy` after 5 s) instead of running in parallel.

Housekeeping. Once per deployment work runs in the serving process (the supervisor when there
are workers), in one thread, at start and then every HOUSEKEEPING_INTERVAL_S: the events
partitions of today and the next days (PostgreSQL), the retention purge (`Storage.purge`:
events received more than `retention_days` whole UTC days ago), and the health declarations'
(DECLARATION_RETENTION_DAYS after their validity ended). Several servers on one
database (several hosts) may all run it: partition creation and purges are serialised by
advisory locks and idempotent. A purge that would remove every stored event is skipped (with a
warning): a server clock far ahead looks the same as a silent deployment, and only the first
must never empty the database (`kiosk-central purge` does it by hand).

Logging. Every process logs to stderr through checkpoint_common.safelog.SafeFormatter
(`setup_logging`): workers are spawned, fresh interpreters, and set it up again.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import socket
import threading
from collections.abc import Awaitable, Callable, MutableMapping
from typing import TYPE_CHECKING, Any

from central.database import DatabaseLocation, locate
from central.declare.service import RETENTION_DAYS as DECLARATION_RETENTION_DAYS
from central.errors import StorageError, StorageUnavailable
from central.storage import Storage
from checkpoint_common.safelog import SafeFormatter

if TYPE_CHECKING:
    # FastAPI is imported only where an app is made: every other command starts faster.
    from central.app import RateLimit

log = logging.getLogger(__name__)

HOUSEKEEPING_INTERVAL_S = 3600.0
# After a failed round (the database unreachable), try again sooner than the interval.
HOUSEKEEPING_RETRY_S = 60.0
DEFAULT_RETENTION_DAYS = 21
# A worker that does not answer the supervisor's ping for this long is killed and replaced. Under
# a full ingest load on a small machine a worker's ping thread can wait seconds for the GIL;
# uvicorn's default (5 s) would kill healthy workers.
WORKER_HEALTHCHECK_S = 30
_SHUTDOWN_GRACE_S = 5
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def setup_logging(level: int) -> None:
    """Log to stderr at `level` through SafeFormatter (tracebacks without exception messages:
    they may quote a payload or a name); uvicorn's loggers propagate to it."""
    handler = logging.StreamHandler()
    handler.setFormatter(SafeFormatter(_FORMAT))
    logging.basicConfig(level=level, handlers=[handler])
    # Alembic narrates its plugins and DDL mode at INFO; central.migrate says what it does.
    logging.getLogger("alembic").setLevel(logging.WARNING)


def retention_cutoff(now: dt.datetime, days: int) -> dt.date:
    """The first UTC day kept when events are kept `days` whole days after their receipt:
    events received before 00:00 UTC of the returned day are purged (so an event stays at
    least `days` days and at most `days` + 1)."""
    return now.astimezone(dt.UTC).date() - dt.timedelta(days=days)


class Housekeeping:
    """The once-per-deployment work (module docstring) in a daemon thread. `start()`, `stop()`.
    `run_once()` is the round itself (tests call it directly)."""

    def __init__(
        self,
        storage: Storage,
        *,
        retention_days: int,
        interval_s: float = HOUSEKEEPING_INTERVAL_S,
        clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    ) -> None:
        self.storage = storage
        self.retention_days = retention_days
        self.interval_s = interval_s
        self.clock = clock
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def run_once(self) -> bool:
        """One round: partitions ahead, then the purge (when retention is on). True when it
        ran; False when the database could not be used (logged; the caller retries)."""
        now = self.clock()
        try:
            self.storage.ensure_partitions(now.date())
            if self.retention_days > 0:
                before = retention_cutoff(now, self.retention_days)
                newest = self.storage.newest_receipt()
                if newest is not None and newest.date() < before:
                    log.warning(
                        "retention: every stored event was received before %s (newest %s): "
                        "not purging automatically (a server clock far ahead looks the same); "
                        "`kiosk-central purge` purges by hand",
                        before.isoformat(),
                        newest.date().isoformat(),
                    )
                else:
                    self.storage.purge(before)
            # Health declarations go 21 days after they stop being valid, whatever the events'
            # retention (the page's privacy notice says so; central.declare.service).
            purged = self.storage.purge_declarations(
                now - dt.timedelta(days=DECLARATION_RETENTION_DAYS)
            )
            if purged:
                log.info("%d declarations past retention deleted", purged)
        except StorageUnavailable as exc:
            log.warning("housekeeping postponed: %s", exc)
            return False
        return True

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                done = self.run_once()
            except Exception:
                # Never let a bug here stop the server; it is logged with its traceback.
                log.exception("housekeeping failed")
                done = False
            self._stop.wait(self.interval_s if done else HOUSEKEEPING_RETRY_S)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="housekeeping", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)


# -- workers -----------------------------------------------------------------------------------

_Scope = MutableMapping[str, Any]
_Message = MutableMapping[str, Any]
_Receive = Callable[[], Awaitable[_Message]]
_Send = Callable[[_Message], Awaitable[None]]
_ASGIApp = Callable[[_Scope, _Receive, _Send], Awaitable[None]]


class _ClosingApp:
    """The app, closing its storage (the worker's pool) when uvicorn shuts the worker down."""

    def __init__(self, app: _ASGIApp, storage: Storage) -> None:
        self.app = app
        self.storage = storage

    async def __call__(self, scope: _Scope, receive: _Receive, send: _Send) -> None:
        if scope["type"] != "lifespan":
            await self.app(scope, receive, send)
            return

        async def send_then_close(message: _Message) -> None:
            if message["type"] == "lifespan.shutdown.complete":
                self.storage.close()
            await send(message)

        await self.app(scope, receive, send_then_close)


@dataclasses.dataclass(frozen=True)
class AppFactory:
    """Builds one worker's app: called by uvicorn in each worker process (it is pickled to the
    spawned process, so it holds only plain values). `database` is the URL, password included:
    never print or log it (`locate(...)` gives the printable form)."""

    database: str
    rate_limit: RateLimit | None
    log_level: int
    declaration_rate_limit: RateLimit | str | None = "default"
    declaration_valid_hours: int = 24

    def __call__(self) -> _ClosingApp:
        from central.app import create_app

        setup_logging(self.log_level)
        try:
            storage = Storage.open(locate(self.database))
        except StorageError as exc:
            # uvicorn's STARTUP_FAILURE: the supervisor stops instead of respawning forever.
            from uvicorn.config import STARTUP_FAILURE

            log.error("worker cannot open the database: %s", exc)
            raise SystemExit(STARTUP_FAILURE) from exc
        app = create_app(
            storage,
            rate_limit=self.rate_limit,
            declaration_rate_limit=self.declaration_rate_limit,
            declaration_valid_hours=self.declaration_valid_hours,
        )
        return _ClosingApp(app, storage)


@dataclasses.dataclass(frozen=True)
class ServeOptions:
    workers: int = 1
    rate_limit: RateLimit | None = None
    tls_cert: str | None = None
    tls_key: str | None = None
    log_level: str = "info"
    retention_days: int = DEFAULT_RETENTION_DAYS
    # Health declarations (central.declare): per client address and per process; "default":
    # central.declare.web.DEFAULT_RATE_LIMIT; None: off.
    declaration_rate_limit: RateLimit | str | None = "default"
    declaration_valid_hours: int = 24


def workers_for(location: DatabaseLocation, asked: int) -> tuple[int, str | None]:
    """How many worker processes to run for `asked`, and a note to print when that is not
    what was asked (SQLite stays at one: module docstring)."""
    if asked > 1 and location.engine == "sqlite":
        return 1, (
            f"--workers {asked}: one process on SQLite. SQLite lets one connection write at "
            "a time and this process already queues its writers in order; more processes "
            "would wait on the file's lock (503 busy), not run in parallel. Use PostgreSQL "
            "(--database-url) for several workers."
        )
    return asked, None


def run(
    storage: Storage,
    sock: socket.socket,
    options: ServeOptions,
    database: str,
) -> None:
    """Serve on `sock` until a signal stops it (module docstring). `storage` is this process's
    (housekeeping, and the app itself with one worker); `database` the URL the workers open
    (password included). Blocks."""
    import uvicorn

    from central.app import create_app

    common: dict[str, Any] = {
        "log_level": options.log_level,
        "log_config": None,  # uvicorn's loggers go to ours (setup_logging): SafeFormatter
        # The app adds Date itself (one clock for Date and server_time); two would confuse.
        "date_header": False,
        "server_header": False,
        "ssl_certfile": options.tls_cert,
        "ssl_keyfile": options.tls_key,
        # An idle keep-alive TLS connection waits for the peer's close_notify on shutdown; a
        # kiosk that never answers must not hold the server up for long.
        "timeout_graceful_shutdown": _SHUTDOWN_GRACE_S,
    }
    housekeeping = Housekeeping(storage, retention_days=options.retention_days)
    housekeeping.start()
    try:
        if options.workers <= 1:
            app = create_app(
                storage,
                rate_limit=options.rate_limit,
                declaration_rate_limit=options.declaration_rate_limit,
                declaration_valid_hours=options.declaration_valid_hours,
            )
            uvicorn.Server(uvicorn.Config(app, **common)).run(sockets=[sock])
            return
        from uvicorn.supervisors import Multiprocess

        factory = AppFactory(
            database,
            options.rate_limit,
            logging.getLevelName(options.log_level.upper()),
            options.declaration_rate_limit,
            options.declaration_valid_hours,
        )
        config = uvicorn.Config(
            factory,
            factory=True,
            workers=options.workers,
            timeout_worker_healthcheck=WORKER_HEALTHCHECK_S,
            **common,
        )
        Multiprocess(config, sockets=[sock]).run()
    finally:
        housekeeping.stop()


__all__ = [
    "DEFAULT_RETENTION_DAYS",
    "AppFactory",
    "Housekeeping",
    "ServeOptions",
    "retention_cutoff",
    "run",
    "setup_logging",
    "workers_for",
]
