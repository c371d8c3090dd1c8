"""Example codes of every kind (made-up people), for the console demo and the demo frame source.

Every name, number and date here is invented (../shared/FORMATS.md's examples and a few more).
"""

from __future__ import annotations


def _hex(text: str) -> str:
    return text.encode("utf-8").hex()


def _bhyt(card: str, name: str, birth: str, gender: str, address: str) -> str:
    return "|".join(
        [card, _hex(name), birth, gender, _hex(address), "01 - 001", "01/01/2021", "31/12/2021"]
    )


# (label, payload). Order matters for the demo story: people enter, a duplicate, people leave.
EXAMPLES: tuple[tuple[str, str], ...] = (
    (
        "personal QR",
        "001099012345|NGUYEN VAN AN|1990-12-01|0|163000000000012345|<1<DN4010123456789<0900000000",
    ),
    (
        "CCCD",
        "079199012345|212345678|Trần Thị Bích Ngọc|15081999|Nữ|"
        "Số 12 Lê Lợi, Phường Bến Thành, Quận 1, TP. Hồ Chí Minh|20042021",
    ),
    (
        "BHYT",
        _bhyt(
            "HS4790123456780",
            "Lê Hoàng Phúc",
            "03/07/2012",
            "1",
            "Thôn Đông, Xã Cẩm Yên, Huyện Thạch Thất, Hà Nội",
        ),
    ),
    (
        "personal QR (masked)",
        "******012346|PHAM THI HOA|1985-**-**|1|163000000000098765|"
        "163000000000011111<2<GD4877*******<0943******",
    ),
    (
        "CCCD (no old ID)",
        "001203012345||Nguyễn Văn An|02032003|Nam|"
        "Thôn Đông, Xã Cẩm Yên, Huyện Thạch Thất, Hà Nội|10072021",
    ),
    ("venue code", "https://tokhaiyte.vn/?page=Group.checkin&groupId=5f1d2c3b4a5968778695a4b3"),
    ("garbage", "xin chào 123 ☺"),
)
