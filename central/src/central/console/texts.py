"""The console's words: English in the code and templates, Vietnamese here (the default
language). `translate(lang, text, **values)` gives the text in `lang`, formatted.

Keep the Vietnamese natural and short (../shared/GLOSSARY.md is the source for shared terms).
tests/central/test_console.py checks that every text a template or the console module asks
for has its Vietnamese here.
"""

from __future__ import annotations

from typing import Any

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"

VI: dict[str, str] = {
    # layout
    "Checkpoint console": "Quản lý điểm kiểm dịch",
    "Contact tracing": "Truy vết",
    "Status list": "Danh sách theo dõi",
    "Overview": "Tổng quan",
    "Checkpoints": "Điểm kiểm dịch",
    "Audit log": "Nhật ký truy cập",
    "Log out": "Đăng xuất",
    "Signed in as {name} ({role})": "Đăng nhập: {name} ({role})",
    "health officer": "cán bộ y tế",
    "site manager": "quản lý điểm",
    "administrator": "quản trị",
    "operator (command line)": "vận hành (dòng lệnh)",
    "Language": "Ngôn ngữ",
    # login
    "Sign in": "Đăng nhập",
    "User name": "Tên đăng nhập",
    "Password": "Mật khẩu",
    "Wrong user name or password.": "Sai tên đăng nhập hoặc mật khẩu.",
    "Too many failed attempts: this account is locked until {time}.": (
        "Nhập sai quá nhiều lần: tài khoản tạm khóa đến {time}."
    ),
    "This account is disabled. Ask your administrator.": (
        "Tài khoản đã bị khóa. Vui lòng liên hệ quản trị viên."
    ),
    "Your session has ended. Please sign in again.": (
        "Phiên làm việc đã hết hạn. Vui lòng đăng nhập lại."
    ),
    "This page was open too long or did not come from this console. Please try again.": (
        "Trang đã mở quá lâu hoặc không phải từ trang quản lý này. Vui lòng thử lại."
    ),
    "This connection is not encrypted (HTTPS): the browser will not keep you signed in.": (
        "Kết nối chưa được mã hóa (HTTPS): trình duyệt sẽ không giữ đăng nhập."
    ),
    # errors
    "You may not see this page.": "Bạn không có quyền xem trang này.",
    "Page not found.": "Không tìm thấy trang.",
    "The database is busy. Please try again in a moment.": (
        "Hệ thống đang bận. Vui lòng thử lại sau ít phút."
    ),
    "Back": "Quay lại",
    # trace
    "ID number (CCCD/CMND), phone, BHYT card number, QID, or the scanned code": (
        "Số CCCD/CMND, số điện thoại, số thẻ BHYT, mã QID, hoặc nội dung mã QR"
    ),
    "Person (F0)": "Người cần truy vết (F0)",
    "From": "Từ ngày",
    "To": "Đến ngày",
    "Margin (minutes)": "Biên thời gian (phút)",
    "Minimum overlap (minutes)": "Thời gian tiếp xúc tối thiểu (phút)",
    "Trace": "Truy vết",
    "Enter what you have about the person: it is never put in an address or a log.": (
        "Nhập thông tin bạn có về người này: thông tin không bao giờ nằm trong địa chỉ trang "
        "hay nhật ký máy chủ."
    ),
    "No record of this person in the period {start} – {end}.": (
        "Không có dữ liệu của người này trong khoảng {start} – {end}."
    ),
    "Searched as: {what}.": "Đã tìm theo: {what}.",
    "This is not an ID number, a phone number, a BHYT card number or a QID.": (
        "Đây không phải số giấy tờ, số điện thoại, số thẻ BHYT hay mã QID."
    ),
    "cccd": "số CCCD",
    "cmnd": "số CMND",
    "passport": "số hộ chiếu",
    "phone": "số điện thoại",
    "bhyt": "số thẻ BHYT",
    "qid": "mã QID",
    "scan": "nội dung mã QR",
    "person_key": "mã định danh ẩn danh",
    "Visits of this person": "Các nơi người này đã đến",
    "Checkpoint": "Điểm kiểm dịch",
    "In": "Vào",
    "Out": "Ra",
    "still inside": "vẫn đang ở bên trong",
    "closed by auto-checkout": "tự động ghi ra cuối ngày",
    "Full name": "Họ và tên",
    "ID number": "Số CCCD/CMND",
    "Phone": "Số điện thoại",
    "Address": "Địa chỉ",
    "Together (min)": "Cùng lúc (phút)",
    "Code": "Loại mã",
    "People present at the same time: {n}": "Người có mặt cùng thời điểm: {n}",
    "Nobody else was there at the same time.": "Không có ai khác ở đó cùng thời điểm.",
    "within the margin": "trong biên thời gian",
    "Export the contact list (CSV)": "Xuất danh sách liên hệ (CSV)",
    "Mark the selected people": "Đánh dấu những người đã chọn",
    "Colour": "Màu",
    "red": "đỏ",
    "yellow": "vàng",
    "green": "xanh",
    "Valid until": "Hiệu lực đến",
    "Select": "Chọn",
    "{n} people marked {colour} until {date}; kiosks get it at their next sync.": (
        "Đã đánh dấu {n} người màu {colour} đến {date}; các kiosk nhận ở lần đồng bộ tới."
    ),
    "Select at least one person.": "Vui lòng chọn ít nhất một người.",
    "sealed data did not open": "không mở được dữ liệu mã hóa",
    "{n} contacts · {v} visits · margin {m} min": (
        "{n} người tiếp xúc · {v} lượt đến · biên {m} phút"
    ),
    "The period is at most {n} days.": "Khoảng thời gian tối đa {n} ngày.",
    "The start must be before the end.": "Ngày bắt đầu phải trước ngày kết thúc.",
    "A number of minutes from 0 to 1440.": "Số phút từ 0 đến 1440.",
    "A date is written dd/mm/yyyy.": "Ngày viết theo dạng ngày/tháng/năm.",
    # status list
    "Add or lift a colour": "Thêm hoặc gỡ đánh dấu",
    "Lift": "Gỡ đánh dấu",
    "Save": "Lưu",
    "Version {v}: {n} entries.": "Phiên bản {v}: {n} mục.",
    "The list is empty.": "Danh sách trống.",
    "Person": "Người",
    "Since version": "Từ phiên bản",
    "{n} keys set to {colour}.": "Đã đặt {n} mã màu {colour}.",
    "{n} keys lifted.": "Đã gỡ {n} mã.",
    "Nothing to lift: this person is not on the list.": (
        "Không có gì để gỡ: người này không có trong danh sách."
    ),
    "(not seen at any checkpoint yet)": "(chưa đến điểm kiểm dịch nào)",
    # overview
    "Checkpoints registered": "Điểm đã đăng ký",
    "Active today": "Hoạt động hôm nay",
    "Scans today": "Lượt quét hôm nay",
    "7-day average": "Trung bình 7 ngày",
    "Distinct people today": "Số người hôm nay",
    "Silent for more than a day": "Không liên lạc quá 1 ngày",
    "Per district": "Theo quận/huyện",
    "Province": "Tỉnh/Thành phố",
    "District": "Quận/Huyện",
    "Commune": "Phường/Xã",
    "Scans per hour, last 14 days": "Lượt quét theo giờ, 14 ngày qua",
    "(not given)": "(chưa khai báo)",
    "Kiosks": "Kiosk",
    "Last contact": "Liên lạc lần cuối",
    "never": "chưa bao giờ",
    "silent": "mất liên lạc",
    # sites
    "Register a checkpoint": "Đăng ký điểm kiểm dịch",
    "Name": "Tên",
    "Capacity": "Sức chứa",
    "Time zone": "Múi giờ",
    "Register": "Đăng ký",
    "A checkpoint with this name exists already.": "Đã có điểm kiểm dịch với tên này.",
    "Give the checkpoint's name.": "Vui lòng nhập tên điểm kiểm dịch.",
    "No checkpoints yet.": "Chưa có điểm kiểm dịch nào.",
    "Today": "Hôm nay",
    "Day": "Ngày",
    "Show": "Xem",
    "Entries": "Lượt vào",
    "Exits": "Lượt ra",
    "Refused": "Từ chối",
    "Distinct people": "Số người",
    "People inside now": "Đang ở bên trong",
    "Entries and exits by hour": "Lượt vào/ra theo giờ",
    "Visitors (masked)": "Khách đến (đã ẩn thông tin)",
    "Nobody came this day.": "Không có ai đến trong ngày này.",
    "Kiosk": "Kiosk",
    "Waiting to send": "Chờ gửi",
    "Clock": "Đồng hồ",
    "App version": "Phiên bản",
    "synchronised": "đã đồng bộ",
    "not synchronised": "chưa đồng bộ",
    "off by {s} s": "lệch {s} giây",
    "not reported": "chưa báo",
    "revoked": "đã thu hồi",
    "Revoke": "Thu hồi",
    "demo mode": "chế độ thử",
    "No kiosk enrolled yet.": "Chưa có kiosk nào được đăng ký.",
    "New enrollment code": "Tạo mã đăng ký thiết bị",
    "Enrollment code": "Mã đăng ký",
    "One use, valid until {time}.": "Dùng một lần, hiệu lực đến {time}.",
    "On the kiosk: Administration → Device, then hold this QR code in front of its camera "
    "(or its hand scanner): it fills in the server address and the code. Or type them.": (
        "Trên kiosk: Quản trị → Thiết bị, rồi đưa mã QR này trước camera (hoặc máy quét cầm "
        "tay) của kiosk: địa chỉ máy chủ và mã được điền sẵn. Hoặc gõ tay."
    ),
    "Server address": "Địa chỉ máy chủ",
    "Kiosk {name} revoked: it can no longer send or receive.": (
        "Đã thu hồi kiosk {name}: kiosk không gửi/nhận dữ liệu được nữa."
    ),
    "Kind": "Loại",
    "Birth year": "Năm sinh",
    "Personal QR code": "Mã QR cá nhân",
    "Citizen ID card (CCCD)": "Căn cước công dân (CCCD)",
    "Health-insurance card (BHYT)": "Thẻ bảo hiểm y tế (BHYT)",
    "Vaccine certificate": "Hộ chiếu vắc-xin",
    "Manual entry": "Nhập thủ công",
    # audit
    "When": "Thời gian",
    "Who": "Người thực hiện",
    "Role": "Vai trò",
    "Action": "Hành động",
    "Subject": "Đối tượng",
    "People": "Số người",
    "Details": "Chi tiết",
    "Export the audit log (CSV)": "Xuất nhật ký (CSV)",
    "Older": "Cũ hơn",
    "Entries cannot be changed or deleted.": "Không ai sửa hoặc xóa được các dòng nhật ký.",
    "login": "đăng nhập",
    "login_failed": "đăng nhập sai",
    "login_locked": "tạm khóa do đăng nhập sai",
    "logout": "đăng xuất",
    "trace": "truy vết",
    "reveal": "xem dữ liệu cá nhân",
    "export": "xuất dữ liệu",
    "status_change": "thay đổi danh sách theo dõi",
    "checkpoint_registered": "đăng ký điểm",
    "enrollment_code": "tạo mã đăng ký",
    "device_revoked": "thu hồi kiosk",
    "account_added": "thêm tài khoản",
    "account_disabled": "khóa tài khoản",
    "password_changed": "đổi mật khẩu",
    "audit_export": "xuất nhật ký",
    "visitors_viewed": "xem danh sách khách (đã ẩn)",
    "declaration_key": "cài khóa ký khai báo y tế",
}


def translate(lang: str, text: str, **values: Any) -> str:
    """`text` in `lang` (Vietnamese from VI; English as written), with `values` filled in."""
    chosen = VI.get(text, text) if lang == "vi" else text
    return chosen.format(**values) if values else chosen


__all__ = ["DEFAULT_LANGUAGE", "LANGUAGES", "VI", "translate"]
