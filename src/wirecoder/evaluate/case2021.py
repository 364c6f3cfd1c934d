"""`wirecoder eval case2021 FILE`: ACLED sub-event type of news snippets, as in CASE 2021
task 2 (TSV: id, EventSnippet, SubType; see ../shared/eval/README.md).

A snippet's label is the ACLED (or non-ACLED "unseen") code of its main event. Subtask 1
scores the items whose gold is one of the 25 ACLED types, subtask 2 adds ORG_CRIME,
NATURAL_DISASTER and MAN_MADE_DISASTER, subtask 3 adds DIPLO and ATTRIB; as in the shared
task, a prediction outside a subtask's label set simply counts as wrong there.
Weighted-F1 (the shared task's headline) and macro-F1 per subtask, and a per-type table.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import click

from ..extractor_options import extractors_option, parse_extractors, report

from .plv import print_confusion, print_table, prf_table

ACLED25 = ["ABDUCT_DISSAP", "AGREEMENT", "AIR_STRIKE", "ARMED_CLASH", "ARREST", "ART_MISS_ATTACK", "ATTACK",
           "CHANGE_TO_GROUP_ACT", "CHEM_WEAP", "DISR_WEAP", "FORCE_AGAINST_PROTEST", "GOV_REGAINS_TERIT", "GRENADE",
           "HQ_ESTABLISHED", "MOB_VIOL", "NON_STATE_ACTOR_OVERTAKES_TER", "NON_VIOL_TERRIT_TRANSFER", "OTHER",
           "PEACE_PROTEST", "PROPERTY_DISTRUCT", "PROTEST_WITH_INTER", "REM_EXPLOS", "SEX_VIOL", "SUIC_BOMB",
           "VIOL_DEMONSTR"]
SUBTASK2 = ACLED25 + ["ORG_CRIME", "NATURAL_DISASTER", "MAN_MADE_DISASTER"]
SUBTASK3 = SUBTASK2 + ["DIPLO", "ATTRIB"]
SUBTASKS = {"subtask1": ACLED25, "subtask2": SUBTASK2, "subtask3": SUBTASK3}


def read_tsv(path: Path) -> list[tuple[str, str, str]]:
    try:
        with open(path, newline="", encoding="utf-8") as fh:
            rows = list(csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise click.ClickException(f"{path}: cannot read CASE 2021 TSV: {exc}") from None
    if rows and rows[0] and rows[0][0].strip().lower() == "id":
        rows = rows[1:]
    out = []
    for n, r in enumerate(rows, 2):
        if not r or not any(x.strip() for x in r):
            continue
        if len(r) < 3:
            raise click.ClickException(f"{path}: line {n}: expected 3 tab-separated columns (id, EventSnippet, SubType)")
        out.append((r[0].strip(), r[1].strip(), r[2].strip().upper()))
    if not out:
        raise click.ClickException(f"{path}: no snippets")
    return out


def predict(labels_allowed: list[str], code: str | None) -> str | None:
    return code if code in labels_allowed else None


def evaluate(rows, preds) -> dict:
    res = {}
    for name, labels in SUBTASKS.items():
        keep = [(g, p.acled) for (_, _, g), p in zip(rows, preds) if g in labels]
        gold = [g for g, _ in keep]
        pred = [p for _, p in keep]
        r = prf_table(gold, pred, labels=sorted(set(gold)))
        res[name] = {"weighted_f1": r["weighted_f1"], "macro_f1": r["macro_f1"], "accuracy": r["accuracy"],
                     "n": r["n"], "per_type": r["per_type"]}
    return res


CASE_ROWS = [(f"{k} {m}", f"{k}.{m}") for k in SUBTASKS for m in ("weighted_f1", "macro_f1", "accuracy")] + [
    ("n (subtask3)", "subtask3.n")]


@click.command("case2021")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="one JSON object on stdout; tables to stderr")
@click.option("--errors", type=int, default=0, help="print up to N mismatches for tuning")
@click.option("--sample", type=click.IntRange(min=1), default=None,
              help="score only N snippets spread evenly over the file (every extractor the same N)")
@click.option("--quiet", is_flag=True, help="No progress line (it is shown only on a terminal).")
@extractors_option
def cli(file: Path, as_json: bool, errors: int, sample: int | None, quiet: bool, extractors, **llm):
    """Score ACLED sub-event type classification of CASE 2021 task 2 snippets.

    With several --extractor values, each is scored on the same snippets and one table
    compares them (--json: {"extractors": {name: figures}})."""
    from .sentences import extractors as build_extractors
    from .sentences import main_events, print_comparison
    from .sentences import sample as take

    if not file.is_file():
        raise click.ClickException(f"{file}: no such file")
    rows = take(read_tsv(file), sample)
    out = sys.stderr if as_json else sys.stdout
    names = parse_extractors(extractors)
    results = {}
    for name, ext in build_extractors(names, llm):
        preds = main_events([t for _, t, _ in rows], ext, progress=not quiet, label=f"eval case2021 [{name}]")
        res = evaluate(rows, preds)
        if hasattr(ext, "stats"):
            res["llm"] = ext.stats.as_dict()
            report(ext)
        results[name] = res
        tag = "" if names == ["rules"] else f" [{name}]"
        if tag:
            print(f"== extractor {name}", file=out)
        print("subtask 3 per type:", file=out)
        print_table(res["subtask3"], out)
        print_confusion([g for _, _, g in rows], [p.acled for p in preds], out)
        if errors:
            shown = 0
            for (i, t, g), p in zip(rows, preds):
                if p.acled == g:
                    continue
                print(f"\n[{g} <- {p.acled}] {p.plover_type} trig={p.trigger!r} aux={p.aux_mode} | {t[:300]}", file=out)
                shown += 1
                if shown >= errors:
                    break
        summary = " ".join(f"{k}: weighted-F1={v['weighted_f1']:.3f} macro-F1={v['macro_f1']:.3f} (n={v['n']})"
                           for k, v in res.items() if k in SUBTASKS)
        print(f"CASE2021 {file.name}{tag}: {summary}", file=out)
    if len(results) > 1:
        print_comparison(CASE_ROWS, results, out, title=f"\nCASE2021 {file.name}"
                         + (f" (sample of {len(rows)})" if sample else "") + ": by extractor")
    if as_json:
        res = next(iter(results.values())) if len(results) == 1 else {"extractors": results}
        click.echo(json.dumps(res, sort_keys=True))
