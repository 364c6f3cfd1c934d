"""A progress line for the evals: items done of the total, rate and ETA, on stderr, only on a
terminal and never with ``--quiet`` (so ``--json`` output and logs stay clean)."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")


def progress(items: Iterable[T], total: int | None, label: str, enabled: bool = True,
             unit: str = "items", every: float = 0.2) -> Iterator[T]:
    """Yield ``items``, writing ``label: i/total unit (rate/s, ETA m:ss)`` to stderr at most every
    ``every`` seconds; the line is finished when the items are."""
    on = enabled and sys.stderr.isatty()
    if not on:
        yield from items
        return
    t0 = last = time.monotonic()
    i = 0

    def show(now: float) -> None:
        rate = i / max(now - t0, 1e-6)
        line = f"\r{label}: {i}" + (f"/{total}" if total else "") + f" {unit} ({rate:.1f}/s"
        if total and rate > 0:
            eta = int((total - i) / rate)
            line += f", ETA {eta // 60}:{eta % 60:02d}"
        sys.stderr.write(line + ")\x1b[K")
        sys.stderr.flush()

    try:
        for item in items:
            yield item
            i += 1
            now = time.monotonic()
            if now - last >= every:
                last = now
                show(now)
    finally:
        show(time.monotonic())
        sys.stderr.write("\n")
        sys.stderr.flush()
