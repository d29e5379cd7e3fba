"""Opening a dossier's attachment: images in a preview dialog, other files (PDF) in the system
viewer through a private temporary copy.

Attachments are personal data (scans of ID cards, birth certificates). Their bytes are fetched on
the network worker (``app.syncing.fetch_attachment`` reads the local encrypted blob, or downloads
it when this machine lacks it) and every opening is written to the access log. An image is decoded
on the GUI thread (QImage → QPixmap) and never touches the disk. Another file is written, on the
worker, into one private folder of this process (mode 0700, files 0600) and handed to the system
viewer with ``QDesktopServices.openUrl``; the folder is removed when the app quits (and by
``atexit``). A crash can leave it behind: ``sweep_stale_folders`` removes the folders of
processes that no longer run (POSIX) at the next start.
Threading: ``fetch_for_viewing`` runs on a worker; the rest on the GUI thread.
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QImage, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.store import Store
from app.syncing import fetch_attachment

FOLDER_PREFIX = "communedesk-view-"
_FOLDER_PATTERN = re.compile(rf"^{re.escape(FOLDER_PREFIX)}(\d+)-")
_lock = threading.Lock()
_folder: Path | None = None

# How a non-image file reaches the system viewer; tests replace it (no viewer runs here).
open_external: Callable[[QUrl], bool] = QDesktopServices.openUrl


def private_folder() -> Path:
    """This process's private folder for opened attachments (made on first use, 0700)."""
    global _folder
    with _lock:
        if _folder is None or not _folder.is_dir():
            _folder = Path(tempfile.mkdtemp(prefix=f"{FOLDER_PREFIX}{os.getpid()}-"))
            os.chmod(_folder, 0o700)
            atexit.register(remove_private_folder)
        return _folder


def remove_private_folder() -> None:
    """Delete the private folder and every file opened from it (at quit)."""
    global _folder
    with _lock:
        folder, _folder = _folder, None
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


def sweep_stale_folders() -> int:
    """Remove private folders left by processes that no longer run (after a crash); POSIX only,
    since no safe liveness probe exists on Windows. Returns how many were removed."""
    if os.name != "posix":
        return 0
    removed = 0
    root = Path(tempfile.gettempdir())
    for entry in root.glob(f"{FOLDER_PREFIX}*"):
        match = _FOLDER_PATTERN.match(entry.name)
        if not match or not entry.is_dir() or entry.stat().st_uid != os.getuid():
            continue
        pid = int(match.group(1))
        if pid == os.getpid():
            continue
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            shutil.rmtree(entry, ignore_errors=True)
            removed += 1
        except PermissionError:
            continue
    return removed


def _safe_name(file_name: str) -> str:
    name = Path(file_name).name.strip() or "tep-dinh-kem"
    return re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", name)[:120]


@dataclass(frozen=True)
class Opened:
    """An attachment ready to show: the bytes of an image, or the private copy of another file."""

    attachment_id: str
    file_name: str
    media_type: str
    data: bytes | None  # image bytes (decoded on the GUI thread)
    path: Path | None  # the private temporary copy of a non-image file


def is_image(media_type: str, file_name: str) -> bool:
    return media_type.startswith("image/") or file_name.lower().endswith(
        (".png", ".jpg", ".jpeg", ".gif", ".bmp", ".webp", ".tif", ".tiff"))


def fetch_for_viewing(store: Store, root: Path, attachment: dict) -> Opened:
    """On the network worker: the bytes (downloaded if missing here), the access logged, and
    for a non-image a private temporary copy to hand to the system viewer."""
    data = fetch_attachment(store, root, attachment["id"])
    store.log_access("open_attachment", attachment["id"])
    name, media_type = attachment["file_name"], attachment.get("media_type") or ""
    if is_image(media_type, name):
        return Opened(attachment["id"], name, media_type, data, None)
    folder = Path(tempfile.mkdtemp(dir=private_folder()))  # one folder each: names may repeat
    path = folder / _safe_name(name)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
    return Opened(attachment["id"], name, media_type, None, path)


class ImagePreview(QDialog):
    """A scan shown at its own size (scrollable), never written to disk."""

    def __init__(self, image: QImage, file_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("image_preview")
        self.setWindowTitle(self.tr("Xem tệp đính kèm: {name}").format(name=file_name))
        self.image = image
        self.label = QLabel(self)
        self.label.setObjectName("image")
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setPixmap(QPixmap.fromImage(image))
        scroll = QScrollArea(self)
        scroll.setWidget(self.label)
        scroll.setWidgetResizable(True)
        caption = QLabel(self.tr("{name} — {width} × {height} điểm ảnh").format(
            name=file_name, width=image.width(), height=image.height()), self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Đóng"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(caption)
        layout.addWidget(buttons)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.resize(QSize(min(image.width() + 40, 1000), min(image.height() + 90, 760)))

    def image_size(self) -> QSize:
        return self.label.pixmap().size()


def show_opened(opened: Opened, parent: QWidget) -> ImagePreview | None:
    """On the GUI thread: an image in a preview dialog (returned, shown non-blocking), another
    file in the system viewer. Raises ``ValueError`` when an image does not decode and
    ``OSError`` when no viewer takes the file."""
    if opened.data is not None:
        image = QImage.fromData(opened.data)
        if image.isNull():
            raise ValueError("image_unreadable")
        preview = ImagePreview(image, opened.file_name, parent)
        preview.open()
        return preview
    assert opened.path is not None
    if not open_external(QUrl.fromLocalFile(str(opened.path))):
        raise OSError("no_viewer")
    return None
