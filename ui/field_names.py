"""Vietnamese names of dossier fields (dotted paths, as synced) for the screens that name a
field: the conflicts dialog, error messages. Threading: GUI thread (Qt translation)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def _t(text: str) -> str:
    return QCoreApplication.translate("FieldNames", text)


def field_label(path: str) -> str:
    labels = {
        "code": _t("Mã hồ sơ"),
        "status": _t("Trạng thái"),
        "notes": _t("Ghi chú"),
        "due_at": _t("Hẹn trả kết quả"),
        "received_at": _t("Thời điểm tiếp nhận"),
        "procedure_code": _t("Thủ tục"),
        "assigned_to": _t("Người xử lý"),
        "verification_days": _t("Số ngày gia hạn xác minh"),
        "apologies": _t("Số lần xin lỗi, hẹn lại"),
        "sets_count": _t("Số bộ hồ sơ"),
        "result_delivery": _t("Hình thức trả kết quả"),
        "papers": _t("Giấy tờ đã nhận"),
        "co_applicants": _t("Người cùng nộp"),
        "applicant.full_name": _t("Họ tên người nộp"),
        "applicant.id_number": _t("Số định danh"),
        "applicant.phone": _t("Số điện thoại"),
        "applicant.email": _t("Thư điện tử"),
        "applicant.address": _t("Địa chỉ"),
        "applicant.date_of_birth": _t("Ngày sinh"),
        "applicant.sex": _t("Giới tính"),
    }
    return labels.get(path, path)
