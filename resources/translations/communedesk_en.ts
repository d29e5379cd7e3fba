<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="vi_VN">
<context>
    <name>AcceptDialog</name>
    <message>
        <location filename="../../ui/action_dialogs.py" line="+360"/>
        <source>Tiếp nhận hồ sơ {code} mà công dân đã đăng ký trực tuyến.</source>
        <translation>Receive dossier {code}, which the citizen registered online.</translation>
    </message>
</context>
<context>
    <name>ActionDialog</name>
    <message>
        <location line="-165"/>
        <source>{action}: hồ sơ {code}</source>
        <translation>{action}: dossier {code}</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Huỷ</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location line="+67"/>
        <source>Việc này không thể hoàn tác.</source>
        <translation>This cannot be undone.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Quay lại</source>
        <translation>Back</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Đang lưu…</source>
        <translation>Saving…</translation>
    </message>
</context>
<context>
    <name>ActionDialogs</name>
    <message>
        <location line="-259"/>
        <source>Tiếp nhận</source>
        <translation>Receive</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Bắt đầu xử lý</source>
        <translation>Start processing</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Giao xử lý</source>
        <translation>Assign</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Yêu cầu bổ sung</source>
        <translation>Request additional papers</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Đã nhận bổ sung</source>
        <translation>Additional papers received</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Từ chối tiếp nhận</source>
        <translation>Refuse</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Gia hạn để xác minh</source>
        <translation>Extend for verification</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Xin lỗi, hẹn lại</source>
        <translation>Apologise and reschedule</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Đã có kết quả</source>
        <translation>Result ready</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Trả kết quả</source>
        <translation>Return result</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Công dân rút hồ sơ</source>
        <translation>Citizen withdraws the dossier</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Chưa có danh sách cán bộ; hãy đồng bộ.</source>
        <translation>No list of officials yet; please sync.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Mẫu 02: Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ</source>
        <translation>Form 02: Request to supplement and complete the dossier</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mẫu 03: Phiếu từ chối tiếp nhận giải quyết hồ sơ</source>
        <translation>Form 03: Refusal to receive and process the dossier</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mẫu 04: Phiếu xin lỗi và hẹn lại ngày trả kết quả</source>
        <translation>Form 04: Apology and new date for returning the result</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>lý do</source>
        <translation>reason</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ghi chú</source>
        <translation>note</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>giấy tờ cần bổ sung</source>
        <translation>papers to supplement</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>người được giao</source>
        <translation>assignee</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>số ngày gia hạn</source>
        <translation>days of extension</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>thời điểm hẹn mới</source>
        <translation>new appointment time</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Vai trò của bạn không được làm việc này với hồ sơ.</source>
        <translation>Your role may not do this with the dossier.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Hồ sơ đang ở trạng thái không cho phép việc này (có thể vừa được người khác xử lý). Hãy xem lại hồ sơ.</source>
        <translation>The dossier&apos;s status does not allow this (someone else may have just processed it). Please review the dossier.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Thời điểm hẹn mới phải sau thời điểm hẹn hiện tại và nằm trong giờ làm việc của một ngày làm việc.</source>
        <translation>The new appointment must be later than the current one and within office hours of a working day.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Số ngày gia hạn không hợp lệ, hoặc ngày hẹn mới vượt quá lịch ngày làm việc đã cài.</source>
        <translation>The number of extension days is invalid, or the new date is beyond the installed working-day calendar.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Người được giao không có trong danh sách cán bộ của xã.</source>
        <translation>The assignee is not on the commune&apos;s list of officials.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Thông tin chưa hợp lệ: {field}.</source>
        <translation>Invalid information: {field}.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Thủ tục của hồ sơ này không cho phép gia hạn để xác minh.</source>
        <translation>This dossier&apos;s procedure does not allow an extension for verification.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Vượt quá số ngày gia hạn tối đa của thủ tục: đã gia hạn {used} ngày, tối đa {maximum} ngày.</source>
        <translation>More than the procedure&apos;s maximum extension: {used} days already extended, at most {maximum} days.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Đã quá thời điểm hẹn trả kết quả: phiếu xin lỗi và hẹn lại phải lập trước khi hết hạn.</source>
        <translation>The appointment for returning the result has passed: an apology and new appointment must be made before it is due.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Hồ sơ đã được xin lỗi và hẹn lại {apologies} lần, bằng số lần tối đa cho phép.</source>
        <translation>The dossier has already been rescheduled with an apology {apologies} times, the maximum allowed.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Không tìm thấy hồ sơ này trên máy.</source>
        <translation>This dossier is not on this computer.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Máy này chưa có thủ tục của hồ sơ; hãy đồng bộ để tải danh mục.</source>
        <translation>This computer does not have the dossier&apos;s procedure yet; sync to download the catalogue.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Không thực hiện được (mã lỗi: {code}).</source>
        <translation>Could not do this (error code: {code}).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Đã xảy ra lỗi ngoài dự kiến ({kind}). Hãy thử lại; nếu vẫn lỗi, hãy báo quản trị viên.</source>
        <translation>An unexpected error occurred ({kind}). Please try again; if it persists, tell the administrator.</translation>
    </message>
</context>
<context>
    <name>ApologyDialog</name>
    <message>
        <location line="+452"/>
        <source>Xin lỗi công dân và hẹn lại ngày trả kết quả hồ sơ {code} (Mẫu 04). Phải lập trước khi hết thời điểm hẹn hiện tại.</source>
        <translation>Apologise to the citizen and set a new date for returning the result of dossier {code} (Form 04). This must be done before the current appointment passes.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Hẹn hiện tại</source>
        <translation>Current appointment</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>giờ Việt Nam (+07:00)</source>
        <translation>Vietnam time (+07:00)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hẹn mới</source>
        <translation>New appointment</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Đã xin lỗi, hẹn lại {count} lần.</source>
        <translation>Rescheduled with an apology {count} times.</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Thời điểm hẹn mới phải sau thời điểm hẹn hiện tại.</source>
        <translation>The new appointment must be later than the current one.</translation>
    </message>
</context>
<context>
    <name>AssignDialog</name>
    <message>
        <location line="-235"/>
        <source>Giao hồ sơ {code} cho một cán bộ xử lý.</source>
        <translation>Assign dossier {code} to an official for processing.</translation>
    </message>
    <message>
        <location line="+11"/>
        <location filename="../../ui/registers/dialogs.py" line="+1008"/>
        <source>Giao cho</source>
        <translation>Assign to</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../../ui/registers/dialogs.py" line="+1"/>
        <source>Không bắt buộc</source>
        <translation>Optional</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../../ui/registers/dialogs.py" line="+1"/>
        <source>Ghi chú</source>
        <translation>Note</translation>
    </message>
    <message>
        <location line="+14"/>
        <location filename="../../ui/registers/dialogs.py" line="+4"/>
        <source>Hãy chọn người được giao.</source>
        <translation>Please choose the assignee.</translation>
    </message>
    <message>
        <location filename="../../ui/registers/dialogs.py" line="-14"/>
        <source>Giao xử lý văn bản</source>
        <translation>Assign the document</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Giao văn bản cho một cán bộ giải quyết: {summary}</source>
        <translation>Assign the document to an official to handle: {summary}</translation>
    </message>
</context>
<context>
    <name>AttachDialog</name>
    <message>
        <location line="+135"/>
        <source>Đang đọc tệp đính kèm, hãy đợi một chút.</source>
        <translation>Attachments are still being read; please wait a moment.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Hãy chọn ít nhất một tệp.</source>
        <translation>Choose at least one file.</translation>
    </message>
</context>
<context>
    <name>AttachmentsInput</name>
    <message>
        <location filename="../../ui/attachments_input.py" line="+141"/>
        <source>Đính kèm tệ&amp;p (ảnh, PDF)…</source>
        <translation>Attach &amp;files (images, PDF)…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>hoặc kéo thả tệp vào đây</source>
        <translation>or drag and drop files here</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Tệp đính kèm</source>
        <translation>Attachments</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Bỏ tệp đã chọn</source>
        <translation>Remove the selected files</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Phím Delete trong danh sách tệp</source>
        <translation>The Delete key in the list of files</translation>
    </message>
    <message>
        <location line="+60"/>
        <source>Chọn tệp đính kèm</source>
        <translation>Choose attachments</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ảnh và PDF (*.jpg *.jpeg *.png *.pdf);;Mọi tệp (*)</source>
        <translation>Images and PDF (*.jpg *.jpeg *.png *.pdf);;All files (*)</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>{n} byte</source>
        <translation>{n} bytes</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{n} KB</source>
        <translation>{n} KB</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{n} MB</source>
        <translation>{n} MB</translation>
    </message>
    <message>
        <location line="+5"/>
        <source> (ảnh đã thu nhỏ từ {w0}×{h0} xuống {w1}×{h1} điểm ảnh)</source>
        <translation> (image reduced from {w0}×{h0} to {w1}×{h1} pixels)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Không đính kèm {name}: tệp quá lớn ({size}), giới hạn là {limit}.</source>
        <translation>{name} not attached: the file is too large ({size}), the limit is {limit}.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Không đính kèm {name}: chỉ nhận ảnh JPEG, PNG hoặc tệp PDF.</source>
        <translation>{name} not attached: only JPEG or PNG images and PDF files are accepted.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Không đính kèm {name}: ảnh bị hỏng hoặc quá lớn để mở.</source>
        <translation>{name} not attached: the image is damaged or too large to open.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Không đọc được tệp {name}.</source>
        <translation>Could not read the file {name}.</translation>
    </message>
    <message numerus="yes">
        <location line="+24"/>
        <source>Đang đọc %n tệp…</source>
        <translation>
            <numerusform>Reading %n file…</numerusform>
            <numerusform>Reading %n files…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%n tệp, </source>
        <translation>
            <numerusform>%n file, </numerusform>
            <numerusform>%n files, </numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>tổng {size}</source>
        <translation>{size} in all</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Chưa có tệp đính kèm.</source>
        <translation>No attachments yet.</translation>
    </message>
</context>
<context>
    <name>CoApplicantBlock</name>
    <message>
        <location filename="../../ui/intake.py" line="+156"/>
        <source>Bỏ người này</source>
        <translation>Remove this person</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Người cùng yêu cầu {n}</source>
        <translation>Co-applicant {n}</translation>
    </message>
</context>
<context>
    <name>CommunePage</name>
    <message>
        <location filename="../../ui/wizard.py" line="+417"/>
        <source>Xã, phường nơi làm việc</source>
        <translation>Commune or ward where you work</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Gõ tên xã, phường hoặc tỉnh, thành phố (có dấu hay không dấu đều được), hoặc mã 5 chữ số.</source>
        <translation>Type the name of the commune, ward, province or city (with or without diacritics), or its 5-digit code.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Ví dụ: Minh Châu Hà Nội</source>
        <translation>For example: Minh Chau Ha Noi</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tìm xã, phường</source>
        <translation>Find a commune or ward</translation>
    </message>
    <message>
        <location line="-110"/>
        <source>Mã {code}</source>
        <translation>Code {code}</translation>
    </message>
    <message>
        <location line="+119"/>
        <source>Danh sách xã, phường</source>
        <translation>Communes and wards</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Họ và tên của bạn</source>
        <translation>Your full name</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Họ và tên của bạn (không bắt buộc, in trên giấy tiếp nhận):</source>
        <translation>Your full name (optional, printed on receipts):</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Chưa chọn xã, phường.</source>
        <translation>No commune or ward chosen.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Đã chọn: {label} (mã {code})</source>
        <translation>Chosen: {label} (code {code})</translation>
    </message>
</context>
<context>
    <name>ConflictDialog</name>
    <message>
        <location filename="../../ui/conflicts.py" line="+60"/>
        <source>Giải quyết xung đột: hồ sơ %1</source>
        <translation>Resolve conflict: dossier %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Máy này và máy chủ đã sửa cùng một thông tin. Với mỗi dòng, hãy chọn giá trị đúng; lựa chọn sẽ được gửi ở lần đồng bộ tới.</source>
        <translation>This computer and the server changed the same information. For each row, choose the right value; your choice is sent at the next sync.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Thông tin</source>
        <translation>Information</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Trên máy này</source>
        <translation>On this computer</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Trên máy chủ</source>
        <translation>On the server</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Mã %1 đã được máy khác dùng cho hồ sơ khác. Hồ sơ này sẽ nhận mã mới; hãy in lại phiếu hẹn cho công dân.</source>
        <translation>Code %1 was used by another computer for another dossier. This dossier gets a new code; print a new appointment slip for the citizen.</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Lưu lựa chọn</source>
        <translation>Save choices</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Số %1 được cấp khi máy này không còn giữ quyền cấp số.</source>
        <translation>Number %1 was given when this machine no longer held the numbering lease.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Số %1 đã thuộc về văn bản khác trong sổ.</source>
        <translation>Number %1 already belongs to another document of the register.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Bỏ số này: văn bản thành chưa có số, máy giữ quyền sẽ cấp số mới; sửa lại bản giấy</source>
        <translation>Give this number up: the document becomes unnumbered, the lease holder gives it a new number; correct the paper</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Giữ số này (chỉ được khi máy này đang giữ quyền cấp số)</source>
        <translation>Keep this number (only while this machine holds the numbering lease)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hủy văn bản (ghi lý do)</source>
        <translation>Void the document (give a reason)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Lý do hủy</source>
        <translation>Reason for voiding</translation>
    </message>
</context>
<context>
    <name>ConflictsPanel</name>
    <message>
        <location line="+45"/>
        <source>Không có xung đột nào cần giải quyết.</source>
        <translation>No conflicts to resolve.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Mã hồ sơ</source>
        <translation>Dossier code</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Thông tin bị xung đột</source>
        <translation>Conflicting information</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Phát hiện lúc</source>
        <translation>Found at</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Giải quyết…</source>
        <translation>Resolve…</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>Không lưu được lựa chọn</source>
        <translation>Could not save the choices</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Không lưu được lựa chọn (%1). Hãy thử lại.</source>
        <translation>Could not save the choices (%1). Please try again.</translation>
    </message>
