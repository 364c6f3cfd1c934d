"""The ACLED / CASE 2021 sub-event code of an event mention (called by the typing stage,
:mod:`wirecoder.classify`, over the mention's sentence, or its paragraph for the main event).

The main event's trigger gives a code (or its PLOVER type does, through ``TYPE_ACLED``);
cues (``[[acled_cue]]`` in ``data/triggers.toml``) can override it, and the parse
decides the splits that words alone cannot: armed clash or attack (who fights whom),
who takes territory (a place, not a captured commander), whether the violence is a mob's,
and which kind of protest it was. Acts by or on protesters are protest events; what a
protest demands or is about (a road accident, police violence last month) is blanked out
before the protest kind is read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .lexicon import Lexicon
from .analyse import doc_actors
from .phrases import lemma as _lemma
from .phrases import np_span as _np_span
from .snippet_roles import PLACE_HEADS, role_tokens, verb_subject

if TYPE_CHECKING:
    from .classify import Typed

# --------------------------------------------------------------------------- cue tables


@dataclass(frozen=True)
class Cue:
    code: str
    pattern: re.Pattern
    weight: float
    when: frozenset
    sent_penalty: float = 0.5


def _context_res(lex: Lexicon) -> list:
    """(context, one pattern for all its words, not after 'anti-') in the lexicon's order,
    compiled once per lexicon: a match of the pattern is a match of one of the words."""
    cached = getattr(lex, "_compiled_acled_contexts", None)
    if cached is None or cached[0] is not lex.contexts or cached[1] != len(lex.contexts):
        res = [(ctx, re.compile(rf"(?<!anti-)\b(?:{'|'.join(re.escape(w) for w in ctx['words'])})"))
               for ctx in lex.contexts if ctx.get("words")]
        cached = lex._compiled_acled_contexts = (lex.contexts, len(lex.contexts), res)
    return cached[2]


def _cue_table(lex: Lexicon) -> list[Cue]:
    """``[[acled_cue]]`` of the lexicon (``data/triggers.toml`` and the user's trigger files):
    words or patterns that name a sub-type outright ("suicide bomber", "landmine"), optionally
    only ``when`` the main event's code is one of a list; ``sent_penalty`` is what each later
    sentence costs the cue (a claim of responsibility appended to an attack report is not the
    report's event). Compiled once per lexicon."""
    cached = getattr(lex, "_compiled_acled_cues", None)
    if cached is not None:
        return cached
    out: list[Cue] = []
    for c in lex.acled_cues:
        words = c.get("words", [])
        # "anti-aircraft guns", "anti-tank mines": a defence named after what it counters
        # the words as one group behind one check of the two assertions (the same matches as one
        # alternative per word, in the same order; about 2.5 times faster to scan)
        pats = ([rf"(?<!anti-)\b(?:{'|'.join(re.escape(w) for w in words)})"] if words else []) + \
            list(c.get("patterns", []))
        if not pats:
            continue
        out.append(Cue(c["acled"], re.compile("|".join(f"(?:{p})" for p in pats), re.I),
                       float(c.get("weight", 1.0)), frozenset(c.get("when", [])),
                       float(c.get("sent_penalty", CUE_SENT_PENALTY))))
    lex._compiled_acled_cues = out
    return out


# --------------------------------------------------------------------------- ACLED

# The ACLED (or CASE 2021 non-ACLED) code a main event stands for when its trigger gives none.
TYPE_ACLED = {
    "ASSAULT": "ATTACK", "PROTEST": "PEACE_PROTEST", "AGREE": "AGREEMENT", "SUPPORT": "DIPLO", "CONSULT": "DIPLO",
    "ACCUSE": "DIPLO", "REQUEST": "DIPLO", "REJECT": "DIPLO", "THREATEN": "DIPLO", "SANCTION": "DIPLO",
    "MOBILIZE": "CHANGE_TO_GROUP_ACT", "RETREAT": "CHANGE_TO_GROUP_ACT", "COOPERATE": "AGREEMENT", "AID": "OTHER",
    "CONCEDE": "AGREEMENT",
}
COERCE_ACLED = {"arrest": "ARREST", "restrict": "OTHER"}
GENERIC_CODES = {"ATTACK", "ARMED_CLASH", "DIPLO", "OTHER", "CHANGE_TO_GROUP_ACT", "AGREEMENT", "PEACE_PROTEST",
                 "ARREST"}
ARMED_RE = re.compile(
    r"\b(?:soldiers?|troops?|forces|army|military|police(?:men)?|officers?|militants?|rebels?|fighters?|insurgents?|"
    r"militias?|militiamen|personnel|checkpoints?|(?:army|military|police) (?:base|post|station|camp)s?|positions|"
    r"convoys?|patrols?|jihadists?|terrorists?|guards?|gunmen|combatants|paramilitar\w*|commandos?|peacekeepers?|"
    r"troopers|battalions?|brigades?|units)\b", re.I)
CIVILIAN_RE = re.compile(
    r"\b(?:civilians?|villagers?|residents?|worshippers?|passengers?|women|children|farmers?|students?|"
    r"community|communities|people|persons|family|families|shoppers|pilgrims|teachers?|journalists?|"
    r"traders?|herders?|motorists?|travell?ers|church|mosque|market|school|hospital|home|house|village|wedding)\b",
    re.I)
CLASH_RE = re.compile(r"\b(?:clash\w*|gunfight|gun battle|firefight|exchange of fire|fierce fighting|heavy fighting|"
                      r"battle\w*|fought|engaged|repell?\w*|fighting between)\b", re.I)


def _armed_or_civilian(text: str) -> str:
    """Armed clash (armed groups on both sides) or attack (on civilians), from words alone."""
    if CLASH_RE.search(text):
        return "ARMED_CLASH"
    armed = {m.group(0).lower().rstrip("s") for m in ARMED_RE.finditer(text)}
    civ = CIVILIAN_RE.search(text)
    if len(armed) >= 2 and not civ:
        return "ARMED_CLASH"
    if len(armed) >= 3:
        return "ARMED_CLASH"
    return "ATTACK"


# ACLED interaction codes (actors.toml ``inter``): 1 state forces, 2 rebels, 3 militias (and
# unidentified armed groups), 4 communal militias, 5 rioters, 6 protesters, 7 civilians, 8 external
ARMED_INTER = {1, 2, 3, 4, 8}
STATE_INTER = {1, 8}
NONSTATE_INTER = {2, 3, 4}
CIVIL_INTER = {5, 6, 7}
PROTEST_INTER = {5, 6}
NONSTATE_SECTORS = {"REB", "MIL_PRO", "UNK", "INS", "TER"}
STATE_SECTOR_SET = {"GOV", "MIL", "POL", "JUD", "LEG"}
TERRITORY_CODES = ("GOV_REGAINS_TERIT", "NON_STATE_ACTOR_OVERTAKES_TER")
# verbs (lemmas) of taking a place: their subject is who holds it afterwards
TAKE_LEMMAS = {"capture", "seize", "regain", "retake", "recapture", "liberate", "overrun", "occupy", "wrest",
               "reclaim", "recover", "control", "clear", "take", "win", "secure", "free", "enter", "gain",
               "purge", "expel", "oust", "drive", "push", "storm", "retook", "retaken", "overran"}
# taking verbs whose object is the party driven out, not the place taken
EXPEL_LEMMAS = {"purge", "expel", "oust", "drive", "push", "clear"}
TAKE_PARTICLES = {"take": {"control", "over", "back"}, "win": {"control", "back"}, "drive": {"out", "from"},
                  "push": {"back", "out"}, "gain": {"control", "ground"}, "secure": None, "control": None}
PROTEST_WORD_RE = re.compile(r"\b(?:protest\w*|demonstrat\w*|rall(?:y|ies|ied)|march(?:es|ed|ers)?|marchers?|"
                             r"picket\w*|sit-ins?|crowds?|activists)\b", re.I)
VICTIM_RE = re.compile(r"\b(?:killed|killing|shot dead|died|dead|deaths?|death toll|fatal\w*|injur\w*|wound\w*|hurt|"
                       r"casualt\w*|bled|bleeding|hospitali[sz]ed|lost (?:his|her|their) li(?:fe|ves))\b", re.I)
INTERVENE_RE = re.compile(r"\b(?:tear ?-?gas|teargas|water cannons?|rubber bullets?|pepper[ -]spray\w*|batons?|"
                          r"dispers\w*|broke up|break up|broken up|stun grenades?|smoke grenades?|"
                          r"arrest\w*|detain\w*|rounded up|cracked down|crackdown|suppress\w*|baton|"
                          r"lathi\w*|kettl\w*|chas(?:e|ed|ing)|clubbed|forcibly removed)\b", re.I)
PROTESTER_VIOLENCE_RE = re.compile(
    r"\b(?:riot(?:s|ed|ers|ing)?|threw|throw(?:s|ing|n)?|hurl\w*|pelt\w*|torch\w*|set (?:fire|ablaze|alight|on fire)|"
    r"burn(?:ed|t|ing) (?:tyres|tires|cars|vehicles|buildings|offices|effigies|police)|molotov|petrol bombs?|"
    r"stones|rocks|bricks|fireworks|vandali[sz]\w*|smash\w*|loot\w*|ransack\w*|stormed|clash(?:ed|es)? with "
    r"(?:police|security|troops|soldiers|riot)|attacked (?:police|officers|security)|scuffl\w*|violent(?:ly)? "
    r"(?:protest|demonstrat|clash)\w*|turned violent|barricad\w*)\b", re.I)
RIOT_UNIT_RE = re.compile(r"\b(?:anti-?)?riot(?=[- ](?:police\w*|gear|squads?|control|units?|officers?|troops|forces|shields?)\b)",
                          re.I)
PROTEST_CLASH_RE = re.compile(
    r"\b(?:clash\w*|scuffl\w*|skirmish\w*|fought|brawl\w*)\b[^.]{0,60}\b(?:protesters?|demonstrators?|marchers?|"
    r"police|security forces|riot police|counter-protesters?)\b|"
    r"\b(?:protesters?|demonstrators?|marchers?|protests?|demonstrations?|rall(?:y|ies))\b[^.]{0,60}\b(?:and )?"
    r"(?:clash\w*|scuffl\w*|skirmish\w*)\b|\b(?:aggressive|violent(?:ly)?) (?:protest|demonstrat|rall)\w*", re.I)
FORCE_RE = re.compile(r"\b(?:police|policemen|security forces|troops|soldiers|army|military|officers|guards|"
                      r"forces|riot police|gendarme\w*|militia\w*|snipers?|gunmen)\b", re.I)



def _inter_of(tok) -> int | None:
    """The ACLED interaction code of the noun phrase headed by ``tok`` (None: not an actor)."""
    if tok is None:
        return None
    a, b = _np_span(tok)
    text = tok.doc[a:b].text
    try:
        act = doc_actors(tok.doc).code(text, head=tok.lemma_)
    except Exception:  # a coding failure must never stop classification
        act = None
    if act is None:
        low = tok.lemma_.lower()
        if low in CIVILIAN_HEADS:
            return 7
        if low in STATE_FORCE_HEADS:
            return 1
        if low in NONSTATE_HEADS:
            return 2
        return None
    if act.sector in ("GOV", "JUD", "LEG") or not act.sector:
        return None   # officials and bare states are no fighting side
    if act.inter:
        return int(act.inter)
    if act.sector in STATE_SECTOR_SET:
        return 1
    if act.sector in NONSTATE_SECTORS:
        return 2
    return 7


CIVILIAN_HEADS = {"civilian", "villager", "resident", "people", "person", "worshipper", "passenger", "child", "woman",
                  "man", "farmer", "student", "pupil", "family", "shopper", "pilgrim", "teacher", "journalist",
                  "trader", "herder", "motorist", "traveller", "traveler", "patient", "doctor", "nurse", "worker"}
STATE_FORCE_HEADS = {"soldier", "troop", "trooper", "army", "military", "police", "policeman", "policemen",
                     "gendarme", "commando", "marine", "paratrooper", "battalion", "brigade", "regiment", "division"}
NONSTATE_HEADS = {"rebel", "militant", "insurgent", "jihadist", "terrorist", "militia", "militiaman", "militiamen",
                  "guerrilla", "guerrila", "extremist", "separatist", "fighter", "gunman", "gunmen", "bandit"}



def _sides_of(span) -> set[int]:
    """Interaction codes of the noun chunks of a sentence that the actor dictionary knows."""
    out = set()
    for nc in span.noun_chunks:
        i = _inter_of(nc.root)
        if i is not None:
            out.add(i)
    return out


def _clash_or_attack(trig, sent_span) -> str:
    """ARMED_CLASH when both sides are armed (state forces, rebels, militias, gunmen),
    ATTACK when an armed actor targets civilians: by the main event's roles, then by the
    actors named in its sentence, then by words."""
    subj, obj = role_tokens(trig.token, trig.nominal) if trig is not None else (None, None)
    a, r = _inter_of(subj), _inter_of(obj)
    text = sent_span.text
    if CLASH_RE.search(text):
        return "ARMED_CLASH"
    if r is not None:
        if r in ARMED_INTER and (a is None or a in ARMED_INTER):
            return "ARMED_CLASH"
        if r in CIVIL_INTER:
            return "ATTACK"
    sides = _sides_of(sent_span)
    if sides & CIVIL_INTER:
        return "ATTACK"
    if sides & STATE_INTER and sides & NONSTATE_INTER:
        return "ARMED_CLASH"
    return _armed_or_civilian(text)


def _territory(doc, sents) -> str | None:
    """Who takes the place: GOV_REGAINS_TERIT when the taker is a state force,
    NON_STATE_ACTOR_OVERTAKES_TER when it is a rebel group or militia."""
    for sent in sents[:2]:
        for tok in sent:
            lem = _lemma(tok)
            if lem not in TAKE_LEMMAS or tok.pos_ not in ("VERB",) or tok.dep_ in ("acl", "relcl", "amod"):
                continue
            need = TAKE_PARTICLES.get(lem, ())
            if need:
                words = {c.lower_ for c in tok.children} | {t.lower_ for t in tok.doc[tok.i + 1: tok.i + 3]}
                if not words & need:
                    continue
            passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.children)
            if passive:
                subj = None
                for c in tok.children:
                    if c.dep_ == "agent":
                        subj = next((p for p in c.children if p.dep_ == "pobj"), None)
            else:
                subj = verb_subject(tok)
            if subj is not None and subj.pos_ == "PRON" and tok.dep_ == "ccomp":
                subj = verb_subject(tok.head)   # "the army said it had retaken the town"
            if lem not in EXPEL_LEMMAS and _took_person(tok, passive) or _cleared_things(tok):
                continue   # "captured a rebel commander" is an arrest or abduction, not territory
            i = _inter_of(subj)
            if i in STATE_INTER:
                return "GOV_REGAINS_TERIT"
            if i in NONSTATE_INTER:
                return "NON_STATE_ACTOR_OVERTAKES_TER"
    return None


def _cleared_things(verb) -> bool:
    """ "cleared landmines", "removed explosives": clearing objects, not a place."""
    obj = next((c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")), None)
    return obj is not None and obj.lemma_.lower() in CLEARED_THINGS


CLEARED_THINGS = {"landmine", "mine", "weapon", "ammunition", "explosive", "device", "ied", "rubble", "debris", "bomb",
                  "ordnance", "road", "roadblock", "barricade"}


def _took_person(verb, passive: bool) -> bool:
    """Whether what the taking verb takes is a person, group or weapon, not a place."""
    if passive:
        obj = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    else:
        obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
    if obj is None or _lemma(obj) in ("control", "ground") or obj.lemma_.lower() in PLACE_HEADS:
        return False
    return obj.ent_type_ in ("PERSON", "NORP") or obj.lemma_.lower() in NOT_PLACE_TAKEN or _inter_of(obj) is not None


# what a taking verb can take that is no place: people (an arrest, an abduction) and arms (a seizure)
NOT_PLACE_TAKEN = {"commander", "leader", "member", "suspect", "chief", "official", "spokesman", "militant", "fighter",
                   "soldier", "hostage", "man", "woman", "people", "person", "prisoner", "landmine", "mine", "weapon",
                   "ammunition", "explosive", "device"}


def _protest_kind(text: str, code: str | None, acted_on: bool = False) -> str | None:
    """The protest sub-type of a snippet about a protest: forces killing or injuring
    protesters, intervention (dispersal, arrests, tear gas), protesters' own violence, or peaceful.
    "riot police" and "anti-riot" units name the police, not a riot. ``acted_on``: the main
    event is itself an act of force on the protest ("broke up the march"), so it is no
    peaceful protest whatever words follow."""
    if not PROTEST_WORD_RE.search(text):
        return None
    text = RIOT_UNIT_RE.sub(lambda m: " " * len(m.group(0)), text)
    if PROTEST_CLASH_RE.search(text):
        # ACLED: demonstrators who clash with police or rivals are rioters, whatever force met them
        return "VIOL_DEMONSTR"
    force = FORCE_RE.search(text)
    if force and VICTIM_RE.search(text) and re.search(
            r"\b(?:protesters?|demonstrators?|marchers?|people|activists|students|crowds?)\b[^.]{0,80}\b(?:killed|shot|died|dead|injur\w*|wound\w*)|"
            r"\b(?:killed|killing|shot|injur\w*|wound\w*)\b[^.]{0,40}\b(?:protesters?|demonstrators?|marchers?)|"
            r"\b(?:opened fire|fired live|live (?:ammunition|rounds|bullets|fire)|shot dead|violently)", text, re.I):
        return "FORCE_AGAINST_PROTEST"
    if PROTESTER_VIOLENCE_RE.search(text):
        return "VIOL_DEMONSTR"
    if acted_on:
        return "FORCE_AGAINST_PROTEST" if VICTIM_RE.search(text) else "PROTEST_WITH_INTER"
    if force and INTERVENE_RE.search(text):
        return "PROTEST_WITH_INTER"
    return "PEACE_PROTEST"


PROTESTER_LEMMAS = {"protester", "protestor", "demonstrator", "marcher", "picketer", "crowd"}
PROTEST_LEMMAS = {"protest", "demonstration", "rally", "march", "sit-in", "vigil", "picket", "procession"}
PROTEST_VERB_LEMMAS = {"protest", "demonstrate", "rally", "march", "picket"}
# codes a protest reading replaces: generic ones, and the unseen security types, which name what
# a protest is about ("protests over a road accident"), not what the protesters did
PROTEST_OVERRIDABLE = {None, "ATTACK", "ARMED_CLASH", "ARREST", "OTHER", "DIPLO", "PEACE_PROTEST", "PROPERTY_DISTRUCT",
                       "CHANGE_TO_GROUP_ACT", "AGREEMENT", "ORG_CRIME", "NATURAL_DISASTER", "MAN_MADE_DISASTER"}
# what protesters demand or protest against is not what happened at the protest
DEMAND_LEMMAS = {"demand", "call", "urge", "ask", "seek", "condemn", "denounce", "decry"}
BACKGROUND_PREPS = {"against", "over", "for", "despite", "undeterred"}
PROTESTED_PREPS = {"against", "over", "despite", "undeterred"}   # "for" after a protest is mostly time: "for a second day"


def _is_protest_word(tok) -> bool:
    lem = _lemma(tok)
    return lem in PROTEST_LEMMAS or lem in PROTESTER_LEMMAS or tok.pos_ == "VERB" and lem in PROTEST_VERB_LEMMAS


def _acts_on_protest(best: Typed, trig) -> bool:
    """Force used on protesters is the main event: "police dispersed the rally", "a crackdown
    on demonstrators", "activists were detained during a protest"."""
    if trig is None or best.entry_type not in ("COERCE", "ASSAULT") or best.aux != "asserted":
        return False
    subj, obj = role_tokens(trig.token, trig.nominal)
    if subj is not None and _is_protest_word(subj):
        return False   # protesters acting: "protesters shut down roads"
    if obj is not None and _is_protest_word(obj):
        return True
    return best.entry_type == "COERCE" and _protest_in_clause(trig.token)


def _protest_in_clause(tok) -> bool:
    """A protest word inside the trigger's own clause, not under "before" or "after" (activists
    held before a rally were not protesting)."""
    for t in tok.subtree:
        if t.i == tok.i or not _is_protest_word(t):
            continue
        u, ok = t, True
        while u.i != tok.i and u.head.i != u.i:
            if u.dep_ == "prep" and u.lower_ in ("before", "after", "ahead", "following", "prior") or \
                    u.dep_ in ("nsubj", "csubj"):
                ok = False
                break
            u = u.head
        if ok:
            return True
    return False


def _about_protest(best: Typed, trig) -> bool:
    """Whether the main event is a protest, or an act by or on protesters ("protesters
    blocked the roads", "police broke up the march", "activists were detained while trying
    to hold a rally"): ACLED codes all of these as protest (or riot) events."""
    if best.type == "PROTEST" and best.entry_type == "PROTEST":
        return True
    if trig is None:
        return False
    subj, obj = role_tokens(trig.token, trig.nominal)
    if any(t is not None and _is_protest_word(t) for t in (subj, obj)):
        return True
    return _acts_on_protest(best, trig)


def _foreground(doc, text: str, base: int = 0) -> str:
    """``text`` with what protesters demand or protest against, and what they act despite,
    blanked out (same offsets): "demanding the release of those detained by police" says
    nothing about police at this protest."""
    chars = list(text)
    for tok in doc:
        hide = []
        if _lemma(tok) in DEMAND_LEMMAS and tok.pos_ in ("VERB", "NOUN"):
            hide = [c for c in tok.children if c.dep_ == "dobj" or c.dep_ == "prep" and c.lower_ in BACKGROUND_PREPS]
        elif _is_protest_word(tok):
            hide = [c for c in tok.children if c.dep_ == "prep" and c.lower_ in PROTESTED_PREPS
                    or c.dep_ == "dobj" and tok.pos_ == "VERB"]
        if tok.lower_ in ("despite", "undeterred") and tok.dep_ in ("prep", "advcl", "amod", "acomp", "advmod"):
            hide.append(tok)
        for c in hide:
            a, b = c.left_edge.idx - base, c.right_edge.idx + len(c.right_edge.text) - base
            if a >= 0:
                chars[a:b] = " " * (b - a)
    return "".join(chars)


MOB_LEMMAS = {"mob", "vigilante", "lynch mob", "rioter"}
MOB_MODIFIERS = {"angry", "irate", "enraged", "furious", "mob"}
MOB_OVERRIDABLE = {"ATTACK", "ARMED_CLASH", "ABDUCT_DISSAP", "PROPERTY_DISTRUCT"}


def _mob_actor(trig) -> bool:
    """ACLED mob violence: the violence is done by a spontaneous crowd, a mob, vigilantes or
    "angry residents", not by an organised armed group."""
    if trig is None:
        return False
    subj, _ = role_tokens(trig.token, trig.nominal)
    if subj is None:
        return False
    for t in [subj] + [c for c in subj.children if c.dep_ == "conj"]:
        if _lemma(t) in MOB_LEMMAS or any(c.dep_ in ("amod", "compound") and c.lower_ in MOB_MODIFIERS
                                         for c in t.children):
            return True
    return False


def acled_code(best: Typed | None, text: str, lex: Lexicon, trig=None, doc=None, base: int = 0,
               end: int | None = None) -> str | None:
    """The ACLED / CASE 2021 sub-type code of a text whose main event is ``best``: ``text`` is
    ``doc.text[base:]`` (a snippet from its start, or a paragraph from the mention's sentence
    on: cues before the mention's sentence are not its own); ``best.sentence`` counts the
    sentences of ``text``."""
    acled_cues = _cue_table(lex)
    sents = [x for x in doc.sents if base <= x.start_char < (len(doc.text) if end is None else end)] \
        if doc is not None else []
    main_span = sents[best.sentence] if best is not None and sents else None
    main_text = main_span.text if main_span is not None else text
    code = None
    strength = 0.0
    if best is not None:
        code = best.acled
        if code is None and best.entry_type == "COERCE":
            code = COERCE_ACLED.get(best.mode or "", "OTHER")
        if code is None:
            code = TYPE_ACLED.get(best.type) or TYPE_ACLED.get(best.entry_type)
        if best.entry_type == "ASSAULT" and code in (None, "ATTACK", "ARMED_CLASH"):
            for scope in (main_text.lower(), text.lower()):
                for ctx, rx in _context_res(lex):
                    if rx.search(scope):
                        code = ctx.get("acled", code)
                        break
                if code not in (None, "ATTACK", "ARMED_CLASH"):
                    break
            if code in (None, "ATTACK", "ARMED_CLASH"):
                code = _clash_or_attack(trig, main_span) if main_span is not None else _armed_or_civilian(text)
        strength = 0.5 if code == "OTHER" else 1.0 if code in GENERIC_CODES else 1.5
        if best.aux != "asserted":
            strength -= 0.4
        strength -= 0.3 * best.sentence
    starts = [s.start_char - base for s in sents]
    best_cue = None
    for cue in acled_cues:
        if cue.when and code not in cue.when:
            continue
        m = next((m for m in cue.pattern.finditer(text) if not _negated_cue(text, m.start())), None)
        if not m:
            continue
        k = sum(1 for st in starts[1:] if st <= m.start())
        score = cue.weight + 0.4 * (1 - min(m.start(), 400) / 400) - cue.sent_penalty * k
        if best_cue is None or score > best_cue[1]:
            best_cue = (cue.code, score)
    if code == "REM_EXPLOS" and trig is not None and _lemma(trig.token) in DEVICE_LEMMAS and \
            not DETONATION_RE.search(text):
        code = "DISR_WEAP"   # a device found, sent or defused that never went off: a disrupted attack
    own_code = code
    if best_cue and best_cue[1] > strength + 0.6:
        code = best_cue[0]
    if code in TERRITORY_CODES and doc is not None:
        taker = _territory(doc, sents)
        if taker is None and code != own_code and own_code is not None:
            # a word cue names a taking ("captured", "cleared") that the parse does not confirm
            # as the taking of a place: "captured a senior commander", "cleared landmines"
            code = own_code
        else:
            code = taker or code
    if best is not None and best.entry_type == "ASSAULT" and not best.nominal and code in ("ATTACK", "ARMED_CLASH") \
            and _lemma(trig.token) in SEIZE_LEMMAS:
        _, obj = role_tokens(trig.token, False)
        if obj is not None and obj.pos_ != "PRON" and obj.ent_type_ not in ("PERSON",) and (
                obj.lemma_.lower() in PLACE_HEADS or _inter_of(obj) is None):
            code = _territory(doc, sents) or code
    if best is not None and code in MOB_OVERRIDABLE and best.entry_type == "ASSAULT" and _mob_actor(trig):
        return "MOB_VIOL"
    if code == "PEACE_PROTEST" or best is not None and code in PROTEST_OVERRIDABLE | PROTEST_CODES and \
            _about_protest(best, trig):
        code = _protest_kind(_foreground(doc, text, base) if doc is not None else text, code,
                             _acts_on_protest(best, trig)) or code
    return code


CUE_SENT_PENALTY = 0.5
DEVICE_LEMMAS = {"device", "bomb", "ied", "landmine", "mine", "explosive", "package", "parcel"}
DETONATION_RE = re.compile(r"\b(?:explo(?:de|ded|des|sion|sions|ding)|detonat\w*|blasts?|went off|blew|bombing|kill\w*|"
                           r"injur\w*|wound\w*|dead|died|damag\w*|destroy\w*|casualt\w*|hit|struck|ripped|tore)\b", re.I)
# "no group claimed responsibility", "no arrests were made", "have not been arrested": the
# cue names what did not happen
NEGATION_BEFORE_RE = re.compile(r"\b(?:no|not|never|nobody|none|yet to)\b(?:\s+\S+){0,3}\s*$", re.I)


def _negated_cue(text: str, start: int) -> bool:
    """Whether a cue starting at ``start`` is negated by one of the three words before it
    (within its clause)."""
    before = re.split(r"[.;:,!?]", text[max(0, start - 40):start])[-1]
    return bool(NEGATION_BEFORE_RE.search(before))
SEIZE_LEMMAS = {"capture", "seize", "retake", "recapture", "regain", "liberate", "overrun", "occupy", "wrest"}
PROTEST_CODES = {"PEACE_PROTEST", "PROTEST_WITH_INTER", "FORCE_AGAINST_PROTEST", "VIOL_DEMONSTR"}
