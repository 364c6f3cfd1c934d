"""Merge stage: mentions of one event become one record, fields fused from all mentions,
each keeping its evidence; links between events ("in retaliation for")."""

from __future__ import annotations

import datetime as dt
import math
import re

from .geodesy import haversine_km
from .schema import Actor, Count, DateRange, Event, EventLink, Location, Mention, Span
from .timing import clip_to_publication, inferred_date

DROP_MODES = {"negated", "hypothetical", "future", "historical"}
BACKGROUND_AGE = dt.timedelta(days=180)   # stated dates older than this are background, not the news
VERBAL = {"AGREE", "CONSULT", "SUPPORT", "REQUEST", "ACCUSE", "REJECT", "THREATEN", "CONCEDE", "RETREAT", "COOPERATE"}
LINK_CUES = [
    (re.compile(r"\b(?:in )?(?:retaliation|revenge|reprisal|retribution)s?\s+(?:for|against)\b", re.I), "retaliation"),
    (re.compile(r"\b(?:in )?(?:response|responding|reply)\s+to\b", re.I), "response"),
    (re.compile(r"\b(?:days?|hours?|weeks?|shortly|soon|just)?\s*(?:after|following)\b", re.I), "follows"),
    (re.compile(r"\b(?:as part of|during|amid|in the course of)\b", re.I), "part_of"),
    (re.compile(r"\b(?:led to|leading to|sparked|sparking|triggered|triggering|prompted|prompting|caused|causing|"
                r"resulted in|resulting in)\b", re.I), "cause"),
]
# a statement about an event it names ('condemned the attack', 'denied the raid', 'welcomed the truce',
# 'called for an inquiry into the killing'): the statement's type gives the relation
ABOUT_RELATIONS = {"ACCUSE": "accuses", "REJECT": "rejects", "SUPPORT": "supports", "REQUEST": "requests"}
PRECISE_SECTORS = {"GOV", "MIL", "POL", "REB", "MIL_PRO", "IGO", "JUD", "LEG"}


def km(a: Location, b: Location) -> float:
    if a.lat is None or b.lat is None:
        return math.inf
    return haversine_km(a.lat, a.lon, b.lat, b.lon)


def locations_compatible(a: Location | None, b: Location | None, max_km: float = 60.0) -> bool:
    if a is None or b is None:
        return True
    if a.country and b.country and a.country != b.country:
        return False
    if a.precision == 3 or b.precision == 3 or a.feature in ("country", "admin1") or b.feature in ("country", "admin1"):
        if a.feature == "admin1" and b.feature == "admin1":
            return a.name == b.name
        # a region and a place in another region of the same country: 'in the Dnipropetrovsk region' is not
        # 'the village of Ocheretyne in the Donetsk region'
        for r, p in ((a, b), (b, a)):
            if r.feature == "admin1" and p.feature not in ("country", "admin1", "region") and p.admin1 \
                    and (r.admin1 or r.name) and p.admin1 != (r.admin1 or r.name):
                return False
        return True
    return km(a, b) <= max_km


def dates_compatible(a: DateRange | None, b: DateRange | None, slack_days: int = 0) -> bool:
    if a is None or b is None or a.inferred or b.inferred:
        return True
    slack = dt.timedelta(days=slack_days)
    return a.start <= b.end + slack and b.start <= a.end + slack


