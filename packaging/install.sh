#!/usr/bin/env bash
# Make this machine a checkpoint kiosk: system packages, the kiosk in its own virtual
# environment, a dedicated user, and a service that starts it full screen at boot.
#
# For Raspberry Pi OS 64-bit (Bookworm, Trixie) on a Pi 4/5, and Debian 12/13 or Ubuntu 24.04
# on a PC or tablet. Run as root from the repository (or from an offline bundle):
#
#   sudo bash packaging/install.sh                      # online, USB webcam, cage on tty1
#   sudo bash packaging/install.sh --picamera yes       # a Raspberry Pi camera module
#   sudo bash /media/usb/kiosk-bundle/packaging/install.sh --offline /media/usb/kiosk-bundle
#   bash packaging/install.sh --dry-run                 # print every command, write nothing
#                                                         outside a staging directory
# Options:
#   --dry-run            print the commands instead of running them; files (unit, PAM, the
#                        `kiosk` wrapper) are written under --staging DIR (default: a new
#                        temporary directory) instead of /etc and /usr/local
#   --staging DIR        where --dry-run writes files
#   --offline DIR        install from an offline bundle (packaging/make-offline-bundle.sh):
#                        DIR/wheels (the kiosk and every dependency), DIR/debs (optional)
#   --user NAME          the account the kiosk runs as (default checkpoint-kiosk, created as a
#                        system user; with --session labwc: the desktop's auto-login user)
#   --picamera yes|no|auto   Raspberry Pi camera module support: python3-picamera2 from the
#                        OS and a venv with --system-site-packages (auto: yes on a Pi)
#   --session cage|labwc cage (default): a service on tty1 running cage and the kiosk only;
#                        labwc: Raspberry Pi OS desktop, the kiosk as a user service started
#                        from labwc's autostart
#   --prefix DIR         where the venv goes (default /opt/checkpoint-kiosk)
#   --cage PATH          the cage binary the service runs (default /usr/bin/cage)
#   --os-release FILE    read the OS from FILE instead of /etc/os-release (tests)
#   --arch ARCH          machine architecture (default: uname -m) (tests)
#   --raspberry-pi yes|no|auto   (default auto: /proc/device-tree/model)
#   --start              start the kiosk now (default: enabled, starts at the next boot)
#   --authority KEY|FILE the health authority's ROOT signing key, pinned on the kiosk: the
#                        base64 public key or its file (root.pub from `kiosk-central authority
#                        make-root`). Every downloaded setting, status list and trust list must
#                        be signed under it; the network never replaces it. The installer prints
#                        its fingerprint: compare it with the health authority's sheet. Without
#                        it, the site manager confirms the fingerprint at enrollment.
#   --authority-key KEY  the health authority's public key (`kiosk-central authority-key`), for
#                        a site that cannot enroll yet: personal data is sealed to it from the
#                        first scan (enrollment sets it otherwise). Without it, and until
#                        enrollment, the kiosk records scans with their clear fields only
#   --admin-pin          set the administration PIN now (asked twice on this terminal, 6 to 8
#                        digits: `kiosk set-pin`); the admin screen stays closed until one is set
#   --admin-pin-stdin    the same, reading the PIN from standard input (an automated install)
#
# Safe to run again (an upgrade): it reinstalls the kiosk and rewrites the unit files; the
# data directory and the settings are kept.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(dirname "$HERE")"

DRY_RUN=0
STAGING=""
OFFLINE=""
KIOSK_USER=""
PICAMERA=auto
SESSION=cage
PREFIX=/opt/checkpoint-kiosk
OS_RELEASE=/etc/os-release
ARCH="$(uname -m)"
RPI=auto
START=0
SERVICE=checkpoint-kiosk
CAGE=/usr/bin/cage
AUTHORITY_KEY=""
ADMIN_PIN=""
AUTHORITY_ROOT=""

die() { echo "install: error: $*" >&2; exit 2; }
say() { echo "install: $*"; }

