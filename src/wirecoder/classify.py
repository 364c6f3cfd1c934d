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
from .roles import _subject as roles_subject

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
        if c.dep_ == "appos" and c.i > tok.i and c.pos_ == "PROPN" and not any(
                t.is_punct for t in tok.doc[tok.i + 1: c.left_edge.i + 1]):
            right = max(right, c.i)   # "the party leader John Smith": the name is part of the phrase
            continue
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
    while right > left and (doc[right].is_punct or doc[right].dep_ == "case" and doc[right].head.i == tok.i):
        right -= 1   # a possessor without its "'s"
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
    return roles_subject(verb, verbal_heads_only=True, through_acl=True)


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
                if p.dep_ == "pobj" and p.ent_type_ not in ("DATE", "TIME"):
                    return p
    for c in verb.children:
        if c.dep_ in ("xcomp", "ccomp"):
            o = _object(c)
            if o is not None:
                return o
    return None


ACTOR_ENTS = {"PERSON", "ORG", "GPE", "NORP"}
PRONOUNS = {"it", "they", "he", "she", "its", "their", "his", "her", "them", "him", "we", "our"}
HUMAN_HEADS = {"government", "official", "minister", "president", "leader", "authority", "police", "army", "military",
               "force", "troop", "soldier", "rebel", "militant", "group", "party", "court", "prosecutor", "people",
               "opposition", "administration", "regime", "ministry", "parliament", "council", "company", "bank",
               "firm", "critic", "activist", "protester", "country", "state", "nation", "union", "agency", "team",
               "member", "chief", "spokesman", "spokeswoman", "official", "committee", "commission", "farmer",
               "worker", "student", "citizen", "resident", "civilian", "journalist", "ambassador", "envoy",
               "delegation", "cartel", "gang", "organization", "organisation", "coalition", "alliance", "ally"}
# verb-level prepositions that name the recipient ahead of a non-actor direct object
RECIPIENT_PREPS = ("against", "on", "to", "with", "into", "at", "upon", "toward", "towards", "for")
NOUN_PREPS = ("of", "against", "on", "into", "by", "toward", "towards", "with", "to")


def _actor_like(tok) -> bool:
    if tok is None:
        return False
    if tok.lower_ in PRONOUNS and tok.lower_ not in ("its", "their", "his", "her", "our"):
        return True
    if tok.ent_type_ in ("DATE", "TIME"):
        return False
    if tok.ent_type_ in ACTOR_ENTS or tok.pos_ == "PROPN":
        return True
    if tok.ent_type_ in ("DATE", "TIME", "CARDINAL", "MONEY", "PERCENT", "QUANTITY"):
        return False
    if tok.lemma_.lower() in HUMAN_HEADS:
        return True
    try:   # the phrase up to its head: "aid to Iraq" is no actor, "Iraqi troops" is
        return _actor_dict().code(tok.doc[_np_span(tok)[0]: tok.i + 1].text, head=tok.lemma_) is not None
    except Exception:
        return False


def _actor_in(tok, depth: int = 0):
    """The actor a non-actor noun phrase is about: "Buhari's decision" -> Buhari,
    "an investigation of Flynn" -> Flynn, "a lawsuit against the bank" -> bank."""
    if tok is None or depth > 3:
        return None
    if _actor_like(tok):
        return tok
    for c in tok.children:
        if c.dep_ == "poss" and c.lower_ not in PRONOUNS:
            return c
    for prep in NOUN_PREPS:
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ == prep:
                for pobj in c.children:
                    if pobj.dep_ == "pobj":
                        found = _actor_in(pobj, depth + 1)
                        if found is not None:
                            return found
    for c in tok.children:
        if c.dep_ == "compound" and (c.ent_type_ in ACTOR_ENTS or c.pos_ == "PROPN"):
            return c
    return None


