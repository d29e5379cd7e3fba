"""The urgency icons of the registers: Khẩn, Thượng khẩn, Hỏa tốc (Decree 30's levels).

Each level has its own colour and its own number of bars (one, two, three), so the levels stay
apart on a washed-out screen and for colour-blind eyes; the row is also bold and coloured.
Drawn once at 16, 24 and 32 px and cached. Threading: GUI thread only (QPixmap).
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap

URGENCY_COLOURS = {
    "urgent": QColor("#b35c00"),  # dark amber
    "very_urgent": QColor("#c62828"),  # red
    "flash": QColor("#7b0000"),  # deep red
}
_BARS = {"urgent": 1, "very_urgent": 2, "flash": 3}
_SIZES = (16, 24, 32)


def _draw(urgency: str, size: int) -> QPixmap:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    unit = size / 16.0
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(URGENCY_COLOURS[urgency])
    painter.drawRoundedRect(QRectF(0.5 * unit, 0.5 * unit, 15 * unit, 15 * unit),
                            3 * unit, 3 * unit)
    painter.setBrush(QColor("white"))
    bars = _BARS[urgency]
    width, gap = 2.4 * unit, 1.6 * unit
    left = (16 * unit - bars * width - (bars - 1) * gap) / 2
    for bar in range(bars):
        x = left + bar * (width + gap)
        painter.drawRect(QRectF(x, 3 * unit, width, 6.5 * unit))  # an exclamation mark
        painter.drawRect(QRectF(x, 11 * unit, width, 2.2 * unit))
    painter.end()
    return pixmap


@cache
def urgency_icon(urgency: str) -> QIcon:
    """The icon of an urgency level (an empty icon for "normal" or an unknown level)."""
    icon = QIcon()
    if urgency in URGENCY_COLOURS:
        for size in _SIZES:
            icon.addPixmap(_draw(urgency, size))
    return icon
