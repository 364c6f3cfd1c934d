"""Sentence/snippet classification: the *main* event of a short text.

``classify(text)`` finds every trigger mention in the text (asserted or not), turns each
into a candidate PLOVER type according to its auxiliary mode (a threatened attack is a
THREATEN, promised cooperation an AGREE, refused cooperation a REJECT, ...), and picks the
main one with the codebook's priorities:

* the main-clause event wins over embedded ones (a governing reporting verb is never the
  event: "X said Y attacked Z" is Y's attack);
* material conflict beats verbal conflict at the same level ("protest to request" =
  PROTEST, "convict and arrest" = COERCE);
* asserted mentions beat non-asserted ones of the same level.

It also gives the ACLED sub-event code (CASE 2021 codes, plus the non-ACLED
ORG_CRIME, NATURAL_DISASTER, MAN_MADE_DISASTER, DIPLO and ATTRIB) and the verbatim
actor and recipient spans read from the parse. The cue tables are data:
``[[acled_cue]]`` and ``[[type_cue]]`` in ``data/triggers.toml``.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Iterable

from .analyse import Sentence, get_nlp
from .events import REPORT_VERBS, Trigger, aux_mode, find_triggers, light_ok, SPEECH_NOUNS
from .lexicon import Lexicon

QUAD = {
    "AGREE": 1, "CONSULT": 1, "SUPPORT": 1, "COOPERATE": 2, "AID": 2, "CONCEDE": 2, "RETREAT": 2,
    "REQUEST": 3, "ACCUSE": 3, "REJECT": 3, "THREATEN": 3,
    "PROTEST": 4, "MOBILIZE": 4, "SANCTION": 4, "COERCE": 4, "ASSAULT": 4,
}
COOPERATIVE = {t for t, q in QUAD.items() if q in (1, 2)}
# a bonus by quad class: material conflict over verbal conflict, material over verbal cooperation
QUAD_BONUS = {1: 0.0, 2: 0.15, 3: 0.1, 4: 0.35}
CLAUSE_DEPS = {"ccomp": 1.0, "xcomp": 1.0, "advcl": 1.6, "relcl": 2.0, "acl": 1.6, "csubj": 1.5, "parataxis": 1.2,
               "pcomp": 1.2}
TRANSPARENT_REPORT = {"ccomp", "parataxis", "xcomp", "advcl", "conj", "dobj"}
SUBJ_DEPS = {"nsubj", "nsubjpass", "csubj"}
STRIP_LEFT = {"the", "a", "an", "some", "this", "that", "these", "those"}


@dataclass
class Candidate:
    type: str
    acled: str | None
    mode: str | None
    aux: str
    trigger: str
    token_i: int
    sentence: int
    depth: float
    score: float
    nominal: bool
    entry_type: str


@dataclass
class Classification:
    text: str
    plover_type: str | None
    plover_mode: str | None = None
    aux_mode: str | None = None
    acled: str | None = None              # CASE 2021 / ACLED sub-event code
    acled_event_type: str | None = None
    acled_sub_event_type: str | None = None
    trigger: str | None = None
    actor: str | None = None
    recipient: str | None = None
    candidates: list[Candidate] = field(default_factory=list)


# --------------------------------------------------------------------------- cue tables


@dataclass(frozen=True)
class Cue:
    code: str
    pattern: re.Pattern
    weight: float
    when: frozenset


@lru_cache(maxsize=1)
def _cue_tables() -> tuple[list[Cue], list[Cue]]:
    data = tomllib.loads((resources.files("wirecoder") / "data" / "triggers.toml").read_text("utf-8"))
    acled: list[Cue] = []
    types: list[Cue] = []
    for key, out, field_name in (("acled_cue", acled, "acled"), ("type_cue", types, "type")):
        for c in data.get(key, []):
            words = c.get("words", [])
            pats = [rf"\b{re.escape(w)}" for w in words] + list(c.get("patterns", []))
            if not pats:
                continue
            out.append(Cue(c[field_name], re.compile("|".join(f"(?:{p})" for p in pats), re.I),
                           float(c.get("weight", 1.0)), frozenset(c.get("when", []))))
    return acled, types


# --------------------------------------------------------------------------- structure


def _lemma(tok) -> str:
    return tok.lemma_.lower()


def _is_report(tok) -> bool:
    return _lemma(tok) in REPORT_VERBS and tok.pos_ in ("VERB", "AUX")


def clause_depth(tok) -> float:
    """How deeply the token is embedded below the sentence's main clause; reporting verbs
    are transparent ("officials said X attacked" -> the attack is the main clause)."""
    d = 0.0
    t = tok
    nominal_hops = 0
    while t.head.i != t.i:
        dep, parent = t.dep_, t.head
        if _is_report(parent) and dep in TRANSPARENT_REPORT | SUBJ_DEPS | {"advcl", "prep"}:
            # the content of a report is the main event: undo what lay below
            t = parent
            continue
        if dep in CLAUSE_DEPS:
            d += CLAUSE_DEPS[dep]
        elif dep == "conj":
            d += 0.05
        elif dep in ("dobj", "nsubj", "nsubjpass", "attr", "oprd", "dative"):
            d += 0.5 if nominal_hops == 0 else 0.3
            nominal_hops += 1
        elif dep in ("pobj", "prep", "agent"):
            d += 0.35
        elif dep in ("compound", "amod", "nmod", "poss", "appos", "npadvmod", "advmod"):
            d += 0.6
        else:
            d += 0.4
        t = parent
    return d


def _sentence_of(span, base: int, index: int) -> Sentence:
    return Sentence(index=index, start=span.start_char, end=span.end_char, span=span, base=0, paragraph=0)


def effective_type(entry_type: str, aux: str, trig: Trigger) -> str:
    """The PLOVER type a mention stands for at sentence level, given its auxiliary mode."""
    if aux == "threatened":
        return "THREATEN"
    if aux in ("future", "hypothetical"):
        if entry_type in COOPERATIVE and entry_type != "AGREE":
            # "will provide aid", "plans to visit": future cooperation is AGREE
            return "AGREE"
        if QUAD[entry_type] == 4 and entry_type != "PROTEST" or entry_type == "PROTEST" and trig.entry.mode != "demonstrate":
            # "will boycott", "will impose sanctions", "would launch an offensive": a threat
            return "THREATEN"
        return entry_type
    if aux == "negated":
        if entry_type in COOPERATIVE or entry_type in ("REQUEST", "PROTEST", "MOBILIZE"):
            return "REJECT"
    return entry_type


OBLIGATION_AUX = {"must", "should", "ought"}
FAIL_HEADS = {"fail", "refuse", "decline", "reluctant", "unable", "unwilling"}
VERBAL_ATTACK_MODS = {"scathing", "verbal", "blistering", "stinging", "extraordinary", "personal", "withering",
                      "bitter", "sharp", "fierce", "vitriolic", "furious", "stern", "strong", "political", "public"}
# verbs whose object or complement *is* the event: "ordered the arrest", "called X to congratulate"
DIRECTIVE_VERBS = {"order", "direct", "instruct", "authorize", "authorise", "decree", "approve"}
CONTACT_VERBS = {"call", "phone", "telephone", "visit", "meet", "speak", "talk", "host", "receive", "travel"}
ACCEPT_VERBS = {"agree", "accept", "consent", "offer", "promise", "pledge", "commit"}


def _governors(tok, n: int = 3):
    out = []
    t = tok
    for _ in range(n):
        if t.head.i == t.i:
            break
        if t.dep_ not in ("xcomp", "dobj", "pobj", "prep", "ccomp", "acomp", "nsubjpass", "attr", "conj"):
            break
        t = t.head
        out.append(t)
    return out


def _obligation(tok) -> bool:
    for t in [tok] + _governors(tok, 2):
        if any(c.dep_ in ("aux", "auxpass") and c.lower_ in OBLIGATION_AUX for c in t.children):
            return True
        if _lemma(t) in ("need", "have") and any(c.lower_ == "to" for c in tok.children):
            return True
    return False


def _failed(tok) -> bool:
    return any(_lemma(g) in FAIL_HEADS for g in _governors(tok, 3))


def _verbal_attack(trig) -> bool:
    tok = trig.token
    if not trig.nominal or _lemma(tok) not in ("attack", "assault", "broadside", "tirade", "onslaught"):
        return False
    if any(c.lower_ in VERBAL_ATTACK_MODS for c in tok.children if c.dep_ == "amod"):
        return True
    head = tok.head
    if tok.dep_ == "dobj" and _lemma(head) in ("launch", "lead", "mount", "unleash") and any(
            c.dep_ in ("advcl", "xcomp", "ccomp") and _lemma(c) in ("call", "say", "accuse", "describe", "label", "brand")
            for c in head.children):
        return True
    return False


def _candidates(doc_sents: list[Sentence], lex: Lexicon) -> list[tuple[Candidate, Trigger]]:
    out = []
    for k, sent in enumerate(doc_sents):
        for trig in find_triggers(sent, lex):
            if trig.entry.anaphor:
                continue
            if trig.nominal and _lemma(trig.token) in SPEECH_NOUNS and trig.entry.type not in ("THREATEN",):
                continue
            light = not light_ok(trig)
            aux = aux_mode(trig)
            entry_type = trig.entry.type
            if _verbal_attack(trig):
                entry_type = "ACCUSE"
            if aux in ("asserted", "hypothetical", "future") and _failed(trig.token):
                aux = "negated"
            typ = effective_type(entry_type, aux, trig)
            if aux in ("future", "hypothetical") and _obligation(trig.token) and aux != "threatened":
                typ = "REQUEST"   # "X must withdraw", "Y should end the attacks": a demand
            depth = clause_depth(trig.token)
            score = -depth + QUAD_BONUS[QUAD[typ]] + 0.05 * min(trig.entry.weight, 4)
            if light:
                score -= 0.6
            if trig.nominal:
                score -= 0.25
            if aux in ("hypothetical",) and typ not in ("AGREE", "THREATEN"):
                score -= 0.5
            if aux == "historical":
                score -= 0.2
            score -= 1.0 * k  # later sentences of a snippet matter less
            text = sent.span.doc[trig.start_token.i: trig.token.i + 1].text
            out.append((Candidate(typ, trig.entry.acled, trig.entry.mode, aux, text, trig.token.i, k, depth, score,
                                  trig.nominal, entry_type), trig))
    out.sort(key=lambda ct: -ct[0].score)
    return _promote(out)


def _promote(cands):
    """Where the top candidate only frames another event, the framed event is the main one:
    "ordered the arrest of X" (COERCE), "called X to congratulate him" (SUPPORT), "agreed to a
    ceasefire" (YIELD)."""
    if len(cands) < 2:
        return cands
    top, ttrig = cands[0]
    lem = _lemma(ttrig.token)
    if ttrig.nominal:
        return cands
    sub = {t.i for t in ttrig.token.subtree}
    pick = None
    for c, t in cands[1:]:
        if c.token_i not in sub or c.sentence != top.sentence:
            continue
        if lem in DIRECTIVE_VERBS and top.type in ("REQUEST", "SUPPORT") and (QUAD[c.type] in (2, 4) or c.type == "ACCUSE"):
            pick = (c, t)
        elif lem in CONTACT_VERBS and top.type == "CONSULT" and c.type not in ("CONSULT",) and \
                t.token.dep_ in ("advcl", "xcomp") and t.token.head.i == ttrig.token.i:
            pick = (c, t)
        elif lem in ACCEPT_VERBS and top.type == "AGREE" and c.type in ("CONCEDE", "RETREAT") and c.aux in (
                "asserted", "future", "hypothetical"):
            pick = (c, t)
        if pick:
            break
    if pick is None:
        return cands
    rest = [ct for ct in cands if ct is not pick]
    return [pick] + rest


