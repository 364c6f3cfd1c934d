"""Where one core's time goes, in one process: the spaCy model component by component, the rules
stage by stage, and how much of the corpus repeats.

    .venv/bin/python bench/breakdown.py [--articles 300] [--corpus mixed|news] [--rounds 3]
                                        [--out bench/results/breakdown.json]

1. The model: the paragraphs that the analyse stage parses (the same cleaning, filter and batches as
   ``analyse._pipe``, from ``analyse.batches``), each batch through the tokenizer and then each
   component of the pipeline in turn, each timed on its own (CPU time, ``--rounds`` passes), per
   article. Beside it, the matrix products the model must do per token (counted from the layers'
   sizes) and the speed of numpy's BLAS on this core for those shapes, so the products' share of the
   model's time can be read off.
2. The rules: ``Pipeline.extract`` over prepared parses (what ``ingest`` runs after the parse),
   each stage function wrapped with a timer (wall time, one pass; a stage called inside another is
   counted in both).
3. Repetition: the share of the parsed paragraphs' words that are in a paragraph seen before in the
   same corpus (bench/corpus.py builds articles from templates and shared paragraphs; a cache keyed
   by paragraph would profit from it, real news much less).

Timings are benchmarks: on a shared machine they move 10-20% between minutes."""

from __future__ import annotations

import argparse
import functools
import importlib
import json
import os
import platform
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

# stage functions of Pipeline.extract, as "module:function" (wrapped where the pipeline looks them up)
STAGES = ["wirecoder.analyse:analyse", "wirecoder.events:detect", "wirecoder.classify:type_mentions",
          "wirecoder.classify:type_main", "wirecoder.classify:untyped_main", "wirecoder.main_event:main_mention",
          "wirecoder.places:article_toponyms", "wirecoder.roles:fill_roles", "wirecoder.places:attach",
          "wirecoder.places:sentence_location", "wirecoder.places:scene_statement",
          "wirecoder.timing:attach_dates", "wirecoder.counts:find_counts", "wirecoder.roles:read_phrases",
          "wirecoder.merge:merge_article", "wirecoder.roles:claimed_responsibility",
          "wirecoder.places:article_fallback", "wirecoder.roles:state_authorities", "wirecoder.salience:select",
          "wirecoder.quotes:find_quotes"]


def _articles(n: int, corpus: str):
    from corpus import make_mixed_corpus, make_news_corpus
    from wirecoder.schema import Article

    recs = (make_mixed_corpus if corpus == "mixed" else make_news_corpus)(n)
    return [Article(id=r["id"], text=r["text"], published=r["published"]) for r in recs]


def _product_flops_per_token(nlp) -> dict:
    """Multiply-adds x 2 of the model's matrix products per token, per component (from the layers'
    sizes; the parser's and NER's output layer once per transition, ~2 and ~1 a token)."""
    steps = {"parser": 2.0, "ner": 1.0}
    out = {}
    for name, proc in nlp.pipeline:
        model = getattr(proc, "model", None)
        if model is None or not hasattr(model, "walk"):
            continue
        macs = 0.0
        upper = model.get_ref("upper") if model.has_ref("upper") else None   # the parser's/NER's output layer
        for node in model.walk():
            dims = {d: node.maybe_get_dim(d) for d in ("nO", "nI", "nP", "nF") if node.has_dim(d)}
            if node.name == "maxout":
                macs += dims["nI"] * dims["nO"] * dims["nP"]
            elif node.name == "precomputable_affine":
                macs += dims["nI"] * dims["nF"] * dims["nO"] * dims["nP"]
            elif node.name in ("linear", "softmax"):
                macs += dims["nI"] * dims["nO"] * (steps.get(name, 1.0) if node is upper else 1)
        if macs:
            out[name] = 2 * macs
    return out


def _blas_gflops() -> float:
    """numpy's BLAS, one thread, float32, on two of the model's product shapes (2,000 tokens by the
    encoders' 288 and 384 inputs, 288 outputs): the faster of the two, so the time it gives is a floor."""
    import numpy as np
    from threadpoolctl import threadpool_limits

    best = 0.0
    with threadpool_limits(1):
        for k in (288, 384):
            a = np.random.default_rng(0).random((2000, k), dtype=np.float32)
            b = np.random.default_rng(1).random((k, 288), dtype=np.float32)
            np.matmul(a, b)
            t = time.perf_counter()
            for _ in range(30):
                np.matmul(a, b)
            best = max(best, 2 * 2000 * k * 288 * 30 / (time.perf_counter() - t) / 1e9)
    return best


def _parsed_texts(arts, pipe) -> list[str]:
    """The paragraphs (pieces) the analyse stage parses in these articles, in order."""
    from wirecoder import clean as clean_stage
    from wirecoder.analyse import plan

    return [t for a in arts for t in plan(clean_stage.clean(a), pipe.resources).texts]


