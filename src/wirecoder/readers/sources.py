"""Where inputs come from: files, directories (walked), globs, standard input (``-``),
and compressed files (``.gz``, ``.zip``), each turned into (name, bytes) without ever
reading more than the limit: a FIFO, a device (``/dev/zero``) or a huge sparse file is
refused from its ``stat`` before anything is read, and a decompressed stream is cut at
the limit (a zip bomb costs at most MAX_BYTES of memory)."""

from __future__ import annotations

import glob
import gzip
import os
import stat
import sys
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from .base import MAX_ARCHIVE_MEMBERS, MAX_BYTES, InputError, Skip  # noqa: F401

GLOB_CHARS = set("*?[")


def _kind_of(mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def expand(paths) -> Iterator[Path | str | Skip]:
    """Paths -> files (directories walked recursively in sorted order, hidden entries
    skipped; globs expanded; ``-`` kept for stdin); what cannot be read -> Skip."""
    for raw in paths:
        s = str(raw)
        if s == "-":
            yield "-"
            continue
        p = Path(s)
        if not os.path.lexists(s) and GLOB_CHARS & set(s):
            hits = sorted(glob.glob(s, recursive=True))
            if not hits:
                yield Skip(s, "no file matches this pattern", "missing file")
            for h in hits:
                yield from expand([h]) if os.path.isdir(h) else iter([Path(h)])
            continue
        try:
            st = os.stat(s)
        except FileNotFoundError:
            yield Skip(s, "no such file" + (" (a broken symbolic link)" if os.path.islink(s) else ""), "missing file")
            continue
        except OSError as exc:
            yield Skip(s, f"cannot read: {exc.strerror}", "unreadable")
            continue
        if stat.S_ISDIR(st.st_mode):
            yield from _walk(p)
        else:
            yield p


def _walk(root: Path) -> Iterator[Path | Skip]:
    try:
        entries = []
        for dirpath, dirnames, filenames in os.walk(root, onerror=None):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            entries.extend(Path(dirpath) / f for f in filenames if not f.startswith("."))
    except OSError as exc:  # pragma: no cover
        yield Skip(str(root), f"cannot read directory: {exc.strerror}", "unreadable")
        return
    yield from sorted(entries)


def read_limited(stream, where: str, limit: int = MAX_BYTES) -> bytes:
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise InputError(where, f"too large: more than {limit:,} bytes; split it into articles", "too large")
    return data


def check_regular(path: str) -> os.stat_result:
    """The stat of ``path``; InputError unless it is an existing regular file (never opens a FIFO or a
    device)."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise InputError(path, "no such file", "missing file") from None
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror}", "unreadable") from None
    what = _kind_of(st.st_mode)
    if what:
        raise InputError(path, f"not a regular file ({what}); give a file, a directory or - for stdin", "not a file")
    return st


def open_path(path: Path, limit: int = MAX_BYTES) -> bytes:
    """A regular file's bytes, refusing anything else and anything over ``limit`` from its stat
    (one article's limit by default; a container of many articles read whole has its own)."""
    where = str(path)
    st = check_regular(where)
    compressed = path.suffix.lower() in (".gz", ".zip")
    if not compressed and st.st_size > limit:
        hint = "split it into articles" if limit == MAX_BYTES else "write it as JSON Lines, which is streamed"
        raise InputError(where, f"too large: {st.st_size:,} bytes (limit {limit:,}); {hint}", "too large")
    if compressed and st.st_size > 20 * MAX_BYTES:
        raise InputError(where, f"too large: {st.st_size:,} bytes compressed (limit {20 * MAX_BYTES:,})", "too large")
    try:
        with open(path, "rb") as f:
            return read_limited(f, where, limit if not compressed else 20 * MAX_BYTES)
    except OSError as exc:
        raise InputError(where, f"cannot read: {exc.strerror}", "unreadable") from None


def members(name: str, data: bytes) -> Iterator[tuple[str, bytes] | Skip]:
    """Decompress .gz / .zip (by name or by magic bytes); anything else passes through.
    A .gz keeps its name (errors name the file on disk); a zip member is ``archive!member``."""
    lower = name.lower()
    if lower.endswith(".warc.gz") or lower.endswith(".arc.gz"):
        yield name, data            # warcio reads gzip members itself (record by record)
        return
    if lower.endswith(".gz") or (data[:2] == b"\x1f\x8b" and not lower.endswith((".warc", ".arc"))):
        try:
            d = zlib.decompressobj(16 + zlib.MAX_WBITS)
            out = d.decompress(data, MAX_BYTES + 1)
            if len(out) > MAX_BYTES:
                raise InputError(name, f"too large once decompressed (over {MAX_BYTES:,} bytes)", "too large")
            if not d.eof:
                raise InputError(name, "truncated gzip file", "broken archive")
        except zlib.error as exc:
            yield Skip(name, f"broken gzip file: {exc}", "broken archive")
            return
        except InputError as exc:
            yield Skip(exc.path, exc.problem, exc.kind)
            return
        yield name, out           # the format is read from the name less .gz (see detect_format)
        return
    if lower.endswith(".zip") or data[:4] == b"PK\x03\x04":
        import io

        try:
            zf = zipfile.ZipFile(io.BytesIO(data))
            infos = [i for i in zf.infolist() if not i.is_dir()]
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            yield Skip(name, f"broken zip file: {exc}", "broken archive")
            return
        if len(infos) > MAX_ARCHIVE_MEMBERS:
            yield Skip(name, f"too many members ({len(infos):,}; limit {MAX_ARCHIVE_MEMBERS:,})", "too large")
            return
        for info in sorted(infos, key=lambda i: i.filename):
            base = info.filename.rsplit("/", 1)[-1]
            if base.startswith(".") or info.filename.startswith("__MACOSX/"):
                continue
            where = f"{name}!{info.filename}"
            if info.file_size > MAX_BYTES:
                yield Skip(where, f"too large: {info.file_size:,} bytes (limit {MAX_BYTES:,})", "too large")
                continue
            try:
                with zf.open(info) as f:
                    yield from members(where, read_limited(f, where))
            except InputError as exc:
                yield Skip(exc.path, exc.problem, exc.kind)
            except (zipfile.BadZipFile, zlib.error, OSError, RuntimeError, ValueError, EOFError) as exc:
                yield Skip(where, f"broken zip member: {exc}", "broken archive")
        return
    yield name, data


def stdin_bytes() -> bytes:
    return read_limited(sys.stdin.buffer, "<stdin>")
