"""Toponym recognition (spaCy NER + gazetteer) and resolution (candidate ranking in document context).

recognise(doc) finds place-name spans in a spaCy Doc: GPE/LOC/FAC entities, NER errors (PERSON/ORG/
NORP labels on strong gazetteer hits in a place context such as "the town of X", "in X", "X, Syria"),
place names embedded in organisation names, and gazetteer matches the NER missed.

resolve(mentions, text) ranks each mention's gazetteer candidates by: match quality, population and
feature class (prior), explicit qualifiers ("X, Texas", "the Syrian town of X"), the countries and
admin-1 regions the rest of the document points to, and proximity to the other toponyms' current
best reading; a few passes of re-scoring, one mention at a time, let unambiguous names settle the
ambiguous ones. A building or venue named right before its town ("the X Bistro in Lyon") lies in that
town; a name the gazetteer lacks takes the article's context place.
"""

from __future__ import annotations

import contextlib
import contextvars
import math
import re
from collections import defaultdict
from dataclasses import dataclass

from .geodesy import haversine_km, haversine_km_radians
from .gazetteer import Gazetteer, Place, full_key, norm_key


@dataclass
class Toponym:
    start: int
    end: int
    text: str
    place: Place | None
    score: float


# ---------------------------------------------------------------------------------------------
# recognition

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
_LEAD_THE = re.compile(r"^(?:the|The|THE)\s+")


# The gazetteer of the call in progress: recognise() and resolve() are given one (the run's
# Resources.gazetteer) and their helpers read it from here for the length of that call.
_CURRENT: contextvars.ContextVar[Gazetteer | None] = contextvars.ContextVar("wirecoder_gazetteer", default=None)


def _gaz() -> Gazetteer:
    g = _CURRENT.get()
    return g if g is not None else Gazetteer.default()


def _gaz_key() -> tuple:
    """What the lookup caches are keyed by: the gazetteer file and its extra places."""
    g = _gaz()
    return (str(g.path), g.extra_source)


@contextlib.contextmanager
def _using(gaz: Gazetteer | None):
    token = _CURRENT.set(gaz if gaz is not None else _CURRENT.get())
    try:
        yield
    finally:
        _CURRENT.reset(token)


_HIT_CACHE: dict[tuple, Place | None] = {}


def _strong_hit(name: str, min_pop: int = 1000) -> Place | None:
    """A gazetteer place whose own name (or exact alternate) is `name` and which is notable enough."""
    key = (name, min_pop, _gaz_key())
    if key in _HIT_CACHE:
        return _HIT_CACHE[key]
    if len(_HIT_CACHE) > 200_000:
        _HIT_CACHE.clear()
    p = _HIT_CACHE[key] = _strong_hit_uncached(name, min_pop)
    return p


def _strong_hit_uncached(name: str, min_pop: int) -> Place | None:
    fk = full_key(name)
    for p in _gaz().lookup(name, 10):
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
_PARTY = {"D", "R", "I"}


TARGET_VERBS = {"shell", "bomb", "strike", "hit", "attack", "raid", "storm", "capture", "seize", "besiege", "bombard",
                "overrun", "retake", "recapture", "liberate", "invade", "encircle", "surround", "target", "pound",
                "blockade", "occupy", "evacuate"}


def _place_context(doc, start: int, end: int) -> bool:
    """'in X', 'the town of X', 'X, Syria' / 'X, Texas', 'X police', 'Rep. Y, D-X'."""
    if start > 0:
        prev = doc[start - 1]
        if prev.lower_ in PLACE_PREPS:
            return True
        # 'shelled Kharkiv', 'Missiles struck Kharkiv': the object of a verb of attack or capture
        if prev.pos_ == "VERB" and prev.lemma_.lower() in TARGET_VERBS and doc[start].dep_ in ("dobj", "compound"):
            return True
        if prev.lower_ == "of" and start > 1 and doc[start - 2].lower_ in PLACE_NOUNS:
            return True
        # 'Sen. Bob Casey, D-Pa.', 'Rep. Barbara Lee, D-Oakland': party and home town of a US legislator
        if prev.text == "-" and start > 2 and doc[start - 2].text in _PARTY and doc[start - 3].text == ",":
            return True
        # 'Kalena Horhn of Grand Prairie', 'said Amstutz, of Wooster': a person's home town
        if prev.lower_ == "of" and start > 1 and (doc[start - 2].text == "," or doc[start - 2].ent_type_ == "PERSON"):
            return True
    if end < len(doc) and doc[end].lower_ in LOCAL_NOUNS and doc[end].is_lower:
        return True
    if end + 1 < len(doc) and doc[end].text == ",":
        nxt = doc[end + 1]
        if nxt.text in US_STATE_ABBR or nxt.text + "." in US_STATE_ABBR and nxt.text not in ("Miss", "Ill", "Ind"):
            return True
        if nxt.is_title or nxt.is_upper:
            g = _gaz()
            for n in (nxt.text, doc[end + 1:end + 3].text):
                for p in g.lookup(n, 5):
                    if p.feature in ("country", "admin1") and full_key(p.name) == full_key(n):
                        return True
    return False


def _place_noun_of(doc, start: int) -> bool:
    """'the city of X', 'the village of X': a place noun and 'of' right before the span name a place."""
    return start > 1 and doc[start - 1].lower_ == "of" and doc[start - 2].lower_ in PLACE_NOUNS \
        and doc[start - 2].is_lower


def _clean_span(doc, start: int, end: int) -> tuple[int, int] | None:
    """Token range without a leading determiner / trailing possessive or punctuation."""
    while start < end and (doc[start].lower_ in ("the", "a", "an") or doc[start].is_punct):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].lower_ in ("'s", "’s", "'")):
        end -= 1
    return (start, end) if start < end else None


def recognise(doc, gazetteer: Gazetteer | None = None) -> list[tuple[int, int, str]]:
    """(start_char, end_char, text) of the toponyms of a spaCy Doc (offsets in doc.text), looked up in
    `gazetteer` (the run's Resources.gazetteer; the default index when None)."""
    with _using(gazetteer):
        return _recognise(doc)


