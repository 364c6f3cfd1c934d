"""HTML pages: the main text (trafilatura) with title, publication date, site name and
canonical URL from the page's metadata (``og:site_name``, ``og:url``, ``<link
rel=canonical>``, ``article:published_time``, JSON-LD).

A page trafilatura cannot read (broken markup: an unclosed ``<title>`` or ``<nav>``) falls
back to a lenient parser of our own, so one broken tag never drops a whole article; a page
with no text at all is a per-record error.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from html.parser import HTMLParser

from .base import InputError, Options, Skip, make_article
from .dates import DateError, parse_any

HTML_RE = re.compile(r"<(html|body|p|div|article)[\s>]", re.I)


def looks_like_html(text: str) -> bool:
    return bool(HTML_RE.search(text[:4000]))


class _HTMLText(HTMLParser):
    """Lenient HTML -> paragraphs; captions and page furniture are skipped.

    A ``<title>`` left open ends at the first block element; ``strict=False`` skips only
    what is never visible text (scripts, styles), for pages whose furniture is never closed."""

    FURNITURE = {"nav", "footer", "aside", "figcaption", "form", "header", "button"}
    INVISIBLE = {"script", "style", "noscript", "svg", "template"}
    BLOCK = {"p", "h1", "h2", "h3", "h4", "li", "div", "br", "blockquote", "tr", "article", "section", "title",
             "body", "main"}

    def __init__(self, strict: bool = True):
        super().__init__(convert_charrefs=True)
        self.skip = self.INVISIBLE | (self.FURNITURE if strict else set())
        self.parts: list[str] = []
        self.skip_depth = 0
        self.title: str | None = None
        self.in_title = False
        self.published: str | None = None
        self._buf: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "meta":
            prop = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
            if prop in {"article:published_time", "date", "pubdate", "datepublished", "dc.date"} and a.get("content"):
                self.published = self.published or a["content"]
            return
        if tag == "time" and a.get("datetime") and not self.published:
            self.published = a["datetime"]
        if self.in_title and tag in self.BLOCK and tag != "title":
            self._end_title()
        if tag in self.skip:
            self.skip_depth += 1
        if tag == "title":
            self.in_title = True
        if tag in self.BLOCK:
            self._flush()

    def _end_title(self):
        self.in_title = False
        self.title = " ".join("".join(self._buf).split()) or None
        self._buf = []

    def handle_endtag(self, tag):
        if tag in self.skip and self.skip_depth:
            self.skip_depth -= 1
        if tag == "title":
            if self.in_title:
                self._end_title()
            return
        if tag in self.BLOCK:
            self._flush()

    def handle_data(self, data):
        if self.in_title or not self.skip_depth:
            self._buf.append(data)

    def _flush(self):
        if self.in_title:
            return
        text = " ".join("".join(self._buf).split())
        self._buf = []
        if text:
            self.parts.append(text)

    def result(self) -> str:
        if self.in_title:            # a <title> never closed and nothing after it: its text is the page
            self.in_title = False
        self._flush()
        return "\n\n".join(self.parts)


def html_to_text(markup: str, *, strict: bool = True) -> tuple[str, str | None, str | None]:
    """Lenient HTML -> (text, title, published). Never raises on bad markup."""
    parser = _HTMLText(strict=strict)
    try:
        parser.feed(markup)
        parser.close()
    except Exception:  # noqa: BLE001 - html.parser on hostile markup; keep what was read
        pass
    text = parser.result()
    if not text.strip() and strict:
        return html_to_text(markup, strict=False)
    return text, parser.title, parser.published


def _trafilatura(markup: str) -> dict:
    try:
        import trafilatura
    except ImportError:  # pragma: no cover - pinned dependency
        return {}
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    logging.getLogger("htmldate").setLevel(logging.CRITICAL)
    try:
        doc = trafilatura.bare_extraction(markup, with_metadata=True, include_comments=False,
                                          include_tables=False, deduplicate=False,
                                          favor_precision=True)
    except Exception:  # noqa: BLE001 - a parser failure on one page is that page's fallback, not a crash
        return {}
    if doc is None:
        return {}
    return doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)


def page_to_article(markup: str, where: str, opts: Options, *, url: str | None = None,
                    fallback_date=None):
    """One HTML page -> Article. InputError when the page holds no text."""
    meta = _trafilatura(markup)
    text = meta.get("text") or ""
    title, published = meta.get("title"), meta.get("date")
    if text.strip():
        text = "\n\n".join(line.strip() for line in text.split("\n") if line.strip())
    else:
        text, t2, p2 = html_to_text(markup)
        title, published = title or t2, published or p2
    if not text.strip():
        raise InputError(where, "no text in HTML page (no body)", "no text")
    date = None
    if published:
        try:
            date = parse_any(published)
        except DateError:
            date = None        # a page's own metadata date is a hint: a bad one is ignored, not fatal
    return make_article(text, where, opts, title=title, source=meta.get("sitename"),
                        published=date or fallback_date, url=meta.get("url") or url)


def read_html(text: str, where: str, opts: Options) -> Iterator:
    try:
        yield page_to_article(text, where, opts)
    except InputError as exc:
        yield Skip(exc.path, exc.problem, exc.kind)
