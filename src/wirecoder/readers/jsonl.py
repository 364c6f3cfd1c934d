"""JSON Lines (or one JSON array) of records: ``{"id", "published", "source", "title", "url",
"text"}`` by default; other field names with ``--field text=body`` and the like.

Each line is a record: a line that is not JSON, a record with no text, a bad date or a
field of the wrong type is skipped with its line number; the other lines are read."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from .base import InputError, Options, Skip, make_article
from .dates import DateError, parse_any
from .html import html_to_text, looks_like_html

DEFAULTS = {
    "text": ("text", "body", "content"),
    "title": ("title", "headline"),
    "date": ("published", "date", "pubDate", "published_at", "datePublished"),
    "url": ("url", "link"),
    "source": ("source", "outlet", "publisher"),
    "id": ("id",),
}
MAX_DEPTH = 64


def _pick(rec: dict, names: tuple[str, ...]):
    for n in names:
        v = rec.get(n)
        if v is not None and v != "":
            return v
    return None


_BRACKETS = re.compile(r"[\[\]{}]")


def _depth_ok(line: str) -> bool:
    """Refuse absurd nesting before json.loads recurses into it."""
    if line.count("[") + line.count("{") <= MAX_DEPTH:    # (nearly every record) too few to nest that deep
        return True
    depth = 0
    for ch in _BRACKETS.findall(line):
        if ch in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return False
        elif ch in "]}":
            depth -= 1
    return True


def record_to_article(rec, where: str, opts: Options):
    """One decoded JSON record -> Article; InputError for a bad record."""
    if not isinstance(rec, dict):
        raise InputError(where, f"expected a JSON object, got {type(rec).__name__}", "bad record")
    body = _pick(rec, opts.names("text", DEFAULTS["text"]))
    if body is None:
        names = "/".join(opts.names("text", DEFAULTS["text"]))
        raise InputError(where, f"record has no text field ({names})", "no text")
    if not isinstance(body, str):
        raise InputError(where, f"text field is a {type(body).__name__}, not a string", "bad field")
    if looks_like_html(body):
        body = html_to_text(body)[0]
    raw_date = _pick(rec, opts.names("date", DEFAULTS["date"]))
    date = None
    if raw_date is not None:
        try:
            date = parse_any(raw_date)
        except DateError as exc:
            raise InputError(where, f"unparseable published date: {exc}", "bad date") from None
    cluster = rec.get("cluster")
    return make_article(body, where, opts, title=_pick(rec, opts.names("title", DEFAULTS["title"])),
                        source=_pick(rec, opts.names("source", DEFAULTS["source"])), published=date,
                        url=_pick(rec, opts.names("url", DEFAULTS["url"])),
                        external_id=_pick(rec, opts.names("id", DEFAULTS["id"])), cluster=cluster)


def _loads(line: str):
    if not _depth_ok(line):
        raise ValueError(f"nested more than {MAX_DEPTH} levels deep")
    try:
        return json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"{exc.msg} (column {exc.colno})") from None
    except RecursionError:
        raise ValueError("nested too deeply") from None
    except ValueError as exc:          # e.g. an integer of more than 4,300 digits
        raise ValueError(str(exc).split(";")[0]) from None


def read_jsonl(text: str, where: str, opts: Options) -> Iterator:
    if text.lstrip().startswith("["):
        try:
            recs = _loads(text)
        except ValueError as exc:
            yield Skip(where, f"malformed JSON: {exc}", "malformed JSON")
            return
        if not isinstance(recs, list):
            yield Skip(where, "malformed JSON: not a list of records", "malformed JSON")
            return
        for n, rec in enumerate(recs, 1):
            yield _one(rec, f"{where}#record{n}", opts)
        return
    for lineno, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        yield line_record(line, f"{where}:{lineno}", opts)


def line_record(line: str, here: str, opts: Options):
    """One JSONL line as an Article, or the Skip that says why not."""
    try:
        rec = _loads(line)
    except ValueError as exc:
        return Skip(here, f"malformed JSON: {exc}", "malformed JSON")
    return _one(rec, here, opts)


def _one(rec, where: str, opts: Options):
    try:
        return record_to_article(rec, where, opts)
    except InputError as exc:
        return Skip(exc.path, exc.problem, exc.kind)
    except (ValueError, TypeError, RecursionError) as exc:   # pydantic rejects a field: that record only
        return Skip(where, f"bad record: {str(exc).splitlines()[0][:200]}", "bad record")

