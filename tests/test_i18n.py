"""The translation system: .ts files, the compiled .qm, ui/i18n.py, and Qt's own dialogs in
Vietnamese and English (real widgets, offscreen; helpers in tests/i18n_support.py).

Qt's file dialog is the non-native one (``QFileDialog.Option.DontUseNativeDialog``), as the app
uses it. The print dialogs are Qt's own (Linux); on Windows the app shows the system's, which
Windows translates. Dialogs are shown with ``show()``, never ``exec()``.
"""

from __future__ import annotations

import functools
import logging
import operator
import os
import re
import shutil
import sys
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QDate, QLocale, Qt, QTranslator
from PySide6.QtGui import QUndoStack
from PySide6.QtPrintSupport import QPageSetupDialog, QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import (
    QAbstractButton,
    QCalendarWidget,
    QDateEdit,
    QDialogButtonBox,
    QDockWidget,
    QErrorMessage,
    QFileDialog,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QScrollBar,
    QSpinBox,
    QTabWidget,
    QTextEdit,
    QWidget,
    QWizard,
    QWizardPage,
)

from resources.translations import update as ts_tools
from tests import i18n_support
from tests.i18n_support import (
    CORE_ENGLISH_WORDS,
    Texts,
    assert_language,
    context_menu_texts,
    english_leftovers,
    english_vocabulary,
    english_words,
    recording_translations,
    strip_mnemonics,
    vietnamese_leftovers,
    vietnamese_marks,
    visible_texts,
)
from ui import i18n

# The fixtures of tests/i18n_support.py, made visible to pytest in this module.
compiled_translations = i18n_support.compiled_translations
vietnamese = i18n_support.vietnamese
ui_language = i18n_support.ui_language

ALL_BUTTONS = functools.reduce(operator.or_, (
    QDialogButtonBox.StandardButton.Ok, QDialogButtonBox.StandardButton.Save,
    QDialogButtonBox.StandardButton.SaveAll, QDialogButtonBox.StandardButton.Open,
    QDialogButtonBox.StandardButton.Yes, QDialogButtonBox.StandardButton.YesToAll,
    QDialogButtonBox.StandardButton.No, QDialogButtonBox.StandardButton.NoToAll,
    QDialogButtonBox.StandardButton.Abort, QDialogButtonBox.StandardButton.Retry,
    QDialogButtonBox.StandardButton.Ignore, QDialogButtonBox.StandardButton.Close,
    QDialogButtonBox.StandardButton.Cancel, QDialogButtonBox.StandardButton.Discard,
    QDialogButtonBox.StandardButton.Help, QDialogButtonBox.StandardButton.Apply,
    QDialogButtonBox.StandardButton.Reset, QDialogButtonBox.StandardButton.RestoreDefaults))
VIETNAMESE_BUTTONS = {
    "Đồng ý", "Lưu", "Lưu tất cả", "Mở", "Có", "Có với tất cả", "Không", "Không với tất cả",
    "Hủy bỏ", "Thử lại", "Bỏ qua", "Đóng", "Hủy", "Không lưu", "Trợ giúp", "Áp dụng", "Đặt lại",
    "Khôi phục mặc định"}
ENGLISH_BUTTONS = {
    "OK", "Save", "Save All", "Open", "Yes", "Yes to All", "No", "No to All", "Abort", "Retry",
    "Ignore", "Close", "Cancel", "Discard", "Help", "Apply", "Reset", "Restore Defaults"}


# ---------------------------------------------------------------------------- the .ts files
def _placeholders(text: str) -> list[str]:
    return sorted(re.findall(r"%L?\d+|%n|\{[A-Za-z_]\w*\}", text))


def _mnemonics(text: str) -> int:
    return len(re.findall(r"&(?!&)", text.replace("&&", "")))


def _ending(text: str) -> str:
    text = text.rstrip()
    if text.endswith(("…", "...")):
        return "…"
    return text[-1] if text and text[-1] in ".:?!" else ""


