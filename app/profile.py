"""Profile folders: where a user's encrypted data lives, and how it is created and opened.

A profile folder holds ``profile.json`` (an id, a format number and the database's page size,
nothing personal),
``key.json`` (the passphrase-wrapped data key), ``data.db`` (SQLCipher, WAL) and ``blobs/``
(encrypted attachments). The default folder is the OS's per-user data folder (platformdirs);
``--profile DIR`` overrides it. Opening tries the keychain first and falls back to the
passphrase; a wrong passphrase raises before anything is written.
"""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import platformdirs

from app import keys
from app.blobs import BlobStore
from app.catalogue import Catalogue
from app.clock import Clock
from app.codes import check_unit_id
from app.db import LEGACY_PAGE_SIZE, PAGE_SIZE, connect
from app.errors import (
    PassphraseRequired,
    ProfileDamaged,
    ProfileExists,
    ProfileMissing,
    ProfileTooNew,
    UnknownCommune,
    WrongPassphrase,
)
from app.notices import ChangeNotices
from app.schema import upgrade
from app.store import Store
from app.workcalendar import WorkCalendar

PROFILE_FORMAT = 1
PASSPHRASE_ENV = "COMMUNEDESK_PASSPHRASE"


def default_profile_dir() -> Path:
    return Path(platformdirs.user_data_dir("CommuneDesk", appauthor=False)) / "default"


def passphrase_from_env() -> str | None:
    """The passphrase for headless use; never taken from the command line."""
    return os.environ.get(PASSPHRASE_ENV) or None


@dataclass(frozen=True)
class ProfilePaths:
    root: Path

    @property
    def meta(self) -> Path:
        return self.root / "profile.json"

    @property
    def key_file(self) -> Path:
        return self.root / "key.json"

    @property
    def database(self) -> Path:
        return self.root / "data.db"

    @property
    def blobs(self) -> Path:
        return self.root / "blobs"

    def exists(self) -> bool:
        return self.meta.exists()

    def _meta(self) -> dict[str, Any] | None:
        """What ``profile.json`` holds; None while a profile is being made (no file yet)."""
        try:
            meta = json.loads(self.meta.read_text("utf-8"))
        except FileNotFoundError:
            return None
        except ValueError:
            raise ProfileDamaged("profile.json is unreadable") from None
        if not isinstance(meta, dict):
            raise ProfileDamaged("profile.json is unreadable")
        return meta

    def profile_id(self) -> str:
        meta = self._meta()
        if meta is None:
            raise ProfileMissing(str(self.root), profile=str(self.root))
        if not isinstance(profile_id := meta.get("profile_id"), str):
            raise ProfileDamaged("profile.json is unreadable")
        return profile_id

    def check_format(self) -> None:
        """Raise ``ProfileTooNew`` when ``profile.json`` names a format newer than this version
        reads (``PROFILE_FORMAT``); nothing to check while a profile is being made."""
        if (meta := self._meta()) is None:
            return
        found = meta.get("format", PROFILE_FORMAT)
        if not isinstance(found, int) or isinstance(found, bool) or found < 1:
            raise ProfileDamaged(f"profile.json: format {found!r} is not a format number")
        if found > PROFILE_FORMAT:
            raise ProfileTooNew(f"profile format {found}; this version reads up to "
                                f"{PROFILE_FORMAT}", format=found)

    def page_size(self) -> int:
        """The database's page size: as ``profile.json`` records it; 4 KiB for a profile made
        before it was recorded; the new size while a profile is being made (no file yet)."""
        if (meta := self._meta()) is None:
            return PAGE_SIZE
        size = meta.get("page_size", LEGACY_PAGE_SIZE)
        if size not in (512, 1024, 2048, 4096, 8192, 16384, 32768, 65536):
            raise ProfileDamaged(f"profile.json: page size {size!r} is not one SQLite has")
        return size


def commune_name(code: str) -> tuple[str, str]:
    """(commune name, province name) of a 5-character ward code from ``vietnam-provinces``."""
    from vietnam_provinces import Province, Ward

    if len(code) != 5 or not code.isdigit():
        raise UnknownCommune(f"{code!r}: a commune code has 5 digits", commune=code)
    ward = next((w for w in Ward.iter_all() if int(w.code) == int(code)), None)
    if ward is None:
        raise UnknownCommune(code, commune=code)
    province = next(p for p in Province.iter_all() if int(p.code) == int(ward.province_code))
    return ward.name, province.name


