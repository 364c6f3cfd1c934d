"""Cost of one article against its size: every stage must be linear (issue 16).

    .venv/bin/python bench/linear.py [--sizes 10000,100000,1000000] [--shapes paragraphs,line]
                                     [--out bench/results/linear.json]

Shapes (the hostile cases that used to be quadratic):
  paragraphs  many short paragraphs of news sentences, each with an event (merge, clean)
  line        one line of news words with no punctuation at all (sentence text, spaCy's limit)
  repeated    the same paragraph over and over (duplicate removal)

Each (shape, size) runs in its own process, so the peak RSS is its own. Prints seconds,
seconds per 10 KB and the ratio to the smallest size; linear cost shows as a flat
seconds-per-10-KB column. A size-scaled budget (default 2 s per 10 KB, plus 10 s of
start-up) is checked and reported, never asserted in a test."""

from __future__ import annotations

import argparse
import json
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

ACTORS = ["Gunmen", "Police", "Troops", "Rebels", "Soldiers", "Militants", "Protesters", "Security forces"]
VERBS = ["attacked", "raided", "surrounded", "shelled", "stormed", "blockaded", "occupied", "searched"]
OBJECTS = ["a village", "a market", "an army post", "a police station", "a school", "a checkpoint", "a camp",
           "a convoy"]
PLACES = ["Maiduguri", "Goma", "Nairobi", "Abuja", "Idlib", "Kano", "Beni", "Gao", "Mopti", "Kidal", "Jos", "Bunia"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
TAILS = ["a local official said", "witnesses said", "the army said", "police said", "residents said",
         "according to aid workers"]
WORDS = ("soldiers attacked village market town police protest army rebels fighters killed arrested "
         "wounded river road bridge north south officials said week border camp").split()


def sentence(i: int) -> str:
    """The i-th of many distinct news sentences (none a near-duplicate of another)."""
    pick = [ACTORS, VERBS, OBJECTS, PLACES, DAYS, TAILS]
    parts, k = [], i
    for lst in pick:
        parts.append(lst[k % len(lst)])
        k //= len(lst)
    a, v, o, p, d, t = parts
    return f"{a} {v} {o} near {p} on {d}, killing {i % 89 + 2} people and wounding {i % 53 + 3}, {t}."


def make(shape: str, size: int) -> str:
    out, n, i = [], 0, 0
    if shape == "line":
        while n < size:
            w = WORDS[(i * 7 + i // 5) % len(WORDS)]
            out.append(w)
            n += len(w) + 1
            i += 1
        return " ".join(out)
    if shape == "repeated":
        para = sentence(0)
        return "\n\n".join([para] * (size // (len(para) + 2) + 1))[:size]
    while n < size:
        s = sentence(i)
        out.append(s)
        n += len(s) + 2
        i += 1
    return "\n\n".join(out)


def one(shape: str, size: int) -> dict:
    import datetime as dt

    from wirecoder.pipeline import Pipeline
    from wirecoder.schema import Article

    pipe = Pipeline()
    warm = "Police arrested two men in Nairobi on Monday."
    pipe.extract(Article(id=Article.make_id(warm), text=warm, published=dt.date(2024, 5, 1)))
    text = make(shape, size)
    art = Article(id=Article.make_id(text), text=text, published=dt.date(2024, 5, 1))
    t0 = time.perf_counter()
    status = "ok"
    events = 0
    try:
        events = len(pipe.extract(art).events)
    except Exception as exc:  # noqa: BLE001 - a limit is a result too
        status = f"{type(exc).__name__}: {exc}"
    secs = time.perf_counter() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"shape": shape, "chars": len(text), "seconds": round(secs, 2), "events": events,
            "peak_rss_mb": round(rss), "status": status}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--shapes", default="paragraphs,line,repeated")
    ap.add_argument("--budget", type=float, default=2.0, help="seconds per 10 KB")
    ap.add_argument("--out", default=str(HERE / "results" / "linear.json"))
    ap.add_argument("--one", nargs=2, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.one:
        print(json.dumps(one(a.one[0], int(a.one[1]))))
        return
    rows = []
    print(f"{'shape':<11}{'chars':>10}{'seconds':>9}{'s/10KB':>8}{'x size':>8}{'x time':>8}{'RSS MB':>8}"
          f"{'budget':>8}  status")
    for shape in a.shapes.split(","):
        base = None
        for size in map(int, a.sizes.split(",")):
            r = subprocess.run([sys.executable, __file__, "--one", shape, str(size)], capture_output=True,
                               text=True, timeout=3600)
            if r.returncode:
                print(r.stderr[-2000:])
                continue
            row = json.loads(r.stdout.strip().splitlines()[-1])
            base = base or row
            per = row["seconds"] / (row["chars"] / 10_000)
            budget = 10 + a.budget * row["chars"] / 10_000
            row.update(s_per_10kb=round(per, 3), size_ratio=round(row["chars"] / base["chars"], 1),
                       time_ratio=round(row["seconds"] / max(base["seconds"], 1e-3), 1),
                       budget_s=round(budget), within_budget=row["seconds"] <= budget)
            rows.append(row)
            print(f"{shape:<11}{row['chars']:>10,}{row['seconds']:>9.2f}{per:>8.3f}{row['size_ratio']:>8}"
                  f"{row['time_ratio']:>8}{row['peak_rss_mb']:>8}{'ok' if row['within_budget'] else 'OVER':>8}"
                  f"  {row['status'][:60]}")
    Path(a.out).write_text(json.dumps({"machine": platform.platform(), "cpus": __import__("os").cpu_count(),
                                       "rows": rows}, indent=1) + "\n")


if __name__ == "__main__":
    main()
