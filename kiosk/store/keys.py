"""Person keys at rest: moving records kept under a pre-#13 key to the new one, and forgetting
keys once no feature needs them.

A person key (checkpoint_common.personkey) is what the kiosk's features match on: duplicates
(seconds), people inside (until they leave, at most a day: the nightly auto-checkout), the
status list, and local contact tracing (`person_key_days`, 14 days by default). After that it
is only a handle a thief could try to reverse (at the cost docs/reliability.md gives), so
`forget_keys` replaces it with FORGOTTEN_KEY in delivered records (the server keeps its copy);
a record not yet delivered keeps its key until it is (the server needs it), and the retention
purge deletes it in any case after `retention_hard_days`.

Keys made before issue #13 (checkpoint_common.personkey.is_legacy_key) cannot be converted
here: the kiosk does not have the identifiers (they are sealed to the health authority). They
are moved when the person is seen again (`rekey`, called by the gate with the old and the new
key of the identity it just derived) or traced, and go with the purge otherwise.

Thread contract: the store's (one owner thread); short transactions.
"""

from __future__ import annotations

import datetime as dt
import logging

from kiosk.clock import to_iso
from kiosk.store.connection import StoreBase

log = logging.getLogger(__name__)

# What a forgotten key reads as (the records keep their times, kind and masked name).
FORGOTTEN_KEY = "-"
META_LEGACY_DONE = "keys.legacy_moved"
FORGET_BATCH = 2000
# Pre-#13 keys in SQL: `scheme:` + hex, where the new ones are `scheme2:` + hex.
_LEGACY_SQL = "person_key GLOB '[a-z]*:*' AND person_key NOT GLOB '*2:*'"


class KeysPart(StoreBase):
    """The person-key part of the Store (kiosk.store.Store composes the parts)."""

    _legacy_remain: bool | None = None

    def legacy_keys_remain(self) -> bool:
        """True while some record is kept under a pre-#13 key (checked once, then remembered;
        a `meta` mark skips the check once none remain)."""
        if self._legacy_remain is None:
            if self.get_meta(META_LEGACY_DONE) is not None:
                self._legacy_remain = False
            else:
                row = self._conn.execute(
                    f"SELECT 1 FROM events WHERE {_LEGACY_SQL} "  # noqa: S608 (constant)
                    f"UNION ALL SELECT 1 FROM stays WHERE {_LEGACY_SQL} LIMIT 1"
                ).fetchone()
                self._legacy_remain = row is not None
                if row is None and not self.read_only:
                    self.set_meta(META_LEGACY_DONE, "1")
        return self._legacy_remain

    def rekey(self, old: str, new: str) -> int:
        """Move every record (events and stays) of the pre-#13 key `old` to `new`, in one
        transaction, so an entry recorded before the upgrade pairs with the exit after it.
        Returns the number of events moved (0 without a write when there is none)."""
        if old == new or not self.legacy_keys_remain():
            return 0
        found = self._conn.execute(
            "SELECT 1 FROM events WHERE person_key = ? UNION ALL "
            "SELECT 1 FROM stays WHERE person_key = ? LIMIT 1",
            (old, old),
        ).fetchone()
        if found is None:
            return 0
        with self._transaction() as conn:
            moved = conn.execute(
                "UPDATE events SET person_key = ? WHERE person_key = ?", (new, old)
            ).rowcount
            conn.execute("UPDATE stays SET person_key = ? WHERE person_key = ?", (new, old))
        self._legacy_remain = None  # the last one may have gone
        log.info("moved %d records of a person from the old key format to the new", moved)
        return int(moved)

    def forget_keys(self, cutoff: dt.datetime) -> int:
        """Replace the person key by FORGOTTEN_KEY in delivered events recorded before `cutoff`
        (unless that person is inside now) and in stays that ended before it. Batches of
        FORGET_BATCH rows; then the WAL is truncated (secure_delete zeroed the old cells).
        Returns the number of events whose key was forgotten."""
        cutoff_iso = to_iso(cutoff)
        total, after = 0, 0
        while True:
            # Forward from the last batch (seq order): each row is looked at once, however many
            # were forgotten before.
            seqs = [
                row[0]
                for row in self._conn.execute(
                    "SELECT seq FROM events WHERE seq > ? AND device_time < ? "
                    "AND delivered_at IS NOT NULL AND person_key != ? AND person_key NOT IN "
                    "(SELECT person_key FROM stays WHERE out_time IS NULL) ORDER BY seq LIMIT ?",
                    (after, cutoff_iso, FORGOTTEN_KEY, FORGET_BATCH),
                )
            ]
            if not seqs:
                break
            marks = ",".join("?" * len(seqs))
            with self._transaction() as conn:
                conn.execute(
                    f"UPDATE events SET person_key = ? WHERE seq IN ({marks})",  # noqa: S608
                    (FORGOTTEN_KEY, *seqs),
                )
            total += len(seqs)
            after = seqs[-1]
        with self._transaction() as conn:
            stays = conn.execute(
                "UPDATE stays SET person_key = ? WHERE out_time IS NOT NULL AND out_time < ? "
                "AND person_key != ?",
                (FORGOTTEN_KEY, cutoff_iso, FORGOTTEN_KEY),
            ).rowcount
        if total or stays:
            self._legacy_remain = None
            self.checkpoint(truncate=True)
            log.info("forgot the person keys of %d records and %d stays", total, stays)
        return int(total)

    def keys_in_clear(self) -> int:
        """Distinct person keys still kept in clear (events and stays; the status list is the
        server's and is not counted)."""
        return int(
            self._conn.execute(
                "SELECT count(*) FROM (SELECT person_key FROM events WHERE person_key != ? "
                "UNION SELECT person_key FROM stays WHERE person_key != ?)",
                (FORGOTTEN_KEY, FORGOTTEN_KEY),
            ).fetchone()[0]
        )
