"""`kiosk doctor` as a technician runs it: the real command on a real data directory, a real
reference server on 127.0.0.1, a really full disk. What is blocking makes the exit code
non-zero; what the kiosk survives (offline, no sound) is a warning."""

from __future__ import annotations

import json
import os
import re
import socket
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database

from kiosk.cli import EXIT_DOCTOR, EXIT_OK, main
from kiosk.config import Settings, save_settings, settings_with
from kiosk.datadir import TOKEN_FILE_NAME
from kiosk.doctor import VOLATILE_FS, filesystem_type
from kiosk.pin import hash_pin
from kiosk.store import Store, migrations
from tests.authority import ROOT_FINGERPRINT, ROOT_TEXT, set_up_authority_at
from tests.central.test_live import Server, run_cli, start_server
from tests.conftest import AUTHORITY
from tests.reliability.tmpfs import fill, tmpfs

# A kiosk installed as the guide says: with the authority's sealing key and an admin PIN.
PIN_HASH = hash_pin("482915")


class Site:
    def __init__(self, root: Path) -> None:
        self.data = root / "data"
        self.config = root / "kiosk.toml"
        # Installed as the operator's guide says: the health authority's root pinned, its
        # sealing key and an admin PIN.
        installed = Settings(
            source="demo",
            language="en",
            authority_public_key=AUTHORITY.public.to_text(),
            admin_pin_hash=PIN_HASH,
            authority_signing_key=ROOT_TEXT,
        )
        save_settings(installed, self.config)

    def set(self, **changes: Any) -> None:
        from kiosk.config import load_settings

        save_settings(settings_with(load_settings(self.config), **changes), self.config)

    def doctor(self, capsys: Any, *args: str) -> tuple[int, dict[str, dict[str, str]]]:
        code = main(
            ["doctor", "--json", "--data-dir", str(self.data), "--config", str(self.config), *args]
        )
        rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
        return code, {row["check"]: row for row in rows}


@pytest.fixture
def site(tmp_path: Path) -> Site:
    return Site(tmp_path)


def _volatile(path: Path) -> bool:
    return filesystem_type(path) in VOLATILE_FS


def test_missing_camera_is_blocking_when_a_camera_is_configured(site: Site, capsys: Any) -> None:
    code, rows = site.doctor(capsys, "--source", "camera:/dev/video99")
    assert code == EXIT_DOCTOR
    assert rows["camera"]["status"] == "fail"
    assert "/dev/video99" in rows["camera"]["detail"]
    assert "Plug the camera in" in rows["camera"]["action"]

    # The table a technician reads: the problem, what to do, and the verdict.
    code = main(
        [
            "doctor",
            "--data-dir",
            str(site.data),
            "--config",
            str(site.config),
            "--source",
            "camera:/dev/video99",
        ]
    )
    table = capsys.readouterr().out
    assert code == EXIT_DOCTOR
    assert re.search(r"^camera +FAIL", table, re.MULTILINE)
    assert "→ Plug the camera in" in table
    assert "NOT READY" in table and "(camera" in table


def test_a_kiosk_without_the_authority_key_fails_and_keeps_no_personal_data(
    site: Site, capsys: Any
) -> None:
    site.set(authority_public_key="")
    code = "001099012345|NGUYEN VAN AN|1990-12-01|0|163000000000000001|<1<<0900000000"
    # `kiosk scan` never refuses for lack of a key: the scan is recorded (clear fields only).
    assert main(["scan", "--data-dir", str(site.data), "--config", str(site.config), code]) == 0
    capsys.readouterr()
    exit_code, rows = site.doctor(capsys)
    row = rows["personal data"]
    assert row["status"] == "fail" and "no health authority key" in row["detail"]
    assert "(1 such records)" in row["detail"]
    assert "kiosk enroll" in row["action"] and "--authority" in row["action"]
    assert exit_code == 7


