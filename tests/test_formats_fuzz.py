"""Property tests: `parse` never raises and always returns a well-formed credential, on random
input and on near-valid personal QR / CCCD / BHYT strings; Vietnamese names round-trip."""

from __future__ import annotations

import datetime as dt
import json
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.credentials import Credential, Identity, Kind, PersonKeyer
from kiosk.formats import parse
from kiosk.formats.bhyt import parse_bhyt
from kiosk.formats.cccd import parse_cccd
from kiosk.formats.common import normalize
from kiosk.formats.personal_qr import parse_personal_qr

KEYER = PersonKeyer(b"k" * 16)
SETTINGS = settings(max_examples=200, deadline=None)

_LOWER = "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ"
VIETNAMESE_LETTERS = unicodedata.normalize("NFC", _LOWER + _LOWER.upper())


def check(payload: str | bytes) -> Credential:
    """Parse and assert the output contract every caller relies on."""
    credential = parse(payload, keyer=KEYER)
    assert isinstance(credential, Credential)
    assert credential.kind in set(Kind)
    out = credential.to_json()
    json.dumps(out)
    assert set(out) == {"kind", "person_key", "display_name", "fields", "problems"}
    if credential.kind.names_a_person:
        assert credential.person_key is not None
        assert credential.person_key.split(":")[0] in ("id2", "qid2", "bhyt2", "dcc2")
    else:
        assert credential.person_key is None
    return credential


def check_parsers_directly(text: str) -> None:
    """The parser contract: None, or a Parsed; a person kind always carries an identity."""
    text = normalize(text)
    for parser in (parse_personal_qr, parse_cccd, parse_bhyt):
        parsed = parser(text)
        if parsed is not None and parsed.kind.names_a_person:
            assert parsed.identity is not None


@SETTINGS
@given(st.text())
def test_random_text_never_raises(text: str) -> None:
    check(text)
    check_parsers_directly(text)


@SETTINGS
@given(st.binary())
def test_random_bytes_never_raise(data: bytes) -> None:
    check(data)


@SETTINGS
@given(st.lists(st.sampled_from(["|", "<", "*", "-", "/", " ", "\r\n", "0", "1", "9", "A"])))
def test_separator_soup_never_raises(pieces: list[str]) -> None:
    text = "".join(pieces)
    check(text)
    check_parsers_directly(text)


# --- Near-valid strings ---------------------------------------------------------------------
# Mostly valid fields, each sometimes replaced by noise, masked, cut short or padded: most
# examples must still parse as their kind, or the test would only exercise the reject paths.

digits = st.text(alphabet="0123456789", min_size=1, max_size=20)
noise = st.text(max_size=12)
dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31))


def one_in(draw: st.DrawFn, n: int) -> bool:
    """True about one time in `n`; shrinks to False (towards the valid input)."""
    return draw(st.sampled_from([False] * (n - 1) + [True]))


def sometimes(draw: st.DrawFn, good: st.SearchStrategy[str], bad: st.SearchStrategy[str]) -> str:
    """A value from `good`, or one time in five from `bad`."""
    return draw(bad) if one_in(draw, 5) else draw(good)


def masked(draw: st.DrawFn, value: str, keep_prefix: int = 0) -> str:
    """`value`, or (one time in three) with a run after `keep_prefix` replaced by `*`."""
    if len(value) <= keep_prefix or not one_in(draw, 3):
        return value
    n = draw(st.integers(1, len(value) - keep_prefix))
    return value[:keep_prefix] + "*" * n + value[keep_prefix + n :]


def join(draw: st.DrawFn, parts: list[str]) -> str:
    """Join with `|` (sometimes with stray spaces or a doubled bar), sometimes cut short or with
    extra fields, sometimes with scanner line endings."""
    if one_in(draw, 5):
        parts = parts[: draw(st.integers(1, len(parts)))]
    if one_in(draw, 5):
        parts = parts + draw(st.lists(noise, min_size=1, max_size=2))
    text = parts[0]
    for part in parts[1:]:
        text += draw(st.sampled_from(["|"] * 20 + [" | ", "|\r", "||"])) + part
    return draw(st.sampled_from(["", " ", "\r\n"])) + text + draw(st.sampled_from(["", "\n"]))


