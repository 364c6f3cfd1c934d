"""Analyse stage: the spaCy parse (the model named by the Resources), run only on the
paragraphs that can hold an event (a trigger word of the run's lexicon, a casualty word or
a quotation)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from .schema import CleanText

if TYPE_CHECKING:
    from .resources import Resources

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


DOC_ACTORS = "wirecoder.actors"   # Doc.user_data key: the run's actor dictionary, for parse-level helpers


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


def _pipe(nlp, texts: list[str], batch_size: int = 1000, batch_chars: int = 10_000):
    """nlp.pipe in batches of at most ``batch_size`` texts and (past the first text)
    ``batch_chars`` characters: the parser's memory follows the batch, so it stays flat
    however long the article. The characters bound the batch first. The same Docs whatever
    the batch; its size is a speed trade: larger batches make larger matrix products, but
    past ~10,000 characters (~2,000 tokens) the model's arrays outgrow the core's cache
    (measured in alternating rounds on the mixed feed: 10,000 characters ~8% faster than
    25,000 and than 3,000)."""
    for batch in batches(texts, batch_size, batch_chars):
        yield from nlp.pipe(batch, batch_size=batch_size)


def batches(texts, batch_size: int = 1000, batch_chars: int = 10_000):
    """The batches :func:`_pipe` parses ``texts`` in (lists of texts, in order)."""
    batch: list[str] = []
    size = 0
    for t in texts:
        if batch and (len(batch) >= batch_size or size + len(t) > batch_chars):
            yield batch
            batch, size = [], 0
        batch.append(t)
        size += len(t)
    if batch:
        yield batch


@dataclass
class ParsePlan:
    """What the analyse stage will parse in a text: the kept pieces (paragraph index, offset,
    text) and the number of paragraphs the filter skipped."""
    keep: list
    skipped: int

    @property
    def texts(self) -> list[str]:
        return [t for _, _, t in self.keep]


def plan(clean: CleanText, res: Resources, *, first_paragraph: bool = False) -> ParsePlan:
    """The paragraphs (in pieces of at most MAX_PARSE_CHARS) that the surface filter of
    ``res`` lets through."""
    from .limits import MAX_PARSE_CHARS

    paras = [(m.start(), m.group()) for m in PARAGRAPH_RE.finditer(clean.text) if m.group().strip()]
    keep = []
    skipped = 0
    rel = res.relevance if res.thresholds.filter_paragraphs and not first_paragraph else None
    paras = paras[:1] if first_paragraph else paras
    for i, (start, text) in enumerate(paras):
        if rel is None or rel.search(text):
            keep.extend((i, s, t) for s, t in _pieces(start, text, MAX_PARSE_CHARS))
        else:
            skipped += 1
    return ParsePlan(keep, skipped)


def analyse(clean: CleanText, res: Resources, *, first_paragraph: bool = False, parsed: tuple | None = None
            ) -> Analysis:
    """Parse the paragraphs the surface filter of ``res`` lets through (all of them when
    ``res.thresholds.filter_paragraphs`` is off). Each parsed Doc carries the run's actor
    dictionary in ``doc.user_data`` so that parse-level helpers (the role reader, the ACLED
    sub-type rules) use the same dictionary as the stages. ``first_paragraph``: parse the
    first paragraph only, filter or not (for the untyped main event of a text in which
    nothing passed the filter). ``parsed``: (plan, docs) when the plan's texts were parsed
    already (:meth:`Pipeline.prepare` parses several articles in one batch)."""
    from .limits import MAX_SENTENCES, LimitError

    if parsed is not None:
        p, docs = parsed
    else:
        p = plan(clean, res, first_paragraph=first_paragraph)
        docs = _pipe(res.nlp, p.texts)
    keep = p.keep
    out = Analysis(clean=clean, skipped_paragraphs=p.skipped)
    for (pi, start, _), doc in zip(keep, docs):
        doc.user_data[DOC_ACTORS] = res.actors
        for sent in doc.sents:
            out.sentences.append(Sentence(index=len(out.sentences), start=start + sent.start_char,
                                          end=start + sent.end_char, span=sent, base=start, paragraph=pi))
        if len(out.sentences) > MAX_SENTENCES:
            raise LimitError(f"article has more than {MAX_SENTENCES:,} sentences to parse (limit {MAX_SENTENCES:,}); "
                             "split it into articles")
    return out


def doc_actors(doc):
    """The actor dictionary the analyse stage attached to ``doc``."""
    try:
        return doc.user_data[DOC_ACTORS]
    except KeyError:
        raise RuntimeError("this Doc was not parsed by the analyse stage (no actor dictionary attached)") from None
