"""Demo data stays out of the server, and a trace never reads as an all-clear.

- A kiosk that ran on its built-in demo source marks those events `demo`; its sync sets them
  aside and never sends them, and the server would refuse them anyway (central.storage).
- `kiosk trace` with a bare number of someone never recorded here says "no record of this
  person" and exits 4, as `kiosk-central trace` does (tests/central/test_console.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.clock import FakeClock
from kiosk.demo import EXAMPLES
from kiosk.gate import DEMO_PROBLEM
from tests.central.test_live import Server, run_cli
from tests.test_cli import Kiosk as CliKiosk
from tests.test_sync import NOW, Kiosk, personal


@pytest.fixture
def kiosk(tmp_path: Path) -> Iterator[Kiosk]:
    k = Kiosk(tmp_path, FakeClock(NOW))
    yield k
    k.close()


def test_a_kiosk_that_ran_the_demo_never_delivers_it(
    kiosk: Kiosk, server: Server, db: Path
) -> None:
    kiosk.gate.demo = True
    for _, code in EXAMPLES[:5]:
        assert kiosk.gate.scan(code).event_id
        kiosk.clock.advance(2)
    kiosk.gate.demo = False
    real = kiosk.scan_many(2)
    marked = kiosk.gate.store.db.conn.execute(
        "SELECT count(*) FROM events WHERE problems LIKE ?", (f'%"{DEMO_PROBLEM}"%',)
    ).fetchone()
    assert marked == (5,)
    kiosk.enroll(server, db)
    report = kiosk.service().run_once()
    assert (report.delivered, report.quarantined) == (2, 5)
    stats = json.loads(run_cli(db, "stats").stdout)
    assert stats["events"] == 2 and stats["rejected"] == 0  # never even sent
    stored = {
        json.loads(line)["event_id"] for line in run_cli(db, "events", "--json").stdout.splitlines()
    }
    assert stored == set(real)
    # The next rounds send nothing more; the demo records stay on the kiosk, set aside.
    again = kiosk.service().run_once()
    assert again.delivered == 0
    assert kiosk.gate.store.quarantined_count() == 5
    assert json.loads(run_cli(db, "stats").stdout)["events"] == 2


def test_kiosk_trace_of_someone_never_recorded_is_not_an_all_clear(tmp_path: Path) -> None:
    cli = CliKiosk(tmp_path)
    cli("scan", personal(1))
    done = cli("trace", "079199099999", code=4)
    assert "no record of this person" in done.stderr
    assert "0 people" not in done.stdout
    # Someone recorded: traced as before.
    found = cli("trace", "001099000001")
    assert "people present at the same time" in found.stdout
