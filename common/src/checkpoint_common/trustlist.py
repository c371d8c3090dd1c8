"""EU DCC trust lists: signer keys by key id, loaded from a file the central server distributes.

Shared by the kiosk (kiosk.formats.dcc verifies certificates with it) and the central server
(which checks a trust list with the same parser before serving it).

Trust-list file (`TrustList.from_file`), UTF-8 JSON; later the central server distributes it:

    {
      "version": "2024-05-01.1",              # a string or an integer, required
      "keys": [                               # may be empty
        {"kid": "<base64 of the 8-byte kid>",
         "certificate": "<base64 DER X.509 signer certificate (DSC)>"},
        {"kid": "<base64 of the 8-byte kid>",
         "public_key": "<base64 DER SubjectPublicKeyInfo>"}
      ]
    }

Base64 is the standard alphabet with padding. Each entry has `certificate` or `public_key`
(when both are given the certificate is used). With a certificate the kid must equal the first
8 bytes of SHA-256 over its DER bytes, which is how DCC key ids are defined. Only EC and RSA
keys are accepted. Several entries may share a kid: a signature is valid when one of them
verifies it. Unknown members are ignored. Any other deviation raises `TrustListError`.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import pathlib
from collections.abc import Iterable
from typing import Any, NoReturn

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

__all__ = ["KID_LENGTH", "PublicKey", "TrustList", "TrustListError"]

PublicKey = ec.EllipticCurvePublicKey | rsa.RSAPublicKey

KID_LENGTH = 8


class TrustListError(ValueError):
    """A trust list (file or certificates) that cannot be used; the message says why."""


class TrustList:
    """Signer keys by DCC key id (8 bytes). Immutable after construction."""

    __slots__ = ("_keys", "_version")

    _keys: dict[bytes, tuple[PublicKey, ...]]
    _version: str | None

    def __init__(
        self, entries: Iterable[tuple[bytes, PublicKey]] = (), *, version: str | None = None
    ) -> None:
        keys: dict[bytes, tuple[PublicKey, ...]] = {}
        for kid, key in entries:
            if not isinstance(key, ec.EllipticCurvePublicKey | rsa.RSAPublicKey):
                raise TrustListError(f"kid {bytes(kid).hex()}: only EC and RSA keys are supported")
            keys[bytes(kid)] = (*keys.get(bytes(kid), ()), key)
        object.__setattr__(self, "_keys", keys)
        object.__setattr__(self, "_version", version)

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise AttributeError("TrustList is immutable")

    def __delattr__(self, name: str) -> NoReturn:
        raise AttributeError("TrustList is immutable")

    @classmethod
    def from_certificates(cls, ders: Iterable[bytes]) -> TrustList:
        """Trust the signer certificates (DER); each one's kid is SHA-256(DER)[:8]."""
        entries = []
        for index, der in enumerate(ders):
            key = _certificate_key(bytes(der), f"certificate {index}")
            entries.append((_kid_of(bytes(der)), key))
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
        if not isinstance(data, dict):
            raise TrustListError(f"{path}: the trust list must be a JSON object")
        version = data.get("version")
        if isinstance(version, bool) or not isinstance(version, str | int):
            raise TrustListError(f'{path}: "version" must be a string or an integer')
        keys = data.get("keys")
        if not isinstance(keys, list):
            raise TrustListError(f'{path}: "keys" must be a list')
        entries = []
        for index, entry in enumerate(keys):
            where = f"{path}: keys[{index}]"
            if not isinstance(entry, dict):
                raise TrustListError(f"{where}: must be an object")
            kid = _b64_field(entry, "kid", where)
            if kid is None:
                raise TrustListError(f'{where}: "kid" is missing')
            if len(kid) != KID_LENGTH:
                raise TrustListError(f'{where}: "kid" must be {KID_LENGTH} bytes, not {len(kid)}')
            der = _b64_field(entry, "certificate", where)
            if der is not None:
                key = _certificate_key(der, where)
                if _kid_of(der) != kid:
                    raise TrustListError(
                        f'{where}: "kid" {kid.hex()} is not the certificate\'s kid '
                        f"{_kid_of(der).hex()} (first 8 bytes of SHA-256 of the DER)"
                    )
            else:
                spki = _b64_field(entry, "public_key", where)
                if spki is None:
                    raise TrustListError(f'{where}: needs "certificate" or "public_key"')
                key = _spki_key(spki, where)
            entries.append((kid, key))
        return cls(entries, version=str(version))

    @property
    def version(self) -> str | None:
        return self._version

    def keys_for(self, kid: bytes) -> tuple[PublicKey, ...]:
        return self._keys.get(bytes(kid), ())

    def __contains__(self, kid: object) -> bool:
        return isinstance(kid, bytes) and kid in self._keys

    def __len__(self) -> int:
        return sum(len(keys) for keys in self._keys.values())

    def __repr__(self) -> str:
        return f"TrustList(version={self._version!r}, keys={len(self)})"


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


def _checked_key(key: object, where: str) -> PublicKey:
    if isinstance(key, ec.EllipticCurvePublicKey | rsa.RSAPublicKey):
        return key
    raise TrustListError(f"{where}: only EC and RSA keys are supported, not {type(key).__name__}")


def _certificate_key(der: bytes, where: str) -> PublicKey:
    try:
        key = x509.load_der_x509_certificate(der).public_key()
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
        raise TrustListError(f"{where}: not a DER X.509 certificate: {exc}") from exc
    return _checked_key(key, where)


def _spki_key(der: bytes, where: str) -> PublicKey:
    try:
        key = serialization.load_der_public_key(der)
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
        raise TrustListError(f"{where}: not a DER SubjectPublicKeyInfo: {exc}") from exc
    return _checked_key(key, where)
