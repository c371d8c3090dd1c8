"""The health authority of the tests: a real Ed25519 root key, and the operator's steps that
make a central server serve signed documents (docs/central.md, "The authority's keys, offline").

`set_up_authority(storage)` does in one call what the operator does with `kiosk-central
signing-key`, `authority delegate`, `authority sign --type sealing_key` and `kiosk-central
publish`: the root delegates config and status lists to the server's own online key and signs
the server's sealing key. Kiosks pin `ROOT_TEXT` (settings.authority_signing_key) or confirm
`ROOT_FINGERPRINT` at enrollment. Nothing here is a stand-in: the server signs with its real
online key, the kiosk verifies with the real checks.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

from central.documents import Publisher
from central.storage import Storage
from checkpoint_common.signing import (
    DocType,
    Document,
    SigningKey,
    delegate,
    sealing_key_document,
    sign,
    verify_document,
)

# The same key in every process of a test run (start_server sets the server up in a process of
# its own): made from a fixed seed. A test key, never a deployment's.
ROOT = SigningKey(hashlib.sha256(b"checkpoint-kiosk tests: the health authority's root").digest())
ROOT_TEXT = ROOT.public.to_text()
ROOT_FINGERPRINT = ROOT.public.fingerprint
# Delegations of the tests run from long before to long after every clock the tests use.
DELEGATION_START = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
DELEGATION_END = dt.datetime(2040, 1, 1, tzinfo=dt.UTC)


def set_up_authority(
    storage: Storage,
    *,
    root: SigningKey = ROOT,
    delegation_version: int = 1,
    sealing_version: int = 1,
    now: dt.datetime | None = None,
) -> Publisher:
    """Publish, on `storage`'s server, a delegation of config and status lists to its online
    key and its sealing key, both signed by `root`. Nothing when the server has a root
    already (set up before)."""
    now = now or dt.datetime.now(dt.UTC)
    publisher = Publisher(storage)
    if publisher.root() is not None:
        return publisher
    online = publisher.online_key().public
    delegation = delegate(
        root,
        online,
        types=[DocType.CONFIG, DocType.STATUS_LIST],
        not_after=DELEGATION_END,
        version=delegation_version,
        issued_at=DELEGATION_START,
    )
    publisher.publish(delegation.to_bytes(), now=now, root=root.public)
    sealing = sign(
        sealing_key_document(
            storage.authority_key().public, version=sealing_version, issued_at=DELEGATION_START
        ),
        root,
    )
    publisher.publish(sealing.to_bytes(), now=now)
    return publisher


def set_up_authority_at(db: Path | str, **kwargs: Any) -> None:
    """`set_up_authority` on the database a `kiosk-central serve` process uses."""
    with Storage.open(db) as storage:
        set_up_authority(storage, **kwargs)


def publish_trust_list(
    storage: Storage,
    content: dict[str, Any],
    *,
    version: int,
    root: SigningKey = ROOT,
    now: dt.datetime | None = None,
) -> None:
    """A trust list signed by the root and published (what `authority sign --type trust_list`
    and `kiosk-central publish` do)."""
    now = now or dt.datetime.now(dt.UTC)
    envelope = sign(Document(DocType.TRUST_LIST, version, DELEGATION_START, "*", content), root)
    Publisher(storage).publish(envelope.to_bytes(), now=now)


def kiosk_settings_text() -> str:
    """The settings-file line that pins the tests' root on a kiosk."""
    return f"authority_signing_key = {json.dumps(ROOT_TEXT)}\n"


def root_key_file(folder: Path, root: SigningKey = ROOT) -> Path:
    """The root's private key as the operator's offline stick holds it (PKCS#8 PEM, 0600)."""
    path = folder / "root.key"
    if not path.exists():
        path.write_bytes(root.to_pem())
        path.chmod(0o600)
        (folder / "root.pub").write_text(root.public.to_text() + "\n")
    return path


def verify(
    raw: bytes,
    doc_type: str,
    audience: str,
    *,
    last_version: int | None = None,
    now: dt.datetime | None = None,
) -> Document:
    """A downloaded document checked as a kiosk pinned to the tests' root checks it."""
    return verify_document(
        raw,
        root=ROOT.public,
        expected_type=doc_type,
        audience=audience,
        last_version=last_version,
        now=now or dt.datetime.now(dt.UTC),
    ).document


def signed(
    response: Any, doc_type: str, audience: str, last_version: int | None = None
) -> Document:
    """The document an HTTP response carries (its body is the envelope), checked."""
    assert response.status_code == 200, response.text
    return verify(response.content, doc_type, audience, last_version=last_version)
