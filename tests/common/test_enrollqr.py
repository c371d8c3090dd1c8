"""The enrollment QR's text: what the console writes, the kiosk reads back, and nothing else."""

from __future__ import annotations

import pytest

from checkpoint_common.enrollqr import Invite, make_invite, parse_invite


def test_what_the_console_writes_the_kiosk_reads_back() -> None:
    text = make_invite("https://kiemdich.kiengiang.gov.vn:8443/", "7KQ4-M2XD-9TPA")
    assert text.isascii() and text.isprintable()  # a hand scanner types it faithfully
    assert parse_invite(text) == Invite("https://kiemdich.kiengiang.gov.vn:8443", "7KQ4-M2XD-9TPA")
    assert parse_invite(text + "\r\n") == parse_invite(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "7KQ4-M2XD-9TPA",  # a code alone: typed, not an invitation
        "https://kiemdich.kiengiang.gov.vn/console",
        "checkpoint-kiosk:enroll?v=2&server=https%3A%2F%2Fa.vn&code=7KQ4-M2XD-9TPA",
        "checkpoint-kiosk:enroll?v=1&server=ftp%3A%2F%2Fa.vn&code=7KQ4-M2XD-9TPA",
        "checkpoint-kiosk:enroll?v=1&server=javascript%3Aalert(1)&code=7KQ4-M2XD-9TPA",
        "checkpoint-kiosk:enroll?v=1&server=https%3A%2F%2Fa.vn&code=7KQ4",
        "checkpoint-kiosk:enroll?v=1&server=https%3A%2F%2Fa.vn&code=7KQ4-M2XD-9TPA&code=X",
        "checkpoint-kiosk:enroll?v=1&server=https%3A%2F%2Fa%0A.vn&code=7KQ4-M2XD-9TPA",
        "checkpoint-kiosk:enroll?v=1&server=https%3A%2F%2Fa.vn%3Ax&code=7KQ4-M2XD-9TPA",
        "checkpoint-kiosk:enroll?v=1&server=https%3A%2F%2Fa.vn&code=7KQ4-M2XD-9TPA&extra=1",
        "checkpoint-kiosk:enroll?v=1&server=https%3A%2F%2Fa.vn%FF&code=7KQ4-M2XD-9TPA",
        "checkpoint-kiosk:enroll?" + "v=1&" * 200,
    ],
)
def test_anything_else_is_no_invitation(text: str) -> None:
    assert parse_invite(text) is None


def test_the_console_refuses_to_write_what_the_kiosk_would_refuse() -> None:
    with pytest.raises(ValueError):
        make_invite("ftp://a.vn", "7KQ4-M2XD-9TPA")
    with pytest.raises(ValueError):
        make_invite("https://a.vn", "not a code")
