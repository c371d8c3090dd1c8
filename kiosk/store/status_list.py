"""The health authority's status list as the kiosk holds it: who is red, yellow or green, until
when, and which version of the list this is.

Thread contract: the store's (one owner thread); a new list is applied in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from kiosk.clock import from_iso, to_iso
from kiosk.store.connection import UPSERT_META, StoreBase


@dataclass(frozen=True, slots=True)
class StatusListInfo:
    version: str | None
    updated_at: dt.datetime | None
    entries: int


class StatusListPart(StoreBase):
    """The status-list part of the Store (kiosk.store.Store composes the parts)."""

    def status_of(self, person_key: str, at: dt.datetime) -> str | None:
        """The person's colour on the local status list, ignoring entries no longer valid."""
        row = self._conn.execute(
            "SELECT colour, valid_until FROM status_list WHERE person_key = ?", (person_key,)
        ).fetchone()
        if row is None or (row[1] is not None and row[1] < to_iso(at)):
            return None
        return str(row[0])

    def replace_status_list(
        self,
        entries: Iterable[tuple[str, str, dt.datetime | None]],
        *,
        version: str,
        updated_at: dt.datetime,
        full: bool = True,
        removed: Iterable[str] = (),
    ) -> int:
        """Apply a status list (person_key, colour, valid_until) in one transaction: the whole
        list when `full` (everything else is dropped), else changes on top of the current one
        (`entries` upserted, `removed` deleted). Returns the number of entries after."""
        rows = [(k, c, to_iso(v) if v else None) for k, c, v in entries]
        with self._transaction() as conn:
            if full:
                conn.execute("DELETE FROM status_list")
            conn.executemany(
                "DELETE FROM status_list WHERE person_key = ?", [(k,) for k in removed]
            )
            conn.executemany(
                "INSERT OR REPLACE INTO status_list (person_key, colour, valid_until) "
                "VALUES (?, ?, ?)",
                rows,
            )
            for key, value in (
                ("status_list_version", version),
                ("status_list_updated_at", to_iso(updated_at)),
            ):
                conn.execute(UPSERT_META, (key, value))
            return int(conn.execute("SELECT count(*) FROM status_list").fetchone()[0])

    def status_list_info(self) -> StatusListInfo:
        updated = self.get_meta("status_list_updated_at")
        count = int(self._conn.execute("SELECT count(*) FROM status_list").fetchone()[0])
        return StatusListInfo(
            self.get_meta("status_list_version"), from_iso(updated) if updated else None, count
        )