def test_a_kiosk_without_an_admin_pin_fails(site: Site, capsys: Any) -> None:
    site.set(admin_pin_hash="")
    exit_code, rows = site.doctor(capsys)
    row = rows["admin PIN"]
    assert row["status"] == "fail" and "no administration PIN" in row["detail"]
    assert "kiosk set-pin" in row["action"]
    assert exit_code == 7
    # A PIN hash from before the 6-digit rule (it may hide a 4-digit PIN) fails too.
    site.set(admin_pin_hash="scrypt$16384$8$1$c3Nzc3Nzc3Nzc3Nzc3Nzcw==$" + "A" * 43 + "=")
    _, rows = site.doctor(capsys)
    assert rows["admin PIN"]["status"] == "fail" and "6 digits" in rows["admin PIN"]["detail"]
    site.set(admin_pin_hash=PIN_HASH)
    _, rows = site.doctor(capsys)
    assert rows["admin PIN"]["status"] == "ok"


def test_demo_source_is_a_warning_not_a_failure(site: Site, capsys: Any) -> None:
    code, rows = site.doctor(capsys)
    assert rows["camera"]["status"] == "warn"
    assert "test source" in rows["camera"]["detail"]
    assert rows["decoder"]["status"] in ("ok", "warn")  # reads a rendered code
    assert rows["server"]["status"] == "warn" and "not enrolled" in rows["server"]["detail"]
    if not _volatile(site.data):
        assert code == EXIT_OK, rows


@pytest.fixture
def full_disk(tmp_path: Path) -> Iterator[Path]:
    """A 4 MB tmpfs holding a kiosk database, then filled to the last byte."""
    with tmpfs(tmp_path / "small") as mount_point:
        data = mount_point / "data"
        with Store.open(data / "kiosk.db"):
            pass
        fill(mount_point / "filler", leave=0)
        yield data


def test_full_disk_is_blocking(site: Site, full_disk: Path, capsys: Any) -> None:
    site.data = full_disk
    code, rows = site.doctor(capsys)
    assert code == EXIT_DOCTOR
    assert rows["disk"]["status"] == "fail"
    assert "full" in rows["disk"]["detail"]
    assert "Free space" in rows["disk"]["action"]
    # A tmpfs is also erased at reboot: said as its own problem.
    assert rows["storage"]["status"] == "fail"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_unreachable_server_is_a_warning(site: Site, capsys: Any) -> None:
    port = _free_port()  # closed again: nothing listens there
    site.set(server_url=f"http://127.0.0.1:{port}")
    site.data.mkdir(parents=True, mode=0o700)
    (site.data / TOKEN_FILE_NAME).write_text("some-token")
    code, rows = site.doctor(capsys)
    assert rows["server"]["status"] == "warn"
    assert f"cannot reach http://127.0.0.1:{port}" in rows["server"]["detail"]
    assert "records wait on the kiosk" in rows["server"]["detail"]
    assert "server" not in [name for name, row in rows.items() if row["status"] == "fail"]
    if not _volatile(site.data):
        assert code == EXIT_OK, rows


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[Server, Path]]:
    db = tmp_path / "central.db"
    set_up_authority_at(db)
    with start_server(db) as live:
        yield live, db


def _enroll(site: Site, server: Server, db: Path, capsys: Any) -> None:
    made = run_cli(db, "enrollment-code", "--checkpoint", "Chợ Bến Thành")
    assert made.returncode == 0, made.stderr
    code = main(
        [
            "enroll",
            server.url,
            made.stdout.strip(),
            "--authority-fingerprint",
            ROOT_FINGERPRINT,
            "--data-dir",
            str(site.data),
            "--config",
            str(site.config),
        ]
    )
    assert code == EXIT_OK
    capsys.readouterr()


def test_enrolled_kiosk_with_the_real_server_is_ready(
    site: Site, server: tuple[Server, Path], capsys: Any
) -> None:
    live, db = server
    _enroll(site, live, db, capsys)
    code, rows = site.doctor(capsys)
    assert rows["server"]["status"] == "ok"
    assert live.url in rows["server"]["detail"] and "Chợ Bến Thành" in rows["server"]["detail"]
    assert rows["device token"]["status"] == "ok"
    assert rows["database"]["status"] == "ok" and "intact" in rows["database"]["detail"]
    assert rows["personal data"]["status"] == "ok"
    assert "sealed to the health authority's key" in rows["personal data"]["detail"]
    # The offset to the server's clock was measured (same machine: well under a second).
    assert "the server (measured now)" in rows["clock"]["detail"]
    assert rows["authority key"]["status"] == "ok"
    assert ROOT_FINGERPRINT in rows["authority key"]["detail"]
    assert rows["transport"]["status"] == "ok"
    # The signed documents the first sync accepted, with their ages.
    assert rows["documents"]["status"] == "ok"
    assert "settings v" in rows["documents"]["detail"]
    assert "sealing key v1" in rows["documents"]["detail"]
    fails = {name for name, row in rows.items() if row["status"] == "fail"}
    if _volatile(site.data):
        fails.discard("storage")
    assert not fails, rows
    if not _volatile(site.data):
        assert code == EXIT_OK