def create_profile(root: Path, passphrase: str | None, commune_code: str,
                   unit_id: str | None = None, user_name: str | None = None,
                   clock: Clock | None = None) -> Store:
    """Make a new profile: data key, wrapped copy, keychain copy, database, reference data."""
    paths = ProfilePaths(root)
    if paths.exists():
        raise ProfileExists(str(root), profile=str(root))
    if not passphrase:
        raise PassphraseRequired("a new profile needs a passphrase")
    name, province = commune_name(commune_code)
    unit = check_unit_id(unit_id) if unit_id else commune_code
    root.mkdir(parents=True, exist_ok=True)
    os.chmod(root, 0o700)
    profile_id = str(uuid.uuid4())
    data_key = keys.new_data_key()
    keys.write_wrapped_key(paths.key_file, keys.wrap_key(data_key, passphrase, profile_id))
    keys.keychain_put(profile_id, data_key)
    store = store_for(paths, data_key, clock or Clock())
    store.install_catalogue(Catalogue.load())
    store.install_calendar(WorkCalendar.load())
    for key, value in {
        "commune.code": commune_code, "commune.name": name, "commune.province": province,
        "commune.unit_id": unit, "user.name": user_name or "",
    }.items():
        store.set_setting(key, value)
    # Written last: a profile whose creation was cut short is not mistaken for a usable one.
    meta = {"profile_id": profile_id, "format": PROFILE_FORMAT, "page_size": PAGE_SIZE}
    paths.meta.write_text(json.dumps(meta) + "\n", encoding="utf-8")
    return store


def data_key_for(paths: ProfilePaths, passphrase: str | None) -> bytes:
    """The profile's data key: from the keychain if it holds it, else from the passphrase."""
    profile_id = paths.profile_id()
    from_keychain = keys.keychain_get(profile_id)
    if from_keychain is not None:
        return from_keychain
    if not passphrase:
        raise PassphraseRequired("no keychain holds this profile's key")
    data_key = keys.unwrap_key(keys.read_wrapped_key(paths.key_file), passphrase)
    keys.keychain_put(profile_id, data_key)  # next start is quick where a keychain exists
    return data_key


def open_profile(root: Path, passphrase: str | None = None,
                 clock: Clock | None = None) -> Store:
    """Open an existing profile and bring its schema up to date."""
    paths = ProfilePaths(root)
    paths.check_format()  # before the passphrase's slow key derivation
    data_key = data_key_for(paths, passphrase)
    try:
        return store_for(paths, data_key, clock or Clock())
    except WrongPassphrase:
        # A stale keychain entry (e.g. a profile restored from backup): try the passphrase.
        if not passphrase:
            raise
        keys.keychain_forget(paths.profile_id())
        data_key = keys.unwrap_key(keys.read_wrapped_key(paths.key_file), passphrase)
        return store_for(paths, data_key, clock or Clock())


def change_passphrase(root: Path, old: str | None, new: str) -> None:
    """Re-wrap the data key under a new passphrase (the database is not re-encrypted)."""
    paths = ProfilePaths(root)
    data_key = data_key_for(paths, old)
    keys.write_wrapped_key(paths.key_file, keys.wrap_key(data_key, new, paths.profile_id()))


def store_for(paths: ProfilePaths, data_key: bytes, clock: Clock,
              notices: ChangeNotices | None = None) -> Store:
    """A store on a new connection; a machine clock is corrected by the offset measured at the
    last server contact (codes and due times use the server's time)."""
    paths.check_format()
    db = connect(paths.database, data_key, paths.page_size())
    try:
        upgrade(db)
    except BaseException:
        db.close()
        raise
    offset = db.execute("SELECT value FROM sync_meta WHERE key = 'clock_offset'").fetchone()
    if offset is not None:
        clock.offset = timedelta(seconds=float(offset[0]))
    store = Store(db, BlobStore(paths.blobs, keys.blob_key(data_key)), clock, notices=notices)
    _sweep_secret_files(store)
    return store


SECRET_FILES_SWEPT = "documents.secret_files_swept"


def _sweep_secret_files(store: Store) -> None:
    """Once a profile: remove the files of secret documents' attachments that versions before
    27 November 2026 kept (a document made secret on another machine, or by a settled
    conflict, kept its scans here). Since then a secret document never gets a file on this
    machine (``documents.drop_secret_files`` at each pull), so one sweep is enough."""
    if store.setting(SECRET_FILES_SWEPT) is None:
        from app import documents  # app.documents imports the store; the store not it

        documents.drop_secret_files(store, None)
        store.set_setting(SECRET_FILES_SWEPT, "1")
