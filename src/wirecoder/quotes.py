"""Quotes: direct and reported speech with its speaker, resolved through in-article
coreference ("he said" -> the last named speaker; "Kirby" -> "John Kirby").

Direct speech is the text between quotation marks. Reported speech is the clause a
speech verb governs ("X said [one of its fighters was killed]", "[the toll rose], X
said") or the clause after "according to X"; it is kept as ``direct=False`` unless
quotation marks already cover most of it."""

from __future__ import annotations

import re
from bisect import bisect_right

from . import pronouns
from .reporting import QUOTATION
from .analyse import Analysis
from .schema import Quote, Span

MIN_QUOTE, MAX_QUOTE = 2, 1500
# an unclosed quotation ends at its attribution: '“The suspect pointed an object at them, said Monahan.'
UNCLOSED_TAG_RE = re.compile(r",\s+(?:(?:said|says|added|told|explained|asked)\b|[A-Z][\w.'’ -]{1,40}\s(?:said|says|added)\b)")
SPEECH = QUOTATION                # data/reporting.toml
PRONOUNS = pronouns.SPEAKER
PERSON_PRONOUNS = pronouns.PERSON | {"i"}
TITLES = re.compile(r"^(?:(?:mr|mrs|ms|miss|dr|prof|sir|gen|general|col|colonel|maj|major|capt|captain|lt|president|"
                    r"prime minister|minister|secretary|senator|sen|rep|governor|gov|mayor|judge|king|queen|prince|"
                    r"sheikh|ayatollah|pope|chancellor|lord|lady)\.?\s+)+", re.I)


