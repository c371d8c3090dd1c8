"""`kiosk-central authority ...`: the health authority's signing keys, made and used offline.

Kiosks believe only documents signed by the authority's root key, or by an online key the root
delegated some document types to (checkpoint_common.signing; the chain of trust is in
docs/protocol.md, the operator's steps in docs/central.md "The authority's keys, offline").
These commands need no database and no network: run the root's on an offline machine; only an
online key, its delegation and signed envelopes ever go to the serving host.

    authority make-root --out ROOT.key [--passphrase-file F]      a root key (or the next one)
    authority make-online --out ONLINE.key [--passphrase-file F]   an online key (serving host)
    authority delegate --key ROOT.key --to ONLINE.pub --types config,status_list
                       --days 90 --version N [--audience ID] [-o DELEGATION.json]
    authority sign --key KEY --type TYPE --version N [--audience ID] [--root ROOT.pub]
                   [--delegation DELEGATION.json] [-o OUT] FILE   FILE: the content (JSON)
    authority rotate --key OLD_ROOT.key --new NEW_ROOT.key --version N [-o OUT]
    authority fingerprint KEY                                      KEY: .pub, .key or base64

Private keys are PKCS#8 PEM files written with mode 0600 (encrypted with the passphrase file's
first line when one is given), never overwritten; the public half goes beside them as
`NAME.pub` (one line of base64). Envelopes are UTF-8 JSON. `sign` checks the content with the
parser a kiosk uses (a trust list, a sealing key, a status list, server-managed settings) and
verifies the envelope it made before printing it: what it signs, a kiosk accepts.

Exit codes as every `kiosk-central` command: 0 done, 2 bad usage or input, 3 a file cannot be
written or read.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from checkpoint_common.protocol import DEPLOYMENT_SETTINGS, SERVER_SETTINGS
from checkpoint_common.safelog import printable
from checkpoint_common.settings import ConfigError, Settings, validate
from checkpoint_common.signing import (
    DELEGABLE_TYPES,
    DocType,
    Document,
    Envelope,
    SignedDocumentError,
    SigningKey,
    StatusListChange,
    VerifyKey,
    delegate,
    max_bytes_for,
    rotate,
    sealing_key_of,
    sign,
    verify_document,
)
from checkpoint_common.trustlist import TrustList, TrustListError

EXIT_OK = 0
EXIT_USAGE = 2
EXIT_FILE = 3

# Types `sign` signs from a content file; delegations and rotations have their own commands.
_SIGNABLE = ("config", "status_list", "trust_list", "sealing_key")


class AuthorityError(Exception):
    """A command that cannot be done; the message says why, `code` is the exit code."""

    def __init__(self, message: str, code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.code = code


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


# -- files ------------------------------------------------------------------------------------


def _passphrase(path: str | None) -> bytes | None:
    if not path:
        return None
    try:
        line = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise AuthorityError(f"cannot read the passphrase file {path}: {exc}", EXIT_FILE) from exc
    if not line or not line[0]:
        raise AuthorityError(f"the passphrase file {path} starts with an empty line")
    return line[0].encode("utf-8")


def _write_new(path: Path, data: bytes, mode: int) -> None:
    """Create `path` with `mode`; never replace an existing file (a key must not be lost)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    except FileExistsError as exc:
        raise AuthorityError(f"{path} exists: not replaced (move it away first)") from exc
    except OSError as exc:
        raise AuthorityError(f"cannot create {path}: {exc.strerror}", EXIT_FILE) from exc
    try:
        os.fchmod(fd, mode)  # whatever the umask said
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)


def _public_path(key_path: Path) -> Path:
    return key_path.with_suffix(".pub")


def _load_key(path: str, passphrase_file: str | None) -> SigningKey:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise AuthorityError(f"cannot read the key {path}: {exc.strerror}", EXIT_FILE) from exc
    passphrase = _passphrase(passphrase_file)
    if passphrase is None and b"ENCRYPTED" in data:
        raise AuthorityError(f"{path} is encrypted: give --passphrase-file")
    try:
        return SigningKey.from_pem(data, passphrase)
    except SignedDocumentError as exc:
        raise AuthorityError(f"{path}: {exc.detail}") from exc


