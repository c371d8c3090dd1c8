"""The server finds a person from what a health officer types: the key the kiosk derived from
each kind of code is among the keys the server derives from the code's text, and from the
numbers on it (checkpoint_common.personkey)."""

from __future__ import annotations

import pytest

from checkpoint_common.personkey import (
    AS_BHYT,
    AS_CCCD,
    AS_CMND,
    AS_PHONE,
    AS_QID,
    Identity,
    candidate_identities,
    derive_person_key,
    identities_in_fields,
)
from kiosk.credentials import PersonKeyer
from kiosk.demo import EXAMPLES
from kiosk.formats import manual_credential, parse

SECRET = b"test-secret-0123456789"


def keys_for(text: str) -> set[str]:
    return {
        derive_person_key(SECRET, i.scheme, i.value) for i in candidate_identities(text).identities
    }


@pytest.mark.parametrize(
    ("label", "code"),
    [e for e in EXAMPLES if "person" in e[0] or e[0] in ("CCCD", "BHYT", "CCCD (no old ID)")],
)
def test_the_kiosks_key_is_found_from_the_scanned_text(label: str, code: str) -> None:
    credential = parse(code, keyer=PersonKeyer(SECRET))
    assert credential.person_key is not None, label
    assert credential.person_key in keys_for(code), label


@pytest.mark.parametrize(
    ("code", "typed", "understood"),
    [
        # CCCD card: its 12-digit number, and its old 9-digit CMND.
        (
            "079199012345|212345678|Trần Thị Bích Ngọc|15081999|Nữ|Số 12 Lê Lợi|20042021",
            "079 199 012 345",
            AS_CCCD,
        ),
        # Personal QR with the ID number shown: typed as the ID number.
        (
            "001099012345|NGUYEN VAN AN|1990-12-01|0|163000000000012345|"
            "<1<DN4010123456789<0900000000",
            "001099012345",
            AS_CCCD,
        ),
        # Personal QR with the ID masked: the QID is the key.
        (
            "******012346|PHAM THI HOA|1985-**-**|1|163000000000098765|"
            "163000000000011111<2<GD4877*******<0943******",
            "163000000000098765",
            AS_QID,
        ),
        # BHYT card: the card number, typed with dashes.
        (
            "HS4790123456780|4c65|03/07/2012|1|4c65|01 - 001|01/01/2021|31/12/2021",
            "HS-4790123456780",
            AS_BHYT,
        ),
    ],
)
def test_typed_numbers_find_the_kiosks_key(code: str, typed: str, understood: str) -> None:
    credential = parse(code, keyer=PersonKeyer(SECRET))
    assert credential.person_key in keys_for(typed)
    assert understood in candidate_identities(typed).understood_as


def test_a_phone_typed_at_manual_entry_is_found_either_way_it_is_written() -> None:
    keyer = PersonKeyer(SECRET)
    made = manual_credential(keyer=keyer, full_name="Lê Văn Tám", phone="0912 345 678")
    for typed in ("0912345678", "+84 912 345 678", "84912345678"):
        assert made.person_key in keys_for(typed), typed
        assert AS_PHONE in candidate_identities(typed).understood_as
    with_id = manual_credential(keyer=keyer, full_name="Lê Văn Tám", id_number="212345678")
    assert with_id.person_key in keys_for("212345678")
    assert candidate_identities("212345678").understood_as[0] == AS_CMND


@pytest.mark.parametrize(
    "text", ["", "   ", "HC1:NCFOXN", "https://tokhaiyte.vn/x", "xin chào", "12"]
)
def test_texts_that_name_no_one_give_no_keys(text: str) -> None:
    assert candidate_identities(text).identities == ()


def test_opened_fields_give_every_identifier_the_person_showed() -> None:
    found = identities_in_fields(
        {"id_number": "079199012345", "old_id_number": "212345678", "phone": "0912345678"}, None
    )
    assert Identity("id", "079199012345") in found
    assert Identity("id", "212345678") in found
    assert Identity("manual", "tel:0912345678") in found
    # Masked values identify no one.
    assert identities_in_fields({"id_number": "******012345", "phone": "0943******"}, None) == []


def test_the_derivation_is_the_kiosks() -> None:
    identity = Identity("id", "079199012345")
    assert PersonKeyer(SECRET).key(identity) == derive_person_key(SECRET, "id", "079199012345")
    with pytest.raises(ValueError, match="16 bytes"):
        derive_person_key(b"short", "id", "1")
