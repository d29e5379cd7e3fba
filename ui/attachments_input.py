"""Scans and PDFs attached to a dossier being received: chosen with a file dialog or dropped onto
the area, read and prepared off the GUI thread, listed with their sizes, removable.

``prepare_file`` reads a file on a worker (``Tasks.io``): a PDF is kept byte for byte; a JPEG or
PNG photo whose longest side is over the limit (setting ``attachments.max_image_px``, default
2000) is downscaled and re-encoded as JPEG (quality 85), a smaller photo is kept as it is. What
would be stored must fit ``attachments.max_bytes`` (the store's own limit): a larger file, or one
that is neither JPEG, PNG nor PDF (judged by its content, not its name), is refused with a
message. Threading: ``prepare_file`` runs on a worker and uses ``QImage`` (allowed off the GUI
thread), never ``QPixmap``; ``AttachmentsInput`` lives on the GUI thread.
"""

from __future__ import annotations

from pathlib import Path

import shiboken6
from PySide6.QtCore import QBuffer, QIODevice, QLocale, QSize, QStandardPaths, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QImage,
    QImageReader,
    QKeySequence,
    QPainter,
    QShortcut,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.intake import (
    PDF,
    AttachmentLimits,
    AttachmentRefused,
    PreparedAttachment,
    sniff_media_type,
)
from ui.tasks import Tasks

JPEG_QUALITY = 85
ERROR_STYLE = "color: #a00000;"


def prepare_file(path: Path, limits: AttachmentLimits) -> PreparedAttachment:
    """Read ``path`` and make it what will be stored (see the module docstring); raises
    ``AttachmentRefused``. Runs on a worker thread."""
    name = path.name

    def refuse(reason: str, **params: object) -> AttachmentRefused:
        return AttachmentRefused(f"{name}: {reason}", reason=reason, file_name=name, **params)

    try:
        size = path.stat().st_size
        with path.open("rb") as file:
            head = file.read(16)
    except OSError:
        raise refuse("unreadable") from None
    media_type = sniff_media_type(head)
    if media_type is None:
        raise refuse("unknown_type")

    def whole_file() -> bytes:
        if size > limits.max_bytes:
            raise refuse("too_large", size=size, limit=limits.max_bytes)
        try:
            return path.read_bytes()
        except OSError:
            raise refuse("unreadable") from None

    if media_type == PDF:
        return PreparedAttachment(name, PDF, whole_file(), size)
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)  # a phone's EXIF rotation is applied before the EXIF is lost
    source = reader.size()
    if not source.isValid():
        raise refuse("image_unreadable")
    source_px = (source.width(), source.height())
    if max(source_px) <= limits.max_image_px:
        return PreparedAttachment(name, media_type, whole_file(), size, source_px, source_px)
    target = source.scaled(QSize(limits.max_image_px, limits.max_image_px),
                           Qt.AspectRatioMode.KeepAspectRatio)
    reader.setScaledSize(target)  # JPEG decodes straight at the smaller size: less memory
    image = reader.read()
    if image.isNull():
        raise refuse("image_unreadable")
    if image.hasAlphaChannel():  # JPEG has no transparency: put the scan on white paper
        flat = QImage(image.size(), QImage.Format.Format_RGB32)
        flat.fill(QColor("white"))
        painter = QPainter(flat)
        painter.drawImage(0, 0, image)
        painter.end()
        image = flat
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "JPEG", JPEG_QUALITY):
        raise refuse("image_unreadable")
    data = bytes(buffer.data().data())
    if len(data) > limits.max_bytes:
        raise refuse("too_large", size=len(data), limit=limits.max_bytes)
    stored_px = (image.width(), image.height())
    if stored_px[0] != target.width():  # rotated by its EXIF orientation
        source_px = (source_px[1], source_px[0])
    return PreparedAttachment(f"{path.stem}.jpg", "image/jpeg", data, size, source_px, stored_px)


def scans_folder() -> str:
    """Where the file dialog opens: the person's Pictures folder (where scanners and phones
    put scans), else their home; never wherever the app happened to be started from."""
    for location in (QStandardPaths.StandardLocation.PicturesLocation,
                     QStandardPaths.StandardLocation.HomeLocation):
        folder = QStandardPaths.writableLocation(location)
        if folder and Path(folder).is_dir():
            return folder
    return str(Path.home())


