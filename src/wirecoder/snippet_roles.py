"""The role reader: verbatim actor and recipient phrases of an event mention, read from
the parse (called by the roles stage, :func:`wirecoder.roles.read_phrases`; what ``eval
plv`` and ``eval gsr`` score for the main event): who does it (the subject, the agent of
a passive, the possessor or "by" phrase of a nominal trigger) and to whom (the object, the indirect object, the
party behind a thing, the place or party a thing is moved to, the addressee of a
complement clause, and, as PLOVER coders do, the place an event happens in where no
party is on the receiving end).
"""

from __future__ import annotations

from . import pronouns
from .phrases import lemma as _lemma
from .phrases import np_span as _np_span
from .analyse import doc_actors
from .roles import subject as roles_subject








# participles that give a party's name: "the militia known as X", "a group called X"
NAMING_VERBS = {"know", "call", "name", "dub", "nickname", "style", "brand"}


def _recipient_span(tok) -> tuple[int, int]:
    """The recipient's phrase: the noun phrase with a passive participle and its agent that
    follow it directly ("the proposal put forward by X", "an appeal lodged by X"), as PLOVER
    coders mark it."""
    left, right = _np_span(tok)
    for c in tok.children:
        if c.dep_ == "acl" and c.i == right and c.tag_ == "VBN" and _lemma(c) in NAMING_VERBS:
            right = max(right, c.right_edge.i + 1)   # "the group known as X": the name is part of it
            continue
        if c.dep_ == "acl" and c.i == right and c.tag_ == "VBN" and any(
                a.dep_ == "agent" and any(p.dep_ == "pobj" and p.lower_ not in PRONOUNS for p in a.children)
                for a in c.children):
            agent = next(p for a in c.children if a.dep_ == "agent" for p in a.children if p.dep_ == "pobj")
            right = max(right, _np_span(agent)[1])
    doc = tok.doc
    while right > left + 1 and doc[right - 1].is_punct:
        right -= 1
    return left, right


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


def verb_subject(verb):
    """The doer of a verb as the role reader sees it: through verbal heads and acl clauses."""
    return roles_subject(verb, verbal_heads_only=True, through_acl=True)


OBJ_PREPS = ("against", "on", "with", "to", "at", "into", "upon", "from", "for", "of", "toward", "towards")


def _object(verb, clause_subject: bool = False):
    """The direct, indirect or prepositional object of a verb, else one of its complement
    clause. With clause_subject, also the subject of a complement clause ("demanded that X
    resign") and an object predicate the parse mislabels ("called X")."""
    for c in verb.children:
        if c.dep_ in ("dobj", "nsubjpass"):
            return c
    for c in verb.children:
        if c.dep_ == "dative" or clause_subject and c.dep_ == "oprd" and _actor_like(c):
            return c
    for c in verb.children:
        if c.dep_ == "prep" and c.lower_ in OBJ_PREPS:
            for p in c.children:
                if p.dep_ == "pobj" and p.ent_type_ not in ("DATE", "TIME"):
                    return p
    addressee = _complement_subject(verb) if clause_subject else None
    if addressee is not None:
        return addressee
    for c in verb.children:
        if c.dep_ in ("xcomp", "ccomp"):
            o = _object(c, clause_subject)
            if o is not None:
                return o
    return None


DUMMY_SUBJECTS = {"it", "there", "this", "that", "what", "which"}


def _complement_subject(verb):
    """The party a verb acts on through a clause: "demanded that X resign", "found X
    guilty", "allowed X to enter", "urged X to act" where the parse makes X the subject
    of the complement clause."""
    for c in verb.children:
        if c.dep_ in ("ccomp", "xcomp") and c.i > verb.i:
            subj = next((s for s in c.children if s.dep_ in ("nsubj", "nsubjpass") and s.i > verb.i), None)
            inverted = subj is not None and any(a.dep_ == "aux" and a.i < subj.i for a in c.children)
            if subj is not None and not inverted and subj.lower_ not in DUMMY_SUBJECTS:
                return subj   # (not "..., should X proceed": an inverted conditional)
    return _for_clause_subject(verb)


# verbs of sending or issuing a message, whose participle clause says what it does
MESSAGE_VERBS = {"send", "issue", "deliver", "write", "address", "hand", "submit", "present"}


def _message_addressee(verb):
    """'sent a letter to X threatening to ...', 'wrote to X demanding ...': the participle
    clause of a message says what it does; the party it is addressed to is the recipient."""
    if verb.tag_ != "VBG" or verb.dep_ not in ("advcl", "acl"):
        return None
    head = verb.head if verb.dep_ == "advcl" else verb.head.head
    if head.pos_ != "VERB" or _lemma(head) not in MESSAGE_VERBS:
        return None
    preps = [c for c in head.children if c.dep_ in ("prep", "dative") and c.lower_ == "to"]
    preps += [c for x in head.children if x.dep_ == "dobj" for c in x.children if c.dep_ == "prep" and c.lower_ == "to"]
    for c in preps:
        p = _pobj(c)
        if p is not None and (_actor_in(p) is not None or p.ent_type_ in PLACE_ENTS):
            return p   # ("the head of X": the office addressed)
    return None


