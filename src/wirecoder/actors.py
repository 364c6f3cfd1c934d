"""Actor dictionary: code noun phrases as actors (country / organisation / armed group + sector).

The data lives in ``data/actors.toml`` (see its header for the sections). A user file in the
same format, given to :meth:`ActorDictionary.load` or named by ``$WIRECODER_ACTORS``, is merged
over it: entries with the same key replace the packaged ones.

Matching works on tokens: accents, apostrophe variants, hyphens, possessive ``'s``, dots in
acronyms (``U.S.``) and a leading "the" are ignored; names match case-insensitively but must
start with a capital in the text, and acronym-like tokens ("US", "UN", "WHO", "ICE", "LeT")
match only exactly, so the pronoun "us" is never the United States.

Composition (in :meth:`find` and :meth:`code`):

* state + sector noun or title: "Iraqi security forces" -> Iraq/POL, "US President Joe Biden"
  -> United States/GOV, "Sudan's government" -> Sudan/GOV, "government of Iraq" -> Iraq/GOV;
* state + non-state noun: "Rwandan rebels" -> "Rebels (Rwanda)", country RWA, REB;
* backers: "Iranian-backed Iraqi armed group" -> "Iranian-backed militia (Iraq)", IRQ, REB;
  "pro-Russian separatists" -> "Russian-backed rebels";
* organisation + title: "UN Secretary-General Antonio Guterres" -> United Nations;
* "spokesman for the Taliban" -> Taliban (in :meth:`code`).

Descriptions ("protesters", "Rwandan rebels", "an Iranian-backed armed group") come back with
``generic=True``; a state with a sector noun ("Iraqi troops") is the named state itself.

User files may also use the older array format (``[[igo]]``, ``[[group]]``, ``[[metonym]]``,
``[[leader]]``, ``[[sector]]``); it is converted to the sections above.
"""

from __future__ import annotations

import functools
import os
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from .schema import Actor

STATE_SECTORS = {"GOV", "MIL", "POL", "JUD", "LEG"}
PRECISE_GENERIC = {"GOV", "MIL", "POL", "REB", "MIL_PRO", "JUD", "LEG"}

# words that end the look-ahead after a state name ("US strikes killed civilians")
STOP = {
    "and", "or", "but", "nor", "in", "on", "at", "to", "from", "with", "by", "for", "of", "that", "which", "who",
    "whom", "whose", "said", "says", "say", "told", "tells", "has", "have", "had", "was", "were", "is", "are", "be",
    "been", "being", "will", "would", "could", "should", "may", "might", "must", "can", "as", "than", "after",
    "before", "during", "when", "while", "near", "against", "over", "under", "into", "about", "also", "not", "the",
    "a", "an", "its", "their", "his", "her", "this", "these", "those", "it", "they", "he", "she", "we", "did", "do",
    "does", "if", "because", "since", "until", "where", "there", "here", "then", "via", "per", "across",
}
# modifiers that may stand between a state and its sector noun ("Iraqi senior officials")
SKIP = {
    "senior", "top", "high", "ranking", "highranking", "former", "ex", "retired", "new", "newly", "young", "local",
    "regional", "provincial", "federal", "central", "national", "elite", "heavily", "armed", "two", "three", "four",
    "five", "six", "seven", "eight", "nine", "ten", "several", "some", "many", "hundreds", "dozens", "thousands",
    "other", "more", "most", "few", "all", "both", "deputy", "acting", "interim", "chief", "main", "leading",
    "powerful", "influential", "hardline", "moderate", "radical", "veteran", "exiled", "jailed", "detained",
    "captured", "killed", "slain", "dead", "wounded", "injured", "missing", "unarmed", "innocent", "ordinary",
    "angry", "peaceful", "fellow", "loyalist", "breakaway", "allied", "frontline", "frontier", "sunni", "shiite",
    "shia", "muslim", "christian", "kurdish", "arab", "islamist", "jihadist", "separatist", "ethnic", "tribal",
    "unidentified", "unknown", "suspected", "alleged", "masked", "unnamed", "foreign", "domestic", "private",
    "state", "staterun", "stateowned", "official", "secret", "special", "anti",
}
NAME_PARTICLES = {"al", "el", "bin", "ibn", "abu", "de", "da", "do", "dos", "van", "von", "der", "la", "le", "du",
                  "ben", "ould", "ag", "bint", "ul", "ud", "e", "i", "y"}
