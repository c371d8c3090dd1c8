"""`kiosk-central`: serve the reference central server and administer its database.

Every command takes the database as `--db PATH` (an SQLite file) or `--database-url URL`
(`postgresql://USER@HOST:PORT/DB`, or `sqlite:///PATH`); without either, the environment's
`KIOSK_CENTRAL_DATABASE_URL`, else `KIOSK_CENTRAL_DB`, else `./central.db`. Output meant for
programs is JSON, one object per line, UTF-8; messages go to stderr. docs/central.md lists the
commands.

Exit codes (the same for every command, as the kiosk's):
  0  done
  2  bad usage or bad input (argparse, unknown checkpoint or device, bad setting, bad file,
     a database URL this server cannot use)
  3  the database cannot be used (unreachable, missing for a read-only command, written by a
     newer version, an older PostgreSQL schema not yet migrated, not a database)
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import json
import logging
import os
import socket
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

from sqlalchemy.exc import DBAPIError

from central import authority, tokens
from central.database import DATABASE_URL_ENV, DatabaseLocation, describe_failure, locate
from central.migrate import head, prepare
from central.reveal import BROKEN, OPENED, OTHER_KEY, ExportFileError, decrypt_export, reveal
from central.serving import setup_logging
from central.storage import (
    CheckpointRecord,
    InvalidDatabaseUrl,
    InvalidInput,
    Storage,
    StorageError,
    UnknownCheckpoint,
)
from checkpoint_common.protocol import SERVER_SETTINGS, ProtocolError, StatusEntry
from checkpoint_common.safelog import install_crash_hooks, printable
from checkpoint_common.settings import Settings
from checkpoint_common.timefmt import to_iso

EXIT_OK = 0
EXIT_USAGE = 2
EXIT_DATA = 3

DB_ENV = "KIOSK_CENTRAL_DB"
DEFAULT_DB = "central.db"
ENROLLMENT_CODE_HOURS = 24
# Tracing looks back this many days by default: the incubation period health officers use.

log = logging.getLogger("central")


class CliError(Exception):
    def __init__(self, message: str, code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.code = code


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, separators=(",", ":")))


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _location(args: argparse.Namespace) -> DatabaseLocation:
    """The database the command works on (module docstring). Raises InvalidDatabaseUrl."""
    if args.database_url is not None:
        return locate(args.database_url)
    if args.db is not None:
        return locate(Path(args.db))
    from_env = os.environ.get(DATABASE_URL_ENV)
    if from_env:
        return locate(from_env)
    return locate(Path(os.environ.get(DB_ENV) or DEFAULT_DB))


@contextmanager
def _storage(args: argparse.Namespace, *, create: bool = True) -> Iterator[Storage]:
    location = _location(args)
    if not create and location.engine == "sqlite" and not location.path.exists():
        raise CliError(
            f"no database at {location.path} (give --db or --database-url, or set {DB_ENV} "
            f"or {DATABASE_URL_ENV})",
            EXIT_DATA,
        )
    storage = Storage.open(location, create=create)
    try:
        yield storage
    finally:
        storage.close()


def _find_checkpoint(storage: Storage, ident: str) -> CheckpointRecord:
    """A checkpoint by id, or else by its exact name."""
    found = storage.checkpoint(ident)
    if found is None:
        found = next((c for c in storage.checkpoints() if c.name == ident), None)
    if found is None:
        raise CliError(
            f"no checkpoint {printable(ident)!r} (`kiosk-central checkpoints` lists them)"
        )
    return found


# -- commands --------------------------------------------------------------------------------


def cmd_serve(args: argparse.Namespace) -> int:
    from central.app import RateLimit
    from central.serving import ServeOptions, run, workers_for

    if bool(args.tls_cert) != bool(args.tls_key):
        raise CliError("--tls-cert and --tls-key go together")
    for name in (args.tls_cert, args.tls_key):
        if name and not Path(name).is_file():
            raise CliError(f"no such file: {name}")
    try:
        rate_limit = None if args.rate_limit is None else RateLimit(args.rate_limit, args.burst)
    except ValueError as exc:
        raise CliError(str(exc)) from exc
    if args.workers < 1:
        raise CliError("--workers must be at least 1")
    if args.retention_days < 0:
        raise CliError("--retention-days must not be negative (0 keeps events forever)")
    location = _location(args)
    workers, note = workers_for(location, args.workers)
    if note:
        print(f"kiosk-central: {note}", file=sys.stderr, flush=True)
    # Bind here (port 0 picks a free one) so the address printed is the one really listened on;
    # workers share this socket.
    family = socket.getaddrinfo(args.host, args.port, type=socket.SOCK_STREAM)[0][0]
    sock = socket.create_server((args.host, args.port), family=family)
    # Accepted connections inherit this on Linux. Without it, Nagle's algorithm holds the tail
    # of each response until the kiosk's delayed ACK (~40 ms a request): measured, it cost a
    # third of the time to drain a backlog (bench/sync.py).
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    host, port = sock.getsockname()[:2]
    try:
        declaration_limit = (
            None
            if args.declaration_rate_limit == 0
            else RateLimit(args.declaration_rate_limit, args.declaration_burst)
        )
    except ValueError as exc:
        raise CliError(f"--declaration-rate-limit: {exc}") from exc
    from checkpoint_common.declaration import MAX_VALID_HOURS

    if not 1 <= args.declaration_valid_hours <= MAX_VALID_HOURS:
        raise CliError(f"--declaration-valid-hours: from 1 to {MAX_VALID_HOURS}")
    # Opened (schema checked, created or refused) here, once, before any worker starts.
    with _storage(args) as storage:
        shown_host = f"[{host}]" if family == socket.AF_INET6 else host
        scheme = "https" if args.tls_cert else "http"
        processes = f" with {workers} workers" if workers > 1 else ""
        print(
            f"kiosk-central: serving {storage.location}{processes} on "
            f"{scheme}://{shown_host}:{port}",
            file=sys.stderr,
            flush=True,
        )
        options = ServeOptions(
            workers=workers,
            rate_limit=rate_limit,
            tls_cert=args.tls_cert,
            tls_key=args.tls_key,
            log_level=args.log_level,
            retention_days=args.retention_days,
            declaration_rate_limit=declaration_limit,
            declaration_valid_hours=args.declaration_valid_hours,
        )
        run(storage, sock, options, location.url.render_as_string(hide_password=False))
    return EXIT_OK


def cmd_purge(args: argparse.Namespace) -> int:
    """Purge now what the retention setting says is too old (serve also does it every hour)."""
    from central.serving import retention_cutoff

    if args.retention_days < 1:
        raise CliError("--retention-days must be at least 1")
    with _storage(args, create=False) as storage:
        report = storage.purge(retention_cutoff(_now(), args.retention_days))
    _print_json(report.to_json())
    return EXIT_OK


def cmd_enrollment_code(args: argparse.Namespace) -> int:
    now = _now()
    with _storage(args) as storage:
        existing = storage.checkpoint(args.checkpoint)
        try:
            checkpoint = existing or storage.ensure_checkpoint(args.checkpoint, now)
        except InvalidInput as exc:
            raise CliError(f"checkpoint name: {exc}") from exc
        code = tokens.new_enrollment_code()
        expires = now + dt.timedelta(hours=args.valid_hours)
        storage.add_enrollment_code(
            checkpoint.id, tokens.code_digest(code), now=now, expires_at=expires
        )
    print(code)
    print(
        printable(
            f"checkpoint {checkpoint.id} ({checkpoint.name}); one use, valid until "
            f"{to_iso(expires)[:16]}Z. On the kiosk: kiosk enroll URL {code}"
        ),
        file=sys.stderr,
    )
    return EXIT_OK


def cmd_checkpoints(args: argparse.Namespace) -> int:
    with _storage(args, create=False) as storage:
        for item in storage.today(_now()):
            if args.json:
                _print_json(
                    {
                        "id": item.checkpoint_id,
                        "name": item.name,
                        "devices": item.devices,
                        "entries_today": item.entries,
                        "exits_today": item.exits,
                        "last_contact": to_iso(item.last_contact) if item.last_contact else None,
                    }
                )
            else:
                last = to_iso(item.last_contact)[:19] + "Z" if item.last_contact else "-"
                print(
                    printable(
                        f"{item.checkpoint_id}  {item.name}  kiosks {item.devices}  "
                        f"in {item.entries}  out {item.exits}  last contact {last}"
                    )
                )
    return EXIT_OK


def _setting_value(key: str, text: str) -> Any:
    """A command-line value as the setting's type (the kiosk's default tells the type)."""
    default = getattr(Settings(), key)
    if isinstance(default, str):
        return text
    if isinstance(default, bool):
        lowered = text.strip().lower()
        if lowered not in ("true", "false", "1", "0", "yes", "no"):
            raise CliError(f"{key}: {text!r} is not true or false")
        return lowered in ("true", "1", "yes")
    if isinstance(default, int):
        try:
            return int(text)
        except ValueError as exc:
            raise CliError(f"{key}: {text!r} is not a whole number") from exc
    if isinstance(default, tuple):
        if text.lstrip().startswith("["):
            try:
                return json.loads(text)
            except ValueError as exc:
                raise CliError(f"{key}: {text!r} is not a JSON list") from exc
        return [part.strip() for part in text.split(",") if part.strip()]
    raise CliError(f"{key}: cannot set this setting from the command line")


def cmd_checkpoint_settings(args: argparse.Namespace) -> int:
    changes: dict[str, Any] = {}
    for pair in args.pairs:
        key, sep, text = pair.partition("=")
        key = key.strip()
        if not sep:
            raise CliError(f"{pair!r}: expected KEY=VALUE")
        if key not in SERVER_SETTINGS:
            raise CliError(
                f"{key!r} is not a server-managed setting ({', '.join(SERVER_SETTINGS)})"
            )
        changes[key] = _setting_value(key, text)
    for key in args.unset or ():
        if key not in SERVER_SETTINGS:
            raise CliError(
                f"{key!r} is not a server-managed setting ({', '.join(SERVER_SETTINGS)})"
            )
        changes[key] = None
    if not changes:
        raise CliError("nothing to change: give KEY=VALUE pairs or --unset KEY")
    with _storage(args, create=False) as storage:
        checkpoint = _find_checkpoint(storage, args.checkpoint)
        try:
            updated = storage.update_checkpoint_settings(checkpoint.id, changes)
        except (InvalidInput, UnknownCheckpoint) as exc:
            raise CliError(str(exc)) from exc
    _print_json(
        {
            "id": updated.id,
            "version": updated.config_version,
            "settings": updated.kiosk_settings(),
        }
    )
    return EXIT_OK


def cmd_events(args: argparse.Namespace) -> int:
    with _storage(args, create=False) as storage:
        if args.checkpoint is not None and storage.checkpoint(args.checkpoint) is None:
            raise CliError(f"no checkpoint {printable(args.checkpoint)!r}")
        key = storage.authority_key() if args.reveal else None
        for stored in storage.events(args.checkpoint):
            event = stored.event
            revealed = None
            if key is not None:
                sealed = base64.b64decode(event.sealed) if event.sealed else None
                revealed = reveal(key, event.event_id, event.seal_key, sealed)
            if args.json:
                data = stored.to_json()
                if revealed is not None:
                    data["personal"] = revealed.to_json()
                _print_json(data)
                continue
            name = event.display_name or "-"
            if revealed is not None:
                name = (
                    f"{revealed.fields.get('full_name') or '-'} "
                    f"{revealed.fields.get('id_number') or ''} {revealed.fields.get('phone') or ''}"
                    if revealed.opened == OPENED
                    else f"{name} ({revealed.opened})"
                )
            print(
                printable(
                    f"{to_iso(stored.corrected_time)[:19]}Z {stored.clock_flag:10} "
                    f"{event.checkpoint_id}  {event.direction.upper():3} {event.verdict:6} "
                    f"{event.reason:20} {event.kind:12} {name}  "
                    f"device {stored.device_id}"
                )
            )
    return EXIT_OK


def cmd_authority_key(args: argparse.Namespace) -> int:
    """The public half of the authority key, for a kiosk installed before it can enroll."""
    with _storage(args, create=False) as storage:
        public = storage.authority_key().public
    print(public.to_text())
    print(f"key id {public.key_id}", file=sys.stderr)
    return EXIT_OK


def cmd_decrypt_export(args: argparse.Namespace) -> int:
    source = Path(args.file)
    target = Path(args.output) if args.output else source.with_suffix(".opened.csv")
    if target.resolve() == source.resolve():
        raise CliError("the output must be another file than the export")
    with _storage(args, create=False) as storage:
        key = storage.authority_key()
    try:
        counts = decrypt_export(key, source, target)
    except ExportFileError as exc:
        raise CliError(str(exc), EXIT_DATA) from exc
    except OSError as exc:
        raise CliError(f"cannot write {target}: {exc.strerror}", EXIT_DATA) from exc
    summary = ", ".join(f"{n} {what}" for what, n in sorted(counts.items())) or "no rows"
    print(printable(f"{target}: {summary}"), file=sys.stderr)
    if counts.get(OTHER_KEY) or counts.get(BROKEN):
        print(
            "some rows did not open: they were sealed to another authority key or are damaged",
            file=sys.stderr,
        )
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    """The deployment's figures for a day (the day in the kiosks' default time zone), or one
    checkpoint's day hour by hour (in its own time zone)."""
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(Settings().timezone)
    try:
        day = dt.date.fromisoformat(args.day) if args.day else _now().astimezone(zone).date()
    except ValueError as exc:
        raise CliError(f"--day {args.day!r}: expected YYYY-MM-DD") from exc
    with _storage(args, create=False) as storage:
        if args.checkpoint is None:
            figures = storage.daily_figures(day)
            if args.json:
                _print_json(figures.to_json())
            else:
                print(
                    f"{day.isoformat()}: {figures.checkpoints} checkpoints "
                    f"({figures.new_checkpoints} new), {figures.active_checkpoints} active, "
                    f"{figures.scans} scans, {figures.entries} admitted entries, "
                    f"{figures.people} people"
                )
            return EXIT_OK
        checkpoint = _find_checkpoint(storage, args.checkpoint)
        hours = storage.checkpoint_day(checkpoint.id, day)
    if args.json:
        _print_json(hours.to_json())
        return EXIT_OK
    print(printable(f"{checkpoint.name} ({checkpoint.id}), {day.isoformat()}"))
    for hour in hours.hours:
        if hour.entries or hour.exits or hour.refused:
            print(
                f"{hour.start:%H:%M}  in {hour.entries:5}  out {hour.exits:5}  "
                f"refused {hour.refused:4}"
            )
    return EXIT_OK


