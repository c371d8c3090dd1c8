"""The QR decoders on rendered gate frames and on the zxing sample photos.

Exactness is what is tested here (the bytes, diacritics included); speed is measured by
bench/decode.py, never asserted in tests.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest
import zxingcpp
from pyzbar import pyzbar

from kiosk.demo import EXAMPLES
from kiosk.scanner.decode import (
    ChainDecoder,
    OpenCvDecoder,
    ZbarDecoder,
    ZxingDecoder,
    _maybe_transcoded,
    to_gray,
)
from kiosk.scanner.render import (
    CONDITIONS,
    render_empty,
    render_frame,
    render_with_corners,
    symbol_modules,
)
from kiosk.scanner.types import DecodeResult, Image
from tests.conftest import shared_path

CCCD = dict(EXAMPLES)["CCCD"]
# A made-up CCCD whose UTF-8 ZBar's default mode reads as Shift-JIS (about a third of
# Vietnamese names and addresses are read that way; the demo's CCCD examples are not).
CCCD_HUE = "046090012345||Trần Văn Bình|01011990|Nam|Phường Phú Hội, TP. Huế|10072021"


def frame(payload: str | bytes, ppm: float, condition: str = "clean", seed: int = 0) -> Image:
    return render_frame(
        payload, size_px=ppm * symbol_modules(payload), condition=condition, seed=seed
    )


def payloads(result: DecodeResult) -> list[bytes]:
    return [code.payload for code in result.codes]


# -- every kind, exact bytes -------------------------------------------------------------------


@pytest.mark.parametrize(("label", "text"), EXAMPLES, ids=[label for label, _ in EXAMPLES])
def test_each_kind_decodes_to_the_exact_bytes(label: str, text: str) -> None:
    result = ChainDecoder().decode(frame(text, 4))
    assert payloads(result) == [text.encode("utf-8")]
    assert result.unreadable is None


def test_cccd_diacritics_survive() -> None:
    result = ChainDecoder().decode(frame(CCCD, 3))
    assert result.codes[0].payload.decode("utf-8").split("|")[2] == "Trần Thị Bích Ngọc"
    assert "Số 12 Lê Lợi, Phường Bến Thành" in result.codes[0].payload.decode("utf-8")


@pytest.mark.parametrize("condition", CONDITIONS)
def test_every_condition_is_read_at_5_px_per_module(condition: str) -> None:
    # Seed 1 for motion: the blur length is drawn per seed (5-15 px); at seed 0 it smears
    # more than 2 modules, which nothing reads (the bench counts those).
    seed = 1 if condition == "motion" else 0
    result = ChainDecoder().decode(frame(CCCD, 5, condition, seed))
    assert payloads(result) == [CCCD.encode("utf-8")]


def test_binary_payload_stays_bytes() -> None:
    data = bytes(range(256))
    result = ChainDecoder().decode(frame(data, 4))
    assert payloads(result) == [data]


def test_corners_are_where_the_code_is() -> None:
    image, corners = render_with_corners(CCCD, size_px=200, seed=3)
    code = ChainDecoder().decode(image).codes[0]
    found = np.array(code.corners, np.float32)
    assert np.allclose(found.mean(axis=0), corners.mean(axis=0), atol=6)


# -- ZBar: the mojibake and its fix ------------------------------------------------------------


def test_zbar_default_mode_garbles_a_cccd_and_binary_mode_does_not() -> None:
    image = frame(CCCD_HUE, 4)
    exact = CCCD_HUE.encode("utf-8")
    gray = to_gray(image)
    # pyzbar as shipped: ZBar guesses a charset and re-encodes.
    as_is = [d.data for d in pyzbar.decode(gray, symbols=[pyzbar.ZBarSymbol.QRCODE])]
    assert len(as_is) == 1
    assert as_is[0] != exact
    assert "Trần" not in as_is[0].decode("utf-8", "replace")
    assert payloads(ZbarDecoder(binary=False).decode(image)) == as_is
    # Binary mode: the symbol's bytes.
    assert payloads(ZbarDecoder().decode(image)) == [exact]
    assert payloads(ZxingDecoder().decode(image)) == [exact]
    assert payloads(ChainDecoder().decode(image)) == [exact]


def test_zbar_decoder_can_be_closed() -> None:
    decoder = ZbarDecoder()
    decoder.close()
    decoder.close()
    with pytest.raises(ValueError, match="closed"):
        decoder.decode(frame(CCCD, 4))


def test_opencv_drops_what_it_may_have_transcoded() -> None:
    # OpenCV turns byte-mode content that is not UTF-8 into UTF-8 from ISO-8859-1.
    assert payloads(OpenCvDecoder().decode(frame(b"\xff\xfe ID 42", 6))) == []
    assert payloads(OpenCvDecoder().decode(frame(CCCD, 6))) == [CCCD.encode("utf-8")]
    assert _maybe_transcoded("Hà".encode())
    assert not _maybe_transcoded("Hà Nội".encode())
    assert not _maybe_transcoded(b"plain ASCII")
    assert not _maybe_transcoded(b"\xff\xfe")


# -- what people hold up ---------------------------------------------------------------------


def test_dark_mode_screen_is_read() -> None:
    image = frame(CCCD, 3, "inverted")
    assert payloads(ChainDecoder().decode(image)) == [CCCD.encode("utf-8")]
    # zxing-cpp's own inverted retry is off in the chain's first pass: the crop reads it.
    assert payloads(ZxingDecoder(try_invert=False).decode(image)) == []


def test_small_code_is_read_by_the_chain() -> None:
    image = frame(CCCD, 1.3)  # 58 px across: under 1.5 px per module
    assert payloads(ZxingDecoder().decode(image)) == []
    assert payloads(ChainDecoder().decode(image)) == [CCCD.encode("utf-8")]


def test_too_small_code_is_reported_not_read() -> None:
    result = ChainDecoder().decode(frame(CCCD, 1.0))
    assert result.codes == ()
    assert result.unreadable == "too_small"


def test_empty_frame_gives_nothing() -> None:
    decoder = ChainDecoder()
    for seed in range(5):
        result = decoder.decode(render_empty(seed=seed))
        assert result.codes == ()
        assert result.unreadable is None


def test_1d_barcode_is_not_returned() -> None:
    symbol = zxingcpp.create_barcode("079199012345", zxingcpp.BarcodeFormat.Code128)
    bars = np.array(symbol.to_image(scale=4))
    image = np.full((720, 1280), 235, np.uint8)
    y, x = 300, 400
    image[y : y + bars.shape[0], x : x + bars.shape[1]] = bars
    # It is a readable barcode ...
    assert [b.text for b in zxingcpp.read_barcodes(image)] == ["079199012345"]
    assert pyzbar.decode(image)
    # ... which no decoder here returns.
    for decoder in (ChainDecoder(), ZxingDecoder(), ZbarDecoder(), OpenCvDecoder()):
        assert decoder.decode(image).codes == ()


def test_gray_and_bgr_give_the_same() -> None:
    image = frame(CCCD, 3)
    gray = to_gray(image)
    assert payloads(ChainDecoder().decode(gray)) == payloads(ChainDecoder().decode(image))
    with pytest.raises(ValueError, match="uint8"):
        ChainDecoder().decode(image.astype(np.float32))
    with pytest.raises(ValueError, match="shape"):
        to_gray(np.zeros((4, 4, 2), np.uint8))


def test_tracking_follows_a_moving_code() -> None:
    decoder = ChainDecoder(track_frames=5)
    for t in range(4):
        image = render_frame(CCCD, size_px=150, seed=7, offset=(12.0 * t, -8.0 * t))
        assert payloads(decoder.decode(image)) == [CCCD.encode("utf-8")]
    decoder.reset()


# -- the renderer ----------------------------------------------------------------------------


def test_render_is_deterministic() -> None:
    a = render_frame(CCCD, size_px=180, condition="glare", seed=4)
    b = render_frame(CCCD, size_px=180, condition="glare", seed=4)
    c = render_frame(CCCD, size_px=180, condition="glare", seed=5)
    assert a.shape == (720, 1280, 3)
    assert a.dtype == np.uint8
    assert np.array_equal(a, b)
    assert not np.array_equal(a, c)


def test_render_refuses_bad_arguments() -> None:
    with pytest.raises(ValueError, match="unknown condition"):
        render_frame(CCCD, condition="fog")
    with pytest.raises(ValueError, match="positive"):
        render_frame(CCCD, size_px=0)


# -- `kiosk decode` ----------------------------------------------------------------------------


def kiosk(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kiosk", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        timeout=60,
    )


def test_cli_decode_prints_one_line_per_file(tmp_path: Path) -> None:
    code = tmp_path / "cccd.png"
    cv2.imwrite(str(code), frame(CCCD, 4))
    empty = tmp_path / "empty.jpg"
    cv2.imwrite(str(empty), render_empty(seed=1))
    not_image = tmp_path / "notes.txt"
    not_image.write_text("hello", encoding="utf-8")
    proc = kiosk("decode", str(code), str(empty), str(not_image), str(tmp_path / "missing.png"))
    assert proc.returncode == 0, proc.stderr
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [line["file"] for line in lines] == [
        str(code),
        str(empty),
        str(not_image),
        str(tmp_path / "missing.png"),
    ]
    assert lines[0]["text"] == CCCD
    assert isinstance(lines[0]["ms"], float)
    assert lines[1]["text"] is None
    assert "error" not in lines[1]
    assert lines[2]["text"] is None
    assert lines[2]["error"]
    assert lines[3]["text"] is None
    assert lines[3]["error"]


def test_cli_decode_shows_non_utf8_bytes_escaped(tmp_path: Path) -> None:
    path = tmp_path / "binary.png"
    cv2.imwrite(str(path), frame(b"ID\xff\xfe42", 5))
    proc = kiosk("decode", str(path))
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["text"] == "ID\\xff\\xfe42"


def test_cli_decode_fails_when_no_file_is_an_image(tmp_path: Path) -> None:
    not_image = tmp_path / "notes.txt"
    not_image.write_text("hello", encoding="utf-8")
    proc = kiosk("decode", str(not_image))
    assert proc.returncode == 2
    assert json.loads(proc.stdout)["error"]


# -- the zxing / zxing-cpp sample photos -------------------------------------------------------


def _accepted(text: str) -> set[bytes]:
    # A symbol without ECI holds its text in some charset: the samples use Shift_JIS and
    # GB 2312 besides UTF-8 and the QR default ISO-8859-1 (see bench/decode.py).
    out = set()
    for charset in ("utf-8", "shift_jis", "cp932", "gb18030", "latin-1"):
        try:
            out.add(text.encode(charset))
        except UnicodeEncodeError:
            continue
    return out


@pytest.mark.slow
@pytest.mark.parametrize("folder", ["zxing", "zxing-cpp"])
def test_chain_reads_the_samples_at_least_as_well_as_zxing_cpp(folder: str) -> None:
    root = shared_path("qr-samples", folder)
    zxing, chain = ZxingDecoder(), ChainDecoder()
    zxing_reads = chain_reads = misreads = 0
    for path in sorted(root.glob("qrcode-*/*")):
        if path.suffix not in (".png", ".jpg", ".webp"):
            continue
        accepted = _accepted(path.with_suffix(".txt").read_bytes().decode("utf-8"))
        loaded = cv2.imread(str(path), cv2.IMREAD_COLOR)
        assert loaded is not None, path
        image = np.ascontiguousarray(loaded, dtype=np.uint8)
        alone = payloads(zxing.decode(image))
        got = payloads(chain.decode(image))
        zxing_reads += any(p in accepted for p in alone)
        chain_reads += any(p in accepted for p in got)
        # Pictures with two codes (a code inside another) may give the other one.
        if len(set(alone)) < 2 and got and not any(p in accepted for p in got):
            misreads += 1
    assert misreads == 0
    assert chain_reads >= zxing_reads > 0
