"""edXML packages (QCVN 102:2016/BTTTT): export an issued outgoing document, import one received.

The national standard for exchanging documents between agencies' document systems is an XML
package in the namespace ``http://www.mic.gov.vn/TBT/QCVN_102_2016``:

    edXML
      edXMLEnvelope
        edXMLHeader
          MessageHeader    From, To…, Code, PromulgationInfo, DocumentType, Subject, Content,
                           SignerInfo, DueDate?, ToPlaces, OtherInfo (Priority, …),
                           SteeringType?, DocumentId
          TraceHeaderList  TraceHeader (OrganId, Timestamp), Bussiness (sic)
        edXMLBody
          edXMLManifest    Reference… (xlink:href="cid:…")
      AttachmentEncoded
        Attachment…        ContentId, AttachmentName, ContentType, Description,
                           ContentTransferEncoded (base64)

Status packages (received, rejected, accepted, assigned, processing, finished, recalled) carry a
``Status`` element with ResponseFor, From, StatusCode, Description, Timestamp and StaffInfo.
docs/exchange.md has the field mapping, what each element name was checked against, and what
could not be verified.

Reading is done with defusedxml: no DTD, no entity, no external reference, and a size limit
before parsing, so a hostile package (billion laughs, XXE) is refused with ``edxml_unsafe``
instead of being expanded. Writing uses xml.etree.ElementTree (UTF-8 with a declaration).

Pure functions, no Qt, no database: the CLI and the desktop app call them and register the result.
"""

from __future__ import annotations

import base64
import binascii
import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import defusedxml
import defusedxml.ElementTree as SafeET

from app.errors import DomainError
from app.textnorm import fold, nfc

NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
XLINK_NS = "http://www.w3.org/1999/xlink"
VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

# A package bigger than this is refused before it is parsed (attachments are inline, base64).
MAX_PACKAGE_BYTES = 100 * 1024 * 1024
ORGAN_ID_SETTING = "edxml.organ_id"  # this commune's identifier in the exchange, when set
_ORGAN_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9.\-]{0,63}")
MAX_ATTACHMENTS = 500

ET.register_namespace("edXML", NS)
ET.register_namespace("xlink", XLINK_NS)

# Record urgency <-> OtherInfo/Priority: 0 Thường, 1 Khẩn, 2 Thượng khẩn, 3 Hỏa tốc,
# 4 Hỏa tốc hẹn giờ (read as flash; CommuneDesk has no "at a set hour" level).
PRIORITY_OF_URGENCY = {"normal": 0, "urgent": 1, "very_urgent": 2, "flash": 3}
URGENCY_OF_PRIORITY = {0: "normal", 1: "urgent", 2: "very_urgent", 3: "flash", 4: "flash"}
_URGENCY_OF_LABEL = {"thuong": "normal", "khan": "urgent", "thuong khan": "very_urgent",
                     "hoa toc": "flash", "hoa toc hen gio": "flash"}

# Status codes of a status package (the meaning in Vietnamese as the status is described).
STATUS_CODES = {
    "01": "Đã đến",
    "02": "Từ chối tiếp nhận",
    "03": "Đã tiếp nhận",
    "04": "Phân công xử lý",
    "05": "Đang xử lý",
    "06": "Đã xử lý xong",
    "13": "Thu hồi",
    "15": "Đồng ý thu hồi/cập nhật",
    "16": "Từ chối thu hồi/cập nhật",
}
STATUS_NAMES = {"received": "01", "rejected": "02", "accepted": "03", "assigned": "04",
                "processing": "05", "finished": "06", "recalled": "13"}

