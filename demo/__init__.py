"""Demo operational systems: deterministic, realistically dirty stand-ins for the campaign's source systems.

The shape of every stand-in is fixed by the demo contract (briefs/demo_contract.md, mirrored in README.md).
"""
from __future__ import annotations

from .generate import DEFAULT_SEED, GenerationReport, generate
from .recent import append_recent

__all__ = ["DEFAULT_SEED", "GenerationReport", "append_recent", "generate"]