def _recognise(doc) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    covered = [False] * len(doc)
    placed = [False] * len(doc)

    def add(a: int, b: int):
        span = doc[a:b]
        out.append((span.start_char, span.end_char, span.text))
        for i in range(a, b):
            covered[i] = True
            placed[i] = True

    # words of multi-word person names ("John Mansfield"): a lone "Mansfield" is then the person
    person_words = {t.lower_ for e in doc.ents if e.label_ == "PERSON" and len(e) >= 2 for t in e}
    person_all = {t.lower_ for e in doc.ents if e.label_ == "PERSON" for t in e}
    _datelines(doc, add, covered)

    for ent in doc.ents:
        if any(covered[i] for i in range(ent.start, ent.end)):
            continue
        rng = _clean_span(doc, ent.start, ent.end)
        if rng is None:
            for i in range(ent.start, ent.end):
                covered[i] = True
            continue
        a, b = rng
        text = doc[a:b].text
        if ent.label_ in ENT_OK:
            # a GPE/LOC the gazetteer does not know, whose words the NER also tags as a person here or which
            # speaks ('Ripley said'), is a person
            if ent.label_ != "FAC" and not _is_place_name(text) and not _place_noun_of(doc, a) and (
                    any(t.lower_ in person_all for t in doc[a:b])
                    or b < len(doc) and doc[b].lower_ in ("said", "says", "told", "added", "explained", "wrote")):
                for i in range(ent.start, ent.end):
                    covered[i] = True
                continue
            # streets and buildings are kept (they are places) even when the gazetteer lacks them
            parts, k = [], a
            for c in range(a, b + 1):  # 'Thruxton, Hampshire' as one entity: two places
                if c == b or doc[c].text == "," and c > k:
                    if c > k:
                        parts.append((k, c))
                    k = c + 1
            if len(parts) > 1 and not _is_place_name(doc[a:b].text):
                for pa, pb in parts:
                    add(*_trim_place(doc, pa, pb))
            else:
                add(*_trim_place(doc, a, b))
            for i in range(ent.start, ent.end):
                covered[i] = True
            continue
        if ent.label_ in ("PERSON", "ORG", "NORP", "WORK_OF_ART", "PRODUCT", "EVENT"):
            # 'the village of X', 'the town of X': the name of a place, whatever the NER took it for
            # ('the capital of Arab culture' is a figure of speech)
            if _place_noun_of(doc, a) and doc[a - 2].lower_ != "capital" \
                    and all(_capitalised(t) for t in doc[a:b]) and _demonym(text) is None:
                add(a, b)
                continue
            if ent.label_ == "NORP":
                p = _strong_hit(text)
                if p is not None and p.feature in ("country", "admin1") and full_key(p.name) == full_key(text):
                    add(a, b)
                else:
                    _demonym_parts(doc, a, b, out)
                    for i in range(ent.start, ent.end):
                        covered[i] = True
                continue
            if ent.label_ == "PERSON" and b - a == 1 and _lone_place_name(doc, a, person_words):
                add(a, b)
                continue
            if ent.label_ == "PERSON" and b - a >= 2 and not _place_context(doc, a, b):
                for i in range(ent.start, ent.end):
                    covered[i] = True
                continue
            p = _strong_hit(text, 5000)
            if p is not None and (_place_context(doc, a, b) or p.feature in ("country", "admin1", "facility")
                                  and ent.label_ != "PERSON"):
                add(a, b)
                continue
            if ent.label_ == "ORG":
                _embedded(doc, a, b, add)
            for i in range(ent.start, ent.end):
                covered[i] = True

    # gazetteer matches the NER missed
    i = 0
    n = len(doc)
    toks = list(doc)
    while i < n:
        if covered[i]:
            i += 1
            continue
        t = toks[i]
        if not (t.is_title or (t.is_upper and len(t) > 2)) or t.lower_ in STOP_NAMES:
            i += 1
            continue
        found = None
        for L in (3, 2, 1):
            j = i + L
            if j > n or any(covered[k] for k in range(i, j)):
                continue
            if not all(toks[k].is_title or toks[k].is_upper or toks[k].text in ("-", "of") for k in range(i, j)):
                continue
            if toks[j - 1].text in ("-", "of"):
                continue
            text = doc[i:j].text
            p = _strong_hit(text, 1000)
            if p is None:
                continue
            ctx = _place_context(doc, i, j)
            sent_start = t.is_sent_start or i == 0
            if p.feature in ("country", "admin1") and full_key(p.name) == full_key(text) and not sent_start:
                found = j
            elif ctx and (p.population >= 20000 or p.feature in ("country", "admin1")):
                found = j
            if found:
                break
        if found:
            add(i, found)
            i = found
        else:
            i += 1
    _second_pass(doc, out, placed, add)
    out.sort()
    return out


_STREET_WORDS = {"Street", "St.", "Road", "Rd.", "Avenue", "Ave.", "Boulevard", "Blvd.", "Lane", "Drive", "Parkway",
                 "Pkwy.", "Trail", "Pike", "Turnpike", "Expressway", "Freeway", "Trafficway", "Terrace"}
_STREET_WORDS_LOW = {w.lower() for w in _STREET_WORDS}
_STREET_STOP = (STOP_NAMES | PLACE_PREPS | _STREET_WORDS_LOW | {"on", "of", "off", "along", "by", "block"}) - {
    "north", "south", "east", "west", "church", "college", "university", "school", "park", "lake", "bay", "mount",
    "fort", "port", "beach", "springs", "falls", "heights", "hills", "valley", "river", "center", "centre", "court",
    "hospital", "washington", "lincoln", "jackson", "clinton", "franklin", "madison", "marion", "warren", "wilson",
    "hamilton", "jordan", "georgia", "victoria", "santa", "saint", "independence", "liberty", "commerce", "progress",
    "union", "state", "county", "city", "new", "mercury", "sun", "moon", "hope", "unity", "victory", "friendship"}
_ROAD_WORDS = {"Highway", "Route", "Interstate", "Hwy.", "Hwy"}
_PLURAL_PLACES = {"counties", "townships", "parishes", "rivers", "streets", "roads", "avenues", "provinces",
                  "districts", "islands", "lakes", "boroughs", "villages", "towns", "cities", "creeks"}
_LIST_SEP = {",", "and", "or", "&", "to"}
_LIST_STOP = {"the", "a", "an", "these", "those", "both", "all", "other", "several", "some", "many", "most", "in",
              "neighboring", "neighbouring", "nearby", "surrounding", "two", "three", "four", "five", "of", "at",
              "north", "south", "east", "west", "central", "rural", "on", "for", "from", "by", "between"}
_AFFIX_OK = {"led", "based", "controlled", "held", "run", "born", "bound", "area", "region"}


def _is_name(t) -> bool:
    return t.is_title or (t.is_upper and t.is_alpha and len(t) > 1)


