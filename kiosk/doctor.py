"""`kiosk doctor`: is this machine ready to be a checkpoint? One row per check, in words a site
technician understands, with what to do about it.

Status of a check:
  ok    nothing to do;
  warn  the kiosk works, but something is worth fixing (no sound, offline, clock unsynced);
  fail  blocking: the kiosk cannot do its job (no camera when one is configured, no decoder,
        a damaged database, a full or non-persistent disk, a refused device token).

`kiosk doctor` exits non-zero when any check fails (kiosk.cli.EXIT_DOCTOR).

Qt-free (like every core module): the screen is checked by starting Qt's platform plugins in a
child process (`check_screen`), which names the system libraries they cannot load. Run it as
the kiosk's user with the kiosk stopped when testing the camera: a camera the kiosk holds is
"busy" to everyone else.

What it writes: nothing that stays. The database is opened read-only (`Store.open_read_only`:
no migration, no device id, no sealing; like any reader of a WAL database it may create the
`-wal`/`-shm` files beside it). The disk check writes a 64 KB probe file in the data directory
and deletes it at once (free space can be reported but not writable). Nothing else is created:
a data directory that does not exist yet is reported, not made.
"""

from __future__ import annotations

import contextlib
import ctypes.util
import datetime as dt
import errno
import fcntl
import importlib.metadata
import importlib.resources
import importlib.util
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from checkpoint_common.seal import PublicKey, SealError
from kiosk import declarations as declaration_keys
from kiosk.clock import SystemClock, from_iso
from kiosk.config import Settings
from kiosk.datadir import DataDir
from kiosk.gate import LOW_SPACE_BYTES
from kiosk.scanner.choose import choose_source, picamera2_importable
from kiosk.store import Store, StoreError

SERVICE = "checkpoint-kiosk"

# Free space below the gate's own warning threshold (kiosk.gate.LOW_SPACE_BYTES: the screen
# asks for the site manager then) is a warning here too; a disk that refuses a write is a
# failure.
WARN_FREE_BYTES = LOW_SPACE_BYTES
CLOCK_WARN_OFFSET_S = 60.0
# Filesystems whose contents do not survive a reboot (an overlay root, RAM).
VOLATILE_FS = frozenset({"tmpfs", "ramfs", "overlay", "overlayfs", "aufs", "squashfs"})
# V4L2 devices on a Raspberry Pi that are not webcams: the CSI receiver (raw Bayer; a camera
# module is read with Picamera2 instead) and the hardware codecs / ISP.
PI_INTERNAL_V4L2 = ("unicam", "rp1-cfe", "bcm2835-codec", "bcm2835-isp", "pispbe", "rpivid")


class Status(StrEnum):
    OK = "ok"
    WARN = "warn"
    FAIL = "fail"


@dataclass(frozen=True, slots=True)
class Check:
    """One row of the report. `detail` says what was found, `action` what to do (empty when
    nothing)."""

    name: str
    status: Status
    detail: str
    action: str = ""

    def to_json(self) -> dict[str, str]:
        return {
            "check": self.name,
            "status": self.status.value,
            "detail": self.detail,
            "action": self.action,
        }


def blocking(checks: Iterable[Check]) -> list[Check]:
    return [c for c in checks if c.status is Status.FAIL]


# -- camera ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class VideoDevice:
    path: str
    card: str  # the V4L2 device name ("HD Pro Webcam C920")
    driver: str
    capture: bool  # offers video capture (a webcam's second node is metadata only)

    @property
    def pi_internal(self) -> bool:
        return any(name in f"{self.driver} {self.card}".lower() for name in PI_INTERNAL_V4L2)


_VIDIOC_QUERYCAP = 0x80685600  # _IOR('V', 0, struct v4l2_capability), 104 bytes
_V4L2_CAP_VIDEO_CAPTURE = 0x00000001
_V4L2_CAP_DEVICE_CAPS = 0x80000000


