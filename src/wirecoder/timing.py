"""Dates stage, attachment half: which temporal expression of a sentence dates which
event mention (normalisation itself lives in :mod:`wirecoder.dates`)."""

from __future__ import annotations

import datetime as dt

from .events import Trigger, infinitive_complement
from .schema import DateRange, Mention, Span

GRAN = {"day": "day", "week": "week", "month": "month", "quarter": "quarter", "season": "season", "year": "year",
        "decade": "year", "time": "day"}


def sentence_timexes(sent, published: dt.date | None) -> list:
    from .dates import find_timexes

    out = []
    for tx in find_timexes(sent.text, published):
        if tx.type not in ("DATE", "TIME") or tx.range_start is None or tx.range_end is None:
            continue
        out.append(tx)
    return out


def _token_at(sent, char: int):
    for tok in sent.span:
        if tok.idx - sent.span.start_char <= char < tok.idx - sent.span.start_char + len(tok.text):
            return tok
    return None


RELATIONAL = {"relate", "link", "stem", "date", "connect", "tie", "concern", "involve", "pertain", "regard", "surround"}


def _modifies_other_noun(head, trig_at: dict) -> bool:
    """'a deal in the late 1990s', 'charges relating to a deal in the 1990s': the date belongs to
    another noun, not to the event. True when the date's preposition hangs on a noun that is neither an
    event word nor the event's object (or the object of its preposition), or when the way up passes a
    relational participle ('relating', 'linked', 'dating')."""
    up = head.head
    if up.pos_ == "ADP" and up.head.i != up.i:
        noun = up.head
        if noun.pos_ in ("NOUN", "PROPN") and noun.i not in trig_at:
            above = noun.head
            if not (above.i in trig_at or (above.pos_ == "ADP" and above.head.i in trig_at)):
                return True
    anc = up
    for _ in range(8):
        if anc.i in trig_at:
            return False
        if anc.dep_ == "acl" and anc.lemma_.lower() in RELATIONAL:
            return True
        if anc.head.i == anc.i:
            return False
        anc = anc.head
    return False


def attach_dates(pairs: list[tuple[Mention, Trigger]], sent, published: dt.date | None) -> None:
    """Give each mention of one sentence the temporal expression attached to it."""
    txs = sentence_timexes(sent, published)
    if not txs:
        return
    trig_at = {}
    for m, t in pairs:
        for tok in t.tokens:
            trig_at[tok.i] = m
    used = set()
    # 1) syntactic: the expression's head chain reaches the trigger (or the verb it is an argument of)
    for k, tx in enumerate(txs):
        tok = _token_at(sent, tx.start)
        if tok is None:
            continue
        # the head of the expression: the token of the span whose head lies outside it
        end_tok = _token_at(sent, max(tx.start, tx.end - 1)) or tok
        span_toks = [t for t in sent.span if tok.i <= t.i <= end_tok.i]
        head = next((t for t in span_toks if not (tok.i <= t.head.i <= end_tok.i) or t.head.i == t.i), tok)
        if _modifies_other_noun(head, trig_at):
            used.add(k)
            continue
        anc = head
        for _ in range(8):
            if anc.i in trig_at:
                _set(trig_at[anc.i], tx, sent)
                used.add(k)
                break
            hit = [m for m, t in pairs if anc.pos_ in ("VERB", "AUX") and (
                   (t.token.head.i == anc.i and ((t.nominal and t.token.dep_ in ("nsubj", "nsubjpass", "dobj"))
                                                 or t.token.dep_ == "xcomp"))
                   # 'appeared in court on Friday to face charges'
                   or (t.nominal and t.token.dep_ == "dobj" and t.token.head.head.i == anc.i
                       and infinitive_complement(t.token.head)))]
            if hit:
                _set(hit[0], tx, sent)
                used.add(k)
                break
            if anc.head.i == anc.i:
                break
            anc = anc.head
    # 2) proximity: an expression right after a nominal trigger's phrase ("a rocket attack in Iraq earlier this month")
    for k, tx in enumerate(txs):
        if k in used:
            continue
        best = None
        for m, t in pairs:
            if m.date is not None:
                continue
            tpos = t.token.idx - sent.span.start_char
            dist = tx.start - tpos if tx.start >= tpos else (tpos - tx.start) * 3
            if best is None or dist < best[0]:
                best = (dist, m)
        if best is not None and best[0] < 60:
            _set(best[1], tx, sent)


def _set(m: Mention, tx, sent) -> None:
    if m.date is not None and m.date.precision == "day":
        return
    start, end = tx.range_start, tx.range_end
    s = sent.start + tx.start
    m.date = DateRange(start=start, end=end, precision=GRAN.get(tx.granularity or "", "range"), inferred=False,
                       text=tx.text, span=Span(start=s, end=sent.start + tx.end, text=tx.text))


def clip_to_publication(d: DateRange | None, published: dt.date | None) -> DateRange | None:
    """A reported (past) event cannot end after the report: 'this week' on a Friday ends on Friday."""
    if d is None or published is None:
        return d
    if d.start > published:
        return None
    if d.end > published:
        return d.model_copy(update={"end": published})
    return d


def inferred_date(published: dt.date | None) -> DateRange | None:
    """No date in the text: the report's day or the day before (ACLED's convention for 'latest' reports)."""
    if published is None:
        return None
    return DateRange(start=published - dt.timedelta(days=1), end=published, precision="range", inferred=True)
