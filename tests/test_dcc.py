"""EU DCC (`HC1:`) decoding and verification: upstream test vectors, Vietnam's test certificate,
self-made (forged and correctly signed) certificates and hostile inputs.

The upstream vectors live in ../shared/dcc-testdata (see its README.md for how each
EXPECTEDRESULTS key is read); the tests that need them are skipped when it is absent. Run with
`-s` to see the agreement summary printed by `test_upstream_agreement_summary`.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
import json
import re
import unicodedata
import zlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cbor2
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)
from cryptography.x509.oid import NameOID
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.credentials import Credential, Identity, Kind, PersonKeyer, Signature
from kiosk.formats import dcc as dcc_module
from kiosk.formats import parse
from kiosk.formats.common import Parsed
from kiosk.formats.dcc import TrustList, TrustListError, parse_dcc

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
DCC_DATA = SHARED / "dcc-testdata"
UPSTREAM = DCC_DATA / "dgc-testdata"
VN_PNG = DCC_DATA / "quality-assurance-VN" / "VN" / "1.3.0" / "VAC_VN.png"

needs_testdata = pytest.mark.skipif(
    not UPSTREAM.is_dir(),
    reason=f"EU DCC test vectors not found at {UPSTREAM} (../shared/dcc-testdata is absent)",
)

KEYER = PersonKeyer(b"0" * 16)
NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)
DCC_PROBLEM = re.compile(r"^dcc_")

# --- base45 (RFC 9285), written independently of the module under test ----------------------

B45 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"


def b45encode(data: bytes) -> str:
    out = []
    for i in range(0, len(data) - 1, 2):
        n = data[i] * 256 + data[i + 1]
        out += [B45[n % 45], B45[n // 45 % 45], B45[n // 2025]]
    if len(data) % 2:
        out += [B45[data[-1] % 45], B45[data[-1] // 45]]
    return "".join(out)


def b45decode(text: str) -> bytes:
    out = bytearray()
    for i in range(0, len(text), 3):
        chunk = text[i : i + 3]
        n = sum(B45.index(ch) * 45**k for k, ch in enumerate(chunk))
        out += n.to_bytes(2 if len(chunk) == 3 else 1, "big")
    return bytes(out)


def test_b45_helpers_round_trip() -> None:
    # RFC 9285 examples.
    assert b45encode(b"AB") == "BB8"
    assert b45encode(b"Hello!!") == "%69 VD92EX0"
    assert b45decode("QED8WEX0") == b"ietf!"
    for data in (b"", b"\x00", b"\xff\xff", bytes(range(256))):
        assert b45decode(b45encode(data)) == data


# --- self-made signers and certificates ------------------------------------------------------


@dataclass(frozen=True)
class Signer:
    key: Any  # a private key
    der: bytes  # its self-signed certificate

    @property
    def kid(self) -> bytes:
        return hashlib.sha256(self.der).digest()[:8]

    @property
    def spki(self) -> bytes:
        spki: bytes = self.key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        return spki


def _self_signed(key: Any, name: str) -> bytes:
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    start = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=3650))
        .sign(key, hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.DER)


@functools.cache
def ec_signer(curve_name: str = "secp256r1", tag: str = "a") -> Signer:
    curve = {"secp256r1": ec.SECP256R1(), "secp384r1": ec.SECP384R1()}[curve_name]
    key = ec.generate_private_key(curve)
    return Signer(key, _self_signed(key, f"DSC test {curve_name} {tag}"))


@functools.cache
def rsa_signer(bits: int = 2048) -> Signer:
    key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    return Signer(key, _self_signed(key, f"DSC test RSA {bits}"))


def hcert(**changes: Any) -> dict[str, Any]:
    cert: dict[str, Any] = {
        "ver": "1.3.0",
        "nam": {"fn": "Nguyễn", "gn": "Văn An", "fnt": "NGUYEN", "gnt": "VAN<AN"},
        "dob": "1990-04-02",
        "v": [
            {
                "tg": "840539006",
                "vp": "J07BX03",
                "mp": "EU/1/20/1528",
                "ma": "ORG-100030215",
                "dn": 2,
                "sd": 2,
                "dt": "2021-08-01",
                "co": "VN",
                "is": "Test issuer",
                "ci": "URN:UVCI:01:VN:TEST0001",
            }
        ],
    }
    cert.update(changes)
    return {k: v for k, v in cert.items() if v is not None}


def claims(cert: dict[str, Any] | None = None, **changes: Any) -> dict[Any, Any]:
    out: dict[Any, Any] = {
        1: "VN",
        6: int((NOW - dt.timedelta(days=1)).timestamp()),
        4: int((NOW + dt.timedelta(days=365)).timestamp()),
        -260: {1: hcert() if cert is None else cert},
    }
    for name, value in changes.items():
        key = {"iss": 1, "iat": 6, "exp": 4}[name]
        if value is None:
            out.pop(key, None)
        else:
            out[key] = value
    return out


def raw_signature(signer: Signer, alg: int, data: bytes) -> bytes:
    if isinstance(signer.key, ec.EllipticCurvePrivateKey):
        r, s = decode_dss_signature(signer.key.sign(data, ec.ECDSA(hashes.SHA256())))
        size = (signer.key.curve.key_size + 7) // 8
        return r.to_bytes(size, "big") + s.to_bytes(size, "big")
    pss = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)
    signature: bytes = signer.key.sign(data, pss, hashes.SHA256())
    return signature


def cose_sign1(
    signer: Signer,
    payload_claims: dict[Any, Any] | None = None,
    *,
    alg: int = -7,
    protected: dict[int, Any] | None = None,
    unprotected: dict[int, Any] | None = None,
    payload: bytes | None = None,
) -> list[Any]:
    protected_raw = cbor2.dumps({1: alg, 4: signer.kid} if protected is None else protected)
    if payload is None:
        payload = cbor2.dumps(claims() if payload_claims is None else payload_claims)
    signed = cbor2.dumps(["Signature1", protected_raw, b"", payload])
    return [protected_raw, unprotected or {}, payload, raw_signature(signer, alg, signed)]


def hc1(cose: Any, *, tags: tuple[int, ...] = (18,), compress: bool = True) -> str:
    """`tags` outermost first: (61, 18) is a CWT tag around the COSE_Sign1 tag."""
    for tag in reversed(tags):
        cose = cbor2.CBORTag(tag, cose)
    data = cbor2.dumps(cose)
    return "HC1:" + b45encode(zlib.compress(data, 9) if compress else data)


def make(signer: Signer | None = None, **kwargs: Any) -> str:
    return hc1(cose_sign1(signer or ec_signer(), **kwargs))


def trust_of(*signers: Signer) -> TrustList:
    return TrustList.from_certificates([s.der for s in signers])


def dcc(text: str, trust: TrustList | None = None, now: dt.datetime = NOW) -> Parsed:
    return parse_dcc(text, trust=trust, now=now)


# --- self-made certificates ------------------------------------------------------------------


def test_es256_valid_and_all_fields() -> None:
    signer = ec_signer()
    parsed = dcc(make(signer), trust_of(signer))
    assert parsed.kind is Kind.EU_DCC
    assert parsed.problems == ()
    f = parsed.fields
    assert f.signature is Signature.VALID
    assert f.key_id == signer.kid.hex()
    assert (f.family_name, f.given_name, f.full_name) == ("Nguyễn", "Văn An", "Nguyễn Văn An")
    assert f.birth_date == "1990-04-02"
    assert f.certificate_id == "URN:UVCI:01:VN:TEST0001"
    assert f.certificate_type == "vaccination"
    assert f.issuer_country == "VN"
    assert f.issued_at == "2026-05-31T12:00:00Z"
    assert f.expires_at == "2027-06-01T12:00:00Z"
    assert parsed.identity == Identity("dcc", "NGUYEN|VAN<AN|1990-04-02")
    assert parsed.display_name == "N. V. An"


def test_ps256_valid_rsa_2048_and_3072() -> None:
    for bits in (2048, 3072):
        signer = rsa_signer(bits)
        parsed = dcc(make(signer, alg=-37), trust_of(signer))
        assert parsed.fields.signature is Signature.VALID, bits


def test_ps256_other_salt_length_is_invalid() -> None:
    signer = rsa_signer()
    protected_raw = cbor2.dumps({1: -37, 4: signer.kid})
    payload = cbor2.dumps(claims())
    signed = cbor2.dumps(["Signature1", protected_raw, b"", payload])
    pss = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=padding.PSS.MAX_LENGTH)
    signature = signer.key.sign(signed, pss, hashes.SHA256())
    parsed = dcc(hc1([protected_raw, {}, payload, signature]), trust_of(signer))
    assert parsed.fields.signature is Signature.INVALID


def test_trust_none_is_not_checked_and_unknown_kid_is_unknown_key() -> None:
    text = make(ec_signer())
    assert dcc(text, None).fields.signature is Signature.NOT_CHECKED
    assert "signature_unknown_key" not in dcc(text, None).problems
    other = ec_signer(tag="other")
    parsed = dcc(text, trust_of(other))
    assert parsed.kind is Kind.EU_DCC
    assert parsed.fields.signature is Signature.UNKNOWN_KEY
    assert "signature_unknown_key" in parsed.problems
    assert parsed.fields.key_id == ec_signer().kid.hex()
    assert dcc(text, TrustList.from_certificates([])).fields.signature is Signature.UNKNOWN_KEY


def test_tampered_payload_is_invalid() -> None:
    signer = ec_signer()
    cose = cose_sign1(signer)
    assert b"NGUYEN" in cose[2]
    cose[2] = cose[2].replace(b"NGUYEN", b"NGUYEM")
    parsed = dcc(hc1(cose), trust_of(signer))
    assert parsed.kind is Kind.EU_DCC  # still decodes ...
    assert parsed.fields.signature is Signature.INVALID  # ... but is not what was signed
    assert "signature_invalid" in parsed.problems
    cose = cose_sign1(signer)
    cose[3] = cose[3][:-1] + bytes([cose[3][-1] ^ 1])
    assert dcc(hc1(cose), trust_of(signer)).fields.signature is Signature.INVALID


def test_es256_rejects_der_signatures_other_curves_and_algorithms() -> None:
    signer = ec_signer()
    cose = cose_sign1(signer)
    r, s = int.from_bytes(cose[3][:32], "big"), int.from_bytes(cose[3][32:], "big")
    cose[3] = encode_dss_signature(r, s)  # DER instead of raw r || s
    assert dcc(hc1(cose), trust_of(signer)).fields.signature is Signature.INVALID

    # ES 401-403's trap: "ES256" whose key is P-384 and signature 96 bytes. It would verify as
    # ECDSA P-384 with SHA-256, but ES256 means P-256: a strict verifier rejects it.
    p384 = ec_signer("secp384r1")
    cose = cose_sign1(p384)
    assert len(cose[3]) == 96
    assert dcc(hc1(cose), trust_of(p384)).fields.signature is Signature.INVALID

    rsa_key = rsa_signer()  # ES256 claimed, RSA key in the trust list
    cose = cose_sign1(rsa_key, alg=-37, protected={1: -7, 4: rsa_key.kid})
    assert dcc(hc1(cose), trust_of(rsa_key)).fields.signature is Signature.INVALID

    ec_key = ec_signer()  # PS256 claimed, EC key
    cose = cose_sign1(ec_key, protected={1: -37, 4: ec_key.kid})
    assert dcc(hc1(cose), trust_of(ec_key)).fields.signature is Signature.INVALID

    for alg in (-35, -36, -38, 0, "ES256", None):
        cose = cose_sign1(ec_key, protected={1: alg, 4: ec_key.kid})
        parsed = dcc(hc1(cose), trust_of(ec_key))
        assert parsed.fields.signature is Signature.INVALID, alg
        assert "signature_invalid" in parsed.problems


def test_tags_and_uncompressed_cose() -> None:
    signer = ec_signer()
    cose = cose_sign1(signer)
    for tags in ((18,), (61, 18), (), (61,)):
        for compress in (True, False):
            parsed = dcc(hc1(cose, tags=tags, compress=compress), trust_of(signer))
            assert parsed.fields.signature is Signature.VALID, (tags, compress)


def test_kid_placement() -> None:
    signer, other = ec_signer(), ec_signer(tag="other")
    trust = trust_of(signer)
    # Only in the unprotected header, which the signature does not cover: not used, on purpose
    # (upstream CO19 expects it used; kiosk/formats/dcc.py says why we deviate).
    cose = cose_sign1(signer, protected={1: -7}, unprotected={4: signer.kid})
    parsed = dcc(hc1(cose), trust)
    assert parsed.fields.signature is Signature.UNKNOWN_KEY
    assert parsed.problems == ("signature_header_unprotected", "signature_unknown_key")
    # Correct protected, wrong unprotected: the protected one wins (CO21).
    cose = cose_sign1(signer, unprotected={4: b"foo"})
    assert dcc(hc1(cose), trust).fields.signature is Signature.VALID
    # Wrong protected, correct unprotected: no fallback (CO22).
    cose = cose_sign1(signer, protected={1: -7, 4: other.kid}, unprotected={4: signer.kid})
    parsed = dcc(hc1(cose), trust)
    assert parsed.fields.signature is Signature.UNKNOWN_KEY
    assert parsed.fields.key_id == other.kid.hex()
    # No kid anywhere.
    cose = cose_sign1(signer, protected={1: -7})
    parsed = dcc(hc1(cose), trust)
    assert parsed.fields.signature is Signature.UNKNOWN_KEY
    assert parsed.fields.key_id is None
    # Everything in the unprotected header, empty protected bstr (CO20): not verified either.
    cose = cose_sign1(signer, protected={})
    cose[0] = b""
    cose[1] = {1: -7, 4: signer.kid}
    cose[3] = raw_signature(signer, -7, cbor2.dumps(["Signature1", b"", b"", cose[2]]))
    parsed = dcc(hc1(cose), trust)
    assert parsed.fields.signature is Signature.UNKNOWN_KEY
    assert "signature_header_unprotected" in parsed.problems
    # The kid protected, the algorithm only unprotected: no algorithm to verify with.
    cose = cose_sign1(signer, protected={4: signer.kid}, unprotected={1: -7})
    parsed = dcc(hc1(cose), trust)
    assert parsed.fields.signature is Signature.INVALID
    assert parsed.problems == ("signature_header_unprotected", "signature_invalid")


def test_expiry_and_issued_at() -> None:
    text = make()
    assert dcc(text, now=NOW).problems == ()
    exp = NOW + dt.timedelta(days=365)
    assert dcc(text, now=exp).problems == ()  # exp itself is still valid
    assert dcc(text, now=exp + dt.timedelta(seconds=1)).problems == ("expired",)
    iat = NOW - dt.timedelta(days=1)
    assert dcc(text, now=iat - dt.timedelta(minutes=4)).problems == ()  # clock skew allowed
    assert dcc(text, now=iat - dt.timedelta(minutes=6)).problems == ("not_yet_valid",)
    # A naive clock is taken as UTC.
    naive = (exp + dt.timedelta(seconds=1)).replace(tzinfo=None)
    assert dcc(text, now=naive).problems == ("expired",)
    # Another time zone is the same instant.
    plus7 = dt.timezone(dt.timedelta(hours=7))
    assert dcc(text, now=(exp + dt.timedelta(seconds=1)).astimezone(plus7)).problems == ("expired",)

    parsed = dcc(make(payload_claims=claims(exp=None)))
    assert parsed.kind is Kind.EU_DCC
    assert parsed.problems == ("dcc_no_expiry",)
    assert parsed.fields.expires_at is None
    for bad in ("2027-01-01", True, float("nan"), None):
        parsed = dcc(make(payload_claims=claims(exp=bad)))
        assert parsed.kind is Kind.EU_DCC
        assert parsed.fields.expires_at is None
        assert parsed.problems == ("dcc_no_expiry",), bad
    far = dcc(make(payload_claims=claims(exp=10**30)))  # a number, but past any datetime
    assert far.problems == ()
    assert far.fields.expires_at is None
    assert dcc(make(payload_claims=claims(exp=1.5e9))).fields.expires_at == "2017-07-14T02:40:00Z"
    assert dcc(make(payload_claims=claims(iat=None))).fields.issued_at is None


@pytest.mark.parametrize(
    ("dob", "expected", "problems"),
    [
        ("1998-02-26", "1998-02-26", ()),
        ("1998-02", "1998-02-**", ()),
        ("1998", "1998-**-**", ()),
        ("1998-02-26T00:00:00", "1998-02-26", ()),
        ("", None, ()),
        ("1998-02-30", None, ("dcc_bad_dob",)),
        ("26.02.1998", None, ("dcc_bad_dob",)),
        ("XXXX-XX-XX", None, ("dcc_bad_dob",)),
    ],
)
def test_birth_dates(dob: str, expected: str | None, problems: tuple[str, ...]) -> None:
    parsed = dcc(make(payload_claims=claims(hcert(dob=dob))))
    assert parsed.kind is Kind.EU_DCC
    assert parsed.fields.birth_date == expected
    assert parsed.problems == problems


def test_names_fallbacks_and_no_name() -> None:
    nam = {"fnt": "DOE<SMITH", "gnt": "JANE"}
    parsed = dcc(make(payload_claims=claims(hcert(nam=nam))))
    assert (parsed.fields.family_name, parsed.fields.given_name) == ("DOE<SMITH", "JANE")
    parsed = dcc(make(payload_claims=claims(hcert(nam={"fn": "Doe", "fnt": "DOE"}))))
    assert parsed.fields.given_name is None
    assert parsed.fields.full_name == "Doe"
    assert parsed.identity == Identity("dcc", "DOE||1990-04-02")
    # No standardised family name: nobody can be identified.
    parsed = dcc(make(payload_claims=claims(hcert(nam={"fn": "Doe", "gn": "Jane"}))))
    assert parsed.kind is Kind.UNKNOWN
    assert parsed.problems == ("dcc_no_name",)
    # Control characters (a bidi override) are dropped from names.
    nam = {"fn": "Doe\u202e", "gn": "Jane\x00", "fnt": "DOE", "gnt": "JANE"}
    parsed = dcc(make(payload_claims=claims(hcert(nam=nam))))
    assert (parsed.fields.family_name, parsed.fields.given_name) == ("Doe", "Jane")
    assert parsed.problems == ("control_chars",)
    # NFD names come out NFC (the Fields contract).
    nam = {"fn": unicodedata.normalize("NFD", "Nguyễn"), "fnt": "NGUYEN"}
    parsed = dcc(make(payload_claims=claims(hcert(nam=nam))))
    assert parsed.fields.family_name == "Nguyễn"


def test_schema_problems_still_decode() -> None:
    test_entry = [{"ci": "URN:UVCI:01:VN:T1", "tg": "840539006"}]
    parsed = dcc(make(payload_claims=claims(hcert(t=test_entry))))  # v and t
    assert parsed.kind is Kind.EU_DCC
    assert parsed.problems == ("dcc_schema",)
    assert parsed.fields.certificate_type is None
    parsed = dcc(make(payload_claims=claims(hcert(v=None))))  # none
    assert parsed.kind is Kind.EU_DCC
    assert parsed.problems == ("dcc_schema",)
    parsed = dcc(make(payload_claims=claims(hcert(v=None, r=[{"ci": "R1"}]))))
    assert (parsed.fields.certificate_type, parsed.fields.certificate_id) == ("recovery", "R1")
    parsed = dcc(make(payload_claims=claims(hcert(v=None, t=test_entry * 2))))
    assert parsed.fields.certificate_type == "test"
    assert parsed.fields.certificate_id is None
    assert parsed.problems == ("dcc_schema",)


def test_same_person_same_key_other_person_other_key() -> None:
    def key_of(text: str) -> str | None:
        return parse(text, keyer=KEYER, now=NOW).person_key

    vaccination = make(payload_claims=claims(hcert()))
    test_cert = hcert(v=None, t=[{"ci": "URN:UVCI:01:DE:T2", "tg": "840539006"}])
    test_cert["nam"] = {"fn": "NGUYEN", "gn": "VAN AN", "fnt": "NGUYEN<", "gnt": "VAN<AN"}
    recovery = make(rsa_signer(), alg=-37, payload_claims=claims(test_cert, iss="DE"))
    key = key_of(vaccination)
    assert key is not None and key.startswith("dcc2:")
    assert key_of(recovery) == key
    older = make(payload_claims=claims(hcert(dob="1990-04-03")))
    assert key_of(older) != key
    other = make(payload_claims=claims(hcert(nam={"fn": "Nguyễn", "fnt": "NGUYEN", "gnt": "AN"})))
    assert key_of(other) != key


# --- hostile inputs --------------------------------------------------------------------------


def _unknown(text: str) -> tuple[str, ...]:
    parsed = dcc(text)
    assert parsed.kind is Kind.UNKNOWN
    assert parsed.problems and all(DCC_PROBLEM.match(p) for p in parsed.problems)
    assert "dcc_internal" not in parsed.problems
    cred = parse(text, keyer=KEYER, now=NOW)
    assert isinstance(cred, Credential)
    assert cred.kind is Kind.UNKNOWN
    assert cred.person_key is None
    return parsed.problems


def test_prefix_alone_and_lower_case_prefix() -> None:
    assert _unknown("HC1:") == ("dcc_empty",)
    assert _unknown("hc1:") == ("dcc_empty",)
    signer = ec_signer()
    text = make(signer)
    for prefix in ("hc1:", "Hc1:"):
        parsed = dcc(prefix + text[4:], trust_of(signer))
        assert parsed.kind is Kind.EU_DCC
        assert parsed.fields.signature is Signature.VALID
    assert dcc("HC2:" + text[4:]).problems == ("dcc_prefix",)


def test_bad_base45() -> None:
    good = make()
    assert _unknown("HC1:" + good[4:].lower()) == ("dcc_base45",)
    assert _unknown("HC1:ABCD") == ("dcc_base45",)  # a dangling single character
    assert _unknown("HC1:::::") == ("dcc_base45",)  # ":::" is 91124 > 0xFFFF
    assert _unknown("HC1:::") == ("dcc_base45",)  # "::" is 2024 > 0xFF
    assert _unknown("HC1:AB#") == ("dcc_base45",)
    assert _unknown("HC1:ÄBC") == ("dcc_base45",)
    assert _unknown(good[:-1]) != ()  # truncated


def test_garbage_behind_valid_base45() -> None:
    for data in (b"\x00", b"garbage", bytes(range(256)), b"\x78\x9c" + b"\x00" * 20):
        _unknown("HC1:" + b45encode(data))
    assert _unknown("HC1:" + b45encode(zlib.compress(b"not cbor")[:-6])) == ("dcc_zlib",)
    assert _unknown("HC1:" + b45encode(zlib.compress(b"\x00"))) == ("dcc_cose",)
    assert _unknown("HC1:" + b45encode(zlib.compress(b"\xff"))) == ("dcc_cbor",)


def test_zlib_bombs() -> None:
    big = "HC1:" + b45encode(zlib.compress(b"\x00" * 10_000_000, 9))
    assert len(big) > 8192
    assert _unknown(big) == ("dcc_too_long",)
    assert parse(big, keyer=KEYER, now=NOW).problems == ("too_long",)
    # Small enough to pass the length cap, but inflating to 1 MB: stopped at the 64 KB cap.
    bomb = "HC1:" + b45encode(zlib.compress(b"\x00" * 1_000_000, 9))
    assert len(bomb) < 8192
    assert _unknown(bomb) == ("dcc_too_large",)


@pytest.fixture(params=["cbor2_max_depth", "own_depth_check"])
def depth_guard(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both nesting guards: cbor2's `max_depth` (5.9+) and the module's own pre-check, which
    is what runs with an older cbor2 (pyproject allows cbor2>=5.4)."""
    if request.param == "own_depth_check":
        monkeypatch.setattr(dcc_module, "_CBOR2_MAX_DEPTH", False)
    else:
        assert dcc_module._CBOR2_MAX_DEPTH, "this cbor2 should take max_depth"
    return str(request.param)


