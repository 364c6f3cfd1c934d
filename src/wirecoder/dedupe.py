"""Cross-report deduplication: one real event, one record.

Many articles report the same real event; the merge stage fuses the mentions of one
article, this module fuses the events of many. Two events are the same real event when

* they have the same PLOVER type family (and compatible ACLED sub-types when both are given),
* their dates agree: two stated dates within ``close_days`` (1) of each other; a date
  inferred from the publication (the text gave none) spans the ``day_window`` days up to
  the report; a date no closer than a week (``MAX_DATE_WIDTH``: "earlier this month", "in
  March") is not matched at all, its report stays an event of its own,
* their places agree: same country; two towns within ``km_limit``; a town and a region
  (admin1) only when the town lies in it; a country-level (or unknown) place only when both
  dates are stated and agree closely,
* their named actors agree (:func:`merge.actors_compatible`),
* they come from different articles (the merge stage already kept one article's events apart).

Cost stays near-linear: events are filed by type family and exact day under their grid cell
(towns), region, actors and names (see :class:`_Index`), and each is compared only with events
on days within ``close_days`` that its place could match: the work per record is bounded by
the events really happening near it, not by the size of a coarse block. Later rounds only look
at pairs with a cluster that changed. Clustering is greedy
best-pair-first union-find in which two clusters join only when their *representatives*
(most precise place, narrowest stated date, all named actors) are compatible, so a vague
report cannot chain two distinct events together. Rounds repeat on the representatives until
nothing changes, which makes the result independent of input order and makes
``merge_events(merge_events(x)) == merge_events(x)``.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import json
import math
import re
from typing import NamedTuple
from collections import defaultdict
from dataclasses import dataclass

from .merge import best_actor, is_named, reconcile
from .schema import Count, DateRange, Event, Location
from .geodesy import haversine_km

#: PLOVER types that reports of one event use interchangeably (others: the type itself).
TYPE_FAMILY: dict[str, str] = {}

#: ACLED sub-types that say nothing more than the PLOVER type.
GENERIC_SUBTYPES = {None, "", "Attack", "Other"}

#: ACLED event types that one report may call what another calls otherwise.
EVENT_TYPE_GROUP = {"Riots": "Protests", "Battles": "Explosions/Remote violence"}

#: Unrest: one report's protest is another's crackdown (arrests, police violence, a riot).
UNREST = {"PROTEST", "COERCE", "ASSAULT"}
UNREST_ASSAULT_SUBTYPES = {None, "", "Attack", "Mob violence", "Violent demonstration",
                           "Excessive force against protesters", "Protest with intervention"}

NAME_RX = re.compile(r"(?<![\w'’-])[A-Z][\w'’-]*[\w]")
NAME_STOP = {
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January", "February", "March",
    "April", "May", "June", "July", "August", "September", "October", "November", "December", "The", "A", "An",
    "He", "She", "They", "It", "We", "I", "In", "On", "At", "As", "But", "And", "After", "Before", "Mr", "Mrs", "Ms",
    "Dr", "President", "Minister", "Prime", "Police", "Army", "Government", "State", "States", "United", "Nations",
    "UN", "Ministry", "Council", "National", "International", "Reuters", "AFP", "AP", "Islamic", "Republic",
    "North", "South", "East", "West", "Northern", "Southern", "Eastern", "Western", "Central", "City", "Province",
    "Region", "Governor", "General", "Colonel", "Capt", "Lt", "Sgt", "Officials", "Official", "Residents",
}

TOWN_FEATURES = {None, "", "city", "extra", "facility"}
# days: a vaguer date cannot tell reports of one event from another's. A week at most (ACLED's time
# precision 2): a report dated only to a month ("earlier this month", "in March") could be any of that
# month's events of its type and country; paired with the best-scored one it was a guess, and such
# reports linked a month of a country's events together, so that one more article re-clustered a month
# of the store (docs/PERFORMANCE.md, issue 18). It stays an event of its own.
MAX_DATE_WIDTH = 7
COARSE = 1.0  # score penalty of a region-level match
VAGUE = 2.0  # score penalty of a country-level match


def family(plover_type: str) -> str:
    """The blocking family: types that may be one event's share one."""
    if plover_type in UNREST:
        return "UNREST"
    return TYPE_FAMILY.get(plover_type, plover_type)


