"""The on-screen keyboard (kiosk.ui.keyboard): when it is used, and the real thing working where
the kiosk runs: the real window, manual entry, the name field tapped, "Đức" typed on the keys
(long presses for the accented letters).

- under a real Wayland compositor: weston's headless backend, with its kiosk shell (every
  window full screen, as cage does) and Xwayland, which cage and labwc provide too: the kiosk
  goes to Qt's xcb platform and the keyboard works; without Xwayland it stays on Wayland
  without a keyboard and says why (Qt's wayland plugin refuses Qt Virtual Keyboard: checked
  too). cage itself refuses to run as root, which CI is, hence weston;
- under an X server (Xvfb): the keyboard is drawn on the screen by itself (the X server's
  picture of the window is read back);
- offscreen.

Each run is a process of its own (tests/ui/vkb_probe.py): Qt reads the platform and the input
method once, when the application is made. The compositors and the X server come from Debian
(scripts/test installs weston, xwayland and xvfb); without them those tests are skipped with the
reason. Events are sent to the kiosk's widgets in-process (QTest): a headless compositor has no
input device to drive.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.ui import keyboard

pytestmark = pytest.mark.timeout(120)

PROBE = Path(__file__).with_name("vkb_probe.py")
ROOT = Path(__file__).resolve().parents[2]

TOUCHSCREEN = """\
I: Bus=0018 Vendor=0000 Product=0000 Version=0000
N: Name="raspberrypi-ts"
H: Handlers=mouse0 event0
B: PROP=2
B: EV=b
B: KEY=400 0 0 0 0 0 0 0 0 0 0
B: ABS=2608000 3

"""
TOUCHPAD = """\
I: Bus=0018 Vendor=06cb Product=7e7e Version=0100
N: Name="SYNA7DB5:01 06CB:7E7E Touchpad"
B: PROP=5
B: EV=1b
B: ABS=2e0800000000003