DETERMINERS = {"the", "a", "an", "some", "several", "many", "two", "three", "four", "five", "its", "their", "his",
               "her", "our", "those", "these", "this", "that", "one", "all", "both", "other", "another", "most"}
KIND_RANK = {"block": 0, "group": 1, "igo": 2, "institution": 3, "leader": 4, "country": 5, "demonym": 6,
             "capital": 7}

_APOS = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'", "\u02bc": "'", "\u2032": "'"})
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_SIMPLE = re.compile(r"[A-Za-z0-9]+(?: [A-Za-z0-9]+)*")
_TOKEN_RE = re.compile(r"(?:[A-Za-z]\.){2,}(?:'s)?|[^\W_]+(?:'[^\W_]+)*|[^\w\s]")


# --------------------------------------------------------------------------- tokens


@dataclass(slots=True)
class Tok:
    norm: str          # accent-folded, lower case, apostrophes and dots removed
    orig: str          # as written, dots and possessive removed
    start: int
    end: int           # end of the word, possessive 's included
    hyph: bool = False  # joined to the previous token by a hyphen
    poss: bool = False
    punct: bool = False


def _fold(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c))


def tokenize(text: str) -> list[Tok]:
    text = text.translate(_APOS)
    for d in _DASHES:
        text = text.replace(d, "-")
    out: list[Tok] = []
    hyph = False
    hyph_end = -1
    for m in _TOKEN_RE.finditer(text):
        w = m.group()
        if w == "-":
            hyph = bool(out) and out[-1].end == m.start()
            hyph_end = m.end()
            continue
        if w in ("'", '"'):
            hyph = False
            continue
        if len(w) == 1 and not w.isalnum():
            out.append(Tok(w, w, m.start(), m.end(), punct=True))
            hyph = False
            continue
        poss = False
        if w.lower().endswith("'s") and len(w) > 2:
            w, poss = w[:-2], True
        orig = w.replace(".", "").replace("'", "")
        norm = _fold(orig).lower()
        adj = hyph and hyph_end == m.start()
        out.append(Tok(norm, orig, m.start(), m.end(), hyph=bool(adj), poss=poss))
        hyph = False
    return out


def _alias_tokens(alias: str) -> list[Tok]:
    toks = [t for t in tokenize(alias) if not (t.punct and t.norm == ".")]
    if toks and toks[0].norm == "the" and len(toks) > 1:
        toks = toks[1:]
    return toks


def _acronym(tok: str) -> bool:
    letters = [c for c in tok if c.isalpha()]
    return 0 < len(tok) <= 5 and sum(c.isupper() for c in letters) >= 2


def _variants(noun: str) -> set[str]:
    """Singular/plural variants of a (last) noun."""
    out = {noun}
    for a, b in (("men", "man"), ("ies", "y"), ("ses", "s"), ("xes", "x"), ("ches", "ch"), ("shes", "sh")):
        if noun.endswith(a) and len(noun) > len(a) + 1:
            out.add(noun[: -len(a)] + b)
        if noun.endswith(b) and len(noun) > len(b) + 1 and b not in ("s",):
            out.add(noun[: -len(b)] + a)
    if noun.endswith("s") and not noun.endswith("ss") and len(noun) > 3:
        out.add(noun[:-1])
    elif not noun.endswith(("s", "sh", "ch", "x", "man", "men", "y", "ese")) and noun.isalpha():
        out.add(noun + "s")
    return out


def _demonym_plurals(dem: str) -> list[str]:
    out = [dem]
    low = dem.lower()
    if low.endswith(("man", "woman")):
        out.append(dem[:-3] + "men")
    elif not low.endswith(("s", "sh", "ch", "ese", "x", "z")) and not low.endswith("ish"):
        out.append(dem + "s")
    return out


# --------------------------------------------------------------------------- entries


@dataclass(slots=True)
class Entry:
    kind: str                 # country, demonym, capital, institution, igo, group, leader, block, sector, title
    key: str                  # ISO3 / code / group name / class name / title sector
    pattern: tuple            # per alias token: exact original (acronym) or None
    proper: bool              # alias starts with a capital: the text must too
    sector: str | None = None


