"""Two versions of the pipeline on the same text, back to back and interleaved: CPU seconds of
``Pipeline.extract`` per article (model loading and a warm-up article excluded), one process per
(version, round), in the order A B A B ... so that drift of a shared machine hits both alike.

    .venv/bin/python bench/compare.py --src OLD/src --src NEW/src [--rounds 3]
                                      [--corpus bench,samples,mixed] [--out bench/results/compare.json]

``--src`` is the ``src`` folder of a checkout (``git worktree add /tmp/old COMMIT``); the first is
the baseline. Both run with this interpreter and its packages (the same spaCy model), so only
the wirecoder code differs. Corpora (all built here, never from ../shared/eval):

  bench    bench/corpus.py:make_corpus(200): the issue-2 synthetic corpus (~143 words an article)
  samples  the repo's 30 sample articles x 3 (real-format news text, ~140 words an article)
  mixed    bench/corpus.py:make_mixed_corpus(100): a general news feed of ~600-word articles,
           30% conflict news and 70% sport, business, science and culture

CPU time (``time.process_time``) is what the code costs; it is disturbed much less than wall
time by other work on the machine. Prints a table of each round's words per CPU second and the
median ratio new / old per corpus. Articles go through in chunks of 8, as `ingest` sends them;
a version with ``Pipeline.prepare`` parses each chunk in one batch first, as `ingest` does."""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

CHILD = r"""
import datetime as dt, json, sys, time
sys.path.insert(0, sys.argv[2])
from corpus import make_corpus, make_mixed_corpus
from wirecoder.pipeline import default_pipeline
from wirecoder.schema import Article
name = sys.argv[1]
if name == "bench":
    recs = make_corpus(200)
elif name == "mixed":
    recs = make_mixed_corpus(100)
else:
    path = sys.argv[3]
    recs = [json.loads(l) for l in open(path, encoding="utf-8") if l.strip()] * 3
arts = [Article(id=Article.make_id(r["text"]), text=r["text"], title=r.get("title"), source=r.get("source"),
                published=dt.date.fromisoformat(r["published"])) for r in recs]
pipe = default_pipeline()
pipe.extract(Article(id="warm", text="Police arrested two men in Lagos on Monday.", published=dt.date(2024, 1, 2)))
words = sum(len(a.text.split()) for a in arts)
t = time.process_time()
events = 0
prepare = getattr(pipe, "prepare", None)   # versions that parse a chunk in one batch do so, as ingest does
for k in range(0, len(arts), 8):
    part = arts[k:k + 8]
    if prepare is not None:
        prepare(part)
    events += sum(len(pipe.extract(a).events) for a in part)
cpu = time.process_time() - t
print(json.dumps({"articles": len(arts), "words": words, "cpu_s": round(cpu, 3), "events": events}))
"""


def run(src: str, corpus: str) -> dict:
    env = {**os.environ, "PYTHONPATH": src, "OMP_NUM_THREADS": "1"}
    r = subprocess.run([sys.executable, "-c", CHILD, corpus, str(HERE),
                        str(HERE.parent / "samples" / "sample-articles.jsonl")],
                       capture_output=True, text=True, env=env, check=True)
    return json.loads(r.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--src", action="append", required=True, help="a checkout's src folder (give two)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--corpus", default="bench,samples,mixed")
    ap.add_argument("--out", default=str(HERE / "results" / "compare.json"))
    args = ap.parse_args()
    if len(args.src) != 2:
        ap.error("give --src twice: the baseline, then the new code")
    rows = []
    for corpus in args.corpus.split(","):
        for k in range(args.rounds):
            for which, src in zip(("old", "new"), args.src):
                r = run(src, corpus)
                r.update(corpus=corpus, version=which, round=k + 1,
                         words_per_cpu_s=round(r["words"] / r["cpu_s"]))
                rows.append(r)
                print(f"{corpus:8} round {k + 1} {which}: {r['words_per_cpu_s']:>6} words/CPU-s "
                      f"({r['cpu_s']} s, {r['events']} events)", flush=True)
    print()
    print(f"{'corpus':8} {'old words/CPU-s':>22} {'new words/CPU-s':>22} {'new/old (median of rounds)':>28}")
    summary = {}
    for corpus in args.corpus.split(","):
        old = [r["words_per_cpu_s"] for r in rows if r["corpus"] == corpus and r["version"] == "old"]
        new = [r["words_per_cpu_s"] for r in rows if r["corpus"] == corpus and r["version"] == "new"]
        ratio = statistics.median(n / o for o, n in zip(old, new))
        summary[corpus] = {"old": old, "new": new, "new_over_old": round(ratio, 3)}
        print(f"{corpus:8} {min(old):>10}-{max(old):<11} {min(new):>10}-{max(new):<11} {ratio:>28.3f}")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"src": args.src, "rows": rows, "summary": summary,
                               "load_avg": os.getloadavg()}, indent=1) + "\n")


if __name__ == "__main__":
    main()
