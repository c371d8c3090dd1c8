"""packaging/install.sh in dry-run mode, as CI exercises it: for each kind of machine, the
commands it would run and the files it would install (written under a staging directory), and
the unit files checked by `systemd-analyze verify`."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
INSTALL = ROOT / "packaging" / "install.sh"
UNIT = "etc/systemd/system/checkpoint-kiosk.service"

OS_RELEASES = {
    "bookworm": 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\n'
    "VERSION_CODENAME=bookworm\n",
    "trixie": 'PRETTY_NAME="Debian GNU/Linux 13 (trixie)"\nID=debian\nVERSION_CODENAME=trixie\n',
    "noble": 'PRETTY_NAME="Ubuntu 24.04 LTS"\nID=ubuntu\nID_LIKE=debian\nVERSION_CODENAME=noble\n',
    "fedora": 'PRETTY_NAME="Fedora Linux 40"\nID=fedora\nVERSION_ID=40\n',
}


def dry_run(
    tmp_path: Path, os_name: str, *args: str, arch: str = "aarch64", pi: str = "yes"
) -> tuple[subprocess.CompletedProcess[str], Path]:
    os_release = tmp_path / f"os-release-{os_name}"
    os_release.write_text(OS_RELEASES[os_name])
    staging = tmp_path / "staging"
    done = subprocess.run(
        [
            "bash",
            str(INSTALL),
            "--dry-run",
            "--staging",
            str(staging),
            "--os-release",
            str(os_release),
            "--arch",
            arch,
            "--raspberry-pi",
            pi,
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return done, staging


def commands(done: subprocess.CompletedProcess[str]) -> list[str]:
    return [line[2:] for line in done.stdout.splitlines() if line.startswith("+ ")]


def test_raspberry_pi_bookworm_with_a_camera_module(tmp_path: Path) -> None:
    done, staging = dry_run(tmp_path, "bookworm")
    assert done.returncode == 0, done.stderr
    cmds = commands(done)
    apt = next(c for c in cmds if "apt-get install" in c)
    for package in ("libzbar0", "libegl1", "libpulse0", "cage", "python3-picamera2"):
        assert f" {package}" in apt
    assert "apt-get update" in cmds
    assert any(c.startswith("useradd --system") and "checkpoint-kiosk" in c for c in cmds)
    assert "python3 -m venv --system-site-packages /opt/checkpoint-kiosk/venv" in cmds
    pip = next(c for c in cmds if "-m pip install" in c)
    assert "constraints-bookworm.txt" in pip and str(ROOT) in pip
    assert (
        "PySide6-Essentials==6.8.0.2" in (ROOT / "packaging/constraints-bookworm.txt").read_text()
    )
    assert "systemctl enable checkpoint-kiosk.service" in cmds

    unit = (staging / UNIT).read_text()
    for line in (
        "Type=notify",
        "NotifyAccess=all",
        "WatchdogSec=30",
        "Restart=always",
        "UMask=0077",
        "User=checkpoint-kiosk",
        "PAMName=checkpoint-kiosk",
        "ExecStart=/usr/bin/cage -d -s -- /opt/checkpoint-kiosk/venv/bin/kiosk run",
        "Environment=KIOSK_DATA_DIR=/var/lib/checkpoint-kiosk/data",
    ):
        assert line in unit.splitlines(), line
    # Boot never waits for the network or the clock.
    directives = [ln for ln in unit.splitlines() if not ln.startswith("#")]
    assert not [ln for ln in directives if "network-online" in ln or "time-sync" in ln]
    assert "@" not in "".join(ln for ln in directives if "@" in ln and "getty@" not in ln)
    assert "pam_systemd.so" in (staging / "etc/pam.d/checkpoint-kiosk").read_text()
    wrapper = staging / "usr/local/bin/kiosk"
    assert os.access(wrapper, os.X_OK)
    assert 'runuser -u "$run_as"' in wrapper.read_text()
    # Nothing outside the staging directory: the dry run printed, it did not install.
    assert "DRY RUN" in done.stdout


def test_debian_trixie_pc_with_a_usb_webcam(tmp_path: Path) -> None:
    done, _ = dry_run(tmp_path, "trixie", arch="x86_64", pi="no")
    assert done.returncode == 0, done.stderr
    cmds = commands(done)
    assert "python3 -m venv /opt/checkpoint-kiosk/venv" in cmds  # no system site packages
    apt = next(c for c in cmds if "apt-get install" in c)
    assert "python3-picamera2" not in apt and " v4l-utils" in apt
    assert "--constraint" not in next(c for c in cmds if "-m pip install" in c)


def test_ubuntu_is_accepted_and_an_unknown_os_is_refused(tmp_path: Path) -> None:
    done, _ = dry_run(tmp_path, "noble", arch="x86_64", pi="no")
    assert done.returncode == 0, done.stderr
    done, _ = dry_run(tmp_path, "fedora", arch="x86_64", pi="no")
    assert done.returncode == 2
    assert "not Debian, Ubuntu or Raspberry Pi OS" in done.stderr
    done, _ = dry_run(tmp_path, "bookworm", arch="armv7l")
    assert done.returncode == 2 and "64-bit" in done.stderr


def test_offline_install_uses_only_the_bundle(tmp_path: Path) -> None:
    bundle = tmp_path / "bundle"
    (bundle / "wheels").mkdir(parents=True)
    done, _ = dry_run(tmp_path, "bookworm", "--offline", str(bundle))
    assert done.returncode == 0, done.stderr
    cmds = commands(done)
    assert "apt-get update" not in cmds
    pip = next(c for c in cmds if "-m pip install" in c)
    assert f"--no-index --find-links {bundle}/wheels" in pip and pip.endswith(" kiosk")

    done, _ = dry_run(tmp_path, "bookworm", "--offline", str(tmp_path / "not-a-bundle"))
    assert done.returncode == 2 and "not an offline bundle" in done.stderr


def test_an_offline_site_gets_the_authority_key_at_install(tmp_path: Path) -> None:
    key = "eHbOFx3v7VDONmDm6RUVV0O530WDEcrhtnTAasTU4wA="
    (tmp_path / "bundle" / "wheels").mkdir(parents=True)
    bundle = str(tmp_path / "bundle")
    done, _ = dry_run(tmp_path, "bookworm", "--offline", bundle, "--authority-key", key)
    assert done.returncode == 0, done.stderr
    assert f"/usr/local/bin/kiosk config set authority_public_key {key}" in commands(done)


def test_the_admin_pin_is_set_at_install_or_the_installer_says_how(tmp_path: Path) -> None:
    """Issue #13: the PIN exists before the first visitor (`kiosk set-pin` on the console)."""
    done, _ = dry_run(tmp_path, "bookworm", "--admin-pin")
    assert done.returncode == 0, done.stderr
    assert "/usr/local/bin/kiosk set-pin" in commands(done)
    done, _ = dry_run(tmp_path, "bookworm", "--admin-pin-stdin")
    assert "/usr/local/bin/kiosk set-pin --stdin" in commands(done)
    done, _ = dry_run(tmp_path, "bookworm")
    assert not any("set-pin" in c for c in commands(done))
    assert "no administration PIN yet" in done.stdout and "sudo kiosk set-pin" in done.stdout


