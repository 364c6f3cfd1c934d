"""Quotes: direct and reported speech with its speaker, resolved through in-article
coreference ("he said" -> the last named speaker; "Kirby" -> "John Kirby").

Direct speech is the text between quotation marks. Reported speech is the clause a
speech verb governs ("X said [one of its fighters was killed]", "[the toll rose], X
said") or the clause after "according to X"; it is kept as ``direct=False`` unless
quotation marks already cover most of it."""

from __future__ import annotations

import re

from .analyse import Analysis
from .schema import Quote, Span

QUOTE_RE = re.compile(r"“([^”]{2,1500})”|\"([^\"\n]{2,1500})\"")
SPEECH = {"say", "add", "tell", "state", "declare", "announce", "insist", "note", "warn", "claim", "write", "explain",
          "argue", "stress", "describe", "call", "tweet", "reply", "respond", "ask", "continue", "conclude",
          "acknowledge", "admit", "observe", "remark", "recall", "quote", "vow", "promise"}
PRONOUNS = {"he", "she", "they", "i", "we", "him", "her"}
TITLES = re.compile(r"^(?:(?:mr|mrs|ms|miss|dr|prof|sir|gen|general|col|colonel|maj|major|capt|captain|lt|president|"
                    r"prime minister|minister|secretary|senator|sen|rep|governor|gov|mayor|judge|king|queen|prince|"
                    r"sheikh|ayatollah|pope|chancellor|lord|lady)\.?\s+)+", re.I)


def _clean_name(name: str) -> str:
    name = re.sub(r"['’]s$", "", name.strip())
    return TITLES.sub("", name).strip()


class SpeakerTracker:
    def __init__(self):
        self.persons: list[str] = []
        self.last: tuple[str, str] | None = None    # (canonical, description)

    def see_persons(self, sent) -> None:
        for ent in sent.span.ents:
            if ent.label_ == "PERSON":
                name = _clean_name(ent.text)
                if name and name not in self.persons:
                    self.persons.append(name)

    def full(self, name: str) -> str:
        """Longest earlier person name that ends with (or equals) this one: 'Kirby' -> 'John Kirby'."""
        best = name
        for p in self.persons:
            if p != name and (p.endswith(" " + name) or p.split()[-1] == name.split()[-1]) and len(p) > len(best):
                best = p
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
    for c in subj.subtree:   # "a spokesman for X, also known as Y,": the phrase without its asides
        if c.i > subj.left_edge.i and c.dep_ in ("appos", "relcl", "acl", "conj") and c.left_edge.i > 0 and \
                doc[c.left_edge.i - 1].text in (",", "(", "-", "–"):
            cut |= {t.i for t in c.subtree} | {c.left_edge.i - 1}
    sub = [t for t in subj.subtree if t.i not in cut]
    while len(sub) > 1 and (sub[-1].is_punct or sub[-1].is_space or sub[-1].dep_ == "cc"):
        sub.pop()
    s_lo, s_hi = sub[0], sub[-1]
    speaker_text = sent.span.doc[s_lo.i: s_hi.i + 1].text.strip(" ,")
    speaker_span = Span(start=sent.base + s_lo.idx, end=sent.base + s_hi.idx + len(s_hi.text), text=speaker_text)
    persons = [e for e in sent.span.ents if e.label_ == "PERSON" and s_lo.i <= e.start and e.end <= s_hi.i + 1]
    if subj.lower_ in PRONOUNS and (tracker.last or tracker.persons):
        speaker = tracker.last[0] if tracker.last else tracker.persons[-1]
    elif subj.lower_ in PRONOUNS:
        speaker = None
    elif persons:
        speaker = tracker.full(_clean_name(persons[0].text))
    elif subj.pos_ == "PROPN":
        speaker = tracker.full(_clean_name(speaker_text))
    else:
        speaker = re.sub(r"^(?:the|a|an)\s+", "", speaker_text, flags=re.I)
        if tracker.last and subj.lemma_.lower() in tracker.last[1].lower():
            speaker = tracker.last[0]
    return speaker, speaker_text, speaker_span


def _remember(tracker: SpeakerTracker, speaker: str, speaker_text: str) -> None:
    desc = speaker_text or ""
    tracker.last = (speaker, desc if desc.lower() not in PRONOUNS else (tracker.last[1] if tracker.last else ""))


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
    matches = list(QUOTE_RE.finditer(text))
    mi = 0
    for sent in analysis.sentences:
        tracker.see_persons(sent)
        while mi < len(matches) and matches[mi].start() < sent.start:
            mi += 1
        j = mi
        direct: list[tuple[int, int]] = []
        while j < len(matches) and matches[j].start() < sent.end:
            m = matches[j]
            j += 1
            g = 1 if m.group(1) is not None else 2
            q_lo, q_hi = m.start(g), m.end(g)
            direct.append((m.start(), m.end()))
            verb, subj = _speaker_phrase(sent, m.start(), m.end())
            speaker = speaker_text = None
            speaker_span = None
            if subj is not None:
                speaker, speaker_text, speaker_span = _resolve_speaker(sent, subj, tracker)
            elif tracker.last and (m.start() - sent.start) < 3:
                speaker, speaker_text = tracker.last[0], ""
            if not speaker:
                continue
            _remember(tracker, speaker, speaker_text)
            quotes.append(Quote(text=m.group(g), speaker=speaker, speaker_text=speaker_text or "", direct=True,
                                article_id=article_id, span=Span(start=q_lo, end=q_hi, text=m.group(g)),
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
            _remember(tracker, speaker, speaker_text)
            quotes.append(Quote(text=text[lo:hi], speaker=speaker, speaker_text=speaker_text, direct=False,
                                article_id=article_id, span=Span(start=lo, end=hi, text=text[lo:hi]),
                                speaker_span=speaker_span))
    quotes.sort(key=lambda q: q.span.start)
    return quotes
