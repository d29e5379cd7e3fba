"""What the register screens say: the names of types, levels, statuses, registers and events, in
the interface language, and every refusal of app/ turned into a Vietnamese message (by its code).

The Decree 30 type names and the urgency and secrecy levels are domain data with both names in
app/registers.py (like procedure names): the interface shows the English one when English is
installed. Everything else is a Vietnamese source string (docs/translations.md).
Threading: GUI thread (translations are looked up when called, never at import).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QCoreApplication

from app import registers as reg
from app.dossier import VN_TZ, parse_time
from app.leases import Lease
from ui import action_dialogs
from ui.i18n import installed_language

translate = QCoreApplication.translate


def english() -> bool:
    return installed_language() == "en"


# ------------------------------------------------------------------ domain names


def type_name(abbreviation: str | None) -> str:
    """``QĐ`` → "Quyết định" (or "Decision"); another body's own type is shown as written."""
    if not abbreviation:
        return ""
    if not reg.is_known_type(abbreviation):
        return abbreviation
    kind = reg.doc_type(abbreviation)
    return kind.en if english() else kind.vi


def type_label(abbreviation: str) -> str:
    """``QĐ — Quyết định``, as the type lists show it."""
    name = type_name(abbreviation)
    return f"{abbreviation} — {name}" if name and name != abbreviation else abbreviation


def urgency_name(urgency: str | None) -> str:
    names = reg.URGENCY.get(urgency or "normal")
    return (names[1] if english() else names[0]) if names else str(urgency)


def secrecy_name(secrecy: str | None) -> str:
    names = reg.SECRECY.get(secrecy or "none")
    return (names[1] if english() else names[0]) if names else str(secrecy)


def status_name(kind: str, status: str | None) -> str:
    if kind == reg.INCOMING:
        return {
            "registered": translate("Registers", "Chờ ý kiến chỉ đạo"),
            "directed": translate("Registers", "Đã có ý kiến chỉ đạo"),
            "in_progress": translate("Registers", "Đang giải quyết"),
            "done": translate("Registers", "Đã giải quyết xong"),
        }.get(status or "", status or "")
    return {
        "draft": translate("Registers", "Dự thảo"),
        "issued": translate("Registers", "Đã ban hành"),
        "void": translate("Registers", "Đã hủy"),
    }.get(status or "", status or "")


def series_name(series: str) -> str:
    return {reg.ORDINARY: translate("Registers", "thường"),
            reg.SECRET: translate("Registers", "mật")}.get(series, series)


def kind_name(kind: str) -> str:
    return {reg.INCOMING: translate("Registers", "Văn bản đến"),
            reg.OUTGOING: translate("Registers", "Văn bản đi")}.get(kind, kind)


def register_name(kind: str, series: str) -> str:
    """"Sổ văn bản đến (thường)", "Sổ văn bản đi (mật)"."""
    if kind == reg.INCOMING:
        text = translate("Registers", "Sổ văn bản đến ({series})")
    else:
        text = translate("Registers", "Sổ văn bản đi ({series})")
    return text.format(series=series_name(series))


def source_name(source: str | None) -> str:
    return {"paper": translate("Registers", "Bản giấy"),
            "electronic": translate("Registers", "Văn bản điện tử")}.get(source or "", "")