@dataclass
class _Class:
    key: str
    name: str
    sector: str
    inter: int
    state: bool
    unidentified: bool = False
    personnel: frozenset = frozenset()


@dataclass
class _Match:
    i: int
    j: int
    actor: Actor | None
    named: bool
    backer: str | None = None   # ISO3 of a state that backs rather than acts
    cls: _Class | None = None
    bare_demonym: bool = False  # "British" with no noun or title after it


@dataclass
class _Index:
    table: dict = field(default_factory=dict)
    maxlen: int = 1
    firsts: dict = field(default_factory=dict)   # first word of a key -> the longest key starting with it

    def add(self, alias: str, entry_fn) -> None:
        if _SIMPLE.fullmatch(alias):
            words = alias.split()
            if len(words) > 1 and words[0].lower() == "the":
                words = words[1:]
            key = tuple(w.lower() for w in words)
            pattern = tuple(w if _acronym(w) else None for w in words)
            proper = words[0][:1].isupper()
        else:
            toks = _alias_tokens(alias)
            if not toks:
                return
            key = tuple(t.norm for t in toks)
            pattern = tuple(t.orig if _acronym(t.orig) else None for t in toks)
            proper = toks[0].orig[:1].isupper()
        self.table.setdefault(key, []).append(entry_fn(pattern, proper))
        self.maxlen = max(self.maxlen, len(key))
        if key:
            self.firsts[key[0]] = max(self.firsts.get(key[0], 0), len(key))


def _check(entry: Entry, toks: list[Tok], i: int) -> bool:
    if entry.proper and not (toks[i].orig[:1].isupper() or toks[i].orig[:1].isdigit()):
        return False
    for k, exact in enumerate(entry.pattern):
        if exact is not None and toks[i + k].orig != exact:
            return False
    return True


# --------------------------------------------------------------------------- data


@functools.lru_cache(maxsize=8)
def _read_toml(path: str, mtime: float) -> dict:
    with open(path, "rb") as fh:
        return tomllib.load(fh)


@functools.lru_cache(maxsize=1)
def _package_data() -> dict:
    return tomllib.loads(resources.files("wirecoder").joinpath("data/actors.toml").read_text(encoding="utf-8"))


def _convert_arrays(data: dict) -> dict:
    """The array format ([[igo]], [[group]], [[metonym]], [[leader]], [[sector]]) -> sections."""
    if not any(k in data for k in ("igo", "group", "metonym", "leader", "sector")):
        return data
    out = {k: v for k, v in data.items() if k not in ("igo", "group", "metonym", "leader", "sector")}
    for g in data.get("igo", []):
        code = g.get("code") or g["name"].upper().replace(" ", "_")
        entry = {"name": g["name"], "sector": g.get("sector", "IGO"), "aliases": g.get("aliases", [])}
        out.setdefault("igos", {})[code] = entry
    for g in data.get("group", []):
        entry = {k: g[k] for k in ("country", "sector", "inter", "aliases") if k in g}
        out.setdefault("armed_groups", {})[g["name"]] = entry
    for m in data.get("metonym", []):
        texts = m["text"] if isinstance(m["text"], list) else [m["text"]]
        inst = out.setdefault("institutions", {}).setdefault(m["country"], {})
        for x in texts:
            inst[x] = m.get("sector", "GOV")
    for ldr in data.get("leader", []):
        entry = {k: ldr[k] for k in ("country", "sector", "aliases", "group") if k in ldr}
        out.setdefault("leaders", {})[ldr["name"]] = entry
    for i, s in enumerate(data.get("sector", [])):
        sector = s["sector"]
        out.setdefault("sector_nouns", {})[f"user_{i}_{s['name']}"] = {
            "name": s["name"], "sector": sector, "inter": s.get("inter", 7),
            "state": sector in STATE_SECTORS, "unidentified": bool(s.get("unidentified")), "nouns": s["words"]}
    return out


