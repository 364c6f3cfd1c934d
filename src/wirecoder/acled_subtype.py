"""The ACLED / CASE 2021 sub-event code of a snippet's main event.

The main event's trigger gives a code (or its PLOVER type does, through ``TYPE_ACLED``);
cues (``[[acled_cue]]`` in ``data/triggers.toml``) can override it, and the parse
decides the splits that words alone cannot: armed clash or attack (who fights whom),
who takes territory, and which kind of protest it was.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from .lexicon import Lexicon
from .snippet_roles import PLACE_HEADS, _actor_dict, _lemma, _np_span, _role_toks, _subject

if TYPE_CHECKING:
    from .classify import Candidate

# --------------------------------------------------------------------------- cue tables


@dataclass(frozen=True)
class Cue:
    code: str
    pattern: re.Pattern
    weight: float
    when: frozenset


@lru_cache(maxsize=1)
def _cue_table() -> list[Cue]:
    """``[[acled_cue]]`` of ``data/triggers.toml``: words or patterns that name a sub-type
    outright ("suicide bomber", "landmine"), optionally only ``when`` the main event's
    code is one of a list."""
    data = tomllib.loads((resources.files("wirecoder") / "data" / "triggers.toml").read_text("utf-8"))
    out: list[Cue] = []
    for c in data.get("acled_cue", []):
        words = c.get("words", [])
        pats = [rf"\b{re.escape(w)}" for w in words] + list(c.get("patterns", []))
        if not pats:
            continue
        out.append(Cue(c["acled"], re.compile("|".join(f"(?:{p})" for p in pats), re.I),
                       float(c.get("weight", 1.0)), frozenset(c.get("when", []))))
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
               "purge", "expel", "oust", "drive", "push", "storm"}
TAKE_PARTICLES = {"take": {"control", "over", "back"}, "win": {"control", "back"}, "drive": {"out", "from"},
                  "push": {"back", "out"}, "gain": {"control", "ground"}, "secure": None, "control": None}
PROTEST_WORD_RE = re.compile(r"\b(?:protest\w*|demonstrat\w*|rall(?:y|ies|ied)|march(?:es|ed|ers)?|marchers?|"
                             r"picket\w*|sit-ins?|crowds?|activists)\b", re.I)
VICTIM_RE = re.compile(r"\b(?:killed|killing|shot dead|died|dead|deaths?|death toll|injur\w*|wound\w*|hurt|"
                       r"casualt\w*|bled|bleeding|hospitali[sz]ed|lost (?:his|her|their) li(?:fe|ves))\b", re.I)
INTERVENE_RE = re.compile(r"\b(?:tear ?-?gas|teargas|water cannons?|rubber bullets?|pepper[ -]spray\w*|batons?|"
                          r"dispers\w*|broke up|break up|broken up|stun grenades?|smoke grenades?|"
                          r"arrest\w*|detain\w*|rounded up|cracked down|crackdown|suppress\w*|baton|"
                          r"lathi\w*|kettl\w*)\b", re.I)
PROTESTER_VIOLENCE_RE = re.compile(
    r"\b(?:riot(?:s|ed|ers|ing)?|threw|throw(?:s|ing|n)?|hurl\w*|pelt\w*|torch\w*|set (?:fire|ablaze|alight|on fire)|"
    r"burn(?:ed|t|ing) (?:tyres|tires|cars|vehicles|buildings|offices|effigies|police)|molotov|petrol bombs?|"
    r"stones|rocks|bricks|fireworks|vandali[sz]\w*|smash\w*|loot\w*|ransack\w*|stormed|clash(?:ed|es)? with "
    r"(?:police|security|troops|soldiers|riot)|attacked (?:police|officers|security)|scuffl\w*|violent(?:ly)? "
    r"(?:protest|demonstrat|clash)\w*|turned violent)\b", re.I)
FORCE_RE = re.compile(r"\b(?:police|policemen|security forces|troops|soldiers|army|military|officers|guards|"
                      r"forces|riot police|gendarme\w*|militia\w*|snipers?|gunmen)\b", re.I)



def _inter_of(tok) -> int | None:
    """The ACLED interaction code of the noun phrase headed by ``tok`` (None: not an actor)."""
    if tok is None:
        return None
    a, b = _np_span(tok)
    text = tok.doc[a:b].text
    try:
        act = _actor_dict().code(text, head=tok.lemma_)
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
    subj, obj = _role_toks(trig.token, trig.nominal) if trig is not None else (None, None)
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
                subj = _subject(tok)
            if subj is not None and subj.pos_ == "PRON" and tok.dep_ == "ccomp":
                subj = _subject(tok.head)   # "the army said it had retaken the town"
            i = _inter_of(subj)
            if i in STATE_INTER:
                return "GOV_REGAINS_TERIT"
            if i in NONSTATE_INTER:
                return "NON_STATE_ACTOR_OVERTAKES_TER"
    return None


def _protest_kind(text: str, code: str | None) -> str | None:
    """The protest sub-type of a snippet about a protest: forces killing or injuring
    protesters, intervention (dispersal, arrests, tear gas), protesters' own violence, or peaceful."""
    if not PROTEST_WORD_RE.search(text):
        return None
    force = FORCE_RE.search(text)
    if force and VICTIM_RE.search(text) and re.search(
            r"\b(?:protesters?|demonstrators?|marchers?|people|activists|students|crowds?)\b[^.]{0,80}\b(?:killed|shot|died|dead|injur\w*|wound\w*)|"
            r"\b(?:killed|killing|shot|injur\w*|wound\w*)\b[^.]{0,40}\b(?:protesters?|demonstrators?|marchers?)|"
            r"\b(?:opened fire|fired live|live (?:ammunition|rounds|bullets|fire)|shot dead|violently)", text, re.I):
        return "FORCE_AGAINST_PROTEST"
    if PROTESTER_VIOLENCE_RE.search(text):
        return "VIOL_DEMONSTR"
    if force and INTERVENE_RE.search(text):
        return "PROTEST_WITH_INTER"
    return "PEACE_PROTEST"