def event_name(kind: str) -> str:
    """What happened, for one history event of a document."""
    return {
        "registered": translate("Registers", "Đăng ký vào sổ", "lịch sử"),
        "numbered": translate("Registers", "Cấp số đến", "lịch sử"),
        "directed": translate("Registers", "Ý kiến chỉ đạo", "lịch sử"),
        "assigned": translate("Registers", "Giao xử lý", "lịch sử"),
        "progress": translate("Registers", "Tiến độ giải quyết", "lịch sử"),
        "replied": translate("Registers", "Liên kết văn bản trả lời", "lịch sử"),
        "completed": translate("Registers", "Giải quyết xong", "lịch sử"),
        "drafted": translate("Registers", "Soạn dự thảo", "lịch sử"),
        "edited": translate("Registers", "Sửa thông tin", "lịch sử"),
        "issued": translate("Registers", "Cấp số, ban hành", "lịch sử"),
        "voided": translate("Registers", "Hủy văn bản", "lịch sử"),
        "unnumbered": translate("Registers", "Bỏ số (xung đột số)", "lịch sử"),
        "attachment_removed": translate("Registers", "Gỡ tệp đính kèm", "lịch sử"),
    }.get(kind, translate("Registers", "Sự kiện khác ({kind})").format(kind=kind))


def action_label(action: str) -> str:
    """The button text of a document action (app/documents.DOCUMENT_ACTIONS)."""
    return {
        "number": translate("Registers", "Cấp số đến"),
        "edit_incoming": translate("Registers", "Sửa thông tin"),
        "direct": translate("Registers", "Ý kiến chỉ đạo"),
        "assign": translate("Registers", "Giao xử lý"),
        "progress": translate("Registers", "Ghi tiến độ"),
        "link_reply": translate("Registers", "Liên kết văn bản trả lời"),
        "complete": translate("Registers", "Giải quyết xong"),
        "edit_draft": translate("Registers", "Sửa văn bản"),
        "issue": translate("Registers", "Cấp số"),
        "void": translate("Registers", "Hủy văn bản"),
        "attach": translate("Registers", "Thêm tệp đính kèm"),
        "detach": translate("Registers", "Gỡ tệp"),
        "export_edxml": translate("Registers", "Xuất gói edXML"),
    }.get(action, action)


def field_name(field: str) -> str:
    """The name of a document field, for messages naming a wrong one."""
    return {
        "author": translate("Registers", "tác giả (cơ quan ban hành)"),
        "summary": translate("Registers", "trích yếu"),
        "doc_type": translate("Registers", "loại văn bản"),
        "number_symbol": translate("Registers", "số, ký hiệu"),
        "document_date": translate("Registers", "ngày văn bản"),
        "arrived_at": translate("Registers", "ngày đến"),
        "recipient": translate("Registers", "nơi nhận"),
        "urgency": translate("Registers", "độ khẩn"),
        "secrecy": translate("Registers", "độ mật"),
        "signer": translate("Registers", "người ký"),
        "recipients": translate("Registers", "nơi nhận"),
        "issuer": translate("Registers", "cơ quan ban hành"),
        "drafting_unit": translate("Registers", "đơn vị soạn thảo"),
        "copies": translate("Registers", "số bản"),
        "lead": translate("Registers", "người chủ trì"),
        "coordinators": translate("Registers", "người phối hợp"),
        "deadline": translate("Registers", "hạn xử lý"),
        "assigned_to": translate("Registers", "người được giao"),
        "note": translate("Registers", "nội dung"),
        "void_reason": translate("Registers", "lý do hủy"),
        "attachment": translate("Registers", "tệp đính kèm"),
        "file_name": translate("Registers", "tên tệp"),
        "notes": translate("Registers", "ghi chú"),
    }.get(field, field)


# ------------------------------------------------------------------ times


def local_time(value: str | datetime | None) -> str:
    """``dd/MM/yyyy HH:mm`` in Hà Nội, or "" for none."""
    if not value:
        return ""
    moment = parse_time(value) if isinstance(value, str) else value
    return moment.astimezone(VN_TZ).strftime("%d/%m/%Y %H:%M")


def local_date(value: str | datetime | date | None) -> str:
    """``dd/MM/yyyy`` of a stored date (``YYYY-MM-DD``) or moment, or "" for none."""
    if not value:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(VN_TZ).strftime("%d/%m/%Y")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if len(value) == 10:
        return date.fromisoformat(value).strftime("%d/%m/%Y")
    return parse_time(value).astimezone(VN_TZ).strftime("%d/%m/%Y")