# Decree 30/2020 document types (Appendix III abbreviations) and their names, used for
# DocumentType/TypeName. CV is CommuneDesk's code for a công văn (it has no abbreviation).
DOCUMENT_TYPES = {
    "NQ": "Nghị quyết",
    "QĐ": "Quyết định",
    "CT": "Chỉ thị",
    "QC": "Quy chế",
    "QyĐ": "Quy định",
    "TC": "Thông cáo",
    "TB": "Thông báo",
    "HD": "Hướng dẫn",
    "CTr": "Chương trình",
    "KH": "Kế hoạch",
    "PA": "Phương án",
    "ĐA": "Đề án",
    "DA": "Dự án",
    "BC": "Báo cáo",
    "BB": "Biên bản",
    "TTr": "Tờ trình",
    "HĐ": "Hợp đồng",
    "CĐ": "Công điện",
    "BGN": "Bản ghi nhớ",
    "BTT": "Bản thỏa thuận",
    "GUQ": "Giấy ủy quyền",
    "GM": "Giấy mời",
    "GGT": "Giấy giới thiệu",
    "GNP": "Giấy nghỉ phép",
    "PG": "Phiếu gửi",
    "PC": "Phiếu chuyển",
    "PB": "Phiếu báo",
    "CV": "Công văn",
}
_TYPE_OF_FOLDED_NAME = {fold(name): code for code, name in DOCUMENT_TYPES.items()}
# DocumentType/Type: the kind of document. Every Decree 30 document a commune issues is an
# administrative document (văn bản hành chính); see docs/exchange.md for what is unverified.
ADMINISTRATIVE_DOCUMENT_TYPE = "1"

# Maximum lengths of the incoming_document record (resources/schemas).
_MAX = {"author": 300, "number_symbol": 100, "summary": 2000, "notes": 5000, "doc_type": 10}
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class EdxmlError(DomainError):
    """A package that cannot be made or read. ``code`` says why:

    ``edxml_too_large``, ``edxml_unsafe`` (DTD, entities, external references),
    ``edxml_malformed`` (not XML, not edXML, or a required element missing),
    ``edxml_bad_attachment`` (content that is not base64), ``edxml_unknown_status``,
    ``edxml_not_issued`` (export of a draft or void document), ``edxml_secret`` (a secret
    document is never sent as edXML), ``edxml_missing_field`` (export without a signer).
    """

    code = "edxml_error"

    def __init__(self, code: str, detail: str = "", **params: Any) -> None:
        self.code = code
        super().__init__(detail, **params)


@dataclass(frozen=True)
class Organ:
    organ_id: str
    organ_name: str


@dataclass(frozen=True)
class SignerInfo:
    full_name: str
    position: str | None = None
    competence: str | None = None


@dataclass(frozen=True)
class ImportedAttachment:
    name: str
    media_type: str
    data: bytes
    content_id: str = ""
    description: str = ""


@dataclass
class ImportedDocument:
    """A received package: ``record`` is an incoming_document (without id or arrival number: the
    register gives those), the rest is what the package said beyond the register's fields."""

    record: dict[str, Any]
    attachments: list[ImportedAttachment]
    document_id: str | None
    organ: Organ
    to: list[Organ]
    to_places: list[str]
    code_number: str | None
    code_notation: str | None
    promulgation_place: str | None
    promulgation_date: date | None
    type_name: str | None
    subject: str
    signer: SignerInfo | None
    due_date: date | None
    priority: int | None
    steering_type: str | None
    copies: int | None
    trace: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class StatusPackage:
    document_id: str
    status_code: str
    status_text: str
    organ: Organ
    description: str
    timestamp: datetime | None
    staff: str | None
    department: str | None
    response_for_organ_id: str | None
    response_for_code: str | None
    response_for_date: date | None


# ---------------------------------------------------------------------------------------------
# Export


