"""`kiosk-central` operator commands, in-process (main(argv)) for speed; exit codes 0/2/3."""

from __future__ import annotations

import base64
import json
import os
import re
import secrets
import shutil
import socket
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import text

from central import migrate
from central.cli import DB_ENV, EXIT_DATA, EXIT_OK, EXIT_USAGE, main
from central.database import DATABASE_URL_ENV
from central.storage import Storage
from tests.central.test_live import db_option, run_cli, start_server

from .conftest import LEGACY


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_enrollment_code_creates_the_checkpoint_and_prints_a_code(
    db: Path | str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "enrollment-code", "--checkpoint", "Chợ Bến Thành", *db_option(db))
    assert code == EXIT_OK
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}\n", out)
    with Storage.open(db) as storage:
        [cp] = storage.checkpoints()
    assert cp.name == "Chợ Bến Thành" and cp.id in err
    # Again by name or by id: the same checkpoint, a new code.
    code, out2, _ = run(capsys, "enrollment-code", "--checkpoint", cp.id, *db_option(db))
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


def test_checkpoint_settings(db: Path | str, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "enrollment-code", "--checkpoint", "Gate", *db_option(db))
    code, out, _ = run(
        capsys,
        "checkpoint-settings",
        "--checkpoint",
        "Gate",
        "capacity=300",
        "accepted_kinds=cccd,personal_qr",
        "auto_checkout_time=",
        "timezone=Asia/Ho_Chi_Minh",
        *db_option(db),
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
        *db_option(db),
    )
    assert code == EXIT_OK and "capacity" not in json.loads(out)["settings"]
    assert json.loads(out)["version"] > result["version"]
    for bad in ("capacity=lots", "capacity=-5", "gate_mode=in", "language=vi", "nonsense"):
        code, _, err = run(
            capsys, "checkpoint-settings", "--checkpoint", "Gate", bad, *db_option(db)
        )
        assert code == EXIT_USAGE, (bad, err)
    code, _, err = run(
        capsys, "checkpoint-settings", "--checkpoint", "cp-nope", "capacity=1", *db_option(db)
    )
    assert code == EXIT_USAGE and "no checkpoint" in err


def test_revoke_unknown_device_is_a_usage_error(
    db: Path | str, capsys: pytest.CaptureFixture[str]
) -> None:
    Storage.open(db).close()
    code, _, err = run(capsys, "revoke", "ghost", *db_option(db))
    assert code == EXIT_USAGE and "ghost" in err


