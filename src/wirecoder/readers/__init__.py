"""Readers: every input format -> the same :class:`~wirecoder.schema.Article`.

``read_paths(paths, options)`` yields, in input order, an Article for each record read
and a :class:`Skip` (file, record, reason, kind) for each one that could not be: one bad
record never stops the rest. One module per format:

==========  ==============================================  =========================
module      formats                                         a record is
==========  ==============================================  =========================
text        .txt, .md, anything that is not another format  the whole file
html        .html, .htm, .xhtml (trafilatura + fallback)    the page
feeds       .rss, .atom, .xml (feedparser)                  an <item> / <entry>
warc        .warc, .arc, .warc.gz (warcio)                  an HTML response record
jsonl       .jsonl, .ndjson, .json (lines or one array)     a line / array element
csv         .csv, .tsv (header row)                         a row
==========  ==============================================  =========================

Directories are walked, globs expanded, ``-`` reads standard input, ``.gz`` and ``.zip``
are opened (see :mod:`.sources`). Dates of inputs: :mod:`.dates`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..schema import Article
from .base import (MAX_ARTICLE_CHARS, MAX_BYTES, MAX_CONTAINER_BYTES, InputError, Options, Skip, decode, make_article,
                   parse_fields)
from .csv import read_csv
from .feeds import read_feed
from .html import html_to_text, looks_like_html, read_html
from .jsonl import read_jsonl
from .sources import expand, members, open_path, stdin_bytes
from .text import read_text
from .warc import read_warc

__all__ = ["Article", "InputError", "Options", "Skip", "read_paths", "read_bytes", "read_one", "parse_fields",
           "html_to_text", "looks_like_html", "decode", "make_article", "MAX_BYTES", "MAX_ARTICLE_CHARS",
           "MAX_CONTAINER_BYTES"]

FORMATS = {
    "jsonl": (".jsonl", ".ndjson", ".json"),
    "csv": (".csv", ".tsv"),
    "feed": (".rss", ".atom", ".xml"),
    "html": (".html", ".htm", ".xhtml"),
    "warc": (".warc", ".arc", ".warc.gz", ".arc.gz"),
}
FEED_RE = re.compile(r"<(rss|feed|rdf:RDF)[\s>]")


def detect_format(name: str, data: bytes) -> str:
    lower = name.lower()
    if lower.endswith((".warc.gz", ".arc.gz")):
        return "warc"
    if lower.endswith(".gz"):
        lower = lower[:-3]
    for fmt, suffixes in FORMATS.items():
        if lower.endswith(suffixes):
            return fmt
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"WARC/"):
        return "warc"
    if head.startswith((b"<?xml", b"<rss", b"<feed")) and FEED_RE.search(head.decode("utf-8", "replace")):
        return "feed"
    if head.startswith(b"{") and name == "<stdin>":
        return "jsonl"
    return "text"     # html is sniffed from the decoded text


def read_bytes(name: str, data: bytes, opts: Options) -> Iterator[Article | Skip]:
    """One input's bytes (after decompression) -> Articles and Skips."""
    fmt = detect_format(name, data)
    if fmt == "warc":
        yield from read_warc(data, name, opts)
        return
    try:
        # a container of many articles (JSON array, feed): the limit of one article applies to each
        text = decode(data, name, opts.encoding, MAX_CONTAINER_BYTES if fmt in ("jsonl", "feed") else MAX_BYTES)
    except InputError as exc:
        yield Skip(exc.path, exc.problem, exc.kind)
        return
    if text.startswith("\ufeff") and fmt != "text":
        text = text[1:]          # a BOM means nothing to a structured format's offsets
    if fmt == "jsonl":
        yield from read_jsonl(text, name, opts)
    elif fmt == "csv":
        yield from read_csv(text, name, opts)
    elif fmt == "feed":
        yield from read_feed(text, name, opts)
    elif fmt == "html" or looks_like_html(text):
        yield from read_html(text, name, opts)
    else:
        yield from read_text(text, name, opts)


def read_one(path: str | Path, opts: Options) -> Iterator[Article | Skip]:
    """One path (file or ``-``) -> Articles and Skips; never raises for bad input. JSONL,
    CSV and WARC files (and JSONL on stdin) are streamed a record at a time."""
    name = str(path)
    streamed = _streamed(name, opts)
    if streamed is not None:
        yield from streamed
        return
    # a feed holds many articles: the limit of one article applies to each of them, not to the file
    limit = MAX_CONTAINER_BYTES if detect_format(name, b"") == "feed" else MAX_BYTES
    try:
        data = stdin_bytes() if name == "-" else open_path(Path(name), limit)
    except InputError as exc:
        yield Skip(exc.path, exc.problem, exc.kind)
        return
    if name == "-":
        name = "<stdin>"
    for item in members(name, data):
        if isinstance(item, Skip):
            yield item
        else:
            yield from read_bytes(item[0], item[1], opts)


def _streamed(name: str, opts: Options):
    """The streaming reader for a JSONL/CSV/WARC file or JSONL on stdin, else None."""
    import sys

    from .sources import check_regular
    from .stream import STREAM_FORMATS, open_stream, read_stream

    if name == "-":
        buf = sys.stdin.buffer
        head = buf.peek(4096)[:4096] if hasattr(buf, "peek") else b""
        if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
            return read_stream("jsonl", buf, "<stdin>", opts)
        return None
    fmt = detect_format(name, b"")
    if fmt not in STREAM_FORMATS:
        return None

    def gen():
        try:
            check_regular(name)
            stream, size = open_stream(name)
        except InputError as exc:
            yield Skip(exc.path, exc.problem, exc.kind)
            return
        with stream:
            head = stream.peek(1)[:1] if hasattr(stream, "peek") else b"x"
            if fmt == "jsonl" and _starts_with_bracket(stream):
                stream.close()
                yield from _whole(name, opts)
                return
            if not head:
                yield Skip(name, "empty file", "empty")
                return
            yield from read_stream(fmt, stream, name, opts, size=size if fmt == "warc" else None)

    return gen()


def _starts_with_bracket(stream) -> bool:
    try:
        head = stream.peek(64)[:64]
    except (OSError, EOFError, AttributeError):
        return False
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"[")


def _whole(name: str, opts: Options):
    """A JSON array file: read whole (within the limit of such containers; each article within its own)."""
    try:
        data = open_path(Path(name), MAX_CONTAINER_BYTES)
    except InputError as exc:
        yield Skip(exc.path, exc.problem, exc.kind)
        return
    for item in members(name, data):
        if isinstance(item, Skip):
            yield item
        else:
            yield from read_bytes(item[0], item[1], opts)


def read_paths(paths: Iterable, opts: Options | None = None) -> Iterator[Article | Skip]:
    """Every path (files, directories, globs, ``-``) -> Articles and Skips, in order."""
    opts = opts or Options()
    for p in expand(paths):
        if isinstance(p, Skip):
            yield p
        else:
            yield from read_one(p, opts)