def _edges(text: str) -> tuple[str, str]:
    return (text[: len(text) - len(text.lstrip())], text[len(text.rstrip()):])


@pytest.mark.parametrize("ts", ts_tools.ts_files(), ids=lambda p: p.name)
def test_ts_file_is_valid_and_finished(ts: Path) -> None:
    ET.parse(ts)  # well-formed XML
    parsed = ts_tools.read_ts(ts)
    language = ts.stem.rsplit("_", 1)[-1]
    assert parsed.language.split("_")[0] == language
    assert parsed.source_language.split("_")[0] == ("en" if ts.stem.startswith("qt") else "vi")
    live = parsed.live()
    assert live, f"{ts.name} has no messages"
    unfinished = [f"[{m.context}] {m.source!r}" for m in live if not m.finished]
    assert not unfinished, f"{ts.name}: unfinished or empty translations:\n" + "\n".join(
        unfinished)
    forms = 1 if language == "vi" else 2  # Vietnamese has one plural form, English two
    wrong = [m.source for m in live if m.numerus and len(m.translations) != forms]
    assert not wrong, f"{ts.name}: plural messages need {forms} forms: {wrong}"
    keys = [m.key for m in live]
    assert len(keys) == len(set(keys)), "a message appears twice"


@pytest.mark.parametrize("ts", ts_tools.ts_files(), ids=lambda p: p.name)
def test_translations_keep_placeholders_mnemonics_spaces_and_endings(ts: Path) -> None:
    problems = []
    for message in ts_tools.read_ts(ts).live():
        if message.source == "QT_LAYOUT_DIRECTION":
            continue
        for translation in message.translations:
            label = f"[{message.context}] {message.source!r} → {translation!r}"
            if _placeholders(translation) != _placeholders(message.source) and not (
                    message.numerus and set(_placeholders(translation))
                    <= set(_placeholders(message.source))):
                problems.append(f"{label}: place markers differ")
            if _mnemonics(translation) != _mnemonics(message.source):
                problems.append(f"{label}: & mnemonics differ")
            if _edges(translation) != _edges(message.source):
                problems.append(f"{label}: leading or trailing spaces differ")
            if _ending(translation) != _ending(message.source):
                problems.append(f"{label}: ending punctuation differs")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("ts", ts_tools.ts_files(), ids=lambda p: p.name)
def test_ts_text_is_nfc(ts: Path) -> None:
    """Vietnamese keyboards type both composed and combining forms; the catalogues hold the
    composed form (NFC) only, like the store."""
    bad = [f"[{m.context}] {text!r}" for m in ts_tools.read_ts(ts).live()
           for text in (m.source, *m.translations)
           if unicodedata.normalize("NFC", text) != text]
    assert not bad, "not NFC:\n" + "\n".join(bad)


def test_compiled_qm_is_not_older_than_its_ts(compiled_translations) -> None:
    for ts in ts_tools.ts_files():
        qm = ts_tools.qm_for(ts)
        assert qm.exists(), f"{qm.name} was not built"
        assert qm.stat().st_mtime >= ts.stat().st_mtime, f"{qm.name} is older than {ts.name}"
        translator = QTranslator()
        assert translator.load(str(qm)), f"{qm.name} does not load"
        assert not translator.isEmpty()


def test_a_stale_qm_is_rebuilt(tmp_path: Path) -> None:
    ts = tmp_path / "qtbase_vi.ts"
    shutil.copy2(ts_tools.QT_TS, ts)
    assert ts_tools.is_stale(ts)  # no .qm yet
    ts_tools.compile_ts(ts)
    assert not ts_tools.is_stale(ts)
    old = ts.stat().st_mtime - 60
    os.utime(ts_tools.qm_for(ts), (old, old))
    assert ts_tools.is_stale(ts)
    ts_tools.compile_ts(ts)
    assert not ts_tools.is_stale(ts)
    assert not list(tmp_path.glob("*.tmp")), "the temporary .qm was left behind"


