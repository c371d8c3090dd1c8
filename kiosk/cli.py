"""`kiosk` command line: the same gate path as the screen, for operators, scripts and tests.

Exit codes (the same for every command):
  0  done
  2  bad usage or bad input (argparse, unknown setting, bad date, unreadable file)
  3  the data directory cannot be used (database from a newer version, not a database,
     bad trust list, bad settings file)
  4  the scan was NOT recorded (the database refused the commit, or the disk is full);
     `kiosk trace`: no record of this person on this kiosk
  5  refused for safety (purge on a clock that jumped forward)
  6  sync did not complete: not enrolled, enrollment refused, server unreachable, records
     still waiting (`kiosk sync --once`)
  7  `kiosk doctor` found a blocking problem
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import logging
import os
import sqlite3
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, NoReturn

from checkpoint_common.safelog import SafeFormatter, install_crash_hooks, printable
from checkpoint_common.signing import VerifyKey
from kiosk import declarations as declaration_keys
from kiosk.clock import SystemClock, from_iso, to_iso
from kiosk.config import (
    KEYS,
    ConfigError,
    Settings,
    default_config_path,
    default_data_dir,
    load_settings,
    save_settings,
    settings_with,
)
from kiosk.credentials import PersonKeyer
from kiosk.datadir import DataDir
from kiosk.export import write_events_csv
from kiosk.formats import parse
from kiosk.gate import Gate, load_trust_list
from kiosk.reports import trace_target
from kiosk.store import PurgeRefused, RecordError, Store, StoreError, is_storage_full
from kiosk.sync.client import SyncError
from kiosk.sync.service import SyncService, enroll

EXIT_OK = 0
EXIT_USAGE = 2
EXIT_DATA = 3
EXIT_NOT_RECORDED = 4
EXIT_NO_RECORD = 4  # `kiosk trace`: no record of this person (as `kiosk-central trace`)
EXIT_REFUSED = 5
EXIT_SYNC = 6
EXIT_DOCTOR = 7

log = logging.getLogger("kiosk")


class CliError(Exception):
    def __init__(self, message: str, code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.code = code


# -- argument helpers ----------------------------------------------------------------------


def _read_text_arg(value: str) -> str | bytes:
    if value == "-":
        data = sys.stdin.buffer.read()
        # A hardware scanner or `echo` adds a line ending: parse() strips it.
        return data
    return value


def _parse_when(value: str, settings: Settings, *, end_of_day: bool = False) -> dt.datetime:
    """`today`, a local date `YYYY-MM-DD` (start of that day, or the next day's start with
    end_of_day), or an ISO date-time (no offset = local time)."""
    zone = settings.zone
    text = value.strip().lower()
    try:
        if text in ("today", "yesterday"):
            day = dt.datetime.now(zone).date() - dt.timedelta(days=1 if text == "yesterday" else 0)
        elif len(text) == 10:
            day = dt.date.fromisoformat(text)
        else:
            moment = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
            return (moment if moment.tzinfo else moment.replace(tzinfo=zone)).astimezone(dt.UTC)
    except ValueError as exc:
        raise CliError(f"{value!r} is not a date (YYYY-MM-DD), a date-time, or 'today'") from exc
    if end_of_day:
        day += dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(), tzinfo=zone).astimezone(dt.UTC)


# -- commands --------------------------------------------------------------------------------


def _data_dir(args: argparse.Namespace) -> Path:
    return Path(args.data_dir) if args.data_dir else default_data_dir()


def _open_gate(args: argparse.Namespace, settings: Settings) -> Gate:
    return Gate.open(_data_dir(args), settings, SystemClock())


def cmd_parse(args: argparse.Namespace, settings: Settings) -> int:
    data = DataDir(_data_dir(args))
    keyer = PersonKeyer(data.person_secret())
    now = dt.datetime.now(dt.UTC)
    credential = parse(
        _read_text_arg(args.text),
        keyer=keyer,
        trust=load_trust_list(settings, _data_dir(args)),
        now=now,
        declarations=declaration_keys.load(settings, data, now),
    )
    _print_json(credential.to_json())
    return EXIT_OK


def cmd_scan(args: argparse.Namespace, settings: Settings) -> int:
    gate = _open_gate(args, settings)
    try:
        outcome = gate.scan(_read_text_arg(args.text), mode=args.gate)
    finally:
        gate.close()
    _print_json(outcome.to_json())
    return EXIT_OK


def _events_in(
    args: argparse.Namespace,
    settings: Settings,
    since: dt.datetime | None,
    until: dt.datetime | None,
) -> Iterator[Any]:
    gate = _open_gate(args, settings)
    try:
        yield from gate.store.events(since=since, until=until)
    finally:
        gate.close()


def cmd_log(args: argparse.Namespace, settings: Settings) -> int:
    since = _parse_when(args.since, settings) if args.since else None
    zone = settings.zone
    for event in _events_in(args, settings, since, None):
        if args.json:
            _print_json(event.to_json())
            continue
        local = event.device_time.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S")
        who = event.display_name or "-"
        if event.birth_year:
            who += f" ({event.birth_year})"
        sent = "sent" if event.delivered_at else "waiting"
        print(
            printable(
                f"{local}  {event.direction.value.upper():3}  {event.verdict.value:6}  "
                f"{event.reason.value:22} {event.kind:12} {who}  #{event.seq} {sent}"
            )
        )
    return EXIT_OK


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    start = _parse_when(args.date_from, settings)
    end = _parse_when(args.date_to, settings, end_of_day=True)
    if end <= start:
        raise CliError("--to must not be before --from")
    out = Path(args.out)
    try:
        count = write_events_csv(out, _events_in(args, settings, start, end), settings.zone)
    except OSError as exc:
        raise CliError(f"cannot write {out}: {exc.strerror or exc}") from exc
    print(f"{count} events written to {out}", file=sys.stderr)
    return EXIT_OK


def cmd_trace(args: argparse.Namespace, settings: Settings) -> int:
    gate = _open_gate(args, settings)
    try:
        # A person key, a personal code, or a bare ID/BHYT/phone number typed by hand: the
        # admin screen's resolution (kiosk.reports.trace_target).
        person_key = trace_target(gate, args.code_or_key)
        if person_key is None or gate.store.last_event(person_key) is None:
            # Never "0 contacts": that reads as an all-clear for someone never recorded here.
            print("kiosk: no record of this person on this kiosk", file=sys.stderr)
            return EXIT_NO_RECORD
        now = gate.clock.now().utc
        overlaps = gate.store.co_presence(
            person_key,
            margin=dt.timedelta(minutes=args.margin),
            now=now,
            since=_parse_when(args.date_from, settings) if args.date_from else None,
            until=_parse_when(args.date_to, settings, end_of_day=True) if args.date_to else None,
        )
    finally:
        gate.close()
    if args.json:
        for overlap in overlaps:
            _print_json(overlap.to_json())
        return EXIT_OK
    zone = settings.zone
    print(
        f"{len(overlaps)} people present at the same time as {person_key} "
        f"(margin {args.margin} min)"
    )
    for o in overlaps:
        t_in = o.in_time.astimezone(zone).strftime("%Y-%m-%d %H:%M")
        t_out = o.out_time.astimezone(zone).strftime("%H:%M") if o.out_time else "still inside"
        print(
            printable(
                f"  {t_in} - {t_out}  {o.kind:12} {o.display_name or '-':24} "
                f"{o.person_key}  together {o.overlap_s // 60} min"
            )
        )
    return EXIT_OK


def cmd_purge(args: argparse.Namespace, settings: Settings) -> int:
    gate = _open_gate(args, settings)
    try:
        result = gate.purge()
    finally:
        gate.close()
    _print_json(
        {
            "deleted_delivered": result.deleted_delivered,
            "deleted_undelivered": result.deleted_undelivered,
            "cutoff": to_iso(result.cutoff),
            "hard_cutoff": to_iso(result.hard_cutoff) if result.hard_cutoff else None,
        }
    )
    return EXIT_OK


def cmd_status_list(args: argparse.Namespace, settings: Settings) -> int:
    """Load a status list file: {"version", "entries": [{"person_key"|"code", "colour",
    "valid_until"?}]}. Until sync (#4) brings it, a health officer can load one from USB."""
    try:
        data = json.loads(Path(args.file).read_text(encoding="utf-8"))
        entries_in = data["entries"]
        version = str(data.get("version", "manual"))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise CliError(f"{args.file}: not a status list file ({exc})") from exc
    gate = _open_gate(args, settings)
    try:
        entries = []
        for i, item in enumerate(entries_in):
            colour = item.get("colour")
            if colour not in ("red", "yellow", "green"):
                raise CliError(f"entries[{i}].colour: {colour!r} is not one of red, yellow, green")
            key = item.get("person_key") or gate.person_key(
                parse(str(item.get("code", "")), keyer=gate.keyer)
            )
            until = from_iso(item["valid_until"]) if item.get("valid_until") else None
            entries.append((key, colour, until))
        count = gate.store.replace_status_list(
            entries, version=version, updated_at=gate.clock.now().utc
        )
    finally:
        gate.close()
    print(f"status list {version}: {count} entries loaded", file=sys.stderr)
    return EXIT_OK


def cmd_config(args: argparse.Namespace, settings: Settings) -> int:
    path = Path(args.config) if args.config else default_config_path()
    if args.action == "show":
        _print_json({k: getattr(settings, k) for k in KEYS} | {"_file": str(path)})
        return EXIT_OK
    key, value = args.key, args.value
    if key not in KEYS:
        raise CliError(f"unknown setting {key!r} (known: {', '.join(KEYS)})")
    current = getattr(settings, key)
    parsed: Any
    if isinstance(current, bool):
        parsed = value.lower() in ("1", "true", "yes", "on")
    elif isinstance(current, int):
        try:
            parsed = int(value)
        except ValueError as exc:
            raise CliError(f"{key}: {value!r} is not a whole number") from exc
    elif isinstance(current, tuple):
        parsed = tuple(v.strip() for v in value.split(",") if v.strip())
    else:
        parsed = value
    new = settings_with(settings, **{key: parsed})
    save_settings(new, path)
    print(f"{key} = {getattr(new, key)!r} saved to {path}", file=sys.stderr)
    if key == "authority_signing_key" and new.authority_signing_key:
        # What the site manager compares with the fingerprint the health authority gave out.
        fingerprint = VerifyKey.from_text(new.authority_signing_key).fingerprint
        print(f"fingerprint: {fingerprint} (compare it with the authority's)", file=sys.stderr)
    return EXIT_OK


def cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    """The gate loop in the terminal: frames from a source (default: the built-in demo codes),
    the camera's decoder, the real decision and a database of its own (DATA_DIR/demo, so a
    demo never mixes with real records)."""
    from kiosk.console import run_console
    from kiosk.scanner.types import SpecError

    data_dir = DataDir(_data_dir(args)).demo().root
    gate = Gate.open(data_dir, settings, SystemClock())
    print(f"DEMO MODE ({args.source}): gate log in {data_dir} (Ctrl+C to stop)")
    try:
        run_console(
            gate,
            args.source,
            out=sys.stdout,
            colour=sys.stdout.isatty(),
            max_scans=args.count,
            printable=printable,
        )
    except SpecError as exc:
        raise CliError(str(exc)) from exc
    finally:
        gate.close()
    return EXIT_OK


def _sync_service(args: argparse.Namespace, gate: Gate, config_path: Path) -> SyncService:
    def save(new: Settings) -> None:
        save_settings(new, config_path)
        gate.update_settings(new)

    return SyncService(
        data_dir=_data_dir(args),
        settings=lambda: gate.settings,
        run_store=lambda fn: fn(gate.store),  # the CLI is single-threaded: it owns the store
        clock=gate.clock,
        on_settings=save,
        on_status_list=gate.refresh_status_list_info,
        on_declaration_keys=gate.reload_declaration_keys,
    )


def cmd_enroll(args: argparse.Namespace, settings: Settings) -> int:
    config_path = Path(args.config) if args.config else default_config_path()
    gate = _open_gate(args, settings)
    try:
        device_id = gate.store.device_id
    finally:
        gate.close()
    new, name = enroll(
        data_dir=_data_dir(args),
        settings=settings,
        url=args.url,
        code=args.code,
        device_id=device_id,
        device_name=args.name or "",
    )
    save_settings(new, config_path)
    print(printable(f"enrolled as checkpoint {name!r} ({new.checkpoint_id})"), file=sys.stderr)
    if not args.no_sync:
        return cmd_sync(argparse.Namespace(**{**vars(args), "status": False}), new)
    return EXIT_OK


def cmd_sync(args: argparse.Namespace, settings: Settings) -> int:
    config_path = Path(args.config) if args.config else default_config_path()
    gate = _open_gate(args, settings)
    try:
        service = _sync_service(args, gate, config_path)
        if args.status:
            _print_json(service.status().to_json())
            return EXIT_OK
        report = service.run_once()
    finally:
        gate.close()
    _print_json(dataclasses.asdict(report))
    if report.remaining:
        print(
            f"{report.remaining} records still waiting ({report.quarantined} set aside as "
            "rejected by the server)",
            file=sys.stderr,
        )
        return EXIT_SYNC
    return EXIT_OK


def cmd_declaration_keys(args: argparse.Namespace, settings: Settings) -> int:
    """`import FILE`: accept health-declaration keys brought on a USB stick (the delegation
    file of `kiosk-central authority delegate`, or what `kiosk-central declaration-keys`
    prints), checked against the pinned root. `show`: the keys in use."""
    data = DataDir(_data_dir(args))
    now = dt.datetime.now(dt.UTC)
    if args.action == "import":
        try:
            raw = Path(args.file).read_bytes()
        except OSError as exc:
            raise CliError(f"cannot read {args.file}: {exc.strerror or exc}") from exc
        try:
            envelopes = declaration_keys.envelopes_of(json.loads(raw.decode("utf-8")))
            keys, changed = declaration_keys.accept(settings, data, envelopes, now)
        except (UnicodeDecodeError, ValueError) as exc:
            # DeclarationKeysError is a ValueError, as are JSON errors.
            raise CliError(f"{args.file}: {exc}") from exc
        print(
            f"{len(keys.keys)} declaration keys in use" + ("" if changed else " (nothing new)"),
            file=sys.stderr,
        )
    else:
        keys = declaration_keys.load(settings, data, now)
    for item in declaration_keys.describe(keys):
        _print_json(item)
    return EXIT_OK


def cmd_decode(args: argparse.Namespace, settings: Settings) -> int:
    """Read the QR code in each image file with the camera's decoder chain: one JSON line per
    file, {"file", "text", "ms"}; text is null when no code was read, and a file that is not
    a readable image gets an "error" instead. Exit 2 only when no file could be read."""
    # Imported here: OpenCV and zxing-cpp take a while to load, the other commands skip that.
    import cv2
    import numpy as np

    from kiosk.formats import decode_payload
    from kiosk.scanner.decode import ChainDecoder

    decoder = ChainDecoder()
    images_read = 0
    for name in args.images:
        try:
            data = Path(name).read_bytes()
        except OSError as exc:
            _print_json({"file": name, "text": None, "ms": None, "error": exc.strerror or str(exc)})
            continue
        image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR) if data else None
        if image is None:
            _print_json({"file": name, "text": None, "ms": None, "error": "not an image"})
            continue
        images_read += 1
        result = decoder.decode(np.ascontiguousarray(image, dtype=np.uint8))
        # Bytes that are not UTF-8 come out with backslash escapes, as everywhere in the kiosk.
        text = decode_payload(result.codes[0].payload)[0] if result.codes else None
        _print_json({"file": name, "text": text, "ms": round(result.ms, 2)})
    return EXIT_OK if images_read else EXIT_USAGE