# --------------------------------------------------------------------------- roles


def _np_span(tok) -> tuple[int, int]:
    """Token range of the noun phrase headed by tok, with its prepositional modifiers
    but without relative clauses, appositions and coordination."""
    left, right = tok.i, tok.i
    for c in tok.children:
        if c.dep_ in ("relcl", "acl", "punct", "cc", "advcl", "conj", "appos") or c.dep_ == "prep" and c.lower_ in (
                "on", "at", "over", "after", "during", "since", "amid", "with", "as"):
            continue
        sub = list(c.subtree)
        if c.i < tok.i:
            left = min(left, sub[0].i)
        else:
            right = max(right, sub[-1].i)
    doc = tok.doc
    while left < right and (doc[left].is_punct or doc[left].lower_ in STRIP_LEFT):
        left += 1
    while right > left and doc[right].is_punct:
        right -= 1
    return left, right + 1


def _text(doc, ab) -> str | None:
    if ab is None:
        return None
    return doc[ab[0]:ab[1]].text


def _verb_of(tok):
    """The verb whose arguments give a nominal trigger's roles ('held talks', 'launched an attack')."""
    t = tok
    for _ in range(3):
        if t.dep_ in ("dobj", "nsubjpass", "attr", "pobj", "prep", "nsubj") and t.head.i != t.i:
            t = t.head
            if t.pos_ in ("VERB", "AUX"):
                return t
        else:
            break
    return None