</context>
<context>
    <name>DeskStatusBar</name>
    <message numerus="yes">
        <location filename="../../ui/status_bar.py" line="+73"/>
        <source>Chờ gửi: %n</source>
        <translation>
            <numerusform>Waiting to send: %n</numerusform>
            <numerusform>Waiting to send: %n</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>Xung đột: %n</source>
        <translation>
            <numerusform>Conflicts: %n</numerusform>
            <numerusform>Conflicts: %n</numerusform>
        </translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Đồng bộ lần cuối: %1</source>
        <translation>Last sync: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Chưa đồng bộ lần nào</source>
        <translation>Never synced</translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>Đồng hồ máy lệch %n phút: hãy chỉnh giờ máy</source>
        <translation>
            <numerusform>This computer&apos;s clock is %n minute off: please set the time</numerusform>
            <numerusform>This computer&apos;s clock is %n minutes off: please set the time</numerusform>
        </translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Làm việc ngoại tuyến (chưa có máy chủ)</source>
        <translation>Working offline (no server yet)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mất kết nối</source>
        <translation>Disconnected</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Đã kết nối</source>
        <translation>Connected</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Đang đồng bộ…</source>
        <translation>Syncing…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cần đăng nhập lại</source>
        <translation>Sign in again</translation>
    </message>
</context>
<context>
    <name>DirectionDialog</name>
    <message>
        <location filename="../../ui/registers/dialogs.py" line="-213"/>
        <source>Ý kiến chỉ đạo</source>
        <translation>Direction</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Giao người chủ trì, người phối hợp và hạn xử lý văn bản: {summary}</source>
        <translation>Name the lead, the co-ordinators and the deadline of the document: {summary}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Người chủ trì</source>
        <translation>Lead</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Người phối hợp</source>
        <translation>Co-ordinators</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Người khác, cách nhau bằng dấu phẩy</source>
        <translation>Others, separated by commas</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Phối hợp (khác)</source>
        <translation>Co-ordinators (others)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Có hạn xử lý</source>
        <translation>Has a deadline</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Hạn xử lý</source>
        <translation>Deadline</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ý kiến chỉ đạo (không bắt buộc)</source>
        <translation>Direction (optional)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nội dung</source>
        <translation>Content</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Hãy chọn người chủ trì.</source>
        <translation>Choose the lead.</translation>
    </message>
</context>
<context>
    <name>DocumentDetail</name>
    <message>
        <location filename="../../ui/registers/document_detail.py" line="+101"/>
        <source>Chủ trì: {name}</source>
        <translation>Lead: {name}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Giao cho: {name}</source>
        <translation>Assigned to: {name}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Bỏ giao</source>
        <translation>Unassigned</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Đang tải văn bản…</source>
        <translation>Loading the document…</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Lưu gói edXML</source>
        <translation>Save the edXML package</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Gói edXML (*.edxml *.xml)</source>
        <translation>edXML packages (*.edxml *.xml)</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Đang lưu gói edXML…</source>
        <translation>Saving the edXML package…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Đang mở tệp {name}…</source>
        <translation>Opening the file {name}…</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Gỡ tệp đính kèm</source>
        <translation>Remove attachment</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Gỡ tệp “{name}” khỏi văn bản này?</source>
        <translation>Remove the file “{name}” from this document?</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Tệp bị xóa khỏi máy này, và khỏi các máy khác của xã ở lần đồng bộ tới. Lịch sử văn bản ghi lại việc gỡ tệp. Việc này không thể hoàn tác.</source>
        <translation>The file is deleted from this machine, and from the commune&apos;s other machines at their next sync. The document&apos;s history records the removal. This cannot be undone.</translation>
    </message>
    <message>
        <location line="-3"/>
        <location line="+352"/>
        <source>Gỡ tệp</source>
        <translation>Remove file</translation>
    </message>
    <message>
        <source>Quay lại</source>
        <translation type="vanished">Go back</translation>
    </message>
    <message>
        <location line="-345"/>
        <source>Đang gỡ tệp {name}…</source>
        <translation>Removing the file {name}…</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Chọn một văn bản để xem chi tiết.</source>
        <translation>Choose a document to see its details.</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Xem xung đột</source>
        <translation>See the conflicts</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Thông tin văn bản</source>
        <translation>Document details</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Chỉ đạo và giải quyết</source>
        <translation>Direction and handling</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Lịch sử</source>
        <translation>History</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Thời điểm</source>
        <translation>Time</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Người thực hiện</source>
        <translation>By</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nội dung</source>
        <translation>Content</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+107"/>
        <location line="+44"/>
        <source>Ghi chú</source>
        <translation>Notes</translation>
    </message>
    <message>
        <location line="-147"/>
        <source>Tệp đính kèm</source>
        <translation>Attachments</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Tên tệp</source>
        <translation>File name</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Dung lượng</source>
        <translation>Size</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Trên máy này</source>
        <translation>On this computer</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Văn bản mật: chỉ lưu thông tin trên máy tính, không lưu tệp đính kèm.</source>
        <translation>Secret document: only its details are kept on the computer, never its attachments.</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>Số đến {label}</source>
        <translation>Arrival number {label}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Chưa có số đến</source>
        <translation>No arrival number yet</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Dự thảo (chưa có số)</source>
        <translation>Draft (no number yet)</translation>
    </message>
    <message>
        <location line="+32"/>
        <location line="+53"/>
        <source>(dự thảo)</source>
        <translation>(draft)</translation>
    </message>
    <message>
        <location line="-51"/>
        <source>số đến {label}</source>
        <translation>arrival number {label}</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+7"/>
        <source>(chưa có số)</source>
        <translation>(no number yet)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Số đến</source>
        <translation>Arrival number</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ngày, giờ đến</source>
        <translation>Arrived at</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tác giả</source>
        <translation>Author</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+40"/>
        <source>Số, ký hiệu</source>
        <translation>Number and symbol</translation>
    </message>
    <message>
        <location line="-39"/>
        <source>Ngày văn bản</source>
        <translation>Document date</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+39"/>
        <source>Loại văn bản</source>
        <translation>Document type</translation>
    </message>
    <message>
        <location line="-38"/>
        <location line="+47"/>
        <source>Độ khẩn</source>
        <translation>Urgency</translation>
    </message>
    <message>
        <location line="-46"/>
        <location line="+47"/>
        <source>Độ mật</source>
        <translation>Secrecy</translation>
    </message>
    <message>
        <location line="-46"/>
        <location line="+38"/>
        <source>Nơi nhận</source>
        <translation>Recipients</translation>
    </message>
    <message>
        <location line="-37"/>
        <source>Hình thức</source>
        <translation>Form</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+41"/>
        <source>Ngày chuyển</source>
        <translation>Forwarded on</translation>
    </message>
    <message>
        <location line="-35"/>
        <source>{time} — QUÁ HẠN</source>
        <translation>{time} — OVERDUE</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{time} — sắp đến hạn</source>
        <translation>{time} — due soon</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Người chủ trì</source>
        <translation>Lead</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Chưa có ý kiến chỉ đạo</source>
        <translation>No direction yet</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Người phối hợp</source>
        <translation>Co-ordinators</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Hạn xử lý</source>
        <translation>Deadline</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Người chỉ đạo</source>
        <translation>Directed by</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Người được giao</source>
        <translation>Assigned to</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Chưa giao</source>
        <translation>Not assigned</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Văn bản trả lời</source>
        <translation>Reply</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Ngày ban hành</source>
        <translation>Issued on</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Người ký</source>
        <translation>Signer</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cơ quan ban hành</source>
        <translation>Issuing body</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Đơn vị soạn thảo</source>
        <translation>Drafting unit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Số bản</source>
        <translation>Copies</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nơi lưu</source>
        <translation>Archive copy</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Trả lời văn bản đến</source>
        <translation>Answers incoming document</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Đã hủy, lý do</source>
        <translation>Voided, reason</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>Không có thao tác nào bạn có thể làm với văn bản ở trạng thái này.</source>
        <translation>There is nothing you can do with the document in this state.</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Không lưu (văn bản mật)</source>
        <translation>Not kept (secret document)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Có</source>
        <translation>Yes</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Chưa tải về</source>
        <translation>Not downloaded yet</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Mở</source>
        <translation>Open</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Gỡ tệp này khỏi văn bản (hỏi lại trước khi gỡ)</source>
        <translation>Remove this file from the document (asks first)</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Đã cấp số {label}.</source>
        <translation>Numbered {label}.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Đã hủy văn bản; số vẫn nằm trong sổ.</source>
        <translation>The document is voided; its number stays in the register.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Đã lưu gói edXML vào: {path}</source>
        <translation>The edXML package was saved to: {path}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Đã gỡ tệp {name}.</source>
        <translation>Removed the file {name}.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Không mở được tệp {name}.</source>
        <translation>Cannot open the file {name}.</translation>
    </message>
</context>
<context>
    <name>DocumentDialog</name>
    <message>
        <location filename="../../ui/registers/dialogs.py" line="-691"/>
        <source>Huỷ</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Lưu</source>
        <translation>Save</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Việc này không thể hoàn tác.</source>
        <translation>This cannot be undone.</translation>
    </message>
    <message>
        <location line="-273"/>
        <source>Quay lại</source>
        <translation>Go back</translation>
    </message>
    <message>
        <location line="+298"/>
        <source>Đang lưu…</source>
        <translation>Saving…</translation>
    </message>
</context>
<context>
    <name>DossierDetail</name>
    <message>
        <location filename="../../ui/dossier_detail.py" line="+160"/>
        <source>Đăng ký trực tuyến</source>
        <translation>Registered online</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Đã tiếp nhận</source>
        <translation>Received</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Không tiếp nhận (từ chối)</source>
        <translation>Not received (refused)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Đang xử lý</source>
        <translation>Processing</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Chờ bổ sung hồ sơ</source>
        <translation>Waiting for additional papers</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Chờ thực hiện nghĩa vụ tài chính</source>
        <translation>Waiting for financial obligations</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Công dân đã rút hồ sơ</source>
        <translation>Withdrawn by the citizen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dừng xử lý</source>
        <translation>Processing stopped</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Đã có kết quả</source>
        <translation>Result ready</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Đã trả kết quả</source>
        <translation>Result returned</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Trạng thái {n}</source>
        <translation>Status {n}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Bản chính</source>
        <translation>Original</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Bản sao</source>
        <translation>Copy</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Bản sao có chứng thực</source>
        <translation>Certified copy</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Nhận trực tiếp tại Bộ phận một cửa</source>
        <translation>In person at the one-stop counter</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+9"/>
        <source>Qua dịch vụ bưu chính công ích</source>
        <translation>By public postal service</translation>
    </message>
    <message>
        <location line="-8"/>
        <location line="+7"/>
        <source>Trực tuyến</source>
        <translation>Online</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Trực tiếp</source>
        <translation>In person</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Nam</source>
        <translation>Male</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nữ</source>
        <translation>Female</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Công dân đăng ký trực tuyến</source>
        <translation>The citizen registered online</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tiếp nhận hồ sơ</source>
        <translation>Dossier received</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Đã nhận đủ hồ sơ bổ sung, tiếp tục xử lý</source>
        <translation>Additional papers complete, processing resumed</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Đã hoàn thành nghĩa vụ tài chính, tiếp tục xử lý</source>
        <translation>Financial obligations met, processing resumed</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Tiếp nhận hồ sơ đăng ký trực tuyến</source>
        <translation>Online registration received</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Từ chối tiếp nhận hồ sơ</source>
        <translation>Dossier refused</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Bắt đầu xử lý</source>
        <translation>Processing started</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Yêu cầu bổ sung, hoàn thiện hồ sơ</source>
        <translation>Additional papers requested</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Yêu cầu thực hiện nghĩa vụ tài chính</source>
        <translation>Financial obligations requested</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Công dân rút hồ sơ</source>
        <translation>Withdrawn by the citizen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dừng xử lý hồ sơ</source>
        <translation>Processing stopped</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Đã có kết quả giải quyết</source>
        <translation>Result ready</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Đã trả kết quả cho công dân</source>
        <translation>Result returned to the citizen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Chuyển trạng thái</source>
        <translation>Status changed</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{what} ({before} → {after})</source>
        <translation>{what} ({before} → {after})</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Bỏ giao hồ sơ (chưa giao cho ai)</source>
        <translation>Assignment removed (assigned to no one)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Giao hồ sơ cho {name}</source>
        <translation>Assigned to {name}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Gia hạn thời gian giải quyết để xác minh</source>
        <translation>Time limit extended for verification</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Xin lỗi công dân và hẹn lại ngày trả kết quả</source>
        <translation>Apology to the citizen and new date for the result</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sự kiện khác ({kind})</source>
        <translation>Other event ({kind})</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Đã đồng bộ với máy chủ.</source>
        <translation>Synced with the server.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Chưa đồng bộ: thay đổi đang chờ gửi lên máy chủ. Không cần làm gì, thay đổi sẽ được gửi ở lần đồng bộ tới (khi có mạng).</source>
        <translation>Not synced yet: changes are waiting to be sent to the server. Nothing to do: they are sent at the next sync (when the network is up).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Xung đột: hồ sơ này đã được sửa ở cả máy này và máy khác. Hãy bấm &quot;Giải quyết xung đột&quot; để chọn giá trị đúng cho từng thông tin.</source>
        <translation>Conflict: this dossier was changed both on this computer and on another. Click &quot;Resolve conflict&quot; to choose the right value for each item.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Lỗi đồng bộ: máy chủ không nhận thay đổi của hồ sơ này (lý do: {reason}). Hãy sửa lại thông tin bị từ chối rồi đồng bộ lại; nếu vẫn lỗi, hãy báo quản trị viên của xã.</source>
        <translation>Sync error: the server refused this dossier&apos;s changes (reason: {reason}). Correct the refused information and sync again; if it persists, tell the commune&apos;s administrator.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>không rõ</source>
        <translation>unknown</translation>
    </message>
    <message>
        <location line="+97"/>
        <source>Đang tải hồ sơ…</source>
        <translation>Loading the dossier…</translation>
    </message>
    <message>
        <location line="+12"/>
        <location line="+70"/>
        <source>Chọn một hồ sơ để xem chi tiết.</source>
        <translation>Choose a dossier to see its details.</translation>
    </message>
    <message>
        <location line="-48"/>
        <source>Đang mở tệp {name}…</source>
        <translation>Opening {name}…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Đang tải tệp {name} từ máy chủ…</source>
        <translation>Downloading {name} from the server…</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Không tìm thấy hồ sơ này trên máy.</source>
        <translation>This dossier is not on this computer.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Không đọc được hồ sơ: {error}</source>
        <translation>Could not read the dossier: {error}</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>Giải quyết xung đột</source>
        <translation>Resolve conflict</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Thông tin hồ sơ</source>
        <translation>Dossier</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Thủ tục</source>
        <translation>Procedure</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hình thức nộp</source>
        <translation>Submitted</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Trạng thái</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Thời điểm tiếp nhận</source>
        <translation>Received at</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hẹn trả kết quả</source>
        <translation>Result due</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Người tiếp nhận</source>
        <translation>Received by</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Người xử lý</source>
        <translation>Assigned to</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Số ngày gia hạn để xác minh</source>
        <translation>Days extended for verification</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Số lần xin lỗi, hẹn lại</source>
        <translation>Apologies and new appointments</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Số bộ hồ sơ</source>
        <translation>Number of sets</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hình thức trả kết quả</source>
        <translation>Result delivery</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+30"/>
        <source>Ghi chú</source>
        <translation>Notes</translation>
    </message>
    <message>
        <location line="-25"/>
        <source>Người nộp hồ sơ</source>
        <translation>Applicant</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Họ và tên</source>
        <translation>Full name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Số định danh cá nhân</source>
        <translation>Personal ID number</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ngày sinh</source>
        <translation>Date of birth</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Giới tính</source>
        <translation>Sex</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Số điện thoại</source>
        <translation>Phone number</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Thư điện tử</source>
        <translation>Email</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Địa chỉ</source>
        <translation>Address</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Người cùng nộp</source>
        <translation>Co-applicants</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Giấy tờ đã nhận</source>
        <translation>Papers received</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Tên giấy tờ</source>
        <translation>Paper</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Hình thức</source>
        <translation>Form</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Số lượng</source>
        <translation>Quantity</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Lịch sử xử lý</source>
        <translation>History</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Thời điểm</source>
        <translation>Time</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Người thực hiện</source>
        <translation>By</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nội dung</source>
        <translation>What happened</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Tệp đính kèm</source>
        <translation>Attachments</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Tên tệp</source>
        <translation>File name</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Dung lượng</source>
        <translation>Size</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Trên máy này</source>
        <translation>On this computer</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Tệp đính kèm chứa dữ liệu cá nhân. Ảnh được xem ngay trong chương trình; tệp PDF được mở bằng trình xem của máy từ một bản sao tạm riêng tư, bản sao này bị xoá khi thoát CommuneDesk. Mỗi lần mở đều được ghi vào nhật ký truy cập.</source>
        <translation>Attachments hold personal data. Images are shown inside the program; PDF files open in this computer&apos;s viewer from a private temporary copy, which is deleted when CommuneDesk quits. Every opening is written to the access log.</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>{name} (mã {code}, phiên bản {version})</source>
        <translation>{name} (code {code}, version {version})</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Chưa giao</source>
        <translation>Not assigned</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{used} / tối đa {limit} ngày làm việc</source>
        <translation>{used} / at most {limit} working days</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Không có</source>
        <translation>None</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>số định danh {number}</source>
        <translation>ID number {number}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>sinh {date}</source>
        <translation>born {date}</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>{time} — QUÁ HẠN</source>
        <translation>{time} — OVERDUE</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{time} — sắp đến hạn (còn dưới một ngày làm việc)</source>
        <translation>{time} — due soon (less than one working day left)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{time} (tạm dừng tính thời gian trong khi chờ bổ sung)</source>
        <translation>{time} (the clock is paused while waiting for additional papers)</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Không có thao tác nào bạn có thể làm với hồ sơ ở trạng thái này.</source>
        <translation>There is nothing you can do with the dossier in this status.</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Có</source>
        <translation>Yes</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Chưa tải về</source>
        <translation>Not downloaded</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mở</source>
        <translation>Open</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Không đọc được ảnh {name}: tệp hỏng hoặc không phải ảnh.</source>
        <translation>Could not read the image {name}: the file is damaged or not an image.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Máy này không có chương trình mở được tệp {name}. Hãy cài một trình xem PDF.</source>
        <translation>No program on this computer can open {name}. Please install a PDF viewer.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Đã mở {name} bằng trình xem của máy, từ một bản sao tạm riêng tư; bản sao sẽ bị xoá khi thoát CommuneDesk.</source>
        <translation>Opened {name} in this computer&apos;s viewer from a private temporary copy; the copy is deleted when CommuneDesk quits.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Máy này chưa có tệp này và chưa kết nối với máy chủ. Hãy đăng nhập và đồng bộ rồi mở lại.</source>
        <translation>This computer does not have this file and is not connected to a server. Sign in and sync, then open it again.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Máy này chưa có tệp này và không kết nối được máy chủ. Hãy thử lại khi có mạng.</source>
        <translation>This computer does not have this file and cannot reach the server. Try again when the network is up.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Phiên đăng nhập đã hết hạn. Hãy đăng nhập lại rồi mở tệp.</source>
        <translation>The sign-in has expired. Sign in again, then open the file.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Tệp trên máy này bị hỏng hoặc thiếu. Hãy đồng bộ lại để tải bản từ máy chủ.</source>
        <translation>The file on this computer is damaged or missing. Sync again to download the server&apos;s copy.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Không mở được tệp: {error}</source>
        <translation>Could not open the file: {error}</translation>
    </message>