def cmd_revoke(args: argparse.Namespace) -> int:
    with _storage(args, create=False) as storage:
        if not storage.revoke_device(args.device_id, _now()):
            raise CliError(f"no device {printable(args.device_id)!r}")
    print(printable(f"device {args.device_id} revoked"), file=sys.stderr)
    return EXIT_OK


def _read_json_file(path: Path) -> Any:
    try:
        return json.loads(path.read_bytes().decode("utf-8"))
    except OSError as exc:
        raise CliError(f"cannot read {path}: {exc.strerror or exc}") from exc
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise CliError(f"{path} is not UTF-8 JSON: {exc}") from exc


def cmd_status_list(args: argparse.Namespace) -> int:
    path = Path(args.file)
    data = _read_json_file(path)
    raw = data.get("entries") if isinstance(data, dict) else data
    if not isinstance(raw, list):
        raise CliError(f'{path}: expected a list of entries or {{"entries": [...]}}')
    entries = []
    for index, item in enumerate(raw):
        if isinstance(item, dict) and "code" in item and "person_key" not in item:
            raise CliError(f"{path}: entries[{index}]: give person_key (codes are not accepted)")
        try:
            entries.append(StatusEntry.from_json(item))
        except ProtocolError as exc:
            raise CliError(f"{path}: entries[{index}]: {exc}") from exc
    with _storage(args) as storage:
        try:
            version = storage.load_status_list(entries, _now())
        except InvalidInput as exc:
            raise CliError(f"{path}: {exc}") from exc
    _print_json({"version": version, "entries": len(entries)})
    return EXIT_OK


