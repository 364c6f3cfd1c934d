"""Typing stage: the PLOVER type, the ACLED / CASE 2021 sub-event code and the CAMEO root
of each event mention, decided once, from the codebook's criteria and the mention's
auxiliary mode:

* a threatened attack is a THREATEN; a future or hypothetical act of material conflict
  ("will boycott", "would launch an offensive") is a THREATEN, future cooperation ("will
  provide aid", "plans to visit") an AGREE, a demand ("X must withdraw") a REQUEST;
* negated or failed cooperation, requests and protests ("refused to release", "failed to
  reach an agreement") are a REJECT, and a failed act is negated;
* a "scathing attack" on someone is an ACCUSE, not an ASSAULT;
* the main event's ACLED / CASE 2021 code comes from :mod:`.acled_subtype` (its cue table is
  data: ``[[acled_cue]]`` in ``data/triggers.toml``), read over its paragraph (later
  sentences' cues count less); every mention's ACLED event and sub-event types come from its
  trigger's own code (with the ``[[context]]`` refinements), where ACLED codes the PLOVER type
  (ASSAULT, PROTEST, AID) or the trigger names an ACLED code, and only of a kind the type can be.

The mode stays what the detect stage read (realis or not): the merge stage decides what
becomes an event record; :mod:`.main_event` decides which mention is the article's main one.
"""

from __future__ import annotations

from dataclasses import dataclass

from .acled_subtype import acled_code
from .events import Trigger, refine
from .lexicon import Lexicon
from .schema import Mention, Span
from .phrases import lemma as _lemma
from .snippet_roles import governors, obligation

QUAD = {
    "AGREE": 1, "CONSULT": 1, "SUPPORT": 1, "COOPERATE": 2, "AID": 2, "CONCEDE": 2, "RETREAT": 2,
    "REQUEST": 3, "ACCUSE": 3, "REJECT": 3, "THREATEN": 3,
    "PROTEST": 4, "MOBILIZE": 4, "SANCTION": 4, "COERCE": 4, "ASSAULT": 4,
}
COOPERATIVE = {t for t, q in QUAD.items() if q in (1, 2)}
# ACLED's 25 codes: the others (DIPLO, ORG_CRIME, ...) are CASE 2021's and give no ACLED type
ACLED25 = {"ABDUCT_DISSAP", "AGREEMENT", "AIR_STRIKE", "ARMED_CLASH", "ARREST", "ART_MISS_ATTACK", "ATTACK",
           "CHANGE_TO_GROUP_ACT", "CHEM_WEAP", "DISR_WEAP", "FORCE_AGAINST_PROTEST", "GOV_REGAINS_TERIT", "GRENADE",
           "HQ_ESTABLISHED", "MOB_VIOL", "NON_STATE_ACTOR_OVERTAKES_TER", "NON_VIOL_TERRIT_TRANSFER", "OTHER",
           "PEACE_PROTEST", "PROPERTY_DISTRUCT", "PROTEST_WITH_INTER", "REM_EXPLOS", "SEX_VIOL", "SUIC_BOMB",
           "VIOL_DEMONSTR"}


# the ACLED event types an event record of each PLOVER type can carry
ACLED_FAMILIES = {
    "ASSAULT": {"Battles", "Explosions/Remote violence", "Violence against civilians", "Riots", "Protests"},
    "PROTEST": {"Protests", "Riots"},
    "COERCE": {"Strategic developments", "Violence against civilians", "Protests"},
    "AID": {"Strategic developments"}, "AGREE": {"Strategic developments"},
    "COOPERATE": {"Strategic developments"}, "CONCEDE": {"Strategic developments"},
    "RETREAT": {"Strategic developments"}, "MOBILIZE": {"Strategic developments"},
    "SANCTION": {"Strategic developments"},
}


@dataclass
class Typed:
    """What the typing stage decided for one mention (also what :func:`acled_code` reads)."""
    type: str                 # PLOVER type the mention stands for
    entry_type: str           # the trigger's own type (ACCUSE for a verbal "attack")
    aux: str                  # auxiliary mode (a failed act is negated)
    acled: str | None         # the trigger entry's ACLED code
    mode: str | None          # the trigger entry's PLOVER mode
    nominal: bool
    sentence: int             # index of the mention's sentence in its paragraph


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


FAIL_HEADS = {"fail", "refuse", "decline", "reluctant", "unable", "unwilling"}
VERBAL_ATTACK_MODS = {"scathing", "verbal", "blistering", "stinging", "extraordinary", "personal", "withering",
                      "bitter", "sharp", "fierce", "vitriolic", "furious", "stern", "strong", "political", "public"}


