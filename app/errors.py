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


class ProfileTooNew(DomainError):
    """A newer version made or upgraded the profile: this one does not open it, since what it
    would write could break what that version relies on."""

    code = "profile_too_new"


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


class MalformedLine(DomainError):
    """An import line that is not JSON."""

    code = "malformed_json"


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


# ---------------------------------------------------------------------- correspondence


class UnknownDocument(DomainError):
    """No incoming or outgoing document has this id (or symbol)."""

    code = "unknown_document"


class AmbiguousDocument(DomainError):
    """The digits given start or end the ids of more than one document."""

    code = "ambiguous_document"


class NotLeaseHolder(DomainError):
    """Only the device holding the register's lease gives its numbers (invariant 8).

    params: ``kind``, ``series``, and the holder as this machine last heard of it:
    ``holder_device_id``, ``holder_device_name``, ``holder_user`` (all None: nobody holds it)."""

    code = "not_lease_holder"


class DocumentState(DomainError):
    """The action does not apply to the document in its state (issue a void document, void a
    draft, direct a finished one). params: ``status``, ``action``."""

    code = "document_state"


class SecretDocument(DomainError):
    """A secret document keeps metadata only on this machine: no attachment (DOMAIN.md)."""

    code = "secret_metadata_only"


class SecretWithAttachments(SecretDocument):
    """A document with attachments on this machine cannot become secret: a person removes the
    attachments first (nothing is deleted silently). params: ``document``, ``secrecy`` (the
    level asked for), ``attachments`` (how many the document has)."""

    code = "secret_has_attachments"


class PossibleDuplicate(DomainError):
    """An incoming document with the same number and symbol from the same issuing body is
    already in the register. params: ``number_symbol``, ``author``, ``existing_id``,
    ``existing`` (its arrival number and date, or "unnumbered")."""

    code = "possible_duplicate"


class UnsyncedNumbers(DomainError):
    """A lease cannot be released while numbered documents of its series are not on the
    server (pending, in error or in conflict). params: ``kind``, ``series``, ``count``."""

    code = "lease_unsynced"


class UnknownAttachment(DomainError):
    """The document has no attachment with this id, start or end of id, or file name.
    params: ``document`` (its id), ``attachment`` (the name given)."""

    code = "unknown_attachment"


class AmbiguousAttachment(DomainError):
    """Several attachments of the document fit the name given (digits that start or end
    several ids, or a file name attached twice). params: ``document``, ``attachment``,
    ``count``."""

    code = "ambiguous_attachment"
