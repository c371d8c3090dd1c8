"""Times on the wire and in both databases: fixed-width ISO 8601 UTC text.

`2026-11-25T17:20:36.123456Z` sorts as text, so range queries on it use plain indexes in SQLite
and read well in a shell. Shared by the kiosk (kiosk.clock) and the central server.
"""

from __future__ import annotations

import datetime as dt

UTC = dt.UTC


def to_iso(moment: dt.datetime) -> str:
    """Fixed-width UTC text; raises ValueError for a naive datetime (a bug, never user input)."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: times are always timezone-aware")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def from_iso(text: str) -> dt.datetime:
    """Parse `to_iso` output (and any ISO 8601 text with an offset; no offset means UTC)."""
    moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


__all__ = ["UTC", "from_iso", "to_iso"]