</context>
<context>
    <name>DossierListPage</name>
    <message>
        <location filename="../../ui/dossier_list.py" line="+291"/>
        <source>Tất cả trạng thái</source>
        <translation>All statuses</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Đang giải quyết</source>
        <translation>In progress</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Đang giải quyết: mọi hồ sơ chưa kết thúc (chưa trả kết quả, chưa dừng, chưa rút, không bị từ chối)</source>
        <translation>In progress: every dossier not yet closed (result not returned, not stopped, not withdrawn, not refused)</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+2"/>
        <source>Tất cả thủ tục</source>
        <translation>All procedures</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Quá hạn</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hồ sơ đang giải quyết đã qua giờ hẹn trả</source>
        <translation>Dossiers in progress whose result is past due</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Đến hạn hôm nay</source>
        <translation>Due today</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hồ sơ đang giải quyết có giờ hẹn trả trong hôm nay (kể cả đã qua giờ)</source>
        <translation>Dossiers in progress whose result is due today (including those already past the hour)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sắp đến hạn</source>
        <translation>Due soon</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hồ sơ đang giải quyết sẽ đến giờ hẹn trả trong vài giờ tới (mặc định 24 giờ)</source>
        <translation>Dossiers in progress whose result is due within the next hours (24 hours by default)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Giao cho tôi</source>
        <translation>Assigned to me</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Hồ sơ đang giao cho bạn xử lý</source>
        <translation>Dossiers assigned to you</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cần đăng nhập vào máy chủ của thành phố để biết hồ sơ nào giao cho bạn</source>
        <translation>Sign in to the city server to see which dossiers are assigned to you</translation>
    </message>
    <message>
        <location line="+89"/>
        <source>%1 hồ sơ</source>
        <translation>%1 dossiers</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Gõ ít nhất %1 ký tự để tìm.</source>
        <translation>Type at least %1 characters to search.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Nhiều hồ sơ khớp với “%1”: chỉ hiện những hồ sơ khớp nhất (tối đa %2). Gõ thêm để thu hẹp.</source>
        <translation>Many dossiers match “%1”: only the best matches are shown (at most %2). Type more to narrow them down.</translation>
    </message>
</context>
<context>
    <name>DossierStatus</name>
    <message>
        <location filename="../../ui/dossier_model.py" line="+132"/>
        <source>Đăng ký trực tuyến</source>
        <translation>Registered online</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Đã tiếp nhận</source>
        <translation>Received</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Không tiếp nhận</source>
        <translation>Not received</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Đang xử lý</source>
        <translation>Processing</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Yêu cầu bổ sung</source>
        <translation>Additional papers requested</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Yêu cầu thực hiện nghĩa vụ tài chính</source>
        <translation>Financial obligations requested</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Công dân rút hồ sơ</source>
        <translation>Withdrawn by the citizen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dừng xử lý</source>
        <translation>Processing stopped</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Đã có kết quả</source>
        <translation>Result ready</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Đã trả kết quả</source>
        <translation>Result returned</translation>
    </message>
</context>
<context>
    <name>DossierTableModel</name>
    <message>
        <location line="+274"/>
        <source>Mã hồ sơ</source>
        <translation>Dossier code</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Người nộp</source>
        <translation>Applicant</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Thủ tục</source>
        <translation>Procedure</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Trạng thái</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Ngày nhận</source>
        <translation>Received</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Hẹn trả</source>
        <translation>Due</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Người xử lý</source>
        <translation>Assigned to</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Đồng bộ</source>
        <translation>Sync</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Chờ gửi: thay đổi chưa lên máy chủ, sẽ gửi ở lần đồng bộ tới</source>
        <translation>Waiting to send: the changes are not on the server yet and go at the next sync</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Đã đồng bộ với máy chủ</source>
        <translation>Synced with the server</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Xung đột: hai máy đã sửa cùng một trường; cần người chọn giá trị giữ lại</source>
        <translation>Conflict: two computers changed the same field; a person must choose the value to keep</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>không rõ lý do</source>
        <translation>reason unknown</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lỗi: máy chủ từ chối (%1). Sửa hồ sơ để gửi lại</source>
        <translation>Error: the server refused it (%1). Edit the dossier to send it again</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Quá hạn: hẹn trả %1</source>
        <translation>Overdue: was due %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sắp đến hạn: hẹn trả %1</source>
        <translation>Due soon: due %1</translation>
    </message>
</context>
<context>
    <name>DossiersArea</name>
    <message>
        <location filename="../../ui/main_window.py" line="+64"/>
        <source>← Về danh sách hồ sơ</source>
        <translation>← Back to the dossier list</translation>
    </message>
</context>
<context>
    <name>DraftForm</name>
    <message>
        <location filename="../../ui/registers/dialogs.py" line="+258"/>
        <source>Soạn văn bản đi</source>
        <translation>Draft an outgoing document</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sửa văn bản đi {label}</source>
        <translation>Edit outgoing document {label}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>(dự thảo)</source>
        <translation>(draft)</translation>
    </message>
    <message>
        <source>Văn bản đã ban hành: nội dung đã in trên giấy, chỉ còn sửa được ghi chú, nơi lưu và số bản.</source>
        <translation type="vanished">Issued document: its content is on paper; only the notes, the archive copy and the number of copies can still change.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Văn bản đã ban hành: nội dung đã in trên giấy, chỉ còn sửa được ghi chú, nơi lưu, số bản và ngày chuyển.</source>
        <translation>Issued document: its content is on paper; only the notes, the archive copy, the number of copies and the forwarding date can still change.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Dự thảo chưa có số. Số được cấp khi văn bản đã ký (nút “Cấp số”), trên máy giữ quyền cấp số của sổ.</source>
        <translation>A draft has no number. The number is given once the document is signed (the “Number” button), on the computer that holds the register&apos;s numbering.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Lưu dự thảo</source>
        <translation>Save the draft</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Lưu</source>
        <translation>Save</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Loại văn bản</source>
        <translation>Document type</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Trích yếu nội dung (bắt buộc)</source>
        <translation>Summary of the content (required)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Trích yếu</source>
        <translation>Summary</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Họ tên người ký</source>
        <translation>Full name of the signer</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Người ký</source>
        <translation>Signer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mỗi dòng một nơi nhận</source>
        <translation>One recipient per line</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Nơi nhận</source>
        <translation>Recipients</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ví dụ: VP</source>
        <translation>For example: VP</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Đơn vị soạn thảo</source>
        <translation>Drafting unit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Để trống: theo cài đặt (UBND)</source>
        <translation>Empty: as set in the settings (UBND)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cơ quan ban hành (viết tắt)</source>
        <translation>Issuing body (abbreviation)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Số bản</source>
        <translation>Copies</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Độ khẩn</source>
        <translation>Urgency</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Độ mật</source>
        <translation>Secrecy</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Đơn vị, người nhận bản lưu</source>
        <translation>Unit or person keeping the archive copy</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Nơi lưu</source>
        <translation>Archive copy</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Ngày chuyển</source>
        <translation>Forwarded on</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Không bắt buộc</source>
        <translation>Optional</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ghi chú</source>
        <translation>Notes</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Tệp đính kèm</source>
        <translation>Attachments</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>Hãy ghi trích yếu nội dung.</source>
        <translation>Write the summary of the content.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Đang đọc tệp đính kèm, hãy đợi một chút.</source>
        <translation>Attachments are still being read; please wait a moment.</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <location filename="../../ui/registers/export_dialog.py" line="+64"/>
        <source>In sổ / Xuất sổ</source>
        <translation>Print / export a register</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Sổ in theo mẫu của Nghị định 30/2020/NĐ-CP, có trang bìa (năm, từ số đến số, quyển số). Mỗi sổ là một năm; sổ thường và sổ mật in riêng.</source>
        <translation>The register is printed on the template of Decree No. 30/2020/ND-CP, with its cover page (year, first and last number, volume). A register is one year; ordinary and secret registers are printed apart.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Sổ đăng ký văn bản đến</source>
        <translation>Incoming documents register</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sổ đăng ký văn bản đi</source>
        <translation>Outgoing documents register</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sổ theo dõi giải quyết văn bản đến</source>
        <translation>Incoming documents follow-up register</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sổ</source>
        <translation>Register</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Văn bản thường</source>
        <translation>Ordinary documents</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Văn bản mật</source>
        <translation>Secret documents</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Loại sổ</source>
        <translation>Series</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>đến ngày</source>
        <translation>to</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Từ ngày</source>
        <translation>From</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>PDF (để in)</source>
        <translation>PDF (to print)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Excel</source>
        <translation>Excel</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Định dạng</source>
        <translation>Format</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Chọn nơi lưu…</source>
        <translation>Choose where to save…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Đóng</source>
        <translation>Close</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Ngày bắt đầu phải trước ngày kết thúc.</source>
        <translation>The first day must come before the last day.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Mỗi sổ là một năm: ngày bắt đầu và ngày kết thúc phải cùng một năm.</source>
        <translation>A register is one year: the first and the last day must be in the same year.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Lưu sổ</source>
        <translation>Save the register</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tệp PDF (*.pdf)</source>
        <translation>PDF files (*.pdf)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tệp Excel (*.xlsx)</source>
        <translation>Excel files (*.xlsx)</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Đang lập sổ…</source>
        <translation>Making the register…</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Đã lưu sổ vào: {path}</source>
        <translation>The register was saved to: {path}</translation>
    </message>
