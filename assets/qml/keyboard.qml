// The on-screen keyboard, embedded at the bottom of the kiosk's window (kiosk/ui/keyboard.py).
// Vietnamese first (a long press on a vowel offers its accented forms, on d: đ), English
// through the globe key.
import QtQuick
import QtQuick.VirtualKeyboard
import QtQuick.VirtualKeyboard.Settings

Item {
    id: root
    property bool shown: Qt.inputMethod.visible
    property var locales: VirtualKeyboardSettings.availableLocales
    property string locale: VirtualKeyboardSettings.locale
    property int panelHeight: panel.height
    InputPanel {
        id: panel
        objectName: "panel"
        width: root.width
        anchors.bottom: root.bottom
    }
    Component.onCompleted: {
        VirtualKeyboardSettings.activeLocales = ["vi_VN", "en_US"]
        VirtualKeyboardSettings.locale = "vi_VN"
    }
}
