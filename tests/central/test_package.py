"""The server is its own package: `pip install ./central` into a fresh virtual environment (from
PyPI, like an operator on a server without a screen) gives a working `kiosk-central`, with its
migrations, and none of the kiosk's screen, camera or decoding libraries."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Distribution names as pip lists them (lower case, dashes).
FORBIDDEN = ("pyside6", "opencv", "zxing-cpp", "pyzbar", "numpy")


def run(*args: str | Path, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        cwd=ROOT,
        env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PYTHONUTF8": "1"},
    )


@pytest.mark.slow
@pytest.mark.timeout(1200)
def test_pip_install_central_into_a_fresh_venv(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    made = run(sys.executable, "-m", "venv", venv)
    assert made.returncode == 0, made.stderr
    python = venv / "bin" / "python"
    installed = run(python, "-m", "pip", "install", "-q", "./central")
    assert installed.returncode == 0, installed.stdout + installed.stderr
    listed = run(python, "-m", "pip", "list", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    names = {item["name"].lower().replace("_", "-") for item in json.loads(listed.stdout)}
    assert {"kiosk-central", "checkpoint-common", "sqlalchemy", "alembic", "psycopg"} <= names
    unwanted = sorted(n for n in names if n.startswith(FORBIDDEN))
    assert unwanted == [], f"the server pulled in the kiosk's libraries: {unwanted}"
    command = venv / "bin" / "kiosk-central"
    helped = run(command, "--help")
    assert helped.returncode == 0, helped.stderr
    for name in ("serve", "migrate", "enrollment-code", "trace", "stats"):
        assert name in helped.stdout
    # The migrations ship in the wheel: a database is created and used from the install alone.
    db = tmp_path / "central.db"
    assert run(command, "enrollment-code", "--checkpoint", "Gate", "--db", db).returncode == 0
    stats = run(command, "stats", "--db", db)
    assert stats.returncode == 0, stats.stderr
    assert json.loads(stats.stdout)["checkpoints"] == 1
    # And it does not reach into this checkout for them.
    shown = run(python, "-c", "import central, alembic; print(central.__file__)")
    assert str(venv) in shown.stdout, shown.stdout + shown.stderr