def _public_key(text_or_path: str) -> VerifyKey:
    """A public key from base64 text, a `.pub` file, or a private key file (its public half)."""
    path = Path(text_or_path)
    if path.is_file():
        data = path.read_bytes()
        if b"PRIVATE KEY" in data:
            raise AuthorityError(
                f"{path} is a private key: give its .pub file (private keys stay where they are)"
            )
        text = data.decode("ascii", errors="replace").strip()
    else:
        text = text_or_path
    try:
        return VerifyKey.from_text(text)
    except SignedDocumentError as exc:
        raise AuthorityError(f"{printable(text_or_path)[:80]}: {exc.detail}") from exc


def _read_json(path: str, max_bytes: int) -> Any:
    try:
        with Path(path).open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise AuthorityError(f"cannot read {path}: {exc.strerror}", EXIT_FILE) from exc
    if len(data) > max_bytes:
        raise AuthorityError(f"{path} is larger than {max_bytes} bytes")
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise AuthorityError(f"{path} is not UTF-8 JSON: {exc}") from exc


def _output(envelope: Envelope, out: str | None) -> None:
    data = json.dumps(envelope.to_json(), indent=1).encode("ascii") + b"\n"
    if out:
        _write_new(Path(out), data, 0o644)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()


def _describe(key: VerifyKey) -> dict[str, str]:
    return {"public_key": key.to_text(), "fingerprint": key.fingerprint, "key_id": key.key_id}


def _make_key(out: str, passphrase_file: str | None, what: str) -> VerifyKey:
    path = Path(out)
    key = SigningKey.generate()
    passphrase = _passphrase(passphrase_file)
    public_path = _public_path(path)
    for existing in (path, public_path):
        if existing.exists():
            raise AuthorityError(f"{existing} exists: not replaced (move it away first)")
    _write_new(path, key.to_pem(passphrase), 0o600)
    _write_new(public_path, key.public.to_text().encode("ascii") + b"\n", 0o644)
    if passphrase is None:
        print(
            f"{path}: not encrypted (no --passphrase-file): keep it on an encrypted medium",
            file=sys.stderr,
        )
    print(json.dumps({"key": what, "file": str(path)} | _describe(key.public)))
    return key.public


# -- commands ---------------------------------------------------------------------------------


def cmd_make_root(args: argparse.Namespace) -> int:
    public = _make_key(args.out, args.passphrase_file, "root")
    print(
        f"root key fingerprint: {public.fingerprint}\n"
        "Give kiosks the public key (kiosk config set authority_signing_key KEY) and the "
        "fingerprint on paper for the site manager to compare. The private key never goes to "
        "the serving host.",
        file=sys.stderr,
    )
    return EXIT_OK


def cmd_make_online(args: argparse.Namespace) -> int:
    public = _make_key(args.out, args.passphrase_file, "online")
    print(
        f"online key fingerprint: {public.fingerprint}\n"
        f"Bring {_public_path(Path(args.out))} to the root's machine: "
        "kiosk-central authority delegate --key ROOT.key --to ONLINE.pub ...",
        file=sys.stderr,
    )
    return EXIT_OK


def _types(text: str) -> list[str]:
    types = sorted({part.strip() for part in text.split(",") if part.strip()})
    unknown = [t for t in types if t not in DELEGABLE_TYPES]
    if not types or unknown:
        raise AuthorityError(
            f"--types: an online key may sign only {', '.join(sorted(DELEGABLE_TYPES))}"
        )
    return types


def cmd_delegate(args: argparse.Namespace) -> int:
    if not 0 < args.days <= 366:
        raise AuthorityError("--days: from 1 to 366 (renew the delegation before it ends)")
    root = _load_key(args.key, args.passphrase_file)
    online = _public_key(args.to)
    if online == root.public:
        raise AuthorityError("--to is the root key itself: delegate to an online key")
    now = _now()
    envelope = delegate(
        root,
        online,
        types=_types(args.types),
        not_after=now + dt.timedelta(days=args.days),
        version=_version(args.version),
        issued_at=now,
        audience=args.audience,
    )
    _output(envelope, args.output)
    print(
        f"delegation version {args.version}: {online.fingerprint} may sign {args.types} "
        f"until {(now + dt.timedelta(days=args.days)).date().isoformat()}",
        file=sys.stderr,
    )
    return EXIT_OK


