"""The declaration page's words, Vietnamese first (../shared/GLOSSARY.md), and each field
problem's message in both languages (the page shows them next to the field; the API sends
both in its 422 answer).

`text(lang, key, **values)` and `problem(lang, code)`; tests/central/test_declare.py checks
that every key the template and the problems use exists in both languages.
"""

from __future__ import annotations

from typing import Any

LANGUAGES = ("vi", "en")

PAGE: dict[str, tuple[str, str]] = {
    "title": ("Khai báo y tế", "Health declaration"),
    "intro": (
        "Khai báo sức khỏe của bạn để nhận mã QR. Đưa mã này tại điểm kiểm dịch: máy quét kiểm "
        "tra được mã mà không cần mạng.",
        "Declare your health to get a QR code. Show it at the checkpoint: the kiosk checks it "
        "without a network.",
    ),
    "intro_proxy": (
        "Khai báo hộ cho người thân, hàng xóm không có điện thoại. Mã QR là của người được khai "
        "hộ; họ đưa mã này (in ra giấy, hoặc trên điện thoại của bạn) tại điểm kiểm dịch.",
        "Declare for a relative or a neighbour without a phone. The QR code is theirs: they show "
        "it (printed, or on your phone) at the checkpoint.",
    ),
    "for_other": ("Khai báo hộ người khác", "Declare for someone else"),
    "for_self": ("Tự khai báo cho mình", "Declare for yourself"),
    "declarer": ("Người khai báo", "You (the person declaring)"),
    "subject": ("Người được khai hộ", "The person you declare for"),
    "full_name": ("Họ và tên", "Full name"),
    "full_name_hint": ("Như trên giấy tờ, có dấu", "As on the ID document"),
    "id_number": ("Số CCCD/CMND hoặc hộ chiếu", "ID card (CCCD/CMND) or passport number"),
    "id_hint": ("CCCD 12 số, CMND 9 số", "CCCD 12 digits, CMND 9 digits"),
    "birth_date": ("Ngày sinh", "Date of birth"),
    "gender": ("Giới tính", "Gender"),
    "male": ("Nam", "Male"),
    "female": ("Nữ", "Female"),
    "phone": ("Số điện thoại", "Phone number"),
    "phone_optional": (
        "Số điện thoại (nếu có; không có thì ghi số của người khai)",
        "Phone number (if any; otherwise yours is on the code)",
    ),
    "address": ("Địa chỉ nơi ở hiện nay", "Where you live now"),
    "address_optional": ("Địa chỉ (nếu khác người khai)", "Address (if not the same as yours)"),
    "province": ("Tỉnh/Thành phố", "Province or city"),
    "district": ("Quận/Huyện", "District"),
    "commune": ("Phường/Xã", "Commune or ward"),
    "detail": ("Số nhà, đường, thôn/xóm", "House number, street, hamlet"),
    "bhyt_number": ("Số thẻ BHYT (nếu có)", "Health-insurance card (BHYT) number, if any"),
    "questions": (
        "Trong 14 ngày qua, người được khai báo có:",
        "In the last 14 days, has the declared person had:",
    ),
    "yes": ("Có", "Yes"),
    "no": ("Không", "No"),
    "consent": (
        "Tôi cam kết thông tin khai trên là đúng sự thật và đồng ý để cơ quan y tế lưu giữ, "
        "sử dụng thông tin này cho phòng chống dịch như thông báo dưới đây.",
        "I declare that the above is true, and I agree that the health authority keeps and uses "
        "it for epidemic control as the notice below says.",
    ),
    "submit": ("Gửi khai báo", "Send the declaration"),
    "privacy_title": ("Thông báo về dữ liệu cá nhân", "Privacy notice"),
    "privacy_what": (
        "Cơ quan y tế lưu các thông tin bạn khai ở trên, được mã hóa ngay khi nhận bằng khóa của "
        "cơ quan y tế. Máy chủ không lưu địa chỉ mạng của bạn.",
        "The health authority keeps what you declared above, encrypted on arrival to the health "
        "authority's key. The server does not keep your network address.",
    ),
    "privacy_how_long": (
        "Khai báo được xóa {days} ngày sau khi hết hiệu lực.",
        "A declaration is deleted {days} days after it stops being valid.",
    ),
    "privacy_who": (
        "Chỉ cán bộ y tế được giao truy vết mới được mở để liên hệ khi có ca bệnh; mỗi lần mở "
        "đều được ghi lại. Điểm kiểm dịch chỉ thấy những gì mã QR hiển thị.",
        "Only health officers tracing a case may open it, to contact you; every opening is "
        "recorded. A checkpoint sees only what the QR code shows.",
    ),
    "privacy_code": (
        "Mã QR chứa họ tên, số giấy tờ, ngày sinh và số điện thoại: đừng đăng ảnh mã lên mạng.",
        "The QR code holds the name, ID number, birth date and phone: do not post a picture of "
        "it online.",
    ),
    "privacy_law": (
        "Theo Nghị định 13/2023/NĐ-CP về bảo vệ dữ liệu cá nhân.",
        "Under Decree 13/2023/NĐ-CP on personal data protection.",
    ),
    "fix_errors": (
        "Vui lòng sửa các mục được đánh dấu bên dưới.",
        "Please correct the marked fields below.",
    ),
    "done_title": ("Đã khai báo", "Declaration received"),
    "done_for": ("Mã QR khai báo y tế của {name}", "Health declaration QR code of {name}"),
    "done_valid": ("Có hiệu lực đến {time}", "Valid until {time}"),
    "done_declared": ("Khai báo lúc {time}", "Declared at {time}"),
    "done_healthy": ("Không có triệu chứng, không tiếp xúc", "No symptoms, no contact"),
    "done_risk": (
        "Có triệu chứng hoặc yếu tố dịch tễ: tại điểm kiểm dịch, vui lòng gặp nhân viên y tế.",
        "Symptoms or an exposure declared: at the checkpoint, please see the medical staff.",
    ),
    "done_save": (
        "Chụp màn hình hoặc nhấn giữ vào mã để lưu ảnh; có thể in ra giấy (ít nhất 5 × 5 cm).",
        "Take a screenshot or press and hold the code to save it; you may print it (at least "
        "5 × 5 cm).",
    ),
    "download": ("Tải ảnh mã QR", "Download the QR code"),
    "code_text": ("Nội dung mã (cho máy quét)", "The code's text (for scanners)"),
    "again": ("Khai báo lại", "Declare again"),
    "too_many": (
        "Quá nhiều khai báo từ mạng này. Vui lòng thử lại sau {s} giây.",
        "Too many declarations from this network. Please try again in {s} seconds.",
    ),
    "unavailable": (
        "Máy chủ chưa được cấu hình để nhận khai báo y tế. Vui lòng báo cơ quan y tế.",
        "This server is not set up to take health declarations yet. Please tell the health "
        "authority.",
    ),
    "busy": (
        "Hệ thống đang bận. Vui lòng thử lại sau ít phút.",
        "The system is busy. Please try again in a moment.",
    ),
    "language": ("Ngôn ngữ", "Language"),
}

