"""WARC (and ARC) files from crawls (warcio): each HTML response is an article, with the
target URI as its URL and the capture date as a fallback publication date.

A record that is not an HTML response (requests, metadata, images) is passed over
silently; a broken or truncated record is a per-record error, and reading stops there
(a WARC cannot be resynchronised after a truncated record) with the records before it
kept."""

from __future__ import annotations

import io
from collections.abc import Iterator

from .base import MAX_BYTES, InputError, Options, Skip, decode
from .dates import DateError, parse_any
from .html import page_to_article


def read_warc(data, where: str, opts: Options, size: int | None = None) -> Iterator:
    """``data``: the bytes, or a binary stream of ``size`` bytes (read record by record)."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    if isinstance(data, (bytes, bytearray)):
        stream, size = io.BytesIO(data), len(data)
    else:
        stream = data
    n = 0
    try:
        it = ArchiveIterator(stream, arc2warc=True)
        for record in it:
            n += 1
            here = f"{where}#record{n}"
            if record.rec_type not in ("response", "resource"):
                continue
            ctype = ""
            if record.http_headers is not None:
                ctype = record.http_headers.get_header("Content-Type") or ""
            else:
                ctype = record.rec_headers.get_header("Content-Type") or ""
            if "html" not in ctype.lower():
                continue
            uri = record.rec_headers.get_header("WARC-Target-URI")
            captured = None
            raw_date = record.rec_headers.get_header("WARC-Date")
            if raw_date:
                try:
                    captured = parse_any(raw_date)
                except DateError:
                    captured = None
            try:
                body = record.content_stream().read(MAX_BYTES + 1)
            except Exception as exc:  # noqa: BLE001 - a truncated or corrupt payload (zlib, chunking)
                yield Skip(here, f"broken WARC record: {exc}", "broken WARC")
                return
            if len(body) > MAX_BYTES:
                yield Skip(here, f"WARC record too large (over {MAX_BYTES:,} bytes)", "too large")
                continue
            if uri:
                here = f"{here} <{uri}>"
            try:
                charset = _charset(ctype)
                text = decode(body, here, opts.encoding or charset)
                yield page_to_article(text, here, opts, url=uri, fallback_date=captured)
            except InputError as exc:
                yield Skip(exc.path, exc.problem, exc.kind)
        end = it.offset
        if size is not None and end < size and _rest_not_blank(stream, end):
            yield Skip(f"{where}#record{n + 1}", f"truncated WARC record at byte {end:,} "
                       f"({size - end:,} bytes left unread); the records before it were read", "broken WARC")
    except ArchiveLoadFailed as exc:
        yield Skip(f"{where}#record{n + 1}", f"broken WARC: {str(exc).strip()[:200]}", "broken WARC")
    except Exception as exc:  # noqa: BLE001 - warcio on a truncated stream raises assorted errors
        yield Skip(f"{where}#record{n + 1}", f"broken WARC record: {type(exc).__name__}: {str(exc)[:200]}",
                   "broken WARC")


def _rest_not_blank(stream, end: int) -> bool:
    try:
        stream.seek(end)
        return bool(stream.read(65536).strip(b"\r\n\x00 "))
    except (OSError, ValueError):
        return True


def _charset(ctype: str) -> str | None:
    for part in ctype.split(";")[1:]:
        k, _, v = part.strip().partition("=")
        if k.lower() == "charset" and v:
            v = v.strip('"\' ').lower()
            try:
                "".encode(v)
            except LookupError:
                return None
            return None if v in ("utf-8", "utf8") else v
    return None