def test_a_refused_token_is_blocking(site: Site, server: tuple[Server, Path], capsys: Any) -> None:
    live, db = server
    _enroll(site, live, db, capsys)
    (site.data / TOKEN_FILE_NAME).write_text("not-the-token-the-server-gave")
    code, rows = site.doctor(capsys)
    assert code == EXIT_DOCTOR
    assert rows["server"]["status"] == "ok"
    assert rows["device token"]["status"] == "fail"
    assert "refused" in rows["device token"]["detail"]
    assert "enroll again" in rows["device token"]["action"]


def test_no_pinned_authority_key_is_blocking(site: Site, capsys: Any) -> None:
    site.set(authority_signing_key="")
    code, rows = site.doctor(capsys)
    assert code == EXIT_DOCTOR
    assert rows["authority key"]["status"] == "fail"
    assert "no health authority key is pinned" in rows["authority key"]["detail"]
    assert "install.sh --authority" in rows["authority key"]["action"]


def test_tls_verification_off_or_plain_http_to_another_machine_is_blocking(
    site: Site, capsys: Any
) -> None:
    # Only with --insecure can verification be turned off at all; the doctor fails it.
    config = ["--data-dir", str(site.data), "--config", str(site.config)]
    with pytest.raises(SystemExit) as refused:
        main(["config", "set", "verify_tls", "false", *config])
    assert refused.value.code == 2
    assert "--insecure" in capsys.readouterr().err
    assert main(["config", "set", "verify_tls", "false", "--insecure", *config]) == EXIT_OK
    site.set(server_url="https://central.example.vn")
    code, rows = site.doctor(capsys)
    assert code == EXIT_DOCTOR
    assert rows["transport"]["status"] == "fail"
    assert "NOT checked" in rows["transport"]["detail"]
    # An old settings file with plain http to another machine (set before this check existed).
    site.set(verify_tls=True, server_url="http://192.0.2.10:8000")
    site.data.mkdir(parents=True, mode=0o700, exist_ok=True)
    (site.data / TOKEN_FILE_NAME).write_text("some-token")
    code, rows = site.doctor(capsys)
    assert code == EXIT_DOCTOR
    assert rows["transport"]["status"] == "fail"
    assert "plain http to 192.0.2.10 is refused" in rows["transport"]["detail"]
    assert rows["server"]["status"] == "fail"  # not even tried: the token would go in clear


def test_the_doctor_changes_nothing_in_the_data_directory(site: Site, capsys: Any) -> None:
    """It says it writes nothing, and it does not: the database is opened read-only (no
    migration, no copy before one, no device id, no sealing) and its disk probe is removed."""
    site.data.mkdir(parents=True, mode=0o700)
    path = site.data / "kiosk.db"
    conn = sqlite3.connect(path, isolation_level=None)
    migrations.apply(Database(conn, execute_plugins=False), stop_before="0005_sealed_personal_data")
    conn.close()
    before = path.read_bytes()
    _, rows = site.doctor(capsys)
    assert rows["database"]["status"] == "ok", rows["database"]
    assert "upgraded" in rows["database"]["detail"]
    assert "0005_sealed_personal_data" in rows["database"]["detail"]
    assert path.read_bytes() == before
    # Nothing new but what any reader of a WAL database may leave (its -wal and -shm files).
    assert {p.name for p in site.data.iterdir()} <= {"kiosk.db", "kiosk.db-wal", "kiosk.db-shm"}


