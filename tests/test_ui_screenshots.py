"""``make screenshots`` (ui/screenshots.py) makes every picture of docs/screenshots: run as a
real command, offscreen, on a small invented profile, into a temporary folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage

from ui.screenshots import NAMES, SIZE

ROOT = Path(__file__).resolve().parents[1]
WINDOWS = {"list", "intake", "detail", "sync-page", "settings", "lock"}  # the main window


def colours(image: QImage) -> int:
    """How many different colours the picture has (a blank or one-colour picture has 1)."""
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    return len(set(memoryview(bytes(image.constBits())).cast("I")))


def test_the_screenshot_tool_saves_every_picture(tmp_path: Path, qapp) -> None:
    out = tmp_path / "shots"
    done = subprocess.run(
        [sys.executable, "-m", "ui.screenshots", "--out", str(out), "--dossiers", "40"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr[-3000:]
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{n}.png" for n in NAMES)
    for name in NAMES:
        path = out / f"{name}.png"
        assert path.stat().st_size > 10_000, f"{name}.png is nearly empty"
        image = QImage(str(path))
        assert not image.isNull(), f"{name}.png is not a picture"
        assert colours(image) > 50, f"{name}.png is (nearly) one colour"
        if name in WINDOWS:
            assert (image.width(), image.height()) == SIZE, name
    # The tool kept its settings and profile in a folder of its own, removed at the end.
    assert not list(Path.home().rglob("*CommuneDesk*"))
