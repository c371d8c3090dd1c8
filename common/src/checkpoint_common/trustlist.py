"""EU DCC trust lists: signer keys by key id, and what each signer may sign.

Shared by the kiosk (kiosk.formats.dcc verifies certificates with it) and the central server
(which checks a trust list with the same parser before serving it). From issue #13 on, a trust
list reaches kiosks inside a `trust_list` document signed by the health authority's root
(checkpoint_common.signing); the document's content is the object below (`from_json`).

Trust-list file (`TrustList.from_file`), UTF-8 JSON:

    {
      "version": "2024-05-01.1",              # a string or an integer, required
      "keys": [                               # may be empty
        {"kid": "<base64 of the 8-byte kid>",
         "certificate": "<base64 DER X.509 signer certificate (DSC)>",
         "country": "VN"},                    # optional; else the DSC's subject C
        {"kid": "<base64 of the 8-byte kid>",
         "public_key": "<base64 DER SubjectPublicKeyInfo>"}
      ],
      "cscas": [                              # optional (since issue #13)
        {"country": "VN", "certificate": "<base64 DER X.509 country signing CA>"}
      ]
    }

Base64 is the standard alphabet with padding. Each key entry has `certificate` or
`public_key` (when both are given the certificate is used). With a certificate the kid must
equal the first 8 bytes of SHA-256 over its DER bytes, which is how DCC key ids are defined.
Only EC and RSA keys are accepted. Several entries may share a kid: a signature is valid when
one of them verifies it and allows the certificate. Unknown members are ignored (a file
without `cscas` reads as before). Any other deviation raises `TrustListError`.

What a signer may sign (`Signer.refusal`), with a DSC certificate:

- the certificate's issue time (CWT iat) lies within the DSC's notBefore..notAfter
  (`dsc_not_yet_valid_at_issue`, `dsc_expired_at_issue`; `dsc_no_issue_time` without iat):
  a DSC that expired in 2021 does not vouch for a certificate issued in 2022;
- its extended key usage: the DCC OIDs 1.3.6.1.4.1.1847.2021.1.1 / .2 / .3 (and the older
  1.3.6.1.4.1.0.1847.2021.1.x) restrict it to test / vaccination / recovery certificates
  (`dsc_wrong_type`). No EKU extension, an empty one, or one with no DCC OID at all allows every
  type (the rule of the EU's verifier apps; upstream test IS/3 expects otherwise, see
  tests/test_dcc.py). Extensions that `cryptography` refuses to parse (the FI test DSCs encode a
  DEFAULT value, upstream issue 407) are read by a small DER walker; a DSC whose extensions
  neither can read signs nothing (`dsc_key_usage_unreadable`);
- when the list carries `cscas`, the DSC must be issued (name and signature) by a CSCA of its
  country (`country`, else the DSC's subject countryName); otherwise it signs nothing
  (`dsc_not_chained`). A `public_key` entry cannot chain and signs nothing then either. The
  CSCA's own validity is not checked.

A `public_key` entry carries no dates and no usage: it allows every type at any time, as before.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
import pathlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, NoReturn

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtensionOID, NameOID

__all__ = [
    "DCC_TYPE_OIDS",
    "KID_LENGTH",
    "PublicKey",
    "Signer",
    "TrustList",
    "TrustListError",
    "eku_from_der",
]

PublicKey = ec.EllipticCurvePublicKey | rsa.RSAPublicKey

KID_LENGTH = 8
_MAX_COUNTRY = 8

# Extended key usages of a DSC: which certificate types it may sign (both OID families occur).
DCC_TYPE_OIDS = {
    "1.3.6.1.4.1.1847.2021.1.1": "test",
    "1.3.6.1.4.1.1847.2021.1.2": "vaccination",
    "1.3.6.1.4.1.1847.2021.1.3": "recovery",
    "1.3.6.1.4.1.0.1847.2021.1.1": "test",
    "1.3.6.1.4.1.0.1847.2021.1.2": "vaccination",
    "1.3.6.1.4.1.0.1847.2021.1.3": "recovery",
}

# Why a signer does not vouch for a certificate (problem codes of kiosk.formats.dcc).
DSC_WRONG_TYPE = "dsc_wrong_type"
DSC_NOT_YET_VALID = "dsc_not_yet_valid_at_issue"
DSC_EXPIRED = "dsc_expired_at_issue"
DSC_NO_ISSUE_TIME = "dsc_no_issue_time"
DSC_NOT_CHAINED = "dsc_not_chained"
DSC_USAGE_UNREADABLE = "dsc_key_usage_unreadable"


class TrustListError(ValueError):
    """A trust list (file or certificates) that cannot be used; the message says why."""


@dataclass(frozen=True, slots=True)
class Signer:
    """One trusted signer key and what it may sign.

    not_before/not_after: the DSC's validity (None: unknown, not checked). types: the
    certificate types allowed ("test", "vaccination", "recovery"), None for all. country: the
    DSC's country, when known. problem: set when the signer must vouch for nothing at all
    (`dsc_not_chained`, `dsc_key_usage_unreadable`).
    """

    key: PublicKey
    not_before: dt.datetime | None = None
    not_after: dt.datetime | None = None
    types: frozenset[str] | None = None
    country: str | None = None
    problem: str | None = None

    def refusal(self, cert_types: Iterable[str], issued_at: float | None) -> str | None:
        """Why this signer does not vouch for a certificate holding entries of `cert_types`
        ("vaccination", "test", "recovery": normally one) issued at `issued_at` (POSIX
        seconds), or None when it does."""
        if self.problem:
            return self.problem
        if self.types is not None and not set(cert_types) <= self.types:
            return DSC_WRONG_TYPE
        if self.not_before is None and self.not_after is None:
            return None
        if issued_at is None:
            return DSC_NO_ISSUE_TIME
        if self.not_before is not None and issued_at < self.not_before.timestamp():
            return DSC_NOT_YET_VALID
        if self.not_after is not None and issued_at > self.not_after.timestamp():
            return DSC_EXPIRED
        return None


class TrustList:
    """Signers by DCC key id (8 bytes). Immutable after construction."""

    __slots__ = ("_signers", "_version")

    _signers: dict[bytes, tuple[Signer, ...]]
    _version: str | None

    def __init__(
        self,
        entries: Iterable[tuple[bytes, PublicKey | Signer]] = (),
        *,
        version: str | None = None,
    ) -> None:
        signers: dict[bytes, tuple[Signer, ...]] = {}
        for kid, entry in entries:
            signer = entry if isinstance(entry, Signer) else Signer(entry)
            if not isinstance(signer.key, ec.EllipticCurvePublicKey | rsa.RSAPublicKey):
                raise TrustListError(f"kid {bytes(kid).hex()}: only EC and RSA keys are supported")
            signers[bytes(kid)] = (*signers.get(bytes(kid), ()), signer)
        object.__setattr__(self, "_signers", signers)
        object.__setattr__(self, "_version", version)

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise AttributeError("TrustList is immutable")

    def __delattr__(self, name: str) -> NoReturn:
        raise AttributeError("TrustList is immutable")

    @classmethod
    def from_certificates(
        cls, ders: Iterable[bytes], *, cscas: Iterable[tuple[str, bytes]] = ()
    ) -> TrustList:
        """Trust the signer certificates (DER); each one's kid is SHA-256(DER)[:8]. With
        `cscas` ((country, DER) pairs), each must chain to its country's CSCA."""
        authorities = _cscas([(country, bytes(der)) for country, der in cscas], "csca")
        entries = []
        for index, der in enumerate(ders):
            certificate = _certificate(bytes(der), f"certificate {index}")
            entries.append((_kid_of(bytes(der)), _signer(certificate, None, authorities)))
        return cls(entries)

    @classmethod
    def from_file(cls, path: pathlib.Path) -> TrustList:
        """Load a trust-list file (format in the module docstring); raises TrustListError."""
        path = pathlib.Path(path)
        try:
            data = json.loads(path.read_bytes().decode("utf-8"))
        except OSError as exc:
            raise TrustListError(f"{path}: cannot read the trust list: {exc}") from exc
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
            raise TrustListError(f"{path}: the trust list is not UTF-8 JSON: {exc}") from exc
        return cls.from_json(data, where=str(path))

    @classmethod
    def from_json(cls, data: Any, *, where: str = "the trust list") -> TrustList:
        """A trust list from its JSON object (a file's, or a signed document's content)."""
        if not isinstance(data, dict):
            raise TrustListError(f"{where}: the trust list must be a JSON object")
        version = data.get("version")
        if isinstance(version, bool) or not isinstance(version, str | int):
            raise TrustListError(f'{where}: "version" must be a string or an integer')
        keys = data.get("keys")
        if not isinstance(keys, list):
            raise TrustListError(f'{where}: "keys" must be a list')
        raw_cscas = data.get("cscas", [])
        if not isinstance(raw_cscas, list):
            raise TrustListError(f'{where}: "cscas" must be a list')
        pairs = []
        for at, entry in _objects(raw_cscas, f"{where}: cscas"):
            der = _b64_field(entry, "certificate", at)
            if der is None:
                raise TrustListError(f'{at}: "certificate" is missing')
            pairs.append((_country(entry.get("country"), at, required=True), der))
        authorities = _cscas(pairs, f"{where}: cscas")
        entries = []
        for at, entry in _objects(keys, f"{where}: keys"):
            kid = _b64_field(entry, "kid", at)
            if kid is None:
                raise TrustListError(f'{at}: "kid" is missing')
            if len(kid) != KID_LENGTH:
                raise TrustListError(f'{at}: "kid" must be {KID_LENGTH} bytes, not {len(kid)}')
            country = _country(entry.get("country"), at, required=False)
            der = _b64_field(entry, "certificate", at)
            if der is not None:
                signer = _signer(_certificate(der, at), country, authorities)
                if _kid_of(der) != kid:
                    raise TrustListError(
                        f'{at}: "kid" {kid.hex()} is not the certificate\'s kid '
                        f"{_kid_of(der).hex()} (first 8 bytes of SHA-256 of the DER)"
                    )
            else:
                spki = _b64_field(entry, "public_key", at)
                if spki is None:
                    raise TrustListError(f'{at}: needs "certificate" or "public_key"')
                # A bare key cannot show it chains to a CSCA: with CSCAs, it vouches for nothing.
                problem = DSC_NOT_CHAINED if authorities else None
                signer = Signer(_spki_key(spki, at), country=country, problem=problem)
            entries.append((kid, signer))
        return cls(entries, version=str(version))

    @property
    def version(self) -> str | None:
        return self._version

    def signers_for(self, kid: bytes) -> tuple[Signer, ...]:
        return self._signers.get(bytes(kid), ())

    def keys_for(self, kid: bytes) -> tuple[PublicKey, ...]:
        return tuple(signer.key for signer in self.signers_for(kid))

    @property
    def unusable(self) -> tuple[tuple[str, str], ...]:
        """(kid hex, problem) of the signers that vouch for nothing (e.g. not chained)."""
        return tuple(
            (kid.hex(), signer.problem)
            for kid, signers in self._signers.items()
            for signer in signers
            if signer.problem
        )

    def __contains__(self, kid: object) -> bool:
        return isinstance(kid, bytes) and kid in self._signers

    def __len__(self) -> int:
        return sum(len(signers) for signers in self._signers.values())

    def __repr__(self) -> str:
        return f"TrustList(version={self._version!r}, keys={len(self)})"


