"""Coverage-guided fuzzing of the scan parser (`kiosk.formats.parse`) with atheris (libFuzzer).

The contract under test (kiosk/formats/__init__.py, ../shared/RELIABILITY.md "parser fuzzing"):
`parse` never raises, whatever it is given, and always returns a well-formed `Credential`; it
is quick (an input that takes more than a second is reported by libFuzzer's -timeout).

Each input is read as one of these, chosen by its first byte, so that the fuzzer reaches the
deep paths quickly instead of having to discover base45, zlib and CBOR by itself:
  0  the bytes as scanned (bytes payload: UTF-8 decoding, every text format)
  1  the bytes as text (UTF-8 with replacement: a str payload)
  2  "HC1:" + base45(zlib(bytes)): the EU DCC path from the CBOR decoder on
  3  "HC1:" + base45(bytes): uncompressed COSE, and broken zlib
  4  a COSE_Sign1 with the bytes as its CBOR payload and the kid of a key in the trust list,
     signed with a wrong key: the claims decoder and the signature check (always invalid)
  5  the bytes as text with a personal QR / CCCD / BHYT prefix: the pipe-separated formats

Run by `make fuzz` (x86_64 only: atheris has no other wheels). Directly:
    .venv/bin/python fuzz/fuzz_parse.py -max_total_time=600 .fuzz/corpus
`--seeds DIR` writes the starting corpus (the demo's codes and a forged HC1) into DIR.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import zlib
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["kiosk"]):
    import cbor2
    from cryptography.hazmat.primitives.asymmetric import ec

    from kiosk.credentials import Credential, Kind, PersonKeyer
    from kiosk.formats import TrustList, parse

KEYER = PersonKeyer(b"fuzz-secret-0123456789")
NOW = dt.datetime(2026, 11, 25, 3, 0, tzinfo=dt.UTC)
_B45 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
_PREFIXES = (
    "079199012345|212345678|",  # CCCD
    "079199012345|Nguyễn Văn An|1999-08-15|1|",  # personal QR
    "DN4797912345678|",  # BHYT
)


def b45encode(data: bytes) -> str:
    """RFC 9285 base45 (the kiosk has only the decoder)."""
    out = []
    for i in range(0, len(data) - 1, 2):
        n = data[i] * 256 + data[i + 1]
        n, c = divmod(n, 45)
        e, d = divmod(n, 45)
        out += [_B45[c], _B45[d], _B45[e]]
    if len(data) % 2:
        d, c = divmod(data[-1], 45)
        out += [_B45[c], _B45[d]]
    return "".join(out)


def _trust() -> tuple[TrustList, bytes, ec.EllipticCurvePrivateKey]:
    """A trust list with one EC key (by SPKI), its kid, and another key that signs instead."""
    import base64
    import tempfile

    from cryptography.hazmat.primitives import serialization

    trusted = ec.generate_private_key(ec.SECP256R1())
    spki = trusted.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    kid = b"fuzz-kid"  # 8 bytes
    entry = {"kid": base64.b64encode(kid).decode(), "public_key": base64.b64encode(spki).decode()}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "trust.json"
        path.write_text(json.dumps({"version": "fuzz", "keys": [entry]}))
        trust = TrustList.from_file(path)
    return trust, kid, ec.generate_private_key(ec.SECP256R1())


TRUST, KID, WRONG_KEY = _trust()


def _forged(payload: bytes) -> str:
    protected = cbor2.dumps({1: -7, 4: KID})
    signature = bytes(64)  # never valid: the point is to reach the check, not to pass it
    cose = cbor2.CBORTag(18, [protected, {}, payload, signature])
    return "HC1:" + b45encode(zlib.compress(cbor2.dumps(cose)))


def payload_of(data: bytes) -> str | bytes:
    if not data:
        return b""
    mode, body = data[0] % 6, data[1:]
    if mode == 0:
        return body
    if mode == 1:
        return body.decode("utf-8", "replace")
    if mode == 2:
        return "HC1:" + b45encode(zlib.compress(body))
    if mode == 3:
        return "HC1:" + b45encode(body)
    if mode == 4:
        return _forged(body)
    prefix = _PREFIXES[body[0] % len(_PREFIXES)] if body else ""
    return prefix + body[1:].decode("utf-8", "replace")


def check(payload: str | bytes) -> None:
    credential = parse(payload, keyer=KEYER, trust=TRUST, now=NOW)
    # The output contract every caller relies on (as tests/test_formats_fuzz.py checks).
    if not isinstance(credential, Credential) or credential.kind not in set(Kind):
        raise AssertionError(f"not a credential: {credential!r}")
    json.dumps(credential.to_json())
    if credential.kind.names_a_person != (credential.person_key is not None):
        raise AssertionError(f"person key and kind disagree: {credential.kind}")


def test_one_input(data: bytes) -> None:
    check(payload_of(data))


def write_seeds(folder: Path) -> None:
    from kiosk.demo import EXAMPLES

    folder.mkdir(parents=True, exist_ok=True)
    seeds: list[bytes] = []
    for _name, text in EXAMPLES:
        seeds.append(b"\x00" + text.encode())
        seeds.append(b"\x05\x00" + text.encode()[12:])
    claims = {1: "VN", 4: 2_000_000_000, 6: 1_700_000_000, -260: {1: {"ver": "1.3.0"}}}
    seeds.append(b"\x04" + cbor2.dumps(claims))
    seeds.append(b"\x02" + cbor2.dumps(cbor2.CBORTag(18, [b"", {}, b"", b""])))
    for number, seed in enumerate(seeds):
        (folder / f"seed-{number:03d}").write_bytes(seed)


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--seeds":
        write_seeds(Path(sys.argv[2]))
        return
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
