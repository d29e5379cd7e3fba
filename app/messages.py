"""Words the headless CLI shows a person, in Vietnamese (default) and English.

app/ raises errors with codes; this table turns a code into a sentence for the terminal. The
desktop app has its own translations through Qt (ui/). Choose English with
``COMMUNEDESK_LANG=en``.
"""

from __future__ import annotations

import os

MESSAGES: dict[str, tuple[str, str]] = {
    # code: (Tiếng Việt, English)
    "profile_missing": ("Chưa có hồ sơ dữ liệu tại {profile}. Hãy chạy: communedesk init --commune MÃ_XÃ",
                        "No profile at {profile}. Run: communedesk init --commune CODE"),
    "profile_exists": ("Đã có hồ sơ dữ liệu tại {profile}; không ghi đè.",
                       "A profile already exists at {profile}; nothing was overwritten."),
    "passphrase_required": ("Cần mật khẩu dữ liệu: đặt biến môi trường COMMUNEDESK_PASSPHRASE.",
                            "A passphrase is needed: set COMMUNEDESK_PASSPHRASE."),
    "wrong_passphrase": ("Mật khẩu dữ liệu không đúng. Không có gì bị thay đổi.",
                         "Wrong passphrase. Nothing was changed."),
    "profile_damaged": ("Hồ sơ dữ liệu bị hỏng: {detail}", "The profile is damaged: {detail}"),
    "profile_too_new": ("Hồ sơ dữ liệu này do phiên bản CommuneDesk mới hơn tạo ra hoặc nâng cấp "
                        "({detail}). Hãy cập nhật phần mềm. Không có gì bị thay đổi.",
                        "A newer version of CommuneDesk made or upgraded this profile ({detail}). "
                        "Update the app. Nothing was changed."),
    "unknown_commune": ("Không có xã/phường mã {commune}.", "No commune or ward has code {commune}."),
    "unknown_dossier": ("Không tìm thấy hồ sơ {dossier}.", "No dossier {dossier}."),
    "illegal_transition": ("Không được chuyển trạng thái {from_status} → {to_status}.",
                           "Status {from_status} cannot move to {to_status}."),
    "invalid_field": ("Dữ liệu không hợp lệ: {detail}", "Invalid data: {detail}"),
    "invalid_record": ("Hồ sơ không hợp lệ: {detail}", "Invalid dossier: {detail}"),
    "duplicate_code": ("Mã hồ sơ {code} đã dùng cho hồ sơ khác.",
                       "Dossier code {code} is used by another dossier."),
    "slot_exhausted": ("Đã hết số hồ sơ của máy này trong ngày {day} ({first}–{last}).",
                       "This machine has used every dossier number of {day} ({first}-{last})."),
    "calendar_out_of_range": ("Lịch làm việc chưa có năm này.",
                              "The working calendar does not cover that year."),
    "unknown_procedure": ("Không có thủ tục {detail}.", "No procedure {detail}."),
    "malformed_json": ("Dòng không phải JSON: {detail}", "Not a JSON line: {detail}"),
    "file_unreadable": ("Không đọc được tệp {detail}.", "Cannot read file {detail}."),
    # warnings of the identity checks (they never block a save)
    "id_province_unknown": ("Mã tỉnh {code} trong số định danh không tồn tại.",
                            "Province code {code} in the ID number does not exist."),
    "id_sex_mismatch": ("Số định danh ghi giới tính khác với giới tính đã nhập.",
                        "The ID number's sex digit disagrees with the sex entered."),
    "id_birth_year_mismatch": ("Năm sinh trong số định danh ({id_year}) khác năm sinh đã nhập "
                               "({birth_year}).",
                               "The ID number's birth year ({id_year}) differs from the date of "
                               "birth ({birth_year})."),
    "id_old_format": ("Số CMND cũ 9 chữ số.", "An old 9-digit ID number."),
    "id_passport": ("Số hộ chiếu.", "A passport number."),
    "id_malformed": ("Số định danh không đúng dạng 12 chữ số.",
                     "The ID number is not 12 digits."),
    "phone_invalid": ("Số điện thoại không hợp lệ.", "Not a valid phone number."),
    "phone_unusual_type": ("Số điện thoại loại {type}.", "A {type} phone number."),
    # labels
    "line": ("dòng", "line"),
    "importing": ("Đang nhập… đã xử lý {lines} dòng", "Importing… {lines} lines handled"),
    "imported": ("Đã nhập {created} hồ sơ, {present} hồ sơ đã có, {errors} dòng lỗi.",
                 "Imported {created} dossiers, {present} already present, {errors} lines failed."),
    "healthy": ("Hồ sơ dữ liệu tốt.", "The profile is healthy."),
    "unhealthy": ("Phát hiện {count} vấn đề:", "{count} problems found:"),
    "created_profile": ("Đã tạo hồ sơ dữ liệu cho {name} ({province}) tại {profile}.",
                        "Created a profile for {name} ({province}) at {profile}."),
    "signed_in": ("Đã đăng nhập {user} ({role}) vào {commune}; dải số hồ sơ của máy: {first}–{last}.",
                  "Signed in {user} ({role}) to {commune}; this machine's code slot: {first}–{last}."),
    "password_required": ("Cần mật khẩu: đặt biến môi trường COMMUNEDESK_PASSWORD.",
                          "A password is needed: set COMMUNEDESK_PASSWORD."),
    "server_not_set": ("Chưa có địa chỉ máy chủ. Hãy chạy: communedesk login --server URL --username TÊN",
                       "No server address. Run: communedesk login --server URL --username NAME"),
    "wrong_commune": ("Tài khoản thuộc xã/phường {account}, còn dữ liệu này của {profile}.",
                      "The account belongs to {account}; this profile is {profile}."),
    "link_down": ("Không kết nối được máy chủ ({detail}). Dữ liệu vẫn an toàn trên máy; sẽ thử lại sau.",
                  "Cannot reach the server ({detail}). Your data is safe here; try again later."),
    "sign_in_required": ("Máy chủ từ chối phiên đăng nhập ({detail}). Hãy đăng nhập lại: communedesk login",
                         "The server refused this sign-in ({detail}). Sign in again: communedesk login"),
    "sync_busy": ("Một lần đồng bộ khác đang chạy trên dữ liệu này; hãy đợi nó xong.",
                  "Another sync is running on this profile; wait for it to finish."),
    "upgrade_required": ("Phiên bản CommuneDesk này đã cũ: {detail}",
                         "This CommuneDesk version is too old: {detail}"),
    "server_refused": ("Máy chủ từ chối: {detail}", "The server refused: {detail}"),
    "sync_done": ("Đồng bộ xong: gửi {pushed}, nhận {pulled}, tệp gửi {up}, tệp nhận {down}; còn chờ {pending}.",
                  "Sync done: sent {pushed}, received {pulled}, files up {up}, files down {down}; pending {pending}."),
    "sync_conflicts": ("Có {count} xung đột cần người quyết định: communedesk conflicts list",
                       "{count} conflicts wait for a person: communedesk conflicts list"),
    "sync_errors": ("Có {count} hồ sơ bị máy chủ từ chối; xem lý do: communedesk status",
                    "{count} records were refused by the server; see: communedesk status"),
    "blobs_left": ("Tiết kiệm băng thông: {count} tệp đính kèm để lại cho lúc mạng tốt (communedesk sync --blobs).",
                   "Bandwidth saver: {count} attachments left for a good link (communedesk sync --blobs)."),
    "clock_off": ("Đồng hồ máy lệch {minutes} phút so với máy chủ; mã hồ sơ và hạn hẹn dùng giờ máy chủ.",
                  "This machine's clock is {minutes} minutes off the server's; codes and due times use the server's time."),
    "resynced": ("Đã đồng bộ lại toàn bộ từ máy chủ; các thay đổi chưa gửi vẫn giữ nguyên.",
                 "Full resync from the server; unsent changes were kept."),
    "unknown_conflict": ("Không có xung đột {conflict}.", "No conflict {conflict}."),
    "conflict_choice": ("Không giải quyết được: {detail}", "Cannot resolve: {detail}"),
    "local_value": ("máy này", "this machine"),
    "server_value": ("máy chủ", "server"),
    "no_conflicts": ("Không có xung đột.", "No conflicts."),
    "conflict_resolved": ("Đã giải quyết: {dossier} {field} = {value}. Sẽ gửi lên máy chủ ở lần đồng bộ tới.",
                          "Resolved: {dossier} {field} = {value}. It goes to the server with the next sync."),
    "code_renumbered": ("Hồ sơ nay mang mã {dossier}: hãy in lại phiếu hẹn cho công dân.",
                        "The dossier now has code {dossier}: print a new appointment slip for the citizen."),
    # correspondence registers (docs/correspondence.md)
    "unknown_document": ("Không tìm thấy văn bản {document}.", "No document {document}."),
    "role_not_allowed": ("Vai trò {role} không được làm việc này.",
                         "The {role} role may not do this."),
    "ambiguous_document": ("Có nhiều văn bản có mã chứa {document}: hãy nhập thêm chữ số của mã "
                           "(hoặc số, ký hiệu của văn bản).",
                           "Several documents have ids containing {document}: type more of the "
                           "id (or the document's number and symbol)."),
    "not_lease_holder": ("Máy này không giữ {register}: sổ do máy {holder} giữ. Máy không giữ sổ "
                         "chỉ soạn dự thảo và ghi văn bản đến chưa có số; hãy chuyển cho máy "
                         "giữ sổ cấp số, hoặc nhờ máy đó trả sổ (communedesk lease release).",
                         "This machine does not hold the {register}: machine {holder} holds it. "
                         "A machine without the register drafts and records arrivals without a "
                         "number; have the holder give the number, or ask it to release the "
                         "register (communedesk lease release)."),
    "lease_free": ("Chưa máy nào giữ {register}. Hãy nhận sổ: communedesk lease acquire "
                   "--kind {kind} --series {series}",
                   "No machine holds the {register}. Take it: communedesk lease acquire "
                   "--kind {kind} --series {series}"),
    "document_state": ("Văn bản đang ở trạng thái {status}: không thể {action}.",
                       "The document is {status}: it cannot {action}."),
    "secret_has_attachments": ("Văn bản {document} đang có {attachments} tệp đính kèm trên máy này "
                               "nên không thể chuyển thành văn bản mật: văn bản mật chỉ lưu thông "
                               "tin, không lưu tệp. Hãy gỡ bỏ các tệp đính kèm trước, rồi đổi độ "
                               "mật. Chưa có gì bị thay đổi hay xóa.",
                               "Document {document} has {attachments} attachments on this "
                               "machine, so it cannot become secret: a secret document keeps "
                               "metadata only, no files. Remove the attachments first, then "
                               "change the secrecy level. Nothing was changed or deleted."),
    "secret_metadata_only": ("Văn bản mật chỉ lưu thông tin trên máy này, không lưu tệp đính kèm.",
                             "A secret document keeps metadata only on this machine: no "
                             "attachment."),
    "unknown_attachment": ("Văn bản {document} không có tệp đính kèm {attachment}. Mã và tên các "
                           "tệp: communedesk incoming show ID (hoặc outgoing show ID).",
                           "Document {document} has no attachment {attachment}. The ids and "
                           "names of its files: communedesk incoming show ID (or outgoing "
                           "show ID)."),
    "ambiguous_attachment": ("Có {count} tệp đính kèm của văn bản khớp với {attachment}: hãy nhập "
                             "mã tệp (hoặc thêm chữ số của mã) theo lệnh show.",
                             "{count} attachments of the document fit {attachment}: give the "
                             "attachment's id (or more of its digits) as show prints it."),
    "possible_duplicate": ("Văn bản {number_symbol} của {author} đã có trong sổ: số đến {existing}. "
                           "Hãy kiểm tra; nếu đúng là văn bản khác, thêm --force.",
                           "{number_symbol} from {author} is already registered: arrival "
                           "{existing}. Check it; if it is another document, add --force."),
    "lease_unsynced": ("Còn {count} văn bản đã cấp số chưa lên máy chủ (chờ gửi, lỗi hoặc xung "
                       "đột): chưa thể trả sổ. Hãy đồng bộ và giải quyết xung đột trước.",
                       "{count} numbered documents are not on the server yet (pending, refused "
                       "or in conflict): the register cannot be released. Sync and settle the "
                       "conflicts first."),
    "register_mixed_series": ("Không in chung văn bản thường và văn bản mật trong một sổ.",
                              "Ordinary and secret documents are not printed in one register."),
    "register_one_year": ("Một sổ là một năm: --from và --to phải cùng năm.",
                          "A register is one calendar year: --from and --to must be in one year."),
    "incoming_numbered": ("Đã vào {register}: số đến {number}, ngày đến {arrived}.",
                          "Registered in the {register}: arrival number {number}, arrived "
                          "{arrived}."),
    "incoming_unnumbered": ("Đã ghi văn bản đến {id}, chưa có số đến.",
                            "Recorded incoming document {id}, without an arrival number."),
    "outgoing_drafted": ("Đã lưu dự thảo {id}.", "Saved draft {id}."),
    "outgoing_issued": ("Đã cấp số: {symbol}, ngày {date}. Ghi số này lên bản giấy đã ký.",
                        "Issued: {symbol}, dated {date}. Write this number on the signed paper."),
    "outgoing_voided": ("Đã hủy văn bản {symbol}; số vẫn ở trong sổ, không dùng lại.",
                        "Voided {symbol}; the number stays in the register and is not reused."),
    "attachment_line": ("  tệp đính kèm {ref}: {file_name} ({size} byte)",
                        "  attachment {ref}: {file_name} ({size} bytes)"),
    "attachment_removed": ("Đã gỡ tệp {file_name} khỏi văn bản {document} và xóa tệp khỏi máy "
                           "này; các máy khác của xã gỡ tệp ở lần đồng bộ tới.",
                           "Removed {file_name} from document {document} and deleted the file "
                           "from this machine; the commune's other machines remove it at their "
                           "next sync."),
    "lease_line": ("{register}: {holder}", "{register}: {holder}"),
    "lease_acquired": ("Máy này đã giữ {register} (lượt {epoch}).",
                       "This machine now holds the {register} (epoch {epoch})."),
    "lease_released": ("Đã trả {register}; máy khác có thể nhận sổ.",
                       "Released the {register}; another machine can take it."),
    "lease_held_by": ("mã máy {device}, lượt {epoch}", "device id {device}, epoch {epoch}"),
    "transfer_needs_force": ("Chuyển sổ bắt buộc lấy sổ khỏi máy đang giữ: thêm --force để xác "
                             "nhận.",
                             "A forced transfer takes the register from its holder: add --force "
                             "to confirm."),
    "lease_transferred": ("Đã chuyển {register} sang máy {holder} (lượt {epoch}).",
                          "Moved the {register} to machine {holder} (epoch {epoch})."),
    "register_exported": ("Đã ghi {register} vào {output}.", "Wrote the {register} to {output}."),
    "number_conflict": ("xung đột số", "number conflict"),
    "number_conflict_choices": ("Chọn: --take server (bỏ số; máy giữ sổ cấp lại số, sửa số trên "
                                "bản giấy), --take void --reason … (hủy văn bản đi), --take local "
                                "(giữ số; chỉ máy đang giữ sổ).",
                                "Choose: --take server (give the number up; the holder gives a "
                                "new one, correct the paper), --take void --reason … (cancel an "
                                "outgoing document), --take local (keep the number; the holder "
                                "only)."),
    "document_unnumbered": ("Văn bản {document} nay chưa có số: máy giữ sổ cấp lại số, rồi sửa "
                            "số trên bản giấy và báo nơi nhận.",
                            "Document {document} has no number now: the holder gives it a new "
                            "one; then correct the paper and tell the recipients."),
    "this_machine": ("máy này", "this machine"),
    "nobody": ("chưa máy nào giữ", "nobody"),
    "standalone": ("máy này (độc lập, chưa kết nối máy chủ)",
                   "this machine (stand-alone, never connected)"),
    "unnumbered": ("chưa có số", "no number"),
    "draft": ("dự thảo", "draft"),
    "overdue": ("QUÁ HẠN", "OVERDUE"),
    "due_soon": ("sắp đến hạn", "due soon"),
    "not_synced": ("chưa đồng bộ", "not synced"),
    "warning": ("Cảnh báo", "Warning"),
    "error": ("Lỗi", "Error"),
    "saved": ("Đã lưu.", "Saved."),
    "no_results": ("Không có kết quả.", "No results."),
}

