"""Toponym recognition: place-name spans in a spaCy Doc (GPE/LOC/FAC entities, NER errors on strong
gazetteer hits in a place context such as "the town of X", "in X", "X, Syria", datelines, place names
embedded in organisation names, and gazetteer matches the NER missed)."""

from __future__ import annotations

import re

from ..gazetteer import Gazetteer, Place, full_key, norm_key
from .common import (
    DIRECTIONS, ENT_OK, INST_WORDS, LOCAL_NOUNS, PLACE_NOUNS, PLACE_PREPS, REGION_SUFFIX, STOP_NAMES,
    TARGET_VERBS, US_PARTIES, US_STATE_ABBR, alias_hit, current_gazetteer, demonym_place, strong_hit,
    using_gazetteer
)


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
        if prev.text == "-" and start > 2 and doc[start - 2].text in US_PARTIES and doc[start - 3].text == ",":
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
            g = current_gazetteer()
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
    with using_gazetteer(gazetteer):
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
                    and all(_capitalised(t) for t in doc[a:b]) and demonym_place(text) is None:
                add(a, b)
                continue
            if ent.label_ == "NORP":
                p = strong_hit(text)
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
            p = strong_hit(text, 5000)
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
            p = strong_hit(text, 1000)
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


STREET_WORDS = {"Street", "St.", "Road", "Rd.", "Avenue", "Ave.", "Boulevard", "Blvd.", "Lane", "Drive", "Parkway",
                 "Pkwy.", "Trail", "Pike", "Turnpike", "Expressway", "Freeway", "Trafficway", "Terrace"}


_STREET_WORDS_LOW = {w.lower() for w in STREET_WORDS}


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
            party = prev == "-" and i > 1 and text[i - 2] in US_PARTIES
            if dotted or after_place or party:
                add(i, i + 1)
                continue
        if w == "W." and i + 1 < n and text[i + 1] == "Va.":
            add(i, i + 2)
            continue
        if "-" in w and w[:1].isupper() and not toks[i].is_title:
            head, _, tail = w.partition("-")
            if tail.lower() in _AFFIX_OK and head.replace(".", "").isupper() and alias_hit(head) is not None:
                t = toks[i]
                out.append((t.idx, t.idx + len(head), head))
                placed[i] = True
    # 'Licking County Prosecutor', 'Anderson County Sheriff Greg Taylor': 'X County' is a place
    for k in range(1, n):
        if text[k] in ("County", "Parish", "Borough", "Township") and not placed[k] and name[k - 1] \
                and not placed[k - 1] and low[k - 1] not in _STREET_STOP:
            j = k - 1
            if j > 0 and name[j - 1] and not placed[j - 1] and low[j - 1] not in _STREET_STOP \
                    and strong_hit(doc[j - 1:k + 1].text, 0) is not None:
                j -= 1
            add(j, k + 1)
    # demonyms the NER did not label NORP: 'Azerbaijani soldiers', 'Salvadoran migrant'
    for i in range(n):
        if not placed[i] and name[i] and toks[i].ent_type_ not in ("PERSON", "LANGUAGE", "NORP") \
                and not (i + 1 < n and name[i + 1] and toks[i].ent_type_ != "ORG") and demonym_place(text[i]) is not None \
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
        if text[k] in STREET_WORDS and name[k - 1] and not placed[k - 1]:
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
            if all(name[a:b]) and txt.lower() not in person_words and demonym_place(txt) is None \
                    and (strong_hit(txt, 1000) is not None or alias_hit(txt) is not None):
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
                p = strong_hit(t, 1000)
                if p is not None and full_key(p.name) == full_key(t):
                    found = j
                    break
            if after_comma and low[i] not in STOP_NAMES and (j >= n or not name[j]):
                floor = 0 if placed[i - 2] else 100000
                if any(p.feature in ("country", "admin1", "region") and p.population >= floor
                       and full_key(p.name) == full_key(t) for p in current_gazetteer().lookup(t, 5)):
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


_TRAIL_NOUNS = {"jail", "courthouse", "office", "department", "dept", "dept.", "sheriff", "sheriffs", "road", "rd",
                "rd.", "democrats", "republicans", "station", "hall", "court", "park", "schools", "government",
                "commission", "commissioners", "police", "fire", "ems", "airport", "center", "centre", "area",
                "region", "city", "village", "town"}


def _is_place_name(text: str) -> bool:
    p = strong_hit(text, 0)
    return (p is not None and (full_key(p.name) == full_key(text) or norm_key(p.name) == norm_key(text)
                               or p.feature == "facility")) or alias_hit(text) is not None


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
    while k < b - 1 and doc[k].lower_ in DIRECTIONS:  # 'north west London'
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
        if text.lower() in _NOT_DATELINE or text.lower() in STOP_NAMES and not strong_hit(text.title(), 100000):
            continue
        # 'HARWINTON — Former ...': a dash dateline near the top is a place even when the gazetteer lacks it
        if not strong_hit(text.title(), 1000) and not (dash and i < 60 and j + 1 < n and doc[j + 1].is_title):
            continue
        add(i, j)


def _lone_place_name(doc, a: int, person_words: set) -> bool:
    """A one-word PERSON that is really a notable place: not a known person's name word in this article."""
    t = doc[a]
    if t.lower_ in STOP_NAMES or t.lower_ in person_words or not t.is_title or len(t) < 4:
        return False
    p = strong_hit(t.text, 20000)
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
    g = current_gazetteer()
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
                q = strong_hit(stem, 100000)
                if q is not None and q.feature in ("country", "admin1", "region") \
                        and full_key(q.name) == full_key(stem):
                    p = q
                    break
        if p is not None:
            out.append((base + m.start(), base + m.end(), word))


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
    return alias_hit(w)


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
            if not _capitalised(doc[i]) or L == 1 and doc[i].lower_ in DIRECTIONS:
                break
            if L == 1 and doc[i].lower_ in STOP_NAMES:
                # 'Washington Post', 'University of Georgia': an ambiguous name as a state or country
                p = strong_hit(text, 0) if lead or i > a and doc[i - 1].lower_ == "of" else None
                if p is not None and p.feature in ("country", "admin1") and full_key(p.name) == full_key(text):
                    found = j
                break
            if not _capitalised(doc[j - 1]):
                continue
            # a notable place anywhere in the name; a smaller one (or a county) only as the name's first words
            county = doc[j - 1].lower_ in REGION_SUFFIX
            p = strong_hit(text, 0 if county else 5000 if lead else 100000)
            if p is not None and full_key(p.name) == full_key(text) and (
                    p.feature in ("country", "admin1") or p.population >= (5000 if lead else 100000)
                    or p.feature == "region" and (lead or doc[j - 1].lower_ in REGION_SUFFIX)):
                found = j
                break
            if L >= 2 and alias_hit(text) is not None:
                found = j
                break
            if L == 1 and demonym_place(text) is not None and not (j < b and doc[j].text in ("-", "–")):
                found = j
                break
        if found:
            add(i, found)
            i = found
        else:
            i += 1
