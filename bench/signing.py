"""Benchmark of signed documents (checkpoint_common.signing, issue #13): not a test.

    .venv/bin/python bench/signing.py [--sizes 10000,100000,200000] [--repeat 5]

What a kiosk pays to check what it downloads, and the server to sign it: the weak-key check
of a public key, a small config document, and full status lists of a province's size (the
envelope's bytes, signing, and verify_status_list with the content parsed into entries).
Figures go to docs/benchmarks.md by hand; other work on the machine makes them upper bounds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import statistics
import time
from collections.abc import Callable

from checkpoint_common.keycheck import ed25519_problem
from checkpoint_common.protocol import StatusEntry
from checkpoint_common.signing import (
    Document,
    SigningKey,
    delegate,
    sign,
    status_list_document,
    verify_document,
    verify_status_list,
)

NOW = dt.datetime(2026, 11, 25, 3, 0, tzinfo=dt.UTC)


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """(median, max) milliseconds of `repeat` calls."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,100000,200000")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    root, online = SigningKey.generate(), SigningKey.generate()
    delegation = delegate(
        root,
        online.public,
        types=["config", "status_list"],
        not_after=NOW + dt.timedelta(days=90),
        version=1,
        issued_at=NOW - dt.timedelta(days=1),
    )
    raw = online.public.raw
    median, worst = timed(lambda: ed25519_problem.__wrapped__(raw), 200)
    print(
        f"weak-key check of an Ed25519 key (not remembered): median {median:.2f} ms, "
        f"max {worst:.2f} ms"
    )

    config = Document("config", 2, NOW, "cp-1", {"settings": {"capacity": 300}})
    envelope = sign(config, online, delegation=delegation).to_bytes()
    median, worst = timed(
        lambda: verify_document(
            envelope,
            root=root.public,
            expected_type="config",
            audience="cp-1",
            last_version=1,
            now=NOW,
        ),
        50,
    )
    print(
        f"config ({len(envelope)} bytes, online key + delegation): verify median {median:.2f} ms,"
        f" max {worst:.2f} ms"
    )

    print("status list (full, online key): entries, envelope MB, sign ms, verify+parse ms")
    for size in (int(n) for n in args.sizes.split(",")):
        entries = [
            StatusEntry(f"id:{n:024x}", ("red", "yellow", "green")[n % 3], None)
            for n in range(size)
        ]
        document = status_list_document(
            version=10, issued_at=NOW, upserts=entries, count=len(entries)
        )
        sign_ms, _ = timed(lambda d=document: sign(d, online, delegation=delegation), args.repeat)  # type: ignore[misc]
        data = sign(document, online, delegation=delegation).to_bytes()
        verify_ms, verify_max = timed(
            lambda d=data: verify_status_list(  # type: ignore[misc]
                d, root=root.public, audience="cp-1", current_version=9, now=NOW
            ),
            args.repeat,
        )
        print(
            f"  {size:>7}  {len(data) / 1e6:6.1f}  {sign_ms:8.0f}  {verify_ms:8.0f}"
            f" (max {verify_max:.0f})"
        )
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
