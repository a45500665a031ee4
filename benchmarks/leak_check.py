"""Leak check at scale: random sharing worlds, every reading endpoint, counted cases.

    .venv/bin/python benchmarks/leak_check.py --cases 10000 [--seed 7] [--cli-every 10]

Draws worlds (organisations, groups, documents with random TLP/owner/shares) and queries
with the strategies of tests/security/world.py, builds each into a fresh SQLite store (a
copy of one migrated template), fuses it, and checks every API listing, read, count, facet,
fusion view, STIX export and TAXII collection as every organisation
(tests/security/leakcheck.py); every tenth world also the CLI's ``export stix --for-org``.
A case is one request (or CLI run) as one organisation.  Runs until at least ``--cases``
cases were checked; prints the number of worlds, cases and leaks (the first leaks in full)
and exits 1 if any leak was found.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hypothesis import strategies as st  # noqa: E402

from tests.security.leakcheck import Api, Tally, TemplateStore, WorldChecker, populate  # noqa: E402
from tests.security.world import queries, worlds  # noqa: E402


def draw(strategy: st.SearchStrategy, rng: random.Random):  # noqa: ANN201
    """One value of a Hypothesis strategy from our own seeded generator (no test runner)."""
    from hypothesis import find, settings

    seed = rng.getrandbits(64)
    return find(strategy.filter(lambda _: True), lambda _: True,
                settings=settings(database=None, max_examples=1, phases=["generate"], deadline=None),
                random=random.Random(seed))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--cli-every", type=int, default=10, help="check the CLI export on every Nth world")
    args = ap.parse_args(argv)

    rng = random.Random(args.seed)
    tally = Tally()
    n_worlds = 0
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="marsad-leak-check-") as tmp:
        template = TemplateStore(Path(tmp))
        first = template.fresh()
        api = Api(first)
        while tally.cases < args.cases:
            world = draw(worlds(), rng)
            qs = draw(st.lists(queries(world), min_size=1, max_size=3), rng)
            store = template.fresh()
            try:
                populate(store, world)
                WorldChecker(world, store, tally, api).run(qs, cli=n_worlds % args.cli_every == 0)
            finally:
                api.done()
                template.discard(store)
            n_worlds += 1
            if n_worlds % 25 == 0:
                print(f"  {n_worlds} worlds, {tally.cases} cases, {len(tally.leaks)} leaks "
                      f"({time.perf_counter() - t0:.0f}s)", file=sys.stderr, flush=True)
        api.close()
        template.discard(first)
    elapsed = time.perf_counter() - t0
    print(f"worlds  {n_worlds}")
    print(f"cases   {tally.cases}")
    print(f"leaks   {len(tally.leaks)}")
    print(f"time    {elapsed:.0f}s")
    for leak in tally.leaks[:20]:
        print("  LEAK", leak)
    return 1 if tally.leaks else 0


if __name__ == "__main__":
    sys.exit(main())
