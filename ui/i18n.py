"""The language the interface speaks: Qt translators and the default QLocale.

Every visible string in ui/ is written in Vietnamese, the source language
(docs/decisions/0007-vietnamese-source-strings.md): with no translator at all the app is
Vietnamese, so a missing or broken ``.qm`` file can never turn the counter's screens English.

* ``install_language(app, "vi")``: no translator for the app's own strings (they are already
  Vietnamese); ``qtbase_vi.qm``, our Vietnamese translation of the strings Qt itself shows
  (standard buttons, the non-native file dialog, the print and preview dialogs, wizard buttons,
  context menus), which Qt does not ship; the default QLocale becomes vi_VN.
* ``install_language(app, "en")``: ``communedesk_en.qm``, the English translation of the app's
  strings; no Qt translator (Qt's own strings are English); the default QLocale becomes en_US.

Each call first removes the translators an earlier call installed. The default QLocale decides
month and day names (QCalendarWidget, QDateEdit) and number formats of widgets made afterwards;
dates the app formats itself stay dd/MM/yyyy in both languages (ARCHITECTURE.md, Style).

A language is installed at start-up, before the first window is built. A change made on the
settings page takes effect when the app is opened again (docs/translations.md says why): Qt
sends LanguageChange events to existing widgets, but the screens do not rebuild their texts.

``.qm`` files are looked up in resources/translations/ of the source tree, or of a frozen app
(PyInstaller: ``sys._MEIPASS``); a missing file is logged and the app goes on in Vietnamese.
Threading: GUI thread only.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

log = logging.getLogger(__name__)

Language = Literal["vi", "en"]
LANGUAGES: tuple[Language, ...] = ("vi", "en")
DEFAULT_LANGUAGE: Language = "vi"

#: The compiled translations each language installs, in the order they are installed.
QM_FILES: dict[Language, tuple[str, ...]] = {
    "vi": ("qtbase_vi.qm",),
    "en": ("communedesk_en.qm",),
}
_LOCALES: dict[Language, tuple[QLocale.Language, QLocale.Country]] = {
    "vi": (QLocale.Language.Vietnamese, QLocale.Country.Vietnam),
    "en": (QLocale.Language.English, QLocale.Country.UnitedStates),
}


@dataclass
class _Installed:
    language: Language | None = None
    translators: list[QTranslator] = field(default_factory=list)  # kept alive while installed
    files: list[Path] = field(default_factory=list)
    locale_before: QLocale | None = None  # the default QLocale before the first install


_installed = _Installed()


def translations_dir() -> Path:
    """Where the ``.qm`` files are: resources/translations of a frozen app (PyInstaller's
    ``sys._MEIPASS``) when there is one, else of the source tree next to this package."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        bundled = Path(frozen) / "resources" / "translations"
        if bundled.is_dir():
            return bundled
    return Path(__file__).resolve().parent.parent / "resources" / "translations"


def normalize_language(value: str | None) -> Language:
    """The language of a setting or an environment value: ``vi``, ``vi_VN``, ``vi-VN`` → "vi";
    ``en``, ``en_US``, ``EN`` → "en"; anything else (None, "", another language) → "vi"."""
    code = (value or "").strip().replace("-", "_").split("_")[0].lower()
    return code if code in LANGUAGES else DEFAULT_LANGUAGE  # type: ignore[return-value]


def install_language(app: QCoreApplication, language: Language) -> None:
    """Make ``language`` ("vi" or "en") the language of windows built from now on: remove the
    translators installed before, install this language's ``.qm`` files and set the default
    QLocale. A ``.qm`` that is missing or unreadable is logged and skipped (the app's strings
    then stay Vietnamese). Raises ValueError for another language."""
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}: expected one of {LANGUAGES}")
    _remove_translators(app)
    if _installed.locale_before is None:
        _installed.locale_before = QLocale()
    folder = translations_dir()
    for name in QM_FILES[language]:
        path = folder / name
        translator = QTranslator(app)
        if not path.is_file() or not translator.load(str(path)):
            log.warning("translation %s is missing or unreadable (run `make translations`); "
                        "the interface stays in Vietnamese where it needs it", path)
            translator.deleteLater()
            continue
        if not app.installTranslator(translator):
            log.warning("translation %s could not be installed", path)
            continue
        _installed.translators.append(translator)
        _installed.files.append(path)
    QLocale.setDefault(QLocale(*_LOCALES[language]))
    _installed.language = language


def uninstall_language(app: QCoreApplication) -> None:
    """Remove the translators ``install_language`` installed and give back the default QLocale
    from before the first install (tests use this to leave the application as they found it)."""
    _remove_translators(app)
    if _installed.locale_before is not None:
        QLocale.setDefault(_installed.locale_before)
        _installed.locale_before = None
    _installed.language = None


def installed_language() -> Language | None:
    """The language of the last ``install_language``, or None."""
    return _installed.language


def installed_files() -> list[Path]:
    """The ``.qm`` files loaded and installed now (empty for Vietnamese without qtbase_vi)."""
    return list(_installed.files)


def _remove_translators(app: QCoreApplication) -> None:
    for translator in _installed.translators:
        app.removeTranslator(translator)
        translator.deleteLater()
    _installed.translators.clear()
    _installed.files.clear()
