"""Run by tests/ui/test_virtual_keyboard.py in a process of its own, in the display environment
the test set up (a Wayland compositor with or without Xwayland, an X server, offscreen): the
real kiosk window as `kiosk run` makes it, manual entry opened, the name field tapped, and a
Vietnamese name typed on the on-screen keyboard's keys (a long press on a letter offers its
accented forms). Prints one JSON object with what happened; saves a picture of the window.

    python tests/ui/vkb_probe.py DATA_DIR PICTURE.png
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any


def main(data_dir: Path, picture_path: Path) -> int:
    from kiosk.ui import keyboard

    decision = keyboard.choose(
        os.environ,
        plugin=keyboard.plugin_available(),
        touchscreen=keyboard.touchscreen_present(),
    )
    enabled = keyboard.enable_virtual_keyboard_if_available()

    from PySide6.QtCore import QEventLoop, QPointF, Qt, QTimer
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtTest import QTest

    from kiosk.config import Settings, settings_with
    from kiosk.scanner.sources import open_source
    from kiosk.ui.app import build_app

    frames = data_dir / "frames"
    frames.mkdir(parents=True, exist_ok=True)
    settings = settings_with(Settings(), language="vi", sounds=False)
    parts = build_app(
        settings,
        data_dir / "kiosk.toml",
        data_dir / "data",
        source=open_source(f"images:{frames}"),
    )
    app = parts.app
    window = parts.window
    result: dict[str, Any] = {
        "decision": {"enabled": decision.enabled, "platform": decision.platform},
        "reason": decision.reason,
        "enabled": enabled,
        "platform": QGuiApplication.platformName(),
    }

    def wait(ms: int) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def wait_for(condition: Any, ms: int = 10_000) -> bool:
        deadline = time.monotonic() + ms / 1000
        while not condition() and time.monotonic() < deadline:
            wait(20)
        return bool(condition())

    parts.runner.start()
    if os.environ.get("PROBE_FULL_SCREEN"):
        window.showFullScreen()  # as `kiosk run` does (the compositor gives the screen)
    else:
        window.resize(800, 480)
        window.show()
    wait_for(lambda: window.isVisible() and window.width() >= 800)
    window.activateWindow()  # no window manager here: the kiosk takes the focus itself
    result["active"] = wait_for(window.isActiveWindow, 5000)
    wait(300)
    manual = parts.manual
    QTest.mouseClick(window.scan_page.manual_button, Qt.MouseButton.LeftButton)
    QTest.mouseClick(manual.name, Qt.MouseButton.LeftButton)
    panel = window.keyboard
    result["keyboard_widget"] = panel is not None
    if panel is not None:
        result["shown"] = wait_for(panel.isVisible)
        result["embedded"] = panel.window() is window
        result["locale"] = panel.keyboard_locale
        wait(300)

        def items() -> list[Any]:
            found: list[Any] = []

            def walk(item: Any) -> None:
                for child in item.childItems():
                    found.append(child)
                    walk(child)

            walk(panel.rootObject())
            return found

        def key(text: str) -> Any:
            for item in items():
                if item.property("text") == text and item.isVisible() and item.width() > 0:
                    return item
            raise LookupError(f"no key {text!r}")

        def centre(item: Any) -> Any:
            return item.mapToScene(QPointF(item.width() / 2, item.height() / 2)).toPoint()

        def tap(text: str) -> None:
            QTest.mouseClick(
                panel, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, centre(key(text))
            )
            wait(80)

        def long_press(text: str, choice: str) -> None:
            """Hold a key until its accented forms show, slide to one, let go."""
            start = centre(key(text))
            QTest.mousePress(
                panel, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start
            )
            shown = wait_for(
                lambda: any(
                    i.metaObject().className() == "QQuickText"
                    and i.property("text") == choice
                    and i.isVisible()
                    for i in items()
                ),
                3000,
            )
            if not shown:
                QTest.mouseRelease(
                    panel, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start
                )
                raise LookupError(f"no accented form {choice!r} on {text!r}")
            target = next(
                i
                for i in items()
                if i.metaObject().className() == "QQuickText"
                and i.property("text") == choice
                and i.isVisible()
            )
            point = centre(target)
            QTest.mouseMove(panel, point)
            wait(100)
            QTest.mouseRelease(
                panel, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point
            )
            wait(120)

        # Has the scene been drawn by itself (what the screen shows), before anything asks?
        picture = panel.grab().toImage()
        colours = {picture.pixel(x, y) for x in range(0, picture.width(), 7) for y in (20, 60, 100)}
        result["drawn"] = len(colours) > 3
        try:
            long_press("d", "Đ")  # the first letter: the keyboard offers capitals
            long_press("u", "ứ")
            tap("c")
            result["typed"] = manual.name.text()
        except LookupError as exc:
            result["typed"] = manual.name.text()
            result["error"] = str(exc)
    result["window"] = [window.width(), window.height()]
    if panel is not None and panel.isVisible():
        panel.grabFramebuffer()  # offscreen, the scene is drawn when asked for
    result["saved"] = window.grab().save(str(picture_path))
    if QGuiApplication.platformName() == "xcb" and not os.environ.get("WAYLAND_DISPLAY"):
        # What the X server shows (Xwayland keeps no picture of its windows to read back).
        screen = QGuiApplication.primaryScreen().grabWindow(int(window.winId()))
        screen.save(str(picture_path.with_suffix(".screen.png")))
    print(json.dumps(result, ensure_ascii=False), flush=True)
    parts.stop()
    app.processEvents()
    return 0


if __name__ == "__main__":
    code = main(Path(sys.argv[1]), Path(sys.argv[2]))
    sys.stdout.flush()
    os._exit(code)  # no interpreter teardown (see scripts/screenshots.py)
