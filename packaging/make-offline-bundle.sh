#!/usr/bin/env bash
# Make an offline bundle: everything `install.sh --offline` needs, to copy on a USB stick for a
# site without internet. Run on a machine WITH internet, from the repository:
#
#   bash packaging/make-offline-bundle.sh OUT_DIR [--target bookworm-aarch64|trixie-aarch64|host]
#                                                  [--debs]
#
# OUT_DIR/wheels     the kiosk's wheel and a wheel of every dependency, for the target
#                    (pip download --only-binary: no compiler is needed on the kiosk)
# OUT_DIR/debs       with --debs: the system packages (.deb) install.sh needs and this machine's
#                    apt would download; see the limits below
# OUT_DIR/packaging  install.sh and its files; OUT_DIR/docs/operations.md
# OUT_DIR/SHA256SUMS checksums (sha256sum -c SHA256SUMS on the kiosk)
#
# Targets: bookworm-aarch64 (default: Raspberry Pi OS 64-bit Bookworm, Python 3.11, with the
# pins of constraints-bookworm.txt: PySide6 6.8.0.2), trixie-aarch64 (Python 3.13), host (this
# machine's Python and architecture).
#
# Limits, honestly:
# - Wheels: every dependency must have a wheel for the target (they all do today: PySide6,
#   OpenCV, zxing-cpp, NumPy, cryptography ...). pip refuses rather than silently downloading
#   a source package that would need a compiler on the kiosk.
# - .deb files: `apt-get download` fetches packages for THIS machine's OS release and
#   architecture, and only the packages it would install here (those already installed here
#   are skipped). So --debs is only right when run on the same OS and architecture as the kiosk,
#   ideally a freshly flashed Pi with network (e.g. at the office), with the same image
#   as the site's. Otherwise flash the kiosk with an image that has the packages, or give it
#   network once for `apt-get install`.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(dirname "$HERE")"
OUT=""
TARGET=bookworm-aarch64
DEBS=0

while (($#)); do
  case "$1" in
    --target) TARGET="${2:?}"; shift ;;
    --debs) DEBS=1 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "bundle: unknown option $1" >&2; exit 2 ;;
    *) OUT="$1" ;;
  esac
  shift
done
[ -n "$OUT" ] || { echo "usage: $0 OUT_DIR [--target T] [--debs]" >&2; exit 2; }

PYTHON="${PYTHON:-python3}"
mkdir -p "$OUT/wheels"
OUT="$(cd "$OUT" && pwd)"

# The wheel tags pip may take for the target: every manylinux up to the target's glibc.
platform_args() {
  local arch="$1" glibc_minor="$2" m
  echo "--platform manylinux2014_${arch}"
  for ((m = 17; m <= glibc_minor; m++)); do echo "--platform manylinux_2_${m}_${arch}"; done
}

constraints=()
case "$TARGET" in
  bookworm-aarch64)
    # Bookworm: glibc 2.36, CPython 3.11.
    target_args=($(platform_args aarch64 36) --python-version 3.11 --implementation cp --abi cp311)
    constraints=(--constraint "$HERE/constraints-bookworm.txt") ;;
  trixie-aarch64)
    # Trixie: glibc 2.41, CPython 3.13.
    target_args=($(platform_args aarch64 41) --python-version 3.13 --implementation cp --abi cp313) ;;
  host)
    target_args=()
    if [ "$(. /etc/os-release; echo "${VERSION_CODENAME:-}")" = bookworm ]; then
      constraints=(--constraint "$HERE/constraints-bookworm.txt")
    fi ;;
  *) echo "bundle: unknown target $TARGET" >&2; exit 2 ;;
esac

echo "bundle: building the kiosk's wheels (the kiosk and the code it shares with the server)"
"$PYTHON" -m pip wheel --no-deps --wheel-dir "$OUT/wheels" "$REPO/common" "$REPO"
kiosk_wheel="$(ls -t "$OUT"/wheels/kiosk-*.whl | head -1)"

echo "bundle: downloading the dependencies' wheels for $TARGET"
# --find-links: checkpoint-common is the wheel just built, not a package on the index.
"$PYTHON" -m pip download --only-binary=:all: --dest "$OUT/wheels" "${target_args[@]}" \
  --find-links "$OUT/wheels" "${constraints[@]}" "$kiosk_wheel"

if ((DEBS)); then
  echo "bundle: downloading .deb packages for this machine's OS ($(dpkg --print-architecture))"
  mkdir -p "$OUT/debs"
  # The same list as install.sh (cage session, Pi camera).
  packages=(python3 python3-venv libzbar0 libgl1 libegl1 libfontconfig1 libxkbcommon0
    libdbus-1-3 libglib2.0-0 libpulse0 libwayland-client0 libwayland-cursor0 libwayland-egl1
    libxcb-cursor0 sqlite3 v4l-utils alsa-utils cage)
  apt-cache show python3-picamera2 >/dev/null 2>&1 && packages+=(python3-picamera2)
  # What apt would install here, dependencies included, downloaded without installing.
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get install -y --no-install-recommends --download-only \
    -o Dir::Cache::archives="$OUT/debs" "${packages[@]}"
  $SUDO rm -rf "$OUT/debs/partial" "$OUT/debs/lock"
fi

echo "bundle: copying the installer and the operations guide"
rm -rf "$OUT/packaging"
cp -r "$HERE" "$OUT/packaging"
install -D -m 0644 "$REPO/docs/operations.md" "$OUT/docs/operations.md"
cat >"$OUT/README.txt" <<EOF
Checkpoint kiosk offline bundle ($TARGET, made $(date -u +%Y-%m-%d)).
On the kiosk (no network needed), with this folder on a USB stick:

  cd /media/\$USER/<stick>/$(basename "$OUT")
  sha256sum -c SHA256SUMS
  sudo bash packaging/install.sh --offline "\$PWD"

Read docs/operations.md (Vietnamese and English).
EOF
(cd "$OUT" && find . -type f ! -name SHA256SUMS -print0 | sort -z | xargs -0 sha256sum >SHA256SUMS)
echo "bundle: done: $OUT ($(du -sh "$OUT" | cut -f1))"
