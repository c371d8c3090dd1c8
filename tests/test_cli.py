"""The `kiosk` command as a user runs it: a real process, a real data directory."""

from __future__ import annotations

import csv
import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.test_gate import CCCD, OTHER, PERSONAL

FIELD_NAMES = {
    "id_number",
    "old_id_number",
    "full_name",
    "birth_date",
    "gender",
    "address",
    "issue_date",
    "qid",
    "proxy",
    "proxy_qid",
    "bhyt_number",
    "phone",
    "card_number",
    "clinic_code",
    "valid_from",
    "valid_to",
    "family_name",
    "given_name",
    "certificate_id",
    "issuer_country",
    "expires_at",
    "signature",
    "declared_at",
    "declaration_valid_until",
    "declaration_summary",
}


class Kiosk:
    def __init__(self, tmp_path: Path) -> None:
        self.data = tmp_path / "data"
        self.config = tmp_path / "kiosk.toml"
        self.env = {**os.environ, "KIOSK_DATA_DIR": str(self.data)}

    def argv(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "kiosk", "--config", str(self.config), *args]

    def __call__(
        self, *args: str, stdin: bytes | None = None, code: int = 0
    ) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run(
            self.argv(*args),
            input=stdin.decode() if stdin else None,
            capture_output=True,
            text=True,
            env=self.env,
            timeout=60,
        )
        assert proc.returncode == code, (proc.returncode, proc.stdout, proc.stderr)
        return proc

    def json_lines(self, *args: str) -> list[dict[str, object]]:
        return [json.loads(line) for line in self(*args).stdout.splitlines()]


@pytest.fixture
def kiosk(tmp_path: Path) -> Kiosk:
    return Kiosk(tmp_path)


def test_parse_prints_the_documented_object(kiosk: Kiosk) -> None:
    [out] = kiosk.json_lines("parse", CCCD)
    assert set(out) == {"kind", "person_key", "display_name", "fields", "problems"}
    assert out["kind"] == "cccd"
    fields = out["fields"]
    assert isinstance(fields, dict) and set(fields) >= FIELD_NAMES
    assert fields["full_name"] == "Trần Thị Bích Ngọc"
    assert fields["birth_date"] == "1999-08-15" and fields["gender"] == "female"
    assert fields["family_name"] is None  # absent fields are null


def test_parse_reads_stdin_with_scanner_line_endings(kiosk: Kiosk) -> None:
    out = json.loads(kiosk("parse", "-", stdin=(PERSONAL + "\r\n").encode()).stdout)
    assert out["kind"] == "personal_qr"
    # The same person key as the chip ID card with the same number.
    [card] = kiosk.json_lines("parse", CCCD)
    assert out["person_key"] == card["person_key"]


def test_scan_log_export_trace(kiosk: Kiosk, tmp_path: Path) -> None:
    first = kiosk.json_lines("scan", CCCD)[0]
    assert {"verdict", "direction", "reason", "event_id"} <= set(first)
    assert (first["verdict"], first["direction"], first["reason"]) == ("admit", "in", "entry")
    dup = kiosk.json_lines("scan", CCCD)[0]
    assert dup["verdict"] == "duplicate" and dup["event_id"] is None
    kiosk("config", "set", "duplicate_window_s", "0")  # the next scans are not duplicates
    other = kiosk.json_lines("scan", OTHER, "--gate", "in")[0]
    assert other["verdict"] == "admit"
    leave = kiosk.json_lines("scan", CCCD, "--gate", "out")[0]
    assert (leave["verdict"], leave["direction"]) == ("admit", "out")

    events = kiosk.json_lines("log", "--json")
    assert [e["event_id"] for e in events] == [
        first["event_id"],
        other["event_id"],
        leave["event_id"],
    ]
    required = {
        "event_id",
        "seq",
        "kind",
        "person_key",
        "display_name",
        "direction",
        "verdict",
        "reason",
        "device_time",
        "delivered",
    }
    assert all(required <= set(e) for e in events)
    assert events[0]["display_name"] == "T. T. B. Ngọc" and events[0]["delivered"] is False
    human = kiosk("log", "--since", "today").stdout
    assert "T. T. B. Ngọc (1999)" in human and "Trần" not in human

    out = tmp_path / "export.csv"
    kiosk("export", "--from", "2020-01-01", "--to", "2099-12-31", "--out", str(out))
    with out.open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["event_id"] for r in rows] == [e["event_id"] for e in events]
    assert rows[0]["display_name"] == "T. T. B. Ngọc"

    together = kiosk.json_lines("trace", CCCD, "--json")
    assert [t["person_key"] for t in together] == [events[1]["person_key"]]
    by_key = kiosk.json_lines("trace", str(events[1]["person_key"]), "--json")
    assert [t["person_key"] for t in by_key] == [events[0]["person_key"]]
    long_ago = kiosk.json_lines(
        "trace", CCCD, "--json", "--from", "2020-01-01", "--to", "2020-01-31"
    )
    assert long_ago == []
    # Typed as on the admin screen: the ID number alone names the same person (one resolver).
    typed = kiosk.json_lines("trace", "079 199 012 345", "--json")
    assert [t["person_key"] for t in typed] == [events[1]["person_key"]]
    # A venue's poster names nobody: "no record" (exit 4), never traced as nobody's visits.
    refused = kiosk("trace", "https://tokhaiyte.vn/?groupid=0123456789abcdef01234567", code=4)
    assert "no record of this person" in refused.stderr


