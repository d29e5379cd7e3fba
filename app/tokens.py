"""Where a profile keeps its device's sign-in tokens.

In the OS keychain (``keyring``) when there is one; otherwise in the profile's own encrypted
database (``sync_meta``), so a machine with no keychain still syncs and the tokens are never in
a plain file, a setting or a log. Implements ``sync.transport.TokenStore``.
"""

from __future__ import annotations

import json
import logging

import keyring
import keyring.errors

from app.db import transaction
from app.store import Store
from sync.transport import Tokens

SERVICE = "communedesk-tokens"
log = logging.getLogger(__name__)


class ProfileTokens:
    def __init__(self, store: Store, profile_id: str) -> None:
        self.store, self.profile_id = store, profile_id

    def load_tokens(self) -> Tokens | None:
        try:
            text = keyring.get_password(SERVICE, self.profile_id)
        except keyring.errors.KeyringError:
            text = None
        if text is None:
            row = self.store.db.execute(
                "SELECT value FROM sync_meta WHERE key = 'tokens'").fetchone()
            text = row[0] if row else None
        if not text:
            return None
        data = json.loads(text)
        return Tokens(data["access"], data["refresh"])

    def save_tokens(self, tokens: Tokens) -> None:
        text = json.dumps({"access": tokens.access, "refresh": tokens.refresh})
        try:
            keyring.set_password(SERVICE, self.profile_id, text)
            # A keychain that accepts a secret and keeps nothing (keyring's null backend)
            # would sign the device out at the next start: check it was kept.
            kept = keyring.get_password(SERVICE, self.profile_id) == text
        except keyring.errors.KeyringError as error:
            log.info("no keychain (%s): tokens kept in the encrypted profile",
                     type(error).__name__)
            kept = False
        self._set_local(None if kept else text)

    def clear_tokens(self) -> None:
        try:
            keyring.delete_password(SERVICE, self.profile_id)
        except keyring.errors.KeyringError:
            pass
        self._set_local(None)

    def _set_local(self, text: str | None) -> None:
        with transaction(self.store.db):
            if text is None:
                self.store.db.execute("DELETE FROM sync_meta WHERE key = 'tokens'")
            else:
                self.store.db.execute(
                    "INSERT INTO sync_meta(key, value) VALUES ('tokens', ?) "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value", [text])
