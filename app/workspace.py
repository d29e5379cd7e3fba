"""An open profile: its folder, its data key in memory, and the change notices of its stores.

The desktop app opens a profile once (keychain or passphrase) and then needs one ``Store`` per
thread: its database worker and its network worker each open their own connection with
``open_store`` (a SQLite connection belongs to the thread that made it; WAL lets them read while
the other writes). Every store of a workspace shares one ``ChangeNotices``, so a change made on
either thread reaches the views. Threading: ``open_store`` may be called from any thread; the
store it returns belongs to that thread.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from app import keys
from app.clock import Clock
from app.db import connect
from app.errors import WrongPassphrase
from app.notices import ChangeNotices
from app.profile import ProfilePaths, data_key_for, store_for
from app.store import Store


@dataclass
class Workspace:
    root: Path
    data_key: bytes = field(repr=False)
    clock: Clock = field(default_factory=Clock)
    notices: ChangeNotices = field(default_factory=ChangeNotices)

    @classmethod
    def open(cls, root: Path, passphrase: str | None = None,
             clock: Clock | None = None) -> Workspace:
        """Unlock the profile at ``root`` (keychain first, then ``passphrase``) and bring its
        schema up to date; ``WrongPassphrase`` or ``PassphraseRequired`` when it cannot."""
        paths = ProfilePaths(root)
        paths.check_format()  # before the passphrase's slow key derivation
        data_key = data_key_for(paths, passphrase)
        try:
            connect(paths.database, data_key, paths.page_size()).close()
        except WrongPassphrase:
            if not passphrase:
                raise
            keys.keychain_forget(paths.profile_id())  # a stale keychain entry
            data_key = keys.unwrap_key(keys.read_wrapped_key(paths.key_file), passphrase)
        workspace = cls(root, data_key, clock or Clock())
        workspace.open_store().db.close()  # upgrades the schema once, before any worker reads
        return workspace

    @property
    def paths(self) -> ProfilePaths:
        return ProfilePaths(self.root)

    def open_store(self) -> Store:
        """A new store on its own connection, for the calling thread."""
        return store_for(self.paths, self.data_key, self.clock, self.notices)

    def check_passphrase(self, passphrase: str) -> bool:
        """True when ``passphrase`` unwraps this profile's key (the lock screen asks this)."""
        try:
            return keys.unwrap_key(keys.read_wrapped_key(self.paths.key_file),
                                   passphrase) == self.data_key
        except WrongPassphrase:
            return False
