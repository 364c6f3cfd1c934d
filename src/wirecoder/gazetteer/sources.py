"""The sources a gazetteer is compiled from, all in pinned PyPI packages: country aliases and demonyms
(general knowledge), countryinfo's points and outlines, airportsdata's airports and air bases, and the
user's extra-places file (TSV or TOML); the default index path."""

from __future__ import annotations

import json
import math
import os
import re
from pathlib import Path
import click

from .common import Place
from .keys import norm_key


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


def demonyms_of(name: str) -> list[str]:
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


def default_path() -> Path:
    env = os.environ.get("WIRECODER_GAZETTEER")
    if env:
        return Path(env).expanduser()
    return Path.home() / ".cache" / "wirecoder" / "gazetteer-v1.sqlite"


def pkg_dir(mod: str) -> Path:
    m = __import__(mod)
    return Path(m.__file__).parent


def spherical_mean(points):
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


def main_landmass_centroid(cells: set[tuple[int, int]]):
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
    return spherical_mean([(a + 0.5, b + 0.5) for a, b in best])


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


def read_countryinfo() -> dict[str, dict]:
    """ISO3 -> {centroid, demonym, alt} from the countryinfo package's JSON files. The centroid is the
    mean of the published reference point ('latlng') and the area centroid of the largest polygon."""
    out = {}
    try:
        d = pkg_dir("countryinfo") / "data"
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


def read_tsv(path: Path):
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


def read_airports():
    """(name, its names (airport_names), lat, lon, iso2) of the airports with an IATA code and the military
    air bases and airfields in the airportsdata package (none if it is missing)."""
    import csv

    try:
        f = pkg_dir("airportsdata") / "airports.csv"
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


def load_extra(path) -> list[tuple[Place, list[str]]]:
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
