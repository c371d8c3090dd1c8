"""Files written whole or not at all, readable by their owner only: the one way the kiosk and the
central server write a file outside their databases (settings, the device token, the person-key
secret, the trust list, CSV exports, copies of a database).

The steps, and why each:
1. a temporary file beside the target (same folder, so same filesystem: the rename is atomic),
   created with mode 0600 and O_EXCL (never someone else's file, never readable by others, even
   for the instant before it is complete);
2. the caller fills it (bytes, text, or SQLite's backup API writing to the path);
3. fsync of the file: its data is on disk before any name points at it;
4. rename over the target (`replace=True`), or a hard link to a new name (`replace=False`: a
   file that appeared meanwhile is never replaced): a reader sees the old file or the new one,
   never half of one;
5. fsync of the folder: the rename itself survives a power cut (without it, a power cut right
   after enrollment could lose the device token while the server counts the code as used).

On an exception before the rename the temporary file is removed and the target is untouched.
A process killed midway leaves a `.NAME.XXXX.partial` file, which never looks like the target.

Thread contract: none (plain files); two writers of the same target at once each write a whole
file and the last rename wins.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

log = logging.getLogger(__name__)

PARTIAL_SUFFIX = ".partial"
# A hard link is refused by filesystems that have none (FAT, exFAT: USB sticks) with one of these.
_NO_HARD_LINKS = frozenset(
    {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EXDEV, errno.EMLINK}
)


def sync_folder(folder: Path) -> None:
    """fsync `folder`, so that a rename in it survives a power cut.

    Some filesystems (FAT on some kernels, FUSE) refuse to open or fsync a folder; the file's
    own data is on disk by then, so that is logged, not raised.
    """
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError as exc:
        log.info("cannot open the folder to sync it: %s", exc.strerror)
        return
    try:
        os.fsync(fd)
    except OSError as exc:
        log.info("cannot sync the folder: %s", exc.strerror)
    finally:
        os.close(fd)


def _sync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _link_new(tmp: Path, target: Path) -> None:
    """Give `tmp` the name `target`, which must not exist (FileExistsError)."""
    try:
        os.link(tmp, target)
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in _NO_HARD_LINKS:
            raise
        # No hard links here (a FAT stick): check, then rename. Only a writer racing for the
        # same new name between the two steps could be replaced, and none does on a stick.
        if target.exists():
            raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(target)) from exc
        tmp.replace(target)
        return
    tmp.unlink()


@contextlib.contextmanager
def private_path(target: Path, *, replace: bool = True, mode: int = 0o600) -> Iterator[Path]:
    """A new, empty, private (0600) temporary file beside `target`, for the caller to fill; on a
    clean exit it is synced and becomes `target` (steps 3-5 of the module docstring).

    `replace=False`: `target` must not exist, before the work starts and at the end
    (FileExistsError). `mode`: the file's mode once complete (a public key may be 0644; while
    it is written it is 0600 whatever this says). The folder must exist. Raises OSError; the
    target is then untouched and the temporary file removed.
    """
    target = Path(target)
    if not replace and target.exists():
        raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(target))
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=PARTIAL_SUFFIX, dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        if mode != 0o600:
            tmp.chmod(mode)
        _sync_file(tmp)
        if replace:
            tmp.replace(target)
        else:
            _link_new(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    sync_folder(target.parent)


def write_private(target: Path, data: bytes, *, replace: bool = True, mode: int = 0o600) -> Path:
    """Write `data` as the whole of `target` (private_path's contract). Returns the target."""
    with private_path(target, replace=replace, mode=mode) as tmp, tmp.open("wb") as handle:
        handle.write(data)
    return target


__all__ = ["PARTIAL_SUFFIX", "private_path", "sync_folder", "write_private"]
