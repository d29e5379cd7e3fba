"""Change notices: which records changed, told to listeners after the change commits.

The store publishes the ids its write touched (dossiers, events, attachments, conflicts) once the
transaction that wrote them commits (``app.db.after_commit``); the sync store does the same for
pulled pages and answered operations. Listeners are plain callables: the desktop app re-emits
them as Qt signals on the GUI thread (the Electrum pattern), so app/ stays free of Qt.
Threading: ``publish`` runs on the thread that committed; listeners must be quick and
thread-safe (hand the notice on, do no work).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class ChangeNotice:
    """Records of one type that changed in one transaction."""

    record_type: str  # "dossier", "dossier_event", "attachment", "conflict", "settings", …
    ids: frozenset[str]


Listener = Callable[[ChangeNotice], None]


class ChangeNotices:
    """A list of listeners; shared by every store of one open profile."""

    def __init__(self) -> None:
        self._listeners: list[Listener] = []
        self._lock = threading.Lock()

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Add ``listener``; returns the function that removes it."""
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)
        return unsubscribe

    def publish(self, record_type: str, ids: Iterable[str]) -> None:
        notice = ChangeNotice(record_type, frozenset(ids))
        if not notice.ids:
            return
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            listener(notice)
