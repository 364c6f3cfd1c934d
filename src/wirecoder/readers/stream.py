"""Streaming readers for the formats that hold many records (JSONL, CSV, WARC), read from
a file or standard input without ever holding the whole input: memory follows the
largest record (at most MAX_BYTES), not the file, so a 10 GB JSONL dump or a crawl's WARC
is read in constant memory. Plain ``.gz`` is decompressed as a stream too."""

from __future__ import annotations

import csv as _csv
import gzip
import io
import os
import zlib
from collections.abc import Iterator

from .base import MAX_BYTES, InputError, Options, Skip
from .jsonl import line_record

STREAM_FORMATS = {"jsonl", "csv", "warc"}


def _open(path: str):
    """A binary stream of the file's content (.gz decompressed on the fly, but not a
    .warc.gz, which warcio reads member by member)."""
    lower = path.lower()
    f = open(path, "rb")
    if lower.endswith(".gz") and not lower.endswith((".warc.gz", ".arc.gz")):
        return gzip.GzipFile(fileobj=f, mode="rb")
    return f


def _check_head(head: bytes, where: str) -> None:
    if not head.strip():
        raise InputError(where, "empty file", "empty")
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(where, "binary file (NUL bytes), not text", "binary")


def jsonl_stream(stream, where: str, opts: Options) -> Iterator:
    """JSON Lines from a binary stream, a line at a time."""
    lineno = 0
    first = True
    while True:
        try:
            raw = stream.readline(MAX_BYTES + 1)
        except (OSError, EOFError, zlib.error) as exc:      # a truncated or corrupt .gz
            yield Skip(f"{where}:{lineno + 1}", f"cannot read on: {exc}", "broken archive")
            return
        if not raw:
            if first:
                yield Skip(where, "empty file", "empty")
            return
        lineno += 1
        here = f"{where}:{lineno}"
        if first:
            first = False
            if raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            if b"\x00" in raw[:8192]:
                yield Skip(where, "binary file (NUL bytes), not text", "binary")
                return
        if len(raw) > MAX_BYTES and not raw.endswith(b"\n"):
            while True:                                   # skip the rest of the line, unread
                more = stream.readline(1 << 20)
                if not more or more.endswith(b"\n"):
                    break
            yield Skip(here, f"line too long: more than {MAX_BYTES:,} bytes", "too large")
            continue
        if not raw.strip():
            continue
        try:
            line = raw.decode(opts.encoding or "utf-8")
        except (UnicodeDecodeError, LookupError) as exc:
            yield Skip(here, f"not valid {opts.encoding or 'UTF-8'}: {exc}; pass --encoding if you know it", "encoding")
            continue
        yield line_record(line, here, opts)


def csv_stream(stream, where: str, opts: Options) -> Iterator:
    from .csv import read_csv_rows

    text = io.TextIOWrapper(stream, encoding=opts.encoding or "utf-8-sig", newline="")
    try:
        yield from read_csv_rows(text, where, opts)
    except (UnicodeDecodeError, LookupError) as exc:
        yield Skip(where, f"not valid {opts.encoding or 'UTF-8'}: {exc}; the rows before were read", "encoding")
    except (OSError, EOFError, zlib.error) as exc:
        yield Skip(where, f"cannot read on: {exc}", "broken archive")


def read_stream(fmt: str, stream, where: str, opts: Options, size: int | None = None) -> Iterator:
    if fmt == "jsonl":
        yield from jsonl_stream(stream, where, opts)
    elif fmt == "csv":
        yield from csv_stream(stream, where, opts)
    else:
        from .warc import read_warc

        yield from read_warc(stream, where, opts, size=size)


def open_stream(path: str) -> tuple[object, int]:
    try:
        size = os.stat(path).st_size
        return _open(path), size
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror}", "unreadable") from None