while (($#)); do
  case "$1" in
    --dry-run) DRY_RUN=1 ;;
    --staging) STAGING="${2:?}"; shift ;;
    --offline) OFFLINE="${2:?}"; shift ;;
    --user) KIOSK_USER="${2:?}"; shift ;;
    --picamera) PICAMERA="${2:?}"; shift ;;
    --session) SESSION="${2:?}"; shift ;;
    --prefix) PREFIX="${2:?}"; shift ;;
    --cage) CAGE="${2:?}"; shift ;;
    --os-release) OS_RELEASE="${2:?}"; shift ;;
    --arch) ARCH="${2:?}"; shift ;;
    --raspberry-pi) RPI="${2:?}"; shift ;;
    --start) START=1 ;;
    --authority-key) AUTHORITY_KEY="${2:?}"; shift ;;
    --admin-pin) ADMIN_PIN=ask ;;
    --admin-pin-stdin) ADMIN_PIN=stdin ;;
    --authority) AUTHORITY_ROOT="${2:?}"; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
  shift
done

case "$PICAMERA" in yes|no|auto) ;; *) die "--picamera takes yes, no or auto" ;; esac
case "$SESSION" in cage|labwc) ;; *) die "--session takes cage or labwc" ;; esac
case "$RPI" in yes|no|auto) ;; *) die "--raspberry-pi takes yes, no or auto" ;; esac

# -- how commands and files are handled ------------------------------------------------------

if ((DRY_RUN)); then
  [ -n "$STAGING" ] || STAGING="$(mktemp -d -t kiosk-install-XXXXXX)"
  mkdir -p "$STAGING"
  say "DRY RUN: nothing is installed; files are written under $STAGING"
else
  [ "$(id -u)" -eq 0 ] || die "run as root: sudo bash $0 $*"
  STAGING=""
fi

# Print a command (shell-quoted, so it can be copied), then run it unless dry-run.
run() {
  local quoted
  printf -v quoted ' %q' "$@"
  echo "+${quoted}"
  ((DRY_RUN)) || "$@"
}

# write_file DEST MODE: stdin to DEST (under the staging dir in dry-run), printed as a command.
write_file() {
  local dest="$1" mode="$2" target
  target="${STAGING}${dest}"
  echo "+ write ${dest} (mode ${mode})"
  mkdir -p "$(dirname "$target")"
  local tmp
  tmp="$(mktemp "$(dirname "$target")/.install-XXXXXX")"
  cat >"$tmp"
  chmod "$mode" "$tmp"
  mv -f "$tmp" "$target"
}

# render TEMPLATE: the template with every @NAME@ placeholder replaced.
render() {
  sed -e "s|@PREFIX@|${PREFIX}|g" -e "s|@USER@|${KIOSK_USER}|g" -e "s|@STATE@|${STATE}|g" \
      -e "s|@DATA_DIR@|${DATA_DIR}|g" -e "s|@CAGE@|${CAGE}|g" "$1"
}

# -- what machine is this ----------------------------------------------------------------------

[ -r "$OS_RELEASE" ] || die "cannot read $OS_RELEASE"
OS_ID="$(. "$OS_RELEASE"; echo "${ID:-}")"
OS_LIKE="$(. "$OS_RELEASE"; echo "${ID_LIKE:-}")"
CODENAME="$(. "$OS_RELEASE"; echo "${VERSION_CODENAME:-}")"
OS_NAME="$(. "$OS_RELEASE"; echo "${PRETTY_NAME:-$OS_ID}")"
case " $OS_ID $OS_LIKE " in
  *" debian "*|*" ubuntu "*|*" raspbian "*) ;;
  *) die "$OS_NAME is not Debian, Ubuntu or Raspberry Pi OS: install by hand (docs/operations.md)" ;;
esac
if [ "$RPI" = auto ]; then
  RPI=no
  if grep -qs "Raspberry Pi" /proc/device-tree/model || [ -e /etc/rpi-issue ]; then RPI=yes; fi
