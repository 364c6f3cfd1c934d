"""`wirecoder eval dedup FILE`: how well cross-report deduplication groups articles by the
real event they report.

FILE is JSONL, one article a line: id, published, source, text, cluster (the gold id of the
real event the article reports). Each article is run through the pipeline; its *main event*
(the asserted event with the most mentions and figures, ties to the first in the text) stands for it;
the main events of all articles are clustered with :func:`wirecoder.dedupe.cluster`, and an
article's predicted cluster is its main event's. An article without events is a singleton.

Scores: pairwise precision/recall/F1 over pairs of articles put together, and B-cubed
precision/recall/F1 (per-article overlap of predicted and gold cluster, averaged)."""

from __future__ import annotations

import json
import time
from collections import defaultdict
from itertools import combinations
from pathlib import Path

import click

from ..ingest import InputError, read_file
from ..schema import Article, Event


def main_event(events: list[Event]) -> Event | None:
    """The first asserted event with the most mentions and reported figures (ties: the first in the
    text). Figures count because casualty words fold into the event they belong to ('killed in the
    blast') rather than standing as mentions of their own."""
    if not events:
        return None
    asserted = [e for e in events if any(m.aux_mode in ("asserted", "threatened") for m in e.mentions)] or events

    def first_offset(e: Event) -> int:
        return min((m.trigger.start for m in e.mentions), default=10**9)

    return min(asserted, key=lambda e: (-(len(e.mentions) + len(e.counts)), first_offset(e)))


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def pairwise(pred: list[str], gold: list[str]) -> tuple[float, float, float, int, int, int]:
    """(precision, recall, F1, predicted pairs, gold pairs, correct pairs) over article pairs."""
    tp = npred = ngold = 0
    for i, j in combinations(range(len(pred)), 2):
        p, g = pred[i] == pred[j], gold[i] == gold[j]
        npred += p
        ngold += g
        tp += p and g
    prec = tp / npred if npred else 1.0
    rec = tp / ngold if ngold else 1.0
    return prec, rec, _f1(prec, rec), npred, ngold, tp


def bcubed(pred: list[str], gold: list[str]) -> tuple[float, float, float]:
    by_pred, by_gold = defaultdict(set), defaultdict(set)
    for i, (p, g) in enumerate(zip(pred, gold)):
        by_pred[p].add(i)
        by_gold[g].add(i)
    n = len(pred)
    if not n:
        return 0.0, 0.0, 0.0
    ps = rs = 0.0
    for i in range(n):
        both = len(by_pred[pred[i]] & by_gold[gold[i]])
        ps += both / len(by_pred[pred[i]])
        rs += both / len(by_gold[gold[i]])
    p, r = ps / n, rs / n
    return p, r, _f1(p, r)


def _describe(ev: Event | None) -> str:
    if ev is None:
        return "(no event)"
    loc = ev.location
    where = f"{loc.name} [{loc.country}, {loc.feature}, p{loc.precision}]" if loc else "no place"
    d = ev.date
    when = "no date" if d is None else (f"{d.start}" + (f"..{d.end}" if d.end != d.start else "")
                                         + (" inferred" if d.inferred else ""))
    actors = ",".join(a.name for a in ev.actors[:2]) or "-"
    sub = f"/{ev.acled_sub_event_type}" if ev.acled_sub_event_type else ""
    return f"{ev.plover_type}{sub} @ {where} on {when} by {actors}"


def evaluate(articles: list[Article], *, day_window: int = 3, km_limit: float = 60.0, progress: bool = True,
             path: str = "") -> dict:
    from ..dedupe import cluster
    from ..pipeline import default_pipeline

    pipe = default_pipeline()
    mains: list[Event | None] = []
    t0 = time.perf_counter()
    for i, art in enumerate(articles, 1):
        res = pipe.extract(art)
        mains.append(main_event(res.events))
        if progress:
            click.echo(f"\rextracting: {i}/{len(articles)} articles ({time.perf_counter() - t0:.0f}s)", err=True,
                       nl=(i == len(articles)))
    t_extract = time.perf_counter() - t0
    with_event = [i for i, e in enumerate(mains) if e is not None]
    t1 = time.perf_counter()
    groups = cluster([mains[i] for i in with_event], day_window=day_window, km_limit=km_limit)
    t_cluster = time.perf_counter() - t1
    pred = [f"single:{i}" for i in range(len(articles))]
    for gi, g in enumerate(groups):
        for k in g:
            pred[with_event[k]] = f"c{gi}"
    gold = [a.cluster for a in articles]
    pp, pr, pf, npred, ngold, tp = pairwise(pred, gold)
    bp, br, bf = bcubed(pred, gold)
    names = [a.external_id or a.id for a in articles]
    titles = [a.title or a.text.strip().splitlines()[0][:80] for a in articles]
    merged, split = [], []
    for i, j in combinations(range(len(articles)), 2):
        same_pred, same_gold = pred[i] == pred[j], gold[i] == gold[j]
        if same_pred != same_gold:
            row = {"a": names[i], "b": names[j], "title_a": titles[i], "title_b": titles[j],
                   "event_a": _describe(mains[i]), "event_b": _describe(mains[j]),
                   "gold_a": gold[i], "gold_b": gold[j]}
            (merged if same_pred else split).append(row)
    return {
        "file": path, "articles": len(articles), "gold_clusters": len(set(gold)),
        "predicted_clusters": len(set(pred)), "articles_without_event": len(articles) - len(with_event),
        "pairwise_precision": pp, "pairwise_recall": pr, "pairwise_f1": pf,
        "predicted_pairs": npred, "gold_pairs": ngold, "correct_pairs": tp,
        "bcubed_precision": bp, "bcubed_recall": br, "bcubed_f1": bf,
        "day_window": day_window, "km_limit": km_limit,
        "extract_s": round(t_extract, 2), "cluster_s": round(t_cluster, 4),
        "wrongly_merged": merged, "wrongly_split": split,
        "main_events": {names[i]: _describe(mains[i]) for i in range(len(articles))},
    }


