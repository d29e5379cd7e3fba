"""edXML (QCVN 102:2016): an issued outgoing document goes out as a package and comes back in as
an incoming record with every field that maps; hostile, broken and oversize packages are refused
with a typed error; status packages go both ways."""

from __future__ import annotations

import base64
import json
import unicodedata
import xml.etree.ElementTree as ET
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import jsonschema
import pytest

from app import edxml
from app.edxml import (
    MAX_PACKAGE_BYTES,
    NS,
    EdxmlError,
    export_outgoing,
    import_package,
    parse_status_package,
    status_package,
)
from app.errors import DomainError

VN = ZoneInfo("Asia/Ho_Chi_Minh")
SCHEMAS = Path(__file__).resolve().parents[1] / "resources" / "schemas"
SENT = datetime(2026, 1, 5, 10, 15, tzinfo=VN)
RECEIVED = datetime(2026, 1, 6, 8, 30, tzinfo=VN)
ORGAN_ID = "H41.22.03"
ORGAN_NAME = "Ủy ban nhân dân xã Minh Châu"
# Every Vietnamese letter with every tone, lower and upper case, composed (NFC).
VIETNAMESE = ("aàảãáạ ăằẳẵắặ âầẩẫấậ eèẻẽéẹ êềểễếệ iìỉĩíị oòỏõóọ ôồổỗốộ ơờởỡớợ "
              "uùủũúụ ưừửữứự yỳỷỹýỵ đ")
VIETNAMESE = VIETNAMESE + " " + VIETNAMESE.upper()


def outgoing(**changes) -> dict:
    record = {
        "id": "5a4c0a3e-9f0b-4c7e-8a32-1f2b3c4d5e6f",
        "register_year": 2026,
        "series": "ordinary",
        "doc_type": "TB",
        "summary": "Về việc tổ chức tiêm phòng dại cho chó, mèo năm 2026",
        "issuer": "UBND",
        "drafting_unit": "VP",
        "number": 5,
        "symbol": "05/TB-UBND",
        "issued_at": "2026-01-05T09:30:00+07:00",
        "signer": "Nguyễn Văn Đức",
        "recipients": ["UBND huyện Ba Vì", "Trạm Y tế xã Minh Châu", "Các thôn"],
        "archive_unit": "Văn phòng",
        "copies": 4,
        "status": "issued",
        "urgency": "very_urgent",
        "secrecy": "none",
    }
    record.update(changes)
    return record


ATTACHMENTS = [
    ("Thông báo 05-TB-UBND.pdf", "application/pdf", b"%PDF-1.7\n" + bytes(range(256)) * 40),
    ("Danh sách hộ nuôi chó.docx",
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
     b"PK\x03\x04" + bytes(reversed(range(256)))),
    ("trống.txt", "text/plain", b""),
]


def package(record: dict | None = None, attachments=ATTACHMENTS, **kwargs) -> bytes:
    options = {"organ_id": ORGAN_ID, "organ_name": ORGAN_NAME,
               "to_places": ["Như trên", "Lưu: VT"], "signer_position": "Chủ tịch",
               "signer_competence": "TM. Ủy ban nhân dân", "due_date": date(2026, 1, 20),
               "place": "Minh Châu", "now": SENT}
    options.update(kwargs)
    return export_outgoing(record or outgoing(), attachments, **options)


def incoming_validator() -> jsonschema.Draft202012Validator:
    schema = json.loads((SCHEMAS / "incoming_document.schema.json").read_text("utf-8"))
    return jsonschema.Draft202012Validator(schema)


def refused(code: str, data: bytes, **kwargs) -> EdxmlError:
    with pytest.raises(EdxmlError) as caught:
        import_package(data, now=RECEIVED, **kwargs)
    assert caught.value.code == code, caught.value
    return caught.value


# --- the round trip ---------------------------------------------------------------------------


