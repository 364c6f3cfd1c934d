"""Gazetteer candidates of one mention: by its own name and spelling variants ("St." / "Saint"), by a
region code ("Austin, TX"), each with a match quality; alternate-name readings count only for large places."""

from __future__ import annotations

import re
from collections import defaultdict

from ..gazetteer import Place
from .common import LEAD_THE, US_STATE_ABBR, current_gazetteer


FEATURE_PRIOR = {"country": 2.5, "admin1": 1.8, "extra": 2.0, "region": -0.2, "city": 0.0, "facility": 0.5}


QUALIFIER_RE = re.compile(r"^\s*,\s*((?:[A-Z][\w.'’\-]*\.?)(?:\s+[A-Z][\w.'’\-]*){0,3})")


PRE_RE = re.compile(r"\b([A-Z][a-z]+(?:\s[A-Z][a-z]+)?)(?:-(?:held|controlled|run|occupied|ruled))?\s+"
                    r"(?:[a-z\-]+\s+){0,2}(?:town|city|village|province|capital|region|district|county|state|port|"
                    r"governorate|suburb|border|area|island|municipality)\s+of\s+(?:the\s+)?$")


# postal and common abbreviations of first-order regions, as (region, ISO3) readings: used only for a name the
# gazetteer has no exact entry for; several readings ('WA') are left to the article's context
_US_POSTAL = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California", "CO": "Colorado",
    "CT": "Connecticut", "DE": "Delaware", "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho",
    "IL": "Illinois", "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana",
    "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota",
    "MS": "Mississippi", "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire",
    "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York", "NC": "North Carolina", "ND": "North Dakota",
    "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon", "PA": "Pennsylvania", "RI": "Rhode Island",
    "SC": "South Carolina", "SD": "South Dakota", "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont",
    "VA": "Virginia", "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
    "DC": "District of Columbia"}


_CA_ABBR = {
    "BC": "British Columbia", "B.C.": "British Columbia", "AB": "Alberta", "Alta.": "Alberta", "SK": "Saskatchewan",
    "Sask.": "Saskatchewan", "MB": "Manitoba", "ON": "Ontario", "Ont.": "Ontario", "QC": "Quebec", "Que.": "Quebec",
    "NB": "New Brunswick", "N.B.": "New Brunswick", "NS": "Nova Scotia", "N.S.": "Nova Scotia",
    "PEI": "Prince Edward Island", "P.E.I.": "Prince Edward Island", "NL": "Newfoundland and Labrador",
    "Nfld.": "Newfoundland and Labrador", "NWT": "Northwest Territories", "N.W.T.": "Northwest Territories",
    "YT": "Yukon", "NU": "Nunavut"}


_AU_ABBR = {
    "NSW": "New South Wales", "N.S.W.": "New South Wales", "Vic": "Victoria", "Vic.": "Victoria", "Qld": "Queensland",
    "Qld.": "Queensland", "SA": "South Australia", "WA": "Western Australia", "Tas": "Tasmania", "Tas.": "Tasmania",
    "NT": "Northern Territory", "ACT": "Australian Capital Territory"}


REGION_CODES: dict[str, list[tuple[str, str]]] = defaultdict(list)


for _tab, _iso in ((_US_POSTAL, "USA"), (_CA_ABBR, "CAN"), (_AU_ABBR, "AUS")):
    for _code, _region in _tab.items():
        REGION_CODES[_code].append((_region, _iso))


REGION_CODES["SA"].append(("", "ZAF"))  # South Africa as often as South Australia


def code_candidates(t: str) -> list[tuple[Place, float]]:
    """Readings of a region abbreviation ('NSW', 'B.C.', 'WA'), best known first."""
    g = current_gazetteer()
    out = []
    for region, iso in REGION_CODES.get(t, ()):
        p = g.admin1(region, iso) if region else g.country(iso)
        if p is not None:
            out.append((p, 2.0))
    return out