</context>
<context>
    <name>ExtendVerificationDialog</name>
    <message>
        <location filename="../../ui/action_dialogs.py" line="+125"/>
        <source>Gia hạn thời gian giải quyết hồ sơ {code} để xác minh. Thủ tục cho phép gia hạn tối đa {limit} ngày làm việc; hồ sơ đã gia hạn {used} ngày.</source>
        <translation>Extend the time limit of dossier {code} for verification. The procedure allows at most {limit} working days; the dossier has been extended by {used} days.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Hẹn hiện tại</source>
        <translation>Current appointment</translation>
    </message>
    <message>
        <location line="+5"/>
        <source> ngày làm việc</source>
        <translation> working days</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Gia hạn thêm</source>
        <translation>Extend by</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Hẹn mới (dự kiến)</source>
        <translation>New appointment (expected)</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Hồ sơ đã gia hạn hết số ngày thủ tục cho phép.</source>
        <translation>The dossier has used all the extension days the procedure allows.</translation>
    </message>
</context>
<context>
    <name>FieldNames</name>
    <message>
        <location filename="../../ui/field_names.py" line="+13"/>
        <source>Mã hồ sơ</source>
        <translation>Dossier code</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Trạng thái</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ghi chú</source>
        <translation>Notes</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hẹn trả kết quả</source>
        <translation>Result due</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Thời điểm tiếp nhận</source>
        <translation>Received at</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Thủ tục</source>
        <translation>Procedure</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Người xử lý</source>
        <translation>Assigned to</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Số ngày gia hạn xác minh</source>
        <translation>Days extended for verification</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Số lần xin lỗi, hẹn lại</source>
        <translation>Apologies and new appointments</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Số bộ hồ sơ</source>
        <translation>Number of sets</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hình thức trả kết quả</source>
        <translation>Result delivery</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Giấy tờ đã nhận</source>
        <translation>Papers received</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Người cùng nộp</source>
        <translation>Co-applicants</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Họ tên người nộp</source>
        <translation>Applicant&apos;s full name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Số định danh</source>
        <translation>ID number</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Số điện thoại</source>
        <translation>Phone number</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Thư điện tử</source>
        <translation>Email</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Địa chỉ</source>
        <translation>Address</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ngày sinh</source>
        <translation>Date of birth</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Giới tính</source>
        <translation>Sex</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Số văn bản đi</source>
        <translation>Outgoing number</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Số đến</source>
        <translation>Arrival number</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Số, ký hiệu</source>
        <translation>Number and symbol</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Trích yếu</source>
        <translation>Summary</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Người chủ trì</source>
        <translation>Lead</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hạn xử lý</source>
        <translation>Deadline</translation>
    </message>
</context>
<context>
    <name>FirstRunWizard</name>
    <message>
        <location filename="../../ui/wizard.py" line="+119"/>
        <source>CommuneDesk — Thiết lập lần đầu</source>
        <translation>CommuneDesk — First setup</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Tiếp theo &gt;</source>
        <translation>Next &gt;</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&lt; Quay lại</source>
        <translation>&lt; Back</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hoàn tất</source>
        <translation>Finish</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hủy</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>Hãy chọn xã, phường nơi làm việc.</source>
        <translation>Please choose the commune or ward where you work.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Hãy nhập tên đăng nhập và mật khẩu.</source>
        <translation>Please enter the user name and password.</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Đang tạo hồ sơ dữ liệu mã hóa…</source>
        <translation>Creating the encrypted data profile…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Đang đăng nhập vào máy chủ của thành phố…</source>
        <translation>Signing in to the city server…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Đang mở dữ liệu…</source>
        <translation>Opening the data…</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Mã xã, phường không có trong danh mục.</source>
        <translation>The commune or ward code is not in the list.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Thư mục dữ liệu {root} đã có một hồ sơ. Hãy đóng cửa sổ này và mở lại ứng dụng.</source>
        <translation>The data folder {root} already holds a profile. Close this window and open the application again.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Không ghi được vào thư mục dữ liệu {root}: {reason}. Hãy kiểm tra dung lượng ổ đĩa và quyền ghi, rồi bấm Hoàn tất lần nữa.</source>
        <translation>Could not write to the data folder {root}: {reason}. Check the free disk space and the permission to write, then click Finish again.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Không tạo được hồ sơ dữ liệu ({code}).</source>
        <translation>Could not create the data profile ({code}).</translation>
    </message>
</context>
<context>
    <name>ImagePreview</name>
    <message>
        <location filename="../../ui/attachment_viewer.py" line="+137"/>
        <source>Xem tệp đính kèm: {name}</source>
        <translation>Attachment: {name}</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>{name} — {width} × {height} điểm ảnh</source>
        <translation>{name} — {width} × {height} pixels</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Đóng</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>IncomingForm</name>
    <message>
        <location filename="../../ui/registers/dialogs.py" line="-314"/>
        <source>Sửa văn bản đến</source>
        <translation>Edit the incoming document</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Đăng ký văn bản đến từ gói edXML</source>
        <translation>Register an incoming document from an edXML package</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Đăng ký văn bản đến</source>
        <translation>Register an incoming document</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Thông tin đã lấy từ gói edXML. Kiểm tra lại rồi bấm “Đăng ký”.</source>
        <translation>The details come from the edXML package. Check them, then press “Register”.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Văn bản khẩn (Khẩn, Thượng khẩn, Hỏa tốc) được đánh dấu nổi bật trong mọi danh sách. Văn bản mật chỉ lưu thông tin, không lưu tệp.</source>
        <translation>Urgent documents (Urgent, Very urgent, Flash) stand out in every list. Secret documents keep their details only, never files.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Lưu</source>
        <translation>Save</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Đăng ký</source>
        <translation>Register</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Ngày, giờ đến</source>
        <translation>Arrived at</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cơ quan, tổ chức ban hành (bắt buộc)</source>
        <translation>Issuing body or organisation (required)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Tác giả</source>
        <translation>Author</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ví dụ: 15/QĐ-UBND</source>
        <translation>For example: 15/QĐ-UBND</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Số, ký hiệu</source>
        <translation>Number and symbol</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Ngày văn bản</source>
        <translation>Document date</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Loại văn bản</source>
        <translation>Document type</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Trích yếu nội dung (bắt buộc)</source>
        <translation>Summary of the content (required)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Trích yếu</source>
        <translation>Summary</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Độ khẩn</source>
        <translation>Urgency</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Độ mật</source>
        <translation>Secrecy</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Đơn vị hoặc người nhận</source>
        <translation>Receiving unit or person</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Nơi nhận</source>
        <translation>Recipients</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Ngày chuyển</source>
        <translation>Forwarded on</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Hình thức</source>
        <translation>Form</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Không bắt buộc</source>
        <translation>Optional</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ghi chú</source>
        <translation>Notes</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Văn bản mật: chỉ lưu thông tin trên máy tính, không lưu tệp đính kèm (bản quét, PDF).</source>
        <translation>Secret document: only its details are kept on the computer, never its attachments (scans, PDF).</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Tệp đính kèm</source>
        <translation>Attachments</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Tệp trong gói</source>
        <translation>Files in the package</translation>
    </message>
    <message>
        <location line="+49"/>
        <source>Hãy ghi tác giả (cơ quan, tổ chức ban hành văn bản).</source>
        <translation>Write the author (the body or organisation that issued the document).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Hãy chọn loại văn bản.</source>
        <translation>Choose the document type.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Hãy ghi trích yếu nội dung.</source>
        <translation>Write the summary of the content.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Đang đọc tệp đính kèm, hãy đợi một chút.</source>
        <translation>Attachments are still being read; please wait a moment.</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Số đến {label}, ngày đến {arrived}: {summary}</source>
        <translation>Arrival number {label}, arrived {arrived}: {summary}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>(chưa có số)</source>
        <translation>(no number yet)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Sổ đã có văn bản số {symbol} của {author}:

{entries}

Hãy kiểm tra bản giấy. Đây có đúng là một văn bản khác không?</source>
        <translation>The register already has document {symbol} of {author}:

{entries}

Check the paper. Is this really another document?</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Vẫn đăng ký</source>
        <translation>Register anyway</translation>
    </message>
</context>
<context>
    <name>IntakePage</name>
    <message>
        <location filename="../../ui/intake.py" line="+43"/>
        <source>1. Thủ tục hành chính</source>
        <translation>1. Administrative procedure</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>2. Người nộp hồ sơ</source>
        <translation>2. Applicant</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Thêm &amp;người cùng yêu cầu (ví dụ: kết hôn)</source>
        <translation>Add a &amp;co-applicant (for example: marriage)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>3. Giấy tờ và cách trả kết quả</source>
        <translation>3. Papers and result delivery</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Giấ&amp;y tờ đã nhận (đánh dấu giấy tờ công dân đã nộp)</source>
        <translation>&amp;Papers received (tick the papers the citizen handed in)</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Số &amp;bộ hồ sơ</source>
        <translation>Number of &amp;sets</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hình thức nhận &amp;kết quả</source>
        <translation>&amp;Result delivery</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ghi &amp;chú</source>
        <translation>&amp;Notes</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>4. Tệp đính kèm (bản quét, ảnh chụp, PDF)</source>
        <translation>4. Attachments (scans, photos, PDF)</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>&amp;Lưu và in phiếu hẹn</source>
        <translation>&amp;Save and print the appointment slip</translation>
    </message>
    <message>
        <location line="+82"/>
        <source>Đang lưu hồ sơ…</source>
        <translation>Saving the dossier…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cần chọn thủ tục trước khi lưu.</source>
        <translation>Choose a procedure before saving.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cần nhập họ và tên người nộp hồ sơ trước khi lưu.</source>
        <translation>Enter the applicant&apos;s full name before saving.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Đang đọc tệp đính kèm, chờ một chút.</source>
        <translation>Reading the attachments, one moment.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Lưu hồ sơ và in phiếu hẹn trả kết quả (Ctrl+S).</source>
        <translation>Save the dossier and print the appointment slip (Ctrl+S).</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Không tải được danh mục thủ tục: {error}</source>
        <translation>Could not load the procedure catalogue: {error}</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Tại bộ phận một cửa</source>
        <translation>At the one-stop counter</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Qua bưu điện</source>
        <translation>By post</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Trực tuyến</source>
        <translation>Online</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Không tính được ngày hẹn: {error}</source>
        <translation>Could not compute the appointment: {error}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{hour} giờ {minute} phút, ngày {date}</source>
        <translation>{hour}:{minute} on {date}</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Chọn thủ tục để xem ngày hẹn trả kết quả.</source>
        <translation>Choose a procedure to see when the result is due.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Đang tính ngày hẹn trả kết quả…</source>
        <translation>Computing when the result is due…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Hẹn trả kết quả: {when}</source>
        <translation>Result due: {when}</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Chưa đánh dấu giấy tờ bắt buộc: {names}</source>
        <translation>Required papers not ticked: {names}</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Ngày sinh không hợp lệ</source>
        <translation>Invalid date of birth</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ngày sinh đã nhập không phải một ngày hợp lệ (hoặc ở tương lai) nên sẽ không được lưu. Vẫn lưu hồ sơ?</source>
        <translation>The date of birth entered is not a valid date (or is in the future), so it will not be saved. Save the dossier anyway?</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Đã tiếp nhận hồ sơ {code}</source>
        <translation>Dossier {code} received</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Hồ sơ chưa được lưu: {reason} Thông tin đã nhập vẫn còn, sửa rồi lưu lại.</source>
        <translation>The dossier was not saved: {reason} What you entered is still here: correct it and save again.</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>người cùng yêu cầu thứ {n}</source>
        <translation>co-applicant {n}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>người nộp hồ sơ</source>
        <translation>the applicant</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Cần nhập họ và tên của {who}.</source>
        <translation>Enter the full name of {who}.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ngày sinh của {who} không hợp lệ.</source>
        <translation>The date of birth of {who} is not valid.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Một tệp đính kèm lớn hơn giới hạn cho phép; hãy bỏ tệp đó.</source>
        <translation>An attachment is larger than the limit; please remove it.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Lịch làm việc chưa có ngày hôm nay; cần cập nhật lịch để tính ngày hẹn.</source>
        <translation>The working calendar does not cover today; update it to compute the appointment.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Thủ tục này không áp dụng vào ngày hôm nay.</source>
        <translation>This procedure does not apply today.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Thông tin chưa hợp lệ ({field}).</source>
        <translation>Invalid information ({field}).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Máy này đã dùng hết số hồ sơ của ngày hôm nay; hãy đồng bộ với máy chủ để được cấp thêm.</source>
        <translation>This computer has used all its dossier numbers for today; sync with the server to get more.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Mã hồ sơ bị trùng với một hồ sơ khác.</source>
        <translation>The dossier code is already used by another dossier.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Danh mục thủ tục hoặc lịch làm việc chưa có dữ liệu cho hôm nay.</source>
        <translation>The procedure catalogue or the working calendar has no data for today.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Lỗi {code}.</source>
        <translation>Error {code}.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lỗi không mong đợi ({kind}).</source>
        <translation>Unexpected error ({kind}).</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Xoá nội dung đang nhập?</source>
        <translation>Clear what you are entering?</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Bỏ toàn bộ thông tin đang nhập cho hồ sơ này để tiếp nhận hồ sơ khác?</source>
        <translation>Discard everything entered for this dossier to receive another one?</translation>
    </message>
