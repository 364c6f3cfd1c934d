"""Hard limits per article, so that no input can make a run hang or exhaust memory.
Past a limit the article is skipped with a clear per-record error (``LimitError``);
the rest of the run goes on. Every limit is listed in docs/RELIABILITY.md.

The cost of every stage is linear in the article's size below these limits
(bench/linear.py shows it from 10 KB to 1 MB)."""

from __future__ import annotations

from .readers.base import MAX_ARTICLE_CHARS, MAX_BYTES, MAX_CONTAINER_BYTES  # noqa: F401  (one place for every limit)

MAX_SENTENCES = 20_000          # parsed sentences in one article (a long report has a few hundred)
MAX_PARSE_CHARS = 10_000        # one spaCy call: a longer paragraph is parsed in pieces of at most this
TOPONYM_WINDOW = 1_000          # place names resolved together in document context (an article has tens)


class LimitError(ValueError):
    """An article past a hard limit: the message says which and by how much."""
