"""Roles stage: actors (who did it) and recipients (to whom) for each event mention,
read from the parse and coded with the actor dictionary."""

from __future__ import annotations

import re
from functools import lru_cache

from . import pronouns
from .phrases import np_span
from .actors import ActorDictionary
from .lexicon import data_toml
from .events import DEMAND_HEADS, Trigger
from .reporting import SPEECH
from .salience import is_target, participant_noun
from .schema import Actor, Mention, Span

REL_PRONOUNS = pronouns.RELATIVE
PRONOUNS = pronouns.NON_NAMING
LOC_PREPS = {"in", "near", "at", "inside", "outside", "across", "around", "along", "into", "throughout", "within"}
TARGET_PREPS = {"on", "against", "targeting", "at", "upon"}
FACILITY_NOUNS = {"facility", "base", "position", "depot", "headquarters", "camp", "building", "site", "warehouse",
                  "compound", "convoy", "vehicle", "checkpoint", "post", "infrastructure", "target", "stronghold",
                  "hideout", "office", "outpost", "installation", "asset", "interest", "point", "storage", "arsenal"}
UNIDENTIFIED_RE = re.compile(
    r"\b(?:not (?:yet )?(?:been )?(?:determined|identified|established|known|clear)|unclear who|unknown who|"
    r"no (?:group|one|organi[sz]ation) (?:has |had )?(?:yet )?(?:claimed|taken responsibility)|"
    r"(?:unidentified|unknown) (?:gunmen|assailants|attackers|men|armed men|group))", re.I)
DROP_DEPS = {"relcl", "acl", "appos", "punct", "cc", "advcl"}
VIOLENT = {"ASSAULT"}
LIGHT_EVENT_VERBS = {"launch", "carry", "conduct", "stage", "mount", "execute", "perpetrate", "commit", "unleash",
                     "order", "begin", "start", "continue", "intensify", "step", "escalate", "resume", "undertake",
                     "lead", "organise", "organize", "hold", "make", "sign", "impose", "announce", "deliver", "send",
                     "provide", "issue", "claim"}


def np_bounds(tok) -> tuple[int, int]:
    """Token range [start, end) of the noun phrase headed by tok (:func:`.phrases.np_span`)."""
    return np_span(tok)


def _span(sent, doc, a: int, b: int) -> Span:
    s = sent.base + doc[a].idx
    e = sent.base + doc[b - 1].idx + len(doc[b - 1].text)
    return Span(start=s, end=e, text=doc[a:b].text)


def code_np(tok, sent, actors: ActorDictionary, *, search_right: bool = False) -> list[Actor]:
    """Actors named in the NP headed by tok (coordination included); named ones first."""
    if tok is None or tok.lower_ in PRONOUNS or tok.lower_ in REL_PRONOUNS:
        return []
    doc = tok.doc
    heads = [tok] + [c for c in tok.conjuncts if c.i > tok.i]
    out: list[Actor] = []
    for h in heads:
        a, b = np_bounds(h)
        found = _named_in(sent, doc, a, b, actors)
        if not found and not _codes_itself(h, doc, a, b, actors):
            # facilities "belonging to X" / "used by X": the whole subtree (not for a phrase that names its
            # party itself: "protesters waving EU flags" are protesters, not the EU)
            sub = list(h.subtree)
            found = _named_in(sent, doc, sub[0].i, sub[-1].i + 1, actors)
        if not found and h.lemma_.lower() in FACILITY_NOUNS and search_right:
            found = _named_in(sent, doc, h.i, sent.span.end, actors)
        if found:
            out.extend(found)
            continue
        text = _without_places(doc, a, b)
        actor = actors.code(text, head=h.lemma_.lower())
        if actor is not None:
            out.append(actor.model_copy(update={"span": _span(sent, doc, a, b)}))
            continue
        named = _unknown_entity(h, sent, actors, a, b)
        if named is not None:
            out.append(named)
    return out


