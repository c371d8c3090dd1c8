"""Benchmark of `kiosk.formats.parse` on 4 KB inputs of every shape (not a test).

    .venv/bin/python bench/parse.py [--repeat 300]

Target (../shared/RELIABILITY.md): a 4 KB text parses in < 10 ms; oversize input is rejected
early. Every input is made up here (no ../shared data needed).
"""

from __future__ import annotations

import argparse
import hashlib
import random
import statistics
import sys
import time
import zlib
from pathlib import Path

import cbor2

from kiosk.credentials import PersonKeyer, Signature
from kiosk.formats import TrustList, parse

# The signed-certificate builder of the DCC tests (self-made keys and certificates).
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.test_dcc import claims, ec_signer, hcert, make, rsa_signer, trust_of

B45 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"


def b45encode(data: bytes) -> str:
    out = []
    for i in range(0, len(data) - 1, 2):
        n = data[i] * 256 + data[i + 1]
        c, n = divmod(n, 45 * 45)
        b, a = divmod(n, 45)
        out += [B45[a], B45[b], B45[c]]
    if len(data) % 2:
        b, a = divmod(data[-1], 45)
        out += [B45[a], B45[b]]
    return "".join(out)


def pad(text: str, size: int = 4096) -> str:
    return (text + " " + "x" * size)[:size] if len(text) < size else text[:size]


def inputs() -> dict[str, str | bytes]:
    rng = random.Random(3)
    syllables = [
        "Trần",
        "Thị",
        "Bích",
        "Ngọc",
        "Nguyễn",
        "Văn",
        "An",
        "Lê",
        "Hoàng",
        "Phúc",
        "Phạm",
        "Hoa",
        "Đặng",
        "Quốc",
        "Bảo",
    ]
    name = " ".join(rng.choice(syllables) for _ in range(1000))
    hx = name.encode().hex()
    ci = "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") for _ in range(2600))
    cose = cbor2.dumps(
        cbor2.CBORTag(
            18,
            [
                cbor2.dumps({1: -7}),
                {},
                cbor2.dumps(
                    {
                        1: "VN",
                        -260: {
                            1: {
                                "ver": "1.3.0",
                                "nam": {
                                    "fn": "Nguyễn" * 100,
                                    "gn": "An",
                                    "fnt": "NGUYEN",
                                    "gnt": "AN",
                                },
                                "dob": "1990-01-02",
                                "v": [{"ci": "URN:UVCI:01:VN:" + ci}],
                            }
                        },
                    }
                ),
                b"\0" * 64,
            ],
        )
    )
    return {
        "personal QR": pad("001099012345|" + "NGUYEN VAN AN " * 280 + "|1990-12-01|0|1630|<1<"),
        "CCCD": "079199012345|212345678|" + name[:3900] + "|15081999|Nữ|Hà Nội|20042021",
        "BHYT": "DN4010123456789|" + hx[:3900] + "|01/01/1990|1||01 - 001|x|y",
        "EU DCC (unsigned, no trust list)": "HC1:" + b45encode(zlib.compress(cose)),
        "4 KB of separators": "|" * 4096,
        "random Unicode": "".join(chr(rng.randrange(32, 0x2FFF)) for _ in range(4096)),
        "random bytes": bytes(rng.randrange(256) for _ in range(4096)),
        "1 MB text (rejected)": "A" * 1_000_000,
    }


def signed_inputs() -> list[tuple[str, str, TrustList]]:
    """4 KB certificates signed with ES256 and PS256 (RSA-3072), with their trust lists."""
    # Incompressible filler so that the text really is 4 KB after zlib and base45.
    filler = b"".join(hashlib.sha256(bytes([i])).digest() for i in range(56)).hex()
    out = []
    for label, signer, alg in (
        ("EU DCC signed ES256, verified", ec_signer(), -7),
        ("EU DCC signed PS256 RSA-3072, verified", rsa_signer(3072), -37),
    ):
        text = make(signer, alg=alg, payload_claims=claims(hcert(xx=filler)))
        out.append((label, text, trust_of(signer)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=300)
    args = parser.parse_args()
    keyer = PersonKeyer(b"bench-secret-0123456789")
    print("| input | chars | kind | median ms | p99 ms | max ms |\n|---|---|---|---|---|---|")
    cases: list[tuple[str, str | bytes, TrustList | None]] = [
        (label, payload, None) for label, payload in inputs().items()
    ]
    cases += signed_inputs()
    for label, payload, trust in cases:
        credential = parse(payload, keyer=keyer, trust=trust)
        if trust is not None and credential.fields.signature is not Signature.VALID:
            raise SystemExit(f"{label}: expected a valid signature")
        kind = credential.kind.value
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            parse(payload, keyer=keyer, trust=trust)
            times.append((time.perf_counter() - t) * 1000)
        times.sort()
        print(
            f"| {label} | {len(payload):,} | {kind} | {statistics.median(times):.3f} | "
            f"{times[int(0.99 * len(times)) - 1]:.3f} | {times[-1]:.3f} |"
        )


if __name__ == "__main__":
    main()