def cmd_trust_list(args: argparse.Namespace) -> int:
    from checkpoint_common.trustlist import TrustList, TrustListError

    path = Path(args.file)
    try:
        # The kiosk's own parser: whatever it would refuse is refused here, before any kiosk.
        TrustList.from_file(path)
    except TrustListError as exc:
        raise CliError(str(exc)) from exc
    data = _read_json_file(path)
    keys = [
        {k: v for k, v in entry.items() if k in ("kid", "certificate", "public_key")}
        for entry in data["keys"]
    ]
    with _storage(args) as storage:
        try:
            loaded = storage.load_trust_list(data["version"], keys, _now())
        except InvalidInput as exc:
            raise CliError(f"{path}: {exc}") from exc
    _print_json({"version": data["version"], "keys": len(keys), "changed": loaded})
    return EXIT_OK


def cmd_migrate(args: argparse.Namespace) -> int:
    """Bring the database to this server's schema: creates it when empty, upgrades it when
    older (SQLite: after a backup copy beside the file; PostgreSQL: take a pg_dump first,
    docs/central.md), refuses a newer one (exit 3)."""
    location = _location(args)
    backup = prepare(location, upgrade=True)
    _print_json({"schema": head(), "backup": str(backup) if backup else None})
    print(f"kiosk-central: {location} is at schema {head()}", file=sys.stderr)
    return EXIT_OK