def test_round_trip_keeps_every_field_that_maps() -> None:
    record = outgoing()
    got = import_package(package(record), now=RECEIVED)

    incoming = got.record
    incoming_validator().validate(incoming)
    assert incoming["number_symbol"] == "05/TB-UBND"  # the leading zero is kept
    assert incoming["document_date"] == "2026-01-05"
    assert incoming["doc_type"] == "TB"
    assert incoming["summary"] == record["summary"]
    assert incoming["author"] == ORGAN_NAME
    assert incoming["urgency"] == "very_urgent"
    assert incoming["source"] == "electronic"
    assert incoming["series"] == "ordinary" and incoming["secrecy"] == "none"
    assert incoming["arrived_at"] == "2026-01-06T08:30:00+07:00"
    assert incoming["register_year"] == 2026
    assert "arrival_number" not in incoming  # the register's lease holder gives it
    assert got.document_id == f"{ORGAN_ID},2026/01/05,05/TB-UBND"
    assert got.document_id in incoming["notes"]

    assert got.organ == edxml.Organ(ORGAN_ID, ORGAN_NAME)
    assert (got.code_number, got.code_notation) == ("05", "TB-UBND")
    assert got.promulgation_date == date(2026, 1, 5)
    assert got.promulgation_place == "Minh Châu"
    assert got.type_name == "Thông báo"
    assert got.subject == record["summary"]
    assert got.signer == edxml.SignerInfo("Nguyễn Văn Đức", "Chủ tịch", "TM. Ủy ban nhân dân")
    assert got.priority == 2
    assert got.due_date == date(2026, 1, 20)
    assert got.copies == 4
    assert [o.organ_name for o in got.to] == record["recipients"]
    assert got.to_places == ["Như trên", "Lưu: VT"]
    assert got.trace == [(ORGAN_ID, "2026/01/05 10:15:00")]
    assert got.warnings == []

    assert [(a.name, a.media_type, a.data) for a in got.attachments] == ATTACHMENTS


@pytest.mark.parametrize(("urgency", "priority"),
                         [("normal", 0), ("urgent", 1), ("very_urgent", 2), ("flash", 3)])
def test_urgency_travels_as_priority(urgency: str, priority: int) -> None:
    data = package(outgoing(urgency=urgency), attachments=[])
    assert _find(data, "MessageHeader", "OtherInfo", "Priority").text == str(priority)
    got = import_package(data, now=RECEIVED)
    assert got.record["urgency"] == urgency and got.priority == priority


@pytest.mark.parametrize(("doc_type", "symbol", "type_name"), [
    ("CV", "12/UBND-VP", "Công văn"),
    ("QĐ", "15/QĐ-UBND", "Quyết định"),
    ("KH", "03/KH-UBND", "Kế hoạch"),
    ("TTr", "07/TTr-UBND", "Tờ trình"),
])
def test_document_types_and_symbols_round_trip(doc_type: str, symbol: str,
                                               type_name: str) -> None:
    number = int(symbol.split("/")[0])
    data = package(outgoing(doc_type=doc_type, number=number, symbol=symbol), attachments=[])
    got = import_package(data, now=RECEIVED)
    assert got.record["doc_type"] == doc_type
    assert got.record["number_symbol"] == symbol
    assert got.type_name == type_name


def test_a_symbol_without_the_number_gets_it_with_a_leading_zero() -> None:
    got = import_package(package(outgoing(number=7, symbol="TB-UBND"), attachments=[]),
                         now=RECEIVED)
    assert got.record["number_symbol"] == "07/TB-UBND"
    assert got.document_id == f"{ORGAN_ID},2026/01/05,07/TB-UBND"


def test_vietnamese_text_survives_byte_for_byte() -> None:
    summary = f"Về việc {VIETNAMESE}"
    assert unicodedata.is_normalized("NFC", summary)
    got = import_package(package(outgoing(summary=summary, signer="Đặng Thị Ngọc Hưởng"),
                                 attachments=[(f"{VIETNAMESE[:20]}.pdf", "application/pdf",
                                               b"x")]),
                         now=RECEIVED)
    assert got.record["summary"].encode("utf-8") == summary.encode("utf-8")
    assert got.signer.full_name.encode("utf-8") == "Đặng Thị Ngọc Hưởng".encode()
    assert got.record["author"].encode("utf-8") == ORGAN_NAME.encode("utf-8")
    assert got.attachments[0].name == f"{VIETNAMESE[:20]}.pdf"


