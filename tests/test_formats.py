"""The three Vietnamese person codes (personal QR, CCCD, BHYT), venue codes and garbage, through
the public entry point `kiosk.formats.parse`, compared on `Credential.to_json()` (what
`kiosk parse` prints). All data is made up (../shared/FORMATS.md)."""

from __future__ import annotations

import json
import unicodedata
from typing import Any

import pytest

from kiosk.credentials import Credential, Fields, Identity, Kind, PersonKeyer
from kiosk.formats import parse
from kiosk.formats.bhyt import parse_bhyt
from kiosk.formats.cccd import parse_cccd
from kiosk.formats.common import normalize
from kiosk.formats.personal_qr import parse_personal_qr

KEYER = PersonKeyer(b"k" * 16)


def hx(text: str) -> str:
    """Hex of UTF-8, as a BHYT card writes its name and address."""
    return text.encode("utf-8").hex().upper()


def key(scheme: str, value: str) -> str:
    return KEYER.key(Identity(scheme, value))


def scan(text: str | bytes) -> Credential:
    return parse(text, keyer=KEYER)


def expect(
    kind: Kind,
    person_key: str | None = None,
    display_name: str | None = None,
    problems: tuple[str, ...] = (),
    **fields: Any,
) -> dict[str, Any]:
    """The full `to_json()` expected: every field not named is None."""
    return {
        "kind": kind.value,
        "person_key": person_key,
        "display_name": display_name,
        "fields": Fields(**fields).to_json(),
        "problems": list(problems),
    }


def unknown(*problems: str) -> dict[str, Any]:
    return expect(Kind.UNKNOWN, problems=problems)


def venue(group_id: str | None) -> dict[str, Any]:
    problems = [f"venue_tokhaiyte:{group_id}"] if group_id else ["url"]
    return {"kind": Kind.VENUE_CODE.value, "problems": problems}


# --- Samples ---------------------------------------------------------------------------------

PQR = "001099012345|NGUYEN VAN AN|1990-12-01|0|163000000000012345|<1<DN4010123456789<0900000000"
PQR_MASKED = "******012345|NGUYEN VAN AN|1990-**-**|0|163000000000012345|1<GD4877*******<0943******"
NGOC = "Trần Thị Bích Ngọc"
NGOC_ADDR = "Số 12 Lê Lợi, Phường Bến Thành, Quận 1, TP. Hồ Chí Minh"
CCCD = f"079199012345|212345678|{NGOC}|15081999|Nữ|{NGOC_ADDR}|20042021"
AN = "Nguyễn Văn An"
AN_ADDR = "Thôn Đông, Xã Cẩm Yên, Huyện Thạch Thất, Hà Nội"
CCCD_NO_CMND = f"001203012345||{AN}|02032003|Nam|{AN_ADDR}|10072021"
BHYT = f"GD4790123456789|{hx(NGOC)}|15/08/1999|2|{hx(NGOC_ADDR)}|79 - 001|01/01/2021|31/12/2021"
TOKHAIYTE = "https://tokhaiyte.vn/?page=Group.checkin&groupId=5f1a2b3c4d5e6f7a8b9c0d1e"

PQR_FIELDS: dict[str, Any] = {
    "id_number": "001099012345",
    "full_name": "NGUYEN VAN AN",
    "birth_date": "1990-12-01",
    "proxy": False,
    "qid": "163000000000012345",
    "gender": "male",
    "bhyt_number": "DN4010123456789",
    "phone": "0900000000",
}
PQR_ID = key("id", "001099012345")
PQR_QID = key("qid", "163000000000012345")
NGOC_FIELDS: dict[str, Any] = {
    "id_number": "079199012345",
    "old_id_number": "212345678",
    "full_name": NGOC,
    "birth_date": "1999-08-15",
    "gender": "female",
    "address": NGOC_ADDR,
    "issue_date": "2021-04-20",
}
NGOC_ID = key("id", "079199012345")
BHYT_FIELDS: dict[str, Any] = {
    "card_number": "GD4790123456789",
    "bhyt_number": "GD4790123456789",
    "full_name": NGOC,
    "birth_date": "1999-08-15",
    "gender": "female",
    "address": NGOC_ADDR,
    "clinic_code": "79 - 001",
    "valid_from": "2021-01-01",
    "valid_to": "2021-12-31",
}
BHYT_KEY = key("bhyt", "0123456789")


