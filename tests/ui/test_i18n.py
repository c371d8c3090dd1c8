"""Translations: every string the screen can show has a finished Vietnamese translation, the
committed .qm files are what lrelease makes of the .ts files, and the language switches while
the kiosk runs. The extraction tool (scripts/i18n.py) on code made for the purpose.

A string added to kiosk/ui without a translation fails here with its text: run
`make translations`, translate it in assets/translations/kiosk_vi.ts, run it again.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator
from PySide6.QtWidgets import QApplication

from kiosk.events import Direction, Reason
from kiosk.ui.i18n import Translator
from kiosk.ui.manual import ManualEntryPage
from kiosk.ui.resources import asset
from kiosk.ui.scan_page import ScanPage
from kiosk.ui.texts import direction_name, reason_text
from tests.conftest import load_script

i18n = load_script("i18n")


# -- the committed files ----------------------------------------------------------------------


def test_every_screen_string_has_a_finished_vietnamese_translation() -> None:
    found = i18n.extract()
    assert len(found) > 50  # the extraction found the screen's strings at all
    vietnamese = {m.key: m for m in i18n.read_ts(i18n.ts_path("vi"))}
    missing = [f"{key[1]!r} (not in kiosk_vi.ts)" for key in found if key not in vietnamese]
    present = [vietnamese[key] for key in found if key in vietnamese]
    problems = missing + i18n.problems(present)
    assert not problems, "run `make translations`, then translate in kiosk_vi.ts:\n" + "\n".join(
        problems
    )


def test_the_english_file_has_every_string_as_itself() -> None:
    english = {m.key: m for m in i18n.read_ts(i18n.ts_path("en")) if m.state != "obsolete"}
    for key in i18n.extract():
        assert key in english, f"{key[1]!r} not in kiosk_en.ts: run `make translations`"
        assert english[key].translation == key[1]
        assert english[key].state == ""


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_committed_qm_is_what_lrelease_makes_of_the_ts(language: str, tmp_path: Path) -> None:
    fresh = tmp_path / f"kiosk_{language}.qm"
    i18n.compile_ts(i18n.ts_path(language), fresh)
    committed = i18n.qm_path(language)
    assert committed.exists(), f"{committed.name} missing: run scripts/i18n.py compile"
    assert committed.read_bytes() == fresh.read_bytes(), (
        f"{committed.name} is older than {language}.ts: run scripts/i18n.py compile"
    )


def test_the_app_finds_the_vietnamese_translations(qapp: QApplication) -> None:
    # Through kiosk.ui.resources, as the app loads it (a checkout, an install, a wheel).
    translator = QTranslator()
    assert translator.load(str(asset("translations/kiosk_vi.qm")))
    for key in i18n.extract():
        assert translator.translate(key[0], key[1]), f"{key[1]!r} is not in kiosk_vi.qm"
    assert translator.translate("Kiosk", "COME IN") == "MỜI VÀO"


# -- switching at run time --------------------------------------------------------------------


@pytest.fixture
def translator(qapp: QApplication) -> Iterator[Translator]:
    translator = Translator(qapp)
    yield translator
    translator.set_language("en")  # the other tests run in English


def test_switching_language_changes_the_scan_page(translator: Translator, qtbot: Any) -> None:
    page = ScanPage(demo=True)
    qtbot.addWidget(page)
    english = {
        "manual": "Manual entry",
        "admin": "Administration",
        "instruction": "Hold your QR code up to the camera above the screen",
        "demo": "DEMO MODE",
        "modes": ["IN", "OUT", "AUTO"],
        "language": "Tiếng Việt",  # the button names the other language, in that language
    }
    vietnamese = {
        "manual": "Nhập thủ công",
        "admin": "Quản trị",
        "instruction": "Đưa mã QR vào khung, hướng về camera phía trên màn hình",
        "demo": "CHẾ ĐỘ THỬ",
        "modes": ["VÀO", "RA", "TỰ ĐỘNG"],
        "language": "English",
    }

    def shown() -> dict[str, Any]:
        return {
            "manual": page.manual_button.text(),
            "admin": page.admin_button.text(),
            "instruction": page.instruction.text(),
            "demo": page.demo_badge.text(),
            "modes": [button.text() for button in page.mode_buttons.values()],
            "language": page.language_button.text(),
        }

    assert shown() == english
    assert translator.set_language("vi")
    page.retranslate()
    assert shown() == vietnamese
    assert direction_name(Direction.OUT) == "RA"  # texts looked up at call time
    assert reason_text(Reason.CAPACITY_FULL) == "Đã đủ số người bên trong, vui lòng chờ"
    assert translator.set_language("en")
    page.retranslate()
    assert shown() == english


def test_switching_language_changes_the_manual_entry_page(
    translator: Translator, qtbot: Any
) -> None:
    page = ManualEntryPage()
    qtbot.addWidget(page)
    page.submit()  # empty: the problems are shown, and must follow the language too
    assert page.problems.text().splitlines()[0] == "Choose IN or OUT"
    translator.set_language("vi")
    page.retranslate()
    assert page.title.text() == "Nhập thủ công"
    assert page.confirm_button.text() == "Xác nhận"
    assert page.questions["fever"].label.text() == "Sốt"
    assert page.questions["fever"].yes.text() == "Có"
    assert page.problems.text().splitlines()[:2] == ["Chọn VÀO hoặc RA", "Vui lòng nhập họ và tên"]
    translator.set_language("en")
    page.retranslate()
    assert page.title.text() == "Manual entry"
    assert page.problems.text().splitlines()[1] == "Enter the visitor's full name"


# -- the tool ---------------------------------------------------------------------------------

SOURCE = """
from PySide6.QtCore import QCoreApplication
from kiosk.ui import texts
from kiosk.ui.texts import tr