</context>
<context>
    <name>LeasePanel</name>
    <message>
        <location filename="../../ui/registers/lease_panel.py" line="+75"/>
        <source>Nhận quyền cấp số</source>
        <translation>Take the numbering</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Trả quyền cấp số</source>
        <translation>Give the numbering back</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Chuyển quyền (bắt buộc)</source>
        <translation>Transfer (forced)</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Hỏi lại máy chủ</source>
        <translation>Ask the server again</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Hỏi máy chủ máy nào đang giữ quyền cấp số (mỗi lần đồng bộ cũng hỏi)</source>
        <translation>Ask the server which computer holds the numbering (every sync asks too)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>&lt;b&gt;Quyền cấp số&lt;/b&gt;</source>
        <translation>&lt;b&gt;Numbering&lt;/b&gt;</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>{register}: {holder} giữ quyền cấp số</source>
        <translation>{register}: numbered by {holder}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{register}: chưa máy nào giữ quyền cấp số</source>
        <translation>{register}: no computer holds the numbering</translation>
    </message>
    <message>
        <location line="+3"/>
        <source> (từ {since})</source>
        <translation> (since {since})</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Máy dùng riêng (chưa kết nối máy chủ) giữ mọi sổ; không cần nhận hay trả quyền cấp số.</source>
        <translation>A stand-alone computer (never connected to a server) holds every register; there is nothing to take or give back.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Máy này nhận quyền cấp số của sổ (cần mạng). Chỉ được khi không máy nào khác giữ.</source>
        <translation>This computer takes the register&apos;s numbering (needs the network). Only while no other computer holds it.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Đồng bộ trước, rồi trả quyền cấp số để máy khác nhận.</source>
        <translation>Syncs first, then gives the numbering back so that another computer can take it.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Quản trị viên chuyển quyền cấp số sang máy khác, kể cả khi máy đang giữ mất mạng hoặc hỏng.</source>
        <translation>An administrator moves the numbering to another computer, even when the holder is offline or broken.</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>Đang nhận quyền cấp số của {register}…</source>
        <translation>Taking the numbering of {register}…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Máy này đã nhận quyền cấp số của {register}.</source>
        <translation>This computer now numbers {register}.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Đang đồng bộ rồi trả quyền cấp số của {register}…</source>
        <translation>Syncing, then giving back the numbering of {register}…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Đã trả quyền cấp số của {register}; máy khác có thể nhận.</source>
        <translation>The numbering of {register} was given back; another computer can take it.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Đang chuyển quyền cấp số của {register}…</source>
        <translation>Transferring the numbering of {register}…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Đã chuyển quyền cấp số của {register} sang {holder}.</source>
        <translation>The numbering of {register} was transferred to {holder}.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Đang hỏi máy chủ…</source>
        <translation>Asking the server…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Đã cập nhật quyền cấp số từ máy chủ.</source>
        <translation>The numbering was updated from the server.</translation>
    </message>
</context>
<context>
    <name>LinkDialog</name>
    <message>
        <location filename="../../ui/registers/dialogs.py" line="+490"/>
        <source>Chọn văn bản đi trả lời văn bản này.</source>
        <translation>Choose the outgoing document that answers this one.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Chọn văn bản đến mà văn bản này trả lời.</source>
        <translation>Choose the incoming document this one answers.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Đang tải…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Văn bản</source>
        <translation>Document</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>(dự thảo)</source>
        <translation>(draft)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Số đến {label}</source>
        <translation>Arrival number {label}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>(chưa có số)</source>
        <translation>(no number yet)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Chưa có văn bản nào để liên kết.</source>
        <translation>There is no document to link yet.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Hãy chọn một văn bản.</source>
        <translation>Choose a document.</translation>
    </message>
</context>
<context>
    <name>LockOverlay</name>
    <message>
        <location filename="../../ui/unlock.py" line="+288"/>
        <source>Màn hình đã khóa</source>
        <translation>Screen locked</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Để bảo vệ dữ liệu của người dân, màn hình đã khóa khi không có thao tác. Nhập mật khẩu dữ liệu để tiếp tục làm việc.</source>
        <translation>To protect citizens&apos; data, the screen locked while nobody was using it. Enter the data passphrase to go on working.</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+1"/>
        <source>Mật khẩu dữ liệu</source>
        <translation>Data passphrase</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Mở khóa</source>
        <translation>Unlock</translation>
    </message>
</context>
<context>
    <name>LockScreen</name>
    <message>
        <location line="+161"/>
        <source>Mật khẩu dữ liệu không đúng.</source>
        <translation>Wrong data passphrase.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ui/main_window.py" line="+44"/>
        <source>CommuneDesk: một cửa và văn thư</source>
        <translation>CommuneDesk: one-stop counter and correspondence</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Hồ sơ</source>
        <translation>Dossiers</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Văn bản đến</source>
        <translation>Incoming</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Văn bản đi</source>
        <translation>Outgoing</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Đồng bộ</source>
        <translation>Sync</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cài đặt</source>
        <translation>Settings</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Đã lưu phiếu: %1</source>
        <translation>Slip saved: %1</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Thanh công cụ</source>
        <translation>Toolbar</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Tiếp nhận hồ sơ mới</source>
        <translation>Receive a new dossier</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Tìm hồ sơ: tên, mã hồ sơ, số định danh, điện thoại (Ctrl+F)</source>
        <translation>Find dossiers: name, dossier code, ID number, phone (Ctrl+F)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Tìm:</source>
        <translation>Find:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Tìm hồ sơ</source>
        <translation>Find dossiers</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Phiếu tiếp nhận và hẹn trả kết quả</source>
        <translation>Receipt and appointment slip</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Đã tiếp nhận hồ sơ %1. In phiếu hẹn cho công dân?</source>
        <translation>Dossier %1 received. Print the appointment slip for the citizen?</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Xem trước</source>
        <translation>Preview</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>In</source>
        <translation>Print</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Lưu PDF</source>
        <translation>Save PDF</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Đóng</source>
        <translation>Close</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Không lưu được phiếu</source>
        <translation>Could not save the slip</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Không lưu được tệp PDF: %1</source>
        <translation>Could not save the PDF file: %1</translation>
    </message>
</context>
<context>
    <name>NoteDialog</name>
    <message>
        <location filename="../../ui/action_dialogs.py" line="-243"/>
        <location filename="../../ui/registers/dialogs.py" line="-60"/>
        <source>Không bắt buộc</source>
        <translation>Optional</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ghi chú</source>
        <translation>Note</translation>
    </message>
    <message>
        <location filename="../../ui/registers/dialogs.py" line="-9"/>
        <source>Đánh dấu văn bản đã giải quyết xong (không còn tính hạn): {summary}</source>
        <translation>Mark the document as dealt with (its deadline no longer counts): {summary}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ghi tiến độ giải quyết văn bản: {summary}</source>
        <translation>Note the progress on the document: {summary}</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Bắt buộc</source>
        <translation>Required</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nội dung</source>
        <translation>Content</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Hãy ghi nội dung tiến độ.</source>
        <translation>Write the progress note.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Đánh dấu văn bản này đã giải quyết xong?</source>
        <translation>Mark this document as dealt with?</translation>
    </message>
</context>
<context>
    <name>NumberDialog</name>
    <message>
        <location line="-297"/>
        <location line="+108"/>
        <source>Đóng</source>
        <translation>Close</translation>
    </message>
    <message>
        <location line="-107"/>
        <source>Đang tính số sẽ cấp…</source>
        <translation>Working out the number to give…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Cấp số văn bản đi</source>
        <translation>Number the outgoing document</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cấp số đến</source>
        <translation>Give the arrival number</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cấp số</source>
        <translation>Number</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Sổ</source>
        <translation>Register</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Văn bản</source>
        <translation>Document</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Số sẽ cấp</source>
        <translation>Number to give</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Số, ký hiệu</source>
        <translation>Number and symbol</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>{register}, năm {year}</source>
        <translation>{register}, year {year}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Máy này không giữ quyền cấp số của sổ này.</source>
        <translation>This computer does not hold the numbering of this register.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Cấp số cho văn bản đã ký. Kiểm tra số và ký hiệu trước khi cấp.</source>
        <translation>Number a signed document. Check the number and symbol before giving it.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Số {symbol} là số chính thức: ghi ngay lên bản giấy đã ký, không đổi và không dùng lại được. Văn bản in hỏng thì hủy số (số vẫn nằm trong sổ).</source>
        <translation>Number {symbol} is official: write it on the signed paper now; it cannot be changed or used again. For a spoiled print, void it (the number stays in the register).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Cấp số đến cho văn bản đã ghi vào sổ.</source>
        <translation>Give the arrival number to a document recorded in the register.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Số đến {number} là số chính thức của sổ: ghi lên văn bản giấy, không đổi được.</source>
        <translation>Arrival number {number} is the register&apos;s official number: write it on the paper; it cannot be changed.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cấp số {symbol}</source>
        <translation>Give number {symbol}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Huỷ</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Máy này không cấp số được cho văn bản này.</source>
        <translation>This computer cannot number this document.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Đang cấp số…</source>
        <translation>Numbering…</translation>
    </message>
</context>
<context>
    <name>PapersChecklist</name>
    <message>
        <location filename="../../ui/intake.py" line="-542"/>
        <source>Chọn thủ tục để hiện danh sách giấy tờ.</source>
        <translation>Choose a procedure to list its papers.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Bản chính</source>
        <translation>Original</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Bản sao</source>
        <translation>Copy</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Bản sao chứng thực</source>
        <translation>Certified copy</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>{name} — bắt buộc</source>
        <translation>{name} — required</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Hình thức: {name}</source>
        <translation>Form: {name}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Số lượng: {name}</source>
        <translation>Quantity: {name}</translation>
    </message>
</context>
<context>
    <name>PassphrasePage</name>
    <message>
        <location filename="../../ui/wizard.py" line="-182"/>
        <location line="+13"/>
        <source>Mật khẩu dữ liệu</source>
        <translation>Data passphrase</translation>
    </message>
    <message>
        <location line="-11"/>
        <source>Dữ liệu trên máy này được mã hóa. Khóa được cất trong kho khóa của hệ điều hành (keychain) nếu máy có; khi không có, mỗi lần mở ứng dụng và khi màn hình khóa cần nhập mật khẩu này.</source>
        <translation>The data on this computer is encrypted. Its key is kept in the operating system&apos;s keychain when there is one; without it, this passphrase is asked every time the application opens and when the screen locks.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Hãy ghi nhớ và cất giữ cẩn thận: nếu quên mật khẩu dữ liệu thì không ai khôi phục được, kể cả quản trị viên. Mật khẩu cần ít nhất {n} ký tự; nên dùng một câu dễ nhớ. Nếu dùng chữ có dấu, hãy gõ bằng cùng một bộ gõ mỗi lần.</source>
        <translation>Remember it and keep it safe: a forgotten data passphrase cannot be recovered by anyone, administrators included. It needs at least {n} characters; a sentence that is easy to remember is best. If it has letters with diacritics, type them with the same input method every time.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Nhập lại mật khẩu dữ liệu</source>
        <translation>Repeat the data passphrase</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Mật khẩu dữ liệu:</source>
        <translation>Data passphrase:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nhập lại:</source>
        <translation>Repeat:</translation>
    </message>
</context>
<context>
    <name>PersonForm</name>
    <message>
        <location filename="../../ui/person_form.py" line="+77"/>
        <source>12 chữ số trên thẻ căn cước</source>
        <translation>12 digits on the identity card</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>dd/mm/yyyy hoặc năm sinh</source>
        <translation>dd/mm/yyyy or year of birth</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>(chưa chọn)</source>
        <translation>(not chosen)</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+96"/>
        <source>Nam</source>
        <translation>Male</translation>
    </message>
    <message>
        <location line="-95"/>
        <location line="+95"/>
        <source>Nữ</source>
        <translation>Female</translation>
    </message>
    <message>
        <location line="-83"/>
        <source>&amp;Họ và tên (bắt buộc)</source>
        <translation>&amp;Full name (required)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Số định &amp;danh cá nhân</source>
        <translation>Personal &amp;ID number</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ngày &amp;sinh</source>
        <translation>Date of &amp;birth</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Giới tính</source>
        <translation>&amp;Sex</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Số điện th&amp;oại</source>
        <translation>&amp;Phone number</translation>
    </message>
    <message>
        <source>&amp;Email</source>
        <translation type="vanished">&amp;Email</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Thư đ&amp;iện tử</source>
        <translation>&amp;Email</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Đị&amp;a chỉ</source>
        <translation>&amp;Address</translation>
    </message>
    <message>
        <location line="+79"/>
        <source>Số định danh cá nhân phải có 12 chữ số.</source>
        <translation>A personal ID number has 12 digits.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Đây là số chứng minh nhân dân cũ (9 chữ số).</source>
        <translation>This is an old identity card number (9 digits).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Đây là số hộ chiếu, không phải số định danh cá nhân.</source>
        <translation>This is a passport number, not a personal ID number.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Mã tỉnh {code} ở đầu số định danh không tồn tại.</source>
        <translation>The province code {code} at the start of the ID number does not exist.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Số định danh ghi giới tính {id_sex}, khác với giới tính đã chọn ({sex}).</source>
        <translation>The ID number says the sex is {id_sex}, not the one chosen ({sex}).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Số định danh ghi năm sinh {id_year}, khác với năm sinh đã nhập ({birth_year}).</source>
        <translation>The ID number says the year of birth is {id_year}, not the one entered ({birth_year}).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Số điện thoại không hợp lệ.</source>
        <translation>Invalid phone number.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Số điện thoại này không phải di động hay cố định ({type}).</source>
        <translation>This phone number is neither mobile nor fixed ({type}).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Ngày sinh không hợp lệ: nhập dd/mm/yyyy hoặc năm sinh.</source>
        <translation>Invalid date of birth: enter dd/mm/yyyy or the year of birth.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ngày sinh ở tương lai.</source>
        <translation>The date of birth is in the future.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Địa chỉ email không đúng dạng.</source>
        <translation>The email address is not well formed.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cần kiểm tra lại ({code}).</source>
        <translation>Please check again ({code}).</translation>
    </message>
</context>
<context>
    <name>PrintOffer</name>
    <message>
        <location filename="../../ui/action_dialogs.py" line="+350"/>
        <source>In phiếu cho công dân</source>
        <translation>Print the slip for the citizen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Đã lưu. Đang chuẩn bị {form}…</source>
        <translation>Saved. Preparing {form}…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Xem trước</source>
        <translation>Preview</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>In</source>
        <translation>Print</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lưu PDF</source>
        <translation>Save PDF</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Đóng</source>
        <translation>Close</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Đã lưu. In {form} cho công dân?</source>
        <translation>Saved. Print {form} for the citizen?</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Đã lưu, nhưng chưa lập được {form}: {error}</source>
        <translation>Saved, but {form} could not be made: {error}</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Không lưu được tệp PDF: {error}</source>
        <translation>Could not save the PDF file: {error}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Đã lưu {path}.</source>
        <translation>Saved {path}.</translation>
    </message>
</context>
<context>
    <name>Printing</name>
    <message>
        <location filename="../../ui/printing.py" line="+529"/>
        <source>In phiếu</source>
        <translation>Print the slip</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Xem trước phiếu</source>
        <translation>Slip preview</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Lưu phiếu thành PDF</source>
        <translation>Save the slip as PDF</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Tệp PDF (*.pdf)</source>
        <translation>PDF files (*.pdf)</translation>
    </message>
