"""Places stage: resolve the article's toponyms and attach a location to each event
mention (the place in the parse attached to the event, else the sentence's)."""

from __future__ import annotations

from .analyse import Analysis
from .events import Trigger, infinitive_complement
from .reporting import SPEECH
from .schema import Location, Mention, Span

LOC_PREPS = {"in", "near", "at", "outside", "around", "along", "across", "on", "into", "inside", "between",
             "throughout", "off", "within", "by", "to", "towards", "toward", "from", "over", "through", "of"}
NEAR_PREPS = {"near", "outside", "around", "along", "close", "between", "off", "towards", "toward", "by", "across"}
# people a 'from' phrase tells the origin of, even where the parser hangs it on the verb
ORIGIN_NOUNS = {"tourist", "visitor", "man", "woman", "national", "citizen", "resident", "student", "worker", "migrant",
                "refugee", "family", "child", "boy", "girl", "journalist", "pilgrim", "fighter", "volunteer"}
REPORTING = SPEECH                # data/reporting.toml
FINE_FEATURES = {"city", "facility", "extra"}
COARSE_FEATURES = {"country", "admin1", "region"}
PREP_RANK = {"in": 0, "near": 0, "at": 0, "outside": 0, "around": 0, "along": 0, "inside": 0, "between": 0,
             "on": 1, "across": 1, "throughout": 1, "off": 1, "within": 1, "into": 1, "over": 2, "to": 2,
             "towards": 3, "toward": 3, "through": 3, "of": 3, "by": 4, "from": 5}


def article_toponyms(analysis: Analysis, gaz, actors=None) -> dict[int, object]:
    """Resolved toponyms of the parsed sentences, keyed by start offset in the cleaned text, looked up
    in `gaz` (the run's Resources.gazetteer). A name the actor dictionary knows as a state institution
    ('the White House', 'the Kremlin') places nothing outside that state: its namesakes elsewhere
    (Casablanca, 'white house' in Spanish) are dropped."""
    from . import toponyms
    mentions = []
    seen_docs = set()
    for sent in analysis.sentences:
        doc = sent.span.doc
        if id(doc) in seen_docs:
            continue
        seen_docs.add(id(doc))
        for s, e, text in toponyms.recognise(doc, gaz):
            # "Russian", "Syrian": a demonym describes an actor, it does not place an event
            dem = gaz.demonym(text)
            if dem is not None and dem.name.casefold() != text.casefold():
                continue
            mentions.append((sent.base + s, sent.base + e, text))
    taken = {(s, e) for s, e, _ in mentions}
    for sent in analysis.sentences:
        for s, e, text in place_apposition_names(sent):
            if not any(a < e and s < b for a, b in taken):
                mentions.append((s, e, text))
                taken.add((s, e))
    mentions.sort()
    if not mentions:
        return {}
    from .limits import TOPONYM_WINDOW

    resolved = []
    for i in range(0, len(mentions), TOPONYM_WINDOW):   # one window in any news article
        resolved.extend(toponyms.resolve(mentions[i:i + TOPONYM_WINDOW], analysis.clean.text, gaz))
    return Toponyms((t.start, t) for t in resolved if t.place is not None and not _foreign_seat(t, actors))


INSTITUTION_SECTORS = {"GOV", "MIL", "LEG", "JUD", "POL"}


def _foreign_seat(top, actors) -> bool:
    """A state institution's name resolved to a place outside its state."""
    if actors is None:
        return False
    coded = actors.code(top.text)
    return (coded is not None and coded.country and coded.sector in INSTITUTION_SECTORS
            and coded.name.casefold() != top.text.casefold() and top.place.feature != "country"
            and top.place.country != coded.country)


class Toponyms(dict):
    """Resolved toponyms by start offset, with the starts kept sorted for range look-ups."""

    _starts: list[int] | None = None

    def between(self, lo: int, hi: int) -> list:
        """The toponyms whose start s has lo <= s < hi, in text order."""
        from bisect import bisect_left

        if self._starts is None or len(self._starts) != len(self):
            self._starts = sorted(self)
        i, j = bisect_left(self._starts, lo), bisect_left(self._starts, hi)
        return [self[s] for s in self._starts[i:j]]


