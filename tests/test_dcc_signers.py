"""EU DCC signer certificates (issue #13): a DSC vouches only for what it may sign.

Certificates are made here with `cryptography`'s x509 builder: country signing CAs (CSCA),
DSCs issued by them with validity periods and DCC extended key usages, and HCERTs signed by
those DSCs. Each test plays one attack from the issue (a DSC that expired in 2021 signing a
2022 vaccination, a test-only DSC signing a vaccination, a DSC slipped into the trust list
without its country's CSCA, a certificate without expiry) and checks what the guard sees.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509 import ExtendedKeyUsage as EKU
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from checkpoint_common.trustlist import Signer, TrustList, TrustListError, eku_from_der
from kiosk.clock import Instant
from kiosk.config import Settings
from kiosk.credentials import Credential, Kind, PersonKeyer, Signature
from kiosk.events import Reason, Verdict
from kiosk.formats import parse
from kiosk.policy import GateState, decide
from tests.test_dcc import UPSTREAM, claims, cose_sign1, hc1, hcert, needs_testdata
from tests.test_dcc import Signer as CoseSigner

UTC = dt.UTC
KEYER = PersonKeyer(b"0" * 16)
NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
TEST_OID, VACCINATION_OID, RECOVERY_OID = (
    x509.ObjectIdentifier(f"1.3.6.1.4.1.1847.2021.1.{n}") for n in (1, 2, 3)
)
OLD_VACCINATION_OID = x509.ObjectIdentifier("1.3.6.1.4.1.0.1847.2021.1.2")


def _name(common_name: str, country: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, country),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


@dataclass(frozen=True)
class Authority:
    key: ec.EllipticCurvePrivateKey
    certificate: x509.Certificate

    @property
    def der(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.DER)


def make_csca(country: str = "VN") -> Authority:
    key = ec.generate_private_key(ec.SECP256R1())
    name = _name(f"CSCA {country}", country)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(dt.datetime(2020, 1, 1, tzinfo=UTC))
        .not_valid_after(dt.datetime(2035, 1, 1, tzinfo=UTC))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(key, hashes.SHA256())
    )
    return Authority(key, certificate)


@dataclass(frozen=True)
class Dsc:
    key: ec.EllipticCurvePrivateKey
    der: bytes

    @property
    def kid(self) -> bytes:
        return hashlib.sha256(self.der).digest()[:8]


def make_dsc(
    *,
    issuer: Authority | None = None,
    country: str = "VN",
    not_before: dt.datetime = dt.datetime(2021, 1, 1, tzinfo=UTC),
    not_after: dt.datetime = dt.datetime(2030, 1, 1, tzinfo=UTC),
    usages: list[x509.ObjectIdentifier] | None = None,
) -> Dsc:
    """A DSC, issued by `issuer` (else self-signed), with an EKU extension when `usages` is
    given (an empty list makes none: see `test_an_eku_without_dcc_oids_restricts_nothing`)."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = _name(f"DSC {country}", country)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.certificate.subject if issuer else subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
    )
    if usages:
        builder = builder.add_extension(x509.ExtendedKeyUsage(usages), critical=False)
    certificate = builder.sign(issuer.key if issuer else key, hashes.SHA256())
    return Dsc(key, certificate.public_bytes(serialization.Encoding.DER))


def certificate(
    dsc: Dsc, *, kind: str = "v", issued: dt.datetime = NOW - dt.timedelta(days=1), **changes: Any
) -> str:
    """An HC1 text of type `kind` ("v", "t", "r") issued at `issued`, signed by `dsc`."""
    entry = {"ci": "URN:UVCI:01:VN:SIGNERS", "tg": "840539006", "co": "VN"}
    cert = hcert(**{"v": None, kind: [entry]})
    payload = claims(cert, **({"iat": int(issued.timestamp())} | changes))
    return hc1(cose_sign1(CoseSigner(dsc.key, dsc.der), payload))


def scan(text: str, trust: TrustList, now: dt.datetime = NOW) -> Credential:
    return parse(text, keyer=KEYER, trust=trust, now=now)


def verdict(credential: Credential, **settings: Any) -> tuple[Verdict, Reason]:
    instant = Instant(utc=NOW, mono_ns=0, boot_id="boot", synced=True)
    state = GateState(occupancy=0, inside=False, last_event=None, status=None, status_list_age=None)
    decision = decide(credential, state, Settings(**settings), instant)
    return decision.verdict, decision.reason


def trust_file(tmp_path: Path, content: dict[str, Any]) -> TrustList:
    path = tmp_path / "trust_list.json"
    path.write_text(json.dumps(content), encoding="utf-8")
    return TrustList.from_file(path)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