def test_labwc_desktop_session(tmp_path: Path) -> None:
    done, _ = dry_run(tmp_path, "bookworm", "--session", "labwc")
    assert done.returncode == 2 and "--user" in done.stderr
    done, staging = dry_run(tmp_path, "bookworm", "--session", "labwc", "--user", "pi")
    assert done.returncode == 0, done.stderr
    cmds = commands(done)
    assert "raspi-config nonint do_blanking 1" in cmds  # the desktop's screen blanking off
    unit = (staging / "etc/systemd/user/checkpoint-kiosk.service").read_text().splitlines()
    assert "ConditionUser=pi" in unit and "Type=notify" in unit
    home = done.stdout.split("data: ")[1].split("/.local")[0]
    autostart = (staging / home.lstrip("/") / ".config/labwc/autostart").read_text()
    assert "systemctl --user start checkpoint-kiosk.service" in autostart


def _verify(unit: Path, *, user: bool, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if user:
        runtime = tmp_path / "runtime"
        runtime.mkdir(mode=0o700, exist_ok=True)
        env["XDG_RUNTIME_DIR"] = str(runtime)
    return subprocess.run(
        ["systemd-analyze", "verify", *(["--user"] if user else []), str(unit)],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )


def test_unit_files_pass_systemd_analyze_verify(tmp_path: Path) -> None:
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed (apt install systemd)")
    # verify checks that ExecStart's programs exist: the units are rendered against a prefix
    # and a cage in tmp_path that exist (stand-ins), as install.sh renders them for real.
    prefix = tmp_path / "opt"
    cage = tmp_path / "bin" / "cage"
    for program in (prefix / "venv" / "bin" / "kiosk", cage):
        program.parent.mkdir(parents=True, exist_ok=True)
        program.write_text("#!/bin/sh\n")
        program.chmod(0o755)
    done, staging = dry_run(tmp_path, "bookworm", "--prefix", str(prefix), "--cage", str(cage))
    assert done.returncode == 0, done.stderr
    result = _verify(staging / UNIT, user=False, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "", result.stderr  # no unknown keys, no warnings

    done, staging = dry_run(
        tmp_path, "bookworm", "--session", "labwc", "--user", "pi", "--prefix", str(prefix)
    )
    assert done.returncode == 0, done.stderr
    result = _verify(
        staging / "etc/systemd/user/checkpoint-kiosk.service", user=True, tmp_path=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "", result.stderr


def test_offline_bundle_script_documents_its_limits() -> None:
    """make-offline-bundle.sh needs the internet (CI has none): its usage and limits are
    checked here, the download itself by hand (docs/operations.md)."""
    done = subprocess.run(
        ["bash", str(ROOT / "packaging/make-offline-bundle.sh"), "--help"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert done.returncode == 0
    assert "bookworm-aarch64" in done.stdout and "apt-get download" in done.stdout
    syntax = subprocess.run(["bash", "-n", str(INSTALL)], capture_output=True, check=False)
    assert syntax.returncode == 0


def _bash_array(path: Path, name: str) -> list[str]:
    """The words of a bash array assignment `NAME=(...)` in a script."""
    text = path.read_text()
    start = text.index(f"{name}=(") + len(name) + 2
    return text[start : text.index(")", start)].split()


def test_qt_platform_libraries_are_installed_by_setup_and_the_installer(tmp_path: Path) -> None:
    """What Qt's xcb and wayland platform plugins load (found with `ldd` on PySide6's
    libqxcb.so, libqwayland*.so, libQt6XcbQpa and libQt6WaylandClient on Debian 12): the
    same list in scripts/setup and packaging/install.sh, and the installer installs it (and
    Xwayland, without which Debian's cage does not start)."""
    setup = _bash_array(ROOT / "scripts" / "setup", "QT_PLATFORM_PACKAGES")
    installer = _bash_array(ROOT / "packaging" / "install.sh", "QT_PLATFORM_PACKAGES")
    assert setup == installer
    for package in ("libxcb-icccm4", "libxcb-keysyms1", "libxcb-cursor0", "libwayland-cursor0"):
        assert package in setup
    done, _ = dry_run(tmp_path, "bookworm")
    assert done.returncode == 0, done.stderr
    apt = next(c for c in commands(done) if "apt-get install" in c)
    for package in (*setup, "cage", "xwayland"):
        assert f" {package}" in apt, package


def test_the_authority_root_is_pinned_at_install_from_its_pub_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from kiosk.cli import main
    from tests.authority import ROOT_FINGERPRINT, ROOT_TEXT, root_key_file

    keys = tmp_path / "keys"
    keys.mkdir()
    private = root_key_file(keys)
    done, _ = dry_run(tmp_path, "bookworm", "--authority", str(keys / "root.pub"))
    assert done.returncode == 0, done.stderr
    [pin] = [c for c in commands(done) if "authority_signing_key" in c]
    assert pin == f"/usr/local/bin/kiosk config set authority_signing_key {ROOT_TEXT}"
    # The command the installer runs pins it and shows the fingerprint to compare.
    config = tmp_path / "kiosk.toml"
    assert main(["config", "set", "authority_signing_key", ROOT_TEXT, "--config", str(config)]) == 0
    assert f'authority_signing_key = "{ROOT_TEXT}"' in config.read_text()
    assert f"fingerprint: {ROOT_FINGERPRINT}" in capsys.readouterr().err
    # The root's private key is refused: it never leaves the offline machine.
    done, _ = dry_run(tmp_path, "bookworm", "--authority", str(private))
    assert done.returncode == 2 and "is a private key" in done.stderr