class AttachmentsInput(QWidget):
    """The attachments of the dossier being received. ``changed`` fires when the list or the
    number of files still being read changes."""

    changed = Signal()

    def __init__(self, tasks: Tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._limits = AttachmentLimits()
        self._items: list[PreparedAttachment] = []
        self._pending = 0
        self._generation = 0  # a clear() drops answers to reads started before it
        self._messages: list[str] = []

        self.add_button = QPushButton(self.tr("Đính kèm tệ&p (ảnh, PDF)…"), self)
        self.add_button.setObjectName("attachButton")
        self.hint = QLabel(self.tr("hoặc kéo thả tệp vào đây"), self)
        self.list = QListWidget(self)
        self.list.setObjectName("attachmentList")
        self.list.setAccessibleName(self.tr("Tệp đính kèm"))
        self.remove_button = QPushButton(self.tr("Bỏ tệp đã chọn"), self)
        self.remove_button.setObjectName("removeAttachment")
        self.remove_button.setToolTip(self.tr("Phím Delete trong danh sách tệp"))
        self.status = QLabel(self)
        self.status.setObjectName("attachmentStatus")
        self.status.setWordWrap(True)
        self.message = QLabel(self)
        self.message.setObjectName("attachmentMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addWidget(self.hint, 1)
        layout.addLayout(row)
        layout.addWidget(self.list)
        row = QHBoxLayout()
        row.addWidget(self.status, 1)
        row.addWidget(self.remove_button)
        layout.addLayout(row)
        layout.addWidget(self.message)
        self.list.setMaximumHeight(self.fontMetrics().lineSpacing() * 6)
        self.setAcceptDrops(True)

        self.add_button.clicked.connect(self.choose_files)
        self.remove_button.clicked.connect(self.remove_selected)
        delete = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.list)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self.remove_selected)
        self._refresh()

    # -------------------------------------------------------------- public

    @property
    def busy(self) -> bool:
        """Files are still being read."""
        return self._pending > 0

    def prepared(self) -> list[PreparedAttachment]:
        return list(self._items)

    def set_limits(self, limits: AttachmentLimits) -> None:
        self._limits = limits

    def messages(self) -> list[str]:
        return list(self._messages)

    def focus_chain(self) -> list[QWidget]:
        return [self.add_button, self.list, self.remove_button]

    def clear(self) -> None:
        self._generation += 1
        self._pending = 0
        self._items.clear()
        self._messages.clear()
        self._refresh()

    def choose_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self, self.tr("Chọn tệp đính kèm"), scans_folder(),
            self.tr("Ảnh và PDF (*.jpg *.jpeg *.png *.pdf);;Mọi tệp (*)"),
            options=QFileDialog.Option.DontUseNativeDialog)  # Qt's own speaks the app's language
        self.add_files([Path(p) for p in paths])

    def add_files(self, paths: list[Path]) -> None:
        """Read and prepare ``paths`` on the worker; each lands in the list or in a message."""
        if not paths:
            return
        self._messages.clear()
        generation, limits = self._generation, self._limits
        for path in paths:
            self._pending += 1
            self._tasks.io(
                lambda p=path: prepare_file(p, limits),
                lambda item, g=generation: self._prepared(g, item),
                lambda error, g=generation, p=path: self._refused(g, p, error))
        self._refresh()

    def remove_selected(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self._items):
            del self._items[row]
            self._refresh()
            self.list.setCurrentRow(min(row, len(self._items) - 1))

    # -------------------------------------------------------------- texts

    def size_text(self, size: int) -> str:
        if size < 1024:
            return self.tr("{n} byte").format(n=size)
        if size < 1024 * 1024:
            return self.tr("{n} KB").format(n=round(size / 1024))
        locale = QLocale()  # the interface language's decimal mark (Vietnamese when none)
        if locale.language() == QLocale.Language.C:
            locale = QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam)
        return self.tr("{n} MB").format(n=locale.toString(size / (1024 * 1024), "f", 1))

    def item_text(self, item: PreparedAttachment) -> str:
        text = f"{item.file_name} — {self.size_text(item.size)}"
        if item.downscaled and item.source_px and item.stored_px:
            text += self.tr(" (ảnh đã thu nhỏ từ {w0}×{h0} xuống {w1}×{h1} điểm ảnh)").format(
                w0=item.source_px[0], h0=item.source_px[1],
                w1=item.stored_px[0], h1=item.stored_px[1])
        return text

    def refusal_text(self, file_name: str, error: BaseException) -> str:
        reason = error.params.get("reason") if isinstance(error, AttachmentRefused) else None
        if reason == "too_large":
            return self.tr("Không đính kèm {name}: tệp quá lớn ({size}), giới hạn là {limit}.") \
                .format(name=file_name, size=self.size_text(int(error.params["size"])),
                        limit=self.size_text(int(error.params["limit"])))
        if reason == "unknown_type":
            return self.tr("Không đính kèm {name}: chỉ nhận ảnh JPEG, PNG hoặc tệp PDF.") \
                .format(name=file_name)
        if reason == "image_unreadable":
            return self.tr("Không đính kèm {name}: ảnh bị hỏng hoặc quá lớn để mở.") \
                .format(name=file_name)
        return self.tr("Không đọc được tệp {name}.").format(name=file_name)

    # -------------------------------------------------------------- internals

    def _prepared(self, generation: int, item: PreparedAttachment) -> None:
        if not shiboken6.isValid(self) or generation != self._generation:
            return
        self._pending -= 1
        self._items.append(item)
        self._refresh()

    def _refused(self, generation: int, path: Path, error: BaseException) -> None:
        if not shiboken6.isValid(self) or generation != self._generation:
            return
        self._pending -= 1
        self._messages.append(self.refusal_text(path.name, error))
        self._refresh()

    def _refresh(self) -> None:
        self.list.clear()
        for item in self._items:
            self.list.addItem(self.item_text(item))
        self.remove_button.setEnabled(bool(self._items))
        if self._pending:
            self.status.setText(self.tr("Đang đọc %n tệp…", "", self._pending))
        elif self._items:
            total = sum(item.size for item in self._items)
            self.status.setText(self.tr("%n tệp, ", "", len(self._items))
                                + self.tr("tổng {size}").format(size=self.size_text(total)))
        else:
            self.status.setText(self.tr("Chưa có tệp đính kèm."))
        self.message.setText("\n".join(self._messages))
        self.message.setVisible(bool(self._messages))
        self.changed.emit()

    # -------------------------------------------------------------- drag and drop

    @staticmethod
    def _local_paths(event: QDropEvent | QDragEnterEvent | QDragMoveEvent) -> list[Path]:
        mime = event.mimeData()
        if not mime.hasUrls():
            return []
        return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._local_paths(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if self._local_paths(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = self._local_paths(event)
        if not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        self.add_files(paths)
