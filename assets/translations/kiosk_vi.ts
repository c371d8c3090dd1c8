<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN" sourcelanguage="en">
<context>
    <name>Kiosk</name>
    <message>
        <location filename="../../kiosk/ui/admin.py" line="179"/>
        <location filename="../../kiosk/ui/admin_settings.py" line="176"/>
        <source>Settings</source>
        <translation>Cài đặt</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin.py" line="180"/>
        <location filename="../../kiosk/ui/admin_reports.py" line="177"/>
        <source>Reports</source>
        <translation>Báo cáo</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin.py" line="181"/>
        <location filename="../../kiosk/ui/admin_trace.py" line="146"/>
        <source>Contact tracing</source>
        <translation>Truy vết</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin.py" line="182"/>
        <location filename="../../kiosk/ui/admin_device.py" line="192"/>
        <source>This device</source>
        <translation>Thiết bị này</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin.py" line="185"/>
        <source>Lock screen</source>
        <translation>Khóa màn hình</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin.py" line="220"/>
        <source>The new PIN is saved</source>
        <translation>Đã lưu mã PIN mới</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin.py" line="301"/>
        <source>Tap again to quit</source>
        <translation>Chạm lần nữa để thoát</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin.py" line="309"/>
        <source>Quit the kiosk</source>
        <translation>Thoát ứng dụng</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_common.py" line="246"/>
        <source>Save to:</source>
        <translation>Lưu vào:</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_common.py" line="247"/>
        <source>Find USB</source>
        <translation>Tìm USB</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_common.py" line="248"/>
        <source>Folder</source>
        <translation>Thư mục</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_common.py" line="288"/>
        <source>USB found: {names}. The export goes there</source>
        <translation>Đã tìm thấy USB: {names}. Tệp sẽ được lưu vào đó</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_common.py" line="291"/>
        <source>No USB stick found. Plug one in, wait a few seconds, tap Find USB again</source>
        <translation>Không thấy USB nào. Cắm USB vào, chờ vài giây rồi bấm lại &quot;Tìm USB&quot;</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_common.py" line="308"/>
        <source>USB: {name}</source>
        <translation>USB: {name}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_common.py" line="310"/>
        <source>Kiosk data folder</source>
        <translation>Thư mục dữ liệu của máy</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_common.py" line="369"/>
        <source>Today</source>
        <translation>Hôm nay</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_common.py" line="431"/>
        <source>Personal QR</source>
        <translation>QR cá nhân</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_common.py" line="434"/>
        <location filename="../../kiosk/ui/texts.py" line="117"/>
        <source>Vaccine certificate</source>
        <translation>Hộ chiếu vắc-xin</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_common.py" line="435"/>
        <location filename="../../kiosk/ui/manual.py" line="318"/>
        <location filename="../../kiosk/ui/scan_page.py" line="342"/>
        <location filename="../../kiosk/ui/scan_page.py" line="546"/>
        <location filename="../../kiosk/ui/texts.py" line="118"/>
        <source>Manual entry</source>
        <translation>Nhập thủ công</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_common.py" line="436"/>
        <location filename="../../kiosk/ui/texts.py" line="119"/>
        <source>Venue code</source>
        <translation>Mã địa điểm</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_common.py" line="437"/>
        <location filename="../../kiosk/ui/texts.py" line="120"/>
        <source>Unknown code</source>
        <translation>Mã không xác định</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="193"/>
        <source>Checkpoint</source>
        <translation>Điểm kiểm dịch</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="194"/>
        <source>Device ID</source>
        <translation>Mã thiết bị</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="195"/>
        <source>Server</source>
        <translation>Máy chủ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="196"/>
        <source>Waiting to send</source>
        <translation>Chờ gửi</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="197"/>
        <source>Personal data</source>
        <translation>Dữ liệu cá nhân</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="198"/>
        <source>Health authority key</source>
        <translation>Khóa của cơ quan y tế</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="199"/>
        <source>Signed documents</source>
        <translation>Tài liệu có chữ ký</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="200"/>
        <source>Same fingerprint: enroll</source>
        <translation>Dấu vân tay trùng khớp: đăng ký</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="201"/>
        <source>Different: cancel</source>
        <translation>Không khớp: hủy</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="202"/>
        <location filename="../../kiosk/ui/admin_device.py" line="206"/>
        <location filename="../../kiosk/ui/admin_device.py" line="329"/>
        <source>Enroll this device</source>
        <translation>Đăng ký thiết bị</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="203"/>
        <location filename="../../kiosk/ui/admin_settings.py" line="185"/>
        <source>Server address</source>
        <translation>Địa chỉ máy chủ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="204"/>
        <source>Enrollment code</source>
        <translation>Mã đăng ký</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="207"/>
        <source>Privacy notice</source>
        <translation>Thông báo về dữ liệu cá nhân</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="209"/>
        <source>An A4 poster (a Vietnamese and an English page) that says what the kiosk keeps, for how long and who can open it (Decree 13/2023/NĐ-CP). Print it and put it up beside the kiosk. Who runs the checkpoint is set in Settings.</source>
        <translation>Tờ thông báo khổ A4 (một trang tiếng Việt, một trang tiếng Anh) nói rõ máy lưu những gì, lưu bao lâu và ai được xem (Nghị định 13/2023/NĐ-CP). Hãy in ra và dán cạnh máy. Đơn vị quản lý điểm được đặt trong Cài đặt.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="216"/>
        <source>Save the poster (PDF)</source>
        <translation>Lưu tờ thông báo (PDF)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="252"/>
        <source>Not enrolled: the kiosk works offline</source>
        <translation>Chưa đăng ký: máy hoạt động ngoại tuyến</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="263"/>
        <source>Sealed to the health authority&apos;s key {key}</source>
        <translation>Đã mã hóa bằng khóa của cơ quan y tế {key}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="265"/>
        <source>NOT KEPT: this kiosk has no health authority key. Scans are recorded with their time and masked name only: no ID number, full name or phone for the health officer. Enroll this device and let it sync, or reinstall with --authority-key.</source>
        <translation>KHÔNG LƯU: máy chưa có khóa của cơ quan y tế. Mỗi lượt quét chỉ ghi thời gian và tên viết tắt: không có số giấy tờ, họ tên đầy đủ hay số điện thoại cho cán bộ y tế. Hãy đăng ký thiết bị và để máy đồng bộ, hoặc cài lại với --authority-key.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="272"/>
        <source>{n} records without personal data.</source>
        <translation>{n} lượt ghi không có dữ liệu cá nhân.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="274"/>
        <source>{n} records</source>
        <translation>{n} lượt</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="276"/>
        <source>{n} refused by the server</source>
        <translation>{n} lượt bị máy chủ từ chối</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="289"/>
        <location filename="../../kiosk/ui/admin_device.py" line="310"/>
        <location filename="../../kiosk/ui/admin_settings.py" line="279"/>
        <location filename="../../kiosk/ui/admin_settings.py" line="286"/>
        <source>Not saved: {reason}</source>
        <translation>Chưa lưu được: {reason}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="294"/>
        <source>Saving…</source>
        <translation>Đang lưu…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="304"/>
        <source>Poster saved to {path}: print it on A4</source>
        <translation>Đã lưu tờ thông báo vào {path}: hãy in ra khổ A4</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="328"/>
        <source>Read from the QR code. Check the server address, then tap “{button}”.</source>
        <translation>Đã đọc từ mã QR. Kiểm tra địa chỉ máy chủ, rồi chạm “{button}”.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="359"/>
        <source>Not a server address: {reason}</source>
        <translation>Địa chỉ máy chủ không hợp lệ: {reason}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="363"/>
        <source>Enter the server address and the enrollment code</source>
        <translation>Vui lòng nhập địa chỉ máy chủ và mã đăng ký</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="367"/>
        <location filename="../../kiosk/ui/admin_device.py" line="501"/>
        <source>Use an https:// address (plain http only to this machine)</source>
        <translation>Hãy dùng địa chỉ https:// (http thường chỉ dùng được cho chính máy này)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="376"/>
        <source>Asking the server for the health authority&apos;s key…</source>
        <translation>Đang hỏi máy chủ khóa của cơ quan y tế…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="388"/>
        <source>This server offers no health authority key: it cannot be trusted yet</source>
        <translation>Máy chủ này không cung cấp khóa của cơ quan y tế: chưa thể tin cậy</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="393"/>
        <source>The server&apos;s health authority key: {fingerprint}. Compare it with the fingerprint on the health authority&apos;s sheet.</source>
        <translation>Khóa của cơ quan y tế do máy chủ gửi: {fingerprint}. Hãy so sánh với dấu vân tay trên giấy của cơ quan y tế.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="401"/>
        <source>Compare the fingerprint, then confirm</source>
        <translation>So sánh dấu vân tay rồi xác nhận</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="415"/>
        <source>Not enrolled: the fingerprint was not the authority&apos;s</source>
        <translation>Chưa đăng ký: dấu vân tay không phải của cơ quan y tế</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="424"/>
        <source>Enrolling…</source>
        <translation>Đang đăng ký…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="463"/>
        <source>Enrolled, but the settings were not saved: {reason}</source>
        <translation>Đã đăng ký, nhưng chưa lưu được cài đặt: {reason}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="485"/>
        <source>Enrolled as checkpoint {name}</source>
        <translation>Đã đăng ký là điểm kiểm dịch {name}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="494"/>
        <source>The enrollment code was refused (wrong, used or expired)</source>
        <translation>Mã đăng ký bị từ chối (sai, đã dùng hoặc hết hạn)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="496"/>
        <source>This device is enrolled already: ask the site manager for a code issued for this device</source>
        <translation>Thiết bị này đã được đăng ký: hãy xin quản lý điểm một mã cấp riêng cho thiết bị này</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="503"/>
        <source>The server&apos;s health authority key is not usable</source>
        <translation>Khóa của cơ quan y tế do máy chủ gửi không dùng được</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="505"/>
        <source>The server could not be reached: {reason}</source>
        <translation>Không kết nối được máy chủ: {reason}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="507"/>
        <location filename="../../kiosk/ui/admin_device.py" line="510"/>
        <source>Enrollment failed: {reason}</source>
        <translation>Đăng ký không thành công: {reason}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="522"/>
        <location filename="../../kiosk/ui/admin_device.py" line="526"/>
        <source>None pinned: nothing downloaded is believed</source>
        <translation>Chưa cài khóa: không tin dữ liệu tải về nào</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="534"/>
        <source>None yet</source>
        <translation>Chưa có</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="539"/>
        <source>{n} h old</source>
        <translation>{n} giờ trước</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="541"/>
        <source>{n} days old</source>
        <translation>{n} ngày trước</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_reports.py" line="180"/>
        <location filename="../../kiosk/ui/chart.py" line="113"/>
        <source>Entries</source>
        <translation>Lượt vào</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_reports.py" line="181"/>
        <location filename="../../kiosk/ui/admin_reports.py" line="223"/>
        <location filename="../../kiosk/ui/chart.py" line="113"/>
        <source>Exits</source>
        <translation>Lượt ra</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_reports.py" line="182"/>
        <source>Peak occupancy</source>
        <translation>Số người cao nhất</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_reports.py" line="183"/>
        <source>Inside at the start of the day</source>
        <translation>Bên trong lúc đầu ngày</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_reports.py" line="186"/>
        <source>Entries and exits by hour</source>
        <translation>Lượt vào/ra theo giờ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_reports.py" line="188"/>
        <location filename="../../kiosk/ui/admin_trace.py" line="155"/>
        <source>Kind of code</source>
        <translation>Loại mã</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_reports.py" line="188"/>
        <location filename="../../kiosk/ui/admin_trace.py" line="155"/>
        <source>In</source>
        <translation>Vào</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_reports.py" line="188"/>
        <location filename="../../kiosk/ui/admin_trace.py" line="155"/>
        <source>Out</source>
        <translation>Ra</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_reports.py" line="188"/>
        <source>Referred</source>
        <translation>Gặp y tế</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_reports.py" line="188"/>
        <source>Refused</source>
        <translation>Từ chối</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_reports.py" line="191"/>
        <source>Export the days:</source>
        <translation>Xuất dữ liệu các ngày:</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_reports.py" line="192"/>
        <location filename="../../kiosk/ui/admin_trace.py" line="158"/>
        <source>Export CSV</source>
        <translation>Xuất CSV</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_reports.py" line="217"/>
        <source>The report could not be made: {reason}</source>
        <translation>Không lập được báo cáo: {reason}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_reports.py" line="225"/>
        <source>{n} automatic</source>
        <translation>{n} tự động</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_reports.py" line="229"/>
        <source>at {time}</source>
        <translation>lúc {time}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_reports.py" line="259"/>
        <location filename="../../kiosk/ui/admin_trace.py" line="191"/>
        <source>Not a date: {text}</source>
        <translation>Không phải ngày hợp lệ: {text}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_reports.py" line="263"/>
        <location filename="../../kiosk/ui/admin_trace.py" line="197"/>
        <source>The end of the period is before its start</source>
        <translation>Ngày kết thúc trước ngày bắt đầu</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_reports.py" line="280"/>
        <location filename="../../kiosk/ui/admin_reports.py" line="320"/>
        <location filename="../../kiosk/ui/admin_trace.py" line="290"/>
        <location filename="../../kiosk/ui/admin_trace.py" line="308"/>
        <source>Not exported: {reason}</source>
        <translation>Chưa xuất được: {reason}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_reports.py" line="284"/>
        <location filename="../../kiosk/ui/admin_trace.py" line="293"/>
        <source>Exporting…</source>
        <translation>Đang xuất dữ liệu…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_reports.py" line="303"/>
        <source>{n} records exported: {entries} entries, {exits} exits, {referred} referred, {refused} refused. File: {path}</source>
        <translation>Đã xuất {n} lượt: {entries} lượt vào, {exits} lượt ra, {referred} lượt gặp nhân viên y tế, {refused} lượt không được vào. Tệp: {path}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="178"/>
        <source>Camera / source</source>
        <translation>Camera / nguồn hình</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="179"/>
        <source>Gate mode</source>
        <translation>Chế độ cổng</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="180"/>
        <source>Capacity</source>
        <translation>Sức chứa</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="181"/>
        <source>Duplicate window (seconds)</source>
        <translation>Bỏ qua quét lặp lại trong (giây)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="182"/>
        <source>Verdict shown for (seconds)</source>
        <translation>Thời gian hiện kết quả (giây)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="183"/>
        <source>Accepted codes</source>
        <translation>Loại mã được chấp nhận</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="184"/>
        <source>Language</source>
        <translation>Ngôn ngữ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="186"/>
        <source>Automatic checkout time</source>
        <translation>Giờ tự động ghi ra</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="187"/>
        <source>Keep records for (days)</source>
        <translation>Lưu dữ liệu trong (ngày)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="188"/>
        <source>Where the camera is</source>
        <translation>Vị trí camera</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="189"/>
        <source>Who runs this checkpoint</source>
        <translation>Đơn vị quản lý điểm</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="190"/>
        <source>How to reach them</source>
        <translation>Liên hệ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="197"/>
        <source>Above the screen</source>
        <translation>Phía trên màn hình</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="198"/>
        <source>Below</source>
        <translation>Phía dưới</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="199"/>
        <source>Left</source>
        <translation>Bên trái</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="200"/>
        <source>Right</source>
        <translation>Bên phải</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="203"/>
        <source>e.g. the market&apos;s management board</source>
        <translation>ví dụ: Ban quản lý chợ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="204"/>
        <source>a phone number or an address</source>
        <translation>số điện thoại hoặc địa chỉ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="207"/>
        <source>0 = no limit</source>
        <translation>0 = không giới hạn</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="209"/>
        <source>The same person again within this time is not recorded twice</source>
        <translation>Cùng một người quét lại trong thời gian này chỉ được ghi một lần</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="212"/>
        <source>HH:MM, every night everyone still inside is checked out. Empty = off</source>
        <translation>Dạng HH:MM; mỗi đêm ghi ra cho mọi người còn bên trong. Để trống = tắt</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="214"/>
        <location filename="../../kiosk/ui/admin_settings.py" line="315"/>
        <source>off</source>
        <translation>tắt</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="215"/>
        <location filename="../../kiosk/ui/texts.py" line="343"/>
        <source>Not enrolled</source>
        <translation>Chưa đăng ký</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="216"/>
        <source>Save</source>
        <translation>Lưu</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="217"/>
        <source>Undo changes</source>
        <translation>Hoàn tác</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="218"/>
        <source>Change PIN</source>
        <translation>Đổi mã PIN</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="266"/>
        <source>Nothing to save: no change</source>
        <translation>Không có thay đổi để lưu</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="291"/>
        <source>Saved and applied</source>
        <translation>Đã lưu và áp dụng</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_trace.py" line="147"/>
        <source>Person</source>
        <translation>Người cần truy vết</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_trace.py" line="148"/>
        <source>Minutes before and after</source>
        <translation>Số phút trước và sau</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_trace.py" line="149"/>
        <source>Period</source>
        <translation>Khoảng thời gian</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_trace.py" line="150"/>
        <source>Scan the code, or type the ID or phone number</source>
        <translation>Quét mã, hoặc nhập số CCCD hay số điện thoại</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_trace.py" line="151"/>
        <source>from: any day</source>
        <translation>từ: bất kỳ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_trace.py" line="152"/>
        <source>to: any day</source>
        <translation>đến: bất kỳ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_trace.py" line="153"/>
        <source>Search</source>
        <translation>Tìm</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_trace.py" line="155"/>
        <source>Name</source>
        <translation>Tên</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_trace.py" line="155"/>
        <source>Together (min)</source>
        <translation>Cùng lúc (phút)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_trace.py" line="204"/>
        <source>Scan or type the person&apos;s code first</source>
        <translation>Vui lòng quét hoặc nhập mã của người cần truy vết</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_trace.py" line="215"/>
        <source>Searching…</source>
        <translation>Đang tìm…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_trace.py" line="243"/>
        <source>This is not a personal code, an ID number or a phone number</source>
        <translation>Đây không phải mã cá nhân, số CCCD hay số điện thoại</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_trace.py" line="254"/>
        <source>The search failed: {reason}</source>
        <translation>Không tìm được: {reason}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_trace.py" line="260"/>
        <source>{n} people present at the same time as {key} (margin {m} min)</source>
        <translation>{n} người có mặt cùng thời điểm với {key} (tính thêm {m} phút trước và sau)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_trace.py" line="270"/>
        <source>still inside</source>
        <translation>còn bên trong</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_trace.py" line="303"/>
        <source>{n} records written to {path}</source>
        <translation>Đã lưu {n} dòng vào tệp {path}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/chart.py" line="77"/>
        <source>No data</source>
        <translation>Không có dữ liệu</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/inside_page.py" line="66"/>
        <location filename="../../kiosk/ui/texts.py" line="200"/>
        <source>born {year}</source>
        <translation>sinh năm {year}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/inside_page.py" line="70"/>
        <source>in at {time}</source>
        <translation>vào lúc {time}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/inside_page.py" line="73"/>
        <source>Check out</source>
        <translation>Cho ra</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/inside_page.py" line="144"/>
        <location filename="../../kiosk/ui/pin.py" line="282"/>
        <source>Back</source>
        <translation>Quay lại</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/inside_page.py" line="145"/>
        <source>Search: initials, given name or year of birth</source>
        <translation>Tìm: chữ viết tắt, tên hoặc năm sinh</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/inside_page.py" line="169"/>
        <source>The list could not be read</source>
        <translation>Không đọc được danh sách</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/inside_page.py" line="183"/>
        <location filename="../../kiosk/ui/scan_page.py" line="602"/>
        <location filename="../../kiosk/ui/scan_page.py" line="607"/>
        <source>Inside now: {n}</source>
        <translation>Đang ở bên trong: {n}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/inside_page.py" line="191"/>
        <source>Reading the list…</source>
        <translation>Đang đọc danh sách…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/inside_page.py" line="193"/>
        <source>Nobody is inside</source>
        <translation>Không có ai ở bên trong</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/inside_page.py" line="195"/>
        <source>{n} found, the first {m} shown: type more to narrow</source>
        <translation>Tìm thấy {n} người, hiện {m} người đầu: gõ thêm để thu hẹp</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/inside_page.py" line="199"/>
        <source>{n} found</source>
        <translation>Tìm thấy {n} người</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/main_window.py" line="71"/>
        <source>Temporarily out of service, please call the site manager</source>
        <translation>Tạm ngừng phục vụ, vui lòng gọi quản lý</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/main_window.py" line="226"/>
        <source>Hold the code closer</source>
        <translation>Đưa mã lại gần hơn</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/main_window.py" line="226"/>
        <source>Hold the code still</source>
        <translation>Giữ yên mã</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/main_window.py" line="228"/>
        <source>Increase the phone&apos;s screen brightness</source>
        <translation>Tăng độ sáng màn hình điện thoại</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="73"/>
        <source>Fever</source>
        <translation>Sốt</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="74"/>
        <source>Cough</source>
        <translation>Ho</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="75"/>
        <source>Shortness of breath</source>
        <translation>Khó thở</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="76"/>
        <source>Loss of taste or smell</source>
        <translation>Mất vị giác hoặc khứu giác</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="77"/>
        <source>Contact with a case (F0) in the last 14 days</source>
        <translation>Tiếp xúc với người mắc (F0) trong 14 ngày qua</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="78"/>
        <source>Coming from an epidemic zone</source>
        <translation>Đi về từ vùng có dịch</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="319"/>
        <source>Full name</source>
        <translation>Họ và tên</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="319"/>
        <source>ID number (CCCD/CMND)</source>
        <translation>Số CCCD/CMND</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="319"/>
        <source>Phone number</source>
        <translation>Số điện thoại</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="320"/>
        <source>Year of birth</source>
        <translation>Năm sinh</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="322"/>
        <source>Proxy health declaration</source>
        <translation>Khai báo y tế hộ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="327"/>
        <source>Yes</source>
        <translation>Có</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="328"/>
        <source>No</source>
        <translation>Không</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="330"/>
        <source>Any “Yes”: the visitor sees the medical staff. Ask every question.</source>
        <translation>Có câu trả lời “Có”: mời gặp nhân viên y tế. Hỏi đủ tất cả các câu.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="332"/>
        <source>Coming in or going out?</source>
        <translation>Vào hay ra?</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="335"/>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="336"/>
        <source>Confirm</source>
        <translation>Xác nhận</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="342"/>
        <source>Declaration taken</source>
        <translation>Đã khai báo</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="342"/>
        <source>Not declared</source>
        <translation>Chưa khai báo</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="414"/>
        <source>Choose IN or OUT</source>
        <translation>Chọn VÀO hoặc RA</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="418"/>
        <source>Health declaration: {n} questions not answered</source>
        <translation>Khai báo y tế: còn {n} câu chưa trả lời</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="421"/>
        <source>Enter the visitor&apos;s full name</source>
        <translation>Vui lòng nhập họ và tên</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="426"/>
        <source>Enter an ID number or a phone number</source>
        <translation>Vui lòng nhập số CCCD/CMND hoặc số điện thoại</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="430"/>
        <source>An ID number has 12 digits (CCCD) or 9 (CMND)</source>
        <translation>Số CCCD gồm 12 chữ số, số CMND gồm 9 chữ số</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="435"/>
        <source>A phone number has 9 to 11 digits</source>
        <translation>Số điện thoại gồm 9 đến 11 chữ số</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="444"/>
        <source>Year of birth: from {first} to {last}</source>
        <translation>Năm sinh: từ {first} đến {last}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pin.py" line="281"/>
        <location filename="../../kiosk/ui/scan_page.py" line="547"/>
        <source>Administration</source>
        <translation>Quản trị</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pin.py" line="282"/>
        <source>Back to scanning</source>
        <translation>Quay lại màn hình quét</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pin.py" line="329"/>
        <source>Enter the PIN</source>
        <translation>Nhập mã PIN</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pin.py" line="330"/>
        <source>No administration PIN is set yet. The site manager sets one on the kiosk&apos;s console: sudo kiosk set-pin</source>
        <translation>Chưa đặt mã PIN quản trị. Người quản lý điểm đặt mã PIN trên bàn điều khiển của máy: sudo kiosk set-pin</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pin.py" line="334"/>
        <source>Choose a new PIN ({min} to {max} digits)</source>
        <translation>Chọn mã PIN mới ({min} đến {max} chữ số)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pin.py" line="337"/>
        <source>Enter the same PIN again</source>
        <translation>Nhập lại mã PIN</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pin.py" line="349"/>
        <source>Locked for {n} minutes</source>
        <translation>Tạm khóa {n} phút</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pin.py" line="366"/>
        <source>A PIN is {min} to {max} digits</source>
        <translation>Mã PIN gồm {min} đến {max} chữ số</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pin.py" line="373"/>
        <source>The two PINs differ. Start again</source>
        <translation>Hai mã PIN không khớp. Vui lòng nhập lại từ đầu</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pin.py" line="410"/>
        <source>Wrong PIN</source>
        <translation>Sai mã PIN</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pin.py" line="417"/>
        <source>The stored PIN cannot be read: reset it from the command line</source>
        <translation>Không đọc được mã PIN đã lưu: hãy đặt lại bằng dòng lệnh</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pin.py" line="420"/>
        <source>The PIN could not be checked. Please try again</source>
        <translation>Chưa kiểm tra được mã PIN. Vui lòng thử lại</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pin.py" line="427"/>
        <source>Saving the PIN…</source>
        <translation>Đang lưu mã PIN…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pin.py" line="436"/>
        <location filename="../../kiosk/ui/pin.py" line="449"/>
        <source>The PIN could not be saved: {reason}</source>
        <translation>Chưa lưu được mã PIN: {reason}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/poster.py" line="58"/>
        <source>Who collects it</source>
        <translation>Ai thu thập</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/poster.py" line="60"/>
        <source>Why</source>
        <translation>Để làm gì</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/poster.py" line="61"/>
        <source>To record who comes in and goes out, so that the health authority can find the people who were here at the same time as a case, quickly.</source>
        <translation>Ghi nhận người ra vào, để khi có ca bệnh, cơ quan y tế nhanh chóng tìm được những người đã có mặt cùng lúc.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/poster.py" line="67"/>
        <source>What is kept</source>
        <translation>Lưu những gì</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/poster.py" line="68"/>
        <source>When your code is scanned: your initials and given name (for example T. T. B. Ngọc), your year of birth, the time you came in and went out, and the kind of code. Your ID number, full name, address, phone and a health declaration are locked (encrypted) on the kiosk at once: only the health authority can open them.</source>
        <translation>Khi quét mã: tên viết tắt (ví dụ T. T. B. Ngọc), năm sinh, giờ vào và giờ ra, loại mã. Số giấy tờ, họ tên đầy đủ, địa chỉ, số điện thoại và khai báo y tế được khóa (mã hóa) ngay trên máy: chỉ cơ quan y tế mở được.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/poster.py" line="77"/>
        <source>For how long</source>
        <translation>Lưu bao lâu</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/poster.py" line="78"/>
        <source>{days} days, then deleted automatically.</source>
        <translation>{days} ngày, sau đó tự động xóa.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/poster.py" line="81"/>
        <source>Who can open it</source>
        <translation>Ai được xem</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/poster.py" line="82"/>
        <source>Only the health authority, to trace contacts in an epidemic; every opening is recorded. The guard and the site manager see initials and years of birth only.</source>
        <translation>Chỉ cơ quan y tế, để truy vết khi có dịch; mỗi lần mở đều được ghi lại. Bảo vệ và người quản lý điểm chỉ thấy tên viết tắt và năm sinh.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/poster.py" line="88"/>
        <source>Your rights</source>
        <translation>Quyền của bạn</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/poster.py" line="89"/>
        <source>Under Decree 13/2023/NĐ-CP on personal data protection you may ask what is kept about you, and ask for it to be corrected or deleted: ask the site manager.</source>
        <translation>Theo Nghị định 13/2023/NĐ-CP về bảo vệ dữ liệu cá nhân, bạn có quyền hỏi dữ liệu nào về mình đang được lưu, yêu cầu sửa hoặc xóa: hãy hỏi người quản lý điểm.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/poster.py" line="99"/>
        <source>Decree 13/2023/NĐ-CP on personal data protection · made by the kiosk on {date}</source>
        <translation>Nghị định 13/2023/NĐ-CP về bảo vệ dữ liệu cá nhân · máy kiểm dịch tạo ngày {date}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/poster.py" line="101"/>
        <source>Your personal data at this checkpoint</source>
        <translation>Dữ liệu cá nhân của bạn tại điểm kiểm dịch này</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/scan_page.py" line="543"/>
        <source>DEMO MODE</source>
        <translation>CHẾ ĐỘ THỬ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/scan_page.py" line="548"/>
        <source>Tiếng Việt</source>
        <translation>English</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/scan_page.py" line="550"/>
        <source>CCCD: code at the top right</source>
        <translation>CCCD: mã ở góc trên bên phải</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/scan_page.py" line="563"/>
        <source>The camera is not working: use the hand scanner or Manual entry</source>
        <translation>Camera không hoạt động: dùng máy quét cầm tay hoặc Nhập thủ công</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/scan_page.py" line="607"/>
        <source>Inside: {n}</source>
        <translation>Bên trong: {n}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/scan_page.py" line="616"/>
        <source>in {n} · out {m}</source>
        <translation>vào {n} · ra {m}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/scan_page.py" line="616"/>
        <source>Today: in {n} · out {m}</source>
        <translation>Hôm nay: vào {n} · ra {m}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/scan_page.py" line="625"/>
        <source>Clock not synchronised</source>
        <translation>Đồng hồ chưa được đồng bộ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/scan_page.py" line="677"/>
        <source>No sound device</source>
        <translation>Không có loa</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="114"/>
        <source>Personal QR code</source>
        <translation>Mã QR cá nhân</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="115"/>
        <source>Chip ID card (CCCD)</source>
        <translation>Căn cước công dân (CCCD)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="116"/>
        <source>Health-insurance card (BHYT)</source>
        <translation>Thẻ bảo hiểm y tế (BHYT)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="126"/>
        <location filename="../../kiosk/ui/texts.py" line="130"/>
        <source>IN</source>
        <translation>VÀO</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="126"/>
        <location filename="../../kiosk/ui/texts.py" line="130"/>
        <source>OUT</source>
        <translation>RA</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="130"/>
        <source>AUTO</source>
        <translation>TỰ ĐỘNG</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="135"/>
        <source>Full inside, please wait</source>
        <translation>Đã đủ số người bên trong, vui lòng chờ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="136"/>
        <source>Under quarantine, please see the medical staff</source>
        <translation>Thuộc diện cách ly, vui lòng gặp nhân viên y tế</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="138"/>
        <source>Under health monitoring (yellow)</source>
        <translation>Thuộc diện theo dõi y tế (mức vàng)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="139"/>
        <source>This kind of code is not accepted here</source>
        <translation>Loại mã này không được chấp nhận tại đây</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="140"/>
        <source>This is the place&apos;s code. Please show your personal code</source>
        <translation>Đây là mã QR của địa điểm. Vui lòng đưa mã QR cá nhân</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="141"/>
        <source>Code not recognised. Please show your personal QR, ID card or health-insurance card</source>
        <translation>Không nhận dạng được mã. Vui lòng đưa mã QR cá nhân, CCCD hoặc thẻ BHYT</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="144"/>
        <source>The certificate&apos;s signature is not valid</source>
        <translation>Chữ ký của chứng nhận không hợp lệ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="145"/>
        <source>The certificate could not be checked on this kiosk</source>
        <translation>Máy này chưa kiểm tra được chứng nhận</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="146"/>
        <source>Certificate expired</source>
        <translation>Chứng nhận đã hết hạn</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="147"/>
        <source>The certificate states no expiry date</source>
        <translation>Chứng nhận không ghi ngày hết hạn</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="148"/>
        <source>Health declaration: please see the medical staff</source>
        <translation>Khai báo y tế có dấu hiệu cần kiểm tra</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="149"/>
        <source>The health declaration in this code is not genuine</source>
        <translation>Khai báo y tế trong mã này không hợp lệ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="152"/>
        <source>No health declaration: please declare, or see the staff</source>
        <translation>Chưa khai báo y tế: vui lòng khai báo hoặc gặp nhân viên</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="153"/>
        <source>The health declaration is too old: please declare again</source>
        <translation>Khai báo y tế đã hết hạn: vui lòng khai báo lại</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="154"/>
        <source>Symptoms declared</source>
        <translation>Có khai báo triệu chứng</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="155"/>
        <source>Contact with a case or travel declared</source>
        <translation>Có khai báo tiếp xúc F0 hoặc đi về từ vùng dịch</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="156"/>
        <source>This place needs a health declaration: please declare first</source>
        <translation>Nơi này yêu cầu khai báo y tế: vui lòng khai báo trước</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="159"/>
        <source>Closed by the nightly checkout</source>
        <translation>Tự động ghi nhận ra vào cuối ngày</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="182"/>
        <source>PLEASE WAIT</source>
        <translation>VUI LÒNG CHỜ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="184"/>
        <source>COME IN</source>
        <translation>MỜI VÀO</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="185"/>
        <source>GOODBYE</source>
        <translation>MỜI RA</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="186"/>
        <source>SEE THE MEDICAL STAFF</source>
        <translation>GẶP NHÂN VIÊN Y TẾ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="187"/>
        <source>WRONG CODE</source>
        <translation>CHƯA ĐÚNG MÃ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="188"/>
        <source>NO ENTRY</source>
        <translation>KHÔNG ĐƯỢC VÀO</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="189"/>
        <source>NOT RECORDED</source>
        <translation>CHƯA GHI ĐƯỢC</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="215"/>
        <source>Already recorded at {time}</source>
        <translation>Đã ghi nhận lúc {time}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="225"/>
        <source>Exit recorded</source>
        <translation>Đã ghi nhận lượt ra</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="242"/>
        <source>no symptoms</source>
        <translation>không triệu chứng</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="245"/>
        <source>symptoms declared</source>
        <translation>có triệu chứng</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="245"/>
        <source>contact or travel declared</source>
        <translation>có yếu tố dịch tễ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="246"/>
        <source>Declared at {time}</source>
        <translation>Đã khai báo lúc {time}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="253"/>
        <source>The kiosk&apos;s storage is full: scans are not being recorded</source>
        <translation>Bộ nhớ của máy đã đầy: không ghi được lượt quét</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="254"/>
        <source>Guard: write each visitor&apos;s name and phone on paper, call the site manager</source>
        <translation>Bảo vệ: ghi tên và số điện thoại của từng người ra giấy, gọi quản lý điểm</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="256"/>
        <source>The record could not be saved. Scan the code once more</source>
        <translation>Chưa lưu được lượt này. Vui lòng quét lại mã</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="257"/>
        <source>Guard: if it fails again, write the name and phone on paper, call the site manager</source>
        <translation>Bảo vệ: nếu vẫn lỗi, ghi tên và số điện thoại ra giấy, gọi quản lý điểm</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="267"/>
        <source>Storage full: NOT recording. Call the site manager</source>
        <translation>Bộ nhớ đầy: KHÔNG ghi được. Gọi quản lý điểm</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="269"/>
        <source>Storage almost full: call the site manager</source>
        <translation>Bộ nhớ sắp đầy, vui lòng gọi quản lý</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="276"/>
        <source>Camera: starting</source>
        <translation>Camera: đang khởi động</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="277"/>
        <location filename="../../kiosk/ui/texts.py" line="289"/>
        <source>Camera disconnected</source>
        <translation>Mất kết nối camera</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="278"/>
        <source>Camera shows nothing (covered?)</source>
        <translation>Camera không thấy gì (bị che?)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="286"/>
        <source>The camera shows nothing</source>
        <translation>Camera không thấy gì</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="287"/>
        <source>Is it covered or turned away? Meanwhile:</source>
        <translation>Camera bị che hay bị xoay đi? Trong lúc chờ:</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="290"/>
        <source>Codes cannot be read by the camera. Meanwhile:</source>
        <translation>Camera không đọc được mã. Trong lúc chờ:</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="297"/>
        <source>Scan the code with the hand scanner (USB), it still works</source>
        <translation>Quét mã bằng máy quét cầm tay (USB): vẫn dùng được</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="298"/>
        <source>No scanner, or no code: the guard taps Manual entry</source>
        <translation>Không có máy quét hoặc không có mã: bảo vệ bấm Nhập thủ công</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="308"/>
        <source>Hold your QR code up to the camera above the screen</source>
        <translation>Đưa mã QR vào khung, hướng về camera phía trên màn hình</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="309"/>
        <source>Hold your QR code to the camera below the screen</source>
        <translation>Đưa mã QR vào khung, hướng về camera phía dưới màn hình</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="310"/>
        <source>Hold your QR code to the camera left of the screen</source>
        <translation>Đưa mã QR vào khung, hướng về camera bên trái màn hình</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="311"/>
        <source>Hold your QR code to the camera right of the screen</source>
        <translation>Đưa mã QR vào khung, hướng về camera bên phải màn hình</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="318"/>
        <source>Personal QR (phone or paper)</source>
        <translation>Mã QR cá nhân (điện thoại hoặc giấy)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="318"/>
        <source>Chip ID card: the code is at the top right</source>
        <translation>CCCD gắn chip: mã ở góc trên bên phải</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="323"/>
        <source>just now</source>
        <translation>vừa xong</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="325"/>
        <source>{n} min ago</source>
        <translation>{n} phút trước</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="327"/>
        <source>{n} h ago</source>
        <translation>{n} giờ trước</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="328"/>
        <source>{n} days ago</source>
        <translation>{n} ngày trước</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="343"/>
        <source>Offline (not enrolled)</source>
        <translation>Ngoại tuyến (chưa đăng ký)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="345"/>
        <source>Needs re-enrollment</source>
        <translation>Cần đăng ký lại thiết bị</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="351"/>
        <source>No authority key</source>
        <translation>Chưa có khóa cơ quan y tế</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="353"/>
        <source>Server data refused</source>
        <translation>Đã từ chối dữ liệu máy chủ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="357"/>
        <location filename="../../kiosk/ui/texts.py" line="363"/>
        <source>Offline</source>
        <translation>Ngoại tuyến</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="358"/>
        <source>never synced</source>
        <translation>chưa đồng bộ lần nào</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="363"/>
        <source>Online</source>
        <translation>Trực tuyến</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="365"/>
        <source>last synced {ago}</source>
        <translation>đồng bộ {ago}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="367"/>
        <source>{n} waiting</source>
        <translation>{n} chờ gửi</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="367"/>
        <source>{n} waiting to send</source>
        <translation>{n} lượt chờ gửi</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="374"/>
        <source>Entries and exits are kept {days} days for contact tracing</source>
        <translation>Thông tin ra vào được lưu {days} ngày để truy vết dịch</translation>
    </message>
    <message>
        <source>Choose a new PIN (4 to 8 digits)</source>
        <translation type="obsolete">Chọn mã PIN mới (4 đến 8 chữ số)</translation>
    </message>
    <message>
        <source>A PIN is 4 to 8 digits</source>
        <translation type="obsolete">Mã PIN gồm 4 đến 8 chữ số</translation>
    </message>
    <message>
        <source>Export the days</source>
        <translation type="obsolete">Xuất dữ liệu các ngày</translation>
    </message>
    <message>
        <source>{n} records written to {path}: {entries} entries, {exits} exits, {referred} referred, {refused} refused</source>
        <translation type="obsolete">Đã ghi {n} lượt vào {path}: {entries} lượt vào, {exits} lượt ra, {referred} lượt gặp nhân viên y tế, {refused} lượt không được vào</translation>
    </message>
    <message>
        <source>Margin (minutes)</source>
        <translation type="obsolete">Biên thời gian (phút)</translation>
    </message>
    <message>
        <source>Camera OK</source>
        <translation type="obsolete">Camera: bình thường</translation>
    </message>
    <message>
        <source>last synced {n} min ago</source>
        <translation type="obsolete">đồng bộ lần cuối {n} phút trước</translation>
    </message>
    <message>
        <source>Any “Yes”: the visitor sees the medical staff</source>
        <translation type="obsolete">Có bất kỳ câu trả lời “Có”: mời gặp nhân viên y tế</translation>
    </message>
    <message>
        <source>Declared</source>
        <translation type="obsolete">Đã khai báo</translation>
    </message>
    <message>
        <source>Put the QR code in the frame</source>
        <translation type="obsolete">Đưa mã QR vào khung</translation>
    </message>
    <message>
        <source>Signature not verified (no key list)</source>
        <translation type="obsolete">Chưa xác thực được chữ ký (thiếu danh sách khóa)</translation>
    </message>
    <message>
        <source>Welcome in</source>
        <translation type="obsolete">Mời vào</translation>
    </message>
    <message>
        <source>Please see the medical staff</source>
        <translation type="obsolete">Vui lòng gặp nhân viên y tế</translation>
    </message>
    <message>
        <source>Entry not allowed</source>
        <translation type="obsolete">Chưa thể vào</translation>
    </message>
    <message>
        <source>Storage is full. Please call the site manager</source>
        <translation type="obsolete">Bộ nhớ đã đầy. Vui lòng gọi quản lý</translation>
    </message>
    <message>
        <source>The record could not be saved. Please try again or call the site manager</source>
        <translation type="obsolete">Chưa lưu được lượt này. Vui lòng thử lại hoặc gọi quản lý</translation>
    </message>
    <message>
        <source>Storage full: scans are NOT recorded. Call the site manager</source>
        <translation type="obsolete">Bộ nhớ đã đầy: KHÔNG ghi nhận được lượt quét. Vui lòng gọi quản lý</translation>
    </message>
</context>
</TS>
