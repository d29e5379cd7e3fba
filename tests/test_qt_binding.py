"""The Qt binding keeps Python's ``None`` alive (docs/decisions/0008): PySide6 6.12.0 on
Python 3.11 drops a reference to ``None`` on every method returning it, and the app aborts."""

from __future__ import annotations

import os
import subprocess
import sys

PROBE = """
import sys
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
label = QLabel()
before = sys.getrefcount(None)
for n in range(100_000):
    label.setText(str(n))
print(before - sys.getrefcount(None))
"""


def test_calling_qt_many_times_neither_crashes_nor_leaks_none() -> None:
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                          timeout=120, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr[-2000:]
    assert int(done.stdout.strip()) < 100  # the count of None did not fall by the calls made