STATUS_NAMES: dict[int, tuple[str, str]] = {
    1: ("Đăng ký trực tuyến", "Registered online"),
    2: ("Đã tiếp nhận", "Received"),
    3: ("Không tiếp nhận", "Not received"),
    4: ("Đang xử lý", "Processing"),
    5: ("Yêu cầu bổ sung", "Supplement requested"),
    6: ("Yêu cầu thực hiện nghĩa vụ tài chính", "Financial obligation requested"),
    7: ("Công dân rút hồ sơ", "Withdrawn"),
    8: ("Dừng xử lý", "Processing stopped"),
    9: ("Đã có kết quả", "Result ready"),
    10: ("Đã trả kết quả", "Result returned"),
}

STATUS_LABELS = {
    "commune": ("Xã/phường", "Commune"), "unit_id": ("Mã đơn vị", "Unit id"),
    "dossiers": ("Hồ sơ", "Dossiers"), "pending": ("Thay đổi chờ đồng bộ", "Pending changes"),
    "conflicts": ("Xung đột", "Conflicts"), "errors": ("Lỗi đồng bộ", "Sync errors"),
    "overdue": ("Quá hạn", "Overdue"), "last_sync": ("Đồng bộ lần cuối", "Last sync"),
    "calendar_version": ("Phiên bản lịch", "Calendar version"),
    "device_id": ("Mã máy", "Device id"),
    "catalogue_version": ("Phiên bản danh mục thủ tục", "Catalogue version"),
}