def test_status_list_file(
    db: Path | str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
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
    code, out, _ = run(capsys, "status-list", str(path), *db_option(db))
    assert (code, json.loads(out)) == (EXIT_OK, {"version": 1, "entries": 2})
    path.write_text(json.dumps([{"person_key": "a", "colour": "yellow"}]))
    code, out, _ = run(capsys, "status-list", str(path), *db_option(db))
    assert json.loads(out)["version"] == 2
    for content in ("not json", '[{"person_key": "a", "colour": "blue"}]', '[{"code": "x"}]', "{}"):
        path.write_text(content)
        assert run(capsys, "status-list", str(path), *db_option(db))[0] == EXIT_USAGE
    assert run(capsys, "status-list", str(tmp_path / "absent.json"), *db_option(db))[0] == 2


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


def test_trust_list_file(
    db: Path | str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = trust_file(tmp_path / "trust.json", "2026-11-25.1")
    code, out, _ = run(capsys, "trust-list", str(path), *db_option(db))
    assert (code, json.loads(out)["changed"]) == (EXIT_OK, True)
    code, out, _ = run(capsys, "trust-list", str(path), *db_option(db))
    assert (code, json.loads(out)["changed"]) == (EXIT_OK, False)
    with Storage.open(db) as storage:
        current = storage.trust_list()
    assert current is not None and set(current.keys[0]) == {"kid", "public_key"}
    other = trust_file(tmp_path / "other.json", "2026-11-25.1")
    code, _, err = run(capsys, "trust-list", str(other), *db_option(db))
    assert code == EXIT_USAGE and "new version" in err
    (tmp_path / "bad.json").write_text('{"version": 1, "keys": [{"kid": "AAAA"}]}')
    assert run(capsys, "trust-list", str(tmp_path / "bad.json"), *db_option(db))[0] == EXIT_USAGE


def test_read_commands_need_a_database(
    tmp_path: Path, postgres_empty_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    absent = tmp_path / "central.db"
    for command in (["events", "--json"], ["trace", "pk"], ["stats"], ["checkpoints"]):
        code, _, err = run(capsys, *command, "--db", str(absent))
        assert code == EXIT_DATA and "no database" in err
        # PostgreSQL: a database without the server's schema.
        code, _, err = run(capsys, *command, "--database-url", postgres_empty_url)
        assert code == EXIT_DATA and "holds no kiosk-central data" in err
    assert not absent.exists()


def test_a_file_that_is_not_a_database_is_exit_3(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "central.db"
    path.write_bytes(b"not a database at all" * 200)
    code, _, err = run(capsys, "events", "--db", str(path))
    assert code == EXIT_DATA and "database" in err


def test_bad_usage_is_exit_2(db: Path | str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "events", "--bogus")[0] == EXIT_USAGE
    assert run(capsys)[0] == EXIT_USAGE
    Storage.open(db).close()
    assert run(capsys, "events", "--checkpoint", "cp-nope", *db_option(db))[0] == EXIT_USAGE
    assert run(capsys, "trace", "x", "--margin", "-1", *db_option(db))[0] == EXIT_USAGE


def test_checkpoints_and_stats(db: Path | str, capsys: pytest.CaptureFixture[str]) -> None:
    # Control characters are refused in names (the kiosk's own check) ...
    bad = run(capsys, "enrollment-code", "--checkpoint", "Gate\x1b[31m", *db_option(db))
    assert bad[0] == EXIT_USAGE
    # ... and bidi overrides, allowed, are made visible on a terminal.
    run(capsys, "enrollment-code", "--checkpoint", "<b>Gate</b>\u202e", *db_option(db))
    code, out, _ = run(capsys, "checkpoints", "--json", *db_option(db))
    assert code == EXIT_OK
    [row] = [json.loads(line) for line in out.splitlines()]
    assert row["name"] == "<b>Gate</b>\u202e" and row["devices"] == 0
    _, out, _ = run(capsys, "checkpoints", *db_option(db))
    assert "\u202e" not in out and "<b>Gate</b>\\u202e" in out
    _, out, _ = run(capsys, "stats", *db_option(db))
    assert json.loads(out) == {
        "events": 0,
        "devices": 0,
        "checkpoints": 1,
        "duplicates": 0,
        "conflicts": 0,
        "rejected": 0,
    }


# -- where the database is ------------------------------------------------------------------------


def test_the_database_url_comes_from_the_environment_and_options_win(
    tmp_path: Path,
    postgres_url: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(DB_ENV, str(tmp_path / "env.db"))
    monkeypatch.setenv(DATABASE_URL_ENV, postgres_url)
    assert run(capsys, "enrollment-code", "--checkpoint", "On PostgreSQL")[0] == EXIT_OK
    assert not (tmp_path / "env.db").exists()  # the URL wins over the file
    assert (
        run(capsys, "enrollment-code", "--checkpoint", "In a file", "--db", str(tmp_path / "f.db"))[
            0
        ]
        == EXIT_OK
    )
    with Storage.open(postgres_url) as storage:
        assert [c.name for c in storage.checkpoints()] == ["On PostgreSQL"]
    with Storage.open(tmp_path / "f.db") as storage:
        assert [c.name for c in storage.checkpoints()] == ["In a file"]
    # sqlite:/// URLs name a file too.
    url = f"sqlite:///{tmp_path / 'by-url.db'}"
    assert run(capsys, "enrollment-code", "--checkpoint", "X", "--database-url", url)[0] == 0
    assert (tmp_path / "by-url.db").exists()


@pytest.mark.parametrize(
    "url",
    [
        "mysql://kiosk@127.0.0.1/central",
        "postgresql+asyncpg://kiosk@127.0.0.1/central",
        "postgresql://kiosk@127.0.0.1:5432",
        "sqlite://",
        "not a url://",
    ],
)
def test_a_database_url_the_server_cannot_use_is_exit_2(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "stats", "--database-url", url)
    assert code == EXIT_USAGE, err
    assert err.startswith("kiosk-central: ") and err.count("\n") == 1


def test_db_and_database_url_together_are_bad_usage(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "stats", "--db", "a.db", "--database-url", "postgresql://h/db")
    assert code == EXIT_USAGE and "not allowed with" in err


def test_a_newer_schema_is_exit_3(db: Path | str, capsys: pytest.CaptureFixture[str]) -> None:
    with Storage.open(db) as storage, storage.db.write() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    for command in (["stats"], ["serve", "--port", "0"], ["migrate"]):
        code, _, err = run(capsys, *command, *db_option(db))
        assert code == EXIT_DATA, (command, err)
        assert "newer server version" in err and "9999_future" in err


def test_migrate_upgrades_an_older_postgresql_database_that_serve_refuses(
    postgres_url: str,
    capsys: pytest.CaptureFixture[str],
    request: pytest.FixtureRequest,
) -> None:
    Storage.open(postgres_url).close()
    request.getfixturevalue("newer_server")
    code, _, err = run(capsys, "serve", "--port", "0", "--database-url", postgres_url)
    assert code == EXIT_DATA
    assert "pg_dump" in err and "kiosk-central migrate" in err and err.count("\n") == 1
    code, out, _ = run(capsys, "migrate", "--database-url", postgres_url)
    assert code == EXIT_OK
    assert json.loads(out) == {"schema": "0002_test_only", "backup": None}
    assert run(capsys, "stats", "--database-url", postgres_url)[0] == EXIT_OK


def test_migrate_converts_an_old_sqlite_file_after_a_backup(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "central.db"
    shutil.copyfile(LEGACY, path)
    code, out, err = run(capsys, "migrate", "--db", str(path))
    assert code == EXIT_OK, err
    result = json.loads(out)
    assert result["schema"] == migrate.SCHEMA_HEAD
    assert Path(result["backup"]).parent == tmp_path / "backups"
    code, out, _ = run(capsys, "stats", "--db", str(path))
    assert json.loads(out)["events"] == 10


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_an_unreachable_database_is_one_line_and_exit_3(tmp_path: Path) -> None:
    url = f"postgresql://kiosk:s3cret-pw@127.0.0.1:{closed_port()}/central"
    for command in (["serve", "--port", "0"], ["stats"], ["migrate"]):
        done = run_cli(url, *command)
        assert done.returncode == EXIT_DATA, done.stderr
        lines = done.stderr.splitlines()
        assert len(lines) == 1, done.stderr
        assert lines[0].startswith("kiosk-central: cannot connect to the database at ")
        assert "127.0.0.1" in lines[0] and "refused" in lines[0].lower()
        assert "s3cret-pw" not in done.stderr and "Traceback" not in done.stderr


def test_the_serve_line_hides_the_password(postgres_url: str) -> None:
    # The test cluster trusts local connections, so any password is accepted (and ignored).
    with_password = postgres_url.replace("postgres@", "postgres:hunter2@")
    with start_server(with_password) as server:
        line = next(line for line in server.output if "serving" in line)
    assert "hunter2" not in server.log_text()
    assert "postgres:***@127.0.0.1" in line


def test_report_gives_the_days_figures_and_a_checkpoints_hours(
    db: Path | str, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.central.test_storage import enrolled, upload

    from .conftest import T0, make_event

    with Storage.open(db) as storage:
        cp = enrolled(storage, "Chợ Đồng Xuân")
        events = [
            make_event(cp, person_key=f"p{i}", boot_id="boot-synced", device_time=T0.isoformat())
            for i in range(3)
        ]
        storage.ingest("dev-1", upload(events, boot_id="boot-x"), T0)
    code, out, err = run(capsys, "report", "--day", "2026-11-25", "--json", *db_option(db))
    assert code == EXIT_OK, err
    assert json.loads(out) == {
        "day": "2026-11-25",
        "checkpoints": 1,
        "new_checkpoints": 1,
        "active_checkpoints": 1,
        "scans": 3,
        "entries": 3,
        "people": 3,
    }
    code, out, _ = run(capsys, "report", "--day", "2026-11-25", "--checkpoint", cp, *db_option(db))
    assert code == EXIT_OK
    assert "Chợ Đồng Xuân" in out and "10:00  in     3  out     0  refused    0" in out
    assert run(capsys, "report", "--day", "25/11/2026", *db_option(db))[0] == EXIT_USAGE
