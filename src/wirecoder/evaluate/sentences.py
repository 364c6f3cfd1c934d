"""What the sentence-level evals (``eval plv``, ``eval case2021``, ``eval gsr``) score: each
sentence or snippet becomes a one-paragraph :class:`~wirecoder.schema.Article` and goes
through the same :class:`~wirecoder.pipeline.Pipeline` that ``wirecoder extract`` runs; the
article's main event (``ExtractionResult.main_event``, chosen by :mod:`wirecoder.main_event`)
is what is scored. No eval has a coder of its own."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from ..pipeline import Pipeline, default_pipeline
from ..schema import Article, Mention

WS_RE = re.compile(r"\s+")


@dataclass
class Scored:
    text: str
    plover_type: str | None = None
    plover_mode: str | None = None
    aux_mode: str | None = None
    acled: str | None = None          # ACLED / CASE 2021 code of the main event
    trigger: str | None = None
    actor: str | None = None          # the actor phrase as written
    recipient: str | None = None      # the recipient phrase as written
    mention: Mention | None = None


def as_article(text: str) -> Article:
    """A sentence or snippet as a one-paragraph article (line breaks become spaces)."""
    one = WS_RE.sub(" ", text).strip()
    return Article(id=Article.make_id(one), text=one)


def scored(text: str, m: Mention | None) -> Scored:
    if m is None:
        return Scored(text=text)
    return Scored(text=text, plover_type=m.plover_type, plover_mode=m.plover_mode, aux_mode=m.aux_mode,
                  acled=m.acled_code, trigger=m.trigger.text,
                  actor=m.actor_phrase.text if m.actor_phrase else None,
                  recipient=m.recipient_phrase.text if m.recipient_phrase else None, mention=m)


def main_events(texts: Iterable[str], pipeline: Pipeline | None = None, *, progress: bool = False,
                label: str = "eval") -> list[Scored]:
    """The main event of each text, by ``pipeline`` (any extractor: the rules Pipeline, or an LLM
    extractor, whose ``stream`` keeps its requests in flight); ``progress``: a progress line on a
    terminal's stderr."""
    from .progress import progress as bar

    pipe = pipeline or default_pipeline()
    texts = list(texts)

    def each():
        if hasattr(pipe, "stream"):          # an LLM extractor
            arts = [as_article(t) for t in texts]
            for t, r in zip(texts, pipe.stream(arts)):
                yield scored(t, r.main_event)
            return
        for k in range(0, len(texts), 16):   # parsed 16 at a time in one batch: the same results, faster
            part = texts[k:k + 16]
            arts = [as_article(t) for t in part]
            pipe.prepare(arts)
            for t, a in zip(part, arts):
                yield scored(t, pipe.extract(a).main_event)

    return list(bar(each(), len(texts), label, progress, unit="sentences"))


def sample(items: list, n: int | None) -> list:
    """``n`` items spread evenly over ``items`` (all of them when ``n`` is None or not smaller)."""
    if not n or n >= len(items):
        return list(items)
    return [items[i * len(items) // n] for i in range(n)]


def extractors(names: list[str], llm: dict):
    """(name, extractor) for each name, all over the default pipeline."""
    from ..extractor_options import build

    pipe = default_pipeline()
    return [(n, build(n, pipe, **llm)) for n in names]


def print_comparison(rows: list[tuple[str, str]], results: dict[str, dict], out, title: str = "") -> None:
    """One table: a row per (label, dotted key), a column per extractor."""
    names = list(results)
    if title:
        print(title, file=out)
    width = max([len(lab) for lab, _ in rows] + [8])
    print(f"{'':<{width}}" + "".join(f"{n:>12}" for n in names), file=out)
    for label, key in rows:
        cells = []
        for n in names:
            v = results[n]
            for k in key.split("."):
                v = v.get(k) if isinstance(v, dict) else None
            cells.append(f"{v:>12.3f}" if isinstance(v, float) else f"{'-' if v is None else v!s:>12}")
        print(f"{label:<{width}}" + "".join(cells), file=out)