REGISTER_NAMES: dict[tuple[str, str], tuple[str, str]] = {
    ("incoming", "ordinary"): ("sổ văn bản đến", "incoming register"),
    ("incoming", "secret"): ("sổ văn bản đến mật", "secret incoming register"),
    ("outgoing", "ordinary"): ("sổ văn bản đi", "outgoing register"),
    ("outgoing", "secret"): ("sổ văn bản đi mật", "secret outgoing register"),
    ("followup", "ordinary"): ("sổ theo dõi giải quyết văn bản đến",
                               "incoming follow-up register"),
    ("followup", "secret"): ("sổ theo dõi giải quyết văn bản đến mật",
                             "secret incoming follow-up register"),
}

DOCUMENT_STATUS_NAMES: dict[str, tuple[str, str]] = {
    "registered": ("đã vào sổ", "registered"), "directed": ("đã có chỉ đạo", "directed"),
    "in_progress": ("đang giải quyết", "in progress"), "done": ("đã giải quyết", "done"),
    "draft": ("dự thảo", "draft"), "issued": ("đã ban hành", "issued"),
    "void": ("đã hủy", "void"),
}


ROLE_NAMES: dict[str, tuple[str, str]] = {
    "officer": ("cán bộ một cửa", "one-stop officer"), "specialist": ("chuyên viên", "specialist"),
    "leader": ("lãnh đạo", "leader"), "clerk": ("văn thư", "clerk"),
    "admin": ("quản trị xã", "commune admin"), "city-admin": ("quản trị thành phố", "city admin"),
}

