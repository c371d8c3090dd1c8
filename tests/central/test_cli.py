"""`kiosk-central` operator commands, in-process (main(argv)) for speed; exit codes 0/2/3."""

from __future__ import annotations

import base64
import json
import os
import re
import secrets
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from central.cli import DB_ENV, EXIT_DATA, EXIT_OK, EXIT_USAGE, main
from central.storage import Storage


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "central.db"


def test_enrollment_code_creates_the_checkpoint_and_prints_a_code(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        capsys, "enrollment-code", "--checkpoint", "Chợ Bến Thành", "--db", str(db)
    )
    assert code == EXIT_OK
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}\n", out)
    with Storage.open(db) as storage:
        [cp] = storage.checkpoints()
    assert cp.name == "Chợ Bến Thành" and cp.id in err
    # Again by name or by id: the same checkpoint, a new code.
    code, out2, _ = run(capsys, "enrollment-code", "--checkpoint", cp.id, "--db", str(db))
    assert code == EXIT_OK and out2 != out
    with Storage.open(db) as storage:
        assert len(storage.checkpoints()) == 1


def test_the_database_path_comes_from_the_environment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(DB_ENV, str(tmp_path / "env.db"))
    assert run(capsys, "enrollment-code", "--checkpoint", "A")[0] == EXIT_OK
    assert (tmp_path / "env.db").exists()
    assert os.stat(tmp_path / "env.db").st_mode & 0o077 == 0


def test_checkpoint_settings(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "enrollment-code", "--checkpoint", "Gate", "--db", str(db))
    code, out, _ = run(
        capsys,
        "checkpoint-settings",
        "--checkpoint",
        "Gate",
        "capacity=300",
        "accepted_kinds=cccd,personal_qr",
        "auto_checkout_time=",
        "timezone=Asia/Ho_Chi_Minh",
        "--db",
        str(db),
    )
    assert code == EXIT_OK
    result = json.loads(out)
    assert result["settings"] == {
        "capacity": 300,
        "accepted_kinds": ["cccd", "personal_qr"],
        "auto_checkout_time": "",
        "timezone": "Asia/Ho_Chi_Minh",
        "checkpoint_name": "Gate",
    }
    code, out, _ = run(
        capsys,
        "checkpoint-settings",
        "--checkpoint",
        "Gate",
        "--unset",
        "capacity",
        "--db",
        str(db),
    )
    assert code == EXIT_OK and "capacity" not in json.loads(out)["settings"]
    assert json.loads(out)["version"] > result["version"]
    for bad in ("capacity=lots", "capacity=-5", "gate_mode=in", "language=vi", "nonsense"):
        code, _, err = run(
            capsys, "checkpoint-settings", "--checkpoint", "Gate", bad, "--db", str(db)
        )
        assert code == EXIT_USAGE, (bad, err)
    code, _, err = run(
        capsys, "checkpoint-settings", "--checkpoint", "cp-nope", "capacity=1", "--db", str(db)
    )
    assert code == EXIT_USAGE and "no checkpoint" in err