def export_outgoing(record: dict[str, Any], attachments: Sequence[tuple[str, str, bytes]], *,
                    organ_id: str, organ_name: str, to_places: Sequence[str],
                    to_organs: Sequence[tuple[str, str]] | None = None,
                    place: str | None = None,
                    signer_position: str | None = None,
                    signer_competence: str | None = None,
                    due_date: date | None = None,
                    steering_type: int | None = None,
                    organ_in_charge: str | None = None,
                    now: datetime | None = None) -> bytes:
    """The edXML package of an issued outgoing document, with ``attachments`` as
    ``(file name, media type, bytes)``.

    ``organ_id`` is the sender's identifier in the exchange (mã định danh), ``to_places`` the
    "Nơi nhận" lines (ToPlaces; the record's recipients when empty). There is one ``To`` per
    ``to_organs`` entry ``(organ id, name)``, or, without them, one per recipient of the record
    with an empty OrganId (the exchange platform resolves the name). ``now`` (timezone-aware,
    default the system clock) stamps the trace header. Drafts and void documents are refused
    (``edxml_not_issued``), and so is any secret document (``edxml_secret``).
    """
    if record.get("status", "draft") != "issued":
        raise EdxmlError("edxml_not_issued", f"status {record.get('status', 'draft')!r}")
    if record.get("secrecy", "none") != "none" or record.get("series") == "secret":
        raise EdxmlError("edxml_secret", "secret documents are not exchanged as edXML")
    issued_at = record.get("issued_at")
    if not issued_at:
        raise EdxmlError("edxml_not_issued", "no issued_at")
    signer = _clean(record.get("signer"))
    if not signer:
        raise EdxmlError("edxml_missing_field", "signer", field="signer")
    code_number, code_notation, number_symbol = outgoing_code(record)
    promulgated = _local_date(issued_at)
    document_id = make_document_id(organ_id, promulgated, number_symbol)
    stamp = (now or datetime.now(VN_TZ)).astimezone(VN_TZ)
    recipients = [_clean(r) for r in record.get("recipients") or [] if _clean(r)]
    places = [_clean(p) for p in to_places if _clean(p)] or recipients
    organs = ([(_clean(i), _clean(n)) for i, n in to_organs] if to_organs is not None
              else [("", r) for r in recipients])

    root = _el("edXML")
    envelope = _sub(root, "edXMLEnvelope")
    header = _sub(envelope, "edXMLHeader")
    message = _sub(header, "MessageHeader")
    _organ(message, "From", organ_id, organ_name, organ_in_charge)
    for to_id, to_name in organs:
        _organ(message, "To", to_id, to_name, None)
    code = _sub(message, "Code")
    _sub(code, "CodeNumber", code_number)
    _sub(code, "CodeNotation", code_notation)
    promulgation = _sub(message, "PromulgationInfo")
    _sub(promulgation, "Place", place if place is not None else organ_name)
    _sub(promulgation, "PromulgationDate", _edxml_date(promulgated))
    doc_type = _sub(message, "DocumentType")
    _sub(doc_type, "Type", ADMINISTRATIVE_DOCUMENT_TYPE)
    type_code = record.get("doc_type") or "CV"
    _sub(doc_type, "TypeName", DOCUMENT_TYPES.get(type_code, type_code))
    _sub(message, "Subject", record["summary"])
    _sub(message, "Content", record["summary"])
    signer_info = _sub(message, "SignerInfo")
    if signer_competence:
        _sub(signer_info, "Competence", signer_competence)
    if signer_position:
        _sub(signer_info, "Position", signer_position)
    _sub(signer_info, "FullName", signer)
    if due_date is not None:
        _sub(message, "DueDate", _edxml_date(due_date))
    to_places_el = _sub(message, "ToPlaces")
    for item in places:
        _sub(to_places_el, "Place", item)
    other = _sub(message, "OtherInfo")
    _sub(other, "Priority", str(PRIORITY_OF_URGENCY.get(record.get("urgency") or "normal", 0)))
    _sub(other, "PromulgationAmount", str(int(record.get("copies") or 1)))
    if steering_type is not None:
        _sub(message, "SteeringType", str(int(steering_type)))
    _sub(message, "DocumentId", document_id)
    trace_list = _sub(header, "TraceHeaderList")
    trace = _sub(trace_list, "TraceHeader")
    _sub(trace, "OrganId", organ_id)
    _sub(trace, "Timestamp", stamp.strftime("%Y/%m/%d %H:%M:%S"))
    business = _sub(trace_list, "Bussiness")  # sic: the standard's spelling
    _sub(business, "BussinessDocType", "0")  # 0: a new document
    _sub(business, "BussinessDocReason", "Văn bản điện tử mới")
    _sub(business, "Paper", "0")  # 0: no paper copy follows

    body = _sub(envelope, "edXMLBody")
    manifest = _sub(body, "edXMLManifest")
    manifest.set("version", "1.0")
    encoded = _sub(root, "AttachmentEncoded") if attachments else None
    for index, (name, media_type, data) in enumerate(attachments, start=1):
        content_id = str(uuid.uuid4())
        description = f"Tệp đính kèm {index}"
        reference = _sub(manifest, "Reference")
        reference.set(f"{{{XLINK_NS}}}href", f"cid:{content_id}")
        reference.set(f"{{{XLINK_NS}}}type", "simple")
        _sub(reference, "ContentId", content_id)
        _sub(reference, "ContentType", media_type or "application/octet-stream")
        _sub(reference, "AttachmentName", name)
        _sub(reference, "Description", description)
        attachment = _sub(encoded, "Attachment")
        _sub(attachment, "ContentId", content_id)
        _sub(attachment, "AttachmentName", name)
        _sub(attachment, "ContentType", media_type or "application/octet-stream")
        _sub(attachment, "Description", description)
        _sub(attachment, "ContentTransferEncoded", base64.b64encode(bytes(data)).decode("ascii"))
    return _serialise(root)


