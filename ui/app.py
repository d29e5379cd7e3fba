"""Starting the desktop app: ``communedesk-desk [--profile DIR]`` (and ``make run`` through
ui/demo.py).

Order: the Qt application with the person's language and text size; the task helper; the
first-run wizard when the folder has no profile, else the unlock (keychain, else the
``COMMUNEDESK_PASSPHRASE`` of a headless or demo start, else the passphrase dialog); then the
main window with the idle lock, and the first sync. Threading: GUI thread; opening the profile
runs on the task helper's worker while a local event loop waits.
"""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEventLoop
from PySide6.QtWidgets import QApplication

from app.profile import ProfilePaths, default_profile_dir, passphrase_from_env
from app.store import Store
from app.workspace import Workspace
from ui.context import Desk, Notices, Person
from ui.i18n import install_language
from ui.main_window import MainWindow
from ui.preferences import Preferences, apply_text_size
from ui.tasks import Tasks
from ui.unlock import install_idle_lock, unlock_profile
from ui.wizard import run_first_run

# The GUI thread shares the interpreter with the task helper's two workers: while one runs
# Python (a sync applying a page, a list reading 200,000 ids), each call from Qt into Python
# (a paint makes several hundred) may wait for the GIL as long as the switch interval, 5 ms by
# default. 1 ms keeps the window responsive during a sync (bench/ui_bench.py, figure (c)).
SWITCH_INTERVAL_S = 0.001


def tune_interpreter() -> None:
    """How often the GIL changes hands (``SWITCH_INTERVAL_S``); at start-up."""
    sys.setswitchinterval(SWITCH_INTERVAL_S)


def freeze_startup_objects() -> None:
    """Leave what start-up made (modules, classes, Qt wrappers: some 70,000 objects) out of
    later garbage collections. A full collection over them takes tens of milliseconds, and the
    GIL is held meanwhile, so the window stops; afterwards a full collection only walks what
    was made since."""
    gc.collect()
    gc.freeze()


def wait_for(tasks: Tasks, submit: Callable[..., None], fn: Callable[..., Any]) -> Any:
    """Run ``fn`` through ``submit`` (``tasks.io`` or ``tasks.db``) while a local event loop
    keeps the window alive; returns its result or raises its error."""
    loop = QEventLoop()
    outcome: dict[str, Any] = {}

    def done(result: Any) -> None:
        outcome["result"] = result
        loop.quit()

    def failed(error: BaseException) -> None:
        outcome["error"] = error
        loop.quit()

    submit(fn, done, failed)
    if not outcome:
        loop.exec()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


def open_workspace(tasks: Tasks, root: Path) -> Workspace | None:
    """The profile at ``root``, made by the wizard or unlocked; None when the person quit."""
    if not ProfilePaths(root).exists():
        return run_first_run(tasks, root)
    passphrase = passphrase_from_env()
    if passphrase:
        try:
            return wait_for(tasks, tasks.io, lambda: Workspace.open(root, passphrase))
        except Exception:  # noqa: BLE001 - a wrong or stale variable: ask the person instead
            pass
    return unlock_profile(tasks, root)


def _start_settings(store: Store) -> dict[str, str]:
    return store.settings()


def build_window(tasks: Tasks, workspace: Workspace, preferences: Preferences
                 ) -> MainWindow:
    """The main window on an open workspace, with the idle lock and the sync schedule."""
    tasks.open(workspace)
    settings = wait_for(tasks, tasks.db, _start_settings)
    desk = Desk(tasks, workspace, Notices(workspace, tasks), Person.from_settings(settings))
    interval = float(settings.get("sync.interval_minutes") or 0) * 60 or None
    window = MainWindow(desk, preferences, sync_interval_s=interval)
    window.idle_lock = install_idle_lock(window, workspace, tasks,
                                         preferences.idle_lock_minutes)
    window.settings_page.idle_lock_minutes_changed.connect(window.idle_lock.set_minutes)
    window.text_size_changed.connect(
        lambda size: apply_text_size(QApplication.instance(), size))
    window.controller.start(configured=bool(settings.get("server.url")))
    return window


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="communedesk-desk",
                                     description="CommuneDesk desktop app")
    parser.add_argument("--profile", type=Path, default=None,
                        help="profile folder (default: the per-user data folder)")
    args = parser.parse_args(argv)
    tune_interpreter()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("CommuneDesk")
    app.setOrganizationName("CommuneDesk")
    preferences = Preferences()
    install_language(app, preferences.language)
    apply_text_size(app, preferences.text_size_pt)
    tasks = Tasks()
    try:
        workspace = open_workspace(tasks, args.profile or default_profile_dir())
        if workspace is None:
            return 1
        window = build_window(tasks, workspace, preferences)
        freeze_startup_objects()
        window.show()
        code = app.exec()
        window.controller.stop()
        window.desk.notices.close()
        return code
    finally:
        tasks.close()


if __name__ == "__main__":
    raise SystemExit(main())
