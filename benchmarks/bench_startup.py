"""Benchmark: how long the ``workbench`` command takes to start (issue 17, item 3).

Three commands, each run in a fresh process so nothing is cached in memory between runs:

- baseline: bare ``python -c "import pandas"``, the floor for any command that shows a table;
- ``workbench --help``: argument parsing only;
- ``workbench info DIR`` on the fictional Riverside example project (built once, before the
  timings, with ``workbench example``), which reads the project and its deployment logs.

The three run alternately, ``--repeat`` times each (default 7); the fastest run of each counts,
since on a shared machine a slower run measures the other work, not the command. Wall time and
the CPU time (user + system) of that run are printed, with each command's ratio to the baseline.

Usage: python benchmarks/bench_startup.py [--repeat 7] [--project DIR]

``--project`` reuses an example project built before (or builds it there when missing).
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
#: Fresh processes import this checkout's workbench, not another installed copy.
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(
    filter(None, [str(REPO), os.environ.get("PYTHONPATH", "")]))}


def _workbench() -> list[str]:
    """The ``workbench`` console script next to this Python, else ``python -m workbench.cli``."""
    script = Path(sys.executable).parent / "workbench"
    return [str(script)] if script.exists() else [sys.executable, "-m", "workbench.cli"]


def _run(command: list[str]) -> tuple[float, float]:
    """Run ``command`` once in a fresh process; return its wall and CPU seconds."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, env=ENV, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def _example(project: Path) -> Path:
    """Build the Riverside example project in ``project`` unless it is there already."""
    if not project.exists():
        subprocess.run([*_workbench(), "example", str(project)], check=True, env=ENV,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return project


def measure(project: Path, repeat: int) -> dict[str, tuple[float, float]]:
    """Best (wall, CPU) seconds of each command over ``repeat`` alternating runs."""
    commands = {
        'python -c "import pandas"': [sys.executable, "-c", "import pandas"],
        "workbench --help": [*_workbench(), "--help"],
        "workbench info DIR": [*_workbench(), "info", str(project)],
    }
    best: dict[str, tuple[float, float]] = {}
    for _ in range(repeat):
        for name, command in commands.items():
            run = _run(command)
            if name not in best or run[0] < best[name][0]:
                best[name] = run
    return best


def main() -> None:
    """Build the example project if needed, time the commands, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="runs of each command")
    parser.add_argument("--project", type=Path, help="example project to use (or build)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        project = _example(args.project or Path(scratch) / "riverside")
        best = measure(project, args.repeat)
    baseline = best['python -c "import pandas"'][0]
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, load average "
          f"{', '.join(f'{x:.2f}' for x in os.getloadavg())}; best of {args.repeat} runs")
    print(f"{'command':<28} {'wall s':>8} {'CPU s':>8} {'x pandas':>9}")
    for name, (wall, cpu) in best.items():
        print(f"{name:<28} {wall:>8.2f} {cpu:>8.2f} {wall / baseline:>9.2f}")


if __name__ == "__main__":
    main()