"""


# -- the decision -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "plugin", "touch", "enabled", "platform"),
    [
        ({"DISPLAY": ":0"}, True, True, True, "xcb"),  # X11 with a touch screen
        # cage / labwc: Wayland, with Xwayland: the kiosk goes to xcb for the keyboard
        ({"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"}, True, True, True, "xcb"),
        ({"XDG_SESSION_TYPE": "wayland", "DISPLAY": ":1"}, True, True, True, "xcb"),
        # ... without Xwayland: no keyboard (Qt's wayland plugin refuses it)
        ({"WAYLAND_DISPLAY": "wayland-0"}, True, True, False, "wayland"),
        ({"QT_QPA_PLATFORM": "eglfs"}, True, True, True, "eglfs"),  # no desktop: in-window
        ({"DISPLAY": ":0"}, True, False, False, "xcb"),  # no touch screen: a USB keyboard
        ({"DISPLAY": ":0"}, False, True, False, "xcb"),  # not installed
        ({"DISPLAY": ":0", "KIOSK_VIRTUAL_KEYBOARD": "0"}, True, True, False, "xcb"),
        ({"KIOSK_VIRTUAL_KEYBOARD": "1", "QT_QPA_PLATFORM": "vnc"}, True, False, True, "vnc"),
        ({"DISPLAY": ":0", "QT_IM_MODULE": "ibus"}, True, True, False, "xcb"),  # the system's
        ({"QT_IM_MODULE": "qtvirtualkeyboard"}, False, False, True, ""),
    ],
)
def test_when_the_keyboard_is_used(
    env: dict[str, str], plugin: bool, touch: bool, enabled: bool, platform: str
) -> None:
    choice = keyboard.choose(dict(env), plugin=plugin, touchscreen=touch)
    assert (choice.enabled, choice.platform) == (enabled, platform), choice.reason


@pytest.fixture
def plugins(tmp_path: Path) -> Path:
    folder = tmp_path / "plugins" / "platforminputcontexts"
    folder.mkdir(parents=True)
    (folder / "libqtvirtualkeyboardplugin.so").touch()
    return tmp_path / "plugins"


def devices(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "devices"
    path.write_text(text)
    return path


def test_a_wayland_touch_screen_gets_xcb_and_the_embedded_keyboard(
    tmp_path: Path, plugins: Path
) -> None:
    env = {"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0", "XDG_SESSION_TYPE": "wayland"}
    assert keyboard.enable_virtual_keyboard_if_available(
        environ=env, plugins_dir=plugins, devices_file=devices(tmp_path, TOUCHPAD + TOUCHSCREEN)
    )
    assert env["QT_IM_MODULE"] == "qtvirtualkeyboard"
    assert env["QT_VIRTUALKEYBOARD_DESKTOP_DISABLE"] == "1"  # in the window, not a window
    assert env["QT_QPA_PLATFORM"] == "xcb"
    assert env["QT_QUICK_BACKEND"] == "software"


@pytest.mark.parametrize(
    "env",
    [
        {"DISPLAY": ":0"},
        {"WAYLAND_DISPLAY": "wayland-0"},
        {"DISPLAY": ":0", "KIOSK_VIRTUAL_KEYBOARD": "0"},
        {"DISPLAY": ":0", "QT_IM_MODULE": "ibus"},
    ],
)
def test_the_environment_is_left_alone_without_the_keyboard(
    tmp_path: Path, plugins: Path, env: dict[str, str]
) -> None:
    before = dict(env)
    text = TOUCHPAD if env == {"DISPLAY": ":0"} else TOUCHSCREEN
    assert not keyboard.enable_virtual_keyboard_if_available(
        environ=env, plugins_dir=plugins, devices_file=devices(tmp_path, text)
    )
    assert env == before


def test_touchscreen_detection_reads_the_kernel_s_list(tmp_path: Path) -> None:
    assert keyboard.touchscreen_present(devices(tmp_path, TOUCHPAD + TOUCHSCREEN))
    assert not keyboard.touchscreen_present(devices(tmp_path, TOUCHPAD))
    assert not keyboard.touchscreen_present(tmp_path / "missing")


# -- the real keyboard, where the kiosk runs ---------------------------------------------------


def probe(tmp_path: Path, env: dict[str, str], name: str) -> dict[str, Any]:
    """Run tests/ui/vkb_probe.py in `env` (on top of this process's, Qt's choices removed)."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("QT_", "KIOSK_"))}
    for key in ("DISPLAY", "WAYLAND_DISPLAY", "XDG_SESSION_TYPE"):
        base.pop(key, None)
    data = tmp_path / name
    data.mkdir()
    picture = tmp_path / f"{name}.png"
    done = subprocess.run(
        [sys.executable, str(PROBE), str(data), str(picture)],
        env={**base, **env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    assert done.returncode == 0 and lines, done.stderr[-3000:]
    result: dict[str, Any] = json.loads(lines[-1])
    result["stderr"] = done.stderr
    result["picture"] = picture
    return result


def assert_typed_on_the_keys(result: dict[str, Any]) -> None:
    assert result["enabled"] and result["keyboard_widget"], result
    assert result["shown"], "the keyboard did not come up for the tapped field"
    assert result["embedded"]  # part of the kiosk's window: nothing for a compositor to place
    assert result["locale"] == "vi_VN"
    assert result.get("error") is None, result.get("error")
    assert result["typed"] == "Đức"  # Đ and ứ by long presses, c by a tap
    assert result["window"] == [800, 480]  # the keyboard took its room from the page
    assert result["picture"].stat().st_size > 0


def test_offscreen(tmp_path: Path) -> None:
    result = probe(tmp_path, {"QT_QPA_PLATFORM": "offscreen", "KIOSK_VIRTUAL_KEYBOARD": "1"}, "o")
    assert result["platform"] == "offscreen"
    assert_typed_on_the_keys(result)


@contextlib.contextmanager
def xvfb(tmp_path: Path) -> Iterator[str]:
    if shutil.which("Xvfb") is None:
        pytest.skip("Xvfb is not installed (scripts/test installs it: apt-get install xvfb)")
    process = subprocess.Popen(
        ["Xvfb", "-displayfd", "1", "-screen", "0", "800x480x24", "-nolisten", "tcp"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        number = process.stdout.readline().strip()  # written once the server is ready
        if not number.isdigit():
            pytest.skip("Xvfb did not start")
        yield f":{number}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_under_an_x_server_it_is_drawn_on_the_screen(tmp_path: Path) -> None:
    with xvfb(tmp_path) as display:
        result = probe(tmp_path, {"DISPLAY": display, "KIOSK_VIRTUAL_KEYBOARD": "1"}, "x")
    assert result["platform"] == "xcb"
    assert_typed_on_the_keys(result)
    # The X server's own picture of the window has the keys in it: drawn by itself.
    assert result["drawn"]


@contextlib.contextmanager
def weston(tmp_path: Path, *, xwayland: bool) -> Iterator[dict[str, str]]:
    """weston, headless, with its kiosk shell (full-screen windows, like cage), and Xwayland
    when asked: yields the environment a client of it gets."""
    if shutil.which("weston") is None:
        pytest.skip("weston is not installed (scripts/test installs it: apt-get install weston)")
    if xwayland and shutil.which("Xwayland") is None:
        pytest.skip("Xwayland is not installed (apt-get install xwayland)")
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    socket = f"kiosk-test-{os.getpid()}"
    log = tmp_path / "weston.log"
    command = [
        "weston",
        "--backend=headless-backend.so",
        "--shell=kiosk-shell.so",
        f"--socket={socket}",
        "--width=800",
        "--height=480",
        "--idle-time=0",
        f"--log={log}",
    ]
    if xwayland:
        command.append("--xwayland")
    env = {**os.environ, "XDG_RUNTIME_DIR": str(runtime)}
    env.pop("WAYLAND_DISPLAY", None)
    env.pop("DISPLAY", None)
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        client = {"XDG_RUNTIME_DIR": str(runtime), "WAYLAND_DISPLAY": socket}
        client["XDG_SESSION_TYPE"] = "wayland"
        deadline = time.monotonic() + 20
        display = None
        # Waiting for another process to be ready: its socket, and Xwayland's display number.
        while time.monotonic() < deadline and process.poll() is None:
            text = log.read_text(errors="replace") if log.exists() else ""
            found = re.search(r"xserver listening on display (:\d+)", text)
            display = found.group(1) if found else None
            if (runtime / socket).exists() and (display or not xwayland):
                break
            time.sleep(0.05)
        if process.poll() is not None or not (runtime / socket).exists():
            pytest.skip(f"weston did not start: {log.read_text(errors='replace')[-500:]}")
        if xwayland:
            assert display, "weston started without Xwayland"
            client["DISPLAY"] = display
        yield client
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_under_wayland_with_xwayland_as_under_cage_and_labwc(tmp_path: Path) -> None:
    with weston(tmp_path, xwayland=True) as env:
        result = probe(
            tmp_path, {**env, "KIOSK_VIRTUAL_KEYBOARD": "1", "PROBE_FULL_SCREEN": "1"}, "w"
        )
    assert result["reason"] == "Wayland session: xcb through Xwayland"
    assert result["platform"] == "xcb"
    assert_typed_on_the_keys(result)
    assert result["drawn"]


def test_under_wayland_without_xwayland_the_kiosk_runs_and_says_why(tmp_path: Path) -> None:
    with weston(tmp_path, xwayland=False) as env:
        result = probe(
            tmp_path, {**env, "KIOSK_VIRTUAL_KEYBOARD": "1", "PROBE_FULL_SCREEN": "1"}, "wo"
        )
    assert result["platform"] == "wayland"  # the kiosk itself runs
    assert not result["enabled"] and not result["keyboard_widget"]
    assert "no on-screen keyboard: Wayland without Xwayland" in result["stderr"]
    assert result["window"] == [800, 480]


QT_ON_WAYLAND = """
from PySide6.QtWidgets import QApplication
app = QApplication([])
print(app.platformName())
"""


def test_qt_s_wayland_plugin_refuses_qt_virtual_keyboard(tmp_path: Path) -> None:
    """Why the kiosk goes to xcb under cage and labwc: Qt on Wayland will not load the
    keyboard in a client, whatever QT_IM_MODULE says (weston headless, no Xwayland)."""
    with weston(tmp_path, xwayland=False) as env:
        done = subprocess.run(
            [sys.executable, "-c", QT_ON_WAYLAND],
            env={
                **os.environ,
                **env,
                "QT_QPA_PLATFORM": "wayland",
                "QT_IM_MODULE": "qtvirtualkeyboard",
            },
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert done.stdout.strip() == "wayland", done.stderr[-2000:]
    assert "qtvirtualkeyboard currently is not supported at client-side" in done.stderr