def test_damaged_database_is_blocking(site: Site, capsys: Any) -> None:
    site.data.mkdir(parents=True, mode=0o700)
    (site.data / "kiosk.db").write_bytes(b"this is not a database" * 100)
    code, rows = site.doctor(capsys)
    assert code == EXIT_DOCTOR
    assert rows["database"]["status"] == "fail"
    assert "restore the latest backup" in rows["database"]["action"]


def test_backup_is_a_consistent_private_copy(site: Site, capsys: Any, tmp_path: Path) -> None:
    assert (
        main(
            [
                "scan",
                "079199012345|212345678|Trần Thị Bích Ngọc|15081999|Nữ|Số 12|20042021",
                "--data-dir",
                str(site.data),
                "--config",
                str(site.config),
            ]
        )
        == EXIT_OK
    )
    out = tmp_path / "stick"
    out.mkdir()
    assert (
        main(["backup", str(out), "--data-dir", str(site.data), "--config", str(site.config)])
        == EXIT_OK
    )
    (copy,) = out.glob("kiosk-*.db")
    assert copy.stat().st_mode & 0o777 == 0o600
    assert not list(out.glob("*.partial")) and not list(out.glob("*-wal"))
    with Store.open(copy) as restored:
        assert restored.integrity_ok()
        assert len(list(restored.events())) == 1
    # Never overwrites: a second backup to the same file is refused (exit 3).
    with pytest.raises(SystemExit) as refused:
        main(["backup", str(copy), "--data-dir", str(site.data), "--config", str(site.config)])
    assert refused.value.code == 3


# -- the screen: Qt's platform plugins started for real --------------------------------------


def _no_display(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "XDG_SESSION_TYPE"):
        monkeypatch.delenv(name, raising=False)


def test_a_library_the_xcb_plugin_cannot_load_is_named_with_its_package(
    site: Site, capsys: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A broken libxcb-icccm.so.4 first on the loader's path: Qt's xcb plugin really fails to
    load, and the doctor says which library and which package, and blocks."""
    broken = tmp_path / "broken-libs"
    broken.mkdir()
    (broken / "libxcb-icccm.so.4").write_bytes(b"not a library")
    _no_display(monkeypatch)
    monkeypatch.setenv("LD_LIBRARY_PATH", str(broken))
    code, rows = site.doctor(capsys)
    assert code == EXIT_DOCTOR
    screen = rows["screen"]
    assert screen["status"] == "fail"
    assert "xcb platform plugin cannot load: libxcb-icccm.so.4" in screen["detail"]
    assert screen["action"].startswith("sudo apt install libxcb-icccm4")


def test_without_a_display_the_plugins_are_loaded(monkeypatch: pytest.MonkeyPatch) -> None:
    from kiosk.doctor import Status, check_screen, start_platform

    _no_display(monkeypatch)
    for platform in ("xcb", "wayland"):
        result = start_platform(platform)
        assert not result.started and result.missing == ()  # loaded; nothing to show on
    check = check_screen()
    assert check.status is Status.OK
    assert "no display in this session" in check.detail


def test_under_an_x_server_qt_is_started(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kiosk.doctor import Status, check_screen
    from tests.ui.test_virtual_keyboard import xvfb

    _no_display(monkeypatch)
    with xvfb(tmp_path) as display:
        check = check_screen({**os.environ, "DISPLAY": display})
    assert check.status is Status.OK
    assert check.detail == "Qt starts on xcb"


def test_under_a_wayland_compositor_qt_is_started(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kiosk.doctor import Status, check_screen
    from tests.ui.test_virtual_keyboard import weston

    _no_display(monkeypatch)
    with weston(tmp_path, xwayland=True) as env:
        check = check_screen({**os.environ, **env})
    assert check.status is Status.OK
    assert check.detail == "Qt starts on wayland, xcb"  # Xwayland too: the keyboard's way


@pytest.mark.parametrize(
    ("soname", "package"),
    [
        ("libxcb-icccm.so.4", "libxcb-icccm4"),
        ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0"),
        ("libX11-xcb.so.1", "libx11-xcb1"),
        ("libwayland-cursor.so.0", "libwayland-cursor0"),
        ("libEGL.so.1", "libegl1"),
    ],
)
def test_debian_package_names(soname: str, package: str) -> None:
    from kiosk.doctor import debian_package

    assert debian_package(soname) == package
