"""What a benchmark's figures depend on, measured beside it (not a benchmark itself).

This machine is shared: other engineers' tests run on the same 2 vCPUs, and a virtual machine
may lose time to its host (steal). A figure without the load it was measured under cannot be
compared with another, so every benchmark of the central server reports:

- `LoadSampler`: the load average (1 min) and how the CPUs were spent, sampled each second
  from /proc/stat while the run lasts: busy, idle, iowait and steal shares of all CPUs;
- `cpu_seconds(pid)`: CPU time (user + system) of a process and of its descendants, living
  (from /proc) and reaped (their parent's cutime/cstime), e.g. the server and its workers,
  or a PostgreSQL cluster (its postmaster and every backend);
- `rss_mb(pid)`: resident memory now and the peak (VmRSS, VmHWM) of one process.

Linux only (/proc).
"""

from __future__ import annotations

import os
import statistics
import threading
import time
from dataclasses import dataclass
from pathlib import Path

_TICK = os.sysconf("SC_CLK_TCK")


def _stat_fields(pid: int) -> list[str]:
    # The command name may hold spaces and parentheses: split after its closing one.
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def children(pid: int) -> list[int]:
    """Direct children of `pid` (every thread's), or [] when it has gone."""
    found: list[int] = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            found += [int(c) for c in (task / "children").read_text().split()]
    except (FileNotFoundError, ProcessLookupError):
        return []
    return found


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of `pid` and all its descendants (living, and those reaped by
    their parent), or 0 when it has gone."""
    try:
        fields = _stat_fields(pid)
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    # utime, stime, cutime, cstime: fields 14-17 of stat(5), 11-14 after the name.
    own = sum(int(f) for f in fields[11:15]) / _TICK
    return own + sum(cpu_seconds(child) for child in children(pid))


def rss_mb(pid: int) -> tuple[float, float]:
    """(VmRSS, VmHWM) of one process in MB: resident now, and the peak."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0]) / 1024
    return values["VmRSS"], values["VmHWM"]


def _cpu_times() -> list[int]:
    # user nice system idle iowait irq softirq steal (all CPUs), in ticks.
    first = Path("/proc/stat").read_text().splitlines()[0].split()[1:9]
    return [int(x) for x in first]


@dataclass(frozen=True)
class Load:
    load_mean: float
    load_max: float
    busy: float  # share of all CPUs' time (0-1)
    iowait: float
    steal: float
    seconds: float

    def __str__(self) -> str:
        return (
            f"load average {self.load_mean:.2f} (max {self.load_max:.2f}); CPUs busy "
            f"{self.busy:.0%}, iowait {self.iowait:.0%}, steal {self.steal:.0%} over "
            f"{self.seconds:.0f} s"
        )


class LoadSampler:
    """Samples the load average every second in a thread; `stop()` gives the summary."""

    def __init__(self) -> None:
        self._samples: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._start_times = _cpu_times()
        self._started = time.monotonic()
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            self._samples.append(os.getloadavg()[0])
            self._stop.wait(1.0)

    def stop(self) -> Load:
        self._stop.set()
        self._thread.join(5)
        end = _cpu_times()
        delta = [b - a for a, b in zip(self._start_times, end, strict=True)]
        total = sum(delta) or 1
        user, nice, system, _idle, iowait, irq, softirq, steal = delta
        samples = self._samples or [os.getloadavg()[0]]
        return Load(
            statistics.fmean(samples),
            max(samples),
            (user + nice + system + irq + softirq) / total,
            iowait / total,
            steal / total,
            time.monotonic() - self._started,
        )


def speed_ms() -> float:
    """A fixed pure-Python workload of the server's kind (JSON of 500 events, SHA-256 of each),
    best of 5, in ms: per-core speed, to compare machines of the same name (virtual machines
    of one type run on hosts of different generations) independently of the load."""
    import hashlib
    import json

    events = [
        {"event_id": f"{i:032x}", "seq": i, "person_key": f"id:{i:024x}", "problems": []}
        for i in range(500)
    ]
    best = float("inf")
    for _ in range(5):
        began = time.perf_counter()
        for _ in range(20):
            for event in json.loads(json.dumps(events)):
                hashlib.sha256(repr(sorted(event.items())).encode()).hexdigest()
        best = min(best, time.perf_counter() - began)
    return best * 1000


def machine() -> str:
    """One line: CPUs, their model, memory, load average now, the speed index."""
    model = "?"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    memory = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            memory = int(line.split()[1]) // 1024 // 1024
    load = os.getloadavg()
    return (
        f"{os.cpu_count()} CPUs ({model}), {memory} GB; load average now "
        f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; speed index {speed_ms():.0f} ms "
        "(bench/machine.py: lower is faster)"
    )