</context>
<context>
    <name>ProcedurePicker</name>
    <message>
        <location filename="../../ui/procedure_picker.py" line="+46"/>
        <source>&amp;Thủ tục (gõ tên để tìm, không cần dấu)</source>
        <translation>&amp;Procedure (type its name to search, diacritics optional)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Ví dụ: khai sinh, ket hon, chứng thực…</source>
        <translation>For example: khai sinh, ket hon, chung thuc…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Danh sách thủ tục</source>
        <translation>Procedures</translation>
    </message>
    <message>
        <location line="+67"/>
        <source>Trong ngày</source>
        <translation>Same day</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n ngày làm việc</source>
        <translation>
            <numerusform>%n working day</numerusform>
            <numerusform>%n working days</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source> (thêm tối đa %n ngày làm việc nếu cần xác minh)</source>
        <translation>
            <numerusform> (up to %n more working day if verification is needed)</numerusform>
            <numerusform> (up to %n more working days if verification is needed)</numerusform>
        </translation>
    </message>
    <message>
        <location line="+7"/>
        <source>{amount} đồng</source>
        <translation>{amount} dong</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Không thu phí, lệ phí</source>
        <translation>No fees or charges</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Đang tải danh mục thủ tục…</source>
        <translation>Loading the procedure catalogue…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Không tìm thấy thủ tục phù hợp với “{query}”.</source>
        <translation>No procedure matches “{query}”.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Chưa chọn thủ tục.</source>
        <translation>No procedure chosen.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{name} (mã {code})</source>
        <translation>{name} (code {code})</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Lĩnh vực: {field} · Thời hạn giải quyết: {limit} · Phí, lệ phí: {fee}</source>
        <translation>Field: {field} · Time limit: {limit} · Fees and charges: {fee}</translation>
    </message>
</context>
<context>
    <name>ReasonDialog</name>
    <message>
        <location filename="../../ui/action_dialogs.py" line="-304"/>
        <source>Bắt buộc</source>
        <translation>Required</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lý do</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Hãy ghi lý do.</source>
        <translation>Please write the reason.</translation>
    </message>
</context>
<context>
    <name>RefuseDialog</name>
    <message>
        <location line="+62"/>
        <source>Từ chối tiếp nhận giải quyết hồ sơ {code}. Lý do được in trên Mẫu 03 giao cho công dân.</source>
        <translation>Refuse to receive and process dossier {code}. The reason is printed on Form 03 given to the citizen.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Từ chối tiếp nhận hồ sơ {code} của công dân {name}? Hồ sơ sẽ chuyển sang &quot;Không tiếp nhận&quot;.</source>
        <translation>Refuse dossier {code} of {name}? The dossier will become &quot;Not received&quot;.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Từ chối hồ sơ</source>
        <translation>Refuse the dossier</translation>
    </message>
</context>
<context>
    <name>RegisterArea</name>
    <message>
        <location filename="../../ui/registers/area.py" line="+31"/>
        <source>← Về sổ văn bản đến</source>
        <translation>← Back to the incoming register</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>← Về sổ văn bản đi</source>
        <translation>← Back to the outgoing register</translation>
    </message>
</context>
<context>
    <name>RegisterDialogs</name>
    <message>
        <location filename="../../ui/registers/dialogs.py" line="-625"/>
        <source>Đã đăng ký văn bản đến, số đến {number}.</source>
        <translation>The incoming document is registered, arrival number {number}.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Đã ghi văn bản đến, chưa có số đến. {why}</source>
        <translation>The incoming document is recorded without an arrival number. {why}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Đã lưu văn bản đến.</source>
        <translation>The incoming document is saved.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Đã lưu văn bản đi.</source>
        <translation>The outgoing document is saved.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Không lưu được tệp {name}: {why}</source>
        <translation>Could not keep the file {name}: {why}</translation>
    </message>
</context>
<context>
    <name>RegisterListPage</name>
    <message>
        <location filename="../../ui/registers/list_page.py" line="+104"/>
        <source>Đăng ký văn bản đến</source>
        <translation>Register an incoming document</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Nhập gói edXML…</source>
        <translation>Import an edXML package…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Soạn văn bản đi</source>
        <translation>Draft an outgoing document</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>In sổ / Xuất sổ…</source>
        <translation>Print / export a register…</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Mọi năm</source>
        <translation>All years</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Năm {year}</source>
        <translation>Year {year}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Thường và mật</source>
        <translation>Ordinary and secret</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sổ thường</source>
        <translation>Ordinary register</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sổ mật</source>
        <translation>Secret register</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Mọi trạng thái</source>
        <translation>All statuses</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Chưa giải quyết xong</source>
        <translation>Not dealt with yet</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Mọi hạn xử lý</source>
        <translation>Any deadline</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Quá hạn</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sắp đến hạn</source>
        <translation>Due soon</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Chỉ văn bản khẩn</source>
        <translation>Urgent only</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Mới nhất trước</source>
        <translation>Newest first</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Bỏ chọn để xem theo thứ tự của sổ (số nhỏ trước)</source>
        <translation>Untick to see the register&apos;s own order (lowest number first)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Tìm: trích yếu, tác giả, số ký hiệu, người ký, nơi nhận (có dấu hay không dấu)</source>
        <translation>Search: summary, author, number and symbol, signer, recipients (with or without diacritics)</translation>
    </message>
    <message>
        <location line="+102"/>
        <source>%1 văn bản đến</source>
        <translation>%1 incoming documents</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 văn bản đi</source>
        <translation>%1 outgoing documents</translation>
    </message>
    <message>
        <location line="+121"/>
        <source>Chọn gói edXML</source>
        <translation>Choose an edXML package</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Gói edXML (*.edxml *.xml);;Mọi tệp (*)</source>
        <translation>edXML packages (*.edxml *.xml);;All files (*)</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Đang đọc gói edXML {name}…</source>
        <translation>Reading the edXML package {name}…</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Không nhập được gói edXML: {why}</source>
        <translation>Could not import the edXML package: {why}</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Đã lưu sổ vào: {path}</source>
        <translation>The register was saved to: {path}</translation>
    </message>
</context>
<context>
    <name>RegisterModel</name>
    <message>
        <location filename="../../ui/registers/model.py" line="+323"/>
        <source>Số đến</source>
        <translation>Arrival number</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Ngày đến</source>
        <translation>Arrived</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Tác giả</source>
        <translation>Author</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+3"/>
        <source>Số, ký hiệu</source>
        <translation>Number and symbol</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>Ngày văn bản</source>
        <translation>Document date</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+3"/>
        <source>Loại</source>
        <translation>Type</translation>
    </message>
    <message>
        <location line="-2"/>
        <location line="+2"/>
        <source>Trích yếu</source>
        <translation>Summary</translation>
    </message>
    <message>
        <location line="-2"/>
        <location line="+3"/>
        <source>Nơi nhận</source>
        <translation>Recipients</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>Người chủ trì</source>
        <translation>Lead</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hạn xử lý</source>
        <translation>Deadline</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+3"/>
        <source>Trạng thái</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="-3"/>
        <location line="+3"/>
        <source>Đồng bộ</source>
        <translation>Sync</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>Ngày</source>
        <translation>Date</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Người ký</source>
        <translation>Signer</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Số bản</source>
        <translation>Copies</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>(chưa có số)</source>
        <translation>(no number yet)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>(dự thảo)</source>
        <translation>(draft)</translation>
    </message>
    <message>
        <location line="+70"/>
        <source>Văn bản khẩn: %1</source>
        <translation>Urgent document: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Văn bản mật: %1</source>
        <translation>Secret document: %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Đã hủy: %1</source>
        <translation>Voided: %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Quá hạn xử lý: %1</source>
        <translation>Overdue: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sắp đến hạn xử lý: %1</source>
        <translation>Due soon: %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Lỗi: máy chủ từ chối (%1)</source>
        <translation>Error: the server refused it (%1)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Xung đột: cần người chọn giá trị giữ lại (trang Đồng bộ)</source>
        <translation>Conflict: a person must choose the value to keep (Sync page)</translation>
    </message>
</context>
<context>
    <name>Registers</name>
    <message>
        <location filename="../../ui/registers/texts.py" line="+62"/>
        <source>Chờ ý kiến chỉ đạo</source>
        <translation>Awaiting direction</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Đã có ý kiến chỉ đạo</source>
        <translation>Directed</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Đang giải quyết</source>
        <translation>In progress</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Đã giải quyết xong</source>
        <translation>Dealt with</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Dự thảo</source>
        <translation>Draft</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Đã ban hành</source>
        <translation>Issued</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Đã hủy</source>
        <translation>Void</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>thường</source>
        <translation>ordinary</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>mật</source>
        <translation>secret</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Văn bản đến</source>
        <translation>Incoming</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Văn bản đi</source>
        <translation>Outgoing</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Sổ văn bản đến ({series})</source>
        <translation>Incoming register ({series})</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sổ văn bản đi ({series})</source>
        <translation>Outgoing register ({series})</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Bản giấy</source>
        <translation>Paper</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Văn bản điện tử</source>
        <translation>Electronic document</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Đăng ký vào sổ</source>
        <comment>lịch sử</comment>
        <translation>Registered</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cấp số đến</source>
        <comment>lịch sử</comment>
        <translation>Arrival number given</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ý kiến chỉ đạo</source>
        <comment>lịch sử</comment>
        <translation>Directed</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Giao xử lý</source>
        <comment>lịch sử</comment>
        <translation>Assigned</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tiến độ giải quyết</source>
        <comment>lịch sử</comment>
        <translation>Progress</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Liên kết văn bản trả lời</source>
        <comment>lịch sử</comment>
        <translation>Reply linked</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Giải quyết xong</source>
        <comment>lịch sử</comment>
        <translation>Dealt with</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Soạn dự thảo</source>
        <comment>lịch sử</comment>
        <translation>Drafted</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sửa thông tin</source>
        <comment>lịch sử</comment>
        <translation>Details edited</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cấp số, ban hành</source>
        <comment>lịch sử</comment>
        <translation>Numbered and issued</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hủy văn bản</source>
        <comment>lịch sử</comment>
        <translation>Voided</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Bỏ số (xung đột số)</source>
        <comment>lịch sử</comment>
        <translation>Number withdrawn (number conflict)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Gỡ tệp đính kèm</source>
        <comment>lịch sử</comment>
        <translation>Attachment removed</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sự kiện khác ({kind})</source>
        <translation>Other event ({kind})</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Cấp số đến</source>
        <translation>Give the arrival number</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sửa thông tin</source>
        <translation>Edit details</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ý kiến chỉ đạo</source>
        <translation>Direction</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Giao xử lý</source>
        <translation>Assign</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ghi tiến độ</source>
        <translation>Note progress</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Liên kết văn bản trả lời</source>
        <translation>Link the reply</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Giải quyết xong</source>
        <translation>Mark as dealt with</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sửa văn bản</source>
        <translation>Edit the document</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cấp số</source>
        <translation>Number</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hủy văn bản</source>
        <translation>Void the document</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Thêm tệp đính kèm</source>
        <translation>Add attachments</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Gỡ tệp</source>
        <translation>Remove file</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Xuất gói edXML</source>
        <translation>Export as edXML</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>tác giả (cơ quan ban hành)</source>
        <translation>author (issuing body)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>trích yếu</source>
        <translation>summary</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>loại văn bản</source>
        <translation>document type</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>số, ký hiệu</source>
        <translation>number and symbol</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ngày văn bản</source>
        <translation>document date</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ngày đến</source>
        <translation>arrival time</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+4"/>
        <source>nơi nhận</source>
        <translation>recipients</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>độ khẩn</source>
        <translation>urgency</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>độ mật</source>
        <translation>secrecy</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>người ký</source>
        <translation>signer</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>cơ quan ban hành</source>
        <translation>issuing body</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>đơn vị soạn thảo</source>
        <translation>drafting unit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>số bản</source>
        <translation>number of copies</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>người chủ trì</source>
        <translation>lead</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>người phối hợp</source>
        <translation>co-ordinators</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>hạn xử lý</source>
        <translation>deadline</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>người được giao</source>
        <translation>assignee</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>nội dung</source>
        <translation>content</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>lý do hủy</source>
        <translation>reason for voiding</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>tệp đính kèm</source>
        <translation>attachment</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>tên tệp</source>
        <translation>file name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ghi chú</source>
        <translation>notes</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>máy này (máy dùng riêng, chưa kết nối máy chủ)</source>
        <translation>this computer (stand-alone, not connected to a server)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>máy này</source>
        <translation>this computer</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>chưa máy nào</source>
        <translation>no computer</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>máy “{device}” (người dùng {user})</source>
        <translation>computer “{device}” (user {user})</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>máy “{device}”</source>
        <translation>computer “{device}”</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Chưa máy nào giữ quyền cấp số của {register}. Bấm “Nhận quyền cấp số” trên trang sổ để máy này cấp số (cần kết nối máy chủ).</source>
        <translation>No computer holds the numbering of {register}. Press “Take the numbering” on the register&apos;s page so that this computer numbers it (needs the server).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{register} đang do {holder} giữ quyền cấp số. Máy này không cấp số được: hãy cấp số trên máy đó, hoặc nhờ máy đó trả quyền cấp số rồi nhận về máy này.</source>
        <translation>{register} is numbered by {holder}. This computer cannot number it: number it on that computer, or have that computer give the numbering back and take it here.</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Máy chủ từ chối: sổ đang do {holder} giữ quyền cấp số.</source>
        <translation>The server refused: the register is numbered by {holder}.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Máy chủ từ chối: sổ đang do máy khác giữ quyền cấp số.</source>
        <translation>The server refused: another computer numbers the register.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Chưa trả được quyền cấp số: còn {count} văn bản đã cấp số chưa lên máy chủ (mất mạng, lỗi hoặc xung đột). Hãy đồng bộ, giải quyết xung đột rồi thử lại.</source>
        <translation>The numbering was not given back: {count} numbered documents have not reached the server (no link, an error or a conflict). Sync, settle the conflicts, then try again.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Văn bản này đang có {count} tệp đính kèm (bản quét, PDF) trên máy. Văn bản mật chỉ được lưu thông tin, không lưu tệp: hãy gỡ bỏ các tệp đính kèm trước, rồi mới đổi độ mật. Chưa có gì bị thay đổi hay xóa.</source>
        <translation>This document has {count} attachments (scans, PDFs) on this machine. A secret document keeps metadata only, no files: remove the attachments first, then change the secrecy level. Nothing was changed or deleted.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Văn bản mật chỉ được lưu thông tin trên máy tính, không lưu tệp đính kèm (bản quét, PDF). Hãy bỏ tệp đính kèm.</source>
        <translation>A secret document keeps only its details on the computer, never attachments (scans, PDF). Remove the attachments.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Văn bản này đã có trong sổ: {existing}.</source>
        <translation>This document is already in the register: {existing}.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Văn bản đang ở trạng thái không cho phép việc này (có thể vừa được máy khác xử lý). Hãy xem lại văn bản.</source>
        <translation>The document&apos;s state does not allow this (another computer may just have handled it). Look at the document again.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Văn bản không còn tệp đính kèm này (có thể vừa được gỡ trên máy khác). Hãy xem lại văn bản.</source>
        <translation>The document no longer has this attachment (it may have just been removed on another machine). Look at the document again.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Không tìm thấy văn bản này trên máy.</source>
        <translation>This document is not on this computer.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Vai trò của bạn không được làm việc này với văn bản.</source>
        <translation>Your role may not do this with the document.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Máy chủ từ chối: vai trò của bạn không được làm việc này với sổ.</source>
        <translation>The server refused: your role may not do this with the register.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Chuyển quyền cấp số phải là chuyển bắt buộc.</source>
        <translation>A transfer of the numbering must be forced.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Máy được chọn đã bị thu hồi quyền truy cập; hãy chọn máy khác.</source>
        <translation>The chosen computer has been revoked; choose another one.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Máy chủ không tìm thấy máy này trong xã.</source>
        <translation>The server does not know this computer in the commune.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Thông tin chưa hợp lệ: {field}.</source>
        <translation>Invalid information: {field}.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Không kết nối được máy chủ. Hãy kiểm tra mạng rồi thử lại; dữ liệu trên máy vẫn an toàn.</source>
        <translation>Cannot reach the server. Check the network and try again; the data on this computer is safe.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Phiên đăng nhập đã hết hạn. Vào Cài đặt để đăng nhập lại.</source>
        <translation>The sign-in has expired. Sign in again in Settings.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Máy này chưa kết nối máy chủ (máy dùng riêng). Vào Cài đặt để nhập địa chỉ máy chủ và đăng nhập.</source>
        <translation>This computer is not connected to a server (stand-alone). Enter the server&apos;s address and sign in in Settings.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Đang đồng bộ. Hãy đợi đồng bộ xong rồi thử lại.</source>
        <translation>A sync is running. Wait for it to finish, then try again.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Sổ thường và sổ mật được in riêng: hãy chọn một loại sổ.</source>
        <translation>Ordinary and secret registers are printed apart: choose one series.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Mỗi sổ là một năm: ngày bắt đầu và ngày kết thúc phải cùng một năm.</source>
        <translation>A register is one year: the first and the last day must be in the same year.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Gói edXML quá lớn.</source>
        <translation>The edXML package is too large.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Gói edXML có nội dung không an toàn (DTD, thực thể); không mở.</source>
        <translation>The edXML package has unsafe content (DTD, entities); it was not opened.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Tệp không phải gói edXML văn bản hợp lệ (QCVN 102:2016).</source>
        <translation>The file is not a valid edXML document package (QCVN 102:2016).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Tệp đính kèm trong gói edXML bị hỏng.</source>
        <translation>An attachment in the edXML package is damaged.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Chỉ văn bản đã ban hành mới xuất được gói edXML.</source>
        <translation>Only an issued document can be exported as edXML.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Văn bản mật không được gửi bằng gói edXML.</source>
        <translation>A secret document is never sent as edXML.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Văn bản chưa có người ký: hãy ghi người ký trước khi xuất gói edXML.</source>
        <translation>The document has no signer: write the signer before exporting it as edXML.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Máy này chưa có tệp đính kèm của văn bản. Hãy đồng bộ (hoặc mở tệp để tải về) rồi thử lại.</source>
        <translation>This computer does not have the document&apos;s attachments yet. Sync (or open the file to download it), then try again.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Không đọc hoặc ghi được tệp: {reason}</source>
        <translation>Cannot read or write the file: {reason}</translation>
    </message>