def status_package(document_id: str, status_code: str, *, organ_id: str, organ_name: str,
                   description: str = "", staff: str | None = None,
                   department: str | None = None, now: datetime | None = None) -> bytes:
    """A status package answering the document ``document_id`` (``OrganId,yyyy/MM/dd,number/
    symbol`` as received): ``status_code`` is "01" … "06", "13" (or a name from
    ``STATUS_NAMES``: received, rejected, accepted, assigned, processing, finished, recalled)."""
    code = STATUS_NAMES.get(status_code, status_code)
    if code not in STATUS_CODES:
        raise EdxmlError("edxml_unknown_status", status_code, status=status_code)
    stamp = (now or datetime.now(VN_TZ)).astimezone(VN_TZ)
    root = _el("edXML")
    header = _sub(_sub(root, "edXMLEnvelope"), "edXMLHeader")
    status = _sub(header, "Status")
    response_for = _sub(status, "ResponseFor")
    parts = document_id.split(",", 2)
    if len(parts) == 3:
        _sub(response_for, "OrganId", parts[0])
        _sub(response_for, "Code", parts[2])
        _sub(response_for, "PromulgationDate", parts[1])
    _sub(response_for, "DocumentId", document_id)
    _organ(status, "From", organ_id, organ_name, None)
    _sub(status, "StatusCode", code)
    _sub(status, "Description", description or STATUS_CODES[code])
    _sub(status, "Timestamp", stamp.strftime("%Y/%m/%d %H:%M:%S"))
    if staff or department:
        staff_info = _sub(status, "StaffInfo")
        _sub(staff_info, "Department", department or "")
        _sub(staff_info, "Staff", staff or "")
    return _serialise(root)


def outgoing_code(record: dict[str, Any]) -> tuple[str, str, str]:
    """(CodeNumber, CodeNotation, "number/symbol") of an outgoing record: ``15/QĐ-UBND`` gives
    ("15", "QĐ-UBND", "15/QĐ-UBND"); the number keeps its leading zero ("05")."""
    symbol = _clean(record.get("symbol"))
    number = record.get("number")
    if symbol and "/" in symbol:
        code_number, code_notation = symbol.split("/", 1)
        return code_number, code_notation, symbol
    if number is None:
        raise EdxmlError("edxml_not_issued", "no number")
    code_number = f"{int(number):02d}"
    return code_number, symbol, f"{code_number}/{symbol}" if symbol else code_number


def valid_organ_id(text: str) -> bool:
    """Whether ``text`` can be an organ identifier (mã định danh, ``000.00.12.H26``): letters,
    digits, dots and hyphens, at most 64 characters, starting with a letter or digit."""
    return _ORGAN_ID.fullmatch(text) is not None


def make_document_id(organ_id: str, promulgated: date, number_symbol: str) -> str:
    """``OrganId,yyyy/MM/dd,number/symbol``, the document's identifier in the exchange."""
    return f"{organ_id},{_edxml_date(promulgated)},{number_symbol}"


# ---------------------------------------------------------------------------------------------
# Import


