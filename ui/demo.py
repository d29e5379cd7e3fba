"""``make run``: the desktop app against an embedded local city server with demo data.

Starts the demo city server (app/demo.py: Xã Minh Châu, Hà Nội; users hoa, lan, minh), makes
the demo profile once (signed in as Nguyễn Thị Hoa, a few hundred dossiers), and opens the main
window on it; the first sync sends the dossiers to the server. The server stops when the window
closes. ``--quit-after-sync`` closes the window after the first sync (the smoke test).
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from app.demo import DEMO_PASSPHRASE, DemoCity, prepare_profile
from app.profile import PASSPHRASE_ENV


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, default=Path(".demo"))
    parser.add_argument("--quit-after-sync", action="store_true")
    args = parser.parse_args()
    folder = args.folder.resolve()
    folder.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault(PASSPHRASE_ENV, DEMO_PASSPHRASE)
    city = DemoCity(folder)
    print("Chuẩn bị máy chủ thành phố thử nghiệm …", flush=True)
    city.prepare()
    try:
        url = city.start()
        print(f"Máy chủ chạy tại {url}; tài khoản hoa / lan / minh, mật khẩu minhchau-demo",
              flush=True)
        prepare_profile(folder / "profile", url, os.environ[PASSPHRASE_ENV])
        from ui import app as desktop

        QApplication.instance() or QApplication([])
        if args.quit_after_sync:
            _quit_after_first_sync()
        return desktop.main(["--profile", str(folder / "profile")])
    finally:
        city.stop()


def _quit_after_first_sync() -> None:
    """Close the app once the main window's first sync has ended (smoke test)."""
    def watch() -> None:
        from ui.main_window import MainWindow

        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
        if windows and windows[0].controller.last_outcome is not None:
            outcome = windows[0].controller.last_outcome
            print(f"demo: first sync {outcome.entry.outcome} {outcome.entry.counts}", flush=True)
            QApplication.quit()
        else:
            QTimer.singleShot(200, watch)
    QTimer.singleShot(200, watch)


if __name__ == "__main__":
    raise SystemExit(main())
