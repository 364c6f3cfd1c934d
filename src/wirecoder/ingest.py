"""Ingest stage: inputs -> :class:`Article` records, through the readers
(:mod:`wirecoder.readers`, one module per format), then the pipeline, then the store.

``ingest_stream`` is the whole loop as a generator: Articles and Skips from the
readers, the language filter, the pipeline, and one :class:`Outcome` per record, so the
CLI (or a parallel runner) only has to consume it. Nothing here raises for bad input:
every problem becomes a counted, reported Skip.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .readers import Article, InputError, Options, Skip, decode, html_to_text, looks_like_html, read_one, read_paths
from .readers.base import MAX_BYTES  # noqa: F401  (re-exported: older callers import it from here)
from .readers.dates import DateError, parse_any, parse_strict
from .readers.sources import expand

log = logging.getLogger("wirecoder.ingest")

__all__ = ["InputError", "Skip", "Options", "parse_date", "parse_cli_date", "decode", "html_to_text",
           "looks_like_html", "read_file", "iter_files", "read_paths", "ingest_stream", "Tally", "Outcome"]


def parse_date(value, *, what: str = "date", path: str | Path = "<argument>") -> dt.date | None:
    """A date of an input in any common format -> the day; InputError naming ``path`` otherwise."""
    if value is None or value == "":
        return None
    try:
        return parse_any(value)
    except DateError as exc:
        raise InputError(path, f"unparseable {what}: {exc}", "bad date") from None


def parse_cli_date(value: str | None) -> dt.date | None:
    """--published: YYYY-MM-DD exactly, a real day between 1800 and 2200."""
    if value is None or value == "":
        return None
    return parse_strict(value)


def read_file(path: str | Path, *, published: dt.date | None = None, source: str | None = None,
              encoding: str | None = None) -> list[Article]:
    """Read one file into articles, strictly: the first bad record raises InputError.
    (Evaluations use this; ``ingest`` uses :func:`read_paths`, which skips bad records.)"""
    out = []
    for item in read_one(Path(path), Options(published=published, source=source, encoding=encoding)):
        if isinstance(item, Skip):
            raise InputError(item.where, item.reason, item.kind)
        out.append(item)
    if not out:
        raise InputError(path, "no articles found", "no text")
    return out


def iter_files(paths: Iterable) -> Iterator[Path]:
    """Expand directories (recursively, sorted; hidden files skipped) and globs."""
    for p in expand(paths):
        if isinstance(p, Skip):
            yield Path(p.where)      # read_file will report it
        else:
            yield Path(p)


@dataclass
class Outcome:
    """What happened to one record."""

    status: str                   # "stored", "already", "skipped", "language"
    where: str
    article: Article | None = None
    result: object = None         # ExtractionResult for "stored"
    reason: str | None = None
    kind: str | None = None


@dataclass
class Tally:
    """The run's summary: stored, already stored, skipped by why, non-English by language."""

    stored: int = 0
    already: int = 0
    events: int = 0
    skipped: Counter = field(default_factory=Counter)
    languages: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    fatal: str | None = None

    def add(self, o: Outcome) -> None:
        if o.status == "stored":
            self.stored += 1
            self.events += len(o.result.events) if o.result is not None else 0
        elif o.status == "already":
            self.already += 1
        elif o.status == "language":
            self.languages[o.kind] += 1
        else:
            self.skipped[o.kind or "bad record"] += 1
            self.errors.append(f"{o.where}: {o.reason}")

    @property
    def n_skipped(self) -> int:
        return sum(self.skipped.values())

    def line(self) -> str:
        parts = [f"{self.stored} article(s) stored with {self.events} event(s)", f"{self.already} already stored"]
        if self.skipped:
            parts.append(f"{self.n_skipped} skipped (" + ", ".join(f"{k}: {v}" for k, v in self.skipped.most_common())
                         + ")")
        else:
            parts.append("0 skipped")
        if self.languages:
            parts.append(f"{sum(self.languages.values())} not English (" +
                         ", ".join(f"{k}: {v}" for k, v in self.languages.most_common()) + ")")
        return "; ".join(parts)


def ingest_stream(items: Iterable[Article | Skip], extract: Callable, *, seen: Callable[[str], bool] | None = None,
                  language=None) -> Iterator[Outcome]:
    """Articles and Skips -> one Outcome each: non-English articles set aside (when a
    LanguageFilter is given), articles already stored not extracted again (``seen``), the
    rest extracted. A record the pipeline cannot code (an article past a hard limit) is
    skipped with its reason; no exception from one record ends the run."""
    from .limits import LimitError

    for item in items:
        if isinstance(item, Skip):
            yield Outcome("skipped", item.where, reason=item.reason, kind=item.kind)
            continue
        where = item.path or item.id
        if seen is not None and seen(item.id):
            yield Outcome("already", where, item)
            continue
        if language is not None:
            ok, lang = language.wanted(item.text)
            if not ok:
                yield Outcome("language", where, item, reason=f"language {lang}", kind=lang)
                continue
        try:
            result = extract(item)
        except LimitError as exc:
            yield Outcome("skipped", where, item, reason=str(exc), kind="over a limit")
            continue
        except (KeyboardInterrupt, SystemExit, MemoryError):
            raise
        except Exception as exc:  # noqa: BLE001 - a pipeline bug on one record must not end the run
            log.debug("pipeline error on %s", where, exc_info=True)
            yield Outcome("skipped", where, item, kind="pipeline error",
                          reason=f"pipeline error ({type(exc).__name__}: {str(exc)[:200]}); please report it")
            continue
        yield Outcome("stored", where, item, result)