fi
if [ "$PICAMERA" = auto ]; then PICAMERA="$RPI"; fi
case "$ARCH" in
  aarch64|arm64) ARCH=aarch64 ;;
  x86_64|amd64) ARCH=x86_64 ;;
  armv7l|armv6l) die "32-bit ARM: Qt 6 (PySide6) has no wheels for it; install Raspberry Pi OS 64-bit" ;;
esac

# Which pins apply (packaging/constraints-*.txt): Bookworm's pip on aarch64 can install
# PySide6 6.8.0.2 at most (later wheels need a newer glibc), and Picamera2's compiled parts
# from the OS are built against NumPy 1.x. Every Bookworm kiosk gets the same pins.
CONSTRAINTS=""
case "$CODENAME" in
  bookworm) CONSTRAINTS="$HERE/constraints-bookworm.txt" ;;
  *) CONSTRAINTS="" ;;
esac

if [ -z "$KIOSK_USER" ]; then
  if [ "$SESSION" = labwc ]; then
    die "--session labwc needs --user NAME: the desktop's auto-login user (e.g. pi)"
  fi
  KIOSK_USER=checkpoint-kiosk
fi
if [ "$SESSION" = cage ]; then
  STATE=/var/lib/$SERVICE
else
  STATE="$(getent passwd "$KIOSK_USER" | cut -d: -f6 || true)"
  [ -n "$STATE" ] || { ((DRY_RUN)) && STATE="/home/$KIOSK_USER"; } || die "no user $KIOSK_USER"
fi
DATA_DIR="$STATE/data"
[ "$SESSION" = labwc ] && DATA_DIR="$STATE/.local/share/kiosk"
VENV="$PREFIX/venv"

PYTHON=python3
say "$OS_NAME ($ARCH), codename ${CODENAME:-unknown}; Raspberry Pi: $RPI; Pi camera: $PICAMERA"
say "session: $SESSION; user: $KIOSK_USER; data: $DATA_DIR; venv: $VENV"
[ -n "$CONSTRAINTS" ] && say "version pins: $(basename "$CONSTRAINTS")"

# -- 1. system packages ---------------------------------------------------------------------------

# What the wheels load at run time (ZBar, GL/EGL, fontconfig, xkbcommon, D-Bus, GLib,
# PulseAudio for the sounds) and Python.
PACKAGES=(python3 python3-venv libzbar0 libgl1 libegl1 libfontconfig1 libxkbcommon0
  libdbus-1-3 libglib2.0-0 libpulse0 sqlite3 v4l-utils alsa-utils)
# Qt's xcb (X11) and wayland platform plugins: what `ldd` lists for PySide6's libqxcb.so,
# libqwayland*.so and their Qt libraries that a Debian / Raspberry Pi OS image lacks (the same
# list as scripts/setup). The kiosk runs on xcb through Xwayland when the on-screen keyboard is
# needed (kiosk/ui/keyboard.py): Qt's wayland plugin refuses Qt Virtual Keyboard.
QT_PLATFORM_PACKAGES=(libx11-6 libx11-xcb1 libxcb1 libxcb-cursor0 libxcb-glx0 libxcb-icccm4
  libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-render0 libxcb-shape0
  libxcb-shm0 libxcb-sync1 libxcb-util1 libxcb-xfixes0 libxcb-xkb1 libxkbcommon-x11-0
  libwayland-client0 libwayland-cursor0 libwayland-egl1)
PACKAGES+=("${QT_PLATFORM_PACKAGES[@]}")
# Debian's cage is built with Xwayland and refuses to start without its binary, which the
# package does not pull in (and the on-screen keyboard runs through it).
[ "$SESSION" = cage ] && PACKAGES+=(cage xwayland)
[ "$PICAMERA" = yes ] && PACKAGES+=(python3-picamera2)