def _subject(verb):
    for c in verb.children:
        if c.dep_ in ("nsubj", "csubj"):
            return c
    for c in verb.children:
        if c.dep_ == "agent":
            for p in c.children:
                if p.dep_ == "pobj":
                    return p
    if verb.dep_ in ("xcomp", "conj", "advcl") and verb.head.i != verb.i and verb.head.pos_ in ("VERB", "AUX"):
        return _subject(verb.head)
    if verb.dep_ in ("relcl", "acl") and verb.head.pos_ in ("NOUN", "PROPN"):
        return verb.head
    return None


OBJ_PREPS = ("against", "on", "with", "to", "at", "into", "upon", "from", "for", "of", "toward", "towards")


def _object(verb):
    for c in verb.children:
        if c.dep_ in ("dobj", "nsubjpass"):
            return c
    for c in verb.children:
        if c.dep_ == "dative":
            return c
    for c in verb.children:
        if c.dep_ == "prep" and c.lower_ in OBJ_PREPS:
            for p in c.children:
                if p.dep_ == "pobj":
                    return p
    for c in verb.children:
        if c.dep_ in ("xcomp", "ccomp"):
            o = _object(c)
            if o is not None:
                return o
    return None


def roles(trig_tok, nominal: bool) -> tuple[str | None, str | None]:
    doc = trig_tok.doc
    subj = obj = None
    if not nominal:
        verb = trig_tok
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)
        subj = _subject(verb)
        obj = _object(verb)
        if passive:
            agent = None
            for c in verb.children:
                if c.dep_ == "agent":
                    agent = next((p for p in c.children if p.dep_ == "pobj"), None)
            subj = agent
            obj = next((c for c in verb.children if c.dep_ == "nsubjpass"), obj)
    else:
        for c in trig_tok.children:
            if c.dep_ == "poss":
                subj = c
            elif c.dep_ == "prep" and c.lower_ == "by":
                subj = next((p for p in c.children if p.dep_ == "pobj"), subj)
            elif c.dep_ == "prep" and c.lower_ in OBJ_PREPS and obj is None:
                obj = next((p for p in c.children if p.dep_ == "pobj"), None)
        verb = _verb_of(trig_tok)
        if verb is not None:
            if subj is None:
                s = _subject(verb)
                if s is not None and s.i != trig_tok.i:
                    subj = s
            if obj is None:
                o = _object(verb)
                if o is not None and o.i != trig_tok.i:
                    obj = o
    if subj is not None and subj.lower_ in ("who", "that", "which") and subj.head.dep_ == "relcl":
        subj = subj.head.head
    a = _np_span(subj) if subj is not None else None
    b = _np_span(obj) if obj is not None else None
    return _text(doc, a), _text(doc, b)


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
    """Armed clash (armed groups on both sides) or attack (on civilians)."""
    if CLASH_RE.search(text):
        return "ARMED_CLASH"
    armed = {m.group(0).lower().rstrip("s") for m in ARMED_RE.finditer(text)}
    civ = CIVILIAN_RE.search(text)
    if len(armed) >= 2 and not civ:
        return "ARMED_CLASH"
    if len(armed) >= 3:
        return "ARMED_CLASH"
    return "ATTACK"


