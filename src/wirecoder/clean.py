"""Clean stage: drop captions, credit lines, bylines, page furniture, the headline and
repeated sentences, keeping an offset map from the cleaned text back to the original.

Cleaning is lossless in one sense: nothing is dropped silently. Every piece of the
original that does not reach the cleaned text (a block, a sentence or a span inside a
sentence) is listed in ``CleanText.removed`` with its reason. The rules are about the
*shape* of news-page clutter (data/clean.toml), never about one article's words.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from pathlib import Path

from .lexicon import data_toml
from .schema import Article, CleanText, OffsetMap, Removed, Segment

BLOCK_RE = re.compile(r"[^\n]+(?:\n(?![ \t]*\n)[^\n]+)*")
END_RE = re.compile(r"[.!?]+[\"”’')\]]*")
NEXT_RE = re.compile(r"\s+([*•]\s*|[\"“‘(\[]?)(\S+)")
WORD_RE = re.compile(r"[A-Za-z0-9]+")
LINE_RE = re.compile(r"[^\n]*[^\s][^\n]*")
# "JERUSALEM (AP) --", "KABUL, Afghanistan (Reuters) -", "(NEW YORK) --": place of reporting
DATELINE_RE = re.compile(
    r"^\(?(?P<place>[A-Z][A-Z .'\-]{2,40}?)\)?(?:,\s*(?P<region>[A-Z][\w .'\-]{1,40}?))?"
    r"(?:,\s*[A-Z][a-z]{2,8}\.? \d{1,2})?\s*(?:\((?P<agency>[A-Za-z .&]{2,30})\))?\s*(?:--|—|–|-|:|\ufffd)\s+")
MAX_WHOLE_SENTENCE_WORDS = 40     # a sentence longer than this is never dropped whole as clutter ...
MAX_CAPTION_WORDS = 80            # ... unless it has the form of a photo caption
MAX_HEADER_WORDS = 80
MAX_CAPTION_CHARS = 300           # a longer block (or one of 3+ sentences) is text with a caption inside,
                                  # cleaned sentence by sentence             # text before an early dateline this short is page header (headline, teaser)


@dataclass(frozen=True)
class CleanRules:
    """The clutter patterns of data/clean.toml, compiled once."""

    block: dict[str, tuple[re.Pattern, ...]]
    sentence_boilerplate: tuple[re.Pattern, ...]
    sentence_caption: tuple[re.Pattern, ...]
    photo_credit: tuple[re.Pattern, ...]
    spans: dict[str, re.Pattern]
    abbreviations: frozenset[str]
    starters: frozenset[str]

    @classmethod
    @lru_cache(maxsize=1)
    def default(cls) -> "CleanRules":
        return cls.load()

    @classmethod
    def load(cls, path: str | Path | None = None) -> "CleanRules":
        d = data_toml("clean.toml", path)

        def comp(pats, flags=re.I):
            return tuple(re.compile(p, flags) for p in pats)

        sent = d["sentence"]
        return cls(
            block={"credit": comp(d["block"]["credit"], 0), "caption": comp(d["block"]["caption"], re.I),
                   "boilerplate": comp(d["block"]["boilerplate"])},
            sentence_boilerplate=comp(sent["boilerplate"]), sentence_caption=comp(sent["caption"], 0),
            photo_credit=comp(sent["photo_credit"], 0),
            spans={k: re.compile(v, re.I if k in ("read_more",) else 0) for k, v in d["span"].items()},
            abbreviations=frozenset(d["abbreviations"]), starters=frozenset(d["sentence_starters"]),
        )


def _words(s: str) -> list[str]:
    return [w.lower() for w in WORD_RE.findall(s)]


def classify_block(block: str, rules: CleanRules | None = None) -> str | None:
    """Why a whole block is clutter, or None to keep it."""
    rules = rules or CleanRules.default()
    short = len(block) < MAX_CAPTION_CHARS and len(split_sentences(block, 0, rules)) <= 2
    for reason in ("credit", "caption"):
        if short and any(r.search(block) for r in rules.block[reason]):
            return reason
    if len(block) < 200 and any(r.search(block) for r in rules.block["boilerplate"]):
        return "boilerplate"
    return None


def _unended_line(block: str, rules: CleanRules) -> bool:
    """A one-sentence block with no sentence end inside the text: a caption or a crosshead
    ('Rescuers search the rubble of the school in Kaduna')."""
    b = block.strip()
    return (len(_words(b)) >= 4 and not re.search(r"[.!?:;,\"”)\]]$", b)
            and len(split_sentences(b, 0, rules)) == 1)


def looks_like_headline(block: str, title: str | None, *, more_follows: bool = False) -> bool:
    words = _words(block)
    if title and _words(title) == words:
        return True
    if not words or len(words) > 20 or "\n" in block.strip():
        return False
    if re.search(r"[.!?\"”:]\s*$", block):
        return False
    if more_follows:            # a short first line with no sentence end, with the text below it
        return True
    caps = sum(1 for w in re.findall(r"[A-Za-z][\w'’-]*", block) if w[0].isupper())
    return caps >= 0.6 * len(words)


def split_sentences(block: str, base: int = 0, rules: CleanRules | None = None) -> list[tuple[int, int]]:
    """Sentences of a block as absolute (start, end) offsets. Every non-space character of the
    block lies in exactly one sentence: a period inside "U.S.", "p.m." or "Mr." is no boundary."""
    rules = rules or CleanRules.default()
    out: list[tuple[int, int]] = []
    start = 0
    n = len(block)
    for m in END_RE.finditer(block):
        e = m.end()
        if e >= n:
            break
        nxt = NEXT_RE.match(block, e)
        if nxt is None:
            continue
        after = nxt.group(2)
        if not (nxt.group(1) or after[0].isupper() or after[0].isdigit()):
            continue
        if m.group() == ".":
            tok = block[start:m.start()].rsplit(None, 1)[-1] if block[start:m.start()].strip() else ""
            low = tok.lower().lstrip("(\"“‘")
            if low in rules.abbreviations or (len(low) == 1 and low.isalpha()):
                continue
            if "." in low and low.strip(".").replace(".", "").isalpha():     # U.S, p.m, U.N
                if after.lower().strip("\"“‘(,;:") not in rules.starters:
                    continue
        out.append((start, e))
        start = nxt.start(1) if nxt.group(1) else nxt.start(2)
    if block[start:].strip():
        out.append((start, n))
    res = []
    for s, e in out:
        while s < e and block[s].isspace():
            s += 1
        while e > s and block[e - 1].isspace():
            e -= 1
        if e > s:
            res.append((base + s, base + e))
    return res or [(base, base + len(block))]


class _DupIndex:
    """Near-duplicate sentence finder: candidates share their first or last 4 words.

    Linear in the article's length: an exact repeat is found in a set, and a sentence is
    compared (SequenceMatcher) with at most ``per_key`` earlier sentences of each of its two
    keys, the most recent ones, after a length test that the ratio can only fail too. An
    article where more than ``per_key`` sentences share their first or last four words is
    not news prose (a generated list); near-repeats further apart than that are kept."""

    def __init__(self, threshold: float = 0.9, min_words: int = 6, per_key: int = 20):
        self.threshold = threshold
        self.min_words = min_words
        self.per_key = per_key
        self.by_key: dict[tuple, list[tuple[list[str], Counter]]] = {}
        self.exact: set[tuple[str, ...]] = set()

    def seen(self, words: list[str]) -> bool:
        if len(words) < self.min_words:
            return False
        whole = tuple(words)
        if whole in self.exact:
            return True
        keys = [("h",) + tuple(words[:4]), ("t",) + tuple(words[-4:])]
        n = len(words)
        bag = Counter(words)
        for key in keys:
            for other, other_bag in reversed(self.by_key.get(key, ())):
                m = len(other)
                # SequenceMatcher's real_quick_ratio and quick_ratio bound its ratio from above
                if 2 * min(m, n) / (m + n) < self.threshold:
                    continue
                if 2 * sum((bag & other_bag).values()) / (m + n) < self.threshold:
                    continue
                if SequenceMatcher(None, other, words, autojunk=False).ratio() >= self.threshold:
                    return True
        self.exact.add(whole)
        for key in keys:
            bucket = self.by_key.setdefault(key, [])
            bucket.append((words, bag))
            if len(bucket) > self.per_key:
                del bucket[0]
        return False


def _sentence_reason(s: str, rules: CleanRules) -> str | None:
    n = len(_words(s))
    if n <= MAX_CAPTION_WORDS and any(r.search(s) for r in rules.sentence_caption):
        return "caption"
    if n > MAX_WHOLE_SENTENCE_WORDS:
        return None
    if any(r.search(s) for r in rules.photo_credit):
        return "photo_credit"
    if any(r.search(s) for r in rules.sentence_boilerplate):
        return "boilerplate"
    return None


def _span_cuts(text: str, ss: int, se: int, rules: CleanRules) -> list[tuple[int, int, str]]:
    """Pieces to cut from inside the sentence text[ss:se], as absolute (start, end, reason)."""
    s = text[ss:se]
    cuts: list[tuple[int, int, str]] = []
    for m in rules.spans["credit_paren"].finditer(s):
        lead = s[:m.start()]
        # words before a credit in the same sentence are its caption ("Jane Roe of Leeds (Image: X)")
        start = 0 if lead.strip() and not re.search(r"[.!?]\s*$", lead) else m.start()
        cuts.append((ss + start, ss + m.end(), "credit"))
    for key, reason in (("read_more", "boilerplate"), ("timestamp", "boilerplate"), ("foreign_script", "markup")):
        for m in rules.spans[key].finditer(s):
            cuts.append((ss + m.start(), ss + m.end(), reason))
    cuts.sort()
    merged: list[tuple[int, int, str]] = []
    for c in cuts:
        if merged and c[0] <= merged[-1][1]:
            p = merged[-1]
            merged[-1] = (p[0], max(p[1], c[1]), p[2])
        else:
            merged.append(c)
    return merged


def clean(article: Article, rules: CleanRules | None = None) -> CleanText:
    rules = rules or CleanRules.default()
    text = article.text
    kept: list[list] = []                   # [orig_start, orig_end, new_paragraph, block_index]
    removed: list[Removed] = []
    title = article.title
    dateline = None
    dups = _DupIndex()
    blocks = [(m.start(), m.end()) for m in BLOCK_RE.finditer(text) if m.group().strip()]
    body_blocks = 0                         # blocks that reached the text so far
    first = True                            # no block kept yet: the next one may be the headline

    def drop(s: int, e: int, reason: str) -> None:
        if e > s and text[s:e].strip():
            removed.append(Removed(start=s, end=e, text=text[s:e], reason=reason))

    for bi, (bs, be) in enumerate(blocks):
        block = text[bs:be]
        reason = classify_block(block, rules)
        if reason is None and first and looks_like_headline(block, title, more_follows=bi + 1 < len(blocks)):
            title = title or block.strip()
            reason = "boilerplate"
        if reason is None and not first and _unended_line(block, rules):
            reason = "caption"
        if reason is None:
            first = False
        if reason:
            drop(bs, be, reason)
            continue
        lead = len(block) - len(block.lstrip())
        bm = rules.spans["byline"].match(block[lead:])
        if bm:
            if kept:                        # a byline after the story began: another story follows
                drop(bs, be, "boilerplate")
                continue
            drop(bs + lead, bs + lead + bm.end(), "boilerplate")
            bs += lead + bm.end()
            block = text[bs:be]
        if dateline is None and body_blocks < 3:
            lead = len(block) - len(block.lstrip())
            dm = DATELINE_RE.match(block[lead:])
            if dm and (dm.group("agency") or dm.group("place").isupper()) and len(dm.group("place").strip()) > 2:
                dateline = ", ".join(x for x in (dm.group("place").strip().title(), dm.group("region")) if x)
                drop(bs, bs + lead + dm.end(), "dateline")
                bs += lead + dm.end()
                block = text[bs:be]
                # what stood above an early dateline (a teaser, a timestamp) is page header
                if kept and sum(len(_words(text[k[0]:k[1]])) for k in kept) <= MAX_HEADER_WORDS:
                    for k in kept:
                        drop(k[0], k[1], "boilerplate")
                    kept.clear()
        new_par = True
        body_sents = len(kept)
        for si, (ss, se) in enumerate(split_sentences(block, bs, rules)):
            sent = text[ss:se]
            why = _sentence_reason(sent, rules)
            if why is None and not kept and si == 0 and rules.spans["reporter_city"].match(sent):
                why = "boilerplate"
            if why is None and title and body_sents + si < 4:
                tw, sw = _words(title), _words(sent)
                if sw and len(sw) <= len(tw) + 3 and SequenceMatcher(None, tw, sw, autojunk=False).ratio() >= 0.85:
                    why = "duplicate"
            if why == "photo_credit":
                # the sentence before a photo credit in the same block is its caption
                if kept and kept[-1][3] == bi and si > 0:
                    k = kept.pop()
                    drop(k[0], k[1], "caption")
                    new_par = new_par or k[2]
                drop(ss, se, "credit")
                continue
            if why:
                drop(ss, se, why)
                continue
            pieces, pos = [], ss
            for cs, ce, creason in _span_cuts(text, ss, se, rules):
                if cs > pos:
                    pieces.append((pos, cs))
                drop(cs, ce, creason)
                pos = ce
            if pos < se:
                pieces.append((pos, se))
            pieces = [(a + len(text[a:b]) - len(text[a:b].lstrip()), b - (len(text[a:b]) - len(text[a:b].rstrip())))
                      for a, b in pieces if text[a:b].strip()]
            if not pieces:
                continue
            if dups.seen([w for a, b in pieces for w in _words(text[a:b])]):
                drop(ss, se, "duplicate")
                continue
            for a, b in pieces:
                # a hard-wrapped line break inside a paragraph becomes a space: one paragraph, one line
                for m in LINE_RE.finditer(text, a, b):
                    kept.append([m.start(), m.end(), new_par, bi])
                    new_par = False
        if kept and kept[-1][3] == bi:     # blocks are kept in order: only the last can be this one
            body_blocks += 1
    if not kept:
        # a caption or a headline is clutter beside a body; a text that is nothing else is its own body
        own = [r for r in removed if r.reason in ("caption", "boilerplate") and r.text.strip()
               and (r.reason == "caption" or r.text.strip() == (title or "").strip())]
        for r in own:
            for m in LINE_RE.finditer(text, r.start, r.end):
                kept.append([m.start(), m.end(), not kept, 0])
        removed = [r for r in removed if r not in own]
        kept.sort(key=lambda k: k[0])
    parts: list[str] = []
    segments: list[Segment] = []
    pos = 0
    for i, (s, e, brk, _) in enumerate(kept):
        if parts:
            sep = "\n\n" if brk else " "
            parts.append(sep)
            pos += len(sep)
        segments.append(Segment(clean_start=pos, orig_start=s, length=e - s))
        parts.append(text[s:e])
        pos += e - s
    removed.sort(key=lambda r: r.start)
    return CleanText(article_id=article.id, text="".join(parts), offsets=OffsetMap(segments=segments, input_removed=article.input_removed),
                     removed=removed, title=title, dateline=dateline)