def _second_pass(doc, out: list, placed: list, add) -> None:
    """What the first pass settled helps with the rest: US state abbreviations ('Clyburn, D-S.C.', 'the S.C.
    Highway Patrol'), 'U.S.-led', lists before a plural place noun ('Barrow, Jackson and Madison counties'),
    names listed with a recognised place ('Fargo and Moorhead'), and repeats of a recognised name."""
    n = len(doc)
    toks = list(doc)
    text = [t.text for t in toks]
    low = [t.lower_ for t in toks]
    name = [t.is_title or (t.is_upper and t.is_alpha and len(t) > 1) for t in toks]
    for i in range(n):
        if placed[i]:
            continue
        w = text[i]
        if w in US_STATE_ABBR:
            dotted = w.count(".") >= 2 and w.replace(".", "").isupper()
            prev = text[i - 1] if i else ""
            after_place = prev == "," and i > 1 and placed[i - 2]
            party = prev == "-" and i > 1 and text[i - 2] in _PARTY
            if dotted or after_place or party:
                add(i, i + 1)
                continue
        if w == "W." and i + 1 < n and text[i + 1] == "Va.":
            add(i, i + 2)
            continue
        if "-" in w and w[:1].isupper() and not toks[i].is_title:
            head, _, tail = w.partition("-")
            if tail.lower() in _AFFIX_OK and head.replace(".", "").isupper() and _alias_hit(head) is not None:
                t = toks[i]
                out.append((t.idx, t.idx + len(head), head))
                placed[i] = True
    # 'Licking County Prosecutor', 'Anderson County Sheriff Greg Taylor': 'X County' is a place
    for k in range(1, n):
        if text[k] in ("County", "Parish", "Borough", "Township") and not placed[k] and name[k - 1] \
                and not placed[k - 1] and low[k - 1] not in _STREET_STOP:
            j = k - 1
            if j > 0 and name[j - 1] and not placed[j - 1] and low[j - 1] not in _STREET_STOP \
                    and _strong_hit(doc[j - 1:k + 1].text, 0) is not None:
                j -= 1
            add(j, k + 1)
    # demonyms the NER did not label NORP: 'Azerbaijani soldiers', 'Salvadoran migrant'
    for i in range(n):
        if not placed[i] and name[i] and toks[i].ent_type_ not in ("PERSON", "LANGUAGE", "NORP") \
                and not (i + 1 < n and name[i + 1] and toks[i].ent_type_ != "ORG") and _demonym(text[i]) is not None \
                and not (i + 1 < n and text[i + 1] in "-–"):  # 'the Iraqi border' names Iraq, 'Iraqi-led' no
            t = toks[i]
            out.append((t.idx, t.idx + len(t.text), t.text))
            placed[i] = True
    # streets and numbered roads: 'Kelley Lane', 'North Nokomis Street', 'State Highway 360', 'Route 128'
    for k in range(1, n):
        if placed[k]:
            if text[k] in _ROAD_WORDS and k + 1 < n and toks[k + 1].like_num and not placed[k + 1]:
                # the NER stopped before the number: 'State Highway' + '287'
                end = toks[k].idx + len(text[k])
                for x, (a, b, _) in enumerate(out):
                    if b == end:
                        nb = toks[k + 1].idx + len(text[k + 1])
                        out[x] = (a, nb, doc.text[a:nb])
                        placed[k + 1] = True
                        break
            continue
        if text[k] in _STREET_WORDS and name[k - 1] and not placed[k - 1]:
            j = k
            while j > 0 and k - j < 3 and not placed[j - 1] and (name[j - 1] or toks[j - 1].like_num and j < k) \
                    and low[j - 1] not in _STREET_STOP:
                j -= 1
            if j < k and low[j] not in ("the", "a", "an"):
                add(j, k + 1)
        elif text[k] in _ROAD_WORDS and k + 1 < n and toks[k + 1].like_num and not placed[k + 1]:
            j = k
            while j > 0 and low[j - 1] in ("state", "county", "u.s.", "us", "interstate", "farm", "ranch") \
                    and name[j - 1] and not placed[j - 1]:
                j -= 1
            add(j, k + 2)
    # 'Barrow, Jackson and Madison counties', 'the Williams and Cranberry rivers'
    for k in range(2, n):
        if low[k] not in _PLURAL_PLACES:
            continue
        j = k
        groups = 0
        while j > 0 and groups < 6:
            e = j
            while j > 0 and name[j - 1] and e - j < 3:
                j -= 1
            while j < e and low[j] in _LIST_STOP:
                j += 1
            if j == e:
                break
            if not any(placed[x] for x in range(j, e)):
                add(j, e)
            groups += 1
            if j > 0 and low[j - 1] in _LIST_SEP:
                j -= 1
                if j > 0 and text[j - 1] == "," and low[j] in ("and", "or"):
                    j -= 1
            else:
                break
    # repeats and list neighbours of recognised names
    person = [False] * n
    person_words = set()
    for e in doc.ents:
        if e.label_ == "PERSON":
            for x in range(e.start, e.end):
                person[x] = e.end - e.start
            if e.end - e.start >= 2:
                person_words.update(low[e.start:e.end])
    names = set()
    a = 0
    while a < n:
        if placed[a]:
            b = a
            while b < n and placed[b]:
                b += 1
            txt = doc[a:b].text
            # only names the gazetteer confirms, never a word of a person's name in this article
            if all(name[a:b]) and txt.lower() not in person_words and _demonym(txt) is None \
                    and (_strong_hit(txt, 1000) is not None or _alias_hit(txt) is not None):
                names.add(txt)
            a = b
        else:
            a += 1
    firsts = {x.split()[0] for x in names}
    i = 0
    while i < n:
        if placed[i] or not toks[i].is_title:
            i += 1
            continue
        listed_left = i > 1 and low[i - 1] in ("and", "or") and placed[i - 2]
        after_comma = i > 1 and text[i - 1] == "," and (placed[i - 2] or name[i - 2])  # 'Thruxton, Hampshire'
        if text[i] not in firsts and (low[i] in STOP_NAMES or not (listed_left or after_comma or i + 2 < n)):
            i += 1
            continue
        found = None
        for L in (3, 2, 1):
            j = i + L
            if j > n or any(placed[i:j]) or not all(name[i:j]):
                continue
            if j < n and name[j] and low[j] not in INST_WORDS:
                continue  # part of a longer name
            if i > 0 and name[i - 1] and low[i - 1] not in PLACE_PREPS and low[i - 1] not in ("the", "a", "an"):
                continue
            if any(person[x] > L for x in range(i, j)):
                continue  # 'Jordan' in 'Michael Jordan'
            t = doc[i:j].text
            if t in names:
                found = j
                break
            if listed_left or (j + 1 < n and low[j] in ("and", "or") and placed[j + 1]):
                if low[i] in STOP_NAMES:
                    continue
                p = _strong_hit(t, 1000)
                if p is not None and full_key(p.name) == full_key(t):
                    found = j
                    break
            if after_comma and low[i] not in STOP_NAMES and (j >= n or not name[j]):
                floor = 0 if placed[i - 2] else 100000
                if any(p.feature in ("country", "admin1", "region") and p.population >= floor
                       and full_key(p.name) == full_key(t) for p in _gaz().lookup(t, 5)):
                    found = j
                    break
        if found:
            add(i, found)
            i = found
        else:
            i += 1


_SIDE_NOUNS = {"side", "site", "sides", "soil", "territory", "territories", "frontier", "airspace", "waters",
               "mainland", "shore", "bank", "positions", "base", "bases", "towns", "cities", "villages"}
_DASHES = {"--", "—", "–", "-", "―", "---", "\x97"}
_AGENCIES = {"AP", "Reuters", "AFP", "UPI", "CNN", "dpa", "DPA", "Xinhua", "APP", "IANS", "PTI", "TASS", "Tass",
             "Bloomberg", "ANI", "BBC", "KRT", "ANSA", "EFE", "Yonhap", "Kyodo", "AAP", "CP", "NNA"}
_NOT_DATELINE = {"update", "updated", "breaking", "exclusive", "note", "editor", "editors", "correction", "watch",
                 "video", "photos", "photo", "live", "analysis", "opinion", "comment", "review", "advertisement",
                 "read", "more", "related", "urgent", "flash", "bulletin", "alert", "warning", "sponsored", "ap",
                 "afp", "upi", "cnn", "bbc", "tv", "faq", "q", "a", "usa", "ok", "pm", "am", "new"}


