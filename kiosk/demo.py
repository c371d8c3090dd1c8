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


# An EU vaccine certificate for a made-up person, signed with a throwaway demo key that is on
# no trust list: the kiosk decodes it and says "signature not verified" (refer). Valid to 2031.
DEMO_DCC = (
    "HC1:NCFOXN%TSMAHN-HGYOXCJSUL1VDK*R19H9M9QUII/V4YK N8GI6359G3UXFC5VC9:BPCNJINQ+MN/QP9"
    "QE8QEA7IB65C94JBKUVO61I4FC9Q31A5CQ8719+F-QFNPMVYQ7$BUZUXZQ H90TB84W/UI2YUME6ZQ8Q+J4X"
    "JP2WPRAAUICO1A.P9UE5%P.T1RM2%E3 X4CZKHKB-43.E3KD3OAJ5%IWZKRA38M7323/15A+2XEN QT QTHC"
    "31M3+E3+T4D-4HRVUMNMD3323623423.LJX/KQ968X2+36/-KKTC 509UE*BGYD3SZ46J062KZEBAX32JB O"
    "KGDB VBDKBJZI2CB8J3G*S2U2V8TQEDK8CQY226D+USGYT300V.GFZ1$L8OR39ITNZV8EAY27VWNC18T4LXW"
    "92WR-PLHQJC+4G3KCU769OPUK4OB75I9NQYAJ*9LO2D:8SY2KHDNBUQX468.RD:T.B9 S1O00Y.NO4"
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
    ("EU vaccine certificate", DEMO_DCC),
    ("venue code", "https://tokhaiyte.vn/?page=Group.checkin&groupId=5f1d2c3b4a5968778695a4b3"),
    ("garbage", "xin chào 123 ☺"),
)