def test_purge_reports_what_it_did(kiosk: Kiosk) -> None:
    kiosk("scan", CCCD)
    [result] = kiosk.json_lines("purge")
    assert result["deleted_delivered"] == 0 and result["deleted_undelivered"] == 0


def test_settings_errors_name_the_key_and_the_allowed_values(kiosk: Kiosk) -> None:
    bad = kiosk("config", "set", "gate_mode", "sideways", code=2)
    assert "gate_mode" in bad.stderr and "in, out, auto" in bad.stderr
    kiosk("config", "set", "capacity", "120")
    assert "capacity = 120" in kiosk.config.read_text()
    shown = json.loads(kiosk("config", "show").stdout)
    assert shown["capacity"] == 120
    kiosk.config.write_text('gate_mode = "auto"\nduplicate_windw_s = 5\n')
    typo = kiosk("scan", CCCD, code=3)
    assert "duplicate_windw_s" in typo.stderr and "duplicate_window_s" in typo.stderr


def test_a_newer_database_is_refused_with_a_clear_error(kiosk: Kiosk) -> None:
    kiosk("scan", CCCD)
    with sqlite3.connect(kiosk.data / "kiosk.db") as conn:
        conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
            "VALUES ('kiosk', '9999_future', 'x')"
        )
    refused = kiosk("log", code=3)
    assert "newer kiosk version" in refused.stderr


def test_bad_dates_are_usage_errors(kiosk: Kiosk, tmp_path: Path) -> None:
    err = kiosk(
        "export",
        "--from",
        "yesterday-ish",
        "--to",
        "2026-01-01",
        "--out",
        str(tmp_path / "x.csv"),
        code=2,
    )
    assert "is not a date" in err.stderr