def _acled_for(best: Candidate | None, text: str, lex: Lexicon) -> str | None:
    """The ACLED / CASE 2021 sub-type code of a snippet whose main event is ``best``."""
    acled_cues, _ = _cue_tables()
    code = None
    strength = 0.0
    if best is not None:
        code = best.acled
        if code is None and best.entry_type == "COERCE":
            code = COERCE_ACLED.get(best.mode or "", "OTHER")
        if code is None:
            code = TYPE_ACLED.get(best.type) or TYPE_ACLED.get(best.entry_type)
        if best.entry_type == "ASSAULT" and code in (None, "ATTACK", "ARMED_CLASH"):
            low = text.lower()
            for ctx in lex.contexts:
                if any(re.search(rf"\b{re.escape(w)}", low) for w in ctx["words"]):
                    code = ctx.get("acled", code)
                    break
            if code in (None, "ATTACK", "ARMED_CLASH"):
                code = _armed_or_civilian(text)
        strength = 0.5 if code == "OTHER" else 1.0 if code in GENERIC_CODES else 1.5
        if best.aux != "asserted":
            strength -= 0.4
        strength -= 0.3 * best.sentence
    best_cue = None
    for cue in acled_cues:
        if cue.when and code not in cue.when:
            continue
        m = cue.pattern.search(text)
        if not m:
            continue
        score = cue.weight + 0.4 * (1 - min(m.start(), 400) / 400)
        if best_cue is None or score > best_cue[1]:
            best_cue = (cue.code, score)
    if best_cue and best_cue[1] > strength + 0.6:
        return best_cue[0]
    return code