def cmd_stats(args: argparse.Namespace) -> int:
    with _storage(args, create=False) as storage:
        _print_json(storage.stats().to_json())
    return EXIT_OK


# -- parser ----------------------------------------------------------------------------------


def _retention_option(parser: argparse.ArgumentParser, what: str) -> None:
    from central.serving import DEFAULT_RETENTION_DAYS

    parser.add_argument(
        "--retention-days",
        type=int,
        default=DEFAULT_RETENTION_DAYS,
        metavar="DAYS",
        help=f"{what} (whole UTC days; default {DEFAULT_RETENTION_DAYS}, as the kiosks"
        + ("; 0: keep forever)" if "hour" in what else ")"),
    )


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    where = common.add_mutually_exclusive_group()
    where.add_argument(
        "--db",
        metavar="PATH",
        help=f"an SQLite database file (default: ${DATABASE_URL_ENV}, else ${DB_ENV}, "
        f"else ./{DEFAULT_DB})",
    )
    where.add_argument(
        "--database-url",
        metavar="URL",
        help="postgresql://USER[:PASSWORD]@HOST:PORT/DB (or sqlite:///PATH); "
        f"default: ${DATABASE_URL_ENV}",
    )
    common.add_argument("-v", "--verbose", action="store_true", help="log to stderr")
    parser = argparse.ArgumentParser(
        prog="kiosk-central", description="Reference central server for checkpoint kiosks."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("serve", parents=[common], help="run the HTTP server")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (8000; 0 picks a free one)")
    p.add_argument(
        "--rate-limit",
        type=float,
        default=None,
        metavar="PER_MINUTE",
        help="requests per minute per device, over it 429 with Retry-After (default: no limit)",
    )
    p.add_argument("--burst", type=int, default=10, help="requests allowed at once (10)")
    p.add_argument(
        "--declaration-rate-limit",
        type=float,
        default=20,
        metavar="PER_MINUTE",
        help="health declarations per minute per client address (20; 0: no limit)",
    )
    p.add_argument(
        "--declaration-burst", type=int, default=10, help="declarations allowed at once (10)"
    )
    p.add_argument(
        "--declaration-valid-hours",
        type=int,
        default=24,
        help="how long a declaration's QR code counts at the gate (24)",
    )
    p.add_argument("--tls-cert", metavar="PEM", help="serve HTTPS with this certificate chain")
    p.add_argument("--tls-key", metavar="PEM", help="... and this private key")
    p.add_argument(
        "--log-level", default="info", choices=("critical", "error", "warning", "info", "debug")
    )
    p.add_argument(
        "--workers",
        type=int,
        default=1,
        metavar="N",
        help="server processes (1; PostgreSQL only: SQLite stays at one, and says why)",
    )
    _retention_option(p, "keep events this many days after receipt, purged every hour")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser(
        "enrollment-code",
        parents=[common],
        help="print a one-time enrollment code (creates the checkpoint if new)",
    )
    p.add_argument("--checkpoint", required=True, metavar="NAME", help="checkpoint name (or id)")
    p.add_argument(
        "--valid-hours", type=float, default=ENROLLMENT_CODE_HOURS, help="validity (24 h)"
    )
    p.set_defaults(func=cmd_enrollment_code)

    p = sub.add_parser("checkpoints", parents=[common], help="list checkpoints with today's counts")
    p.add_argument("--json", action="store_true", help="one JSON object per checkpoint")
    p.set_defaults(func=cmd_checkpoints)

    p = sub.add_parser(
        "checkpoint-settings",
        parents=[common],
        help="set server-managed settings of a checkpoint (bumps its config version)",
    )
    p.add_argument("--checkpoint", required=True, metavar="ID", help="checkpoint id (or name)")
    p.add_argument("pairs", nargs="*", metavar="KEY=VALUE", help="e.g. capacity=300")
    p.add_argument("--unset", action="append", metavar="KEY", help="stop managing KEY")
    p.set_defaults(func=cmd_checkpoint_settings)

    p = sub.add_parser("events", parents=[common], help="list stored events in arrival order")
    p.add_argument("--checkpoint", metavar="ID", help="only this checkpoint's")
    p.add_argument("--json", action="store_true", help="one JSON object per event")
    p.add_argument(
        "--reveal",
        action="store_true",
        help="open the sealed personal data (names, ID numbers, phones): for contact tracing",
    )
    p.set_defaults(func=cmd_events)

    p = sub.add_parser(
        "decrypt-export",
        parents=[common],
        help="open the sealed personal data of a kiosk's CSV export (taken at an offline site)",
    )
    p.add_argument("file", help="the CSV written by `kiosk export` or the kiosk's admin screen")
    p.add_argument("-o", "--output", help="where to write (default: FILE.opened.csv)")
    p.set_defaults(func=cmd_decrypt_export)

    p = sub.add_parser(
        "authority-key",
        parents=[common],
        help="print the public key kiosks seal personal data to (for an offline installation)",
    )
    p.set_defaults(func=cmd_authority_key)

    p = sub.add_parser(
        "report",
        parents=[common],
        help="a day's figures (checkpoints, active, scans, people), or one checkpoint's hours",
    )
    p.add_argument("--day", metavar="YYYY-MM-DD", help="the day (default: today)")
    p.add_argument("--checkpoint", metavar="ID", help="this checkpoint's day, hour by hour")
    p.add_argument("--json", action="store_true", help="one JSON object")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("revoke", parents=[common], help="revoke a device's token (403)")
    p.add_argument("device_id")
    p.set_defaults(func=cmd_revoke)

    p = sub.add_parser(
        "status-list",
        parents=[common],
        help='load a full status list [{"person_key", "colour", "valid_until"}] as a new version',
    )
    p.add_argument("file")
    p.set_defaults(func=cmd_status_list)

    p = sub.add_parser("trust-list", parents=[common], help="load an EU DCC trust-list file")
    p.add_argument("file")
    p.set_defaults(func=cmd_trust_list)

    p = sub.add_parser(
        "migrate",
        parents=[common],
        help="create or upgrade the database's schema (PostgreSQL: after a pg_dump)",
    )
    p.set_defaults(func=cmd_migrate)

    p = sub.add_parser("stats", parents=[common], help="counts, replays and conflicts (JSON)")
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser(
        "purge",
        parents=[common],
        help="delete events received more than --retention-days ago (serve does it hourly)",
    )
    _retention_option(p, "delete events received more than this many days ago")
    p.set_defaults(func=cmd_purge)

    # The authority's offline signing keys: no database (central/authority.py).
    authority.register(sub)
    # Console accounts and tracing from an identifier (central/commands.py).
    from central import commands

    commands.register(sub, common)
    # Citizens' health declarations: the signing key, reading them (central/declare).
    from central.declare import commands as declare_commands

    declare_commands.register(sub, common)
    return parser


def _fail(message: str, code: int) -> NoReturn:
    print(f"kiosk-central: {printable(message)}", file=sys.stderr)
    sys.exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    os.umask(0o077)  # the database holds personal data: owner only
    args = build_parser().parse_args(argv)
    # Tracebacks without exception messages (they may quote a payload or a name): the kiosk's
    # SafeFormatter, for the server's own logs and uvicorn's (log_config=None in serve).
    setup_logging(logging.INFO if args.verbose or args.command == "serve" else logging.WARNING)
    install_crash_hooks(log)
    try:
        return int(args.func(args))
    except CliError as exc:
        _fail(str(exc), exc.code)
    except (InvalidInput, UnknownCheckpoint, InvalidDatabaseUrl) as exc:
        _fail(str(exc), EXIT_USAGE)
    except StorageError as exc:
        _fail(str(exc), EXIT_DATA)
    except UnicodeEncodeError:
        # An argument with bytes that are not UTF-8 (Python keeps them as lone surrogates).
        _fail("an argument or file is not valid UTF-8 text", EXIT_USAGE)
    except DBAPIError as exc:
        # The driver's first line names the problem; no statement, no parameters, no password.
        _fail(f"database unusable: {describe_failure(exc)}", EXIT_DATA)
    except BrokenPipeError:
        # `kiosk-central events | head`: the reader went away; that is not an error.
        sys.stderr.close()
        return EXIT_OK
    except OSError as exc:
        # serve: the address is taken or not ours to bind; otherwise the database's directory.
        _fail(f"{exc.strerror or exc}", EXIT_USAGE if args.command == "serve" else EXIT_DATA)


if __name__ == "__main__":
    sys.exit(main())
