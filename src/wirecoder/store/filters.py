"""The filters of an event query, shared by the HTTP API, `wirecoder export` and `Store.events()`.

Every value is checked here, with a message a user can act on (ValueError); the API turns it into
a 4xx, the CLI into a usage error."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, fields

SORTS = {"date": "date_start", "fatalities": "fatalities", "updated": "updated_at", "sources": "source_count",
         "confidence": "confidence", "country": "country", "type": "plover_type", "seq": "seq"}
MAX_TEXT = 200
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _ontology_sets():
    import tomllib
    from importlib import resources

    data = tomllib.loads(resources.files("wirecoder").joinpath("data/ontology.toml").read_text(encoding="utf-8"))
    plover = set(data["plover"])
    acled_types = {v[0] for v in data["acled"].values()}
    acled_subs = {v[1] for v in data["acled"].values()}
    return plover, acled_types, acled_subs


_SETS = None


def ontology_sets():
    global _SETS
    if _SETS is None:
        _SETS = _ontology_sets()
    return _SETS


def _text(name: str, value) -> str | None:
    if value is None or value == "":
        return None
    value = str(value)
    if len(value) > MAX_TEXT:
        raise ValueError(f"{name}: longer than {MAX_TEXT} characters")
    if _CONTROL.search(value):
        raise ValueError(f"{name}: contains control characters")
    return value.strip() or None


def _list(name: str, value) -> list[str]:
    if value is None or value == "" or value == []:
        return []
    items = value if isinstance(value, (list, tuple, set)) else str(value).split(",")
    out = []
    for v in items:
        v = _text(name, v)
        if v:
            out.append(v)
    return out


def _date(name: str, value) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    s = str(value).strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", s):
        raise ValueError(f"{name}: {s[:40]!r} is not a date (expected YYYY-MM-DD)")
    try:
        return dt.date.fromisoformat(s)
    except ValueError:
        raise ValueError(f"{name}: {s!r} is not a valid date") from None


@dataclass
class EventFilter:
    start: dt.date | None = None            # events that end on or after this day
    end: dt.date | None = None              # ... and start on or before this one
    plover_type: list[str] = field(default_factory=list)
    plover_mode: list[str] = field(default_factory=list)
    acled_event_type: list[str] = field(default_factory=list)
    acled_sub_event_type: list[str] = field(default_factory=list)
    actor: str | None = None                # substring of actor 1 or 2, any case
    country: list[str] = field(default_factory=list)   # ISO-3166 alpha-3
    admin1: str | None = None
    bbox: tuple[float, float, float, float] | None = None   # min_lon, min_lat, max_lon, max_lat
    min_fatalities: int | None = None
    q: str | None = None                    # full-text search over the articles
    acled_only: bool = False                # only events with an ACLED type (acled-csv)
    dated_only: bool = False

    @classmethod
    def parse(cls, **kw) -> "EventFilter":
        """Build from loose values (strings, comma lists, aliases); ValueError with a message."""
        alias = {"since": "start", "until": "end", "type": "plover_type", "mode": "plover_mode",
                 "event_type": "acled_event_type", "sub_event_type": "acled_sub_event_type"}
        kw = {alias.get(k, k): v for k, v in kw.items() if v is not None}
        names = {f.name for f in fields(cls)}
        unknown = set(kw) - names
        if unknown:
            raise ValueError(f"unknown filter(s): {', '.join(sorted(unknown))} (known: {', '.join(sorted(names))})")
        plover, acled_types, acled_subs = ontology_sets()
        f = cls()
        f.start = _date("start", kw.get("start"))
        f.end = _date("end", kw.get("end"))
        if f.start and f.end and f.start > f.end:
            raise ValueError(f"start {f.start} is after end {f.end}")
        f.plover_type = [t.upper() for t in _list("type", kw.get("plover_type"))]
        bad = [t for t in f.plover_type if t not in plover]
        if bad:
            raise ValueError(f"type: unknown PLOVER type {bad[0][:40]!r} (known: {', '.join(sorted(plover))})")
        f.plover_mode = _list("mode", kw.get("plover_mode"))
        f.acled_event_type = _list("event_type", kw.get("acled_event_type"))
        bad = [t for t in f.acled_event_type if t not in acled_types]
        if bad:
            raise ValueError(f"event_type: unknown ACLED event type {bad[0][:40]!r} "
                             f"(known: {', '.join(sorted(acled_types))})")
        f.acled_sub_event_type = _list("sub_event_type", kw.get("acled_sub_event_type"))
        bad = [t for t in f.acled_sub_event_type if t not in acled_subs]
        if bad:
            raise ValueError(f"sub_event_type: unknown ACLED sub-event type {bad[0][:40]!r}")
        f.actor = _text("actor", kw.get("actor"))
        f.country = [c.upper() for c in _list("country", kw.get("country"))]
        bad = [c for c in f.country if not re.fullmatch(r"[A-Z]{3}", c)]
        if bad:
            raise ValueError(f"country: {bad[0][:40]!r} is not an ISO-3166 alpha-3 code (e.g. SYR, KEN)")
        f.admin1 = _text("admin1", kw.get("admin1"))
        bbox = kw.get("bbox")
        if bbox not in (None, "", ()):
            parts = bbox if isinstance(bbox, (list, tuple)) else str(bbox).split(",")
            if len(parts) != 4:
                raise ValueError("bbox: expected four numbers min_lon,min_lat,max_lon,max_lat")
            try:
                x0, y0, x1, y1 = (float(p) for p in parts)
            except (TypeError, ValueError):
                raise ValueError("bbox: expected four numbers min_lon,min_lat,max_lon,max_lat") from None
            if not all(-180 <= x <= 180 for x in (x0, x1)) or not all(-90 <= y <= 90 for y in (y0, y1)):
                raise ValueError("bbox: longitudes must lie in [-180, 180] and latitudes in [-90, 90]")
            if y0 > y1:
                raise ValueError("bbox: min_lat is greater than max_lat")
            f.bbox = (x0, y0, x1, y1)   # x0 > x1: the box crosses the antimeridian
        mf = kw.get("min_fatalities")
        if mf not in (None, ""):
            try:
                f.min_fatalities = int(mf)
            except (TypeError, ValueError):
                raise ValueError(f"min_fatalities: {str(mf)[:40]!r} is not a whole number") from None
            if not 0 <= f.min_fatalities <= 10_000_000:
                raise ValueError("min_fatalities: must lie between 0 and 10,000,000")
        f.q = _text("q", kw.get("q"))
        f.acled_only = bool(kw.get("acled_only", False))
        f.dated_only = bool(kw.get("dated_only", False))
        return f


def parse_sort(value: str | None) -> tuple[str, bool]:
    """'date' / '-fatalities' -> (column, descending)."""
    if not value:
        return "date_start", False
    value = str(value).strip()
    desc = value.startswith("-")
    key = value.lstrip("-+")
    if key not in SORTS:
        raise ValueError(f"sort: unknown key {key[:40]!r} (known: {', '.join(SORTS)}; '-' for descending)")
    return SORTS[key], desc