def pqr(**changes: Any) -> dict[str, Any]:
    return {**PQR_FIELDS, **changes}


def ngoc(**changes: Any) -> dict[str, Any]:
    return {**NGOC_FIELDS, **changes}


def bhyt(**changes: Any) -> dict[str, Any]:
    return {**BHYT_FIELDS, **changes}


CASES: list[tuple[str, str | bytes, dict[str, Any]]] = [
    # --- personal QR ---
    ("pqr_valid", PQR, expect(Kind.PERSONAL_QR, PQR_ID, "N. V. AN", **PQR_FIELDS)),
    (
        "pqr_scanner_crlf_and_spaces",
        " 001099012345 | NGUYEN VAN AN |1990-12-01 | 0|163000000000012345"
        "|<1< DN4010123456789<0900000000\r\n",
        expect(Kind.PERSONAL_QR, PQR_ID, "N. V. AN", **PQR_FIELDS),
    ),
    (
        "pqr_public_masked_example_falls_back_to_qid",
        PQR_MASKED,
        expect(
            Kind.PERSONAL_QR,
            PQR_QID,
            "N. V. AN",
            ("masked_id", "masked_birth_date"),
            **pqr(
                id_number="******012345",
                birth_date="1990-**-**",
                bhyt_number="GD4877*******",
                phone="0943******",
            ),
        ),
    ),
    (
        "pqr_only_bhyt_unmasked",
        "******012345|NGUYEN VAN AN|1990-**-**|0|******************|<1<DN4010123456789<09********",
        expect(
            Kind.PERSONAL_QR,
            key("bhyt", "0123456789"),
            "N. V. AN",
            ("masked_id", "masked_birth_date", "masked_qid"),
            **pqr(
                id_number="******012345",
                birth_date="1990-**-**",
                qid="******************",
                phone="09********",
            ),
        ),
    ),
    (
        "pqr_everything_masked_identifies_nobody",
        "******012345|NGUYEN VAN AN|****-**-**|0|******|1<GD4877*******<0943******",
        unknown("looks_like_personal_qr", "masked_id", "masked_birth_date", "masked_qid"),
    ),
    (
        "pqr_proxy_declaration",
        "001099012345|NGUYEN VAN AN|1990-12-01|1|163000000000012345|163000000000099999<2<<",
        expect(
            Kind.PERSONAL_QR,
            PQR_ID,
            "N. V. AN",
            **pqr(
                proxy=True,
                proxy_qid="163000000000099999",
                gender="female",
                bhyt_number=None,
                phone=None,
            ),
        ),
    ),
    (
        "pqr_proxy_without_proxy_qid",
        "001099012345|NGUYEN VAN AN|1990-12-01|1|163000000000012345|<0",
        expect(
            Kind.PERSONAL_QR,
            PQR_ID,
            "N. V. AN",
            ("missing_proxy_qid",),
            **pqr(proxy=True, gender="unknown", bhyt_number=None, phone=None),
        ),
    ),
    (
        "pqr_reserved_signature_in_ext_ignored",
        PQR + "<c2lnbmF0dXJl",
        expect(Kind.PERSONAL_QR, PQR_ID, "N. V. AN", **PQR_FIELDS),
    ),
    (
        "pqr_cmnd_9_digits",
        "212345678|TRAN THI BICH NGOC|1999-08-15|0|163000000000012345|<2",
        expect(
            Kind.PERSONAL_QR,
            key("id", "212345678"),
            "T. T. B. NGOC",
            **pqr(
                id_number="212345678",
                full_name="TRAN THI BICH NGOC",
                birth_date="1999-08-15",
                gender="female",
                bhyt_number=None,
                phone=None,
            ),
        ),
    ),
    (
        "pqr_lower_case_passport",
        "c1234567|nguyen van an|1990-12-01|0|163000000000012345|<1<dn4010123456789<0900000000",
        expect(
            Kind.PERSONAL_QR,
            key("id", "C1234567"),
            "n. v. an",
            **pqr(id_number="c1234567", full_name="nguyen van an"),
        ),
    ),
    (
        "pqr_truncated_without_ext",
        "001099012345|NGUYEN VAN AN|1990-12-01|0|163000000000012345",
        expect(
            Kind.PERSONAL_QR,
            PQR_ID,
            "N. V. AN",
            ("truncated",),
            **pqr(gender=None, bhyt_number=None, phone=None),
        ),
    ),
    (
        "pqr_truncated_masked_identifies_nobody",
        "******012345|NGUYEN VAN AN|1990-**-**",
        unknown(
            "looks_like_personal_qr",
            "truncated",
            "masked_id",
            "masked_birth_date",
            "missing_declaration_type",
            "missing_qid",
        ),
    ),
    (
        "pqr_extra_fields",
        PQR + "|x|y",
        expect(Kind.PERSONAL_QR, PQR_ID, "N. V. AN", ("extra_fields",), **PQR_FIELDS),
    ),
    (
        "pqr_impossible_birth_date",
        PQR.replace("1990-12-01", "1990-02-30"),
        expect(Kind.PERSONAL_QR, PQR_ID, "N. V. AN", ("bad_birth_date",), **pqr(birth_date=None)),
    ),
    (
        "pqr_day_first_birth_date_still_a_personal_qr",
        PQR.replace("1990-12-01", "01/12/1990"),
        expect(Kind.PERSONAL_QR, PQR_ID, "N. V. AN", ("bad_birth_date",), **pqr(birth_date=None)),
    ),
    (
        "pqr_bad_declaration_type",
        PQR.replace("|0|", "|7|"),
        expect(Kind.PERSONAL_QR, PQR_ID, "N. V. AN", ("bad_declaration_type",), **pqr(proxy=None)),
    ),
    (
        "pqr_implausible_id_falls_back_to_qid",
        PQR.replace("001099012345", "12345"),
        expect(Kind.PERSONAL_QR, PQR_QID, "N. V. AN", ("bad_id_number",), **pqr(id_number="12345")),
    ),
    (
        "pqr_sql_in_qid_is_no_identity",
        "******012345|NGUYEN VAN AN|1990-**-**|0|'; DROP TABLE scans;--|<1",
        unknown("looks_like_personal_qr", "masked_id", "masked_birth_date", "bad_qid"),
    ),
    (
        "pqr_html_name_kept_literally",
        PQR.replace("NGUYEN VAN AN", "<b>X</b>"),
        expect(Kind.PERSONAL_QR, PQR_ID, "<****", **pqr(full_name="<b>X</b>")),
    ),
    (
        "pqr_rtl_override_in_name_dropped",
        PQR.replace("NGUYEN VAN AN", "NGUYEN \u202eVAN AN"),
        expect(Kind.PERSONAL_QR, PQR_ID, "N. V. AN", ("control_chars",), **PQR_FIELDS),
    ),
    (
        "pqr_bad_ext_values",
        PQR.replace("<1<DN4010123456789<0900000000", "<9<NOT-A-CARD<call me"),
        expect(
            Kind.PERSONAL_QR,
            PQR_ID,
            "N. V. AN",
            ("bad_gender", "bad_bhyt_number", "bad_phone"),
            **pqr(gender=None, bhyt_number=None, phone=None),
        ),
    ),
    # --- CCCD ---
    ("cccd_valid", CCCD, expect(Kind.CCCD, NGOC_ID, "T. T. B. Ngọc", **NGOC_FIELDS)),
    (
        "cccd_without_old_id",
        CCCD_NO_CMND,
        expect(
            Kind.CCCD,
            key("id", "001203012345"),
            "N. V. An",
            id_number="001203012345",
            full_name=AN,
            birth_date="2003-03-02",
            gender="male",
            address=AN_ADDR,
            issue_date="2021-07-10",
        ),
    ),
    (
        "cccd_decomposed_input_comes_back_nfc",
        unicodedata.normalize("NFD", CCCD),
        expect(Kind.CCCD, NGOC_ID, "T. T. B. Ngọc", **NGOC_FIELDS),
    ),
    (
        "cccd_scanner_crlf_and_spaces",
        f"  079199012345 | 212345678 | {NGOC} |15081999| Nữ |{NGOC_ADDR}|20042021\r\n",
        expect(Kind.CCCD, NGOC_ID, "T. T. B. Ngọc", **NGOC_FIELDS),
    ),
    *[
        (
            f"cccd_gender_{text}",
            CCCD.replace("|Nữ|", f"|{text}|"),
            expect(Kind.CCCD, NGOC_ID, "T. T. B. Ngọc", **NGOC_FIELDS),
        )
        for text in ("nữ", "NỮ", "Nu", "nu")
    ],
    (
        "cccd_lower_case_name_kept",
        CCCD.replace(NGOC, NGOC.lower()),
        expect(Kind.CCCD, NGOC_ID, "t. t. b. ngọc", **ngoc(full_name="trần thị bích ngọc")),
    ),
    (
        "cccd_six_fields_without_cmnd",
        f"079199012345|{NGOC}|15081999|Nữ|{NGOC_ADDR}|20042021",
        expect(
            Kind.CCCD,
            NGOC_ID,
            "T. T. B. Ngọc",
            ("unconfirmed_layout",),
            **ngoc(old_id_number=None),
        ),
    ),
    (
        "cccd_six_fields_without_issue_date",
        f"079199012345|212345678|{NGOC}|15081999|Nữ|{NGOC_ADDR}",
        expect(
            Kind.CCCD,
            NGOC_ID,
            "T. T. B. Ngọc",
            ("unconfirmed_layout",),
            **ngoc(issue_date=None),
        ),
    ),
    (
        "cccd_eight_fields_with_expiry",
        CCCD + "|15082039",
        expect(
            Kind.CCCD,
            NGOC_ID,
            "T. T. B. Ngọc",
            ("unconfirmed_layout",),
            **ngoc(valid_to="2039-08-15"),
        ),
    ),
    (
        "cccd_2024_card_more_fields",
        CCCD + "|15082039|x|y",
        expect(
            Kind.CCCD,
            NGOC_ID,
            "T. T. B. Ngọc",
            ("unconfirmed_layout", "extra_fields"),
            **ngoc(valid_to="2039-08-15"),
        ),
    ),
    (
        "cccd_id_disagrees_with_birth_year_and_gender",
        CCCD.replace("15081999|Nữ", "15081989|Nam"),
        expect(
            Kind.CCCD,
            NGOC_ID,
            "T. T. B. Ngọc",
            ("id_birth_mismatch", "id_gender_mismatch"),
            **ngoc(birth_date="1989-08-15", gender="male"),
        ),
    ),
    (
        "cccd_impossible_dates",
        CCCD.replace("15081999", "31021999").replace("20042021", "99999999"),
        expect(
            Kind.CCCD,
            NGOC_ID,
            "T. T. B. Ngọc",
            ("bad_birth_date", "bad_issue_date"),
            **ngoc(birth_date=None, issue_date=None),
        ),
    ),
    (
        "cccd_unknown_gender",
        CCCD.replace("|Nữ|", "|X|"),
        expect(Kind.CCCD, NGOC_ID, "T. T. B. Ngọc", ("bad_gender",), **ngoc(gender="unknown")),
    ),
    (
        "cccd_truncated_after_birth_date",
        f"079199012345|212345678|{NGOC}|15081999",
        expect(
            Kind.CCCD,
            NGOC_ID,
            "T. T. B. Ngọc",
            ("truncated",),
            **ngoc(gender=None, address=None, issue_date=None),
        ),
    ),
    ("cccd_numbers_only", "079199012345|212345678", unknown("looks_like_cccd", "truncated")),
    ("cccd_number_and_lone_bar", "079199012345|", unknown("looks_like_cccd", "truncated")),
    (
        "cccd_without_name",
        CCCD.replace(NGOC, " "),
        unknown("looks_like_cccd", "missing_name"),
    ),
    (
        "cccd_nul_and_rtl_in_address_dropped",
        CCCD.replace("Số 12", "Số\x00 12\u202e"),
        expect(Kind.CCCD, NGOC_ID, "T. T. B. Ngọc", ("control_chars",), **NGOC_FIELDS),
    ),
    (
        "cccd_sql_and_html_kept_literally",
        CCCD.replace(NGOC_ADDR, "'); DROP TABLE scans;-- <img src=x onerror=alert(1)>"),
        expect(
            Kind.CCCD,
            NGOC_ID,
            "T. T. B. Ngọc",
            **ngoc(address="'); DROP TABLE scans;-- <img src=x onerror=alert(1)>"),
        ),
    ),
    # --- BHYT ---
    ("bhyt_valid", BHYT, expect(Kind.BHYT, BHYT_KEY, "T. T. B. Ngọc", **BHYT_FIELDS)),
    (
        "bhyt_lower_case_hex_and_card",
        BHYT.lower(),
        expect(Kind.BHYT, BHYT_KEY, "T. T. B. Ngọc", **BHYT_FIELDS),
    ),
    (
        "bhyt_trailing_fields_ignored",
        BHYT + "|01/01/2020|4|$",
        expect(Kind.BHYT, BHYT_KEY, "T. T. B. Ngọc", **BHYT_FIELDS),
    ),
    (
        "bhyt_crlf_and_spaces",
        " " + BHYT.replace("|2|", "| 2 |") + "\r\n",
        expect(Kind.BHYT, BHYT_KEY, "T. T. B. Ngọc", **BHYT_FIELDS),
    ),
    (
        "bhyt_year_only_male",
        BHYT.replace("15/08/1999|2", "1999|1"),
        expect(
            Kind.BHYT,
            BHYT_KEY,
            "T. T. B. Ngọc",
            **bhyt(birth_date="1999-**-**", gender="male"),
        ),
    ),
    (
        "bhyt_iso_birth_date_not_taken_for_a_personal_qr",
        BHYT.replace("15/08/1999", "1999-08-15"),
        expect(Kind.BHYT, BHYT_KEY, "T. T. B. Ngọc", **BHYT_FIELDS),
    ),
    (
        "bhyt_bad_hex",
        BHYT.replace(hx(NGOC), "ZZ12").replace(hx(NGOC_ADDR), "FFFE"),
        expect(
            Kind.BHYT,
            BHYT_KEY,
            None,
            ("bad_name_hex", "bad_address_hex"),
            **bhyt(full_name=None, address=None),
        ),
    ),
    (
        "bhyt_hex_of_control_chars",
        BHYT.replace(hx(NGOC), hx("\u202e" + NGOC + "\x00")),
        expect(Kind.BHYT, BHYT_KEY, "T. T. B. Ngọc", ("control_chars",), **BHYT_FIELDS),
    ),
    (
        "bhyt_truncated",
        f"GD4790123456789|{hx(NGOC)}|15/08/1999",
        expect(
            Kind.BHYT,
            BHYT_KEY,
            "T. T. B. Ngọc",
            ("truncated",),
            card_number="GD4790123456789",
            bhyt_number="GD4790123456789",
            full_name=NGOC,
            birth_date="1999-08-15",
        ),
    ),
    (
        "bhyt_bad_dates",
        BHYT.replace("01/01/2021|31/12/2021", "soon|31/02/2021"),
        expect(
            Kind.BHYT,
            BHYT_KEY,
            "T. T. B. Ngọc",
            ("bad_valid_from", "bad_valid_to"),
            **bhyt(valid_from=None, valid_to=None),
        ),
    ),
    (
        "bhyt_masked_card",
        "GD4790*********|" + hx(NGOC),
        unknown("looks_like_bhyt", "masked_card_number"),
    ),
    # --- venue codes and URLs ---
    ("venue_tokhaiyte", TOKHAIYTE, unknown() | venue("5f1a2b3c4d5e6f7a8b9c0d1e")),
    (
        "venue_tokhaiyte_upper_case_http",
        TOKHAIYTE.upper().replace("HTTPS", "http"),
        unknown() | venue("5f1a2b3c4d5e6f7a8b9c0d1e"),
    ),
    ("other_url", "https://example.com/checkin?id=1", unknown() | venue(None)),
    # --- garbage and hostile input ---
    ("empty", "", unknown("empty")),
    ("only_whitespace_and_crlf", " \r\n\t ", unknown("empty")),
    ("nul_only", "\x00", unknown("empty")),
    ("lone_bar", "|", unknown("unrecognised")),
    ("only_separators", "||||||", unknown("unrecognised")),
    ("only_ext_separators", "<<<<", unknown("unrecognised")),
    ("words", "hello world", unknown("unrecognised")),
    ("sql", "'; DROP TABLE scans; --", unknown("unrecognised")),
    ("html", "<script>alert('x')</script>", unknown("unrecognised")),
    ("control_chars", "\x01\x02\x1b[31m\x7f", unknown("unrecognised")),
    ("rtl_override", "\u202e079199012345", unknown("unrecognised")),
    ("bare_cccd_number", "079199012345", unknown("unrecognised")),
    ("bare_bhyt_number", "GD4790123456789", unknown("unrecognised")),
    ("two_name_fields", "001099012345|NGUYEN VAN AN", unknown("unrecognised")),
    ("kb4_letters", "A" * 4096, unknown("unrecognised")),
    ("kb4_separators", "|" * 4096, unknown("unrecognised")),
    ("mb1", "x" * 1_000_000, unknown("too_long")),
    ("mb1_separators", "|" * 1_000_000, unknown("too_long")),
    ("bytes_not_utf8", b"\xff\xfe\x00|\x80", unknown("not_utf8")),
    ("bytes_utf8_cccd", CCCD.encode(), expect(Kind.CCCD, NGOC_ID, "T. T. B. Ngọc", **NGOC_FIELDS)),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_parse(text: str | bytes, expected: dict[str, Any]) -> None:
    credential = scan(text)
    out = credential.to_json()
    assert out == expected
    json.dumps(out)  # what `kiosk parse` prints must serialise


def test_case_names_are_unique() -> None:
    names = [c[0] for c in CASES]
    assert len(names) == len(set(names))


# --- The same person across kinds --------------------------------------------------------------


def test_unmasked_personal_qr_and_cccd_share_the_key() -> None:
    personal = scan("079199012345|TRAN THI BICH NGOC|1999-08-15|0|163000000000055555|<2")
    card = scan(CCCD)
    assert personal.kind is Kind.PERSONAL_QR and card.kind is Kind.CCCD
    assert personal.person_key == card.person_key == key("id", "079199012345")


def test_masked_personal_qr_falls_back_to_qid_and_matches_itself_unmasked_by_qid_only() -> None:
    masked = scan(PQR_MASKED)
    unmasked = scan(PQR)
    assert masked.person_key == PQR_QID
    # The ID number wins when it is shown: two different keys for one person (documented).
    assert unmasked.person_key == PQR_ID


def test_bhyt_card_and_personal_qr_with_only_that_bhyt_share_the_key() -> None:
    card = scan(BHYT)
    personal = scan("******012345|TRAN THI BICH NGOC|1999-**-**|0|****|<2<GD4790123456789<")
    assert card.kind is Kind.BHYT and personal.kind is Kind.PERSONAL_QR
    assert card.person_key == personal.person_key == BHYT_KEY


def test_bhyt_key_survives_a_new_card_category() -> None:
    """Group letters, benefit level and province change; the social-insurance number does not."""
    new_card = scan(BHYT.replace("GD4790123456789", "DN3010123456789"))
    assert new_card.person_key == scan(BHYT).person_key


def test_different_people_get_different_keys() -> None:
    keys = {scan(t).person_key for t in (PQR, PQR_MASKED, CCCD, CCCD_NO_CMND, BHYT)}
    assert len(keys) == 5


# --- What the guard sees ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "display_name", "birth_year"),
    [
        (CCCD, "T. T. B. Ngọc", 1999),
        (CCCD_NO_CMND, "N. V. An", 2003),
        (PQR, "N. V. AN", 1990),
        (PQR_MASKED, "N. V. AN", 1990),
        (BHYT.replace("15/08/1999", "1999"), "T. T. B. Ngọc", 1999),
        ("******012345|AN|****-**-**|0|163000000000012345|", "A*", None),
    ],
)
def test_display_name_and_birth_year(text: str, display_name: str, birth_year: int | None) -> None:
    credential = scan(text)
    assert credential.display_name == display_name
    assert credential.birth_year == birth_year


