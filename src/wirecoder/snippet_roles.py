"""Verbatim actor and recipient spans of a sentence's main event, read from the parse.

Used by :mod:`wirecoder.classify` (sentence-level coding, scored by ``eval plv`` and
``eval gsr``): who does it (the subject, the agent of a passive, the possessor or
"by" phrase of a nominal trigger) and to whom (the object, the indirect object, the
party behind a thing, the place or party a thing is moved to).
"""

from __future__ import annotations

from functools import lru_cache

from .roles import _subject as roles_subject

STRIP_LEFT = {"the", "a", "an", "some", "this", "that", "these", "those"}


def _lemma(tok) -> str:
    return tok.lemma_.lower()



@lru_cache(maxsize=1)
def _actor_dict():
    from .actors import ActorDictionary
    return ActorDictionary.default()


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


PLACE_HEADS = {"camp", "base", "town", "city", "village", "area", "position", "hill", "hilltop", "district", "territory",
               "region", "checkpoint", "post", "outpost", "stronghold", "airport", "port", "crossing", "road", "highway",
               "bridge", "neighbourhood", "neighborhood", "province", "county", "island", "valley", "mountain", "border",
               "headquarters", "garrison", "barracks", "airbase", "field", "oilfield", "dam", "suburb", "zone"}


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
