"""The systemd notification protocol (sd_notify(3)), without libsystemd: one datagram of
`KEY=VALUE` lines to the AF_UNIX socket named in $NOTIFY_SOCKET.

The kiosk's service (packaging/systemd/checkpoint-kiosk.service) is `Type=notify` with a
watchdog: the app says READY=1 once its window is up and WATCHDOG=1 from a timer on the GUI
thread (kiosk.ui.watchdog), so a frozen screen stops the pings and systemd restarts it.

Under cage the kiosk is cage's child, not the service's main process: systemd accepts its
messages because the unit says NotifyAccess=all, and WATCHDOG_PID (cage's pid) is therefore
not compared with ours, unlike libsystemd's sd_watchdog_enabled().

Everything here is a no-op outside systemd ($NOTIFY_SOCKET unset): `kiosk run` from a
terminal behaves as before. Thread-safe (one sendto per call).
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Mapping

log = logging.getLogger(__name__)


def _address(env: Mapping[str, str]) -> str | None:
    """The socket address from $NOTIFY_SOCKET: a path, or '@name' for Linux's abstract
    namespace (a leading NUL byte). None when unset or of an unsupported kind (vsock:)."""
    value = env.get("NOTIFY_SOCKET", "")
    if not value:
        return None
    if value.startswith("@"):
        return "\0" + value[1:]
    if value.startswith("/"):
        return value
    log.warning("NOTIFY_SOCKET %r is not a unix socket path: systemd is not notified", value)
    return None


def notify(state: str, env: Mapping[str, str] | None = None) -> bool:
    """Send `state` (e.g. "READY=1", "WATCHDOG=1", "STATUS=...", several joined by newlines).

    Returns True when the datagram was sent, False when there is no socket to send to (not
    started by systemd) or sending failed; a failure is logged (the service manager then acts
    on the missing message: a watchdog restart or a start timeout), never raised, because the
    kiosk must keep recording whatever happens to its supervisor.
    """
    address = _address(os.environ if env is None else env)
    if address is None:
        return False
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
            sock.sendto(state.encode("utf-8"), address)
    except OSError as exc:
        log.warning("systemd notification %r not sent: %s", state.split("=", 1)[0], exc)
        return False
    return True


def watchdog_interval_s(env: Mapping[str, str] | None = None) -> float | None:
    """How often to send WATCHDOG=1: half of $WATCHDOG_USEC (the unit's WatchdogSec), as
    systemd advises, in seconds. None when no watchdog is configured (or the value is bad)."""
    values = os.environ if env is None else env
    raw = values.get("WATCHDOG_USEC", "")
    if not raw or _address(values) is None:
        return None
    try:
        usec = int(raw)
    except ValueError:
        log.warning("WATCHDOG_USEC=%r is not a number: no watchdog pings", raw)
        return None
    if usec <= 0:
        return None
    return usec / 2 / 1_000_000
