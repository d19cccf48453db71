#!/usr/bin/env python3
"""Write the demo parts catalog to demo/parts.jsonl (deterministic: same output every run).

Usage: .venv/bin/python scripts/generate_demo_parts.py [--out demo/parts.jsonl] [--seed N]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from showroom.inventory.parts.demo_catalog import SEED, write
from showroom.settings import PROJECT_ROOT


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "demo" / "parts.jsonl")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    count = write(args.out, args.seed)
    size = args.out.stat().st_size / 1_000_000
    print(f"{count} products -> {args.out} ({size:.1f} MB)")


if __name__ == "__main__":
    main()
