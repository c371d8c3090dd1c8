"""EU Digital COVID Certificate (`HC1:` codes): decoding and offline signature verification.

../shared/FORMATS.md section 4. The chain is

    "HC1:" + base45 -> zlib (a stream starting 0x78; without it the bytes are taken as an
    uncompressed COSE message) -> COSE_Sign1 (CBOR, usually in tag 18, sometimes also in CWT
    tag 61) -> CWT claims {1: issuer country, 4: expiry, 6: issued at, -260: {1: HCERT}}

and the HCERT (schema 1.x) carries `nam` {fn, gn, fnt, gnt}, `dob` and one of `v`
(vaccination), `t` (test) or `r` (recovery), each a list with one entry whose `ci` is the
certificate identifier.

Signatures: the algorithm (label 1) and the key id (label 4) are read from the protected
header only. The unprotected header is not covered by the signature: whoever holds a
certificate can rewrite it, to steer the kiosk to another trust-list entry under the same key
(one allowing more types, or valid at other dates) or to another algorithm. This deviates on
purpose from the hcert specification's fallback: upstream tests `common/CO19` (kid only
unprotected), `CO20` (kid and alg only unprotected) and the four `DE` reference certificates
(kid only unprotected, as Germany issued them in 2021; all such certificates have long
expired) expect a valid signature and get "signature not verified" here
(`signature_unknown_key` with `signature_header_unprotected`): referred, not admitted.
ES256 (-7) is ECDSA on P-256 with SHA-256 and a raw 64-byte `r || s` signature (any other curve
or length is rejected, even if it would verify: ES256 means P-256). PS256 (-37) is RSASSA-PSS
with SHA-256, MGF1-SHA-256 and a 32-byte salt. The signed bytes are the CBOR encoding of
`["Signature1", protected header bytes exactly as received, b"", payload]`.

The trust list (signer keys by kid) is checkpoint_common.trustlist's `TrustList`. A signature
that verifies counts only if its signer vouches for this certificate: the DSC was valid at the
certificate's issue time, its extended key usage allows the certificate's type, and (when the
list carries country signing CAs) it chains to its country's CSCA. Otherwise the signature is
INVALID with the signer's reason instead of `signature_invalid`: `dsc_expired_at_issue`,
`dsc_not_yet_valid_at_issue`, `dsc_no_issue_time`, `dsc_wrong_type`, `dsc_not_chained`,
`dsc_key_usage_unreadable` (checkpoint_common.trustlist).

`parse_dcc` never raises. A code that cannot be decoded comes back as kind UNKNOWN with one of
`dcc_prefix`, `dcc_too_long`, `dcc_empty`, `dcc_base45`, `dcc_zlib`, `dcc_too_large` (inflates
past 64 KB), `dcc_cbor`, `dcc_cose`, `dcc_cwt`, `dcc_no_hcert`, `dcc_no_name` (no `fnt`: nobody
to identify), `dcc_internal` (a bug; never expected). A decoded certificate is kind EU_DCC with
its signature outcome and, when they apply, the problems `signature_unknown_key`,
`signature_invalid` (or a signer's reason, above), `signature_header_unprotected`, `expired`,
`not_yet_valid` (more than 5 minutes before iat), and the schema findings `dcc_schema` (not
exactly one of v/t/r with one entry), `dcc_bad_dob`, `dcc_no_expiry` (kiosk.policy refers such
a certificate), `control_chars` (dropped from a name).

The identity is `fnt|gnt|dob` (the ICAO names upper-cased, spaces as `<`, no filler `<` at the
ends; the birth date as in `Fields.birth_date`), so one person's vaccination, test and
recovery certificates, from any issuer, share a person key.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
import zlib
from collections.abc import Mapping, Sequence
from typing import Any

import cbor2
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from checkpoint_common.trustlist import PublicKey, TrustList, TrustListError
from kiosk.credentials import Fields, Identity, Kind, Signature
from kiosk.formats.common import MAX_PARSE_CHARS, Parsed, drop_controls, mask_name

__all__ = ["PublicKey", "TrustList", "TrustListError", "parse_dcc"]

PREFIX = "HC1:"
# Real certificates inflate to a few KB; anything past this is a decompression bomb.
MAX_INFLATED = 64 * 1024
# A DCC nests about 6 levels (claims -> -260 -> HCERT -> v -> entry, plus tags).
MAX_CBOR_DEPTH = 32
# Clock skew tolerated between the issuer and this kiosk for "issued at".
IAT_SKEW_SECONDS = 300

ALG_ES256 = -7
ALG_PS256 = -37

_B45_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
_B45 = {ch: i for i, ch in enumerate(_B45_ALPHABET)}
_B45_CHARS = frozenset(_B45_ALPHABET)

_CERT_TYPES = (("v", "vaccination"), ("t", "test"), ("r", "recovery"))
_DOB = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2})(?:T[0-9:.+\-Z]*)?)?)?$")
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


# --- decoding -------------------------------------------------------------------------------


class _Fail(Exception):
    """Internal: decoding stops with this problem code."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


