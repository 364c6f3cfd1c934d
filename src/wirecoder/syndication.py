"""Syndicated copies: the same story from several outlets, with a credit line, a dateline or a
sentence of their own added or cut, is one article with several sources.

The text is normalised (lower case, words only) and cut into shingles of ``SHINGLE`` words; its
signature is a one-permutation MinHash of ``BUCKETS`` buckets (each shingle hashed once, CRC-32,
the smallest hash kept per bucket), whose agreement estimates the Jaccard similarity of the two
shingle sets. The store files each signature under ``BANDS`` band keys (LSH: texts that agree on a
whole band are candidates, found through an index), and a candidate is a copy when the estimate
reaches ``MIN_SIMILARITY`` *and* both texts state the same figures (the numbers in them): a copy
that changes a death toll is a report of its own, so each outlet's figure is kept."""

from __future__ import annotations

import json
import re
import zlib
from functools import lru_cache

SHINGLE = 5
BUCKETS = 64
BANDS = 16               # of BUCKETS // BANDS buckets each
MIN_SIMILARITY = 0.9     # estimated Jaccard similarity of the shingle sets
MIN_SHINGLES = 20        # shorter texts: only the very same text is a copy
_WORD = re.compile(r"\w+")
_NUM = re.compile(r"\d+(?:[.,]\d+)*")
_EMPTY = 0xFFFFFFFF


def signature(text: str) -> list[int] | None:
    """The MinHash signature of a text, or None when it is too short to tell copies apart."""
    sig = _signature(text)      # ingest asks for one text's signature up to three times
    return list(sig) if sig is not None else None


@lru_cache(maxsize=256)
def _signature(text: str) -> tuple[int, ...] | None:
    words = _WORD.findall(text.lower())
    n = len(words) - SHINGLE + 1
    if n < MIN_SHINGLES:
        return None
    sig = [_EMPTY] * BUCKETS
    for i in range(n):
        h = zlib.crc32(" ".join(words[i:i + SHINGLE]).encode())
        b = h % BUCKETS
        v = h // BUCKETS
        if v < sig[b]:
            sig[b] = v
    return tuple(sig)


def bands(sig: list[int]) -> list[str]:
    """The LSH keys of a signature (one per band)."""
    w = BUCKETS // BANDS
    return [f"{j}:{zlib.crc32(json.dumps(sig[j * w:(j + 1) * w]).encode()):08x}" for j in range(BANDS)]


def similarity(a: list[int], b: list[int]) -> float:
    both = [(x, y) for x, y in zip(a, b) if x != _EMPTY or y != _EMPTY]
    return sum(x == y for x, y in both) / len(both) if both else 0.0


def figures(text: str) -> str:
    """The numbers a text states, in order (a copy must state the same)."""
    return " ".join(_NUM.findall(text))


def is_copy(sig_a: list[int], fig_a: str, sig_b: list[int], fig_b: str) -> bool:
    return fig_a == fig_b and similarity(sig_a, sig_b) >= MIN_SIMILARITY
