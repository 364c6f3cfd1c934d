"""End to end at scale: `wirecoder ingest` with 1 and 2 workers, `wirecoder run --cluster local[2]`,
and spaCy's full pipeline alone over the same text, in one run; throughput and peak memory.

    .venv/bin/python bench/scale.py [--articles 1000] [--phases spacy,ingest-1,ingest-2,dask-2]
                                    [--corpus mixed|news] [--rounds 1] [--out bench/results/scale.json]

Each row also records the machine's 1-minute load average before and after the phase: other
work on the machine slows a phase down (and two workers most, since they need both cores).

The corpus: ``--articles`` articles of about 600 words: ``--corpus mixed`` (the default) is a
general news feed (bench/corpus.py:make_mixed_corpus): 30% conflict news and 70% sport, business,
science and culture articles that report no political event; ``--corpus news`` is conflict news
only (bench/corpus.py:make_news_corpus, built from the repo's samples/ and the bench templates,
denser in events than real news). Written as JSONL shards of 100 articles
with id, url, title, source and publication date. Each phase is the real command in its own
process tree, timed from start to exit (model loading included, as a user sees it), on the same
shards; a sampler adds up the resident memory of the command and all its children every 0.2 s
(peak RSS of the tree; shared pages of the worker processes are counted once per process, so
this over-states real use) and keeps the largest single process too.

Phases:
  spacy      python: spacy.load(en_core_web_sm) and nlp.pipe(every article's whole text,
             batch_size=64), all components (tok2vec, tagger, parser, attribute_ruler,
             lemmatizer, ner): the cost floor of a coder that parses everything
  spacy-wc   the same with the model as wirecoder loads it (wirecoder.resources.load_spacy:
             matrix products through numpy's BLAS, attribute ruler by lookups; the same parse)
  ingest-N   wirecoder ingest SHARDS --db FRESH.db --workers N -q   (read, code, merge, store)
  extract-N  wirecoder extract SHARDS --format jsonl --workers N    (read, code, print; no store)
  dask-2     wirecoder run --cluster local[2] SHARDS -o OUT         (map over shards, merge, Parquet)
  halves-2   two `wirecoder ingest --workers 1` at once, each on half of the shards, into two
             databases: what the machine's two cores give work that shares nothing (no worker
             processes, no results passed between them), the ceiling for ingest-2 on this machine

Headline ratios (throughput = articles/s): ingest-1 / spacy (one core, end to end against the
parse alone), ingest-2 / ingest-1 (two workers against one), dask-2 / ingest-1; with halves-2,
halves-2 / ingest-1 (the machine's own two-core scaling) and ingest-2 / halves-2.

``--rounds N`` runs the phases N times in turn (spacy, ingest-1, ..., spacy, ingest-1, ...), each
ingest into a fresh database, and gives the ratios of the seconds summed over the rounds (with each
round's own): on a shared machine whose speed drifts by 10-15% between minutes, one round's ratio
moves as much as a code change does."""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
BIN = Path(sys.executable).parent

SPACY_ALONE = """
import json, sys
from pathlib import Path
import spacy
from wirecoder.resources import DEFAULT_SPACY_MODEL as MODEL, load_spacy
nlp = load_spacy(MODEL) if sys.argv[2:] == ["wirecoder"] else spacy.load(MODEL)
texts = (json.loads(l)["text"] for p in sorted(Path(sys.argv[1]).glob("*.jsonl"))
         for l in p.read_text(encoding="utf-8").splitlines() if l.strip())
n = 0
for doc in nlp.pipe(texts, batch_size=64):
    n += len(doc)
print(n, "tokens", nlp.pipe_names)
"""

HALVES = """
import subprocess, sys
wc, db_a, db_b, *shards = sys.argv[1:]
half = (len(shards) + 1) // 2
procs = [subprocess.Popen([wc, "ingest", *part, "--db", db, "--workers", "1", "-q"])
         for part, db in ((shards[:half], db_a), (shards[half:], db_b))]
sys.exit(max(p.wait() for p in procs))
"""


def _stored(db: Path | None) -> int | None:
    if db is None or not db.exists():
        return None
    import sqlite3

    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return con.execute("SELECT count(*) FROM articles").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return None


