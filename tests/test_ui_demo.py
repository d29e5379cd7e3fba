"""``make run`` end to end, in a real window under Xvfb: the demo city server starts, the demo
profile is made and signed in, the main window opens on it and its first sync sends the demo
dossiers; the server process is gone afterwards."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from app.demo import DEMO_PASSPHRASE
from app.profile import open_profile

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_make_run_opens_the_app_on_an_embedded_city_server(tmp_path: Path,
                                                           xvfb_display: str) -> None:
    folder = tmp_path / "demo"
    env = {**os.environ, "DISPLAY": xvfb_display, "QT_QPA_PLATFORM": "xcb",
           "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}
    done = subprocess.run(
        [sys.executable, "-m", "ui.demo", "--folder", str(folder), "--quit-after-sync"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    assert "demo: first sync ok" in done.stdout, done.stdout[-2000:]
    store = open_profile(folder / "profile", DEMO_PASSPHRASE)
    try:
        status = store.status()
        assert status["dossiers"] >= 200
        assert status["pending"] == 0  # every demo dossier reached the server
        assert store.setting("user.role") == "officer"
    finally:
        store.db.close()
    # The server was stopped with the window: nothing answers on its address any more.
    url = re.search(r"Máy chủ chạy tại (http://\S+);", done.stdout).group(1)
    with pytest.raises(OSError):
        urllib.request.urlopen(url + "/openapi.json", timeout=2)
