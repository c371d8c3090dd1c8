"""The on-screen keyboard for touch screens: Qt Virtual Keyboard, embedded at the bottom of the
kiosk's own window, with its Vietnamese layout.

Why embedded, and why xcb under Wayland. Qt Virtual Keyboard's "desktop" mode shows the keys in
a top-level window of its own, which a Wayland compositor places where it likes (cage shows it
full screen over the kiosk), and Qt's wayland platform plugin refuses the keyboard outright on
the client side ("qtvirtualkeyboard currently is not supported at client-side": measured under
weston, tests/ui/test_virtual_keyboard.py). So:

- the keyboard is an InputPanel in a QQuickWidget that the window lays out under its pages
  (`KeyboardPanel`; QT_VIRTUALKEYBOARD_DESKTOP_DISABLE=1): no window of its own to place, on
  any platform, and the page shrinks (its form scrolls) instead of being covered;
- in a Wayland session (cage on a Raspberry Pi, labwc on Raspberry Pi OS's desktop) the kiosk
  runs on Qt's xcb platform through Xwayland, which both compositors provide (DISPLAY), when
  the keyboard is to be used. Without Xwayland it stays on Wayland, without a keyboard, and
  says so in the log (a USB keyboard then).

`enable_virtual_keyboard_if_available()` decides, before the QApplication exists (Qt reads
QT_IM_MODULE and QT_QPA_PLATFORM when it is created). The keyboard is used when the Qt Virtual
Keyboard plugin is installed (PySide6-Addons ships it) and a touch screen is attached, or when
KIOSK_VIRTUAL_KEYBOARD=1 forces it (=0: never). A QT_IM_MODULE the system already set is left
alone, and so is an explicit QT_QPA_PLATFORM other than wayland.

The layout: Vietnamese (vi_VN: Latin keys, "Tiếng Việt" on the space bar; a long press on a
vowel offers its accented forms: a → á à ả ã ạ ă â ..., d → đ) and English, switched with the
globe key. Its Quick scene is drawn by Qt Quick's software renderer: a keyboard needs no GPU,
and a Raspberry Pi's GL driver is spared a second context.
"""

from __future__ import annotations

import logging
import os
from collections.abc import MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)

IM_MODULE = "qtvirtualkeyboard"
LOCALES = ("vi_VN", "en_US")
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


@dataclass(frozen=True, slots=True)
class KeyboardChoice:
    """What `enable_virtual_keyboard_if_available` decided, for the log and the tests."""

    enabled: bool
    platform: str  # the platform Qt will start ("" : its own default)
    reason: str


def choose(
    environ: MutableMapping[str, str],
    *,
    plugin: bool,
    touchscreen: bool,
) -> KeyboardChoice:
    """The decision, from the environment and what is installed and attached. Pure."""
    forced = environ.get("KIOSK_VIRTUAL_KEYBOARD", "").strip()
    platform = display_platform(environ)
    current = environ.get("QT_IM_MODULE", "")
    if current:  # chosen by the system or the person starting the kiosk: respected
        return KeyboardChoice(current == IM_MODULE, platform, f"QT_IM_MODULE={current} was set")
    if forced == "0":
        return KeyboardChoice(False, platform, "KIOSK_VIRTUAL_KEYBOARD=0")
    if not plugin:
        return KeyboardChoice(False, platform, "Qt Virtual Keyboard is not installed")
    if forced != "1" and not touchscreen:
        return KeyboardChoice(False, platform, "no touch screen")
    if platform == "wayland":
        if environ.get("DISPLAY"):
            return KeyboardChoice(True, "xcb", "Wayland session: xcb through Xwayland")
        return KeyboardChoice(
            False,
            platform,
            "Wayland without Xwayland (no DISPLAY): Qt's wayland plugin cannot use Qt Virtual "
            "Keyboard",
        )
    why = "forced" if forced == "1" else "touch screen"
    return KeyboardChoice(True, platform, f"{why}, platform {platform or 'default'}")


def enable_virtual_keyboard_if_available(
    *,
    environ: MutableMapping[str, str] | None = None,
    plugins_dir: Path | None = None,
    devices_file: Path = INPUT_DEVICES,
) -> bool:
    """Turn the embedded Qt Virtual Keyboard on for this process when it is installed and a
    touch screen is attached (or KIOSK_VIRTUAL_KEYBOARD=1), choosing the xcb platform in a
    Wayland session. Call before the QApplication exists; afterwards it has no effect. Returns
    whether the keyboard will be used."""
    env = os.environ if environ is None else environ
    plugin = plugin_available(plugins_dir)
    choice = choose(env, plugin=plugin, touchscreen=touchscreen_present(devices_file))
    if not choice.enabled:
        if env.get("KIOSK_VIRTUAL_KEYBOARD", "").strip() == "1" or "Wayland" in choice.reason:
            log.warning("no on-screen keyboard: %s", choice.reason)
        else:
            log.info("no on-screen keyboard: %s", choice.reason)
        return False
    env["QT_IM_MODULE"] = IM_MODULE
    env["QT_VIRTUALKEYBOARD_DESKTOP_DISABLE"] = "1"
    env.setdefault("QT_QUICK_BACKEND", "software")
    if choice.platform == "xcb" and display_platform(env) != "xcb":
        env["QT_QPA_PLATFORM"] = "xcb"
    log.info("on-screen keyboard: Qt Virtual Keyboard, embedded (%s)", choice.reason)
    return True


def keyboard_enabled(environ: MutableMapping[str, str] | None = None) -> bool:
    """Whether this process was set up for the embedded keyboard (after the call above)."""
    env = os.environ if environ is None else environ
    return env.get("QT_IM_MODULE") == IM_MODULE


def create_panel(parent: QWidget | None = None) -> QWidget | None:
    """The keyboard for the window's bottom, or None when this process has none (see above).
    Call after the QApplication exists."""
    if not keyboard_enabled():
        return None
    from kiosk.ui.keyboard_panel import KeyboardPanel

    panel = KeyboardPanel(parent)
    if not panel.ready:
        log.error("on-screen keyboard not loaded: %s", "; ".join(panel.load_errors) or "?")
        panel.deleteLater()
        return None
    return panel