def _codes_itself(h, doc, a: int, b: int, actors: ActorDictionary) -> bool:
    """The phrase names an identified party by its own words ('protesters', 'the police')."""
    coded = actors.code(doc[a:b].text, head=h.lemma_.lower())
    return coded is not None and not coded.unidentified


NAMED_LABELS = {"PERSON"}   # organisations the NER finds are too often places ("eastern Ghouta")


def _unknown_entity(h, sent, actors: ActorDictionary, a: int, b: int) -> Actor | None:
    """A person the actor dictionary does not know is still an actor, named as written;
    its sector comes from a title or an apposition the dictionary knows ('Jane Roe, a local activist')."""
    ents = [e for e in h.doc.ents if e.label_ in NAMED_LABELS and a <= e.start and e.end <= b]
    if not ents:
        return None
    ent = max(ents, key=lambda e: e.end - e.start)
    sector = None
    for c in list(h.children) + [t for t in h.doc[a:ent.start]]:
        if c.dep_ == "appos" or c.i < ent.start:
            lo, hi = np_bounds(c) if c.dep_ == "appos" else (c.i, c.i + 1)
            coded = actors.code(h.doc[lo:hi].text, head=c.lemma_.lower())
            if coded is not None and coded.sector:
                sector = coded.sector
                break
    return Actor(text=ent.text, name=ent.text, sector=sector, span=_span(sent, h.doc, ent.start, ent.end))


def _without_places(doc, a: int, b: int) -> str:
    """The phrase's text with its locative and origin phrases blanked ('cocaine hidden in a shipment of
    bananas from Ecuador' names no party): what a phrase is coded as comes from its own words."""
    text = doc[a:b].text
    spans = _locative_chars(doc, a, b, extra=("from",))
    if not spans:
        return text
    chars = list(text)
    for s, e in spans:
        chars[s:e] = " " * (e - s)
    return "".join(chars)


def _locative_chars(doc, a: int, b: int, extra: tuple = ()) -> list[tuple[int, int]]:
    """Char ranges (relative to token a) of locative phrases ("in Syria") inside tokens a..b."""
    out = []
    for t in doc[a:b]:
        if t.dep_ == "prep" and (t.lower_ in LOC_PREPS or t.lower_ in extra):
            sub = list(t.subtree)
            out.append((sub[0].idx - doc[a].idx, sub[-1].idx + len(sub[-1].text) - doc[a].idx))
    return out


def _named_in(sent, doc, a: int, b: int, actors: ActorDictionary) -> list[Actor]:
    base_char = doc[a].idx
    text = doc[a:b].text
    loc = _locative_chars(doc, a, b)
    out = []
    for s, e, actor in actors.find(text):
        if actor.unidentified:
            continue
        # "in Syria" is where, not who: a state named inside a locative phrase is no role filler
        if actor.sector in (None, "GOV") and any(ls <= s < le for ls, le in loc):
            continue
        start = sent.base + base_char + s
        out.append(actor.model_copy(update={"span": Span(start=start, end=sent.base + base_char + e, text=text[s:e])}))
    return out


def subject(verb, *, verbal_heads_only: bool = False, through_acl: bool = False):
    """The doer of ``verb``: its subject, the agent of a passive, the controller of "decided to
    send" or of a conjoined verb, or the noun a relative clause modifies. The classifier climbs
    only through verbal heads and also through ``acl`` clauses (its keyword options)."""
    own = _own_subject(verb)
    if own is not None:
        return _text_source(own) or own
    agent = _agent_of(verb)
    if agent is not None:
        return agent
    # controlled verbs: "decided to send" -> the subject of "decided"; conjoined verbs share it
    if verb.dep_ in ("xcomp", "conj", "advcl", "dep") and verb.head.i != verb.i and (
            not verbal_heads_only or verb.head.pos_ in ("VERB", "AUX")):
        return subject(verb.head, verbal_heads_only=verbal_heads_only, through_acl=through_acl)
    issuer = _issuer(verb)
    if issuer is not None:
        return issuer
    if verb.dep_ in (("relcl", "acl") if through_acl else ("relcl",)) and verb.head.pos_ in ("NOUN", "PROPN") \
            and not _passive_clause(verb):
        return verb.head
    return None