def cmd_doctor(args: argparse.Namespace, settings: Settings) -> int:
    """Check the camera, decoders, screen libraries, fonts, sound, storage, database, server,
    token and clock; a table (or JSON lines), and EXIT_DOCTOR when something blocks."""
    from kiosk.doctor import blocking, format_table, run_checks

    def progress(name: str) -> None:
        if not args.json and sys.stderr.isatty():
            print(f"checking {name} ...", file=sys.stderr)

    checks = run_checks(settings, _data_dir(args), source=args.source, progress=progress)
    if args.json:
        for check in checks:
            _print_json(check.to_json())
    else:
        # What the server sent (a checkpoint name) is text from outside: made printable per
        # cell, so that the table's own line breaks and colours survive.
        safe = [
            dataclasses.replace(c, detail=printable(c.detail), action=printable(c.action))
            for c in checks
        ]
        print(format_table(safe, colour=sys.stdout.isatty()))
    return EXIT_DOCTOR if blocking(checks) else EXIT_OK


def cmd_backup(args: argparse.Namespace, settings: Settings) -> int:
    """A consistent copy of the database (SQLite's backup API), safe while the kiosk runs.
    DEST is a new file, or a folder (the copy is named kiosk-YYYYmmdd-HHMMSS.db in it)."""
    source = DataDir(_data_dir(args)).db
    if not source.exists():
        raise CliError(f"no database at {source}", EXIT_DATA)
    dest = Path(args.dest)
    if dest.is_dir():
        stamp = dt.datetime.now(settings.zone).strftime("%Y%m%d-%H%M%S")
        dest = dest / f"kiosk-{stamp}.db"
    store = Store.open(source)
    try:
        target = store.backup_to(dest)
    finally:
        store.close()
    print(f"backup written to {target} (personal data: keep it safe)", file=sys.stderr)
    return EXIT_OK


