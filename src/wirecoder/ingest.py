"""Ingest stage: files (text, HTML, JSONL, RSS/Atom feeds) -> :class:`Article` records.

Every problem with an input raises :class:`InputError`, which names the file and
says what is wrong with it; nothing here touches the store.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

from .schema import Article

MAX_BYTES = 5_000_000  # a single news article is never 5 MB of text
TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson", ".json"}
FEED_SUFFIXES = {".rss", ".atom", ".xml"}
KNOWN_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES | FEED_SUFFIXES


class InputError(Exception):
    """A bad input file: the message names the file and the problem."""

    def __init__(self, path: str | Path, problem: str):
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


def parse_date(value: str | None, *, what: str = "date", path: str | Path = "<argument>") -> dt.date | None:
    """Parse YYYY-MM-DD (optionally with a time part); InputError otherwise."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    m = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", str(value))
    if m:
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            pass
    # RFC 822 dates in feeds: "Fri, 26 Feb 2021 10:00:00 GMT"
    try:
        from email.utils import parsedate_to_datetime

        return parsedate_to_datetime(str(value)).date()
    except (TypeError, ValueError, IndexError):
        pass
    raise InputError(path, f"unparseable {what} {value!r} (expected YYYY-MM-DD)")


def decode(data: bytes, path: str | Path, encoding: str | None = None) -> str:
    """Bytes -> text, refusing binary data and undecodable bytes with a clear error."""
    if not data.strip():
        raise InputError(path, "empty file")
    if len(data) > MAX_BYTES:
        raise InputError(path, f"too large: {len(data):,} bytes (limit {MAX_BYTES:,}); split it into articles")
    if encoding:
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError) as exc:
            raise InputError(path, f"cannot decode as {encoding}: {exc}") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(path, f"bad UTF-16: {exc}") from None
    head = data[:8192]
    if b"\x00" in head:
        raise InputError(path, "binary file (NUL bytes), not text")
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    if controls > len(head) * 0.05:
        raise InputError(path, "binary file (control bytes), not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            path,
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "pass --encoding (e.g. cp1252 or latin-1) if you know the encoding",
        ) from None


# --------------------------------------------------------------------------- HTML