def import_package(data: bytes, *, now: datetime | None = None,
                   max_bytes: int = MAX_PACKAGE_BYTES) -> ImportedDocument:
    """Read a received edXML package into an incoming_document record and its attachments.

    ``now`` (timezone-aware, default the system clock) is the arrival time. The record has
    source ``electronic``, author = From/OrganName, number_symbol = CodeNumber/CodeNotation,
    document_date = PromulgationDate, summary = Subject, urgency from Priority and the
    DocumentId in its notes. Text is returned in NFC. Over-long fields are cut to the record's
    limits, each cut noted in ``warnings``.
    """
    root = _parse(data, max_bytes)
    envelope = root if _local(root.tag) == "edXMLEnvelope" else _child(root, "edXMLEnvelope")
    if _local(root.tag) not in ("edXML", "edXMLEnvelope") or envelope is None:
        raise EdxmlError("edxml_malformed", "not an edXML package (no edXMLEnvelope)")
    header = _child(envelope, "edXMLHeader")
    message = _child(header, "MessageHeader") if header is not None else None
    if message is None:
        if header is not None and _child(header, "Status") is not None:
            raise EdxmlError("edxml_malformed", "a status package, not a document")
        raise EdxmlError("edxml_malformed", "no MessageHeader")
    warnings: list[str] = []

    sender = _read_organ(_child(message, "From"))
    if sender is None or not (sender.organ_name or sender.organ_id):
        raise EdxmlError("edxml_malformed", "no From/OrganName", element="From")
    subject = _text(message, "Subject") or _text(message, "Content")
    if not subject:
        raise EdxmlError("edxml_malformed", "no Subject", element="Subject")
    code_number = _text(message, "Code", "CodeNumber")
    code_notation = _text(message, "Code", "CodeNotation")
    number_symbol = "/".join(part for part in (code_number, code_notation) if part) or None
    promulgation_date = _parse_date(_text(message, "PromulgationInfo", "PromulgationDate"),
                                    "PromulgationDate", warnings)
    type_name = _text(message, "DocumentType", "TypeName")
    doc_type = _doc_type(type_name, code_notation)
    priority_text = _text(message, "OtherInfo", "Priority") or _text(message, "Priority")
    urgency, priority = _urgency(priority_text, warnings)
    signer_el = _child(message, "SignerInfo")
    signer = None
    if signer_el is not None and _text(signer_el, "FullName"):
        signer = SignerInfo(_text(signer_el, "FullName") or "",
                            _text(signer_el, "Position"), _text(signer_el, "Competence"))
    due_date = _parse_date(_text(message, "DueDate"), "DueDate", warnings)
    document_id = _text(message, "DocumentId")
    copies_text = _text(message, "OtherInfo", "PromulgationAmount")
    arrived = (now or datetime.now(VN_TZ)).astimezone(VN_TZ)

    notes = []
    if document_id:
        notes.append(f"edXML DocumentId: {document_id}")
    if type_name and doc_type not in DOCUMENT_TYPES:
        notes.append(f"Loại văn bản: {type_name}")
    if signer:
        notes.append("Người ký: " + " ".join(p for p in (signer.position, signer.full_name) if p))
    if due_date:
        notes.append(f"Hạn xử lý: {due_date:%d/%m/%Y}")
    if priority == 4:
        notes.append("Hỏa tốc hẹn giờ")
    record: dict[str, Any] = {
        "register_year": arrived.year,
        "series": "ordinary",
        "arrived_at": arrived.isoformat(timespec="seconds"),
        "author": _clip(sender.organ_name or sender.organ_id, "author", warnings),
        "number_symbol": _clip(number_symbol, "number_symbol", warnings),
        "document_date": promulgation_date.isoformat() if promulgation_date else None,
        "doc_type": doc_type,
        "summary": _clip(subject, "summary", warnings),
        "urgency": urgency,
        "secrecy": "none",
        "notes": _clip("\n".join(notes), "notes", warnings) or None,
        "source": "electronic",
        "status": "registered",
    }
    trace = []
    for item in _children(_child(header, "TraceHeaderList"), "TraceHeader"):
        trace.append((_text(item, "OrganId") or "", _text(item, "Timestamp") or ""))
    return ImportedDocument(
        record=record,
        attachments=_read_attachments(root, envelope),
        document_id=document_id,
        organ=sender,
        to=[o for o in (_read_organ(el) for el in _children(message, "To")) if o is not None],
        to_places=[t for t in (_norm(el.text) for el in
                               _children(_child(message, "ToPlaces"), "Place")) if t],
        code_number=code_number,
        code_notation=code_notation,
        promulgation_place=_text(message, "PromulgationInfo", "Place"),
        promulgation_date=promulgation_date,
        type_name=type_name,
        subject=subject,
        signer=signer,
        due_date=due_date,
        priority=priority,
        steering_type=_text(message, "SteeringType"),
        copies=int(copies_text) if copies_text and copies_text.isdigit() else None,
        trace=trace,
        warnings=warnings,
    )