_DIRECTIONS = {"north", "south", "east", "west", "northern", "southern", "eastern", "western", "central", "northeast",
               "northwest", "southeast", "southwest", "northeastern", "northwestern", "southeastern", "southwestern",
               "metro", "greater", "downtown", "upper", "lower", "mid", "inner", "outer", "rural", "suburban",
               "n.", "s.", "e.", "w.", "ne", "nw", "se", "sw", "historic", "old"}
_TRAIL_NOUNS = {"jail", "courthouse", "office", "department", "dept", "dept.", "sheriff", "sheriffs", "road", "rd",
                "rd.", "democrats", "republicans", "station", "hall", "court", "park", "schools", "government",
                "commission", "commissioners", "police", "fire", "ems", "airport", "center", "centre", "area",
                "region", "city", "village", "town"}


def _is_place_name(text: str) -> bool:
    p = _strong_hit(text, 0)
    return (p is not None and (full_key(p.name) == full_key(text) or norm_key(p.name) == norm_key(text)
                               or p.feature == "facility")) or _alias_hit(text) is not None


def _trim_place(doc, a: int, b: int) -> tuple[int, int]:
    """An entity the gazetteer lacks as a whole, cut to the place it names: 'Pickens County Jail' ->
    'Pickens County', 'Fargo city' -> 'Fargo', 'Northeast Georgia' -> 'Georgia'."""
    if b - a < 2 or _is_place_name(doc[a:b].text):
        return a, b
    for j in range(b - 1, a, -1):  # longest place prefix followed only by institution or lower-case words
        if all(t.lower_ in _TRAIL_NOUNS or t.lower_ in INST_WORDS or t.is_punct or t.is_lower
               or t.lower_ in ("'s", "’s") for t in doc[j:b]) and _is_place_name(doc[a:j].text):
            return a, j
    k = a
    while k < b - 1 and doc[k].lower_ in _DIRECTIONS:  # 'north west London'
        k += 1
    if k > a and _is_place_name(doc[k:b].text):
        return k, b
    return a, b


def _datelines(doc, add, covered) -> None:
    """Upper-case datelines: 'MANSFIELD -- The council...', 'BEIRUT (Reuters) -', 'DAYTON, Ohio —'."""
    n = len(doc)
    for i, t in enumerate(doc):
        if not (t.is_upper and t.is_alpha and len(t) > 2) or covered[i]:
            continue
        j = i + 1
        while j < n and j - i < 3 and doc[j].is_upper and doc[j].is_alpha:
            j += 1
        if j >= n:
            continue
        # 'Associated Press WASHINGTON (AP) —': an agency credit marks a dateline wherever it stands
        agency = doc[j].text == "(" and j + 2 < n and doc[j + 1].text in _AGENCIES and doc[j + 2].text == ")"
        if i > 0 and not agency and not (doc[i - 1].is_punct or doc[i - 1].text.strip() == "" or doc[i - 1].is_digit
                                         or doc[i - 1].text[-1:] in ".:" or doc[i - 1].is_space):
            if not (i >= 1 and doc[i - 1].like_num):
                continue
        nxt = doc[j].text
        dash = nxt in _DASHES or (nxt.strip("-—–―\x97”") == "" and nxt.strip() != "")
        ok = dash or nxt == ":" or (nxt == "(" and j + 2 < n and (doc[j + 1].is_upper or doc[j + 1].is_title)
                                    and doc[j + 2].text == ")") \
            or (nxt == "," and j + 1 < n and (doc[j + 1].text in US_STATE_ABBR or doc[j + 1].text + "." in
                                              US_STATE_ABBR or doc[j + 1].is_title
                                              or doc[j + 1].is_upper and len(doc[j + 1]) == 2)) \
            or (i == 0 and doc[j].is_title and doc[j].is_alpha)  # 'OKLAHOMA CITY The Latest on ...'

        if not ok:
            continue
        text = doc[i:j].text
        if text.lower() in _NOT_DATELINE or text.lower() in STOP_NAMES and not _strong_hit(text.title(), 100000):
            continue
        # 'HARWINTON — Former ...': a dash dateline near the top is a place even when the gazetteer lacks it
        if not _strong_hit(text.title(), 1000) and not (dash and i < 60 and j + 1 < n and doc[j + 1].is_title):
            continue
        add(i, j)


def _lone_place_name(doc, a: int, person_words: set) -> bool:
    """A one-word PERSON that is really a notable place: not a known person's name word in this article."""
    t = doc[a]
    if t.lower_ in STOP_NAMES or t.lower_ in person_words or not t.is_title or len(t) < 4:
        return False
    p = _strong_hit(t.text, 20000)
    if p is None or p.feature == "region":
        return False
    if _place_context(doc, a, a + 1):
        return True
    # "Gainesville police", "Tbilisi's", "in Gainesville": proper noun not followed by a speech verb
    if a + 1 < len(doc) and doc[a + 1].lemma_ in ("say", "tell", "add", "note", "explain", "write"):
        return False
    return p.population >= 50000 or p.feature in ("country", "admin1")


def _demonym_parts(doc, a: int, b: int, out: list) -> None:
    """Adjectival place names: 'Russian', 'Sudanese', 'Russian-American', 'South Ossetian', 'Central American'."""
    g = _gaz()
    # 'Iranian-backed', 'Syrian-born': a compound modifier, not a reference to the place
    # 'Iranian-backed', 'Syrian-born': a compound modifier, not a reference to the place
    if b < len(doc) and doc[b].text in ("-", "–") and b + 1 < len(doc) and doc[b + 1].is_lower:
        return
    span = doc[a:b]
    base = span.start_char
    text = span.text
    for m in re.finditer(r"[A-Z][\w'’]*(?:\s+[A-Z][\w'’]*)*", text):
        word = m.group(0)
        if word.lower() in STOP_NAMES:
            continue
        p = g.demonym(word)
        if p is None and " " in word:
            for stem in (word[:-1], word[:-2] + "a", word[:-3] + "a"):
                q = _strong_hit(stem, 100000)
                if q is not None and q.feature in ("country", "admin1", "region") \
                        and full_key(q.name) == full_key(stem):
                    p = q
                    break
        if p is not None:
            out.append((base + m.start(), base + m.end(), word))


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
_REGION_SUFFIX = {"county", "parish", "township", "twp", "twp.", "borough", "province", "governorate", "oblast",
                  "prefecture", "district"}


def _alias_hit(text: str) -> Place | None:
    """A country (or continent-level union) that `text` names by an alias or code: 'U.S.', 'UAE', 'Holy See', 'EU'."""
    key = (text, _gaz_key())
    if key in _ALIAS_CACHE:
        return _ALIAS_CACHE[key]
    if len(_ALIAS_CACHE) > 100_000:
        _ALIAS_CACHE.clear()
    p = None
    hits = _gaz().lookup(text, 2) if len(text) >= 2 else []
    if hits:
        top = hits[0]
        if top.feature == "country" and top.population >= 100_000 \
                or top.feature == "region" and top.population >= 100_000_000:
            p = top
    _ALIAS_CACHE[key] = p
    return p