def test_deep_and_huge_cbor(depth_guard: str) -> None:
    nested = b"\x81" * 60_000 + b"\x00"  # under the 64 KB inflate cap
    assert _unknown("HC1:" + b45encode(zlib.compress(nested, 9))) == ("dcc_cbor",)
    assert _unknown("HC1:" + b45encode(b"\x81" * 2000 + b"\x00")) == ("dcc_cbor",)
    assert _unknown("HC1:" + b45encode(b"\xd2" * 2000 + b"\x00")) == ("dcc_cbor",)
    maps = b"\xa1\x01" * 20_000 + b"\x00"
    assert _unknown("HC1:" + b45encode(zlib.compress(maps, 9))) == ("dcc_cbor",)
    for data in (
        b"\x9b" + b"\xff" * 8,  # an array of 2**64-1 items
        b"\x5b" + b"\x7f" + b"\xff" * 7,  # a byte string of 2**63 bytes
        b"\xd8\x1c\xd2\xd8\x1d\x00",  # a tag that contains itself (shared reference)
        b"\xd8\x1c\x84\xd8\x1d\x00\xd8\x1d\x00\xd8\x1d\x00\xd8\x1d\x00",  # self-containing list
        b"\xc5\x82\x1b\x7f\xff\xff\xff\xff\xff\xff\xff\x01",  # bigfloat, huge exponent
        b"\x1f",  # reserved
        b"\xff",  # a stray break
    ):
        _unknown("HC1:" + b45encode(data))
    # Deep nesting inside an otherwise valid, correctly signed COSE payload.
    signer = ec_signer()
    cose = cose_sign1(signer, payload=b"\x81" * 5000 + b"\x00")
    assert _unknown(hc1(cose)) == ("dcc_cbor",)
    # ... and a good certificate still decodes with either guard.
    for tags in ((18,), (61, 18)):
        parsed = dcc(hc1(cose_sign1(signer), tags=tags), trust_of(signer))
        assert parsed.fields.signature is Signature.VALID


