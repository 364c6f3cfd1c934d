"""Counts stage: killed, injured, arrested and crowd/troop sizes, each with the words it
came from and who claimed it ("a spokesman for X said one was killed")."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .reporting import FIGURES
from .schema import Count, Span

KILL = {"kill", "slay", "murder", "execute", "behead", "assassinate", "massacre", "slaughter", "gun"}
DIE = {"die", "perish"}
DEAD = {"dead", "killed", "death", "fatality", "body", "corpse"}
INJURE = {"injure", "wound", "hurt", "maim"}
INJURED = {"injured", "wounded", "injury", "casualty"}
ARREST = {"arrest", "detain", "apprehend", "round"}
SIZE_NOUNS = {"troop", "soldier", "personnel", "protester", "demonstrator", "people", "supporter", "marcher",
              "worker", "student", "peacekeeper", "refugee", "participant", "police", "officer", "fighter"}
REPORTERS = FIGURES               # data/reporting.toml
NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12, "a dozen": 12, "single": 1, "both": 2, "couple": 2,
}
VAGUE = {"several", "many", "dozens", "scores", "hundreds", "thousands", "some", "numerous", "multiple", "few",
         "tens", "others", "other"}
APPROX = {"about", "around", "approximately", "nearly", "almost", "some", "roughly", "over", "more", "least", "up",
          "estimated", "than", "as", "many"}
SCALE = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "dozen": 12}


@dataclass
class RawCount:
    kind: str
    value: int | None
    approximate: bool
    token: object       # the casualty word (verb/adjective/noun)
    victim: object      # head of the counted phrase
    claimant: tuple[int, int] | None   # token range of who said it
    text: str


def parse_number(text: str) -> int | None:
    t = text.lower().replace(",", "").strip()
    if re.fullmatch(r"\d+(?:\.\d+)?", t):
        return int(float(t))
    parts = re.split(r"[\s-]+", t)
    total, cur = 0, 0
    seen = False
    for p in parts:
        if p in ("and", "a"):
            continue
        if p in SCALE and p != "dozen":
            cur = max(cur, 1) * SCALE[p]
            if SCALE[p] >= 1000:
                total += cur
                cur = 0
            seen = True
        elif p in NUMBER_WORDS:
            cur += NUMBER_WORDS[p]
            seen = True
        elif re.fullmatch(r"\d+(?:\.\d+)?", p):
            cur += int(float(p))
            seen = True
        else:
            return None
    return total + cur if seen else None


def quantity(head) -> tuple[int | None, bool]:
    """How many the phrase headed by ``head`` counts, and whether it is approximate."""
    approx = False
    if head.like_num or head.lower_ in NUMBER_WORDS:
        words = [c for c in head.children if c.dep_ in ("nummod", "compound", "quantmod")] + [head]
        approx = any(c.lower_ in APPROX for c in head.subtree if c.dep_ in ("advmod", "quantmod", "amod"))
        return parse_number(" ".join(w.text for w in sorted(words, key=lambda t: t.i))), approx
    nums = [c for c in head.children if c.dep_ == "nummod"]
    if nums:
        num = nums[0]
        parts = [c for c in num.subtree if c.like_num or c.lower_ in NUMBER_WORDS or c.lower_ in SCALE]
        approx = any(c.lower_ in APPROX for c in num.subtree)
        return parse_number(" ".join(p.text for p in parts)), approx
    kids = {c.lower_ for c in head.children}
    if kids & VAGUE or head.lower_ in VAGUE:
        return None, True
    # "dozens of people", "hundreds of protesters" headed by the quantifier
    if head.tag_ in ("NNS", "NNPS"):
        return None, True
    if any(c.lower_ in ("a", "an", "one", "another") for c in head.children if c.dep_ == "det"):
        return 1, False
    if head.pos_ == "PROPN" or head.ent_type_ == "PERSON":
        return 1, False
    if head.tag_ in ("NN",) and any(c.dep_ in ("poss", "det") for c in head.children):
        return 1, False
    return None, False


def _victims(tok):
    """The counted phrase for a casualty word."""
    lem = tok.lemma_.lower()
    if tok.pos_ in ("VERB", "AUX"):
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.children)
        for c in tok.children:
            if passive and c.dep_ == "nsubjpass":
                return c
            if not passive and lem in DIE and c.dep_ == "nsubj":
                return c
            if not passive and c.dep_ == "dobj":
                return c
        if lem in DIE | INJURE | KILL and tok.dep_ in ("amod", "acl") and tok.head.pos_ in ("NOUN", "NUM", "PROPN"):
            return tok.head
        for c in tok.children:
            if c.dep_ == "nsubj" and (lem in DIE or tok.dep_ == "conj"):
                return c
        if tok.dep_ == "conj":
            # "one was killed and several others injured": the conjunct's own subject, if any
            for c in tok.children:
                if c.dep_ in ("nsubj", "nsubjpass"):
                    return c
        return None
    if tok.pos_ == "ADJ" and tok.head.pos_ in ("NOUN", "NUM", "PROPN", "PRON") and tok.dep_ in ("amod", "acomp"):
        return tok.head
    if tok.pos_ == "ADJ" and tok.dep_ == "acomp":
        for c in tok.head.children:
            if c.dep_ == "nsubj":
                return c
    if tok.pos_ == "NOUN":
        return tok
    return None


def _claimant(tok) -> tuple[int, int] | None:
    sent = tok.sent
    for t in sent:
        if t.lower_ == "according" and t.i + 1 < sent.end and t.nbor(1).lower_ == "to":
            for c in t.nbor(1).children:
                if c.dep_ == "pobj":
                    sub = list(c.subtree)
                    return sub[0].i, sub[-1].i + 1
    anc = tok
    while anc.head.i != anc.i:
        anc = anc.head
        if anc.lemma_.lower() in REPORTERS:
            for c in anc.children:
                if c.dep_ in ("nsubj",) and c.i != tok.i:
                    sub = [t for t in c.subtree]
                    while sub and sub[-1].is_punct:
                        sub.pop()
                    return sub[0].i, sub[-1].i + 1
    return None


NUM_WORD = r"(?:\d[\d,]*|" + "|".join(sorted((w for w in NUMBER_WORDS if " " not in w), key=len, reverse=True)) + r")"
TOLL_RE = re.compile(rf"\b(?:death toll|toll|number of (?:dead|deaths|people killed))\b(?:\s+\w+){{0,4}}?\s+"
                     rf"(?:to|at|of|reached|hit|is|was|stood at|rose to|climbed to)\s+(?:at least\s+|about\s+|some\s+)?"
                     rf"(?P<n>{NUM_WORD}(?:[\s-]+{NUM_WORD})?)\b", re.I)


TOLL_HINT = re.compile(r"\b(?:toll|dead|died|deaths?|killed|injured|wounded|casualties|bodies)\b", re.I)


def _toll_counts(sent) -> list[RawCount]:
    """"the death toll rose to 12", "put the toll at eight"."""
    out = []
    for m in TOLL_RE.finditer(sent.text):
        value = parse_number(m.group("n"))
        if value is None:
            continue
        start = sent.span.start_char + m.start("n")
        tok = next((t for t in sent.span if t.idx >= start), None)
        if tok is None:
            continue
        out.append(RawCount(kind="killed", value=value, approximate="at least" in m.group().lower(), token=tok,
                            victim=tok, claimant=_claimant(tok), text=m.group()))
    return out


def find_counts(sent) -> list[RawCount]:
    out: list[RawCount] = _toll_counts(sent)
    for tok in sent.span:
        lem = tok.lemma_.lower()
        kind = None
        if tok.pos_ in ("VERB", "AUX"):
            if lem in KILL or lem in DIE or (lem == "shoot" and any(c.lower_ == "dead" for c in tok.children)) \
                    or any(c.lower_ in ("fatally", "mortally") for c in tok.children if c.dep_ == "advmod"):
                kind = "killed"         # 'fatally shot a man', 'mortally wounded'
            elif lem in INJURE:
                kind = "injured"
            elif lem in ARREST and not (lem == "round" and not any(c.lower_ == "up" for c in tok.children)):
                kind = "arrested"
        elif tok.pos_ in ("ADJ",) and tok.lower_ in ("dead", "killed"):
            kind = "killed"
        elif tok.pos_ in ("ADJ",) and tok.lower_ in ("injured", "wounded"):
            kind = "injured"
        if kind is None:
            continue
        victim = _victims(tok)
        if victim is None:
            continue
        value, approx = quantity(victim)
        # coordinated victims: "two soldiers and a civilian"
        for conj in victim.conjuncts:
            if conj.i > victim.i:
                v2, a2 = quantity(conj)
                if v2 is not None and value is not None:
                    value += v2
                approx = approx or a2
        if value is None and not approx:
            continue
        a, b = list(victim.subtree)[0].i, list(victim.subtree)[-1].i + 1
        out.append(RawCount(kind=kind, value=value, approximate=approx, token=tok, victim=victim,
                            claimant=_claimant(tok), text=tok.doc[min(a, tok.i): max(b, tok.i + 1)].text))
    return out


def size_of(tok) -> tuple[int | None, bool, object] | None:
    """Size of the troops/crowd an event verb moves: '3,500 troops', 'thousands of protesters'."""
    cands = [c for c in tok.children if c.dep_ in ("dobj", "nsubj", "nsubjpass")]
    for c in cands:
        head = c
        if c.lemma_.lower() in SIZE_NOUNS or any(k.dep_ == "nummod" for k in c.children):
            value, approx = quantity(head)
            if value is not None and value > 1:
                return value, approx, head
    return None


def to_count(raw: RawCount, sent, article_id: str | None) -> Count:
    doc = raw.token.doc
    a = min(list(raw.victim.subtree)[0].i, raw.token.i)
    b = max(list(raw.victim.subtree)[-1].i, raw.token.i) + 1
    span = Span(start=sent.base + doc[a].idx, end=sent.base + doc[b - 1].idx + len(doc[b - 1].text), text=doc[a:b].text)
    claimed = claimed_span = None
    if raw.claimant:
        ca, cb = raw.claimant
        claimed = doc[ca:cb].text
        claimed_span = Span(start=sent.base + doc[ca].idx, end=sent.base + doc[cb - 1].idx + len(doc[cb - 1].text),
                            text=claimed)
    return Count(kind=raw.kind, value=raw.value, approximate=raw.approximate, text=raw.text, claimed_by=claimed,
                 claimed_by_span=claimed_span, source_article=article_id, span=span)