# ------------------------------------------------------------------ leases


def holder_text(lease: Lease) -> str:
    """Who holds a register's numbering, as a sentence's end: "máy này", "máy X (người Y)",
    "chưa máy nào"."""
    if lease.mine:
        if lease.standalone:
            return translate("Registers", "máy này (máy dùng riêng, chưa kết nối máy chủ)")
        return translate("Registers", "máy này")
    if not lease.held:
        return translate("Registers", "chưa máy nào")
    return holder_of(lease.holder_device_name or lease.holder_device_id or "",
                     lease.holder_user)


def holder_of(device: str, user: str | None) -> str:
    if user:
        return translate("Registers", "máy “{device}” (người dùng {user})").format(
            device=device, user=user)
    return translate("Registers", "máy “{device}”").format(device=device)


def not_holder_text(kind: str, series: str, params: dict[str, Any]) -> str:
    """Why this machine cannot number: who holds the register (or nobody), and what to do."""
    register = register_name(kind, series)
    device = params.get("holder_device_name") or params.get("holder_device_id")
    if not device:
        return translate(
            "Registers",
            "Chưa máy nào giữ quyền cấp số của {register}. Bấm “Nhận quyền cấp số” trên trang "
            "sổ để máy này cấp số (cần kết nối máy chủ).").format(register=register)
    return translate(
        "Registers",
        "{register} đang do {holder} giữ quyền cấp số. Máy này không cấp số được: hãy cấp số "
        "trên máy đó, hoặc nhờ máy đó trả quyền cấp số rồi nhận về máy này.").format(
        register=register, holder=holder_of(str(device), params.get("holder_user")))


# ------------------------------------------------------------------ errors


