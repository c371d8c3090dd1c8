"""Turn any text a camera or a hardware scanner delivers into a typed `Credential`.

`parse` never raises on bad input: whatever it is given it returns a credential, of kind
`unknown` with the problems found when nothing else fits. It is pure (no I/O) apart from the
trust list it is handed, and cheap enough to run on every scan (a 4 KB text parses in well
under 10 ms).
"""

from __future__ import annotations

import datetime as dt
import re

from checkpoint_common.declaration import DeclarationKeys
from kiosk.credentials import Credential, Fields, Identity, Kind, PersonKeyer
from kiosk.formats.bhyt import parse_bhyt
from kiosk.formats.cccd import parse_cccd
from kiosk.formats.common import MAX_PARSE_CHARS, Parsed, collapse_spaces, mask_name, normalize
from kiosk.formats.dcc import TrustList, parse_dcc
from kiosk.formats.personal_qr import parse_personal_qr

__all__ = ["ManualEntryError", "TrustList", "decode_payload", "manual_credential", "parse"]

_URL = re.compile(r"^[a-z][a-z0-9+.-]{1,15}://\S+$", re.IGNORECASE)
_TOKHAIYTE = re.compile(r"^https?://(www\.)?tokhaiyte\.vn/\S*groupid=([0-9a-f]{24})", re.IGNORECASE)


def decode_payload(payload: str | bytes) -> tuple[str, tuple[str, ...]]:
    """The text of a scanned payload, and problems met turning bytes into text.

    Bytes that are not UTF-8 are kept visible (backslash escapes) rather than guessed at: a
    wrong name on screen is worse than no name.
    """
    if isinstance(payload, str):
        # Lone surrogates (from a broken decoder upstream) cannot be stored as text.
        try:
            payload.encode("utf-8")
        except UnicodeEncodeError:
            raw = payload.encode("utf-8", "surrogatepass")
            return raw.decode("utf-8", "backslashreplace"), ("not_utf8",)
        return payload, ()
    try:
        return payload.decode("utf-8"), ()
    except UnicodeDecodeError:
        return payload.decode("utf-8", "backslashreplace"), ("not_utf8",)


def _venue(text: str) -> Parsed | None:
    if m := _TOKHAIYTE.match(text):
        return Parsed(Kind.VENUE_CODE, problems=(f"venue_tokhaiyte:{m.group(2).lower()}",))
    if _URL.match(text):
        return Parsed(Kind.VENUE_CODE, problems=("url",))
    return None


def parse(
    payload: str | bytes,
    *,
    keyer: PersonKeyer,
    trust: TrustList | None = None,
    now: dt.datetime | None = None,
    declarations: DeclarationKeys | None = None,
) -> Credential:
    """Parse one scanned payload.

    keyer: turns the identifier found into the person key. trust: the EU DCC trust list (None:
    signatures are reported `not_checked`). now: the clock for certificate expiry (UTC; default
    the system clock). declarations: the health-declaration keys this kiosk accepted (None:
    a signed personal QR code is reported `not_checked`).
    """
    # Oversize input is rejected before any per-character work (normalising 1 MB takes ~50 ms).
    # 4 bytes per character is the UTF-8 maximum, so a longer payload is too long in any case.
    oversize = len(payload) > MAX_PARSE_CHARS * 4
    text, problems = decode_payload(payload[: MAX_PARSE_CHARS * 4] if oversize else payload)
    if oversize or len(text) > MAX_PARSE_CHARS:
        text = text[:MAX_PARSE_CHARS]
        return _credential(text, Parsed(Kind.UNKNOWN, problems=(*problems, "too_long")), keyer)
    text = normalize(text)
    if not text:
        return _credential(text, Parsed(Kind.UNKNOWN, problems=(*problems, "empty")), keyer)
    if problems:
        return _credential(text, Parsed(Kind.UNKNOWN, problems=problems), keyer)

    if text[:4].upper() == "HC1:":
        parsed = parse_dcc(text, trust=trust, now=now or dt.datetime.now(dt.UTC))
    else:
        parsed = (
            _venue(text)
            or parse_personal_qr(text, declarations)
            or parse_cccd(text)
            or parse_bhyt(text)
            or Parsed(Kind.UNKNOWN, problems=("unrecognised",))
        )
    return _credential(text, parsed, keyer)


def _credential(text: str, parsed: Parsed, keyer: PersonKeyer) -> Credential:
    identity = parsed.identity
    if parsed.kind.names_a_person and identity is None:
        # Parser contract broken: never admit someone we cannot tell apart from others.
        parsed = Parsed(Kind.UNKNOWN, problems=(*parsed.problems, "no_identity"))
    person_key = keyer.key(identity) if identity and parsed.kind.names_a_person else None
    return Credential(
        kind=parsed.kind,
        raw=text,
        fields=parsed.fields if parsed.kind.names_a_person else Fields(),
        problems=parsed.problems,
        person_key=person_key,
        display_name=parsed.display_name if parsed.kind.names_a_person else None,
    )


class ManualEntryError(ValueError):
    """A manual entry that cannot key a person: it has neither an ID number nor a phone."""


def manual_credential(
    *,
    keyer: PersonKeyer,
    full_name: str,
    id_number: str | None = None,
    phone: str | None = None,
    birth_year: int | None = None,
) -> Credential:
    """A credential for a visitor without a code, from what the guard typed.

    The identifier is the ID number when given, else the phone number; raises ManualEntryError
    (a ValueError) when neither is given (the screen must ask for one).
    """
    ident = "".join((id_number or "").split()).upper()
    tel = "".join(ch for ch in (phone or "") if ch.isdigit())
    if ident:
        identity = Identity("id", ident)
    elif tel:
        identity = Identity("manual", f"tel:{tel}")
    else:
        raise ManualEntryError("an ID number or a phone number is needed")
    name = collapse_spaces(normalize(full_name))
    fields = Fields(
        id_number=ident or None,
        full_name=name or None,
        phone=tel or None,
        birth_date=f"{birth_year:04d}-**-**" if birth_year else None,
    )
    return Credential(
        kind=Kind.MANUAL,
        raw="",
        fields=fields,
        problems=(),
        person_key=keyer.key(identity),
        display_name=mask_name(name),
    )
