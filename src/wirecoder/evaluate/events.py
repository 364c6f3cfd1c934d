"""`wirecoder eval events GOLD.json...`: score whole articles against hand-coded gold
files (format: ../shared/eval/README.md, "Gold-events JSON"). One generic scorer:
no per-article rules."""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import click

from ..extractor_options import extractors_option, parse_extractors, report

from ..geodesy import haversine_km
from ..ingest import InputError, parse_date, read_file
from ..schema import Event, ExtractionResult

SECTORS = {"military": {"MIL"}, "government": {"GOV"}, "police": {"POL"}, "rebel/militia": {"REB", "MIL_PRO"},
           "rebel": {"REB"}, "militia": {"REB", "MIL_PRO"}, "international organization": {"IGO"},
           "igo": {"IGO"}, "civilian": {"CVL"}, "civilians": {"CVL"}, "ngo": {"NGO"}, "judiciary": {"JUD"},
           "legislature": {"LEG"}, "media": {"MED"}, "business": {"BUS"}, "opposition": {"OPP"}}
STOP = {"the", "a", "an", "of", "for", "and", "or", "in", "to", "its", "their"}


@dataclass
class Fact:
    id: str
    met: bool
    detail: str = ""


@dataclass
class ArticleScore:
    gold: str
    facts: list[Fact] = field(default_factory=list)
    false_events: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return all(f.met for f in self.facts) and not self.violations


def norm(s: str | None) -> str:
    s = unicodedata.normalize("NFKD", s or "")
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    s = re.sub(r"['’]s\b", "", s)
    s = re.sub(r"[^a-z0-9]+", " ", s).strip()
    return re.sub(r"^(?:the|a|an) ", "", s)


def tokens(s: str | None) -> set[str]:
    return {t for t in norm(s).split() if t not in STOP}


km = haversine_km


def _d(s: str) -> dt.date:
    return dt.date.fromisoformat(s)


def location_ok(ev: Event, gold_loc: dict | None) -> tuple[bool, str]:
    if not gold_loc:
        return True, "no gold location"
    loc = ev.location
    if loc is None:
        return False, "no location"
    if gold_loc.get("precision") == "country" and "lat" not in gold_loc:
        ok = loc.country == gold_loc.get("country")
        return ok, f"{loc.name} ({loc.country}) vs country {gold_loc.get('country')}"
    if loc.lat is None:
        return False, f"{loc.name}: no coordinates"
    dist = km(loc.lat, loc.lon, gold_loc["lat"], gold_loc["lon"])
    lim = gold_loc.get("max_error_km", 50)
    return dist <= lim, f"{loc.name} at {dist:.0f} km (limit {lim})"


def date_overlaps(ev: Event, gold_date: dict | None) -> bool:
    if not gold_date or ev.date is None:
        return gold_date is None
    return ev.date.start <= _d(gold_date["latest"]) and _d(gold_date["earliest"]) <= ev.date.end


def date_within(ev: Event, gold_date: dict) -> tuple[bool, str]:
    d = ev.date
    if d is None:
        return False, "no date"
    ok = _d(gold_date["earliest"]) <= d.start and d.end <= _d(gold_date["latest"])
    return ok, f"{d.start}..{d.end}{' (inferred)' if d.inferred else ''} vs {gold_date['earliest']}..{gold_date['latest']}"


def matches(ev: Event, g: dict) -> bool:
    return ev.plover_type == g["plover_type"] and location_ok(ev, g.get("location"))[0] and date_overlaps(ev, g.get("date"))


