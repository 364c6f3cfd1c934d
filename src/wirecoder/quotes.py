"""Quotes: direct speech with its speaker, resolved through in-article coreference
("he said" -> the last named speaker; "Kirby" -> "John Kirby")."""

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
        while j < len(matches) and matches[j].start() < sent.end:
            m = matches[j]
            j += 1
            g = 1 if m.group(1) is not None else 2
            q_lo, q_hi = m.start(g), m.end(g)
            verb, subj = _speaker_phrase(sent, m.start(), m.end())
            speaker = speaker_text = None
            speaker_span = None
            if subj is not None:
                sub = list(subj.subtree)
                s_lo, s_hi = sub[0], sub[-1]
                speaker_text = sent.span.doc[s_lo.i: s_hi.i + 1].text
                speaker_span = Span(start=sent.base + s_lo.idx, end=sent.base + s_hi.idx + len(s_hi.text),
                                    text=speaker_text)
                persons = [e for e in sent.span.ents if e.label_ == "PERSON" and s_lo.i <= e.start and e.end <= s_hi.i + 1]
                if subj.lower_ in PRONOUNS and (tracker.last or tracker.persons):
                    speaker = tracker.last[0] if tracker.last else tracker.persons[-1]
                elif persons:
                    speaker = tracker.full(_clean_name(persons[0].text))
                elif subj.pos_ == "PROPN":
                    speaker = tracker.full(_clean_name(speaker_text))
                else:
                    speaker = re.sub(r"^(?:the|a|an)\s+", "", speaker_text, flags=re.I)
                    if tracker.last and subj.lemma_.lower() in tracker.last[1].lower():
                        speaker = tracker.last[0]
            elif tracker.last and (m.start() - sent.start) < 3:
                speaker, speaker_text = tracker.last[0], ""
            if not speaker:
                continue
            desc = speaker_text or ""
            tracker.last = (speaker, desc if desc.lower() not in PRONOUNS else (tracker.last[1] if tracker.last else ""))
            quotes.append(Quote(text=m.group(g), speaker=speaker, speaker_text=speaker_text or "", direct=True,
                                article_id=article_id, span=Span(start=q_lo, end=q_hi, text=m.group(g)),
                                speaker_span=speaker_span))
    return quotes