# ------------------------------------------------------------------ the app's own strings
def test_every_string_of_ui_has_an_english_translation() -> None:
    """Fails when a screen adds or changes a string: run `make translations-update`, translate
    what it lists (docs/translations.md), and run the tests again."""
    _, problems = ts_tools.scan_sources()
    assert not problems, "\n".join(problems)
    missing = ts_tools.missing_translations()
    assert not missing, ("strings without an English translation in "
                         "resources/translations/communedesk_en.ts (make translations-update):\n"
                         + "\n".join(f"  {m.file}:{m.line}: [{m.context}] {m.source!r}"
                                     for m in missing))


def test_lupdate_extracts_every_string_the_code_translates(tmp_path: Path) -> None:
    """The refresh (lupdate over ui/, helpers spelled out) and an independent reading of the
    code with ast agree on every (context, source, disambiguation)."""
    ts = tmp_path / "communedesk_en.ts"
    shutil.copy2(ts_tools.APP_TS, ts)
    report = ts_tools.update_ts(ts)
    found, _ = ts_tools.scan_sources()
    extracted = {m.key: m for m in ts_tools.read_ts(ts).live()}
    assert set(extracted) == {m.key for m in found}, report.lupdate_output
    for message in found:
        assert extracted[message.key].numerus == message.numerus, message
    assert all(loc.startswith("../../ui/") for m in extracted.values()
               for loc in m.locations[:1]), "locations must stay relative to the .ts"


def test_helper_calls_are_spelled_out_for_lupdate() -> None:
    source = (
        'from PySide6.QtCore import QCoreApplication\n\n\n'
        'def _t(text: str) -> str:\n'
        '    """Translate."""\n'
        '    return QCoreApplication.translate("SyncPage", text)\n\n\n'
        'LABELS = {"a": _t("Đồng bộ"), "b": _t("Đang gửi tệp đính kèm")}\n'
        'plain = _t  # not a call\n'
    ).encode()
    spelled = ts_tools._spell_helpers_out(source).decode()
    assert ('LABELS = {"a": QCoreApplication.translate("SyncPage", "Đồng bộ"), '
            '"b": QCoreApplication.translate("SyncPage", "Đang gửi tệp đính kèm")}') in spelled
    assert spelled.count("\n") == source.decode().count("\n")  # same lines, same locations


def test_scan_reports_texts_built_at_run_time_or_import_time(tmp_path: Path) -> None:
    module = tmp_path / "screen.py"
    module.write_text(
        "from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication\n"
        "from PySide6.QtWidgets import QWidget\n"
        "TITLE = QCoreApplication.translate('Screen', 'Tiêu đề')\n"
        "STATES = {'ok': QT_TRANSLATE_NOOP('Screen', 'Xong')}\n"
        "class Screen(QWidget):\n"
        "    def texts(self, n):\n"
        "        return (self.tr(f'{n} hồ sơ'), self.tr('Mã ' + str(n)), self.tr('Lưu'),\n"
        "                self.tr('%n hồ sơ', '', n), self.tr('Mở', 'mở tệp'))\n",
        encoding="utf-8")
    found, problems = ts_tools.scan_sources([module])
    assert [(m.context, m.source, m.comment, m.numerus) for m in found] == [
        ("Screen", "Tiêu đề", "", False), ("Screen", "Xong", "", False),
        ("Screen", "Lưu", "", False), ("Screen", "%n hồ sơ", "", True),
        ("Screen", "Mở", "mở tệp", False)]
    assert len(problems) == 3
    assert "screen.py:3: translate() runs at import time" in problems[0]
    assert all("built at run time" in p for p in problems[1:])


