"""Benchmark figures: each has a name, a value, a unit and, when the issue sets one, a target it meets or not."""
from __future__ import annotations

import json
import math
import operator
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

_OPS = {"<=": operator.le, ">=": operator.ge, "<": operator.lt, ">": operator.gt}


@dataclass(frozen=True)
class Figure:
    name: str
    value: float | int | None
    unit: str
    target: str | None = None  # e.g. "<= 20"; None for figures reported without a target
    ok: bool | None = None
    note: str | None = None


def figure(name: str, value, unit: str, target: str | None = None, note: str | None = None) -> Figure:
    """A figure, judged against `target` ("<= 20", ">= 50") when one is given."""
    ok = None
    if target is not None:
        op, bound = target.split()
        ok = value is not None and not (isinstance(value, float) and math.isnan(value)) \
            and _OPS[op](value, float(bound))
    if isinstance(value, float):
        value = round(value, 3)
    return Figure(name, value, unit, target, ok, note)


def timed_ms(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000.0


def percentile(samples: list[float], p: float) -> float:
    """Nearest-rank percentile: the value below which p% of the samples fall."""
    ordered = sorted(samples)
    rank = max(1, math.ceil(p / 100.0 * len(ordered)))
    return ordered[rank - 1]


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def print_table(figures: list[Figure], *, file=None) -> None:
    rows = [("figure", "value", "unit", "target", "ok")]
    for f in figures:
        value = "n/a" if f.value is None else (f"{f.value:,.2f}" if isinstance(f.value, float) else f"{f.value:,}")
        ok = "" if f.ok is None else ("yes" if f.ok else "NO")
        rows.append((f.name, value, f.unit, f.target or "", ok))
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    for i, r in enumerate(rows):
        print("  ".join(c.ljust(w) if j in (0, 2, 3) else c.rjust(w) for j, (c, w) in enumerate(zip(r, widths))),
              file=file, flush=True)
        if i == 0:
            print("  ".join("-" * w for w in widths), file=file)


def markdown_table(figures: list[Figure]) -> str:
    lines = ["| figure | value | unit | target | ok |", "|---|---:|---|---|---|"]
    for f in figures:
        value = "n/a" if f.value is None else (f"{f.value:,.2f}" if isinstance(f.value, float) else f"{f.value:,}")
        ok = "" if f.ok is None else ("yes" if f.ok else "**no**")
        lines.append(f"| {f.name} | {value} | {f.unit} | {f.target or ''} | {ok} |")
    return "\n".join(lines)


def write_json(figures: list[Figure], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    records = []
    for f in figures:
        record = asdict(f)
        if record["note"] is None:
            del record["note"]
        records.append(record)
    path.write_text(json.dumps(records, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def read_json(path: Path) -> dict[str, Figure]:
    records = json.loads(path.read_text(encoding="utf-8"))
    return {r["name"]: Figure(**r) for r in records}
