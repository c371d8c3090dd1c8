"""`kiosk-central authority`: the operator's offline keys, as docs/central.md tells the steps.

The root is made on an "offline" folder, the online key on a "serving host" folder; only public
keys, the delegation and signed envelopes travel between them. What the commands sign is
checked with the kiosk's own verifier (checkpoint_common.signing), pinned to the root.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from central.authority import EXIT_OK, EXIT_USAGE
from central.cli import main
from checkpoint_common.seal import PrivateKey
from checkpoint_common.signing import (
    SigningKey,
    VerifyKey,
    follow_rotations,
    sealing_key_of,
    verify_document,
    verify_status_list,
)
from checkpoint_common.trustlist import TrustList
from tests.test_dcc_signers import make_csca, make_dsc


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(["authority", *argv])
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def write_json(path: Path, data: Any) -> str:
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


@pytest.fixture
def sites(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    offline, host = tmp_path / "offline", tmp_path / "host"
    offline.mkdir()
    host.mkdir()
    monkeypatch.chdir(tmp_path)  # no central.db may appear anywhere: no command needs one
    return offline, host


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def test_the_operator_steps_root_offline_online_key_on_the_host(
    sites: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    offline, host = sites
    (offline / "pass").write_text("a long passphrase\n", encoding="utf-8")
    root_key = offline / "root.key"
    code, out, err = run(
        capsys, "make-root", "--out", str(root_key), "--passphrase-file", str(offline / "pass")
    )
    assert code == EXIT_OK, err
    made = json.loads(out)
    root = VerifyKey.from_text((offline / "root.pub").read_text(encoding="utf-8"))
    assert made == {
        "key": "root",
        "file": str(root_key),
        "public_key": root.to_text(),
        "fingerprint": root.fingerprint,
        "key_id": root.key_id,
    }
    assert f"root key fingerprint: {root.fingerprint}" in err
    assert os.stat(root_key).st_mode & 0o777 == 0o600
    assert b"ENCRYPTED PRIVATE KEY" in root_key.read_bytes()

    # On the serving host: an online key; only its public half goes to the root's machine.
    code, _, err = run(capsys, "make-online", "--out", str(host / "online.key"))
    assert code == EXIT_OK, err
    assert "not encrypted" in err
    (offline / "online.pub").write_bytes((host / "online.pub").read_bytes())
    code, _, err = run(
        capsys,
        "delegate",
        "--key", str(root_key),
        "--passphrase-file", str(offline / "pass"),
        "--to", str(offline / "online.pub"),
        "--days", "30",
        "--version", "1",
        "-o", str(offline / "delegation.json"),
    )  # fmt: skip
    assert code == EXIT_OK, err
    (host / "delegation.json").write_bytes((offline / "delegation.json").read_bytes())

    # The host signs today's status list with the online key; a kiosk pinned to the root
    # accepts it.
    content = {
        "full": True,
        "since": None,
        "count": 1,
        "upserts": [{"person_key": "id:0a1b", "colour": "red"}],
        "removed": [],
    }
    code, out, err = run(
        capsys,
        "sign",
        "--key", str(host / "online.key"),
        "--delegation", str(host / "delegation.json"),
        "--root", str(offline / "root.pub"),
        "--type", "status_list",
        "--version", "2026112501",
        write_json(host / "status.json", content),
    )  # fmt: skip
    assert code == EXIT_OK, err
    verified, change = verify_status_list(
        out.encode(), root=root, audience="cp-1", current_version=None, now=now()
    )
    assert verified.delegation is not None
    assert verified.delegation.not_after - now() < dt.timedelta(days=30, minutes=1)
    assert change.version == 2026112501 and change.upserts[0].colour == "red"

    # The online key cannot sign what only the root signs: refused before any kiosk sees it.
    dsc = make_dsc()
    trust = {"version": 7, "keys": [{"kid": _b64(dsc.kid), "certificate": _b64(dsc.der)}]}
    code, out, err = run(
        capsys,
        "sign",
        "--key", str(host / "online.key"),
        "--delegation", str(host / "delegation.json"),
        "--type", "trust_list",
        "--version", "7",
        write_json(host / "trust.json", trust),
    )  # fmt: skip
    assert (code, out) == (EXIT_USAGE, "")
    assert "only the root signs trust_list documents" in err
    # The root signs the trust list, offline.
    code, out, err = run(
        capsys,
        "sign",
        "--key", str(root_key),
        "--passphrase-file", str(offline / "pass"),
        "--type", "trust_list",
        "--version", "7",
        write_json(offline / "trust.json", trust),
    )  # fmt: skip
    assert code == EXIT_OK, err
    verified = verify_document(
        out.encode(),
        root=root,
        expected_type="trust_list",
        audience="cp-1",
        last_version=6,
        now=now(),
    )
    assert dsc.kid in TrustList.from_json(verified.document.content)
    # The serving host never held the root's private key.
    root_pem = root_key.read_bytes()
    assert all(root_pem not in p.read_bytes() for p in host.iterdir())
    assert not list(Path.cwd().glob("*.db"))


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def test_sign_refuses_content_a_kiosk_would_refuse(
    sites: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    offline, _ = sites
    key = str(offline / "root.key")
    assert run(capsys, "make-root", "--out", key)[0] == EXIT_OK
    csca = make_csca("VN")
    rogue = make_dsc(country="VN")  # not issued by VN's CSCA: signs nothing, but loads
    cases: list[tuple[str, Any, str]] = [
        ("trust_list", {"keys": []}, '"version" must be a string or an integer'),
        ("sealing_key", {"key": _b64(bytes(32))}, "small order"),
        ("status_list", {"full": True, "since": 3}, "since"),
        ("config", {"settings": {"retention_days": 30, "retention_hard_days": 1}}, "retention"),
        ("config", {"settings": {"authority_signing_key": "x"}}, "not a setting the authority"),
        ("config", {"settings": {"authority_public_key": _b64(bytes(32))}}, "small order"),
    ]
    for doc_type, content, words in cases:
        path = write_json(offline / "content.json", content)
        code, out, err = run(
            capsys, "sign", "--key", key, "--type", doc_type, "--version", "1", path
        )
        assert (code, out) == (EXIT_USAGE, ""), (doc_type, err)
        assert f"not a {doc_type} a kiosk would accept" in err and words in err, err
    # A trust list with CSCAs signs (the rogue DSC in it will vouch for nothing at kiosks).
    trust = {
        "version": 1,
        "keys": [{"kid": _b64(rogue.kid), "certificate": _b64(rogue.der)}],
        "cscas": [{"country": "VN", "certificate": _b64(csca.der)}],
    }
    path = write_json(offline / "content.json", trust)
    code, out, _ = run(capsys, "sign", "--key", key, "--type", "trust_list", "--version", "1", path)
    assert code == EXIT_OK
    # A good sealing key signs and comes back out.
    sealing = PrivateKey.generate().public
    path = write_json(offline / "content.json", {"key": sealing.to_text()})
    code, out, _ = run(
        capsys, "sign", "--key", key, "--type", "sealing_key", "--version", "1", path
    )
    root = VerifyKey.from_text((offline / "root.pub").read_text(encoding="utf-8"))
    verified = verify_document(
        out.encode(),
        root=root,
        expected_type="sealing_key",
        audience="*",
        last_version=None,
        now=now(),
    )
    assert sealing_key_of(verified.document) == sealing
    # Signed with a key that is not the kiosks' root: `--root` says so before anyone else.
    other = offline / "other.key"
    assert run(capsys, "make-root", "--out", str(other))[0] == EXIT_OK
    code, _, err = run(
        capsys,
        "sign", "--key", str(other), "--root", str(offline / "root.pub"),
        "--type", "sealing_key", "--version", "2", path,
    )  # fmt: skip
    assert code == EXIT_USAGE and "document_unknown_signer" in err


def test_keys_are_never_overwritten_and_encrypted_keys_need_their_passphrase(
    sites: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    offline, _ = sites
    key = offline / "root.key"
    (offline / "pass").write_text("pass phrase\n", encoding="utf-8")
    assert (
        run(capsys, "make-root", "--out", str(key), "--passphrase-file", str(offline / "pass"))[0]
        == EXIT_OK
    )
    before = key.read_bytes()
    code, _, err = run(capsys, "make-root", "--out", str(key))
    assert code == EXIT_USAGE and "exists: not replaced" in err
    assert key.read_bytes() == before
    path = write_json(offline / "c.json", {"key": PrivateKey.generate().public.to_text()})
    code, _, err = run(
        capsys, "sign", "--key", str(key), "--type", "sealing_key", "--version", "1", path
    )
    assert code == EXIT_USAGE and "is encrypted: give --passphrase-file" in err
    (offline / "wrong").write_text("not it\n", encoding="utf-8")
    code, _, err = run(
        capsys,
        "sign", "--key", str(key), "--passphrase-file", str(offline / "wrong"),
        "--type", "sealing_key", "--version", "1", path,
    )  # fmt: skip
    assert code == EXIT_USAGE and "passphrase" in err
    # The fingerprint of a key file (with its passphrase) equals that of its .pub.
    code, out, _ = run(capsys, "fingerprint", str(key), "--passphrase-file", str(offline / "pass"))
    assert code == EXIT_OK
    from_pub = run(capsys, "fingerprint", str(offline / "root.pub"))[1]
    assert json.loads(out) == json.loads(from_pub)
    # A delegation to a key that is weak, or the root itself, is refused.
    code, _, err = run(
        capsys, "delegate", "--key", str(key), "--passphrase-file", str(offline / "pass"),
        "--to", _b64(bytes(32)), "--version", "1",
    )  # fmt: skip
    assert code == EXIT_USAGE and "small order" in err
    code, _, err = run(
        capsys, "delegate", "--key", str(key), "--passphrase-file", str(offline / "pass"),
        "--to", str(offline / "root.pub"), "--version", "1",
    )  # fmt: skip
    assert code == EXIT_USAGE and "--to is the root key itself" in err
    online = SigningKey.generate().public.to_text()
    code, _, err = run(
        capsys, "delegate", "--key", str(key), "--passphrase-file", str(offline / "pass"),
        "--to", online, "--version", "1", "--types", "config,trust_list",
    )  # fmt: skip
    assert (
        code == EXIT_USAGE and "an online key may sign only config, declaration, status_list" in err
    )


def test_rotating_the_root(sites: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    offline, _ = sites
    old, new = offline / "root-2026.key", offline / "root-2027.key"
    assert run(capsys, "make-root", "--out", str(old))[0] == EXIT_OK
    assert run(capsys, "make-root", "--out", str(new))[0] == EXIT_OK
    code, out, err = run(capsys, "rotate", "--key", str(old), "--new", str(new), "--version", "1")
    assert code == EXIT_OK, err
    pinned = VerifyKey.from_text((offline / "root-2026.pub").read_text(encoding="utf-8"))
    after = VerifyKey.from_text((offline / "root-2027.pub").read_text(encoding="utf-8"))
    assert follow_rotations(pinned, [out.encode()], last_version=None, now=now()) == (after, 1)
    assert after.fingerprint in err


def test_the_installed_command_runs_without_a_database(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "central.cli", "authority", "make-root", "--out", "root.key"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "KIOSK_CENTRAL_DB": str(tmp_path / "never.db")},
    )
    assert done.returncode == 0, done.stderr
    assert SigningKey.from_pem((tmp_path / "root.key").read_bytes()).public == VerifyKey.from_text(
        json.loads(done.stdout)["public_key"]
    )
    assert not (tmp_path / "never.db").exists()
