"""Export stage: events as JSONL, flat CSV, ACLED-column CSV, GeoJSON or Parquet
(pandas, R and QGIS read all of them)."""

from __future__ import annotations

import csv
import errno
import json
import os
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
]

ACLED_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
    "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude", "geo_precision",
    "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
]
DISORDER = {"Battles": "Political violence", "Explosions/Remote violence": "Political violence",
            "Violence against civilians": "Political violence", "Protests": "Demonstrations",
            "Riots": "Demonstrations", "Strategic developments": "Strategic developments"}
ACLED_SECTOR_NAME = {"MIL": "Military Forces of {}", "POL": "Police Forces of {}", "GOV": "Government of {}"}


def _claimant(ev: Event) -> str | None:
    for c in ev.counts:
        if c.kind == "killed" and c.claimed_by:
            return c.claimed_by
    return None


def flat(ev: Event) -> dict:
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


def _acled_actor(a) -> str:
    if a is None:
        return ""
    if a.unidentified:
        return "Unidentified Armed Group"
    if a.country and len(a.country) == 3 and a.sector in ACLED_SECTOR_NAME and a.name[:1].isupper():
        return ACLED_SECTOR_NAME[a.sector].format(a.name)
    return a.name


def acled_row(ev: Event, country_name=None) -> dict:
    f = flat(ev)
    d = ev.date
    loc = ev.location
    tp = 1 if d and d.precision == "day" and not d.inferred else (2 if d and d.precision in ("week", "range") else 3)
    i1 = ev.actor.inter if ev.actor and ev.actor.inter else 0
    i2 = ev.recipient.inter if ev.recipient and ev.recipient.inter else 0
    notes = f["evidence"] or ""
    return {
        "event_id_cnty": ev.id, "event_date": d.start.isoformat() if d else "", "year": d.start.year if d else "",
        "time_precision": tp, "disorder_type": DISORDER.get(ev.acled_event_type or "", ""),
        "event_type": ev.acled_event_type or "", "sub_event_type": ev.acled_sub_event_type or "",
        "actor1": _acled_actor(ev.actor), "assoc_actor_1": "; ".join(a.name for a in ev.actors[1:]), "inter1": i1,
        "actor2": _acled_actor(ev.recipient), "assoc_actor_2": "; ".join(a.name for a in ev.recipients[1:]),
        "inter2": i2, "interaction": int(f"{min(i1, i2)}{max(i1, i2)}") if i1 and i2 else i1 * 10,
        "civilian_targeting": "Civilian targeting" if ev.recipient and ev.recipient.sector == "CVL" else "",
        "iso": loc.country if loc and loc.country else "", "region": "",
        "country": (country_name(loc.country) if country_name and loc and loc.country else (loc.country if loc else "")) or "",
        "admin1": (loc.admin1 or "") if loc else "", "admin2": "", "admin3": "",
        "location": loc.name if loc else "", "latitude": loc.lat if loc else "", "longitude": loc.lon if loc else "",
        "geo_precision": loc.precision if loc else "", "source": "; ".join(sorted(set(ev.sources))),
        "source_scale": "", "notes": notes, "fatalities": ev.fatalities or 0, "tags": "", "timestamp": "",
    }


def write(events: Iterable[Event], fmt: str, out: str | Path | None = None, *, stream=None,
          country_name=None, escape: bool = True) -> int:
    """Write events in ``fmt`` to file ``out`` (or ``stream``); returns how many. Events are
    consumed one at a time (an iterator from the store is never held in memory whole,
    except for parquet, written in row groups). CSV cells that a spreadsheet would run as
    a formula are neutralised unless ``escape=False``."""
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
                for e in events:
                    batch.append(flat(e))
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
            for e in events:
                f.write(e.model_dump_json() + "\n")
                n += 1
        elif fmt == "csv":
            w = csv.DictWriter(f, fieldnames=FLAT_COLUMNS, lineterminator="\n")
            w.writeheader()
            for e in events:
                w.writerow(_safe_row(flat(e), escape))
                n += 1
        elif fmt == "acled-csv":
            w = csv.DictWriter(f, fieldnames=ACLED_COLUMNS, lineterminator="\n")
            w.writeheader()
            for e in events:
                w.writerow(_safe_row(acled_row(e, country_name), escape))
                n += 1
        elif fmt == "geojson":
            f.write('{"type": "FeatureCollection", "features": [')
            for e in events:
                props = flat(e)
                geom = ({"type": "Point", "coordinates": [props["longitude"], props["latitude"]]}
                        if props["latitude"] is not None else None)
                f.write((", " if n else "") + json.dumps({"type": "Feature", "id": e.id, "geometry": geom,
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