PLACE_NOUNS = {"town", "city", "village", "site", "area", "district", "province", "region", "governorate", "state",
               "county", "municipality", "neighbourhood", "neighborhood", "suburb", "settlement", "camp", "crossing",
               "outskirts", "capital", "port", "hamlet", "locality", "border", "valley", "oasis", "island", "commune"}


def place_apposition_names(sent) -> list[tuple[int, int, str]]:
    """Proper names the NER missed in place phrases: "the Syrian town of X (and Y)", "the village of X"."""
    out = []
    for tok in sent.span:
        if tok.lower_ != "of" or tok.head.lemma_.lower() not in PLACE_NOUNS:
            continue
        for p in tok.children:
            if p.dep_ != "pobj" or p.pos_ != "PROPN":
                continue
            for h in [p] + [c for c in p.conjuncts if c.pos_ == "PROPN"]:
                left = min([c.i for c in h.children if c.dep_ == "compound" and c.pos_ == "PROPN"] + [h.i])
                span = h.doc[left: h.i + 1]
                out.append((sent.base + span.start_char, sent.base + span.end_char, span.text))
    return out


def _location(top, precision: int) -> Location:
    p = top.place
    feature = p.feature
    if feature in ("country",):
        precision = 3
    elif feature in ("admin1", "region"):
        precision = max(precision, 3 if precision >= 2 else 2)
    return Location(text=top.text, name=p.name, lat=p.lat, lon=p.lon, geonameid=p.geonameid, country=p.country,
                    admin1=p.admin1, feature=feature, precision=precision,
                    span=Span(start=top.start, end=top.end, text=top.text))


def _toponyms_in(sent, a: int, b: int, tops: dict[int, object]) -> list:
    """Toponyms whose start falls in doc chars of tokens a..b of sent's doc."""
    doc = sent.span.doc
    lo = sent.base + doc[a].idx
    hi = sent.base + doc[b - 1].idx + len(doc[b - 1].text)
    if isinstance(tops, Toponyms):
        return tops.between(lo, hi)
    return [t for s, t in sorted(tops.items()) if lo <= s < hi]


def _in_origin(sent, sub: list, top) -> bool:
    """Is the toponym inside an origin phrase nested in this phrase ('in a shipment of bananas from
    Ecuador', 'in a convoy of fighters from Syria')?"""
    for t in sub[1:]:
        if t.dep_ == "prep" and t.lower_ == "from" and t.head.pos_ in ("NOUN", "PROPN"):
            inner = list(t.subtree)
            lo = sent.base + inner[0].idx
            hi = sent.base + inner[-1].idx + len(inner[-1].text)
            if lo <= top.start < hi:
                return True
    return False


ANAPHORIC_PLACE_NOUNS = {"city", "town", "village"}


def _anaphoric_place(sent, sub: list, tops: dict[int, object]) -> list:
    """'in the east of the city', 'near the town': a definite place noun with no name of its own refers
    back to the last town or city the text named before it."""
    for t in sub:
        if t.lemma_.lower() in ANAPHORIC_PLACE_NOUNS and t.pos_ == "NOUN" and any(
                d.lower_ == "the" for d in t.children) and not any(
                k.dep_ in ("compound", "amod", "poss", "nmod") or k.dep_ == "prep" and k.lower_ == "of"
                for k in t.children):
            here = sent.base + t.idx
            before = [top for s, top in sorted(tops.items()) if s < here and top.place.feature == "city"]
            return before[-1:]
    return []


