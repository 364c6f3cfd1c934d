"""Salience stage: which candidate events the article reports as events.

An event is written only with evidence of its participants (data/salience.toml): a dyadic
PLOVER type needs an identified actor and a recipient; a monadic type (MOBILIZE,
RETREAT) needs an actor or a stated place; an ASSAULT needs a target (an actor, or a thing
the roles stage found it fell on: Mention.target) or a stated toll; a
PROTEST names its own actor.
Reads: Event.actors, recipients, location, counts. Writes: the kept events, and the links
between kept events only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .lexicon import data_toml
from .schema import Actor, Event, EventLink


@dataclass(frozen=True)
class SalienceRules:
    implicit_actor: frozenset[str]
    monadic: frozenset[str]
    target_counts: frozenset[str]
    target_nouns: frozenset[str]
    target_entities: frozenset[str]
    ambiguous_assault: frozenset[str]
    measure_nouns: frozenset[str]
    ambiguous_protest: frozenset[str]
    participant_nouns: frozenset[str]
    protest_re: re.Pattern
    non_political_causes: frozenset[str]
    vehicle_causes: frozenset[str]
    violence_re: re.Pattern
    published_objects: frozenset[str] = frozenset()
    sport_re: re.Pattern | None = None
    sport_violence_words: frozenset[str] = frozenset()

    @classmethod
    @lru_cache(maxsize=1)
    def default(cls) -> "SalienceRules":
        return cls.load()

    @classmethod
    def load(cls, path: str | Path | None = None) -> "SalienceRules":
        d = data_toml("salience.toml", path)
        return cls(implicit_actor=frozenset(d["implicit_actor"]), monadic=frozenset(d["monadic"]),
                   target_counts=frozenset(d["target_counts"]), target_nouns=frozenset(d["target_nouns"]),
                   target_entities=frozenset(d["target_entities"]),
                   ambiguous_assault=frozenset(d["ambiguous_assault"]),
                   measure_nouns=frozenset(d["measure_nouns"]),
                   ambiguous_protest=frozenset(d["ambiguous_protest"]),
                   participant_nouns=frozenset(d["participant_nouns"]),
                   protest_re=re.compile(r"\b(?:" + "|".join(re.escape(w) for w in d["protest_context"]) + ")", re.I),
                   non_political_causes=frozenset(d["non_political_causes"]),
                   vehicle_causes=frozenset(d["vehicle_causes"]),
                   violence_re=re.compile(r"\b(?:" + "|".join(re.escape(w) for w in d["violence_context"]) + ")",
                                          re.I),
                   published_objects=frozenset(d["published_objects"]),
                   sport_re=re.compile(r"\b(?:" + "|".join(re.escape(w) for w in d["sport_context"]) + r")\b", re.I),
                   sport_violence_words=frozenset(d["sport_violence_words"]))


def is_target(tok, rules: SalienceRules | None = None) -> bool:
    """Can this object of an event word be what an attack fell on? ('a market', 'Kharkiv';
    not 'the jackpot', 'two apartment fires')."""
    rules = rules or SalienceRules.default()
    return (tok.ent_type_ in rules.target_entities or tok.pos_ == "PROPN"
            or tok.lemma_.lower() in rules.target_nouns)


def publication(tok, rules: SalienceRules | None = None) -> bool:
    """'released a report', 'a video was released', 'the release of the figures': 'release' of a publication,
    not of people or property (no concession)."""
    rules = rules or SalienceRules.default()
    if tok.lemma_.lower() != "release":
        return False
    objs = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]
    objs += [p for c in tok.children if c.dep_ == "prep" and c.lower_ == "of" for p in c.children if p.dep_ == "pobj"]
    if tok.dep_ in ("acl", "relcl") and tok.tag_ == "VBN":    # 'a report released on Monday'
        objs.append(tok.head)
    return any(o.lemma_.lower() in rules.published_objects for o in objs)


def measure_subject(tok, rules: SalienceRules | None = None) -> bool:
    """An ambiguous ASSAULT word ('target', 'hit') whose subject is a measure, not a party: 'the measures
    target Iranian companies', 'sanctions hit the economy'."""
    rules = rules or SalienceRules.default()
    if tok.lemma_.lower() not in rules.ambiguous_assault:
        return False
    return any(c.dep_ in ("nsubj", "csubj") and c.lemma_.lower() in rules.measure_nouns for c in tok.children)


def participant_noun(tok, rules: SalienceRules | None = None) -> bool:
    """A noun that names the people of an event ('protesters', 'demonstrators'), not the event."""
    rules = rules or SalienceRules.default()
    return tok.lemma_.lower() in rules.participant_nouns or tok.lower_ in rules.participant_nouns


def protest_sense(lemma: str, sentence: str, trigger: tuple[int, int],
                  rules: SalienceRules | None = None) -> bool:
    """An ambiguous PROTEST word ('gathered', 'a gathering') is a protest only with a word of protest
    elsewhere in its sentence ('gathered outside parliament', not 'gathering for assembly')."""
    rules = rules or SalienceRules.default()
    if lemma not in rules.ambiguous_protest:
        return True
    a, b = trigger
    return bool(rules.protest_re.search(sentence[:a] + " " + sentence[b:]))


