"""A throwaway PostgreSQL cluster for the tests: Debian's `postgresql` package (installed by
scripts/test), initdb and pg_ctl from /usr/lib/postgresql/<version>/bin, a data directory in a
new temporary directory, listening on 127.0.0.1 on a free port and on a Unix socket in that
directory. When the tests run as root the cluster runs as the unprivileged `postgres` user
(PostgreSQL refuses to run as root); the directory is handed to it.

Made for speed, not durability: fsync, synchronous_commit and full_page_writes are off (a
crash of this cluster loses nothing anyone needs). Locale C: text sorts by code point, as
SQLite's default collation does.

Used by the fixtures in tests/conftest.py: one cluster per test session (`postgres`), a fresh
database per test (`postgres_url`: CREATE DATABASE … TEMPLATE a migrated one, ~50 ms).
"""

from __future__ import annotations

import contextlib
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

SUPERUSER = "postgres"
UNPRIVILEGED = "postgres"  # the OS user that runs the cluster when the tests run as root


class PostgresUnavailable(Exception):
    """PostgreSQL is not installed here (the reason says what is missing)."""


def find_bin() -> Path:
    """The newest installed PostgreSQL's bin directory. Raises PostgresUnavailable."""
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    if not found:
        raise PostgresUnavailable(
            "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): install "
            "Debian's postgresql package (scripts/test does)"
        )
    return found[-1].parent


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class PostgresCluster:
    """A running throwaway cluster; `stop()` removes it.

    `durable`: PostgreSQL's defaults (fsync, synchronous_commit, full_page_writes on).
    `keep_commits`: synchronous_commit on, fsync off: every acknowledged commit survives a
    restart of the server, even `-m immediate` (the WAL reached the OS before the commit
    returned), though not a crash of the machine; for the fault tests that restart it.
    `extra`: more `-c name=value` settings."""

    bin_dir: Path
    root: Path
    port: int
    durable: bool = False
    keep_commits: bool = False
    extra: tuple[str, ...] = ()
    _names: Any = field(default_factory=lambda: itertools.count(1))

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def log_file(self) -> Path:
        return self.root / "postgres.log"

    @classmethod
    def start(
        cls,
        *,
        durable: bool = False,
        keep_commits: bool = False,
        root: Path | None = None,
        extra: tuple[str, ...] = (),
        initdb_args: tuple[str, ...] = (),
    ) -> PostgresCluster:
        """initdb and start a cluster (class docstring for the options). `root`: an existing
        empty directory to hold it (a small file system, for the disk-full tests) instead of a
        new temporary one. Raises PostgresUnavailable, or RuntimeError with the server's log
        when it does not start."""
        bin_dir = find_bin()
        if root is None:
            root = Path(tempfile.mkdtemp(prefix="central-pg-"))
        else:
            root.mkdir(mode=0o700)
        if os.geteuid() == 0:
            try:
                entry = pwd.getpwnam(UNPRIVILEGED)
            except KeyError as exc:
                shutil.rmtree(root)
                raise PostgresUnavailable(f"no {UNPRIVILEGED!r} user to run PostgreSQL") from exc
            os.chown(root, entry.pw_uid, entry.pw_gid)
        cluster = cls(bin_dir, root, 0, durable, keep_commits, extra)
        try:
            cluster._run(
                "initdb",
                "-D",
                str(cluster.data_dir),
                "-U",
                SUPERUSER,
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C",
                "-N",
                *initdb_args,
            )
            for _attempt in range(5):
                cluster.port = _free_port()
                if cluster._pg_ctl_start():
                    return cluster
            raise RuntimeError("PostgreSQL did not start:\n" + cluster.log_text())
        except BaseException:
            cluster.stop()
            raise

    def _pg_ctl_start(self) -> bool:
        fast = ["-c fsync=off", "-c full_page_writes=off"]
        if not self.keep_commits:
            fast.append("-c synchronous_commit=off")
        options = " ".join(
            [
                "-c listen_addresses=127.0.0.1",
                f"-p {self.port}",
                f"-k {self.root}",
                "-c max_connections=200",
                *([] if self.durable else fast),
                *(f"-c {setting}" for setting in self.extra),
            ]
        )
        result = self._run(
            "pg_ctl",
            "-D",
            str(self.data_dir),
            "-o",
            options,
            "-l",
            str(self.log_file),
            "-w",
            "-t",
            "60",
            "start",
            check=False,
        )
        return result.returncode == 0

    def _run(
        self, program: str, *args: str, check: bool = True
    ) -> subprocess.CompletedProcess[str]:
        kwargs: dict[str, Any] = {}
        if os.geteuid() == 0:
            entry = pwd.getpwnam(UNPRIVILEGED)
            kwargs = {"user": entry.pw_uid, "group": entry.pw_gid, "extra_groups": []}
        return subprocess.run(
            [str(self.bin_dir / program), *args],
            capture_output=True,
            text=True,
            timeout=120,
            check=check,
            cwd=self.root,
            **kwargs,
        )

    def log_text(self) -> str:
        try:
            return self.log_file.read_text(errors="replace")
        except OSError:
            return "(no log)"

    def stop_server(self, mode: str = "fast") -> None:
        """Stop the server and keep its data (`mode`: smart, fast, or immediate: as a crash,
        recovery at the next start). Raises RuntimeError with pg_ctl's output if it fails."""
        done = self._run("pg_ctl", "-D", str(self.data_dir), "-m", mode, "-w", "stop", check=False)
        if done.returncode != 0:
            raise RuntimeError(f"pg_ctl stop failed: {done.stdout}{done.stderr}")

    def start_server(self) -> None:
        """Start the stopped server again on the same port. Raises RuntimeError with its log."""
        if not self._pg_ctl_start():
            raise RuntimeError("PostgreSQL did not start again:\n" + self.log_text()[-4000:])

    def is_running(self) -> bool:
        done = self._run("pg_ctl", "-D", str(self.data_dir), "status", check=False)
        return done.returncode == 0

    def stop(self) -> None:
        """Stop the server (immediately: nothing in it is kept) and remove its directory."""
        if self.data_dir.exists():
            self._run(
                "pg_ctl", "-D", str(self.data_dir), "-m", "immediate", "-w", "stop", check=False
            )
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, dbname: str) -> str:
        """The URL `kiosk-central --database-url` takes for database `dbname`."""
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{dbname}"

    @contextlib.contextmanager
    def admin(self) -> Any:
        """An autocommit connection to the `postgres` database, as the superuser."""
        with psycopg.connect(
            host="127.0.0.1", port=self.port, user=SUPERUSER, dbname="postgres", autocommit=True
        ) as conn:
            yield conn

    def create_database(self, template: str = "template0", name: str | None = None) -> str:
        """A new database (a copy of `template`); returns its name."""
        name = name or f"t{os.getpid()}_{next(self._names)}"
        with self.admin() as conn:
            conn.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                    sql.Identifier(name), sql.Identifier(template)
                )
            )
        return name

    def drop_database(self, name: str) -> None:
        with self.admin() as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