@functools.lru_cache(maxsize=100_000)
def _countryish(word: str) -> bool:
    """Whether a word names a country or its people ('Sudan', 'Ukrainian'): shared by unrelated events."""
    try:
        from .gazetteer import Gazetteer

        g = Gazetteer.default()
        return g.demonym(word) is not None or any(
            p.feature in ("country", "region") and p.name.lower() == word.lower() for p in g.lookup(word, 5))
    except Exception:  # no gazetteer: keep the word
        return False


def _names(ev: Event) -> frozenset:
    out = set()
    seen_sent = set()
    for m in ev.mentions:
        key = (m.article_id, m.sentence)
        if key in seen_sent:
            continue
        seen_sent.add(key)
        text = m.sentence_span.text
        for hit in NAME_RX.finditer(text):
            if hit.start() == len(text) - len(text.lstrip()):
                continue  # sentence-initial: capitalised anyway
            w = re.sub(r"['’]s$", "", hit.group())
            if (len(w) < 3 and not w.isupper()) or w in NAME_STOP or _countryish(w):
                continue
            out.add(w)
    return frozenset(out)


def _event_type_group(ev_type: str | None) -> str | None:
    return EVENT_TYPE_GROUP.get(ev_type or "", ev_type)


# --------------------------------------------------------------------------- features


@dataclass(slots=True)
class _Rep:
    """What the pair decision looks at: one event's fields, or a cluster's fused ones."""

    key: tuple  # canonical sort key (content-derived: makes the result order-independent)
    family: str  # blocking family
    ptype: str
    sub: str | None
    ev_type: str | None
    country: str | None
    level: str  # 'town' | 'admin1' | 'country' | 'none'
    lat: float | None
    lon: float | None
    admin1: str | None
    lo: int | None  # date interval, ordinal days
    hi: int | None
    stated: bool
    narrow: bool  # stated and at most 2 days wide
    actors: frozenset
    names: frozenset  # proper names in the evidence sentences (not countries, days, titles)
    articles: frozenset
    loc: Location | None
    date: DateRange | None
    pub: int
    cls_sel: tuple  # which member gives the classification, the place, the date (fused like fuse_events)
    loc_sel: tuple
    date_sel: tuple


def _level(loc: Location | None) -> str:
    if loc is None:
        return "none"
    if loc.feature in ("country", "region") or (loc.feature == "admin1" and not loc.name):
        return "country"
    if loc.feature == "admin1":
        return "admin1"
    if loc.feature in TOWN_FEATURES and loc.lat is not None and loc.lon is not None:
        return "town"
    return "country"


def _loc_rank(loc: Location | None) -> tuple:
    lvl = {"town": 0, "admin1": 1, "country": 2, "none": 3}[_level(loc)]
    return (lvl, loc.precision if loc is not None else 4)


def _date_rank(d: DateRange | None) -> tuple:
    if d is None:
        return (2, 0, 0)
    return (int(d.inferred), (d.end - d.start).days, d.start.toordinal())


def _interval(d: DateRange | None, day_window: int) -> tuple[int | None, int | None]:
    if d is None:
        return None, None
    if d.inferred:
        # the text gave no date: the event happened at most day_window days before the report
        return d.end.toordinal() - day_window, d.end.toordinal()
    return d.start.toordinal(), d.end.toordinal()


def _named(actors) -> frozenset:
    return frozenset(a.name for a in actors if is_named(a))


def _canon(ev: Event) -> tuple:
    return (ev.first_reported or dt.date.min, ev.id, tuple(ev.article_ids))


