"""Detect stage: find event triggers in the parse (not words of a name or a unit noun),
give each its trigger's PLOVER type and mode and mark its auxiliary mode (negated,
hypothetical, future, historical, threatened). The typing stage (:mod:`.classify`) then
decides the type the mention stands for and its ACLED code."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .analyse import Analysis, Sentence
from .lexicon import Entry, Lexicon
from .phrases import lemma as _lemma
from .salience import measure_subject, non_political_cause, participant_noun, protest_sense, publication, violent_sense
from .reporting import ATTRIBUTION
from .schema import Mention, Span

REPORT_VERBS = ATTRIBUTION        # data/reporting.toml: the one list of reporting verbs
FUTURE_AUX = {"will", "shall", "'ll", "wo"}
MODAL_AUX = {"would", "could", "might", "may", "should", "must", "can", "ca"}
INTENT_HEADS = {"plan", "intend", "aim", "seek", "prepare", "want", "hope", "expect", "consider", "propose", "vow",
                "promise", "pledge", "try", "attempt", "wish", "mull", "weigh", "be", "go", "decline", "refuse",
                "ready", "able", "likely", "poised", "set", "willing", "prepared", "eager", "keen", "determined",
                "offer", "threaten"}
THREAT_HEADS = {"threaten", "warn", "vow"}
# verbs whose clause is what someone asks for, not what happened: "demanded that the army withdraw", "called for
# troops to leave"; "insist" and "suggest" only with the verb in its base form ("insisted that troops leave")
DEMAND_HEADS = {"demand", "urge", "request", "ask", "call", "appeal", "plead", "press", "petition", "recommend",
                "propose", "beg", "implore", "exhort", "lobby"}
MANDATIVE_HEADS = {"insist", "suggest", "require", "stipulate"}
NEG_WORDS = {"not", "n't", "never", "no"}
DENY_HEADS = {"deny", "reject", "dismiss", "refute", "rule"}
HISTORICAL_RE = re.compile(
    r"\b(?:in the past|previously|in previous|in recent years|for years|over the years|years ago|decades ago|"
    r"history of|has long|have long|in the 19\d0s|in the 20\d0s|since \d{4}|once again)\b", re.I)
GENERIC_DETS = {"numerous", "many", "several", "multiple", "frequent", "repeated", "countless", "dozens", "hundreds",
                "such", "any", "further", "more", "future", "similar", "possible", "potential", "past", "previous",
                "recent", "regular", "occasional", "new"}
LIGHT_VERBS = {"hold", "have", "sign", "reach", "conclude", "stage", "launch", "carry", "conduct", "begin", "start",
               "take", "attend", "organize", "organise", "lead", "join", "host", "make", "issue", "announce",
               "strike", "seal", "broker", "agree", "deliver", "send", "provide", "call", "file", "open", "lodge",
               "give", "offer", "resume", "end", "break", "violate", "extend", "approve", "impose", "announce", "pass",
               "declare", "level", "face", "deny", "reject", "express", "voice", "receive", "accept", "grant", "pay"}
SPEECH_NOUNS = {"statement", "message", "warning", "claim", "report", "remark", "comment"}


@dataclass
class Trigger:
    sent: Sentence
    token: object              # spaCy Token (head of the trigger)
    start_token: object        # first token of a multiword trigger
    entry: Entry
    nominal: bool
    role_verb: object = None   # verb whose subject/object this nominal trigger is (roles read from it)
    extra: list = field(default_factory=list)   # other tokens merged into this mention (e.g. the verb of a nominal subject)
    # False for a word that names no event of its own here: a light noun without its verb
    # ("talks" with no "held"), a speech noun ("a warning"). Such a mention can be a sentence's
    # main event (main_event) but never becomes an event record by itself.
    event_sense: bool = True

    @property
    def tokens(self):
        return [self.token] + self.extra


def infinitive_complement(verb) -> bool:
    """'appeared in court to face charges': a to-infinitive that completes another verb."""
    return verb.dep_ == "xcomp" or (verb.dep_ == "advcl" and any(c.lower_ == "to" for c in verb.children))


def _match_noun(tok, lex: Lexicon) -> tuple[Entry, object] | None:
    cands = lex.nouns.get(_lemma(tok), []) + (lex.nouns.get(tok.lower_, []) if tok.lower_ != _lemma(tok) else [])
    best = None
    doc = tok.doc
    for seq, entry in cands:
        n = len(seq)
        start = tok.i - n + 1
        if start < tok.sent.start:
            continue
        toks = [t for t in doc[start: tok.i + 1]]
        if n > 1:
            # allow a hyphen token inside ("air-strike" tokenises as air - strike)
            if any(_lemma(t) != w and t.lower_ != w for t, w in zip(toks, seq)):
                toks2 = [t for t in doc[max(tok.sent.start, start - 1): tok.i + 1] if t.text != "-"]
                if len(toks2) < n or any(_lemma(t) != w and t.lower_ != w for t, w in zip(toks2[-n:], seq)):
                    continue
                start = toks2[-n].i
        key = (n, entry.weight)
        if best is None or key > best[0]:
            best = (key, entry, doc[start])
    if best is None:
        return None
    return best[1], best[2]


def _match_verb(tok, lex: Lexicon) -> Entry | None:
    entries = lex.verbs.get(_lemma(tok), [])
    if not entries:       # not a trigger verb: nothing to weigh
        return None
    best = None
    window = {(_lemma(t)) for t in tok.subtree if 0 < t.i - tok.i <= 5} | {_lemma(c) for c in tok.children}
    obj_lemmas = {_lemma(c) for c in tok.children if c.dep_ in ("dobj", "nsubjpass", "attr", "oprd")}
    for c in list(tok.children):
        if c.dep_ in ("dobj", "nsubjpass"):
            obj_lemmas |= {_lemma(cc) for cc in c.children if cc.dep_ == "conj"}
    for extra, entry in entries:
        if extra and not all(w in window for w in extra):
            continue
        if entry.objects and not (obj_lemmas & entry.objects):
            continue
        key = (len(extra) + (2 if entry.objects else 0), entry.weight)
        if best is None or key > best[0]:
            best = (key, entry)
    return best[1] if best else None


_WORDS_KEY = "wirecoder.lemma_lower"   # Doc.user_data: each token's lower-cased lemma and lower form


def _candidates(sent: Sentence, lex: Lexicon) -> list[int]:
    """The sentence's tokens whose lemma or lower form is a key of the lexicon's verbs or
    nouns: the only ones `find_triggers` can make a trigger of (any other finds no entry)."""
    from spacy.attrs import LEMMA, LOWER

    doc = sent.span.doc
    words = doc.user_data.get(_WORDS_KEY)
    if words is None:
        strings = doc.vocab.strings
        arr = doc.to_array([LEMMA, LOWER]).tolist() if len(doc) else []
        words = doc.user_data[_WORDS_KEY] = [(strings[a].lower(), strings[b]) for a, b in arr]
    verbs, nouns = lex.verbs, lex.nouns
    return [i for i in range(sent.span.start, sent.span.end)
            if words[i][0] in verbs or words[i][0] in nouns or words[i][1] in nouns]


def find_triggers(sent: Sentence, lex: Lexicon) -> list[Trigger]:
    out: list[Trigger] = []
    covered: set[int] = set()
    doc = sent.span.doc
    for i in _candidates(sent, lex):
        tok = doc[i]
        if tok.i in covered:
            continue
        # "on March 28", "in May": a date is no event word
        if tok.ent_type_ in ("DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"):
            continue
        if tok.pos_ in ("VERB",) or (tok.pos_ == "AUX" and _lemma(tok) not in ("be", "have", "do")):
            # "Iranian-backed", "the wounded": a participle modifying a noun is not an event
            if tok.dep_ in ("amod", "compound") or (tok.i > 0 and tok.nbor(-1).text == "-"):
                continue
            entry = _match_verb(tok, lex)
            if entry:
                out.append(Trigger(sent, tok, tok, entry, nominal=False))
            continue
        if tok.pos_ in ("NOUN", "PROPN", "ADJ", "X") or tok.tag_ in ("NN", "NNS"):
            # a noun inside a longer compound is not the head: "rocket" in "rocket attack"
            if tok.dep_ == "compound" and tok.head.i > tok.i and _match_noun(tok.head, lex):
                continue
            m = _match_noun(tok, lex)
            if m:
                entry, start = m
                if entry.type == "ASSAULT" and _lemma(tok) == "strike" and _labor_strike(tok):
                    entry = _protest_strike_entry(lex) or entry
                out.append(Trigger(sent, tok, start, entry, nominal=True))
                covered.update(range(start.i, tok.i + 1))
    return _fold(out)


LABOR_WORDS = re.compile(
    r"\b(?:workers?|employees?|unions?|teachers?|lecturers?|doctors?|nurses?|drivers?|miners?|staff|wages?|"
    r"salar(?:y|ies)|pay|labou?r|hunger|general strike|pensions?|dockers?|pilots?|guards?|students?|"
    r"traders?|shopkeepers?|transporters?)\b", re.I)


def _labor_strike(tok) -> bool:
    """'strike' as a stoppage of work, not an attack: 'workers went on strike', 'end the strike'."""
    if any(c.lower_ in ("air", "drone", "missile", "military", "rocket", "aerial", "precision", "retaliatory")
           for c in tok.children):
        return False
    if tok.dep_ == "pobj" and tok.head.lower_ == "on" and tok.head.head.pos_ in ("VERB", "AUX", "NOUN"):
        return True
    return bool(LABOR_WORDS.search(tok.sent.text))


def _protest_strike_entry(lex: Lexicon) -> Entry | None:
    for seq, entry in lex.nouns.get("strike", []):
        if entry.type == "PROTEST":
            return entry
    return None


def _fold(trigs: list[Trigger]) -> list[Trigger]:
    """One mention per event per clause: a verb whose subject or object is a nominal
    trigger of the same family is the same event ('an air strike hit', 'launched an attack')."""
    by_tok = {t.token.i: t for t in trigs}
    drop = set()
    for t in trigs:
        if t.nominal:
            continue
        for c in t.token.children:
            n = by_tok.get(c.i)
            if n is None or not n.nominal or c.i in drop:
                continue
            if c.dep_ in ("nsubj", "nsubjpass", "dobj") and (n.entry.type == t.entry.type or n.entry.anaphor):
                # keep the more specific of the two as the mention's classification
                keep, other = (n, t) if n.entry.weight >= t.entry.weight and not n.entry.anaphor else (t, n)
                if keep is t and n.entry.anaphor:
                    keep = t
                keep.extra.append(other.token)
                drop.add(other.token.i)
                if keep is n:
                    n.role_verb = t.token  # roles read from the verb
                break
    # "a rocket attack ... that killed a contractor and wounded a soldier", "one was killed and
    # several others injured": casualty verbs without an agent of their own belong to the event before them
    ordered = sorted(trigs, key=lambda t: t.token.i)
    for k, t in enumerate(ordered):
        if t.nominal or t.token.i in drop or _lemma(t.token) not in CASUALTY_VERBS:
            continue
        host = None
        subj = next((c for c in t.token.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        # "five others were wounded in the blast": the casualties of the event the phrase names
        named = [p for c in t.token.children if c.dep_ == "prep" and c.lower_ in ("in", "during", "by")
                 for p in c.children if p.dep_ == "pobj" and p.i in by_tok and by_tok[p.i].nominal]
        if named and named[0].i not in drop:
            host = by_tok[named[0].i]
        elif t.token.dep_ == "conj" and t.token.head.i in by_tok and t.token.head.i not in drop:
            host = by_tok[t.token.head.i]
        elif subj is not None and subj.lower_ in ("that", "which", "who"):
            prev = [o for o in ordered[:k] if o.nominal and o.entry.type == "ASSAULT" and o.token.i not in drop]
            host = prev[-1] if prev else None
        if host is not None and host.entry.type == t.entry.type:
            host.extra.append(t.token)
            drop.add(t.token.i)
    return [t for t in trigs if t.token.i not in drop]


# 'faces multiple charges', '16 counts of corruption': many charges are one act of accusing
COUNTED_ONE = {"ACCUSE"}
CASUALTY_VERBS = {"kill", "wound", "injure", "hurt", "maim", "die"}


def aux_mode(trig: Trigger) -> str:
    """asserted / negated / hypothetical / future / historical / threatened."""
    tok = trig.token
    chain = [tok] + list(trig.extra)
    # climb through nominal heads and xcomp/ccomp to the governing verbs (stop at a reporting verb)
    head = tok
    steps = 0
    while head.head.i != head.i and steps < 4:
        steps += 1
        parent = head.head
        if head.dep_ in ("dobj", "pobj", "nsubj", "nsubjpass", "xcomp", "acl", "advcl", "attr", "prep", "compound", "amod"):
            if _lemma(parent) in REPORT_VERBS:
                break
            chain.append(parent)
            head = parent
            continue
        break
    for t in chain:
        kids = list(t.children)
        lem = _lemma(t)
        if any(c.dep_ == "neg" or c.lower_ in NEG_WORDS for c in kids):
            if t.i == tok.i or t.pos_ in ("VERB", "AUX"):
                return "negated"
        if lem in DENY_HEADS and t.i != tok.i and trig.entry.type in ("ASSAULT", "COERCE"):
            return "negated"
        if lem in THREAT_HEADS and t.i != tok.i and trig.entry.type != "THREATEN":
            return "threatened"
        if any(c.lower_ in FUTURE_AUX for c in kids if c.dep_ in ("aux", "auxpass")):
            return "future"
        if any(c.lower_ in MODAL_AUX for c in kids if c.dep_ in ("aux", "auxpass")):
            return "hypothetical"
        if any(c.lower_ == "if" for c in kids if c.dep_ == "mark"):
            return "hypothetical"
        if t.i != tok.i and lem in INTENT_HEADS and t.pos_ in ("VERB", "ADJ") and tok.dep_ in ("xcomp",) :
            # "plans to attack", "is preparing to send": not (yet) an event
            if lem not in ("be", "go", "set") or any(c.lower_ == "to" for c in tok.children):
                return "future"
        if lem == "go" and any(c.lower_ == "to" for c in tok.children) and t.i != tok.i:
            return "future"
    if tok.dep_ == "ccomp" and tok.pos_ in ("VERB", "AUX") and (
            _lemma(tok.head) in DEMAND_HEADS or _lemma(tok.head) in MANDATIVE_HEADS and tok.tag_ == "VB"
            and not any(c.dep_ in ("aux", "auxpass") for c in tok.children)):
        return "hypothetical"     # the content of a demand: asked for, not done
    if tok.pos_ in ("VERB", "AUX") and any(c.lower_ in ("to",) for c in tok.children if c.dep_ == "aux") \
            and tok.dep_ in ("xcomp", "advcl", "acl", "conj") and _lemma(tok.head) not in ("decide", "agree", "vote", "begin",
                                                                                       "start", "continue", "manage",
                                                                                       "resume", "move", "order"):
        return "hypothetical"
    if trig.sent.has(HISTORICAL_RE):
        return "historical"
    return "asserted"


HABITUAL_RE = re.compile(r"^(?:numerous|several|many|multiple|countless|\d+|two|three|four|five|six|seven|eight|"
                         r"nine|ten|dozens of|hundreds of) times$|^(?:repeatedly|regularly|routinely|often|frequently|"
                         r"habitually|usually|always)$", re.I)


def is_habitual(tok) -> bool:
    """'deployed numerous times', 'has repeatedly attacked': many events, not one."""
    for c in tok.children:
        if c.dep_ in ("advmod", "npadvmod") and (HABITUAL_RE.match(c.text) or HABITUAL_RE.match(
                " ".join(t.text for t in c.subtree))):
            return True
    return False


def is_generic(trig: Trigger) -> bool:
    tok = trig.token
    if not trig.nominal:
        return is_habitual(tok)
    if trig.entry.type in COUNTED_ONE:
        return False
    if trig.role_verb is not None and trig.role_verb.tag_ in ("VBD", "VBN"):
        return False  # 'two drones attacked the base': the subject of a past event verb is no generic 'drones'
    if tok.tag_ == "NNS" and not any(c.dep_ in ("det", "poss") and c.lower_ in ("the", "these", "those", "its", "their")
                                     for c in tok.children):
        if any(c.lower_ in GENERIC_DETS or c.dep_ == "nummod" for c in tok.children) or tok.dep_ == "pobj":
            return True
    return any(c.lower_ in GENERIC_DETS for c in tok.children if c.dep_ in ("amod", "det"))


def is_anaphoric(trig: Trigger) -> bool:
    """'the strike', 'this attack', 'the operation': a definite mention that refers back."""
    if trig.entry.anaphor:
        return True
    if not trig.nominal:
        return False
    dets = [c for c in trig.token.children if c.dep_ in ("det", "poss")]
    return any(d.lower_ in ("the", "this", "that", "these", "those", "its", "their") for d in dets)


def refine(trig: Trigger, lex: Lexicon) -> tuple[str | None, str | None]:
    """ACLED sub-type and mode from sentence context for generic ASSAULT triggers (the
    detect stage keeps the mode; the ACLED code is decided by the typing stage)."""
    entry = trig.entry
    if entry.type != "ASSAULT" or entry.acled not in (None, "ATTACK", "ARMED_CLASH"):
        return entry.acled, entry.mode
    memo = getattr(trig.sent, "memo", None)
    key = ("refine", id(lex))
    if memo is not None and key in memo:
        ctx = memo[key]
    else:                        # once per sentence, not once per trigger (linear cost in long sentences)
        ctx = _context(trig.sent.text.lower(), lex)
        if memo is not None:
            memo[key] = ctx
    if ctx is not None:
        return ctx.get("acled", entry.acled), ctx.get("mode", entry.mode)
    return entry.acled, entry.mode


def _context(text: str, lex: Lexicon):
    """The first context of the lexicon one of whose words the sentence contains."""
    for ctx, rx in _context_res(lex):
        if rx.search(text):
            return ctx
    return None


def _context_res(lex: Lexicon) -> list:
    """(context, one pattern for all its words) in the lexicon's order, compiled once per
    lexicon: a match of the pattern is a match of one of the words."""
    cached = getattr(lex, "_compiled_contexts", None)
    if cached is None or cached[0] is not lex.contexts or cached[1] != len(lex.contexts):
        res = [(ctx, re.compile(rf"\b(?:{'|'.join(re.escape(w) for w in ctx['words'])})"))
               for ctx in lex.contexts if ctx.get("words")]
        cached = lex._compiled_contexts = (lex.contexts, len(lex.contexts), res)
    return cached[2]


def light_ok(trig: Trigger) -> bool:
    """Nouns of 'light' entries need a governing event verb: 'held talks', 'signed a deal'."""
    if not trig.entry.light or not trig.nominal:
        return True
    tok = trig.token
    if tok.dep_ in ("nsubj", "nsubjpass", "dobj") and _lemma(tok.head) in LIGHT_VERBS | {"take", "be", "end", "fail",
                                                                                         "collapse", "continue"}:
        return True
    if tok.dep_ == "pobj" and tok.head.dep_ == "agent":
        return True
    return False


NAME_ENTS = {"ORG", "PERSON", "NORP", "GPE", "FAC"}
# trigger nouns that, as the modifier of these heads, only name who or what is meant
NAMING_COMPOUNDS = {"riot": {"police", "policeman", "officer", "gear", "squad", "control", "unit", "troop", "shield",
                             "force", "van", "act"}}


def in_name(tok) -> bool:
    """Is a capitalised trigger noun a modifier inside a multiword name ("the Ostran
    Liberation Front"; not the head of a name such as "the Velmar Peace Summit")?"""
    if tok.ent_type_ not in NAME_ENTS or not tok.text[:1].isupper():
        return False
    ent = next((e for e in tok.doc.ents if e.start <= tok.i < e.end), None)
    return ent is not None and tok.i < ent.end - 1


def names_no_event(trig: Trigger) -> bool:
    """A trigger word used as a name or a unit noun, not for an event: inside a name ("the
    Ostran Liberation Front"), "riot police", "riot gear"."""
    if not trig.nominal:
        return False
    tok = trig.token
    if in_name(tok):
        return True
    return tok.dep_ == "compound" and _lemma(tok.head) in NAMING_COMPOUNDS.get(_lemma(tok), ())


def detect(analysis: Analysis, article_id: str, lex: Lexicon) -> list[tuple[Mention, Trigger]]:
    """Every event mention in the article, in text order, with its trigger (for later stages).
    Mentions whose word names no event of its own here (light nouns without their verb,
    speech nouns) come with ``trigger.event_sense`` False: later stages may weigh them as a
    sentence's main event but never make an event record of them alone."""
    out = []
    for sent in analysis.sentences:
        trigs = list(find_triggers(sent, lex))
        violent_verbs = {t.token.i for t in trigs if not t.nominal and t.entry.type == "ASSAULT"}
        for trig in trigs:
            if names_no_event(trig):
                continue
            if not light_ok(trig):
                trig.event_sense = False
            # "protesters clashed with police": the riot's party, no protest of their own (but "police
            # dispersed the demonstrators", "protesters were arrested": there was a protest)
            if trig.nominal and participant_noun(trig.token) and trig.token.dep_ == "nsubj" \
                    and trig.token.head.i in violent_verbs:
                trig.event_sense = False
            if trig.nominal and _lemma(trig.token) in SPEECH_NOUNS:
                trig.event_sense = False
            if trig.entry.type == "ASSAULT" and (non_political_cause(trig.token) or measure_subject(trig.token)):
                continue
            if trig.entry.type == "CONCEDE" and publication(trig.token):
                continue
            # an ambiguous word ('hit', 'gathered') needs a word of its sense elsewhere in the sentence
            where = (trig.start_token.idx - sent.span.start_char,
                     trig.token.idx - sent.span.start_char + len(trig.token.text))
            if trig.entry.type == "PROTEST" and not protest_sense(_lemma(trig.token), sent.text, where):
                continue
            if trig.entry.type == "ASSAULT" and not violent_sense(_lemma(trig.token), sent.text, where):
                continue
            _, mode = refine(trig, lex)   # the ACLED code is the typing stage's (wirecoder.classify)
            s, e = sent.abs(trig.start_token)[0], sent.abs(trig.token)[1]
            m = Mention(
                article_id=article_id, sentence=sent.index,
                trigger=Span(start=s, end=e, text=analysis.clean.text[s:e]),
                sentence_span=Span(start=sent.start, end=sent.end, text=sent.text),
                plover_type=trig.entry.type, plover_mode=mode, cameo=lex.cameo_for(trig.entry), aux_mode=aux_mode(trig),
                nominal=trig.nominal, anaphoric=is_anaphoric(trig), generic=is_generic(trig),
                confidence=0.6 if trig.nominal else 0.7,
            )
            out.append((m, trig))
    return out
