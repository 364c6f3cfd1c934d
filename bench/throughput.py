"""End-to-end throughput and peak memory, beside spaCy's pipeline alone on the same text.

    .venv/bin/python bench/throughput.py [--articles 200] [--out bench/results/throughput.json]

Each phase runs in its own process (so peak RSS is that phase's own), on the same
synthetic corpus (bench/corpus.py). Prints a table and writes JSON results."""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def phase(name: str, n: int) -> dict:
    from corpus import make_corpus

    docs = make_corpus(n)
    words = sum(len(d["text"].split()) for d in docs)
    t0 = time.perf_counter()
    if name == "spacy":
        from wirecoder.resources import default_resources

        nlp = default_resources().nlp
        load = time.perf_counter() - t0
        t1 = time.perf_counter()
        for _ in nlp.pipe((d["text"] for d in docs), batch_size=64):
            pass
        events = None
    else:
        import datetime as dt

        from wirecoder.pipeline import default_pipeline
        from wirecoder.schema import Article

        pipe = default_pipeline()
        pipe.extract(Article(id="warm", text="Police arrested two men in Lagos on Monday.", published=dt.date(2024, 1, 2)))
        load = time.perf_counter() - t0
        t1 = time.perf_counter()
        events = 0
        for d in docs:
            art = Article(id=Article.make_id(d["text"]), text=d["text"], published=dt.date.fromisoformat(d["published"]),
                          source=d["source"])
            events += len(pipe.extract(art).events)
    secs = time.perf_counter() - t1
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"phase": name, "articles": n, "words": words, "load_s": round(load, 2), "seconds": round(secs, 2),
            "articles_per_s": round(n / secs, 2), "words_per_s": round(words / secs), "peak_rss_mb": round(rss_mb),
            "events": events}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=200)
    ap.add_argument("--out", default=str(HERE / "results" / "throughput.json"))
    ap.add_argument("--phase", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.phase:
        print(json.dumps(phase(args.phase, args.articles)))
        return
    rows = []
    for name in ("spacy", "pipeline"):
        env = {**os.environ, "OMP_NUM_THREADS": "1"}
        r = subprocess.run([sys.executable, __file__, "--phase", name, "--articles", str(args.articles)],
                           capture_output=True, text=True, env=env, check=True)
        rows.append(json.loads(r.stdout.strip().splitlines()[-1]))
    print(f"{'phase':10} {'articles':>8} {'words':>8} {'load s':>7} {'run s':>7} {'art/s':>7} {'words/s':>8} {'peak MB':>8}")
    for r in rows:
        print(f"{r['phase']:10} {r['articles']:>8} {r['words']:>8} {r['load_s']:>7} {r['seconds']:>7} "
              f"{r['articles_per_s']:>7} {r['words_per_s']:>8} {r['peak_rss_mb']:>8}")
    ratio = rows[1]["seconds"] / rows[0]["seconds"]
    print(f"pipeline / spaCy-alone time ratio: {ratio:.2f} ({rows[1]['events']} events)")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"machine": f"{platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}",
                               "command": "python bench/throughput.py --articles %d" % args.articles,
                               "rows": rows, "pipeline_over_spacy": round(ratio, 2)}, indent=1) + "\n")


if __name__ == "__main__":
    main()