def _rep_of(ev: Event, day_window: int) -> _Rep:
    loc, date = ev.location, ev.date
    if date is None and ev.first_reported is not None:
        date = DateRange(start=ev.first_reported, end=ev.first_reported, precision="day", inferred=True)
    lo, hi = _interval(date, day_window)
    stated = date is not None and not date.inferred
    pub = (ev.first_reported or (date.end if date else dt.date.min)).toordinal()
    return _Rep(
        key=_canon(ev), family=family(ev.plover_type), ptype=ev.plover_type, sub=ev.acled_sub_event_type, ev_type=ev.acled_event_type,
        country=loc.country if loc is not None else None, level=_level(loc),
        lat=loc.lat if loc is not None else None, lon=loc.lon if loc is not None else None,
        admin1=(loc.admin1 or loc.name) if loc is not None and _level(loc) == "admin1" else
        (loc.admin1 if loc is not None else None),
        lo=lo, hi=hi, stated=stated, narrow=stated and hi - lo <= 1,
        actors=_named(ev.actors), names=_names(ev), articles=frozenset(ev.article_ids) or frozenset([ev.id]),
        loc=loc, date=date, pub=pub,
        cls_sel=(ev.acled_sub_event_type in GENERIC_SUBTYPES, _canon(ev)),
        loc_sel=(_loc_rank(loc), _canon(ev)), date_sel=(_date_rank(date), _canon(ev)),
    )


def _fuse_reps(a: _Rep, b: _Rep) -> _Rep:
    """The representative of a cluster: most precise place, narrowest stated date, all named actors."""
    first, second = (a, b) if a.key <= b.key else (b, a)
    cls = min((first, second), key=lambda r: r.cls_sel)
    pl = min((first, second), key=lambda r: r.loc_sel)
    dr = min((first, second), key=lambda r: r.date_sel)
    return _Rep(
        key=first.key, family=first.family, ptype=cls.ptype, sub=cls.sub, ev_type=cls.ev_type,
        country=pl.country, level=pl.level, lat=pl.lat, lon=pl.lon, admin1=pl.admin1, loc=pl.loc,
        lo=dr.lo, hi=dr.hi, stated=dr.stated, narrow=dr.narrow, date=dr.date,
        actors=first.actors | second.actors, names=first.names | second.names, articles=first.articles | second.articles,
        pub=min(first.pub, second.pub), cls_sel=cls.cls_sel, loc_sel=pl.loc_sel, date_sel=dr.date_sel,
    )


# --------------------------------------------------------------------------- pair decision


def _subtypes_ok(a: _Rep, b: _Rep) -> bool:
    if a.sub in GENERIC_SUBTYPES or b.sub in GENERIC_SUBTYPES or a.sub == b.sub:
        return True
    ga, gb = _event_type_group(a.ev_type), _event_type_group(b.ev_type)
    return ga is not None and ga == gb


def _types_ok(a: _Rep, b: _Rep) -> bool:
    if a.ptype == b.ptype or family(a.ptype) == family(b.ptype) != "UNREST":
        return _subtypes_ok(a, b)
    if a.ptype in UNREST and b.ptype in UNREST:
        return all(r.ptype != "ASSAULT" or r.sub in UNREST_ASSAULT_SUBTYPES for r in (a, b))
    return False


_km = haversine_km
_KM_PER_DEGREE = 111.0   # a degree of latitude is 111.19 km on the sphere of geodesy.py: a safe lower bound


