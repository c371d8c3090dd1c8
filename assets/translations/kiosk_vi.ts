<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN" sourcelanguage="en">
<context>
    <name>Kiosk</name>
    <message>
        <source>Settings</source>
        <translation>Cài đặt</translation>
    </message>
    <message>
        <source>Reports</source>
        <translation>Báo cáo</translation>
    </message>
    <message>
        <source>Contact tracing</source>
        <translation>Truy vết</translation>
    </message>
    <message>
        <source>This device</source>
        <translation>Thiết bị này</translation>
    </message>
    <message>
        <source>Lock screen</source>
        <translation>Khóa màn hình</translation>
    </message>
    <message>
        <source>The new PIN is saved</source>
        <translation>Đã lưu mã PIN mới</translation>
    </message>
    <message>
        <source>Tap again to quit</source>
        <translation>Chạm lần nữa để thoát</translation>
    </message>
    <message>
        <source>Quit the kiosk</source>
        <translation>Thoát ứng dụng</translation>
    </message>
    <message>
        <source>Save to:</source>
        <translation>Lưu vào:</translation>
    </message>
    <message>
        <source>Find USB</source>
        <translation>Tìm USB</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>Thư mục</translation>
    </message>
    <message>
        <source>USB found: {names}. The export goes there</source>
        <translation>Đã tìm thấy USB: {names}. Tệp sẽ được lưu vào đó</translation>
    </message>
    <message>
        <source>No USB stick found. Plug one in, wait a few seconds, tap Find USB again</source>
        <translation>Không thấy USB nào. Cắm USB vào, chờ vài giây rồi bấm lại &quot;Tìm USB&quot;</translation>
    </message>
    <message>
        <source>USB: {name}</source>
        <translation>USB: {name}</translation>
    </message>
    <message>
        <source>Kiosk data folder</source>
        <translation>Thư mục dữ liệu của máy</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>Hôm nay</translation>
    </message>
    <message>
        <source>Personal QR</source>
        <translation>QR cá nhân</translation>
    </message>
    <message>
        <source>Vaccine certificate</source>
        <translation>Hộ chiếu vắc-xin</translation>
    </message>
    <message>
        <source>Manual entry</source>
        <translation>Nhập thủ công</translation>
    </message>
    <message>
        <source>Venue code</source>
        <translation>Mã địa điểm</translation>
    </message>
    <message>
        <source>Unknown code</source>
        <translation>Mã không xác định</translation>
    </message>
    <message>
        <source>Checkpoint</source>
        <translation>Điểm kiểm dịch</translation>
    </message>
    <message>
        <source>Device ID</source>
        <translation>Mã thiết bị</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Máy chủ</translation>
    </message>
    <message>
        <source>Waiting to send</source>
        <translation>Chờ gửi</translation>
    </message>
    <message>
        <source>Enroll this device</source>
        <translation>Đăng ký thiết bị</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation>Địa chỉ máy chủ</translation>
    </message>
    <message>
        <source>Enrollment code</source>
        <translation>Mã đăng ký</translation>
    </message>
    <message>
        <source>Privacy notice</source>
        <translation>Thông báo về dữ liệu cá nhân</translation>
    </message>
    <message>
        <source>An A4 poster (a Vietnamese and an English page) that says what the kiosk keeps, for how long and who can open it (Decree 13/2023/NĐ-CP). Print it and put it up beside the kiosk. Who runs the checkpoint is set in Settings.</source>
        <translation>Tờ thông báo khổ A4 (một trang tiếng Việt, một trang tiếng Anh) nói rõ máy lưu những gì, lưu bao lâu và ai được xem (Nghị định 13/2023/NĐ-CP). Hãy in ra và dán cạnh máy. Đơn vị quản lý điểm được đặt trong Cài đặt.</translation>
    </message>
    <message>
        <source>Save the poster (PDF)</source>
        <translation>Lưu tờ thông báo (PDF)</translation>
    </message>
    <message>
        <source>Not enrolled: the kiosk works offline</source>
        <translation>Chưa đăng ký: máy hoạt động ngoại tuyến</translation>
    </message>
    <message>
        <source>{n} records</source>
        <translation>{n} lượt</translation>
    </message>
    <message>
        <source>{n} refused by the server</source>
        <translation>{n} lượt bị máy chủ từ chối</translation>
    </message>
    <message>
        <source>Not saved: {reason}</source>
        <translation>Chưa lưu được: {reason}</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Đang lưu…</translation>
    </message>
    <message>
        <source>Poster saved to {path}: print it on A4</source>
        <translation>Đã lưu tờ thông báo vào {path}: hãy in ra khổ A4</translation>
    </message>
    <message>
        <source>Not a server address: {reason}</source>
        <translation>Địa chỉ máy chủ không hợp lệ: {reason}</translation>
    </message>
    <message>
        <source>Enter the server address and the enrollment code</source>
        <translation>Vui lòng nhập địa chỉ máy chủ và mã đăng ký</translation>
    </message>
    <message>
        <source>Enrolling…</source>
        <translation>Đang đăng ký…</translation>
    </message>
    <message>
        <source>Enrolled, but the settings were not saved: {reason}</source>
        <translation>Đã đăng ký, nhưng chưa lưu được cài đặt: {reason}</translation>
    </message>
    <message>
        <source>Enrolled as checkpoint {name}</source>
        <translation>Đã đăng ký là điểm kiểm dịch {name}</translation>
    </message>
    <message>
        <source>The enrollment code was refused (wrong, used or expired)</source>
        <translation>Mã đăng ký bị từ chối (sai, đã dùng hoặc hết hạn)</translation>
    </message>
    <message>
        <source>The server could not be reached: {reason}</source>
        <translation>Không kết nối được máy chủ: {reason}</translation>
    </message>
    <message>
        <source>Enrollment failed: {reason}</source>
        <translation>Đăng ký không thành công: {reason}</translation>
    </message>
    <message>
        <source>Entries</source>
        <translation>Lượt vào</translation>
    </message>
    <message>
        <source>Exits</source>
        <translation>Lượt ra</translation>
    </message>
    <message>
        <source>Peak occupancy</source>
        <translation>Số người cao nhất</translation>
    </message>
    <message>
        <source>Inside at the start of the day</source>
        <translation>Bên trong lúc đầu ngày</translation>
    </message>
    <message>
        <source>Entries and exits by hour</source>
        <translation>Lượt vào/ra theo giờ</translation>
    </message>
    <message>
        <source>Kind of code</source>
        <translation>Loại mã</translation>
    </message>
    <message>
        <source>In</source>
        <translation>Vào</translation>
    </message>
    <message>
        <source>Out</source>
        <translation>Ra</translation>
    </message>
    <message>
        <source>Referred</source>
        <translation>Gặp y tế</translation>
    </message>
    <message>
        <source>Refused</source>
        <translation>Từ chối</translation>
    </message>
    <message>
        <source>Export the days:</source>
        <translation>Xuất dữ liệu các ngày:</translation>
    </message>
    <message>
        <source>Export CSV</source>
        <translation>Xuất CSV</translation>
    </message>
    <message>
        <source>The report could not be made: {reason}</source>
        <translation>Không lập được báo cáo: {reason}</translation>
    </message>
    <message>
        <source>{n} automatic</source>
        <translation>{n} tự động</translation>
    </message>
    <message>
        <source>at {time}</source>
        <translation>lúc {time}</translation>
    </message>
    <message>
        <source>Not a date: {text}</source>
        <translation>Không phải ngày hợp lệ: {text}</translation>
    </message>
    <message>
        <source>The end of the period is before its start</source>
        <translation>Ngày kết thúc trước ngày bắt đầu</translation>
    </message>
    <message>
        <source>Not exported: {reason}</source>
        <translation>Chưa xuất được: {reason}</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>Đang xuất dữ liệu…</translation>
    </message>
    <message>
        <source>{n} records exported: {entries} entries, {exits} exits, {referred} referred, {refused} refused. File: {path}</source>
        <translation>Đã xuất {n} lượt: {entries} lượt vào, {exits} lượt ra, {referred} lượt gặp nhân viên y tế, {refused} lượt không được vào. Tệp: {path}</translation>
    </message>
    <message>
        <source>Camera / source</source>
        <translation>Camera / nguồn hình</translation>
    </message>
    <message>
        <source>Gate mode</source>
        <translation>Chế độ cổng</translation>
    </message>
    <message>
        <source>Capacity</source>
        <translation>Sức chứa</translation>
    </message>
    <message>
        <source>Duplicate window (seconds)</source>
        <translation>Bỏ qua quét lặp lại trong (giây)</translation>
    </message>
    <message>
        <source>Verdict shown for (seconds)</source>
        <translation>Thời gian hiện kết quả (giây)</translation>
    </message>
    <message>
        <source>Accepted codes</source>
        <translation>Loại mã được chấp nhận</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Ngôn ngữ</translation>
    </message>
    <message>
        <source>Automatic checkout time</source>
        <translation>Giờ tự động ghi ra</translation>
    </message>
    <message>
        <source>Keep records for (days)</source>
        <translation>Lưu dữ liệu trong (ngày)</translation>
    </message>
    <message>
        <source>Where the camera is</source>
        <translation>Vị trí camera</translation>
    </message>
    <message>
        <source>Who runs this checkpoint</source>
        <translation>Đơn vị quản lý điểm</translation>
    </message>
    <message>
        <source>How to reach them</source>
        <translation>Liên hệ</translation>
    </message>
    <message>
        <source>Above the screen</source>
        <translation>Phía trên màn hình</translation>
    </message>
    <message>
        <source>Below</source>
        <translation>Phía dưới</translation>
    </message>
    <message>
        <source>Left</source>
        <translation>Bên trái</translation>
    </message>
    <message>
        <source>Right</source>
        <translation>Bên phải</translation>
    </message>
    <message>
        <source>e.g. the market&apos;s management board</source>
        <translation>ví dụ: Ban quản lý chợ</translation>
    </message>
    <message>
        <source>a phone number or an address</source>
        <translation>số điện thoại hoặc địa chỉ</translation>
    </message>
    <message>
        <source>0 = no limit</source>
        <translation>0 = không giới hạn</translation>
    </message>
    <message>
        <source>The same person again within this time is not recorded twice</source>
        <translation>Cùng một người quét lại trong thời gian này chỉ được ghi một lần</translation>
    </message>
    <message>
        <source>HH:MM, every night everyone still inside is checked out. Empty = off</source>
        <translation>Dạng HH:MM; mỗi đêm ghi ra cho mọi người còn bên trong. Để trống = tắt</translation>
    </message>
    <message>
        <source>off</source>
        <translation>tắt</translation>
    </message>
    <message>
        <source>Not enrolled</source>
        <translation>Chưa đăng ký</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Lưu</translation>
    </message>
    <message>
        <source>Undo changes</source>
        <translation>Hoàn tác</translation>
    </message>
    <message>
        <source>Change PIN</source>
        <translation>Đổi mã PIN</translation>
    </message>
    <message>
        <source>Nothing to save: no change</source>
        <translation>Không có thay đổi để lưu</translation>
    </message>
    <message>
        <source>Saved and applied</source>
        <translation>Đã lưu và áp dụng</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>Người cần truy vết</translation>
    </message>
    <message>
        <source>Minutes before and after</source>
        <translation>Số phút trước và sau</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>Khoảng thời gian</translation>
    </message>
    <message>
        <source>Scan the code, or type the ID or phone number</source>
        <translation>Quét mã, hoặc nhập số CCCD hay số điện thoại</translation>
    </message>
    <message>
        <source>from: any day</source>
        <translation>từ: bất kỳ</translation>
    </message>
    <message>
        <source>to: any day</source>
        <translation>đến: bất kỳ</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Tìm</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Tên</translation>
    </message>
    <message>
        <source>Together (min)</source>
        <translation>Cùng lúc (phút)</translation>
    </message>
    <message>
        <source>Scan or type the person&apos;s code first</source>
        <translation>Vui lòng quét hoặc nhập mã của người cần truy vết</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>Đang tìm…</translation>
    </message>
    <message>
        <source>This is not a personal code, an ID number or a phone number</source>
        <translation>Đây không phải mã cá nhân, số CCCD hay số điện thoại</translation>
    </message>
    <message>
        <source>The search failed: {reason}</source>
        <translation>Không tìm được: {reason}</translation>
    </message>
    <message>
        <source>{n} people present at the same time as {key} (margin {m} min)</source>
        <translation>{n} người có mặt cùng thời điểm với {key} (tính thêm {m} phút trước và sau)</translation>
    </message>
    <message>
        <source>still inside</source>
        <translation>còn bên trong</translation>
    </message>
    <message>
        <source>{n} records written to {path}</source>
        <translation>Đã lưu {n} dòng vào tệp {path}</translation>
    </message>
    <message>
        <source>No data</source>
        <translation>Không có dữ liệu</translation>
    </message>
    <message>
        <source>born {year}</source>
        <translation>sinh năm {year}</translation>
    </message>
    <message>
        <source>in at {time}</source>
        <translation>vào lúc {time}</translation>
    </message>
    <message>
        <source>Check out</source>
        <translation>Cho ra</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Quay lại</translation>
    </message>
    <message>
        <source>Search: initials, given name or year of birth</source>
        <translation>Tìm: chữ viết tắt, tên hoặc năm sinh</translation>
    </message>
    <message>
        <source>The list could not be read</source>
        <translation>Không đọc được danh sách</translation>
    </message>
    <message>
        <source>Inside now: {n}</source>
        <translation>Đang ở bên trong: {n}</translation>
    </message>
    <message>
        <source>Reading the list…</source>
        <translation>Đang đọc danh sách…</translation>
    </message>
    <message>
        <source>Nobody is inside</source>
        <translation>Không có ai ở bên trong</translation>
    </message>
    <message>
        <source>{n} found, the first {m} shown: type more to narrow</source>
        <translation>Tìm thấy {n} người, hiện {m} người đầu: gõ thêm để thu hẹp</translation>
    </message>
    <message>
        <source>{n} found</source>
        <translation>Tìm thấy {n} người</translation>
    </message>
    <message>
        <source>Temporarily out of service, please call the site manager</source>
        <translation>Tạm ngừng phục vụ, vui lòng gọi quản lý</translation>
    </message>
    <message>
        <source>Hold the code closer</source>
        <translation>Đưa mã lại gần hơn</translation>
    </message>
    <message>
        <source>Hold the code still</source>
        <translation>Giữ yên mã</translation>
    </message>
    <message>
        <source>Increase the phone&apos;s screen brightness</source>
        <translation>Tăng độ sáng màn hình điện thoại</translation>
    </message>
    <message>
        <source>Fever</source>
        <translation>Sốt</translation>
    </message>
    <message>
        <source>Cough</source>
        <translation>Ho</translation>
    </message>
    <message>
        <source>Shortness of breath</source>
        <translation>Khó thở</translation>
    </message>
    <message>
        <source>Loss of taste or smell</source>
        <translation>Mất vị giác hoặc khứu giác</translation>
    </message>
    <message>
        <source>Contact with a case (F0) in the last 14 days</source>
        <translation>Tiếp xúc với người mắc (F0) trong 14 ngày qua</translation>
    </message>
    <message>
        <source>Coming from an epidemic zone</source>
        <translation>Đi về từ vùng có dịch</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>Họ và tên</translation>
    </message>
    <message>
        <source>ID number (CCCD/CMND)</source>
        <translation>Số CCCD/CMND</translation>
    </message>
    <message>
        <source>Phone number</source>
        <translation>Số điện thoại</translation>
    </message>
    <message>
        <source>Year of birth</source>
        <translation>Năm sinh</translation>
    </message>
    <message>
        <source>Proxy health declaration</source>
        <translation>Khai báo y tế hộ</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>Có</translation>
    </message>
    <message>
        <source>No</source>
        <translation>Không</translation>
    </message>
    <message>
        <source>Any “Yes”: the visitor sees the medical staff. Ask every question.</source>
        <translation>Có câu trả lời “Có”: mời gặp nhân viên y tế. Hỏi đủ tất cả các câu.</translation>
    </message>
    <message>
        <source>Coming in or going out?</source>
        <translation>Vào hay ra?</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>Confirm</source>
        <translation>Xác nhận</translation>
    </message>
    <message>
        <source>Declaration taken</source>
        <translation>Đã khai báo</translation>
    </message>
    <message>
        <source>Not declared</source>
        <translation>Chưa khai báo</translation>
    </message>
    <message>
        <source>Choose IN or OUT</source>
        <translation>Chọn VÀO hoặc RA</translation>
    </message>
    <message>
        <source>Health declaration: {n} questions not answered</source>
        <translation>Khai báo y tế: còn {n} câu chưa trả lời</translation>
    </message>
    <message>
        <source>Enter the visitor&apos;s full name</source>
        <translation>Vui lòng nhập họ và tên</translation>
    </message>
    <message>
        <source>Enter an ID number or a phone number</source>
        <translation>Vui lòng nhập số CCCD/CMND hoặc số điện thoại</translation>
    </message>
    <message>
        <source>An ID number has 12 digits (CCCD) or 9 (CMND)</source>
        <translation>Số CCCD gồm 12 chữ số, số CMND gồm 9 chữ số</translation>
    </message>
    <message>
        <source>A phone number has 9 to 11 digits</source>
        <translation>Số điện thoại gồm 9 đến 11 chữ số</translation>
    </message>
    <message>
        <source>Year of birth: from {first} to {last}</source>
        <translation>Năm sinh: từ {first} đến {last}</translation>
    </message>
    <message>
        <source>Administration</source>
        <translation>Quản trị</translation>
    </message>
    <message>
        <source>Back to scanning</source>
        <translation>Quay lại màn hình quét</translation>
    </message>
    <message>
        <source>Enter the PIN</source>
        <translation>Nhập mã PIN</translation>
    </message>
    <message>
        <source>Choose a new PIN (4 to 8 digits)</source>
        <translation>Chọn mã PIN mới (4 đến 8 chữ số)</translation>
    </message>
    <message>
        <source>Enter the same PIN again</source>
        <translation>Nhập lại mã PIN</translation>
    </message>
    <message>
        <source>Locked for {n} minutes</source>
        <translation>Tạm khóa {n} phút</translation>
    </message>
    <message>
        <source>A PIN is 4 to 8 digits</source>
        <translation>Mã PIN gồm 4 đến 8 chữ số</translation>
    </message>
    <message>
        <source>The two PINs differ. Start again</source>
        <translation>Hai mã PIN không khớp. Vui lòng nhập lại từ đầu</translation>
    </message>
    <message>
        <source>Wrong PIN</source>
        <translation>Sai mã PIN</translation>
    </message>
    <message>
        <source>The stored PIN cannot be read: reset it from the command line</source>
        <translation>Không đọc được mã PIN đã lưu: hãy đặt lại bằng dòng lệnh</translation>
    </message>
    <message>
        <source>The PIN could not be checked. Please try again</source>
        <translation>Chưa kiểm tra được mã PIN. Vui lòng thử lại</translation>
    </message>
    <message>
        <source>Saving the PIN…</source>
        <translation>Đang lưu mã PIN…</translation>
    </message>
    <message>
        <source>The PIN could not be saved: {reason}</source>
        <translation>Chưa lưu được mã PIN: {reason}</translation>
    </message>
    <message>
        <source>Who collects it</source>
        <translation>Ai thu thập</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>Để làm gì</translation>
    </message>
    <message>
        <source>To record who comes in and goes out, so that the health authority can find the people who were here at the same time as a case, quickly.</source>
        <translation>Ghi nhận người ra vào, để khi có ca bệnh, cơ quan y tế nhanh chóng tìm được những người đã có mặt cùng lúc.</translation>
    </message>
    <message>
        <source>What is kept</source>
        <translation>Lưu những gì</translation>
    </message>
    <message>
        <source>When your code is scanned: your initials and given name (for example T. T. B. Ngọc), your year of birth, the time you came in and went out, and the kind of code. Your ID number, full name, address, phone and a health declaration are locked (encrypted) on the kiosk at once: only the health authority can open them.</source>
        <translation>Khi quét mã: tên viết tắt (ví dụ T. T. B. Ngọc), năm sinh, giờ vào và giờ ra, loại mã. Số giấy tờ, họ tên đầy đủ, địa chỉ, số điện thoại và khai báo y tế được khóa (mã hóa) ngay trên máy: chỉ cơ quan y tế mở được.</translation>
    </message>
    <message>
        <source>For how long</source>
        <translation>Lưu bao lâu</translation>
    </message>
    <message>
        <source>{days} days, then deleted automatically.</source>
        <translation>{days} ngày, sau đó tự động xóa.</translation>
    </message>
    <message>
        <source>Who can open it</source>
        <translation>Ai được xem</translation>
    </message>
    <message>
        <source>Only the health authority, to trace contacts in an epidemic; every opening is recorded. The guard and the site manager see initials and years of birth only.</source>
        <translation>Chỉ cơ quan y tế, để truy vết khi có dịch; mỗi lần mở đều được ghi lại. Bảo vệ và người quản lý điểm chỉ thấy tên viết tắt và năm sinh.</translation>
    </message>
    <message>
        <source>Your rights</source>
        <translation>Quyền của bạn</translation>
    </message>
    <message>
        <source>Under Decree 13/2023/NĐ-CP on personal data protection you may ask what is kept about you, and ask for it to be corrected or deleted: ask the site manager.</source>
        <translation>Theo Nghị định 13/2023/NĐ-CP về bảo vệ dữ liệu cá nhân, bạn có quyền hỏi dữ liệu nào về mình đang được lưu, yêu cầu sửa hoặc xóa: hãy hỏi người quản lý điểm.</translation>
    </message>
    <message>
        <source>Decree 13/2023/NĐ-CP on personal data protection · made by the kiosk on {date}</source>
        <translation>Nghị định 13/2023/NĐ-CP về bảo vệ dữ liệu cá nhân · máy kiểm dịch tạo ngày {date}</translation>
    </message>
    <message>
        <source>Your personal data at this checkpoint</source>
        <translation>Dữ liệu cá nhân của bạn tại điểm kiểm dịch này</translation>
    </message>
    <message>
        <source>DEMO MODE</source>
        <translation>CHẾ ĐỘ THỬ</translation>
    </message>
    <message>
        <source>Tiếng Việt</source>
        <translation>English</translation>
    </message>
    <message>
        <source>CCCD: code at the top right</source>
        <translation>CCCD: mã ở góc trên bên phải</translation>
    </message>
    <message>
        <source>The camera is not working: use the hand scanner or Manual entry</source>
        <translation>Camera không hoạt động: dùng máy quét cầm tay hoặc Nhập thủ công</translation>
    </message>
    <message>
        <source>Inside: {n}</source>
        <translation>Bên trong: {n}</translation>
    </message>
    <message>
        <source>in {n} · out {m}</source>
        <translation>vào {n} · ra {m}</translation>
    </message>
    <message>
        <source>Today: in {n} · out {m}</source>
        <translation>Hôm nay: vào {n} · ra {m}</translation>
    </message>
    <message>
        <source>Clock not synchronised</source>
        <translation>Đồng hồ chưa được đồng bộ</translation>
    </message>
    <message>
        <source>No sound device</source>
        <translation>Không có loa</translation>
    </message>
    <message>
        <source>Personal QR code</source>
        <translation>Mã QR cá nhân</translation>
    </message>
    <message>
        <source>Chip ID card (CCCD)</source>
        <translation>Căn cước công dân (CCCD)</translation>
    </message>
    <message>
        <source>Health-insurance card (BHYT)</source>
        <translation>Thẻ bảo hiểm y tế (BHYT)</translation>
    </message>
    <message>
        <source>IN</source>
        <translation>VÀO</translation>
    </message>
    <message>
        <source>OUT</source>
        <translation>RA</translation>
    </message>
    <message>
        <source>AUTO</source>
        <translation>TỰ ĐỘNG</translation>
    </message>
    <message>
        <source>Full inside, please wait</source>
        <translation>Đã đủ số người bên trong, vui lòng chờ</translation>
    </message>
    <message>
        <source>Under quarantine, please see the medical staff</source>
        <translation>Thuộc diện cách ly, vui lòng gặp nhân viên y tế</translation>
    </message>
    <message>
        <source>Under health monitoring (yellow)</source>
        <translation>Thuộc diện theo dõi y tế (mức vàng)</translation>
    </message>
    <message>
        <source>This kind of code is not accepted here</source>
        <translation>Loại mã này không được chấp nhận tại đây</translation>
    </message>
    <message>
        <source>This is the place&apos;s code. Please show your personal code</source>
        <translation>Đây là mã QR của địa điểm. Vui lòng đưa mã QR cá nhân</translation>
    </message>
    <message>
        <source>Code not recognised. Please show your personal QR, ID card or health-insurance card</source>
        <translation>Không nhận dạng được mã. Vui lòng đưa mã QR cá nhân, CCCD hoặc thẻ BHYT</translation>
    </message>
    <message>
        <source>The certificate&apos;s signature is not valid</source>
        <translation>Chữ ký của chứng nhận không hợp lệ</translation>
    </message>
    <message>
        <source>The certificate could not be checked on this kiosk</source>
        <translation>Máy này chưa kiểm tra được chứng nhận</translation>
    </message>
    <message>
        <source>Certificate expired</source>
        <translation>Chứng nhận đã hết hạn</translation>
    </message>
    <message>
        <source>The certificate states no expiry date</source>
        <translation>Chứng nhận không ghi ngày hết hạn</translation>
    </message>
    <message>
        <source>Health declaration: please see the medical staff</source>
        <translation>Khai báo y tế có dấu hiệu cần kiểm tra</translation>
    </message>
    <message>
        <source>Closed by the nightly checkout</source>
        <translation>Tự động ghi nhận ra vào cuối ngày</translation>
    </message>
    <message>
        <source>PLEASE WAIT</source>
        <translation>VUI LÒNG CHỜ</translation>
    </message>
    <message>
        <source>COME IN</source>
        <translation>MỜI VÀO</translation>
    </message>
    <message>
        <source>GOODBYE</source>
        <translation>MỜI RA</translation>
    </message>
    <message>
        <source>SEE THE MEDICAL STAFF</source>
        <translation>GẶP NHÂN VIÊN Y TẾ</translation>
    </message>
    <message>
        <source>WRONG CODE</source>
        <translation>CHƯA ĐÚNG MÃ</translation>
    </message>
    <message>
        <source>NO ENTRY</source>
        <translation>KHÔNG ĐƯỢC VÀO</translation>
    </message>
    <message>
        <source>NOT RECORDED</source>
        <translation>CHƯA GHI ĐƯỢC</translation>
    </message>
    <message>
        <source>Already recorded at {time}</source>
        <translation>Đã ghi nhận lúc {time}</translation>
    </message>
    <message>
        <source>Exit recorded</source>
        <translation>Đã ghi nhận lượt ra</translation>
    </message>
    <message>
        <source>The kiosk&apos;s storage is full: scans are not being recorded</source>
        <translation>Bộ nhớ của máy đã đầy: không ghi được lượt quét</translation>
    </message>
    <message>
        <source>Guard: write each visitor&apos;s name and phone on paper, call the site manager</source>
        <translation>Bảo vệ: ghi tên và số điện thoại của từng người ra giấy, gọi quản lý điểm</translation>
    </message>
    <message>
        <source>The record could not be saved. Scan the code once more</source>
        <translation>Chưa lưu được lượt này. Vui lòng quét lại mã</translation>
    </message>
    <message>
        <source>Guard: if it fails again, write the name and phone on paper, call the site manager</source>
        <translation>Bảo vệ: nếu vẫn lỗi, ghi tên và số điện thoại ra giấy, gọi quản lý điểm</translation>
    </message>
    <message>
        <source>Storage full: NOT recording. Call the site manager</source>
        <translation>Bộ nhớ đầy: KHÔNG ghi được. Gọi quản lý điểm</translation>
    </message>
    <message>
        <source>Storage almost full: call the site manager</source>
        <translation>Bộ nhớ sắp đầy, vui lòng gọi quản lý</translation>
    </message>
    <message>
        <source>Camera: starting</source>
        <translation>Camera: đang khởi động</translation>
    </message>
    <message>
        <source>Camera disconnected</source>
        <translation>Mất kết nối camera</translation>
    </message>
    <message>
        <source>Camera shows nothing (covered?)</source>
        <translation>Camera không thấy gì (bị che?)</translation>
    </message>
    <message>
        <source>The camera shows nothing</source>
        <translation>Camera không thấy gì</translation>
    </message>
    <message>
        <source>Is it covered or turned away? Meanwhile:</source>
        <translation>Camera bị che hay bị xoay đi? Trong lúc chờ:</translation>
    </message>
    <message>
        <source>Codes cannot be read by the camera. Meanwhile:</source>
        <translation>Camera không đọc được mã. Trong lúc chờ:</translation>
    </message>
    <message>
        <source>Scan the code with the hand scanner (USB), it still works</source>
        <translation>Quét mã bằng máy quét cầm tay (USB): vẫn dùng được</translation>
    </message>
    <message>
        <source>No scanner, or no code: the guard taps Manual entry</source>
        <translation>Không có máy quét hoặc không có mã: bảo vệ bấm Nhập thủ công</translation>
    </message>
    <message>
        <source>Hold your QR code up to the camera above the screen</source>
        <translation>Đưa mã QR vào khung, hướng về camera phía trên màn hình</translation>
    </message>
    <message>
        <source>Hold your QR code to the camera below the screen</source>
        <translation>Đưa mã QR vào khung, hướng về camera phía dưới màn hình</translation>
    </message>
    <message>
        <source>Hold your QR code to the camera left of the screen</source>
        <translation>Đưa mã QR vào khung, hướng về camera bên trái màn hình</translation>
    </message>
    <message>
        <source>Hold your QR code to the camera right of the screen</source>
        <translation>Đưa mã QR vào khung, hướng về camera bên phải màn hình</translation>
    </message>
    <message>
        <source>Personal QR (phone or paper)</source>
        <translation>Mã QR cá nhân (điện thoại hoặc giấy)</translation>
    </message>
    <message>
        <source>Chip ID card: the code is at the top right</source>
        <translation>CCCD gắn chip: mã ở góc trên bên phải</translation>
    </message>
    <message>
        <source>just now</source>
        <translation>vừa xong</translation>
    </message>
    <message>
        <source>{n} min ago</source>
        <translation>{n} phút trước</translation>
    </message>
    <message>
        <source>{n} h ago</source>
        <translation>{n} giờ trước</translation>
    </message>
    <message>
        <source>{n} days ago</source>
        <translation>{n} ngày trước</translation>
    </message>
    <message>
        <source>Offline (not enrolled)</source>
        <translation>Ngoại tuyến (chưa đăng ký)</translation>
    </message>
    <message>
        <source>Needs re-enrollment</source>
        <translation>Cần đăng ký lại thiết bị</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Ngoại tuyến</translation>
    </message>
    <message>
        <source>never synced</source>
        <translation>chưa đồng bộ lần nào</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>Trực tuyến</translation>
    </message>
    <message>
        <source>last synced {ago}</source>
        <translation>đồng bộ {ago}</translation>
    </message>
    <message>
        <source>{n} waiting</source>
        <translation>{n} chờ gửi</translation>
    </message>
    <message>
        <source>{n} waiting to send</source>
        <translation>{n} lượt chờ gửi</translation>
    </message>
    <message>
        <source>Entries and exits are kept {days} days for contact tracing</source>
        <translation>Thông tin ra vào được lưu {days} ngày để truy vết dịch</translation>
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