def actor_ok(actors, gold: dict | None) -> tuple[bool, str]:
    if not gold:
        return True, ""
    if not actors:
        return False, "none"
    a = actors[0]
    names = [gold["name"]] + list(gold.get("also_acceptable", []))
    shown = f"{a.name} [{a.country or '-'}/{a.sector or '-'}]"
    if re.match(r"(?:unidentified|unknown)\b", gold["name"], re.I):
        return a.unidentified, shown
    name_ok = any(norm(n) in (norm(a.name), norm(a.text)) or (tokens(n) and tokens(n) <= tokens(a.name))
                  for n in names)
    if not name_ok:
        return False, shown
    if gold.get("country") and a.country and a.country != gold["country"] and norm(a.name) == norm(gold["name"]):
        return False, shown + f" country != {gold['country']}"
    if gold.get("sector") and norm(a.name) == norm(gold["name"]):
        want = SECTORS.get(gold["sector"].lower(), {gold["sector"].upper()})
        if a.sector not in want:
            return False, shown + f" sector != {gold['sector']}"
    return True, shown


def mode_ok(pred: str | None, gold: str) -> bool:
    """A mode word of the gold phrase, singular or plural ('explosive or bombardment' ~ 'explosives')."""
    if not pred:
        return False

    def words(s: str) -> list[str]:
        return [w[:-1] if w.endswith("s") and len(w) > 3 else w for w in norm(s).split()]

    g, p = words(gold), words(pred)
    return any(w in g for w in p) or g[0] in p


