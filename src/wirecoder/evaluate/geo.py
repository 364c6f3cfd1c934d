"""`wirecoder eval geo FILE...`: toponym resolution and recognition against GeoWebNews / LGL-style XML.

Mode A (gold spans given): resolve the gold toponyms in document context; accuracy@161 km, mean and
median error, AUC of the log-error curve (Gritta et al.), exact GeoNames id, by toponym type.
Mode B (raw text): spaCy + recognise + resolve; e2e accuracy@161 (a predicted toponym overlaps the gold
span and lies within 161 km) and recognition precision / recall / F1 (overlap match).
"""

from __future__ import annotations

import json
import math
import statistics
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass, field

import click

SKIP_TYPES = {"Literal_Expression", "Non_Lit_Expression", "Non_Toponym"}
MAX_KM = 20039.0


@dataclass
class Gold:
    start: int
    end: int
    text: str
    lat: float | None
    lon: float | None
    geonameid: int | None
    type: str | None


@dataclass
class Article:
    id: str
    text: str
    golds: list[Gold] = field(default_factory=list)


def _f(x):
    try:
        return float(x)
    except (TypeError, ValueError):
        return None


def _realign(text: str, start: int, end: int, phrase: str) -> tuple[int, int]:
    if not phrase or text[start:end] == phrase:
        return start, end
    best = None
    for d in range(0, 60):
        for s in (start - d, start + d):
            if 0 <= s and text[s:s + len(phrase)] == phrase:
                best = s
                break
        if best is not None:
            break
    if best is None:
        return start, end
    return best, best + len(phrase)


def read_file(path: str) -> list[Article]:
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as e:
        raise click.ClickException(f"{path}: cannot read as XML ({e})") from e
    arts = root.findall("article")
    if not arts:
        raise click.ClickException(f"{path}: no <article> elements (expected GeoWebNews or LGL corpus XML)")
    out = []
    for i, a in enumerate(arts):
        text = a.findtext("text")
        tops = a.find("toponyms")
        if text is None or tops is None:
            raise click.ClickException(f"{path}: article {i} lacks <text> or <toponyms>")
        art = Article(a.get("docid") or a.get("file") or str(i), text)
        for t in tops.findall("toponym"):
            try:
                start, end = int(t.findtext("start")), int(t.findtext("end"))
            except (TypeError, ValueError) as e:
                raise click.ClickException(f"{path}: article {art.id}: toponym without start/end") from e
            g = t.find("gaztag")
            if g is not None or t.find("phrase") is not None:  # LGL / TR-News corpus format
                phrase = t.findtext("phrase") or ""
                start, end = _realign(text, start, end, phrase)
                if g is None:
                    art.golds.append(Gold(start, end, phrase, None, None, None, None))
                    continue
                gid = g.get("geonameid")
                fcode = g.findtext("fcode")
                art.golds.append(Gold(start, end, phrase, _f(g.findtext("lat")), _f(g.findtext("lon")),
                                      int(gid) if gid and gid.isdigit() else None, fcode or None))
            else:  # GeoWebNews
                name = t.findtext("extractedName") or ""
                start, end = _realign(text, start, end, name)
                gid = (t.findtext("geonamesID") or "").strip()
                art.golds.append(Gold(start, end, name, _f(t.findtext("latitude")), _f(t.findtext("longitude")),
                                      int(gid) if gid.isdigit() else None, t.findtext("type")))
        out.append(art)
    return out


def _scored(g: Gold) -> bool:
    return g.lat is not None and g.lon is not None and g.type not in SKIP_TYPES


def _summary(errors: list[float], ids: list[bool]) -> dict:
    if not errors:
        return {"n": 0, "acc_161": 0.0, "mean_km": 0.0, "median_km": 0.0, "auc": 0.0, "exact_id": 0.0}
    auc = sum(math.log(1 + min(e, MAX_KM)) / math.log(1 + MAX_KM) for e in errors) / len(errors)
    return {"n": len(errors), "acc_161": sum(e <= 161 for e in errors) / len(errors),
            "mean_km": statistics.fmean(errors), "median_km": statistics.median(errors), "auc": auc,
            "exact_id": sum(ids) / len(ids) if ids else 0.0}


def _progress(i: int, n: int, t0: float, label: str, enabled: bool):
    if enabled and (i % 20 == 0 or i == n):
        click.echo(f"\r{label}: {i}/{n} articles ({time.time() - t0:.0f}s)", err=True, nl=(i == n))


