"""The enrollment QR code: what the console shows a site manager beside a kiosk's one-time
enrollment code, and what the kiosk's enrollment screen reads from its camera or a hand scanner.

Text (printable ASCII, so a hand scanner in keyboard mode types it faithfully):

    checkpoint-kiosk:enroll?v=1&server=<server address, percent-encoded>&code=<code>

It carries the server's address as well as the code, so that nobody types either. It carries no
key and no fingerprint: the authority's key is compared from a source the server does not
control (the enrollment screen shows its fingerprint). Anything that is not exactly this shape
is not an invitation (`parse_invite` returns None) and goes to the gate like any other code.

Pure functions; no I/O. Both the server (central.console) and the kiosk (kiosk.ui) use them.
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass

PREFIX = "checkpoint-kiosk:enroll?"
VERSION = "1"
# A one-time code as central.tokens makes it (Crockford base32, 4-4-4), in upper or lower case;
# longer codes are accepted for a server that makes them longer.
_CODE = re.compile(r"^[0-9A-Za-z]{4}(?:-[0-9A-Za-z]{4}){2,5}$")
_MAX_TEXT = 600  # a server address and a code; anything longer is not an invitation


@dataclass(frozen=True, slots=True)
class Invite:
    """A server address (http or https, as the console saw it) and a one-time code."""

    server_url: str
    code: str


def make_invite(server_url: str, code: str) -> str:
    """The QR text for `server_url` and `code`. Raises ValueError for an address or a code
    that `parse_invite` would refuse (the console then shows the code alone)."""
    text = PREFIX + urllib.parse.urlencode({"v": VERSION, "server": server_url, "code": code})
    if parse_invite(text) != Invite(server_url.rstrip("/"), code):
        raise ValueError("not an address and a code an enrollment QR can carry")
    return text


def parse_invite(text: str) -> Invite | None:
    """The invitation in a scanned text, or None when the text is not one (never raises)."""
    text = text.strip()
    if len(text) > _MAX_TEXT or not text.lower().startswith(PREFIX):
        return None
    try:
        fields = urllib.parse.parse_qs(
            text[len(PREFIX) :], strict_parsing=True, max_num_fields=3, errors="strict"
        )
    except ValueError:  # malformed, a field twice over the limit, bad percent-encoding
        return None
    if sorted(fields) != ["code", "server", "v"] or any(len(v) != 1 for v in fields.values()):
        return None
    if fields["v"][0] != VERSION:
        return None
    server, code = fields["server"][0].strip(), fields["code"][0].strip()
    if not _CODE.match(code) or not _server_ok(server):
        return None
    return Invite(server.rstrip("/"), code)


def _server_ok(server: str) -> bool:
    if not server.isprintable() or any(c.isspace() for c in server):
        return False
    try:
        parts = urllib.parse.urlsplit(server)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname) and not parts.query