def _version(value: int) -> int:
    if not 1 <= value <= 2**53 - 1:
        raise AuthorityError("--version: a whole number from 1 to 2^53 - 1 that only goes up")
    return value


def _check_content(doc_type: str, content: Any) -> None:
    """Refuse to sign what a kiosk would refuse to use."""
    probe = Document(doc_type, 1, _now(), "*", content)
    try:
        if doc_type == DocType.TRUST_LIST:
            TrustList.from_json(content)
        elif doc_type == DocType.SEALING_KEY:
            sealing_key_of(probe)
        elif doc_type == DocType.STATUS_LIST:
            StatusListChange.of(probe)
        elif doc_type == DocType.CONFIG:
            _check_config(content)
    except (TrustListError, SignedDocumentError, ConfigError) as exc:
        raise AuthorityError(f"not a {doc_type} a kiosk would accept: {exc}") from exc


def _check_config(content: Any) -> None:
    if not isinstance(content, dict) or not isinstance(content.get("settings"), dict):
        raise ConfigError('a config is {"checkpoint": {...}, "settings": {...}}')
    settings = content["settings"]
    allowed = (*SERVER_SETTINGS, *DEPLOYMENT_SETTINGS)
    for key in settings:
        if key not in allowed:
            raise ConfigError(f"{key!r} is not a setting the authority manages")
    values = {k: getattr(Settings(), k) for k in allowed} | settings
    validate({k: tuple(v) if isinstance(v, list) else v for k, v in values.items()})


def cmd_sign(args: argparse.Namespace) -> int:
    doc_type = args.type
    key = _load_key(args.key, args.passphrase_file)
    delegation = None
    if args.delegation:
        try:
            delegation = Envelope.from_json(_read_json(args.delegation, 1024 * 1024))
        except SignedDocumentError as exc:
            raise AuthorityError(f"{args.delegation}: {exc.detail}") from exc
    content = _read_json(args.file, max_bytes_for(doc_type))
    _check_content(doc_type, content)
    document = Document(doc_type, _version(args.version), _now(), args.audience, content)
    try:
        document.body()
    except ValueError as exc:
        raise AuthorityError(str(exc)) from exc
    envelope = sign(document, key, delegation=delegation)
    root = _public_key(args.root) if args.root else None
    if root is None:
        root = delegation.signer if delegation is not None else key.public
    try:
        # What kiosks will do with it, now: a type the key may not sign, a delegation for
        # another key or one that has ended are found here, not at every kiosk.
        verify_document(
            envelope.to_bytes(),
            root=root,
            expected_type=doc_type,
            audience=args.audience,
            last_version=None,
            now=_now(),
        )
    except SignedDocumentError as exc:
        raise AuthorityError(f"kiosks would refuse this envelope: {exc}") from exc
    _output(envelope, args.output)
    signer = "the root" if delegation is None else "the online key"
    print(
        f"{doc_type} version {args.version} signed by {signer} {key.public.fingerprint}; "
        f"kiosks pinned to the root {root.fingerprint} accept it",
        file=sys.stderr,
    )
    return EXIT_OK


def cmd_rotate(args: argparse.Namespace) -> int:
    old = _load_key(args.key, args.passphrase_file)
    new = _load_key(args.new, args.new_passphrase_file)
    if old == new:
        raise AuthorityError("--new is the same key as --key")
    envelope = rotate(old, new, version=_version(args.version), issued_at=_now())
    _output(envelope, args.output)
    print(
        f"rotation version {args.version}: {old.public.fingerprint} -> {new.public.fingerprint}. "
        "Publish it before any document signed by the new root.",
        file=sys.stderr,
    )
    return EXIT_OK


