"""What toponym recognition and resolution share: the Toponym record, place words, the gazetteer of
the call in progress (given to recognise()/resolve() by the run's Resources) and cached lookups."""

from __future__ import annotations

import contextlib
import contextvars
import re
from dataclasses import dataclass

from ..gazetteer import Gazetteer, Place, full_key, norm_key


@dataclass
class Toponym:
    start: int
    end: int
    text: str
    place: Place | None
    score: float


PLACE_NOUNS = {"town", "city", "village", "province", "provinces", "capital", "region", "district", "county",
               "state", "port", "governorate", "suburb", "municipality", "neighborhood", "neighbourhood", "area",
               "island", "islands", "valley", "river", "camp", "border", "outskirts", "countryside", "parish",
               "township", "borough", "hamlet", "oblast", "prefecture", "commune", "department", "emirate",
               "kingdom", "republic", "localities", "locality", "settlement", "enclave", "city-state", "coast"}


PLACE_PREPS = {"in", "at", "near", "from", "to", "outside", "around", "across", "into", "toward", "towards",
               "through", "throughout", "inside", "between", "via", "across"}


STOP_NAMES = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
              "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
              "sunday", "god", "president", "mr", "mrs", "ms", "dr", "the", "a", "an", "and", "or", "of", "in",
              "new", "north", "south", "east", "west", "university", "college", "church", "police", "union",
              "street", "road", "avenue", "center", "centre", "hospital", "court", "school", "city", "county",
              "state", "this", "that", "it", "he", "she", "they", "we", "i", "you", "but", "if", "as", "at",
              "on", "by", "for", "with", "all", "one", "two", "mobile", "reading", "independence", "liberty",
              "hope", "chance", "friendship", "unity", "victory", "commerce", "progress", "justice", "media",
              "most", "many", "more", "some", "here", "there", "home", "online", "internet", "web", "eu",
              "un", "nato", "world", "earth", "republican", "democrat", "democrats", "republicans", "christmas",
              "easter", "ramadan", "sun", "moon", "mars", "venus", "jupiter", "saturn", "mercury", "bay", "lake",
              "mount", "santa", "saint", "st", "fort", "port", "beach", "park", "springs", "falls", "heights",
              "hills", "valley", "island", "islands", "river", "twitter", "facebook", "google", "apple",
              "amazon", "jordan", "chad", "georgia", "victoria", "washington", "lincoln", "jackson", "clinton",
              "franklin", "madison", "marion", "warren", "wilson", "hamilton", "obama", "trump", "bush"}


ENT_OK = {"GPE", "LOC", "FAC"}


_TRAIL = re.compile(r"(?:['’]s?|[.,;:])$")


LEAD_THE = re.compile(r"^(?:the|The|THE)\s+")


# The gazetteer of the call in progress: recognise() and resolve() are given one (the run's
# Resources.gazetteer) and their helpers read it from here for the length of that call.
_CURRENT: contextvars.ContextVar[Gazetteer | None] = contextvars.ContextVar("wirecoder_gazetteer", default=None)


def current_gazetteer() -> Gazetteer:
    g = _CURRENT.get()
    return g if g is not None else Gazetteer.default()


def gazetteer_key() -> tuple:
    """What the lookup caches are keyed by: the gazetteer file and its extra places."""
    g = current_gazetteer()
    return (str(g.path), g.extra_source)


@contextlib.contextmanager
def using_gazetteer(gaz: Gazetteer | None):
    token = _CURRENT.set(gaz if gaz is not None else _CURRENT.get())
    try:
        yield
    finally:
        _CURRENT.reset(token)


_HIT_CACHE: dict[tuple, Place | None] = {}


def strong_hit(name: str, min_pop: int = 1000) -> Place | None:
    """A gazetteer place whose own name (or exact alternate) is `name` and which is notable enough."""
    key = (name, min_pop, gazetteer_key())
    if key in _HIT_CACHE:
        return _HIT_CACHE[key]
    if len(_HIT_CACHE) > 200_000:
        _HIT_CACHE.clear()
    p = _HIT_CACHE[key] = _strong_hit_uncached(name, min_pop)
    return p


def _strong_hit_uncached(name: str, min_pop: int) -> Place | None:
    fk = full_key(name)
    for p in current_gazetteer().lookup(name, 10):
        if full_key(p.name) != fk and norm_key(p.name) != norm_key(name) and p.feature != "facility":
            continue  # (an airport's other names all say what it is: 'Heathrow Airport', 'Erbil Airport')
        if p.feature in ("country", "admin1", "extra", "facility") or p.population >= min_pop:
            return p
    return None


# 'Gainesville police', 'Chicopee residents', 'the Meadow Grove man': a local noun after a proper name
LOCAL_NOUNS = {"residents", "resident", "police", "officers", "mayor", "council", "councillors", "councilmen",
               "voters", "schools", "firefighters", "man", "woman", "men", "women", "boy", "girl", "teen", "teens",
               "teenager", "couple", "family", "families", "homeowners", "natives", "native", "businesses",
               "taxpayers", "officials", "students", "neighborhood", "neighbourhood", "area", "community",
               "downtown", "motorist", "driver", "pedestrian", "landlord", "authorities", "township", "county"}


