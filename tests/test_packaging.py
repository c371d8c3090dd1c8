"""The package as it is installed: every Python package listed, the assets inside it."""

from __future__ import annotations

import importlib.resources
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_package_in_the_tree_is_listed_for_installation() -> None:
    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for top in ("kiosk",)
        for init in (ROOT / top).rglob("__init__.py")
    }
    assert found <= listed, f"add to pyproject.toml [tool.setuptools] packages: {found - listed}"


def test_assets_are_reachable_as_package_resources() -> None:
    assets = importlib.resources.files("kiosk.assets")
    for name in (
        "fonts/NotoSans-Regular.ttf",
        "fonts/NotoSans-Bold.ttf",
        "fonts/OFL.txt",
        "sounds/entry.wav",
        "sounds/exit.wav",
        "sounds/attention.wav",
        "sounds/error.wav",
    ):
        assert assets.joinpath(name).is_file(), name
