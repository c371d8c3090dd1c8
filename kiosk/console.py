"""The gate loop in a terminal: frame source -> scan worker -> gate -> a coloured line per scan.

What `kiosk demo` runs until the full-screen app exists, and what a technician can use to check a
camera (`kiosk demo --source camera:0`). The gate (and its database) belongs to the calling
thread; the worker's threads only put events on a queue.
"""

from __future__ import annotations

import logging
import queue
from collections.abc import Callable
from typing import TextIO

from kiosk.gate import Gate, ScanOutcome
from kiosk.scanner.decode import ChainDecoder
from kiosk.scanner.sources import open_source
from kiosk.scanner.types import (
    CameraBlank,
    CameraLost,
    CameraRestored,
    CodeScanned,
    CodeUnreadable,
    PreviewFrame,
    ScanEvent,
    SourceEnded,
)
from kiosk.scanner.worker import ScanWorker
from kiosk.store import RecordError

log = logging.getLogger(__name__)

_COLOURS = {
    "admit": "\033[42;30m",
    "refer": "\033[43;30m",
    "deny": "\033[41;37m",
    "duplicate": "\033[47;30m",
}
_IDLE_S = 1.0


def describe(outcome: ScanOutcome, *, colour: bool) -> str:
    d = outcome.decision
    badge = f" {d.verdict.value.upper():9} {d.direction.value.upper():3} "
    if colour:
        badge = _COLOURS[d.verdict.value] + badge + "\033[0m"
    who = outcome.credential.display_name or "-"
    if outcome.credential.birth_year:
        who += f" ({outcome.credential.birth_year})"
    return (
        f"{badge} {outcome.credential.kind.value:12} {who:26} {d.reason.value:22} "
        f"inside {outcome.occupancy}"
    )


def run_console(
    gate: Gate,
    source_spec: str,
    *,
    out: TextIO,
    colour: bool,
    max_scans: int | None = None,
    printable: Callable[[str], str] = str,
) -> int:
    """Run until the source ends, `max_scans` scans were decided, or Ctrl+C. Returns the number
    of scans decided. Raises SpecError for a bad source string."""
    events: queue.Queue[ScanEvent] = queue.Queue()

    def on_event(event: ScanEvent) -> None:
        if not isinstance(event, PreviewFrame):  # no preview in a terminal
            events.put(event)

    worker = ScanWorker(open_source(source_spec), ChainDecoder(), on_event, preview_fps=0.5)
    scans = 0
    worker.start()
    try:
        while max_scans is None or scans < max_scans:
            try:
                event = events.get(timeout=_IDLE_S)
            except queue.Empty:
                gate.idle()
                continue
            if isinstance(event, CodeScanned):
                try:
                    outcome = gate.scan(event.payload)
                except RecordError as exc:
                    print(printable(f" NOT RECORDED  {exc}"), file=out, flush=True)
                    continue
                scans += 1
                print(printable(describe(outcome, colour=colour)), file=out, flush=True)
            elif isinstance(event, CodeUnreadable):
                hint = {"too_small": "hold it closer", "blurred": "hold still"}
                print(f"   ({hint.get(event.reason, 'code not readable')})", file=out, flush=True)
            elif isinstance(event, CameraLost):
                print(f" CAMERA LOST: {event.message}", file=out, flush=True)
            elif isinstance(event, CameraRestored):
                print(" camera restored", file=out, flush=True)
            elif isinstance(event, CameraBlank):
                print(" CAMERA BLANK: frames are black (lens covered?)", file=out, flush=True)
            elif isinstance(event, SourceEnded):
                break
    except KeyboardInterrupt:
        print(file=out)
    finally:
        if not worker.stop(timeout=1.0):
            log.warning("scan worker did not stop within 1 s")
    return scans