def test_own_depth_check() -> None:
    well_formed = dcc_module._well_formed
    assert well_formed(b"\x00", 1)
    assert well_formed(b"\x81" * 32 + b"\x00", 32)
    assert not well_formed(b"\x81" * 33 + b"\x00", 32)
    assert well_formed(b"\xd2" * 32 + b"\x00", 32)  # tags count as a level
    assert not well_formed(b"\xd2" * 33 + b"\x00", 32)
    assert well_formed(b"\x9f\x9f\xff\x80\xa0\xbf\x01\x02\xff\xff", 3)  # indefinite
    assert well_formed(b"\x7f\x61a\x62bc\xff", 2)  # indefinite text string
    assert well_formed(b"\xfb" + b"\x00" * 8, 1)  # a double
    for data in (b"", b"\x81", b"\x82\x00", b"\x5a\xff\xff\xff\xff", b"\xff", b"\x1c", b"\xdf"):
        assert not well_formed(data, 32), data
    assert well_formed(cbor2.dumps(cose_sign1(ec_signer())), 32)


def test_wrong_cose_and_cwt_structures() -> None:
    signer = ec_signer()
    good = cose_sign1(signer)
    assert _unknown(hc1(good[:3])) == ("dcc_cose",)
    assert _unknown(hc1({1: 2})) == ("dcc_cose",)
    assert _unknown(hc1([{1: -7}, {}, good[2], good[3]])) == ("dcc_cose",)  # protected: a map
    assert _unknown(hc1([good[0], [], good[2], good[3]])) == ("dcc_cose",)
    assert _unknown(hc1([good[0], {}, good[2], "sig"])) == ("dcc_cose",)
    assert _unknown(hc1([good[0], {}, None, good[3]])) == ("dcc_cose",)  # detached payload
    assert _unknown(hc1([cbor2.dumps([1]), {}, good[2], good[3]])) == ("dcc_cose",)
    assert _unknown(make(payload=cbor2.dumps([1, 2]))) == ("dcc_cwt",)
    assert _unknown(make(payload=b"\xff")) == ("dcc_cbor",)
    assert _unknown(make(payload_claims={1: "VN"})) == ("dcc_no_hcert",)
    assert _unknown(make(payload_claims={-260: {1: b"\x00"}})) == ("dcc_no_hcert",)
    assert _unknown(make(payload_claims={-260: "x"})) == ("dcc_no_hcert",)
    weird = claims(hcert(nam=["NGUYEN"], dob=7, v="x"))
    parsed = dcc(make(payload_claims=weird))
    assert parsed.kind is Kind.UNKNOWN and "dcc_no_name" in parsed.problems


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=600))
def test_any_text_after_prefix_never_raises(tail: str) -> None:
    cred = parse("HC1:" + tail, keyer=KEYER, now=NOW)
    assert isinstance(cred, Credential)
    assert "dcc_internal" not in cred.problems


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=B45, max_size=600))
def test_any_base45_never_raises(tail: str) -> None:
    parsed = dcc("HC1:" + tail, trust_of(ec_signer()))
    assert "dcc_internal" not in parsed.problems


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400), st.booleans())
def test_any_bytes_never_raise(data: bytes, compress: bool) -> None:
    text = "HC1:" + b45encode(zlib.compress(data) if compress else data)
    parsed = dcc(text, trust_of(ec_signer()))
    assert "dcc_internal" not in parsed.problems
    assert parsed.kind is Kind.UNKNOWN  # random bytes are never a certificate