def _score(a: _Rep, b: _Rep, km_limit: float, close_days: int) -> float | None:
    """None when a and b cannot be one event; else a cost (lower: likelier the same event).

    The cheap tests (dates, countries, distance) come first: most candidate pairs fail one."""
    if a.family != b.family or a.lo is None or b.lo is None:
        return None
    # dates
    gap = max(0, a.lo - b.hi, b.lo - a.hi)
    if gap > close_days:
        return None
    # places
    if a.country and b.country and a.country != b.country:
        return None
    la, lb = a.level, b.level
    if la == "town" and lb == "town":
        if a.lat == b.lat and a.lon == b.lon:
            d = 0.0   # the same town (what haversine gives)
        elif abs(a.lat - b.lat) * _KM_PER_DEGREE > km_limit:
            return None   # further apart than their latitudes alone (a lower bound of the distance)
        else:
            d = _km(a.lat, a.lon, b.lat, b.lon)
            if d > km_limit:
                return None
    if not a.articles.isdisjoint(b.articles):
        return None
    if not _types_ok(a, b):
        return None
    close = a.narrow and b.narrow and gap <= close_days
    cost = float(gap)
    if la == "town" and lb == "town":
        cost += d / km_limit
    elif {la, lb} == {"town", "admin1"} or (la == "admin1" and lb == "admin1"):
        if a.admin1 and b.admin1 and a.admin1 != b.admin1:
            return None
        if not (a.admin1 and b.admin1) and not close:
            return None
        cost += COARSE
    else:  # a country-level or unknown place: it takes more than that to tie them
        tied = bool(a.actors & b.actors) or bool(a.names & b.names)
        if not (tied or (close and a.country and b.country)):
            return None
        cost += VAGUE
    # actors
    if a.actors and b.actors:
        if not (a.actors & b.actors):
            return None
        cost -= 0.25
    if a.sub == b.sub and a.sub not in GENERIC_SUBTYPES:
        cost -= 0.25
    if a.ptype != b.ptype:
        cost += 0.5
    cost -= 0.3 * min(3, len(a.names & b.names))
    if not (a.stated and b.stated):
        cost += 0.5
    return cost


# --------------------------------------------------------------------------- blocking

_DAY0 = 1 << 23  # day ordinals are offset by this in integer cell keys (keeps them non-negative)