@st.composite
def personal_qrs(draw: st.DrawFn) -> str:
    id_number = sometimes(
        draw,
        st.one_of(
            st.text(alphabet="0123456789", min_size=12, max_size=12),
            st.text(alphabet="0123456789", min_size=9, max_size=9),
            st.from_regex(r"[A-Za-z][0-9]{7}", fullmatch=True),
        ),
        noise,
    )
    name = sometimes(draw, st.text(alphabet=VIETNAMESE_LETTERS + " ", max_size=30), noise)
    date = sometimes(
        draw,
        dates.map(lambda d: d.isoformat()),
        st.one_of(st.from_regex(r"[0-9*]{4}-[0-9*]{2}-[0-9*]{2}", fullmatch=True), noise),
    )
    ext_values = [
        sometimes(draw, st.just(""), digits),
        sometimes(draw, st.sampled_from(["0", "1", "2"]), st.sampled_from(["", "9", "x"])),
        masked(
            draw, sometimes(draw, st.from_regex(r"[A-Za-z]{2}[0-9]{13}", fullmatch=True), noise), 6
        ),
        masked(draw, sometimes(draw, st.from_regex(r"0[0-9]{9}", fullmatch=True), noise), 4),
        *draw(st.lists(noise, max_size=2)),
    ]
    ext = "<".join(ext_values)
    if draw(st.booleans()):
        ext = ext.removeprefix("<")  # as some apps write it
    parts = [
        masked(draw, id_number),
        name,
        masked(draw, date, 5),
        sometimes(draw, st.sampled_from(["0", "1"]), st.sampled_from(["", "2", "x"])),
        masked(
            draw, sometimes(draw, st.text(alphabet="0123456789", min_size=18, max_size=18), noise)
        ),
        ext,
    ]
    return join(draw, parts)


def ddmmyyyy(draw: st.DrawFn) -> str:
    return sometimes(draw, dates.map(lambda d: d.strftime("%d%m%Y")), st.one_of(digits, noise))


vietnamese_words = st.text(alphabet=VIETNAMESE_LETTERS, min_size=1, max_size=8)
vietnamese_names = st.lists(vietnamese_words, min_size=1, max_size=5).map(" ".join)
vietnamese_addresses = st.lists(
    st.one_of(vietnamese_words, st.sampled_from([",", "12", "TP.", "Số 3/4"])), min_size=1
).map(" ".join)


@st.composite
def cccds(draw: st.DrawFn) -> str:
    parts = [
        sometimes(draw, st.text(alphabet="0123456789", min_size=12, max_size=12), noise),
        sometimes(draw, st.text(alphabet="0123456789", min_size=9, max_size=9), st.just("")),
        sometimes(draw, vietnamese_names, noise),
        ddmmyyyy(draw),
        sometimes(draw, st.sampled_from(["Nam", "Nữ", "nữ", "NU"]), st.sampled_from(["", "?"])),
        sometimes(draw, vietnamese_addresses, noise),
        ddmmyyyy(draw),
    ]
    if one_in(draw, 5):
        parts.append(ddmmyyyy(draw))  # the unconfirmed expiry field
    if one_in(draw, 5):
        del parts[1]  # the unconfirmed layout without the CMND field
    return join(draw, parts)


def hex_or_noise(draw: st.DrawFn, text: str) -> str:
    encoded = text.encode().hex()
    return sometimes(
        draw,
        st.sampled_from([encoded, encoded.upper()]),
        st.sampled_from([encoded[:-1], text, "", "zz"]),
    )


