"""RSS and Atom feeds (feedparser), including items that carry full HTML content.

Each item is a record: an item with no text or a bad date is skipped with its number and
the other items are read. A feed that is not XML at all is an error for the whole file;
feedparser reads what it can of a feed that is merely broken (its ``bozo`` flag), and the
items it could read are kept."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .base import InputError, Options, Skip, make_article
from .dates import DateError, parse_any
from .html import html_to_text, looks_like_html

TAG_RE = re.compile(r"</?[A-Za-z][^>]*>")


def _body(entry) -> str:
    best = ""
    for c in entry.get("content") or ():
        value = c.get("value") or ""
        if len(value) > len(best):
            best = value
    if not best:
        best = entry.get("summary") or entry.get("description") or ""
    if looks_like_html(best) or TAG_RE.search(best):
        best = html_to_text(best)[0]
    return best


def _date(entry):
    """(date, raw) from the item's own text: feedparser's *_parsed fields are not trusted
    (they read a year 0000 as 2000 and give up silently)."""
    for key in ("published", "updated", "created", "dc_date", "pubdate"):
        raw = entry.get(key)
        if raw:
            return parse_any(raw), raw
    return None, None


def read_feed(text: str, where: str, opts: Options) -> Iterator:
    import feedparser

    try:
        feed = feedparser.parse(text, sanitize_html=False, resolve_relative_uris=False)
    except Exception as exc:  # noqa: BLE001 - feedparser on hostile input
        yield Skip(where, f"malformed XML feed: {exc}", "malformed XML")
        return
    entries = feed.get("entries") or []
    if not entries:
        why = feed.get("bozo_exception")
        yield Skip(where, f"malformed XML feed: {why}" if why else "not an RSS/Atom feed (no <item> or <entry>)",
                   "malformed XML" if why else "not a feed")
        return
    if feed.get("bozo") and feed.get("bozo_exception") is not None and not _harmless(feed["bozo_exception"]):
        yield Skip(where, f"malformed XML feed, read leniently: {feed['bozo_exception']}", "malformed XML (partly read)")
    site = (feed.get("feed") or {}).get("title")
    for n, entry in enumerate(entries, 1):
        here = f"{where}#item{n}"
        try:
            try:
                date, _ = _date(entry)
            except DateError as exc:
                raise InputError(here, f"bad item date: {exc}", "bad date") from None
            body = _body(entry)
            if not body.strip():
                raise InputError(here, "feed item has no text", "no text")
            yield make_article(body, here, opts, title=entry.get("title"), source=site, published=date,
                               url=entry.get("link"), external_id=entry.get("id"))
        except InputError as exc:
            yield Skip(exc.path, exc.problem, exc.kind)
        except (ValueError, TypeError) as exc:
            yield Skip(here, f"bad feed item: {str(exc).splitlines()[0][:200]}", "bad record")


def _harmless(exc) -> bool:
    """feedparser complains about a declared encoding that differs from the one used: we
    decoded the bytes ourselves, so that is not a problem with the feed."""
    name = type(exc).__name__
    return name in {"CharacterEncodingOverride", "NonXMLContentType"}
