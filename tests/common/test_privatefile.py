"""The one private writer (checkpoint_common.privatefile): whole files or nothing, mode 0600,
never replacing a file it must not replace, nothing left behind on failure."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest

from checkpoint_common.privatefile import PARTIAL_SUFFIX, private_path, write_private


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_a_file_is_written_whole_and_private(tmp_path: Path) -> None:
    os.umask(0o022)  # even under a permissive umask
    target = tmp_path / "device_token"
    write_private(target, b"first")
    write_private(target, b"second")  # replaced in one rename
    assert target.read_bytes() == b"second"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert _names(tmp_path) == ["device_token"]


def test_a_failure_midway_leaves_the_old_file_and_no_temporary_one(tmp_path: Path) -> None:
    target = tmp_path / "kiosk.toml"
    write_private(target, b"old")
    with pytest.raises(RuntimeError), private_path(target) as tmp:
        tmp.write_bytes(b"half of the new")
        raise RuntimeError("power cut, as far as this file knows")
    assert target.read_bytes() == b"old"
    assert _names(tmp_path) == ["kiosk.toml"]


def test_a_new_file_never_replaces_one_that_exists(tmp_path: Path) -> None:
    target = tmp_path / "person_key.secret"
    write_private(target, b"theirs", replace=False)
    with pytest.raises(FileExistsError):
        write_private(target, b"mine", replace=False)
    # Made by someone else while this one was being written: theirs stays.
    with (
        pytest.raises(FileExistsError),
        private_path(target.with_name("late"), replace=False) as tmp,
    ):
        tmp.write_bytes(b"mine")
        target.with_name("late").write_bytes(b"theirs")
    assert target.read_bytes() == b"theirs"
    assert target.with_name("late").read_bytes() == b"theirs"
    assert not [n for n in _names(tmp_path) if n.endswith(PARTIAL_SUFFIX)]


def test_a_path_can_be_filled_by_sqlite(tmp_path: Path) -> None:
    """What the database copies do: SQLite writes the temporary path, then it gets its name."""
    target = tmp_path / "copy.db"
    with private_path(target, replace=False) as tmp:
        with sqlite3.connect(tmp) as conn:
            conn.execute("CREATE TABLE t (x)")
        conn.close()
        assert not target.exists()  # nothing under the name until it is complete
    with sqlite3.connect(target) as conn:
        assert conn.execute("SELECT count(*) FROM t").fetchone() == (0,)
    conn.close()
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_a_file_meant_to_be_read_by_others_gets_its_mode_only_when_complete(
    tmp_path: Path,
) -> None:
    target = tmp_path / "authority.pub"
    with private_path(target, replace=False, mode=0o644) as tmp:
        tmp.write_bytes(b"public")
        assert stat.S_IMODE(tmp.stat().st_mode) == 0o600  # nobody reads half of it
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert write_private(tmp_path / "secret", b"x").stat().st_mode & 0o077 == 0
