"""The first-run wizard: makes the profile when the profile folder has none.

Pages: the city server's address, or "work offline for now"; the commune (a searchable list of
the 3,321 communes and wards of the 2025 reform, keyed by their 5-digit code, since names repeat
across provinces); the account (skipped offline); the passphrase for the local data, typed twice.

Finishing runs on a worker (``Tasks.io``): the profile is made in a new hidden folder beside the
profile folder, signed in there when a server was given (``app.syncing.sign_in`` checks that the
account belongs to the chosen commune), and only then moved into place, so a failed sign-in or a
closed wizard never leaves a half-made profile where the next start would find it. A failure
brings the person back to the page where it can be fixed, with everything typed still there
(``QWizard.IndependentPages``: going back resets nothing). The passphrase and the password live
only in their fields and in the job that uses them; they are never logged or kept in QSettings.
Threading: GUI thread only; the work runs through ``ui.tasks``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import tempfile
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QRegularExpression,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListView,
    QProgressBar,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from app import keys
from app.clock import Clock
from app.errors import ProfileExists, UnknownCommune
from app.profile import ProfilePaths, commune_name, create_profile
from app.syncing import WrongCommune, sign_in
from app.textnorm import fold, vn_sort_key
from app.workspace import Workspace
from sync.lock import SyncBusy
from sync.transport import LinkDown, Refused, SignInRequired
from ui.tasks import Tasks

MIN_PASSPHRASE_LENGTH = 8
CODE_ROLE = Qt.ItemDataRole.UserRole + 1
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 2
PAGE_SERVER, PAGE_COMMUNE, PAGE_SIGN_IN, PAGE_PASSPHRASE = range(4)


def _tr(text: str) -> str:
    return QCoreApplication.translate("wizard", text)


# ======================================================================= pure helpers

def normalize_server_url(text: str) -> str | None:
    """The server address as the app keeps it (``https://host[:port][/path]``, no trailing
    slash), or None when ``text`` is not a usable http(s) address. A bare host gets https."""
    text = text.strip()
    if not text or any(ch.isspace() for ch in text):
        return None
    if "://" not in text:
        text = "https://" + text
    try:
        parts = urlsplit(text)
        port = parts.port  # raises for a port that is not a number or out of range
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    if parts.query or parts.fragment or parts.username or parts.password:
        return None
    host = parts.hostname
    netloc = f"[{host}]" if ":" in host else host
    if port is not None:
        netloc += f":{port}"
    return f"{parts.scheme.lower()}://{netloc}{parts.path}".rstrip("/")


@dataclass(frozen=True)
class CommuneChoice:
    code: str  # 5 digits, e.g. "09661"
    name: str  # "Xã Minh Châu"
    province: str  # "Thành phố Hà Nội"

    @property
    def label(self) -> str:
        return f"{self.name} — {self.province}"


@lru_cache(maxsize=1)
def commune_choices() -> tuple[CommuneChoice, ...]:
    """Every commune and ward (``vietnam_provinces``), by province then name (each without
    its kind: "Thành phố", "Xã"…), in Vietnamese alphabetical order."""
    from vietnam_provinces import Province, Ward

    provinces = {int(p.code): p.name for p in Province.iter_all()}
    choices = [CommuneChoice(f"{int(w.code):05d}", w.name, provinces[int(w.province_code)])
               for w in Ward.iter_all()]
    choices.sort(key=lambda c: (vn_sort_key(_bare(c.province)), vn_sort_key(_bare(c.name)),
                                c.code))
    return tuple(choices)


def _bare(name: str) -> str:
    """A place name without its kind ("Thành phố Hà Nội" sorts under H, "Xã Minh Châu" under M)."""
    for kind in ("Thành phố ", "Tỉnh ", "Đặc khu ", "Phường ", "Xã "):
        if name.startswith(kind):
            return name[len(kind):]
    return name


def commune_label(code: str) -> str:
    """ "Xã Minh Châu — Thành phố Hà Nội" for "09661" (the code itself when unknown)."""
    try:
        name, province = commune_name(code)
    except UnknownCommune:
        return code
    return f"{name} — {province}"


def search_pattern(text: str) -> QRegularExpression:
    """Every word of ``text`` (accents, case and đ folded), in any order."""
    words = fold(unicodedata.normalize("NFC", text)).split()
    pattern = "".join(f"(?=.*{QRegularExpression.escape(word)})" for word in words)
    return QRegularExpression("^" + pattern if pattern else "")


def sign_in_error_text(error: BaseException, server_url: str = "", username: str = "",
                       commune_code: str = "") -> str:
    """What to tell a person when signing in to the city server failed."""
    if isinstance(error, LinkDown):
        return _tr("Không kết nối được máy chủ {url}. Hãy kiểm tra địa chỉ và đường truyền; "
                   "bạn có thể làm việc ngoại tuyến và đăng nhập sau (Cài đặt → Đăng nhập lại)."
                   ).format(url=server_url)
    if isinstance(error, WrongCommune):
        return _tr("Tài khoản «{user}» thuộc {account}, không phải {chosen}. Hãy đăng nhập bằng "
                   "tài khoản của xã, phường mình, hoặc quay lại chọn đúng xã, phường.").format(
            user=username, account=commune_label(str(error.params.get("account", ""))),
            chosen=commune_label(commune_code or str(error.params.get("profile", ""))))
    if isinstance(error, SignInRequired):
        reasons = {
            "user_disabled": _tr("Tài khoản «{user}» đã bị khóa. Hãy liên hệ quản trị viên "
                                 "của thành phố."),
            "role_forbidden": _tr("Tài khoản quản trị thành phố không dùng để làm việc tại xã. "
                                  "Hãy đăng nhập bằng tài khoản cán bộ của xã, phường."),
            "device_revoked": _tr("Máy này đã bị thu hồi quyền truy cập. Hãy liên hệ quản trị "
                                  "viên của thành phố."),
        }
        return reasons.get(error.reason, _tr(
            "Tên đăng nhập hoặc mật khẩu không đúng. Hãy kiểm tra lại (chú ý chữ hoa, chữ "
            "thường và bộ gõ tiếng Việt).")).format(user=username)
    if isinstance(error, Refused):
        if error.status == 426:
            return _tr("Phiên bản CommuneDesk này đã cũ, máy chủ không nhận nữa. Hãy cài phiên "
                       "bản mới rồi đăng nhập lại. ({message})").format(message=error.message)
        if error.status == 429:
            return _tr("Đã nhập sai quá nhiều lần. Vui lòng chờ {seconds} giây rồi thử lại."
                       ).format(seconds=round(error.retry_after or 60))
        if error.code == "no_slot_left":
            return _tr("Xã, phường này đã dùng hết số máy được cấp mã hồ sơ. Hãy liên hệ quản "
                       "trị viên của thành phố.")
        return _tr("Máy chủ từ chối đăng nhập: {message} ({code}).").format(
            message=error.message, code=error.code)
    if isinstance(error, SyncBusy):
        return _tr("Máy đang đồng bộ dữ liệu. Vui lòng thử lại sau ít phút.")
    return _tr("Không đăng nhập được ({code}).").format(
        code=getattr(error, "code", type(error).__name__))


def passphrase_problem(first: str, second: str) -> str | None:
    """Why the two passphrases typed cannot be used, or None when they can."""
    if len(first) < MIN_PASSPHRASE_LENGTH:
        return _tr("Mật khẩu dữ liệu cần ít nhất {n} ký tự.").format(n=MIN_PASSPHRASE_LENGTH)
    if first.strip() != first:
        return _tr("Mật khẩu dữ liệu không được bắt đầu hay kết thúc bằng dấu cách.")
    if unicodedata.normalize("NFC", first) != unicodedata.normalize("NFC", second):
        return _tr("Hai lần nhập mật khẩu dữ liệu không giống nhau.")
    return None


# ======================================================================= the work

@dataclass
class ProfilePlan:
    """What the wizard collected; made on the GUI thread, used on the worker."""

    root: Path
    passphrase: str = field(repr=False)
    commune_code: str
    user_name: str = ""
    server_url: str | None = None
    username: str = ""
    password: str = field(default="", repr=False)
    clock: Clock | None = None


def _move_into(staging: Path, root: Path) -> None:
    """Put the finished profile at ``root``: a rename when ``root`` is absent or empty; else
    entry by entry, ``profile.json`` last, refusing to replace anything already there."""
    if root.exists() and not any(root.iterdir()):
        root.rmdir()
    if not root.exists():
        os.rename(staging, root)
        return
    if ProfilePaths(root).exists():
        raise ProfileExists(str(root), profile=str(root))
    entries = sorted(staging.iterdir(), key=lambda p: p.name == "profile.json")
    clashes = [p.name for p in entries if (root / p.name).exists()]
    if clashes:
        raise FileExistsError(17, "the profile folder already holds " + ", ".join(clashes),
                              str(root))
    for entry in entries:
        os.rename(entry, root / entry.name)
    staging.rmdir()


def _forget(staging: Path) -> None:
    """Remove a profile this wizard made in ``staging`` and never moved into place."""
    profile_id = None
    with contextlib.suppress(Exception):  # made too little to have an id: nothing to forget
        profile_id = keys.read_wrapped_key(ProfilePaths(staging).key_file).profile_id
    if profile_id is not None:
        keys.keychain_forget(profile_id)
        from app.tokens import SERVICE

        with contextlib.suppress(Exception):
            import keyring

            keyring.delete_password(SERVICE, profile_id)
    shutil.rmtree(staging, ignore_errors=True)


def make_profile(plan: ProfilePlan, progress: Callable[[str], None] = lambda stage: None
                 ) -> Workspace:
    """Create the profile, sign it in if a server was given, move it into place, open it.

    Runs on a worker. ``progress`` hears "creating", "signing_in", "opening". On any failure
    nothing is left behind and the profile folder is as it was."""
    root = plan.root
    root.parent.mkdir(parents=True, exist_ok=True)
    if ProfilePaths(root).exists():
        raise ProfileExists(str(root), profile=str(root))
    staging = Path(tempfile.mkdtemp(prefix=f".{root.name}.new-", dir=root.parent))
    try:
        progress("creating")
        create_profile(staging, plan.passphrase, plan.commune_code,
                       user_name=plan.user_name or None, clock=plan.clock).db.close()
        if plan.server_url:
            progress("signing_in")
            store = Workspace.open(staging, plan.passphrase, clock=plan.clock).open_store()
            try:
                sign_in(store, staging, plan.server_url, plan.username, plan.password,
                        device_name=socket.gethostname())
            finally:
                store.db.close()
        progress("opening")
        _move_into(staging, root)
    except BaseException:
        _forget(staging)
        raise
    return Workspace.open(root, plan.passphrase, clock=plan.clock)


# ======================================================================= pages

class CommuneListModel(QAbstractListModel):
    """Every commune and ward, read-only: the label shows, ``CODE_ROLE`` gives the 5-digit
    code, ``SEARCH_ROLE`` the folded text the search matches."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.choices = commune_choices()
        self.search_texts = [fold(f"{c.label} {c.code}") for c in self.choices]

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.choices)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        choice = self.choices[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return choice.label
        if role == CODE_ROLE:
            return choice.code
        if role == SEARCH_ROLE:
            return self.search_texts[index.row()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return QCoreApplication.translate("CommunePage", "Mã {code}").format(
                code=choice.code)
        return None


def _message_label(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setStyleSheet("color: #b00020;")
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


class _Page(QWizardPage):
    def __init__(self, wizard: FirstRunWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.message = _message_label(self)

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def clear_message(self) -> None:
        self.show_message("")

    def _changed(self) -> None:
        self.clear_message()
        self.completeChanged.emit()


class ServerPage(_Page):
    """(a) the city server's address, or "work offline for now"."""

    def __init__(self, wizard: FirstRunWizard) -> None:
        super().__init__(wizard)
        self.setTitle(self.tr("Máy chủ của thành phố"))
        self.setSubTitle(self.tr(
            "Máy chủ giữ dữ liệu chung của thành phố và đồng bộ hồ sơ giữa các máy. "
            "Địa chỉ do cán bộ kỹ thuật của thành phố cung cấp."))
        self.use_server = QRadioButton(self.tr("Kết nối với máy chủ của thành phố"), self)
        self.url = QLineEdit(self)
        self.url.setPlaceholderText("https://dongbo.hanoi.gov.vn")
        self.url.setAccessibleName(self.tr("Địa chỉ máy chủ"))
        self.offline = QRadioButton(self.tr("Làm việc ngoại tuyến trước"), self)
        offline_note = QLabel(self.tr(
            "Có thể tiếp nhận hồ sơ ngay trên máy này. Khi có địa chỉ máy chủ, vào Cài đặt → "
            "Đăng nhập lại để bắt đầu đồng bộ; mọi hồ sơ đã nhập sẽ được gửi lên."), self)
        offline_note.setWordWrap(True)
        offline_note.setIndent(24)
        group = QButtonGroup(self)
        group.addButton(self.use_server)
        group.addButton(self.offline)
        self.use_server.setChecked(True)
        self.use_server.toggled.connect(self._mode_changed)
        self.url.textChanged.connect(self._changed)

        layout = QVBoxLayout(self)
        layout.addWidget(self.use_server)
        address = QFormLayout()
        address.setContentsMargins(24, 0, 0, 0)
        address.addRow(self.tr("Địa chỉ máy chủ:"), self.url)
        layout.addLayout(address)
        layout.addSpacing(12)
        layout.addWidget(self.offline)
        layout.addWidget(offline_note)
        layout.addStretch(1)
        layout.addWidget(self.message)

    @property
    def works_offline(self) -> bool:
        return self.offline.isChecked()

    @property
    def server_url(self) -> str | None:
        return None if self.works_offline else normalize_server_url(self.url.text())

    def _mode_changed(self) -> None:
        self.url.setEnabled(not self.works_offline)
        self._changed()

    def isComplete(self) -> bool:  # noqa: N802 - Qt API
        return not self.owner.busy and (self.works_offline or bool(self.url.text().strip()))

    def validatePage(self) -> bool:  # noqa: N802 - Qt API
        if self.works_offline:
            return True
        if self.server_url is None:
            self.show_message(self.tr(
                "Địa chỉ máy chủ không hợp lệ. Ví dụ đúng: https://dongbo.hanoi.gov.vn"))
            self.url.setFocus()
            return False
        return True

    def nextId(self) -> int:  # noqa: N802 - Qt API
        return PAGE_COMMUNE


class CommunePage(_Page):
    """(b) the commune or ward, chosen from a searchable list (keyed by its 5-digit code)."""

    def __init__(self, wizard: FirstRunWizard) -> None:
        super().__init__(wizard)
        self.setTitle(self.tr("Xã, phường nơi làm việc"))
        self.setSubTitle(self.tr(
            "Gõ tên xã, phường hoặc tỉnh, thành phố (có dấu hay không dấu đều được), "
            "hoặc mã 5 chữ số."))
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Ví dụ: Minh Châu Hà Nội"))
        self.search.setAccessibleName(self.tr("Tìm xã, phường"))
        self.search.setClearButtonEnabled(True)
        self.model = CommuneListModel(self)
        self.filtered = QSortFilterProxyModel(self)
        self.filtered.setSourceModel(self.model)
        self.filtered.setFilterRole(SEARCH_ROLE)
        self.list = QListView(self)
        self.list.setModel(self.filtered)
        self.list.setUniformItemSizes(True)
        self.list.setAccessibleName(self.tr("Danh sách xã, phường"))
        self.chosen = QLabel(self)
        self.chosen.setWordWrap(True)
        self.user_name = QLineEdit(self)
        self.user_name.setAccessibleName(self.tr("Họ và tên của bạn"))
        self._code: str | None = None

        self.search.textChanged.connect(self._filter)
        self.list.selectionModel().currentChanged.connect(self._picked)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.chosen)
        name = QFormLayout()
        name.addRow(self.tr("Họ và tên của bạn (không bắt buộc, in trên giấy tiếp nhận):"),
                    self.user_name)
        layout.addLayout(name)
        layout.addWidget(self.message)
        self._show_chosen()

    @property
    def commune_code(self) -> str | None:
        return self._code

    def choose(self, code: str) -> bool:
        """Select the commune ``code`` (also clears the search so it can be seen)."""
        if self.search.text():
            self.search.clear()
        for row in range(self.filtered.rowCount()):
            index = self.filtered.index(row, 0)
            if index.data(CODE_ROLE) == code:
                self.list.setCurrentIndex(index)
                self.list.scrollTo(index)
                return True
        return False

    def _filter(self, text: str) -> None:
        self.filtered.setFilterRegularExpression(search_pattern(text))
        if self.filtered.rowCount() == 1:
            self.list.setCurrentIndex(self.filtered.index(0, 0))

    def _picked(self, current) -> None:  # noqa: ANN001 - QModelIndex
        if current.isValid():
            self._code = current.data(CODE_ROLE)
            self._show_chosen()
            self._changed()

    def _show_chosen(self) -> None:
        if self._code is None:
            self.chosen.setText(self.tr("Chưa chọn xã, phường."))
        else:
            self.chosen.setText(self.tr("Đã chọn: {label} (mã {code})").format(
                label=commune_label(self._code), code=self._code))

    def isComplete(self) -> bool:  # noqa: N802 - Qt API
        return not self.owner.busy and self._code is not None

    def nextId(self) -> int:  # noqa: N802 - Qt API
        return PAGE_PASSPHRASE if self.owner.server_page.works_offline else PAGE_SIGN_IN


class SignInPage(_Page):
    """(c) the account on the city server (skipped when working offline)."""

    def __init__(self, wizard: FirstRunWizard) -> None:
        super().__init__(wizard)
        self.setTitle(self.tr("Đăng nhập"))
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.username = QLineEdit(self)
        self.username.setAccessibleName(self.tr("Tên đăng nhập"))
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(self.tr("Mật khẩu tài khoản"))
        self.username.textChanged.connect(self._changed)
        self.password.textChanged.connect(self._changed)
        form = QFormLayout()
        form.addRow(self.tr("Tên đăng nhập:"), self.username)
        form.addRow(self.tr("Mật khẩu:"), self.password)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(self.message)

    def refresh_note(self) -> None:
        code = self.owner.commune_page.commune_code or ""
        self.note.setText(self.tr(
            "Tài khoản do quản trị viên của thành phố cấp, và phải thuộc {commune}. Việc đăng "
            "nhập diễn ra khi bấm Hoàn tất, sau khi đặt mật khẩu dữ liệu.").format(
            commune=commune_label(code) if code else self.tr("xã, phường đã chọn")))

    def isComplete(self) -> bool:  # noqa: N802 - Qt API
        return (not self.owner.busy and bool(self.username.text().strip())
                and bool(self.password.text()))

    def nextId(self) -> int:  # noqa: N802 - Qt API
        return PAGE_PASSPHRASE


class PassphrasePage(_Page):
    """(d) the passphrase that opens the local data, typed twice."""

    def __init__(self, wizard: FirstRunWizard) -> None:
        super().__init__(wizard)
        self.setTitle(self.tr("Mật khẩu dữ liệu"))
        self.setSubTitle(self.tr(
            "Dữ liệu trên máy này được mã hóa. Khóa được cất trong kho khóa của hệ điều hành "
            "(keychain) nếu máy có; khi không có, mỗi lần mở ứng dụng và khi màn hình khóa "
            "cần nhập mật khẩu này."))
        warning = QLabel(self.tr(
            "Hãy ghi nhớ và cất giữ cẩn thận: nếu quên mật khẩu dữ liệu thì không ai khôi "
            "phục được, kể cả quản trị viên. Mật khẩu cần ít nhất {n} ký tự; nên dùng một câu "
            "dễ nhớ. Nếu dùng chữ có dấu, hãy gõ bằng cùng một bộ gõ mỗi lần.").format(
            n=MIN_PASSPHRASE_LENGTH), self)
        warning.setWordWrap(True)
        self.first = QLineEdit(self)
        self.first.setEchoMode(QLineEdit.EchoMode.Password)
        self.first.setAccessibleName(self.tr("Mật khẩu dữ liệu"))
        self.second = QLineEdit(self)
        self.second.setEchoMode(QLineEdit.EchoMode.Password)
        self.second.setAccessibleName(self.tr("Nhập lại mật khẩu dữ liệu"))
        self.first.textChanged.connect(self._changed)
        self.second.textChanged.connect(self._changed)
        self.status = QLabel(self)
        self.status.hide()
        self.busy_bar = QProgressBar(self)
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setMaximumHeight(8)
        self.busy_bar.hide()
        form = QFormLayout()
        form.addRow(self.tr("Mật khẩu dữ liệu:"), self.first)
        form.addRow(self.tr("Nhập lại:"), self.second)
        layout = QVBoxLayout(self)
        layout.addWidget(warning)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(self.message)
        layout.addWidget(self.status)
        layout.addWidget(self.busy_bar)

    def isComplete(self) -> bool:  # noqa: N802 - Qt API
        return not self.owner.busy and bool(self.first.text()) and bool(self.second.text())

    def validatePage(self) -> bool:  # noqa: N802 - Qt API
        problem = passphrase_problem(self.first.text(), self.second.text())
        if problem:
            self.show_message(problem)
            return False
        return True

    def nextId(self) -> int:  # noqa: N802 - Qt API
        return -1


# ======================================================================= the wizard

class FirstRunWizard(QWizard):
    """Makes the profile at ``root``. ``workspace`` holds the opened profile once
    ``profile_ready`` has been emitted (and the dialog accepted)."""

    profile_ready = Signal(object)  # Workspace

    def __init__(self, tasks: Tasks, root: Path, parent: QWidget | None = None,
                 clock: Clock | None = None) -> None:
        super().__init__(parent)
        self.tasks, self.root, self.clock = tasks, Path(root), clock
        self.workspace: Workspace | None = None
        self.busy = False
        self.setWindowTitle(self.tr("CommuneDesk — Thiết lập lần đầu"))
        self.setOption(QWizard.WizardOption.IndependentPages, True)  # Back keeps what was typed
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("Tiếp theo >"))
        self.setButtonText(QWizard.WizardButton.BackButton, self.tr("< Quay lại"))
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("Hoàn tất"))
        self.setButtonText(QWizard.WizardButton.CancelButton, self.tr("Hủy"))
        self.setMinimumSize(640, 520)
        self.server_page = ServerPage(self)
        self.commune_page = CommunePage(self)
        self.sign_in_page = SignInPage(self)
        self.passphrase_page = PassphrasePage(self)
        self.setPage(PAGE_SERVER, self.server_page)
        self.setPage(PAGE_COMMUNE, self.commune_page)
        self.setPage(PAGE_SIGN_IN, self.sign_in_page)
        self.setPage(PAGE_PASSPHRASE, self.passphrase_page)
        self.setStartId(PAGE_SERVER)
        self.currentIdChanged.connect(self._page_shown)

    @property
    def pages(self) -> tuple[_Page, ...]:
        return (self.server_page, self.commune_page, self.sign_in_page, self.passphrase_page)

    def _page_shown(self, page_id: int) -> None:
        if page_id == PAGE_SIGN_IN:
            self.sign_in_page.refresh_note()

    # -------------------------------------------------------------- finishing

    def accept(self) -> None:
        """Finish pressed (the last page is valid): make the profile; close when it is ready."""
        if self.workspace is not None:
            super().accept()
        else:
            self.finish()

    def reject(self) -> None:
        if not self.busy:  # the work in progress ends first (it cleans up after itself)
            super().reject()

    def closeEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt API
        if self.busy:
            event.ignore()
        else:
            super().closeEvent(event)

    def plan(self) -> ProfilePlan | None:
        """What to make, from every page; None (and the person taken to the page to fix)
        when something is missing."""
        if not self.server_page.validatePage():
            self._go_to(PAGE_SERVER)
            return None
        code = self.commune_page.commune_code
        if code is None:
            self._go_to(PAGE_COMMUNE, self.tr("Hãy chọn xã, phường nơi làm việc."))
            return None
        url = self.server_page.server_url
        if url is not None and not self.sign_in_page.isComplete():
            self._go_to(PAGE_SIGN_IN, self.tr("Hãy nhập tên đăng nhập và mật khẩu."))
            return None
        if not self.passphrase_page.validatePage():
            self._go_to(PAGE_PASSPHRASE)
            return None
        return ProfilePlan(
            root=self.root,
            passphrase=unicodedata.normalize("NFC", self.passphrase_page.first.text()),
            commune_code=code, user_name=self.commune_page.user_name.text().strip(),
            server_url=url, username=self.sign_in_page.username.text().strip() if url else "",
            password=self.sign_in_page.password.text() if url else "", clock=self.clock)

    def finish(self) -> None:
        """Make the profile on a worker (what Finish does; tests call it directly)."""
        if self.busy or self.workspace is not None:
            return
        plan = self.plan()
        if plan is None:
            return
        for page in self.pages:
            page.clear_message()
        self._set_busy(True)
        progress = self.tasks.gui_call(self._progress)
        self.tasks.io(lambda: make_profile(plan, progress), self._made,
                      lambda error: self._failed(error, plan))

    def _progress(self, stage: str) -> None:
        texts = {"creating": self.tr("Đang tạo hồ sơ dữ liệu mã hóa…"),
                 "signing_in": self.tr("Đang đăng nhập vào máy chủ của thành phố…"),
                 "opening": self.tr("Đang mở dữ liệu…")}
        if self.busy:
            self.passphrase_page.status.setText(texts.get(stage, ""))
            self.passphrase_page.status.show()

    def _made(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self._set_busy(False)
        self.profile_ready.emit(workspace)
        super().accept()

    def _failed(self, error: BaseException, plan: ProfilePlan) -> None:
        self._set_busy(False)
        if isinstance(error, LinkDown):
            self._go_to(PAGE_SERVER, sign_in_error_text(error, plan.server_url or ""))
        elif isinstance(error, SignInRequired | WrongCommune | Refused | SyncBusy):
            self._go_to(PAGE_SIGN_IN, sign_in_error_text(
                error, plan.server_url or "", plan.username, plan.commune_code))
        elif isinstance(error, UnknownCommune):
            self._go_to(PAGE_COMMUNE, self.tr("Mã xã, phường không có trong danh mục."))
        elif isinstance(error, ProfileExists):
            self._go_to(PAGE_PASSPHRASE, self.tr(
                "Thư mục dữ liệu {root} đã có một hồ sơ. Hãy đóng cửa sổ này và mở lại "
                "ứng dụng.").format(root=self.root))
        elif isinstance(error, OSError):
            self._go_to(PAGE_PASSPHRASE, self.tr(
                "Không ghi được vào thư mục dữ liệu {root}: {reason}. Hãy kiểm tra dung lượng "
                "ổ đĩa và quyền ghi, rồi bấm Hoàn tất lần nữa.").format(
                root=self.root, reason=error.strerror or str(error)))
        else:
            self._go_to(PAGE_PASSPHRASE, self.tr("Không tạo được hồ sơ dữ liệu ({code}).").format(
                code=getattr(error, "code", type(error).__name__)))

    # -------------------------------------------------------------- state

    def _go_to(self, page_id: int, message: str | None = None) -> None:
        """Back to ``page_id`` (what was typed stays), showing ``message`` there."""
        if self.currentId() == -1:
            self.restart()
        step = self.back if page_id in self.visitedIds() else self.next
        while self.currentId() != page_id:
            before = self.currentId()
            step()
            if self.currentId() == before:  # cannot go further (a page refused)
                break
        if message is not None:
            self.page(page_id).show_message(message)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        page = self.passphrase_page
        page.busy_bar.setVisible(busy)
        if not busy:
            page.status.hide()
        for each in (self.server_page, self.commune_page, self.sign_in_page):
            each.setEnabled(not busy)
        page.first.setEnabled(not busy)  # (the page itself stays enabled: its busy bar moves)
        page.second.setEnabled(not busy)
        for each in self.pages:
            each.completeChanged.emit()  # the wizard re-reads isComplete for its buttons
        for button in (QWizard.WizardButton.BackButton, QWizard.WizardButton.CancelButton,
                       QWizard.WizardButton.FinishButton):
            if busy:
                self.button(button).setEnabled(False)
        if not busy:
            self.button(QWizard.WizardButton.CancelButton).setEnabled(True)
            current = self.currentPage()
            if current is not None:
                current.completeChanged.emit()


def run_first_run(tasks: Tasks, root: Path, parent: QWidget | None = None,
                  clock: Clock | None = None) -> Workspace | None:
    """Show the wizard (modal) and return the new, opened profile; None if it was cancelled.

    The caller then hands the workspace to ``tasks.open`` and builds the main window."""
    wizard = FirstRunWizard(tasks, root, parent, clock)
    try:
        if wizard.exec() == QDialog.DialogCode.Accepted:
            return wizard.workspace
        return None
    finally:
        wizard.deleteLater()