def _passive_clause(verb) -> bool:
    """'a journalist who was shot dead': the noun a passive relative clause modifies is what the act fell
    on, not its doer. (A bare participle stays as it was: 'troops deployed to the border' are PLOVER's
    mobilising party.)"""
    return verb.dep_ == "relcl" and any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)


def _text_source(noun):
    """'a statement from the ministry', 'a resolution adopted by parliament': who a text subject speaks for."""
    if noun.lemma_.lower() not in _role_rules()["instrument_nouns"]:
        return None
    for c in noun.children:
        if c.dep_ == "prep" and c.lower_ in ("from", "by"):
            for p in c.children:
                if p.dep_ == "pobj":
                    return p
        if c.dep_ in ("acl", "relcl") and c.tag_ == "VBN":
            agent = _agent_of(c)
            if agent is not None:
                return agent
    return None


def _own_subject(verb):
    """The verb's own subject child (nsubj, csubj), or None."""
    return next((c for c in verb.children if c.dep_ in ("nsubj", "csubj")), None)


def _agent_of(verb):
    """The doer named by a passive's 'by' phrase ('adopted by parliament'), or None."""
    for c in verb.children:
        if c.dep_ == "agent":
            for p in c.children:
                if p.dep_ == "pobj":
                    return p
    return None


def _issuer(verb):
    """'parliament adopted a resolution calling for ...': who issued the text that ``verb`` (a clause
    on the text's noun) speaks in - the subject of the verb whose object it is, or its passive agent."""
    noun = verb.head
    if verb.dep_ not in ("acl", "relcl") or noun.i == verb.i or \
            noun.lemma_.lower() not in _role_rules()["instrument_nouns"]:
        return None
    if noun.dep_ == "dobj":
        return _own_subject(noun.head)
    if noun.dep_ == "nsubjpass":
        return _agent_of(noun.head)
    return None


def _object(verb):
    for c in verb.children:
        if c.dep_ in ("dobj", "nsubjpass"):
            return c
    for c in verb.children:
        if c.dep_ == "prep" and (c.lower_ in TARGET_PREPS or c.lower_ == "with" and
                                 verb.lemma_.lower() in RECIPROCAL_VERBS):
            for p in c.children:
                if p.dep_ == "pobj" and p.ent_type_ not in ("DATE", "TIME"):     # not "on Friday"
                    return p
    return None


RECIPROCAL_VERBS = {"clash", "fight", "battle", "skirmish", "scuffle", "brawl"}   # 'clashed with police': the other side


@lru_cache(maxsize=1)
def _role_rules() -> dict:
    return data_toml("roles.toml")


def _agentless_state(mention: Mention, trig: Trigger) -> Actor | None:
    """'He was arrested', 'she is charged with fraud': the state acted; its country is filled in later
    from the event's place (state_authorities)."""
    rule = _role_rules()["agentless_state"].get(mention.plover_type)
    tok = trig.token
    if rule is None or not (rule["lemmas"] == ["*"] or tok.lemma_.lower() in rule["lemmas"]):
        return None
    if not trig.nominal and not _is_passive(tok) and tok.tag_ != "VBN":
        return None
    return Actor(text="", name="Authorities", sector=rule["sector"], inter=1, generic=True)