class _Index:
    """Exact-day blocks: every rep is filed under each day of its date interval, in

    * its grid cell (towns; cells ~``km_limit`` wide, an integer key per (family, cell, day)),
    * its region (towns and regions with an admin1),
    * ``nca`` (stated narrow towns without an admin1: a region report needs close dates to take them),
    * ``nc`` (every stated narrow rep: a country-level report needs close dates to take it),
    * each named actor and proper name (what ties a vague report to an event).

    Who probes what: a town probes the cells within ``km_limit`` (a symmetric relation); a region
    probes its region, and when narrow ``nca``; a country-level or placeless report probes its
    actors and names, and when narrow ``nc`` of its country. Every pair that :func:`_score` can
    accept is found (so the result equals the all-pairs one), and each probe only returns reps
    whose dates are within ``close_days``: the work per record is bounded by how many events
    really happen near it, not by the size of a coarse block."""

    def __init__(self, n: int, km_limit: float, close_days: int):
        self.cell = max(0.5, km_limit / 111.0)
        self.ncols = math.ceil(360.0 / self.cell)
        # degrees of latitude km_limit can span (1 degree >= 111.19 km on the 6371 km sphere)
        self.dy = math.ceil(km_limit / 111.19 / self.cell)
        self.km_limit = km_limit
        self.slack = close_days
        self.idx: dict = defaultdict(list)
        self.occupied: set[int] = set()  # integer cell bases that hold any rep
        self.countries: set = set()
        self.fids: dict[str, int] = {}
        self._cols: dict[tuple[int, int, int], tuple] = {}
        self._near_cache: dict[tuple[int, int, int], list[int]] = {}
        self.alive = [False] * n

    def _cellbase(self, fid: int, cy: int, cx: int) -> int:
        return ((fid * 65536 + cy + 32768) * 65536 + cx) << 24

    def _cell(self, r: _Rep) -> tuple[int, int]:
        return math.floor(r.lat / self.cell), math.floor(r.lon / self.cell) % self.ncols

    def _columns(self, cy: int, ry: int, cx: int) -> tuple:
        """Columns of row ``ry`` that may hold a town within km_limit of one in (cy, cx): symmetric in the rows."""
        k = (min(cy, ry), max(cy, ry), cx)
        cols = self._cols.get(k)
        if cols is None:
            lat = max(abs(cy), abs(cy + 1), abs(ry), abs(ry + 1)) * self.cell
            if lat >= 89.0:
                dx = self.ncols
            else:
                deg = self.km_limit * 1.001 / (111.19 * math.cos(math.radians(lat)))
                dx = math.ceil(deg / self.cell)
            if 2 * dx + 1 >= self.ncols:
                cols = tuple(range(self.ncols))
            else:
                cols = tuple((cx + j) % self.ncols for j in range(-dx, dx + 1))
            self._cols[k] = cols
        return cols

    def _near(self, fid: int, cy: int, cx: int) -> list[int]:
        """Integer bases (day 0) of the occupied cells that may hold a town within km_limit of cell (cy, cx)."""
        k = (fid, cy, cx)
        near = self._near_cache.get(k)
        if near is None:
            occupied = self.occupied
            near = [cb for ry in range(cy - self.dy, cy + self.dy + 1) for x in self._columns(cy, ry, cx)
                    if (cb := self._cellbase(fid, ry, x) + _DAY0) in occupied]
            self._near_cache[k] = near
        return near

    def add(self, p: int, r: _Rep) -> None:
        """File rep ``r`` (the cluster rooted at position ``p``) under its keys."""
        self.alive[p] = True
        fid = self.fids.setdefault(r.family, len(self.fids))
        idx = self.idx
        days = range(r.lo, r.hi + 1)
        if r.country:
            self.countries.add(r.country)
        if r.level == "town":
            cy, cx = self._cell(r)
            cb = self._cellbase(fid, cy, cx) + _DAY0
            if cb not in self.occupied:
                self.occupied.add(cb)
                self._near_cache.clear()  # a new cell: neighbour lists are stale
            for d in days:
                idx[cb + d].append(p)
        if r.admin1 and r.level in ("town", "admin1"):
            for d in days:
                idx[(fid, "a", r.admin1, d)].append(p)
        if r.narrow:
            for d in days:
                idx[(fid, "nc", r.country, d)].append(p)
            if r.level == "town" and not r.admin1:
                for d in days:
                    idx[(fid, "nca", r.country, d)].append(p)
        for a in r.actors:
            for d in days:
                idx[(fid, "act", a, d)].append(p)
        for w in r.names:
            for d in days:
                idx[(fid, "nm", w, d)].append(p)

    def kill(self, p: int) -> None:
        self.alive[p] = False

    def probe(self, r: _Rep) -> list[list[int]]:
        """Lists of positions that may be one event with ``r`` (stale and dead entries included)."""
        fid = self.fids.get(r.family)
        if fid is None:
            return []
        idx = self.idx
        days = range(r.lo - self.slack, r.hi + self.slack + 1)
        out = []
        if r.level == "town":
            for cb in self._near(fid, *self._cell(r)):
                for d in days:
                    hit = idx.get(cb + d)
                    if hit:
                        out.append(hit)
            return out
        keys = []
        if r.level == "admin1":
            keys.append((fid, "a", r.admin1))
            if r.narrow:
                for c in ([r.country, None] if r.country else [None, *self.countries]):
                    keys.append((fid, "nca", c))
        else:  # a country-level or placeless report: ties by actor or name, or close dates in the country
            keys.extend((fid, "act", a) for a in r.actors)
            keys.extend((fid, "nm", w) for w in r.names)
            if r.narrow and r.country:
                keys.append((fid, "nc", r.country))
        for k in keys:
            for d in days:
                hit = idx.get((*k, d))
                if hit:
                    out.append(hit)
        return out


# --------------------------------------------------------------------------- clustering