def _acled_for(best: Candidate | None, text: str, lex: Lexicon, trig=None, doc=None) -> str | None:
    """The ACLED / CASE 2021 sub-type code of a snippet whose main event is ``best``."""
    acled_cues = _cue_table()
    sents = list(doc.sents) if doc is not None else []
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
                for ctx in lex.contexts:
                    if any(re.search(rf"\b{re.escape(w)}", scope) for w in ctx["words"]):
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
    starts = [s.start_char for s in sents]
    best_cue = None
    for cue in acled_cues:
        if cue.when and code not in cue.when:
            continue
        m = cue.pattern.search(text)
        if not m:
            continue
        k = sum(1 for st in starts[1:] if st <= m.start())
        score = cue.weight + 0.4 * (1 - min(m.start(), 400) / 400) - CUE_SENT_PENALTY * k
        if best_cue is None or score > best_cue[1]:
            best_cue = (cue.code, score)
    if best_cue and best_cue[1] > strength + 0.6:
        code = best_cue[0]
    if code in TERRITORY_CODES and doc is not None:
        code = _territory(doc, sents) or code
    if best is not None and best.entry_type == "ASSAULT" and not best.nominal and code in ("ATTACK", "ARMED_CLASH") \
            and _lemma(trig.token) in SEIZE_LEMMAS:
        _, obj = _role_toks(trig.token, False)
        if obj is not None and obj.pos_ != "PRON" and obj.ent_type_ not in ("PERSON",) and (
                obj.lemma_.lower() in PLACE_HEADS or _inter_of(obj) is None):
            code = _territory(doc, sents) or code
    if code == "PEACE_PROTEST" or best is not None and best.type == "PROTEST" and code in (None, "OTHER", "DIPLO"):
        code = _protest_kind(text, code) or code
    return code


CUE_SENT_PENALTY = 0.5
SEIZE_LEMMAS = {"capture", "seize", "retake", "recapture", "regain", "liberate", "overrun", "occupy", "wrest"}
PROTEST_CODES = {"PEACE_PROTEST", "PROTEST_WITH_INTER", "FORCE_AGAINST_PROTEST", "VIOL_DEMONSTR"}