def video_devices(dev: Path = Path("/dev")) -> list[VideoDevice]:
    """The V4L2 devices (/dev/videoN), with what VIDIOC_QUERYCAP says about each. A device
    that cannot be opened (permissions, busy) is listed with capture=True and its sysfs name:
    better shown than hidden."""
    found = []
    for path in sorted(dev.glob("video[0-9]*"), key=lambda p: int(p.name[5:] or 0)):
        sys_name = Path("/sys/class/video4linux") / path.name / "name"
        try:
            card = sys_name.read_text().strip()
        except OSError:
            card = "?"
        driver, capture = "", True
        try:
            fd = os.open(path, os.O_RDWR | os.O_NONBLOCK)
        except OSError:
            found.append(VideoDevice(str(path), card, driver, capture))
            continue
        try:
            buffer = bytearray(104)
            fcntl.ioctl(fd, _VIDIOC_QUERYCAP, buffer)
            driver = bytes(buffer[0:16]).split(b"\0")[0].decode("utf-8", "replace")
            card = bytes(buffer[16:48]).split(b"\0")[0].decode("utf-8", "replace") or card
            caps = int.from_bytes(buffer[84:88], "little")
            device_caps = int.from_bytes(buffer[88:92], "little")
            effective = device_caps if caps & _V4L2_CAP_DEVICE_CAPS else caps
            capture = bool(effective & _V4L2_CAP_VIDEO_CAPTURE)
        except OSError:
            pass  # not a V4L2 node after all; keep the sysfs name
        finally:
            os.close(fd)
        found.append(VideoDevice(str(path), card, driver, capture))
    return found


def check_camera(requested: str, *, frames: int = 3) -> Check:
    devices = video_devices()
    webcams = [d for d in devices if d.capture and not d.pi_internal]
    seen = ", ".join(f"{d.path} ({d.card})" for d in webcams) or "no USB camera"
    if picamera2_importable():
        seen += "; Picamera2 installed"
    spec = choose_source(requested).spec
    kind = spec.split(":", 1)[0]
    if kind not in ("camera", "picamera"):
        if requested == "auto":
            return Check(
                "camera",
                Status.WARN,
                f"no camera found ({seen}): the kiosk will run its DEMO source",
                "Plug in a USB webcam (or connect a Pi camera module and install "
                "python3-picamera2), then run `kiosk doctor` again. A USB 2D scanner works "
                "without a camera.",
            )
        return Check(
            "camera",
            Status.WARN,
            f"the source is {spec!r}, a test source, not a camera ({seen})",
            "For a real checkpoint: kiosk config set source auto (or camera:0, picamera)",
        )
    from kiosk.scanner.sources import open_source  # OpenCV: loaded only for this check
    from kiosk.scanner.types import SourceError, SpecError

    how = (
        "The camera module: check the ribbon cable and `rpicam-hello --list-cameras`; "
        "python3-picamera2 must be installed and the venv made with --system-site-packages."
        if kind == "picamera"
        else "Plug the camera in (or another USB port), check `ls /dev/video*`."
    )
    busy = f" If the kiosk is running it holds the camera: sudo systemctl stop {SERVICE} first."
    try:
        source = open_source(spec)
    except SpecError as exc:
        return Check("camera", Status.FAIL, str(exc), "kiosk config set source auto")
    try:
        source.open()
        image: Any = None
        for _ in range(frames):
            frame = source.read()
            if frame is not None and frame.image.size:
                image = frame.image
                break
    except SourceError as exc:
        return Check("camera", Status.FAIL, f"{exc} (seen: {seen})", how + busy)
    finally:
        source.close()
    if image is None:
        return Check("camera", Status.FAIL, f"{spec}: opened but gave no picture", how + busy)
    height, width = image.shape[:2]
    brightness = float(image[::8, ::8].mean())
    if brightness < 8:
        return Check(
            "camera",
            Status.WARN,
            f"{spec}: {width}x{height}, but the picture is black (brightness {brightness:.0f})",
            "Remove the lens cap or cover; add light at the gate.",
        )
    return Check("camera", Status.OK, f"{spec}: picture {width}x{height} ({seen})")


# -- decoding, screen, fonts, sound -------------------------------------------------------------


