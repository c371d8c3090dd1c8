"""`kiosk-central user ...` (console accounts) and `kiosk-central trace` (contact tracing from an
identifier), registered in central.cli by one hook (`register`). Exit codes as every command
(central.cli), plus **4** for a trace that finds no record of the person.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import sys
from typing import Any

from central import cli, tracing
from central.console import audit
from central.console.accounts import ROLES, AccountError, Accounts
from central.reveal import OPENED, Revealed
from central.storage import Storage
from checkpoint_common.personkey import candidate_identities
from checkpoint_common.safelog import printable
from checkpoint_common.timefmt import to_iso

EXIT_NOT_FOUND = 4


def _audit(storage: Storage, action: str, now: dt.datetime, **values: Any) -> None:
    """An audit row for a command (the operator at the server's command line)."""
    audit.record(
        storage.db, actor=audit.COMMAND_LINE, role="operator", action=action, now=now, **values
    )


def _password(args: argparse.Namespace) -> str:
    """The new password: stdin's first line with --password-stdin, else asked twice on a
    terminal (never an argument: it would show in `ps` and the shell's history)."""
    if args.password_stdin:
        line = sys.stdin.readline()
        return line.rstrip("\r\n")
    if not sys.stdin.isatty():
        raise cli.CliError("give the password on standard input with --password-stdin")
    first = getpass.getpass("password: ")
    if getpass.getpass("again: ") != first:
        raise cli.CliError("the two passwords differ")
    return first


def cmd_user_add(args: argparse.Namespace) -> int:
    password = _password(args)
    now = cli._now()
    with cli._storage(args) as storage:
        accounts = Accounts(storage.db)
        checkpoint_ids = [cli._find_checkpoint(storage, c).id for c in args.checkpoint or ()]
        try:
            user = accounts.add(args.name, args.role, password, now, checkpoint_ids)
        except AccountError as exc:
            raise cli.CliError(str(exc)) from exc
        _audit(
            storage,
            audit.ACCOUNT_ADDED,
            now,
            subject=user.name,
            detail={"role": user.role, "checkpoints": list(user.checkpoints)},
        )
    print(printable(f"account {user.name} ({user.role}) added"), file=sys.stderr)
    return cli.EXIT_OK


def cmd_user_list(args: argparse.Namespace) -> int:
    with cli._storage(args, create=False) as storage:
        users = Accounts(storage.db).all()
    for user in users:
        data = {
            "name": user.name,
            "role": user.role,
            "checkpoints": list(user.checkpoints),
            "disabled": user.disabled,
            "locked_until": to_iso(user.locked_until) if user.locked_until else None,
            "last_login_at": to_iso(user.last_login_at) if user.last_login_at else None,
        }
        if args.json:
            cli._print_json(data)
        else:
            state = "disabled" if user.disabled else "active"
            where = f"  checkpoints {','.join(user.checkpoints)}" if user.checkpoints else ""
            print(printable(f"{user.name}  {user.role}  {state}{where}"))
    return cli.EXIT_OK


def cmd_user_disable(args: argparse.Namespace) -> int:
    now = cli._now()
    with cli._storage(args, create=False) as storage:
        try:
            Accounts(storage.db).disable(args.name, now)
        except AccountError as exc:
            raise cli.CliError(str(exc)) from exc
        _audit(storage, audit.ACCOUNT_DISABLED, now, subject=args.name)
    print(printable(f"account {args.name} disabled; its sessions ended"), file=sys.stderr)
    return cli.EXIT_OK


def cmd_user_password(args: argparse.Namespace) -> int:
    password = _password(args)
    now = cli._now()
    with cli._storage(args, create=False) as storage:
        try:
            Accounts(storage.db).set_password(args.name, password, now)
        except AccountError as exc:
            raise cli.CliError(str(exc)) from exc
        _audit(storage, audit.PASSWORD_CHANGED, now, subject=args.name)
    print(printable(f"password of {args.name} changed; its sessions ended"), file=sys.stderr)
    return cli.EXIT_OK


def _date(text: str, *, end: bool) -> dt.datetime:
    """A --from/--to value: YYYY-MM-DD (a whole day in Vietnam's time, Asia/Ho_Chi_Minh) or an
    ISO 8601 time."""
    zone = tracing.checkpoint_zone(None)
    try:
        if len(text) == 10:
            day = dt.date.fromisoformat(text)
            if end:
                day += dt.timedelta(days=1)
            return dt.datetime.combine(day, dt.time(), tzinfo=zone).astimezone(dt.UTC)
        moment = dt.datetime.fromisoformat(text)
    except ValueError as exc:
        raise cli.CliError(f"{text!r}: expected YYYY-MM-DD or an ISO 8601 time") from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment.astimezone(dt.UTC)


def _personal_json(revealed: Revealed | None) -> dict[str, Any] | None:
    return None if revealed is None else revealed.to_json()


def _who(revealed: Revealed | None) -> str:
    if revealed is None:
        return ""
    if revealed.opened != OPENED:
        return f" ({revealed.opened})"
    f = revealed.fields
    parts = [f.get("full_name"), f.get("id_number"), f.get("phone"), f.get("address")]
    return "  " + " · ".join(str(p) for p in parts if p)


def cmd_trace(args: argparse.Namespace) -> int:
    if args.margin < 0:
        raise cli.CliError("--margin must not be negative")
    now = cli._now()
    start = _date(args.date_from, end=False) if args.date_from else None
    end = _date(args.date_to, end=True) if args.date_to else None
    if end is not None and end > now:
        end = now
    with cli._storage(args, create=False) as storage:
        try:
            result = tracing.trace(
                storage,
                args.identifier,
                now=now,
                start=start,
                end=end,
                margin=dt.timedelta(minutes=args.margin),
                reveal_personal=args.reveal,
            )
        except tracing.TraceInputError as exc:
            raise cli.CliError(str(exc)) from exc
        _audit(
            storage,
            audit.REVEAL if args.reveal else audit.TRACE,
            now,
            subject=result.keys[0][:12] if result.keys else None,
            people=result.people(),
            detail={
                "searched_as": list(result.understood_as),
                "visits": len(result.visits),
                "from": to_iso(result.start),
                "to": to_iso(result.end),
                "margin_min": args.margin,
            },
        )
    period = f"{to_iso(result.start)[:16]}Z to {to_iso(result.end)[:16]}Z"
    if not result.found:
        what = (
            "not an ID, phone, BHYT or QID number, nor a personal code's text"
            if not result.understood_as and not candidate_identities(args.identifier).identities
            else f"searched as {', '.join(result.understood_as)}"
        )
        print(f"kiosk-central: no record of this person ({what}) in {period}", file=sys.stderr)
        return EXIT_NOT_FOUND
    for index, visit in enumerate(result.visits):
        name = result.checkpoint_name(visit.checkpoint_id)
        if args.json:
            cli._print_json(
                {
                    "visit": index,
                    "checkpoint_id": visit.checkpoint_id,
                    "checkpoint": name,
                    "in_time": to_iso(visit.in_time),
                    "out_time": to_iso(visit.out_time) if visit.out_time else None,
                    "closed": visit.closed,
                    **(
                        {"personal": _personal_json(result.visit_personal[index])}
                        if args.reveal
                        else {}
                    ),
                }
            )
        else:
            out = to_iso(visit.out_time)[:16] + "Z" if visit.out_time else visit.closed
            print(printable(f"visit {index + 1}: {name}  {to_iso(visit.in_time)[:16]}Z → {out}"))
        for contact in (c for c in result.contacts if c.visit == index):
            stay = contact.stay
            if args.json:
                data = {
                    "visit": index,
                    "person_key": stay.person_key,
                    "checkpoint_id": stay.checkpoint_id,
                    "checkpoint": name,
                    "kind": stay.kind,
                    "display_name": stay.display_name,
                    "in_time": to_iso(stay.in_time),
                    "out_time": to_iso(stay.out_time) if stay.out_time else None,
                    "closed": stay.closed,
                    "overlap_s": contact.overlap_s,
                }
                if args.reveal:
                    data["personal"] = _personal_json(contact.personal)
                cli._print_json(data)
                continue
            out = to_iso(stay.out_time)[11:16] + "Z" if stay.out_time else stay.closed
            print(
                printable(
                    f"  {to_iso(stay.in_time)[:16]}Z → {out}  together "
                    f"{contact.overlap_minutes} min  {stay.kind:12} {stay.display_name or '-'}  "
                    f"{stay.person_key}{_who(contact.personal)}"
                )
            )
    print(
        f"{result.people()} contacts in {len(result.visits)} visits (margin {args.margin} min, "
        f"{period})",
        file=sys.stderr,
    )
    return cli.EXIT_OK


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add `user` and `trace` to kiosk-central's subparsers."""
    p = sub.add_parser(
        "trace",
        parents=[common],
        help="contacts of a person across all checkpoints, from an identifier",
        description="IDENTIFIER: a CCCD/CMND number, a phone number, a BHYT card number, a "
        "personal-QR QID, the full text of a scanned code, or a person key. Exit 4 when there "
        "is no record of the person in the period.",
    )
    p.add_argument("identifier")
    p.add_argument("--from", dest="date_from", metavar="DATE", help="YYYY-MM-DD (14 days ago)")
    p.add_argument("--to", dest="date_to", metavar="DATE", help="YYYY-MM-DD (today)")
    p.add_argument("--margin", type=int, default=15, help="minutes before and after (15)")
    p.add_argument("--json", action="store_true", help="one JSON object per visit and contact")
    p.add_argument(
        "--reveal",
        action="store_true",
        help="open the sealed personal data (names, ID numbers, phones); audited",
    )
    p.set_defaults(func=cmd_trace)

    user = sub.add_parser("user", help="web console accounts")
    user.set_defaults(verbose=False)
    commands = user.add_subparsers(dest="user_command", required=True)
    p = commands.add_parser("add", parents=[common], help="a new account")
    p.add_argument("name")
    p.add_argument("--role", required=True, choices=ROLES)
    p.add_argument(
        "--checkpoint",
        action="append",
        metavar="ID",
        help="a site manager's checkpoint (id or name; repeat for more)",
    )
    p.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    p.set_defaults(func=cmd_user_add)
    p = commands.add_parser("list", parents=[common], help="the accounts")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_user_list)
    p = commands.add_parser("disable", parents=[common], help="disable an account")
    p.add_argument("name")
    p.set_defaults(func=cmd_user_disable)
    p = commands.add_parser("password", parents=[common], help="set an account's password")
    p.add_argument("name")
    p.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    p.set_defaults(func=cmd_user_password)


__all__ = ["EXIT_NOT_FOUND", "register"]