# --------------------------------------------------------------------------- API


def _classify_doc(doc, text: str, lex: Lexicon) -> Classification:
    sents = [_sentence_of(s, 0, i) for i, s in enumerate(doc.sents)]
    cands = _candidates(sents, lex)
    best = cands[0] if cands else None
    out = Classification(text=text, plover_type=None, candidates=[c for c, _ in cands])
    if best is not None:
        c, trig = best
        out.plover_type, out.plover_mode, out.aux_mode, out.trigger = c.type, c.mode, c.aux, c.trigger
        out.actor, out.recipient = roles(trig.token, trig.nominal)
    code = _acled_for(best[0] if best else None, text, lex)
    out.acled = code
    if code:
        out.acled_event_type, out.acled_sub_event_type = lex.acled_types(code)
    return out


def classify(text: str, published=None, lex: Lexicon | None = None) -> Classification:
    """The main event of a sentence or short snippet. ``published`` is accepted for API
    symmetry with the pipeline (dates are not needed to classify)."""
    lex = lex or Lexicon.default()
    return _classify_doc(get_nlp()(text), text, lex)


def classify_many(texts: Iterable[str], lex: Lexicon | None = None, batch_size: int = 64) -> list[Classification]:
    lex = lex or Lexicon.default()
    texts = list(texts)
    return [_classify_doc(doc, t, lex) for t, doc in zip(texts, get_nlp().pipe(texts, batch_size=batch_size))]
