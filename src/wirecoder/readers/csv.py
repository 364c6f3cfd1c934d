"""CSV (or TSV) with a header row: one article per row. Columns are found by the same
names as JSONL fields (``text``, ``title``, ``published``/``date``, ``url``, ``source``,
``id``), or by ``--field text=body``. A row with a missing column or no text is skipped
with its line number; a header with no text column is an error for the whole file."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from .base import MAX_ARTICLE_CHARS, InputError, Options, Skip
from .jsonl import DEFAULTS, record_to_article

csv.field_size_limit(MAX_ARTICLE_CHARS + 1)


def read_csv(text: str, where: str, opts: Options, *, delimiter: str | None = None) -> Iterator:
    yield from read_csv_rows(io.StringIO(text, newline=""), where, opts, delimiter=delimiter)


def read_csv_rows(f, where: str, opts: Options, *, delimiter: str | None = None) -> Iterator:
    """Rows of a text stream (a file opened with newline="" or a StringIO)."""
    first = f.readline()
    if delimiter is None:
        delimiter = "\t" if first.count("\t") > first.count(",") else ","
    reader = csv.reader(_chain(first, f), delimiter=delimiter)
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        yield Skip(where, f"no CSV header ({exc})" if str(exc) else "no CSV header", "bad CSV")
        return
    header = [h.strip().lstrip("\ufeff") for h in header]
    text_names = opts.names("text", DEFAULTS["text"])
    if not any(n in header for n in text_names):
        yield Skip(where, f"CSV has no text column ({'/'.join(text_names)}; header: {', '.join(header[:12])}); "
                          "name it with --field text=COLUMN", "missing column")
        return
    while True:
        line = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield Skip(f"{where}:{line}", f"malformed CSV row: {exc}", "bad CSV")
            return        # the csv module cannot resynchronise after a broken quote
        if not row or not any(c.strip() for c in row):
            continue
        here = f"{where}:{line}"
        if len(row) < len(header):
            missing = header[len(row):]
            yield Skip(here, f"row has {len(row)} of {len(header)} columns (missing {', '.join(missing[:5])})",
                       "missing column")
            continue
        rec = {h: v for h, v in zip(header, row) if v != ""}
        try:
            yield record_to_article(rec, here, opts)
        except InputError as exc:
            yield Skip(exc.path, exc.problem, exc.kind)
        except (ValueError, TypeError) as exc:
            yield Skip(here, f"bad record: {str(exc).splitlines()[0][:200]}", "bad record")


def _chain(first: str, f):
    if first:
        yield first
    yield from f