# verbs that move or extend something to, onto or away from a party or place: their direct
# object is the thing moved ("sent troops to X", "withdrew peacekeepers from X", "lifted
# sanctions on X", "gave X aid"), the party or place is the recipient
TRANSFER_VERBS = {
    "send", "dispatch", "deploy", "withdraw", "pull", "contribute", "provide", "give", "donate", "offer", "lift",
    "impose", "suspend", "reduce", "cut", "return", "extradite", "deliver", "ship", "extend", "ease", "grant",
    "allow", "pledge", "commit", "station", "move", "evacuate", "repatriate", "hand", "transfer", "supply", "loan",
    "lend", "pay", "award", "deport", "expel", "remove", "relax", "restore", "resume", "halt", "freeze", "end",
    "waive", "drop", "rescind", "revoke", "repeal", "slap", "levy", "announce", "approve", "accept", "admit",
    "take", "bring", "airlift", "fly", "channel", "funnel", "release", "free", "sell", "export", "import",
}
GOAL_PREPS = ("to", "into", "on", "upon", "against", "from", "toward", "towards", "for", "over")
# nouns for what a party puts forward: "rejected a request from X" -> X
PROPOSAL_NOUNS = {"request", "call", "demand", "appeal", "plea", "proposal", "offer", "invitation", "plan", "bid",
                  "initiative", "ultimatum", "order", "decision", "suggestion", "overture", "apology", "explanation",
                  "statement", "comment", "remark", "policy", "move", "approach", "stance", "position", "claim",
                  "accusation", "allegation", "assurance", "guarantee", "pressure", "help", "support", "aid",
                  "assistance", "message", "letter", "warning", "threat", "motion", "effort"}
PLACE_ENTS = {"GPE", "LOC", "FAC"}


def _named(tok) -> bool:
    return tok is not None and (tok.ent_type_ in ACTOR_ENTS | PLACE_ENTS or tok.pos_ == "PROPN")


def _party_or_place(tok):
    """A prepositional object that can be a recipient: a party, a place, or the party
    inside it ("the province of X" keeps the province)."""
    if tok is None or tok.ent_type_ in ("DATE", "TIME", "CARDINAL", "MONEY", "PERCENT", "QUANTITY"):
        return None
    if tok.ent_type_ in PLACE_ENTS or tok.lemma_.lower() in PLACE_HEADS:
        return tok
    return _actor_in(tok)


def _pobj(prep):
    return next((x for x in prep.children if x.dep_ == "pobj"), None)


def _owner(obj):
    """'X's decision', 'a request from X': the party behind a thing."""
    if obj is None or _named(obj) or obj.lemma_.lower() in HUMAN_HEADS:
        return None
    for c in obj.children:
        if c.dep_ == "poss" and c.lower_ not in PRONOUNS and _named(c):
            return c
    if obj.lemma_.lower() in PROPOSAL_NOUNS:
        for c in obj.children:
            if c.dep_ == "prep" and c.lower_ == "from":
                p = _pobj(c)
                if p is not None and _actor_like(p):
                    return p
    return None


def _recipient(verb, obj):
    """The target of a verb: the indirect object; the party behind a thing ("rejected X's
    plan"); the place or party a thing is moved to, onto or away from ("sent troops to X",
    "lifted sanctions on X"); a prepositional object where the direct object is a thing
    ("filed a lawsuit against X", "called on X"); else the actor inside the object phrase,
    else the object itself."""
    if verb is not None:
        for c in verb.children:
            if c.dep_ == "dative":
                p = _pobj(c) if c.pos_ == "ADP" else c
                if p is not None and _party_or_place(p) is not None:
                    return _party_or_place(p)
    owner = _owner(obj)
    if owner is not None:
        return owner
    transfer = verb is not None and _lemma(verb) in TRANSFER_VERBS
    if obj is not None and _actor_like(obj) and not (transfer and not _named(obj)):
        return obj
    if verb is not None:
        preps = [c for c in verb.children if c.dep_ == "prep"]
        if obj is not None and obj.dep_ == "dobj":
            preps += [c for c in obj.children if c.dep_ == "prep"]
        order = GOAL_PREPS if transfer else RECIPIENT_PREPS
        for prep in order:
            for c in preps:
                if c.lower_ == prep:
                    p = _pobj(c)
                    found = _party_or_place(p) if transfer else _actor_in(p)
                    if found is not None:
                        return found
        if transfer:
            for c in preps:
                if c.lower_ == "in":
                    p = _pobj(c)
                    if p is not None and p.ent_type_ in PLACE_ENTS:
                        return p
    if obj is not None and _actor_like(obj):
        return obj
    if obj is not None and (obj.lemma_.lower() in EVENT_NOUNS or obj.lemma_.lower() in PROPOSAL_NOUNS and any(
            c.dep_ == "prep" and c.lower_ == "by" for c in obj.children)):
        return obj   # "condemned the bombing of X", "rejected a motion by X": the thing is the target
    found = _actor_in(obj)
    if found is not None:
        return found
    return obj


