"""Archive-scale ingest (issue 18): the cost of one more article must not grow with the store.

    .venv/bin/python bench/ingest_scale.py ingest [--articles 20000] [--copies 0.25] [--db PATH|URL]
                                                  [--block 1000] [--read-only] [--cli [--check-rebuild]]
    .venv/bin/python bench/ingest_scale.py dedup  [--store-events 100000] [--probe 300]

``ingest``: a JSONL archive of ``--articles`` news articles (bench/corpus.py:make_news_corpus,
built from samples/ and our templates, publication dates spread over a year) in which a share
``--copies`` are syndicated copies of earlier articles (half the very same text from another
outlet, half the same text under another outlet's credit line) is written to one file and
ingested in one process the way `wirecoder ingest` does (read, skip or record the outlet of a
known text, code, Store.add). Printed per block of 1,000 articles: articles/s, the share of the
block's time spent in deduplication (Store._place: candidates, re-clustering, fusing, writing the
changed events), events stored, the process's peak RSS and its RSS now (the archive is built by a
child process, and on Linux the peak is counted from the start of the ingest: VmHWM is reset).

``dedup``: a store of ``--store-events`` events (clones of real extracted events, moved over two
years and 40 countries' worth of places, with their articles and reports) is written straight
into the tables; then ``--probe`` new articles' events are deduplicated against it (Store._place,
the step `ingest` runs per article) and the p50/p95/max of that step per article is printed beside
the store size. ``--db PATH`` keeps the store, and a later run with that store reuses it.

Times are CPU time of this process (time.process_time: the machine may be shared) except the
``art/s`` column (wall clock)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing as mp
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import make_news_corpus  # noqa: E402


def _status_mb(key: str) -> float | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def reset_peak() -> bool:
    """Start the peak RSS over (Linux: VmHWM is reset by writing 5 to clear_refs), so that the
    archive's own construction before the ingest does not count in the ingest's peak."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def mem_detail() -> dict:
    """Where the memory is (Linux, glibc; empty elsewhere): malloc's bytes in use and free in its
    heap, its mmapped blocks, Python's allocated blocks, SQLite's own allocations. A growing RSS
    with flat "in use" figures is the allocator's fragmentation, not something kept."""
    import ctypes

    out: dict = {"py_blocks": sys.getallocatedblocks()}
    try:
        libc = ctypes.CDLL("libc.so.6")

        class Mallinfo2(ctypes.Structure):
            _fields_ = [(f, ctypes.c_size_t) for f in
                        ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
                         "fordblks", "keepcost")]

        libc.mallinfo2.restype = Mallinfo2
        m = libc.mallinfo2()
        out.update(malloc_in_use_mb=m.uordblks / 2**20, malloc_free_mb=m.fordblks / 2**20,
                   malloc_mmap_mb=m.hblkhd / 2**20)
    except (OSError, AttributeError):
        pass
    try:
        lib = ctypes.CDLL("libsqlite3.so.0")
        lib.sqlite3_memory_used.restype = ctypes.c_int64
        out["sqlite_mb"] = lib.sqlite3_memory_used() / 2**20
    except (OSError, AttributeError):
        pass
    return out


def rss_mb() -> float:
    """Peak RSS since reset_peak (VmHWM), or of the whole process where that is not available."""
    hwm = _status_mb("VmHWM")
    return hwm if hwm is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cur_rss_mb() -> float:
    """The RSS now (VmRSS), or the peak where that is not available."""
    cur = _status_mb("VmRSS")
    return cur if cur is not None else rss_mb()