</context>
<context>
    <name>RequestSupplementDialog</name>
    <message>
        <location filename="../../ui/action_dialogs.py" line="-58"/>
        <source>Yêu cầu công dân bổ sung, hoàn thiện hồ sơ {code}. Chọn các giấy tờ còn thiếu hoặc chưa đúng; thời hạn giải quyết tạm dừng cho tới khi công dân nộp đủ. Sau khi lưu có thể in Mẫu 02 cho công dân.</source>
        <translation>Ask the citizen to supplement and complete dossier {code}. Choose the papers that are missing or not right; the time limit is paused until the citizen hands them all in. After saving, Form 02 can be printed for the citizen.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Giấy tờ theo thủ tục</source>
        <translation>Papers of the procedure</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Thủ tục không liệt kê giấy tờ.</source>
        <translation>The procedure lists no papers.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Mỗi dòng một giấy tờ (không bắt buộc)</source>
        <translation>One paper per line (optional)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Giấy tờ khác</source>
        <translation>Other papers</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Hãy chọn hoặc ghi ít nhất một giấy tờ cần bổ sung.</source>
        <translation>Choose or write at least one paper to supplement.</translation>
    </message>
</context>
<context>
    <name>ResultReadyDialog</name>
    <message>
        <location line="-122"/>
        <source>Ghi nhận đã có kết quả giải quyết hồ sơ {code}, sẵn sàng trả cho công dân.</source>
        <translation>Record that the result of dossier {code} is ready to be returned to the citizen.</translation>
    </message>
</context>
<context>
    <name>ResultReturnedDialog</name>
    <message>
        <location line="+9"/>
        <source>Ghi nhận đã trả kết quả hồ sơ {code} cho công dân {name}.</source>
        <translation>Record that the result of dossier {code} was returned to {name}.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Xác nhận đã trả kết quả hồ sơ {code} cho công dân? Hồ sơ sẽ được đóng.</source>
        <translation>Confirm that the result of dossier {code} was returned to the citizen? The dossier will be closed.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Đã trả kết quả</source>
        <translation>Result returned</translation>
    </message>
</context>
<context>
    <name>ServerPage</name>
    <message>
        <location filename="../../ui/wizard.py" line="-215"/>
        <source>Máy chủ của thành phố</source>
        <translation>City server</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Máy chủ giữ dữ liệu chung của thành phố và đồng bộ hồ sơ giữa các máy. Địa chỉ do cán bộ kỹ thuật của thành phố cung cấp.</source>
        <translation>The server keeps the city&apos;s shared data and syncs dossiers between computers. The city&apos;s technical staff give its address.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Kết nối với máy chủ của thành phố</source>
        <translation>Connect to the city server</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Địa chỉ máy chủ</source>
        <translation>Server address</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Làm việc ngoại tuyến trước</source>
        <translation>Work offline for now</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Có thể tiếp nhận hồ sơ ngay trên máy này. Khi có địa chỉ máy chủ, vào Cài đặt → Đăng nhập lại để bắt đầu đồng bộ; mọi hồ sơ đã nhập sẽ được gửi lên.</source>
        <translation>You can receive dossiers on this computer right away. When you have the server address, go to Settings → Sign in again to start syncing; every dossier entered will be sent.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Địa chỉ máy chủ:</source>
        <translation>Server address:</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Địa chỉ máy chủ không hợp lệ. Ví dụ đúng: https://dongbo.hanoi.gov.vn</source>
        <translation>Invalid server address. A correct example: https://dongbo.hanoi.gov.vn</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <location filename="../../ui/settings_page.py" line="+63"/>
        <source>Cán bộ tiếp nhận</source>
        <translation>Intake officer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Chuyên viên</source>
        <translation>Specialist</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lãnh đạo</source>
        <translation>Leader</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Văn thư</source>
        <translation>Clerk</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Quản trị xã, phường</source>
        <translation>Commune administrator</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>Địa chỉ máy chủ</source>
        <translation>Server address</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Tên đăng nhập</source>
        <translation>User name</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Mật khẩu tài khoản</source>
        <translation>Account password</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Đăng nhập lại</source>
        <translation>Sign in again</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Máy chủ của thành phố</source>
        <translation>City server</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Địa chỉ máy chủ:</source>
        <translation>Server address:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tài khoản:</source>
        <translation>Account:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Đổi địa chỉ máy chủ hay tài khoản thì cần đăng nhập lại; địa chỉ mới chỉ được lưu khi đăng nhập thành công.</source>
        <translation>Changing the server address or the account needs a new sign-in; a new address is saved only when the sign-in succeeds.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Tên đăng nhập:</source>
        <translation>User name:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mật khẩu:</source>
        <translation>Password:</translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+32"/>
        <source> phút</source>
        <translation> minutes</translation>
    </message>
    <message>
        <location line="-31"/>
        <source>Chu kỳ đồng bộ</source>
        <translation>Sync interval</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Tiết kiệm băng thông</source>
        <translation>Bandwidth saver</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Tự động (bật khi đường truyền chậm)</source>
        <translation>Automatic (on when the link is slow)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Bật</source>
        <translation>On</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tắt</source>
        <translation>Off</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Đồng bộ</source>
        <translation>Sync</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Đồng bộ mỗi:</source>
        <translation>Sync every:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tiết kiệm băng thông:</source>
        <translation>Bandwidth saver:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Khi bật, tệp đính kèm (bản quét, PDF) chờ đến khi đường truyền tốt mới gửi; hồ sơ vẫn được đồng bộ ngay.</source>
        <translation>When on, attachments (scans, PDF) wait for a good link before they are sent; dossiers are still synced at once.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Ngôn ngữ</source>
        <translation>Language</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Ngôn ngữ mới có hiệu lực ngay.</source>
        <translation>The new language applies at once.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ngôn ngữ mới có hiệu lực khi mở lại ứng dụng.</source>
        <translation>The new language applies when the application is opened again.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cỡ chữ</source>
        <translation>Text size</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Bình thường</source>
        <translation>Normal</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lớn</source>
        <translation>Large</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Rất lớn</source>
        <translation>Very large</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Không bao giờ</source>
        <translation>Never</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Khóa màn hình khi không thao tác</source>
        <translation>Lock the screen when idle</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Giao diện</source>
        <translation>Interface</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ngôn ngữ:</source>
        <translation>Language:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cỡ chữ:</source>
        <translation>Text size:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Khóa màn hình sau khi không thao tác:</source>
        <translation>Lock the screen after being idle for:</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Mở thư mục</source>
        <translation>Open folder</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Mã định danh trao đổi văn bản</source>
        <translation>Document exchange identifier</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Mã định danh của Ủy ban nhân dân xã, phường trên trục liên thông văn bản (gói edXML). Để trống: dùng mã đơn vị.</source>
        <translation>The commune or ward People&apos;s Committee&apos;s identifier on the document exchange (edXML packages). Empty: the unit identifier is used.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Đơn vị và dữ liệu</source>
        <translation>Office and data</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Xã, phường:</source>
        <translation>Commune or ward:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mã định danh trao đổi văn bản:</source>
        <translation>Document exchange identifier:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Giờ làm việc:</source>
        <translation>Office hours:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Thư mục dữ liệu:</source>
        <translation>Data folder:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Lưu</source>
        <translation>Save</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>Không đọc được cài đặt ({code}).</source>
        <translation>Could not read the settings ({code}).</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Cài đặt giờ làm việc không đọc được.</source>
        <translation>The office hours setting could not be read.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Sáng {m1}–{m2}, chiều {a1}–{a2}. Hồ sơ giải quyết trong ngày nhận trước {cutoff}.</source>
        <translation>Morning {m1}–{m2}, afternoon {a1}–{a2}. Same-day dossiers are received before {cutoff}.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Chưa đăng nhập (đang làm việc ngoại tuyến).</source>
        <translation>Not signed in (working offline).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{name} ({user}), {role} — máy chủ {url}</source>
        <translation>{name} ({user}), {role} — server {url}</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Chu kỳ đồng bộ phải từ {low} đến {high} phút.</source>
        <translation>The sync interval must be from {low} to {high} minutes.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Hãy chọn chế độ tiết kiệm băng thông.</source>
        <translation>Please choose a bandwidth saver mode.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Thời gian khóa màn hình phải từ 0 đến {high} phút.</source>
        <translation>The screen lock time must be from 0 to {high} minutes.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Hãy chọn ngôn ngữ.</source>
        <translation>Please choose a language.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Mã định danh chỉ gồm chữ cái không dấu, chữ số, dấu chấm và dấu gạch ngang, ví dụ 000.00.12.H26.</source>
        <translation>The identifier may hold only unaccented letters, digits, dots and hyphens, for example 000.00.12.H26.</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Địa chỉ máy chủ mới chưa được lưu: hãy bấm «Đăng nhập lại».</source>
        <translation>The new server address is not saved yet: click “Sign in again”.</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>Đã lưu cài đặt lúc {time}.</source>
        <translation>Settings saved at {time}.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Không lưu được cài đặt ({code}). Không có gì bị thay đổi.</source>
        <translation>Could not save the settings ({code}). Nothing was changed.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Địa chỉ máy chủ không hợp lệ. Ví dụ đúng: https://dongbo.hanoi.gov.vn</source>
        <translation>Invalid server address. A correct example: https://dongbo.hanoi.gov.vn</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Hãy nhập tên đăng nhập và mật khẩu.</source>
        <translation>Please enter the user name and password.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Đang đăng nhập…</source>
        <translation>Signing in…</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Đã đăng nhập: {user}. Máy sẽ đồng bộ với {url}.</source>
        <translation>Signed in: {user}. This computer will sync with {url}.</translation>
    </message>
</context>
<context>
    <name>SignInPage</name>
    <message>
        <location filename="../../ui/wizard.py" line="+95"/>
        <source>Đăng nhập</source>
        <translation>Sign in</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Tên đăng nhập</source>
        <translation>User name</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Mật khẩu tài khoản</source>
        <translation>Account password</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Tên đăng nhập:</source>
        <translation>User name:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mật khẩu:</source>
        <translation>Password:</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Tài khoản do quản trị viên của thành phố cấp, và phải thuộc {commune}. Việc đăng nhập diễn ra khi bấm Hoàn tất, sau khi đặt mật khẩu dữ liệu.</source>
        <translation>The account is given by the city&apos;s administrator and must belong to {commune}. Signing in happens when you click Finish, after setting the data passphrase.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>xã, phường đã chọn</source>
        <translation>the chosen commune or ward</translation>
    </message>
</context>
<context>
    <name>StartDialog</name>
    <message>
        <location filename="../../ui/action_dialogs.py" line="-34"/>
        <source>Bắt đầu xử lý hồ sơ {code}.</source>
        <translation>Start processing dossier {code}.</translation>
    </message>
