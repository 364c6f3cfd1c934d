"""Plain text: the whole input is one article."""

from __future__ import annotations

from collections.abc import Iterator

from .base import InputError, Options, Skip, make_article


def read_text(text: str, where: str, opts: Options) -> Iterator:
    try:
        yield make_article(text, where, opts)
    except InputError as exc:
        yield Skip(exc.path, exc.problem, exc.kind)