_VARIANTS = [(re.compile(r"\bSt\.?\s"), "Saint "), (re.compile(r"\bSaint\s"), "St. "), (re.compile(r"\bMt\.?\s"),
             "Mount "), (re.compile(r"\bFt\.?\s"), "Fort "), (re.compile(r"\bFort\s"), "Ft. ")]


_SUFFIX = re.compile(r"\s+(?:City|County|Province|Governorate|District|Region|State|Parish|Township|Town|Village|"
                     r"Oblast|Prefecture|Municipality)$")


def bare_name(text: str) -> str:
    """A mention without a leading 'the' and a trailing possessive or punctuation: the name looked up."""
    return re.sub(r"['’]s$", "", LEAD_THE.sub("", text.strip())).strip(" .,;:")


def name_candidates(text: str) -> list[tuple[Place, float]]:
    g = current_gazetteer()
    t = bare_name(text)
    if not t:
        return []
    abbr = (US_STATE_ABBR.get(t) or US_STATE_ABBR.get(t + ".") or US_STATE_ABBR.get(t.replace(" ", ""))
            or US_STATE_ABBR.get(t.replace(" ", "") + "."))
    if abbr:
        st = g.admin1(abbr, "USA")
        if st is not None:
            return [(st, 2.5)]
    cands = g.lookup_scored(t, 40)
    code = t if t in REGION_CODES else t + "." if t + "." in REGION_CODES else None
    if code and not any(q >= 2 for _, q in cands):
        codes = code_candidates(code)
        if codes:
            return codes
    if code and t.replace(".", "").isupper() and not any(p.name == t for p, _ in cands):
        # 'WA' written as a code, not the town 'Wa': the regions it abbreviates are read alongside
        cands = code_candidates(code) + cands
    dem = g.demonym(t)
    if dem is not None and not any(q >= 2 and p.feature in ("country", "admin1", "region") for p, q in cands):
        cands = [(dem, 2.5)] + [(p, q) for p, q in cands if q >= 2]
    if cands and max(q for _, q in cands) >= 1:
        return cands
    for rx, rep in _VARIANTS:
        if rx.search(t + " "):
            alt = rx.sub(rep, t + " ").strip()
            c2 = g.lookup_scored(alt, 40)
            if c2:
                return c2
    m = _SUFFIX.search(t)
    if m:
        base = t[:m.start()]
        c2 = g.lookup_scored(base, 40)
        # the suffix names the kind of place: 'Quebec City' is the city, 'Marion County' the county
        kinds = (("city",) if m.group(0).split()[-1] in ("City", "Town", "Village", "Township", "Municipality")
                 else ("admin1", "region"))
        typed = [(p, q) for p, q in c2 if p.feature in kinds]
        if typed:
            c2 = typed
        if c2:
            return [(p, q - 0.5) for p, q in c2]
    if "-" in t or "–" in t:
        pass
    return cands


def alt_name_quality(cands: list[tuple[Place, float]]) -> list[tuple[Place, float]]:
    """A place found by an alternate name ('Cologne' for Koeln) far more notable than every place of that exact
    name counts as an exact match: the name is its usual exonym, the namesakes are small towns."""
    if not cands or max(q for _, q in cands) < 2:
        return cands  # nothing exact: loose (skeleton) matches keep their low quality
    top = max(p.population for p, q in cands if q >= 2)
    floor = max(ALT_MIN_POP, ALT_RATIO * top)
    if not any(q < 1 and p.population >= floor and p.feature in ("city", "admin1", "country") for p, q in cands):
        return cands
    return [(p, 2.0 if q < 1 and p.population >= floor and p.feature in ("city", "admin1", "country") else q)
            for p, q in cands]


ALT_MIN_POP = 300_000  # an alternate-name reading counts as exact only for a city this large (an exonym), ...


ALT_RATIO = 10.0  # ... and this many times larger than every exact namesake