def _b45decode(text: str) -> bytes:
    """Base45 (RFC 9285); raises _Fail on a character outside the alphabet or a bad group."""
    n = len(text)
    if n % 3 == 1 or not _B45_CHARS.issuperset(text):
        raise _Fail("dcc_base45")
    out = bytearray()
    digit = _B45.__getitem__
    full = n - n % 3
    for i in range(0, full, 3):
        value = digit(text[i]) + digit(text[i + 1]) * 45 + digit(text[i + 2]) * 2025
        if value > 0xFFFF:
            raise _Fail("dcc_base45")
        out.append(value >> 8)
        out.append(value & 0xFF)
    if full < n:
        value = digit(text[full]) + digit(text[full + 1]) * 45
        if value > 0xFF:
            raise _Fail("dcc_base45")
        out.append(value)
    return bytes(out)


def _inflate(data: bytes) -> bytes:
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(data, MAX_INFLATED)
    except zlib.error as exc:
        raise _Fail("dcc_zlib") from exc
    if inflater.unconsumed_tail:
        raise _Fail("dcc_too_large")
    if not inflater.eof:
        raise _Fail("dcc_zlib")
    return out


def _cbor2_limits_depth() -> bool:
    """Whether this cbor2 takes `max_depth` (5.9 and later; before, it recursed without limit)."""
    try:
        cbor2.loads(b"\x81\x81\x00", max_depth=1)
    except TypeError:
        return False
    except cbor2.CBORDecodeError:
        return True
    return False  # accepted a depth of 2 with max_depth=1: do not rely on it


_CBOR2_MAX_DEPTH = _cbor2_limits_depth()


def _well_formed(data: bytes, max_depth: int) -> bool:
    """Whether `data` starts with one well-formed CBOR item nested at most `max_depth` deep.

    The fallback for a cbor2 without `max_depth`, checked before cbor2 sees the bytes.
    """
    n = len(data)
    pos = 0
    stack: list[int] = []  # items still to read in each open container; -1 = indefinite
    while True:
        if pos >= n:
            return False
        initial = data[pos]
        pos += 1
        major, info = initial >> 5, initial & 0x1F
        if info < 24:
            arg = info
        elif info < 28:
            size = 1 << (info - 24)
            if pos + size > n:
                return False
            arg = int.from_bytes(data[pos : pos + size], "big")
            pos += size
        elif info == 31 and major in (2, 3, 4, 5, 7):
            arg = -1
        else:
            return False
        if major == 7 and arg == -1:  # "break"
            if not stack or stack[-1] != -1:
                return False
            stack.pop()
        elif major in (2, 3) and arg >= 0:
            pos += arg
            if pos > n:
                return False
        elif major in (2, 3, 4, 5, 6):
            if major == 6:
                count = 1
            elif arg == -1:
                count = -1
            else:
                count = arg * 2 if major == 5 else arg
            if count != 0:
                stack.append(count)
                if len(stack) > max_depth:
                    return False
                continue
        # one item complete: count it against the containers that hold it
        while stack and stack[-1] > 0:
            stack[-1] -= 1
            if stack[-1]:
                break
            stack.pop()
        if not stack:
            return True


def _loads(data: bytes, problem: str) -> Any:
    """cbor2.loads with a nesting limit; any failure is `problem`."""
    if not _CBOR2_MAX_DEPTH and not _well_formed(data, MAX_CBOR_DEPTH):
        raise _Fail(problem)
    try:
        if _CBOR2_MAX_DEPTH:
            return cbor2.loads(data, max_depth=MAX_CBOR_DEPTH)
        return cbor2.loads(data)
    # cbor2 also runs the semantic decoders of the tags it knows (datetime, Decimal, regex,
    # MIME, IP address ...) on hostile bytes: whatever they raise means "not a DCC".
    except Exception as exc:
        raise _Fail(problem) from exc