# ---------------------------------------------------------------------------- ui/i18n.py
def test_install_language_switches_translators_and_locale(qapp, compiled_translations) -> None:
    try:
        i18n.install_language(qapp, "en")
        assert i18n.installed_language() == "en"
        assert [p.name for p in i18n.installed_files()] == ["communedesk_en.qm"]
        assert QLocale().name() == "en_US"
        assert QCoreApplication.translate("SettingsPage", "Ngôn ngữ") == "Language"
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"

        i18n.install_language(qapp, "vi")
        assert [p.name for p in i18n.installed_files()] == ["qtbase_vi.qm"]
        assert QLocale().name() == "vi_VN"
        assert QCoreApplication.translate("SettingsPage", "Ngôn ngữ") == "Ngôn ngữ"
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Hủy"
        assert qapp.layoutDirection() == Qt.LayoutDirection.LeftToRight
    finally:
        i18n.uninstall_language(qapp)
    assert i18n.installed_language() is None and i18n.installed_files() == []
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"


def test_unknown_language_is_refused(qapp) -> None:
    with pytest.raises(ValueError):
        i18n.install_language(qapp, "fr")  # type: ignore[arg-type]


def test_a_missing_qm_leaves_the_app_vietnamese(qapp, tmp_path, monkeypatch, caplog) -> None:
    monkeypatch.setattr(i18n, "translations_dir", lambda: tmp_path)
    try:
        with caplog.at_level(logging.WARNING, logger="ui.i18n"):
            i18n.install_language(qapp, "en")
        assert "communedesk_en.qm" in caplog.text
        assert i18n.installed_files() == []
        assert QCoreApplication.translate("SettingsPage", "Ngôn ngữ") == "Ngôn ngữ"
    finally:
        i18n.uninstall_language(qapp)


def test_a_frozen_app_finds_its_bundled_translations(tmp_path, monkeypatch) -> None:
    bundled = tmp_path / "resources" / "translations"
    bundled.mkdir(parents=True)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert i18n.translations_dir() == bundled
    monkeypatch.delattr(sys, "_MEIPASS")
    assert i18n.translations_dir() == ts_tools.HERE


@pytest.mark.parametrize(("value", "language"), [
    ("vi", "vi"), ("vi_VN", "vi"), ("vi-VN", "vi"), ("en", "en"), ("en_US", "en"), ("EN", "en"),
    ("fr", "vi"), ("", "vi"), (None, "vi")])
def test_normalize_language(value, language) -> None:
    assert i18n.normalize_language(value) == language


# ----------------------------------------------------------------------------- heuristics
def test_vietnamese_marks_in_both_unicode_forms() -> None:
    assert vietnamese_marks("Lưu hồ sơ") == ["ư", "ồ", "ơ"]
    assert vietnamese_marks(unicodedata.normalize("NFD", "Đóng")) == ["Đ", "ó"]
    assert vietnamese_marks("Print preview") == []
    assert vietnamese_marks("Mo tep") == []


def test_english_vocabulary_is_data_driven() -> None:
    vocabulary = english_vocabulary()
    assert {"ok", "cancel", "save", "open", "close", "yes", "no", "directory"} <= vocabulary
    assert {"dossier", "sync", "applicant"} <= vocabulary  # from communedesk_en.ts
    assert "in" not in vocabulary and "to" not in vocabulary  # Vietnamese words too ("In")
    # A core word leaves the list only when a Vietnamese text uses it too ("Phím Delete").
    vietnamese_words = {w.lower() for m in ts_tools.read_ts(ts_tools.APP_TS).live()
                        for w in re.findall(r"[^\W\d_]+", m.source)}
    assert CORE_ENGLISH_WORDS - vocabulary <= vietnamese_words
    assert english_words("Open the &file…") == ["file", "open", "the"]


def test_leftovers_judge_whole_texts() -> None:
    assert [x.text for x in english_leftovers(["Cancel", "Hủy", "In", "A4", "Letter / ANSI A",
                                               "42", "Save As"])] == ["Cancel", "Save As"]
    assert english_leftovers(["Open Nguyen Van An"], allow=["Open Nguyen Van An"]) == []
    assert [x.text for x in vietnamese_leftovers(["Cancel", "Hủy bỏ", "Đ"])] == ["Hủy bỏ", "Đ"]
    assert vietnamese_leftovers(["Applicant: Nguyễn Thị Hoa"], allow=["Nguyễn Thị Hoa"]) == []
    assert vietnamese_leftovers(["Code Phường 1"], allow=[re.compile(r"Phường \d+")]) == []
    with pytest.raises(AssertionError, match="Cancel"):
        assert_language([("button", "Cancel")], "vi")