# --- validity of the DSC at the certificate's issue time --------------------------------------


def test_a_dsc_that_expired_in_2021_does_not_vouch_for_a_2022_vaccination() -> None:
    dsc = make_dsc(not_after=dt.datetime(2021, 12, 31, tzinfo=UTC))
    trust = TrustList.from_certificates([dsc.der])
    # Issued in 2021, while the DSC was valid: verified (certificates outlive their DSC).
    in_time = scan(certificate(dsc, issued=dt.datetime(2021, 6, 1, tzinfo=UTC)), trust)
    assert in_time.fields.signature is Signature.VALID
    assert verdict(in_time) == (Verdict.ADMIT, Reason.ENTRY)
    # Issued in 2022 under the expired DSC: the signature verifies, the signer does not vouch.
    late = scan(certificate(dsc, issued=dt.datetime(2022, 3, 1, tzinfo=UTC)), trust)
    assert late.fields.signature is Signature.INVALID
    assert "dsc_expired_at_issue" in late.problems
    assert "signature_invalid" not in late.problems
    # What the guard sees: not allowed in, "the certificate's signature is not valid", even
    # at a site that admits certificates it cannot verify.
    assert verdict(late) == (Verdict.DENY, Reason.DCC_SIGNATURE_INVALID)
    assert verdict(late, dcc_unverified_action="admit") == (
        Verdict.DENY,
        Reason.DCC_SIGNATURE_INVALID,
    )


def test_a_certificate_issued_before_its_dsc_or_without_issue_time() -> None:
    dsc = make_dsc(not_before=dt.datetime(2022, 1, 1, tzinfo=UTC))
    trust = TrustList.from_certificates([dsc.der])
    early = scan(certificate(dsc, issued=dt.datetime(2021, 12, 1, tzinfo=UTC)), trust)
    assert early.fields.signature is Signature.INVALID
    assert "dsc_not_yet_valid_at_issue" in early.problems
    # No iat (mandatory in a DCC): the DSC's validity cannot be judged, so it does not vouch.
    text = certificate(dsc, iat=None)
    assert "dsc_no_issue_time" in scan(text, trust).problems
    # A bare public key in the trust list has no dates: nothing to judge, as before.
    spki = dsc.key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    bare = TrustList([(dsc.kid, serialization.load_der_public_key(spki))])  # type: ignore[list-item]
    assert scan(text, bare).fields.signature is Signature.VALID


# --- extended key usage ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("usages", "kind", "allowed"),
    [
        ([TEST_OID], "t", True),
        ([TEST_OID], "v", False),  # the issue's case: a test-only DSC signing a vaccination
        ([TEST_OID], "r", False),
        ([VACCINATION_OID], "v", True),
        ([OLD_VACCINATION_OID], "v", True),  # the older OID family
        ([OLD_VACCINATION_OID], "t", False),
        ([RECOVERY_OID, TEST_OID], "r", True),
        ([RECOVERY_OID, TEST_OID], "v", False),
        (None, "v", True),  # no EKU extension: every type
        ([ExtendedKeyUsageOID.CLIENT_AUTH], "v", True),  # no DCC OID: every type (EU apps)
    ],
)
def test_the_extended_key_usage_limits_the_certificate_types(
    usages: list[x509.ObjectIdentifier] | None, kind: str, allowed: bool
) -> None:
    dsc = make_dsc(usages=usages)
    credential = scan(certificate(dsc, kind=kind), TrustList.from_certificates([dsc.der]))
    if allowed:
        assert credential.fields.signature is Signature.VALID, credential.problems
        assert verdict(credential) == (Verdict.ADMIT, Reason.ENTRY)
    else:
        assert credential.fields.signature is Signature.INVALID
        assert "dsc_wrong_type" in credential.problems
        assert verdict(credential) == (Verdict.DENY, Reason.DCC_SIGNATURE_INVALID)


def test_one_kid_two_entries_the_one_that_vouches_wins() -> None:
    # One DSC key listed twice (say a test-only certificate and its renewal for
    # vaccinations): a vaccination verifies through the entry that allows it, and only then.
    dsc = make_dsc(usages=[TEST_OID])
    entries: list[tuple[bytes, Signer]] = [
        (dsc.kid, Signer(dsc.key.public_key(), types=frozenset({"test"}))),
        (dsc.kid, Signer(dsc.key.public_key(), types=frozenset({"vaccination"}))),
    ]
    assert scan(certificate(dsc, kind="v"), TrustList(entries)).fields.signature is (
        Signature.VALID
    )
    only_test = TrustList(entries[:1])
    assert "dsc_wrong_type" in scan(certificate(dsc, kind="v"), only_test).problems


