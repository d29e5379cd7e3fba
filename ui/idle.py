"""Idle tracking: notices when nobody has touched the keyboard or mouse for a while.

``IdleWatcher`` is an application-wide event filter. It only notes the time of the last input
(key, mouse button, wheel, mouse move, touch, tablet) and never consumes an event, so it costs a
comparison per event. One single-shot timer checks the deadline: when it fires before the idle
time has passed (input arrived since it was started) it starts again for the rest, otherwise it
emits ``idle_timeout`` once; the next input arms it again. Background work (a sync, a list
refresh) is not input and does not keep the machine awake.
Threading: GUI thread only.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, Signal

INPUT_EVENTS = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseButtonRelease, QEvent.Type.MouseButtonDblClick, QEvent.Type.MouseMove,
    QEvent.Type.Wheel, QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate,
    QEvent.Type.TabletPress, QEvent.Type.TabletMove, QEvent.Type.InputMethod,
})
MINUTE_MS = 60_000


class IdleWatcher(QObject):
    """Emits ``idle_timeout`` after ``timeout_ms`` without user input (0: never)."""

    idle_timeout = Signal()

    def __init__(self, timeout_ms: int = 0, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timeout_ms = 0
        self._last_input = time.monotonic()
        self._paused = False
        self._fired = False
        self._installed_on: QCoreApplication | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._check)
        self.set_timeout_ms(timeout_ms)

    # -------------------------------------------------------------- set-up

    def install(self, app: QCoreApplication | None = None) -> None:
        """Watch every input of ``app`` (the running application by default)."""
        app = app or QCoreApplication.instance()
        if app is None:
            raise RuntimeError("no QApplication")
        if self._installed_on is None:
            app.installEventFilter(self)
            self._installed_on = app

    def uninstall(self) -> None:
        if self._installed_on is not None:
            self._installed_on.removeEventFilter(self)
            self._installed_on = None
        self._timer.stop()

    @property
    def timeout_ms(self) -> int:
        return self._timeout_ms

    def set_timeout_ms(self, timeout_ms: int) -> None:
        """A new idle time, counted from the last input (0: never)."""
        self._timeout_ms = max(0, int(timeout_ms))
        self._fired = False
        self._arm()

    def set_minutes(self, minutes: int) -> None:
        self.set_timeout_ms(int(minutes) * MINUTE_MS)

    def pause(self) -> None:
        """Stop counting (while the screen is locked)."""
        self._paused = True
        self._timer.stop()

    def resume(self) -> None:
        """Count again from now."""
        self._paused = False
        self._last_input = time.monotonic()
        self._fired = False
        self._arm()

    def touch(self) -> None:
        """Count as input now (also what every key and mouse event does)."""
        self._last_input = time.monotonic()
        if self._fired:
            self._fired = False
            self._arm()

    # -------------------------------------------------------------- internals

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() in INPUT_EVENTS:
            self._last_input = time.monotonic()
            if self._fired:
                self._fired = False
                self._arm()
        return False

    def _arm(self, wait_ms: int | None = None) -> None:
        self._timer.stop()
        if self._timeout_ms and not self._paused:
            self._timer.start(self._timeout_ms if wait_ms is None else max(1, wait_ms))

    def _check(self) -> None:
        if not self._timeout_ms or self._paused:
            return
        idle_ms = (time.monotonic() - self._last_input) * 1000
        if idle_ms + 1 < self._timeout_ms:
            self._arm(int(self._timeout_ms - idle_ms) + 1)
            return
        self._fired = True
        self.idle_timeout.emit()
