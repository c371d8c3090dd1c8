"""Generate the kiosk's four sounds as small WAV files (run once; the WAVs are committed).

    python assets/sounds/make_sounds.py

Distinct at a noisy entrance, short (a guard hears hundreds a day), no melody to annoy:
entry: two rising notes; exit: two falling notes; attention (amber): three medium beeps;
error (red / not recorded): a low buzz. 16-bit mono 22,050 Hz.
"""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

RATE = 22050


def tone(freq: float, seconds: float, *, volume: float = 0.5, square: bool = False) -> list[float]:
    n = int(RATE * seconds)
    out = []
    for i in range(n):
        phase = math.sin(2 * math.pi * freq * i / RATE)
        sample = (1.0 if phase >= 0 else -1.0) * 0.5 if square else phase
        # 5 ms fades: no clicks.
        fade = min(1.0, i / (0.005 * RATE), (n - i) / (0.005 * RATE))
        out.append(sample * volume * fade)
    return out


def silence(seconds: float) -> list[float]:
    return [0.0] * int(RATE * seconds)


SOUNDS = {
    "entry": tone(880, 0.09) + silence(0.03) + tone(1320, 0.14),
    "exit": tone(1320, 0.09) + silence(0.03) + tone(880, 0.14),
    "attention": (tone(988, 0.1) + silence(0.07)) * 3,
    "error": tone(220, 0.45, square=True, volume=0.6),
}


def main() -> None:
    here = Path(__file__).resolve().parent
    for name, samples in SOUNDS.items():
        with wave.open(str(here / f"{name}.wav"), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(RATE)
            out.writeframes(b"".join(struct.pack("<h", int(s * 32767)) for s in samples))


if __name__ == "__main__":
    main()