def _merge(base: dict, extra: dict) -> dict:
    extra = _convert_arrays(extra)
    out = {k: (dict(v) if isinstance(v, dict) else v) for k, v in base.items()}
    for sec, val in extra.items():
        if isinstance(val, dict) and isinstance(out.get(sec), dict):
            if sec in ("institutions", "sector_nouns"):
                merged = dict(out[sec])
                for k, v in val.items():
                    if isinstance(v, dict) and isinstance(merged.get(k), dict) and sec == "institutions":
                        merged[k] = {**merged[k], **v}
                    else:
                        merged[k] = v
                out[sec] = merged
            elif sec in ("titles", "not_actors"):
                merged = dict(out[sec])
                for k, v in val.items():
                    if isinstance(v, list) and isinstance(merged.get(k), list):
                        merged[k] = merged[k] + [x for x in v if x not in merged[k]]
                    else:
                        merged[k] = v
                out[sec] = merged
            else:
                out[sec] = {**out[sec], **val}
        else:
            out[sec] = val
    return out


class ActorDictionary:
    """Lookup tables built once from the TOML data; see the module docstring."""

    def __init__(self, data: dict):
        self.data = data
        self.countries: dict[str, dict] = data.get("countries", {})
        self.igos: dict[str, dict] = data.get("igos", {})
        self.groups: dict[str, dict] = data.get("armed_groups", {})
        self.leaders: dict[str, dict] = data.get("leaders", {})
        titles = data.get("titles", {})
        self.backer_words = {w.lower() for w in titles.get("backer_words", [])}
        self.leader_words = {w.lower() for w in titles.get("leader_words", [])}
        self.prefixes = {w.lower() for w in titles.get("prefixes", [])}
        self.unidentified_words = {w.lower() for w in titles.get("unidentified_words", [])}
        self.relational = {w.lower() for w in titles.get("relational", [])}
        self.rel_preps = [tuple(p.lower().split()) for p in titles.get("relational_preps", [])]
        self.named = _Index()
        self.nouns = _Index()
        self.titles = _Index()
        self.demonyms: dict[str, str] = {}
        self.classes: dict[str, _Class] = {}
        self._build(data)

    # ------------------------------------------------------------------ construction

    @classmethod
    def load(cls, *paths: str | Path) -> "ActorDictionary":
        data = _package_data()
        for p in paths:
            p = Path(p)
            data = _merge(data, _read_toml(str(p.resolve()), p.stat().st_mtime))
        return cls(data)

    @classmethod
    def default(cls) -> "ActorDictionary":
        extra = os.environ.get("WIRECODER_ACTORS") or ""
        return _default_for(extra)

    def _build(self, data: dict) -> None:
        add = self.named.add
        for iso, c in self.countries.items():
            for alias in [c["name"], *c.get("aliases", [])]:
                add(alias, lambda p, pr, iso=iso: Entry("country", iso, p, pr))
            for dem in c.get("demonyms", []):
                for form in _demonym_plurals(dem):
                    add(form, lambda p, pr, iso=iso: Entry("demonym", iso, p, pr))
                    self.demonyms.setdefault(_fold(form).lower(), iso)
            caps = ([c["capital"]] if c.get("capital") and c.get("capital_metonym", True) else []) + c.get("metonyms", [])
            for cap in caps:
                add(cap, lambda p, pr, iso=iso: Entry("capital", iso, p, pr, "GOV"))
        for iso, items in data.get("institutions", {}).items():
            for phrase, sector in items.items():
                add(phrase, lambda p, pr, iso=iso, s=sector: Entry("institution", iso, p, pr, s))
        for code, g in self.igos.items():
            for alias in [g["name"], *g.get("aliases", [])]:
                add(alias, lambda p, pr, code=code: Entry("igo", code, p, pr))
        for name, g in self.groups.items():
            for alias in [name, *g.get("aliases", [])]:
                add(alias, lambda p, pr, name=name: Entry("group", name, p, pr))
        for name, g in self.leaders.items():
            for alias in [name, *g.get("aliases", [])]:
                add(alias, lambda p, pr, name=name: Entry("leader", name, p, pr))
        for phrase in data.get("not_actors", {}).get("phrases", []):
            add(phrase, lambda p, pr: Entry("block", "", p, pr))
        for key, c in data.get("sector_nouns", {}).items():
            cl = _Class(key, c["name"], c["sector"], int(c["inter"]), bool(c.get("state", False)),
                        bool(c.get("unidentified", False)),
                        frozenset(_fold(x).lower() for x in c.get("personnel", [])))
            self.classes[key] = cl
            for noun in c.get("nouns", []):
                words = noun.split(" ")
                for last in _variants(words[-1]):
                    phrase = " ".join(words[:-1] + [last])
                    self.nouns.add(phrase, lambda p, pr, key=key: Entry("sector", key, p, False))
        for sector, items in data.get("titles", {}).items():
            if sector.isupper() and isinstance(items, list):
                for t in items:
                    self.titles.add(t, lambda p, pr, s=sector: Entry("title", s, p, False, s))
        # the longest-first scan stops at the first key that exists, so a leading "the" is never stored

    # ------------------------------------------------------------------ lookups

    def country_name(self, iso3: str) -> str | None:
        if not iso3:
            return None
        c = self.countries.get(iso3.upper())
        if c:
            return c["name"]
        g = self.igos.get(iso3) or self.igos.get(iso3.upper())
        return g["name"] if g else None

    def country_of_demonym(self, word: str) -> str | None:
        toks = tokenize(word)
        key = " ".join(t.norm for t in toks if not t.punct)
        return self.demonyms.get(key)

    def _lookup(self, index: _Index, toks: list[Tok], i: int, kinds=None) -> tuple[int, list[Entry]]:
        """Longest key at i whose entries pass the case checks: (length, entries)."""
        n = len(toks)
        top = index.firsts.get(toks[i].norm) if i < n else None
        if not top:     # no key starts with this word
            return 0, []
        for L in range(min(top, n - i), 0, -1):
            seg = toks[i:i + L]
            if any(t.punct and t.norm not in "&/+" for t in seg):
                continue
            if any(t.poss for t in seg[:-1]):
                continue
            ents = index.table.get(tuple(t.norm for t in seg))
            if not ents:
                continue
            ok = [e for e in ents if (kinds is None or e.kind in kinds) and _check(e, toks, i)]
            if ok:
                return L, ok
        return 0, []

    # ------------------------------------------------------------------ actors

    def _state(self, iso: str, sector: str | None, text: str = "") -> Actor:
        return Actor(text=text, name=self.country_name(iso) or iso, country=iso, sector=sector, inter=1)

    def _generic(self, cl: _Class, iso: str | None, backer: str | None, text: str = "",
                 unidentified: bool = False) -> Actor:
        sector, inter, base = cl.sector, cl.inter, cl.name
        if unidentified and not cl.unidentified and cl.sector in ("REB", "MIL_PRO", "UNK", "MIL", "POL"):
            cl = self.classes.get("unidentified", cl)
            sector, inter, base = cl.sector, cl.inter, cl.name
        if cl.state and backer:
            # "US-backed forces": a non-state force backed by a state
            sector, inter, base = "REB", 3, "forces"
        if cl.state and iso:
            return self._state(iso, sector, text)
        name = base
        if backer:
            dem = self._demonym_of(backer)
            name = f"{dem}-backed {base[:1].lower() + base[1:]}"
        if iso:
            cname = self.country_name(iso) or iso
            name = f"{name[:1].upper() + name[1:]} ({cname})"
        return Actor(text=text, name=name, country=iso, sector=sector, inter=inter,
                     unidentified=bool(cl.unidentified), generic=True)

    def _demonym_of(self, iso: str) -> str:
        c = self.countries.get(iso, {})
        dems = c.get("demonyms") or []
        return dems[0] if dems else (c.get("name") or iso)

    def _entity(self, e: Entry, text: str = "") -> Actor | None:
        if e.kind in ("country", "demonym"):
            return self._state(e.key, None, text)
        if e.kind in ("capital", "institution"):
            return self._state(e.key, e.sector, text)
        if e.kind == "igo":
            g = self.igos[e.key]
            sector = g.get("sector", "IGO")
            return Actor(text=text, name=g["name"], country=g.get("country") or e.key, sector=sector,
                         inter=8 if sector == "IGO" else 7)
        if e.kind == "group":
            g = self.groups[e.key]
            return Actor(text=text, name=e.key, country=g.get("country"), sector=g.get("sector", "REB"),
                         inter=int(g.get("inter", 2)))
        if e.kind == "leader":
            ld = self.leaders[e.key]
            if ld.get("group") and ld["group"] in self.groups:
                return self._entity(Entry("group", ld["group"], (), False), text)
            if ld.get("country"):
                return self._state(ld["country"], ld.get("sector", "GOV"), text)
        return None

    # ------------------------------------------------------------------ scanning

    def _pick(self, ents: list[Entry]) -> Entry:
        return min(ents, key=lambda e: KIND_RANK.get(e.kind, 9))

    def _names_after(self, toks: list[Tok], k: int) -> int:
        """End of a person's name starting at k (capitalised words and particles), or k."""
        n, end = len(toks), k
        while end < n and end - k < 6:
            t = toks[end]
            if t.punct and t.norm == "." and end > k:
                end += 1
                continue
            if t.punct:
                break
            if t.orig[:1].isupper() or (t.norm in NAME_PARTICLES and end + 1 < n and toks[end + 1].orig[:1].isupper()
                                        and end > k - 0):
                end += 1
                if t.poss:
                    break
                continue
            break
        # do not end on a particle or a period
        while end > k and (toks[end - 1].punct or toks[end - 1].norm in NAME_PARTICLES):
            end -= 1
        return end

    def _title_at(self, toks: list[Tok], k: int) -> tuple[int, str | None]:
        """A title at k followed by a capitalised name: (end of the name, title sector)."""
        L, ents = self._lookup(self.titles, toks, k)
        if not L:
            return 0, None
        e = ents[0]
        j = k + L
        if j < len(toks) and toks[j].punct and toks[j].norm == ".":
            j += 1
        if j < len(toks) and not toks[j].punct and toks[j].orig[:1].isupper() and not toks[k + L - 1].poss:
            end = self._names_after(toks, j)
            if end > j:
                return end, e.sector
        return 0, None

    def _window(self, toks: list[Tok], j: int, base_iso: str | None) -> tuple[int, _Class | None, str | None]:
        """After a state name: (end, sector class, explicit sector) of the noun or title that follows."""
        n = len(toks)
        k, skipped = j, 0
        if k < n and toks[k].hyph and toks[k].norm in self.leader_words:
            k += 1
        while k < n and skipped <= 2:
            t = toks[k]
            if t.punct:
                return j, None, None
            # a title and a name: "US President Joe Biden", "Iraqi Foreign Minister Fuad Hussein"
            end, tsec = self._title_at(toks, k)
            if end:
                return end, None, tsec
            # another institution: "US State Department", "Peruvian Congress"
            L, ents = self._lookup(self.named, toks, k, kinds={"institution"})
            if L:
                return k + L, None, ents[0].sector
            L, ents = self._lookup(self.nouns, toks, k)
            if L:
                return k + L, self.classes[ents[0].key], None
            L2, ents2 = self._lookup(self.titles, toks, k)
            if L2:
                return k + L2, None, ents2[0].sector
            if t.norm in STOP or t.poss:
                return j, None, None
            L3, _ = self._lookup(self.named, toks, k)
            if L3:
                return j, None, None
            if t.norm in SKIP or t.orig[:1].isupper() or t.norm.isdigit() or (t.hyph and skipped):
                k += 1
                skipped += 1
                continue
            return j, None, None
        return j, None, None

    def _left_noun(self, toks: list[Tok], i: int, floor: int) -> tuple[int, _Class | None, str | None]:
        """'government of Iraq', 'rebels in the Ivory Coast': (start, class, title sector) before i."""
        p = i - 1
        if p >= floor and toks[p].norm == "the":
            p -= 1
        if p < floor or toks[p].norm not in ("of", "in"):
            return i, None, None
        prep = toks[p].norm
        for L in range(min(self.nouns.maxlen, p - floor), 0, -1):
            s = p - L
            L2, ents = self._lookup(self.nouns, toks, s)
            if L2 == L:
                cl = self.classes[ents[0].key]
                if prep == "of" and not (cl.state or cl.key in ("civilians",)):
                    continue
                return s, cl, None
        return i, None, None

    def _scan(self, toks: list[Tok], generic: bool) -> list[_Match]:
        out: list[_Match] = []
        n = len(toks)
        i = 0
        pending_backer: str | None = None
        backer_end = 0
        floor = 0
        while i < n:
            if pending_backer and i > backer_end + 1:
                pending_backer = None   # "Iranian-backed militias attacked US troops": not US's backer
            L, ents = self._lookup(self.named, toks, i)
            if not L:
                if generic:
                    end, tsec = self._title_at(toks, i)
                    if end and self._lookup(self.named, toks, end - 1)[0] == 0:
                        name_start = i + self._lookup(self.titles, toks, i)[0]
                        while name_start < end and toks[name_start].punct:
                            name_start += 1
                        person = " ".join(t.orig for t in toks[name_start:end] if not t.punct)
                        out.append(_Match(i, end, Actor(text="", name=person, sector=tsec,
                                                        inter=1 if tsec in STATE_SECTORS else 7), False))
                        i = end
                        floor = i
                        continue
                    Ln, nents = self._lookup(self.nouns, toks, i)
                    if Ln:
                        cl = self.classes[nents[0].key]
                        prev = toks[i - 1].norm if i else ""
                        if prev in self.prefixes and toks[i].hyph:
                            if cl.key == "government" and Ln == 1:
                                i += Ln
                                continue
                        unid = any(t.norm in self.unidentified_words for t in toks[max(floor, i - 3):i])
                        out.append(_Match(i, i + Ln, self._generic(cl, None, pending_backer, unidentified=unid),
                                          False, cls=cl))
                        pending_backer = None
                        i += Ln
                        floor = i
                        continue
                i += 1
                continue
            e = self._pick(ents)
            j = i + L
            if e.kind == "block":
                i = j
                continue
            # "Iranian-backed", "pro-Russian": a backer, not the actor
            if e.kind in ("country", "demonym", "capital"):
                nxt = toks[j] if j < n else None
                if nxt is not None and nxt.hyph and nxt.norm in self.backer_words and not toks[j - 1].poss:
                    pending_backer, backer_end = e.key, j + 1
                    i = j + 1
                    continue
                if i > 0 and toks[i].hyph and toks[i - 1].norm in self.prefixes:
                    if toks[i - 1].norm == "pro":
                        pending_backer, backer_end = e.key, j
                    i = j
                    continue
            actor = self._entity(e)
            if actor is None:
                i = j
                continue
            start, end, cls = i, j, None
            if e.kind in ("country", "demonym", "capital", "institution", "leader") and actor.country \
                    and e.kind != "leader" or (e.kind == "leader" and actor.sector == "GOV" and actor.country):
                # a leader before a title is rare; a state before a noun or title is the rule
                wend, cl, tsec = self._window(toks, j, actor.country)
                if wend > j:
                    end = wend
                    if cl is not None:
                        cls = cl
                        unid = any(t.norm in self.unidentified_words for t in toks[max(floor, i - 3):wend])
                        if e.kind == "institution" and cl.state:
                            pass  # "Pentagon officials": the institution's own sector stands
                        else:
                            actor = self._generic(cl, actor.country, pending_backer, unidentified=unid)
                    elif tsec is not None and e.kind != "institution":
                        actor = self._state(actor.country, tsec)
                if cls is None and wend == j and e.kind in ("country", "capital"):
                    # a bare noun just before "of/in": "government of Iraq", "rebels in the Ivory Coast"
                    lfloor = floor
                    if out and not out[-1].named and out[-1].j == floor and out[-1].cls is not None:
                        lfloor = out[-1].i
                    s2, cl2, _ = self._left_noun(toks, i, lfloor)
                    if cl2 is not None and s2 >= lfloor:
                        if out and not out[-1].named and out[-1].i >= s2:
                            out.pop()
                        start, cls = s2, cl2
                        unid = any(t.norm in self.unidentified_words for t in toks[max(lfloor, s2 - 3):s2])
                        actor = self._generic(cl2, actor.country, None, unidentified=unid)
            elif e.kind in ("igo", "group") or (e.kind == "leader"):
                # "UN Secretary-General Antonio Guterres", "Hamas leader", "NATO troops"
                wend, cl, tsec = self._window(toks, j, None)
                if wend > j and (cl is None or not cl.state or cl.sector in ("GOV", "MIL", "POL")):
                    end = wend
                    if cl is not None and e.kind == "igo" and toks[wend - 1].norm in cl.personnel:
                        actor = actor.model_copy(update={"sector": "MIL"})
            # a title before a named leader or organisation: "President Joe Biden"
            if start == i and i > floor:
                for s in range(max(floor, i - 4), i):
                    Lt, tents = self._lookup(self.titles, toks, s)
                    if Lt and s + Lt == i:
                        start = s
                        if e.kind == "leader" and actor.country is None and actor.sector is None:
                            actor = actor.model_copy(update={"sector": tents[0].sector})
                        break
            pending_backer = None
            out.append(_Match(start, end, actor, True, cls=cls,
                              bare_demonym=e.kind == "demonym" and (start, end) == (i, j)))
            i = end
            floor = end
        return out

    # ------------------------------------------------------------------ public API

    def find(self, text: str, generic: bool = False) -> list[tuple[int, int, Actor]]:
        """All dictionary actors in a text, longest match first and non-overlapping, in text order.

        Named actors only (states, organisations, armed groups, leaders), each extended over the
        sector noun or title that goes with it; with ``generic=True`` also bare sector nouns
        ("protesters", "unidentified gunmen"). A demonym counts only with a noun or title after it
        ("Syrian troops", "British Prime Minister"): a bare "British" is left to :meth:`code`.
        """
        toks = tokenize(text)
        out = []
        for m in self._scan(toks, generic):
            if m.actor is None or (not m.named and not generic) or m.bare_demonym:
                continue
            s, e = toks[m.i].start, toks[m.j - 1].end
            if toks[m.j - 1].poss:
                e -= 2
            out.append((s, e, m.actor.model_copy(update={"text": text[s:e]})))
        return out

    def code(self, text: str, head: str | None = None) -> Actor | None:
        """Code a noun phrase as written; ``head`` is its head noun (lemma), when known."""
        if not text or not text.strip():
            return None
        toks = tokenize(text)
        if not toks:
            return None
        matches = [m for m in self._scan(toks, generic=True) if m.actor is not None]
        head_norm = _fold(head).lower() if head else None
        actor: Actor | None = None
        chosen: _Match | None = None
        named = [m for m in matches if m.named]
        # "spokesman for the Taliban", "a member of the Syrian parliament": the organisation
        rel_end = self._relational_end(toks)
        if rel_end is not None:
            after = [m for m in named if m.i >= rel_end]
            if after:
                chosen = after[0]
        if chosen is None and named:
            chosen = named[0]
            if head_norm:
                for m in named:
                    if any(_fold(t.norm) in _variants(head_norm) for t in toks[m.i:m.j]):
                        chosen = m
                        break
        if chosen is not None:
            actor = chosen.actor
            # a bare state with a sector-bearing head elsewhere in the phrase: "Russia ... troops"
            if actor.sector is None and actor.country and chosen.cls is None:
                cl = self._class_of(head_norm) if head_norm else None
                if cl is None:
                    for m in matches:
                        if not m.named and m.cls is not None and m.i >= chosen.j:
                            cl = m.cls
                            break
                if cl is not None:
                    unid = any(t.norm in self.unidentified_words for t in toks)
                    actor = self._generic(cl, actor.country, None, unidentified=unid)
        else:
            generic = [m for m in matches if not m.named]
            if generic:
                pick = generic[-1]
                if head_norm:
                    for m in generic:
                        if any(t.norm in _variants(head_norm) for t in toks[m.i:m.j]):
                            pick = m
                            break
                actor = pick.actor
            elif head_norm:
                cl = self._class_of(head_norm)
                if cl is not None:
                    unid = any(t.norm in self.unidentified_words for t in toks)
                    actor = self._generic(cl, None, None, unidentified=unid)
        if actor is None:
            return None
        return actor.model_copy(update={"text": text, "span": None})

    def _class_of(self, word: str | None) -> _Class | None:
        if not word:
            return None
        ents = self.nouns.table.get(tuple(t.norm for t in _alias_tokens(word)))
        return self.classes[ents[0].key] if ents else None

    def _relational_end(self, toks: list[Tok]) -> int | None:
        k = 0
        while k < len(toks) and (toks[k].norm in DETERMINERS or toks[k].norm.isdigit() or toks[k].norm in SKIP):
            k += 1
        if k < len(toks) and toks[k].norm in self.relational:
            k += 1
            for prep in self.rel_preps:
                if tuple(t.norm for t in toks[k:k + len(prep)]) == prep:
                    return k + len(prep)
        return None


@functools.lru_cache(maxsize=4)
def _default_for(extra: str) -> ActorDictionary:
    paths = [p for p in extra.split(os.pathsep) if p]
    return ActorDictionary.load(*paths)
