"""What every reader shares: the error types, the limits, byte -> text decoding and the
one way an :class:`Article` is made from a record.

A reader yields, for each record of its input, either an :class:`Article` or a
:class:`Skip` (which names the file, the record and why it was skipped), so one bad
record never stops the rest of the input. A problem with the whole input (an empty or
binary file, a malformed XML feed) is an :class:`InputError`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..schema import Article

# Hard limits, documented in docs/RELIABILITY.md. Past them a record is skipped with a
# clear per-record error; nothing is read or parsed beyond them.
MAX_BYTES = 5_000_000            # one input file (after decompression) or one stream
MAX_ARTICLE_CHARS = 2_000_000    # one article's text
MAX_CONTAINER_BYTES = 200_000_000  # a file of many articles that must be parsed whole (JSON array, RSS/Atom)
MAX_FIELD_CHARS = 10_000         # title, source, url, id
MAX_ARCHIVE_MEMBERS = 100_000    # members of one .zip


class InputError(Exception):
    """A bad input file: the message names the file and the problem."""

    def __init__(self, path: str | Path, problem: str, kind: str | None = None):
        self.path = str(path)
        self.problem = problem
        self.kind = kind or _kind(problem)
        super().__init__(f"{self.path}: {problem}")


@dataclass(frozen=True)
class Skip:
    """A record (or a whole input) that was not read, with where and why."""

    where: str                   # "file", "file:line", "file#item3", "file#record7"
    reason: str                  # for a person
    kind: str = "bad record"     # the summary's category: "bad date", "no text", "malformed JSON", ...

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


def _kind(problem: str) -> str:
    p = problem.lower()
    for key, kind in (("date", "bad date"), ("no text", "no text"), ("empty", "empty"), ("json", "malformed JSON"),
                      ("xml", "malformed XML"), ("too large", "too large"), ("too long", "too large"),
                      ("binary", "binary"), ("utf", "encoding"), ("decode", "encoding"), ("warc", "broken WARC"),
                      ("column", "missing column"), ("field", "bad field"), ("no such file", "missing file"),
                      ("not a regular file", "not a file"), ("cannot read", "unreadable")):
        if key in p:
            return kind
    return "bad record"


@dataclass
class Options:
    """What the user said about the inputs: fill-ins for what a record does not say, the
    encoding, and the field names of JSONL/CSV records."""

    published: dt.date | None = None
    source: str | None = None
    encoding: str | None = None
    fields: dict[str, str] = field(default_factory=dict)   # our name -> the input's name ("text" -> "body")

    def names(self, ours: str, defaults: tuple[str, ...]) -> tuple[str, ...]:
        return (self.fields[ours],) if ours in self.fields else defaults


FIELD_NAMES = ("text", "title", "date", "url", "source", "id")


def parse_fields(specs) -> dict[str, str]:
    """``["text=body", "date=pubDate"]`` (or a TOML/``key=value`` file's lines) -> {"text": "body", ...}."""
    out = {}
    for spec in specs or ():
        if "=" not in spec:
            raise ValueError(f"--field {spec!r}: expected NAME=COLUMN, e.g. text=body")
        ours, theirs = (s.strip().strip('"') for s in spec.split("=", 1))
        if ours == "published":
            ours = "date"
        if ours not in FIELD_NAMES:
            raise ValueError(f"--field {spec!r}: NAME must be one of {', '.join(FIELD_NAMES)}")
        if not theirs:
            raise ValueError(f"--field {spec!r}: empty column name")
        out[ours] = theirs
    return out


def decode(data: bytes, path: str | Path, encoding: str | None = None, limit: int = MAX_BYTES) -> str:
    """Bytes -> text, refusing binary data and undecodable bytes with a clear error.

    A UTF-8 byte-order mark is dropped here; :func:`normalise` records where, so
    offsets map back to the input (see ``OffsetMap.to_original``)."""
    if not data.strip():
        raise InputError(path, "empty file", "empty")
    if len(data) > limit:
        raise InputError(path, f"too large: {len(data):,} bytes (limit {limit:,}); split it into articles",
                         "too large")
    if encoding:
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError) as exc:
            raise InputError(path, f"cannot decode as {encoding}: {exc}", "encoding") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(path, f"bad UTF-16: {exc}", "encoding") from None
    head = data[:8192]
    if b"\x00" in head:
        raise InputError(path, "binary file (NUL bytes), not text", "binary")
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    if controls > len(head) * 0.05:
        raise InputError(path, "binary file (control bytes), not text", "binary")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            path,
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "pass --encoding (e.g. cp1252 or latin-1) if you know the encoding", "encoding",
        ) from None


_SURROGATE = re.compile("[\ud800-\udfff]")
_NEWLINE_FIX = re.compile("\r\n?|\ufeff")


def normalise(text: str) -> tuple[str, list[int]]:
    """Line endings to ``\\n``, byte-order marks and lone surrogates dropped.

    Returns the text and, for each character dropped, its position in the returned text
    (so ``OffsetMap.to_original`` can add them back)."""
    removed: list[int] = []
    if "\r" not in text and "\ufeff" not in text and not _SURROGATE.search(text):
        return text, removed
    out: list[str] = []
    pos = 0          # in the input
    npos = 0         # in the output
    for m in re.finditer("\r\n|\r|\ufeff|[\ud800-\udfff]", text):
        out.append(text[pos:m.start()])
        npos += m.start() - pos
        tok = m.group()
        if tok == "\r\n":
            removed.append(npos)           # the \r, before the kept \n
            out.append("\n")
            npos += 1
        elif tok == "\r":
            out.append("\n")               # a lone CR becomes LF: same length, no shift
            npos += 1
        else:
            removed.append(npos)           # BOM or lone surrogate: dropped
        pos = m.end()
    out.append(text[pos:])
    return "".join(out), removed


def _short(value, limit: int = MAX_FIELD_CHARS) -> str | None:
    """A metadata field as text: numbers and the like become strings; absurd lengths are cut."""
    if value is None:
        return None
    if isinstance(value, (dict, list, tuple, set)):
        return None
    try:
        s = str(value)
    except ValueError:       # an int of more than 4,300 digits
        return None
    s = _SURROGATE.sub("", s)
    s = " ".join(s.split())
    if not s:
        return None
    return s[:limit]


def make_article(text: str, where: str, opts: Options | None = None, *, title=None, source=None,
                 published: dt.date | None = None, url=None, external_id=None, cluster=None) -> Article:
    """The one way a record becomes an Article. Raises InputError (no text, too long)."""
    if not isinstance(text, str):
        raise InputError(where, "no text in record", "no text")
    text, removed = normalise(text)
    if not text.strip():
        raise InputError(where, "no text in article" + (f" {external_id!r}" if external_id else ""), "no text")
    if len(text) > MAX_ARTICLE_CHARS:
        raise InputError(where, f"article too long: {len(text):,} characters (limit {MAX_ARTICLE_CHARS:,})",
                         "too large")
    opts = opts or Options()
    source = _short(source) or opts.source
    return Article(
        id=Article.make_id(text), text=text, title=_short(title), source=source,
        published=published or opts.published, url=_short(url), path=where,
        external_id=_short(external_id), cluster=_short(cluster), input_removed=removed,
    )