def modes_compatible(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a == b


def is_named(a: Actor) -> bool:
    return not a.unidentified and not a.generic and (a.country is not None or a.sector in PRECISE_SECTORS)


def actors_compatible(a: list[Actor], b: list[Actor]) -> bool:
    na = {x.name for x in a if is_named(x)}
    nb = {x.name for x in b if is_named(x)}
    return not na or not nb or bool(na & nb)


def _precision_key(loc: Location) -> tuple:
    return (loc.precision, {"city": 0, "extra": 0, "facility": 0, "admin1": 1, "region": 2, "country": 3}.get(loc.feature or "", 2))


def best_actor(lists: list[list[Actor]]) -> list[Actor]:
    named, generic = [], []
    for lst in lists:
        for a in lst:
            (named if is_named(a) else generic).append(a)
    seen, out = set(), []
    for a in named + generic:
        if a.name in seen:
            continue
        seen.add(a.name)
        out.append(a)
    # a named actor makes "unidentified" wrong
    if any(is_named(a) for a in out):
        out = [a for a in out if not a.unidentified]
    return out


CROWD_INTER = {5, 6}                  # ACLED: rioters, protesters
CROWD_SECTORS = {"EDU", "LAB"}        # students, workers


def _crowd(a: Actor) -> bool:
    """A crowd that takes part in a clash, not an organised armed group (nor the civilians it fell on):
    protesters, rioters, students, workers."""
    return a.generic and not a.country and (a.inter in CROWD_INTER or a.sector in CROWD_SECTORS)


def _civilians(a: Actor) -> bool:
    """Unarmed people as a side of a clash ('clashes between his supporters and police'): rioters."""
    return a.generic and not a.country and a.sector == "CVL"


def fuse(event_id: str, mentions: list[Mention], published: dt.date | None, source: str | None) -> Event:
    first = next((m for m in mentions if not m.anaphoric), mentions[0])
    # the most specific classification among the mentions
    typed = [m for m in mentions if m.plover_mode] or [first]
    cls = max(typed, key=lambda m: (m.acled_sub_event_type not in (None, "Attack"), not m.anaphoric, -m.sentence))
    # ACLED: remote violence used in a battle is part of the battle; a battle mention types the event
    battles = sorted((m for m in mentions if m.acled_event_type == "Battles"), key=lambda m: m.anaphoric)
    battle = battles[0] if battles else None
    acled = battle or cls
    actors = best_actor([m.actors for m in mentions])
    recipients = [r for r in best_actor([m.recipients for m in mentions]) if r.name not in {a.name for a in actors}]
    locs = [m.location for m in mentions if m.location is not None]
    location = min(locs, key=_precision_key) if locs else None
    # a precise place must lie in the country other mentions give; else keep the country
    if location is not None:
        countries = {l.country for l in locs if l.feature == "country" and l.country}
        if countries and location.country not in countries:
            location = next(l for l in locs if l.feature == "country")
    dates = [clip_to_publication(m.date, published) for m in mentions if m.date is not None]
    dates = [d for d in dates if d is not None]
    if dates:
        date = min(dates, key=lambda d: (d.end - d.start, d.start))
    else:
        date = inferred_date(published)
    counts: list[Count] = []
    for m in mentions:
        counts.extend(m.counts)
    acled_types = (acled.acled_event_type, acled.acled_sub_event_type)
    if cls.plover_type == "ASSAULT" and acled_types[0] in ("Battles", "Violence against civilians") and (
            any(_crowd(a) for a in actors) or acled_types[0] == "Battles" and (
                any(_crowd(a) for a in recipients) or any(_civilians(a) for a in actors))):
        # ACLED: a battle is between organised armed groups; a crowd that clashes or attacks is rioting, with
        # the police ('students clashed with police', 'rioters attacked officers') or with another crowd
        acled_types = ("Riots", "Violent demonstration" if any(a.sector in ("POL", "MIL") for a in actors + recipients)
                       else "Mob violence")
    ev = Event(
        id=event_id, plover_type=cls.plover_type, plover_mode=cls.plover_mode, plover_context=cls.plover_context,
        acled_event_type=acled_types[0], acled_sub_event_type=acled_types[1], cameo=cls.cameo,
        actors=actors, recipients=recipients, location=location, date=date, counts=counts,
        article_ids=sorted({m.article_id for m in mentions}),
        sentences=sorted({(m.article_id, m.sentence) for m in mentions}), mentions=mentions,
        sources=[source] if source else [], first_reported=published, last_reported=published,
        confidence=min(0.95, max(m.confidence for m in mentions) + 0.05 * (len(mentions) - 1)),
    )
    reconcile(ev)
    code_state_actor(ev)
    return ev


def reconcile(ev: Event) -> None:
    """One figure per kind: the most conservative across sources (ACLED), the latest within one source."""
    per_kind: dict[str, dict[str, int]] = {}
    for c in ev.counts:
        if c.value is None:
            continue
        src = c.source_article or ""
        k = per_kind.setdefault(c.kind, {})
        k[src] = max(k.get(src, 0), c.value)
    ev.fatalities = min(per_kind["killed"].values()) if "killed" in per_kind else None
    ev.injured = min(per_kind["injured"].values()) if "injured" in per_kind else None
    ev.size = min(per_kind["size"].values()) if "size" in per_kind else None
    if len({tuple(sorted(v.values())) for v in per_kind.values() if len(set(v.values())) > 1}):
        ev.reconcile_rule = "most conservative figure across sources (ACLED)"
    elif per_kind:
        ev.reconcile_rule = "single figure per source; most conservative across sources"


def code_state_actor(ev: Event) -> None:
    """ACLED conventions: a state attacking is its armed forces (inter 1, or 8 outside its territory);
    an attack with no known perpetrator is by an unidentified armed group."""
    if ev.plover_type == "ASSAULT":
        new = []
        for a in ev.actors:
            if a.country and len(a.country) == 3 and a.sector in (None, "GOV") and not a.unidentified:
                inter = 8 if ev.location and ev.location.country and ev.location.country != a.country else 1
                a = a.model_copy(update={"sector": "MIL", "inter": inter})
            new.append(a)
        ev.actors = new
        if not ev.actors:
            ev.actors = [Actor(text="", name="Unidentified armed group", unidentified=True, sector="UNK", inter=3)]


def _compatible(ev_mentions: list[Mention], m: Mention, forbidden: bool) -> bool:
    """Whether ``m`` agrees with every mention of an event (all pairs: kept for reference and
    for callers with a plain list; merge_article uses the equivalent :class:`_Group`)."""
    if forbidden:
        return False
    for o in ev_mentions:
        if o.plover_type != m.plover_type:
            return False
        if not locations_compatible(o.location, m.location):
            return False
        if not dates_compatible(o.date, m.date):
            return False
        if not modes_compatible(o.plover_mode, m.plover_mode) and not m.anaphoric and not o.anaphoric:
            return False
        if not actors_compatible(o.actors, m.actors):
            return False
    return True


class _Group:
    """One event's mentions with what ``_compatible`` reads of them, kept as sets of the
    distinct values: checking a new mention costs the number of distinct places, dates,
    modes and actor sets of the event, not its number of mentions. Same answers as
    ``_compatible(mentions, m, False)``."""

    __slots__ = ("mentions", "type", "locations", "dates", "modes_asserted", "modes", "lemmas", "actor_sets")

    def __init__(self):
        self.mentions: list[Mention] = []
        self.type: str | None = None
        self.locations: dict[tuple, Location] = {}
        self.dates: dict[tuple, DateRange] = {}
        self.modes_asserted: set[str] = set()     # modes of the non-anaphoric mentions
        self.modes: set[str] = set()              # modes of all mentions
        self.lemmas: set[str] = set()
        self.actor_sets: set[frozenset] = set()   # the named actors of each mention that has any

    def add(self, m: Mention) -> None:
        self.mentions.append(m)
        self.type = m.plover_type
        if m.location is not None:
            loc = m.location
            self.locations.setdefault((loc.country, loc.precision, loc.feature, loc.name, loc.lat, loc.lon), loc)
        if m.date is not None:
            self.dates.setdefault((m.date.start, m.date.end, m.date.inferred), m.date)
        if m.plover_mode:
            self.modes.add(m.plover_mode)
            if not m.anaphoric:
                self.modes_asserted.add(m.plover_mode)
        self.lemmas.add(_lemma(m))
        named = frozenset(x.name for x in m.actors if is_named(x))
        if named:
            self.actor_sets.add(named)

    def compatible(self, m: Mention) -> bool:
        if self.type != m.plover_type:
            return False
        if m.location is not None and not all(locations_compatible(o, m.location) for o in self.locations.values()):
            return False
        if m.date is not None and not all(dates_compatible(o, m.date) for o in self.dates.values()):
            return False
        if m.plover_mode is not None and not m.anaphoric and any(x != m.plover_mode for x in self.modes_asserted):
            return False
        named = {x.name for x in m.actors if is_named(x)}
        if named and any(not (s & named) for s in self.actor_sets):
            return False
        return True

    def same_word(self, m: Mention) -> bool:
        return _lemma(m) in self.lemmas or bool(m.plover_mode and m.plover_mode in self.modes)


def _lemma(m: Mention) -> str:
    return m.trigger.text.lower().split()[-1].rstrip("s")


def merge_article(pairs: list[tuple[Mention, object]], article_id: str, published: dt.date | None,
                  source: str | None, clean_text: str) -> tuple[list[Event], list[EventLink]]:
    groups: list[list[Mention]] = []
    owner: dict[int, int] = {}           # id(mention) -> group index
    anaphor_only = {id(m) for m, t in pairs if t.entry.anaphor}
    link_pairs = _raw_links(pairs, clean_text)
    forbidden_with: dict[int, set[int]] = {}
    for a, b, _ in link_pairs:
        forbidden_with.setdefault(id(a), set()).add(id(b))
        forbidden_with.setdefault(id(b), set()).add(id(a))
    members: list[set[int]] = []        # ids of the original mentions in each group (links refer to those)
    summaries: list[_Group] = []
    by_type: dict[str, list[int]] = {}  # blocking: only groups of the mention's type can take it
    for orig, _t in pairs:
        m = orig
        if m.aux_mode in DROP_MODES or m.generic:
            continue
        if published and m.date and not m.date.inferred and m.date.end < published - BACKGROUND_AGE:
            continue
        if m.aux_mode == "threatened":
            m = m.model_copy(update={"plover_type": "THREATEN", "acled_event_type": None,
                                     "acled_sub_event_type": None, "cameo": "13"})
        forbidden = forbidden_with.get(id(orig), set())
        best = None
        for gi in by_type.get(m.plover_type, ()):
            g = summaries[gi]
            if forbidden & members[gi] or not g.compatible(m):
                continue
            key = (g.same_word(m), len(g.mentions), gi)
            if best is None or key > best[0]:
                best = (key, gi)
        if best is not None:
            gi = best[1]
        elif id(orig) in anaphor_only:
            continue
        else:
            groups.append([])
            members.append(set())
            summaries.append(_Group())
            gi = len(groups) - 1
            by_type.setdefault(m.plover_type, []).append(gi)
        groups[gi].append(m)
        summaries[gi].add(m)
        members[gi].add(id(orig))
        owner[id(orig)] = gi
    events = [fuse(f"{article_id}-e{i + 1}", g, published, source) for i, g in enumerate(groups)]
    # precision over volume: a verbal event with nobody doing it says nothing
    keep = [i for i, e in enumerate(events) if not (e.plover_type in VERBAL and not e.actors)]
    remap = {old: new for new, old in enumerate(keep)}
    events = [events[i] for i in keep]
    owner = {k: remap[v] for k, v in owner.items() if v in remap}
    links = []
    seen = set()
    for a, b, (rel, span) in link_pairs:
        ga, gb = owner.get(id(a)), owner.get(id(b))
        if ga is None or gb is None or ga == gb or (ga, gb, rel) in seen:
            continue
        seen.add((ga, gb, rel))
        links.append(EventLink(source=events[ga].id, target=events[gb].id, relation=rel, evidence=span,
                               article_id=article_id))
    return events, links


def _raw_links(pairs, clean_text: str):
    """(mention A, mention B, (relation, evidence)) where A's sentence says A was in retaliation for B."""
    out = []
    by_sent: dict[int, list[Mention]] = {}
    for m, _ in pairs:
        by_sent.setdefault(m.sentence, []).append(m)
    for ms in by_sent.values():
        ms = sorted(ms, key=lambda m: m.trigger.start)
        for i, a in enumerate(ms):
            for b in ms[i + 1:]:
                between = clean_text[a.trigger.end:b.trigger.start]
                if len(between) > 80:
                    continue
                s = a.sentence_span
                rel = next((rel for rx, rel in LINK_CUES if rx.search(between)), None)
                if rel is None and a.plover_type in ABOUT_RELATIONS and b.nominal and b.plover_type != a.plover_type \
                        and len(between) <= 40 and not re.search(r"[.;:!?]", between):
                    rel = ABOUT_RELATIONS[a.plover_type]
                if rel is not None:
                    out.append((a, b, (rel, Span(start=s.start, end=s.end, text=s.text))))
    return out