def check_decoder() -> Check:
    test_text = "KIOSK-DOCTOR-TEST 0123456789"
    action = "Reinstall the kiosk (packaging/install.sh), which installs libzbar0 and libgl1."
    try:
        from kiosk.scanner.decode import ChainDecoder, ZbarDecoder, ZbarUnavailable
        from kiosk.scanner.render import render_frame
    except ImportError as exc:
        return Check("decoder", Status.FAIL, f"the QR decoder cannot be loaded: {exc}", action)
    frame = render_frame(test_text, size_px=300, condition="clean")
    start = time.perf_counter()
    result = ChainDecoder().decode(frame)
    ms = (time.perf_counter() - start) * 1000
    texts = [c.payload for c in result.codes]
    if texts != [test_text.encode()]:
        return Check("decoder", Status.FAIL, "the decoder did not read a clean test code", action)
    try:
        ZbarDecoder().close()
        zbar = "ZBar fallback available"
    except ZbarUnavailable:
        return Check(
            "decoder",
            Status.WARN,
            f"reads a test code in {ms:.0f} ms, but the ZBar fallback is missing",
            "sudo apt install libzbar0 (ZBar 0.23 or later)",
        )
    return Check("decoder", Status.OK, f"reads a test code in {ms:.0f} ms; {zbar}")


def _version(dist: str) -> str | None:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return None


def check_screen_libraries() -> Check:
    qt = _version("PySide6-Essentials") or _version("PySide6")
    if qt is None or importlib.util.find_spec("PySide6") is None:
        return Check(
            "screen",
            Status.FAIL,
            "PySide6 (Qt) is not installed in the kiosk's environment",
            "Reinstall the kiosk (packaging/install.sh).",
        )
    missing = [
        package
        for lib, package in (
            ("EGL", "libegl1"),
            ("GL", "libgl1"),
            ("xkbcommon", "libxkbcommon0"),
            ("dbus-1", "libdbus-1-3"),
        )
        if ctypes.util.find_library(lib) is None
    ]
    if missing:
        return Check(
            "screen",
            Status.FAIL,
            f"Qt {qt} is installed, but system libraries it needs are missing",
            f"sudo apt install {' '.join(missing)}",
        )
    return Check("screen", Status.OK, f"Qt {qt} and its system libraries are installed")


# Started in a child process: a platform plugin that cannot load aborts the process.
_QT_START = (
    "import sys\n"
    "from PySide6.QtGui import QGuiApplication\n"
    "app = QGuiApplication(sys.argv[:1])\n"
    "print('started:' + app.platformName(), flush=True)\n"
)
# Qt's words (QT_DEBUG_PLUGINS=1) when a plugin's library needs one the system lacks.
_CANNOT_LOAD = re.compile(
    r"Cannot load library (?P<plugin>\S+/platforms/lib\S+?\.so):? *\(?(?P<lib>[^\s:()]+\.so[.\d]*)"
    r": (?P<why>[^\n\"]+)"
)
# The deployments: cage and labwc are Wayland; with a touch screen the kiosk runs on xcb
# through Xwayland (kiosk/ui/keyboard.py). Both plugins must load.
PLATFORMS = ("wayland", "xcb")


@dataclass(frozen=True, slots=True)
class PlatformStart:
    """What starting Qt on one platform plugin gave."""

    platform: str
    started: bool
    missing: tuple[str, ...]  # libraries the plugin could not load (sonames)
    message: str  # Qt's last words when it did not start


def debian_package(soname: str) -> str:
    """The Debian package that ships a library, by Debian's naming rule: the library's name in
    lower case, then its major version (after a "-" when the name ends in a digit):
    libxcb-icccm.so.4 -> libxcb-icccm4, libxkbcommon-x11.so.0 -> libxkbcommon-x11-0."""
    name, _, version = soname.partition(".so")
    major = version.strip(".").split(".")[0]
    name = name.lower()
    if not major:
        return name
    return f"{name}-{major}" if name[-1].isdigit() else f"{name}{major}"