def _demonym(word: str) -> Place | None:
    key = (word, _gaz_key())
    if key not in _DEMONYM_CACHE:
        if len(_DEMONYM_CACHE) > 100_000:
            _DEMONYM_CACHE.clear()
        _DEMONYM_CACHE[key] = _gaz().demonym(word)
    return _DEMONYM_CACHE[key]


def _abbrev_place(doc, i: int) -> Place | None:
    """An upper-case country code in mixed-case text: 'the U.S. Senate', 'US troops', 'EU rules', 'the UAE'."""
    t = doc[i]
    w = t.text
    letters = w.replace(".", "")
    if not (2 <= len(letters) <= 5 and letters.isalpha() and letters.isupper()):
        return None
    if "." not in w:  # 'US' in an all-caps headline is the pronoun
        for k in (i - 1, i + 1):
            if 0 <= k < len(doc) and doc[k].is_alpha and len(doc[k]) > 1 and doc[k].is_upper:
                return None
    return _alias_hit(w)


# the last word of an organisation or facility name that starts with its town: 'Feltham Magistrates' Court',
# 'Ozark Farm Supply Center'
ORG_HEADS = {"center", "centre", "hospital", "clinic", "church", "chapel", "cathedral", "school", "academy",
             "college", "university", "court", "courthouse", "jail", "prison", "depot", "base", "station", "airport",
             "library", "museum", "theatre", "theater", "hall", "hotel", "inn", "farm", "farms", "ranch", "estate",
             "estates", "mill", "mall", "market", "park", "stadium", "arena", "club", "society", "association",
             "foundation", "council", "commission", "committee", "board", "department", "office", "agency",
             "authority", "service", "services", "company", "cooperative", "trust", "district", "cleanup",
             "festival", "fair", "pantry", "band", "orchestra", "choir", "team", "league"}
# adjectives that open national or generic bodies ('Federal Aviation Authority', 'Superior Court'): no town
_GENERIC_LEADS = {"federal", "national", "royal", "central", "superior", "supreme", "naval", "civil", "general",
                  "regional", "international", "global", "united", "first", "new", "great", "grand"}


def _capitalised(t) -> bool:
    """A capitalised word, camel case included ('Hampton', 'DeKalb', 'McLean'); not an all-caps acronym."""
    return t.text[:1].isupper() and not t.is_upper and t.text[1:2].isalpha()


def _embedded(doc, a: int, b: int, add) -> None:
    """Place names inside an organisation name: 'Rapides Parish Fire District' -> 'Rapides Parish',
    'Corsicana Police Department' -> 'Corsicana', 'the U.S. Senate' -> 'U.S.', 'Canadian Coast Guard' -> 'Canadian'.
    A smaller town counts only as the name's first words, before an institution word ('Police') or in a name
    ending in a facility or body noun ('Feltham Magistrates' Court'), never after a generic adjective ('Federal')."""
    i = a
    while i < b:
        found = None
        if _abbrev_place(doc, i) is not None:
            found = i + 1
        for L in range(min(4, b - i), 0, -1):
            if found:
                break
            j = i + L
            text = doc[i:j].text
            lead = i == a and j < b and _capitalised(doc[j]) and (
                doc[j].lower_ in INST_WORDS or doc[b - 1].lower_ in ORG_HEADS and doc[i].lower_ not in _GENERIC_LEADS)
            if not _capitalised(doc[i]) or L == 1 and doc[i].lower_ in _DIRECTIONS:
                break
            if L == 1 and doc[i].lower_ in STOP_NAMES:
                # 'Washington Post', 'University of Georgia': an ambiguous name as a state or country
                p = _strong_hit(text, 0) if lead or i > a and doc[i - 1].lower_ == "of" else None
                if p is not None and p.feature in ("country", "admin1") and full_key(p.name) == full_key(text):
                    found = j
                break
            if not _capitalised(doc[j - 1]):
                continue
            # a notable place anywhere in the name; a smaller one (or a county) only as the name's first words
            county = doc[j - 1].lower_ in _REGION_SUFFIX
            p = _strong_hit(text, 0 if county else 5000 if lead else 100000)
            if p is not None and full_key(p.name) == full_key(text) and (
                    p.feature in ("country", "admin1") or p.population >= (5000 if lead else 100000)
                    or p.feature == "region" and (lead or doc[j - 1].lower_ in _REGION_SUFFIX)):
                found = j
                break
            if L >= 2 and _alias_hit(text) is not None:
                found = j
                break
            if L == 1 and _demonym(text) is not None and not (j < b and doc[j].text in ("-", "–")):
                found = j
                break
        if found:
            add(i, found)
            i = found
        else:
            i += 1


# ---------------------------------------------------------------------------------------------
# resolution

FEATURE_PRIOR = {"country": 2.5, "admin1": 1.8, "extra": 2.0, "region": -0.2, "city": 0.0, "facility": 0.5}
QUALIFIER_RE = re.compile(r"^\s*,\s*((?:[A-Z][\w.'’\-]*\.?)(?:\s+[A-Z][\w.'’\-]*){0,3})")
PRE_RE = re.compile(r"\b([A-Z][a-z]+(?:\s[A-Z][a-z]+)?)(?:-(?:held|controlled|run|occupied|ruled))?\s+"
                    r"(?:[a-z\-]+\s+){0,2}(?:town|city|village|province|capital|region|district|county|state|port|"
                    r"governorate|suburb|border|area|island|municipality)\s+of\s+(?:the\s+)?$")
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


def _code_candidates(t: str) -> list[tuple[Place, float]]:
    """Readings of a region abbreviation ('NSW', 'B.C.', 'WA'), best known first."""
    g = _gaz()
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


def _bare(text: str) -> str:
    """A mention without a leading 'the' and a trailing possessive or punctuation: the name looked up."""
    return re.sub(r"['’]s$", "", _LEAD_THE.sub("", text.strip())).strip(" .,;:")


def _candidates(text: str) -> list[tuple[Place, float]]:
    g = _gaz()
    t = _bare(text)
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
        codes = _code_candidates(code)
        if codes:
            return codes
    if code and t.replace(".", "").isupper() and not any(p.name == t for p, _ in cands):
        # 'WA' written as a code, not the town 'Wa': the regions it abbreviates are read alongside
        cands = _code_candidates(code) + cands
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


def _alt_name_quality(cands: list[tuple[Place, float]]) -> list[tuple[Place, float]]:
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