def test_visible_texts_walks_the_widget_tree(qtbot) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    window.setWindowTitle("Cửa sổ")
    menu = window.menuBar().addMenu("&Tệp")
    menu.addAction("&Mở…")
    menu.addMenu("Gần đây").addAction("Hồ sơ cũ")
    window.addToolBar("Công cụ").addAction("Tìm")
    window.statusBar().showMessage("Sẵn sàng")
    tabs = QTabWidget()
    window.setCentralWidget(tabs)
    page = QWidget()
    label = QLabel("<b>Đậm</b> &amp; rõ", page)
    label.setToolTip("Gợi ý")
    QPushButton("&Lưu", page).move(0, 30)
    hidden = QLabel("Ẩn", page)
    hidden.hide()
    QLineEdit(page, placeholderText="Gõ tên").move(0, 60)
    spin = QSpinBox(page)
    spin.setSuffix(" ngày")
    tabs.addTab(page, "Trang &một")
    tabs.addTab(QLabel("Trang sau"), "Trang hai")
    window.show()

    texts = visible_texts(window)
    shown = [text for _, text in texts]
    for expected in ("Cửa sổ", "Tệp", "Mở…", "Gần đây", "Hồ sơ cũ", "Tìm", "Sẵn sàng",
                     "Đậm & rõ", "Gợi ý", "Lưu", "Gõ tên", " ngày", "Trang một", "Trang hai",
                     "Trang sau"):
        assert expected in shown, (expected, texts)
    assert "Ẩn" not in shown
    assert "Ẩn" in [t for _, t in visible_texts(window, include_hidden=True)]
    assert "Trang sau" not in [t for _, t in visible_texts(window, include_pages=False)]
    assert any(where.endswith("QPushButton.text") for where, _ in texts)


# ------------------------------------------------------------ Qt's dialogs, both languages
def _message_box(qtbot, tmp_path) -> Texts:
    box = QMessageBox(QMessageBox.Icon.Question, "CommuneDesk", "42",
                      QMessageBox.StandardButton(ALL_BUTTONS.value))
    box.setDetailedText("42")
    qtbot.addWidget(box)
    box.show()
    texts = visible_texts(box)
    details = next(b for b in box.buttons()
                   if box.buttonRole(b) == QMessageBox.ButtonRole.ActionRole)
    details.click()
    return texts + visible_texts(box)


def _button_box(qtbot, tmp_path) -> Texts:
    box = QDialogButtonBox(ALL_BUTTONS)
    qtbot.addWidget(box)
    box.show()
    return visible_texts(box)


def _file_dialog(mode: QFileDialog.FileMode, accept: QFileDialog.AcceptMode):
    def scene(qtbot, tmp_path) -> Texts:
        folder = tmp_path / "folder"
        folder.mkdir(parents=True)
        dialog = QFileDialog(None, "", str(folder), "PDF (*.pdf)")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        dialog.setFileMode(mode)
        dialog.setAcceptMode(accept)
        qtbot.addWidget(dialog)
        dialog.show()
        texts = visible_texts(dialog)
        dialog.setViewMode(QFileDialog.ViewMode.Detail)
        qtbot.wait(50)
        return texts + visible_texts(dialog, include_items=True)
    return scene


def _print_dialog(qtbot, tmp_path) -> Texts:
    printer = QPrinter()
    dialog = QPrintDialog(printer)
    qtbot.addWidget(dialog)
    dialog.show()
    texts = visible_texts(dialog)
    for button in dialog.findChildren(QPushButton):
        if ">>" in button.text():
            button.click()  # &Options >>
    return texts + visible_texts(dialog)


def _print_preview(qtbot, tmp_path) -> Texts:
    printer = QPrinter()
    dialog = QPrintPreviewDialog(printer)
    qtbot.addWidget(dialog)
    dialog.show()
    return visible_texts(dialog)