def score_article(gold_path: Path, pipeline) -> tuple[ArticleScore, ExtractionResult]:
    try:
        gold = json.loads(gold_path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(gold_path, f"cannot read gold file: {exc}") from None
    except json.JSONDecodeError as exc:
        raise InputError(gold_path, f"malformed JSON: {exc.msg} at line {exc.lineno}") from None
    try:
        meta = gold["article"]
        art_path = gold_path.parent / meta["file"]
    except (KeyError, TypeError):
        raise InputError(gold_path, "not a gold-events file (no article.file)") from None
    published = parse_date(meta.get("published"), what="published date", path=gold_path)
    article = read_file(art_path, published=published, source=meta.get("source"))[0]
    result = pipeline.extract(article)
    sc = ArticleScore(gold=str(gold_path))
    ctext = result.clean.text
    # ---- cleaning
    padded = f" {norm(ctext)} "
    for line in meta.get("boilerplate_lines", []):
        # whole words ('AP.' is not the 'ap' of 'apologise'); a line of another script by its own characters
        kept = f" {norm(line)} " in padded if norm(line) else " ".join(line.split()) in " ".join(ctext.split())
        sc.facts.append(Fact(f"clean: drop {line[:50]!r}", not kept))
    for s in meta.get("duplicate_sentences", []):
        n = norm(ctext).count(norm(s))
        sc.facts.append(Fact(f"clean: repeated sentence once {s[:40]!r}", n <= 1, f"{n} copies"))
    # ---- events: greedy one-to-one matching, required events first
    preds = list(result.events)
    used: dict[str, Event] = {}
    gold_events = sorted(gold.get("events", []), key=lambda g: bool(g.get("optional")))
    for g in gold_events:
        cands = [e for e in preds if e.id not in {u.id for u in used.values()} and matches(e, g)]
        if cands:
            used[g["id"]] = max(cands, key=lambda e: (actor_ok(e.actors, g.get("actor"))[0], len(e.mentions)))
    for g in gold_events:
        if g.get("optional"):
            continue
        gid = g["id"]
        ev = used.get(gid)
        sc.facts.append(Fact(f"{gid}: event found ({g['plover_type']})", ev is not None,
                             "" if ev else _closest(preds, g)))
        if ev is None:
            continue
        if g.get("plover_mode"):
            sc.facts.append(Fact(f"{gid}: mode", mode_ok(ev.plover_mode, g["plover_mode"]), f"{ev.plover_mode}"))
        for key, val in (("acled_event_type", ev.acled_event_type), ("acled_sub_event_type", ev.acled_sub_event_type)):
            if g.get(key):
                sc.facts.append(Fact(f"{gid}: {key}", val == g[key], f"{val}"))
        for role, acts in (("actor", ev.actors), ("recipient", ev.recipients)):
            if g.get(role):
                ok, shown = actor_ok(acts, g[role])
                sc.facts.append(Fact(f"{gid}: {role} = {g[role]['name']}", ok, shown))
        if g.get("location"):
            ok, shown = location_ok(ev, g["location"])
            sc.facts.append(Fact(f"{gid}: location", ok, shown))
        if g.get("date"):
            ok, shown = date_within(ev, g["date"])
            sc.facts.append(Fact(f"{gid}: date", ok, shown))
        for key, val in (("fatalities", ev.fatalities), ("size", ev.size)):
            if isinstance(g.get(key), int):
                sc.facts.append(Fact(f"{gid}: {key} = {g[key]}", val == g[key], f"{val}"))
        if g.get("fatalities_claimed_by"):
            claims = [c.claimed_by for c in ev.counts if c.kind == "killed" and c.claimed_by]
            ok = any(tokens(g["fatalities_claimed_by"]) <= tokens(c) for c in claims)
            sc.facts.append(Fact(f"{gid}: fatalities claimed by {g['fatalities_claimed_by']}", ok, "; ".join(claims)))
    optional_ids = {used[g["id"]].id for g in gold_events if g.get("optional") and g["id"] in used}
    required_ids = {used[g["id"]].id for g in gold_events if not g.get("optional") and g["id"] in used}
    for e in preds:
        if e.id not in optional_ids and e.id not in required_ids:
            sc.false_events.append(_describe(e))
    # ---- links
    for link in gold.get("links", []):
        a, b = used.get(link["from"]), used.get(link["to"])
        rel = norm(link["relation"]).split()[0]
        ok = a is not None and b is not None and any(
            l.source == a.id and l.target == b.id and norm(l.relation).startswith(rel[:6]) for l in result.links)
        sc.facts.append(Fact(f"link: {link['from']} {link['relation']} {link['to']}", ok))
    # ---- quotes
    for q in gold.get("quotes", []):
        gt = norm(q["text"])
        hit = [p for p in result.quotes if gt and (gt in norm(p.text) or (norm(p.text) and norm(p.text) in gt
                                                                            and len(norm(p.text)) > 0.8 * len(gt)))]
        ok = any(tokens(q["speaker"]) <= tokens(p.speaker) or norm(p.speaker) == norm(q["speaker"]) for p in hit)
        sc.facts.append(Fact(f"quote: {q['speaker']}: {q['text'][:40]!r}", ok,
                             "; ".join(p.speaker for p in hit) or "quote not found"))
    # ---- must_not
    for rule in gold.get("must_not", []):
        what = rule.get("what", "")
        if "no_event_within_km" in rule:
            r = rule["no_event_within_km"]
            bad = [e for e in preds if e.location and e.location.lat is not None
                   and km(e.location.lat, e.location.lon, r["lat"], r["lon"]) <= r["km"]]
        elif "max_events" in rule:
            r = rule["max_events"]
            n = sum(1 for e in preds if e.plover_type == r["plover_type"])
            bad = [f"{n} {r['plover_type']} events"] if n > r["count"] else []
        elif "no_event_date_between" in rule:
            r = rule["no_event_date_between"]
            bad = [e for e in preds if e.date and e.date.start <= _d(r["latest"]) and _d(r["earliest"]) <= e.date.end]
        else:
            bad = []
        if bad:
            sc.violations.append(what)
    return sc, result


def _describe(e: Event) -> str:
    loc = e.location.name if e.location else "?"
    d = f"{e.date.start}..{e.date.end}" if e.date else "?"
    return f"{e.plover_type}/{e.acled_sub_event_type or '-'} {e.actor.name if e.actor else '?'} -> " \
           f"{e.recipient.name if e.recipient else '?'} at {loc} {d}"


def _closest(preds: list[Event], g: dict) -> str:
    same = [e for e in preds if e.plover_type == g["plover_type"]]
    if not same:
        return f"no {g['plover_type']} event"
    return "closest: " + "; ".join(_describe(e) for e in same[:3])


def summarise(scores: list[ArticleScore]) -> dict:
    met = sum(f.met for s in scores for f in s.facts)
    total = sum(len(s.facts) for s in scores)
    return {
        "facts_met": met, "facts_total": total, "false_events": sum(len(s.false_events) for s in scores),
        "must_not_violations": sum(len(s.violations) for s in scores),
        "passed": all(s.passed for s in scores), "articles": len(scores),
        "per_article": [{"gold": s.gold, "facts_met": sum(f.met for f in s.facts), "facts_total": len(s.facts),
                         "passed": s.passed, "false_events": s.false_events, "violations": s.violations,
                         "missed": [f"{f.id} ({f.detail})" for f in s.facts if not f.met]} for s in scores],
    }


EVENT_ROWS = [("facts met", "facts_met"), ("facts total", "facts_total"), ("false events", "false_events"),
              ("must_not broken", "must_not_violations"), ("articles", "articles"), ("passed", "passed")]


@click.command("events")
@click.argument("gold", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object on stdout (table on stderr).")
@click.option("--sample", type=click.IntRange(min=1), default=None,
              help="Score only N of the gold files, spread evenly over them (every extractor the same N).")
@click.option("--quiet", is_flag=True, help="No progress line (it is shown only on a terminal).")
@extractors_option
def cli(gold, as_json, sample, quiet, extractors, **llm):
    """Score whole-article extraction against gold-events JSON files.

    The article file named in each gold file is read from the gold file's folder.
    Exits 0 only when every non-optional fact is met and no must_not rule is broken (by
    every extractor given). With several --extractor values, one table compares them
    (--json: {"extractors": {name: figures}})."""
    from .progress import progress
    from .sentences import extractors as build_extractors
    from .sentences import print_comparison
    from .sentences import sample as take

    gold = take(list(gold), sample)
    out = sys.stderr if as_json else sys.stdout
    names = parse_extractors(extractors)
    results = {}
    for name, pipe in build_extractors(names, llm):
        scores = []
        for g in progress(gold, len(gold), f"eval events [{name}]", not quiet, unit="articles"):
            try:
                sc, _ = score_article(g, pipe)
            except InputError as exc:
                raise click.ClickException(str(exc)) from None
            scores.append(sc)
        summary = summarise(scores)
        if hasattr(pipe, "stats"):
            summary["llm"] = pipe.stats.as_dict()
            report(pipe)
        results[name] = summary
        tag = "" if names == ["rules"] else f" [{name}]"
        if tag:
            click.echo(f"== extractor {name}", file=out)
        for s in scores:
            click.echo(f"== {s.gold}", file=out)
            for f in s.facts:
                click.echo(f"  [{'x' if f.met else ' '}] {f.id}" + (f"  -- {f.detail}" if f.detail else ""), file=out)
            for fe in s.false_events:
                click.echo(f"  [!] unmatched event: {fe}", file=out)
            for v in s.violations:
                click.echo(f"  [!] must_not broken: {v}", file=out)
        click.echo(f"events{tag}: {summary['facts_met']}/{summary['facts_total']} facts met, "
                   f"{summary['false_events']} false events, {summary['must_not_violations']} must_not violations -> "
                   f"{'PASS' if summary['passed'] else 'FAIL'}", file=out)
    if len(results) > 1:
        print_comparison(EVENT_ROWS, results, out, title="\nevents" + (f" (sample of {len(gold)} files)" if sample
                                                                         else "") + ": by extractor")
    if as_json:
        click.echo(json.dumps(next(iter(results.values())) if len(results) == 1 else {"extractors": results},
                              indent=1))
    sys.exit(0 if all(r["passed"] for r in results.values()) else 1)