US_PARTIES = {"D", "R", "I"}


TARGET_VERBS = {"shell", "bomb", "strike", "hit", "attack", "raid", "storm", "capture", "seize", "besiege", "bombard",
                "overrun", "retake", "recapture", "liberate", "invade", "encircle", "surround", "target", "pound",
                "blockade", "occupy", "evacuate"}


DIRECTIONS = {"north", "south", "east", "west", "northern", "southern", "eastern", "western", "central", "northeast",
               "northwest", "southeast", "southwest", "northeastern", "northwestern", "southeastern", "southwestern",
               "metro", "greater", "downtown", "upper", "lower", "mid", "inner", "outer", "rural", "suburban",
               "n.", "s.", "e.", "w.", "ne", "nw", "se", "sw", "historic", "old"}


_ALIAS_CACHE: dict[tuple, Place | None] = {}


_DEMONYM_CACHE: dict[tuple, Place | None] = {}


# institution words after a town's name in an organisation name: 'Corsicana Police Department'
INST_WORDS = {"police", "fire", "sheriff", "sheriff's", "sheriff’s", "county", "city", "town", "township", "parish",
              "high", "middle", "elementary", "school", "schools", "public", "community", "general", "memorial",
              "regional", "municipal", "district", "area", "council", "board", "chamber", "hospital", "library",
              "church", "club", "rotary", "lions", "kiwanis", "historical", "democratic", "republican", "volunteer",
              "rescue", "planning", "zoning", "village", "borough", "water", "housing", "parks", "recreation",
              "athletic", "women's", "woman's", "women’s", "woman’s", "civic", "downtown", "main", "central",
              "county's", "unified", "independent", "consolidated", "academy", "college", "university",
              "university's", "state", "national", "international", "airport", "port", "harbor", "harbour",
              "museum", "art", "arts", "symphony", "theatre", "theater", "zoo", "times", "herald", "daily",
              "gazette", "press", "tribune", "news", "post", "journal", "courier", "observer"}


REGION_SUFFIX = {"county", "parish", "township", "twp", "twp.", "borough", "province", "governorate", "oblast",
                  "prefecture", "district"}


def alias_hit(text: str) -> Place | None:
    """A country (or continent-level union) that `text` names by an alias or code: 'U.S.', 'UAE', 'Holy See', 'EU'."""
    key = (text, gazetteer_key())
    if key in _ALIAS_CACHE:
        return _ALIAS_CACHE[key]
    if len(_ALIAS_CACHE) > 100_000:
        _ALIAS_CACHE.clear()
    p = None
    hits = current_gazetteer().lookup(text, 2) if len(text) >= 2 else []
    if hits:
        top = hits[0]
        if top.feature == "country" and top.population >= 100_000 \
                or top.feature == "region" and top.population >= 100_000_000:
            p = top
    _ALIAS_CACHE[key] = p
    return p


def demonym_place(word: str) -> Place | None:
    key = (word, gazetteer_key())
    if key not in _DEMONYM_CACHE:
        if len(_DEMONYM_CACHE) > 100_000:
            _DEMONYM_CACHE.clear()
        _DEMONYM_CACHE[key] = current_gazetteer().demonym(word)
    return _DEMONYM_CACHE[key]


US_STATE_ABBR = {
    "Ala.": "Alabama", "Ariz.": "Arizona", "Ark.": "Arkansas", "Calif.": "California", "Colo.": "Colorado",
    "Conn.": "Connecticut", "Del.": "Delaware", "Fla.": "Florida", "Ga.": "Georgia", "Ill.": "Illinois",
    "Ind.": "Indiana", "Kan.": "Kansas", "Kans.": "Kansas", "Ky.": "Kentucky", "La.": "Louisiana",
    "Md.": "Maryland", "Mass.": "Massachusetts", "Mich.": "Michigan", "Minn.": "Minnesota",
    "Miss.": "Mississippi", "Mo.": "Missouri", "Mont.": "Montana", "Neb.": "Nebraska", "Nev.": "Nevada",
    "N.H.": "New Hampshire", "N.J.": "New Jersey", "N.M.": "New Mexico", "N.Y.": "New York",
    "N.C.": "North Carolina", "N.D.": "North Dakota", "Okla.": "Oklahoma", "Ore.": "Oregon", "Pa.": "Pennsylvania",
    "R.I.": "Rhode Island", "S.C.": "South Carolina", "S.D.": "South Dakota", "Tenn.": "Tennessee",
    "Tex.": "Texas", "Vt.": "Vermont", "Va.": "Virginia", "Wash.": "Washington", "W.Va.": "West Virginia",
    "Wis.": "Wisconsin", "Wyo.": "Wyoming", "D.C.": "District of Columbia",
}
