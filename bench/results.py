"""`python -m bench.results OUT.md RUN.json [RUN.json ...]`: the results tables in Markdown, machine named."""
from __future__ import annotations

import os
import platform
import subprocess
import sys
from pathlib import Path

import psutil

from bench.report import markdown_table, read_json


def machine() -> str:
    model = "unknown CPU"
    try:
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
        model = next(line.split(":", 1)[1].strip() for line in lscpu.splitlines() if line.startswith("Model name"))
    except (OSError, subprocess.CalledProcessError, StopIteration):
        pass
    ram = psutil.virtual_memory().total / 2**30
    return (f"{os.cpu_count()} cores (`nproc`), {model} (`lscpu`), {ram:.0f} GiB RAM, "
            f"{platform.system()} {platform.release()}, Python {platform.python_version()}")


def main(argv: list[str]) -> int:
    out, runs = Path(argv[0]), [Path(a) for a in argv[1:]]
    parts = ["# Benchmark results", "", f"Machine: {machine()}.", ""]
    for run in runs:
        figures = list(read_json(run).values())
        parts += [f"## {run.name}", "", markdown_table(figures), ""]
    out.write_text("\n".join(parts) + "\n", encoding="utf-8")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
