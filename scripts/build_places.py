"""Build src/marsad/geo/data/places.tsv.gz from the shared gazetteer (thin wrapper).

Usage: python scripts/build_places.py [SHARED_DIR] [OUT]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from marsad.geo.build import DEFAULT_OUT, build_index


def main(argv: list[str]) -> int:
    shared = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parents[1].parent / "shared"
    out = Path(argv[2]) if len(argv) > 2 else DEFAULT_OUT
    started = time.perf_counter()
    rows = build_index(shared, out)
    print(f"{rows} rows -> {out} ({out.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - started:.1f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
