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
    with _mounted(["-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs"], path, "a tmpfs"):
        yield path


@contextlib.contextmanager
def _mounted(options: list[str], path: Path, what: str) -> Iterator[None]:
    """`mount OPTIONS PATH` (PATH created), unmounted on the way out; skips the test when the
    mount is refused."""
    path.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", *options, str(path)], capture_output=True, text=True, check=False
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount {what} at {path}: {mounted.stderr.strip()}")
    try:
        yield
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


@contextlib.contextmanager
def ext4_image(image: Path, mountpoint: Path, megabytes: int = 32) -> Iterator[Path]:
    """An ext4 file system in the file `image`, loop-mounted at `mountpoint` with
    `errors=remount-ro` (what a server's disk is mounted with), yielded, unmounted at the end.
    Skips the test without root or the tools."""
    if os.geteuid() != 0:
        pytest.skip("loop-mounting an ext4 image needs root (run it as root in CI)")
    missing = [t for t in ("mkfs.ext4", "mount", "umount") if not shutil.which(t)]
    if missing:
        pytest.skip(f"needs {', '.join(missing)} (Debian: e2fsprogs, mount)")
    with image.open("wb") as handle:
        handle.truncate(megabytes << 20)
    made = subprocess.run(
        ["mkfs.ext4", "-q", "-F", str(image)], capture_output=True, text=True, check=False
    )
    if made.returncode != 0:
        pytest.skip(f"mkfs.ext4 failed: {made.stderr.strip()}")
    with _mounted(["-o", "loop,errors=remount-ro", str(image)], mountpoint, "an ext4 image"):
        yield mountpoint


def remount(mountpoint: Path, image: Path) -> None:
    """Unmount and mount the image again (read-write, as after the operator repaired it)."""
    subprocess.run(["umount", str(mountpoint)], capture_output=True, check=True)
    subprocess.run(["e2fsck", "-f", "-y", str(image)], capture_output=True, check=False)
    subprocess.run(
        ["mount", "-o", "loop,errors=remount-ro", str(image), str(mountpoint)],
        capture_output=True,
        check=True,
    )


def make_read_only(mountpoint: Path) -> None:
    """Make the kernel report an ext4 error on the file system at `mountpoint`: mounted with
    errors=remount-ro, it turns read-only at once, as after a disk error, while files are open
    (`mount -o remount,ro` would refuse: files are open for writing). Skips where the kernel
    offers no trigger."""
    source = subprocess.run(
        ["findmnt", "-n", "-o", "SOURCE", str(mountpoint)], capture_output=True, text=True
    ).stdout.strip()
    trigger = Path("/sys/fs/ext4") / Path(source).name / "trigger_fs_error"
    if not trigger.exists():
        pytest.skip(f"no {trigger}: this kernel cannot simulate an ext4 error")
    trigger.write_text("test: read-only\n")