def test_raw_text_kept_for_the_2024_card() -> None:
    text = CCCD + "|15082039|extra|fields"
    assert scan(text).raw == text


# --- Parsers do not steal each other's inputs ---------------------------------------------------

PARSERS = {
    Kind.PERSONAL_QR: parse_personal_qr,
    Kind.CCCD: parse_cccd,
    Kind.BHYT: parse_bhyt,
}
SAMPLES = {
    Kind.PERSONAL_QR: [PQR, PQR_MASKED, PQR.replace("1990-12-01", "01/12/1990")],
    Kind.CCCD: [CCCD, CCCD_NO_CMND, f"079199012345|{NGOC}|15081999|Nữ|{NGOC_ADDR}|20042021"],
    Kind.BHYT: [BHYT, BHYT.replace("15/08/1999", "1999-08-15"), BHYT.replace("|2|", "|0|")],
}


@pytest.mark.parametrize("sample_kind", list(SAMPLES))
@pytest.mark.parametrize("parser_kind", list(PARSERS))
def test_each_parser_takes_only_its_own_kind(sample_kind: Kind, parser_kind: Kind) -> None:
    for sample in SAMPLES[sample_kind]:
        parsed = PARSERS[parser_kind](normalize(sample))
        if parser_kind is sample_kind:
            assert parsed is not None and parsed.kind is sample_kind
            assert parsed.identity is not None
        else:
            assert parsed is None, sample


