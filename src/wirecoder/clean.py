"""Clean stage: drop captions, credit lines, page furniture, the headline and repeated
sentences, keeping an offset map from the cleaned text back to the original.

The rules are about the *shape* of news-page clutter, never about one article's words.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from .schema import Article, CleanText, OffsetMap, Removed, Segment

BLOCK_RE = re.compile(r"[^\n]+(?:\n(?![ \t]*\n)[^\n]+)*")
SENT_RE = re.compile(r"[^.!?]*?(?:[.!?]+[\"”’')\]]*|$)(?=\s+|$)", re.S)

CREDIT_RES = [
    re.compile(r"\bCREDIT\b[:\s]"),                       # "... CREDIT PA"
    re.compile(r"\bCREDIT\s*$"),
    re.compile(r"\((?:Picture|Photo|Image|Photograph|Credit|Pic|Video)s?\s*(?:credit)?\s*:[^)]*\)\s*\.?\s*$", re.I),
    re.compile(r"©|\(c\)\s+\w+\s*$", re.I),
    re.compile(r"\b(?:Getty Images|via Getty|AFP/Getty|AP Photo/|Reuters/[A-Z]|EPA-EFE|Shutterstock)\b"),
    re.compile(r"\b(?:Photo|Picture|Image)\s+(?:by|credit|courtesy(?: of)?)\b[^.]*$", re.I),
]
CAPTION_RES = [
    re.compile(r"^\s*(?:Cover image|Top image|Main image|Image|Photo|Picture|Pictured|Caption|File photo|File picture|Video|Watch)\s*[:\-–]", re.I),
    re.compile(r"^\s*(?:FILE PHOTO|FILE)\s*[:\-–]"),
]
FURNITURE_RE = re.compile(
    r"^\s*(?:advertisement|read more\b|related\s*:|related articles|share this|sign up\b|subscribe\b|follow us\b|"
    r"click here\b|you may also like|most read\b|copyright\b|all rights reserved)", re.I
)
WORD_RE = re.compile(r"[A-Za-z0-9]+")
# "JERUSALEM (AP) --", "KABUL, Afghanistan (Reuters) -", "LAGOS, March 3 (Reuters) -": place of reporting
DATELINE_RE = re.compile(
    r"^(?P<place>[A-Z][A-Z .'\-]{2,40}?)(?:,\s*(?P<region>[A-Z][\w .'\-]{1,40}?))?"
    r"(?:,\s*[A-Z][a-z]{2,8}\.? \d{1,2})?\s*(?:\((?P<agency>[A-Za-z .&]{2,30})\))?\s*(?:--|—|–|-|:)\s+")


def _words(s: str) -> list[str]:
    return [w.lower() for w in WORD_RE.findall(s)]


def classify_block(block: str) -> str | None:
    """Why a whole block is clutter, or None to keep it."""
    if any(r.search(block) for r in CREDIT_RES):
        return "credit"
    if any(r.search(block) for r in CAPTION_RES):
        return "caption"
    if FURNITURE_RE.search(block) and len(block) < 200:
        return "boilerplate"
    return None


def looks_like_headline(block: str, title: str | None) -> bool:
    words = _words(block)
    if title and _words(title) == words:
        return True
    if not words or len(words) > 20 or "\n" in block.strip():
        return False
    if re.search(r"[.!?\"”:]\s*$", block):
        return False
    caps = sum(1 for w in re.findall(r"[A-Za-z][\w'’-]*", block) if w[0].isupper())
    return caps >= 0.6 * len(words)


def split_sentences(block: str, base: int) -> list[tuple[int, int]]:
    """Rough sentence split with absolute offsets (enough for de-duplication)."""
    out = []
    for m in SENT_RE.finditer(block):
        s, e = m.start(), m.end()
        while s < e and block[s].isspace():
            s += 1
        if e > s:
            out.append((base + s, base + e))
    return out or [(base, base + len(block))]


class _DupIndex:
    """Near-duplicate sentence finder: candidates share their first or last 4 words."""

    def __init__(self, threshold: float = 0.9, min_words: int = 6):
        self.threshold = threshold
        self.min_words = min_words
        self.by_key: dict[tuple, list[list[str]]] = {}

    def seen(self, words: list[str]) -> bool:
        if len(words) < self.min_words:
            return False
        keys = [("h",) + tuple(words[:4]), ("t",) + tuple(words[-4:])]
        for key in keys:
            for other in self.by_key.get(key, ()):
                if other == words or SequenceMatcher(None, other, words, autojunk=False).ratio() >= self.threshold:
                    return True
        for key in keys:
            self.by_key.setdefault(key, []).append(words)
        return False


def clean(article: Article) -> CleanText:
    text = article.text
    kept: list[tuple[int, int]] = []       # original ranges kept, in order
    breaks: list[bool] = []                 # True where a new paragraph starts
    removed: list[Removed] = []
    title = article.title
    dateline = None
    dups = _DupIndex()
    first_block = True
    for m in BLOCK_RE.finditer(text):
        bs, be = m.start(), m.end()
        block = m.group()
        if not block.strip():
            continue
        reason = classify_block(block)
        if reason is None and first_block and looks_like_headline(block, title):
            title = title or block.strip()
            reason = "boilerplate"
            first_block = False
        if reason:
            removed.append(Removed(start=bs, end=be, text=block, reason=reason))
            continue
        if first_block and dateline is None:
            dm = DATELINE_RE.match(block)
            if dm and (dm.group("agency") or dm.group("place").isupper()) and len(dm.group("place")) > 2:
                dateline = ", ".join(x for x in (dm.group("place").strip().title(), dm.group("region")) if x)
                removed.append(Removed(start=bs, end=bs + dm.end(), text=dm.group(), reason="dateline"))
                block = block[dm.end():]
                bs += dm.end()
        first_block = False
        new_par = True
        for ss, se in split_sentences(block, bs):
            if dups.seen(_words(text[ss:se])):
                removed.append(Removed(start=ss, end=se, text=text[ss:se], reason="duplicate"))
                new_par = False if kept else True
                continue
            kept.append((ss, se))
            breaks.append(new_par)
            new_par = False
    pieces: list[str] = []
    segments: list[Segment] = []
    pos = 0
    for (s, e), brk in zip(kept, breaks):
        if pieces:
            sep = "\n\n" if brk else " "
            pieces.append(sep)
            pos += len(sep)
        segments.append(Segment(clean_start=pos, orig_start=s, length=e - s))
        pieces.append(text[s:e])
        pos += e - s
    return CleanText(article_id=article.id, text="".join(pieces), offsets=OffsetMap(segments=segments),
                     removed=removed, title=title, dateline=dateline)
