"""`wirecoder eval gsr FILE`: PLOVER gold-standard records (type, actor and recipient with
country code and sector). Format: a JSON list whose first record is "DOCUMENT"; each other
record has text, event, source[{actorText, code, sector}], target[...]. Trailing commas
before } or ] (as in the original file) are accepted, and so are the published files' other
shapes of ``source`` / ``target``: an empty string, a word, a single object, or a list mixing
objects and words (a word is an actor text without a code). Each text is coded by the
pipeline that ``wirecoder extract`` runs (its main event, see :mod:`.sentences`)."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import click

OLD_TYPES = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}
SECTOR_EQ = {"COP": {"POL", "COP"}, "POL": {"POL", "COP"}, "REF": {"CVL", "REF"}, "SOC": {"CVL", "SOC"},
             "EDU": {"EDU", "CVL"}, "CVL": {"CVL"}, "GOV": {"GOV"}, "MIL": {"MIL"}, "REB": {"REB", "MIL_PRO"},
             "LEG": {"LEG"}, "OPP": {"OPP", "PTY"}, "PTY": {"PTY", "OPP"}, "JUD": {"JUD"}, "IGO": {"IGO"},
             "NGO": {"NGO"}, "MED": {"MED"}, "BUS": {"BUS"}}
TRAILING_COMMA = re.compile(r",\s*([}\]])")


def read_gsr(path: Path) -> list[dict]:
    try:
        raw = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise click.ClickException(f"{path}: cannot read: {exc}") from None
    try:
        data = json.loads(TRAILING_COMMA.sub(r"\1", raw))
    except json.JSONDecodeError as exc:
        raise click.ClickException(f"{path}: malformed JSON: {exc.msg} at line {exc.lineno}") from None
    if not isinstance(data, list):
        raise click.ClickException(f"{path}: expected a JSON list of PLOVER records")
    recs = []
    for n, r in enumerate(data, 1):
        if not isinstance(r, dict) or r.get("event") == "DOCUMENT":
            continue
        if not isinstance(r.get("text"), str) or not r["text"].strip() or not isinstance(r.get("event"), str):
            click.echo(f"{path}: record {n} ({r.get('id', 'no id')}): no text or no event, skipped", err=True)
            continue
        recs.append({**r, "source": parties(r.get("source")), "target": parties(r.get("target"))})
    if not recs:
        raise click.ClickException(f"{path}: no PLOVER records with text and event")
    return recs


def parties(value) -> list[dict]:
    """``source`` / ``target`` as a list of ``{actorText, code, sector}`` dicts, whatever the
    record's shape: a list, one object, a word (an actor text without a code) or nothing."""
    if value is None or value == "":
        return []
    if isinstance(value, (str, dict)):
        value = [value]
    if not isinstance(value, list):
        return []
    out = []
    for v in value:
        if isinstance(v, dict):
            out.append({k: x for k, x in v.items() if isinstance(x, str)})
        elif isinstance(v, str) and v.strip():
            out.append({"actorText": v.strip()})
    return out


def actor_code(actor) -> str | None:
    if actor is None:
        return None
    if actor.sector in ("IGO", "NGO") and actor.country and len(actor.country) != 3:
        return actor.sector
    return actor.country


def score(records: list[dict], *, progress: bool = False) -> dict:
    from ..pipeline import default_pipeline
    from .sentences import main_events

    pipe = default_pipeline()
    actors = pipe.actors
    preds = main_events([r["text"] for r in records], pipe, progress=progress, label="eval gsr")
    tallies = {k: [0, 0] for k in ("type", "actor_code", "actor_sector", "recipient_code", "recipient_sector")}
    rows = []
    for r, p in zip(records, preds):
        gold_type = OLD_TYPES.get(r["event"], r["event"])
        ok = p.plover_type == gold_type or (gold_type == "YIELD" and p.plover_type in ("CONCEDE", "RETREAT"))
        tallies["type"][0] += ok
        tallies["type"][1] += 1
        coded = {}
        for role, pred_text in (("actor", p.actor), ("recipient", p.recipient)):
            a = actors.code(pred_text) if pred_text else None
            coded[role] = a
            gold = parties(r.get("source") if role == "actor" else r.get("target"))
            gold = gold[0] if gold else {}
            if gold.get("code"):
                tallies[f"{role}_code"][1] += 1
                tallies[f"{role}_code"][0] += actor_code(a) == gold["code"]
            sec = gold.get("sector")
            if sec and sec != "***":
                tallies[f"{role}_sector"][1] += 1
                tallies[f"{role}_sector"][0] += bool(a and a.sector in SECTOR_EQ.get(sec, {sec}))
        rows.append((r.get("id", ""), gold_type, p.plover_type, p.actor, actor_code(coded["actor"]),
                     p.recipient, actor_code(coded["recipient"])))
    frac = {k: (v[0] / v[1] if v[1] else 0.0) for k, v in tallies.items()}
    return {"records": len(records), "type_accuracy": frac["type"], "actor_code_accuracy": frac["actor_code"],
            "actor_sector_accuracy": frac["actor_sector"], "recipient_code_accuracy": frac["recipient_code"],
            "recipient_sector_accuracy": frac["recipient_sector"],
            "n": {k: v[1] for k, v in tallies.items()}, "rows": rows}


@click.command("gsr")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object on stdout (table on stderr).")
@click.option("--errors", default=0, show_default=True, help="Show the first N records with a wrong type or code.")
@click.option("--quiet", is_flag=True, help="No progress line (it is shown only on a terminal).")
def cli(files, as_json, errors, quiet):
    """Score PLOVER type and actor/recipient country code and sector on PLOVER GSR records."""
    records = []
    for f in files:
        records.extend(read_gsr(f))
    res = score(records, progress=not quiet)
    out = sys.stderr if as_json else sys.stdout
    click.echo(f"{'measure':28} {'value':>6} {'n':>5}", file=out)
    for key, n in (("type_accuracy", "type"), ("actor_code_accuracy", "actor_code"),
                   ("actor_sector_accuracy", "actor_sector"), ("recipient_code_accuracy", "recipient_code"),
                   ("recipient_sector_accuracy", "recipient_sector")):
        click.echo(f"{key:28} {res[key]:6.3f} {res['n'][n]:5d}", file=out)
    shown = 0
    for row in res["rows"]:
        if shown >= errors:
            break
        if row[1] != row[2]:
            click.echo(f"  {row[0]}: gold {row[1]} pred {row[2]}; actor {row[3]!r}->{row[4]} "
                       f"recipient {row[5]!r}->{row[6]}", file=out)
            shown += 1
    click.echo(f"gsr: {res['records']} records, type accuracy {res['type_accuracy']:.3f}, actor code "
               f"{res['actor_code_accuracy']:.3f}, recipient code {res['recipient_code_accuracy']:.3f}", file=out)
    if as_json:
        click.echo(json.dumps({k: v for k, v in res.items() if k != "rows"}, indent=1))
