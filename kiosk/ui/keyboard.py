"""The on-screen keyboard for touch screens: Qt Virtual Keyboard, with its Vietnamese layout.

Qt picks its input method once, when the QApplication is created, from the QT_IM_MODULE
environment variable: `enable_virtual_keyboard_if_available()` must run before that (in
`kiosk run`, before `QApplication(...)`). It turns the keyboard on only when all hold:

- the `qtvirtualkeyboard` input context plugin is installed (PySide6-Addons ships it in
  PySide6/Qt/plugins/platforminputcontexts; a system Qt may not have it);
- a touch screen is attached (a kiosk with a USB keyboard or a hand scanner needs no keyboard
  covering half the screen);
- the display is X11 (Qt's xcb platform). In a Widgets app the keyboard is a separate window
  over the bottom of the screen, cut to shape with a window mask. Platforms without masks draw
  that window's empty part opaque over the whole app (seen on the vnc platform: a white screen
  above the keys), and a Wayland client cannot place its windows at all; there the desktop's
  own keyboard (e.g. squeekboard on Raspberry Pi OS) is the one to use.

KIOSK_VIRTUAL_KEYBOARD=1 / =0 forces it on / off (on skips the touch screen and display
checks); a QT_IM_MODULE the system already set is left alone.

The layout: Qt Virtual Keyboard starts in the layout of the default QLocale, so this sets the
default locale to vi_VN (Qt 6.12's vi_VN layout: Latin keys, "Tiếng Việt" on the space bar, the
Vietnamese letters on long press: a -> ă â à á ..., d -> đ, o -> ô ơ ...; the globe key switches
to English). Only Qt's own locale-aware formatting is affected by that default; the kiosk formats
times and numbers itself.

Verified with PySide6 6.12, headless: the plugin loads under the offscreen and vnc platforms,
the vi_VN layout is chosen (and renders, Vietnamese labels included), and on the vnc platform a
tap on a QLineEdit opens the panel (the digits pad for a digits-only field), and taps and a long
press on its keys type "a" and "đ" into the field. Not verified: X11 (no X server here), a real
touch screen, Wayland.
"""

from __future__ import annotations

import logging
import os
from collections.abc import MutableMapping
from pathlib import Path

log = logging.getLogger(__name__)

IM_MODULE = "qtvirtualkeyboard"
LAYOUT_LOCALE = "vi_VN"
INPUT_DEVICES = Path("/proc/bus/input/devices")
# Linux input properties and axes (linux/input-event-codes.h): a touch screen reports absolute
# positions directly on the screen (INPUT_PROP_DIRECT); a touchpad or a mouse does not.
_INPUT_PROP_DIRECT = 0x1
_ABS_X = 0x0


def plugin_available(plugins_dir: Path | None = None) -> bool:
    """Whether Qt's `qtvirtualkeyboard` input context plugin is installed. `plugins_dir`
    defaults to the plugins directory of the Qt that PySide6 loads."""
    if plugins_dir is None:
        from PySide6.QtCore import QLibraryInfo

        plugins_dir = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath))
    folder = plugins_dir / "platforminputcontexts"
    return folder.is_dir() and any(IM_MODULE in entry.name for entry in folder.iterdir())


def _lowest_bits(line: str) -> int:
    # "B: PROP=2" / "B: ABS=3 2608000 3": a bitmap of unsigned longs, most significant first.
    # Only the last (lowest) word is read, so the width of a long (32 or 64 bits) never
    # matters: the bits wanted here are below 32.
    words = line.split("=", 1)[1].split()
    return int(words[-1], 16) if words else 0


def touchscreen_present(devices_file: Path = INPUT_DEVICES) -> bool:
    """Whether Linux reports a touch screen: an input device with direct absolute axes, as
    listed in /proc/bus/input/devices. Readable before Qt starts (Qt's own QInputDevice list
    needs a QGuiApplication). False when the file cannot be read (not Linux, a container)."""
    try:
        text = devices_file.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    for block in text.split("\n\n"):
        prop = absolute = 0
        for line in block.splitlines():
            if line.startswith("B: PROP="):
                prop = _lowest_bits(line)
            elif line.startswith("B: ABS="):
                absolute = _lowest_bits(line)
        if prop & (1 << _INPUT_PROP_DIRECT) and absolute & (1 << _ABS_X):
            return True
    return False


def display_platform(environ: MutableMapping[str, str]) -> str:
    """The Qt platform the QApplication will use, guessed as Qt does: QT_QPA_PLATFORM if set,
    else wayland in a Wayland session, else xcb when there is an X display, else "" (eglfs,
    linuxfb: no desktop)."""
    requested = environ.get("QT_QPA_PLATFORM", "").split(":", 1)[0].split(";", 1)[0].strip()
    if requested:
        return requested
    if environ.get("WAYLAND_DISPLAY") or environ.get("XDG_SESSION_TYPE") == "wayland":
        return "wayland"
    return "xcb" if environ.get("DISPLAY") else ""


def enable_virtual_keyboard_if_available(
    *,
    environ: MutableMapping[str, str] | None = None,
    plugins_dir: Path | None = None,
    devices_file: Path = INPUT_DEVICES,
) -> bool:
    """Turn Qt Virtual Keyboard on for this process when it is installed, a touch screen is
    attached and the display is X11 (or KIOSK_VIRTUAL_KEYBOARD=1). Call before the QApplication
    exists; afterwards it has no effect. Returns whether the keyboard will be used."""
    env = os.environ if environ is None else environ
    forced = env.get("KIOSK_VIRTUAL_KEYBOARD", "").strip()
    current = env.get("QT_IM_MODULE", "")
    if current:  # chosen by the system or the person starting the kiosk: respected
        return current == IM_MODULE
    if forced == "0":
        return False
    if not plugin_available(plugins_dir):
        if forced == "1":
            log.warning("KIOSK_VIRTUAL_KEYBOARD=1 but Qt Virtual Keyboard is not installed")
        return False
    if forced != "1":
        if not touchscreen_present(devices_file):
            return False
        platform = display_platform(env)
        if platform != "xcb":
            log.info(
                "touch screen, but no Qt Virtual Keyboard on the %r platform (it needs X11); "
                "KIOSK_VIRTUAL_KEYBOARD=1 forces it",
                platform or "default",
            )
            return False
    env["QT_IM_MODULE"] = IM_MODULE
    from PySide6.QtCore import QLocale

    QLocale.setDefault(QLocale(LAYOUT_LOCALE))
    log.info("on-screen keyboard: Qt Virtual Keyboard, layout %s", LAYOUT_LOCALE)
    return True
