"""The main event: which mention is the article's main event.

**The main event** of an article (or of a sentence or snippet given as a one-paragraph
article) is the typed mention with the highest score below, realis or not:

* the main clause's event wins over embedded ones: the score falls with the trigger's
  depth below its sentence's root (:func:`clause_depth`), and a governing reporting verb is
  transparent ("officials said X attacked Y" is X's attack);
* an earlier sentence wins over a later one (one point per sentence);
* material conflict beats verbal conflict, material cooperation beats verbal cooperation at
  the same depth (``QUAD_BONUS``); a verbal trigger beats a nominal one;
* light nouns without their verb, hypothetical acts, historical mentions and negated acts of
  material conflict ("no arrests were made") lose points;
* where the winner only frames another event, the framed one is the main event ("ordered
  the arrest of X" is the arrest, "called X to congratulate him" the congratulation, "agreed
  to a ceasefire" the ceasefire) (:func:`_promote`).

Anaphoric trigger entries ("the incident") and the words of a name or a unit ("riot police",
dropped by the detect stage) are never the main event. ``wirecoder eval plv``, ``eval
case2021`` and ``eval gsr`` score this mention of the pipeline's output
(``ExtractionResult.main_event``).
"""

from __future__ import annotations

from .classify import QUAD
from .events import REPORT_VERBS, SPEECH_NOUNS, Trigger, light_ok
from .schema import Mention
from .phrases import lemma as _lemma

# a bonus by quad class: material conflict over verbal conflict, material over verbal cooperation
QUAD_BONUS = {1: 0.0, 2: 0.15, 3: 0.1, 4: 0.35}
CLAUSE_DEPS = {"ccomp": 1.0, "xcomp": 1.0, "advcl": 1.6, "relcl": 2.0, "acl": 1.6, "csubj": 1.5, "parataxis": 1.2,
               "pcomp": 1.2}
CONCESSIVE_PREPS = {"despite", "notwithstanding"}
TRANSPARENT_REPORT = {"ccomp", "parataxis", "xcomp", "advcl", "conj", "dobj"}
SUBJ_DEPS = {"nsubj", "nsubjpass", "csubj"}
# a negated act of material conflict did not take place, so it can hardly be the main event
NEGATED_CONFLICT_PENALTY = 1.0
# verbs whose object or complement *is* the event: "ordered the arrest", "called X to congratulate"
DIRECTIVE_VERBS = {"order", "direct", "instruct", "authorize", "authorise", "decree", "approve"}
CONTACT_VERBS = {"call", "phone", "telephone", "visit", "meet", "speak", "talk", "host", "receive", "travel"}
ACCEPT_VERBS = {"agree", "accept", "consent", "offer", "promise", "pledge", "commit"}


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


def can_be_main(trig: Trigger) -> bool:
    if trig.entry.anaphor:
        return False
    # a speech noun ("a warning") stands for an event only as a threat
    return not (trig.nominal and _lemma(trig.token) in SPEECH_NOUNS and trig.entry.type != "THREATEN")


def score(m: Mention, trig: Trigger) -> float:
    """Higher is more salient (see the module docstring). ``m`` is a typed mention."""
    typ = m.plover_type
    s = -clause_depth(trig.token) + QUAD_BONUS[QUAD[typ]] + 0.05 * min(trig.entry.weight, 4)
    if not light_ok(trig):
        s -= 0.6
    if trig.nominal:
        s -= 0.25
    if m.aux_mode == "hypothetical" and typ not in ("AGREE", "THREATEN"):
        s -= 0.5
    if m.aux_mode == "historical":
        s -= 0.2
    if m.aux_mode == "negated" and QUAD[typ] == 4:
        s -= NEGATED_CONFLICT_PENALTY   # "no arrests were made": nothing happened
    return s - 1.0 * m.sentence   # later sentences matter less


def ranked(pairs: list[tuple[Mention, Trigger]]) -> list[tuple[Mention, Trigger]]:
    """The typed mentions that can be the main event, most salient first."""
    cands = [(score(m, t), k, (m, t)) for k, (m, t) in enumerate(pairs) if can_be_main(t)]
    cands.sort(key=lambda x: (-x[0], x[1]))
    return _promote([mt for _, _, mt in cands])


def main_mention(pairs: list[tuple[Mention, Trigger]]) -> tuple[Mention, Trigger] | None:
    """The article's main event mention (with its trigger), or None."""
    order = ranked(pairs)
    return order[0] if order else None


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
        if t.token.i not in sub or c.sentence != top.sentence:
            continue
        if lem in DIRECTIVE_VERBS and top.plover_type in ("REQUEST", "SUPPORT") and (
                QUAD[c.plover_type] in (2, 4) or c.plover_type == "ACCUSE"):
            pick = (c, t)
        elif lem in CONTACT_VERBS and top.plover_type == "CONSULT" and c.plover_type not in ("CONSULT",) and \
                t.token.dep_ in ("advcl", "xcomp") and t.token.head.i == ttrig.token.i:
            pick = (c, t)
        elif lem in ACCEPT_VERBS and top.plover_type == "AGREE" and c.plover_type in ("CONCEDE", "RETREAT") and \
                c.aux_mode in ("asserted", "future", "hypothetical"):
            pick = (c, t)
        if pick:
            break
    if pick is None:
        return cands
    return [pick] + [ct for ct in cands if ct is not pick]
