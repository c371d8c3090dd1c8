"""The privacy notice poster (Decree 13/2023/NĐ-CP on personal data protection): an A4 page in
Vietnamese and one in English, made from the kiosk's own settings (who runs the checkpoint and
how to reach them, how many days records are kept), for the site manager to print and put up
beside the kiosk. The screen's corner carries the short form (texts.privacy_line).

What it says is what the kiosk does (docs/architecture.md, "Personal data"): the kiosk keeps
the masked name, the year of birth, the times and the kind of code; the ID number, full name,
address, phone and a health declaration are sealed at scan time to the health authority's key,
which alone opens them, on the central server, where every opening is recorded.

Both languages are made whatever language the screen is in: each page is translated with its
own translator (the words are in the translation files like every other text).
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QMarginsF, QTranslator
from PySide6.QtGui import (
    QColor,
    QFont,
    QImage,
    QPageLayout,
    QPageSize,
    QPaintDevice,
    QPainter,
    QPdfWriter,
    QTextDocument,
)

from kiosk.config import Settings
from kiosk.ui.resources import asset

LANGUAGES = ("vi", "en")
A4_MM = (210.0, 297.0)
DPI = 150  # for the PDF's layout; text and shapes stay vector graphics


def translator_for(language: str) -> Callable[[str], str]:
    """`tr` for one language, whatever language the screen is in."""
    if language == "en":
        return lambda text: text
    loaded = QTranslator()
    if not loaded.load(str(asset(f"translations/kiosk_{language}.qm"))):
        raise FileNotFoundError(f"translation kiosk_{language}.qm not loadable")
    return lambda text: loaded.translate("Kiosk", text) or text


def poster_html(settings: Settings, tr: Callable[[str], str], today: dt.date) -> str:
    """The poster's page in one language, as HTML for QTextDocument (every value escaped)."""
    operator = settings.operator_name or settings.checkpoint_name
    contact = settings.operator_contact
    sections = [
        (tr("Who collects it"), operator + (f" · {contact}" if contact else "")),
        (
            tr("Why"),
            tr(
                "To record who comes in and goes out, so that the health authority can find "
                "the people who were here at the same time as a case, quickly."
            ),
        ),
        (
            tr("What is kept"),
            tr(
                "When your code is scanned: your initials and given name (for example "
                "T. T. B. Ngọc), your year of birth, the time you came in and went out, and the "
                "kind of code. Your ID number, full name, address, phone and a health "
                "declaration are locked (encrypted) on the kiosk at once: only the health "
                "authority can open them."
            ),
        ),
        (
            tr("For how long"),
            tr("{days} days, then deleted automatically.").format(days=settings.retention_days),
        ),
        (
            tr("Who can open it"),
            tr(
                "Only the health authority, to trace contacts in an epidemic; every opening is "
                "recorded. The guard and the site manager see initials and years of birth only."
            ),
        ),
        (
            tr("Your rights"),
            tr(
                "Under Decree 13/2023/NĐ-CP on personal data protection you may ask what is "
                "kept about you, and ask for it to be corrected or deleted: ask the site "
                "manager."
            ),
        ),
    ]
    rows = "".join(
        f"<h2>{html.escape(title)}</h2><p>{html.escape(text)}</p>" for title, text in sections
    )
    footer = tr("Decree 13/2023/NĐ-CP on personal data protection · made by the kiosk on {date}")
    return (
        f"<h1>{html.escape(tr('Your personal data at this checkpoint'))}</h1>"
        f"<p class='place'>{html.escape(settings.checkpoint_name)}</p>"
        f"{rows}<p class='foot'>{html.escape(footer.format(date=today.isoformat()))}</p>"
    )


_CSS = """
h1 { font-size: 32pt; font-weight: bold; color: #0d47a1; margin-bottom: 4pt; }
h2 { font-size: 19pt; font-weight: bold; color: #102027; margin-top: 16pt; margin-bottom: 2pt; }
p { font-size: 15pt; color: #102027; margin-top: 0; }
p.place { font-size: 19pt; color: #37474f; margin-bottom: 12pt; }
p.foot { font-size: 10pt; color: #546e7a; margin-top: 28pt; }
"""


def _document(page_html: str, width_px: float, family: str, device: QPaintDevice) -> QTextDocument:
    """The page laid out for `device` (its resolution turns the points into pixels)."""
    document = QTextDocument()
    document.documentLayout().setPaintDevice(device)
    document.setDefaultStyleSheet(_CSS)
    document.setDefaultFont(QFont(family, 14))
    document.setHtml(page_html)
    document.setTextWidth(width_px)
    return document


def write_poster_pdf(
    path: Path, settings: Settings, *, family: str, today: dt.date | None = None
) -> Path:
    """The poster as a PDF: one A4 page per language (Vietnamese, then English). Writes a
    temporary name first; raises OSError when the file cannot be written."""
    day = today or dt.date.today()
    partial = path.with_name(path.name + ".part")
    writer = QPdfWriter(str(partial))
    writer.setResolution(DPI)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(18, 18, 18, 18),
            QPageLayout.Unit.Millimeter,
        )
    )
    painter = QPainter()
    if not painter.begin(writer):
        raise OSError(f"cannot write {path}")
    try:
        page = writer.pageLayout().paintRectPixels(DPI)
        for index, language in enumerate(LANGUAGES):
            if index:
                writer.newPage()
            document = _document(
                poster_html(settings, translator_for(language), day), page.width(), family, writer
            )
            document.drawContents(painter)
    finally:
        painter.end()
    partial.replace(path)
    return path


def poster_image(
    settings: Settings, language: str, *, family: str, width: int = 840, today: dt.date
) -> QImage:
    """One language's page as a picture (A4 proportions), for the screenshots and a preview."""
    height = round(width * A4_MM[1] / A4_MM[0])
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    margin = round(width * 18 / A4_MM[0])
    # The page's resolution as the PDF's, scaled to this picture's width: the same layout.
    dots_per_metre = round(width / (A4_MM[0] / 1000))
    image.setDotsPerMeterX(dots_per_metre)
    image.setDotsPerMeterY(dots_per_metre)
    document = _document(
        poster_html(settings, translator_for(language), today), width - 2 * margin, family, image
    )
    painter = QPainter(image)
    painter.translate(margin, margin)
    document.drawContents(painter)
    painter.end()
    return image