def measure(cmd: list[str], env: dict, stdout=subprocess.DEVNULL, db: Path | None = None,
            trace_every: float = 10.0) -> dict:
    """Run cmd; wall time, CPU time and the peak RSS of its process tree (sum, and largest process);
    every ``trace_every`` s a trace point (seconds, articles stored in ``db`` if given, tree RSS MB)."""
    peak_tree = peak_one = 0
    trace = []
    cpu0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=stdout, stderr=subprocess.PIPE, env=env, text=True)
    root = psutil.Process(proc.pid)
    done = threading.Event()

    def sample():
        nonlocal peak_tree, peak_one
        while not done.is_set():
            try:
                procs = [root] + root.children(recursive=True)
                rss = []
                for p in procs:
                    try:
                        rss.append(p.memory_info().rss)
                    except psutil.Error:
                        pass
                if rss:
                    peak_tree = max(peak_tree, sum(rss))
                    peak_one = max(peak_one, max(rss))
                    now = time.perf_counter() - t0
                    if not trace or now - trace[-1][0] >= trace_every:
                        trace.append([round(now, 1), _stored(db), round(sum(rss) / 2**20)])
            except psutil.Error:
                pass
            done.wait(0.2)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    _, err = proc.communicate()
    secs = time.perf_counter() - t0
    done.set()
    th.join()
    if proc.returncode not in (0,):
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err[-3000:]}")
    cpu1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
    return {"seconds": round(secs, 1), "cpu_seconds": round(cpu, 1), "peak_rss_tree_mb": round(peak_tree / 2**20),
            "peak_rss_process_mb": round(peak_one / 2**20), "stderr_tail": err.strip().splitlines()[-1:],
            "trace_s_stored_rssmb": trace}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--phases", default="spacy,ingest-1,ingest-2,dask-2")
    ap.add_argument("--out", default=str(HERE / "results" / "scale.json"))
    ap.add_argument("--keep", help="Write the corpus shards here (and keep them) instead of a temp folder.")
    ap.add_argument("--corpus", choices=("mixed", "news"), default="mixed",
                    help="mixed: a general news feed, 30%% conflict news (default); news: conflict news only")
    ap.add_argument("--rounds", type=int, default=1,
                    help="Run the phases this many times, in turn (A B A B ...); the ratios are of the "
                         "phases' seconds summed over the rounds, each round's own ratios kept too.")
    args = ap.parse_args()
    if args.rounds < 1:
        raise SystemExit("--rounds: give at least 1")
    from corpus import make_mixed_corpus, make_news_corpus, write_shards

    env = {**os.environ, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
    tmp = tempfile.mkdtemp(prefix="wirecoder-bench-")
    shards_dir = Path(args.keep or Path(tmp) / "shards")
    arts = (make_mixed_corpus if args.corpus == "mixed" else make_news_corpus)(args.articles)
    shards = write_shards(shards_dir, arts)
    words = sum(len(a["text"].split()) for a in arts)
    wc = str(BIN / "wirecoder")
    rows = []
    phases = [p.strip() for p in args.phases.split(",") if p.strip()]
    halves = {p for p in phases if p.startswith("halves")}
    if halves and (halves != {"halves-2"} or len(shards) < 2):
        raise SystemExit("halves-2 is the only halves phase, and it needs two shards (--articles 101 or more)")
    for rnd, phase in ((k, p) for k in range(1, args.rounds + 1) for p in phases):
        kind, _, n = phase.partition("-")
        tag = phase if args.rounds == 1 else f"{phase}-r{rnd}"   # a fresh database and folder each round
        if phase == "spacy-wc":
            cmd = [sys.executable, "-c", SPACY_ALONE, str(shards_dir), "wirecoder"]
        elif kind == "spacy":
            cmd = [sys.executable, "-c", SPACY_ALONE, str(shards_dir)]
        elif kind == "ingest":
            db = Path(tmp) / f"{tag}.db"
            cmd = [wc, "ingest", *map(str, shards), "--db", str(db), "--workers", n, "-q"]
        elif kind == "extract":
            cmd = [wc, "extract", *map(str, shards), "--format", "jsonl", "--workers", n]
        elif kind == "halves":
            cmd = [sys.executable, "-c", HALVES, wc, str(Path(tmp) / f"{tag}-a.db"), str(Path(tmp) / f"{tag}-b.db"),
                   *map(str, shards)]
        elif kind == "dask":
            cmd = [wc, "run", "--cluster", f"local[{n}]", *map(str, shards), "-o", str(Path(tmp) / tag)]
        else:
            raise SystemExit(f"unknown phase {phase}")
        print(f"... {tag}", file=sys.stderr, flush=True)
        load_before = os.getloadavg()[0]
        r = measure(cmd, env, db=Path(tmp) / f"{tag}.db" if kind == "ingest" else None)
        r["load_avg_1min_before_after"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
        r.update(phase=phase, round=rnd, articles=len(arts), words=words,
                 articles_per_s=round(len(arts) / r["seconds"], 2), words_per_s=round(words / r["seconds"]))
        rows.append(r)
        print(f"    {r['seconds']} s, {r['articles_per_s']} articles/s, {r['words_per_s']} words/s, "
              f"peak RSS {r['peak_rss_tree_mb']} MB (tree) {r['peak_rss_process_mb']} MB (largest process)  "
              f"{r['stderr_tail']}", file=sys.stderr, flush=True)
    def ratios_of(some: list[dict]) -> dict:
        """Ratios of the phases' seconds (and CPU seconds) summed over ``some`` rows."""
        secs, cpu = {}, {}
        for r in some:
            secs[r["phase"]] = secs.get(r["phase"], 0) + r["seconds"]
            cpu[r["phase"]] = cpu.get(r["phase"], 0) + r["cpu_seconds"]
        out = {}
        for name, a, b in [("ingest-1 / spacy", "ingest-1", "spacy"), ("extract-1 / spacy", "extract-1", "spacy"),
                           ("ingest-2 / ingest-1", "ingest-2", "ingest-1"),
                           ("extract-2 / extract-1", "extract-2", "extract-1"),
                           ("dask-2 / ingest-1", "dask-2", "ingest-1"),
                           ("halves-2 / ingest-1", "halves-2", "ingest-1"),   # the machine's two cores
                           ("ingest-2 / halves-2", "ingest-2", "halves-2"),
                           ("spacy-wc / spacy", "spacy-wc", "spacy")]:   # the same parse, the model as wirecoder loads it
            if a in secs and b in secs:
                out[name] = round(secs[b] / secs[a], 2)
        for a in ("ingest-1", "extract-1", "spacy-wc"):   # by CPU time: what a shared machine disturbs least
            if a in cpu and "spacy" in cpu:
                out[f"{a} / spacy (CPU time)"] = round(cpu["spacy"] / cpu[a], 2)
        return out

    ratios = ratios_of(rows)
    by_round = [ratios_of([r for r in rows if r["round"] == k]) for k in range(1, args.rounds + 1)]
    print(f"\n{args.corpus} corpus: {len(arts)} articles, {words} words ({words / len(arts):.0f} per article), {len(shards)} shards")
    print(f"{'phase':10} {'seconds':>8} {'CPU s':>7} {'art/s':>7} {'words/s':>8} {'RSS tree MB':>12} {'RSS max proc MB':>16}")
    for r in rows:
        name = r["phase"] if args.rounds == 1 else f"{r['phase']}-r{r['round']}"
        print(f"{name:10} {r['seconds']:>8} {r['cpu_seconds']:>7} {r['articles_per_s']:>7} {r['words_per_s']:>8} "
              f"{r['peak_rss_tree_mb']:>12} {r['peak_rss_process_mb']:>16}")
    for k, v in ratios.items():
        each = f"  (rounds: {', '.join(f'{r[k]:.2f}x' for r in by_round)})" if args.rounds > 1 else ""
        print(f"{k}: {v:.2f}x{each}")
    if "ingest-1 / spacy" in ratios:
        print(f"end-to-end / spaCy full pipeline: {ratios['ingest-1 / spacy']:.2f}x")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({
        "machine": f"{platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}",
        "command": " ".join(["python bench/scale.py", "--articles", str(args.articles), "--phases", args.phases,
                             "--corpus", args.corpus, "--rounds", str(args.rounds)]), "corpus": args.corpus,
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "rows": rows, "ratios": ratios,
        "rounds": args.rounds, "ratios_by_round": by_round},
        indent=1) + "\n")


if __name__ == "__main__":
    main()