def _page_setup(qtbot, tmp_path) -> Texts:
    printer = QPrinter()
    dialog = QPageSetupDialog(printer)
    qtbot.addWidget(dialog)
    dialog.show()
    return visible_texts(dialog)


def _wizard(qtbot, tmp_path) -> Texts:
    wizard = QWizard()
    wizard.setOptions(QWizard.WizardOption.HaveHelpButton
                      | QWizard.WizardOption.HaveFinishButtonOnEarlyPages)
    pages = [QWizardPage(), QWizardPage(), QWizardPage()]
    pages[1].setCommitPage(True)  # Commit instead of Next
    for page in pages:
        wizard.addPage(page)
    qtbot.addWidget(wizard)
    wizard.show()
    texts: Texts = []
    for _ in pages:
        for style in (QWizard.WizardStyle.ClassicStyle, QWizard.WizardStyle.ModernStyle,
                      QWizard.WizardStyle.MacStyle, QWizard.WizardStyle.AeroStyle):
            wizard.setWizardStyle(style)
            texts += visible_texts(wizard)
        wizard.next()
    return texts


def _line_edit_menu(qtbot, tmp_path) -> Texts:
    edit = QLineEdit("42")
    qtbot.addWidget(edit)
    edit.show()
    edit.selectAll()
    return visible_texts(edit.createStandardContextMenu())


def _text_edit_menu(qtbot, tmp_path) -> Texts:
    edit = QTextEdit()
    edit.setHtml('<a href="https://example.org">42</a>')
    qtbot.addWidget(edit)
    edit.show()
    edit.selectAll()
    return visible_texts(edit.createStandardContextMenu(edit.rect().topLeft()))


def _spin_box_menu(qtbot, tmp_path) -> Texts:
    spin = QSpinBox()
    spin.setValue(5)
    qtbot.addWidget(spin)
    spin.show()
    return context_menu_texts(spin)


def _scroll_bar_menu(qtbot, tmp_path) -> Texts:
    texts: Texts = []
    for orientation in (Qt.Orientation.Vertical, Qt.Orientation.Horizontal):
        bar = QScrollBar(orientation)
        qtbot.addWidget(bar)
        bar.show()
        texts += context_menu_texts(bar)
    return texts


def _small_dialogs(qtbot, tmp_path) -> Texts:
    texts: Texts = []
    for dialog in (QInputDialog(), QProgressDialog(), QErrorMessage()):
        qtbot.addWidget(dialog)
        if isinstance(dialog, QErrorMessage):
            dialog.showMessage("42")
        else:
            dialog.show()
        texts += visible_texts(dialog)
    return texts


def _calendar_and_dates(qtbot, tmp_path) -> Texts:
    calendar = QCalendarWidget()
    calendar.setSelectedDate(QDate(2026, 1, 6))
    date_edit = QDateEdit(QDate(2026, 1, 6))
    date_edit.setCalendarPopup(True)
    for widget in (calendar, date_edit):
        qtbot.addWidget(widget)
        widget.show()
    return (visible_texts(calendar, include_items=True) + visible_texts(date_edit)
            + context_menu_texts(date_edit))


def _window_chrome(qtbot, tmp_path) -> Texts:
    window = QMainWindow()
    tabs = QTabWidget()
    tabs.setTabsClosable(True)
    tabs.addTab(QWidget(), "42")
    window.setCentralWidget(tabs)
    window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, QDockWidget("42"))
    stack = QUndoStack(window)
    window.menuBar().addMenu("42").addActions(
        [stack.createUndoAction(window), stack.createRedoAction(window)])
    qtbot.addWidget(window)
    window.show()
    return visible_texts(window)