def _usable(r: _Rep) -> bool:
    return r.lo is not None and r.hi - r.lo <= MAX_DATE_WIDTH


def _pairs(probers: list[int], reps: dict[int, _Rep], index: _Index, only: set[int] | None, n: int,
           km_limit: float, close_days: int) -> list[tuple[float, int, int]]:
    """(cost, i, j) with i < j for every acceptable pair found by ``probers``; with ``only``, a
    prober outside it keeps only partners inside it (pairs of two unchanged reps were settled)."""
    alive = index.alive
    seen: set[int] = set()
    out = []
    for i in probers:
        ri = reps[i]
        restrict = only is not None and i not in only
        for hit in index.probe(ri):
            for j in hit:
                if j == i or not alive[j] or (restrict and j not in only):
                    continue
                key = i * n + j if i < j else j * n + i
                if key in seen:
                    continue
                seen.add(key)
                s = _score(ri, reps[j], km_limit, close_days)
                if s is not None:
                    out.append((s, i, j) if i < j else (s, j, i))
    return out


def cluster(events: list[Event], *, day_window: int = 3, km_limit: float = 60.0,
            close_days: int = 1) -> list[list[int]]:
    """Indices of ``events`` grouped by the real event they report (every index exactly once).

    Groups are sorted by their first index, indices within a group ascending.

    Rounds of greedy best-pair-first merging repeat until nothing changes. Positions follow the
    canonical (content) order, so a cluster's root is its member with the smallest key and
    sorting pairs by (cost, i, j) is sorting them by (cost, key, key): order-independent. After
    the first round only pairs with a cluster that changed are looked at: a pair of two
    untouched clusters was acceptable already and would have been merged, or was not and still
    is not."""
    # the cyclic collector would rescan every event and rep many times over while the work
    # lists grow (seconds at 100k records); nothing made here forms a cycle
    gc_was_on = gc.isenabled()
    gc.disable()
    try:
        return _cluster(events, day_window, km_limit, close_days)
    finally:
        if gc_was_on:
            gc.enable()


def _cluster(events: list[Event], day_window: int, km_limit: float, close_days: int) -> list[list[int]]:
    return _cluster_reps([_rep_of(e, day_window) for e in events], km_limit, close_days)


def cluster_reps(reps: list[_Rep], *, km_limit: float = 60.0, close_days: int = 1) -> list[list[int]]:
    """:func:`cluster` over the match features of the events (:func:`rep_of`, or :func:`rep_loads`
    of what the store keeps): the same groups as ``cluster`` over the events themselves."""
    gc_was_on = gc.isenabled()
    gc.disable()
    try:
        return _cluster_reps(reps, km_limit, close_days)
    finally:
        if gc_was_on:
            gc.enable()


def _cluster_reps(reps_in: list[_Rep], km_limit: float, close_days: int) -> list[list[int]]:
    n = len(reps_in)
    order = sorted(range(n), key=lambda i: reps_in[i].key)
    base = [reps_in[i] for i in order]
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    reps: dict[int, _Rep] = {p: base[p] for p in range(n) if _usable(base[p])}
    index = _Index(n, km_limit, close_days)
    fresh = sorted(reps)  # reps to file in the index: all at first, then the changed ones
    only: set[int] | None = None
    while fresh:
        for p in fresh:
            index.add(p, reps[p])
        if only is None:
            probers = fresh
        else:  # the changed reps, and the one-sided probers (regions, countries) that may now find one
            probers = sorted(p for p, r in reps.items() if p in only or r.level != "town")
        pairs = _pairs(probers, reps, index, only, n, km_limit, close_days)
        pairs.sort()
        changed: set[int] = set()
        for _s, i, j in pairs:
            a, b = find(i), find(j)
            if a == b:
                continue
            ra, rb = reps[a], reps[b]
            if _score(ra, rb, km_limit, close_days) is None:
                continue  # the clusters grew apart: their representatives disagree
            new_root, old = (a, b) if a < b else (b, a)
            parent[old] = new_root
            reps[new_root] = _fuse_reps(ra, rb)
            del reps[old]
            index.kill(old)
            changed.discard(old)
            changed.add(new_root)
        fresh = sorted(changed)
        only = changed
    groups: dict[int, list[int]] = defaultdict(list)
    for p in range(n):
        groups[find(p)].append(order[p])
    out = [sorted(g) for g in groups.values()]
    out.sort(key=lambda g: g[0])
    return out


