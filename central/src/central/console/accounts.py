"""Console accounts, passwords and sessions (docs/central.md, "The web console").

Roles:
- `health-officer`: tracing, revealing personal data, the status list, exports, the overview;
- `site-manager`: their own checkpoints only (`console_user_checkpoints`): registration,
  kiosks, enrollment codes, masked visitor lists and counts;
- `admin`: accounts (from the command line), every checkpoint, the overview, the audit log.

Passwords: Argon2id (argon2-cffi's PasswordHasher: RFC 9106's second recommended parameters,
64 MiB, 3 passes), at least MIN_PASSWORD characters. A hash made with older parameters is
replaced at the next successful login.

Lockout: MAX_FAILURES wrong passwords in a row lock the account for LOCKOUT; a success resets
the count. A locked or disabled account is refused even with the right password.

Sessions: a random token (32 bytes) in a cookie; the database keeps its SHA-256 only, with a
CSRF token for the session's forms. A session ends after IDLE_TIMEOUT without a request, after
MAX_AGE in any case, at logout, and when its account is disabled or its password changed.

Thread contract: every method is one short transaction on the Database; safe from any thread.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select, update

from central.database import Database
from central.errors import StorageError
from central.schema import checkpoints, console_sessions, console_user_checkpoints, console_users

HEALTH_OFFICER = "health-officer"
SITE_MANAGER = "site-manager"
ADMIN = "admin"
ROLES = (HEALTH_OFFICER, SITE_MANAGER, ADMIN)

MIN_PASSWORD = 10
MAX_PASSWORD = 1024
MAX_FAILURES = 5
LOCKOUT = dt.timedelta(minutes=15)
IDLE_TIMEOUT = dt.timedelta(minutes=30)
MAX_AGE = dt.timedelta(hours=12)
# A session's last-seen time is written at most this often (each write is a commit).
_TOUCH = dt.timedelta(seconds=60)

_hasher = PasswordHasher()
# Verifying against this when the account does not exist takes as long as a real check, so
# the answer's timing does not tell which names exist.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


class AccountError(StorageError):
    """An account operation cannot be done (the message says why; no password in it)."""


class LoginRefused(Exception):
    """A login failed. `reason`: "credentials" (unknown name or wrong password: one answer for
    both), "locked" (`until` says when it ends), "disabled"."""

    def __init__(self, reason: str, until: dt.datetime | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.until = until


@dataclass(frozen=True, slots=True)
class User:
    name: str
    role: str
    checkpoints: tuple[str, ...]  # a site manager's; empty for the other roles
    disabled: bool
    locked_until: dt.datetime | None
    last_login_at: dt.datetime | None

    def sees_checkpoint(self, checkpoint_id: str) -> bool:
        """Whether this account may see a checkpoint's pages (admins and health officers: all)."""
        return self.role != SITE_MANAGER or checkpoint_id in self.checkpoints


@dataclass(frozen=True, slots=True)
class Session:
    user: User
    csrf_token: str
    token_sha256: str


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def check_name(name: str) -> str:
    """An account name as stored: NFC, no surrounding spaces; 1-64 printable characters."""
    name = unicodedata.normalize("NFC", name.strip())
    if not 1 <= len(name) <= 64 or not name.isprintable() or any(c.isspace() for c in name):
        raise AccountError("an account name is 1-64 printable characters without spaces")
    return name


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"a password needs at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise AccountError(f"a password has at most {MAX_PASSWORD} characters")