def test_decomposed_text_comes_out_composed() -> None:
    decomposed = unicodedata.normalize("NFD", "Về việc tiêm phòng dại")
    data = package(outgoing(summary=decomposed), attachments=[])
    assert "Về việc tiêm phòng dại".encode() in data
    got = import_package(data, now=RECEIVED)
    assert got.record["summary"] == unicodedata.normalize("NFC", decomposed)


# --- what the package looks like ------------------------------------------------------------


def _find(data: bytes, *path: str) -> ET.Element:
    element = ET.fromstring(data).find(f"{{{NS}}}edXMLEnvelope/{{{NS}}}edXMLHeader")
    for name in path:
        element = element.find(f"{{{NS}}}{name}")
        assert element is not None, name
    return element


def test_the_package_is_utf8_edxml_in_the_standards_namespace() -> None:
    data = package()
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    root = ET.fromstring(data)
    assert root.tag == f"{{{NS}}}edXML"
    assert NS == "http://www.mic.gov.vn/TBT/QCVN_102_2016"
    message = _find(data, "MessageHeader")
    names = [child.tag.split("}")[1] for child in message]
    assert names == ["From", "To", "To", "To", "Code", "PromulgationInfo", "DocumentType",
                     "Subject", "Content", "SignerInfo", "DueDate", "ToPlaces", "OtherInfo",
                     "DocumentId"]
    assert _find(data, "MessageHeader", "DueDate").text == "2026/01/20"
    assert _find(data, "MessageHeader", "PromulgationInfo", "PromulgationDate").text == \
        "2026/01/05"
    assert _find(data, "TraceHeaderList", "TraceHeader", "OrganId").text == ORGAN_ID
    encoded = root.find(f"{{{NS}}}AttachmentEncoded")
    attachments = encoded.findall(f"{{{NS}}}Attachment")
    assert len(attachments) == 3
    first = attachments[0]
    assert base64.b64decode(first.find(f"{{{NS}}}ContentTransferEncoded").text) == \
        ATTACHMENTS[0][2]
    references = root.findall(f".//{{{NS}}}edXMLManifest/{{{NS}}}Reference")
    assert [r.get("{http://www.w3.org/1999/xlink}href") for r in references] == \
        [f"cid:{a.find(f'{{{NS}}}ContentId').text}" for a in attachments]


def test_steering_type_and_explicit_recipients() -> None:
    data = package(to_organs=[("000.00.00.H41", "Ủy ban nhân dân thành phố Hà Nội")],
                   steering_type=1, attachments=[])
    assert _find(data, "MessageHeader", "SteeringType").text == "1"
    got = import_package(data, now=RECEIVED)
    assert got.to == [edxml.Organ("000.00.00.H41", "Ủy ban nhân dân thành phố Hà Nội")]
    assert got.steering_type == "1"


@pytest.mark.parametrize(("changes", "code"), [
    ({"status": "draft", "number": None, "symbol": None, "issued_at": None}, "edxml_not_issued"),
    ({"status": "void", "void_reason": "In sai số"}, "edxml_not_issued"),
    ({"secrecy": "confidential", "series": "secret"}, "edxml_secret"),
    ({"signer": None}, "edxml_missing_field"),
])
def test_what_is_never_exported(changes: dict, code: str) -> None:
    with pytest.raises(EdxmlError) as caught:
        package(outgoing(**changes))
    assert caught.value.code == code


def test_edxml_errors_are_domain_errors_with_a_code() -> None:
    error = EdxmlError("edxml_malformed", "no Subject", element="Subject")
    assert isinstance(error, DomainError)
    assert error.code == "edxml_malformed" and error.params == {"element": "Subject"}
    assert str(error) == "edxml_malformed: no Subject"


# --- packages from other systems --------------------------------------------------------------