def _qualifier(text: str, end: int) -> list[tuple[str, str | None]]:
    """Readings (ISO3, admin1 name or None) of a qualifier named right after a toponym: 'X, Texas',
    'X, Syria', 'X (Iraq)'; an ambiguous region code gives several ('X, WA': Washington or Western
    Australia), and the place that lies in one of them wins."""
    m = QUALIFIER_RE.match(text[end:end + 50])
    if not m:
        m2 = re.match(r"^\s*\(([A-Z][\w .]+)\)", text[end:end + 40])
        if not m2:
            return []
        q = m2.group(1)
    else:
        q = m.group(1)
    g = _gaz()
    words = q.split()
    for k in range(len(words), 0, -1):
        s = " ".join(words[:k]).rstrip(",")
        s2 = US_STATE_ABBR.get(s)
        if s2:
            return [("USA", s2)]
        code = s if s in REGION_CODES else s + "." if s + "." in REGION_CODES else None
        if code:
            return [(iso, region or None) for region, iso in REGION_CODES[code]]
        s = s.rstrip(".")
        for p in g.lookup(s, 10):
            if full_key(p.name) != full_key(s) and p.feature != "country":
                continue
            if p.feature == "country":
                return [(p.country, None)]
            if p.feature == "admin1":
                return [(p.country, p.admin1 or p.name)]
    return []


def _qualifier_bonus(p: Place, readings: list[tuple[str, str | None]]) -> float:
    """3 for a candidate in the qualifier's country, 6 when also in its named first-order region."""
    best = 0.0
    for qc, qa in readings:
        if p.country == qc:
            best = max(best, 6.0 if qa and (p.admin1 == qa or p.name == qa) else 3.0)
    return best


def _prequalifier(text: str, start: int) -> str | None:
    """ISO3 of 'the Syrian town of X' / 'Iraq's city of X'."""
    m = PRE_RE.search(text[max(0, start - 60):start])
    if not m:
        return None
    c = _gaz().country(m.group(1))
    return c.country if c else None


W = {"pop": 0.6, "quality": 1.2, "qualifier": 3.0, "country": 2.0, "country_sat": 2.0, "country_share": 2.0,
     "admin": 1.5, "admin_sat": 1.5, "near": 1.2, "near_km": 150.0, "near_region": 0.5, "capital": 2.5,
     "co": 1.5, "co_km": 30.0, "seat": 0.5}
_ADMIN_WORD = re.compile(r"^\s+(?:province|governorate|state|region|oblast|prefecture|department|district|county|"
                         r"emirate|wilaya|vilayet)\b", re.I)


KIN_MIN = 4  # names this long at least can be kin (see resolve)


def _prior(p: Place, q: float) -> float:
    sc = W["pop"] * math.log10(p.population + 1) + FEATURE_PRIOR.get(p.feature, 0.0) + W["quality"] * q
    if p.feature == "city" and q >= 1 and _gaz().is_capital(p):  # by its own name, not an alias ('Mexico')
        sc += W["capital"]
    return sc


def resolve(mentions: list[tuple[int, int, str]], text: str, gazetteer: Gazetteer | None = None) -> list[Toponym]:
    """Resolve each (start, end, text) mention to a Place (or None), in document context, with
    `gazetteer` (the run's Resources.gazetteer; the default index when None)."""
    with _using(gazetteer):
        return _resolve(mentions, text)