def _eku_value(dsc: Dsc) -> int:
    """Where the EKU extension's value (SEQUENCE of OIDs) starts in the DSC's DER."""
    encoded = x509.ExtendedKeyUsage([TEST_OID]).public_bytes()
    assert dsc.der.count(encoded) == 1
    return dsc.der.index(encoded)


def _shrink_lengths(der: bytes, position: int, by: int) -> bytes:
    """Shrink by `by` the length of every DER item that encloses `position` (the certificate,
    the TBS, the [3] wrapper, the extension list, the extension, its OCTET STRING)."""
    out = bytearray(der)
    pos, end = 0, len(out)
    while pos < end:
        tag, first = out[pos], out[pos + 1]
        count = first & 0x7F if first & 0x80 else 0
        length = int.from_bytes(out[pos + 2 : pos + 2 + count], "big") if count else first
        start = pos + 2 + count
        stop = start + length
        if not start <= position < stop:
            pos = stop
            continue
        if count:
            out[pos + 2 : pos + 2 + count] = (length - by).to_bytes(count, "big")
        else:
            out[pos + 1] = length - by
        if not tag & 0x20:  # primitive: the innermost item
            break
        pos, end = start, stop - by
    return bytes(out)


def test_extensions_that_cryptography_refuses_are_read_by_the_der_walker() -> None:
    # The walker agrees with `cryptography` where both read (all upstream DSCs: below).
    for usages in (None, [TEST_OID], [RECOVERY_OID, ExtendedKeyUsageOID.CLIENT_AUTH]):
        dsc = make_dsc(usages=usages)
        expected = [oid.dotted_string for oid in usages] if usages else None
        assert eku_from_der(dsc.der) == expected
    # An empty EKU SEQUENCE, as upstream common/CO15 has: `cryptography` refuses the whole
    # extension list; the walker reads "no OID", which restricts nothing (CO15: allowed).
    dsc = make_dsc(usages=[TEST_OID])
    at = _eku_value(dsc)
    cut = len(x509.ExtendedKeyUsage([TEST_OID]).public_bytes()) - 2
    body = dsc.der[:at] + b"\x30\x00" + dsc.der[at + 2 + cut :]
    empty = _shrink_lengths(body, at, cut)
    with pytest.raises(ValueError):
        _ = x509.load_der_x509_certificate(empty).extensions
    assert eku_from_der(empty) == []
    kid = hashlib.sha256(empty).digest()[:8]
    signer = TrustList.from_certificates([empty]).signers_for(kid)[0]
    assert (signer.types, signer.problem) == (None, None)
    # Not an OID where one must be: neither can read it, and the DSC vouches for nothing.
    broken = dsc.der[: at + 2] + b"\x04" + dsc.der[at + 3 :]
    with pytest.raises(ValueError):
        eku_from_der(broken)
    kid = hashlib.sha256(broken).digest()[:8]
    trust = TrustList.from_certificates([broken])
    assert trust.unusable == ((kid.hex(), "dsc_key_usage_unreadable"),)
    signer = trust.signers_for(kid)[0]
    assert signer.refusal({"test"}, NOW.timestamp()) == "dsc_key_usage_unreadable"


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\x30",
        b"\x30\x82\xff\xff",
        b"\x30\x03\x02\x01\x00",
        b"\x1f\x00",
        b"\x30\x85" + b"\x00" * 8,
    ],
)
def test_the_der_walker_refuses_what_it_cannot_walk(data: bytes) -> None:
    with pytest.raises(ValueError):
        eku_from_der(data)


# --- country signing CAs --------------------------------------------------------------------


