"""The desktop app's own interface preferences, kept in ``QSettings`` (organization and
application "CommuneDesk"): language, text size, idle-lock minutes, window geometry and state.

Only interface state lives here (ARCHITECTURE.md): never a secret (passphrase, password, token)
and never a setting the CLI or the sync engine needs (server address, sync interval, office
hours: those are in the profile's encrypted database). Values read back are checked and a bad or
missing one gives the default, so a hand-edited file never breaks the start-up.
Threading: GUI thread only (a ``QSettings`` object is not shared between threads).
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

ORGANIZATION = "CommuneDesk"
APPLICATION = "CommuneDesk"

LANGUAGES = ("vi", "en")  # Tiếng Việt is the default
DEFAULT_LANGUAGE = "vi"

TEXT_NORMAL_PT, TEXT_LARGE_PT, TEXT_LARGER_PT = 10, 12, 14
TEXT_SIZES = (TEXT_NORMAL_PT, TEXT_LARGE_PT, TEXT_LARGER_PT)  # Bình thường, Lớn, Rất lớn
DEFAULT_TEXT_SIZE_PT = TEXT_NORMAL_PT
MIN_TEXT_SIZE_PT, MAX_TEXT_SIZE_PT = 8, 24

DEFAULT_IDLE_LOCK_MINUTES = 10  # 0: never lock
MAX_IDLE_LOCK_MINUTES = 240

LANGUAGE_KEY = "ui.language"
TEXT_SIZE_KEY = "ui.text_size_pt"
IDLE_LOCK_KEY = "ui.idle_lock_minutes"
_WINDOW_GROUP = "window"


def _int(value: object, default: int, low: int, high: int) -> int:
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return default
    return number if low <= number <= high else default


class Preferences:
    """Typed access to the interface preferences.

    ``settings``: the ``QSettings`` to use (tests may pass one on a file of their own); by
    default the user's "CommuneDesk/CommuneDesk" settings.
    """

    def __init__(self, settings: QSettings | None = None) -> None:
        self.settings = settings if settings is not None else QSettings(ORGANIZATION, APPLICATION)

    # -------------------------------------------------------------- language

    @property
    def language(self) -> str:
        value = str(self.settings.value(LANGUAGE_KEY, DEFAULT_LANGUAGE))
        return value if value in LANGUAGES else DEFAULT_LANGUAGE

    @language.setter
    def language(self, value: str) -> None:
        if value not in LANGUAGES:
            raise ValueError(f"language must be one of {LANGUAGES}, not {value!r}")
        self.settings.setValue(LANGUAGE_KEY, value)

    # -------------------------------------------------------------- text size

    @property
    def text_size_pt(self) -> int:
        return _int(self.settings.value(TEXT_SIZE_KEY), DEFAULT_TEXT_SIZE_PT,
                    MIN_TEXT_SIZE_PT, MAX_TEXT_SIZE_PT)

    @text_size_pt.setter
    def text_size_pt(self, value: int) -> None:
        if not MIN_TEXT_SIZE_PT <= int(value) <= MAX_TEXT_SIZE_PT:
            raise ValueError(f"text size must be {MIN_TEXT_SIZE_PT}..{MAX_TEXT_SIZE_PT} pt")
        self.settings.setValue(TEXT_SIZE_KEY, int(value))

    # -------------------------------------------------------------- idle lock

    @property
    def idle_lock_minutes(self) -> int:
        return _int(self.settings.value(IDLE_LOCK_KEY), DEFAULT_IDLE_LOCK_MINUTES,
                    0, MAX_IDLE_LOCK_MINUTES)

    @idle_lock_minutes.setter
    def idle_lock_minutes(self, value: int) -> None:
        if not 0 <= int(value) <= MAX_IDLE_LOCK_MINUTES:
            raise ValueError(f"idle lock must be 0..{MAX_IDLE_LOCK_MINUTES} minutes")
        self.settings.setValue(IDLE_LOCK_KEY, int(value))

    # -------------------------------------------------------------- windows

    def save_window(self, window: QWidget, name: str = "main") -> None:
        """Keep ``window``'s geometry (and, for a ``QMainWindow``, its toolbars and docks)."""
        self.settings.setValue(f"{_WINDOW_GROUP}/{name}/geometry", window.saveGeometry())
        if isinstance(window, QMainWindow):
            self.settings.setValue(f"{_WINDOW_GROUP}/{name}/state", window.saveState())

    def restore_window(self, window: QWidget, name: str = "main") -> bool:
        """Put ``window`` back as it was saved; False when nothing (usable) was saved."""
        geometry = self.settings.value(f"{_WINDOW_GROUP}/{name}/geometry")
        restored = isinstance(geometry, QByteArray | bytes) and bool(
            window.restoreGeometry(QByteArray(geometry)))
        state = self.settings.value(f"{_WINDOW_GROUP}/{name}/state")
        if isinstance(window, QMainWindow) and isinstance(state, QByteArray | bytes):
            restored = bool(window.restoreState(QByteArray(state))) and restored
        return restored

    def sync(self) -> None:
        """Write to disk now (Qt also writes on its own, soon and at exit)."""
        self.settings.sync()


def apply_text_size(app: QApplication, size_pt: int) -> None:
    """Set the application font's point size (every widget without a font of its own follows)."""
    font = QFont(app.font())
    font.setPointSize(int(size_pt))
    app.setFont(font)