@functools.cache
def fixed_certificate() -> str:
    return make()  # ECDSA signatures are randomised: make it once, for hypothesis


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_mutated_certificates_never_raise(data: st.DataObject) -> None:
    text = fixed_certificate()
    i = data.draw(st.integers(4, len(text) - 1))
    ch = data.draw(st.sampled_from(B45))
    parsed = dcc(text[:i] + ch + text[i + 1 :], trust_of(ec_signer()))
    assert "dcc_internal" not in parsed.problems


def test_a_4kb_signed_certificate_verifies() -> None:
    """Its parse time is measured by bench/parse.py."""
    # Incompressible filler so that the text really is 4 KB after zlib and base45.
    filler = b"".join(hashlib.sha256(bytes([i])).digest() for i in range(56)).hex()
    signer = rsa_signer(3072)
    text = make(signer, alg=-37, payload_claims=claims(hcert(xx=filler)))
    assert 4000 <= len(text) <= 4800
    assert dcc(text, trust_of(signer)).fields.signature is Signature.VALID


# --- trust lists -----------------------------------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def test_trust_list_file_round_trip(tmp_path: Path) -> None:
    es, ps = ec_signer(), rsa_signer()
    path = tmp_path / "trust.json"
    keys = [
        {"kid": _b64(es.kid), "certificate": _b64(es.der)},
        {"kid": _b64(ps.kid), "public_key": _b64(ps.spki), "country": "XX"},
    ]
    path.write_text(json.dumps({"version": "2026-06-01.1", "keys": keys}), encoding="utf-8")
    trust = TrustList.from_file(path)
    assert len(trust) == 2
    assert trust.version == "2026-06-01.1"
    assert es.kid in trust and ps.kid in trust
    assert dcc(make(es), trust).fields.signature is Signature.VALID
    assert dcc(make(ps, alg=-37), trust).fields.signature is Signature.VALID
    path.write_text(json.dumps({"version": 7, "keys": []}), encoding="utf-8")
    empty = TrustList.from_file(path)
    assert (len(empty), empty.version) == (0, "7")
    assert dcc(make(es), empty).fields.signature is Signature.UNKNOWN_KEY