def test_with_cscas_a_dsc_counts_only_if_its_country_csca_issued_it(tmp_path: Path) -> None:
    vn, de = make_csca("VN"), make_csca("DE")
    good = make_dsc(issuer=vn, country="VN")
    rogue = make_dsc(country="VN")  # self-signed: slipped into the list without the CSCA
    foreign = make_dsc(issuer=de, country="VN")  # says VN, issued by DE's CSCA
    content = {
        "version": 3,
        "keys": [{"kid": _b64(d.kid), "certificate": _b64(d.der)} for d in (good, rogue, foreign)],
        "cscas": [
            {"country": "VN", "certificate": _b64(vn.der)},
            {"country": "DE", "certificate": _b64(de.der)},
        ],
    }
    trust = trust_file(tmp_path, content)
    assert scan(certificate(good), trust).fields.signature is Signature.VALID
    for dsc in (rogue, foreign):
        credential = scan(certificate(dsc), trust)
        assert credential.fields.signature is Signature.INVALID
        assert "dsc_not_chained" in credential.problems
        assert verdict(credential) == (Verdict.DENY, Reason.DCC_SIGNATURE_INVALID)
    assert {kid for kid, _ in trust.unusable} == {rogue.kid.hex(), foreign.kid.hex()}
    # The entry's "country" names the CSCA to chain to; a DSC whose subject says otherwise
    # does not chain under another country's name.
    content["keys"] = [
        {"kid": _b64(foreign.kid), "certificate": _b64(foreign.der), "country": "DE"}
    ]
    assert "dsc_not_chained" in scan(certificate(foreign), trust_file(tmp_path, content)).problems
    # A bare public key cannot show a chain: with CSCAs it vouches for nothing.
    spki = good.key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    content["keys"] = [{"kid": _b64(good.kid), "public_key": _b64(spki)}]
    assert "dsc_not_chained" in scan(certificate(good), trust_file(tmp_path, content)).problems
    # Without "cscas" (the format before issue #13) nothing is chained: the rogue verifies.
    legacy = {"version": 3, "keys": [{"kid": _b64(rogue.kid), "certificate": _b64(rogue.der)}]}
    assert scan(certificate(rogue), trust_file(tmp_path, legacy)).fields.signature is (
        Signature.VALID
    )
    # from_certificates takes CSCAs too.
    chained = TrustList.from_certificates([good.der, rogue.der], cscas=[("vn", vn.der)])
    assert chained.unusable == ((rogue.kid.hex(), "dsc_not_chained"),)


@pytest.mark.parametrize(
    ("cscas", "message"),
    [
        ("VN", '"cscas" must be a list'),
        ([1], r"cscas\[0\]: must be an object"),
        ([{"country": "VN"}], '"certificate" is missing'),
        ([{"certificate": "AAAA"}], '"country" must be a country code'),
        ([{"country": "V N", "certificate": "AAAA"}], '"country" must be a country code'),
        ([{"country": "VN", "certificate": "AAAA"}], "not a DER X.509 certificate"),
    ],
)
def test_a_bad_csca_list_is_refused_whole(tmp_path: Path, cscas: Any, message: str) -> None:
    with pytest.raises(TrustListError, match=message):
        trust_file(tmp_path, {"version": 1, "keys": [], "cscas": cscas})


def test_a_key_entry_with_a_bad_country_is_refused(tmp_path: Path) -> None:
    dsc = make_dsc()
    entry = {"kid": _b64(dsc.kid), "certificate": _b64(dsc.der), "country": 7}
    with pytest.raises(TrustListError, match=r"keys\[0\]: \"country\""):
        trust_file(tmp_path, {"version": 1, "keys": [entry]})


# --- a certificate without expiry -------------------------------------------------------------


def test_a_correctly_signed_certificate_without_expiry_is_referred() -> None:
    dsc = make_dsc(usages=[VACCINATION_OID])
    credential = scan(certificate(dsc, exp=None), TrustList.from_certificates([dsc.der]))
    assert credential.kind is Kind.EU_DCC
    assert credential.fields.signature is Signature.VALID
    assert credential.problems == ("dcc_no_expiry",)
    assert verdict(credential) == (Verdict.REFER, Reason.DCC_NO_EXPIRY)
    # A site that admits certificates it cannot verify still refers one without expiry.
    assert verdict(credential, dcc_unverified_action="admit") == (
        Verdict.REFER,
        Reason.DCC_NO_EXPIRY,
    )


@needs_testdata
def test_the_der_walker_agrees_with_cryptography_on_every_upstream_dsc() -> None:
    agreed = read_by_walker_only = 0
    for path in sorted(UPSTREAM.glob("**/*.json")):
        der = base64.b64decode(json.loads(path.read_text("utf-8"))["TESTCTX"]["CERTIFICATE"])
        walked = eku_from_der(der)
        try:
            extensions = x509.load_der_x509_certificate(der).extensions
        except ValueError:
            # FI (an encoded DEFAULT) and common/CO15 (an empty EKU): only the walker reads them.
            read_by_walker_only += 1
            assert walked is not None, path
            continue
        try:
            oids = [o.dotted_string for o in extensions.get_extension_for_class(EKU).value]
        except x509.ExtensionNotFound:
            oids = None
        assert walked == oids, path
        agreed += 1
    assert (agreed, read_by_walker_only) == (173, 11)
