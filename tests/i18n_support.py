"""Checking the language of real widgets (pytest-qt, offscreen), for tests/test_i18n.py and for
any screen's test.

Set-up
    ``ensure_translations_compiled()`` compiles every ``.qm`` that is missing or older than its
    ``.ts`` (lrelease), so a test never reads a stale file even when pytest runs without make.
    Fixtures (a test module makes them its own: ``ui_language = i18n_support.ui_language``,
    which ruff accepts where a plain import of a fixture is "unused"; or list this module in
    ``pytest_plugins`` of tests/conftest.py):
    ``compiled_translations`` (session), ``vietnamese`` and ``english`` (the ``qapp`` with that
    language installed for one test), and ``ui_language``, which runs a test once per language
    and gives "vi" or "en". ``use_language(app, language)`` is the same as a context manager;
    every one of them removes the language again afterwards (``ui.i18n.uninstall_language``).
    Build widgets *after* the language is installed: the app applies a language at start-up.

Reading what a person sees
    ``visible_texts(widget)`` → ``[(where, text), …]``: window title, labels (rich text made
    plain), buttons, group box titles, tab and tool box texts, placeholders, spin box prefixes,
    suffixes and special values, combo box items, read-only text views, item views' horizontal
    headers, menu bar / tool bar / context-menu actions (with their menus), wizard page titles
    and subtitles, tool tips and status tips, status bar messages. Texts come as shown: ``&``
    mnemonics removed, rich text as plain text. Decision: hidden *pages* (of stacked widgets,
    tab widgets, tool boxes, wizards) are included (``include_pages=True``): a page a person
    reaches with one click must be right too; widgets hidden for another reason are not
    (``include_hidden=True`` takes them). Widgets inside another window (a child dialog, a
    popup) are skipped: check that window on its own. Cells of item views are data and are
    left out unless ``include_items=True``. ``visible_texts`` of a QMenu lists its actions.

Judging the language
    ``vietnamese_marks(text)``: the letters with Vietnamese diacritics (ă â đ ê ô ơ ư and the
    tone marks) in ``text``. ``english_words(text)``: the words of ``text`` found in
    ``english_vocabulary()``, which is data-driven: the English source words of qtbase_vi.ts
    and the words of the English translations in communedesk_en.ts (plus a few core words),
    less every word that also occurs in Vietnamese texts (``In`` is Vietnamese for Print).
    So the list grows with the app.
    In Vietnamese, a text is *English left over* when it has such a word and no Vietnamese
    mark; in English, a text is *Vietnamese left over* when it has a Vietnamese mark. A text
    that a .ts keeps unchanged on purpose (paper names like "Letter / ANSI A", "{n} KB") is
    never left over. ``allow`` takes data shown on screen (names, places, the language names
    "Tiếng Việt"/"English"): strings or compiled patterns removed from a text before judging.
    ``english_leftovers(texts, allow)``, ``vietnamese_leftovers(texts, allow)`` return
    ``Leftover`` records; ``assert_language(widget_or_texts, language, allow=…)`` fails with
    a readable list.

Qt's own strings
    ``RecordingTranslator`` / ``recording_translations(app)`` record every (context, source,
    disambiguation) Qt asks the translators for, without changing any answer.
    ``context_menu_texts(widget)`` and ``popup_texts(open_popup)`` read a menu that Qt builds
    and runs inside an event handler (spin box and scroll bar context menus), then close it.

Example (a whole-app test, in both languages)::

    from tests import i18n_support
    from tests.i18n_support import assert_language

    ui_language = i18n_support.ui_language

    def test_main_window_speaks_one_language(ui_language, qtbot, desk):
        window = MainWindow(desk)
        qtbot.addWidget(window)
        window.show()
        # data, not interface: the profile folder, the commune, the catalogue's official
        # procedure names (Vietnamese only), the language names
        assert_language(window, ui_language, allow=[str(profile_folder), "Xã Minh Châu",
                        *procedure_names, "Tiếng Việt", "English"])

Threading: GUI thread (Qt widgets).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from PySide6 import QtGui
from PySide6.QtCore import QCoreApplication, QPoint, Qt, QTimer, QTranslator
from PySide6.QtGui import QAction, QContextMenuEvent, QTextDocumentFragment
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDockWidget,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMenuBar,
    QPlainTextEdit,
    QProgressBar,
    QScrollArea,
    QStackedWidget,
    QStatusBar,
    QTabBar,
    QTableView,
    QTextEdit,
    QToolBar,
    QToolBox,
    QTreeView,
    QWidget,
    QWizard,
    QWizardPage,
)

from resources.translations import update as ts_tools
from ui.i18n import install_language, uninstall_language

Where = str
Texts = list[tuple[Where, str]]

# ----------------------------------------------------------------------------------- set-up


def ensure_translations_compiled() -> list[str]:
    """Compile the .qm files that are missing or older than their .ts; returns those built."""
    return [str(qm) for qm in ts_tools.compile_stale()]


@pytest.fixture(scope="session")
def compiled_translations() -> list[str]:
    return ensure_translations_compiled()


@contextmanager
def use_language(app: QCoreApplication, language: str) -> Iterator[QCoreApplication]:
    """``language`` installed on ``app`` inside the block, removed after it."""
    ensure_translations_compiled()
    install_language(app, language)  # type: ignore[arg-type]
    try:
        yield app
    finally:
        uninstall_language(app)


@pytest.fixture
def vietnamese(qapp):
    with use_language(qapp, "vi") as app:
        yield app


@pytest.fixture
def english(qapp):
    with use_language(qapp, "en") as app:
        yield app


@pytest.fixture(params=["vi", "en"])
def ui_language(request, qapp) -> Iterator[str]:
    """Runs the test once in Vietnamese and once in English; the value is "vi" or "en".
    (Each of these fixtures compiles stale .qm files itself: import just the one you use.)"""
    with use_language(qapp, request.param):
        yield request.param


# ------------------------------------------------------------------------ reading the texts
_MNEMONIC = re.compile(r"&(&?)")


def strip_mnemonics(text: str) -> str:
    """``&Lưu`` → ``Lưu``; ``&&`` stays one ``&``."""
    return _MNEMONIC.sub(lambda m: m.group(1), text)


def plain_text(text: str) -> str:
    """Rich text as the plain text it shows; plain text unchanged."""
    if QtGui.Qt.mightBeRichText(text):  # Qt's namespace in QtGui has the function
        return QTextDocumentFragment.fromHtml(text).toPlainText()
    return text


def _name(widget: QWidget) -> str:
    name = widget.metaObject().className()
    object_name = widget.objectName()
    if object_name and not object_name.startswith("qt_"):
        name += f"#{object_name}"
    return name


def _where(widget: QWidget, top: QWidget, what: str) -> Where:
    chain = []
    node: QWidget | None = widget
    while node is not None and node is not top and len(chain) < 3:
        chain.append(_name(node))
        node = node.parentWidget()
    chain.append(_name(top) if node is top else "…")
    return " > ".join(reversed(chain)) + f".{what}"


def _is_page(widget: QWidget) -> bool:
    parent = widget.parentWidget()
    return (isinstance(parent, QStackedWidget) or isinstance(widget, QWizardPage)
            or (isinstance(widget, QScrollArea) and isinstance(parent, QToolBox)))


def _shown(widget: QWidget, top: QWidget, include_hidden: bool, include_pages: bool) -> bool:
    node: QWidget | None = widget
    while node is not None and node is not top:
        if node.isWindow():
            return False  # another window (dialog, popup, menu): check it on its own
        if node.isHidden() and not (include_hidden or (include_pages and _is_page(node))):
            return False
        node = node.parentWidget()
    return node is top


def _action_texts(actions: Sequence[QAction], where: Where, add, seen: set[int]) -> None:
    for action in actions:
        if action.isSeparator() or not action.isVisible():
            continue
        text = strip_mnemonics(action.text().split("\t")[0])
        add(f"{where}[{text}].text", text)
        tip = plain_text(action.toolTip()).split("\t")[0]  # Qt adds the shortcut after a tab
        if tip and tip != text:
            add(f"{where}[{text}].toolTip", tip)
        if action.statusTip():
            add(f"{where}[{text}].statusTip", plain_text(action.statusTip()))
        menu = action.menu()
        if menu is not None and id(menu) not in seen:
            seen.add(id(menu))
            if menu.title():
                add(f"{where}[{text}].menu.title", strip_mnemonics(menu.title()))
            _action_texts(menu.actions(), f"{where}[{text}]", add, seen)


def _model_texts(view: QAbstractItemView, where: Where, add, include_items: bool,
                 top: QWidget) -> None:
    model = view.model()
    if model is None:
        return
    header: QHeaderView | None = None
    if isinstance(view, QTableView):
        header = view.horizontalHeader()
    elif isinstance(view, QTreeView):
        header = view.header()
    if header is not None and not header.isHidden():
        for section in range(model.columnCount()):
            if header.isSectionHidden(section):
                continue
            value = model.headerData(section, Qt.Orientation.Horizontal,
                                     Qt.ItemDataRole.DisplayRole)
            if isinstance(value, str):
                add(f"{where}.header[{section}]", value)
            tip = model.headerData(section, Qt.Orientation.Horizontal,
                                   Qt.ItemDataRole.ToolTipRole)
            if isinstance(tip, str):
                add(f"{where}.header[{section}].toolTip", plain_text(tip))
    if include_items:
        try:
            columns = model.columnCount(view.rootIndex())
        except TypeError:  # a list model (QListWidget's) has one column, a private count
            columns = 1
        for row in range(min(model.rowCount(view.rootIndex()), 500)):
            for column in range(columns):
                index = model.index(row, column, view.rootIndex())
                value = index.data(Qt.ItemDataRole.DisplayRole)
                if isinstance(value, str):
                    add(f"{where}.item[{row},{column}]", value)
                tip = index.data(Qt.ItemDataRole.ToolTipRole)
                if isinstance(tip, str):
                    add(f"{where}.item[{row},{column}].toolTip", plain_text(tip))


def _widget_texts(widget: QWidget, where, add, include_items: bool, top: QWidget,
                  seen_menus: set[int]) -> None:
    if widget.toolTip():
        add(where("toolTip"), plain_text(widget.toolTip()))
    if widget.statusTip():
        add(where("statusTip"), plain_text(widget.statusTip()))
    if isinstance(widget, QDockWidget) and widget is not top:
        add(where("windowTitle"), widget.windowTitle())
    if isinstance(widget, QLabel):
        text = plain_text(widget.text())
        add(where("text"), strip_mnemonics(text) if widget.buddy() is not None else text)
    elif isinstance(widget, QAbstractButton):
        add(where("text"), strip_mnemonics(widget.text()))
        menu = getattr(widget, "menu", lambda: None)()
        if isinstance(menu, QMenu) and id(menu) not in seen_menus:
            seen_menus.add(id(menu))
            _action_texts(menu.actions(), where("menu"), add, seen_menus)
    elif isinstance(widget, QGroupBox):
        add(where("title"), strip_mnemonics(widget.title()))
    elif isinstance(widget, QTabBar):
        for index in range(widget.count()):
            if widget.isTabVisible(index):
                add(where(f"tab[{index}]"), strip_mnemonics(widget.tabText(index)))
                add(where(f"tab[{index}].toolTip"), plain_text(widget.tabToolTip(index)))
    elif isinstance(widget, QToolBox):
        for index in range(widget.count()):
            add(where(f"item[{index}]"), strip_mnemonics(widget.itemText(index)))
            add(where(f"item[{index}].toolTip"), plain_text(widget.itemToolTip(index)))
    elif isinstance(widget, QLineEdit):
        add(where("placeholderText"), widget.placeholderText())
        if widget.isReadOnly() and not isinstance(widget.parentWidget(),
                                                  (QAbstractSpinBox, QComboBox)):
            add(where("text"), widget.text())
    elif isinstance(widget, (QTextEdit, QPlainTextEdit)):
        add(where("placeholderText"), widget.placeholderText())
        if widget.isReadOnly():
            add(where("text"), widget.toPlainText())
    elif isinstance(widget, QAbstractSpinBox):
        add(where("specialValueText"), widget.specialValueText())
        for part in ("prefix", "suffix"):
            getter = getattr(widget, part, None)
            if getter is not None:
                add(where(part), getter())
    elif isinstance(widget, QComboBox):
        for index in range(widget.count()):
            add(where(f"item[{index}]"), widget.itemText(index))
        if widget.isEditable() and widget.lineEdit() is not None:
            add(where("placeholderText"), widget.lineEdit().placeholderText())
        else:
            add(where("placeholderText"), widget.placeholderText())
    elif isinstance(widget, QProgressBar):
        if widget.isTextVisible():
            add(where("text"), widget.text())
    elif isinstance(widget, QStatusBar):
        add(where("currentMessage"), widget.currentMessage())
    elif isinstance(widget, QWizard):
        for page_id in widget.pageIds():
            page = widget.page(page_id)
            add(where(f"page[{page_id}].title"), plain_text(page.title()))
            add(where(f"page[{page_id}].subTitle"), plain_text(page.subTitle()))
    elif isinstance(widget, QMenuBar):
        _action_texts(widget.actions(), where("menu"), add, seen_menus)
    elif isinstance(widget, QToolBar):
        add(where("windowTitle"), widget.windowTitle())
        _action_texts(widget.actions(), where("action"), add, seen_menus)  # also those in
        # the extension menu of a narrow window
    if isinstance(widget, QAbstractItemView):
        _model_texts(widget, where("model"), add, include_items, top)
    if widget.contextMenuPolicy() == Qt.ContextMenuPolicy.ActionsContextMenu:
        _action_texts(widget.actions(), where("contextMenu"), add, seen_menus)


def visible_texts(top: QWidget, *, include_hidden: bool = False, include_pages: bool = True,
                  include_items: bool = False) -> Texts:
    """Every text a person can see in ``top`` (see the module docstring), as (where, text)."""
    found: Texts = []

    def add(where: Where, text: str | None) -> None:
        if text and text.strip():
            found.append((where, text))

    seen_menus: set[int] = set()
    if isinstance(top, QMenu):
        add(f"{_name(top)}.title", strip_mnemonics(top.title()))
        _action_texts(top.actions(), _name(top), add, seen_menus)
        return found
    add(f"{_name(top)}.windowTitle", top.windowTitle())
    for widget in [top, *top.findChildren(QWidget)]:
        if widget is not top and not _shown(widget, top, include_hidden, include_pages):
            continue
        _widget_texts(widget, functools.partial(_where, widget, top), add, include_items, top,
                      seen_menus)
    return found


def popup_texts(open_popup: Callable[[], object], *, tries: int = 250) -> Texts:
    """The texts of the popup menu that ``open_popup`` shows and runs (``QMenu.exec`` inside a
    context-menu event, as QAbstractSpinBox and QScrollBar do): a timer reads the menu, then
    closes it so ``open_popup`` returns. [] when no popup appeared."""
    found: Texts = []
    timer = QTimer(interval=20)
    left = [tries]

    def look() -> None:
        popup = QApplication.activePopupWidget()
        left[0] -= 1
        if isinstance(popup, QMenu):
            found.extend(visible_texts(popup))
            popup.close()
        if popup is not None or left[0] <= 0:
            timer.stop()

    timer.timeout.connect(look)
    timer.start()
    open_popup()
    while timer.isActive():
        QApplication.processEvents()
    return found


def context_menu_texts(widget: QWidget, pos: QPoint | None = None) -> Texts:
    """The texts of the context menu ``widget`` shows for a right click at ``pos``."""
    pos = pos or QPoint(widget.width() // 2, widget.height() // 2)
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos, widget.mapToGlobal(pos))
    return popup_texts(lambda: QApplication.sendEvent(widget, event))


# --------------------------------------------------------------------- judging the language
_VIETNAMESE_COMBINING = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323",  # tones
                         "\u0302", "\u0306", "\u031b"}  # circumflex (â ê ô), breve (ă), horn
_WORD = re.compile(r"[^\W\d_]+")
_PLACEHOLDER = re.compile(r"%L?\d+|%n|\{[A-Za-z_]\w*\}")

#: Words that are always English UI words (the data-driven list must keep containing them).
CORE_ENGLISH_WORDS = frozenset({
    "ok", "cancel", "save", "open", "close", "yes", "no", "apply", "help", "back", "next",
    "finish", "file", "name", "size", "type", "date", "modified", "print", "preview", "page",
    "settings", "search", "undo", "redo", "copy", "paste", "delete", "select", "look",
    "directory", "files"})


def vietnamese_marks(text: str) -> list[str]:
    """The letters of ``text`` that only Vietnamese writes: đ/Đ and letters with a tone mark,
    a circumflex, a breve or a horn (ă â ê ô ơ ư à á ả ã ạ …), in either Unicode form."""
    marks = []
    for char in unicodedata.normalize("NFC", text):
        if char in "đĐ" or (char.isalpha() and _VIETNAMESE_COMBINING.intersection(
                unicodedata.normalize("NFD", char))):
            marks.append(char)
    return marks


def _words(text: str) -> set[str]:
    text = _PLACEHOLDER.sub(" ", strip_mnemonics(plain_text(text)))
    return {w.lower() for w in _WORD.findall(text)}


@functools.cache
def _vocabulary_and_identities() -> tuple[frozenset[str], frozenset[str]]:
    english: set[str] = set(CORE_ENGLISH_WORDS)
    vietnamese: set[str] = set()
    identities: set[str] = set()
    qt = ts_tools.read_ts(ts_tools.QT_TS)
    for message in qt.live():
        for translation in message.translations:
            if translation == message.source:
                identities.add(strip_mnemonics(plain_text(message.source)))
                continue
            english |= _words(message.source) - _words(translation)
            vietnamese |= _words(translation)
    app = ts_tools.read_ts(ts_tools.APP_TS)
    for message in app.live():
        vietnamese |= _words(message.source)
        for translation in message.translations:
            if translation == message.source:
                identities.add(strip_mnemonics(plain_text(message.source)))
            english |= _words(translation) - _words(message.source)
    vocabulary = frozenset(w for w in english - vietnamese if len(w) >= 2 and w.isascii())
    return vocabulary, frozenset(identities)


def english_vocabulary() -> frozenset[str]:
    """Lower-case English UI words (see the module docstring for where they come from)."""
    return _vocabulary_and_identities()[0]


def english_words(text: str) -> list[str]:
    """The words of ``text`` (whole words, any case) that are English UI words."""
    vocabulary = english_vocabulary()
    return sorted(w for w in _words(text) if w in vocabulary)


Allowed = str | re.Pattern[str]


def _without(text: str, allow: Iterable[Allowed]) -> str:
    for item in allow:
        text = item.sub(" ", text) if isinstance(item, re.Pattern) else text.replace(item, " ")
    return text


@dataclass(frozen=True)
class Leftover:
    where: Where
    text: str
    found: tuple[str, ...]  # the English words or the Vietnamese letters

    def __str__(self) -> str:
        return f"{self.where}: {self.text!r} ({', '.join(self.found)})"


def _as_texts(texts: Iterable[tuple[Where, str]] | Iterable[str]) -> Texts:
    return [(item, item) if isinstance(item, str) else item for item in texts]


def english_leftovers(texts: Iterable[tuple[Where, str]] | Iterable[str],
                      allow: Iterable[Allowed] = ()) -> list[Leftover]:
    """Texts that are still English in the Vietnamese interface."""
    allow = list(allow)
    identities = _vocabulary_and_identities()[1]
    leftovers = []
    for where, text in _as_texts(texts):
        if text.strip() in identities:
            continue
        judged = _without(text, allow)
        words = english_words(judged)
        if words and not vietnamese_marks(judged):
            leftovers.append(Leftover(where, text, tuple(words)))
    return leftovers


def vietnamese_leftovers(texts: Iterable[tuple[Where, str]] | Iterable[str],
                         allow: Iterable[Allowed] = ()) -> list[Leftover]:
    """Texts that are still Vietnamese in the English interface."""
    allow = list(allow)
    leftovers = []
    for where, text in _as_texts(texts):
        marks = vietnamese_marks(_without(text, allow))
        if marks:
            leftovers.append(Leftover(where, text, tuple(dict.fromkeys(marks))))
    return leftovers


def assert_language(target: QWidget | Iterable[tuple[Where, str]] | Iterable[str],
                    language: str, *, allow: Iterable[Allowed] = (),
                    **visible_texts_options: bool) -> Texts:
    """Fail, naming each text, when ``target`` (a widget, or texts) shows text of the other
    language; returns the texts checked. ``visible_texts_options`` go to ``visible_texts``."""
    texts = (visible_texts(target, **visible_texts_options) if isinstance(target, QWidget)
             else _as_texts(target))
    if language == "vi":
        leftovers, what = english_leftovers(texts, allow), "English left in the Vietnamese"
    elif language == "en":
        leftovers, what = vietnamese_leftovers(texts, allow), "Vietnamese left in the English"
    else:
        raise ValueError(f"unknown language {language!r}")
    assert not leftovers, f"{what} interface:\n" + "\n".join(f"  {x}" for x in leftovers)
    return texts


# --------------------------------------------------------------------------- Qt's requests
class RecordingTranslator(QTranslator):
    """Records every (context, source, disambiguation) Qt asks the translators for and answers
    nothing, so the translators installed before it still answer. Install it last (Qt asks the
    last installed translator first)."""

    def __init__(self) -> None:
        super().__init__()
        self.requests: set[tuple[str, str, str]] = set()

    def translate(self, context, source_text, disambiguation=None, n=-1):
        self.requests.add((context or "", source_text or "", disambiguation or ""))
        return None

    def isEmpty(self) -> bool:
        return False


@contextmanager
def recording_translations(app: QCoreApplication) -> Iterator[RecordingTranslator]:
    recorder = RecordingTranslator()
    app.installTranslator(recorder)
    try:
        yield recorder
    finally:
        app.removeTranslator(recorder)