def evaluate(articles: list[Article], raw: bool = True, progress: bool = True) -> dict:
    from ..geodesy import haversine_km
    from ..toponyms import recognise, resolve

    # Mode A --------------------------------------------------------------------------------------
    errors, ids, gid_flags = [], [], []
    by_type: dict[str, tuple[list, list]] = defaultdict(lambda: ([], []))
    unresolved = 0
    t0 = time.time()
    for ai, art in enumerate(articles, 1):
        golds = [g for g in art.golds if g.type not in SKIP_TYPES and g.text]
        tops = resolve([(g.start, g.end, g.text) for g in golds], art.text) if golds else []
        for g, t in zip(golds, tops):
            if not _scored(g):
                continue
            if t.place is None:
                err = MAX_KM
                unresolved += 1
                same = False
            else:
                err = haversine_km(g.lat, g.lon, t.place.lat, t.place.lon)
                same = g.geonameid is not None and t.place.geonameid == g.geonameid
            errors.append(err)
            ids.append(same)
            gid_flags.append(g.geonameid is not None)
            if g.type:
                by_type[g.type][0].append(err)
                by_type[g.type][1].append(same)
        _progress(ai, len(articles), t0, "resolving gold spans", progress)
    res = _summary(errors, ids)
    res["unresolved"] = unresolved
    gn = [(e, i) for e, i, g in zip(errors, ids, gid_flags) if g]
    res["acc_161_geonames"] = _summary([e for e, _ in gn], [i for _, i in gn])["acc_161"]
    res["n_geonames"] = len(gn)
    res["by_type"] = {k: _summary(*v) for k, v in sorted(by_type.items(), key=lambda kv: -len(kv[1][0]))}

    # Mode B --------------------------------------------------------------------------------------
    if raw:
        from ..resources import default_resources

        nlp = default_resources().nlp
        disable = [p for p in nlp.pipe_names if p not in ("tok2vec", "ner", "senter")]
        t0 = time.time()
        tp_rec = n_pred = n_gold_all = rec_hit = 0
        e2e_hit = n_gold = 0
        texts = (a.text for a in articles)
        for ai, (art, doc) in enumerate(zip(articles, nlp.pipe(texts, batch_size=16, disable=disable)), 1):
            mentions = recognise(doc)
            preds = resolve(mentions, art.text)
            n_pred += len(preds)
            gold_spans = [g for g in art.golds if g.type not in SKIP_TYPES]
            n_gold_all += len(gold_spans)
            for p in preds:
                if any(p.start < g.end and g.start < p.end for g in gold_spans):
                    tp_rec += 1
            for g in gold_spans:
                ov = [p for p in preds if p.start < g.end and g.start < p.end]
                if ov:
                    rec_hit += 1
                if not _scored(g):
                    continue
                n_gold += 1
                if any(p.place is not None and haversine_km(g.lat, g.lon, p.place.lat, p.place.lon) <= 161 for p in ov):
                    e2e_hit += 1
            _progress(ai, len(articles), t0, "parsing raw text", progress)
        prec = tp_rec / n_pred if n_pred else 0.0
        rec = rec_hit / n_gold_all if n_gold_all else 0.0
        res.update({"e2e_acc_161": e2e_hit / n_gold if n_gold else 0.0, "e2e_n": n_gold,
                    "recognition_precision": prec, "recognition_recall": rec,
                    "recognition_f1": 2 * prec * rec / (prec + rec) if prec + rec else 0.0,
                    "predicted_toponyms": n_pred})
    return res


def _table(name: str, r: dict) -> str:
    lines = [f"== {name}",
             f"gold spans given: n={r['n']} acc@161={r['acc_161']:.3f} mean={r['mean_km']:.0f}km "
             f"median={r['median_km']:.1f}km AUC={r['auc']:.3f} exact_id={r['exact_id']:.3f} "
             f"unresolved={r.get('unresolved', 0)}",
             f"  gold rows with a GeoNames id only: n={r.get('n_geonames', 0)} acc@161={r.get('acc_161_geonames', 0):.3f}"]
    if r.get("by_type"):
        lines.append(f"  {'type':<22}{'n':>6}{'acc@161':>9}{'mean_km':>9}{'AUC':>7}")
        for k, v in r["by_type"].items():
            lines.append(f"  {k:<22}{v['n']:>6}{v['acc_161']:>9.3f}{v['mean_km']:>9.0f}{v['auc']:>7.3f}")
    if "e2e_acc_161" in r:
        lines.append(f"from raw text: e2e acc@161={r['e2e_acc_161']:.3f} (n={r['e2e_n']}) recognition "
                     f"P={r['recognition_precision']:.3f} R={r['recognition_recall']:.3f} "
                     f"F1={r['recognition_f1']:.3f} ({r['predicted_toponyms']} predicted)")
    return "\n".join(lines)


@click.command("geo")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="One JSON object on stdout (tables go to stderr).")
@click.option("--limit", type=int, default=None, help="Only the first N articles of each file.")
@click.option("--no-raw", is_flag=True, help="Skip the from-raw-text mode (no spaCy parse).")
@click.option("--quiet", is_flag=True, help="No progress indicator.")
def cli(files, as_json, limit, no_raw, quiet):
    """Score toponym resolution (gold spans) and end-to-end geoparsing (raw text) on GeoWebNews/LGL XML."""
    per_file = {}
    all_arts = []
    for f in files:
        arts = read_file(f)
        if limit:
            arts = arts[:limit]
        all_arts.append((f, arts))
    for f, arts in all_arts:
        per_file[f] = evaluate(arts, raw=not no_raw, progress=not quiet)
    if len(per_file) == 1:
        result = dict(next(iter(per_file.values())))
    else:
        result = evaluate([a for _, arts in all_arts for a in arts], raw=not no_raw, progress=not quiet)
        result["files"] = per_file
    result.setdefault("e2e_acc_161", None)
    result.setdefault("recognition_f1", None)
    tables = "\n".join(_table(f, r) for f, r in per_file.items())
    if len(per_file) > 1:
        tables += "\n" + _table("all files", result)
    summary = (f"geo: acc@161={result['acc_161']:.3f} AUC={result['auc']:.3f} median={result['median_km']:.1f}km"
               + (f" e2e_acc@161={result['e2e_acc_161']:.3f} recognition_F1={result['recognition_f1']:.3f}"
                  if result["e2e_acc_161"] is not None else ""))
    if as_json:
        click.echo(tables, err=True)
        click.echo(json.dumps(result))
    else:
        click.echo(tables)
        click.echo(summary)
