"""Small icons drawn with QPainter: the per-record sync states (pending, synced, conflict, error).

Each state has its own shape as well as its own colour (a clock, a tick, a triangle, a cross),
so they stay apart on a washed-out old screen and for colour-blind eyes. Drawn once at 16, 24
and 32 px and cached. Threading: GUI thread only (QPixmap needs the GUI application).
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap, QPolygonF

SYNC_STATES = ("pending", "synced", "conflict", "error")
_COLOURS = {
    "pending": QColor("#1f5fa8"),  # blue: waiting to go, nothing wrong
    "synced": QColor("#2e7d32"),  # green
    "conflict": QColor("#c25e00"),  # dark orange: a person must choose
    "error": QColor("#c62828"),  # red: the server refused
}
_SIZES = (16, 24, 32)


def _draw(state: str, size: int) -> QPixmap:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    colour = _COLOURS[state]
    unit = size / 16.0
    white = QPen(QColor("white"), 1.8 * unit, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                 Qt.PenJoinStyle.RoundJoin)
    disc = QRectF(1 * unit, 1 * unit, 14 * unit, 14 * unit)
    if state == "pending":  # a clock face: outlined, so it reads as "not yet"
        painter.setPen(QPen(colour, 1.8 * unit))
        painter.setBrush(QColor("white"))
        painter.drawEllipse(disc.adjusted(0.5 * unit, 0.5 * unit, -0.5 * unit, -0.5 * unit))
        painter.setPen(QPen(colour, 1.6 * unit, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        centre = QPointF(8 * unit, 8 * unit)
        painter.drawLine(centre, QPointF(8 * unit, 4 * unit))
        painter.drawLine(centre, QPointF(11 * unit, 9.5 * unit))
    elif state == "synced":  # a filled disc with a tick
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawEllipse(disc)
        painter.setPen(white)
        tick = QPainterPath(QPointF(4.5 * unit, 8.2 * unit))
        tick.lineTo(7 * unit, 10.8 * unit)
        tick.lineTo(11.5 * unit, 5.5 * unit)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(tick)
    elif state == "conflict":  # a warning triangle with "!"
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawPolygon(QPolygonF([QPointF(8 * unit, 0.8 * unit),
                                       QPointF(15.4 * unit, 14.6 * unit),
                                       QPointF(0.6 * unit, 14.6 * unit)]))
        painter.setPen(white)
        painter.drawLine(QPointF(8 * unit, 5.5 * unit), QPointF(8 * unit, 9.5 * unit))
        painter.drawPoint(QPointF(8 * unit, 12.2 * unit))
    else:  # error: a filled disc with a cross
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawEllipse(disc)
        painter.setPen(white)
        painter.drawLine(QPointF(5.3 * unit, 5.3 * unit), QPointF(10.7 * unit, 10.7 * unit))
        painter.drawLine(QPointF(10.7 * unit, 5.3 * unit), QPointF(5.3 * unit, 10.7 * unit))
    painter.end()
    return pixmap


@cache
def sync_state_icon(state: str) -> QIcon:
    """The icon of a record's sync state (an empty icon for an unknown state)."""
    icon = QIcon()
    if state in _COLOURS:
        for size in _SIZES:
            icon.addPixmap(_draw(state, size))
    return icon
