"""The embedded on-screen keyboard widget: Qt Virtual Keyboard's InputPanel in a QQuickWidget
(assets/qml/keyboard.qml), shown under the window's pages while the input method is visible
(a text field has the focus and was tapped), hidden otherwise. See kiosk.ui.keyboard for when
and why.

It never takes the keyboard focus: the text field keeps it, and the keys type into it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QGuiApplication, QResizeEvent
from PySide6.QtQuickWidgets import QQuickWidget
from PySide6.QtWidgets import QSizePolicy, QWidget

from kiosk.ui.resources import asset


class KeyboardPanel(QQuickWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setResizeMode(QQuickWidget.ResizeMode.SizeRootObjectToView)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setSource(QUrl.fromLocalFile(str(asset("qml/keyboard.qml"))))
        self.load_errors = [error.toString() for error in self.errors()]
        self.ready = self.status() == QQuickWidget.Status.Ready and self.rootObject() is not None
        self.setVisible(False)
        method = QGuiApplication.inputMethod()
        method.visibleChanged.connect(self._follow)

    @property
    def locale(self) -> str:
        root = self.rootObject()
        return str(root.property("locale")) if root is not None else ""

    def _follow(self) -> None:
        self.setVisible(QGuiApplication.inputMethod().isVisible())

    def resizeEvent(self, event: QResizeEvent) -> None:
        # The keys keep their style's proportions: the height follows the width (a third of
        # it, at most half the window's height, so a 800x480 screen keeps room for the field).
        width = event.size().width()
        window = self.window().height() if self.window() is not None else 2 * width
        height = max(160, min(width // 3, window // 2))
        if self.height() != height:
            self.setFixedHeight(height)
        super().resizeEvent(event)
