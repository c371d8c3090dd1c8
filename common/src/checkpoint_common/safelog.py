"""Logs and crash reports without personal data.

An exception's message may quote what the code was working on: a payload, a name, an ID
number (`ValueError(f"bad date in {text!r}")`, a KeyError of a dict keyed by person). So
wherever a traceback is written (the log files, stderr, a crash on any thread), the kiosk
writes the exception's type and where it was raised (file, line, function, source line) and
never its message or local values. Log *messages* are the code's own words: they hold keys,
counts and reasons, never identity fields (reviewed; tests/reliability/test_pii_logs.py).

`SafeFormatter` is the formatter of every handler the kiosk configures (`kiosk run`'s file and
stderr, the CLI's stderr); `install_crash_hooks` (the CLI) sends uncaught exceptions of any
thread to the log instead of Python's default printout, which includes the message.
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
import types

LOG_FORMAT = "%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s"

_ExcInfo = tuple[type[BaseException], BaseException, types.TracebackType | None]


def describe_exception(exc: BaseException) -> str:
    """The exception's type and traceback frames, its causes and contexts first, as Python
    prints them but with every message left out."""
    parts: list[str] = []
    seen: set[int] = set()

    def walk(current: BaseException) -> None:
        seen.add(id(current))
        if current.__cause__ is not None and id(current.__cause__) not in seen:
            walk(current.__cause__)
            parts.append("The above exception was the direct cause of the following:\n")
        elif (
            current.__context__ is not None
            and not current.__suppress_context__
            and id(current.__context__) not in seen
        ):
            walk(current.__context__)
            parts.append("During handling of the above exception, another occurred:\n")
        parts.append("Traceback (most recent call last):\n")
        parts.extend(traceback.format_tb(current.__traceback__))
        kind = type(current)
        parts.append(f"{kind.__module__}.{kind.__qualname__} (message not logged)\n")

    walk(exc)
    return "".join(parts).rstrip("\n")


class SafeFormatter(logging.Formatter):
    """A Formatter whose tracebacks (`log.exception`, `exc_info=`) carry no messages."""

    def __init__(self, fmt: str = LOG_FORMAT) -> None:
        super().__init__(fmt)

    def formatException(self, ei: object) -> str:
        if isinstance(ei, tuple) and len(ei) == 3 and isinstance(ei[1], BaseException):
            return describe_exception(ei[1])
        return "(exception not logged)"


def install_crash_hooks(log: logging.Logger) -> None:
    """Uncaught exceptions, on the main thread or any other, are logged through `log` (whose
    handlers format them with SafeFormatter) instead of Python's default printing, which
    writes the message to stderr. Ctrl+C keeps Python's default."""

    def excepthook(
        kind: type[BaseException], value: BaseException, tb: types.TracebackType | None
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, value, tb)
            return
        log.critical("unexpected error (%s)", kind.__name__, exc_info=(kind, value, tb))

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None:
            return
        name = args.thread.name if args.thread else "?"
        info: _ExcInfo = (args.exc_type, args.exc_value, args.exc_traceback)
        log.critical("unexpected error in thread %s", name, exc_info=info)

    sys.excepthook = excepthook
    threading.excepthook = thread_hook


def printable(text: object) -> str:
    """Text safe for a terminal: control characters (escape codes, RTL overrides) made visible.
    Names and keys come from scanned codes, kiosks and operators, and so may hold anything."""
    out = []
    for ch in str(text):
        if ch == "\t" or (
            ord(ch) >= 32
            and ord(ch) != 127
            and not "\u202a" <= ch <= "\u202e"
            and not "\u2066" <= ch <= "\u2069"
        ):
            out.append(ch)
        else:
            out.append(f"\\u{ord(ch):04x}")
    return "".join(out)