def model_part(texts: list[str], n_articles: int, pipe, rounds: int) -> dict:
    from wirecoder.analyse import batches as parse_batches

    nlp = pipe.resources.nlp
    batches = list(parse_batches(texts))
    cpu: dict[str, float] = {"tokenizer": 0.0, **{name: 0.0 for name in nlp.pipe_names}}
    tokens = 0
    for _ in range(rounds):
        for batch in batches:
            t = time.process_time()
            docs = [nlp.make_doc(x) for x in batch]
            cpu["tokenizer"] += time.process_time() - t
            for name, proc in nlp.pipeline:
                t = time.process_time()
                docs = list(proc.pipe(docs, batch_size=1000))
                cpu[name] += time.process_time() - t
            tokens += sum(len(d) for d in docs)
    per_article = {k: v / rounds / n_articles * 1000 for k, v in cpu.items()}
    flops = _product_flops_per_token(nlp)
    tok_per_article = tokens / rounds / n_articles
    gflops = _blas_gflops()
    products_ms = sum(flops.values()) * tok_per_article / (gflops * 1e9) * 1000
    return {"cpu_ms_per_article": {k: round(v, 2) for k, v in per_article.items()},
            "model_ms_per_article": round(sum(per_article.values()), 2),
            "tokens_per_article": round(tok_per_article, 1),
            "product_mflop_per_token": {k: round(v / 1e6, 3) for k, v in flops.items()},
            "blas_gflops": round(gflops, 1),
            "products_ms_per_article_at_blas_speed": round(products_ms, 2)}


def rules_part(arts, pipe) -> dict:
    from wirecoder import pipeline as P

    spent: dict[str, float] = {}

    def wrap(spec: str) -> None:
        mod_name, attr = spec.split(":")
        mod = importlib.import_module(mod_name)
        f = getattr(mod, attr)

        @functools.wraps(f)
        def timed(*a, **k):
            t = time.perf_counter()
            try:
                return f(*a, **k)
            finally:
                spent[spec] = spent.get(spec, 0.0) + time.perf_counter() - t

        setattr(mod, attr, timed)
        if getattr(P, attr, None) is f:     # imported by name into the pipeline module
            setattr(P, attr, timed)

    for spec in STAGES:
        wrap(spec)
    pipe.prepare(arts[:8])
    pipe.extract(arts[0])        # warm: the first article builds lazily-read resources
    spent.clear()
    total = 0.0
    for i in range(0, len(arts), 8):
        chunk = arts[i:i + 8]
        pipe.prepare(chunk)
        t = time.perf_counter()
        for a in chunk:
            pipe.extract(a)
        total += time.perf_counter() - t
    n = len(arts)
    return {"extract_ms_per_article": round(total / n * 1000, 2),
            "stage_ms_per_article": {k.split(":")[1]: round(v / n * 1000, 2)
                                     for k, v in sorted(spent.items(), key=lambda kv: -kv[1])}}


def repetition_part(texts: list[str]) -> dict:
    seen: set[str] = set()
    words = repeated = pieces = 0
    for t in texts:
        w = len(t.split())
        words += w
        pieces += 1
        if t in seen:
            repeated += w
        seen.add(t)
    return {"parsed_paragraphs": pieces, "distinct": len(seen), "words": words,
            "repeated_word_share": round(repeated / words, 4) if words else 0.0}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=300)
    ap.add_argument("--corpus", choices=("mixed", "news"), default="mixed")
    ap.add_argument("--rounds", type=int, default=3, help="passes of the model over the batches (default 3)")
    ap.add_argument("--out", default=str(HERE / "results" / "breakdown.json"))
    args = ap.parse_args()
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    from wirecoder.pipeline import default_pipeline

    arts = _articles(args.articles, args.corpus)
    pipe = default_pipeline()
    texts = _parsed_texts(arts, pipe)
    model = model_part(texts, len(arts), pipe, max(1, args.rounds))
    repeat = repetition_part(texts)
    rules = rules_part(arts, pipe)

    print(f"{args.corpus} corpus, {len(arts)} articles, {model['tokens_per_article']} parsed tokens an article")
    print("\nthe model, CPU ms an article")
    for k, v in model["cpu_ms_per_article"].items():
        print(f"  {k:16} {v:7.2f}")
    print(f"  {'in all':16} {model['model_ms_per_article']:7.2f}")
    mf = model["product_mflop_per_token"]
    print(f"  matrix products: {sum(mf.values()):.2f} MFLOP a token ({', '.join(f'{k} {v:.2f}' for k, v in mf.items())});"
          f" BLAS {model['blas_gflops']} GFLOPS here: {model['products_ms_per_article_at_blas_speed']} ms an article")
    print(f"\nthe rules (Pipeline.extract on prepared parses): {rules['extract_ms_per_article']} ms an article")
    for k, v in rules["stage_ms_per_article"].items():
        print(f"  {k:24} {v:7.2f}")
    print(f"\nrepetition: {repeat['repeated_word_share']:.1%} of the parsed paragraphs' words are in a paragraph seen "
          f"before ({repeat['distinct']:,} distinct of {repeat['parsed_paragraphs']:,})")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({
        "machine": f"{platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}",
        "command": f"python bench/breakdown.py --articles {args.articles} --corpus {args.corpus} --rounds {args.rounds}",
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "model": model, "rules": rules, "repetition": repeat}, indent=1) + "\n")


if __name__ == "__main__":
    main()