def violent_sense(lemma: str, sentence: str, trigger: tuple[int, int],
                  rules: SalienceRules | None = None) -> bool:
    """An ambiguous ASSAULT word ('hit', 'battle', 'targeted') is violence only with a word of violence
    elsewhere in its sentence."""
    rules = rules or SalienceRules.default()
    if lemma not in rules.ambiguous_assault:
        return True
    a, b = trigger
    rest = sentence[:a] + " " + sentence[b:]
    if rules.sport_re is not None and rules.sport_re.search(rest):
        # a sentence about a game: 'shot', 'blast', 'offensive' ... are the game's words
        return any(_word_at(rest, m.start()).lower() not in rules.sport_violence_words
                   for m in rules.violence_re.finditer(rest))
    return bool(rules.violence_re.search(rest))


_WORD_AT = re.compile(r"[\w-]+")


def _word_at(text: str, start: int) -> str:
    """The whole word that starts at ``start`` (a stem match's word: 'gunmen' for 'gun')."""
    m = _WORD_AT.match(text, start)
    return m.group(0) if m else ""


def non_political_cause(tok, rules: SalienceRules | None = None) -> bool:
    """'A fire killed three', 'died in a car crash', 'was stabbed in a robbery', 'a lorry hit a cyclist':
    the harm has an accidental, natural or criminal cause named as its subject, agent or setting."""
    rules = rules or SalienceRules.default()
    causes = rules.non_political_causes
    direct = causes | rules.vehicle_causes       # the subject or agent of the harm word itself
    # the word itself and the verbs it is coordinated with ("were killed and hundreds displaced after ...")
    heads = [tok] + [c for c in tok.conjuncts]
    if tok.dep_ in ("acl", "relcl") and tok.head.lemma_.lower() in causes:
        return True         # "after an avalanche hit their group", "a lorry that hit a cyclist"
    def cause(t, words) -> bool:
        return t.lemma_.lower() in words and not _armed(t, rules)

    for h in heads:
        for c in h.children:
            if c.dep_ in ("nsubj", "csubj") and cause(c, direct):
                return True
            if c.dep_ in ("agent", "prep") and c.lower_ in CAUSE_PREPS:
                if any(p.dep_ == "pobj" and cause(p, direct) for p in c.children):
                    return True
            # "killed after flash floods swept through villages", "died when a lorry hit their car"
            if c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in CAUSE_MARKS for m in c.children) \
                    and any(s.dep_ in ("nsubj", "nsubjpass") and cause(s, causes) for s in c.children):
                return True
    return False


def _armed(t, rules: SalienceRules) -> bool:
    """'Israeli fire', 'sniper fire', 'army trucks': a cause word whose modifier names an armed party or a
    weapon is violence, not an accident."""
    for m in t.children:
        if m.dep_ in ("amod", "compound", "poss", "nmod") and (
                m.ent_type_ in ("NORP", "GPE", "ORG") or rules.violence_re.search(m.text)):
            return True
    return False


CAUSE_PREPS = ("by", "in", "during", "after", "from", "amid")
CAUSE_MARKS = ("after", "when", "as", "because")


def _private_person(a: Actor) -> bool:
    """A person named as written whom nothing places in a state, a group or a sector: 'John Smith'."""
    return not (a.unidentified or a.generic or a.country or a.sector) and a.span is not None \
        and len(a.name.split()) >= 2


def _known(actors: list[Actor]) -> bool:
    return any(not a.unidentified for a in actors)


def drop_reason(ev: Event, rules: SalienceRules | None = None) -> str | None:
    """Why a candidate is not written as an event, or None to keep it."""
    rules = rules or SalienceRules.default()
    if ev.plover_type in rules.implicit_actor:
        return None
    has_actor = _known(ev.actors)
    has_target = (bool(ev.recipients) or any(m.target is not None for m in ev.mentions)
                  or any(c.kind in rules.target_counts and c.value for c in ev.counts))
    stated_place = ev.location is not None and ev.location.span is not None
    if ev.plover_type in rules.monadic:
        return None if has_actor or stated_place else "no actor and no stated place"
    if ev.plover_type == "ASSAULT":
        if ev.actors and ev.recipients and all(_private_person(a) for a in ev.actors + ev.recipients):
            return "violence between private persons (ordinary crime)"
        return None if has_target else "no target and no casualties"
    if not has_actor:
        return "no identified actor"
    if not has_target:
        return "no recipient"
    return None


def select(events: list[Event], links: list[EventLink],
           rules: SalienceRules | None = None) -> tuple[list[Event], list[EventLink]]:
    kept = [e for e in events if drop_reason(e, rules) is None]
    ids = {e.id for e in kept}
    return kept, [l for l in links if l.source in ids and l.target in ids]
