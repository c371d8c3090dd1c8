"""A real browser for the web console's tests and screenshots: Debian's chromium driven by
Playwright (never Playwright's own browser download: it is not reachable, and CI installs the
`chromium` package, scripts/test). Headless, no sandbox (root in CI), and nothing that would
make the browser talk to any host but the server under test."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Browser

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = (
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-domain-reliability",
    "--disable-client-side-phishing-detection",
    "--disable-breakpad",
    "--metrics-recording-only",
    "--no-first-run",
    "--no-pings",
    "--dns-prefetch-disable",
)


def chromium_path() -> Path | None:
    """Debian's chromium, if installed (scripts/test installs it)."""
    if CHROMIUM.exists():
        return CHROMIUM
    found = shutil.which("chromium")
    return Path(found) if found else None


@contextmanager
def chromium() -> Iterator[Browser]:
    """A headless chromium (raises RuntimeError when it is not installed)."""
    from playwright.sync_api import sync_playwright

    path = chromium_path()
    if path is None:
        raise RuntimeError("chromium is not installed (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(path), headless=True, args=list(FLAGS)
        )
        try:
            yield browser
        finally:
            browser.close()