def test_trust_list_is_immutable() -> None:
    trust = trust_of(ec_signer())
    with pytest.raises(AttributeError):
        trust._keys = {}
    with pytest.raises(AttributeError):
        trust.anything = 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe", "not UTF-8 JSON"),
        (b"{", "not UTF-8 JSON"),
        (b"[" * 100_000, "not UTF-8 JSON"),
        (b"[]", "must be a JSON object"),
        (b'{"keys": []}', '"version" must be a string or an integer'),
        (b'{"version": true, "keys": []}', '"version" must be a string or an integer'),
        (b'{"version": "1"}', '"keys" must be a list'),
        (b'{"version": "1", "keys": [1]}', "keys[0]: must be an object"),
        (b'{"version": "1", "keys": [{}]}', '"kid" is missing'),
        (b'{"version": "1", "keys": [{"kid": "***"}]}', '"kid" is not valid base64'),
        (b'{"version": "1", "keys": [{"kid": "AAAA"}]}', '"kid" must be 8 bytes, not 3'),
        (b'{"version": "1", "keys": [{"kid": "AAAAAAAAAAA="}]}', '"certificate" or "public_key"'),
        (
            b'{"version": "1", "keys": [{"kid": "AAAAAAAAAAA=", "certificate": "AAAA"}]}',
            "not a DER X.509 certificate",
        ),
        (
            b'{"version": "1", "keys": [{"kid": "AAAAAAAAAAA=", "public_key": "AAAA"}]}',
            "not a DER SubjectPublicKeyInfo",
        ),
        (
            b'{"version": "1", "keys": [{"kid": "AAAAAAAAAAA=", "public_key": 5}]}',
            '"public_key" must be a base64 string',
        ),
    ],
)
def test_trust_list_bad_file(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "trust.json"
    path.write_bytes(content)
    with pytest.raises(TrustListError, match=re.escape(message)) as info:
        TrustList.from_file(path)
    assert isinstance(info.value, ValueError)
    assert str(path) in str(info.value)


def test_trust_list_kid_must_match_certificate(tmp_path: Path) -> None:
    es = ec_signer()
    path = tmp_path / "trust.json"
    entry = {"kid": _b64(b"12345678"), "certificate": _b64(es.der)}
    path.write_text(json.dumps({"version": "1", "keys": [entry]}), encoding="utf-8")
    with pytest.raises(TrustListError, match="is not the certificate's kid"):
        TrustList.from_file(path)
    with pytest.raises(TrustListError, match="cannot read"):
        TrustList.from_file(tmp_path / "missing.json")
    with pytest.raises(TrustListError, match=r"not a DER X\.509 certificate"):
        TrustList.from_certificates([b"not a certificate"])


# --- upstream test vectors -------------------------------------------------------------------


def parse_clock(text: str) -> dt.datetime:
    """VALIDATIONCLOCK in any of its 9 shapes: `Z`, `+02:00`, `+0200`, no zone (UTC), and 0,
    3 or 6 decimal places."""
    m = re.fullmatch(
        r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?",
        text.strip(),
    )
    if not m:
        raise ValueError(f"unreadable VALIDATIONCLOCK {text!r}")
    year, month, day, hour, minute, second = (int(g) for g in m.groups()[:6])
    micro = int((m.group(7) or "0").ljust(6, "0")[:6])
    zone = m.group(8)
    tz = dt.UTC
    if zone and zone != "Z":
        sign = -1 if zone[0] == "-" else 1
        digits = zone[1:].replace(":", "")
        tz = dt.timezone(sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
    return dt.datetime(year, month, day, hour, minute, second, micro, tzinfo=tz)


def test_parse_clock_shapes() -> None:
    base = dt.datetime(2021, 6, 9, 13, 15, 34, tzinfo=dt.UTC)
    assert parse_clock("2021-06-09T13:15:34Z") == base
    assert parse_clock("2021-06-09T15:15:34+02:00") == base
    assert parse_clock("2021-06-09T15:15:34+0200") == base
    assert parse_clock("2021-06-09T13:15:34") == base
    assert parse_clock("2021-06-09T13:15:34+0000") == base
    assert parse_clock("2021-06-09T12:15:34.000-0100") == base
    assert parse_clock("2021-06-09T13:15:34.250Z") == base + dt.timedelta(milliseconds=250)
    assert parse_clock("2021-06-09T16:15:34.085231+03:00") == base + dt.timedelta(
        microseconds=85231
    )


def _upstream_files() -> list[Path]:
    return sorted(UPSTREAM.glob("**/*.json")) if UPSTREAM.is_dir() else []


def _name(path: Path) -> str:
    return path.relative_to(UPSTREAM).as_posix()


# ES 401-403: the header says ES256 but the DSC key is P-384 (96-byte signature). Upstream
# expects "verified"; a strict ES256 verifier must reject it, and we do (dgc-testdata issue
# 228, listed in known_issues.csv). We assert our strict result: INVALID.
STRICT_ES256_REJECTS = {f"ES/2DCode/raw/{n}.json" for n in (401, 402, 403)}
# PL/1.3.0 1 and 5: the test's JSON is another person's certificate (Akdi Omar) while its
# PREFIX, COSE and CBOR fields all hold Rogaliński-Król Stanisław: upstream data that
# contradicts itself. We assert agreement with the test's own CBOR field instead.
JSON_OF_ANOTHER_CERTIFICATE = {"PL/1.3.0/2DCode/raw/1.json", "PL/1.3.0/2DCode/raw/5.json"}
# The kid (and in CO20 the algorithm too) only in the unprotected header, which the signature
# does not cover. Upstream expects them verified (the hcert spec's fallback; DE's reference
# certificates are built that way, as Germany's were in 2021). We deliberately read both from
# the protected header only (kiosk/formats/dcc.py says why), so these come out "not verified"
# (signature_unknown_key with signature_header_unprotected): the kiosk refers them, never admits or
# denies them as verified. We assert that result.
PROTECTED_HEADER_ONLY = {"common/2DCode/raw/CO19.json", "common/2DCode/raw/CO20.json"} | {
    f"DE/2DCode/raw/{n}.json" for n in (1, 2, 3, 4)
}
# IS/3: the DSC's extended key usage holds only an ICAO OID (2.23.136.1.1.14.2), no DCC type
# OID. Upstream's harness then allows nothing; we follow the EU verifier apps (an EKU without
# any DCC OID restricts nothing), which the README of the test data describes as the other
# reading. ES 1001-2103 carry only TLS/e-mail OIDs and verify under either rule's absence of
# an expectation.
EKU_WITHOUT_DCC_OID = {"IS/2DCode/raw/3.json"}
CHECKS = (
    "EXPECTEDVERIFY",
    "EXPECTEDDECODE",
    "EXPECTEDVALIDJSON",
    "EXPECTEDEXPIRATIONCHECK",
    "EXPECTEDUNPREFIX",
    "EXPECTEDB45DECODE",
    "EXPECTEDKEYUSAGE",
)
DSC_PROBLEM = re.compile(r"^dsc_")


def _signature_verifies(cred: Credential) -> bool:
    """Upstream's EXPECTEDVERIFY is the COSE signature alone: ours is VALID, or INVALID only
    because its signer does not vouch for the certificate (a `dsc_*` reason, not forged)."""
    signature = cred.fields.signature
    return signature is Signature.VALID or (
        signature is Signature.INVALID and any(DSC_PROBLEM.match(p) for p in cred.problems)
    )


def _clean(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    return unicodedata.normalize("NFC", value).strip() or None


def _padded_dob(dob: str) -> str | None:
    parts = dob[:10].split("-") if dob else []
    if not parts:
        return None
    return "-".join(parts + ["**"] * (3 - len(parts)))


def _matches_hcert(cred: Credential, cert: dict[str, Any]) -> bool:
    """Our fields against an HCERT (the test's JSON): names, birth date, certificate id."""
    nam = cert.get("nam", {})
    f = cred.fields
    kinds = [
        (t, k) for k, t in (("v", "vaccination"), ("t", "test"), ("r", "recovery")) if k in cert
    ]
    ci = None
    if len(kinds) == 1 and len(cert[kinds[0][1]]) == 1:
        ci = cert[kinds[0][1]][0].get("ci")
    return (
        f.family_name == (_clean(nam.get("fn")) or _clean(nam.get("fnt")))
        and f.given_name == (_clean(nam.get("gn")) or _clean(nam.get("gnt")))
        and f.birth_date == _padded_dob(cert.get("dob", ""))
        and f.certificate_id == ci
        and f.certificate_type == (kinds[0][0] if len(kinds) == 1 else None)
    )


def _cbor_field_hcert(case: dict[str, Any]) -> dict[str, Any]:
    """The HCERT in the test's CBOR field (upstream stores either the claims or the HCERT)."""
    value = cbor2.loads(bytes.fromhex(case["CBOR"]))
    cert: dict[str, Any] = value[-260][1] if -260 in value else value
    return cert


@dataclass(frozen=True)
class Outcome:
    name: str
    case: dict[str, Any]
    cred: Credential
    # check -> (expected, what we got)
    verdicts: dict[str, tuple[bool, bool]]


@functools.cache
def _outcome(path: Path) -> Outcome:
    case = json.loads(path.read_text(encoding="utf-8"))
    ctx = case["TESTCTX"]
    expected = case.get("EXPECTEDRESULTS", {})
    trust = TrustList.from_certificates([base64.b64decode(ctx["CERTIFICATE"])])
    cred = parse(case["PREFIX"], keyer=KEYER, trust=trust, now=parse_clock(ctx["VALIDATIONCLOCK"]))
    decoded = cred.kind is Kind.EU_DCC and not any(DCC_PROBLEM.match(p) for p in cred.problems)
    as_dcc = cred.kind is Kind.EU_DCC or any(DCC_PROBLEM.match(p) for p in cred.problems)
    got = {
        "EXPECTEDVERIFY": _signature_verifies(cred),
        "EXPECTEDKEYUSAGE": "dsc_wrong_type" not in cred.problems,
        "EXPECTEDDECODE": decoded and ("JSON" not in case or _matches_hcert(cred, case["JSON"])),
        "EXPECTEDEXPIRATIONCHECK": cred.kind is Kind.EU_DCC
        and not {"expired", "not_yet_valid"} & set(cred.problems),
        "EXPECTEDUNPREFIX": as_dcc,
        "EXPECTEDB45DECODE": as_dcc and "dcc_base45" not in cred.problems,
    }
    got["EXPECTEDVALIDJSON"] = got["EXPECTEDDECODE"]
    verdicts = {k: (expected[k], got[k]) for k in CHECKS if isinstance(expected.get(k), bool)}
    return Outcome(_name(path), case, cred, verdicts)


@needs_testdata
@pytest.mark.parametrize("path", _upstream_files(), ids=_name)
def test_upstream_vector(path: Path) -> None:
    out = _outcome(path)
    assert "dcc_internal" not in out.cred.problems
    for check, (expected, got) in out.verdicts.items():
        if check == "EXPECTEDVERIFY" and out.name in STRICT_ES256_REJECTS:
            # Known upstream issue (see STRICT_ES256_REJECTS): expected True, we reject.
            assert expected is True
            assert out.cred.fields.signature is Signature.INVALID
            assert "signature_invalid" in out.cred.problems
            continue
        if check == "EXPECTEDVERIFY" and out.name in PROTECTED_HEADER_ONLY:
            # Deliberate deviation (see PROTECTED_HEADER_ONLY): expected True, not verified.
            assert expected is True
            assert out.cred.fields.signature is Signature.UNKNOWN_KEY
            problems = set(out.cred.problems)
            assert {"signature_header_unprotected", "signature_unknown_key"} <= problems
            continue
        if check == "EXPECTEDKEYUSAGE" and out.name in EKU_WITHOUT_DCC_OID:
            # Deliberate deviation (see EKU_WITHOUT_DCC_OID): expected False, allowed.
            assert expected is False
            assert out.cred.fields.signature is Signature.VALID
            continue
        if check in ("EXPECTEDDECODE", "EXPECTEDVALIDJSON") and out.name in (
            JSON_OF_ANOTHER_CERTIFICATE
        ):
            assert expected is True and got is False
            assert _matches_hcert(out.cred, _cbor_field_hcert(out.case))
            continue
        assert got == expected, f"{out.name}: {check} expected {expected}, got {got}: {out.cred}"


@needs_testdata
def test_upstream_agreement_summary() -> None:
    agree: Counter[str] = Counter()
    total: Counter[str] = Counter()
    folders: dict[str, Counter[str]] = {}
    disagreements = []
    for path in _upstream_files():
        out = _outcome(path)
        folder = out.name.split("/")[0]
        for check, (expected, got) in out.verdicts.items():
            total[check] += 1
            folder_count = folders.setdefault(folder, Counter())
            if check == "EXPECTEDVERIFY":
                folder_count["total"] += 1
            if expected == got:
                agree[check] += 1
                if check == "EXPECTEDVERIFY":
                    folder_count["agree"] += 1
            else:
                disagreements.append(f"{out.name} {check}")
    lines = [f"{check}: {agree[check]}/{total[check]}" for check in CHECKS]
    lines.append(
        "EXPECTEDVERIFY by folder: "
        + ", ".join(f"{k} {v['agree']}/{v['total']}" for k, v in sorted(folders.items()))
    )
    lines.append("disagreements: " + ", ".join(disagreements))
    summary = "\n".join(lines)
    print("\nUpstream EU DCC test vectors, agreement with EXPECTEDRESULTS:\n" + summary)
    assert total["EXPECTEDVERIFY"] == 158, summary
    assert agree["EXPECTEDVERIFY"] >= 149, summary  # 158 - 3 strict ES256 - 6 protected-only
    assert agree["EXPECTEDEXPIRATIONCHECK"] == total["EXPECTEDEXPIRATIONCHECK"] == 115, summary
    assert agree["EXPECTEDDECODE"] >= total["EXPECTEDDECODE"] - 2, summary
    assert agree["EXPECTEDVALIDJSON"] >= total["EXPECTEDVALIDJSON"] - 2, summary
    assert agree["EXPECTEDKEYUSAGE"] >= total["EXPECTEDKEYUSAGE"] - 1, summary
    allowed = (
        {f"{n} EXPECTEDVERIFY" for n in STRICT_ES256_REJECTS | PROTECTED_HEADER_ONLY}
        | {f"{n} {c}" for n in JSON_OF_ANOTHER_CERTIFICATE for c in CHECKS[1:3]}
        | {f"{n} EXPECTEDKEYUSAGE" for n in EKU_WITHOUT_DCC_OID}
    )
    assert set(disagreements) <= allowed, summary


@needs_testdata
def test_upstream_special_cases() -> None:
    def outcome(name: str) -> Outcome:
        return _outcome(UPSTREAM / name)

    # Z2: an uncompressed COSE_Sign1 behind the prefix decodes and verifies.
    z2 = outcome("common/2DCode/raw/Z2.json").cred
    assert z2.kind is Kind.EU_DCC and z2.fields.signature is Signature.VALID
    # Z1: neither zlib nor COSE.
    assert outcome("common/2DCode/raw/Z1.json").cred.kind is Kind.UNKNOWN
    # CO28: CWT tag 61 around tag 18.
    assert outcome("common/2DCode/raw/CO28.json").cred.fields.signature is Signature.VALID
    # DGC1 (no v/t/r, and an empty nam) and DGC2 (all of v, t and r).
    dgc1 = outcome("common/2DCode/raw/DGC1.json").cred
    assert dgc1.kind is Kind.UNKNOWN and dgc1.problems == ("dcc_schema", "dcc_no_name")
    dgc2 = outcome("common/2DCode/raw/DGC2.json").cred
    assert dgc2.kind is Kind.EU_DCC and dgc2.problems == ("dcc_schema",)
    # FI: the DSC's extensions make `cryptography` raise, its key still verifies.
    for path in sorted((UPSTREAM / "FI").glob("**/*.json")):
        assert _outcome(path).cred.fields.signature is Signature.VALID, path
    # PL 6: signed by another DSC than the one given: the kid is not in the trust list.
    pl6 = outcome("PL/1.3.0/2DCode/raw/6.json").cred
    assert pl6.fields.signature is Signature.UNKNOWN_KEY
    # Non-ASCII names come through exactly (UA Cyrillic, IS Icelandic, LT Lithuanian).
    for folder in ("UA", "IS", "LT"):
        for path in sorted((UPSTREAM / folder).glob("**/*.json")):
            out = _outcome(path)
            if "JSON" in out.case and out.cred.kind is Kind.EU_DCC:
                assert _matches_hcert(out.cred, out.case["JSON"]), out.name


@needs_testdata
def test_upstream_vectors_with_own_depth_check(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fallback nesting check (for cbor2 < 5.9) rejects none of the upstream vectors."""
    monkeypatch.setattr(dcc_module, "_CBOR2_MAX_DEPTH", False)
    for path in _upstream_files():
        before = _outcome(path)
        ctx = before.case["TESTCTX"]
        trust = TrustList.from_certificates([base64.b64decode(ctx["CERTIFICATE"])])
        now = parse_clock(ctx["VALIDATIONCLOCK"])
        assert parse(before.case["PREFIX"], keyer=KEYER, trust=trust, now=now) == before.cred


@needs_testdata
def test_upstream_same_person_same_key() -> None:
    # PL/1.3.0: a vaccination (1) and a test (5) certificate of the same person, different ci.
    vaccination = _outcome(UPSTREAM / "PL/1.3.0/2DCode/raw/1.json").cred
    test_cert = _outcome(UPSTREAM / "PL/1.3.0/2DCode/raw/5.json").cred
    assert vaccination.fields.certificate_type == "vaccination"
    assert test_cert.fields.certificate_type == "test"
    assert vaccination.fields.certificate_id != test_cert.fields.certificate_id
    assert vaccination.person_key is not None and vaccination.person_key.startswith("dcc2:")
    assert vaccination.person_key == test_cert.person_key
    assert vaccination.display_name == "R. Stanisław"
    # Different people in the same folder get different keys.
    keys = {
        (o.cred.fields.family_name, o.cred.fields.birth_date): o.cred.person_key
        for o in map(_outcome, sorted((UPSTREAM / "FR").glob("**/*.json")))
        if o.cred.kind is Kind.EU_DCC
    }
    assert len(set(keys.values())) == len(keys) > 3


# --- Vietnam's test certificate --------------------------------------------------------------


@pytest.mark.skipif(not VN_PNG.is_file(), reason=f"Vietnam's DCC test QR not found at {VN_PNG}")
def test_vietnam_certificate() -> None:
    cv2 = pytest.importorskip("cv2")
    zxingcpp = pytest.importorskip("zxingcpp")
    image = cv2.imread(str(VN_PNG))
    assert image is not None
    results = zxingcpp.read_barcodes(image)
    assert len(results) == 1
    text = results[0].text
    assert text.startswith("HC1:") and len(text) == 825

    # Independent decode of the names as CBOR holds them.
    cose = cbor2.loads(zlib.decompress(b45decode(text[4:])))
    assert cose.tag == 18
    nam = cbor2.loads(cose.value[2])[-260][1]["nam"]

    now = dt.datetime(2026, 11, 25, tzinfo=dt.UTC)
    parsed = parse_dcc(text, trust=TrustList.from_certificates([]), now=now)
    f = parsed.fields
    assert parsed.kind is Kind.EU_DCC
    assert f.issuer_country == "VN"
    assert f.key_id == "f30da46716f7882d"
    assert f.signature is Signature.UNKNOWN_KEY
    assert parsed.problems == ("signature_unknown_key", "expired")
    assert f.family_name == nam["fn"] == "Nguyễn"
    assert f.given_name == nam["gn"] == "Bảo Duy"
    assert f.full_name == "Nguyễn Bảo Duy"
    assert f.birth_date == "1983-10-10"
    assert f.certificate_type == "vaccination"
    assert f.certificate_id == "URN:UVCI:01:VN:FFFE3D31FABD035899134A9D3BAE9BCF"
    assert f.issued_at == "2022-04-14T15:38:07Z"
    assert f.expires_at == "2025-01-30T00:00:00Z"
    assert parsed.identity == Identity("dcc", "NGUYEN|BAO<DUY|1983-10-10")

    unchecked = parse_dcc(text, trust=None, now=now)
    assert unchecked.fields.signature is Signature.NOT_CHECKED
    assert unchecked.problems == ("expired",)
    still_valid = parse_dcc(text, trust=None, now=dt.datetime(2024, 1, 1, tzinfo=dt.UTC))
    assert still_valid.problems == ()

    cred = parse(text, keyer=KEYER, now=now)
    assert cred.kind is Kind.EU_DCC
    assert cred.person_key is not None and cred.person_key.startswith("dcc2:")
    assert cred.person_key == KEYER.key(Identity("dcc", "NGUYEN|BAO<DUY|1983-10-10"))
    assert cred.display_name == "N. B. Duy"
    assert cred.to_json()["fields"]["signature"] == "not_checked"
