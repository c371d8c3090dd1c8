<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN" sourcelanguage="en">
<context>
    <name>Kiosk</name>
    <message>
        <location filename="../../kiosk/ui/admin.py" line="184"/>
        <location filename="../../kiosk/ui/admin_settings.py" line="157"/>
        <source>Settings</source>
        <translation>Cài đặt</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin.py" line="185"/>
        <location filename="../../kiosk/ui/admin_reports.py" line="150"/>
        <source>Reports</source>
        <translation>Báo cáo</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin.py" line="186"/>
        <location filename="../../kiosk/ui/admin_trace.py" line="142"/>
        <source>Contact tracing</source>
        <translation>Truy vết</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin.py" line="187"/>
        <location filename="../../kiosk/ui/admin_device.py" line="115"/>
        <source>This device</source>
        <translation>Thiết bị này</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin.py" line="190"/>
        <source>Lock screen</source>
        <translation>Khóa màn hình</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin.py" line="225"/>
        <source>The new PIN is saved</source>
        <translation>Đã lưu mã PIN mới</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin.py" line="306"/>
        <source>Tap again to quit</source>
        <translation>Chạm lần nữa để thoát</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin.py" line="314"/>
        <source>Quit the kiosk</source>
        <translation>Thoát ứng dụng</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_common.py" line="334"/>
        <source>Save to:</source>
        <translation>Lưu vào:</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_common.py" line="335"/>
        <source>Find USB</source>
        <translation>Tìm USB</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_common.py" line="336"/>
        <source>Folder</source>
        <translation>Thư mục</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_common.py" line="380"/>
        <source>USB: {name}</source>
        <translation>USB: {name}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_common.py" line="382"/>
        <source>Kiosk data folder</source>
        <translation>Thư mục dữ liệu của máy</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_common.py" line="441"/>
        <source>Today</source>
        <translation>Hôm nay</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_common.py" line="503"/>
        <source>Personal QR</source>
        <translation>QR cá nhân</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_common.py" line="506"/>
        <location filename="../../kiosk/ui/texts.py" line="51"/>
        <source>Vaccine certificate</source>
        <translation>Hộ chiếu vắc-xin</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_common.py" line="507"/>
        <location filename="../../kiosk/ui/manual.py" line="279"/>
        <location filename="../../kiosk/ui/scan_page.py" line="259"/>
        <location filename="../../kiosk/ui/texts.py" line="52"/>
        <source>Manual entry</source>
        <translation>Nhập thủ công</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_common.py" line="508"/>
        <location filename="../../kiosk/ui/texts.py" line="53"/>
        <source>Venue code</source>
        <translation>Mã địa điểm</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_common.py" line="509"/>
        <location filename="../../kiosk/ui/texts.py" line="54"/>
        <source>Unknown code</source>
        <translation>Mã không xác định</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="116"/>
        <source>Checkpoint</source>
        <translation>Điểm kiểm dịch</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="117"/>
        <source>Device ID</source>
        <translation>Mã thiết bị</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="118"/>
        <source>Server</source>
        <translation>Máy chủ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="119"/>
        <source>Waiting to send</source>
        <translation>Chờ gửi</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="120"/>
        <location filename="../../kiosk/ui/admin_device.py" line="124"/>
        <source>Enroll this device</source>
        <translation>Đăng ký thiết bị</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="121"/>
        <location filename="../../kiosk/ui/admin_settings.py" line="166"/>
        <source>Server address</source>
        <translation>Địa chỉ máy chủ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="122"/>
        <source>Enrollment code</source>
        <translation>Mã đăng ký</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="154"/>
        <source>Not enrolled: the kiosk works offline</source>
        <translation>Chưa đăng ký: máy hoạt động ngoại tuyến</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="161"/>
        <source>{n} records</source>
        <translation>{n} lượt</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="163"/>
        <source>{n} refused by the server</source>
        <translation>{n} lượt bị máy chủ từ chối</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="179"/>
        <source>Not a server address: {reason}</source>
        <translation>Địa chỉ máy chủ không hợp lệ: {reason}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="183"/>
        <source>Enter the server address and the enrollment code</source>
        <translation>Vui lòng nhập địa chỉ máy chủ và mã đăng ký</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="187"/>
        <source>Enrolling…</source>
        <translation>Đang đăng ký…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="221"/>
        <source>Enrolled, but the settings were not saved: {reason}</source>
        <translation>Đã đăng ký, nhưng chưa lưu được cài đặt: {reason}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="243"/>
        <source>Enrolled as checkpoint {name}</source>
        <translation>Đã đăng ký là điểm kiểm dịch {name}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="252"/>
        <source>The enrollment code was refused (wrong, used or expired)</source>
        <translation>Mã đăng ký bị từ chối (sai, đã dùng hoặc hết hạn)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="254"/>
        <source>The server could not be reached: {reason}</source>
        <translation>Không kết nối được máy chủ: {reason}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="256"/>
        <location filename="../../kiosk/ui/admin_device.py" line="259"/>
        <source>Enrollment failed: {reason}</source>
        <translation>Đăng ký không thành công: {reason}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_reports.py" line="153"/>
        <location filename="../../kiosk/ui/chart.py" line="113"/>
        <source>Entries</source>
        <translation>Lượt vào</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_reports.py" line="154"/>
        <location filename="../../kiosk/ui/admin_reports.py" line="195"/>
        <location filename="../../kiosk/ui/chart.py" line="113"/>
        <source>Exits</source>
        <translation>Lượt ra</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_reports.py" line="155"/>
        <source>Peak occupancy</source>
        <translation>Số người cao nhất</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_reports.py" line="156"/>
        <source>Inside at the start of the day</source>
        <translation>Bên trong lúc đầu ngày</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_reports.py" line="159"/>
        <source>Entries and exits by hour</source>
        <translation>Lượt vào/ra theo giờ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_reports.py" line="161"/>
        <location filename="../../kiosk/ui/admin_trace.py" line="151"/>
        <source>Kind of code</source>
        <translation>Loại mã</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_reports.py" line="161"/>
        <location filename="../../kiosk/ui/admin_trace.py" line="151"/>
        <source>In</source>
        <translation>Vào</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_reports.py" line="161"/>
        <location filename="../../kiosk/ui/admin_trace.py" line="151"/>
        <source>Out</source>
        <translation>Ra</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_reports.py" line="161"/>
        <source>Referred</source>
        <translation>Gặp y tế</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_reports.py" line="161"/>
        <source>Refused</source>
        <translation>Từ chối</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_reports.py" line="164"/>
        <location filename="../../kiosk/ui/admin_trace.py" line="154"/>
        <source>Export CSV</source>
        <translation>Xuất CSV</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_reports.py" line="189"/>
        <source>The report could not be made: {reason}</source>
        <translation>Không lập được báo cáo: {reason}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_reports.py" line="197"/>
        <source>{n} automatic</source>
        <translation>{n} tự động</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_reports.py" line="201"/>
        <source>at {time}</source>
        <translation>lúc {time}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_reports.py" line="224"/>
        <location filename="../../kiosk/ui/admin_reports.py" line="250"/>
        <location filename="../../kiosk/ui/admin_trace.py" line="278"/>
        <location filename="../../kiosk/ui/admin_trace.py" line="296"/>
        <source>Not exported: {reason}</source>
        <translation>Chưa xuất được: {reason}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_reports.py" line="228"/>
        <location filename="../../kiosk/ui/admin_trace.py" line="281"/>
        <source>Exporting…</source>
        <translation>Đang xuất dữ liệu…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_reports.py" line="245"/>
        <location filename="../../kiosk/ui/admin_trace.py" line="291"/>
        <source>{n} records written to {path}</source>
        <translation>Đã ghi {n} lượt vào {path}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="159"/>
        <source>Camera / source</source>
        <translation>Camera / nguồn hình</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="160"/>
        <source>Gate mode</source>
        <translation>Chế độ cổng</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="161"/>
        <source>Capacity</source>
        <translation>Sức chứa</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="162"/>
        <source>Duplicate window (seconds)</source>
        <translation>Bỏ qua quét lặp lại trong (giây)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="163"/>
        <source>Verdict shown for (seconds)</source>
        <translation>Thời gian hiện kết quả (giây)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="164"/>
        <source>Accepted codes</source>
        <translation>Loại mã được chấp nhận</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="165"/>
        <source>Language</source>
        <translation>Ngôn ngữ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="167"/>
        <source>Automatic checkout time</source>
        <translation>Giờ tự động ghi ra</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="168"/>
        <source>Keep records for (days)</source>
        <translation>Lưu dữ liệu trong (ngày)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="175"/>
        <source>0 = no limit</source>
        <translation>0 = không giới hạn</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="177"/>
        <source>The same person again within this time is not recorded twice</source>
        <translation>Cùng một người quét lại trong thời gian này chỉ được ghi một lần</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="180"/>
        <source>HH:MM, every night everyone still inside is checked out. Empty = off</source>
        <translation>Dạng HH:MM; mỗi đêm ghi ra cho mọi người còn bên trong. Để trống = tắt</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="182"/>
        <location filename="../../kiosk/ui/admin_settings.py" line="277"/>
        <source>off</source>
        <translation>tắt</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="183"/>
        <source>Not enrolled</source>
        <translation>Chưa đăng ký</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="184"/>
        <source>Save</source>
        <translation>Lưu</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="185"/>
        <source>Undo changes</source>
        <translation>Hoàn tác</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="186"/>
        <source>Change PIN</source>
        <translation>Đổi mã PIN</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="228"/>
        <source>Nothing to save: no change</source>
        <translation>Không có thay đổi để lưu</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="241"/>
        <location filename="../../kiosk/ui/admin_settings.py" line="248"/>
        <source>Not saved: {reason}</source>
        <translation>Chưa lưu được: {reason}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="253"/>
        <source>Saved and applied</source>
        <translation>Đã lưu và áp dụng</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_trace.py" line="143"/>
        <source>Person</source>
        <translation>Người cần truy vết</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_trace.py" line="144"/>
        <source>Margin (minutes)</source>
        <translation>Biên thời gian (phút)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_trace.py" line="145"/>
        <source>Period</source>
        <translation>Khoảng thời gian</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_trace.py" line="146"/>
        <source>Scan the code, or type the ID or phone number</source>
        <translation>Quét mã, hoặc nhập số CCCD hay số điện thoại</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_trace.py" line="147"/>
        <source>from: any day</source>
        <translation>từ: bất kỳ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_trace.py" line="148"/>
        <source>to: any day</source>
        <translation>đến: bất kỳ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_trace.py" line="149"/>
        <source>Search</source>
        <translation>Tìm</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_trace.py" line="151"/>
        <source>Name</source>
        <translation>Tên</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_trace.py" line="151"/>
        <source>Together (min)</source>
        <translation>Cùng lúc (phút)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_trace.py" line="187"/>
        <source>Not a date: {text}</source>
        <translation>Không phải ngày hợp lệ: {text}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_trace.py" line="193"/>
        <source>The end of the period is before its start</source>
        <translation>Ngày kết thúc trước ngày bắt đầu</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_trace.py" line="200"/>
        <source>Scan or type the person&apos;s code first</source>
        <translation>Vui lòng quét hoặc nhập mã của người cần truy vết</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_trace.py" line="211"/>
        <source>Searching…</source>
        <translation>Đang tìm…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_trace.py" line="231"/>
        <source>This is not a personal code, an ID number or a phone number</source>
        <translation>Đây không phải mã cá nhân, số CCCD hay số điện thoại</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_trace.py" line="242"/>
        <source>The search failed: {reason}</source>
        <translation>Không tìm được: {reason}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_trace.py" line="248"/>
        <source>{n} people present at the same time as {key} (margin {m} min)</source>
        <translation>{n} người có mặt cùng thời điểm với {key} (biên {m} phút)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_trace.py" line="258"/>
        <source>still inside</source>
        <translation>còn bên trong</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/chart.py" line="77"/>
        <source>No data</source>
        <translation>Không có dữ liệu</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/main_window.py" line="48"/>
        <source>Temporarily out of service, please call the site manager</source>
        <translation>Tạm ngừng phục vụ, vui lòng gọi quản lý</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/main_window.py" line="102"/>
        <source>Camera: starting</source>
        <translation>Camera: đang khởi động</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/main_window.py" line="157"/>
        <source>Hold the code closer</source>
        <translation>Đưa mã lại gần hơn</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/main_window.py" line="157"/>
        <source>Hold the code still</source>
        <translation>Giữ yên mã</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/main_window.py" line="159"/>
        <source>Increase the phone&apos;s screen brightness</source>
        <translation>Tăng độ sáng màn hình điện thoại</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/main_window.py" line="166"/>
        <source>Camera disconnected</source>
        <translation>Mất kết nối camera</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/main_window.py" line="170"/>
        <source>Camera OK</source>
        <translation>Camera: bình thường</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/main_window.py" line="174"/>
        <source>Camera shows nothing (covered?)</source>
        <translation>Camera không thấy gì (bị che?)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/main_window.py" line="231"/>
        <source>Offline (not enrolled)</source>
        <translation>Ngoại tuyến (chưa đăng ký)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/main_window.py" line="234"/>
        <source>Needs re-enrollment</source>
        <translation>Cần đăng ký lại thiết bị</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/main_window.py" line="236"/>
        <source>{n} waiting to send</source>
        <translation>{n} lượt chờ gửi</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/main_window.py" line="238"/>
        <location filename="../../kiosk/ui/main_window.py" line="242"/>
        <source>Offline</source>
        <translation>Ngoại tuyến</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/main_window.py" line="242"/>
        <source>Online</source>
        <translation>Trực tuyến</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/main_window.py" line="243"/>
        <source>last synced {n} min ago</source>
        <translation>đồng bộ lần cuối {n} phút trước</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="69"/>
        <source>Fever</source>
        <translation>Sốt</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="70"/>
        <source>Cough</source>
        <translation>Ho</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="71"/>
        <source>Shortness of breath</source>
        <translation>Khó thở</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="72"/>
        <source>Loss of taste or smell</source>
        <translation>Mất vị giác hoặc khứu giác</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="73"/>
        <source>Contact with a case (F0) in the last 14 days</source>
        <translation>Tiếp xúc với người mắc (F0) trong 14 ngày qua</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="74"/>
        <source>Coming from an epidemic zone</source>
        <translation>Đi về từ vùng có dịch</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="280"/>
        <source>Full name</source>
        <translation>Họ và tên</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="280"/>
        <source>ID number (CCCD/CMND)</source>
        <translation>Số CCCD/CMND</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="280"/>
        <source>Phone number</source>
        <translation>Số điện thoại</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="281"/>
        <source>Year of birth</source>
        <translation>Năm sinh</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="283"/>
        <source>Proxy health declaration</source>
        <translation>Khai báo y tế hộ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="288"/>
        <source>Yes</source>
        <translation>Có</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="289"/>
        <source>No</source>
        <translation>Không</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="290"/>
        <source>Any “Yes”: the visitor sees the medical staff</source>
        <translation>Có bất kỳ câu trả lời “Có”: mời gặp nhân viên y tế</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="291"/>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="292"/>
        <source>Confirm</source>
        <translation>Xác nhận</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="297"/>
        <source>Declared</source>
        <translation>Đã khai báo</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="297"/>
        <source>Not declared</source>
        <translation>Chưa khai báo</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="327"/>
        <source>Enter the visitor&apos;s full name</source>
        <translation>Vui lòng nhập họ và tên</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="332"/>
        <source>Enter an ID number or a phone number</source>
        <translation>Vui lòng nhập số CCCD/CMND hoặc số điện thoại</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="336"/>
        <source>An ID number has 12 digits (CCCD) or 9 (CMND)</source>
        <translation>Số CCCD gồm 12 chữ số, số CMND gồm 9 chữ số</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="341"/>
        <source>A phone number has 9 to 11 digits</source>
        <translation>Số điện thoại gồm 9 đến 11 chữ số</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="350"/>
        <source>Year of birth: from {first} to {last}</source>
        <translation>Năm sinh: từ {first} đến {last}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pin.py" line="271"/>
        <location filename="../../kiosk/ui/scan_page.py" line="260"/>
        <source>Administration</source>
        <translation>Quản trị</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pin.py" line="272"/>
        <source>Back</source>
        <translation>Quay lại</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pin.py" line="272"/>
        <source>Back to scanning</source>
        <translation>Quay lại màn hình quét</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pin.py" line="301"/>
        <source>Enter the PIN</source>
        <translation>Nhập mã PIN</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pin.py" line="302"/>
        <source>Choose a new PIN (4 to 8 digits)</source>
        <translation>Chọn mã PIN mới (4 đến 8 chữ số)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pin.py" line="303"/>
        <source>Enter the same PIN again</source>
        <translation>Nhập lại mã PIN</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pin.py" line="315"/>
        <source>Locked for {n} minutes</source>
        <translation>Tạm khóa {n} phút</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pin.py" line="331"/>
        <source>A PIN is 4 to 8 digits</source>
        <translation>Mã PIN gồm 4 đến 8 chữ số</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pin.py" line="337"/>
        <source>The two PINs differ. Start again</source>
        <translation>Hai mã PIN không khớp. Vui lòng nhập lại từ đầu</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pin.py" line="374"/>
        <source>Wrong PIN</source>
        <translation>Sai mã PIN</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pin.py" line="381"/>
        <source>The stored PIN cannot be read: reset it from the command line</source>
        <translation>Không đọc được mã PIN đã lưu: hãy đặt lại bằng dòng lệnh</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pin.py" line="384"/>
        <source>The PIN could not be checked. Please try again</source>
        <translation>Chưa kiểm tra được mã PIN. Vui lòng thử lại</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pin.py" line="388"/>
        <source>Saving the PIN…</source>
        <translation>Đang lưu mã PIN…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pin.py" line="397"/>
        <location filename="../../kiosk/ui/pin.py" line="410"/>
        <source>The PIN could not be saved: {reason}</source>
        <translation>Chưa lưu được mã PIN: {reason}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/scan_page.py" line="256"/>
        <source>DEMO MODE</source>
        <translation>CHẾ ĐỘ THỬ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/scan_page.py" line="261"/>
        <source>Tiếng Việt</source>
        <translation>English</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/scan_page.py" line="270"/>
        <source>Put the QR code in the frame</source>
        <translation>Đưa mã QR vào khung</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/scan_page.py" line="287"/>
        <source>Inside now: {n}</source>
        <translation>Đang ở bên trong: {n}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/scan_page.py" line="294"/>
        <source>Today: in {n} · out {m}</source>
        <translation>Hôm nay: vào {n} · ra {m}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/scan_page.py" line="299"/>
        <source>Clock not synchronised</source>
        <translation>Đồng hồ chưa được đồng bộ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/scan_page.py" line="328"/>
        <source>No sound device</source>
        <translation>Không có loa</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="48"/>
        <source>Personal QR code</source>
        <translation>Mã QR cá nhân</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="49"/>
        <source>Chip ID card (CCCD)</source>
        <translation>Căn cước công dân (CCCD)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="50"/>
        <source>Health-insurance card (BHYT)</source>
        <translation>Thẻ bảo hiểm y tế (BHYT)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="60"/>
        <location filename="../../kiosk/ui/texts.py" line="64"/>
        <source>IN</source>
        <translation>VÀO</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="60"/>
        <location filename="../../kiosk/ui/texts.py" line="64"/>
        <source>OUT</source>
        <translation>RA</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="64"/>
        <source>AUTO</source>
        <translation>TỰ ĐỘNG</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="69"/>
        <source>Full inside, please wait</source>
        <translation>Đã đủ số người bên trong, vui lòng chờ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="70"/>
        <source>Under quarantine, please see the medical staff</source>
        <translation>Thuộc diện cách ly, vui lòng gặp nhân viên y tế</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="72"/>
        <source>Under health monitoring (yellow)</source>
        <translation>Thuộc diện theo dõi y tế (mức vàng)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="73"/>
        <source>This kind of code is not accepted here</source>
        <translation>Loại mã này không được chấp nhận tại đây</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="74"/>
        <source>This is the place&apos;s code. Please show your personal code</source>
        <translation>Đây là mã QR của địa điểm. Vui lòng đưa mã QR cá nhân</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="75"/>
        <source>Code not recognised. Please show your personal QR, ID card or health-insurance card</source>
        <translation>Không nhận dạng được mã. Vui lòng đưa mã QR cá nhân, CCCD hoặc thẻ BHYT</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="78"/>
        <source>The certificate&apos;s signature is not valid</source>
        <translation>Chữ ký của chứng nhận không hợp lệ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="79"/>
        <source>Signature not verified (no key list)</source>
        <translation>Chưa xác thực được chữ ký (thiếu danh sách khóa)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="80"/>
        <source>Certificate expired</source>
        <translation>Chứng nhận đã hết hạn</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="81"/>
        <source>Health declaration: please see the medical staff</source>
        <translation>Khai báo y tế có dấu hiệu cần kiểm tra</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="82"/>
        <source>Closed by the nightly checkout</source>
        <translation>Tự động ghi nhận ra vào cuối ngày</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="93"/>
        <source>born {year}</source>
        <translation>sinh năm {year}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="107"/>
        <source>Already recorded at {time}</source>
        <translation>Đã ghi nhận lúc {time}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="116"/>
        <source>Welcome in</source>
        <translation>Mời vào</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="120"/>
        <source>Exit recorded</source>
        <translation>Đã ghi nhận ra</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="125"/>
        <source>Please see the medical staff</source>
        <translation>Vui lòng gặp nhân viên y tế</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="129"/>
        <source>Entry not allowed</source>
        <translation>Chưa thể vào</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="138"/>
        <source>Storage is full. Please call the site manager</source>
        <translation>Bộ nhớ đã đầy. Vui lòng gọi quản lý</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="140"/>
        <source>The record could not be saved. Please try again or call the site manager</source>
        <translation>Chưa lưu được lượt này. Vui lòng thử lại hoặc gọi quản lý</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="142"/>
        <source>NOT RECORDED</source>
        <translation>CHƯA GHI NHẬN</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="148"/>
        <source>Storage full: scans are NOT recorded. Call the site manager</source>
        <translation>Bộ nhớ đã đầy: KHÔNG ghi nhận được lượt quét. Vui lòng gọi quản lý</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="150"/>
        <source>Storage almost full: call the site manager</source>
        <translation>Bộ nhớ sắp đầy, vui lòng gọi quản lý</translation>
    </message>
</context>
</TS>
