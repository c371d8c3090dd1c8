"""The one way to reach assets (fonts, sounds, translations): `kiosk.assets` package resources,
so they are found in a checkout, an editable install and a wheel alike (STYLE.md 12)."""

from __future__ import annotations

import importlib.resources
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase


def asset(relative: str) -> Path:
    """The path of an asset file (assets/<relative>). Raises FileNotFoundError if missing."""
    resource = importlib.resources.files("kiosk.assets").joinpath(relative)
    path = Path(str(resource))
    if not path.is_file():
        raise FileNotFoundError(f"asset missing: {relative}")
    return path


def load_fonts() -> str:
    """Register the bundled Noto Sans (it covers Vietnamese) and return its family name, so the
    kiosk never depends on the system's fonts. Raises FileNotFoundError if the files are gone."""
    family = ""
    for name in ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"):
        font_id = QFontDatabase.addApplicationFont(str(asset(f"fonts/{name}")))
        if font_id < 0:
            raise FileNotFoundError(f"font not loadable: {name}")
        family = QFontDatabase.applicationFontFamilies(font_id)[0]
    return family


def app_font(family: str, point_size: int = 14) -> QFont:
    font = QFont(family, point_size)
    font.setStyleStrategy(QFont.StyleStrategy.PreferAntialias)
    return font