class _HTMLText(HTMLParser):
    """Lenient HTML -> paragraphs; captions and page furniture are skipped."""

    SKIP = {"script", "style", "nav", "footer", "aside", "figcaption", "noscript", "form", "header", "svg", "button"}
    BLOCK = {"p", "h1", "h2", "h3", "h4", "li", "div", "br", "blockquote", "tr", "article", "section", "title"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_depth = 0
        self.title: str | None = None
        self.in_title = False
        self.published: str | None = None
        self._buf: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta":
            prop = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
            if prop in {"article:published_time", "date", "pubdate", "datepublished", "dc.date"} and a.get("content"):
                self.published = self.published or a["content"]
            return
        if tag == "time" and a.get("datetime") and not self.published:
            self.published = a["datetime"]
        if tag in self.SKIP:
            self.skip_depth += 1
        if tag == "title":
            self.in_title = True
        if tag in self.BLOCK:
            self._flush()

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.skip_depth:
            self.skip_depth -= 1
        if tag == "title":
            self.in_title = False
            self.title = " ".join("".join(self._buf).split()) or None
            self._buf = []
            return
        if tag in self.BLOCK:
            self._flush()

    def handle_data(self, data):
        if self.in_title:
            self._buf.append(data)
        elif not self.skip_depth:
            self._buf.append(data)

    def _flush(self):
        text = " ".join("".join(self._buf).split())
        self._buf = []
        if text and not self.in_title:
            self.parts.append(text)

    def result(self) -> str:
        self._flush()
        return "\n\n".join(self.parts)


def html_to_text(markup: str) -> tuple[str, str | None, str | None]:
    parser = _HTMLText()
    parser.feed(markup)
    parser.close()
    return parser.result(), parser.title, parser.published


def looks_like_html(text: str) -> bool:
    return bool(re.search(r"<(html|body|p|div|article)[\s>]", text[:4000], re.I))


# --------------------------------------------------------------------------- readers


def _article(text: str, path, *, title=None, source=None, published=None, url=None, external_id=None, cluster=None) -> Article:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError(path, "no text in article" + (f" {external_id!r}" if external_id else ""))
    return Article(
        id=Article.make_id(text), text=text, title=title, source=source, published=published, url=url,
        path=str(path), external_id=external_id, cluster=cluster,
    )


def read_jsonl(text: str, path) -> Iterator[Article]:
    stripped = text.lstrip()
    records: list[tuple[int, object]] = []
    if stripped.startswith("["):
        try:
            records = list(enumerate(json.loads(text), 1))
        except json.JSONDecodeError as exc:
            raise InputError(path, f"malformed JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    else:
        for lineno, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                records.append((lineno, json.loads(line)))
            except json.JSONDecodeError as exc:
                raise InputError(path, f"malformed JSON on line {lineno}: {exc.msg} (column {exc.colno})") from None
    for lineno, rec in records:
        where = f"{path}:{lineno}"
        if not isinstance(rec, dict):
            raise InputError(where, "expected a JSON object with a 'text' field")
        body = rec.get("text") or rec.get("body") or rec.get("content")
        if not isinstance(body, str) or not body.strip():
            raise InputError(where, "record has no 'text'")
        if looks_like_html(body):
            body, _, _ = html_to_text(body)
        yield _article(
            body, where, title=rec.get("title"), source=rec.get("source"),
            published=parse_date(rec.get("published") or rec.get("date"), what="published date", path=where),
            url=rec.get("url"), external_id=str(rec["id"]) if rec.get("id") is not None else None,
            cluster=str(rec["cluster"]) if rec.get("cluster") is not None else None,
        )


def _first(fields: dict, *names):
    """The first present element (an Element with no children is falsy, so no `or` chains)."""
    for n in names:
        if fields.get(n) is not None:
            return fields[n]
    return None


def read_feed(text: str, path) -> Iterator[Article]:
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise InputError(path, f"malformed XML feed: {exc}") from None

    def local(tag):
        return tag.rsplit("}", 1)[-1]

    items = [el for el in root.iter() if local(el.tag) in {"item", "entry"}]
    if not items:
        raise InputError(path, "XML file is not an RSS/Atom feed (no <item> or <entry>)")
    for n, item in enumerate(items, 1):
        fields = {local(c.tag): c for c in item}
        title = (fields["title"].text or "").strip() if "title" in fields else None
        body_el = _first(fields, "encoded", "content", "description", "summary")
        body = "".join(body_el.itertext()) if body_el is not None else ""
        if body_el is not None and body_el.text and "<" in body_el.text:
            body = html_to_text(body_el.text)[0]
        elif looks_like_html(body):
            body = html_to_text(body)[0]
        if not body.strip():
            continue
        date_el = _first(fields, "pubDate", "published", "updated", "date")
        link = fields.get("link")
        url = None
        if link is not None:
            url = link.get("href") or (link.text or "").strip() or None
        yield _article(
            body, f"{path}#item{n}", title=title,
            published=parse_date(date_el.text if date_el is not None else None, what="feed date", path=f"{path}#item{n}"),
            url=url,
        )


def read_file(path: str | Path, *, published: dt.date | None = None, source: str | None = None,
              encoding: str | None = None) -> list[Article]:
    """Read one file into articles. ``published``/``source`` fill in what the file does not say."""
    path = Path(path)
    if not path.exists():
        raise InputError(path, "no such file")
    if path.is_dir():
        raise InputError(path, "is a directory (use read_path)")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror}") from None
    text = decode(data, path, encoding)
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        articles = list(read_jsonl(text, path))
    elif suffix in FEED_SUFFIXES or (suffix not in HTML_SUFFIXES and text.lstrip().startswith("<?xml")
                                      and re.search(r"<(rss|feed)[\s>]", text[:2000])):
        articles = list(read_feed(text, path))
    elif suffix in HTML_SUFFIXES or looks_like_html(text):
        body, title, pub = html_to_text(text)
        articles = [_article(body, path, title=title, published=parse_date(pub, what="page date", path=path) if pub else None)]
    else:
        articles = [_article(text, path)]
    if not articles:
        raise InputError(path, "no articles found")
    out = []
    for a in articles:
        updates = {}
        if a.published is None and published is not None:
            updates["published"] = published
        if a.source is None and source is not None:
            updates["source"] = source
        out.append(a.model_copy(update=updates) if updates else a)
    return out


def iter_files(paths: list[str | Path]) -> Iterator[Path]:
    """Expand directories (recursively, sorted; hidden files skipped)."""
    for p in paths:
        p = Path(p)
        if p.is_dir():
            for child in sorted(p.rglob("*")):
                if child.is_file() and not any(part.startswith(".") for part in child.relative_to(p).parts):
                    yield child
        else:
            yield p