# nouns of events: "condemned the killing of civilians" targets the killing
EVENT_NOUNS = {"killing", "murder", "assassination", "bombing", "shooting", "attack", "death", "execution",
               "abduction", "kidnapping", "arrest", "detention", "violence", "massacre", "beheading", "torture",
               "abuse", "crackdown", "invasion", "occupation", "shelling", "airstrike", "strike", "raid",
               "explosion", "blast", "crash", "disappearance", "imprisonment", "persecution", "destruction",
               "demolition", "annexation", "result", "outcome", "conduct", "handling", "treatment", "use"}
SYMMETRIC_VERBS = {"agree", "meet", "sign", "talk", "negotiate", "discuss", "cooperate", "reach", "conclude",
                   "clash", "fight", "exchange", "hold", "confer", "consult", "settle", "ink", "forge", "seal",
                   "establish", "restore", "normalize", "normalise", "resume", "trade", "share", "conduct", "stage"}


SYMMETRIC_NOUNS = {"talk", "meeting", "agreement", "deal", "accord", "treaty", "pact", "negotiation", "summit",
                   "discussion", "clash", "ceasefire", "truce", "exercise", "cooperation", "partnership"}


def _coordinated_partner(subj):
    """'X and Y agreed': the second party of a coordinated subject."""
    if subj is None:
        return None
    for c in subj.children:
        if c.dep_ == "conj" and (_actor_like(c) or c.ent_type_ in PLACE_ENTS):
            return c
    return None


def _verb_prep_party(verb, preps=("with", "against", "on", "to", "at", "between", "toward", "towards")):
    """A party named by a prepositional phrase of the verb that governs a nominal trigger
    ("held talks with X" where the parse attaches "with X" to the verb)."""
    if verb is None:
        return None
    for prep in preps:
        for c in verb.children:
            if c.dep_ == "prep" and c.lower_ == prep:
                found = _party_or_place(_pobj(c))
                if found is not None:
                    return found
    return None


def _antecedent(tok):
    """A pronoun subject's antecedent: the subject of a governing clause ("X said it would")."""
    t = tok.head
    for _ in range(4):
        for c in t.children:
            if c.dep_ in ("nsubj", "nsubjpass") and c.i != tok.i and c.lower_ not in PRONOUNS and c.i < tok.i:
                return c
        if t.head.i == t.i:
            break
        t = t.head
    return tok


def _subject_through_adj(verb):
    """'is willing to withdraw', 'is ready to contribute': the subject of the copula."""
    h = verb.head
    if verb.dep_ == "xcomp" and h.pos_ == "ADJ" and h.head.i != h.i:
        for c in h.head.children:
            if c.dep_ in ("nsubj", "nsubjpass"):
                return c
    return None


def roles(trig_tok, nominal: bool) -> tuple[str | None, str | None]:
    doc = trig_tok.doc
    subj = obj = None
    verb = None
    if not nominal:
        verb = trig_tok
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)
        subj = _subject(verb) or _subject_through_adj(verb)
        obj = _object(verb)
        if passive:
            agent = None
            for c in verb.children:
                if c.dep_ == "agent":
                    agent = next((p for p in c.children if p.dep_ == "pobj"), None)
            subj = agent
            obj = next((c for c in verb.children if c.dep_ == "nsubjpass"), obj)
        elif obj is not None and obj.dep_ != "nsubjpass":
            obj = _recipient(verb, obj) if obj.head.i == verb.i or obj.dep_ == "pobj" else obj
    else:
        for c in trig_tok.children:
            if c.dep_ == "poss":
                subj = c
            elif c.dep_ == "prep" and c.lower_ in ("by", "from"):
                subj = next((p for p in c.children if p.dep_ == "pobj"), subj)
            elif c.dep_ == "prep" and c.lower_ in OBJ_PREPS and c.lower_ != "from" and obj is None:
                obj = next((p for p in c.children if p.dep_ == "pobj"), None)
        if obj is not None:
            obj = _actor_in(obj) or obj
        verb = _verb_of(trig_tok)
        if verb is not None:
            if subj is None or subj.lower_ in PRONOUNS:
                s = _subject(verb) or _subject_through_adj(verb)
                if s is not None and s.i != trig_tok.i:
                    subj = s
            if obj is None:
                obj = _verb_prep_party(verb)
            if obj is None:
                o = _object(verb)
                if o is not None and o.i != trig_tok.i:
                    obj = _recipient(verb, o)
    if subj is not None and subj.lower_ in ("who", "that", "which") and subj.head.dep_ == "relcl":
        subj = subj.head.head
    if subj is not None and subj.lower_ in PRONOUNS:
        subj = _antecedent(subj)
    if subj is not None and (obj is None or nominal and _lemma(trig_tok) in SYMMETRIC_NOUNS or
                             not nominal and _lemma(trig_tok) in SYMMETRIC_VERBS and not _actor_like(obj)):
        partner = _coordinated_partner(subj)
        if partner is not None:
            obj = partner
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


