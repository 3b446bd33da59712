"""How soon the command line answers: `--help`, `summary` and `etl status` as fresh processes on the demo store
(median of several runs, wall clock from spawn to exit, so interpreter start and imports count)."""
from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.demo_store import ROOT, demo_env, demo_store
from bench.report import Figure, figure

COMMANDS = {  # figure name -> argv, target in seconds
    "help": (["--help"], "<= 0.3"),
    "summary": (["summary", "--from", "2025-01-01", "--to", "2025-09-30"], "<= 1"),
    "etl_status": (["etl", "status"], "<= 1"),
}
RUNS = 7


def command_seconds(argv: list[str], env: dict[str, str], runs: int = RUNS) -> list[float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, str(ROOT / "app.py"), *argv], env=env, cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
        samples.append(time.perf_counter() - start)
    return samples


def cli_figures(workdir: Path) -> list[Figure]:
    env = demo_env(demo_store(workdir))
    out = []
    for name, (argv, target) in COMMANDS.items():
        samples = command_seconds(argv, env)
        out.append(figure(f"cli.{name}.s", statistics.median(samples), "s", target,
                          note=f"median of {len(samples)} runs, max {max(samples):.2f} s"))
    return out
