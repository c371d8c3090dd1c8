"""A small tmpfs as a kiosk's data directory, for the disk-full tests (../shared/RELIABILITY.md:
"tmpfs or a loop-mounted ext4 file for disk-full").

Mounting needs root: without it (or when the mount is refused, e.g. in a container without
CAP_SYS_ADMIN) the test is skipped with the reason. The mount is always undone.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


@contextlib.contextmanager
def tmpfs(path: Path, size: str = "4m") -> Iterator[Path]:
    """Mount a tmpfs of `size` at `path` (created), yield it, unmount it."""
    if os.geteuid() != 0:
        pytest.skip("disk-full tests mount a tmpfs, which needs root (run them as root in CI)")
    if shutil.which("mount") is None:
        pytest.skip("no mount command on this machine")
    path.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs at {path}: {mounted.stderr.strip()}")
    try:
        yield path
    finally:
        if subprocess.run(["umount", str(path)], capture_output=True, check=False).returncode:
            # Something still holds a file there (a failed test's open database): detach it.
            subprocess.run(["umount", "-l", str(path)], capture_output=True, check=False)


def fill(filler: Path, *, leave: int) -> int:
    """Write zeros to `filler` until about `leave` bytes are free on its filesystem; returns
    the bytes free after (tmpfs counts in pages)."""
    size = shutil.disk_usage(filler.parent).free - leave
    chunk = b"\0" * (1 << 20)
    with filler.open("wb") as handle:
        while size > 0:
            size -= handle.write(chunk[: min(size, len(chunk))])
        handle.flush()
        os.fsync(handle.fileno())
    return shutil.disk_usage(filler.parent).free