@lru_cache(maxsize=1)
def _actor_dict():
    from .actors import ActorDictionary
    return ActorDictionary.default()


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


def _role_toks(trig_tok, nominal: bool):
    """(actor token, recipient token) of a trigger, as :func:`roles` finds them."""
    subj = obj = None
    if not nominal:
        verb = trig_tok
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)
        subj, obj = _subject(verb), _object(verb)
        if obj is not None and obj.lemma_.lower() in ("fire", "shot", "shots", "salvo", "attack", "assault"):
            # "opened fire on X", "launched an attack on X": the target is the prepositional object
            for c in obj.children if obj.dep_ != "nsubjpass" else ():
                if c.dep_ == "prep" and c.lower_ in ("on", "at", "against", "upon"):
                    obj = next((p for p in c.children if p.dep_ == "pobj"), obj)
            for c in verb.children:
                if c.dep_ == "prep" and c.lower_ in ("on", "at", "against", "upon"):
                    obj = next((p for p in c.children if p.dep_ == "pobj"), obj)
        if passive:
            subj = None
            for c in verb.children:
                if c.dep_ == "agent":
                    subj = next((p for p in c.children if p.dep_ == "pobj"), None)
            obj = next((c for c in verb.children if c.dep_ == "nsubjpass"), obj)
    else:
        for c in trig_tok.children:
            if c.dep_ == "poss":
                subj = c
            elif c.dep_ == "prep" and c.lower_ == "by":
                subj = next((p for p in c.children if p.dep_ == "pobj"), subj)
            elif c.dep_ == "prep" and c.lower_ in ("against", "on", "with", "at", "between") and obj is None:
                obj = next((p for p in c.children if p.dep_ == "pobj"), None)
        verb = _verb_of(trig_tok)
        if verb is not None:
            if subj is None:
                s = _subject(verb)
                subj = s if s is not None and s.i != trig_tok.i else None
            if obj is None:
                o = _object(verb)
                obj = o if o is not None and o.i != trig_tok.i else None
    if subj is not None and subj.lower_ in ("who", "that", "which") and subj.head.dep_ == "relcl":
        subj = subj.head.head
    return subj, obj


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
    acled_cues, _ = _cue_tables()
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
PLACE_HEADS = {"camp", "base", "town", "city", "village", "area", "position", "hill", "hilltop", "district", "territory",
               "region", "checkpoint", "post", "outpost", "stronghold", "airport", "port", "crossing", "road", "highway",
               "bridge", "neighbourhood", "neighborhood", "province", "county", "island", "valley", "mountain", "border",
               "headquarters", "garrison", "barracks", "airbase", "field", "oilfield", "dam", "suburb", "zone"}
SEIZE_LEMMAS = {"capture", "seize", "retake", "recapture", "regain", "liberate", "overrun", "occupy", "wrest"}
PROTEST_CODES = {"PEACE_PROTEST", "PROTEST_WITH_INTER", "FORCE_AGAINST_PROTEST", "VIOL_DEMONSTR"}


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
        out.actor, out.recipient = roles(trig.token, trig.nominal)
        if c.type == "REQUEST" and c.aux in ("future", "hypothetical") and not trig.nominal:
            out.actor, out.recipient = _demand_roles(trig.token, out.actor, out.recipient)
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