# --------------------------------------------------------------------------- stored features


def rep_of(ev: Event, day_window: int = 3) -> _Rep:
    """What the matcher looks at in one event (kept by the store beside the event, so that
    candidates are compared without decoding whole events)."""
    return _rep_of(ev, day_window)


def usable(r: _Rep) -> bool:
    """Whether the matcher can pair this event at all (it has a date, no vaguer than a week: MAX_DATE_WIDTH)."""
    return _usable(r)


def compatible(a: _Rep, b: _Rep, *, km_limit: float = 60.0, close_days: int = 1) -> bool:
    """Whether two events (or clusters' representatives) could be one real event."""
    return _score(a, b, km_limit, close_days) is not None


class _TypesOf(NamedTuple):
    ptype: str
    sub: str | None
    ev_type: str | None


def may_pair(a: _Rep, f: list, *, km_limit: float = 60.0) -> bool:
    """False when the stored features ``f`` (``json.loads`` of :func:`rep_dumps`) certainly cannot
    pair with ``a``: the tests of :func:`compatible` that need neither the key nor the sets (the
    town-to-town distance, the types), read without building the whole rep. True: maybe (then
    ``compatible`` decides on the rep itself)."""
    if a.level == "town" and f[6] == "town" and _km(a.lat, a.lon, f[7], f[8]) > km_limit:
        return False
    return _types_ok(a, _TypesOf(f[2], f[3], f[4]))


def _key_dump(key: tuple) -> list:
    return [key[0].isoformat(), key[1], list(key[2])]


def _key_load(k: list) -> tuple:
    return (dt.date.fromisoformat(k[0]), k[1], tuple(k[2]))


def rep_dumps(r: _Rep) -> str:
    """A compact JSON form of :func:`rep_of` (no place or date objects: the matcher does not read them)."""
    return json.dumps([
        _key_dump(r.key), r.family, r.ptype, r.sub, r.ev_type, r.country, r.level, r.lat, r.lon, r.admin1, r.lo,
        r.hi, r.stated, r.narrow, sorted(r.actors), sorted(r.names), sorted(r.articles), r.pub,
        [r.cls_sel[0], _key_dump(r.cls_sel[1])], [list(r.loc_sel[0]), _key_dump(r.loc_sel[1])],
        [list(r.date_sel[0]), _key_dump(r.date_sel[1])]], separators=(",", ":"))


def rep_loads(s: str) -> _Rep:
    (key, fam, ptype, sub, ev_type, country, level, lat, lon, admin1, lo, hi, stated, narrow, actors, names,
     articles, pub, cls_sel, loc_sel, date_sel) = json.loads(s)
    k = _key_load(key)

    def sel_key(x: list) -> tuple:   # one report's selectors all name its own key: parsed once
        return k if x == key else _key_load(x)

    return _Rep(key=k, family=fam, ptype=ptype, sub=sub, ev_type=ev_type, country=country,
                level=level, lat=lat, lon=lon, admin1=admin1, lo=lo, hi=hi, stated=stated, narrow=narrow,
                actors=frozenset(actors), names=frozenset(names), articles=frozenset(articles), loc=None,
                date=None, pub=pub, cls_sel=(cls_sel[0], sel_key(cls_sel[1])),
                loc_sel=(tuple(loc_sel[0]), sel_key(loc_sel[1])),
                date_sel=(tuple(date_sel[0]), sel_key(date_sel[1])))