@st.composite
def bhyts(draw: st.DrawFn) -> str:
    slash_dates = dates.map(lambda d: d.strftime("%d/%m/%Y"))
    parts = [
        masked(draw, draw(st.from_regex(r"[A-Za-z]{2}[0-9]{13}", fullmatch=True)), 5),
        hex_or_noise(draw, sometimes(draw, vietnamese_names, noise)),
        sometimes(draw, slash_dates, st.one_of(dates.map(lambda d: str(d.year)), digits, noise)),
        sometimes(draw, st.sampled_from(["0", "1", "2"]), st.sampled_from(["", "x"])),
        hex_or_noise(draw, sometimes(draw, vietnamese_addresses, noise)),
        draw(st.sampled_from(["01 - 001", "79-123", ""])),
        sometimes(draw, slash_dates, noise),
        sometimes(draw, slash_dates, noise),
        *draw(st.lists(noise, max_size=3)),
    ]
    return join(draw, parts)


@SETTINGS
@given(personal_qrs())
def test_near_valid_personal_qr_never_raises(text: str) -> None:
    credential = check(text)
    check_parsers_directly(text)
    if credential.kind is Kind.PERSONAL_QR:
        assert credential.person_key is not None
        assert credential.person_key.split(":")[0] in ("id2", "qid2", "bhyt2")


@SETTINGS
@given(cccds())
def test_near_valid_cccd_never_raises(text: str) -> None:
    credential = check(text)
    check_parsers_directly(text)
    if credential.kind is Kind.CCCD:
        assert credential.fields.id_number is not None
        assert credential.person_key == KEYER.key(Identity("id", credential.fields.id_number))


@SETTINGS
@given(bhyts())
def test_near_valid_bhyt_never_raises(text: str) -> None:
    credential = check(text)
    check_parsers_directly(text)
    if credential.kind is Kind.BHYT:
        card = credential.fields.card_number
        assert card is not None
        assert credential.person_key == KEYER.key(Identity("bhyt", card[-10:]))


# --- Exact round trips --------------------------------------------------------------------


@SETTINGS
@given(
    name=vietnamese_names,
    address=vietnamese_addresses,
    birth=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31)),
    female=st.booleans(),
    number=st.text(alphabet="0123456789", min_size=6, max_size=6),
)
def test_vietnamese_name_round_trips_through_cccd(
    name: str, address: str, birth: dt.date, female: bool, number: str
) -> None:
    assert unicodedata.is_normalized("NFC", name)
    # Gender/century digit: 0/1 man/woman born 1900-1999, 2/3 born 2000-2099.
    digit = (birth.year - 1900) // 100 * 2 + female
    id12 = f"079{digit}{birth.year % 100:02d}{number}"
    gender = "Nữ" if female else "Nam"
    text = f"{id12}||{name}|{birth:%d%m%Y}|{gender}|{address}|20042021"
    credential = check(text)
    assert credential.kind is Kind.CCCD
    assert credential.fields.full_name == name
    assert credential.fields.address == address
    assert credential.fields.birth_date == birth.isoformat()
    assert credential.fields.gender == ("female" if female else "male")
    assert credential.person_key == KEYER.key(Identity("id", id12))
    assert credential.problems == ()


@SETTINGS
@given(
    name=vietnamese_names,
    address=vietnamese_addresses,
    upper=st.booleans(),
    card_digits=st.text(alphabet="0123456789", min_size=13, max_size=13),
)
def test_vietnamese_name_round_trips_through_bhyt_hex(
    name: str, address: str, upper: bool, card_digits: str
) -> None:
    name_hex, address_hex = name.encode().hex(), address.encode().hex()
    if upper:
        name_hex, address_hex = name_hex.upper(), address_hex.upper()
    text = f"DN{card_digits}|{name_hex}|01/02/1990|1|{address_hex}|01 - 001|01/01/2021|31/12/2021"
    credential = check(text)
    assert credential.kind is Kind.BHYT
    assert credential.fields.full_name == name
    assert credential.fields.address == address
    assert credential.person_key == KEYER.key(Identity("bhyt", card_digits[-10:]))