def _table(r: dict) -> str:
    lines = [
        f"{r['file']}: {r['articles']} articles, {r['gold_clusters']} gold clusters, "
        f"{r['predicted_clusters']} predicted ({r['articles_without_event']} articles without an event)",
        "",
        f"{'':10}{'precision':>10}{'recall':>10}{'F1':>10}",
        f"{'pairwise':10}{r['pairwise_precision']:>10.3f}{r['pairwise_recall']:>10.3f}{r['pairwise_f1']:>10.3f}"
        f"   ({r['correct_pairs']} of {r['predicted_pairs']} predicted pairs right, {r['gold_pairs']} gold pairs)",
        f"{'B-cubed':10}{r['bcubed_precision']:>10.3f}{r['bcubed_recall']:>10.3f}{r['bcubed_f1']:>10.3f}",
    ]
    return "\n".join(lines)


def _errors(r: dict) -> str:
    out = [f"\nwrongly merged pairs ({len(r['wrongly_merged'])}):"]
    for e in r["wrongly_merged"]:
        out.append(f"  {e['a']} {e['title_a']!r}\n    = {e['b']} {e['title_b']!r}\n"
                   f"    gold {e['gold_a']} / {e['gold_b']}\n    {e['event_a']}\n    {e['event_b']}")
    out.append(f"\nwrongly split pairs ({len(r['wrongly_split'])}):")
    for e in r["wrongly_split"]:
        out.append(f"  {e['a']} {e['title_a']!r}\n    / {e['b']} {e['title_b']!r}\n"
                   f"    gold {e['gold_a']}\n    {e['event_a']}\n    {e['event_b']}")
    return "\n".join(out)


def _summary(r: dict) -> str:
    return (f"dedup: pairwise P {r['pairwise_precision']:.3f} R {r['pairwise_recall']:.3f} "
            f"F1 {r['pairwise_f1']:.3f}; B-cubed P {r['bcubed_precision']:.3f} R {r['bcubed_recall']:.3f} "
            f"F1 {r['bcubed_f1']:.3f} ({r['articles']} articles, {r['gold_clusters']} gold / "
            f"{r['predicted_clusters']} predicted clusters)")


@click.command("dedup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="One JSON object on stdout (the table goes to stderr).")
@click.option("--show-errors", is_flag=True, help="List wrongly merged and wrongly split article pairs.")
@click.option("--day-window", type=click.IntRange(0, 60), default=3, show_default=True,
              help="Days before its report an event with no stated date may have happened.")
@click.option("--km-limit", type=click.FloatRange(0, 1000), default=60.0, show_default=True,
              help="Most km between two towns named for one event.")
@click.option("--quiet", is_flag=True, help="No progress indicator.")
def cli(file, as_json, show_errors, day_window, km_limit, quiet):
    """Score cross-report deduplication on FILE (JSONL: id, published, source, text, cluster)."""
    try:
        articles = read_file(file)
    except InputError as exc:
        raise click.ClickException(str(exc)) from None
    missing = [a.external_id or a.id for a in articles if not a.cluster]
    if missing:
        raise click.ClickException(f"{file}: {len(missing)} article(s) without a gold 'cluster' field "
                                   f"(first: {missing[0]}); eval dedup needs one on every line")
    r = evaluate(articles, day_window=day_window, km_limit=km_limit, progress=not quiet, path=str(file))
    text = _table(r) + (_errors(r) if show_errors else "")
    if as_json:
        if not show_errors:
            r = {k: v for k, v in r.items() if k not in ("wrongly_merged", "wrongly_split", "main_events")}
        click.echo(text, err=True)
        click.echo(_summary(r), err=True)
        click.echo(json.dumps(r))
    else:
        click.echo(text)
        click.echo(_summary(r))


if __name__ == "__main__":  # pragma: no cover
    cli()