SCENES: dict[str, Callable[..., Texts]] = {
    "message box": _message_box,
    "button box": _button_box,
    "file dialog: open": _file_dialog(QFileDialog.FileMode.ExistingFile,
                                      QFileDialog.AcceptMode.AcceptOpen),
    "file dialog: save": _file_dialog(QFileDialog.FileMode.AnyFile,
                                      QFileDialog.AcceptMode.AcceptSave),
    "file dialog: folder": _file_dialog(QFileDialog.FileMode.Directory,
                                        QFileDialog.AcceptMode.AcceptOpen),
    "print dialog": _print_dialog,
    "print preview": _print_preview,
    "page setup": _page_setup,
    "wizard": _wizard,
    "line edit menu": _line_edit_menu,
    "text edit menu": _text_edit_menu,
    "spin box menu": _spin_box_menu,
    "scroll bar menu": _scroll_bar_menu,
    "input, progress, error dialogs": _small_dialogs,
    "calendar and dates": _calendar_and_dates,
    "tabs, dock, undo": _window_chrome,
}


def _data(tmp_path: Path) -> list[str | re.Pattern[str]]:
    """What the file dialogs show of this machine: folder names, not interface text."""
    return [re.compile(re.escape(str(tmp_path)) + r"\S*"),
            *(part for part in tmp_path.parts if part != "/"),
            os.path.expanduser("~"), "PDF (*.pdf)", "https://example.org"]


@pytest.mark.parametrize("scene", SCENES, ids=str)
def test_qt_dialogs_speak_the_interface_language(scene, ui_language, qtbot, tmp_path) -> None:
    texts = SCENES[scene](qtbot, tmp_path)
    assert texts, f"{scene}: nothing visible was found"
    assert_language(texts, ui_language, allow=_data(tmp_path))


@pytest.mark.parametrize(("language", "expected"), [("vi", VIETNAMESE_BUTTONS),
                                                    ("en", ENGLISH_BUTTONS)])
def test_standard_buttons(language, expected, qapp, compiled_translations, qtbot) -> None:
    i18n.install_language(qapp, language)
    try:
        box = QDialogButtonBox(ALL_BUTTONS)
        qtbot.addWidget(box)
        assert {strip_mnemonics(b.text()) for b in box.findChildren(QAbstractButton)
                } == expected
    finally:
        i18n.uninstall_language(qapp)


def test_locale_follows_the_language(qapp, compiled_translations, qtbot) -> None:
    names = {}
    for language in ("vi", "en"):
        i18n.install_language(qapp, language)
        try:
            calendar = QCalendarWidget()
            qtbot.addWidget(calendar)
            names[language] = calendar.locale().standaloneMonthName(1)
        finally:
            i18n.uninstall_language(qapp)
    assert names == {"vi": "Tháng 1", "en": "January"} or (
        vietnamese_marks(names["vi"]) and names["en"] == "January")


def test_qtbase_vi_covers_what_qt_asks_for(vietnamese, qtbot, tmp_path) -> None:
    """Every string Qt requested while the dialogs above were built has a Vietnamese
    translation, unless it has no English word (paper codes like A4, "%1%") or is a key name
    (QShortcut: Ctrl, Del, Esc stay as printed on keyboards). After a Qt upgrade this names any
    new or changed string to add to qtbase_vi.ts."""
    with recording_translations(vietnamese) as recorder:
        for number, scene in enumerate(SCENES.values()):
            scene(qtbot, tmp_path / str(number))
    qtbase = QTranslator()
    assert qtbase.load(str(ts_tools.qm_for(ts_tools.QT_TS)))
    app_contexts = {m.context for m in ts_tools.read_ts(ts_tools.APP_TS).messages}
    untranslated = sorted(
        (context, source, disambiguation)
        for context, source, disambiguation in recorder.requests
        if context not in app_contexts and context != "QShortcut"
        and not re.fullmatch(r"(Alt|Ctrl|Shift|Meta)\+\w+", source)
        and english_words(source)
        and not qtbase.translate(context, source, disambiguation or None))
    assert not untranslated, "add to resources/translations/qtbase_vi.ts:\n" + "\n".join(
        f"  {x}" for x in untranslated)
    assert len(recorder.requests) > 150  # the scenes did reach Qt's strings
