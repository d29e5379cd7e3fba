"""Garbage collection on the GUI thread only.

Python's cyclic garbage collector runs on whichever thread happens to allocate when a
generation's threshold is passed: often one of the task helper's workers (ui/tasks.py) in the
middle of a sync. A Qt object freed there (a dialog's model kept in a reference cycle, say)
is destroyed on the wrong thread, and Qt may crash the process. ``GuiCollector`` switches
automatic collection off and collects on a timer on the GUI thread instead, by the same
thresholds Python would use (the PyQt/PySide pattern known as "GarbageCollector").
Threading: GUI thread.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 500


class GuiCollector(QObject):
    """While it runs, cyclic garbage is collected only here, every ``INTERVAL_MS``."""

    def __init__(self, parent: QObject | None = None, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        self._timer = QTimer(self, interval=interval_ms)
        self._timer.timeout.connect(self.collect_due)

    def start(self) -> None:
        gc.disable()
        self._timer.start()

    def stop(self) -> None:
        """Collect what is due and hand collection back to Python."""
        self._timer.stop()
        self.collect_due()
        gc.enable()

    def collect_due(self) -> int:
        """Collect the oldest generation whose count passed its threshold; the generation
        collected, or -1 when none was due."""
        counts = gc.get_count()
        for generation in (2, 1, 0):
            if counts[generation] > self._thresholds[generation]:
                gc.collect(generation)
                return generation
        return -1