SDK_STYLE = """<?xml version="1.0" encoding="utf-8"?>
<edXML xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns="{ns}">
  <edXML:edXMLEnvelope xmlns:edXML="{ns}">
    <edXML:edXMLHeader>
      <edXML:MessageHeader>
        <edXML:From>
          <edXML:OrganId>000.00.12.H41</edXML:OrganId>
          <edXML:OrganizationInCharge>UBND thành phố Hà Nội</edXML:OrganizationInCharge>
          <edXML:OrganName>Sở Tư pháp thành phố Hà Nội</edXML:OrganName>
          <edXML:OrganAdd>1B Trần Phú, Hà Đông</edXML:OrganAdd>
        </edXML:From>
        <edXML:To><edXML:OrganId>H41.22.03</edXML:OrganId>
          <edXML:OrganName>UBND xã Minh Châu</edXML:OrganName></edXML:To>
        <edXML:Code><edXML:CodeNumber>123</edXML:CodeNumber>
          <edXML:CodeNotation>STP-HCTP</edXML:CodeNotation></edXML:Code>
        <edXML:PromulgationInfo><edXML:Place>Hà Nội</edXML:Place>
          <edXML:PromulgationDate>2026/02/03</edXML:PromulgationDate></edXML:PromulgationInfo>
        <edXML:DocumentType><edXML:Type>1</edXML:Type><edXML:TypeDetail>0</edXML:TypeDetail>
          <edXML:TypeName>Công văn</edXML:TypeName></edXML:DocumentType>
        <edXML:Subject>V/v hướng dẫn đăng ký khai sinh trực tuyến</edXML:Subject>
        <edXML:SignerInfo><edXML:Competence>KT. Giám đốc</edXML:Competence>
          <edXML:Position>Phó Giám đốc</edXML:Position>
          <edXML:FullName>Trần Thị Lan</edXML:FullName></edXML:SignerInfo>
        <edXML:DueDate>2026/02/20</edXML:DueDate>
        <edXML:ToPlaces><edXML:Place>UBND các xã, phường</edXML:Place></edXML:ToPlaces>
        <edXML:OtherInfo><edXML:Priority>3</edXML:Priority>
          <edXML:PromulgationAmount>1</edXML:PromulgationAmount></edXML:OtherInfo>
        <edXML:SteeringType>0</edXML:SteeringType>
        <edXML:DocumentId>000.00.12.H41,2026/02/03,123/STP-HCTP</edXML:DocumentId>
      </edXML:MessageHeader>
      <edXML:TraceHeaderList id="a1b2c3d4" version="1.0" mustUnderstand="1">
        <edXML:TraceHeader><edXML:OrganId>000.00.12.H41</edXML:OrganId>
          <edXML:Timestamp>2026/02/03 15:20:00</edXML:Timestamp></edXML:TraceHeader>
      </edXML:TraceHeaderList>
    </edXML:edXMLHeader>
    <edXML:edXMLBody><edXML:edXMLManifest version="1.0">
      <edXML:Reference xmlns:xlink="http://www.w3.org/1999/xlink" xlink:href="cid:att-1">
        <edXML:AttachmentName>Hướng dẫn.pdf</edXML:AttachmentName>
        <edXML:ContentType>application/pdf</edXML:ContentType>
        <edXML:ContentId>cid:att-1</edXML:ContentId>
      </edXML:Reference></edXML:edXMLManifest></edXML:edXMLBody>
  </edXML:edXMLEnvelope>
  <AttachmentEncoded><Attachment><ContentId>att-1</ContentId>
    <ContentTransferEncoded>{payload}</ContentTransferEncoded></Attachment></AttachmentEncoded>
</edXML>"""


HELLO = base64.b64encode("Hello đục".encode()).decode("ascii")


def sdk_style(payload: str = f"{HELLO[:8]}\n    {HELLO[8:]}") -> bytes:
    return SDK_STYLE.format(ns=NS, payload=payload).encode("utf-8")