if [ -n "$OFFLINE" ]; then
  [ -d "$OFFLINE/wheels" ] || die "$OFFLINE/wheels is missing: not an offline bundle"
  shopt -s nullglob
  debs=("$OFFLINE"/debs/*.deb)
  shopt -u nullglob
  if ((${#debs[@]})); then
    run env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      --no-download "${debs[@]}"
  fi
  missing=()
  for pkg in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if ((${#missing[@]})); then
    if ((DRY_RUN)); then
      say "(dry run) not installed here, must come from the bundle's debs: ${missing[*]}"
    elif ((${#debs[@]} == 0)); then
      die "offline, and these packages are not installed: ${missing[*]} (make the bundle with --debs on the same OS, or install them first)"
    fi
  fi
else
  run apt-get update
  run env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${PACKAGES[@]}"
fi

# -- 2. the user and its directories --------------------------------------------------------------

if [ "$SESSION" = cage ]; then
  if ! getent passwd "$KIOSK_USER" >/dev/null; then
    run useradd --system --user-group --home-dir "$STATE" --create-home \
      --shell /usr/sbin/nologin --comment "Checkpoint kiosk" "$KIOSK_USER"
  fi
  # Camera (video), GPU (render), input devices, sound: groups that exist on this system.
  groups=()
  for g in video render input audio; do getent group "$g" >/dev/null && groups+=("$g"); done
  ((${#groups[@]})) && run usermod -a -G "$(IFS=,; echo "${groups[*]}")" "$KIOSK_USER"
fi
if [ "$SESSION" = cage ]; then
  run install -d -m 0700 -o "$KIOSK_USER" -g "$KIOSK_USER" "$STATE" "$DATA_DIR"
else
  # As the user: the parents (~/.local/share) must stay theirs.
  run runuser -u "$KIOSK_USER" -- install -d -m 0700 "$DATA_DIR"
fi

# -- 3. the kiosk in its own virtual environment ----------------------------------------------------

venv_args=()
# Picamera2 and libcamera's Python bindings exist only as OS packages: the venv must see them.
[ "$PICAMERA" = yes ] && venv_args+=(--system-site-packages)
if ((!DRY_RUN)) && [ -x "$VENV/bin/python" ]; then
  # Recreated when the camera choice changed (the system-site-packages flag is fixed at
  # creation).
  grep -q "include-system-site-packages = $([ "$PICAMERA" = yes ] && echo true || echo false)" \
    "$VENV/pyvenv.cfg" || run rm -rf "$VENV"
fi
run install -d -m 0755 "$PREFIX"
[ -x "$VENV/bin/python" ] && ((!DRY_RUN)) || run "$PYTHON" -m venv "${venv_args[@]}" "$VENV"

pip_args=(--disable-pip-version-check --no-cache-dir)
[ -n "$CONSTRAINTS" ] && pip_args+=(--constraint "$CONSTRAINTS")
if [ -n "$OFFLINE" ]; then
  run "$VENV/bin/python" -m pip install "${pip_args[@]}" --no-index \
    --find-links "$OFFLINE/wheels" --upgrade kiosk
else
  [ -f "$REPO/pyproject.toml" ] || die "$REPO is not the kiosk's source folder (no pyproject.toml)"
  # common/ holds the code the kiosk shares with the central server (checkpoint-common).
  run "$VENV/bin/python" -m pip install "${pip_args[@]}" --upgrade "$REPO/common" "$REPO"
fi
if [ -f "$REPO/docs/operations.md" ]; then
  run install -D -m 0644 "$REPO/docs/operations.md" "$PREFIX/docs/operations.md"
fi

# -- 4. the `kiosk` command for technicians (runs as the kiosk's user) ---------------------------

write_file /usr/local/bin/kiosk 0755 <<EOF
#!/bin/sh
# The checkpoint kiosk's command line (installed by packaging/install.sh). It runs as the
# kiosk's user ($KIOSK_USER), with its data directory, so that files it makes stay theirs.
# Examples: sudo kiosk doctor; sudo kiosk enroll URL CODE; sudo kiosk backup $STATE/backups
set -e
run_as="$KIOSK_USER"
envs="HOME=$STATE KIOSK_DATA_DIR=$DATA_DIR"
if [ "\$(id -un)" = "\$run_as" ]; then
  exec env \$envs "$VENV/bin/kiosk" "\$@"
elif [ "\$(id -u)" -eq 0 ]; then
  exec runuser -u "\$run_as" -- env \$envs "$VENV/bin/kiosk" "\$@"
else
  exec sudo -u "\$run_as" env \$envs "$VENV/bin/kiosk" "\$@"
fi
EOF

# -- 5. the service ----------------------------------------------------------------------------

if [ "$SESSION" = cage ]; then
  render "$HERE/systemd/$SERVICE.service" | write_file "/etc/systemd/system/$SERVICE.service" 0644
  write_file "/etc/pam.d/$SERVICE" 0644 <"$HERE/pam/$SERVICE"
  run systemctl daemon-reload
  # A desktop's display manager would fight cage for the screen.
  if ((DRY_RUN)) || systemctl is-enabled --quiet display-manager.service 2>/dev/null; then
    run systemctl disable display-manager.service
  fi
  run systemctl enable "$SERVICE.service"
  ((START)) && run systemctl restart "$SERVICE.service"
else
  render "$HERE/systemd/$SERVICE-labwc.service" \
    | sed "/^\[Unit\]/a ConditionUser=$KIOSK_USER" \
    | write_file "/etc/systemd/user/$SERVICE.service" 0644
  autostart="$STATE/.config/labwc/autostart"
  if ((DRY_RUN)) || ! grep -qs "$SERVICE.service" "$autostart"; then
    { cat "$autostart" 2>/dev/null || true; cat "$HERE/labwc/autostart"; } \
      | write_file "$autostart" 0644
    run chown -R "$KIOSK_USER:" "$STATE/.config/labwc"
  fi
  # Raspberry Pi OS's desktop blanks the screen after 10 minutes unless told not to.
  if ((DRY_RUN)) || command -v raspi-config >/dev/null; then
    run raspi-config nonint do_blanking 1
  fi
  run systemctl --global daemon-reload
  ((START)) && say "log out and in again (or reboot) to start the kiosk"
fi

if [ -n "$AUTHORITY_ROOT" ]; then
  if [ -f "$AUTHORITY_ROOT" ]; then
    # A .pub file: its one line. A private key is refused: it never leaves the offline machine.
    grep -q "PRIVATE KEY" "$AUTHORITY_ROOT" && die "--authority $AUTHORITY_ROOT is a private key: give root.pub"
    AUTHORITY_ROOT="$(tr -d '[:space:]' < "$AUTHORITY_ROOT")"
  fi
  say "pinning the health authority's root key (compare the fingerprint below with its sheet)"
  run /usr/local/bin/kiosk config set authority_signing_key "$AUTHORITY_ROOT"
fi

if [ -n "$AUTHORITY_KEY" ]; then
  say "personal data will be sealed to the health authority's key given"
  run /usr/local/bin/kiosk config set authority_public_key "$AUTHORITY_KEY"
fi

# The administration PIN exists before the first visitor could set one (the screen never does).
case "$ADMIN_PIN" in
  ask) run /usr/local/bin/kiosk set-pin ;;
  stdin) run /usr/local/bin/kiosk set-pin --stdin ;;
  *) say "no administration PIN yet: set one before opening the site: sudo kiosk set-pin" ;;
esac

# -- 6. a first check -------------------------------------------------------------------------------

say "checking the installation (kiosk doctor):"
if ((DRY_RUN)); then
  run /usr/local/bin/kiosk doctor
else
  /usr/local/bin/kiosk doctor || say "kiosk doctor found problems: fix them, then run: sudo kiosk doctor"
fi
say "done. Enroll from the Administration screen, or: sudo kiosk enroll URL CODE"
if [ "$SESSION" = cage ]; then
  ((START)) || say "the kiosk starts at the next boot (sudo reboot), or now: sudo systemctl start $SERVICE"
else
  say "the kiosk starts when $KIOSK_USER's desktop starts (sudo reboot)"
fi
