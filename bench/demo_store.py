"""The demo-sized embedded store the CLI and browser sections measure: `demo generate`, `db upgrade`, `etl run`
through the real command line, once per work folder (reused when it is already there)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def demo_env(data_dir: Path) -> dict[str, str]:
    """The environment of an `app.py` process on the embedded store in `data_dir` (nothing inherited that
    would point it elsewhere)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("IMD_")}
    env.update(IMD_DATA_DIR=str(data_dir), IMD_SCHEDULER="0", IMD_ADMIN_PASSWORD="bench-admin-pw")
    return env


def demo_store(workdir: Path) -> Path:
    """The data folder of a loaded demo store under `workdir`."""
    data_dir = workdir / "demo-store"
    done = data_dir / ".loaded"
    if done.exists():
        return data_dir
    data_dir.mkdir(parents=True, exist_ok=True)
    env = demo_env(data_dir)
    for argv in (["demo", "generate"], ["db", "upgrade"], ["etl", "run"]):
        subprocess.run([sys.executable, str(ROOT / "app.py"), *argv], env=env, cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
    done.touch()
    return data_dir