def attach(mention: Mention, trig: Trigger, tops: dict[int, object], other_triggers: set[int],
           verbal: bool = False) -> None:
    """The event's place from its own phrase. For a verbal event (a statement, a demand, a threat) only
    a plainly locative phrase places it ('in Beijing'): a country it is addressed to or about ('vowed to
    fight the U.S.', 'accused Russia of ...') is its recipient, not its place."""
    sent = trig.sent
    if not tops:
        return
    domain = [trig.token] + list(trig.extra)
    if trig.role_verb is not None:
        domain.append(trig.role_verb)
    tok = trig.token
    if trig.nominal and tok.dep_ in ("nsubj", "nsubjpass", "dobj") and tok.head.pos_ in ("VERB", "AUX"):
        domain.append(tok.head)
    # 'appeared in a Durban court to face charges': the verb that an infinitive of the event completes
    for d in list(domain):
        if infinitive_complement(d) and d.head.pos_ in ("VERB", "AUX") and d.head.lemma_.lower() not in REPORTING:
            domain.append(d.head)
    best = None
    for d in domain:
        for c in d.subtree:
            if c.dep_ != "prep" or c.lower_ not in LOC_PREPS or (verbal and PREP_RANK.get(c.lower_, 3) > 0):
                continue
            # 'a tourist from Norway', 'fighters from across the border': an origin, not the event's place
            prev = c.doc[c.i - 1] if c.i > 0 else c
            if c.lower_ == "from" and (c.head.pos_ in ("NOUN", "PROPN", "PRON") or (
                    prev.lemma_.lower() in ORIGIN_NOUNS and prev.dep_ in ("dobj", "nsubj", "nsubjpass", "pobj"))):
                continue
            # not inside another event's phrase
            anc = c.head
            blocked = False
            while anc.i != d.i and anc.head.i != anc.i:
                if anc.i in other_triggers:
                    blocked = True
                    break
                anc = anc.head
            if blocked:
                continue
            sub = list(c.subtree)
            found = [t for t in _toponyms_in(sent, sub[0].i, sub[-1].i + 1, tops)
                     if not _in_origin(sent, sub, t)] or _anaphoric_place(sent, sub, tops)
            if not found:
                continue
            rank = (PREP_RANK.get(c.lower_, 3), abs(c.i - tok.i))
            if best is None or rank < best[0]:
                near = c.lower_ in NEAR_PREPS or any(w.lower_ in ("border", "outskirts", "near", "edge", "side")
                                                     for w in sub)
                best = (rank, found[0], near)
        # "shelled Kharkiv": a toponym as the object, or naming it ("bombed the Kharkiv train station")
        for c in d.children:
            if verbal:
                break
            if c.dep_ in ("dobj", "nsubjpass") and c.i not in other_triggers and c.pos_ in ("PROPN", "NOUN"):
                # the name may begin before its head word: 'struck Erbil International Airport'
                names = [k.i for k in c.lefts if k.dep_ in ("compound", "amod") and k.pos_ == "PROPN"]
                if c.pos_ == "NOUN" and not names:
                    continue
                first = min(names + [c.i])
                found = _toponyms_in(sent, first, c.i + (c.pos_ == "PROPN"), tops)
                if c.pos_ == "NOUN":  # 'US forces', 'Iraqi positions': a country names the owner, not the place
                    found = [t for t in found if t.place.feature not in ("country", "region")]
                # ... and it wins over a coarser area the sentence also names ('hit Al Asad Air Base in western
                # Iraq': the base, not Iraq)
                if found and (best is None or (1, 0) < best[0] or (
                        found[0].place.feature in FINE_FEATURES and best[1].place.feature in COARSE_FEATURES
                        and found[0].place.country == best[1].place.country)):
                    best = ((1, 0), found[0], False)
    if best is None:
        # a toponym inside the nominal trigger's own phrase: "the Aleppo bombing"
        if trig.nominal:
            found = _toponyms_in(sent, trig.token.left_edge.i, trig.token.i + 1, tops)
            if found:
                best = ((3, 0), found[0], False)
    if best is None:
        return
    _, top, near = best
    mention.location = _location(top, 2 if near else 1)


OCCUR_VERBS = {"happen", "occur", "unfold", "take"}


