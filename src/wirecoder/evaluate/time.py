"""`wirecoder eval time PATH...`: score temporal normalisation on TimeML (.tml) files
(format: ../shared/eval/README.md, "TimeML").

The document creation time (TIMEX3 functionInDocument="CREATION_TIME") is the reference
date.  With the gold span given, every gold TIMEX3 of type DATE (and, reported apart,
TIME) is normalised by ``wirecoder.dates.normalise`` with its sentence as context and
its value compared exactly.  Without spans, ``find_timexes`` runs on the plain text and
recognition recall / precision are reported."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import sys
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import click

from ..dates import find_timexes, normalise

GRANULARITIES = ["day", "week", "month", "quarter", "season", "year", "decade", "ref", "other"]


@dataclass
class GoldTimex:
    start: int
    end: int
    text: str
    type: str
    value: str


@dataclass
class Doc:
    path: Path
    dct: dt.date
    text: str
    timexes: list[GoldTimex] = field(default_factory=list)


# ------------------------------------------------------------------------- reading

def _date_of(value: str | None, path: Path) -> dt.date:
    m = re.match(r"(\d{4})-?(\d\d)-?(\d\d)", value or "")
    if not m:
        raise click.ClickException(f"{path}: no usable creation time (DCT value {value!r})")
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        raise click.ClickException(f"{path}: bad creation time {value!r}") from None


def _parse_etree(raw: str, path: Path) -> Doc:
    root = ET.fromstring(raw)
    dct_value = None
    for t in root.iter("TIMEX3"):
        if t.get("functionInDocument") == "CREATION_TIME":
            dct_value = t.get("value")
            break
    text_el = root.find(".//TEXT")
    if text_el is None:
        raise ValueError("no TEXT element")
    if dct_value is None:
        raise click.ClickException(f"{path}: not TimeML (no TIMEX3 with functionInDocument=\"CREATION_TIME\")")
    buf: list[str] = []
    pos = 0
    timexes: list[GoldTimex] = []

    def walk(el, top=False):
        nonlocal pos
        if not top:
            start = pos
        if el.text:
            buf.append(el.text)
            pos += len(el.text)
        for ch in el:
            walk(ch)
            if ch.tail:
                buf.append(ch.tail)
                pos += len(ch.tail)
        if not top and el.tag == "TIMEX3":
            timexes.append(GoldTimex(start, pos, "".join(buf)[start:pos], el.get("type", ""), el.get("value", "")))

    walk(text_el, top=True)
    text = "".join(buf)
    for g in timexes:
        g.text = text[g.start:g.end]
    timexes.sort(key=lambda g: g.start)
    return Doc(path, _date_of(dct_value, path), text, timexes)


_RE_TAG = re.compile(r"<(/?)([A-Za-z0-9_]+)([^>]*?)(/?)>")
_RE_ATTR = re.compile(r"([\w:]+)\s*=\s*\"([^\"]*)\"")


def _parse_regex(raw: str, path: Path) -> Doc:
    """Fallback for files ElementTree rejects (odd entities, stray ampersands)."""
    m = re.search(r"<TIMEX3\b([^>]*functionInDocument=\"CREATION_TIME\"[^>]*)>", raw)
    if not m:
        raise click.ClickException(f"{path}: not TimeML (no TIMEX3 with functionInDocument=\"CREATION_TIME\")")
    dct_value = dict(_RE_ATTR.findall(m.group(1))).get("value")
    tm = re.search(r"<TEXT>(.*?)</TEXT>", raw, re.S)
    if not tm:
        raise click.ClickException(f"{path}: not TimeML (no <TEXT> element)")
    body = tm.group(1)
    buf: list[str] = []
    pos = 0
    last = 0
    stack: list[tuple[int, dict]] = []
    timexes: list[GoldTimex] = []
    for t in _RE_TAG.finditer(body):
        chunk = html.unescape(body[last:t.start()])
        buf.append(chunk)
        pos += len(chunk)
        last = t.end()
        closing, name, attrs, selfclose = t.groups()
        if name != "TIMEX3" or selfclose:
            continue
        if not closing:
            stack.append((pos, dict(_RE_ATTR.findall(attrs))))
        elif stack:
            start, a = stack.pop()
            timexes.append(GoldTimex(start, pos, "", a.get("type", ""), a.get("value", "")))
    chunk = html.unescape(body[last:])
    buf.append(chunk)
    text = "".join(buf)
    for g in timexes:
        g.text = text[g.start:g.end]
    timexes.sort(key=lambda g: g.start)
    return Doc(path, _date_of(dct_value, path), text, timexes)


def read_tml(path: Path) -> Doc:
    try:
        raw = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise click.ClickException(f"{path}: cannot read ({exc.strerror or exc})") from None
    if "<TimeML" not in raw and "<TIMEX3" not in raw:
        raise click.ClickException(f"{path}: not a TimeML file (no <TimeML> or <TIMEX3> element)")
    try:
        return _parse_etree(raw, path)
    except click.ClickException:
        raise
    except (ET.ParseError, ValueError):
        return _parse_regex(raw, path)


def iter_tml(paths) -> list[Path]:
    files: list[Path] = []
    for p in paths:
        p = Path(p)
        if not p.exists():
            raise click.ClickException(f"{p}: no such file or directory")
        if p.is_dir():
            found = sorted(x for x in p.rglob("*.tml") if x.is_file())
            if not found:
                raise click.ClickException(f"{p}: no .tml files in this directory")
            files.extend(found)
        else:
            files.append(p)
    return files


# ------------------------------------------------------------------------- scoring

_RE_SENT = re.compile(r"(?<=[.!?])[\"'’”]*\s+(?=[\"'“‘`(]*[A-Z0-9])|\n\s*\n")


def sentence_of(text: str, start: int, end: int) -> str:
    a = 0
    for m in _RE_SENT.finditer(text):
        if m.end() <= start:
            a = m.end()
        elif m.start() >= end:
            return text[a:m.start()].strip()
    return text[a:].strip()


def granularity_class(value: str) -> str:
    v = value.strip()
    if re.fullmatch(r"\d{4}-\d\d-\d\d", v):
        return "day"
    if re.fullmatch(r"\d{4}-W\d\d?(?:-WE)?", v):
        return "week"
    if re.fullmatch(r"\d{4}-\d\d", v):
        return "month"
    if re.fullmatch(r"\d{4}-Q\d", v):
        return "quarter"
    if re.fullmatch(r"\d{4}-(?:SU|SP|FA|WI)", v):
        return "season"
    if re.fullmatch(r"\d{4}", v):
        return "year"
    if re.fullmatch(r"\d{2,3}X?", v):
        return "decade"
    if v.endswith("_REF"):
        return "ref"
    return "other"


def _frac(a: int, b: int) -> float:
    return round(a / b, 4) if b else 0.0


def score(files: list[Path], roots: list[Path]):
    n_date = ok_date = n_time = ok_time = 0
    gran = defaultdict(lambda: [0, 0])
    folders = defaultdict(lambda: [0, 0])
    mismatches = []
    rec_gold = rec_hit = 0
    found_n = found_hit = 0
    e2e_ok = 0
    for path in files:
        doc = read_tml(path)
        folder = _folder_of(path, roots)
        for g in doc.timexes:
            if g.type not in ("DATE", "TIME"):
                continue
            ctx = sentence_of(doc.text, g.start, g.end)
            t = normalise(g.text, doc.dct, context=ctx)
            pred = t.value if t else None
            ok = pred == g.value
            if g.type == "DATE":
                n_date += 1
                ok_date += ok
                c = granularity_class(g.value)
                gran[c][0] += 1
                gran[c][1] += ok
                folders[folder][0] += 1
                folders[folder][1] += ok
            else:
                n_time += 1
                ok_time += ok
            if not ok:
                mismatches.append((str(path.name), doc.dct.isoformat(), g.type, g.text, g.value, pred, ctx))
        found = find_timexes(doc.text, doc.dct)
        gold_dt = [g for g in doc.timexes if g.type in ("DATE", "TIME")]
        for g in gold_dt:
            rec_gold += 1
            hits = [f for f in found if f.start < g.end and g.start < f.end]
            if hits:
                rec_hit += 1
                if g.type == "DATE" and any(f.value == g.value for f in hits):
                    e2e_ok += 1
        for f in found:
            if f.type not in ("DATE", "TIME"):
                continue
            found_n += 1
            if any(f.start < g.end and g.start < f.end for g in doc.timexes):
                found_hit += 1
    result = {
        "files": len(files),
        "n_date": n_date,
        "exact_accuracy": _frac(ok_date, n_date),
        "by_granularity": {k: {"n": gran[k][0], "accuracy": _frac(gran[k][1], gran[k][0])}
                           for k in GRANULARITIES if gran[k][0]},
        "n_time": n_time,
        "time_accuracy": _frac(ok_time, n_time),
        "by_folder": {k: {"n": v[0], "accuracy": _frac(v[1], v[0])} for k, v in sorted(folders.items())},
        "recognition_recall": _frac(rec_hit, rec_gold),
        "recognition_precision": _frac(found_hit, found_n),
        "recognition_f1": (round(2 * rec_hit / rec_gold * found_hit / found_n
                                 / (rec_hit / rec_gold + found_hit / found_n), 4)
                           if rec_hit and found_hit else 0.0),
        "e2e_date_accuracy": _frac(e2e_ok, n_date),
    }
    return result, mismatches


def _folder_of(path: Path, roots: list[Path]) -> str:
    for r in roots:
        try:
            rel = path.resolve().relative_to(r.resolve())
        except ValueError:
            continue
        return rel.parts[0] if len(rel.parts) > 1 else r.name or "."
    return path.parent.name


def _table(res) -> str:
    lines = [f"TimeML temporal normalisation, {res['files']} files",
             f"{'granularity':<12}{'n':>6}{'accuracy':>10}"]
    for k, v in res["by_granularity"].items():
        lines.append(f"{k:<12}{v['n']:>6}{v['accuracy']:>10.3f}")
    lines.append(f"{'DATE (all)':<12}{res['n_date']:>6}{res['exact_accuracy']:>10.3f}")
    lines.append(f"{'TIME':<12}{res['n_time']:>6}{res['time_accuracy']:>10.3f}")
    if len(res["by_folder"]) > 1:
        lines.append("")
        lines.append(f"{'folder':<12}{'n':>6}{'accuracy':>10}")
        for k, v in res["by_folder"].items():
            lines.append(f"{k:<12}{v['n']:>6}{v['accuracy']:>10.3f}")
    lines.append("")
    lines.append(f"recognition (no spans): recall {res['recognition_recall']:.3f}  "
                 f"precision {res['recognition_precision']:.3f}  F1 {res['recognition_f1']:.3f}  "
                 f"end-to-end DATE value accuracy {res['e2e_date_accuracy']:.3f}")
    return "\n".join(lines)


@click.command("time")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object on stdout (table to stderr).")
@click.option("--errors", "n_errors", type=int, default=0, metavar="N",
              help="Print the first N mismatches (gold text, gold value, predicted).")
def cli(paths, as_json, n_errors):
    """Score temporal-expression normalisation against TimeML .tml files or directories."""
    roots = [Path(p) for p in paths]
    files = iter_tml(paths)
    res, mismatches = score(files, roots)
    out = sys.stderr if as_json else sys.stdout
    if n_errors:
        for fn, dct, typ, text, gold, pred, ctx in mismatches[:n_errors]:
            click.echo(f"{fn} DCT={dct} {typ} {text!r}: gold={gold} pred={pred}  | {ctx[:160]!r}", file=out)
        click.echo("", file=out)
    click.echo(_table(res), file=out)
    summary = (f"time: DATE exact accuracy {res['exact_accuracy']:.3f} (n={res['n_date']}), "
               f"TIME {res['time_accuracy']:.3f} (n={res['n_time']}), "
               f"recognition recall {res['recognition_recall']:.3f}, precision {res['recognition_precision']:.3f}")
    click.echo(summary, file=out)
    if as_json:
        click.echo(json.dumps(res))