class Accounts:
    """Accounts and sessions on the server's Database (module docstring)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # -- accounts ---------------------------------------------------------------------------

    def add(
        self,
        name: str,
        role: str,
        password: str,
        now: dt.datetime,
        checkpoint_ids: Sequence[str] = (),
    ) -> User:
        """A new account. A site manager needs at least one checkpoint, the others none.
        Raises AccountError (bad name, role, password, unknown checkpoint, name taken)."""
        name = check_name(name)
        if role not in ROLES:
            raise AccountError(f"role {role!r}: one of {', '.join(ROLES)}")
        check_password(password)
        wanted = list(dict.fromkeys(checkpoint_ids))
        if role == SITE_MANAGER and not wanted:
            raise AccountError("a site manager needs --checkpoint (one or more)")
        if role != SITE_MANAGER and wanted:
            raise AccountError("only a site manager is limited to checkpoints")
        hashed = _hasher.hash(password)
        with self.db.write() as conn:
            self.db.lock(conn, "console accounts")
            if conn.execute(
                select(console_users.c.name).where(console_users.c.name == name)
            ).first():
                raise AccountError(f"an account named {name!r} exists already")
            known = set(
                conn.execute(
                    select(checkpoints.c.id).where(self.db.among(checkpoints.c.id, wanted))
                ).scalars()
            )
            missing = [c for c in wanted if c not in known]
            if missing:
                raise AccountError(f"no checkpoint {missing[0]!r}")
            conn.execute(
                console_users.insert().values(
                    name=name,
                    role=role,
                    password_hash=hashed,
                    created_at=now,
                    password_changed_at=now,
                )
            )
            if wanted:
                conn.execute(
                    console_user_checkpoints.insert(),
                    [{"user_name": name, "checkpoint_id": c} for c in wanted],
                )
        found = self.get(name)
        assert found is not None
        return found

    def get(self, name: str) -> User | None:
        users = self._users([name])
        return users[0] if users else None

    def all(self) -> list[User]:
        return self._users(None)

    def _users(self, names: Iterable[str] | None) -> list[User]:
        u, uc = console_users.c, console_user_checkpoints.c
        query = select(u.name, u.role, u.disabled_at, u.locked_until, u.last_login_at)
        if names is not None:
            query = query.where(self.db.among(u.name, names))
        with self.db.read() as conn:
            rows = conn.execute(query.order_by(u.name)).all()
            links: dict[str, list[str]] = {}
            for link in conn.execute(
                select(uc.user_name, uc.checkpoint_id).order_by(uc.checkpoint_id)
            ):
                links.setdefault(str(link.user_name), []).append(str(link.checkpoint_id))
        return [
            User(
                str(r.name),
                str(r.role),
                tuple(links.get(str(r.name), ())),
                r.disabled_at is not None,
                r.locked_until,
                r.last_login_at,
            )
            for r in rows
        ]

    def add_checkpoint(self, name: str, checkpoint_id: str) -> None:
        """Give a site manager one more checkpoint (the one they just registered)."""
        with self.db.write() as conn:
            conn.execute(
                self.db.insert(console_user_checkpoints)
                .values(user_name=name, checkpoint_id=checkpoint_id)
                .on_conflict_do_nothing()
            )

    def disable(self, name: str, now: dt.datetime) -> None:
        """Disable an account and end its sessions. Raises AccountError if there is none."""
        with self.db.write() as conn:
            changed = conn.execute(
                update(console_users).where(console_users.c.name == name).values(disabled_at=now)
            ).rowcount
            if not changed:
                raise AccountError(f"no account named {name!r}")
            conn.execute(delete(console_sessions).where(console_sessions.c.user_name == name))

    def set_password(self, name: str, password: str, now: dt.datetime) -> None:
        """A new password; lifts a lockout, ends the account's sessions. Raises AccountError."""
        check_password(password)
        hashed = _hasher.hash(password)
        with self.db.write() as conn:
            changed = conn.execute(
                update(console_users)
                .where(console_users.c.name == name)
                .values(
                    password_hash=hashed,
                    password_changed_at=now,
                    failed_logins=0,
                    locked_until=None,
                )
            ).rowcount
            if not changed:
                raise AccountError(f"no account named {name!r}")
            conn.execute(delete(console_sessions).where(console_sessions.c.user_name == name))

    # -- login and sessions -----------------------------------------------------------------

    def login(self, name: str, password: str, now: dt.datetime) -> tuple[str, Session]:
        """Check a name and password; on success a new session: (cookie token, Session).
        Raises LoginRefused. Each failure is counted; MAX_FAILURES in a row lock the account
        for LOCKOUT (module docstring)."""
        try:
            name = check_name(name)
        except AccountError:
            name = ""
        u = console_users.c
        with self.db.read() as conn:
            row = conn.execute(
                select(u.password_hash, u.disabled_at, u.locked_until).where(u.name == name)
            ).first()
        if row is None:
            _verify(_DUMMY_HASH, password)
            raise LoginRefused("credentials")
        if row.locked_until is not None and row.locked_until > now:
            raise LoginRefused("locked", row.locked_until)
        good = _verify(str(row.password_hash), password)
        if not good:
            with self.db.write() as conn:
                failures = int(
                    conn.execute(
                        update(console_users)
                        .where(u.name == name)
                        .values(failed_logins=u.failed_logins + 1)
                        .returning(u.failed_logins)
                    ).scalar_one()
                )
                until = now + LOCKOUT if failures >= MAX_FAILURES else None
                if until is not None:
                    conn.execute(
                        update(console_users)
                        .where(u.name == name)
                        .values(locked_until=until, failed_logins=0)
                    )
            # Raised after the commit: the count (and the lock) must stay written.
            if until is not None:
                raise LoginRefused("locked", until)
            raise LoginRefused("credentials")
        if row.disabled_at is not None:
            raise LoginRefused("disabled")
        token = secrets.token_urlsafe(32)
        csrf = secrets.token_urlsafe(32)
        values: dict[str, object] = {"failed_logins": 0, "locked_until": None, "last_login_at": now}
        if _hasher.check_needs_rehash(str(row.password_hash)):
            values["password_hash"] = _hasher.hash(password)
        with self.db.write() as conn:
            conn.execute(update(console_users).where(u.name == name).values(**values))
            conn.execute(
                console_sessions.insert().values(
                    token_sha256=_digest(token),
                    user_name=name,
                    csrf_token=csrf,
                    created_at=now,
                    last_seen_at=now,
                )
            )
            # Sessions that ended long ago go (no personal data, but no reason to keep them).
            conn.execute(
                delete(console_sessions).where(console_sessions.c.last_seen_at < now - MAX_AGE)
            )
        user = self.get(name)
        assert user is not None
        return token, Session(user, csrf, _digest(token))

    def session(self, token: str, now: dt.datetime) -> Session | None:
        """The live session of a cookie token, its last-seen time moved on; None when unknown,
        idle past IDLE_TIMEOUT, older than MAX_AGE, or its account disabled (then it is
        ended)."""
        if not token or len(token) > 200:
            return None
        digest = _digest(token)
        s = console_sessions.c
        with self.db.query() as conn:
            row = conn.execute(
                select(s.user_name, s.csrf_token, s.created_at, s.last_seen_at).where(
                    s.token_sha256 == digest
                )
            ).first()
        if row is None:
            return None
        user = self.get(str(row.user_name))
        expired = now - row.last_seen_at > IDLE_TIMEOUT or now - row.created_at > MAX_AGE
        if user is None or user.disabled or expired:
            self.end(token)
            return None
        if now - row.last_seen_at > _TOUCH:
            with self.db.write() as conn:
                conn.execute(
                    update(console_sessions)
                    .where(s.token_sha256 == digest)
                    .values(last_seen_at=now)
                )
        return Session(user, str(row.csrf_token), digest)

    def end(self, token: str) -> None:
        """End a session (logout). Unknown tokens are ignored."""
        with self.db.write() as conn:
            conn.execute(
                delete(console_sessions).where(console_sessions.c.token_sha256 == _digest(token))
            )


def _verify(hashed: str, password: str) -> bool:
    try:
        return bool(_hasher.verify(hashed, password))
    except (VerificationError, InvalidHashError):
        return False


def same_token(given: str | None, expected: str) -> bool:
    """Constant-time comparison of a form's CSRF token with the session's."""
    return given is not None and hmac.compare_digest(
        given.encode("utf-8", "surrogatepass"), expected.encode("utf-8")
    )


__all__ = [
    "ADMIN",
    "HEALTH_OFFICER",
    "IDLE_TIMEOUT",
    "LOCKOUT",
    "MAX_AGE",
    "MAX_FAILURES",
    "MIN_PASSWORD",
    "ROLES",
    "SITE_MANAGER",
    "AccountError",
    "Accounts",
    "LoginRefused",
    "Session",
    "User",
    "check_password",
    "same_token",
]