def quote_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each quotation's words, without the marks. A straight mark opens after a space
    or a bracket and closes after a word; a quotation still open when the next one opens, or at the end
    of its paragraph, is the news convention of a quote that runs on ('said: "We were called ... "We
    sent ...'): it ends there, or at its attribution (', said X')."""
    out: list[tuple[int, int]] = []
    opened: int | None = None

    def close_unclosed(end: int) -> None:
        seg = text[opened:end]
        tag = UNCLOSED_TAG_RE.search(seg)
        if tag:
            seg = seg[:tag.start()]
        seg = seg.rstrip()
        if MIN_QUOTE <= len(seg) <= MAX_QUOTE:
            out.append((opened, opened + len(seg)))

    for i, ch in enumerate(text):
        if ch == "\n" and opened is not None:
            close_unclosed(i)
            opened = None
            continue
        if ch not in "“”\"":
            continue
        before = text[i - 1] if i else " "
        is_open = ch == "“" or (ch == '"' and (before.isspace() or before in "([{—–-:"))
        if is_open:
            if opened is not None:
                close_unclosed(i)
            opened = i + 1
        elif opened is not None:
            if MIN_QUOTE <= i - opened <= MAX_QUOTE:
                out.append((opened, i))
            opened = None
    if opened is not None:
        close_unclosed(len(text))
    return out


def _clean_name(name: str) -> str:
    name = re.sub(r"['’]s$", "", name.strip())
    return TITLES.sub("", name).strip()


class SpeakerTracker:
    def __init__(self):
        self.persons: list[str] = []
        self.last: tuple[str, str] | None = None    # (canonical, description)
        self.last_at = -1                           # where the last speaker spoke (cleaned-text offset)
        self.last_person: tuple[int, str] | None = None   # the latest named person who was a clause subject
        self.last_plural = False

    def see_persons(self, sent, in_quote=lambda pos: False) -> None:
        for ent in sent.span.ents:
            if ent.label_ == "PERSON":
                name = _clean_name(ent.text)
                if name and name not in self.persons:
                    self.persons.append(name)
                at = sent.base + ent.start_char
                if ent.root.dep_ in ("nsubj", "nsubjpass") and name and not in_quote(at):
                    self.last_person = (at, self.full(name))

    def pronoun(self, word: str, at: int) -> str | None:
        """he/she: the later of the last speaker and the last named person who was a subject; it/they:
        the last speaker; never a plural speaker for he/she/it."""
        word = word.lower()
        last = self.last[0] if self.last and not (self.last_plural and word in PERSON_PRONOUNS | {"it"}) else None
        if word in PERSON_PRONOUNS and last is not None and last not in self.persons and self.last_person is None:
            last = None                     # 'he'/'she' is no organisation
        if word in PERSON_PRONOUNS and self.last_person and self.last_person[0] < at and (
                last is None or self.last_person[0] > self.last_at or last not in self.persons):
            return self.last_person[1]
        if last:
            return last
        return self.persons[-1] if self.persons and word in PERSON_PRONOUNS else None

    def full(self, name: str) -> str:
        """Longest earlier person name that ends with (or equals) this one: 'Kirby' -> 'John Kirby'."""
        best = name
        for p in self.persons:
            if p != name and (p.endswith(" " + name) or p.split()[-1] == name.split()[-1]) and len(p) > len(best):
                best = p
        if best == name and " " not in name:     # a family name written first: 'Li' -> 'Li Wenzu'
            best = next((p for p in self.persons if p.startswith(name + " ")), name)
        return best


def _speaker_phrase(sent, q_lo: int, q_hi: int):
    """(speech verb, subject token) outside the quoted text, nearest to the quote."""
    best = None
    for tok in sent.span:
        a = sent.base + tok.idx
        if q_lo <= a < q_hi:
            continue
        if tok.lemma_.lower() in SPEECH and tok.pos_ in ("VERB", "AUX"):
            subj = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is None and tok.dep_ in ("conj", "advcl", "xcomp") :
                subj = next((c for c in tok.head.children if c.dep_ == "nsubj"), None)
            if subj is None:
                continue
            if q_lo <= sent.base + subj.idx < q_hi:
                continue
            dist = min(abs(a - q_lo), abs(a - q_hi))
            if best is None or dist < best[0]:
                best = (dist, tok, subj)
    return (best[1], best[2]) if best else (None, None)


def _resolve_speaker(sent, subj, tracker: SpeakerTracker):
    """(canonical speaker, speaker as written, its span) for the subject token of a speech verb."""
    cut = set()
    doc = subj.doc
    # "the station's owner, Jane Roe, said": the named apposition is the speaker
    if subj.ent_type_ != "PERSON":
        for c in subj.children:
            if c.dep_ == "appos" and c.ent_type_ == "PERSON":
                subj = c
                break
    for c in subj.subtree:   # "a spokesman for X, also known as Y,": the phrase without its asides
        if c.i != subj.i and c.i > subj.left_edge.i and c.dep_ in ("appos", "relcl", "acl", "conj") and c.left_edge.i > 0 and \
                doc[c.left_edge.i - 1].text in (",", "(", "-", "–"):
            cut |= {t.i for t in c.subtree} | {c.left_edge.i - 1}
    sub = [t for t in subj.subtree if t.i not in cut]
    while len(sub) > 1 and (sub[-1].is_punct or sub[-1].is_space or sub[-1].dep_ == "cc"):
        sub.pop()
    s_lo, s_hi = sub[0], sub[-1]
    speaker_text = sent.span.doc[s_lo.i: s_hi.i + 1].text.strip(" ,")
    speaker_span = Span(start=sent.base + s_lo.idx, end=sent.base + s_hi.idx + len(s_hi.text), text=speaker_text)
    persons = [e for e in sent.span.ents if e.label_ == "PERSON" and s_lo.i <= e.start and e.end <= s_hi.i + 1]
    if subj.lower_ in PRONOUNS:
        speaker = tracker.pronoun(subj.lower_, sent.base + subj.idx)
    elif persons:
        speaker = tracker.full(_clean_name(persons[0].text))
    elif subj.pos_ == "PROPN":
        speaker = tracker.full(_clean_name(speaker_text))
    else:
        speaker = re.sub(r"^(?:the|a|an)\s+", "", speaker_text, flags=re.I)
        if tracker.last and subj.lemma_.lower() in tracker.last[1].lower():
            speaker = tracker.last[0]
    return speaker, speaker_text, speaker_span


def _remember(tracker: SpeakerTracker, speaker: str, speaker_text: str, at: int, subj=None) -> None:
    desc = speaker_text or ""
    if subj is not None and desc.lower() not in PRONOUNS:
        tracker.last_plural = subj.tag_ in ("NNS", "NNPS")
    tracker.last = (speaker, desc if desc.lower() not in PRONOUNS else (tracker.last[1] if tracker.last else ""))
    tracker.last_at = at


def _clause_text(sent, toks) -> tuple[int, int] | None:
    """Character range (cleaned text) of a clause's tokens, trimmed of edge punctuation and 'that'."""
    toks = sorted(toks, key=lambda t: t.i)
    while toks and (toks[0].is_punct or toks[0].lower_ == "that" and toks[0].dep_ == "mark"):
        toks = toks[1:]
    while toks and toks[-1].is_punct:
        toks = toks[:-1]
    if len(toks) < 3:
        return None
    return sent.base + toks[0].idx, sent.base + toks[-1].idx + len(toks[-1].text)


def _reported(sent):
    """(subject token, content token list) for each reported statement of a sentence."""
    out = []
    for tok in sent.span:
        lem = tok.lemma_.lower()
        if lem in SPEECH and tok.pos_ in ("VERB", "AUX"):
            subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
            if subj is None and tok.dep_ in ("conj", "advcl"):
                subj = next((c for c in tok.head.children if c.dep_ == "nsubj"), None)
            if subj is None:
                continue
            comp = next((c for c in tok.children if c.dep_ == "ccomp"), None)
            if comp is not None and comp.i != subj.i:
                out.append((subj, list(comp.subtree)))
            elif tok.dep_ in ("parataxis", "ccomp") and tok.head.i < tok.i and tok.head.pos_ in ("VERB", "AUX"):
                # "[one was killed], the group said": the governing clause less the speech phrase
                inner = {t.i for t in tok.subtree}
                out.append((subj, [t for t in tok.head.subtree if t.i not in inner]))
        elif tok.lower_ == "according" and tok.dep_ == "prep":
            to = next((c for c in tok.children if c.lower_ == "to"), None)
            src = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
            if src is not None and tok.head.pos_ in ("VERB", "AUX"):
                inner = {t.i for t in tok.subtree}
                out.append((src, [t for t in tok.head.subtree if t.i not in inner]))
    return out


def find_quotes(analysis: Analysis, article_id: str | None = None) -> list[Quote]:
    text = analysis.clean.text
    tracker = SpeakerTracker()
    quotes: list[Quote] = []
    spans = quote_spans(text)
    sents = analysis.sentences
    starts = [s.start for s in sents]

    def sentence_at(pos: int):
        k = bisect_right(starts, pos) - 1
        return sents[k] if k >= 0 and sents[k].start <= pos < sents[k].end + 1 else None

    q_starts = [a for a, _ in spans]

    def in_quote(pos: int) -> bool:
        k = bisect_right(q_starts, pos) - 1
        return k >= 0 and spans[k][0] <= pos < spans[k][1]

    mi = 0
    for sent in sents:
        tracker.see_persons(sent, in_quote)
        while mi < len(spans) and spans[mi][0] <= sent.start - 1:
            mi += 1
        j = mi
        direct: list[tuple[int, int]] = []
        while j < len(spans) and spans[j][0] - 1 < sent.end:
            q_lo, q_hi = spans[j]
            j += 1
            m_lo, m_hi = q_lo - 1, min(len(text), q_hi + 1)
            direct.append((m_lo, m_hi))
            # the attribution stands where the quotation ends ('"... result," Roe said') or where it starts
            verb = subj = None
            home = sent
            after = sentence_at(min(len(text) - 1, m_hi + 1))    # '"Who pays?" | she asked.' split in two
            for cand in (sentence_at(q_hi), sent, after if after is not None and after.start <= m_hi + 2 else None):
                if cand is not None:
                    verb, subj = _speaker_phrase(cand, m_lo, m_hi)
                    if subj is not None:
                        home = cand
                        break
            speaker = speaker_text = None
            speaker_span = None
            if subj is not None:
                speaker, speaker_text, speaker_span = _resolve_speaker(home, subj, tracker)
            elif tracker.last and (m_lo - sent.start) < 3:
                speaker, speaker_text = tracker.last[0], ""     # a quotation that runs on
            if not speaker:
                continue
            _remember(tracker, speaker, speaker_text, q_lo, subj)
            quotes.append(Quote(text=text[q_lo:q_hi], speaker=speaker, speaker_text=speaker_text or "", direct=True,
                                article_id=article_id, span=Span(start=q_lo, end=q_hi, text=text[q_lo:q_hi]),
                                speaker_span=speaker_span))
        for subj, content in _reported(sent):
            ab = _clause_text(sent, content)
            if ab is None:
                continue
            lo, hi = ab
            inside = sum(max(0, min(hi, b) - max(lo, a)) for a, b in direct)
            if inside > 0.6 * (hi - lo) or any(a <= sent.base + subj.idx < b for a, b in direct):
                continue   # the quotation marks already give it, or the speaker is inside a quote
            speaker, speaker_text, speaker_span = _resolve_speaker(sent, subj, tracker)
            if not speaker:
                continue
            _remember(tracker, speaker, speaker_text, lo, subj)
            quotes.append(Quote(text=text[lo:hi], speaker=speaker, speaker_text=speaker_text, direct=False,
                                article_id=article_id, span=Span(start=lo, end=hi, text=text[lo:hi]),
                                speaker_span=speaker_span))
    quotes.sort(key=lambda q: q.span.start)
    return quotes