def test_a_package_in_the_sdks_default_namespace_style() -> None:
    got = import_package(sdk_style(), now=RECEIVED)
    incoming_validator().validate(got.record)
    assert got.record["author"] == "Sở Tư pháp thành phố Hà Nội"
    assert got.record["number_symbol"] == "123/STP-HCTP"
    assert got.record["doc_type"] == "CV"
    assert got.record["document_date"] == "2026-02-03"
    assert got.record["urgency"] == "flash"
    assert got.signer == edxml.SignerInfo("Trần Thị Lan", "Phó Giám đốc", "KT. Giám đốc")
    assert got.due_date == date(2026, 2, 20)
    # The name and type are only in the manifest; the base64 is wrapped over lines.
    (attachment,) = got.attachments
    assert (attachment.name, attachment.media_type) == ("Hướng dẫn.pdf", "application/pdf")
    assert attachment.data == "Hello đục".encode()


def test_an_unknown_type_name_is_kept_in_the_notes() -> None:
    data = sdk_style().replace("<edXML:TypeName>Công văn".encode(),
                               "<edXML:TypeName>Giấy chứng nhận".encode())
    got = import_package(data, now=RECEIVED)
    assert got.record["doc_type"] == "GCN"
    assert "Loại văn bản: Giấy chứng nhận" in got.record["notes"]


def test_an_attachment_name_cannot_climb_out_of_its_folder() -> None:
    data = sdk_style().replace("Hướng dẫn.pdf".encode(), b"../../etc/passwd")
    assert import_package(data, now=RECEIVED).attachments[0].name == "passwd"


def test_over_long_fields_are_cut_to_the_register_with_a_warning() -> None:
    data = sdk_style().replace(b"V/v ", ("dài " * 800).encode())
    got = import_package(data, now=RECEIVED)
    assert len(got.record["summary"]) == 2000
    assert got.warnings == ["summary cut to 2000 characters"]
    incoming_validator().validate(got.record)