def test_revoke_unknown_device_is_a_usage_error(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Storage.open(db).close()
    code, _, err = run(capsys, "revoke", "ghost", "--db", str(db))
    assert code == EXIT_USAGE and "ghost" in err


def test_status_list_file(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "status.json"
    path.write_text(
        json.dumps(
            {
                "entries": [
                    {"person_key": "a", "colour": "red", "valid_until": "2026-12-01T00:00:00Z"},
                    {"person_key": "b", "colour": "green"},
                ]
            }
        )
    )
    code, out, _ = run(capsys, "status-list", str(path), "--db", str(db))
    assert (code, json.loads(out)) == (EXIT_OK, {"version": 1, "entries": 2})
    path.write_text(json.dumps([{"person_key": "a", "colour": "yellow"}]))
    code, out, _ = run(capsys, "status-list", str(path), "--db", str(db))
    assert json.loads(out)["version"] == 2
    for content in ("not json", '[{"person_key": "a", "colour": "blue"}]', '[{"code": "x"}]', "{}"):
        path.write_text(content)
        assert run(capsys, "status-list", str(path), "--db", str(db))[0] == EXIT_USAGE
    assert run(capsys, "status-list", str(tmp_path / "absent.json"), "--db", str(db))[0] == 2


def trust_file(path: Path, version: object, n: int = 1) -> Path:
    keys = []
    for _ in range(n):
        key = ec.generate_private_key(ec.SECP256R1()).public_key()
        der = key.public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        keys.append(
            {
                "kid": base64.b64encode(secrets.token_bytes(8)).decode(),
                "public_key": base64.b64encode(der).decode(),
                "note": "ignored",
            }
        )
    path.write_text(json.dumps({"version": version, "keys": keys}))
    return path


def test_trust_list_file(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = trust_file(tmp_path / "trust.json", "2026-11-25.1")
    code, out, _ = run(capsys, "trust-list", str(path), "--db", str(db))
    assert (code, json.loads(out)["changed"]) == (EXIT_OK, True)
    code, out, _ = run(capsys, "trust-list", str(path), "--db", str(db))
    assert (code, json.loads(out)["changed"]) == (EXIT_OK, False)
    with Storage.open(db) as storage:
        current = storage.trust_list()
    assert current is not None and set(current.keys[0]) == {"kid", "public_key"}
    other = trust_file(tmp_path / "other.json", "2026-11-25.1")
    code, _, err = run(capsys, "trust-list", str(other), "--db", str(db))
    assert code == EXIT_USAGE and "new version" in err
    (tmp_path / "bad.json").write_text('{"version": 1, "keys": [{"kid": "AAAA"}]}')
    assert run(capsys, "trust-list", str(tmp_path / "bad.json"), "--db", str(db))[0] == EXIT_USAGE


def test_read_commands_need_a_database(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for command in (["events", "--json"], ["trace", "pk"], ["stats"], ["checkpoints"]):
        code, _, err = run(capsys, *command, "--db", str(db))
        assert code == EXIT_DATA and "no database" in err
    assert not db.exists()


def test_a_file_that_is_not_a_database_is_exit_3(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db.write_bytes(b"not a database at all" * 200)
    code, _, err = run(capsys, "events", "--db", str(db))
    assert code == EXIT_DATA and "database" in err


def test_bad_usage_is_exit_2(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "events", "--bogus")[0] == EXIT_USAGE
    assert run(capsys)[0] == EXIT_USAGE
    Storage.open(db).close()
    assert run(capsys, "events", "--checkpoint", "cp-nope", "--db", str(db))[0] == EXIT_USAGE
    assert run(capsys, "trace", "x", "--margin", "-1", "--db", str(db))[0] == EXIT_USAGE


def test_checkpoints_and_stats(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Control characters are refused in names (the kiosk's own check) ...
    bad = run(capsys, "enrollment-code", "--checkpoint", "Gate\x1b[31m", "--db", str(db))
    assert bad[0] == EXIT_USAGE
    # ... and bidi overrides, allowed, are made visible on a terminal.
    run(capsys, "enrollment-code", "--checkpoint", "<b>Gate</b>\u202e", "--db", str(db))
    code, out, _ = run(capsys, "checkpoints", "--json", "--db", str(db))
    assert code == EXIT_OK
    [row] = [json.loads(line) for line in out.splitlines()]
    assert row["name"] == "<b>Gate</b>\u202e" and row["devices"] == 0
    _, out, _ = run(capsys, "checkpoints", "--db", str(db))
    assert "\u202e" not in out and "<b>Gate</b>\\u202e" in out
    _, out, _ = run(capsys, "stats", "--db", str(db))
    assert json.loads(out) == {
        "events": 0,
        "devices": 0,
        "checkpoints": 1,
        "duplicates": 0,
        "conflicts": 0,
        "rejected": 0,
    }