def _untag(value: Any) -> Any:
    """The content under any CBOR tags (tag 18 COSE_Sign1, tag 61 CWT, ...)."""
    for _ in range(MAX_CBOR_DEPTH):
        if not isinstance(value, cbor2.CBORTag):
            return value
        value = value.value
    raise _Fail("dcc_cbor")  # a tag that contains itself (shared references)


def _header(value: Any) -> Mapping[Any, Any]:
    if isinstance(value, Mapping):
        return value
    raise _Fail("dcc_cose")


def _text(mapping: Mapping[Any, Any], key: object, problems: list[str]) -> str | None:
    value = mapping.get(key)
    if not isinstance(value, str):
        return None
    text, dropped = drop_controls(unicodedata.normalize("NFC", value).strip())
    if dropped and "control_chars" not in problems:
        problems.append("control_chars")
    return text or None


def _standard_name(value: str | None) -> str:
    """An ICAO transliterated name as an identity part: upper case, spaces as `<`, no filler
    `<` at either end (`STARK<` and `STARK` are the same name)."""
    return "<".join((value or "").upper().split()).strip("<")


def _timestamp(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _iso_utc(timestamp: float | None) -> str | None:
    if timestamp is None:
        return None
    try:
        when = _EPOCH + dt.timedelta(seconds=int(timestamp))
    except (OverflowError, ValueError):
        return None
    return when.isoformat().replace("+00:00", "Z")


def _birth_date(dob: str | None, problems: list[str]) -> str | None:
    """`YYYY-MM-DD`, `YYYY-MM` or `YYYY` (a time part is dropped) as ISO text, `*` padded."""
    if not dob:
        return None
    m = _DOB.match(dob)
    if m:
        year, month, day = m.group(1), m.group(2), m.group(3)
        ok = 1850 <= int(year) <= 2200 and (month is None or 1 <= int(month) <= 12)
        if ok and month and day:
            try:
                dt.date(int(year), int(month), int(day))
            except ValueError:
                ok = False
        if ok:
            return f"{year}-{month or '**'}-{day or '**'}"
    problems.append("dcc_bad_dob")
    return None


def _verify(alg: Any, key: PublicKey, signature: bytes, signed: bytes) -> bool:
    try:
        if alg == ALG_ES256 and type(alg) is int:
            if not isinstance(key, ec.EllipticCurvePublicKey):
                return False
            if not isinstance(key.curve, ec.SECP256R1) or len(signature) != 64:
                return False
            r = int.from_bytes(signature[:32], "big")
            s = int.from_bytes(signature[32:], "big")
            key.verify(encode_dss_signature(r, s), signed, ec.ECDSA(hashes.SHA256()))
            return True
        if alg == ALG_PS256 and type(alg) is int:
            if not isinstance(key, rsa.RSAPublicKey):
                return False
            if len(signature) != (key.key_size + 7) // 8:
                return False
            pss = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)
            key.verify(signature, signed, pss, hashes.SHA256())
            return True
    except (InvalidSignature, ValueError, TypeError, UnsupportedAlgorithm):
        return False
    return False


def _check_signature(
    message: tuple[bytes, Mapping[Any, Any], Mapping[Any, Any], bytes, bytes],
    trust: TrustList | None,
    cert_types: frozenset[str],
    issued: float | None,
    problems: list[str],
) -> tuple[Signature, bytes | None]:
    """The signature's outcome and the kid; appends the problems that explain it."""
    protected_raw, protected, unprotected, payload, signature = message
    if (4 not in protected and 4 in unprotected) or (1 not in protected and 1 in unprotected):
        problems.append("signature_header_unprotected")
    raw_kid = protected.get(4)
    kid = raw_kid if isinstance(raw_kid, bytes) else None
    if trust is None:
        return Signature.NOT_CHECKED, kid
    signers = trust.signers_for(kid) if kid else ()
    if not signers:
        problems.append("signature_unknown_key")
        return Signature.UNKNOWN_KEY, kid
    signed = cbor2.dumps(["Signature1", protected_raw, b"", payload])
    alg = protected.get(1)
    refusals = [
        signer.refusal(cert_types, issued)
        for signer in signers
        if _verify(alg, signer.key, signature, signed)
    ]
    if None in refusals:
        return Signature.VALID, kid
    # Verified by a signer that does not vouch for this certificate: say why, not "forged".
    problems.append(next((r for r in refusals if r), "signature_invalid"))
    return Signature.INVALID, kid