def parse_status_package(data: bytes, *, max_bytes: int = MAX_PACKAGE_BYTES) -> StatusPackage:
    """Read a status package (see ``status_package``); its status must be a known code."""
    root = _parse(data, max_bytes)
    status = next((el for el in root.iter() if _local(el.tag) == "Status"), None)
    if status is None or _text(status, "StatusCode") is None:
        # Some systems put the status fields in a MessageHeader.
        status = next((el for el in root.iter() if _local(el.tag) == "MessageHeader"
                       and _child(el, "StatusCode") is not None), None)
    if status is None:
        raise EdxmlError("edxml_malformed", "no Status with a StatusCode")
    code = (_text(status, "StatusCode") or "").zfill(2)
    if code not in STATUS_CODES:
        raise EdxmlError("edxml_unknown_status", code, status=code)
    response_for = _child(status, "ResponseFor")
    document_id = _text(response_for, "DocumentId") if response_for is not None else None
    if not document_id:
        raise EdxmlError("edxml_malformed", "no ResponseFor/DocumentId")
    organ = _read_organ(_child(status, "From")) or Organ("", "")
    staff_info = _child(status, "StaffInfo")
    return StatusPackage(
        document_id=document_id,
        status_code=code,
        status_text=STATUS_CODES[code],
        organ=organ,
        description=_text(status, "Description") or "",
        timestamp=_parse_timestamp(_text(status, "Timestamp")),
        staff=_text(staff_info, "Staff") if staff_info is not None else None,
        department=_text(staff_info, "Department") if staff_info is not None else None,
        response_for_organ_id=_text(response_for, "OrganId"),
        response_for_code=_text(response_for, "Code"),
        response_for_date=_parse_date(_text(response_for, "PromulgationDate"), "", []),
    )


# ---------------------------------------------------------------------------------------------
# Helpers


def _parse(data: bytes, max_bytes: int) -> ET.Element:
    if not isinstance(data, bytes | bytearray | memoryview):
        raise EdxmlError("edxml_malformed", "a package is bytes")
    if len(data) > max_bytes:
        raise EdxmlError("edxml_too_large", f"{len(data)} bytes > {max_bytes}",
                         size=len(data), limit=max_bytes)
    try:
        return SafeET.fromstring(bytes(data), forbid_dtd=True, forbid_entities=True,
                                 forbid_external=True)
    except defusedxml.DefusedXmlException as exc:
        raise EdxmlError("edxml_unsafe", type(exc).__name__) from None
    except ET.ParseError as exc:
        raise EdxmlError("edxml_malformed", str(exc)) from None