@pytest.mark.parametrize("parser_kind", list(PARSERS))
@pytest.mark.parametrize(
    "text",
    ["", "|", "||||||||", "\x00|\x00", "<<<|<<<", "*|*|*|*|*|*", "0" * 12 + "|" * 10, "x" * 5000],
)
def test_parsers_directly_never_raise(parser_kind: Kind, text: str) -> None:
    parsed = PARSERS[parser_kind](text)
    assert parsed is None or (not parsed.kind.names_a_person or parsed.identity is not None)


# --- 4 KB inputs (their parse times are measured by bench/parse.py) ----------------------------


@pytest.mark.parametrize(
    "text",
    [
        PQR + "<" + "9" * (4096 - len(PQR)),
        CCCD.replace(NGOC_ADDR, "Số 12 Lê Lợi " * 300)[:4096],
        BHYT + "|" + "A" * (4096 - len(BHYT)),
        "|" * 4096,
        "<|" * 2048,
        "1990-**-**|" * 372,
        "0" * 12 + "|" + "1" * 4083,
    ],
    ids=["pqr", "cccd", "bhyt", "bars", "mixed_separators", "dates", "digits"],
)
def test_4kb_inputs_are_parsed_not_rejected(text: str) -> None:
    assert 4000 <= len(text.encode()) <= 16_000
    credential = scan(text)
    assert "too_long" not in credential.problems
    assert credential.raw == text
    json.dumps(credential.to_json())