def _decode(text: str, trust: TrustList | None, now: dt.datetime) -> Parsed:
    if text[: len(PREFIX)].upper() != PREFIX:
        raise _Fail("dcc_prefix")
    if len(text) > MAX_PARSE_CHARS:
        raise _Fail("dcc_too_long")
    body = text[len(PREFIX) :]
    if not body:
        raise _Fail("dcc_empty")
    data = _b45decode(body)
    if data[:1] == b"\x78":
        data = _inflate(data)

    cose = _untag(_loads(data, "dcc_cbor"))
    if not isinstance(cose, Sequence) or isinstance(cose, str | bytes) or len(cose) != 4:
        raise _Fail("dcc_cose")
    protected_raw, unprotected_value, payload, signature = cose
    if not isinstance(protected_raw, bytes) or not isinstance(payload, bytes):
        raise _Fail("dcc_cose")
    if not isinstance(signature, bytes):
        raise _Fail("dcc_cose")
    protected = _header(_untag(_loads(protected_raw, "dcc_cose"))) if protected_raw else {}
    unprotected = _header(unprotected_value)

    claims = _untag(_loads(payload, "dcc_cbor"))
    if not isinstance(claims, Mapping):
        raise _Fail("dcc_cwt")
    hcert_claim = _untag(claims.get(-260))
    hcert = _untag(hcert_claim.get(1)) if isinstance(hcert_claim, Mapping) else None
    if not isinstance(hcert, Mapping):
        raise _Fail("dcc_no_hcert")

    problems: list[str] = []
    nam = _untag(hcert.get("nam"))
    nam = nam if isinstance(nam, Mapping) else {}
    fn, fnt = _text(nam, "fn", problems), _text(nam, "fnt", problems)
    gn, gnt = _text(nam, "gn", problems), _text(nam, "gnt", problems)
    family, given = fn or fnt, gn or gnt
    dob = _text(hcert, "dob", problems)
    birth_date = _birth_date(dob, problems)

    cert_type = cert_id = None
    present = [(key, name) for key, name in _CERT_TYPES if key in hcert]
    if len(present) == 1:
        key, cert_type = present[0]
        entries = _untag(hcert[key])
        if (
            isinstance(entries, Sequence)
            and not isinstance(entries, str | bytes)
            and len(entries) == 1
            and isinstance(_untag(entries[0]), Mapping)
        ):
            cert_id = _text(_untag(entries[0]), "ci", problems)
        else:
            problems.append("dcc_schema")
    else:
        problems.append("dcc_schema")
    if not fnt:  # the standardised family name is mandatory, and the identity is built on it
        return Parsed(Kind.UNKNOWN, problems=(*problems, "dcc_no_name"))

    issuer = _text(claims, 1, problems)
    expires = _timestamp(claims.get(4))
    issued = _timestamp(claims.get(6))
    if expires is None:
        problems.append("dcc_no_expiry")

    message = (protected_raw, protected, unprotected, payload, signature)
    cert_types = frozenset(name for _, name in present)
    status, kid = _check_signature(message, trust, cert_types, issued, problems)

    clock = (now if now.tzinfo else now.replace(tzinfo=dt.UTC)).timestamp()
    if expires is not None and clock > expires:
        problems.append("expired")
    if issued is not None and clock < issued - IAT_SKEW_SECONDS:
        problems.append("not_yet_valid")

    full_name = " ".join(part for part in (family, given) if part)
    fields = Fields(
        family_name=family,
        given_name=given,
        full_name=full_name or None,
        birth_date=birth_date,
        certificate_id=cert_id,
        certificate_type=cert_type,
        issuer_country=issuer,
        issued_at=_iso_utc(issued),
        expires_at=_iso_utc(expires),
        signature=status,
        key_id=kid.hex() if kid else None,
    )
    identity_dob = birth_date or (dob or "")
    identity = Identity("dcc", f"{_standard_name(fnt)}|{_standard_name(gnt)}|{identity_dob}")
    return Parsed(
        Kind.EU_DCC,
        fields=fields,
        problems=tuple(problems),
        identity=identity,
        display_name=mask_name(full_name),
    )


def parse_dcc(text: str, *, trust: TrustList | None, now: dt.datetime) -> Parsed:
    """Decode an `HC1:` text and check its signature against `trust` and its validity at `now`.

    Never raises: what cannot be decoded is kind UNKNOWN with a `dcc_*` problem.
    """
    try:
        return _decode(text, trust, now)
    except _Fail as failure:
        return Parsed(Kind.UNKNOWN, problems=(failure.problem,))
    except Exception:  # noqa: BLE001 - the parser contract: never raise on any input
        return Parsed(Kind.UNKNOWN, problems=("dcc_internal",))