SYNC_STATE_NAMES: dict[str, tuple[str, str]] = {
    "pending": ("chờ đồng bộ", "not synced yet"), "synced": ("đã đồng bộ", "synced"),
    "conflict": ("xung đột", "conflict"), "error": ("máy chủ từ chối", "refused by the server"),
}

DOCUMENT_ACTION_NAMES: dict[str, tuple[str, str]] = {
    "number": ("cấp số đến", "number it"), "edit_incoming": ("sửa văn bản đến", "edit it"),
    "edit_draft": ("sửa", "edit it"), "issue": ("cấp số", "issue it"),
    "void": ("hủy", "void it"), "link_reply": ("làm văn bản trả lời", "link it as a reply"),
    "direct": ("ghi ý kiến chỉ đạo", "direct it"), "assign": ("giao xử lý", "assign it"),
    "progress": ("ghi tiến độ", "note progress"), "complete": ("kết thúc", "complete it"),
}


def register_name(kind: str, series: str) -> str:
    return REGISTER_NAMES.get((kind, series), (f"{kind}/{series}",) * 2)[_index()]


def document_status(status: str) -> str:
    return DOCUMENT_STATUS_NAMES.get(status, (status, status))[_index()]


def document_action(action: str) -> str:
    return DOCUMENT_ACTION_NAMES.get(action, (action, action))[_index()]


def role_name(role: str) -> str:
    return ROLE_NAMES.get(role, (role, role))[_index()]


def sync_state(state: str) -> str:
    return SYNC_STATE_NAMES.get(state, (state, state))[_index()]


def pick(pair: tuple[str, str]) -> str:
    """The Vietnamese or English one of a (vi, en) pair (app/registers.py names)."""
    return pair[_index()]


def _index() -> int:
    return 1 if os.environ.get("COMMUNEDESK_LANG", "vi").lower().startswith("en") else 0


def text(code: str, **params: object) -> str:
    """The sentence for ``code`` in the chosen language; unknown codes show as themselves."""
    pair = MESSAGES.get(code)
    if pair is None:
        return f"{code}: {params.get('detail', '')}".rstrip(": ")
    try:
        return pair[_index()].format(**params)
    except (KeyError, IndexError):
        return f"{pair[_index()]} ({params})"


def status_name(status: int) -> str:
    return STATUS_NAMES[status][_index()]


def label(key: str) -> str:
    return STATUS_LABELS.get(key, (key, key))[_index()]