def error_text(error: BaseException) -> str:
    """A refusal of app/, sync/ or the server, in the interface language, by its code."""
    code = getattr(error, "code", None)
    params: dict[str, Any] = getattr(error, "params", {}) or {}
    if code == "not_lease_holder":
        return not_holder_text(params.get("kind") or "", params.get("series") or "", params)
    if code in ("lease_held", "not_holder"):
        holder = (getattr(error, "details", {}) or {}).get("holder") or {}
        device = holder.get("device_name") or holder.get("device_id")
        if device:
            return translate(
                "Registers", "Máy chủ từ chối: sổ đang do {holder} giữ quyền cấp số.").format(
                holder=holder_of(str(device), holder.get("user")))
        return translate("Registers", "Máy chủ từ chối: sổ đang do máy khác giữ quyền cấp số.")
    if code == "lease_unsynced":
        return translate(
            "Registers",
            "Chưa trả được quyền cấp số: còn {count} văn bản đã cấp số chưa lên máy chủ (mất "
            "mạng, lỗi hoặc xung đột). Hãy đồng bộ, giải quyết xung đột rồi thử lại.").format(
            count=params.get("count", "?"))
    if code == "secret_has_attachments":
        return translate(
            "Registers",
            "Văn bản này đang có {count} tệp đính kèm (bản quét, PDF) trên máy. Văn bản mật chỉ "
            "được lưu thông tin, không lưu tệp: hãy gỡ bỏ các tệp đính kèm trước, rồi mới đổi "
            "độ mật. Chưa có gì bị thay đổi hay xóa.").format(
            count=params.get("attachments", "?"))
    if code == "secret_metadata_only":
        return translate(
            "Registers",
            "Văn bản mật chỉ được lưu thông tin trên máy tính, không lưu tệp đính kèm (bản "
            "quét, PDF). Hãy bỏ tệp đính kèm.")
    if code == "possible_duplicate":
        return translate("Registers", "Văn bản này đã có trong sổ: {existing}.").format(
            existing=params.get("existing", ""))
    if code == "document_state":
        return translate(
            "Registers",
            "Văn bản đang ở trạng thái không cho phép việc này (có thể vừa được máy khác xử "
            "lý). Hãy xem lại văn bản.")
    if code in ("unknown_attachment", "ambiguous_attachment"):
        return translate("Registers",
                         "Văn bản không còn tệp đính kèm này (có thể vừa được gỡ trên máy khác). "
                         "Hãy xem lại văn bản.")
    if code == "unknown_document":
        return translate("Registers", "Không tìm thấy văn bản này trên máy.")
    if code == "role_not_allowed":
        return translate("Registers", "Vai trò của bạn không được làm việc này với văn bản.")
    if code == "role_forbidden":
        return translate("Registers",
                         "Máy chủ từ chối: vai trò của bạn không được làm việc này với sổ.")
    if code == "force_required":
        return translate("Registers", "Chuyển quyền cấp số phải là chuyển bắt buộc.")
    if code == "target_revoked":
        return translate("Registers",
                         "Máy được chọn đã bị thu hồi quyền truy cập; hãy chọn máy khác.")
    if code == "not_found" or (code and code.startswith("http_404")) or \
            getattr(error, "status", None) == 404:
        return translate("Registers", "Máy chủ không tìm thấy máy này trong xã.")
    if code in ("invalid_field", "invalid_record"):
        field = str(params.get("field") or "")
        return translate("Registers", "Thông tin chưa hợp lệ: {field}.").format(
            field=field_name(field))
    if code == "link_down":
        return translate(
            "Registers",
            "Không kết nối được máy chủ. Hãy kiểm tra mạng rồi thử lại; dữ liệu trên máy vẫn "
            "an toàn.")
    if code == "sign_in_required":
        return translate("Registers",
                         "Phiên đăng nhập đã hết hạn. Vào Cài đặt để đăng nhập lại.")
    if code == "server_not_set":
        return translate(
            "Registers",
            "Máy này chưa kết nối máy chủ (máy dùng riêng). Vào Cài đặt để nhập địa chỉ máy "
            "chủ và đăng nhập.")
    if code == "sync_busy":
        return translate("Registers",
                         "Đang đồng bộ. Hãy đợi đồng bộ xong rồi thử lại.")
    if code == "register_mixed_series":
        return translate("Registers",
                         "Sổ thường và sổ mật được in riêng: hãy chọn một loại sổ.")
    if code == "register_one_year":
        return translate("Registers",
                         "Mỗi sổ là một năm: ngày bắt đầu và ngày kết thúc phải cùng một năm.")
    if code == "edxml_too_large":
        return translate("Registers", "Gói edXML quá lớn.")
    if code == "edxml_unsafe":
        return translate("Registers",
                         "Gói edXML có nội dung không an toàn (DTD, thực thể); không mở.")
    if code == "edxml_malformed":
        return translate("Registers",
                         "Tệp không phải gói edXML văn bản hợp lệ (QCVN 102:2016).")
    if code == "edxml_bad_attachment":
        return translate("Registers", "Tệp đính kèm trong gói edXML bị hỏng.")
    if code == "edxml_not_issued":
        return translate("Registers", "Chỉ văn bản đã ban hành mới xuất được gói edXML.")
    if code == "edxml_secret":
        return translate("Registers", "Văn bản mật không được gửi bằng gói edXML.")
    if code == "edxml_missing_field":
        return translate("Registers",
                         "Văn bản chưa có người ký: hãy ghi người ký trước khi xuất gói edXML.")
    if code == "blob_missing":
        return translate(
            "Registers",
            "Máy này chưa có tệp đính kèm của văn bản. Hãy đồng bộ (hoặc mở tệp để tải về) "
            "rồi thử lại.")
    if isinstance(error, OSError):
        return translate("Registers", "Không đọc hoặc ghi được tệp: {reason}").format(
            reason=error.strerror or str(error))
    return action_dialogs.error_text(error)