def _objects(items: list[Any], where: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """(`where[index]`, item) for each item of a JSON list that must hold objects."""
    for index, entry in enumerate(items):
        at = f"{where}[{index}]"
        if not isinstance(entry, dict):
            raise TrustListError(f"{at}: must be an object")
        yield at, entry


def _kid_of(der: bytes) -> bytes:
    return hashlib.sha256(der).digest()[:KID_LENGTH]


def _b64_field(entry: dict[str, Any], name: str, where: str) -> bytes | None:
    value = entry.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise TrustListError(f'{where}: "{name}" must be a base64 string')
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise TrustListError(f'{where}: "{name}" is not valid base64: {exc}') from exc


def _country(value: Any, where: str, *, required: bool) -> str | None:
    if value is None and not required:
        return None
    if not isinstance(value, str) or not 0 < len(value) <= _MAX_COUNTRY or not value.isalpha():
        raise TrustListError(f'{where}: "country" must be a country code such as "VN"')
    return value.upper()


def _checked_key(key: object, where: str) -> PublicKey:
    if isinstance(key, ec.EllipticCurvePublicKey | rsa.RSAPublicKey):
        return key
    raise TrustListError(f"{where}: only EC and RSA keys are supported, not {type(key).__name__}")


def _certificate(der: bytes, where: str) -> x509.Certificate:
    try:
        certificate = x509.load_der_x509_certificate(der)
        key = certificate.public_key()
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
        raise TrustListError(f"{where}: not a DER X.509 certificate: {exc}") from exc
    _checked_key(key, where)
    return certificate


def _spki_key(der: bytes, where: str) -> PublicKey:
    try:
        key = serialization.load_der_public_key(der)
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
        raise TrustListError(f"{where}: not a DER SubjectPublicKeyInfo: {exc}") from exc
    return _checked_key(key, where)


def _cscas(
    pairs: list[tuple[str | None, bytes]], where: str
) -> dict[str, tuple[x509.Certificate, ...]]:
    authorities: dict[str, tuple[x509.Certificate, ...]] = {}
    for index, (country, der) in enumerate(pairs):
        certificate = _certificate(der, f"{where}[{index}]")
        key = (country or "").upper()
        authorities[key] = (*authorities.get(key, ()), certificate)
    return authorities


def _subject_country(certificate: x509.Certificate) -> str | None:
    try:
        names = certificate.subject.get_attributes_for_oid(NameOID.COUNTRY_NAME)
    except ValueError:  # a subject `cryptography` cannot read: no country from it
        return None
    value = names[0].value if names else None
    return value.upper() if isinstance(value, str) else None


def _chains(
    certificate: x509.Certificate,
    country: str | None,
    authorities: Mapping[str, tuple[x509.Certificate, ...]],
) -> bool:
    for csca in authorities.get(country or "", ()):
        try:
            certificate.verify_directly_issued_by(csca)
        except (ValueError, TypeError, InvalidSignature, UnsupportedAlgorithm):
            continue  # another name, another key, or a signature that does not verify
        return True
    return False


def _signer(
    certificate: x509.Certificate,
    country: str | None,
    authorities: Mapping[str, tuple[x509.Certificate, ...]],
) -> Signer:
    subject_country = _subject_country(certificate)
    country = country or subject_country
    problem = None
    types: frozenset[str] | None = None
    try:
        types = _allowed_types(_extended_key_usage(certificate))
    except ValueError:
        problem = DSC_USAGE_UNREADABLE
    if authorities and (
        (subject_country is not None and subject_country != country)
        or not _chains(certificate, country, authorities)
    ):
        problem = DSC_NOT_CHAINED
    return Signer(
        _checked_key(certificate.public_key(), "certificate"),
        not_before=certificate.not_valid_before_utc,
        not_after=certificate.not_valid_after_utc,
        types=types,
        country=country,
        problem=problem,
    )


def _allowed_types(oids: list[str] | None) -> frozenset[str] | None:
    """The certificate types an EKU allows; None (all) without an EKU or without a DCC OID."""
    if oids is None:
        return None
    types = frozenset(DCC_TYPE_OIDS[oid] for oid in oids if oid in DCC_TYPE_OIDS)
    return types or None


def _extended_key_usage(certificate: x509.Certificate) -> list[str] | None:
    """The EKU OIDs (dotted) of a certificate, None without the extension. Raises ValueError
    when the extensions can be read neither by `cryptography` nor by the DER walker."""
    try:
        extension = certificate.extensions.get_extension_for_oid(ExtensionOID.EXTENDED_KEY_USAGE)
    except x509.ExtensionNotFound:
        return None
    except ValueError:
        # `cryptography` refuses the whole extension list for one DER deviation (an encoded
        # DEFAULT, an empty SEQUENCE): read the EKU with the lenient walker below.
        return eku_from_der(certificate.public_bytes(serialization.Encoding.DER))
    value = extension.value
    if not isinstance(value, x509.ExtendedKeyUsage):
        raise ValueError("the extended key usage extension is not readable")
    return [oid.dotted_string for oid in value]


# -- a lenient DER walker for one extension -----------------------------------------------------

_EKU_OID = bytes.fromhex("551d25")  # 2.5.29.37


def _tlv(data: bytes, pos: int, end: int) -> tuple[int, int, int]:
    """(tag, content start, content end) of the DER item at `pos`; raises ValueError."""
    if pos + 2 > end:
        raise ValueError("truncated DER")
    tag, length = data[pos], data[pos + 1]
    if tag & 0x1F == 0x1F:
        raise ValueError("high tag numbers are not used in certificates")
    pos += 2
    if length & 0x80:
        count = length & 0x7F
        if not 0 < count <= 4 or pos + count > end:
            raise ValueError("bad DER length")
        length = int.from_bytes(data[pos : pos + count], "big")
        pos += count
    if pos + length > end:
        raise ValueError("DER item longer than its container")
    return tag, pos, pos + length


def _children(data: bytes, start: int, end: int) -> list[tuple[int, int, int]]:
    items = []
    while start < end:
        item = _tlv(data, start, end)
        items.append(item)
        start = item[2]
    return items


def _oid_text(content: bytes) -> str:
    if not content or content[-1] & 0x80:
        raise ValueError("bad OBJECT IDENTIFIER")
    arcs: list[int] = []
    value = 0
    for byte in content:
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            arcs.append(value)
            value = 0
    first = min(arcs[0] // 40, 2)
    return ".".join(str(arc) for arc in (first, arcs[0] - 40 * first, *arcs[1:]))


def eku_from_der(der: bytes) -> list[str] | None:
    """The extended key usage OIDs of a DER certificate, read without judging the other
    extensions; None without the extension. Raises ValueError for DER it cannot walk."""
    _, cert_start, cert_end = _tlv(der, 0, len(der))
    tbs_tag, tbs_start, tbs_end = _tlv(der, cert_start, cert_end)
    if tbs_tag != 0x30:
        raise ValueError("not a certificate")
    for tag, start, end in _children(der, tbs_start, tbs_end):
        if tag != 0xA3:  # [3] EXPLICIT Extensions
            continue
        seq_tag, seq_start, seq_end = _tlv(der, start, end)
        if seq_tag != 0x30:
            raise ValueError("extensions are not a SEQUENCE")
        for ext_tag, ext_start, ext_end in _children(der, seq_start, seq_end):
            parts = _children(der, ext_start, ext_end)
            if ext_tag != 0x30 or not parts or parts[0][0] != 0x06:
                raise ValueError("an extension is not a SEQUENCE starting with an OID")
            if der[parts[0][1] : parts[0][2]] != _EKU_OID:
                continue
            value_tag, value_start, value_end = parts[-1]
            if value_tag != 0x04:
                raise ValueError("the extension value is not an OCTET STRING")
            eku_tag, eku_start, eku_end = _tlv(der, value_start, value_end)
            if eku_tag != 0x30:
                raise ValueError("the extended key usage is not a SEQUENCE")
            oids = []
            for oid_tag, oid_start, oid_end in _children(der, eku_start, eku_end):
                if oid_tag != 0x06:
                    raise ValueError("the extended key usage holds something else than OIDs")
                oids.append(_oid_text(der[oid_start:oid_end]))
            return oids
        return None
    return None