def _print_json(obj: object) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    sys.stdout.flush()


# -- wiring ----------------------------------------------------------------------------------


def run_app(argv: Sequence[str]) -> int:
    """`kiosk run ...`: the full-screen app. Imported by name at call time: the screen is the
    only Qt part, and every other command stays Qt-free and fast to start."""
    import importlib

    app = importlib.import_module("kiosk.ui.app")
    return int(app.main(argv))


def build_parser() -> argparse.ArgumentParser:
    def options(*, top: bool) -> argparse.ArgumentParser:
        # The options are accepted before and after the command. Below the top level their
        # default is SUPPRESS, or a subparser's default would overwrite a value given earlier.
        common = argparse.ArgumentParser(add_help=False)
        default: Any = None if top else argparse.SUPPRESS
        common.add_argument(
            "--data-dir",
            default=default,
            help="data directory (default: KIOSK_DATA_DIR or the platform's user data dir)",
        )
        common.add_argument(
            "--config",
            default=default,
            help="settings file (default: kiosk.toml in the platform's config dir)",
        )
        common.add_argument(
            "-v",
            "--verbose",
            action="store_true",
            default=False if top else argparse.SUPPRESS,
            help="log decisions to stderr",
        )
        return common

    common = options(top=False)
    parser = argparse.ArgumentParser(
        prog="kiosk", description=__doc__.split("\n")[0], parents=[options(top=True)]
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("parse", parents=[common], help="parse a scanned text, print JSON")
    p.add_argument("text", help="the scanned text, or - to read stdin")
    p.set_defaults(func=cmd_parse)

    p = sub.add_parser("scan", parents=[common], help="parse, decide and record one scan")
    p.add_argument("text", help="the scanned text, or - to read stdin")
    p.add_argument("--gate", choices=("in", "out", "auto"), help="override the gate mode")
    p.set_defaults(func=cmd_scan)

    p = sub.add_parser("log", parents=[common], help="list recorded events")
    p.add_argument("--since", help="today, YYYY-MM-DD (local) or an ISO date-time")
    p.add_argument("--json", action="store_true", help="one JSON object per event per line")
    p.set_defaults(func=cmd_log)

    p = sub.add_parser("export", parents=[common], help="write events to a CSV file")
    p.add_argument("--from", dest="date_from", required=True, help="first day, YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", required=True, help="last day (included)")
    p.add_argument("--out", required=True, help="the CSV file to write")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser(
        "trace", parents=[common], help="who was inside at the same time as a person"
    )
    p.add_argument(
        "code_or_key",
        help="the person's scanned code, their person key, or their ID, BHYT or phone number",
    )
    p.add_argument("--margin", type=int, default=15, help="minutes before and after (15)")
    p.add_argument("--from", dest="date_from", help="only the person's visits from this day")
    p.add_argument("--to", dest="date_to", help="... up to this day (included)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_trace)

    p = sub.add_parser("purge", parents=[common], help="delete events past retention")
    p.set_defaults(func=cmd_purge)

    p = sub.add_parser("status-list", parents=[common], help="load a status list file")
    p.add_argument("file")
    p.set_defaults(func=cmd_status_list)

    p = sub.add_parser("config", parents=[common], help="show or change settings")
    config_sub = p.add_subparsers(dest="action", required=True)
    config_sub.add_parser("show", parents=[common])
    s = config_sub.add_parser("set", parents=[common])
    s.add_argument("key")
    s.add_argument("value")
    p.set_defaults(func=cmd_config)

    p = sub.add_parser(
        "demo", parents=[common], help="console demo of the gate loop with example codes"
    )
    p.add_argument(
        "--source",
        default="demo",
        help="demo (default), camera:0, camera:/dev/video2, picamera, video:PATH, images:DIR",
    )
    p.add_argument("--count", type=int, help="stop after this many scans")
    p.set_defaults(func=cmd_demo)

    # Handled before parsing (main): listed here so that `kiosk --help` shows it.
    sub.add_parser("run", help="the full-screen kiosk (see `kiosk run --help`)")

    p = sub.add_parser("enroll", parents=[common], help="join a central server with a code")
    p.add_argument("url", help="the central server's address, e.g. https://central.example.vn")
    p.add_argument("code", help="the one-time enrollment code from the site manager")
    p.add_argument("--name", help="a name for this kiosk (e.g. 'cổng 1')")
    p.add_argument("--no-sync", action="store_true", help="do not sync right after enrolling")
    p.set_defaults(func=cmd_enroll)

    p = sub.add_parser("sync", parents=[common], help="deliver records / show sync status")
    mode = p.add_mutually_exclusive_group(required=True)
    mode.add_argument("--once", action="store_true", help="deliver everything, then exit")
    mode.add_argument("--status", action="store_true", help="print the sync status as JSON")
    p.set_defaults(func=cmd_sync)

    p = sub.add_parser(
        "declaration-keys",
        parents=[common],
        help="health-declaration keys: import a delegation file (offline), or show them",
    )
    keys_sub = p.add_subparsers(dest="action", required=True)
    k = keys_sub.add_parser("import", parents=[common], help="accept keys from a file")
    k.add_argument("file", help="a delegation (JSON) signed by the authority's root key")
    keys_sub.add_parser("show", parents=[common], help="the keys in use, one JSON line each")
    p.set_defaults(func=cmd_declaration_keys)

    p = sub.add_parser(
        "decode", parents=[common], help="read the QR code in image files, one JSON line each"
    )
    p.add_argument("images", nargs="+", metavar="IMAGE", help="PNG, JPEG, WebP ... files")
    p.set_defaults(func=cmd_decode)

    p = sub.add_parser(
        "doctor", parents=[common], help="check camera, disk, database, server, clock ..."
    )
    p.add_argument("--source", help="check this frame source instead of the `source` setting")
    p.add_argument("--json", action="store_true", help="one JSON object per check per line")
    p.set_defaults(func=cmd_doctor)

    p = sub.add_parser(
        "backup", parents=[common], help="copy the database safely (SQLite backup API)"
    )
    p.add_argument("dest", help="a new file, or a folder (e.g. a USB stick)")
    p.set_defaults(func=cmd_backup)
    return parser


def _fail(message: str, code: int) -> NoReturn:
    print(f"kiosk: error: {printable(message)}", file=sys.stderr)
    raise SystemExit(code)


# The options every command takes before its name: (option, takes a value).
_GLOBAL_OPTIONS = {"--data-dir": True, "--config": True, "-v": False, "--verbose": False}


def run_arguments(arguments: Sequence[str]) -> list[str] | None:
    """For `kiosk [global options] run [run options]`: the arguments of `kiosk run` (the global
    options given before `run` moved after its own, where its parser takes them); None when
    the command is not `run`. `run` is not parsed by this module's parser: its options belong
    to kiosk.ui.app, which is imported only for it (every other command stays Qt-free)."""
    index = 0
    while index < len(arguments):
        argument = arguments[index]
        if argument == "run":
            return [*arguments[index + 1 :], *arguments[:index]]
        name = argument.split("=", 1)[0]
        if name not in _GLOBAL_OPTIONS:
            return None
        takes_value = _GLOBAL_OPTIONS[name] and "=" not in argument
        index += 2 if takes_value else 1
    return None


def main(argv: Sequence[str] | None = None) -> int:
    os.umask(0o077)  # every file the kiosk makes holds personal data: owner only
    arguments = list(sys.argv[1:] if argv is None else argv)
    run_args = run_arguments(arguments)
    if run_args is not None:
        return run_app(run_args)
    args = build_parser().parse_args(arguments)
    # Tracebacks without exception messages (they may quote a payload), uncaught ones too.
    stderr = logging.StreamHandler()
    stderr.setFormatter(SafeFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, handlers=[stderr])
    install_crash_hooks(log)
    from kiosk.formats.dcc import TrustListError

    try:
        settings = load_settings(Path(args.config) if args.config else None)
        return int(args.func(args, settings))
    except CliError as exc:
        _fail(str(exc), exc.code)
    except ConfigError as exc:
        _fail(str(exc), EXIT_USAGE if args.command == "config" else EXIT_DATA)
    except RecordError as exc:
        _fail(f"NOT RECORDED: {exc}", EXIT_NOT_RECORDED)
    except PurgeRefused as exc:
        _fail(f"purge refused: {exc}", EXIT_REFUSED)
    except SyncError as exc:
        _fail(f"sync ({exc.kind}): {exc}", EXIT_SYNC)
    except (StoreError, TrustListError) as exc:
        _fail(str(exc), EXIT_DATA)
    except sqlite3.DatabaseError as exc:
        if is_storage_full(exc):  # not a broken database: no room to open or write it
            scan = args.command == "scan"
            prefix = "NOT RECORDED: " if scan else ""
            _fail(
                f"{prefix}the disk holding the data directory is full ({exc})",
                EXIT_NOT_RECORDED if scan else EXIT_DATA,
            )
        _fail(f"database unusable: {exc}", EXIT_DATA)
    except BrokenPipeError:
        # `kiosk log | head`: the reader went away; that is not an error.
        sys.stderr.close()
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