def tr_helper_is_not_a_call_site(text, context="Kiosk"):
    return 1


class Page:
    def retranslate(self):
        self.a = tr("Welcome in")
        self.b = tr("Open", "Admin")
        self.c = tr(text="Keyword & <markup> \\"quoted\\"", context="Kiosk")
        self.d = texts.tr("Via the module")
        self.e = QCoreApplication.translate("Other", "Translated directly")
        self.f = self.tr("QObject.tr is not ours")
        self.g = tr("Welcome in")  # the same string again: one message, two places
"""


def test_extract_finds_every_literal_call(tmp_path: Path) -> None:
    (tmp_path / "page.py").write_text(SOURCE)
    found = i18n.extract(tmp_path)
    assert list(found) == [
        ("Kiosk", "Welcome in"),
        ("Admin", "Open"),
        ("Kiosk", 'Keyword & <markup> "quoted"'),
        ("Kiosk", "Via the module"),
        ("Other", "Translated directly"),
    ]
    assert [location.line for location in found[("Kiosk", "Welcome in")]] == [13, 19]


def test_extract_refuses_a_computed_text_and_names_the_place(tmp_path: Path) -> None:
    (tmp_path / "page.py").write_text('from x import tr\nname = "A"\nlabel = tr(f"Hello {name}")\n')
    with pytest.raises(i18n.ExtractError, match=r"page\.py:3: tr\(f'Hello \{name\}'\)"):
        i18n.extract(tmp_path)


def test_merge_keeps_translations_and_marks_removed_strings_obsolete(tmp_path: Path) -> None:
    source_file = tmp_path / "page.py"
    ts = tmp_path / "kiosk_vi.ts"
    source_file.write_text('tr("Welcome in")\ntr("Exit recorded")\n')
    i18n.write_ts(ts, "vi_VN", i18n.merge([], i18n.extract(tmp_path), identity=False))
    messages = i18n.read_ts(ts)
    assert [(m.source, m.state) for m in messages] == [
        ("Welcome in", "unfinished"),
        ("Exit recorded", "unfinished"),
    ]
    messages[0].translation, messages[0].state = "Mời vào", ""
    messages[1].translation, messages[1].state = "Đã ghi nhận ra", ""
    i18n.write_ts(ts, "vi_VN", messages)

    source_file.write_text('tr("Welcome in")\ntr("Entry not allowed")\n')  # one gone, one new
    i18n.write_ts(ts, "vi_VN", i18n.merge(i18n.read_ts(ts), i18n.extract(tmp_path), identity=False))
    after = {m.source: (m.translation, m.state) for m in i18n.read_ts(ts)}
    assert after == {
        "Welcome in": ("Mời vào", ""),
        "Entry not allowed": ("", "unfinished"),
        "Exit recorded": ("Đã ghi nhận ra", "obsolete"),
    }

    source_file.write_text('tr("Welcome in")\ntr("Exit recorded")\n')  # it comes back
    i18n.write_ts(ts, "vi_VN", i18n.merge(i18n.read_ts(ts), i18n.extract(tmp_path), identity=False))
    after = {m.source: (m.translation, m.state) for m in i18n.read_ts(ts)}
    assert after["Exit recorded"] == ("Đã ghi nhận ra", "")
    assert "Entry not allowed" not in after  # never translated: not kept


def test_a_written_ts_compiles_and_translates(tmp_path: Path, qapp: QApplication) -> None:
    special = 'Keyword & <markup> "quoted" it\'s {n}'
    message = i18n.Message("Kiosk", special, "Từ khóa & <đánh dấu> “trích” {n}", "")
    ts, qm = tmp_path / "t.ts", tmp_path / "t.qm"
    i18n.write_ts(ts, "vi_VN", [message])
    assert [(m.source, m.translation) for m in i18n.read_ts(ts)] == [(special, message.translation)]
    i18n.compile_ts(ts, qm)
    translator = QTranslator()
    assert translator.load(str(qm))
    assert translator.translate("Kiosk", special) == message.translation


def test_problems_name_wrong_placeholders() -> None:
    messages = [
        i18n.Message("Kiosk", "Inside now: {n}", "Đang ở bên trong: {m}", ""),
        i18n.Message("Kiosk", "Welcome in", "", "unfinished"),
        i18n.Message("Kiosk", "Gone", "", "obsolete"),
    ]
    assert i18n.problems(messages) == [
        "placeholders differ: 'Inside now: {n}' -> 'Đang ở bên trong: {m}'",
        "untranslated: 'Welcome in'",
    ]


def test_translate_is_what_tr_calls() -> None:
    # kiosk.ui.texts.tr is QCoreApplication.translate with context "Kiosk": the tool's default.
    assert i18n.DEFAULT_CONTEXT == "Kiosk"
    assert QCoreApplication.translate("Kiosk", "no such string") == "no such string"