def scene_statement(sent, tops: dict[int, object]) -> Location | None:
    """'It happened just before 5 p.m. in the Crown Heights neighborhood of Brooklyn': a sentence that
    only says where the event just told took place (its subject 'it', 'this' or a definite noun)."""
    root = sent.span.root
    if root.lemma_.lower() in REPORTING:          # 'It happened in X, officials said'
        root = next((c for c in root.children if c.dep_ in ("ccomp", "parataxis")), root)
    lem = root.lemma_.lower()
    if not tops or lem not in OCCUR_VERBS or (lem == "take" and not any(c.lower_ == "place" for c in root.children)):
        return None
    subj = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is None or not (subj.lower_ in ("it", "this") or any(d.lower_ in ("the", "this") for d in subj.children)):
        return None
    clause = {t.i for c in root.children if c.dep_ in ("advcl", "ccomp", "relcl", "parataxis") for t in c.subtree}
    for c in root.subtree:
        if c.dep_ == "prep" and c.lower_ in ("in", "at", "near", "outside", "on") and c.i not in clause:
            sub = list(c.subtree)
            found = _toponyms_in(sent, sub[0].i, sub[-1].i + 1, tops)
            if found:
                return _location(_within_container(found), 2 if c.lower_ in NEAR_PREPS else 1)
    return None


def _within_container(found: list):
    """'the Crown Heights neighborhood of Brooklyn': a part named before its container is read near the
    container; a namesake far from it (a hamlet 100 km away) yields to the container."""
    from .geodesy import haversine_km

    first = found[0]
    if len(found) > 1:
        box = found[1]
        p, q = first.place, box.place
        if p.lat is not None and q.lat is not None and q.feature in FINE_FEATURES and \
                haversine_km(p.lat, p.lon, q.lat, q.lon) > 50:
            return box
    return first


def sentence_location(mention: Mention, sent, tops: dict[int, object]) -> None:
    """Fallback: the first toponym of the sentence behind a locative preposition."""
    if mention.location is not None or not tops:
        return
    for tok in sent.span:
        if tok.dep_ == "prep" and tok.lower_ in ("in", "near", "at", "outside", "around", "inside"):
            sub = list(tok.subtree)
            found = _toponyms_in(sent, sub[0].i, sub[-1].i + 1, tops)
            if found:
                mention.location = _location(found[0], 2 if tok.lower_ != "in" else 1)
                mention.location.precision = max(mention.location.precision, 2)
                return


def article_fallback(events, clean, gaz, speaker_placed: set[str] | frozenset = frozenset()) -> None:
    """Events the text gives no place for get, at ACLED's coarsest precision (3): a statement (a type in
    `speaker_placed`; not a meeting, which is where its host is) by a state, its speaker's country; any
    other, the article's dominant country, else the dateline; looked up in `gaz` (the run's
    Resources.gazetteer)."""
    from collections import Counter

    for e in events:
        if e.location is None and e.plover_type in speaker_placed and e.actors:
            a = e.actors[0]
            place = gaz.country(a.country) if a.country and len(a.country) == 3 and not a.generic else None
            if place is not None:
                e.location = Location(text="(the speaker's country)", name=place.name, lat=place.lat, lon=place.lon,
                                      geonameid=place.geonameid, country=place.country, admin1=place.admin1,
                                      feature=place.feature, precision=3)
    missing = [e for e in events if e.location is None]
    if not missing:
        return
    countries = Counter(e.location.country for e in events if e.location is not None and e.location.country
                        and e.location.text != "(the speaker's country)")
    place, text = None, ""
    if countries:
        place = gaz.country(countries.most_common(1)[0][0])
        text = "(article's dominant country)"
    elif clean.dateline:
        hits = gaz.lookup(clean.dateline.split(",")[0])
        place = hits[0] if hits else None
        text = clean.dateline
    if place is None:
        return
    loc = Location(text=text, name=place.name, lat=place.lat, lon=place.lon, geonameid=place.geonameid,
                   country=place.country, admin1=place.admin1, feature=place.feature, precision=3)
    for e in missing:
        e.location = loc
