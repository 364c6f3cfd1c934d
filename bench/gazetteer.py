"""Gazetteer build time and uncached lookup latency.

    .venv/bin/python bench/gazetteer.py [--names 3000] [--warmup 3000] [--repeat 1] [--no-build] [--out FILE]

1. Builds a fresh index into a temporary directory (the same code path as `wirecoder gazetteer build`)
   and times it.
2. Times uncached `Gazetteer.lookup` calls on that index over a deterministic mix of real-looking
   queries: city names drawn from the index (population-weighted and uniform), admin-1 and country
   names, spelling variants that fall through to the skeleton fallback, and capitalised non-places
   (organisations, surnames, common words) that miss. Every query string is distinct and the LRU cache
   is cleared first, so each call reaches SQLite. Before the timed queries, --warmup other queries (drawn
   with another seed; any that equal a timed one are skipped) run untimed, so the figures are those of a
   process that has been working for a while rather than of its first lookups (--warmup 0 shows those).
   --repeat N times every query in N rounds (the LRU cache cleared before each) and takes its median: a
   query's own cost, with a virtual machine's passing stalls filtered out; one round (the default) keeps them.
   Prints a table and writes JSON results.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

NON_PLACES = ["Pentagon", "Reuters", "Congress", "Parliament", "Ministry", "Commission", "Senate", "Taliban",
              "Hezbollah", "Microsoft", "Toyota", "Interior", "Defence", "Health", "Police", "Army", "Navy",
              "Johnson", "Smith", "Williams", "Brown", "Garcia", "Martinez", "Nguyen", "Kowalski", "Ibrahim",
              "Mohammed", "Ahmed", "Olumide", "Svensson", "Monday", "Tuesday", "Friday", "Prime", "Minister",
              "Governor", "Spokesman", "Coalition", "Opposition", "Court", "Council", "Tribunal", "Agency",
              "Foundation", "Institute", "Museum", "Stadium", "Airport", "Hospital", "University"]


def _variants(name: str, rnd: random.Random) -> str:
    """A plausible transliteration variant: swap a vowel, double a consonant, or drop an 'h'."""
    vowels = "aeiou"
    s = list(name)
    idx = [i for i, c in enumerate(s) if c.lower() in vowels and i > 0]
    r = rnd.random()
    if idx and r < 0.5:
        i = rnd.choice(idx)
        s[i] = rnd.choice([v for v in vowels if v != s[i].lower()])
    elif "h" in name[1:] and r < 0.75:
        j = name.index("h", 1)
        del s[j]
    else:
        cons = [i for i, c in enumerate(s) if c.isalpha() and c.lower() not in vowels and i > 0]
        if cons:
            i = rnd.choice(cons)
            s.insert(i, s[i])
    return "".join(s)


def make_queries(db: Path, n: int, seed: int = 0) -> list[tuple[str, str]]:
    import sqlite3

    rnd = random.Random(seed)
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    big = [r[0] for r in con.execute("SELECT name FROM places WHERE feature='city' AND population >= 15000")]
    small = [r[0] for r in con.execute("SELECT name FROM places WHERE feature='city' AND population < 15000")]
    admin = [r[0] for r in con.execute("SELECT name FROM places WHERE feature IN ('admin1', 'region')")]
    countries = [r[0] for r in con.execute("SELECT name FROM places WHERE feature='country'")]
    con.close()
    plan = [("city>=15k", big, 0.35), ("city<15k", small, 0.2), ("admin", admin, 0.15), ("country", countries, 0.05),
            ("variant", big, 0.15), ("non-place", None, 0.10)]
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for kind, pool, share in plan:
        want = int(n * share)
        tries = 0
        got = 0
        while got < want and tries < want * 20:
            tries += 1
            if kind == "non-place":
                base = rnd.choice(NON_PLACES)
                q = base if base not in seen else f"{base} {rnd.choice(NON_PLACES)}"
            elif kind == "variant":
                q = _variants(rnd.choice(pool), rnd)
            else:
                q = rnd.choice(pool)
            if q in seen or not q.strip():
                continue
            seen.add(q)
            out.append((kind, q))
            got += 1
    rnd.shuffle(out)
    return out


def _pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    k = min(len(xs) - 1, max(0, int(round(p / 100 * (len(xs) - 1)))))
    return xs[k]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--names", type=int, default=3000, help="distinct lookup queries (default 3000)")
    ap.add_argument("--warmup", type=int, default=3000,
                    help="untimed lookups of other queries first (default 3000; 0: a single one)")
    ap.add_argument("--repeat", type=int, default=1,
                    help="time every query in N uncached rounds and take its median (default 1: one round)")
    ap.add_argument("--no-build", action="store_true", help="time lookups on the existing index, skip the build")
    ap.add_argument("--out", default=str(HERE / "results" / "gazetteer.json"))
    args = ap.parse_args(argv)

    from wirecoder import gazetteer as gz

    tmpdir = tempfile.TemporaryDirectory(prefix="wirecoder-gaz-bench-")
    result: dict = {"machine": f"{platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}",
                    "command": " ".join(["python bench/gazetteer.py", *(argv if argv is not None else sys.argv[1:])])}
    if args.no_build:
        db = gz.default_path()
        if not db.exists():
            gz.build(db, quiet=True)
        result["build_s"] = None
    else:
        db = Path(tmpdir.name) / "gazetteer.sqlite"
        t0 = time.perf_counter()
        gz.build(db, quiet=True)
        result["build_s"] = round(time.perf_counter() - t0, 1)
        result["index_mb"] = round(db.stat().st_size / 1e6, 1)

    queries = make_queries(db, args.names)
    g = gz.Gazetteer(path=db, extra="")
    # warm-up on other queries (another seed, none of them timed): statement compile, the index's upper
    # B-tree pages, the interpreter's code paths, as in a process that has been coding articles for a while
    timed = {q for _, q in queries}
    for _, q in make_queries(db, args.warmup, seed=1) if args.warmup else [("", "warm-up Paris")]:
        if q not in timed:
            g.lookup(q)
    per_kind: dict[str, list[float]] = {}
    hits: dict[str, int] = {}
    allt: list[float] = []
    rounds: list[list[float]] = []
    for _ in range(max(1, args.repeat)):
        g._cache.cache_clear()  # every round is uncached
        times = []
        for _kind, q in queries:
            t = time.perf_counter_ns()
            g.lookup(q)
            times.append((time.perf_counter_ns() - t) / 1000)
        rounds.append(times)
    for j, (kind, q) in enumerate(queries):
        us = statistics.median(rnd[j] for rnd in rounds)  # a query's cost: its median over the rounds
        per_kind.setdefault(kind, []).append(us)
        hits[kind] = hits.get(kind, 0) + bool(g.lookup(q))
        allt.append(us)
    # cached, for comparison
    t = time.perf_counter_ns()
    for _, q in queries:
        g.lookup(q)
    cached_us = (time.perf_counter_ns() - t) / 1000 / len(queries)

    rows = []
    for kind, xs in list(per_kind.items()) + [("all", allt)]:
        rows.append({"queries": kind, "n": len(xs), "mean_us": round(statistics.fmean(xs), 1),
                     "median_us": round(statistics.median(xs), 1),
                     "p95_us": round(_pct(xs, 95), 1), "max_us": round(max(xs), 1),
                     "hit_rate": round((hits.get(kind, 0) if kind != "all" else sum(hits.values())) / len(xs), 3)})
    result.update({"lookup_uncached": rows, "lookup_cached_mean_us": round(cached_us, 2)})

    if result["build_s"] is not None:
        print(f"build: {result['build_s']} s ({result['index_mb']} MB index)")
    print(f"{'queries':<12}{'n':>6}{'mean_us':>9}{'median_us':>11}{'p95_us':>9}{'max_us':>9}{'hit_rate':>10}")
    for r in rows:
        print(f"{r['queries']:<12}{r['n']:>6}{r['mean_us']:>9.1f}{r['median_us']:>11.1f}{r['p95_us']:>9.1f}"
              f"{r['max_us']:>9.1f}{r['hit_rate']:>10.3f}")
    print(f"cached lookup: {cached_us:.2f} us mean")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    g.con.close()
    tmpdir.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