def _for_clause_subject(verb):
    """'gave approval for X to deliver aid', 'paved the way for X to return': the party a
    "for ... to" clause lets or has act."""
    for c in verb.children:
        if c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ == "for" for m in c.children):
            subj = next((s for s in c.children if s.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is not None and subj.lower_ not in DUMMY_SUBJECTS:
                return subj
    return None


ACTOR_ENTS = {"PERSON", "ORG", "GPE", "NORP"}
PRONOUNS = pronouns.THIRD_PARTY
HUMAN_HEADS = {"government", "official", "minister", "president", "leader", "authority", "police", "army", "military",
               "force", "troop", "soldier", "rebel", "militant", "group", "party", "court", "prosecutor", "people",
               "opposition", "administration", "regime", "ministry", "parliament", "council", "company", "bank",
               "firm", "critic", "activist", "protester", "country", "state", "nation", "union", "agency", "team",
               "member", "chief", "spokesman", "spokeswoman", "official", "committee", "commission", "farmer",
               "worker", "student", "citizen", "resident", "civilian", "journalist", "ambassador", "envoy",
               "delegation", "cartel", "gang", "organization", "organisation", "coalition", "alliance", "ally"}
# nouns for a part of a party
PARTITIVE_NOUNS = {"remnant", "faction", "wing", "branch", "splinter", "offshoot", "affiliate", "loyalist",
                   "supporter", "follower", "cell", "contingent", "element"}
# verb-level prepositions that name the recipient ahead of a non-actor direct object
RECIPIENT_PREPS = ("against", "on", "to", "with", "into", "at", "upon", "toward", "towards", "for")
NOUN_PREPS = ("of", "against", "on", "into", "by", "toward", "towards", "with", "to", "among", "between")


def _actor_like(tok) -> bool:
    if tok is None:
        return False
    if tok.lower_ in PRONOUNS and tok.lower_ not in pronouns.POSSESSIVE:
        return True
    if tok.ent_type_ in ("DATE", "TIME"):
        return False
    if tok.ent_type_ in ACTOR_ENTS or tok.pos_ == "PROPN":
        return True
    if tok.ent_type_ in ("DATE", "TIME", "CARDINAL", "MONEY", "PERCENT", "QUANTITY"):
        return False
    if tok.lemma_.lower() in HUMAN_HEADS:
        return True
    if tok.lemma_.lower() in PARTITIVE_NOUNS and any(
            c.dep_ == "prep" and c.lower_ == "of" and _pobj(c) is not None and _actor_like(_pobj(c))
            for c in tok.children):
        return True   # "the remnants of X", "a faction of X": a part of a party is a party
    try:   # the phrase up to its head: "aid to Iraq" is no actor, "Iraqi troops" is
        return doc_actors(tok.doc).code(tok.doc[_np_span(tok)[0]: tok.i + 1].text, head=tok.lemma_) is not None
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
    "mobilize", "mobilise", "spend", "allocate", "earmark",
}
# verbs that let people go: the people freed are the target ("released X to the Red Cross")
RELEASE_VERBS = {"release", "free"}
# nominal triggers of moving or extending something: "the deployment of troops to X"
TRANSFER_NOUNS = {"deployment", "withdrawal", "delivery", "shipment", "transfer", "supply", "dispatch", "suspension",
                  "pullout", "evacuation", "repatriation", "extradition", "deportation", "expulsion", "return",
                  "donation", "contribution", "provision", "assistance", "aid", "funding", "loan", "grant", "sale",
                  "export", "import", "release", "lifting", "imposition", "easing", "freeze"}
# verbs that move people against their will: the people moved are the target
EXPULSION_VERBS = {"expel", "deport", "extradite", "evict", "banish", "exile"}
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
    if tok.ent_type_ in PLACE_ENTS or tok.lemma_.lower() in REGION_HEADS:
        return tok
    if not _named(tok):   # "troops to the peacekeeping force in X", "food to 300,000 people in X": X
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ == "in":
                p = _pobj(c)
                if p is not None and p.ent_type_ in ("GPE", "LOC"):
                    return p
    return _actor_in(tok)


def _pobj(prep):
    """The object of a preposition; where the parse hangs a clause on it instead ("an
    attack on the government calling it ..."), that clause's subject."""
    found = next((x for x in prep.children if x.dep_ == "pobj"), None)
    if found is None:
        pcomp = next((x for x in prep.children if x.dep_ == "pcomp"), None)
        if pcomp is not None:
            found = next((x for x in pcomp.children if x.dep_ in ("nsubj", "dobj") and x.pos_ in ("NOUN", "PROPN")),
                         None)   # also "in occupied X" parsed as a clause
    return found


def _owner(obj):
    """'X's decision', 'a request from X': the party behind something put forward. Only for
    such nouns (PROPOSAL_NOUNS): in "X's headquarters" the thing itself is the target."""
    if obj is None or _named(obj) or obj.lemma_.lower() in HUMAN_HEADS:
        return None
    if obj.lemma_.lower() not in PROPOSAL_NOUNS:
        return None
    for c in obj.children:
        if c.dep_ == "poss" and c.lower_ not in PRONOUNS and (_named(c) or _actor_like(c)):
            return c
    for c in obj.children:
        if c.dep_ == "prep" and c.lower_ in ("from", "by"):
            p = _pobj(c)
            if p is not None and _actor_like(p):
                return p
    return None


# nouns of an attitude towards a party: "expressed its solidarity with X", "reiterated
# Turkey's support for X", "its commitment to support X"; the possessor is the actor's side
STANCE_NOUNS = {"support", "solidarity", "commitment", "condolence", "sympathy", "gratitude", "appreciation",
                "backing", "respect", "admiration", "congratulation", "thanks", "loyalty", "readiness",
                "willingness", "confidence", "trust", "friendship", "allegiance"}
STANCE_PREPS = ("for", "with", "to", "toward", "towards")


def _stance_target(obj, verb=None):
    """The party an attitude noun is directed at (see STANCE_NOUNS), or None; the parse
    may hang "with X" on the verb ("expressed solidarity with X")."""
    if obj is None or obj.lemma_.lower() not in STANCE_NOUNS:
        return None
    heads = [obj] + ([verb] if verb is not None else [])
    heads += [c for h in heads for c in h.children if c.dep_ == "conj" and _lemma(c) in STANCE_NOUNS]
    preps = [c for h in heads for c in h.children if c.dep_ == "prep"]
    order = STANCE_PREPS
    if any(c.dep_ == "poss" and c.lower_ in PRONOUNS for c in obj.children):
        order = STANCE_PREPS + ("of",)   # "voiced his support of X": the possessor is the actor
    for prep in order:
        for c in preps:
            if c.lower_ == prep:
                found = _party_or_place(_pobj(c))
                if found is not None:
                    return found
    for c in obj.children:
        if c.dep_ in ("acl", "xcomp", "relcl") and c.pos_ == "VERB":
            o = _object(c)
            if o is not None and _actor_like(o):
                return o
    return None


# verbs of a purpose clause that name the beneficiary: "gave $5m to help X", "sent jets to
# destroy X"
PURPOSE_VERBS = {"help", "assist", "support", "aid", "benefit", "protect", "feed", "rescue", "rebuild", "strengthen",
                 "bolster", "destroy", "attack", "strike", "fight", "relieve", "reinforce", "defend", "secure"}


def _helped_party(verb):
    """The object of a purpose clause of a transfer ("donated ventilators to assist X")."""
    for c in verb.children:
        if c.dep_ in ("advcl", "xcomp") and _lemma(c) in PURPOSE_VERBS and any(
                a.dep_ == "aux" and a.lower_ == "to" for a in c.children):
            o = next((x for x in c.children if x.dep_ == "dobj"), None)
            if o is not None:
                return _actor_in(o) or o
    return None


def _party_name(tok) -> bool:
    """A name that stands for a party (not a named thing such as a prize or a book)."""
    return tok.ent_type_ in ACTOR_ENTS


def _nested_preps(obj, verb):
    """Prepositions inside an object phrase and inside the verb's own prepositional phrases
    (not inside clauses), outermost first."""
    out = []
    for root in [obj] + [c for c in verb.children if c.dep_ == "prep"]:
        stack = [root]
        while stack:
            t = stack.pop(0)
            for c in t.children:
                if c.dep_ in ("relcl", "acl", "advcl", "ccomp", "xcomp", "appos"):
                    continue
                if c.dep_ == "prep" and c.i != root.i:
                    out.append(c)
                stack.append(c)
    return out


# prepositions that introduce a purpose: "spent X on helping Y", "paid X as compensation for Y"
PURPOSE_PREPS = ("on", "for", "as")


def _purpose_party(verb, obj=None):
    """The beneficiary of a transfer of money or goods named only in its purpose: "gave X
    euros to promote investment in Y", "spent X on helping to integrate refugees", "paid X
    as compensation for survivors", also where the parse hangs the purpose on the thing
    given ("announced an increase in funding to fight X in Y"). The first party object of
    the purpose, else the first place it names."""
    heads = [verb] + ([obj] if obj is not None else [])
    clauses = [c for h in heads for c in h.children if c.dep_ in ("advcl", "xcomp", "acl") and any(
        a.dep_ == "aux" and a.lower_ == "to" for a in c.children)]
    clauses += [x for c in verb.children if c.dep_ == "prep" and c.lower_ in PURPOSE_PREPS
                for x in c.children if x.dep_ in ("pcomp", "pobj")]
    for cl in clauses:
        toks = list(cl.subtree)
        for t in toks:
            if t.dep_ in ("dobj", "pobj") and t.head.lower_ not in ("in", "at", "with") and _actor_like(t) \
                    and t.lower_ not in PRONOUNS:
                return t
        for t in toks:
            if t.dep_ == "pobj" and t.head.lower_ == "in" and t.ent_type_ in ("GPE", "LOC"):
                return t
    return None


def _prep_party(preps, order, transfer: bool):
    """The first party (or, for transfers, place) among prepositional objects, by preposition."""
    for prep in order:
        for c in preps:
            if c.lower_ == prep:
                p = _pobj(c)
                if p is not None and p.ent_type_ in ("DATE", "TIME"):
                    continue
                found = _party_or_place(p) if transfer else _actor_in(p)
                if found is None and transfer and prep == "to" and p is not None and p.pos_ in ("NOUN", "PROPN") \
                        and not _abstract(p):
                    found = p   # "returned the painting to its owners": whoever it goes to
                if found is not None:
                    return found
    return None


GOAL_TO_PREPS = ("to", "into")


def _transfer_goal_within(noun):
    """'a suspension of aid in X', 'the release of $5m in assistance to X': the party or
    place named inside a phrase about moving aid, funds or forces (its "to" goal, else
    the place it is in)."""
    preps = [t for t in noun.subtree if t.dep_ == "prep" and t.i > noun.i and t.head.dep_ not in ("amod", "acomp")
             and not any(a.dep_ in ("relcl", "acl", "advcl", "ccomp", "xcomp") for a in t.ancestors
                         if a.i > noun.i and noun in a.ancestors)]
    found = _prep_party(preps, GOAL_TO_PREPS, True)
    if found is not None:
        return found
    for t in preps:
        p = _pobj(t) if t.lower_ == "in" else None
        if p is not None and (p.ent_type_ in PLACE_ENTS or p.lemma_.lower() in REGION_HEADS):
            return p
    return None


def _deep_goal(obj):
    """'handed a vase painted with a portrait of X to Y', 'sent records of clients that list
    ... to Y': the parse hangs the goal of a transfer on a clause or apposition deep
    inside the object; the first "to" phrase in it naming a party or place
    (not an adjective's own complement: "close to X")."""
    for t in obj.subtree:
        if t.dep_ == "prep" and t.lower_ in GOAL_TO_PREPS and t.i > obj.i and t.head.dep_ not in ("amod", "acomp"):
            found = _prep_party([t], GOAL_TO_PREPS, True)
            if found is not None:
                return found
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
    if _creates(verb) and obj is not None and obj.dep_ == "dobj":
        # what is set up does not exist yet: the place it is set up in is the target
        place = _place_of(verb, None) or _place_within(obj)
        if place is not None:
            return place
    stance_target = _stance_target(obj, verb)
    if stance_target is not None:
        return stance_target
    partner = _meeting_partner(obj, verb) or _breached_party(obj, verb) or _sharing_partner(obj, verb)
    if partner is not None:
        return partner
    owner = _owner(obj)
    if owner is not None:
        return owner
    transfer = verb is not None and _lemma(verb) in TRANSFER_VERBS
    if obj is not None and _actor_like(obj) and (not transfer or _party_name(obj) or _lemma(verb) in EXPULSION_VERBS):
        return obj   # (the troops sent to X are no target; the diplomats expelled from X are)
    if verb is not None:
        preps = [c for c in verb.children if c.dep_ == "prep" or c.dep_ == "dative" and c.pos_ == "ADP"]
        if obj is not None and obj.dep_ == "dobj":
            preps += [c for c in obj.children if c.dep_ == "prep"]
        order = GOAL_PREPS if transfer else RECIPIENT_PREPS
        found = _prep_party(preps, order, transfer)
        if found is None and transfer and obj is not None and obj.dep_ == "dobj" and \
                _lemma(verb) not in EXPULSION_VERBS | RELEASE_VERBS:
            # "returned the skulls that date back ... to X", "lifted restrictions imposed on X":
            # the parse hangs the goal on a clause inside the object
            clause_preps = [p for c in obj.children if c.dep_ in ("acl", "relcl") for p in c.children
                            if p.dep_ == "prep"]
            found = _prep_party(clause_preps, order, transfer)
        if found is None and transfer and obj is not None and obj.dep_ == "dobj" and \
                _lemma(verb) not in EXPULSION_VERBS | RELEASE_VERBS:
            # "the deployment of 230 troops, including officers, to X", "a grant and a loan to X",
            # "ammunition alongside assistance to X": the goal sits deeper in the phrase
            found = _prep_party(_nested_preps(obj, verb), ("to", "into", "toward", "towards", "from"), transfer)
        if found is None and transfer and obj is not None and obj.dep_ == "dobj" and \
                _lemma(verb) not in EXPULSION_VERBS | RELEASE_VERBS:
            found = _deep_goal(obj)
        if found is not None:
            return found
        if transfer:
            for c in preps:
                if c.lower_ == "in":
                    p = _pobj(c)
                    if p is not None and p.ent_type_ in PLACE_ENTS:
                        return p
            helped = _helped_party(verb)
            if helped is not None:
                return helped
            if obj is not None and not _actor_like(obj) and not _abstract(obj):
                helped = _purpose_party(verb, obj)
                if helped is not None:
                    return helped
    if obj is not None and _actor_like(obj):
        return obj
    if obj is not None and (obj.lemma_.lower() in EVENT_NOUNS or obj.lemma_.lower() in PROPOSAL_NOUNS and any(
            c.dep_ == "prep" and c.lower_ == "by" for c in obj.children)):
        return obj   # "condemned the bombing of X", "rejected a motion by X": the thing is the target
    place = _scene(verb, obj)
    if place is not None:
        return place
    if obj is not None and obj.pos_ in ("PRON", "DET") and obj.lower_ in QUANTIFIERS:
        inner = next((_pobj(c) for c in obj.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        if inner is not None:   # "eased some of its restrictions on X": look inside
            obj = inner
    found = _actor_in(obj) if _abstract(obj) else None
    if found is not None:
        return found
    return obj


QUANTIFIERS = {"some", "many", "most", "several", "all", "any", "each", "none", "much", "both"}
# abstract nouns that stand for an action or a measure aimed at a party ("lifted its blockade of
# X", "demanded the withdrawal of X's forces"): their target is the party inside them
ACTION_NOUNS = {"withdrawal", "approval", "removal", "arrival", "refusal", "dismissal", "trial", "retrial", "probe",
                "blockade", "boycott", "ban", "embargo", "siege", "return", "release", "visit", "attempt", "support",
                "criticism", "inquiry", "case", "lawsuit", "suit", "charge", "sanction", "restriction", "call",
                "conviction", "independence", "sovereignty", "recognition", "meeting", "expansion", "deal",
                "protest", "rally", "march", "curfew", "lockdown", "emergency", "law", "access", "control", "work",
                "ceasefire", "truce", "operation", "link", "tie", "contact", "trade", "flight", "exchange",
                "hostility", "dialogue", "talk"}
# concrete nouns with an action-like ending
CONCRETE_NOUNS = {"station", "nation", "population", "institution", "organization", "organisation", "delegation",
                  "coalition", "administration", "position", "location", "foundation", "installation", "federation",
                  "corporation", "association", "commission", "opposition", "building", "settlement", "department",
                  "government", "parliament", "equipment", "structure", "infrastructure", "legislature",
                  "residence", "embassy", "conference", "agency", "alliance", "ambulance"}
NOMINAL_SUFFIXES = ("tion", "sion", "ment", "ance", "ence", "ure", "ism", "ing")


def _abstract(tok) -> bool:
    """Is tok an action or measure noun rather than a concrete party, group or thing?
    "the sons of X", "dozens of X", "the home of X" are targets themselves; "the
    withdrawal of X", "its blockade of X" point at X."""
    lem = tok.lemma_.lower()
    if lem in REGION_HEADS or lem in HUMAN_HEADS or lem in CONCRETE_NOUNS or tok.pos_ not in ("NOUN", "PROPN"):
        return False
    return lem in ACTION_NOUNS or lem in PROPOSAL_NOUNS or lem in EVENT_NOUNS or lem.endswith(NOMINAL_SUFFIXES)


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


def _noun_lemma(tok) -> str:
    """A noun's lemma, with a hyphenated first part joined on ("cease-fire" -> ceasefire)."""
    lem = tok.lemma_.lower()
    doc = tok.doc
    if tok.i >= 2 and doc[tok.i - 1].text == "-" and doc[tok.i - 2].whitespace_ == "" and \
            doc[tok.i - 1].whitespace_ == "":
        return doc[tok.i - 2].lower_ + lem
    return lem


# what two parties share: "closed its border with X", "severed ties with X"
RELATION_NOUNS = {"border", "tie", "relation", "link", "contact", "frontier"}


def _meeting_partner(obj, verb):
    """'halted the talks with X', 'left a meeting with X', 'announced a cease-fire with X',
    'closed its border with X', 'joined forces with X': where the thing acted on is an encounter or arrangement
    between parties, the party on the other side is the recipient."""
    if obj is None or obj.dep_ != "dobj":
        return None
    lem = _noun_lemma(obj)
    joined = lem == "force" and verb is not None and _lemma(verb) == "join" and not any(
        c.dep_ in ("poss", "det") for c in obj.children)
    if lem not in SYMMETRIC_NOUNS | RELATION_NOUNS and not joined:
        return None
    preps = [c for c in obj.children if c.dep_ == "prep"] + (
        [c for c in verb.children if c.dep_ == "prep"] if verb is not None else [])
    for c in preps:
        if c.lower_ == "with":
            p = _pobj(c)
            if p is not None and _actor_like(p) and p.lower_ not in PRONOUNS:
                return p
    return None


# verbs of breaking a rule or agreement, and what is broken: "violated X's ceasefire"
BREACH_VERBS = {"violate", "breach", "break", "flout", "defy", "contravene"}
AGREEMENT_NOUNS = {"ceasefire", "truce", "agreement", "accord", "deal", "ban", "embargo", "resolution", "treaty",
                   "pact", "armistice"}


def _breached_party(obj, verb):
    """'violated X's ceasefire', 'breached a ban by X on ...', 'violated the truce in X':
    the rule broken is no target; the party that set it, else the place it covers, is."""
    if obj is None or verb is None or _lemma(verb) not in BREACH_VERBS or _noun_lemma(obj) not in AGREEMENT_NOUNS:
        return None
    for c in obj.children:
        if c.dep_ == "poss" and c.lower_ not in PRONOUNS and (_named(c) or _actor_like(c)):
            return c
    for c in obj.children:
        if c.dep_ == "prep" and c.lower_ == "by":
            p = _pobj(c)
            if p is not None and _actor_like(p):
                return p
    return _place_within(obj) or _means_target(verb)


def _means_target(verb):
    """'violated the truce by shelling X', '... by firing along the border in X': the
    object of the means clause, else the first place it names."""
    means = next((x for c in verb.children if c.dep_ == "prep" and c.lower_ == "by"
                  for x in c.children if x.dep_ == "pcomp" and x.pos_ == "VERB"), None)
    if means is None:
        return None
    target = next((c for c in means.children if c.dep_ == "dobj"), None)
    if target is not None:
        return target
    for t in means.subtree:
        if t.dep_ == "pobj" and t.head.lower_ == "in" and (t.ent_type_ in PLACE_ENTS or _lemma(t) in REGION_HEADS):
            return t
    return None


def _sharing_partner(obj, verb):
    """'agreed to share information with X', 'to discuss trade with X': for a verb done
    together with another party, that party rather than the thing shared or discussed."""
    if obj is None or verb is None or _lemma(verb) not in SYMMETRIC_VERBS or _actor_like(obj) or \
            obj.ent_type_ in PLACE_ENTS:
        return None
    preps = [c for c in verb.children if c.dep_ == "prep"] + (
        [c for c in obj.children if c.dep_ == "prep"] if obj.dep_ == "dobj" else [])
    return _prep_party(preps, ("with",), False)


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


PLACE_PREPS = ("in", "at", "into", "to", "inside", "near", "along", "across", "outside", "throughout", "over")


def _place_of(trig_tok, verb):
    """Where no party is on the receiving end, the place the event is aimed at or happens
    in ("declared a ceasefire in X", "remained on alert in X", "resigned ... in X"): PLOVER
    coders name it as the target."""
    for head in (trig_tok, verb):
        if head is None:
            continue
        for prep in PLACE_PREPS:
            for c in head.children:
                if c.dep_ == "prep" and c.lower_ == prep:
                    p = _pobj(c)
                    if p is not None and (p.ent_type_ in PLACE_ENTS or p.lemma_.lower() in REGION_HEADS):
                        return p
    return None


# verbs of setting something up somewhere: "agreed to set up a centre in X" targets X
CREATE_VERBS = {"set", "establish", "build", "construct", "create", "open", "install", "station", "base"}


def _creates(verb) -> bool:
    """A verb of setting something up ("set up", "establish", "build")."""
    if verb is None or _lemma(verb) not in CREATE_VERBS:
        return False
    return _lemma(verb) != "set" or any(c.dep_ == "prt" and c.lower_ == "up" for c in verb.children)


SOUGHT_NOUNS = {"refuge", "asylum", "shelter", "sanctuary", "protection", "safety"}


def _scene(verb, obj):
    """'sought refuge in X', 'imposed a curfew in parts of X', 'set up a centre in X': where
    the object is a mere thing, the place it is put or sought in is the target."""
    if obj is not None and (_actor_like(obj) or obj.ent_type_ in PLACE_ENTS or
                            not _abstract(obj) and obj.lemma_.lower() not in SOUGHT_NOUNS):
        return None
    heads = [h for h in (obj, verb) if h is not None]
    for h in heads:
        for c in h.children:
            if c.dep_ == "prep" and c.lower_ in ("in", "at", "inside", "across", "throughout"):
                p = _pobj(c)
                if p is not None and (p.ent_type_ in PLACE_ENTS or p.lemma_.lower() in REGION_HEADS):
                    return p
    return None


OBJECT_PRONOUNS = pronouns.OBJECT
# nominal triggers whose possessor undergoes the act: "X's arrest", "X's release"
PATIENT_NOUNS = {"release", "arrest", "detention", "extradition", "deportation", "expulsion", "execution", "killing",
                 "murder", "assassination", "abduction", "kidnapping", "conviction", "sentencing", "imprisonment",
                 "removal", "dismissal", "ouster", "overthrow", "capture", "trial", "prosecution", "indictment",
                 "torture", "repatriation", "evacuation"}


def _object_antecedent(tok):
    """'convicted X ... and sentenced him': a pronoun object stands for the object of the
    verb its own verb is coordinated with."""
    verb = tok.head
    if verb.dep_ == "conj" and verb.head.pos_ == "VERB":
        first = next((c for c in verb.head.children if c.dep_ == "dobj"), None)
        if first is not None and first.lower_ not in PRONOUNS:
            return first
    return tok


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


def _mere_measure(obj) -> bool:
    """Is the recipient found an abstract measure or arrangement rather than a party or
    place ("X and Y will grant trade concessions", "X and Y are restoring relations")? Then
    the second party of a coordinated subject is the better recipient."""
    return obj is not None and obj.pos_ == "NOUN" and not _actor_like(obj) and not _named(obj) and \
        obj.lemma_.lower() not in REGION_HEADS | EVENT_NOUNS and _abstract(obj)


# verbs of a clause that says what an action is aimed against: "began a sit-in, denouncing
# X", "staged a fast to protest against X"
PROTEST_VERBS = {"protest", "denounce", "oppose", "condemn", "challenge", "demand", "pressure", "press"}


def _protested_party(verb):
    """The object of a protest clause attached to the verb that governs a nominal trigger."""
    for c in verb.children:
        if c.dep_ in ("advcl", "xcomp") and _lemma(c) in PROTEST_VERBS:
            o = _object(c)
            if o is not None and o.ent_type_ not in ("DATE", "TIME"):
                return o
    return None


def _governor_goal(noun):
    """'confirmed the dispatch of medics, among them surgeons, to X', 'backed the
    deployment of guards in X': the goal or place of a transfer noun that the parse hangs
    on the verb governing it."""
    verb = _verb_of(noun)
    if verb is None or noun.dep_ != "dobj":
        return None
    return _prep_party(_goal_preps(verb), GOAL_TO_PREPS, True) or _scene(verb, noun)


def _goal_preps(verb):
    """A verb's prepositional phrases, with the "to" phrase the parse labels a dative
    ("provided their donations to X", "were provided to X")."""
    return [c for c in verb.children if c.dep_ == "prep" or c.dep_ == "dative" and c.pos_ == "ADP"]


def _passive_goal(verb, moved):
    """'the vase was handed back by X to Y', 'the files were delivered to Y': where a
    thing is moved, the party or place it is moved to, onto or away from (people expelled
    or deported stay the target)."""
    if _lemma(verb) not in TRANSFER_VERBS - EXPULSION_VERBS or moved is None or _actor_like(moved):
        return None
    return _prep_party(_goal_preps(verb), GOAL_PREPS, True)


def _shared_complement(noun):
    """'its rejection and condemnation of X': coordinated event nouns share the complement
    that follows the last of them."""
    for c in noun.children:
        if c.dep_ == "conj" and c.pos_ == "NOUN" and any(cc.dep_ == "cc" for cc in noun.children):
            p = next((_pobj(x) for x in c.children if x.dep_ == "prep" and x.lower_ in ("of", "against", "on", "to")),
                     None)
            if p is not None and p.ent_type_ not in ("DATE", "TIME"):
                return p
    return None


def phrase_head(start_tok, trig_tok):
    """The syntactic head of a multiword nominal trigger: "state" in "a state of
    emergency", "cessation" in "a cessation of hostilities" (the last word is the one the
    lexicon keys on, but the first carries the phrase's own modifiers: "... in X")."""
    if start_tok.i < trig_tok.i and start_tok.pos_ == "NOUN" and trig_tok.dep_ == "pobj" and \
            trig_tok.head.head.i == start_tok.i:
        return start_tok
    return trig_tok


def roles(trig_tok, nominal: bool, phrase_end: int | None = None) -> tuple[tuple | None, tuple | None]:
    """(actor, recipient) token ranges [start, end) of a trigger, or None. For a multiword nominal trigger, trig_tok is
    its head (see phrase_head) and phrase_end the index of its last token, whose "of"
    phrase is part of the trigger, not its target."""
    doc = trig_tok.doc
    subj = obj = None
    verb = None
    if not nominal:
        verb = trig_tok
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)
        subj = verb_subject(verb) or _subject_through_adj(verb)
        obj = _object(verb, clause_subject=True)
        if passive:
            agent = None
            for c in verb.children:
                if c.dep_ == "agent":
                    agent = next((p for p in c.children if p.dep_ == "pobj"), None)
            subj = agent
            obj = next((c for c in verb.children if c.dep_ == "nsubjpass"), obj)
            obj = _passive_goal(verb, obj) or obj
            if agent is None:
                clause_actor, clause_target = _attack_clause(verb) or (None, None)
                subj = clause_actor or subj
                obj = clause_target or obj
        elif obj is not None and obj.dep_ != "nsubjpass":
            if obj.head.i == verb.i or obj.dep_ == "pobj":
                obj = _recipient(verb, obj)
            elif obj.head.pos_ in ("VERB", "AUX") and obj.dep_ not in ("nsubj", "nsubjpass"):
                obj = _recipient(obj.head, obj)   # "agreed to send troops to X": the embedded verb's goal
            elif _abstract(obj):
                obj = _actor_in(obj) or obj   # "allowed access of X to ...": the party inside
    else:
        for c in trig_tok.children:
            if c.dep_ == "poss" and _lemma(trig_tok) in PATIENT_NOUNS:
                obj = c   # "the tanker's release", "the leader's arrest": the possessor undergoes it
            elif c.dep_ == "poss":
                subj = c
            elif c.dep_ == "prep" and c.lower_ in ("by", "from"):
                subj = next((p for p in c.children if p.dep_ == "pobj"), subj)
            elif c.dep_ == "prep" and phrase_end is not None and trig_tok.i < c.i <= phrase_end:
                continue   # "state of siege": the rest of the trigger
            elif c.dep_ == "prep" and (c.lower_ in OBJ_PREPS or c.lower_ == "between") and c.lower_ != "from" \
                    and obj is None:
                obj = _pobj(c)
                if obj is not None and obj.ent_type_ in ("DATE", "TIME"):
                    obj = None   # "a ceasefire on Friday"
        obj = _named_before_participle(obj) or obj
        if obj is None:
            obj = _shared_complement(trig_tok)
        if obj is None:   # "its demand that X ease sanctions": the addressee of the clause
            obj = next((x for c in trig_tok.children if c.dep_ in ("acl", "ccomp") and c.i > trig_tok.i
                        for x in c.children if x.dep_ in ("nsubj", "nsubjpass") and x.lower_ not in DUMMY_SUBJECTS
                        and x.i > trig_tok.i), None)
        if _lemma(trig_tok) in TRANSFER_NOUNS:   # "deployment of troops to X": X, not the troops
            goal = _prep_party([c for c in trig_tok.children if c.dep_ == "prep"], GOAL_PREPS, True) or \
                _scene(None, trig_tok) or _governor_goal(trig_tok)
            if goal is None and (obj is None or _actor_in(obj) is None):
                # (not "the release of X held in Y", "a suspension of links with X in Y")
                goal = _transfer_goal_within(trig_tok)
            obj = goal or obj
        between = obj if obj is not None and obj.head.lower_ == "between" else None
        if obj is not None and not _actor_like(obj) and obj.lemma_.lower() not in EVENT_NOUNS and (
                _abstract(obj) or obj.pos_ not in ("NOUN", "PROPN", "NUM")):
            obj = _actor_in(obj) or obj   # "sanctions over the detention of X"; not "arrest of dozens of X"
        verb = _verb_of(trig_tok)
        if verb is not None:
            if subj is None or subj.lower_ in PRONOUNS:
                s = verb_subject(verb) or _subject_through_adj(verb)
                if s is not None and s.i != trig_tok.i:
                    subj = s
            if obj is None:   # "gave X a deadline", "issued X an ultimatum"
                obj = next((c for c in verb.children if c.dep_ == "dative" and c.pos_ != "ADP"), None)
            if obj is None:
                obj = _verb_prep_party(verb)
            if obj is None:
                o = _object(verb, clause_subject=True)
                if o is not None and o.i != trig_tok.i:
                    obj = _recipient(verb, o)
            if obj is None:
                obj = _protested_party(verb) or _for_clause_subject(verb)
        partner = next((c for c in between.children if c.dep_ == "conj"), None) if between is not None else None
        if subj is None and partner is not None:
            subj, obj = between, partner   # "talks between X and Y" with no other actor: X with Y
    if subj is not None and subj.lower_ in ("who", "that", "which") and subj.head.dep_ == "relcl":
        subj = subj.head.head
    if subj is not None and subj.lower_ in PRONOUNS:
        subj = _antecedent(subj)
    if not nominal:
        obj = _clause_recipient(verb, obj)
        if obj is None or not (obj.head.i == verb.i and obj.dep_ in ("dobj", "dative")):
            # (not "sent a letter to X accusing Y": Y is accused)
            obj = _message_addressee(verb) or obj
    obj = _refine_recipient(obj, trig_tok, verb, subj)
    received = _receiver(trig_tok, verb, nominal)
    if received is not None:
        subj, obj = received
    if obj is not None and obj.lower_ in OBJECT_PRONOUNS:
        obj = _object_antecedent(obj)
    a = _np_span(subj) if subj is not None else None
    b = _recipient_span(obj) if obj is not None else None
    if subj is not None and (obj is None or nominal and _lemma(trig_tok) in SYMMETRIC_NOUNS or
                             not nominal and _lemma(trig_tok) in SYMMETRIC_VERBS or _mere_measure(obj)):
        partner = _coordinated_partner(subj)
        if obj is not None and obj.head.lower_ == "with" and _actor_like(obj):
            pass   # "X and Y held talks with Z": the explicit partner
        elif partner is not None:
            b = _np_span(partner)
        else:
            a, b = _split_modifier_pair(subj) or (a, b)
    if b is None:
        place = _place_of(trig_tok, verb) or _nearby_party(trig_tok, a)
        b = _np_span(place) if place is not None else None
    return a, b


# verbs of backing a party's measure: "defended X's actions", "welcomed the X visit"
SUPPORT_VERBS = {"support", "back", "defend", "endorse", "welcome", "praise", "applaud", "hail", "commend",
                 "laud", "salute", "champion", "uphold"}
# nouns for a party defined only by its relation to another ("his counterpart")
ROLE_NOUNS = {"counterpart", "host", "guest", "successor", "predecessor"}
# documents and inquiries: their target is named inside them ("a report critical of X", "a
# lawsuit accusing X", "an investigation into claims that X ...")
DOCUMENT_NOUNS = {"report", "statement", "lawsuit", "suit", "complaint", "letter", "resolution", "petition",
                  "investigation", "inquiry", "probe", "communique", "declaration", "motion", "case"}
CLAIM_NOUNS = {"claim", "allegation", "report", "accusation", "charge", "suspicion", "evidence"}
# labour actions: the party they are aimed at is named later in the sentence
LABOUR_NOUNS = {"strike", "work", "walkout", "stoppage", "sit-in", "boycott"}


# the actor's own forces and arms: "pull out its soldiers", "enlarge its monitoring force"
OWN_FORCE_NOUNS = {"force", "troop", "soldier", "peacekeeper", "army", "military", "personnel", "contingent",
                   "unit", "arm", "weapon", "mission", "presence", "deployment", "battalion", "brigade"}


OWN_FORCE_PREPS = ("in", "from", "to", "into", "inside")


def _placeish(tok) -> bool:
    """A place name or region noun, also a hyphenated name the tagger only marks on its
    first part."""
    return tok.ent_type_ in PLACE_ENTS or tok.lemma_.lower() in REGION_HEADS or tok.pos_ == "PROPN" and any(
        c.dep_ == "compound" and c.ent_type_ in PLACE_ENTS for c in tok.children)


def _own_forces_place(obj, verb):
    """'enlarge its monitoring force in X', 'pull their soldiers out of X': the actor's own
    forces are no target; the place they are in, sent to or taken from is."""
    if obj is None or obj.lemma_.lower() not in OWN_FORCE_NOUNS or not any(
            c.dep_ == "poss" and c.lower_ in ("its", "their", "his", "her", "our") for c in obj.children):
        return None
    for head in [obj] + ([verb] if verb is not None else []):
        for c in head.children:
            if c.dep_ == "prep" and c.lower_ in OWN_FORCE_PREPS:
                p = _pobj(c)
                if p is not None and _placeish(p):
                    return p
    return _place_within(obj) or (_place_of(verb, None) if verb is not None else None)


# participles of speech the tagger can take for nouns: "an ultimatum to X warning of ..."
SPEECH_PARTICIPLES = {"warning", "urging", "demanding", "calling", "saying", "threatening", "asking", "accusing"}


def _named_before_participle(obj):
    """'issued an ultimatum to X warning of military action': where the parse makes the
    participle a noun modified by the name, the name is the recipient."""
    if obj is None or obj.lower_ not in SPEECH_PARTICIPLES or obj.pos_ != "NOUN":
        return None
    return next((c for c in obj.children if c.dep_ in ("compound", "amod", "nmod") and c.i == obj.i - 1 and
                 (c.ent_type_ in ACTOR_ENTS | PLACE_ENTS or c.pos_ == "PROPN")), None)


def _refine_recipient(obj, trig_tok, verb, subj):
    """Second thoughts on a recipient that is a thing rather than a party or place, or a
    mere "counterpart"."""
    if obj is not None and obj.lemma_.lower() in ROLE_NOUNS and any(
            c.dep_ == "poss" and c.lower_ in PRONOUNS for c in obj.children):
        # "his counterpart, X": the name says who
        name = None
        for t in obj.doc[obj.i + 1: min(obj.i + 8, obj.sent.end)]:
            if t.ent_type_ == "PERSON":
                name = t
            elif name is not None or not (t.is_punct or t.pos_ in ("ADJ", "PROPN", "NOUN")):
                break
        return name or obj
    own_place = _own_forces_place(obj, verb)
    if own_place is not None:
        return own_place
    named = _named_before_participle(obj)
    if named is not None:
        return named
    if obj is not None and obj.lemma_.lower() in TRANSFER_NOUNS and obj.pos_ == "NOUN":
        goal = _transfer_goal_within(obj)   # "the largest donor of assistance in X": X
        if goal is not None:
            return goal
    if obj is None or obj.pos_ not in ("NOUN", "PROPN") or obj.ent_type_ in ACTOR_ENTS | PLACE_ENTS or \
            obj.lemma_.lower() in HUMAN_HEADS:
        return obj
    lem = obj.lemma_.lower()
    governor = obj.head.head if obj.dep_ == "pobj" else obj.head
    backing = _lemma(governor) in (STANCE_NOUNS if governor.pos_ == "NOUN" else SUPPORT_VERBS)
    if _abstract(obj) and lem not in EVENT_NOUNS and (backing or _lemma(governor) in TRANSFER_VERBS | {"issue"}):
        # "defended X's recent expansion", "backed the X plan": the party whose measure is
        # supported; "gave the X permission", "issued an ultimatum to X warning": the X the
        # parse has merged into the thing given
        mod = next((c for c in obj.children if c.dep_ == "poss" and c.lower_ not in PRONOUNS and
                    (_named(c) or _actor_like(c))), None) if backing else None
        mod = mod or next((c for c in obj.children if c.dep_ in ("compound", "amod") and c.i < obj.i and
                           c.ent_type_ in ("ORG", "GPE", "NORP")), None)
        if mod is not None:
            return mod
    if lem in DOCUMENT_NOUNS:
        inner = _document_target(obj)
        if inner is not None:
            return inner
    if lem in LABOUR_NOUNS:
        inner = _labour_target(obj, subj)
        if inner is not None:
            return inner
    if any(c.dep_ == "poss" and c.lower_ in ("its", "their", "his", "her", "our") for c in obj.children):
        # "extend their mission in X", "lay down their arms in X": the actor's own thing, the place
        place = _place_within(obj)
        if place is not None:
            return place
    return obj


def _document_target(doc_tok):
    """'a report critical of X', 'a lawsuit accusing X', 'an investigation into claims that X ...'."""
    for c in doc_tok.children:
        if c.dep_ == "acl" and c.tag_ == "VBG":
            o = next((x for x in c.children if x.dep_ == "dobj"), None)
            if o is not None:
                return o
        if c.dep_ == "amod" and c.pos_ == "ADJ":
            p = next((_pobj(x) for x in c.children if x.dep_ == "prep" and x.lower_ in ("of", "toward", "towards")),
                     None)
            if p is not None:
                return p
        if c.dep_ == "prep" and c.lower_ in ("into", "of", "against", "to"):
            p = _pobj(c)
            if p is not None and p.lemma_.lower() in CLAIM_NOUNS:
                clause_subj = next((x for cl in p.children if cl.dep_ in ("acl", "ccomp", "relcl")
                                    for x in cl.children if x.dep_ in ("nsubj", "nsubjpass")), None)
                if clause_subj is not None and clause_subj.lower_ not in DUMMY_SUBJECTS:
                    return clause_subj
    return None


def _labour_target(obj, subj):
    """'went on strike ... at X', 'will not end the strike until the company ...': the first
    party named after a labour action."""
    skip = set(range(*_np_span(subj))) if subj is not None else set()
    for t in obj.doc[obj.i + 1: obj.sent.end]:
        if t.i in skip or t.dep_ in ("compound", "amod") or t.ent_type_ in ("DATE", "TIME") or \
                t.head.lower_ in ("across", "throughout", "around"):
            continue
        if t.pos_ in ("NOUN", "PROPN") and (t.ent_type_ in ("ORG", "GPE", "NORP") or _lemma(t) in HUMAN_HEADS
                                          or any(c.dep_ == "compound" and c.ent_type_ == "ORG"
                                                 for c in t.children)):
            return t
    return None


# verbs of receiving: the receiver is the recipient, the giver ("from X") the actor
RECEIVE_VERBS = {"receive", "face", "draw", "attract", "win", "get", "obtain", "earn", "secure"}


def _receiver(trig_tok, verb, nominal):
    """'X received an invitation from Y', 'X faces criticism from Y': (Y, X) tokens, or None."""
    if nominal:
        v = trig_tok.head if trig_tok.dep_ == "dobj" else None
        thing = trig_tok
    else:
        v = verb
        thing = next((c for c in verb.children if c.dep_ == "dobj"), None) if verb is not None else None
    if v is None or thing is None or _lemma(v) not in RECEIVE_VERBS or _actor_like(thing):
        return None
    receiver = next((c for c in v.children if c.dep_ == "nsubj"), None)
    giver = next((_pobj(c) for h in (thing, v) for c in h.children if c.dep_ == "prep" and c.lower_ in ("from", "by")),
                 None)
    if receiver is None or giver is None or receiver.lower_ in PRONOUNS:
        return None
    return giver, receiver


def _clause_recipient(verb, obj):
    """Second thoughts on a verbal trigger's recipient from the rest of its clause."""
    if _lemma(verb) in SYMMETRIC_VERBS:
        # "discussed Libya with X", "shared evidence with X": the partner, not the topic
        with_preps = [c for c in verb.children if c.dep_ == "prep"] + (
            [c for c in obj.children if c.dep_ == "prep"] if obj is not None and obj.dep_ == "dobj" else [])
        obj = _prep_party(with_preps, ("with",), True) or obj
    if obj is None or not _actor_like(obj):
        obj = _condition_party(verb, obj) or _ordered_party(verb) or obj
    if (obj is None or not _named(obj) and (obj.lemma_.lower() not in REGION_HEADS or _anaphoric(obj))) and \
            verb.dep_ == "conj" and _lemma(verb) in TRANSFER_VERBS:
        # "declared a state of siege in X and sent in troops": the place of the first conjunct
        obj = _place_of(verb.head, None) or _place_within(next(
            (c for c in verb.head.children if c.dep_ == "dobj"), None)) or obj
    return obj


def _anaphoric(tok) -> bool:
    """'the area', 'that region': a bare region noun that points back to a place named
    before rather than naming one."""
    return tok.i > 0 and all(c.dep_ == "det" and c.lower_ in ("the", "that", "this") for c in tok.children
                             if c.i < tok.i) and any(c.dep_ == "det" for c in tok.children)


def _place_within(phrase):
    """The first place named by an "in" phrase inside a noun phrase ("a state of siege in X")."""
    for t in (phrase.subtree if phrase is not None else ()):
        if t.dep_ == "prep" and t.lower_ == "in":
            p = _pobj(t)
            if p is not None and (p.ent_type_ in PLACE_ENTS or p.lemma_.lower() in REGION_HEADS):
                return p
    return None


def _nearby_party(trig_tok, actor_span):
    """Last resort where the parse links no party or place to the event: the place named
    in a governing clause, else the nearest named party or place after the trigger (else
    before it) outside the actor's phrase."""
    t = trig_tok
    for _ in range(3):
        if t.head.i == t.i:
            break
        t = t.head
        found = _place_of(t, None)
        if found is not None and not (actor_span and actor_span[0] <= found.i < actor_span[1]):
            return found
    sent = trig_tok.sent
    trig_ent = next((e for e in trig_tok.doc.ents if e.start <= trig_tok.i < e.end), None)

    def ok(tok):
        return (tok.ent_type_ in ACTOR_ENTS | PLACE_ENTS and tok.ent_iob_ in ("B", "I") and tok.i != trig_tok.i
                and not (trig_ent is not None and trig_ent.start <= tok.i < trig_ent.end)   # "Amnesty International"
                and not (actor_span and actor_span[0] <= tok.i < actor_span[1])
                and tok.dep_ not in ("compound", "amod", "npadvmod") and tok.pos_ in ("PROPN", "NOUN"))
    after = [tok for tok in sent if tok.i > trig_tok.i and ok(tok)]
    # with no actor found, a party before the trigger is more likely the unparsed actor
    before = [tok for tok in reversed(list(sent)) if tok.i < trig_tok.i and ok(tok)] if actor_span else []
    for tok in after + before[:1]:
        head = tok
        while head.dep_ in ("compound", "amod") and head.head.i != head.i and head.head.ent_type_ == tok.ent_type_:
            head = head.head
        if tok.i > trig_tok.i and head.dep_ in ("nsubj", "nsubjpass"):
            continue   # the subject of a later clause acts there
        return head
    return None


def _split_modifier_pair(subj):
    """'UK and EU negotiators agreed', 'Pakistan and Afghanistan's services agreed': the
    parties are coordinated modifiers of one head; the first is the actor, the second with
    the head the recipient. Returns (actor span, recipient span) or None."""
    mods = [c for c in subj.children if c.i < subj.i and c.dep_ in ("nmod", "compound", "amod", "poss")]
    for m in mods:
        if not any(c.dep_ == "cc" for c in m.children):
            continue
        second = next((c for c in m.children if c.dep_ == "conj"), None)
        if second is None:   # "UK/nmod and EU/compound negotiators": the next modifier
            second = next((c for c in mods if c.i > m.i), None)
        if second is None or not (_named(m) and _named(second)):
            continue
        return (m.left_edge.i, m.i + 1), (second.left_edge.i, subj.i + 1)
    return None


ATTACK_VERBS = {"attack", "strike", "hit", "bomb", "shell", "raid", "storm", "ambush", "target", "fire"}
ATTACK_NOUNS = {"attack", "strike", "airstrike", "raid", "assault", "offensive", "bombardment", "fire"}


def _attack_clause(verb):
    """'People were killed when X launched an attack on Y', '... after a bomb struck Y': with
    no agent, the clause that tells who acted gives the actor, and where that clause is an
    attack, its target the recipient. Returns (actor, target or None) tokens or None."""
    for c in verb.children:
        if c.dep_ != "advcl" or c.pos_ != "VERB":
            continue
        actor = next((x for x in c.children if x.dep_ == "nsubj"), None)
        target = next((x for x in c.children if x.dep_ == "dobj"), None)
        if actor is None or target is None:
            continue
        if target.lemma_.lower() in ATTACK_NOUNS:
            heads = [target, c]
            target = next((_pobj(p) for h in heads for p in h.children
                           if p.dep_ == "prep" and p.lower_ in ("on", "against", "at", "upon")), None)
        elif _lemma(c) not in ATTACK_VERBS:
            target = None
        return actor, target
    return None


CONDITION_MARKS = ("until", "unless")
# verbs that make a party do something: "ordered the newspaper to suspend publication"
ORDER_VERBS = {"order", "force", "compel", "instruct", "direct", "tell", "require", "oblige", "authorize", "authorise"}


def _ordered_party(verb):
    """The party ordered to do the event: the object of a governing order verb, or the
    subject of its passive ("X was ordered to ...")."""
    head = verb.head
    if verb.dep_ not in ("xcomp", "ccomp") or _lemma(head) not in ORDER_VERBS:
        return None
    return next((c for c in head.children if c.dep_ in ("dobj", "nsubjpass") and c.i != verb.i), None)


def _condition_party(verb, obj):
    """'will not end the strike until the authorities meet its demands', 'will not lift the
    embargo unless X reforms': the party whose move is awaited is the one addressed."""
    heads = [verb] + ([obj.head] if obj is not None and obj.head.i != verb.i else [])
    for h in heads:
        for c in h.children:
            if c.dep_ != "advcl" or not any(m.dep_ == "mark" and m.lower_ in CONDITION_MARKS for m in c.children):
                continue
            agent = next((a for a in c.children if a.dep_ == "agent"), None)
            party = _pobj(agent) if agent is not None else next(
                (x for x in c.children if x.dep_ == "nsubj"), None)
            if party is not None and _actor_like(party) and party.lower_ not in PRONOUNS:
                return party
    return None


PLACE_HEADS = {"camp", "base", "town", "city", "village", "area", "position", "hill", "hilltop", "district", "territory",
               "region", "checkpoint", "post", "outpost", "stronghold", "airport", "port", "crossing", "road", "highway",
               "bridge", "neighbourhood", "neighborhood", "province", "county", "island", "valley", "mountain", "border",
               "headquarters", "garrison", "barracks", "airbase", "field", "oilfield", "dam", "suburb", "zone"}
# for recipients, also the nouns of a region: "imposed a curfew in parts of X"
REGION_HEADS = PLACE_HEADS | {"part", "enclave", "capital", "state", "country", "locality", "municipality", "republic",
                              "countryside"}


def role_tokens(trig_tok, nominal: bool):
    """(actor token, recipient token) of a trigger, as :func:`roles` finds them."""
    subj = obj = None
    if not nominal:
        verb = trig_tok
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)
        subj, obj = verb_subject(verb), _object(verb)
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
                s = verb_subject(verb)
                subj = s if s is not None and s.i != trig_tok.i else None
            if obj is None:
                o = _object(verb)
                obj = o if o is not None and o.i != trig_tok.i else None
    if subj is not None and subj.lower_ in ("who", "that", "which") and subj.head.dep_ == "relcl":
        subj = subj.head.head
    return subj, obj


def main_clause_roles(doc) -> tuple[tuple | None, tuple | None]:
    """Actor and recipient of a snippet with no recognised event: those of the first
    sentence's main verb, or of the clause a reporting verb introduces ("X said Y will
    return Z to W")."""
    from .events import REPORT_VERBS

    sent = next(iter(doc.sents), None)
    if sent is None:
        return None, None
    verb = sent.root
    if _lemma(verb) in REPORT_VERBS:
        inner = next((c for c in verb.children if c.dep_ == "ccomp" and c.pos_ in ("VERB", "AUX")), None)
        if inner is not None:
            reporter = next((c for c in verb.children if c.dep_ == "nsubj"), None)
            own = next((c for c in inner.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if reporter is not None and own is not None and own.lower_ not in PRONOUNS and \
                    own.lower_ not in DUMMY_SUBJECTS and _actor_like(own) and _actor_like(reporter):
                # "critics say X has ...", "X said Y must ...": a claim by the reporter about Y
                return _np_span(reporter), _np_span(own)
            verb = inner
    if verb.pos_ not in ("VERB", "AUX"):
        return None, None
    return roles(verb, False)


OBLIGATION_AUX = {"must", "should", "ought"}


def governors(tok, n: int = 3):
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


def obligation(tok) -> bool:
    for t in [tok] + governors(tok, 2):
        if any(c.dep_ in ("aux", "auxpass") and c.lower_ in OBLIGATION_AUX for c in t.children):
            return True
        if _lemma(t) in ("need", "have") and any(c.lower_ == "to" for c in tok.children):
            return True
    return False


def demand_roles(tok, actor, recipient):
    """'X said Y must do Z': a demand by X on Y (the reporter is the actor, the obliged
    subject the recipient). Token ranges in, token ranges out."""
    from .events import REPORT_VERBS

    if not obligation(tok):
        return actor, recipient
    t = tok
    for _ in range(3):
        if t.head.i == t.i:
            break
        if _lemma(t.head) in REPORT_VERBS and t.head.pos_ in ("VERB", "AUX") and t.dep_ in ("ccomp", "parataxis"):
            rep_subj = next((c for c in t.head.children if c.dep_ == "nsubj"), None)
            own = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if own is None:   # "X said Y must be ready to mediate": the subject of the reported clause
                own = next((c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if rep_subj is not None and own is not None:
                return _np_span(rep_subj), _np_span(own)
            break
        t = t.head
    return actor, recipient
