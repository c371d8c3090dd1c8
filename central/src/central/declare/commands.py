"""`kiosk-central declaration-key` and `kiosk-central declarations` (docs/declarations.md).

    declaration-key --key ONLINE.key --delegation DELEGATION.json [--root ROOT.pub]
                    [--passphrase-file F]      install the key that signs declarations
    declaration-key --show                     its fingerprint and delegations (for kiosks:
                                               `--show --delegations` prints the file to carry)
    declarations [--since DATE] [--json] [--reveal]   list stored declarations; --reveal opens
                                               the sealed content (audited, as every reveal)

Exit codes as every kiosk-central command (central.cli).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from typing import Any

from central import authority, cli
from central.console import audit
from central.declare.service import (
    add_delegation,
    install_signer,
    load_signer,
    open_declaration,
)
from central.storage import InvalidInput
from checkpoint_common.safelog import printable
from checkpoint_common.timefmt import to_iso


def cmd_declaration_key(args: argparse.Namespace) -> int:
    now = cli._now()
    if args.show or not (args.key or args.add_delegation):
        with cli._storage(args, create=False) as storage:
            signer = load_signer(storage)
        if signer is None:
            raise cli.CliError(
                "no declaration key installed: kiosk-central declaration-key --key ONLINE.key "
                "--delegation DELEGATION.json"
            )
        if args.delegations:
            print(json.dumps({"delegations": list(signer.delegations)}, indent=1))
        else:
            cli._print_json(
                {
                    "fingerprint": signer.key.public.fingerprint,
                    "public_key": signer.key.public.to_text(),
                    "delegations": len(signer.delegations),
                }
            )
        return cli.EXIT_OK
    if args.add_delegation:
        try:
            root = authority._public_key(args.root) if args.root else None
            extra = authority._read_json(args.add_delegation, 1024 * 1024)
        except authority.AuthorityError as exc:
            raise cli.CliError(str(exc), exc.code) from exc
        with cli._storage(args) as storage:
            try:
                signer = add_delegation(storage, extra, now, root=root)
            except InvalidInput as exc:
                raise cli.CliError(str(exc)) from exc
            _audit(storage, audit.DECLARATION_KEY, now, subject="delegation added")
        print(
            f"{len(signer.delegations)} delegations served to kiosks; restart `serve`",
            file=sys.stderr,
        )
        return cli.EXIT_OK
    if not args.delegation:
        raise cli.CliError("--delegation: the root's delegation of this key (type declaration)")
    try:
        key = authority._load_key(args.key, args.passphrase_file)
        root = authority._public_key(args.root) if args.root else None
        delegation = authority._read_json(args.delegation, 1024 * 1024)
    except authority.AuthorityError as exc:
        raise cli.CliError(str(exc), exc.code) from exc
    with cli._storage(args) as storage:
        try:
            signer = install_signer(storage, key, delegation, now, root=root)
        except InvalidInput as exc:
            raise cli.CliError(str(exc)) from exc
        _audit(storage, audit.DECLARATION_KEY, now, subject=key.public.key_id)
    print(
        f"declaration key {key.public.fingerprint} installed ({len(signer.delegations)} "
        "delegations served to kiosks); restart `kiosk-central serve` to use it",
        file=sys.stderr,
    )
    return cli.EXIT_OK


def _audit(storage: Any, action: str, now: dt.datetime, **values: Any) -> None:
    audit.record(
        storage.db, actor=audit.COMMAND_LINE, role="operator", action=action, now=now, **values
    )


def _since(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError as exc:
        raise cli.CliError(f"--since {text!r}: expected YYYY-MM-DD or an ISO 8601 time") from exc
    return (moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)).astimezone(dt.UTC)


def cmd_declarations(args: argparse.Namespace) -> int:
    now = cli._now()
    since = _since(args.since)
    count = opened = 0
    with cli._storage(args, create=False) as storage:
        key = storage.authority_key() if args.reveal else None
        for record in storage.declarations(since=since):
            count += 1
            data: dict[str, Any] = {
                "declaration_id": record.declaration_id,
                "declared_at": to_iso(record.declared_at),
                "valid_until": to_iso(record.valid_until),
                "seal_key": record.seal_key,
            }
            if key is not None:
                result = open_declaration(key, record)
                data["opened"] = result.opened
                data["content"] = result.content
                opened += result.opened == "yes"
            if args.json:
                cli._print_json(data)
                continue
            line = f"{data['declared_at'][:16]}Z valid until {data['valid_until'][:16]}Z"
            content = data.get("content") or {}
            person = content.get("person") or {}
            if person:
                line += (
                    f"  {person.get('full_name')} {person.get('id_number')} "
                    f"{person.get('phone') or '-'}  {content.get('summary')}"
                    + ("  (khai hộ)" if content.get("proxy") else "")
                )
            elif key is not None:
                line += f"  ({data['opened']})"
            print(printable(line))
        if key is not None:
            # Every opening of personal data is audited (who, when, how many), never what.
            _audit(
                storage,
                audit.REVEAL,
                now,
                subject="declarations",
                people=opened,
                detail={"declarations": count, "since": to_iso(since) if since else None},
            )
    print(f"{count} declarations", file=sys.stderr)
    return cli.EXIT_OK


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add `declaration-key` and `declarations` to kiosk-central's subparsers."""
    p = sub.add_parser(
        "declaration-key",
        parents=[common],
        help="install the online key that signs health declarations (with its delegation)",
    )
    p.add_argument("--key", metavar="ONLINE.key", help="made with `authority make-online`")
    p.add_argument(
        "--delegation",
        metavar="FILE",
        help="`authority delegate --types declaration` for that key (signed by the root)",
    )
    p.add_argument(
        "--add-delegation",
        metavar="FILE",
        help="serve a newer delegation of a key that no longer signs (to end a leaked key early)",
    )
    p.add_argument("--root", metavar="ROOT.pub", help="check the delegation against this root")
    p.add_argument("--passphrase-file", metavar="FILE", help="the key's passphrase")
    p.add_argument("--show", action="store_true", help="the installed key")
    p.add_argument(
        "--delegations",
        action="store_true",
        help="with --show: print the delegations for `kiosk declaration-keys import`",
    )
    p.set_defaults(func=cmd_declaration_key)

    p = sub.add_parser(
        "declarations",
        parents=[common],
        help="list the stored health declarations (--reveal opens them: audited)",
    )
    p.add_argument("--since", metavar="DATE", help="made at or after (YYYY-MM-DD, UTC)")
    p.add_argument("--json", action="store_true", help="one JSON object per declaration")
    p.add_argument(
        "--reveal",
        action="store_true",
        help="open the sealed declarations (names, ID numbers, answers): audited",
    )
    p.set_defaults(func=cmd_declarations)


__all__ = ["register"]
