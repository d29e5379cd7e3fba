"""Vietnamese names of dossier fields (dotted paths, as synced) for the screens that name a
field: the conflicts dialog, error messages. Threading: GUI thread (Qt translation)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

translate = QCoreApplication.translate


def field_label(path: str) -> str:
    labels = {
        "code": translate("FieldNames", "Mã hồ sơ"),
        "status": translate("FieldNames", "Trạng thái"),
        "notes": translate("FieldNames", "Ghi chú"),
        "due_at": translate("FieldNames", "Hẹn trả kết quả"),
        "received_at": translate("FieldNames", "Thời điểm tiếp nhận"),
        "procedure_code": translate("FieldNames", "Thủ tục"),
        "assigned_to": translate("FieldNames", "Người xử lý"),
        "verification_days": translate("FieldNames", "Số ngày gia hạn xác minh"),
        "apologies": translate("FieldNames", "Số lần xin lỗi, hẹn lại"),
        "sets_count": translate("FieldNames", "Số bộ hồ sơ"),
        "result_delivery": translate("FieldNames", "Hình thức trả kết quả"),
        "papers": translate("FieldNames", "Giấy tờ đã nhận"),
        "co_applicants": translate("FieldNames", "Người cùng nộp"),
        "applicant.full_name": translate("FieldNames", "Họ tên người nộp"),
        "applicant.id_number": translate("FieldNames", "Số định danh"),
        "applicant.phone": translate("FieldNames", "Số điện thoại"),
        "applicant.email": translate("FieldNames", "Thư điện tử"),
        "applicant.address": translate("FieldNames", "Địa chỉ"),
        "applicant.date_of_birth": translate("FieldNames", "Ngày sinh"),
        "applicant.sex": translate("FieldNames", "Giới tính"),
        "number": translate("FieldNames", "Số văn bản đi"),
        "arrival_number": translate("FieldNames", "Số đến"),
        "symbol": translate("FieldNames", "Số, ký hiệu"),
        "summary": translate("FieldNames", "Trích yếu"),
        "lead": translate("FieldNames", "Người chủ trì"),
        "deadline": translate("FieldNames", "Hạn xử lý"),
    }
    return labels.get(path, path)