def find_match(event: Event, candidates: list[Event], *, day_window: int = 3, km_limit: float = 60.0,
               close_days: int = 1) -> int | None:
    """The index of the stored event ``event`` reports too (the best match), or None.

    For incremental use: the store passes its events near the new one (same type, country,
    dates); the caller then replaces that event by ``merge_events([stored, event])[0]``."""
    r = _rep_of(event, day_window)
    if not _usable(r):
        return None
    best = None
    for i, c in enumerate(candidates):
        rc = _rep_of(c, day_window)
        if not _usable(rc):
            continue
        s = _score(r, rc, km_limit, close_days)
        if s is not None and (best is None or (s, rc.key) < best[0]):
            best = ((s, rc.key), i)
    return best[1] if best else None


# --------------------------------------------------------------------------- fusion


def _count_key(c: Count) -> tuple:
    return (c.source_article, c.kind, c.value, c.text, c.span.start if c.span else None, c.claimed_by)


def fuse_events(members: list[Event], *, day_window: int = 3) -> Event:
    """One event from reports of it (the order of ``members`` does not matter)."""
    if len(members) == 1:
        return members[0]
    members = sorted(members, key=_canon)
    first = members[0]
    reps = [_rep_of(m, day_window) for m in members]
    cls = members[min(range(len(members)), key=lambda i: reps[i].cls_sel)]
    loc_m = members[min(range(len(members)), key=lambda i: reps[i].loc_sel)]
    date = reps[min(range(len(members)), key=lambda i: reps[i].date_sel)].date
    actors = best_actor([m.actors for m in members])
    names = {a.name for a in actors}
    recipients = [r for r in best_actor([m.recipients for m in members]) if r.name not in names]
    counts, seen = [], set()
    for m in members:
        for c in m.counts:
            if c.source_article is None and len(m.article_ids) == 1:
                c = c.model_copy(update={"source_article": m.article_ids[0]})
            k = _count_key(c)
            if k not in seen:
                seen.add(k)
                counts.append(c)
    sources: list[str] = []
    for m in members:
        for s in m.sources:
            if s not in sources:
                sources.append(s)
    firsts = [m.first_reported for m in members if m.first_reported is not None]
    lasts = [m.last_reported or m.first_reported for m in members if (m.last_reported or m.first_reported)]
    mentions, seen_m = [], set()
    for m in members:
        for mm in m.mentions:
            k = (mm.article_id, mm.sentence, mm.trigger.start)
            if k not in seen_m:
                seen_m.add(k)
                mentions.append(mm)
    ev = Event(
        id=first.id, plover_type=cls.plover_type, plover_mode=cls.plover_mode, plover_context=cls.plover_context,
        acled_event_type=cls.acled_event_type, acled_sub_event_type=cls.acled_sub_event_type, cameo=cls.cameo,
        actors=actors, recipients=recipients, location=loc_m.location, date=date, counts=counts,
        article_ids=sorted({a for m in members for a in m.article_ids}),
        sentences=sorted({tuple(s) for m in members for s in m.sentences}),
        mentions=mentions, sources=sources,
        first_reported=min(firsts) if firsts else None, last_reported=max(lasts) if lasts else None,
        notes=f"merged from {len({a for m in members for a in m.article_ids}) or len(members)} reports",
        confidence=min(0.95, max(m.confidence for m in members) + 0.05 * (len(members) - 1)),
    )
    reconcile(ev)
    return ev


def merge_events(events: list[Event], *, day_window: int = 3, km_limit: float = 60.0,
                 close_days: int = 1) -> list[Event]:
    """Cluster ``events`` and fuse each cluster into one :class:`Event` (in order of first member)."""
    groups = cluster(events, day_window=day_window, km_limit=km_limit, close_days=close_days)
    return [fuse_events([events[i] for i in g], day_window=day_window) for g in groups]
