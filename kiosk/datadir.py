"""The kiosk's data folder: what lives in it, under which name, and how each file is written.

    DATA_DIR/                 mode 0700, `--data-dir`, KIOSK_DATA_DIR or the platform's
      kiosk.db (-wal, -shm)   the gate log (kiosk.store), mode 0600
      person_key.secret       the deployment's person-key secret (HMAC key), 0600
      device_token            the token the server gave at enrollment, 0600
      trust_list.json         the EU DCC trust list from the server, 0600
      declaration_keys.json   the health-declaration keys' delegations (kiosk.declarations)
      backups/                copies made before migrations (kiosk.store.backup)
      exports/                CSV exports made on the kiosk (the admin screen)
      logs/                   kiosk.log and its rotations (kiosk.ui.app)
      demo/                   `kiosk demo`'s own data folder, same layout

Every file here is written by the one private writer (checkpoint_common.privatefile: temp
file, fsync, rename, fsync of the folder, mode 0600), so a power cut leaves the old file or the
new one. The database is the store's; everything else is this module's. The files that hold
events (backups/, exports/) go with the retention period (`purge_old_files`, from Gate.purge).

Thread contract: none of this touches the database; reading and writing these files is safe
from any thread (each write is one rename).
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from dataclasses import dataclass
from pathlib import Path

from checkpoint_common.privatefile import write_private

log = logging.getLogger(__name__)

DB_FILE_NAME = "kiosk.db"
SECRET_FILE_NAME = "person_key.secret"
TOKEN_FILE_NAME = "device_token"
TRUST_LIST_FILE_NAME = "trust_list.json"
DECLARATION_KEYS_FILE_NAME = "declaration_keys.json"
BACKUPS_DIR_NAME = "backups"
EXPORTS_DIR_NAME = "exports"
LOGS_DIR_NAME = "logs"
DEMO_DIR_NAME = "demo"
_SECRET_BYTES = 32
# Files holding events that the retention purge removes with them: (folder, pattern).
_EVENT_FILES = ((BACKUPS_DIR_NAME, "*.db*"), (EXPORTS_DIR_NAME, "*.csv"))


@dataclass(frozen=True, slots=True)
class DataDir:
    """The data folder at `root` (which may not exist yet: `create` makes it)."""

    root: Path

    @property
    def db(self) -> Path:
        return self.root / DB_FILE_NAME

    @property
    def secret(self) -> Path:
        return self.root / SECRET_FILE_NAME

    @property
    def token(self) -> Path:
        return self.root / TOKEN_FILE_NAME

    @property
    def trust_list(self) -> Path:
        return self.root / TRUST_LIST_FILE_NAME

    @property
    def declaration_keys(self) -> Path:
        return self.root / DECLARATION_KEYS_FILE_NAME

    @property
    def backups(self) -> Path:
        return self.root / BACKUPS_DIR_NAME

    @property
    def exports(self) -> Path:
        return self.root / EXPORTS_DIR_NAME

    @property
    def logs(self) -> Path:
        return self.root / LOGS_DIR_NAME

    def demo(self) -> DataDir:
        """`kiosk demo`'s own data folder inside this one: a demo never mixes with records."""
        return DataDir(self.root / DEMO_DIR_NAME)

    def create(self, folder: Path | None = None) -> Path:
        """Make the data folder, and `folder` inside it, if missing: mode 0700 (the folders
        above the data folder get the umask's mode). Returns `folder`, else the data folder."""
        self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
        if folder is None:
            return self.root
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        return folder

    # -- the device token -----------------------------------------------------------------

    def read_token(self) -> str | None:
        """The device token, or None before enrollment. Never logged."""
        try:
            return self.token.read_text().strip() or None
        except FileNotFoundError:
            return None

    def write_token(self, token: str) -> None:
        self.create()
        write_private(self.token, token.encode())

    # -- the person-key secret ------------------------------------------------------------

    def person_secret(self) -> bytes:
        """The deployment's person-key secret: read it, or create it once (32 random bytes).
        Two processes creating it at once agree: the second keeps the first's."""
        try:
            return self.secret.read_bytes()
        except FileNotFoundError:
            pass
        self.create()
        try:
            write_private(self.secret, secrets.token_bytes(_SECRET_BYTES), replace=False)
        except FileExistsError:
            log.info("the person-key secret was made by another process meanwhile: using it")
        return self.secret.read_bytes()

    def replace_person_secret(self, secret: bytes) -> bool:
        """Write the deployment's secret (from enrollment). Returns True when a different one
        was replaced: stays opened before were keyed with it (said in the log)."""
        try:
            replaced = self.secret.read_bytes() != secret
        except FileNotFoundError:
            replaced = False
        self.create()
        write_private(self.secret, secret)
        return replaced

    # -- the trust list --------------------------------------------------------------------

    def write_trust_list(self, data: bytes) -> None:
        """Replace the EU DCC trust list (checked by the caller before: a bad list must not
        replace a good one)."""
        self.create()
        write_private(self.trust_list, data)

    def write_declaration_keys(self, data: bytes) -> None:
        """Replace the declaration keys' file (kiosk.declarations checked its content)."""
        self.create()
        write_private(self.declaration_keys, data)

    # -- retention ---------------------------------------------------------------------------

    def purge_old_files(self, cutoff: dt.datetime) -> int:
        """Remove the copies in backups/ and the CSV files in exports/ last written before
        `cutoff`: they hold events of their day (copies from before sealing hold them in
        clear). Returns how many were removed; a file that cannot be removed is logged and
        kept."""
        removed = 0
        for name, pattern in _EVENT_FILES:
            folder = self.root / name
            if not folder.is_dir():
                continue
            for path in folder.glob(pattern):
                try:
                    if dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC) < cutoff:
                        path.unlink()
                        removed += 1
                        log.info("purge: removed the old file %s/%s", folder.name, path.name)
                except OSError as exc:
                    log.warning("purge: cannot remove %s: %s", path.name, exc.strerror)
        return removed


__all__ = [
    "BACKUPS_DIR_NAME",
    "DB_FILE_NAME",
    "DEMO_DIR_NAME",
    "EXPORTS_DIR_NAME",
    "LOGS_DIR_NAME",
    "SECRET_FILE_NAME",
    "TOKEN_FILE_NAME",
    "TRUST_LIST_FILE_NAME",
    "DataDir",
]
