"""Typed domain errors of the application core.

Every error carries a stable ``code`` (snake_case) and ``params``; app/ never returns user-facing
text. The CLI prints the code with the params, the UI translates the code.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Base class of every error app/ raises on purpose."""

    code = "domain_error"

    def __init__(self, detail: str = "", **params: Any) -> None:
        self.params = params
        self.detail = detail
        super().__init__(f"{self.code}: {detail}" if detail else self.code)


class ProfileMissing(DomainError):
    code = "profile_missing"


class ProfileExists(DomainError):
    code = "profile_exists"


class PassphraseRequired(DomainError):
    code = "passphrase_required"


class WrongPassphrase(DomainError):
    code = "wrong_passphrase"


class ProfileDamaged(DomainError):
    code = "profile_damaged"


class UnknownCommune(DomainError):
    code = "unknown_commune"


class UnknownDossier(DomainError):
    code = "unknown_dossier"


class IllegalTransition(DomainError):
    code = "illegal_transition"


class InvalidField(DomainError):
    code = "invalid_field"


class InvalidRecord(DomainError):
    code = "invalid_record"


class DuplicateCode(DomainError):
    code = "duplicate_code"


class SlotExhausted(DomainError):
    code = "slot_exhausted"


class RoleNotAllowed(DomainError):
    """The signed-in role may not perform this dossier action (app/actions.py, docs/roles.md)."""

    code = "role_not_allowed"


class VerificationNotAllowed(DomainError):
    """Rule 5: the dossier's procedure version allows no extension for verification."""

    code = "verification_not_allowed"


class VerificationLimit(DomainError):
    """Rule 5: the extension would pass the procedure's maximum of extra working days."""

    code = "verification_limit"


class DuePassed(DomainError):
    """Rule 7: an apology and extension must be made before the current due time passes."""

    code = "due_passed"


class ApologyLimit(DomainError):
    """Rule 7: the dossier already had as many apologies as the setting allows."""

    code = "apology_limit"