PROBLEMS: dict[str, tuple[str, str]] = {
    "required": ("Vui lòng điền mục này.", "Please fill this in."),
    "not_text": ("Giá trị không hợp lệ.", "Not a valid value."),
    "not_object": ("Giá trị không hợp lệ.", "Not a valid value."),
    "too_long": ("Quá dài, hoặc có ký tự không hợp lệ.", "Too long, or holds invalid characters."),
    "name_letters": (
        "Họ tên chỉ gồm chữ cái (tiếng Việt hoặc Latinh) và dấu cách.",
        "A name has only letters (Vietnamese or Latin) and spaces.",
    ),
    "name_long": (
        "Họ tên quá dài cho mã QR (tối đa 45 chữ cái).",
        "The name is too long for the QR code (45 letters at most).",
    ),
    "id_length": (
        "Số CCCD có 12 chữ số, CMND 9 chữ số; hộ chiếu gồm chữ và số (7–12 ký tự).",
        "A CCCD number has 12 digits, a CMND 9; a passport number has letters and digits "
        "(7–12 characters).",
    ),
    "date_format": ("Ngày không hợp lệ (năm-tháng-ngày).", "Not a valid date (year-month-day)."),
    "future": ("Ngày sinh không thể ở tương lai.", "A birth date cannot be in the future."),
    "too_old": ("Ngày sinh không hợp lệ.", "Not a valid birth date."),
    "gender": ("Chọn Nam hoặc Nữ.", "Choose male or female."),
    "phone_vn": (
        "Không phải số điện thoại di động Việt Nam (10 số, bắt đầu bằng 03, 05, 07, 08 hoặc 09).",
        "Not a Vietnamese mobile number (10 digits starting with 03, 05, 07, 08 or 09).",
    ),
    "bhyt": (
        "Số thẻ BHYT gồm 2 chữ cái và 13 chữ số.",
        "A BHYT card number is 2 letters and 13 digits.",
    ),
    "yes_or_no": ("Vui lòng chọn Có hoặc Không.", "Please answer yes or no."),
    "unknown_question": ("Câu hỏi không có trong tờ khai.", "Not a question of this form."),
    "proxy_self": (
        "Đây là số giấy tờ của chính bạn: hãy tự khai báo.",
        "This is your own ID number: declare for yourself.",
    ),
    "consent": (
        "Vui lòng xác nhận cam kết và đồng ý để gửi khai báo.",
        "Please confirm and agree to send the declaration.",
    ),
}


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "vi" else pair[1]


def text(lang: str, key: str, **values: Any) -> str:
    chosen = _pick(PAGE[key], lang)
    return chosen.format(**values) if values else chosen


def problem(lang: str, code: str) -> str:
    return _pick(PROBLEMS.get(code, PROBLEMS["not_text"]), lang)


__all__ = ["LANGUAGES", "PAGE", "PROBLEMS", "problem", "text"]
