"""Sign-in and sync for one profile: what the CLI and the desktop app call.

Puts together the profile's ``Store`` (through ``LocalSyncStore``), its tokens, a ``Transport``
to the server named in its settings, and the ``SyncEngine``, under the profile's sync lock (one
sync at a time, across processes). After each contact it keeps the server's clock offset and
corrects the store's clock with it, so codes and due times use the server's time. Bandwidth
saver: ``sync.bandwidth_saver`` is ``on``, ``off`` or ``auto`` (the default: on unless the last
measured link rate reached 1 Mbit/s).
"""

from __future__ import annotations

import socket
import uuid
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from app import __version__
from app.codes import Slot
from app.documents import is_secret_attachment
from app.errors import DomainError, SecretDocument
from app.profile import ProfilePaths
from app.store import Store
from app.sync_local import LocalSyncStore
from app.tokens import ProfileTokens
from sync.engine import Progress, SyncEngine, SyncReport
from sync.lock import sync_lock
from sync.transport import CONNECT_TIMEOUT, READ_TIMEOUT, Transport

FAST_LINK_BPS = 1_000_000


class NotConfigured(DomainError):
    code = "server_not_set"


class WrongCommune(DomainError):
    code = "wrong_commune"


def device_id(store: Store) -> str:
    """This profile's device id (made once; the server keys slots and marks by it)."""
    value = store.setting("device.id")
    if value is None:
        value = str(uuid.uuid4())
        store.set_setting("device.id", value)
    return value


def transport_for(store: Store, root: Path, server_url: str | None = None) -> Transport:
    url = server_url or store.setting("server.url")
    if not url:
        raise NotConfigured("no server address: run communedesk login --server URL")
    return Transport(
        url, __version__, device_id(store), ProfileTokens(store, ProfilePaths(root).profile_id()),
        connect_timeout=float(store.setting("sync.connect_timeout") or CONNECT_TIMEOUT),
        read_timeout=float(store.setting("sync.read_timeout") or READ_TIMEOUT),
        machine_now=store.clock.machine_now)


def apply_clock_offset(store: Store, offset: float | None) -> None:
    """Correct the store's clock by the server's offset."""
    if offset is not None:
        store.clock.offset = timedelta(seconds=offset)


def sign_in(store: Store, root: Path, server_url: str, username: str, password: str,
            device_name: str | None = None) -> dict[str, Any]:
    """Sign this device in and keep what the server gave: tokens, slot, unit id, user."""
    transport = transport_for(store, root, server_url)
    with sync_lock(root):
        try:
            answer = transport.sign_in(username, password, device_name or socket.gethostname())
        finally:
            transport.close()
        commune = answer["commune"]
        if commune["code"] != store.setting("commune.code"):
            transport.tokens.clear_tokens()
            raise WrongCommune(f"the account belongs to {commune['code']}",
                               account=commune["code"], profile=store.setting("commune.code"))
        slot = Slot(answer["slot"]["first"], answer["slot"]["last"], "server")
        settings = {"server.url": server_url.rstrip("/"), "codes.slot": slot.to_setting(),
                    "commune.unit_id": commune["unit_id"], "user.username": username,
                    "user.role": answer["user"]["role"],
                    "user.name": answer["user"].get("display_name") or username}
        for key, value in settings.items():
            store.set_setting(key, value)
        if transport.clock_offset is not None:
            LocalSyncStore(store).set_sync_values(
                {"clock_offset": f"{transport.clock_offset:.3f}"})
            apply_clock_offset(store, transport.clock_offset)
    return answer


def bandwidth_saver(store: Store) -> bool:
    choice = store.setting("sync.bandwidth_saver") or "auto"
    if choice in ("on", "off"):
        return choice == "on"
    rate = LocalSyncStore(store).sync_value("link_rate_bps")
    return rate is None or float(rate) < FAST_LINK_BPS


def run_sync(store: Store, root: Path, *, blobs: bool | None = None, full: bool = False,
             on_progress: Callable[[Progress], None] | None = None) -> SyncReport:
    """One sync of the profile at ``root`` (``SyncBusy`` if another one runs).

    ``blobs``: move attachment bytes too (None: unless bandwidth saver is on). ``full``: pull
    everything again (``SyncEngine.sync``)."""
    transport = transport_for(store, root)
    with sync_lock(root):
        try:
            engine = SyncEngine(LocalSyncStore(store), transport, app_version=__version__,
                                on_progress=on_progress)
            report = engine.sync(blobs=not bandwidth_saver(store) if blobs is None else blobs,
                                 full=full)
        finally:
            apply_clock_offset(store, transport.clock_offset)
            transport.close()
    return report


def fetch_attachment(store: Store, root: Path, attachment_id: str) -> bytes:
    """An attachment's bytes, fetched from the server first if this machine lacks them. A
    secret document's attachment is never fetched: ``SecretDocument``."""
    row = store.db.execute("SELECT sha256 FROM attachments WHERE id = ?",
                           [attachment_id]).fetchone()
    if row is not None and not store.blobs.has(row[0]):
        if is_secret_attachment(store, attachment_id):
            raise SecretDocument("a secret document keeps metadata only",
                                 attachment=attachment_id)
        transport = transport_for(store, root)
        try:
            SyncEngine(LocalSyncStore(store), transport, app_version=__version__
                       ).fetch_blob(row[0])
        finally:
            transport.close()
    return store.attachment_bytes(attachment_id)


def clock_offset(store: Store) -> float | None:
    value = LocalSyncStore(store).sync_value("clock_offset")
    return float(value) if value is not None else None