def cmd_fingerprint(args: argparse.Namespace) -> int:
    path = Path(args.key)
    if path.is_file() and b"PRIVATE KEY" in path.read_bytes():
        public = _load_key(args.key, args.passphrase_file).public
    else:
        public = _public_key(args.key)
    print(json.dumps(_describe(public)))
    print(f"fingerprint: {public.fingerprint}", file=sys.stderr)
    return EXIT_OK


# -- registration -----------------------------------------------------------------------------


def _run(command: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Turn a command's named errors into a message and an exit code (the CLI's contract)."""

    def run(args: argparse.Namespace) -> int:
        try:
            return command(args)
        except AuthorityError as exc:
            print(f"kiosk-central authority: {printable(str(exc))}", file=sys.stderr)
            return exc.code

    return run


def register(sub: Any) -> None:
    """Add `authority` and its commands to kiosk-central's subparsers (central.cli)."""
    parser = sub.add_parser(
        "authority",
        help="the health authority's signing keys: make them offline, delegate, sign, rotate",
    )
    parser.set_defaults(verbose=False)
    commands = parser.add_subparsers(dest="authority_command", required=True)

    def passphrase(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--passphrase-file", metavar="FILE", help="the key's passphrase: the file's first line"
        )

    p = commands.add_parser("make-root", help="make a root key (offline); prints its fingerprint")
    p.add_argument("--out", required=True, metavar="ROOT.key", help="the private key file (new)")
    passphrase(p)
    p.set_defaults(func=_run(cmd_make_root))

    p = commands.add_parser("make-online", help="make an online key for the serving host")
    p.add_argument("--out", required=True, metavar="ONLINE.key", help="the private key file (new)")
    passphrase(p)
    p.set_defaults(func=_run(cmd_make_online))

    p = commands.add_parser("delegate", help="the root allows an online key some document types")
    p.add_argument("--key", required=True, metavar="ROOT.key")
    p.add_argument("--to", required=True, metavar="ONLINE.pub", help="the online public key")
    p.add_argument("--types", default="config,status_list", help="(config,status_list)")
    p.add_argument("--days", type=int, default=90, help="valid for this many days (90)")
    p.add_argument("--version", type=int, required=True, help="higher than the last delegation")
    p.add_argument("--audience", default="*", help='"*" (default) or one checkpoint id')
    p.add_argument("-o", "--output", metavar="FILE", help="write here (new) instead of stdout")
    passphrase(p)
    p.set_defaults(func=_run(cmd_delegate))

    p = commands.add_parser("sign", help="sign a document's content file: envelope JSON")
    p.add_argument("--key", required=True, metavar="KEY", help="the root's or an online key")
    p.add_argument("--type", required=True, choices=_SIGNABLE)
    p.add_argument("--version", type=int, required=True, help="higher than the last of its type")
    p.add_argument("--audience", default="*", help='"*" (default) or one checkpoint id')
    p.add_argument("--delegation", metavar="FILE", help="with an online key: its delegation")
    p.add_argument("--root", metavar="ROOT.pub", help="check against this pinned root (advised)")
    p.add_argument("-o", "--output", metavar="FILE", help="write here (new) instead of stdout")
    p.add_argument("file", metavar="FILE", help="the content (JSON)")
    passphrase(p)
    p.set_defaults(func=_run(cmd_sign))

    p = commands.add_parser("rotate", help="the old root hands over to a new root key")
    p.add_argument("--key", required=True, metavar="OLD_ROOT.key")
    p.add_argument("--new", required=True, metavar="NEW_ROOT.key", help="made with make-root")
    p.add_argument("--version", type=int, required=True, help="higher than the last rotation")
    p.add_argument("-o", "--output", metavar="FILE", help="write here (new) instead of stdout")
    passphrase(p)
    p.add_argument("--new-passphrase-file", metavar="FILE", help="the new key's passphrase")
    p.set_defaults(func=_run(cmd_rotate))

    p = commands.add_parser("fingerprint", help="a key's fingerprint, to compare with a kiosk's")
    p.add_argument("key", metavar="KEY", help="a .pub file, a key file, or the base64 key")
    passphrase(p)
    p.set_defaults(func=_run(cmd_fingerprint))
