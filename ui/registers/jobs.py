"""What the register screens run on the workers: reading a document with everything its detail
shows, previewing the number an issue would give, registering with attachments, edXML in and
out, writing a register to PDF or Excel, and the lease calls.

Plain functions of a ``Store`` (and files, and the network for the lease calls): the screens hand
them to ``desk.tasks.db`` (database and files) or ``desk.tasks.net`` (the server). No widget, no
user-facing text here: results are data, refusals are app/'s typed errors.
Threading: whichever worker runs them, with that worker's store.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from app import documents as docs
from app import edxml, leases, register_export
from app import registers as reg
from app import staff as app_staff
from app.errors import DomainError
from app.files import write_private_file
from app.intake import PreparedAttachment
from app.store import Store
from ui.printing import commune_in_text

# ------------------------------------------------------------------ one document


@dataclass(frozen=True)
class DocumentView:
    """Everything the detail screen and its dialogs show of one document, read in one job."""

    document_id: str
    kind: str
    record: dict[str, Any]
    events: list[dict[str, Any]]
    attachments: list[dict[str, Any]]  # + "local": whether this machine holds the bytes
    actions: list[str]
    staff: list[dict[str, Any]]
    lease: leases.Lease  # the lease of the document's kind and series
    linked: dict[str, Any] | None  # the reply (incoming) or the answered document (outgoing)

    @property
    def status(self) -> str:
        return self.record["status"]

    @property
    def series(self) -> str:
        return self.record["series"]

    @property
    def secret(self) -> bool:
        return (self.record.get("secrecy") or "none") != "none"

    @property
    def label(self) -> str:
        """The arrival number or the symbol, or "" while it has none."""
        return self.record.get("label") or ""

    def staff_name(self, username: str | None) -> str:
        if not username:
            return ""
        for person in self.staff:
            if person["username"] == username:
                return f"{person.get('display_name') or username} ({username})"
        return username


def load_document(store: Store, document_id: str, role: str, *, log: bool) -> DocumentView:
    """On the database worker: the whole view of one document; ``log`` notes the access."""
    kind, row = docs.resolve(store, document_id)
    if log:
        store.log_access(f"view_{kind}_document", row["id"])
    record = docs.get(store, row["id"], kind)
    attachments = [{**a, "local": store.blobs.has(a["sha256"])}
                   for a in docs.attachments(store, row["id"])]
    other = record.get("reply_id") if kind == reg.INCOMING else record.get("answers_id")
    linked = None
    if other:
        try:
            linked = docs.get(store, other, reg.OUTGOING if kind == reg.INCOMING
                              else reg.INCOMING)
        except DomainError:
            linked = None  # not on this machine yet (the next sync brings it)
    return DocumentView(
        document_id=row["id"], kind=kind, record=record, events=docs.events(store, row["id"]),
        attachments=attachments, actions=docs.allowed_actions(store, row["id"], role),
        staff=app_staff.staff(store), lease=leases.holder_of(store, kind, record["series"]),
        linked=linked)


# ------------------------------------------------------------------ numbers


@dataclass(frozen=True)
class NumberPreview:
    """The number an issue (or an arrival's numbering) would give now, and its register."""

    kind: str
    record: dict[str, Any]
    lease: leases.Lease
    year: int
    series: str
    number: int | None  # None: this machine does not hold the lease
    symbol: str | None  # outgoing: the number and symbol as printed ("15/QĐ-UBND")


def preview_number(store: Store, document_id: str) -> NumberPreview:
    """What ``documents.issue`` (outgoing) or ``documents.number_incoming`` would give now.
    Read only; the number given may still differ if another number is given in between (the
    dialog compares)."""
    kind, row = docs.resolve(store, document_id)
    record = docs.get(store, row["id"], kind)
    series = record["series"]
    lease = leases.holder_of(store, kind, series)
    year = reg.register_year(store.clock.now())
    if not lease.mine:
        return NumberPreview(kind, record, lease, year, series, None, None)
    number = docs.next_number(store, kind, year, series, lease)
    symbol = None
    if kind == reg.OUTGOING:
        symbol = reg.symbol(number, record["doc_type"], record["issuer"] or docs.DEFAULT_ISSUER,
                            record.get("drafting_unit"))
    return NumberPreview(kind, record, lease, year, series, number, symbol)


# ------------------------------------------------------------------ registering


@dataclass(frozen=True)
class Saved:
    """A document written, with the attachments that could not be stored (file name, error)."""

    record: dict[str, Any]
    numbered: bool = True
    lease: leases.Lease | None = None
    refused: list[tuple[str, BaseException]] = field(default_factory=list)


def _attach_all(store: Store, document_id: str, files: Sequence[PreparedAttachment]
                ) -> list[tuple[str, BaseException]]:
    refused: list[tuple[str, BaseException]] = []
    for item in files:
        try:
            docs.add_attachment(store, document_id, item.data, item.file_name, item.media_type)
        except (DomainError, OSError) as error:
            refused.append((item.file_name, error))
    return refused


def register_incoming(store: Store, fields: dict[str, Any], files: Sequence[PreparedAttachment],
                      *, allow_duplicate: bool) -> Saved:
    """Register an arrival (numbered if this machine holds the lease), then its attachments.
    A possible duplicate raises ``PossibleDuplicate`` unless ``allow_duplicate``."""
    done = docs.register_incoming(store, fields, allow_duplicate=allow_duplicate)
    refused = _attach_all(store, done.record["id"], files)
    record = docs.get(store, done.record["id"], reg.INCOMING) if files else done.record
    return Saved(record, done.numbered, done.lease, refused)


def update_incoming(store: Store, document_id: str, values: dict[str, Any],
                    files: Sequence[PreparedAttachment]) -> Saved:
    record = docs.update_incoming(store, document_id, values)
    return Saved(record, refused=_attach_all(store, record["id"], files))


def draft_outgoing(store: Store, fields: dict[str, Any], files: Sequence[PreparedAttachment]
                   ) -> Saved:
    record = docs.draft_outgoing(store, fields)
    return Saved(record, refused=_attach_all(store, record["id"], files))


def update_draft(store: Store, document_id: str, values: dict[str, Any],
                 files: Sequence[PreparedAttachment]) -> Saved:
    record = docs.update_draft(store, document_id, values)
    return Saved(record, refused=_attach_all(store, record["id"], files))


def attach(store: Store, document_id: str, files: Sequence[PreparedAttachment]) -> Saved:
    refused = _attach_all(store, document_id, files)
    return Saved(docs.get(store, document_id), refused=refused)


def link_choices(store: Store, kind: str, limit: int = 500) -> list[dict[str, Any]]:
    """The documents a document of ``kind`` may be linked to (newest first): for an incoming
    one, outgoing drafts and issued documents; for an outgoing one, incoming documents."""
    if kind == reg.INCOMING:
        flt = docs.RegisterFilter(statuses=("draft", "issued"))
        total = docs.count(store, reg.OUTGOING, flt)
        found = docs.list_outgoing(store, flt, limit=limit, offset=max(total - limit, 0))
    else:
        total = docs.count(store, reg.INCOMING)
        found = docs.list_incoming(store, None, limit=limit, offset=max(total - limit, 0))
    return list(reversed(found))


# ------------------------------------------------------------------ edXML


def read_package(path: Path, now: Any) -> edxml.ImportedDocument:
    """Read an edXML package file (size-limited) into an incoming record and its files."""
    with path.open("rb") as handle:
        data = handle.read(edxml.MAX_PACKAGE_BYTES + 1)
    return edxml.import_package(data, now=now)


class BlobMissing(DomainError):
    """An attachment whose bytes this machine has not downloaded yet."""

    code = "blob_missing"


def commune_of(store: Store) -> dict[str, Any]:
    return {"name": store.setting("commune.name"), "province": store.setting("commune.province"),
            "code": store.setting("commune.code")}


def organ_of(store: Store) -> tuple[str, str]:
    """(organ id, organ name) of this commune in the exchange: the setting ``edxml.organ_id``,
    else the unit id the server gave, else the commune code; the committee's name as written
    in a document (``Ủy ban nhân dân xã Minh Châu``)."""
    commune = commune_of(store)
    organ_id = (store.setting(edxml.ORGAN_ID_SETTING) or store.setting("commune.unit_id")
                or commune["code"] or "")
    name = commune_in_text(commune["name"] or "")
    if not name.startswith(("xã ", "phường ", "đặc khu ", "thị trấn ")):
        name = f"xã {name}"
    return organ_id, f"Ủy ban nhân dân {name}"


def export_package(store: Store, document_id: str, path: Path) -> Path:
    """Write the edXML package of an issued outgoing document, with its attachments."""
    record = docs.get(store, document_id, reg.OUTGOING)
    files = []
    for attachment in docs.attachments(store, record["id"]):
        if not store.blobs.has(attachment["sha256"]):
            raise BlobMissing(attachment["file_name"], file_name=attachment["file_name"])
        files.append((attachment["file_name"], attachment["media_type"],
                      store.blobs.get(attachment["sha256"])))
    organ_id, organ_name = organ_of(store)
    data = edxml.export_outgoing(record, files, organ_id=organ_id, organ_name=organ_name,
                                 to_places=record.get("recipients") or [],
                                 now=store.clock.now())
    write_private_file(path, data)
    store.log_access("export_edxml", record["id"])
    return path


# ------------------------------------------------------------------ printing a register


def export_register(store: Store, kind: str, series: str, date_from: date, date_to: date,
                    fmt: str, path: Path) -> Path:
    """Write the ``kind`` register ("incoming", "outgoing", "followup") of one series for a
    date range (one year) as PDF or Excel, as ``communedesk register export`` does."""
    if date_from.year != date_to.year:
        raise register_export.RegisterExportError("register_one_year")
    flt = docs.RegisterFilter(year=date_from.year, series=series, date_from=date_from,
                              date_to=date_to, numbered_only=True)
    records = (docs.list_outgoing(store, flt) if kind == "outgoing"
               else docs.list_incoming(store, flt))
    replies: dict[str, str] = {}
    if kind == "followup":
        wanted = {r["reply_id"] for r in records if r.get("reply_id")}
        for reply_id in wanted:
            try:
                reply = docs.get(store, reply_id, reg.OUTGOING)
            except DomainError:
                continue
            if reply.get("symbol"):
                replies[reply_id] = reply["symbol"]
    register_export.export_register(
        kind, records, fmt=fmt, path=path, commune=commune_of(store),  # type: ignore[arg-type]
        year=date_from.year, date_from=date_from, date_to=date_to, replies=replies)
    store.log_access(f"register_export:{kind}", None)
    return path


# ------------------------------------------------------------------ leases (network worker)


@dataclass(frozen=True)
class Device:
    device_id: str
    name: str
    this_machine: bool = False


def transfer_targets(store: Store, root: Path) -> list[Device]:
    """Devices a lease may be transferred to, as far as this machine knows them: this machine,
    the holders of the leases, and the devices named in the commune's lease log (asked of the
    server; skipped when it cannot answer). The server has no list of the commune's devices
    for clients yet."""
    from app.syncing import transport_for

    me = leases.this_device(store)
    known: dict[str, str] = {}
    for lease in leases.lease_status(store):
        if lease.holder_device_id:
            known[lease.holder_device_id] = lease.holder_device_name or lease.holder_device_id
    try:
        transport = transport_for(store, root)
        try:
            for entry in transport.lease_log(limit=100):
                for prefix in ("from", "to"):
                    device = entry.get(f"{prefix}_device_id")
                    if isinstance(device, str) and device:
                        known.setdefault(device, str(entry.get(f"{prefix}_device_name")
                                                     or device))
        finally:
            transport.close()
    except Exception:  # noqa: BLE001 - the list is a help; the transfer itself is checked
        pass
    devices = [Device(me, known.pop(me, ""), this_machine=True)]
    devices += [Device(i, n) for i, n in sorted(known.items(), key=lambda p: p[1].lower())]
    return devices
