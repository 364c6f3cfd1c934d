"""`wirecoder eval plv FILE`: PLOVER root type and actor/recipient spans of single news
sentences (CSV: text,label,meta,context,source,target; see ../shared/eval/README.md).

Gold YIELD matches a predicted CONCEDE or RETREAT; a gold target of the literal word
``recipient`` means the sentence names none.

Metrics: accuracy, macro-F1 and weighted-F1 over the gold labels, per-type
precision/recall/F1, a confusion matrix; for roles, exact span match (case, leading
articles and edge punctuation ignored) and head-word match of actor and recipient, and
the swapped-role rate (the predicted actor is the gold recipient or vice versa).
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections import Counter
from pathlib import Path

import click

from ..extractor_options import extractors_option, parse_extractors, report

YIELD_TYPES = {"CONCEDE", "RETREAT"}
HEAD_STOP = re.compile(r"^(?:of|for|in|at|from|on|with|who|which|that|to|by|,|\(|-|–|—|and|'s|’s)$", re.I)
WORD_RE = re.compile(r"[\w.]+(?:['’]\w+)?|[,()\-–—]", re.U)
ARTICLES = {"the", "a", "an"}


# --------------------------------------------------------------------------- metrics (shared with case2021)


def prf_table(gold: list[str], pred: list[str | None], labels: list[str] | None = None) -> dict:
    labels = labels or sorted(set(gold))
    tp, fp, fn = Counter(), Counter(), Counter()
    for g, p in zip(gold, pred):
        if g == p:
            tp[g] += 1
        else:
            fn[g] += 1
            if p is not None:
                fp[p] += 1
    support = Counter(gold)
    per = {}
    for lab in labels:
        p = tp[lab] / (tp[lab] + fp[lab]) if tp[lab] + fp[lab] else 0.0
        r = tp[lab] / (tp[lab] + fn[lab]) if tp[lab] + fn[lab] else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        per[lab] = {"precision": p, "recall": r, "f1": f, "support": support[lab]}
    n = len(gold)
    macro = sum(v["f1"] for v in per.values()) / len(per) if per else 0.0
    weighted = sum(v["f1"] * v["support"] for v in per.values()) / sum(v["support"] for v in per.values()) if n else 0.0
    acc = sum(tp.values()) / n if n else 0.0
    return {"accuracy": acc, "macro_f1": macro, "weighted_f1": weighted, "per_type": per, "n": n}


def print_table(res: dict, out) -> None:
    print(f"{'type':<30}{'P':>7}{'R':>7}{'F1':>7}{'n':>6}", file=out)
    for lab, v in sorted(res["per_type"].items()):
        print(f"{lab:<30}{v['precision']:>7.3f}{v['recall']:>7.3f}{v['f1']:>7.3f}{v['support']:>6}", file=out)


def print_confusion(gold: list[str], pred: list[str | None], out) -> None:
    labels = sorted(set(gold) | {p for p in pred if p})
    cm = Counter(zip(gold, [p or "-" for p in pred]))
    cols = labels + ["-"]
    short = {lab: lab[:5] for lab in cols}
    print("confusion (rows gold, columns predicted):", file=out)
    print(f"{'':<12}" + "".join(f"{short[c]:>6}" for c in cols), file=out)
    for g in sorted(set(gold)):
        print(f"{g[:12]:<12}" + "".join(f"{cm[(g, c)] or '.':>6}" for c in cols), file=out)


# --------------------------------------------------------------------------- spans


def norm_span(s: str | None) -> str:
    if not s:
        return ""
    words = [w.lower() for w in WORD_RE.findall(s)]
    while words and (words[0] in ARTICLES or not re.match(r"\w", words[0])):
        words = words[1:]
    while words and not re.match(r"\w", words[-1]):
        words = words[:-1]
    return " ".join(words)


def head_word(s: str | None) -> str:
    """The head of a noun phrase as written: the last word before a post-modifier
    ("court in New Delhi" -> court, "spokesman for X" -> spokesman)."""
    words = WORD_RE.findall(s or "")
    kept = []
    for w in words:
        if HEAD_STOP.match(w) and kept:
            break
        kept.append(w)
    kept = [w for w in kept if re.match(r"\w", w)]
    if not kept:
        return ""
    h = re.sub(r"['’]s$", "", kept[-1].lower()).strip(".")
    return h


# --------------------------------------------------------------------------- I/O


def read_plv(path: Path) -> list[dict]:
    try:
        with open(path, newline="", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise click.ClickException(f"{path}: cannot read PLV CSV: {exc}") from None
    if not rows or not {"text", "label"} <= set(rows[0]):
        raise click.ClickException(f"{path}: not a PLV CSV (need columns text,label[,source,target])")
    return rows


def evaluate(rows: list[dict], preds) -> tuple[dict, list]:
    gold = [r["label"].strip().upper() for r in rows]
    pred = []
    for g, p in zip(gold, preds):
        t = p.plover_type
        if g == "YIELD" and t in YIELD_TYPES:
            t = "YIELD"
        elif t in YIELD_TYPES:
            t = "YIELD"
        pred.append(t)
    res = prf_table(gold, pred)
    a_exact = a_head = r_exact = r_head = swapped = n_a = n_r = n_both = 0
    for r, p in zip(rows, preds):
        src = (r.get("source") or "").strip()
        tgt = (r.get("target") or "").strip()
        if tgt.lower() == "recipient":
            tgt = ""
        if src:
            n_a += 1
            a_exact += norm_span(p.actor) == norm_span(src)
            a_head += bool(p.actor) and head_word(p.actor) == head_word(src)
        if tgt:
            n_r += 1
            r_exact += norm_span(p.recipient) == norm_span(tgt)
            r_head += bool(p.recipient) and head_word(p.recipient) == head_word(tgt)
        if src and tgt and head_word(src) != head_word(tgt):
            n_both += 1
            if (p.actor and head_word(p.actor) == head_word(tgt)) or (
                    p.recipient and head_word(p.recipient) == head_word(src)):
                swapped += 1
    res.update({
        "actor_exact_match": a_exact / n_a if n_a else 0.0,
        "actor_head_match": a_head / n_a if n_a else 0.0,
        "recipient_exact_match": r_exact / n_r if n_r else 0.0,
        "recipient_head_match": r_head / n_r if n_r else 0.0,
        "swapped_roles": swapped / n_both if n_both else 0.0,
        "n_actor": n_a, "n_recipient": n_r,
        "unclassified": sum(1 for p in pred if p is None),
    })
    return res, pred


PLV_ROWS = [("accuracy", "accuracy"), ("macro-F1", "macro_f1"), ("weighted-F1", "weighted_f1"),
            ("actor head", "actor_head_match"), ("actor exact", "actor_exact_match"),
            ("recipient head", "recipient_head_match"), ("recipient exact", "recipient_exact_match"),
            ("swapped roles", "swapped_roles"), ("unclassified", "unclassified"), ("n", "n")]


@click.command("plv")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="one JSON object on stdout; tables to stderr")
@click.option("--errors", type=int, default=0, help="print up to N mismatches (type errors) for tuning")
@click.option("--sample", type=click.IntRange(min=1), default=None,
              help="score only N sentences spread evenly over the file (every extractor the same N)")
@click.option("--quiet", is_flag=True, help="No progress line (it is shown only on a terminal).")
@extractors_option
def cli(file: Path, as_json: bool, errors: int, sample: int | None, quiet: bool, extractors, **llm):
    """Score PLOVER root-type classification and actor/recipient spans on a PLV CSV.

    With several --extractor values, each is scored on the same sentences and one table
    compares them (--json: {"extractors": {name: figures}})."""
    from .sentences import extractors as build_extractors
    from .sentences import main_events, print_comparison
    from .sentences import sample as take

    if not file.is_file():
        raise click.ClickException(f"{file}: no such file")
    rows = take(read_plv(file), sample)
    out = sys.stderr if as_json else sys.stdout
    results = {}
    names = parse_extractors(extractors)
    for name, ext in build_extractors(names, llm):
        preds = main_events([r["text"] for r in rows], ext, progress=not quiet, label=f"eval plv [{name}]")
        res, pred = evaluate(rows, preds)
        if hasattr(ext, "stats"):
            res["llm"] = ext.stats.as_dict()
            report(ext)
        results[name] = res
        tag = "" if names == ["rules"] else f" [{name}]"
        if tag:
            print(f"== extractor {name}", file=out)
        print_table(res, out)
        print_confusion([r["label"].strip().upper() for r in rows], pred, out)
        if errors:
            shown = 0
            for r, p, t in zip(rows, preds, pred):
                if t == r["label"].strip().upper():
                    continue
                print(f"\n[{r['label']} <- {t}] trig={p.trigger!r} aux={p.aux_mode} | {r['text']}", file=out)
                shown += 1
                if shown >= errors:
                    break
        print(f"PLV {file.name}{tag}: n={res['n']} accuracy={res['accuracy']:.3f} macro-F1={res['macro_f1']:.3f} "
              f"weighted-F1={res['weighted_f1']:.3f} actor head={res['actor_head_match']:.3f} "
              f"(exact {res['actor_exact_match']:.3f}) recipient head={res['recipient_head_match']:.3f} "
              f"(exact {res['recipient_exact_match']:.3f}) swapped={res['swapped_roles']:.3f}", file=out)
    if len(results) > 1:
        print_comparison(PLV_ROWS, results, out, title=f"\nPLV {file.name}" + (f" (sample of {len(rows)})" if sample
                                                                                   else "") + ": by extractor")
    if as_json:
        res = dict(next(iter(results.values()))) if len(results) == 1 else {"extractors": results}
        click.echo(json.dumps(res, sort_keys=True))
