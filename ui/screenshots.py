"""Screenshots of the desktop app for the documentation (``make screenshots``).

    python -m ui.screenshots --out docs/screenshots [--language vi|en] [--dossiers 300]

Renders the real screens offscreen (``QT_QPA_PLATFORM=offscreen`` unless another platform is
set) at a fixed size and saves them as PNG with ``widget.grab()``: list.png (the dossier list,
coloured by deadline), intake.png (an intake partly filled, with live warnings), detail.png (a
dossier with its history and an attachment), receipt-slip.png (form 01 drawn on an A4 page),
sync-page.png (the sync log and a conflict waiting), conflict-dialog.png, settings.png,
wizard.png (the first-run wizard's commune page) and lock.png (the idle lock screen).

Nothing real is touched: the run makes a temporary folder holding HOME and the XDG folders
(so QSettings writes there), a keychain that keeps nothing (keyring's null backend: the profile
opens with its passphrase) and a fresh profile of Xã Minh Châu with invented dossiers
(app/sample_data.py, the same generator as app/demo.py's ``fill_demo_dossiers``), all removed
at the end. The clock stands still at ``NOW`` so the pictures do not change from run to run
except where Qt draws differently. No server runs: the sync log entries and the conflict are
written straight into the local profile (see ``_sync_history`` and ``_conflict``); a real
conflict needs two machines and a city server, as tests/test_ui_sync.py shows.
Threading: GUI thread; the screens read through their task helper as in the app, and each
picture waits until no job waits or runs and the change notices are out (``settle``).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import keyring
from keyring.backends.null import Keyring as NullKeyring
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, QSettings, QSizeF
from PySide6.QtGui import QColor, QImage, QPainter, QPen
from PySide6.QtWidgets import QApplication, QScrollArea, QWidget

from app import actions, sample_data, sync_log
from app.actions import Action
from app.clock import FixedClock
from app.conflicts import open_conflicts
from app.db import transaction
from app.dossier import VN_TZ, parse_time, utc_text
from app.errors import DomainError
from app.profile import create_profile, default_profile_dir
from app.store import Store
from app.sync_local import LocalSyncStore
from app.workspace import Workspace
from sync.engine import SyncReport
from ui import printing
from ui import sync_controller as sc
from ui.conflicts import ConflictDialog
from ui.context import Desk, Notices, Person
from ui.dossier_detail import DossierDetail
from ui.dossier_list import DossierListPage
from ui.dossier_model import Column
from ui.i18n import install_language
from ui.main_window import MainWindow
from ui.preferences import Preferences
from ui.tasks import Tasks
from ui.unlock import LockScreen
from ui.wizard import FirstRunWizard

NOW = datetime(2026, 1, 20, 10, 30, tzinfo=VN_TZ)  # Tuesday 20/01/2026, 10:30
SIZE = (1440, 900)
COMMUNE = "09661"  # Xã Minh Châu, Hà Nội
PASSPHRASE = "ảnh chụp màn hình"
SERVER_URL = "https://dongbo.hanoi.gov.vn"
USER = ("hoa", "Nguyễn Thị Hoa", "officer")
STAFF = (("hoa", "Nguyễn Thị Hoa", "officer"), ("lan", "Trần Thị Lan", "specialist"),
         ("binh", "Lê Văn Bình", "specialist"), ("minh", "Lê Văn Minh", "leader"))
DEFAULT_DOSSIERS = 300
NAMES = ("list", "intake", "detail", "receipt-slip", "sync-page", "conflict-dialog",
         "settings", "wizard", "lock")
_ENVIRONMENT = ("HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME",
                "XDG_RUNTIME_DIR", "COMMUNEDESK_PASSPHRASE", "PYTHON_KEYRING_BACKEND")


# ------------------------------------------------------------------------------- isolation

@contextmanager
def isolated(folder: Path) -> Iterator[None]:
    """HOME, the XDG folders and the keychain inside ``folder`` for the block (put back after)."""
    saved = {name: os.environ.get(name) for name in _ENVIRONMENT}
    home = folder / "home"
    for name, path in (("HOME", home), ("XDG_CONFIG_HOME", home / ".config"),
                       ("XDG_DATA_HOME", home / ".local" / "share"),
                       ("XDG_CACHE_HOME", home / ".cache"),
                       ("XDG_STATE_HOME", home / ".local" / "state"),
                       ("XDG_RUNTIME_DIR", folder / "runtime")):
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.environ[name] = str(path)
    os.environ.pop("COMMUNEDESK_PASSPHRASE", None)
    os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"
    previous_keyring = keyring.get_keyring()
    keyring.set_keyring(NullKeyring())
    try:
        yield
    finally:
        keyring.set_keyring(previous_keyring)
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _point_qsettings_at(folder: Path) -> None:
    """QSettings (Preferences, the list's columns) in ``folder``, whatever it used before."""
    for form in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(form, QSettings.Scope.UserScope, str(folder))


# ------------------------------------------------------------------------------- waiting

def settle(desk: Desk | None = None, *, at_least_ms: int = 250,
           until: Callable[[], bool] | None = None, timeout_s: float = 30.0) -> None:
    """Process events until the task helper is idle, the gathered change notices are out (and
    their refreshes done), ``until()`` holds and at least ``at_least_ms`` went by (timers such as
    the list's search throttle and the notices' gathering fire in that time)."""
    start = time.monotonic()
    deadline = start + timeout_s
    flushed_at = 0.0
    while True:
        QApplication.processEvents()
        now = time.monotonic()
        idle = desk is None or desk.tasks.idle
        if idle and desk is not None and now - flushed_at > 0.05:
            desk.notices.flush()  # emits what waits; refreshes may start new jobs
            QApplication.processEvents()
            flushed_at = now
            idle = desk.tasks.idle
        if (idle and now - start >= at_least_ms / 1000 and (until is None or until())):
            return
        if now > deadline:
            raise TimeoutError("the screens did not settle in time")
        time.sleep(0.01)


def save(widget: QWidget, path: Path) -> Path:
    """``widget.grab()`` as PNG at ``path``."""
    pixmap = widget.grab()
    if pixmap.isNull() or not pixmap.save(str(path), "PNG"):
        raise OSError(f"could not save {path}")
    return path


# ------------------------------------------------------------------------------- the data

def _fill_dossiers(store: Store, count: int, now: datetime) -> None:
    """The ``count`` invented dossiers received last before ``now``, at about 20 a working day
    (what app/demo.fill_demo_dossiers makes, but up to this run's fixed clock). Most of those
    received more than three days ago were handed back already, as at a real counter; the rest
    are open, so the list shows overdue and due-soon rows among ordinary ones."""
    now = now.astimezone(VN_TZ)  # the records' times are written in Hà Nội time
    start = (now - timedelta(days=7 + 7 * count // 100)).replace(hour=7, minute=0, second=0,
                                                                  microsecond=0)
    procedures = [(p.code, p.time_limit_days) for p in store.catalogue.current(now.date())]
    records = []
    for record in sample_data.dossier_records(count * 3, procedures, seed=7, start=start,
                                              per_day=20):
        if record["received_at"] >= now.isoformat():
            break
        records.append(record)
    records = records[-count:]
    settled_before = (now - timedelta(days=3)).isoformat()
    for number, record in enumerate(records):
        if record["received_at"] < settled_before and number % 7:
            record["status"] = 10
    result = store.import_records(enumerate(records, 1))
    if result.errors:
        raise RuntimeError(f"the invented dossiers did not import: {result.errors[:3]}")


def _open_ids(store: Store) -> list[tuple[str, str]]:
    """(id, procedure code) of the dossiers still being handled, newest first."""
    return store.db.execute(
        "SELECT id, procedure_code FROM dossiers WHERE status IN (2, 4) "
        "ORDER BY received_at DESC").fetchall()


def _scan_png(width: int = 900, height: int = 1200) -> bytes:
    """A stand-in for a scanned paper: a white page with grey lines (PNG bytes)."""
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setPen(QPen(QColor("#9aa3ad"), 6))
    for y in range(160, height - 120, 48):
        painter.drawLine(90, y, width - 90 - (y * 37) % 260, y)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data)


def _history(store: Store, clock: FixedClock, dossier_id: str) -> None:
    """A dossier that went through several hands: assigned, started, a supplement asked for
    and brought, with an attachment. The clock is moved between steps."""
    received = parse_time(store.record(dossier_id)["received_at"])
    steps: list[tuple[timedelta, Action, dict[str, Any]]] = [
        (timedelta(minutes=20), Action.ASSIGN,
         {"username": "lan", "note": "Chị Lan kiểm tra giấy tờ giúp"}),
        (timedelta(hours=1), Action.START, {"note": "Đã kiểm tra tờ khai"}),
        (timedelta(hours=2), Action.REQUEST_SUPPLEMENT,
         {"missing_papers": ["Giấy chứng sinh (bản chính)"],
          "reason": "Giấy chứng sinh nộp kèm là bản chụp, không đọc rõ ngày sinh"}),
        (timedelta(days=1, hours=1), Action.SUPPLEMENT_RECEIVED,
         {"note": "Công dân đã nộp bản chính"}),
    ]
    keep = clock.moment
    try:
        for delay, action, arguments in steps:
            clock.moment = received + delay
            actions.perform(store, dossier_id, action, "leader", **arguments)
        store.add_attachment(dossier_id, _scan_png(), "giay-chung-sinh.png", "image/png")
    finally:
        clock.moment = keep


def _workflow(store: Store, clock: FixedClock, open_ids: Sequence[tuple[str, str]]) -> None:
    """A few dossiers in other states (supplement asked, refused, withdrawn) and some assigned,
    so the list shows its colours and columns filled."""
    keep = clock.moment
    steps = {4: (Action.REQUEST_SUPPLEMENT, {"missing_papers": ["Bản sao giấy tờ tùy thân"],
                                             "reason": "Thiếu giấy tờ tùy thân"}),
             9: (Action.REFUSE, {"reason": "Không thuộc thẩm quyền của xã"}),
             13: (Action.WITHDRAW, {"reason": "Công dân xin rút để bổ sung sau"})}
    try:
        clock.moment = keep - timedelta(hours=1)
        for index, (dossier_id, _) in enumerate(open_ids[6:]):
            chosen = [(Action.ASSIGN, {"username": STAFF[1 + index // 3 % 3][0]})] \
                if index % 3 == 0 else []
            if index % 29 in steps:
                chosen.append(steps[index % 29])
            for action, arguments in chosen:
                try:
                    actions.perform(store, dossier_id, action, "leader", **arguments)
                except DomainError:  # a step the rules refuse leaves that row plainer
                    pass
    finally:
        clock.moment = keep


def _mark_synced(store: Store, now: datetime, keep_pending: Sequence[str]) -> None:
    """Everything as sent to the server except ``keep_pending`` (a desk that synced lately)."""
    sent = utc_text(now - timedelta(minutes=12))
    marks = ",".join("?" * len(keep_pending)) or "''"
    with transaction(store.db):
        store.db.execute(f"UPDATE outbox SET sent_at = ? WHERE sent_at IS NULL AND "  # noqa: S608
                         f"record_id NOT IN ({marks})", [sent, *keep_pending])
        store.db.execute(f"UPDATE dossiers SET sync_state = 'synced' WHERE "  # noqa: S608
                         f"id NOT IN ({marks})", list(keep_pending))


def _sync_history(store: Store, clock: FixedClock) -> None:
    """Entries of the sync log as a day of work leaves them: made with app/sync_log.record
    from invented reports and errors (they are only log rows; no server is asked)."""
    class Failure(Exception):
        def __init__(self, code: str) -> None:
            super().__init__(code)
            self.code = code

    keep = clock.moment
    entries: list[tuple[timedelta, BaseException | None, SyncReport | None]] = [
        (timedelta(hours=-2, minutes=-40), None, SyncReport(pushed=14, pulled=3)),
        (timedelta(hours=-2, minutes=-10), Failure("link_down"), None),
        (timedelta(hours=-1, minutes=-55), Failure("link_down"), None),
        (timedelta(hours=-1, minutes=-30), None, SyncReport(pushed=6, pulled=41,
                                                             blobs_left=2)),
        (timedelta(minutes=-45), None, SyncReport(pushed=2, pulled=1, conflicts=1)),
        (timedelta(minutes=-12), None, SyncReport(pushed=9, pulled=5, blobs_up=3)),
    ]
    try:
        for delay, error, report in entries:
            clock.moment = keep + delay
            sync_log.record(store, error, report)
    finally:
        clock.moment = keep
    LocalSyncStore(store).set_sync_values({"last_sync": utc_text(keep - timedelta(minutes=12))})


def _conflict(store: Store, dossier_id: str, now: datetime) -> None:
    """Two fields of one dossier changed here and on the server. For the picture only, the
    conflict rows are written straight into the local database (what a pull writes when both
    sides changed a field: tests/test_ui_sync.py makes a real one with two machines)."""
    record = store.record(dossier_id)
    phone = record["applicant"].get("phone") or "+84912345678"
    rows = [("applicant.phone", phone, "+84983216547"),
            ("notes", "Công dân xin nhận kết quả qua bưu điện",
             "Hẹn gọi điện khi có kết quả")]
    with transaction(store.db):
        for field, local, server in rows:
            store.db.execute(
                "INSERT INTO conflicts(id, record_type, record_id, field, local_value, "
                "server_value, created_at, server_rev, reason) VALUES (?, 'dossier', ?, ?, ?, ?, "
                "?, 1, NULL)",
                [str(uuid.uuid4()), dossier_id, field, json.dumps(local, ensure_ascii=False),
                 json.dumps(server, ensure_ascii=False), utc_text(now - timedelta(minutes=45))])
        store.db.execute("UPDATE dossiers SET sync_state = 'conflict' WHERE id = ?",
                         [dossier_id])


class Scene:
    """The profile made for the pictures, and what the pictures need to find in it."""
    def __init__(self, root: Path, count: int, clock: FixedClock) -> None:

        self.root, self.clock = root, clock
        store = create_profile(root, PASSPHRASE, COMMUNE, user_name=USER[1], clock=clock)
        try:
            store.set_setting("user.username", USER[0])
            store.set_setting("user.role", USER[2])
            store.set_setting("server.url", SERVER_URL)
            store.set_setting("sync.interval_minutes", "5")
            with transaction(store.db):
                for person in STAFF:
                    store.db.execute("INSERT OR REPLACE INTO staff(username, display_name, role) "
                                     "VALUES (?, ?, ?)", list(person))
            _fill_dossiers(store, count, clock.now())
            open_ids = _open_ids(store)
            # The detail's dossier: a birth registration received last week.
            births = [i for i, code in open_ids if code == "1.001193"]
            self.detail_id = births[len(births) // 2] if births else open_ids[-1][0]
            _history(store, clock, self.detail_id)
            rest = [(i, c) for i, c in open_ids if i != self.detail_id]
            _workflow(store, clock, rest)
            self.conflict_id = rest[2][0]
            newest = [i for i, _ in rest[:4]]
            _mark_synced(store, clock.now(), [newest[0], newest[1]])
            _conflict(store, self.conflict_id, clock.now())
            _sync_history(store, clock)
            # The slip's dossier: received this morning, with the most papers.
            today = [i for i, _ in rest[:12] if i != self.conflict_id]
            self.slip_id = max(today, key=lambda i: len(store.record(i)["papers"]))
        finally:
            store.db.close()


# ------------------------------------------------------------------------------- the pictures

def _receipt_slip_image(inputs: dict[str, Any], path: Path, dpi: int = 110) -> Path:
    """Form 01 of a dossier drawn on a white A4 page (with the slips' margins) and saved."""
    slip = printing.receipt_slip(inputs["record"], inputs["procedure"], inputs["commune"],
                                 inputs["receiving_officer"], inputs["printed_at"])
    per_mm = dpi / 25.4
    width, height = round(210 * per_mm), round(297 * per_mm)
    left, top, right, bottom = (m * per_mm for m in printing.PAGE_MARGINS_MM)
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.setDotsPerMeterX(round(dpi / 0.0254))
    image.setDotsPerMeterY(round(dpi / 0.0254))
    image.fill(QColor("white"))
    document = printing.slip_document(slip)
    document.documentLayout().setPaintDevice(image)
    page = QSizeF(width - left - right, height - top - bottom)
    document.setPageSize(page)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    painter.translate(left, top)
    document.drawContents(painter, QRectF(0, 0, page.width(), page.height()))
    painter.end()
    if not image.save(str(path), "PNG"):
        raise OSError(f"could not save {path}")
    return path


def _fit_list_columns(listing: DossierListPage) -> None:
    """The list's columns as an officer sets them on a screen of this width (Qt keeps them in
    QSettings): each as wide as what it shows, the procedure's name taking the rest. (The
    defaults of ui/dossier_list.py add up to 1,280 pixels, wider than the list here, so the
    last columns would be off to the right.)"""
    view = listing.view
    header = view.horizontalHeader()
    others = [column for column in Column if column != Column.PROCEDURE]
    for column in others:
        view.resizeColumnToContents(column)
        header.resizeSection(column, header.sectionSize(column) + 6)
    rest = view.viewport().width() - sum(header.sectionSize(column) for column in others)
    header.resizeSection(Column.PROCEDURE, max(240, rest))


def _show_history(detail: DossierDetail) -> None:
    """Scroll the detail so the papers, the history and the attachments are in view (the header
    with the code, the state and the actions stays above)."""
    scroll = detail.findChild(QScrollArea)
    papers = detail.papers_table.parentWidget()
    if scroll is not None and papers is not None:
        scroll.verticalScrollBar().setValue(papers.y() - 6)


def _fill_intake(window: MainWindow, desk: Desk, scan: Path) -> None:
    """An intake half done: birth registration chosen, the applicant typed with an
    identification number that disagrees with the year of birth (a live warning), one paper of
    three ticked (the required ones missing: a warning), a scan attached."""
    window.show_intake()
    intake = window.dossiers.intake
    settle(desk, until=lambda: bool(intake.picker.matches()))
    intake.picker.search.setText("khai sinh")
    settle(desk, until=lambda: bool(intake.picker.matches()))
    intake.picker.choose(intake.picker.matches()[0])
    applicant = intake.applicant
    for widget, text in ((applicant.full_name, "Phạm Thị Thu Trang"),
                         (applicant.id_number, "001190034567"),
                         (applicant.date_of_birth, "14/08/1992"),
                         (applicant.phone, "0983 216 547"),
                         (applicant.address, "Thôn Phú Châu, xã Minh Châu, TP Hà Nội")):
        widget.setText(text)
    applicant.sex.setCurrentIndex(applicant.sex.findData("female"))
    boxes = intake.papers.checkboxes()
    if len(boxes) > 1:
        boxes[-1].setChecked(True)
    intake.attachments.add_files([scan])
    settle(desk, until=lambda: not intake.attachments.busy and intake.due_at is not None)
    applicant.full_name.setFocus()


def take(out: Path, language: str, count: int, folder: Path) -> list[Path]:
    """Make the profile in ``folder``, open the app on it, save every picture in ``out``."""
    app = QApplication.instance() or QApplication(["communedesk-screenshots"])
    app.setApplicationName("CommuneDesk")
    app.setOrganizationName("CommuneDesk")
    _point_qsettings_at(folder / "home" / ".config")
    install_language(app, language)  # type: ignore[arg-type]
    out.mkdir(parents=True, exist_ok=True)
    clock = FixedClock(NOW)
    scene = Scene(default_profile_dir(), count, clock)  # inside the temporary HOME
    scan = folder / "giay-chung-sinh.png"
    scan.write_bytes(_scan_png())

    workspace = Workspace.open(scene.root, PASSPHRASE, clock=clock)
    tasks = Tasks(workspace)
    store = workspace.open_store()
    settings = store.settings()
    conflicts = open_conflicts(store)
    slip_inputs = printing.slip_inputs(store, scene.slip_id)
    store.db.close()
    desk = Desk(tasks, workspace, Notices(workspace, tasks), Person.from_settings(settings))
    saved: list[Path] = []
    window = None
    try:
        window = MainWindow(desk, Preferences(), sync_interval_s=300)
        # No server runs: the window never syncs, and its link shows as after the last
        # (logged) sync, which ended well.
        controller = window.controller
        controller.nudge = lambda: None  # type: ignore[method-assign]
        controller.sync_now = lambda **_: None  # type: ignore[method-assign]
        controller.state = sc.ONLINE
        controller.state_changed.emit(sc.ONLINE)
        window.resize(*SIZE)
        window.show()
        listing = window.dossiers.list
        settle(desk, at_least_ms=600, until=lambda: listing.model.loaded)
        _fit_list_columns(listing)
        settle(desk, at_least_ms=300)
        saved.append(save(window, out / "list.png"))

        _fill_intake(window, desk, scan)
        settle(desk, at_least_ms=300)
        saved.append(save(window, out / "intake.png"))

        detail = window.dossiers.detail
        window.dossiers.show_dossier(scene.detail_id)
        settle(desk, until=lambda: detail.view is not None)
        settle(desk, at_least_ms=300)
        _show_history(detail)
        settle(desk, at_least_ms=100)
        saved.append(save(window, out / "detail.png"))

        saved.append(_receipt_slip_image(slip_inputs, out / "receipt-slip.png"))

        window.show_page(window.sync_page)
        settle(desk, at_least_ms=300)
        saved.append(save(window, out / "sync-page.png"))

        mine = [c for c in conflicts if c["record_id"] == scene.conflict_id]
        dialog = ConflictDialog(desk, mine[0]["code"] if mine else "", mine, window)
        dialog.resize(820, dialog.sizeHint().height() + 20)
        dialog.show()
        settle(desk, at_least_ms=200)
        saved.append(save(dialog, out / "conflict-dialog.png"))
        dialog.close()

        window.show_page(window.settings_page)
        settle(desk, at_least_ms=300)
        # The data folder as it reads on an officer's computer: the temporary HOME's name
        # changes at every run, and the picture should not.
        label = window.settings_page.data_folder
        label.setText(label.text().replace(str(Path.home()), "/home/hoa"))
        saved.append(save(window, out / "settings.png"))

        wizard_tasks = Tasks()
        try:
            wizard = FirstRunWizard(wizard_tasks, folder / "new-profile")
            wizard.resize(760, 560)
            wizard.show()
            wizard.server_page.url.setText(SERVER_URL)
            wizard.next()
            wizard.commune_page.choose(COMMUNE)
            wizard.commune_page.search.setText("minh chau")  # found without its diacritics
            wizard.commune_page.user_name.setText(USER[1])
            settle(at_least_ms=300)
            saved.append(save(wizard, out / "wizard.png"))
            wizard.close()
        finally:
            wizard_tasks.close()

        window.nav.setCurrentRow(0)
        window.dossiers.show_list()
        settle(desk, at_least_ms=200)
        lock = LockScreen(window, workspace, tasks)
        lock.lock()
        settle(desk, at_least_ms=300)
        saved.append(save(window, out / "lock.png"))
    finally:
        if window is not None:
            window.close()
            window.deleteLater()
        settle(desk, at_least_ms=50)
        desk.notices.close()
        tasks.close()
    return saved


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ui.screenshots",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"),
                        help="folder for the PNG files (made if missing)")
    parser.add_argument("--language", choices=("vi", "en"), default="vi")
    parser.add_argument("--dossiers", type=int, default=DEFAULT_DOSSIERS,
                        help=f"invented dossiers in the profile (default {DEFAULT_DOSSIERS})")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    out = args.out.resolve()
    with tempfile.TemporaryDirectory(prefix="communedesk-screenshots-") as temporary:
        folder = Path(temporary)
        with isolated(folder):
            saved = take(out, args.language, max(args.dossiers, 40), folder)
    for path in saved:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
