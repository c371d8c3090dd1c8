"""Keep the screen on while the kiosk runs: a guard cannot read a blanked screen, and a visitor
would think the checkpoint is closed.

Best effort, in this order; whatever works is logged, nothing here can stop the kiosk:
1. the freedesktop ScreenSaver D-Bus interface (GNOME, KDE, XFCE, labwc with a portal...),
   `Inhibit`, held until the process exits (the cookie is kept);
2. on X11, `xset s off -dpms s noblank` (the X server's own blanking and DPMS).
Under cage (the Raspberry Pi deployment, #7) nothing blanks unless configured to.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess

log = logging.getLogger(__name__)


def keep_screen_on() -> list[str]:
    """Ask everything that may blank the screen not to. Returns what succeeded (for the log and
    tests). Call on the GUI thread after the QApplication exists."""
    done: list[str] = []
    try:
        from PySide6.QtDBus import QDBusConnection, QDBusInterface

        bus = QDBusConnection.sessionBus()
        if bus.isConnected():
            saver = QDBusInterface(
                "org.freedesktop.ScreenSaver",
                "/org/freedesktop/ScreenSaver",
                "org.freedesktop.ScreenSaver",
                bus,
            )
            if saver.isValid():
                reply = saver.call("Inhibit", "kiosk", "checkpoint kiosk running")
                if not reply.errorName():
                    done.append("dbus-screensaver")
    except ImportError as exc:  # QtDBus missing from this PySide6 build
        log.warning("screen blanking: D-Bus not available (%s)", exc)
    xset = shutil.which("xset")
    if os.environ.get("DISPLAY") and xset:
        try:
            for args in (["s", "off"], ["-dpms"], ["s", "noblank"]):
                subprocess.run([xset, *args], check=True, timeout=5, capture_output=True)
            done.append("xset")
        except (OSError, subprocess.SubprocessError) as exc:
            log.warning("screen blanking: xset failed (%s)", exc)
    if done:
        log.info("screen blanking off: %s", ", ".join(done))
    else:
        log.info("screen blanking: nothing to turn off here (no screensaver service, no X11)")
    return done