def state_authorities(events, gazetteer) -> None:
    """Name the agentless state actor after the country of the event's place: 'Authorities (Kenya)'; a
    protest whose text names no protester is by 'Protesters (<country>)', as ACLED names them."""
    for e in events:
        if e.plover_type == "PROTEST" and not e.actors and e.location is not None and e.location.country:
            place = gazetteer.country(e.location.country)
            e.actors = [Actor(text="", name=f"Protesters ({place.name})" if place is not None else "Protesters",
                              country=e.location.country, sector="CVL", inter=6, generic=True)]
        for i, a in enumerate(e.actors):
            if a.name == "Authorities" and not a.text and e.location is not None and e.location.country:
                place = gazetteer.country(e.location.country)
                name = f"Authorities ({place.name})" if place is not None else a.name
                e.actors[i] = a.model_copy(update={"name": name, "country": e.location.country})


CLAIM_VERBS = {"claim", "admit", "accept"}
CLAIM_OBJECTS = {"responsibility", "credit"}


def claimed_responsibility(events, analysis, actors: ActorDictionary) -> None:
    """'Al-Shabab claimed responsibility for the attack': the claimant is the actor of the latest attack
    told before (or in) that sentence whose doer the text had not identified."""
    violent = [e for e in events if e.plover_type == "ASSAULT"]
    if not violent:
        return
    for sent in analysis.sentences:
        for tok in sent.span:
            if tok.pos_ != "VERB" or tok.lemma_.lower() not in CLAIM_VERBS or not any(
                    c.dep_ == "dobj" and c.lemma_.lower() in CLAIM_OBJECTS for c in tok.children):
                continue
            claimants = [a for a in code_np(subject(tok), sent, actors) if not a.unidentified and not a.generic]
            if not claimants:
                continue
            before = [e for e in violent if min(m.sentence for m in e.mentions) <= sent.index]
            if not before:
                continue
            target = max(before, key=lambda e: min(m.sentence for m in e.mentions))
            if all(a.unidentified or a.generic for a in target.actors):
                target.actors = claimants


REPORTED_SELF = {"it", "they", "we"}
REPORTING_VERBS = SPEECH          # data/reporting.toml


def _reporter(verb, sent, actors: ActorDictionary) -> list[Actor]:
    """'The army command says it has regained the towns': 'it' in a clause a reporting verb governs is
    the reporter itself."""
    head = verb
    while head.dep_ in ("conj", "xcomp") and head.head.i != head.i:
        head = head.head
    if head.dep_ != "ccomp" or head.head.lemma_.lower() not in REPORTING_VERBS:
        return []
    rep = next((c for c in head.head.children if c.dep_ == "nsubj"), None)
    return code_np(rep, sent, actors) if rep is not None and rep.lower_ not in PRONOUNS else []


def _target_token(trig: Trigger):
    """The object of the event word: what the action fell on ('hit a market', 'a strike on their base')."""
    tok = trig.token
    if not trig.nominal:
        cand = _object(tok)
    else:
        cand = next((p for c in tok.children if c.dep_ == "prep" and c.lower_ in TARGET_PREPS
                     for p in c.children if p.dep_ == "pobj"), None)
        if cand is None and trig.role_verb is not None:
            cand = _object(trig.role_verb)
            cand = None if cand is not None and cand.i == tok.i else cand
    for v in trig.extra:
        if cand is None and v.pos_ == "VERB":
            cand = _object(v)
    # 'took control of the village', 'seized control over the airport': what was taken is the target
    if cand is not None and cand.lemma_.lower() in CONTROL_NOUNS:
        cand = next((p for c in cand.children if c.dep_ == "prep" and c.lower_ in ("of", "over")
                     for p in c.children if p.dep_ == "pobj"), cand)
    return cand


CONTROL_NOUNS = {"control", "possession", "command"}


def _is_passive(verb) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)


