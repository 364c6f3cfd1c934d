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
actor and recipient spans read from the parse: the sub-type in :mod:`.acled_subtype`
(its cue table is data: ``[[acled_cue]]`` in ``data/triggers.toml``), the spans in
:mod:`.snippet_roles`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from .analyse import Sentence, get_nlp
from .events import REPORT_VERBS, Trigger, aux_mode, find_triggers, light_ok, SPEECH_NOUNS
from .lexicon import Lexicon
from .acled_subtype import _acled_for
from .snippet_roles import _lemma, _np_span, _text, main_clause_roles, phrase_head, roles

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
CONCESSIVE_PREPS = {"despite", "notwithstanding"}
# trigger nouns that, as the modifier of these heads, only name who or what is meant
NAMING_COMPOUNDS = {"riot": {"police", "policeman", "officer", "gear", "squad", "control", "unit", "troop", "shield",
                             "force", "van", "act"}}
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



# --------------------------------------------------------------------------- structure



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
        elif dep == "pobj" and parent.lower_ in CONCESSIVE_PREPS:
            d += 1.5   # "talks began despite the air strikes": the strikes are the backdrop
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
        if QUAD[entry_type] == 4 and entry_type != "PROTEST" or entry_type == "PROTEST" and trig.entry.mode != "demo":
            # "will boycott", "will impose sanctions", "would launch an offensive": a threat
            return "THREATEN"
        return entry_type
    if aux == "negated":
        if entry_type in COOPERATIVE or entry_type in ("REQUEST", "PROTEST", "MOBILIZE"):
            return "REJECT"
    return entry_type


OBLIGATION_AUX = {"must", "should", "ought"}
# a negated act of material conflict did not take place, so it can hardly be the main event
NEGATED_CONFLICT_PENALTY = 1.0
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


NAME_ENTS = {"ORG", "PERSON", "NORP", "GPE", "FAC"}


def _in_name(tok) -> bool:
    """Is a capitalised trigger noun a modifier inside a multiword name ("the Ostran
    Liberation Front"; not the head of a name such as "the Velmar Peace Summit")?"""
    if tok.ent_type_ not in NAME_ENTS or not tok.text[:1].isupper():
        return False
    ent = next((e for e in tok.doc.ents if e.start <= tok.i < e.end), None)
    return ent is not None and tok.i < ent.end - 1


def _candidates(doc_sents: list[Sentence], lex: Lexicon) -> list[tuple[Candidate, Trigger]]:
    out = []
    for k, sent in enumerate(doc_sents):
        for trig in find_triggers(sent, lex):
            if trig.entry.anaphor:
                continue
            if trig.nominal and _lemma(trig.token) in SPEECH_NOUNS and trig.entry.type not in ("THREATEN",):
                continue
            if trig.nominal and _in_name(trig.token):
                continue   # "the Ostran Liberation Front": a name, not an event
            if trig.nominal and trig.token.dep_ == "compound" and \
                    _lemma(trig.token.head) in NAMING_COMPOUNDS.get(_lemma(trig.token), ()):
                continue   # "riot police", "riot gear": the word names a unit, not an event
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
            if aux == "negated" and QUAD[typ] == 4:
                score -= NEGATED_CONFLICT_PENALTY   # "no arrests were made": nothing happened
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


# --------------------------------------------------------------------------- API


def _demand_roles(tok, actor, recipient):
    """'X said Y must do Z': a demand by X on Y (the reporter is the actor, the obliged
    subject the recipient)."""
    if not _obligation(tok):
        return actor, recipient
    t = tok
    for _ in range(3):
        if t.head.i == t.i:
            break
        if _is_report(t.head) and t.dep_ in ("ccomp", "parataxis"):
            rep_subj = next((c for c in t.head.children if c.dep_ == "nsubj"), None)
            own = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if own is None:   # "X said Y must be ready to mediate": the subject of the reported clause
                own = next((c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if rep_subj is not None and own is not None:
                return _text(tok.doc, _np_span(rep_subj)), _text(tok.doc, _np_span(own))
            break
        t = t.head
    return actor, recipient


def _classify_doc(doc, text: str, lex: Lexicon) -> Classification:
    sents = [_sentence_of(s, 0, i) for i, s in enumerate(doc.sents)]
    cands = _candidates(sents, lex)
    best = cands[0] if cands else None
    out = Classification(text=text, plover_type=None, candidates=[c for c, _ in cands])
    if best is not None:
        c, trig = best
        out.plover_type, out.plover_mode, out.aux_mode, out.trigger = c.type, c.mode, c.aux, c.trigger
        head = phrase_head(trig.start_token, trig.token) if trig.nominal else trig.token
        out.actor, out.recipient = roles(head, trig.nominal, trig.token.i if head is not trig.token else None)
        if c.type == "REQUEST" and c.aux in ("future", "hypothetical") and not trig.nominal:
            out.actor, out.recipient = _demand_roles(trig.token, out.actor, out.recipient)
    else:
        out.actor, out.recipient = main_clause_roles(doc)
    code = _acled_for(best[0] if best else None, text, lex, best[1] if best else None, doc)
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
