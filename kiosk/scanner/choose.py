"""Which frame source a `source` setting means on this machine: the one rule `kiosk run` and
`kiosk doctor` share. Light on purpose (no OpenCV, no Qt): the doctor reports it before
opening anything.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import NamedTuple

AUTO = "auto"
DEMO = "demo"
# "auto" looks at these V4L2 nodes, in order (a webcam's second node is metadata only, so the
# first existing one is the camera a kiosk has).
AUTO_VIDEO_NODES = 4


class SourceChoice(NamedTuple):
    spec: str  # a source string for kiosk.scanner.sources.open_source
    demo: bool  # the built-in demo source: the screen shows a DEMO badge


def picamera2_importable() -> bool:
    """Whether Picamera2 (a Raspberry Pi camera module; from the OS packages) can be imported."""
    try:
        importlib.import_module("picamera2")
    except ImportError:
        return False
    return True


def choose_source(requested: str, *, dev: Path = Path("/dev")) -> SourceChoice:
    """The source for a requested one. "auto" takes the first camera the system has (the first
    of dev/video0-3, else a Pi camera module), else the built-in demo source; any other string
    is taken as it is."""
    if requested != AUTO:
        return SourceChoice(requested, requested == DEMO)
    for i in range(AUTO_VIDEO_NODES):
        if (dev / f"video{i}").exists():
            return SourceChoice(f"camera:{i}", False)
    if picamera2_importable():
        return SourceChoice("picamera", False)
    return SourceChoice(DEMO, True)


__all__ = ["AUTO", "DEMO", "SourceChoice", "choose_source", "picamera2_importable"]