class ActorMemory:
    """In-article coreference for actors: "they", "it", "the militia", "the group" -> the last
    named actor that fits, within a few sentences."""

    WINDOW = 3
    DEFINITE = {"group", "militia", "rebels", "insurgents", "militants", "organisation", "organization",
                "movement", "army", "military", "government", "alliance", "authorities", "regime", "forces",
                "fighters", "jihadists", "bloc", "union", "administration", "ministry", "police"}

    PERSON_PRONOUNS = pronouns.PERSON

    def __init__(self):
        self.seen: list[tuple[int, Actor]] = []
        self.persons: list[tuple[int, Actor]] = []
        self._in_order = {"seen": True, "persons": True}   # remembered in sentence order?

    def remember_persons(self, sent, found: list[Actor]) -> None:
        """Actors that are named persons, for 'he', 'him', 'she', 'her'."""
        ents = [(sent.base + e.start_char, sent.base + e.end_char) for e in sent.span.ents if e.label_ == "PERSON"]
        for a in found:
            if a.span is not None and any(lo <= a.span.start < hi or a.span.start <= lo < a.span.end
                                          for lo, hi in ents):
                if self.persons and sent.index < self.persons[-1][0]:
                    self._in_order["persons"] = False
                self.persons.append((sent.index, a))

    def remember(self, sentence: int, found: list[Actor]) -> None:
        for a in found:
            if not a.generic and not a.unidentified and (a.country or a.sector):
                if self.seen and sentence < self.seen[-1][0]:
                    self._in_order["seen"] = False
                self.seen.append((sentence, a))

    def _recent(self, index: int, which: str = "seen") -> list[Actor]:
        """The remembered actors of the last WINDOW sentences up to ``index``, latest first;
        the scan stops at the window's edge when they were remembered in sentence order
        (linear cost in long articles)."""
        out = []
        in_order = self._in_order[which]
        for s, a in reversed(getattr(self, which)):
            d = index - s
            if 0 <= d <= self.WINDOW:
                out.append(a)
            elif d > self.WINDOW and in_order:
                break
        return out

    def resolve(self, tok, sent, actors: ActorDictionary) -> list[Actor]:
        """The antecedent of a pronoun or definite description headed by tok, or []."""
        word = tok.lower_
        if word in self.PERSON_PRONOUNS:
            recent = self._recent(sent.index, "persons")
            if not recent:
                return []
            start = sent.base + tok.idx
            return [recent[0].model_copy(update={"text": tok.text,
                                                 "span": Span(start=start, end=start + len(tok.text), text=tok.text)})]
        recent = self._recent(sent.index)
        if word in ("they", "it"):
            want = None
        elif word in self.DEFINITE and any(c.lower_ in ("the", "this", "that") for c in tok.children) \
                and not any(c.dep_ in ("compound", "amod", "poss") for c in tok.children):
            coded = actors.code(tok.text, head=tok.lemma_.lower())
            want = coded.sector if coded else None
        else:
            return []
        for a in recent:
            if word == "it" and a.sector in ("CVL",):
                continue
            if want is None or a.sector == want or (want in ("REB", "MIL_PRO") and a.sector in ("REB", "MIL_PRO")) \
                    or (want == "MIL" and a.sector is None and a.country):
                start = sent.base + tok.idx
                return [a.model_copy(update={"text": tok.text,
                                             "span": Span(start=start, end=start + len(tok.text), text=tok.text)})]
        return []