def _resolve(mentions: list[tuple[int, int, str]], text: str) -> list[Toponym]:
    if not mentions:
        return []
    cand_cache: dict[str, list[tuple[Place, float]]] = {}
    items = []
    for s, e, t in mentions:
        if t not in cand_cache:
            c = _candidates(t)
            cand_cache[t] = (c, False) if c else (_embedded_candidates(t), True)
        cands, emb = cand_cache[t]
        quals = _qualifier(text, e)
        pc = _prequalifier(text, s)
        # an admin-1 area smaller than a city of the same name is the lesser referent: no feature bonus
        top_city = max((p.population for p, q in cands if p.feature == "city" and q >= 2), default=0)
        cands = _alt_name_quality(cands)
        if any(q >= 2 and p.feature == "country" for p, q in cands):
            # a country called by its own name is not some village that lists that name among its others
            cands = [(p, q) for p, q in cands if q >= 1]
        # 'in Kirkuk', 'in Aleppo': a bare name shared by a province and its namesake city inside it is the
        # city, unless the text says province ('Kirkuk province', 'Aleppo governorate')
        # (the city by its own name, the province by its own or another: 'Aleppo' in Halab; not 'New York',
        # which names New York City only as another of its names, and is as often the state)
        areas = {(p.country, p.admin1) for p, q in cands if p.feature == "admin1"}
        seat = set() if not areas or _ADMIN_WORD.match(text[e:e + 30]) else {
            (p.country, p.admin1) for p, q in cands
            if p.feature == "city" and q >= 2 and (p.country, p.admin1) in areas}
        base = []
        for p, q in cands:
            sc = _prior(p, q)
            if p.feature == "admin1" and (p.population < top_city or (p.country, p.admin1) in seat):
                sc -= FEATURE_PRIOR["admin1"]
            if seat and p.feature == "city" and q >= 2 and (p.country, p.admin1) in seat:
                sc += W["seat"]
            sc += _qualifier_bonus(p, quals)
            if pc and p.country == pc:
                sc += 3.0
            base.append(sc)
        items.append({"s": s, "e": e, "t": t, "cands": cands, "base": base, "key": norm_key(t), "emb": emb})

    # co-occurrence: candidates lying near some candidate of another (differently named) mention
    import numpy as np

    flat = [(i, p.lat, p.lon, q) for i, it in enumerate(items) for p, q in it["cands"]]
    if len(flat) > 1:
        owner = np.array([f[0] for f in flat])
        keys = np.array([hash(items[f[0]]["key"]) for f in flat])
        strong = np.array([f[3] >= 1 for f in flat])
        lat = np.radians(np.array([f[1] for f in flat]))
        lon = np.radians(np.array([f[2] for f in flat]))
        pos = 0
        for i, it in enumerate(items):
            m = len(it["cands"])
            if not m:
                continue
            a_lat, a_lon = lat[pos:pos + m, None], lon[pos:pos + m, None]
            d = haversine_km_radians(a_lat, a_lon, lat[None, :], lon[None, :])
            other = (keys != hash(it["key"])) & strong  # loose (skeleton/alias) readings lend no support
            close = (d < W["co_km"]) & other[None, :]
            # count distinct other mentions with a close candidate
            for k in range(m):
                owners = set(owner[close[k]].tolist())
                if owners:
                    it["base"][k] += W["co"] * min(3, len(owners)) / 3.0
            pos += m

    # context passes: countries / admin1 regions / locations of the other mentions' current best reading.
    # Mentions are re-read one at a time, each against the others' latest readings (updating them all at
    # once lets two mentions flip each other back and forth: 'Perth' and 'WA').
    best_idx = [max(range(len(it["cands"])), key=lambda k: it["base"][k]) if it["cands"] else None for it in items]
    country_w: dict[str, float] = defaultdict(float)
    admin_w: dict[tuple, float] = defaultdict(float)
    key_country: dict[tuple, float] = defaultdict(float)
    key_admin: dict[tuple, float] = defaultdict(float)
    pts: dict[int, tuple] = {}

    def vote(i: int, sign: int) -> None:
        it, p = items[i], items[i]["cands"][best_idx[i]][0]
        country_w[p.country] += sign
        key_country[(it["key"], p.country)] += sign
        if p.feature != "country" and p.admin1:
            admin_w[(p.country, p.admin1)] += sign
            key_admin[(it["key"], p.country, p.admin1)] += sign
        if sign < 0:
            pts.pop(i, None)
        elif p.feature != "country":
            pts[i] = (p.lat, p.lon, it["key"], p.feature == "admin1")

    for i, k in enumerate(best_idx):
        if k is not None:
            vote(i, 1)
    total = max(1.0, float(sum(k is not None for k in best_idx)))
    # a name's kin: itself and the longer or shorter names it begins or is begun by ('Dublin' and 'Dublin
    # Center Drive'): they lend each other no support, or a street named after a town would vote for
    # whichever reading of the town it was given
    words = {it["key"]: tuple(w for w in map(norm_key, it["t"].split()) if w) for it in items}

    def _kin(a: tuple, b: tuple) -> bool:  # the shorter name's words begin the longer name
        n = min(len(a), len(b))
        return n > 0 and a[:n] == b[:n] and len("".join(a[:n])) >= KIN_MIN

    kins = {k: frozenset(o for o, wo in words.items() if o == k or _kin(w, wo)) for k, w in words.items()}

    def support(cc: str, kin: frozenset) -> float:  # votes for a country, less those of a name and its kin
        return country_w.get(cc, 0.0) - sum(key_country.get((o, cc), 0.0) for o in kin)
    for _pass in range(4):
        changed = False
        for i, it in enumerate(items):
            if not it["cands"]:
                continue
            scores = []
            key = it["key"]
            kin = kins[key]
            for k, (p, q) in enumerate(it["cands"]):
                # exclude the votes of this name and its kin
                cw = max(0.0, support(p.country, kin))
                sc = it["base"][k]
                if p.country is None:  # continents, seas, macro-regions: no country to vote for them, so
                    cw = W["country_sat"]  # they count as fully supported, not as foreign to the article
                sc += W["country"] * min(1.0, cw / W["country_sat"]) + W["country_share"] * (cw / total)
                if p.feature != "country" and p.admin1:
                    aw = max(0.0, admin_w.get((p.country, p.admin1), 0.0)
                             - sum(key_admin.get((o, p.country, p.admin1), 0.0) for o in kin))
                    sc += W["admin"] * min(1.0, aw / W["admin_sat"])
                near = 0.0
                for la, lo, kk, region in pts.values():
                    if kk not in kin and abs(la - p.lat) < 2 \
                            and haversine_km(p.lat, p.lon, la, lo) < W["near_km"]:
                        near += W["near_region"] if region else 1  # a state's centre: half a neighbour
                        if near >= 2:
                            break
                sc += W["near"] * near
                scores.append(sc)
            it["scores"] = scores
            k = max(range(len(scores)), key=lambda k: scores[k])
            if k != best_idx[i]:
                vote(i, -1)
                best_idx[i] = k
                vote(i, 1)
                changed = True
        if not changed:
            break

    # a town found only as a spelling variant, in a country no other name of the article is in while other
    # names agree on some country, is a coincidence of spelling ('Tiarza' in a Pakistani story is not Trarza in
    # Mauritania): left unresolved, it takes the nearest town of the article in the country the others agree
    # on, else that country
    foreign: dict[int, str] = {}
    for i, it in enumerate(items):
        k = best_idx[i]
        if k is None:
            continue
        p, q = it["cands"][k]
        if q >= 1 or p.country is None or p.feature == "country" or it["emb"] \
                or _gaz().has_name(_bare(it["t"])):
            continue  # exact, another of its names ('Bombay'), or a country ('Afganistan')
        kin = kins[it["key"]]
        others = {c: support(c, kin) for c in country_w if c}
        if others.get(p.country, 0.0) <= 0 and max(others.values(), default=0.0) >= 1:
            vote(i, -1)
            best_idx[i] = None
            foreign[i] = max(others, key=lambda c: others[c])
    ctx = _context_places(items, best_idx) if any(k is None for k in best_idx) else [None] * len(items)
    # 'the city's Dniprovskyi district', 'Kherson's Dniprovskyi district': a part of the town just named, not a
    # namesake elsewhere, however large
    towns = [(it["s"], it["e"], it["cands"][k][0]) for it, k in zip(items, best_idx)
             if k is not None and not it["emb"] and it["cands"][k][1] >= 1 and it["cands"][k][0].feature == "city"]
    for i, it in enumerate(items):
        before = text[max(0, it["s"] - 20):it["s"]]
        m = _PART_OF.search(before)
        if not m or best_idx[i] is None:
            continue
        if m.group(1):  # 'the city's': the last town named before it
            box = next((p for s0, _e, p in reversed(towns) if s0 < it["s"]), None)
        else:  # 'Kherson's': that very town
            box = next((p for _s, e0, p in towns if e0 == it["s"] - len(m.group(0))), None)
        pick = it["cands"][best_idx[i]][0]
        if box is None or pick is box or _km(pick, box) <= CONTAINER_KM:
            continue
        best_idx[i] = _nearest_reading(it, box)
        if best_idx[i] is None:
            ctx[i] = box
    for i, cc in foreign.items():  # the nearest town of the article in that country, else the country
        local = [(abs(s0 - items[i]["s"]), p) for s0, _e, p in towns if p.country == cc]
        ctx[i] = min(local, key=lambda x: x[0])[1] if local else (_gaz().country(cc) or ctx[i])
    within = _container_places(items, best_idx, text)
    out = []
    for i, it in enumerate(items):
        k = best_idx[i]
        box = within[i]
        if box is not None and (k is None or it["emb"]):  # 'the Grand Hotel in Vienna': Vienna
            out.append(Toponym(it["s"], it["e"], it["t"], box, 0.3))
            continue
        pick = it["cands"][k][0] if k is not None else None
        if box is not None and box.feature == "city" and pick.feature in ("city", "region") \
                and pick.population < CONTAINER_MAX_POP and _km(pick, box) > CONTAINER_KM:
            # 'the Shelbyville club in Lyon': a small namesake far from the town named as its container is a
            # building or venue of that town; a candidate close to the town still wins. A big city is no
            # venue ('lost to Miami in Dallas')
            k = best_idx[i] = _nearest_reading(it, box)
            if k is None:
                out.append(Toponym(it["s"], it["e"], it["t"], box, 0.3))
                continue
        if k is None:  # nothing in the gazetteer: the article's context place, at low confidence
            p = ctx[i]
            out.append(Toponym(it["s"], it["e"], it["t"], p, 0.2 if p is not None else 0.0))
            continue
        scores = it.get("scores", it["base"])
        sc = scores[k]
        # confidence: margin over the runner-up, squashed
        others = [x for j, x in enumerate(scores) if j != k]
        margin = sc - max(others) if others else 3.0
        conf = 1.0 / (1.0 + math.exp(-margin))
        out.append(Toponym(it["s"], it["e"], it["t"], it["cands"][k][0], round(conf, 3)))
    return out


# ---------------------------------------------------------------------------------------------
# fallbacks for names the gazetteer lacks (streets, buildings, institutions, events)

