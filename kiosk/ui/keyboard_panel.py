"""The embedded on-screen keyboard widget: Qt Virtual Keyboard's InputPanel in a QQuickWidget
(assets/qml/keyboard.qml). The window shows it under its pages while the input method is
visible (a text field has the focus and was tapped) and hides it otherwise
(MainWindow._keyboard_toggled). See kiosk.ui.keyboard for when and why.

It never takes the keyboard focus: the text field keeps it, and the keys type into it.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, QUrl
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
        self.setFixedHeight(240)
        self.setVisible(False)  # the window shows it with the input method (MainWindow)

    @property
    def keyboard_locale(self) -> str:
        """The keyboard's layout locale (e.g. vi_VN); not QWidget.locale(), which it shadowed."""
        root = self.rootObject()
        return str(root.property("locale")) if root is not None else ""

    def fit(self, window: QSize) -> None:
        """Its height for a window of `window`'s size: the keys keep their style's proportions
        (a third of the width), at most half the window's height, so that a 800x480 screen
        keeps room for the field being typed in. Called by the window as it is resized (not
        from this widget's own resizeEvent: resizing a QQuickWidget there stops it drawing)."""
        height = max(160, min(window.width() // 3, window.height() // 2))
        if self.height() != height or self.minimumHeight() != height:
            self.setFixedHeight(height)