def fill_roles(mention: Mention, trig: Trigger, actors: ActorDictionary, nominal_by_tok: dict[int, Trigger],
               memory: ActorMemory | None = None) -> None:
    tok = trig.token
    sent = trig.sent
    acts: list[Actor] = []
    recs: list[Actor] = []
    if not trig.nominal:
        subj = subject(tok)
        elliptic_passive = tok.dep_ == "conj" and _is_passive(tok.head) and not any(
            c.dep_ == "dobj" for c in tok.children)
        between = None
        if subj is not None and subj.i in nominal_by_tok and subj.i != tok.i:
            # "the attack killed ...": whoever carried it out; "protesters clashed ...": the protesters;
            # "fighting between X and Y killed ...": X and Y are its two sides (the dead are its toll)
            between = _between_parties(nominal_by_tok[subj.i].token, sent, actors)
            acts = between[0] if between else (
                _nominal_actor(nominal_by_tok[subj.i].token, sent, actors) or code_np(subj, sent, actors))
        elif subj is not None and not elliptic_passive and not (_is_passive(tok) and subj.dep_ == "nsubjpass"):
            acts = code_np(subj, sent, actors)
            if not acts and subj.lower_ in REPORTED_SELF:
                acts = _reporter(tok, sent, actors)      # 'the army says it has regained ...'
            if memory is not None and (not acts or all(a.generic for a in acts)):
                acts = memory.resolve(subj, sent, actors) or acts
        obj = _object(tok) if between is None else None
        if between is not None:
            recs = between[1]
        elif obj is None:
            # "vowed to fight the U.S.", "threatened to strike Israel": the party of the complement verb
            comp = next((c for c in tok.children if c.dep_ == "xcomp" and c.pos_ == "VERB"), None)
            obj = _object(comp) if comp is not None else None
            if obj is None and tok.lemma_.lower() in DEMAND_HEADS:
                # "demanded that foreign troops leave", "called for the army to return": who is asked to act
                comp = next((c for c in tok.children if c.dep_ in ("ccomp", "advcl") and c.pos_ in ("VERB", "AUX")),
                            None)
                obj = next((c for c in comp.children if c.dep_ == "nsubj"), None) if comp is not None else None
        if obj is not None and obj.i in nominal_by_tok:
            # "condemned the rocket attack": the target is whoever carried the attack out
            recs = _nominal_actor(obj, sent, actors) or (code_np(obj, sent, actors) if participant_noun(obj) else [])
            if not recs and sent.has(UNIDENTIFIED_RE):
                recs = [Actor(text="", name="Unidentified armed group", unidentified=True, sector="UNK", inter=3)]
        elif obj is not None:
            recs = code_np(obj, sent, actors, search_right=True)
    else:
        acts = _nominal_actor(tok, sent, actors)
        between = _between_parties(tok, sent, actors)     # 'clashes between his supporters and police'
        if between is not None and not acts:
            acts, recs = between
        verb = trig.role_verb
        if verb is not None and not acts and tok.dep_ in ("dobj", "attr"):
            # "Houthi forces fired missiles": the subject of the verb the trigger is the object of
            subj = subject(verb)
            if subj is not None and subj.i != tok.i:
                acts = code_np(subj, sent, actors)
                if memory is not None and (not acts or all(a.generic for a in acts)):
                    acts = memory.resolve(subj, sent, actors) or acts
        if verb is not None and not recs:
            obj = _object(verb)
            if obj is not None and obj.i != tok.i:
                recs = code_np(obj, sent, actors, search_right=True)
        if not recs:
            for c in tok.children:
                if c.dep_ in ("prep", "acl") and c.lower_ in TARGET_PREPS | {"targeting", "of"}:
                    for p in c.children:
                        if p.dep_ in ("pobj", "dobj"):
                            recs = code_np(p, sent, actors, search_right=True)
        for v in trig.extra:   # "a rocket attack that killed a contractor": victims of folded verbs
            if v.pos_ == "VERB" and not recs:
                obj = _object(v)
                if obj is not None and obj.i != tok.i:
                    recs = code_np(obj, sent, actors)
        # "launched an attack": the subject of a light verb did it (not of "condemned the attack")
        if not acts and tok.dep_ in ("dobj", "nsubjpass") and tok.head.lemma_.lower() in LIGHT_EVENT_VERBS:
            subj = subject(tok.head)
            if subj is not None and subj.i != tok.i:
                acts = code_np(subj, sent, actors)
    # the actor is never also the recipient
    names = {a.name for a in acts}
    recs = [r for r in recs if r.name not in names]
    if mention.plover_type in VIOLENT and sent.has(UNIDENTIFIED_RE) and not any(
            a.country or a.sector in ("MIL", "POL", "GOV") for a in acts if not a.unidentified):
        acts = [Actor(text="", name="Unidentified armed group", unidentified=True, sector="UNK", inter=3)]
    if not acts:
        state = _agentless_state(mention, trig)
        acts = [state] if state is not None else acts
    obj_tok = _target_token(trig)
    if not recs and memory is not None and obj_tok is not None and obj_tok.lower_ in ActorMemory.PERSON_PRONOUNS:
        recs = memory.resolve(obj_tok, sent, actors)       # 'released him'
    mention.actors = _dedup(acts)
    mention.recipients = _dedup(recs)
    if not recs:
        tgt = obj_tok
        if tgt is not None and is_target(tgt):
            a, b = np_bounds(tgt)
            mention.target = _span(sent, tgt.doc, a, b)
    if memory is not None:
        memory.remember(sent.index, mention.actors + mention.recipients)
        memory.remember_persons(sent, mention.actors + mention.recipients)