# --- refusals ---------------------------------------------------------------------------------

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016"><edXMLEnvelope><edXMLHeader>
<MessageHeader><From><OrganName>&lol9;</OrganName></From><Subject>x</Subject></MessageHeader>
</edXMLHeader></edXMLEnvelope></edXML>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE edXML [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016"><edXMLEnvelope><edXMLHeader>
<MessageHeader><From><OrganName>x</OrganName></From><Subject>&secret;</Subject></MessageHeader>
</edXMLHeader></edXMLEnvelope></edXML>"""

EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE edXML SYSTEM "http://attacker.invalid/edxml.dtd">
<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016"/>"""


@pytest.mark.parametrize("data", [BILLION_LAUGHS, EXTERNAL_ENTITY, EXTERNAL_DTD],
                         ids=["billion-laughs", "external-entity", "external-dtd"])
def test_entities_and_dtds_are_refused(data: bytes) -> None:
    refused("edxml_unsafe", data)


def test_a_doctype_inside_a_real_package_is_refused() -> None:
    data = package(attachments=[])
    head, rest = data.split(b"\n", 1)
    refused("edxml_unsafe", head + b'\n<!DOCTYPE edXML [<!ENTITY a "b">]>\n' + rest)


@pytest.mark.parametrize("data", [
    b"",
    b"not xml at all",
    b"<edXML><unclosed></edXML>",
    "<edXML>\u00e9</edXML>".encode("latin-1"),
], ids=["empty", "text", "unclosed", "bad-encoding"])
def test_malformed_xml_is_refused(data: bytes) -> None:
    refused("edxml_malformed", data)


@pytest.mark.parametrize(("data", "detail"), [
    (b"<html><body/></html>", "edXMLEnvelope"),
    (sdk_style().replace("<edXML:Subject>V/v hướng dẫn đăng ký khai sinh trực tuyến"
                         "</edXML:Subject>".encode(), b""), "Subject"),
    (status_package(f"{ORGAN_ID},2026/01/05,05/TB-UBND", "01", organ_id="X", organ_name="Y"),
     "status package"),
], ids=["not-edxml", "no-subject", "a-status"])
def test_packages_that_are_not_documents_are_refused(data: bytes, detail: str) -> None:
    assert detail in refused("edxml_malformed", data).detail


@pytest.mark.parametrize("payload", ["@@@not base64@@@", "SGVsbG8", "SGVsbG8=="])
def test_attachments_that_are_not_base64_are_refused(payload: str) -> None:
    error = refused("edxml_bad_attachment", sdk_style(payload))
    assert error.params == {"attachment": 1}


def test_oversize_packages_are_refused_before_parsing() -> None:
    data = package()
    refused("edxml_too_large", data, max_bytes=len(data) - 1)
    assert import_package(data, now=RECEIVED, max_bytes=len(data)).record["summary"]
    assert MAX_PACKAGE_BYTES == 100 * 1024 * 1024
    error = refused("edxml_too_large", BILLION_LAUGHS + b" " * MAX_PACKAGE_BYTES)
    assert error.params["limit"] == MAX_PACKAGE_BYTES


# --- status packages ----------------------------------------------------------------------------


@pytest.mark.parametrize(("given", "code"), [
    ("01", "01"), ("02", "02"), ("03", "03"), ("04", "04"), ("05", "05"), ("06", "06"),
    ("13", "13"), ("received", "01"), ("rejected", "02"), ("accepted", "03"),
    ("assigned", "04"), ("processing", "05"), ("finished", "06"), ("recalled", "13"),
])
def test_status_packages_round_trip(given: str, code: str) -> None:
    document_id = f"{ORGAN_ID},2026/01/05,05/TB-UBND"
    data = status_package(document_id, given, organ_id="000.00.12.H41",
                          organ_name="Sở Tư pháp thành phố Hà Nội", description="Đã nhận",
                          staff="Lê Thị Hoa", department="Văn phòng Sở", now=RECEIVED)
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    got = parse_status_package(data)
    assert got.status_code == code and got.status_text == edxml.STATUS_CODES[code]
    assert got.document_id == document_id
    assert got.organ == edxml.Organ("000.00.12.H41", "Sở Tư pháp thành phố Hà Nội")
    assert (got.response_for_organ_id, got.response_for_code, got.response_for_date) == \
        (ORGAN_ID, "05/TB-UBND", date(2026, 1, 5))
    assert (got.staff, got.department, got.description) == \
        ("Lê Thị Hoa", "Văn phòng Sở", "Đã nhận")
    assert got.timestamp == RECEIVED


def test_a_status_in_a_message_header_is_read_too() -> None:
    data = f"""<?xml version="1.0" encoding="UTF-8"?>
<edXML xmlns="{NS}"><edXMLEnvelope><edXMLHeader><MessageHeader>
<ResponseFor><OrganId>{ORGAN_ID}</OrganId><Code>05/TB-UBND</Code>
<DocumentId>{ORGAN_ID},2026/01/05,05/TB-UBND</DocumentId></ResponseFor>
<From><OrganId>A</OrganId><OrganName>Bệnh viện huyện</OrganName></From>
<StatusCode>6</StatusCode><Timestamp>2026/01/09 16:00:00</Timestamp>
</MessageHeader></edXMLHeader></edXMLEnvelope></edXML>""".encode()
    got = parse_status_package(data)
    assert got.status_code == "06" and got.status_text == "Đã xử lý xong"
    assert got.timestamp == datetime(2026, 1, 9, 16, tzinfo=VN)


def test_unknown_status_codes_are_refused() -> None:
    with pytest.raises(EdxmlError) as caught:
        status_package(f"{ORGAN_ID},2026/01/05,05/TB-UBND", "99", organ_id="X", organ_name="Y")
    assert caught.value.code == "edxml_unknown_status"
    data = status_package("x", "01", organ_id="X", organ_name="Y").replace(
        b"<edXML:StatusCode>01<", b"<edXML:StatusCode>42<")
    with pytest.raises(EdxmlError) as caught:
        parse_status_package(data)
    assert caught.value.code == "edxml_unknown_status"


def test_status_packages_are_parsed_safely() -> None:
    with pytest.raises(EdxmlError) as caught:
        parse_status_package(BILLION_LAUGHS)
    assert caught.value.code == "edxml_unsafe"