def missing_libraries(library: Path) -> list[str]:
    """The libraries `library` needs that the dynamic loader cannot find (`ldd`)."""
    try:
        done = subprocess.run(
            ["ldd", str(library)], capture_output=True, text=True, timeout=20, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return []
    return [
        line.split()[0] for line in done.stdout.splitlines() if "not found" in line and line.split()
    ]


def start_platform(
    platform: str, environ: Mapping[str, str] | None = None, *, timeout_s: float = 30.0
) -> PlatformStart:
    """Start Qt on `platform` in a child process (QGuiApplication, nothing shown) and say
    whether it started, and if not which libraries its plugin could not load (every one, by
    `ldd` on the plugin named in Qt's error, not only the first the loader met)."""
    env = dict(os.environ if environ is None else environ)
    env["QT_QPA_PLATFORM"] = platform
    env["QT_DEBUG_PLUGINS"] = "1"
    env.pop("QT_IM_MODULE", None)
    try:
        done = subprocess.run(
            [sys.executable, "-c", _QT_START],
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout_s,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return PlatformStart(platform, False, (), f"Qt did not start within {timeout_s:.0f} s")
    if done.returncode == 0 and f"started:{platform}" in done.stdout:
        return PlatformStart(platform, True, (), "")
    missing: list[str] = []
    for found in _CANNOT_LOAD.finditer(done.stderr):
        for library in [Path(found["lib"]).name, *missing_libraries(Path(found["plugin"]))]:
            if library not in missing and "libQt6" not in library:
                missing.append(library)
    lines = [
        line.strip()
        for line in done.stderr.splitlines()
        if line.startswith(("qt.qpa.", "This application", "Could not"))
        or "could not connect to display" in line
    ]
    return PlatformStart(platform, False, tuple(missing), " ".join(lines[-2:])[:300])


def _display_of(platform: str, environ: Mapping[str, str]) -> str:
    return environ.get("WAYLAND_DISPLAY" if platform == "wayland" else "DISPLAY", "")


def check_screen(environ: Mapping[str, str] | None = None) -> Check:
    """Qt's platform plugins, started for real: both load (their system libraries are
    installed), and the one this session has a display for starts on it. Without a display
    (an SSH session) loading is what can be checked; `kiosk doctor` from the kiosk's session
    also starts it."""
    env = dict(os.environ if environ is None else environ)
    wanted = env.get("QT_QPA_PLATFORM", "").split(":")[0]
    platforms = (wanted,) if wanted and wanted not in PLATFORMS else PLATFORMS
    results = [start_platform(platform, env) for platform in platforms]
    missing = {lib: None for r in results for lib in r.missing}
    if missing:
        names = ", ".join(r.platform for r in results if r.missing)
        packages = " ".join(dict.fromkeys(debian_package(lib) for lib in missing))
        return Check(
            "screen",
            Status.FAIL,
            f"Qt's {names} platform plugin cannot load: {', '.join(missing)} missing",
            f"sudo apt install {packages} (or run packaging/install.sh again)",
        )
    started = [r.platform for r in results if r.started]
    failed = [r for r in results if not r.started and _display_of(r.platform, env)]
    if failed:
        first = failed[0]
        return Check(
            "screen",
            Status.FAIL,
            f"Qt does not start on {first.platform} "
            f"({_display_of(first.platform, env)}): {first.message or 'no reason given'}",
            "Check the display session (cage, labwc or X); journalctl -u checkpoint-kiosk",
        )
    if started:
        return Check("screen", Status.OK, f"Qt starts on {', '.join(started)}")
    return Check(
        "screen",
        Status.OK,
        f"Qt's {' and '.join(platforms)} platform plugins load; no display in this session "
        "to start them on (run kiosk doctor in the kiosk's session to start one)",
    )


def check_fonts() -> Check:
    fonts = importlib.resources.files("kiosk.assets").joinpath("fonts")
    missing = [
        name
        for name in ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf")
        if not fonts.joinpath(name).is_file()
    ]
    if missing:
        return Check(
            "fonts",
            Status.FAIL,
            f"the kiosk's own fonts are missing: {', '.join(missing)}",
            "Reinstall the kiosk (packaging/install.sh).",
        )
    if ctypes.util.find_library("fontconfig") is None:
        return Check(
            "fonts",
            Status.FAIL,
            "fontconfig is missing: Qt cannot draw text",
            "sudo apt install libfontconfig1",
        )
    detail = "Noto Sans (Vietnamese) bundled with the kiosk"
    fc_list = shutil.which("fc-list")
    if fc_list:
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            out = subprocess.run(
                [fc_list, ":lang=vi", "family"],
                capture_output=True,
                text=True,
                timeout=20,
                check=False,
            ).stdout
            detail += f"; {len(set(out.splitlines()))} system font families cover Vietnamese"
    return Check("fonts", Status.OK, detail)


def sound_cards(proc: Path = Path("/proc/asound/cards")) -> list[str]:
    """The ALSA cards' names (`/proc/asound/cards`), and only those with a playback device."""
    try:
        text = proc.read_text()
    except OSError:
        return []
    playback = {p.name.split("D")[0][4:] for p in Path("/dev/snd").glob("pcmC*D*p")}
    cards = []
    for line in text.splitlines():
        head, _, name = line.partition(":")
        number = head.split("[")[0].strip()
        if number.isdigit() and number in playback:
            cards.append(name.strip().split(" - ")[-1] or head.strip())
    return cards


def check_sound(settings: Settings) -> Check:
    if not settings.sounds:
        return Check("sound", Status.OK, "verdict sounds are turned off in the settings")
    no_sound = "verdicts will be shown without sound"
    if ctypes.util.find_library("pulse") is None:
        return Check(
            "sound",
            Status.WARN,
            f"libpulse is missing: Qt cannot play sounds; {no_sound}",
            "sudo apt install libpulse0",
        )
    cards = sound_cards()
    if not cards:
        return Check(
            "sound",
            Status.WARN,
            f"no sound output device found; {no_sound}",
            "Connect a speaker (HDMI screen with speakers, USB or 3.5 mm); on a Pi check "
            "`aplay -l`.",
        )
    return Check("sound", Status.OK, f"sound output: {', '.join(cards)}")


# -- storage -----------------------------------------------------------------------------------


def _existing(path: Path) -> Path:
    """The path, or its nearest existing parent (the data directory may not exist yet)."""
    path = path.absolute()
    while not path.exists() and path.parent != path:
        path = path.parent
    return path


def filesystem_type(path: Path, mounts: Path = Path("/proc/self/mounts")) -> str | None:
    """The type of the filesystem holding `path` (longest mount point prefix), or None."""
    target = str(_existing(path).resolve())
    best, kind = "", None
    try:
        lines = mounts.read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        parts = line.split()
        if len(parts) < 3:
            continue
        point = parts[1].replace("\\040", " ")
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, kind = point, parts[2]
    return kind


def check_storage(data_dir: Path) -> Check:
    kind = filesystem_type(data_dir)
    if kind in VOLATILE_FS:
        return Check(
            "storage",
            Status.FAIL,
            f"the data directory {data_dir} is on {kind}: its records are erased at reboot",
            "Turn off the overlay file system (sudo raspi-config → Performance → Overlay File "
            "System → No) or put the data directory on the SD card / a disk.",
        )
    problems = []
    if data_dir.exists():
        mode = data_dir.stat().st_mode & 0o777
        if mode & 0o077:
            problems.append(f"{data_dir} is readable by other users (mode {mode:o})")
    if problems:
        return Check("storage", Status.WARN, "; ".join(problems), f"chmod 700 {data_dir}")
    return Check("storage", Status.OK, f"{data_dir} on {kind or 'an unknown file system'}")


def check_disk(data_dir: Path) -> Check:
    where = _existing(data_dir)
    usage = shutil.disk_usage(where)
    free_mb = usage.free / 1024 / 1024
    clean = (
        "Free space: delete old files from /home and /var/log (sudo journalctl "
        "--vacuum-size=50M), old backups in the data directory's backups/ folder; "
        "or use a larger SD card."
    )
    # Free space can be reported but not writable (reserved blocks, quotas): try it.
    if data_dir.exists():
        probe = data_dir / f".doctor-{os.getpid()}"
        try:
            with probe.open("wb") as handle:
                handle.write(b"\0" * 65536)
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as exc:
            if exc.errno in (errno.ENOSPC, errno.EDQUOT):
                return Check(
                    "disk",
                    Status.FAIL,
                    f"the disk is full ({free_mb:.0f} MB free): new records cannot be saved",
                    clean,
                )
            return Check(
                "disk",
                Status.FAIL,
                f"cannot write in {data_dir}: {exc.strerror or exc}",
                f"The kiosk's user must own it: sudo chown -R {SERVICE} {data_dir}",
            )
        finally:
            with contextlib.suppress(OSError):
                probe.unlink()
    if usage.free < WARN_FREE_BYTES:
        return Check(
            "disk",
            Status.WARN,
            f"only {free_mb:.0f} MB free: the kiosk's screen warns of low storage",
            clean,
        )
    return Check("disk", Status.OK, f"{usage.free / 1024**3:.1f} GB free")


def check_database(data_dir: Path) -> tuple[Check, dict[str, str | None]]:
    """The database's integrity, and what the sync left in `meta` (for the clock check)."""
    path = DataDir(data_dir).db
    meta: dict[str, str | None] = {}
    if not path.exists():
        return (
            Check("database", Status.WARN, f"no database yet at {path}: made at first start"),
            meta,
        )
    restore = (
        "Stop the kiosk, keep the damaged file, restore the latest backup (docs/operations.md, "
        "Backups) and call the support line."
    )
    try:
        store = Store.open_read_only(path)
    except (StoreError, sqlite3.Error, OSError) as exc:
        return Check("database", Status.FAIL, f"{path} cannot be opened: {exc}", restore), meta
    try:
        if not store.integrity_ok():
            return Check("database", Status.FAIL, f"{path} is damaged", restore), meta
        waiting = store.outbox_count()
        for key in ("clock_offset_s", "last_success"):
            meta[key] = store.get_meta(f"sync.{key}") or None
        meta["held"] = str(store.held_count())
        total = store.db.execute("SELECT count(*) FROM events").fetchone()[0]
        pending = store.pending_migrations
    except sqlite3.Error as exc:
        return Check("database", Status.FAIL, f"{path} cannot be read: {exc}", restore), meta
    finally:
        store.close()
    last = meta.get("last_success")
    sent = f"last sent {last[:16].replace('T', ' ')} UTC" if last else "never sent"
    detail = f"intact; {total} records, {waiting} waiting to send ({sent})"
    if pending:
        detail += f"; upgraded (after a copy in backups/) at the next start: {', '.join(pending)}"
    return Check("database", Status.OK, detail), meta


def check_personal_data(settings: Settings, held: int) -> Check:
    """Whether personal data is sealed to the health authority's key (checkpoint_common.seal)."""
    if settings.authority_public_key:
        try:
            key_id = PublicKey.from_text(settings.authority_public_key).key_id
        except SealError as exc:
            return Check(
                "personal data",
                Status.FAIL,
                f"the authority key in the settings is not usable: {exc}",
                "Enroll the kiosk again, or set authority_public_key from "
                "`kiosk-central authority-key`.",
            )
        return Check("personal data", Status.OK, f"sealed to the health authority's key {key_id}")
    return Check(
        "personal data",
        Status.WARN,
        f"no health authority key yet: {held} records sealed to this kiosk's own key (a stolen "
        "kiosk could reveal them)",
        "Enroll the kiosk (kiosk enroll URL CODE), or set authority_public_key from "
        "`kiosk-central authority-key`.",
    )


def check_declarations(settings: Settings, data_dir: Path, now: dt.datetime) -> Check:
    """Whether this kiosk can check the health declarations in personal QR codes
    (docs/declarations.md): a FAIL only where the site needs a declaration and none can be
    checked (everyone with a declared code would be referred or turned away)."""
    keys = declaration_keys.load(settings, DataDir(data_dir), now)
    needed = settings.declaration_max_age_h > 0 or not settings.accept_unsigned_personal_qr
    how = (
        "Pin the authority's root key (kiosk config set authority_signing_key KEY), then "
        "`kiosk sync --once`, or `kiosk declaration-keys import FILE` from a USB stick."
    )
    current = [k for k in keys.keys if k.delegation.not_after > now]
    if current:
        until = max(k.delegation.not_after for k in current).date().isoformat()
        return Check(
            "declarations",
            Status.OK,
            f"{len(current)} declaration key(s), delegated until {until}: declared codes are "
            "checked offline",
        )
    if keys.keys:
        ended = max(k.delegation.not_after for k in keys.keys).date().isoformat()
        return Check(
            "declarations",
            Status.FAIL if needed else Status.WARN,
            f"the declaration keys' delegations ended on {ended}: newer codes are refused",
            how,
        )
    if needed:
        return Check(
            "declarations",
            Status.FAIL,
            "this site needs a health declaration, but no declaration key is known: declared "
            "codes cannot be checked, and their holders are referred or turned away",
            how,
        )
    return Check(
        "declarations",
        Status.OK,
        "no declaration key: declarations in personal codes are not checked (not required "
        "here; the codes are read as any personal code)",
    )


# -- server, clock -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ServerResult:
    checks: list[Check]
    offset_s: float | None  # measured now, server minus this kiosk


def check_server(
    settings: Settings, data_dir: Path, *, timeout: tuple[float, float] = (3.0, 10.0)
) -> ServerResult:
    from kiosk.sync.client import AuthError, SyncClient, SyncError

    enroll = (
        "Enroll the kiosk: Administration → Device, or `kiosk enroll URL CODE` with a code "
        "from the site manager."
    )
    if not settings.server_url:
        detail = "not enrolled: records stay on this kiosk (it works offline)"
        return ServerResult([Check("server", Status.WARN, detail, enroll)], None)
    url = settings.server_url
    token = DataDir(data_dir).read_token()
    if not token:
        return ServerResult(
            [
                Check(
                    "device token",
                    Status.FAIL,
                    f"enrolled with {url} but the device token file is missing",
                    enroll,
                )
            ],
            None,
        )
    client = SyncClient(url, token=token, verify_tls=settings.verify_tls, timeout=timeout)
    before = dt.datetime.now(dt.UTC)
    start = time.perf_counter()
    try:
        config, _ = client.config()
    except AuthError:
        return ServerResult(
            [
                Check("server", Status.OK, f"{url} answers"),
                Check(
                    "device token",
                    Status.FAIL,
                    "the server refused this kiosk's token (revoked, or the server was reset): "
                    "records are kept here but will not be sent",
                    "Get a new enrollment code from the site manager and enroll again.",
                ),
            ],
            None,
        )
    except SyncError as exc:
        return ServerResult(
            [
                Check(
                    "server",
                    Status.WARN,
                    f"cannot reach {url} ({exc}): records wait on the kiosk and are sent when "
                    "the network is back",
                    "Check the network cable or Wi-Fi, and that the address is right "
                    "(kiosk config show).",
                )
            ],
            None,
        )
    finally:
        client.close()
    ms = (time.perf_counter() - start) * 1000
    after = dt.datetime.now(dt.UTC)
    offset = None
    if config is not None:
        with contextlib.suppress(ValueError):
            offset = (
                from_iso(config.server_time) - (before + (after - before) / 2)
            ).total_seconds()
    name = f", checkpoint '{config.checkpoint.name}'" if config else ""
    return ServerResult(
        [
            Check("server", Status.OK, f"{url} answers in {ms:.0f} ms{name}"),
            Check("device token", Status.OK, "accepted by the server"),
        ],
        offset,
    )


def check_clock(
    measured_offset_s: float | None,
    stored_offset_s: str | None,
    *,
    zone: dt.tzinfo | None = None,
    synced: bool | None = None,
) -> Check:
    if synced is None:
        synced = SystemClock().now().synced
    offset, source = measured_offset_s, "measured now"
    if offset is None and stored_offset_s:
        with contextlib.suppress(ValueError):
            offset, source = float(stored_offset_s), "at the last sync"
    local = dt.datetime.now(zone or dt.UTC).strftime("%Y-%m-%d %H:%M (%Z)")
    off = ""
    if offset is not None:
        # offset = server - kiosk: positive means this clock is behind.
        off = (
            f"; {abs(offset):.1f} s {'behind' if offset > 0 else 'ahead of'} the server ({source})"
        )
    if offset is not None and abs(offset) > CLOCK_WARN_OFFSET_S:
        return Check(
            "clock",
            Status.WARN,
            f"clock reads {local}{off}",
            "Let the clock synchronise (network with NTP: sudo timedatectl set-ntp true), or "
            "set it: sudo timedatectl set-time 'YYYY-MM-DD HH:MM'. The server corrects "
            "the times of records made meanwhile.",
        )
    if not synced:
        return Check(
            "clock",
            Status.WARN,
            f"clock reads {local}, not synchronised (a Pi has no battery clock){off}",
            "Check the date and time; when online it synchronises by itself "
            "(sudo timedatectl set-ntp true). Records still carry exact durations.",
        )
    return Check("clock", Status.OK, f"synchronised, reads {local}{off}")


# -- all of it -----------------------------------------------------------------------------------


def run_checks(
    settings: Settings,
    data_dir: Path,
    *,
    source: str | None = None,
    server_timeout: tuple[float, float] = (3.0, 10.0),
    progress: Callable[[str], None] | None = None,
) -> list[Check]:
    """Every check, in the order a technician fixes things. `source` overrides the `source`
    setting (as `kiosk run --source` does). Never raises for what it finds."""

    def step(name: str) -> None:
        if progress:
            progress(name)

    checks: list[Check] = []
    step("camera")
    checks.append(check_camera(source or settings.source))
    step("decoder")
    checks.append(check_decoder())
    step("screen")
    libraries = check_screen_libraries()
    checks.append(libraries if libraries.status is Status.FAIL else check_screen())
    checks.append(check_fonts())
    checks.append(check_sound(settings))
    step("storage")
    checks.append(check_storage(data_dir))
    checks.append(check_disk(data_dir))
    database, meta = check_database(data_dir)
    checks.append(database)
    checks.append(check_personal_data(settings, int(meta.get("held") or 0)))
    checks.append(check_declarations(settings, data_dir, dt.datetime.now(dt.UTC)))
    step("server")
    server = check_server(settings, data_dir, timeout=server_timeout)
    checks.extend(server.checks)
    checks.append(check_clock(server.offset_s, meta.get("clock_offset_s"), zone=settings.zone))
    return checks


_LABEL = {Status.OK: "OK", Status.WARN: "WARN", Status.FAIL: "FAIL"}
_COLOUR = {Status.OK: "\033[32m", Status.WARN: "\033[33m", Status.FAIL: "\033[1;31m"}


def format_table(checks: list[Check], *, colour: bool = False, width: int = 100) -> str:
    """The report as a technician reads it: CHECK  STATUS  what was found, and under a problem,
    "→ what to do"."""
    import textwrap

    name_w = max(len("CHECK"), *(len(c.name) for c in checks))
    indent = " " * (name_w + 2 + 6 + 2)
    text_w = max(30, width - len(indent))
    lines = [f"{'CHECK':{name_w}}  STATUS  WHAT WAS FOUND", "-" * min(width, 100)]
    for c in checks:
        label = f"{_LABEL[c.status]:6}"
        if colour:
            label = f"{_COLOUR[c.status]}{label}\033[0m"
        detail = textwrap.wrap(c.detail, text_w) or [""]
        lines.append(f"{c.name:{name_w}}  {label}  {detail[0]}")
        lines.extend(indent + more for more in detail[1:])
        if c.action and c.status is not Status.OK:
            for i, part in enumerate(textwrap.wrap(c.action, text_w - 2)):
                lines.append(indent + ("→ " if i == 0 else "  ") + part)
    fails = blocking(checks)
    warns = [c for c in checks if c.status is Status.WARN]
    lines.append("-" * min(width, 100))
    if fails:
        lines.append(
            f"NOT READY: {len(fails)} problem(s) to fix ({', '.join(c.name for c in fails)})"
            + (f", {len(warns)} warning(s)" if warns else "")
        )
    elif warns:
        lines.append(f"READY, with {len(warns)} warning(s) ({', '.join(c.name for c in warns)})")
    else:
        lines.append("READY: every check passed")
    return "\n".join(lines)
