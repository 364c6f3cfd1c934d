"""Publication dates of inputs, in any common format, normalised to the day.

Accepted: ISO 8601 (``2021-02-26``, with a time and zone or not, ``20210226``),
RFC 2822 (``Fri, 26 Feb 2021 10:00:00 GMT``), written dates (``December 17, 2016``,
``17 Dec 2016``), US/European numeric dates (``02/26/2021``, ``26.02.2021``) and epoch
seconds (or milliseconds). A date with a zone is taken on its own calendar day (the day
the outlet printed), not converted to UTC. Anything else is an error naming the value:
a date is never half-read (``2021-02-26garbage`` is refused, a year 0000 is refused,
not read as 2000).
"""

from __future__ import annotations

import datetime as dt
import re

MIN_YEAR = 1800            # news, not history: older "publication dates" are data errors
MAX_YEAR = 2200

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?"
                  r"\s*(?:Z|UTC|GMT|[+-]\d{2}:?\d{2})?")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})(?:T\d{2}:?\d{2}(?::?\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?")
_EPOCH = re.compile(r"-?\d{9,13}(?:\.\d+)?")
_NUMERIC = re.compile(r"(\d{1,2})([/.])(\d{1,2})\2(\d{4})")


class DateError(ValueError):
    pass


def _check(y: int, m: int, d: int, value) -> dt.date:
    if not MIN_YEAR <= y <= MAX_YEAR:
        raise DateError(f"year {y:04d} out of range {MIN_YEAR}-{MAX_YEAR} in {value!r}")
    try:
        return dt.date(y, m, d)
    except ValueError as exc:
        raise DateError(f"{exc} in {value!r}") from None


def parse_strict(value: str) -> dt.date:
    """YYYY-MM-DD, nothing else (the command line's --published)."""
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value.strip())
    if not m:
        raise DateError(f"{value!r} is not a date (expected YYYY-MM-DD)")
    return _check(int(m[1]), int(m[2]), int(m[3]), value)


def parse_any(value) -> dt.date:
    """A publication date in any common format -> the day. DateError otherwise."""
    if isinstance(value, dt.datetime):
        return _check(value.year, value.month, value.day, value)
    if isinstance(value, dt.date):
        return _check(value.year, value.month, value.day, value)
    if isinstance(value, bool):
        raise DateError(f"{value!r} is not a date")
    if isinstance(value, (int, float)):
        return _epoch(value, value)
    if not isinstance(value, str):
        raise DateError(f"{type(value).__name__} is not a date")
    s = value.strip()
    if not s or len(s) > 100:
        raise DateError(f"{value[:40]!r} is not a date")
    m = _ISO.fullmatch(s)
    if m:
        return _check(int(m[1]), int(m[2]), int(m[3]), value)
    m = _COMPACT.fullmatch(s)
    if m:
        return _check(int(m[1]), int(m[2]), int(m[3]), value)
    if _EPOCH.fullmatch(s):
        return _epoch(float(s), value)
    m = _NUMERIC.fullmatch(s)
    if m:
        a, b, y = int(m[1]), int(m[3]), int(m[4])
        if m[2] == ".":                  # 26.02.2021: European
            return _check(y, b, a, value)
        if a > 12:                       # 26/02/2021
            return _check(y, b, a, value)
        if b > 12:                       # 02/26/2021
            return _check(y, a, b, value)
        raise DateError(f"ambiguous day/month in {value!r}; use YYYY-MM-DD")
    rfc = _rfc2822(s)
    if rfc is not None:
        return _check(*rfc, value)
    return _written(s, value)


def _epoch(x: float, value) -> dt.date:
    if abs(x) >= 1e11:           # milliseconds
        x /= 1000
    try:
        d = dt.datetime.fromtimestamp(x, tz=dt.timezone.utc)
    except (OverflowError, OSError, ValueError):
        raise DateError(f"epoch {value!r} out of range") from None
    return _check(d.year, d.month, d.day, value)


_RFC = re.compile(r"(?:[A-Za-z]{3},\s*)?(\d{1,2})\s+([A-Za-z]{3})[a-z]*\.?\s+(\d{2,4})"
                  r"(?:\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s*(?:[+-]\d{4}|[A-Z]{1,5}))?)?")
MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}


def _rfc2822(s: str):
    m = _RFC.fullmatch(s)
    if not m:
        return None
    mon = MONTHS.get(m[2].lower())
    if mon is None:
        raise DateError(f"unknown month {m[2]!r} in {s!r}")
    year = m[3]
    if len(year) == 3:
        raise DateError(f"three-digit year in {s!r}")
    y = int(year)
    if len(year) == 2:                 # RFC 822's two-digit years: 00-49 -> 20xx, 50-99 -> 19xx
        y += 2000 if y < 50 else 1900
    return y, mon, int(m[1])


_WRITTEN = [
    # December 17, 2016 / Dec. 17 2016 / Tuesday, December 17, 2016 (time after is allowed)
    re.compile(r"(?:[A-Za-z]+,?\s+)?(?P<mon>[A-Za-z]{3,9})\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})"
               r"(?:,?\s+(?:at\s+)?\d{1,2}(?::\d{2}){0,2}\s*(?:[ap]\.?m\.?)?\s*(?:[A-Z]{2,5}|[+-]\d{2}:?\d{2})?)?", re.I),
    # 17 December 2016 / Tuesday 17 December 2016
    re.compile(r"(?:[A-Za-z]+,?\s+)?(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?P<mon>[A-Za-z]{3,9})\.?,?\s+(?P<y>\d{4})"
               r"(?:,?\s+\d{1,2}(?::\d{2}){0,2}\s*(?:[ap]\.?m\.?)?\s*(?:[A-Z]{2,5}|[+-]\d{2}:?\d{2})?)?", re.I),
]


def _written(s: str, value) -> dt.date:
    for rx in _WRITTEN:
        m = rx.fullmatch(s)
        if m:
            mon = MONTHS.get(m["mon"][:3].lower())
            if mon is None or not _is_month(m["mon"]):
                continue
            return _check(int(m["y"]), mon, int(m["d"]), value)
    raise DateError(f"unparseable date {value!r} (expected ISO 8601, RFC 2822, 'December 17, 2016' or epoch seconds)")


_FULL = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
         "november", "december"]


def _is_month(word: str) -> bool:
    w = word.lower().rstrip(".")
    return any(full.startswith(w) and len(w) >= 3 for full in _FULL) or w == "sept"