def _between_parties(tok, sent, actors: ActorDictionary) -> tuple[list[Actor], list[Actor]] | None:
    """'clashes between X and Y', 'fighting between X and Y': X the actor, Y the other side."""
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ == "between":
            p = next((x for x in c.children if x.dep_ == "pobj"), None)
            others = [x for x in p.conjuncts if x.i > p.i] if p is not None else []
            if p is None or not others:
                return None
            first = code_np(p, sent, actors)
            cut = sent.base + others[0].left_edge.idx
            acts = [a for a in first if a.span is None or a.span.start < cut]
            recs = [a for a in first if a.span is not None and a.span.start >= cut]
            return (acts, recs) if acts and recs else None
    return None


def _nominal_actor(tok, sent, actors: ActorDictionary) -> list[Actor]:
    """'a US air strike', 'Russia's attack', 'an attack by gunmen'."""
    out: list[Actor] = []
    doc = tok.doc
    for c in tok.children:
        if c.dep_ == "poss" and c.lower_ not in PRONOUNS and c.lower_ not in ("its", "their", "his", "her"):
            out.extend(code_np(c, sent, actors))
        elif c.dep_ in ("compound", "amod", "nmod") and c.i < tok.i:
            a, b = c.left_edge.i, c.i + 1
            named = _named_in(sent, doc, a, b, actors)
            iso = actors.country_of_demonym(c.text) if not named and c.pos_ in ("ADJ", "PROPN") else None
            if iso:
                named = [Actor(text=c.text, name=actors.country_name(iso) or iso, country=iso, inter=1,
                               span=_span(sent, doc, c.i, c.i + 1))]
            out.extend(named)
        elif c.dep_ == "prep" and c.lower_ in ("by", "from"):
            for p in c.children:
                if p.dep_ == "pobj":
                    out.extend(code_np(p, sent, actors))
        elif c.dep_ == "agent":
            for p in c.children:
                if p.dep_ == "pobj":
                    out.extend(code_np(p, sent, actors))
    return out


def _dedup(actors: list[Actor]) -> list[Actor]:
    seen = set()
    out = []
    for a in actors:
        key = (a.name, a.country)
        if key in seen:
            continue
        seen.add(key)
        out.append(a)
    return out


def read_phrases(mention: Mention, trig: Trigger) -> None:
    """The actor and recipient phrases of a typed mention as written, read from the parse
    by the role reader (:mod:`.snippet_roles`: subject, agent, possessor, object, the party
    a thing goes to, the addressee of a demand, ...), whether the dictionary codes them or
    not."""
    from .snippet_roles import demand_roles, phrase_head, roles as read_roles

    head = phrase_head(trig.start_token, trig.token) if trig.nominal else trig.token
    a, b = read_roles(head, trig.nominal, trig.token.i if head is not trig.token else None)
    if mention.plover_type == "REQUEST" and mention.aux_mode in ("future", "hypothetical") and not trig.nominal:
        a, b = demand_roles(trig.token, a, b)
    doc = trig.token.doc
    mention.actor_phrase = _span(trig.sent, doc, *a) if a else None
    mention.recipient_phrase = _span(trig.sent, doc, *b) if b else None