_EMB_CACHE: dict[tuple, tuple] = {}
_ARABIC_ARTICLE = re.compile(r"^(?:al|el|ad|ed|ar|er|as|es|ash|at|az|ez|an|en|ud|um)[-‐‑]\w")
_EMB_WORD = re.compile(r"[A-Za-z\u00c0-\u024f][\w.'’\-]*")
_MISSION_WORDS = {"embassy", "embassies", "consulate", "consulate-general", "consul", "mission", "legation",
                  "chancery", "high commission"}
_EMB_SKIP = {"of", "the", "and", "for", "de", "du", "des", "la", "le", "del", "on", "at", "in", "&"}


def _embedded_candidates(text: str) -> list[tuple[Place, float]]:
    """Candidates of a place named inside a name the gazetteer lacks: 'Northfield State University' ->
    Northfield, 'Lakeside District Court' -> Lakeside, 'the British Council' -> the United Kingdom.
    Longest, then leftmost, capitalised word run that names a country, a first-order region, a county or a
    large city (a smaller town only as the name's first words: 'Smallville Police Department'); a country's
    alias or demonym only when no place name is found. An embassy or consulate lies in its host country,
    not the one it represents: its sending country is no reading."""
    key = (text, _gaz_key())
    hit = _EMB_CACHE.get(key)
    if hit is not None:
        return list(hit)
    if len(_EMB_CACHE) > 100_000:
        _EMB_CACHE.clear()
    words = [(m.start(), m.end(), m.group(0).rstrip(".'’")) for m in _EMB_WORD.finditer(text)]
    words = [w for w in words if w[2]]
    mission = any(w.lower() in _MISSION_WORDS for _, _, w in words)
    n = len(words)
    out: list[tuple[Place, float]] = []
    country_hit = None
    for L in range(min(4, n - 1), 0, -1):
        for i in range(0, n - L + 1):
            ws = [w for _, _, w in words[i:i + L]]
            if not (ws[0][:1].isupper() and ws[-1][:1].isupper()) or ws[0].lower() in _EMB_SKIP \
                    or ws[-1].lower() in _EMB_SKIP:
                continue
            if L == 1 and (ws[0].lower() in STOP_NAMES or ws[0].lower() in _DIRECTIONS or len(ws[0]) < 2):
                continue
            if i + L < n and _ARABIC_ARTICLE.match(words[i + L][2]):
                continue  # 'Ain al-Asad', 'Ras al-Ain', 'Deir ez-Zor': the name goes on, 'Ain' is no place here
            sub = text[words[i][0]:words[i + L - 1][1]].rstrip(".'’")
            lead = i == 0 and i + L < n and words[i + L][2].lower() in INST_WORDS
            county = ws[-1].lower() in _REGION_SUFFIX
            floor = 5000 if lead else 100000
            p = _strong_hit(sub, 0)
            if p is not None and full_key(p.name) == full_key(sub) and (
                    p.feature in ("country", "admin1") or county or p.population >= floor):
                if mission and p.feature == "country":
                    continue
                out = [(c, q) for c, q in _candidates(sub) if q >= 1 and (
                    c.feature in ("country", "admin1", "region") or c.population >= floor)] or [(p, 1.0)]
                break
            if country_hit is None and not mission:
                c = _alias_hit(sub) if sub.replace(".", "").isupper() or L >= 2 else None
                if c is None and L == 1:
                    c = _demonym(sub)
                country_hit = c
        if out:
            break
    if not out and country_hit is not None:
        out = [(country_hit, 2.0)]
    _EMB_CACHE[key] = tuple(out)
    return out


CONTAINER_KM = 100.0  # a place this far from the town named as its container is not in it
CONTAINER_MAX_POP = 200_000  # a city this large is not read as a venue of another town


def _km(a: Place, b: Place) -> float:
    return haversine_km(a.lat, a.lon, b.lat, b.lon)


def _nearest_reading(it: dict, box: Place) -> int | None:
    """The best-scored candidate of a mention within CONTAINER_KM of the town it is said to lie in, or None."""
    near = [j for j, (p, _) in enumerate(it["cands"]) if _km(p, box) <= CONTAINER_KM]
    return max(near, key=lambda j: it.get("scores", it["base"])[j]) if near else None


_PART_OF = re.compile(r"(?:\bthe\s+(city|town|capital|village|port)|(?<=\w))['’]s\s+$", re.I)
_IN_GAP = re.compile(r"\s+in\s+(?:the\s+|downtown\s+|central\s+)?", re.IGNORECASE)
_CONTAINER_GAP = re.compile(r"\s*(?:,|\bin|\bat|\bnear|\boutside|\bof)\s+(?:the\s+|downtown\s+|central\s+)?",
                            re.IGNORECASE)


def _container_places(items: list[dict], best_idx: list, text: str) -> list[Place | None]:
    """The place each mention lies in by the text's own say-so: 'the Grand Hotel in Vienna', 'City Hall,
    Dublin', 'Memorial Stadium at Lincoln' name the building's town right after it. Only a mention resolved
    by its own name (not a name embedded in it, nor a guess from context) serves as the container."""
    out: list[Place | None] = [None] * len(items)
    starts = {it["s"]: j for j, it in enumerate(items)}
    for i, it in enumerate(items):
        for gap in range(1, 16):  # the next mention starts within a few characters
            j = starts.get(it["e"] + gap)
            if j is None:
                continue
            gap_text = text[it["e"]:it["e"] + gap]
            strict = _IN_GAP.fullmatch(gap_text)  # a list ('Leeds, York') is no containment for a known name
            if (strict or (best_idx[i] is None or it["emb"]) and _CONTAINER_GAP.fullmatch(gap_text)) \
                    and best_idx[j] is not None and not items[j]["emb"] and items[j]["cands"][best_idx[j]][1] >= 1:
                out[i] = items[j]["cands"][best_idx[j]][0]
            break
    return out


def _context_places(items: list[dict], best_idx: list) -> list[Place | None]:
    """Each mention's context place: the nearest preceding town or city of the article, else the nearest
    following one, else the article's most mentioned place (None when nothing resolved). Only mentions
    resolved by their own name (not by a name embedded in them) and by a close match count."""
    resolved = [(it["s"], it["cands"][k][0]) for it, k in zip(items, best_idx)
                if k is not None and not it["emb"] and it["cands"][k][1] >= 1]
    if not resolved:
        return [None] * len(items)
    counts: dict[int, int] = defaultdict(int)
    first: dict[int, Place] = {}
    for _, p in resolved:
        counts[id(p)] += 1
        first.setdefault(id(p), p)
    dominant = first[max(counts, key=lambda k: counts[k])]
    fine = [(s, p) for s, p in resolved if p.feature == "city"]
    fine.sort(key=lambda x: x[0])
    out: list[Place | None] = []
    for it in items:
        prev = None
        for s, p in fine:
            if s >= it["s"]:
                break
            prev = p
        if prev is None:
            prev = next((p for s, p in fine if s > it["s"]), dominant)
        out.append(prev)
    return out