def test_sigkill_right_after_the_verdict_loses_nothing(kiosk: Kiosk) -> None:
    """`kiosk scan` printed its verdict; the process is killed at once; the event is there."""
    acknowledged = []
    for payload in (CCCD, OTHER, "001099012345|NGUYEN VAN AN|1990-12-01|0|163000000000012345|"):
        proc = subprocess.Popen(
            kiosk.argv("scan", payload, "--gate", "in"),
            env=kiosk.env,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout is not None
        line = proc.stdout.readline()
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        acknowledged.append(json.loads(line)["event_id"])
    with sqlite3.connect(kiosk.data / "kiosk.db") as conn:
        stored = {r[0] for r in conn.execute("SELECT event_id FROM events")}
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert set(acknowledged) <= stored


SCANNER_LOOP = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from kiosk.clock import SystemClock
    from kiosk.config import Settings
    from kiosk.gate import Gate
    gate = Gate.open(Path(sys.argv[1]), Settings(duplicate_window_s=0), SystemClock())
    i = 0
    while True:
        out = gate.scan(f"001099{i:06d}|NGUYEN VAN AN|1990-**-**|0|1630000000{i:08d}|")
        print(json.dumps({"event_id": out.event_id}), flush=True)
        i += 1
    """
)


def test_sigkill_in_the_middle_of_a_scan_loop_loses_no_acknowledged_event(
    kiosk: Kiosk, tmp_path: Path
) -> None:
    """A scanning process killed at a random moment, several times: every event whose verdict
    was printed is in the database, with no duplicate ids and a sound file."""
    script = tmp_path / "loop.py"
    script.write_text(SCANNER_LOOP)
    acknowledged: list[str] = []
    for kill_after in (1, 7, 23, 41, 60):
        proc = subprocess.Popen(
            [sys.executable, str(script), str(kiosk.data)],
            stdout=subprocess.PIPE,
            text=True,
            cwd=Path(__file__).resolve().parents[1],
        )
        assert proc.stdout is not None
        for _ in range(kill_after):
            acknowledged.append(json.loads(proc.stdout.readline())["event_id"])
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    with sqlite3.connect(kiosk.data / "kiosk.db") as conn:
        ids = [r[0] for r in conn.execute("SELECT event_id FROM events")]
        outbox = {r[0] for r in conn.execute("SELECT event_id FROM outbox")}
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert len(ids) == len(set(ids))
    assert set(acknowledged) <= set(ids)
    assert set(acknowledged) <= outbox  # each waiting for delivery too


# -- `kiosk run`: the global options before the command, as for every other command -----------


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        (["run", "--windowed"], ["--windowed"]),
        (["--data-dir", "D", "run", "--source", "demo"], ["--source", "demo", "--data-dir", "D"]),
        (["--config=C", "-v", "run"], ["--config=C", "-v"]),
        (["--verbose", "--data-dir", "run", "run"], ["--verbose", "--data-dir", "run"]),
        (["log", "run"], None),  # `run` as another command's argument
        (["--data-dir", "D", "log"], None),
        ([], None),
    ],
)
def test_run_arguments_take_the_global_options_before_the_command(
    arguments: list[str], expected: list[str] | None
) -> None:
    from kiosk.cli import run_arguments

    assert run_arguments(arguments) == expected


@pytest.mark.timeout(180)
@pytest.mark.parametrize("options", ["before", "after"])
def test_kiosk_run_plays_a_folder_records_the_codes_and_exits(
    kiosk: Kiosk, tmp_path: Path, options: str
) -> None:
    """`kiosk run --source images:DIR` as a user runs it (a process, offscreen), with the data
    directory given before `run` (`kiosk --data-dir DIR run ...`, as every other command takes
    it) or after: the codes held up are recorded into that directory, which `kiosk log` reads."""
    import cv2

    from kiosk.scanner.render import render_empty, render_frame

    frames = tmp_path / "frames"
    frames.mkdir()
    # Each code held up over three images, so that the unpaced folder cannot rush past it.
    shown = [PERSONAL] * 3 + [None] + [OTHER] * 3
    for number, payload in enumerate(shown):
        image = render_empty(seed=number) if payload is None else render_frame(payload, seed=1)
        assert cv2.imwrite(str(frames / f"{number:03d}.png"), image)
    data = tmp_path / "elsewhere"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("KIOSK_DATA_DIR", None)  # only the option says where
    home = ["--data-dir", str(data), "--config", str(kiosk.config)]
    command = ["run", "--source", f"images:{frames}", "--windowed", "--exit-at-end"]
    argv = [*home, *command] if options == "before" else [*command, *home]
    run = subprocess.run(
        [sys.executable, "-m", "kiosk", *argv],
        env=env,
        capture_output=True,
        text=True,
        timeout=150,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert "unrecognized arguments" not in run.stderr
    assert "Traceback" not in run.stderr
    log = subprocess.run(
        [sys.executable, "-m", "kiosk", *home, "log", "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert log.returncode == 0, log.stderr
    events = [json.loads(line) for line in log.stdout.splitlines()]
    assert [(e["kind"], e["verdict"], e["direction"]) for e in events] == [
        ("personal_qr", "admit", "in"),
        ("cccd", "admit", "in"),
    ]
    assert (data / "kiosk.db").exists()