def build_archive(n: int, copies: float, seed: int = 18) -> list[dict]:
    rng = random.Random(seed)
    n_orig = int(n * (1 - copies))
    base = make_news_corpus(n_orig, seed=seed)
    start = dt.date(2024, 1, 1)
    for i, r in enumerate(base):
        r["published"] = (start + dt.timedelta(days=i * 365 // max(n_orig, 1))).isoformat()
    out = list(base)
    outlets = ["Wire One", "Daily Two", "Three Herald", "Four Post", "Five Times"]
    for k in range(n - n_orig):
        src = base[rng.randrange(len(base))]
        pos = rng.randrange(len(out) // 2, len(out) + 1) if out else 0
        copy = dict(src, id=f"{src['id']}-copy{k}", source=rng.choice(outlets))
        if k % 2:
            copy["text"] = src["text"] + f"\n\n(Distributed by {copy['source']}.)"
        out.insert(max(pos, out.index(src) + 1) if pos <= out.index(src) else pos, copy)
    return out


def write_archive(path: Path, n: int, copies: float) -> None:
    with path.open("w", encoding="utf-8") as f:   # line by line: no copy of the archive in memory
        for r in build_archive(n, copies):
            f.write(json.dumps(r) + "\n")


def run_ingest(args) -> None:
    from wirecoder.pipeline import default_pipeline
    from wirecoder.readers import Options, read_paths
    from wirecoder.readers.base import Skip
    from wirecoder.store import Store

    tmp = tempfile.TemporaryDirectory(prefix="wirecoder-scale-")
    path = Path(tmp.name) / "archive.jsonl"
    # built and written by a child process: the records (and the memory they leave behind once
    # freed) would otherwise count in, and hide, the ingest's own RSS
    child = mp.get_context("fork").Process(target=write_archive, args=(path, args.articles, args.copies))
    child.start()
    child.join()
    if child.exitcode != 0:
        sys.exit(f"building the archive failed (exit code {child.exitcode})")
    n_recs = args.articles
    peak_from_here = reset_peak()
    print(f"archive: {n_recs} articles, {path.stat().st_size / 1e6:.1f} MB JSONL, "
          f"{args.copies:.0%} syndicated copies; peak RSS counted "
          f"{'from here' if peak_from_here else 'over the whole process (no /proc/self/clear_refs)'}", flush=True)
    if args.read_only:   # the readers alone over the whole file: every record read, none refused
        t, n, bad = time.perf_counter(), 0, []
        for item in read_paths([path], Options()):
            if isinstance(item, Skip):
                bad.append(str(item))
            else:
                n += 1
        print(f"read {n} articles, {len(bad)} refused{': ' + bad[0] if bad else ''} "
              f"({time.perf_counter() - t:.1f}s, peak RSS {rss_mb():.0f} MB)")
        return
    db = args.db or str(Path(tmp.name) / "scale.db")
    if args.cli:
        return run_ingest_cli(args, path, n_recs, db)
    pipe = default_pipeline()
    pipe.resources.nlp
    store = Store(db)
    dedup_t = [0.0]
    place = store._place

    def timed_place(*a, **kw):
        t = time.process_time()
        try:
            return place(*a, **kw)
        finally:
            dedup_t[0] += time.process_time() - t

    store._place = timed_place
    print(f"{'block':>11} {'art/s':>7} {'art/cpu-s':>9} {'dedup %':>8} {'events':>7} {'peak MB':>7} {'now MB':>7}",
          flush=True)
    rows, n, errors = [], 0, 0
    t_block, c_block, d_block = time.perf_counter(), time.process_time(), 0.0
    for item in read_paths([path], Options()):
        if isinstance(item, Skip):
            errors += 1
            continue
        if store.has_article(item.id):
            store.add_outlet(item)
        else:
            store.add(pipe.extract(item))
        n += 1
        if n % args.block == 0 or n == n_recs:
            el = time.perf_counter() - t_block
            cpu = time.process_time() - c_block
            k = (n - 1) % args.block + 1
            row = {"block": f"{n - k + 1}-{n}", "rate": k / el, "cpu_rate": k / cpu,
                   "dedup_share": (dedup_t[0] - d_block) / cpu, "events": store.counts()["events"],
                   "rss_mb": rss_mb(), "rss_now_mb": cur_rss_mb()}
            rows.append(row)
            print(f"{row['block']:>11} {row['rate']:7.2f} {row['cpu_rate']:9.2f} {row['dedup_share']:8.1%} "
                  f"{row['events']:7d} {row['rss_mb']:7.0f} {row['rss_now_mb']:7.0f}", flush=True)
            t_block, c_block, d_block = time.perf_counter(), time.process_time(), dedup_t[0]
    full = [r for r in rows if r is not rows[-1] or n % args.block == 0]
    if len(full) >= 2:
        print(f"last/first block rate (CPU): {full[-1]['cpu_rate'] / full[0]['cpu_rate']:.2f}, (wall): "
              f"{full[-1]['rate'] / full[0]['rate']:.2f}; dedup share of CPU overall "
              f"{sum(r['dedup_share'] / r['cpu_rate'] for r in rows) / sum(1 / r['cpu_rate'] for r in rows):.1%}; "
              f"errors {errors}; store {store.counts()}")
    store.close()
    if args.out:
        Path(args.out).write_text(json.dumps({"articles": n_recs, "rows": rows}, indent=1))


def run_ingest_cli(args, path: Path, n_recs: int, db: str) -> None:
    """The archive through the real `wirecoder ingest FILE --db DB --workers 1` (the CLI's reader,
    syndication check, batched writer), in this process so that the blocks can be timed: the
    ingest loop's outcomes are counted as they come (wirecoder.parallel.outcomes, wrapped) and
    Store._place is timed (patched on the class)."""
    import os

    import wirecoder.parallel as par
    from wirecoder import cli
    from wirecoder.store import Store

    dedup_t, holder = [0.0], {}
    place = Store._place

    def timed_place(self, *a, **kw):
        holder["store"] = self
        t = time.process_time()
        try:
            return place(self, *a, **kw)
        finally:
            dedup_t[0] += time.process_time() - t

    Store._place = timed_place
    rows, status = [], {}
    outcomes = par.outcomes

    def counted(*a, **kw):
        n = 0
        t_block, c_block, d_block = time.perf_counter(), time.process_time(), 0.0
        for o in outcomes(*a, **kw):
            yield o                      # the CLI stores it (or batches it) before asking for the next
            status[o.status] = status.get(o.status, 0) + 1
            n += 1
            if n % args.block == 0 or n == n_recs:
                el, cpu = time.perf_counter() - t_block, time.process_time() - c_block
                k = (n - 1) % args.block + 1
                st = holder.get("store")
                row = {"block": f"{n - k + 1}-{n}", "rate": k / el, "cpu_rate": k / cpu,
                       "dedup_share": (dedup_t[0] - d_block) / cpu,
                       "events": st.counts()["events"] if st is not None else -1, "rss_mb": rss_mb(),
                       "rss_now_mb": cur_rss_mb(), "mem": mem_detail(),
                       "loadavg_1m": os.getloadavg()[0], "outcomes": dict(status)}
                rows.append(row)
                print(f"{row['block']:>11} {row['rate']:7.2f} {row['cpu_rate']:9.2f} {row['dedup_share']:8.1%} "
                      f"{row['events']:7d} {row['rss_mb']:7.0f} {row['rss_now_mb']:7.0f} {row['loadavg_1m']:6.2f}  "
                      + " ".join(f"{k}={v:.0f}" for k, v in row["mem"].items()), flush=True)
                t_block, c_block, d_block = time.perf_counter(), time.process_time(), dedup_t[0]

    par.outcomes = counted
    from wirecoder.pipeline import default_pipeline
    default_pipeline().resources.nlp      # the model loaded before the first block, as in the other mode
    print(f"via `wirecoder ingest {path.name} --db {db} --workers 1 --quiet`", flush=True)
    print(f"{'block':>11} {'art/s':>7} {'art/cpu-s':>9} {'dedup %':>8} {'events':>7} {'peak MB':>7} {'now MB':>7} "
          f"{'load':>6}",
          flush=True)
    t0, c0 = time.perf_counter(), time.process_time()
    try:
        cli.main.main(["ingest", str(path), "--db", db, "--workers", "1", "--quiet"], standalone_mode=False)
        rc = 0
    except SystemExit as exc:
        rc = exc.code
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    full = [r for r in rows if r is not rows[-1] or n_recs % args.block == 0]
    summary = {"articles": n_recs, "archive_mb": path.stat().st_size / 1e6, "db": db.split("@")[-1],
               "rc": rc, "wall_s": wall, "cpu_s": cpu, "dedup_cpu_s": dedup_t[0], "dedup_share": dedup_t[0] / cpu,
               "outcomes": status, "peak_rss_mb": rss_mb()}
    if len(full) >= 2:
        summary["last_over_first_cpu"] = full[-1]["cpu_rate"] / full[0]["cpu_rate"]
        summary["last_over_first_wall"] = full[-1]["rate"] / full[0]["rate"]
    if args.check_rebuild:
        summary["rebuild"] = check_rebuild(db)
    print(json.dumps(summary), flush=True)
    if args.out:
        Path(args.out).write_text(json.dumps({**summary, "rows": rows}, indent=1))


def check_rebuild(db: str) -> dict:
    """Whether the store the incremental ingest left is what `dedupe --rebuild` makes of the same
    reports: the events (as sets of reports) of each, and how many differ."""
    from wirecoder.store import Store

    with Store(db) as st:
        before = st.groups()
        t = time.perf_counter()
        st.rebuild()
        wall = time.perf_counter() - t
        after = st.groups()
    out = {"events_incremental": len(before), "events_rebuild": len(after),
           "only_incremental": len(before - after), "only_rebuild": len(after - before),
           "reports_in_differing": len({r for g in before ^ after for r in g}), "rebuild_wall_s": wall}
    print(f"incremental vs `dedupe --rebuild`: {out['events_incremental']} / {out['events_rebuild']} events, "
          f"{out['only_incremental']} + {out['only_rebuild']} differ ({out['reports_in_differing']} reports); "
          f"rebuild {wall:.0f} s", flush=True)
    return out


def run_dedup(args) -> None:
    import sqlalchemy as sa

    from wirecoder.pipeline import default_pipeline
    from wirecoder.schema import Article
    from wirecoder.store import Store
    from wirecoder.store import tables as T
    from wirecoder.store.reports import report_row

    pipe = default_pipeline()
    templates = []
    for r in make_news_corpus(60, seed=5):
        art = Article(id=Article.make_id(r["text"]), text=r["text"], published=dt.date(2024, 1, 1), source="X")
        templates.extend(pipe.extract(art).events)
    templates = [e for e in templates if e.date is not None]
    rng = random.Random(3)
    tmp = tempfile.TemporaryDirectory(prefix="wirecoder-dedup-")
    db = args.db or str(Path(tmp.name) / "big.db")
    store = Store(db)
    t0 = time.perf_counter()
    now = "2026-01-01T00:00:00+00:00"

    def clone(i: int, tag: str):
        e = rng.choice(templates)
        shift = dt.timedelta(days=rng.randrange(730))
        aid = f"{tag}{i:07d}"
        loc = e.location
        if loc is not None and loc.lat is not None:   # 40 places around each template place
            j = rng.randrange(40)
            loc = loc.model_copy(update={"lat": loc.lat + (j % 8) * 1.5, "lon": loc.lon + (j // 8) * 1.5,
                                         "name": f"{loc.name} {j}"})
        d = e.date.model_copy(update={"start": e.date.start + shift, "end": e.date.end + shift})
        ms = [m.model_copy(update={"article_id": aid}) for m in e.mentions]
        return e.model_copy(update={"id": f"{aid}-e1", "article_ids": [aid], "date": d, "location": loc,
                                    "mentions": ms, "first_reported": d.end, "last_reported": d.end,
                                    "sources": ["Bench"]}), aid

    have = store.counts()["events"]
    if have:   # --db of an earlier run: reuse it (the probes' own events are in it too)
        print(f"store: reusing {db} ({have} events)", flush=True)
        rng.seed(have)
    with store._write() as conn:
        batch_a, batch_r = [], []
        for i in range(args.store_events if not have else 0):
            ev, aid = clone(i, "s")
            batch_a.append(dict(id=aid, text="x", clean_text="x", n_events=1, published=ev.first_reported.isoformat()))
            batch_r.append(report_row(ev, aid, ev.id))
            store._put_event(conn, ev, now)
            if len(batch_a) >= 2000:
                conn.execute(T.articles.insert(), batch_a)
                conn.execute(T.reports.insert(), batch_r)
                conn.execute(T.event_articles.insert(), [dict(event_id=r["id"], article_id=r["article_id"])
                                                         for r in batch_r])
                batch_a, batch_r = [], []
                print(f"\rstore: {i + 1} events ({time.perf_counter() - t0:.0f}s)", end="", flush=True)
        if batch_a:
            conn.execute(T.articles.insert(), batch_a)
            conn.execute(T.reports.insert(), batch_r)
            conn.execute(T.event_articles.insert(), [dict(event_id=r["id"], article_id=r["article_id"])
                                                     for r in batch_r])
    if not have:   # the clones were written as they are: cluster them as ingest would have
        t1 = time.perf_counter()
        res = store.rebuild()
        print(f"\rstore: clustered ({res['events_before']} -> {res['events']} events) in "
              f"{time.perf_counter() - t1:.0f}s", flush=True)
    n_events = store.counts()["events"]
    print(f"\rstore: {n_events} events, {store.counts()['articles']} articles, written in "
          f"{time.perf_counter() - t0:.0f}s", flush=True)
    times, writes = [], []
    put = store._put_event
    spent = [0.0]

    def timed_put(*a, **kw):
        t = time.process_time()
        try:
            return put(*a, **kw)
        finally:
            spent[0] += time.process_time() - t

    store._put_event = timed_put
    for i in range(args.probe):
        ev, aid = clone(i + have, "p")
        with store._write() as conn:
            conn.execute(T.articles.insert().values(id=aid, text="x", clean_text="x", n_events=1))
            conn.execute(T.reports.insert().values(**report_row(ev, aid, None)))
            spent[0] = 0.0
            t = time.process_time()
            store._place(conn, {ev.id: ev}, now)
            times.append(time.process_time() - t)
            writes.append(times[-1] - spent[0])
    times.sort()
    writes.sort()
    p95 = times[int(0.95 * (len(times) - 1))]
    p95m = writes[int(0.95 * (len(writes) - 1))]
    with store._read() as conn:
        merged = conn.execute(sa.text("SELECT count(*) FROM reports WHERE id LIKE 'p%' AND event_id NOT LIKE 'p%'")).scalar()
    print(f"store of {n_events} events: dedup per new article p50 {statistics.median(times) * 1000:.1f} ms, "
          f"p95 {p95 * 1000:.1f} ms, max {times[-1] * 1000:.1f} ms over {len(times)} articles (CPU time) "
          f"({merged} merged into stored events); without writing the event rows: p50 "
          f"{statistics.median(writes) * 1000:.1f} ms, p95 {p95m * 1000:.1f} ms")
    store.close()
    if args.out:
        import os

        Path(args.out).write_text(json.dumps({
            "store_events": n_events, "probes": len(times), "merged": merged,
            "p50_ms": statistics.median(times) * 1000, "p95_ms": p95 * 1000, "max_ms": times[-1] * 1000,
            "p50_ms_without_event_rows": statistics.median(writes) * 1000, "p95_ms_without_event_rows": p95m * 1000,
            "loadavg": os.getloadavg(), "times_ms": [t * 1000 for t in times]}, indent=1))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="mode", required=True)
    a = sub.add_parser("ingest")
    a.add_argument("--articles", type=int, default=20000)
    a.add_argument("--copies", type=float, default=0.25)
    a.add_argument("--block", type=int, default=1000)
    a.add_argument("--db")
    a.add_argument("--out")
    a.add_argument("--read-only", action="store_true", help="only read the archive (no coding, no store)")
    a.add_argument("--cli", action="store_true",
                   help="ingest through the `wirecoder ingest` command itself (one worker), timed per block")
    a.add_argument("--check-rebuild", action="store_true",
                   help="with --cli: then re-cluster the store with `dedupe --rebuild` and count the events that differ")
    b = sub.add_parser("dedup")
    b.add_argument("--store-events", type=int, default=100_000)
    b.add_argument("--probe", type=int, default=300)
    b.add_argument("--db")
    b.add_argument("--out", help="write the figures (and every probe's time) to this JSON file")
    args = ap.parse_args()
    run_ingest(args) if args.mode == "ingest" else run_dedup(args)


if __name__ == "__main__":
    main()