</context>
<context>
    <name>SupplementReceivedDialog</name>
    <message>
        <location line="+8"/>
        <source>Xác nhận công dân đã nộp đủ giấy tờ bổ sung cho hồ sơ {code}. Thời gian chờ bổ sung không tính vào thời hạn giải quyết: ngày hẹn trả kết quả (hiện là {due}) sẽ được lùi tương ứng.</source>
        <translation>Confirm that the citizen handed in all the additional papers for dossier {code}. The time spent waiting does not count towards the time limit: the result&apos;s due date (now {due}) moves later by as much.</translation>
    </message>
</context>
<context>
    <name>SyncPage</name>
    <message>
        <location filename="../../ui/sync_page.py" line="+40"/>
        <source>Đang gửi thay đổi</source>
        <translation>Sending changes</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Đang nhận thay đổi</source>
        <translation>Receiving changes</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Đang gửi tệp đính kèm</source>
        <translation>Sending attachments</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Đang nhận tệp đính kèm</source>
        <translation>Receiving attachments</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Đang nhận danh mục và danh sách cán bộ</source>
        <translation>Receiving the catalogue and the staff list</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Đang nhận quyền cấp số văn bản</source>
        <translation>Receiving the register leases</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Đồng bộ xong: gửi %1 thay đổi, nhận %2 thay đổi.</source>
        <translation>Sync done: %1 changes sent, %2 changes received.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Còn %1 tệp đính kèm chờ mạng tốt hơn (chế độ tiết kiệm dữ liệu).</source>
        <translation>%1 attachments wait for a better network (data saver).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Đồng bộ xong, nhưng có %1 xung đột: hãy chọn giá trị đúng ở mục Xung đột bên dưới.</source>
        <translation>Sync done, but with %1 conflicts: choose the right values under Conflicts below.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Không kết nối được máy chủ. Dữ liệu vẫn được lưu an toàn trên máy; phần mềm sẽ tự thử lại khi có mạng.</source>
        <translation>Could not reach the server. The data is still safe on this computer; the program tries again by itself when the network is up.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Phiên đăng nhập đã hết hạn hoặc máy này đã bị thu hồi. Vào Cài đặt, chọn &quot;Đăng nhập lại&quot;; nếu vẫn không được, hãy báo quản trị viên.</source>
        <translation>The sign-in has expired or this computer was revoked. Go to Settings and choose &quot;Sign in again&quot;; if that does not work, tell the administrator.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Một lần đồng bộ khác đang chạy trên hồ sơ dữ liệu này. Phần mềm sẽ thử lại sau.</source>
        <translation>Another sync is running on this data profile. The program will try again later.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Chưa có địa chỉ máy chủ. Vào Cài đặt để nhập địa chỉ máy chủ của thành phố và đăng nhập.</source>
        <translation>No server address yet. Go to Settings to enter the city server&apos;s address and sign in.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Phiên bản phần mềm này quá cũ, máy chủ không nhận. Hãy cài bản mới.</source>
        <translation>This version of the program is too old for the server. Please install the new version.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Máy chủ từ chối yêu cầu (mã %1). Phần mềm sẽ thử lại; nếu lỗi kéo dài, hãy báo quản trị viên.</source>
        <translation>The server refused the request (code %1). The program will try again; if the error lasts, tell the administrator.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Lỗi không mong đợi (mã %1). Hãy báo quản trị viên.</source>
        <translation>Unexpected error (code %1). Please tell the administrator.</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Đồng bộ ngay</source>
        <translation>Sync now</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Máy chủ:</source>
        <translation>Server:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Tự động (bật khi mạng chậm)</source>
        <translation>Automatic (on when the network is slow)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Bật: chỉ gửi, nhận tệp đính kèm khi bấm</source>
        <translation>On: attachments only when asked</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Tắt: gửi, nhận cả tệp đính kèm</source>
        <translation>Off: attachments too</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Tiết kiệm dữ liệu:</source>
        <translation>Data saver:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Nhật ký đồng bộ gần đây</source>
        <translation>Recent syncs</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Xung đột cần giải quyết</source>
        <translation>Conflicts to resolve</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Chưa đồng bộ lần nào.</source>
        <translation>Never synced.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>chưa có (làm việc ngoại tuyến)</source>
        <translation>none yet (working offline)</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Đang đồng bộ…</source>
        <translation>Syncing…</translation>
    </message>
</context>
<context>
    <name>SyncState</name>
    <message>
        <location filename="../../ui/dossier_model.py" line="-309"/>
        <source>Chờ gửi</source>
        <translation>Waiting to send</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Đã đồng bộ</source>
        <translation>Synced</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Xung đột</source>
        <translation>Conflict</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lỗi</source>
        <translation>Error</translation>
    </message>
</context>
<context>
    <name>TransferDialog</name>
    <message>
        <location filename="../../ui/registers/lease_panel.py" line="+27"/>
        <source>Chuyển quyền cấp số (bắt buộc)</source>
        <translation>Transfer the numbering (forced)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Chuyển quyền cấp số của {register} (đang do {holder} giữ) sang máy khác. Chỉ dùng khi máy đang giữ hỏng, mất hoặc mất mạng lâu ngày; nếu máy đó còn dùng được, hãy trả quyền cấp số trên máy đó.</source>
        <translation>Move the numbering of {register} (now held by {holder}) to another computer. Only when the holder is broken, lost or offline for days; if it still works, give the numbering back on that computer.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Đang tải danh sách máy…</source>
        <translation>Loading the list of computers…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Chuyển sang máy</source>
        <translation>Transfer to</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Tôi hiểu: máy đang giữ sẽ không cấp số được nữa; số nó đã cấp trong lúc mất mạng sẽ thành xung đột cho người có trách nhiệm giải quyết.</source>
        <translation>I understand: the holder will no longer be able to number; the numbers it gave while offline will become conflicts for the person in charge to settle.</translation>
    </message>
    <message>
        <location line="+9"/>
        <location line="+66"/>
        <source>Chuyển quyền</source>
        <translation>Transfer</translation>
    </message>
    <message>
        <location line="-63"/>
        <source>Huỷ</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Máy này ({name})</source>
        <translation>This computer ({name})</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{name} (đang giữ)</source>
        <translation>{name} (holder)</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Hãy chọn máy nhận quyền cấp số.</source>
        <translation>Choose the computer to receive the numbering.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Hãy đánh dấu ô xác nhận.</source>
        <translation>Tick the confirmation box.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Máy được chọn đang giữ quyền cấp số rồi.</source>
        <translation>The chosen computer already holds the numbering.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Chuyển bắt buộc quyền cấp số của {register} sang máy {device}? Máy chủ ghi lại ai chuyển, lúc nào.</source>
        <translation>Force the numbering of {register} over to {device}? The server records who did it and when.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Việc này không thể hoàn tác.</source>
        <translation>This cannot be undone.</translation>
    </message>
    <message>
        <source>Quay lại</source>
        <translation type="vanished">Go back</translation>
    </message>
</context>
<context>
    <name>UnlockDialog</name>
    <message>
        <location filename="../../ui/unlock.py" line="-328"/>
        <source>Mở dữ liệu CommuneDesk</source>
        <translation>Open CommuneDesk data</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Dữ liệu trên máy này được mã hóa. Máy không có nơi cất khóa an toàn (keychain) hoặc khóa không còn dùng được, nên cần mật khẩu dữ liệu để mở.</source>
        <translation>The data on this computer is encrypted. This computer has no keychain to keep the key, or the key no longer works, so the data passphrase is needed to open it.</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+1"/>
        <source>Mật khẩu dữ liệu</source>
        <translation>Data passphrase</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Mở</source>
        <translation>Open</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Thoát</source>
        <translation>Quit</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Mật khẩu dữ liệu:</source>
        <translation>Data passphrase:</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Đang mở dữ liệu…</source>
        <translation>Opening the data…</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Đang kiểm tra mật khẩu…</source>
        <translation>Checking the passphrase…</translation>
    </message>
</context>
<context>
    <name>VoidDialog</name>
    <message>
        <location filename="../../ui/registers/dialogs.py" line="+632"/>
        <source>Hủy văn bản {symbol}</source>
        <translation>Void document {symbol}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Hủy văn bản {symbol} (in sai, không phát hành). Văn bản vẫn nằm trong sổ với số của nó, ghi “ĐÃ HỦY” và lý do; số này không được cấp lại cho văn bản khác.</source>
        <translation>Void document {symbol} (misprinted, not sent). It stays in the register with its number, marked “VOID” with the reason; the number is never given to another document.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Hủy văn bản</source>
        <translation>Void the document</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Bắt buộc</source>
        <translation>Required</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lý do hủy</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Hãy ghi lý do hủy.</source>
        <translation>Write the reason for voiding.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Hủy văn bản {symbol}? Số {number} vẫn nằm trong sổ, ghi “ĐÃ HỦY”, và không dùng lại.</source>
        <translation>Void document {symbol}? Number {number} stays in the register, marked “VOID”, and is not used again.</translation>
    </message>
</context>
<context>
    <name>WithdrawDialog</name>
    <message>
        <location filename="../../ui/action_dialogs.py" line="+172"/>
        <source>Ghi nhận công dân xin rút hồ sơ {code}.</source>
        <translation>Record that the citizen withdraws dossier {code}.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Ghi nhận công dân {name} rút hồ sơ {code}? Hồ sơ sẽ dừng giải quyết.</source>
        <translation>Record that {name} withdraws dossier {code}? Processing of the dossier will stop.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Rút hồ sơ</source>
        <translation>Withdraw the dossier</translation>
    </message>
</context>
<context>
    <name>unlock</name>
    <message>
        <location filename="../../ui/unlock.py" line="-133"/>
        <source>Mật khẩu dữ liệu không đúng. Vui lòng nhập lại (chú ý chữ hoa, chữ thường và bộ gõ tiếng Việt).</source>
        <translation>Wrong data passphrase. Please enter it again (mind upper and lower case and the Vietnamese input method).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Hãy nhập mật khẩu dữ liệu.</source>
        <translation>Please enter the data passphrase.</translation>
    </message>
    <message>
        <source>Không đọc được tệp khóa của hồ sơ dữ liệu (key.json) hoặc tệp đã hỏng. Không có gì bị thay đổi. Hãy liên hệ cán bộ kỹ thuật.</source>
        <translation type="vanished">The data profile&apos;s key file (key.json) cannot be read or is damaged. Nothing was changed. Please contact the technical staff.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Không đọc được tệp mô tả (profile.json) hoặc tệp khóa (key.json) của hồ sơ dữ liệu, hoặc tệp đã hỏng. Không có gì bị thay đổi. Hãy liên hệ cán bộ kỹ thuật.</source>
        <translation>The data profile&apos;s description file (profile.json) or key file (key.json) cannot be read or is damaged. Nothing was changed. Please contact the technical staff.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Hồ sơ dữ liệu này do phiên bản CommuneDesk mới hơn tạo ra hoặc nâng cấp. Hãy cài phiên bản mới rồi mở lại. Không có gì bị thay đổi.</source>
        <translation>A newer version of CommuneDesk made or upgraded this data profile. Install the new version and open it again. Nothing was changed.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Không tìm thấy hồ sơ dữ liệu trong thư mục này.</source>
        <translation>There is no data profile in this folder.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Không đọc được thư mục dữ liệu: {reason}</source>
        <translation>Could not read the data folder: {reason}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Không mở được dữ liệu ({code}).</source>
        <translation>Could not open the data ({code}).</translation>
    </message>
</context>
<context>
    <name>wizard</name>
    <message>
        <location filename="../../ui/wizard.py" line="-366"/>
        <source>Không kết nối được máy chủ {url}. Hãy kiểm tra địa chỉ và đường truyền; bạn có thể làm việc ngoại tuyến và đăng nhập sau (Cài đặt → Đăng nhập lại).</source>
        <translation>Could not reach the server {url}. Check the address and the network; you can work offline and sign in later (Settings → Sign in again).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Tài khoản «{user}» thuộc {account}, không phải {chosen}. Hãy đăng nhập bằng tài khoản của xã, phường mình, hoặc quay lại chọn đúng xã, phường.</source>
        <translation>The account “{user}” belongs to {account}, not {chosen}. Sign in with an account of your own commune or ward, or go back and choose the right one.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Tài khoản «{user}» đã bị khóa. Hãy liên hệ quản trị viên của thành phố.</source>
        <translation>The account “{user}” is locked. Please contact the city&apos;s administrator.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Tài khoản quản trị thành phố không dùng để làm việc tại xã. Hãy đăng nhập bằng tài khoản cán bộ của xã, phường.</source>
        <translation>A city administrator account is not for work at a commune. Sign in with an official&apos;s account of the commune or ward.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Máy này đã bị thu hồi quyền truy cập. Hãy liên hệ quản trị viên của thành phố.</source>
        <translation>This computer&apos;s access was revoked. Please contact the city&apos;s administrator.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Tên đăng nhập hoặc mật khẩu không đúng. Hãy kiểm tra lại (chú ý chữ hoa, chữ thường và bộ gõ tiếng Việt).</source>
        <translation>Wrong user name or password. Please check them (mind upper and lower case and the Vietnamese input method).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Phiên bản CommuneDesk này đã cũ, máy chủ không nhận nữa. Hãy cài phiên bản mới rồi đăng nhập lại. ({message})</source>
        <translation>This version of CommuneDesk is too old for the server. Install the new version, then sign in again. ({message})</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Đã nhập sai quá nhiều lần. Vui lòng chờ {seconds} giây rồi thử lại.</source>
        <translation>Too many wrong attempts. Please wait {seconds} seconds, then try again.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Xã, phường này đã dùng hết số máy được cấp mã hồ sơ. Hãy liên hệ quản trị viên của thành phố.</source>
        <translation>This commune or ward has no dossier-code slots left for another computer. Please contact the city&apos;s administrator.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Máy chủ từ chối đăng nhập: {message} ({code}).</source>
        <translation>The server refused the sign-in: {message} ({code}).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Máy đang đồng bộ dữ liệu. Vui lòng thử lại sau ít phút.</source>
        <translation>This computer is syncing. Please try again in a few minutes.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Không đăng nhập được ({code}).</source>
        <translation>Could not sign in ({code}).</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Mật khẩu dữ liệu cần ít nhất {n} ký tự.</source>
        <translation>The data passphrase needs at least {n} characters.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Mật khẩu dữ liệu không được bắt đầu hay kết thúc bằng dấu cách.</source>
        <translation>The data passphrase may not start or end with a space.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Hai lần nhập mật khẩu dữ liệu không giống nhau.</source>
        <translation>The two passphrases you entered differ.</translation>
    </message>
</context>
</TS>