def _failed(tok) -> bool:
    return any(_lemma(g) in FAIL_HEADS for g in governors(tok, 3))


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


def type_of(trig: Trigger, aux: str) -> Typed:
    """The PLOVER type a mention stands for, given its auxiliary mode."""
    entry_type = trig.entry.type
    if _verbal_attack(trig):
        entry_type = "ACCUSE"
    if aux in ("asserted", "hypothetical", "future") and _failed(trig.token):
        aux = "negated"
    typ = effective_type(entry_type, aux, trig)
    if aux in ("future", "hypothetical") and obligation(trig.token):
        typ = "REQUEST"   # "X must withdraw", "Y should end the attacks": a demand
    span = trig.sent.span
    k = sum(1 for s in span.doc.sents if s.start < span.start)
    return Typed(typ, entry_type, aux, trig.entry.acled, trig.entry.mode, trig.nominal, k)


def type_mentions(pairs: list[tuple[Mention, Trigger]], lex: Lexicon) -> None:
    """Set each mention's PLOVER type, ACLED code and types and CAMEO root (in place: the
    mentions are the detect stage's, not yet read by any other stage); see :func:`type_main`
    for the main event's CASE 2021 code."""
    for m, trig in pairs:
        _type(m, trig, lex, paragraph=False)


def type_main(main: tuple[Mention, Trigger] | None, lex: Lexicon) -> None:
    """The article's main event reads its ACLED / CASE 2021 code (``Mention.acled_code``) over
    its whole paragraph (the lead paragraph, a snippet): what the paragraph's cue words name."""
    if main is not None:
        _type(*main, lex, paragraph=True)


def _type(m: Mention, trig: Trigger, lex: Lexicon, *, paragraph: bool) -> None:
    t = type_of(trig, m.aux_mode)
    doc = trig.sent.span.doc
    # the record's ACLED types come from the trigger's own code (with the [[context]]
    # refinements): read mention by mention, the cue and clash/attack rules made one stray
    # "Armed clash" ("a shooting stance") or "Excessive force against protesters" type a whole event
    own = refine(trig, lex)[0] or lex.plover[t.type]["acled"] or None
    # the main event's ACLED / CASE 2021 code (Mention.acled_code) reads its whole paragraph,
    # as a snippet's code is read: what the paragraph's cue words name
    code = acled_code(t, doc.text, lex, trig, doc) if paragraph else own
    # ACLED types where ACLED codes the PLOVER type (or the trigger names an ACLED code), and
    # only of a kind the type can be
    acled_applies = own in ACLED25 and (lex.plover[t.type]["acled"] or trig.entry.acled) and \
        lex.acled_types(own)[0] in ACLED_FAMILIES.get(t.type, ())
    ev_type, sub = lex.acled_types(own) if acled_applies else (None, None)
    cameo = lex.cameo_for(trig.entry) if t.type == trig.entry.type else lex.plover[t.type]["cameo"]
    m.plover_type, m.aux_mode, m.cameo = t.type, t.aux, cameo
    m.acled_code, m.acled_event_type, m.acled_sub_event_type = code, ev_type, sub


def untyped_main(analysis, article_id: str, lex: Lexicon) -> Mention | None:
    """The main event of an article in which the detect stage found no mention that can be
    the main event (none, or only anaphors and speech nouns: :func:`.main_event.can_be_main`): the
    first parsed paragraph's first sentence, with no PLOVER type, the ACLED / CASE 2021 code
    that a cue of the lexicon names there ("a volcano erupted", "set up a new military
    base"), and the actor and recipient of its main clause. It is the article's
    ``main_event`` only, never an event record."""
    from .snippet_roles import main_clause_roles

    if not analysis.sentences:
        return None
    first = analysis.sentences[0]
    doc = first.span.doc
    code = acled_code(None, doc.text, lex, None, doc)
    a, b = main_clause_roles(doc)
    ev_type, sub = lex.acled_types(code) if code in ACLED25 else (None, None)
    root = first.span.root
    s, e = first.abs(root)

    def span(ab):
        if ab is None:
            return None
        x, y = first.abs(doc[ab[0]])[0], first.abs(doc[ab[1] - 1])[1]
        return Span(start=x, end=y, text=analysis.clean.text[x:y])

    return Mention(article_id=article_id, sentence=first.index, trigger=Span(start=s, end=e, text=root.text),
                   sentence_span=Span(start=first.start, end=first.end, text=first.text), plover_type=None,
                   acled_code=code, acled_event_type=ev_type, acled_sub_event_type=sub,
                   actor_phrase=span(a), recipient_phrase=span(b), confidence=0.2)
