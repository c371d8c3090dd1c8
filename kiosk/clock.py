"""Time as the kiosk sees it: wall clock (UTC), monotonic clock, boot id, and whether to trust it.

A Raspberry Pi has no real-time clock: after a reboot offline its wall clock can be days or
decades wrong, and it jumps when NTP comes back. Every event therefore records the wall time
*and* a monotonic timestamp with the boot it belongs to, so that elapsed times within a boot are
exact and the server can correct wall times later (../shared/RELIABILITY.md, "Clocks").

Times are stored as fixed-width ISO 8601 UTC text (`2026-11-25T17:20:36.123456Z`): it sorts as
text, so SQLite range queries on it use plain indexes, and it reads well in the sqlite3 shell.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import datetime as dt
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from checkpoint_common.timefmt import from_iso, to_iso

UTC = dt.UTC

# to_iso / from_iso live with the wire format (checkpoint_common.timefmt); re-exported here for
# the kiosk's modules.
__all__ = ["UTC", "Clock", "FakeClock", "Instant", "SystemClock", "from_iso", "to_iso"]


@dataclass(frozen=True, slots=True)
class Instant:
    """One reading of all the clocks at once."""

    utc: dt.datetime  # timezone-aware, UTC
    mono_ns: int
    boot_id: str
    synced: bool  # the wall clock is known to be synchronised (NTP), not just believed


class Clock(Protocol):
    def now(self) -> Instant: ...


def _read_boot_id() -> str:
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        # Not Linux: one id per process is the honest approximation (monotonic clocks restart
        # with the machine, not the process, but we cannot tell boots apart).
        return f"proc-{uuid.uuid4()}"


_TIME_ERROR = 5  # adjtimex(2): clock not synchronised


def _kernel_says_synced() -> bool:
    """Ask the kernel (adjtimex, read-only) whether NTP/chrony/timesyncd disciplines the clock.

    Returns False when unsure (no libc, another OS): "not known to be right" is the safe answer.
    """
    if Path("/run/systemd/timesync/synchronized").exists():
        return True
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    try:
        libc = ctypes.CDLL(libc_name, use_errno=True)
        # struct timex is ~208 bytes on 64-bit Linux; a zeroed, larger buffer means modes=0,
        # i.e. a pure read.
        buffer = ctypes.create_string_buffer(512)
        state = int(libc.adjtimex(buffer))
    except (OSError, AttributeError):
        return False
    return 0 <= state < _TIME_ERROR


class SystemClock:
    """The machine's clocks. The sync state is re-read at most once a minute (a syscall)."""

    def __init__(self) -> None:
        self._boot_id = _read_boot_id()
        self._synced = False
        self._synced_checked_ns: int | None = None

    def now(self) -> Instant:
        mono = time.monotonic_ns()
        if self._synced_checked_ns is None or mono - self._synced_checked_ns > 60 * 10**9:
            self._synced = _kernel_says_synced()
            self._synced_checked_ns = mono
        return Instant(dt.datetime.now(UTC), mono, self._boot_id, self._synced)


class FakeClock:
    """A clock for tests, demos and benchmarks: set, advance, reboot, jump."""

    def __init__(self, start: dt.datetime, *, boot_id: str = "boot-1", synced: bool = True) -> None:
        self.utc = start.astimezone(UTC)
        self.mono_ns = 1_000_000_000
        self.boot_id = boot_id
        self.synced = synced

    def now(self) -> Instant:
        return Instant(self.utc, self.mono_ns, self.boot_id, self.synced)

    def advance(self, seconds: float) -> None:
        """Time passes: both clocks move together."""
        self.utc += dt.timedelta(seconds=seconds)
        self.mono_ns += int(seconds * 1e9)

    def jump(self, seconds: float) -> None:
        """The wall clock is stepped (NTP correction, a wrong manual setting); monotonic is not."""
        self.utc += dt.timedelta(seconds=seconds)

    def reboot(self, boot_id: str, *, wall: dt.datetime | None = None) -> None:
        self.boot_id = boot_id
        self.mono_ns = 1_000_000_000
        if wall is not None:
            self.utc = wall.astimezone(UTC)