def _read_attachments(root: ET.Element, envelope: ET.Element) -> list[ImportedAttachment]:
    references: dict[str, ET.Element] = {}
    body = _child(envelope, "edXMLBody")
    manifest = _child(body, "edXMLManifest") if body is not None else None
    for reference in _children(manifest, "Reference"):
        content_id = _strip_cid(_text(reference, "ContentId") or _href(reference))
        if content_id:
            references[content_id] = reference
    items = [a for encoded in _children(root, "AttachmentEncoded")
             for a in _children(encoded, "Attachment")]
    if len(items) > MAX_ATTACHMENTS:
        raise EdxmlError("edxml_too_large", f"{len(items)} attachments > {MAX_ATTACHMENTS}")
    attachments = []
    for index, item in enumerate(items, start=1):
        content_id = _strip_cid(_text(item, "ContentId"))
        reference = references.get(content_id)

        def pick(name: str, item: ET.Element = item, reference: ET.Element | None = reference
                 ) -> str | None:
            return _text(item, name) or (_text(reference, name) if reference is not None
                                         else None)

        payload = _child(item, "ContentTransferEncoded")
        raw = "".join((payload.text or "").split()) if payload is not None else ""
        try:
            content = base64.b64decode(raw, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise EdxmlError("edxml_bad_attachment", f"attachment {index}: {exc}",
                             attachment=index) from None
        attachments.append(ImportedAttachment(
            name=_safe_file_name(pick("AttachmentName"), index),
            media_type=pick("ContentType") or "application/octet-stream",
            data=content,
            content_id=content_id,
            description=pick("Description") or "",
        ))
    return attachments


def _safe_file_name(name: str | None, index: int) -> str:
    """The last path part of a sender's file name, without control characters."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = "".join(ch for ch in base if ch >= " " and ch != "\x7f").strip().lstrip(".")
    return base[:200] or f"tep-dinh-kem-{index}"


def _doc_type(type_name: str | None, code_notation: str | None) -> str:
    if type_name:
        known = _TYPE_OF_FOLDED_NAME.get(fold(type_name).strip())
        if known:
            return known
    if code_notation:
        first = code_notation.split("-", 1)[0]
        if first in DOCUMENT_TYPES:
            return first
    if type_name:
        initials = "".join(word[0] for word in type_name.split() if word[0].isalpha())
        if initials:
            return initials.upper()[: _MAX["doc_type"]]
    return "CV"


def _urgency(text: str | None, warnings: list[str]) -> tuple[str, int | None]:
    if not text:
        return "normal", None
    if text.isdigit():
        value = int(text)
        if value in URGENCY_OF_PRIORITY:
            return URGENCY_OF_PRIORITY[value], value
    else:
        urgency = _URGENCY_OF_LABEL.get(fold(text).strip())
        if urgency:
            return urgency, PRIORITY_OF_URGENCY[urgency]
    warnings.append(f"Priority {text!r} unknown: read as normal")
    return "normal", None


_DATE_FORMATS = ("%Y/%m/%d", "%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y")


def _parse_date(text: str | None, name: str, warnings: list[str]) -> date | None:
    if not text:
        return None
    head = re.split(r"[ T]", text.strip(), maxsplit=1)[0]
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(head, fmt).date()
        except ValueError:
            continue
    if name:
        warnings.append(f"{name} {text!r} is not a date")
    return None


def _parse_timestamp(text: str | None) -> datetime | None:
    if not text:
        return None
    for fmt in ("%Y/%m/%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S",
                "%d/%m/%Y %H:%M:%S"):
        try:
            return datetime.strptime(text.strip()[:19], fmt).replace(tzinfo=VN_TZ)
        except ValueError:
            continue
    return None


def _clip(value: str | None, key: str, warnings: list[str]) -> str | None:
    if value is None:
        return None
    limit = _MAX[key]
    if len(value) > limit:
        warnings.append(f"{key} cut to {limit} characters")
        return value[: limit - 1] + "…"
    return value


def _local_date(moment: str) -> date:
    parsed = datetime.fromisoformat(moment.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=VN_TZ)
    return parsed.astimezone(VN_TZ).date()


def _edxml_date(day: date) -> str:
    return f"{day.year:04d}/{day.month:02d}/{day.day:02d}"


def _clean(value: Any) -> str:
    return _XML_INVALID.sub("", nfc(str(value))).strip() if value is not None else ""


def _norm(text: str | None) -> str | None:
    """Element text in NFC, trimmed; None when empty."""
    if text is None:
        return None
    value = nfc(text).strip()
    return value or None


def _el(name: str) -> ET.Element:
    return ET.Element(f"{{{NS}}}{name}")


def _sub(parent: ET.Element | None, name: str, text: Any = None) -> ET.Element:
    assert parent is not None
    element = ET.SubElement(parent, f"{{{NS}}}{name}")
    if text is not None:
        element.text = _clean(text)
    return element


def _organ(parent: ET.Element, name: str, organ_id: str, organ_name: str,
           in_charge: str | None) -> None:
    organ = _sub(parent, name)
    _sub(organ, "OrganId", organ_id)
    if in_charge:
        _sub(organ, "OrganizationInCharge", in_charge)
    _sub(organ, "OrganName", organ_name)


def _read_organ(element: ET.Element | None) -> Organ | None:
    if element is None:
        return None
    return Organ(_text(element, "OrganId") or "", _text(element, "OrganName") or "")


def _serialise(root: ET.Element) -> bytes:
    return (b'<?xml version="1.0" encoding="UTF-8"?>\n'
            + ET.tostring(root, encoding="unicode").encode("utf-8"))


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _child(element: ET.Element | None, name: str) -> ET.Element | None:
    if element is None:
        return None
    return next((c for c in element if _local(c.tag) == name), None)


def _children(element: ET.Element | None, name: str) -> list[ET.Element]:
    return [] if element is None else [c for c in element if _local(c.tag) == name]


def _text(element: ET.Element | None, *path: str) -> str | None:
    for name in path:
        element = _child(element, name)
        if element is None:
            return None
    return _norm(element.text) if element is not None else None


def _href(reference: ET.Element) -> str | None:
    return reference.get(f"{{{XLINK_NS}}}href") or reference.get("href")


def _strip_cid(value: str | None) -> str:
    value = (value or "").strip()
    return value[4:] if value.lower().startswith("cid:") else value


__all__ = [
    "DOCUMENT_TYPES", "MAX_PACKAGE_BYTES", "NS", "STATUS_CODES", "STATUS_NAMES", "EdxmlError",
    "ImportedAttachment", "ImportedDocument", "Organ", "SignerInfo", "StatusPackage",
    "export_outgoing", "import_package", "make_document_id", "outgoing_code",
    "parse_status_package", "status_package",
]
