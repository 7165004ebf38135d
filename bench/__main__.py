"""`python -m bench [NAME ...]` runs bench/bench_*.py (all, or those named) and prints their ratios."""

from __future__ import annotations

import asyncio
import importlib
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    names = sorted(p.stem.removeprefix("bench_") for p in Path(__file__).parent.glob("bench_*.py"))
    chosen = [n for n in names if not argv or n in argv]
    for name in chosen:
        module = importlib.import_module(f"bench.bench_{name}")
        asyncio.run(module.main())
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
