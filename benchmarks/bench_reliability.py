"""Benchmark: workbench's Krippendorff's alpha against the ``krippendorff`` package.

Plain script, run with the project's venv:

    .venv/bin/python benchmarks/bench_reliability.py            # 1,000,000 units
    .venv/bin/python benchmarks/bench_reliability.py --units 200000

Each measurement runs in a fresh subprocess on the same seeded data (4 coders, 10% of values
missing, values 1..V), so peak memory is not inherited from an earlier run. Reported per run:
wall time of the first alpha call alone, the peak of memory allocated during a second call
under tracemalloc (which sees NumPy's buffers; it is not the input data, which both share) and
the process's peak resident size (ru_maxrss, which includes the imports). Ours is also
run at a quarter and a half of the units to show memory growing linearly with units.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys

CHILD = r"""
import json, resource, sys, time, tracemalloc, warnings
import numpy as np
warnings.simplefilter("ignore")  # the ~100 units all four coders missed are reported
which, level, n_values, n_units = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
rng = np.random.default_rng(2024)
truth = rng.integers(1, n_values + 1, n_units)
data = np.where(rng.random((4, n_units)) < 0.8, truth, rng.integers(1, n_values + 1, (4, n_units)))
data = data.astype(float)
data[rng.random(data.shape) < 0.10] = np.nan
if which == "workbench":
    from workbench.reliability import krippendorff_alpha
    run = lambda: krippendorff_alpha(data, level)
else:
    import krippendorff
    run = lambda: krippendorff.alpha(reliability_data=data, level_of_measurement=level)
start = time.perf_counter()
alpha = float(run())
seconds = time.perf_counter() - start
# A second call under tracemalloc (which slows allocation) measures the peak.
tracemalloc.start()
run()
peak = tracemalloc.get_traced_memory()[1]
tracemalloc.stop()
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"alpha": alpha, "seconds": seconds, "peak": peak, "rss": rss}))
"""


def measure(which: str, level: str, n_values: int, n_units: int) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, which, level, str(n_values), str(n_units)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


def machine() -> str:
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            model = next(line.split(":", 1)[1].strip() for line in cpuinfo if "model name" in line)
    except (OSError, StopIteration):
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{platform.platform()}; {model}; nproc={os.cpu_count()}; "
        f"memory={memory:.1f} GiB; Python {platform.python_version()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=1_000_000)
    units = parser.parse_args().units
    mib = 2**20
    print(machine())
    print(f"{units:,} units x 4 coders, 10% missing\n")
    header = f"{'level':8} {'V':>3} {'impl':12} {'time s':>8} {'peak MiB':>9} {'RSS MiB':>8}"
    print(header + f" {'alpha':>10}")
    ratios = []
    for level in ("nominal", "ordinal"):
        for n_values in (5, 10):
            runs = {w: measure(w, level, n_values, units) for w in ("workbench", "krippendorff")}
            for which, run in runs.items():
                print(
                    f"{level:8} {n_values:>3} {which:12} {run['seconds']:8.3f} "
                    f"{run['peak'] / mib:9.1f} {run['rss'] / mib:8.1f} {run['alpha']:10.6f}"
                )
            ours, theirs = runs["workbench"], runs["krippendorff"]
            if abs(ours["alpha"] - theirs["alpha"]) > 1e-9:
                raise SystemExit("the two implementations disagree on alpha")
            ratios.append((level, n_values, theirs["seconds"] / ours["seconds"],
                           theirs["peak"] / ours["peak"]))  # fmt: skip
    print("\nkrippendorff / workbench (above 1 = workbench faster / smaller)")
    for level, n_values, speed, memory in ratios:
        print(f"  {level:8} V={n_values:<3} time x{speed:6.1f}   peak memory x{memory:6.1f}")
    print("\nworkbench peak memory per unit (linear in units if roughly constant)")
    for share in (4, 2, 1):
        n = units // share
        run = measure("workbench", "ordinal", 10, n)
        print(f"  {n:>9,} units: {run['peak'] / mib:7.1f} MiB, {run['peak'] / n:6.1f} bytes/unit")


if __name__ == "__main__":
    main()
