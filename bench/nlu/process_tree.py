"""Run a command and measure its wall time and the peak RSS of its whole process tree.

Linux only: the tree is found through /proc (parent ids) and resident memory is read from
/proc/<pid>/statm, sampled every `interval` seconds. Short-lived spikes between two samples
can be missed, so the kernel's own high-water mark of the largest single child
(`ru_maxrss` of RUSAGE_CHILDREN) is reported too and the peak is the larger of the two.
"""

from __future__ import annotations

import os
import resource
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


@dataclass
class RunResult:
    returncode: int
    wall_seconds: float
    peak_rss_bytes: int


def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for path in Path("/proc").iterdir():
        entry = path.name
        if not entry.isdigit():
            continue
        try:
            with open(path / "stat", encoding="utf-8") as handle:
                stat = handle.read()
        except OSError:
            continue
        # the command name is in parentheses and may contain spaces
        fields = stat[stat.rfind(")") + 2 :].split()
        children.setdefault(int(fields[1]), []).append(int(entry))
    return children


def tree_rss(root: int) -> int:
    """Sum of resident memory of `root` and all its descendants, in bytes."""
    children = _children_map()
    total = 0
    stack = [root]
    while stack:
        pid = stack.pop()
        try:
            with open(f"/proc/{pid}/statm", encoding="utf-8") as handle:
                total += int(handle.read().split()[1]) * PAGE_SIZE
        except (OSError, IndexError, ValueError):
            pass
        stack.extend(children.get(pid, []))
    return total


def run_measured(
    command: list[str],
    log_path: Path,
    cwd: Path,
    env: dict[str, str],
    timeout: float,
    interval: float = 0.1,
) -> RunResult:
    """Run `command`, send its output to `log_path`, and measure it (see module doc)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    peak = 0
    with open(log_path, "w", encoding="utf-8") as log:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
        deadline = started + timeout
        while process.poll() is None:
            peak = max(peak, tree_rss(process.pid))
            if time.perf_counter() > deadline:
                process.kill()
                process.wait()
                raise TimeoutError(f"{command[0]} did not finish within {timeout:.0f} s")
            time.sleep(interval)
        wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss is in KiB on Linux; it only grows, so it tells something only if it grew.
    kernel_peak = after * 1024 if after > before else 0
    return RunResult(process.returncode, wall, max(peak, kernel_peak))
