"""Benchmark of the QR decoders on real samples and on rendered gate frames (not a test).

    .venv/bin/python bench/decode.py [--repeat 3] [--empties 100] [--no-ablation]

Prints markdown tables (copied by hand into docs/benchmarks.md):
1. ../shared/qr-samples (photos from the zxing and zxing-cpp test suites): per decoder, the
   images read, misreads, median and p95 ms. Skipped with a note when ../shared is absent.
2. Rendered 1280x720 frames (kiosk.scanner.render): example payloads x conditions x sizes,
   per condition and per size: reads, garbled reads, median and p95 ms per frame.
3. 1280x720 frames without a code (scenes; pure texture, the worst case): median and p95
   ms, false reads, hints.
4. Codes held up for 30 frames (moving, receding): the chain with and without the crop
   around the last location.
5. Ablation of the chain's steps (unless --no-ablation).

Every decoder runs pinned to one core (CPU 0) with OpenCV single-threaded. A frame's time is
the fastest of --repeat runs (the others are the machine's noise: other processes share it);
the chain is reset before each run of the per-frame sets, so no frame profits from another.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from kiosk.demo import EXAMPLES
from kiosk.scanner.decode import (
    ChainDecoder,
    OpenCvDecoder,
    ZbarDecoder,
    ZxingDecoder,
)
from kiosk.scanner.render import CONDITIONS, render_empty, render_frame, symbol_modules
from kiosk.scanner.types import DecodeResult, Image

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SAMPLES = SHARED / "qr-samples"

# The kinds of code a gate sees, from kiosk/demo.py, plus one made-up CCCD whose UTF-8 ZBar
# misreads as Shift-JIS in its default mode (about a third of Vietnamese names and addresses
# do; the two CCCD examples in demo.py happen not to).
KINDS: tuple[tuple[str, str], ...] = (
    *(
        (label, text)
        for label, text in EXAMPLES
        if label not in ("garbage", "personal QR (masked)")
    ),
    (
        "CCCD (Huế)",
        "046090012345||Trần Văn Bình|01011990|Nam|Phường Phú Hội, TP. Huế|10072021",
    ),
)
PPM = (1.5, 2.0, 2.5, 3.0, 4.0, 6.0)  # pixels per module: under 2, 3 is "about enough", 6 easy
SINGLE = ("zxing-cpp", "pyzbar (binary)", "opencv")


class Decoder:
    """A named decoder for the bench: decode(), and reset() for the chain."""

    def __init__(
        self, name: str, decode: Callable[[Image], DecodeResult], reset: Callable[[], None]
    ):
        self.name = name
        self.decode = decode
        self.reset = reset


def decoders() -> list[Decoder]:
    chain = ChainDecoder()
    out = [
        Decoder("zxing-cpp", ZxingDecoder().decode, lambda: None),
        Decoder("pyzbar (binary)", ZbarDecoder().decode, lambda: None),
        Decoder("pyzbar (as-is)", ZbarDecoder(binary=False).decode, lambda: None),
        Decoder("opencv", OpenCvDecoder().decode, lambda: None),
        Decoder("chain", chain.decode, chain.reset),
    ]
    return out


@dataclass
class Run:
    """One decoder on one frame: payloads read, hint, fastest time of the repeats."""

    payloads: list[bytes]
    unreadable: str | None
    ms: float


def timed(decoder: Decoder, image: Image, repeat: int) -> Run:
    best = float("inf")
    result = None
    for _ in range(repeat):
        decoder.reset()
        start = time.perf_counter_ns()
        result = decoder.decode(image)
        best = min(best, (time.perf_counter_ns() - start) / 1e6)
    assert result is not None
    return Run([c.payload for c in result.codes], result.unreadable, best)


def med(values: list[float]) -> str:
    return f"{statistics.median(values):.2f}" if values else "-"


def p95(values: list[float]) -> str:
    if not values:
        return "-"
    ordered = sorted(values)
    return f"{ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]:.2f}"


def table(header: list[str], rows: list[list[str]]) -> None:
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print()


# -- 1. the zxing / zxing-cpp sample photos --------------------------------------------------


@dataclass
class Sample:
    path: Path
    accepted: set[bytes]  # the expected text in UTF-8 or a legacy charset a QR code may use
    codes: int = 1  # symbols in the picture


def samples(folder: Path) -> Iterator[Sample]:
    for path in sorted(folder.glob("qrcode-*/*")):
        if path.suffix not in (".png", ".jpg", ".webp"):
            continue
        expected = path.with_suffix(".txt").read_bytes().decode("utf-8")
        accepted = set()
        # The .txt holds the text; a symbol without ECI holds bytes in some charset. The
        # Japanese samples are Shift_JIS, one is GB 2312 (in GB18030), and ISO-8859-1 is
        # the QR default: a read is right when its bytes are the text in one of them.
        for charset in ("utf-8", "shift_jis", "cp932", "gb18030", "latin-1"):
            with contextlib.suppress(UnicodeEncodeError):
                accepted.add(expected.encode(charset))
        yield Sample(path, accepted)


def bench_samples(decs: list[Decoder], repeat: int) -> None:
    print("## 1. ../shared/qr-samples\n")
    if not SAMPLES.is_dir():
        print(f"{SAMPLES} is absent: part 1 skipped (../shared is provided beside the repo).\n")
        return
    rows = []
    for folder in ("zxing", "zxing-cpp"):
        items = list(samples(SAMPLES / folder))
        images = [cv2.imread(str(s.path), cv2.IMREAD_COLOR) for s in items]
        # Pictures with two codes (a QR code inside another): found by zxing-cpp reading two
        # different payloads; a read of the other code there is not a misread.
        zx = ZxingDecoder()
        for sample, image in zip(items, images, strict=True):
            sample.codes = max(1, len({c.payload for c in zx.decode(image).codes}))
        read_by: dict[str, set[int]] = defaultdict(set)
        for decoder in decs:
            times: list[float] = []
            misreads = 0
            for i, (sample, image) in enumerate(zip(items, images, strict=True)):
                run = timed(decoder, image, repeat)
                times.append(run.ms)
                if any(p in sample.accepted for p in run.payloads):
                    read_by[decoder.name].add(i)
                elif run.payloads and sample.codes == 1:
                    misreads += 1
            rows.append(
                [
                    folder,
                    decoder.name,
                    f"{len(read_by[decoder.name])}/{len(items)}",
                    str(misreads),
                    med(times),
                    p95(times),
                ]
            )
        union = set().union(*(read_by[name] for name in SINGLE))
        rows.append([folder, "any single decoder", f"{len(union)}/{len(items)}", "", "", ""])
    table(["folder", "decoder", "read", "misreads", "median ms", "p95 ms"], rows)
    print(
        "A read: a payload whose bytes are the expected text in UTF-8, Shift_JIS, GB 18030 or "
        "ISO-8859-1. A misread: a payload that is not, in a picture with one code.\n"
    )


# -- 2. rendered gate frames -------------------------------------------------------------------


@dataclass
class Frame:
    kind: str
    condition: str
    ppm: float
    payload: bytes
    image: Image


def rendered() -> list[Frame]:
    frames = []
    for k, (kind, text) in enumerate(KINDS):
        modules = symbol_modules(text)
        for condition in CONDITIONS:
            for s, ppm in enumerate(PPM):
                image = render_frame(
                    text, size_px=ppm * modules, condition=condition, seed=100 * k + s
                )
                frames.append(Frame(kind, condition, ppm, text.encode("utf-8"), image))
    return frames


@dataclass
class Tally:
    read: int = 0
    garbled: int = 0
    frames: int = 0
    times: list[float] = field(default_factory=list)


def bench_rendered(decs: list[Decoder], frames: list[Frame], repeat: int) -> None:
    print(
        f"## 2. Rendered 1280x720 frames: {len(KINDS)} payloads x {len(CONDITIONS)} conditions "
        f"x {len(PPM)} sizes = {len(frames)}\n"
    )
    by_condition: dict[tuple[str, str], Tally] = defaultdict(Tally)
    by_size: dict[tuple[str, float], Tally] = defaultdict(Tally)
    total: dict[str, Tally] = defaultdict(Tally)
    read_by: dict[str, set[int]] = defaultdict(set)
    hints: dict[float, Counter[str]] = defaultdict(Counter)
    for decoder in decs:
        for i, frame in enumerate(frames):
            run = timed(decoder, frame.image, repeat)
            ok = frame.payload in run.payloads
            garbled = any(p != frame.payload for p in run.payloads)
            for tally in (
                by_condition[(decoder.name, frame.condition)],
                by_size[(decoder.name, frame.ppm)],
                total[decoder.name],
            ):
                tally.frames += 1
                tally.read += ok
                tally.garbled += garbled
                tally.times.append(run.ms)
            if ok:
                read_by[decoder.name].add(i)
            if decoder.name == "chain":
                hints[frame.ppm]["read" if ok else (run.unreadable or "no hint")] += 1
    names = [d.name for d in decs]

    def cell(t: Tally) -> str:
        return f"{t.read}" + (f" ({t.garbled} garbled)" if t.garbled else "")

    print("Reads per condition (of 36 frames; garbled: a payload that is not the one shown):\n")
    rows = [[c] + [cell(by_condition[(n, c)]) for n in names] for c in CONDITIONS]
    rows.append(["**all**"] + [f"**{cell(total[n])}**" for n in names])
    table(["condition", *names], rows)
    print("Median / p95 ms per frame, per condition:\n")
    rows = [
        [c]
        + [f"{med(by_condition[(n, c)].times)} / {p95(by_condition[(n, c)].times)}" for n in names]
        for c in CONDITIONS
    ]
    rows.append(["**all**"] + [f"**{med(total[n].times)} / {p95(total[n].times)}**" for n in names])
    table(["condition", *names], rows)
    print(f"Reads per size (px per module; of {len(frames) // len(PPM)} frames each):\n")
    rows = [[f"{ppm:g}"] + [cell(by_size[(n, ppm)]) for n in names] for ppm in PPM]
    table(["px/module", *names], rows)
    union = set().union(*(read_by[name] for name in SINGLE))
    print(
        f"Read by at least one single decoder ({', '.join(SINGLE)}; no pre-processing): "
        f"{len(union)}/{len(frames)}; by none of them: {len(frames) - len(union)}. "
        f"By the chain: {len(read_by['chain'])}; by the chain and by none of them: "
        f"{len(read_by['chain'] - union)}; by one of them and not by the chain: "
        f"{len(union - read_by['chain'])}.\n"
    )
    print("The chain's result per size (unreadable hints on the frames it did not read):\n")
    labels = ["read", "too_small", "blurred", "unreadable", "no hint"]
    rows = [[f"{ppm:g}"] + [str(hints[ppm][label]) for label in labels] for ppm in PPM]
    table(["px/module", *labels], rows)


# -- 3. empty frames ---------------------------------------------------------------------------


def textures(count: int) -> list[Image]:
    """Frames filled with texture and no code: the worst case for the chain's localiser
    (a patterned shirt filling the view). Random black/white blocks of 4 and 8 px, and
    Gaussian noise."""
    rng = np.random.default_rng(7)
    frames = []
    for i in range(count):
        if i % 3 == 2:
            noise = rng.normal(128, 25, (720, 1280, 3))
            frames.append(np.clip(noise, 0, 255).astype(np.uint8))
            continue
        block = 4 if i % 3 == 0 else 8
        cells = rng.integers(0, 2, (720 // block, 1280 // block), dtype=np.uint8) * 255
        gray = cv2.resize(cells, (1280, 720), interpolation=cv2.INTER_NEAREST)
        frames.append(cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR))
    return frames


def bench_empty(decs: list[Decoder], count: int, repeat: int) -> None:
    sets = {
        "scene": [render_empty(seed=s) for s in range(count)],
        "texture (worst case)": textures(max(3, count // 5)),
    }
    print(
        f"## 3. Frames without a code, 1280x720: {len(sets['scene'])} scenes, "
        f"{len(sets['texture (worst case)'])} frames of pure texture (random blocks, noise)\n"
    )
    rows = []
    for label, frames in sets.items():
        for decoder in decs:
            times: list[float] = []
            false_reads = 0
            hints: Counter[str] = Counter()
            for image in frames:
                run = timed(decoder, image, repeat)
                times.append(run.ms)
                false_reads += len(run.payloads)
                if run.unreadable:
                    hints[run.unreadable] += 1
            shown = ", ".join(f"{k} {v}" for k, v in hints.items()) or "0"
            rows.append([label, decoder.name, med(times), p95(times), str(false_reads), shown])
    table(["frames", "decoder", "median ms", "p95 ms", "false reads", "unreadable hints"], rows)


# -- 4. a code held up for a while ---------------------------------------------------------------


SEQUENCES = {
    "held up, moving, 4 to 2 px/module, every 5th frame motion-blurred": (
        4.0,
        2.0,
        ("clean", "clean", "clean", "clean", "motion"),
    ),
    "far, 2.6 to 1.5 px/module, clean/defocus/glare/low light/JPEG in turn": (
        2.6,
        1.5,
        ("clean", "defocus", "glare", "low_light", "jpeg"),
    ),
}


def bench_sequence() -> None:
    print("## 4. A code held up for 30 frames (each payload), the chain keeping its state\n")
    rows = []
    for label, (start_ppm, end_ppm, conditions) in SEQUENCES.items():
        sequences = []
        for k, (_, text) in enumerate(KINDS):
            modules = symbol_modules(text)
            images = []
            for t in range(30):
                ppm = start_ppm + (end_ppm - start_ppm) * t / 29
                # A hand drifts and wobbles; the scene stays (same seed).
                wobble = (40 * np.sin(t / 3.0) + 3 * t, 25 * np.cos(t / 4.0))
                images.append(
                    render_frame(
                        text,
                        size_px=ppm * modules,
                        condition=conditions[t % len(conditions)],
                        seed=1000 + k,
                        offset=(float(wobble[0]), float(wobble[1])),
                    )
                )
            sequences.append((text.encode("utf-8"), images))
        for tracking in (False, True):
            chain = ChainDecoder(track_frames=15 if tracking else 0)
            reads = 0
            times: list[float] = []
            for payload, images in sequences:
                chain.reset()
                for image in images:
                    # The chain may keep state from frame to frame here: one timed run each.
                    start = time.perf_counter_ns()
                    result = chain.decode(image)
                    times.append((time.perf_counter_ns() - start) / 1e6)
                    reads += any(c.payload == payload for c in result.codes)
            name = "chain + crop around the last location" if tracking else "chain"
            rows.append([label, name, f"{reads}/{30 * len(KINDS)}", med(times), p95(times)])
    table(["sequence", "decoder", "read", "median ms", "p95 ms"], rows)


# -- 5. ablation -------------------------------------------------------------------------------


def bench_ablation(frames: list[Frame], repeat: int, empties: int) -> None:
    print("## 5. The chain's steps: what each adds\n")
    variants: list[tuple[str, ChainDecoder]] = [
        ("zxing-cpp pass only (no retries)", ChainDecoder(steps=(), localise=False)),
        ("+ upscaled crop", ChainDecoder(steps=("upscale",))),
        ("+ sharpen", ChainDecoder(steps=("upscale", "sharpen"))),
        ("+ fixed threshold", ChainDecoder(steps=("upscale", "sharpen", "threshold"))),
        ("+ local contrast", ChainDecoder(steps=("upscale", "sharpen", "threshold", "contrast"))),
        (
            "+ global-histogram threshold",
            ChainDecoder(steps=("upscale", "sharpen", "threshold", "contrast", "histogram")),
        ),
        ("+ ZBar at located symbols (default)", ChainDecoder()),
        ("default, zxing-cpp retries in full pass", ChainDecoder(full_retries=True)),
        ("default, 1 candidate", ChainDecoder(max_candidates=1)),
    ]
    sample_sets = []
    if SAMPLES.is_dir():
        for folder in ("zxing", "zxing-cpp"):
            items = list(samples(SAMPLES / folder))
            sample_sets.append((items, [cv2.imread(str(s.path), cv2.IMREAD_COLOR) for s in items]))
    empty_frames = [render_empty(seed=s) for s in range(empties)]
    rows = []
    for name, chain in variants:
        decoder = Decoder(name, chain.decode, chain.reset)
        reads = 0
        times: list[float] = []
        for frame in frames:
            run = timed(decoder, frame.image, repeat)
            reads += frame.payload in run.payloads
            times.append(run.ms)
        sample_reads = []
        for items, images in sample_sets:
            n = 0
            for sample, image in zip(items, images, strict=True):
                run = timed(decoder, image, 1)
                n += any(p in sample.accepted for p in run.payloads)
            sample_reads.append(f"{n}/{len(items)}")
        empty_times = [timed(decoder, image, repeat).ms for image in empty_frames]
        rows.append(
            [
                name,
                f"{reads}/{len(frames)}",
                " + ".join(sample_reads) or "-",
                f"{med(times)} / {p95(times)}",
                f"{med(empty_times)} / {p95(empty_times)}",
            ]
        )
    table(
        [
            "chain variant",
            "rendered read",
            "samples read (zxing + zxing-cpp)",
            "ms with code (med / p95)",
            "ms empty (med / p95)",
        ],
        rows,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per frame, fastest kept")
    parser.add_argument("--empties", type=int, default=100, help="empty frames")
    parser.add_argument("--no-ablation", action="store_true", help="skip part 5")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {0})
    cv2.setNumThreads(1)
    print(
        f"# QR decoding benchmark\n\n{platform.platform()}, Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, pinned to CPU 0; zxing-cpp {version('zxing-cpp')}, "
        f"OpenCV {cv2.__version__}, numpy {np.__version__}; fastest of {args.repeat} runs per "
        f"frame; load average before: {os.getloadavg()[0]:.2f}\n"
    )
    decs = decoders()
    bench_samples(decs, args.repeat)
    frames = rendered()
    bench_rendered(decs, frames, args.repeat)
    bench_empty(decs, args.empties, args.repeat)
    bench_sequence()
    if not args.no_ablation:
        bench_ablation(frames, args.repeat, min(args.empties, 50))
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
