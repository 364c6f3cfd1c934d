"""Temporal expressions: recognition and normalisation against a reference date.

Compact rules written from the TimeML / TIMEX3 guidelines.  ``find_timexes`` finds the
expressions in a text and normalises each one against the reference (publication)
date; ``normalise`` interprets one given expression, using the surrounding sentence
for tense cues ("will", "next", ...).

Values follow TIMEX3: ``2021-02-15``, ``2021-W07``, ``2021-02``, ``2021``, ``2021-Q1``,
``2021-H1``, ``2021-SU``, ``199X`` (decade), ``19`` (century), ``PRESENT_REF`` /
``PAST_REF`` / ``FUTURE_REF``, times ``2021-02-15T14:00`` or ``2021-02-15TNI`` (part of
day), durations ``P3Y``.  Everything is offline and regexes are compiled once.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["Timex", "find_timexes", "normalise"]


@dataclass
class Timex:
    start: int            # char offset in the text given
    end: int
    text: str
    value: str            # TimeML-style value
    type: str             # 'DATE' | 'TIME' | 'DURATION' | 'SET'
    granularity: str | None   # 'day','week','month','quarter','season','year','decade','time', None
    range_start: dt.date | None   # inclusive calendar range covered
    range_end: dt.date | None


# --------------------------------------------------------------------------- lexicon

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}
WEEKDAYS = {"monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2,
            "thursday": 3, "thu": 3, "thur": 3, "thurs": 3, "friday": 4, "fri": 4,
            "saturday": 5, "sat": 5, "sunday": 6, "sun": 6}
SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 2)}
ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
            "fifth": 5, "5th": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10,
            "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15,
            "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20,
            "twenty-first": 21, "twenty-second": 22, "twenty-third": 23, "twenty-fourth": 24,
            "twenty-fifth": 25, "twenty-sixth": 26, "twenty-seventh": 27, "twenty-eighth": 28,
            "twenty-ninth": 29, "thirtieth": 30, "thirty-first": 31}
UNITS_WORDS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
               "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
               "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
               "nineteen": 19}
TENS_WORDS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
              "eighty": 80, "ninety": 90}
UNIT_CODE = {"minute": "TM", "hour": "TH", "day": "D", "week": "W", "fortnight": "2W", "month": "M",
             "quarter": "Q", "year": "Y", "decade": "DE", "century": "CE", "centurie": "CE"}
HOLIDAYS_FIXED = {"christmas day": (12, 25), "christmas eve": (12, 24), "christmas": (12, 25),
                  "new year's day": (1, 1), "new year's eve": (12, 31), "valentine's day": (2, 14),
                  "independence day": (7, 4), "july fourth": (7, 4), "fourth of july": (7, 4),
                  "halloween": (10, 31), "boxing day": (12, 26), "may day": (5, 1),
                  "bastille day": (7, 14), "veterans day": (11, 11), "armistice day": (11, 11)}

_MON_RE = (r"\b(?:January|February|March|April|May|June|July|August|September|October|November|December"
           r"|Jan\.?|Feb\.?|Mar\.|Apr\.?|Jun\.|Jul\.|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?"
           r"|JANUARY|FEBRUARY|MARCH|APRIL|MAY|JUNE|JULY|AUGUST|SEPTEMBER|OCTOBER|NOVEMBER|DECEMBER)(?![a-zA-Z])")
_MON_ANY = (r"(?:january|february|march|april|may|june|july|august|september|october|november|december"
            r"|jan\.?|feb\.?|mar\.?|apr\.?|jun\.?|jul\.?|aug\.?|sept?\.?|oct\.?|nov\.?|dec\.?)")
_WD = (r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon\.|tues?\.|wed\.|thurs?\.|fri\.|"
       r"sat\.|sun\.)")
_NUMW = (r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
         r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty(?:[- ](?:one|two|three|four|five|six|seven|"
         r"eight|nine))?|thirty|forty|fifty|sixty|seventy|eighty|ninety|a few|a couple of|several|"
         r"some|many|a dozen|dozens of|hundreds of)")
_UNIT = r"(?:minute|hour|day|week|fortnight|month|quarter|year|decade|centur(?:y|ie))"
_YEAR = r"(?:1[0-9]\d\d|20\d\d)"
_SEASON = r"(?:spring|summer|fall|autumn|winter)"
_ORD = r"(?:first|second|third|fourth|1st|2nd|3rd|4th)"
_PART = r"(?:morning|afternoon|evening|night|overnight)"
_DAYNUM = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_CLOCK = (r"(?:(?<![\d$.,:])(?:[01]?\d|2[0-3]):[0-5]\d(?![\d:])\s*(?:[ap]\.?\s?m\b\.?)?"
          r"|(?<![\d$.,:])(?:1[0-2]|0?[1-9])\.[0-5]\d\s*[ap]\.?\s?m\b\.?"
          r"|(?<![\d$.,:])(?:1[0-2]|0?[1-9])\s*[ap]\.?\s?m\b\.?"
          r"|\bnoon\b|\bmidnight\b|\bmidday\b)(?:\s+(?:[ECMP][SD]T|GMT|UTC|local time))?")
_MOD = r"(?:early|late|mid|middle|the (?:early|late|middle|beginning|start|end) (?:part )?of)"

# ------------------------------------------------------------------- recognition rules
# Each pattern proposes candidate spans; overlaps are resolved longest-first and every
# candidate is then interpreted by ``normalise`` (unresolvable candidates are dropped).
_I = "(?i:"
_PATTERNS = [
    # ISO and numeric dates (never bare digit runs)
    rf"(?<![\w/.-])(?:{_YEAR})-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])(?:T\d\d:\d\d(?::\d\d)?)?(?![\w/-])",
    rf"(?<![\w/.-])(?:{_YEAR})/(?:0?[1-9]|1[0-2])/(?:0?[1-9]|[12]\d|3[01])(?![\w/-])",
    rf"(?<![\w/.-])(?:0?[1-9]|[12]\d|3[01])[/.](?:0?[1-9]|1[0-2]|[12]\d|3[01])[/.](?:{_YEAR})(?![\w/-]|\.\d)",
    # weekday/clock/part of day + month day (year)
    rf"(?:(?:{_CLOCK})\s*,?\s*)?{_I}(?:(?:early|late|on|this|last|next)\s+)?{_WD}),?\s+"
    rf"(?:{_MON_RE}\s*{_DAYNUM}|{_DAYNUM}\s+(?:of\s+)?{_MON_RE})(?:,?\s+{_YEAR})?\b",
    rf"(?:(?:{_CLOCK})\s*,?\s*)?(?:{_I}(?:early|late|mid|around|on)[\s-]+))?{_MON_RE}\s*{_DAYNUM}\b(?!:)(?:,?\s+{_YEAR}\b)?"
    rf"(?!\s*(?:%|,\d))",
    rf"(?<![\d,.])(?:{_DAYNUM})\s+(?:of\s+)?{_MON_RE}(?:,?\s+{_YEAR}\b)?",
    rf"{_I}(?:the\s+)?(?:{_MOD}[\s-]*)?(?:(?:this|last|next)\s+)?){_MON_RE}(?:(?:,?\s+|\s+of\s+){_YEAR}\b)?"
    rf"(?:{_I}\s+(?:this|last|next) year))?",
    rf"{_I}(?:(?:this|last|next|the)\s+)?(?:{_MOD}[\s-]*)?(?:(?:this|last|next)\s+)?){_MON_RE}",
    # clock times
    rf"(?i:(?:around|about|at)\s+)?{_I}{_CLOCK})(?:\s*,?\s*(?:{_I}(?:on\s+)?(?:{_WD}|today|tonight|yesterday|tomorrow))))?",
    # weekdays and parts of day
    rf"{_I}(?:(?:early|late|earlier|later)\s+)?(?:(?:this|last|next|the previous|the following|this coming|"
    rf"past)\s+)?{_WD}(?:'s)?(?:\s+{_PART})?)\b",
    rf"{_I}\b(?:(?:early|late|earlier|later)\s+)?(?:today|yesterday|tomorrow)(?:\s+{_PART})?)\b",
    rf"{_I}\b(?:(?:early|late|earlier|later)\s+)?(?:tonight|last night|overnight|(?:this|last|tomorrow|yesterday)\s+"
    rf"(?:morning|afternoon|evening|night)|(?:the\s+)?(?:next|following|previous) (?:day|morning|evening|night)"
    rf"|the day before|the day after|mid-?afternoon|mid-?morning))\b",
    # weeks, months, years, quarters, seasons relative to ref
    rf"{_I}\b(?:(?:early|late|earlier|later)\s+(?:in\s+)?)?(?:the\s+)?(?:(?:end|beginning|start|middle)\s+of\s+(?:the\s+)?)?"
    rf"(?:this|last|next|past|previous|current|coming|following|same)\s+(?:week(?:end)?|month|year|quarter|"
    rf"decade|century|{_SEASON}))\b",
    rf"{_I}\b(?:earlier|later)\s+(?:this|that|in the|last|next)\s+(?:week|month|year|decade))\b",
    rf"{_I}\b(?:the\s+)?(?:{_MOD}[\s-]*)?(?:(?:this|last|next|past|coming)\s+){_SEASON}(?:\s+of)?(?:\s+{_YEAR})?)\b",
    rf"{_I}\b(?:the\s+)?(?:{_MOD}[\s-]*)?{_SEASON}(?:\s+of)?\s+{_YEAR})\b",
    rf"{_I}\b(?:(?:in|during|since|by|until|over|through|this|last|next|early|late)\s+(?:the\s+)?{_SEASON}))\b",
    rf"{_I}\b(?:the\s+|its\s+|this year's\s+|last year's\s+|next year's\s+|a\s+)?(?:(?:fiscal|calendar|latest|"
    rf"current|flat|same|comparable|year-ago|year-earlier|{_YEAR})[\s-]+)*{_ORD}[\s-]+(?:fiscal\s+)?"
    rf"(?:quarter|half)(?:\s+of\s+(?:fiscal\s+)?{_YEAR})?)\b",
    rf"{_I}\b(?:the\s+)?(?:(?:latest|current|same|year-ago|year-earlier|comparable|previous|last|year-ago|fiscal|"
    rf"{_YEAR})[\s-]+)+(?:quarter|period|fiscal year|year)s?)\b",
    rf"{_I}\b(?:the\s+)?(?:year-ago|year-earlier|year ago|the quarter a year ago|the corresponding period last year|"
    rf"last year's quarter|year[- ]end|the year|the fiscal year|the full year|the quarter|the period|"
    rf"the end of the (?:year|month|week|quarter)))\b",
    rf"{_I}\b(?:fiscal|calendar|early|late|mid|the end of|the beginning of|the start of|the middle of|"
    rf"the first half of|the second half of|the last half of)[\s-]+){_YEAR}\b",
    rf"(?<![\w$.,-])(?:{_I}(?:in|since|until|by|before|after|during|of|from|to|through)\s+))?{_YEAR}(?![\w%]|,\d|\.\d)"
    rf"(?!\s+(?:{_I}people|troops|soldiers|persons|votes|dollars|tons|cars|units|shares|miles|feet|meters|"
    rf"employees|workers|pounds)\b))",
    rf"{_I}\b(?:the\s+)?(?:(?:early|late|mid)[\s-]+)?(?:(?:1[0-9]|20)\d0s|'?\d0'?s))\b",
    rf"{_I}\b(?:the\s+)?(?:(?:early|late|mid)[\s-]+)?(?:twenties|thirties|forties|fifties|sixties|seventies|"
    rf"eighties|nineties))\b",
    rf"{_I}\b(?:the\s+)?(?:\d{{1,2}}(?:st|nd|rd|th)|(?:nine|eigh|seven|six|fif|four|thir|twelf|elev|ten)(?:teen)?th|"
    rf"twentieth|twenty-first)\s+century)\b",
    # spoken years
    rf"{_I}\b(?:the year\s+)?(?:nineteen|twenty)[\s-](?:(?:ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    rf"seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-](?:one|two|three|"
    rf"four|five|six|seven|eight|nine))?|hundred|oh[\s-](?:one|two|three|four|five|six|seven|eight|nine)))\b",
    rf"{_I}\b(?:the year\s+)?two thousand(?:\s+(?:and\s+)?(?:one|two|three|four|five|six|seven|eight|nine|ten))?)\b",
    # N units ago / from now / durations
    rf"{_I}\b(?:(?:almost|nearly|about|some|around|roughly|more than|less than|over|just over|just under)\s+)?"
    rf"{_NUMW}[\s-]+(?:and a half\s+)?{_UNIT}s?(?:\s+(?:ago|earlier|before|later|from now|hence))?)\b",
    rf"{_I}\b(?:(?:the|these|those)\s+)?(?:(?:past|last|next|coming|previous|following|first|final|recent)\s+)"
    rf"(?:{_NUMW}[\s-]+)?{_UNIT}s?)\b",
    rf"{_I}\b(?:(?:a|one)\s+)?{_UNIT}s?\s+(?:ago|earlier))\b",
    rf"{_I}\b(?:{_UNIT}s)\b)",
    # holidays
    r"\b(?:(?:last|next|this)\s+)?(?:Christmas(?: Day| Eve)?|New Year's (?:Day|Eve)|Thanksgiving(?: Day)?|"
    r"Easter(?: Sunday| Monday)?|Independence Day|Valentine's Day|Halloween|Labor Day|Memorial Day|"
    r"Election Day|Veterans Day|Boxing Day|Bastille Day)\b",
    # document-relative references
    rf"{_I}\b(?:right now|now|currently|at present|presently|these days|nowadays|at the moment|current|"
    rf"recently|more recently|lately|recent\s+(?:years|months|weeks|days)|in recent (?:years|months|weeks|days)|"
    rf"the past|in the past|previously|formerly|once|the future|the near future|the near term|the short term|"
    rf"the long term|in future|future|soon|shortly|one day|someday|some day|a later date|later|earlier|"
    rf"daily|weekly|monthly|annually|yearly|every (?:day|week|month|year)|each (?:day|week|month|year)))\b",
]
# every expression starts at a word start: rejecting mid-word positions early keeps this fast
_REC = [re.compile(p if p.startswith("(?<!") else r"(?<![\w'])" + p) for p in _PATTERNS]


# What every match of a pattern must contain, so that a text without it is not scanned. Read from
# the pattern's own parse tree: a word it cannot match without ("monday" or "tuesday" or ...), or
# a digit. Texts are compared lower-cased; a text holding one of the few letters that match an
# ASCII letter under IGNORECASE yet lower-case to something else is scanned by every pattern.
_DIGIT = re.compile(r"\d")
FOLDS_TO_ASCII = frozenset("\u212aſİı")   # Kelvin sign, long s, dotted I, dotless i (tests/test_dates.py)


def _required(pattern: str):
    """A tuple of lower-case strings one of which every match of ``pattern`` contains, the
    pattern ``\\d`` when it is a digit, or None when nothing is known to be needed."""
    try:
        from re import _constants as C
        from re import _parser as P
        tree = P.parse(pattern)
    except Exception:  # noqa: BLE001 - another Python's internals: scan with the pattern always
        return None

    def best(cands):
        cands = [c for c in cands if c is not None]
        if not cands:
            return None
        return max(cands, key=lambda c: (1, -10) if c is _DIGIT else (min(map(len, c)), -len(c)))

    def seq(items):
        cands, run = [], ""
        for op, av in items:
            if op is C.LITERAL:
                run += chr(av).lower()
                continue
            if run:
                cands.append((run,))
                run = ""
            cands.append(item(op, av))
        if run:
            cands.append((run,))
        return best(cands)

    def item(op, av):
        if op is C.SUBPATTERN:
            return seq(av[-1])
        if op is C.BRANCH:
            out: list[str] = []
            for branch in av[1]:
                r = seq(branch)
                if r is None or r is _DIGIT:
                    return None
                out.extend(r)
            return tuple(dict.fromkeys(out))
        if op in (C.MAX_REPEAT, C.MIN_REPEAT):
            return seq(av[2]) if av[0] >= 1 else None
        if op is C.IN and all(o is C.RANGE and 48 <= a[0] and a[1] <= 57 or o is C.LITERAL and 48 <= a <= 57
                              or o is C.CATEGORY and a is C.CATEGORY_DIGIT for o, a in av):
            return _DIGIT
        return None

    return seq(tree)


@lru_cache(maxsize=1)
def _needs() -> tuple:
    """What each pattern of _REC needs, read on the first text (not at import: ~12 ms of every
    process's start-up, `wirecoder --help` included)."""
    return tuple(_required(rx.pattern) for rx in _REC)


def _may_match(need, low: str, text: str) -> bool:
    if need is None:
        return True
    if need is _DIGIT:
        return _DIGIT.search(text) is not None
    return any(w in low for w in need)

# word-level helpers for interpretation
_RE_WS = re.compile(r"\s+")
_RE_FUT = re.compile(r"^(?:will|won't|'ll|shall|going|planning|scheduled|due|expects?|intends?|"
                     r"upcoming|next|coming|would|tomorrow|hopes?|aims?|wants?|must|should|can|may|might|"
                     r"effective|payable|soon|set|by)$", re.I)
_RE_PAST = re.compile(r"^(?:said|says|was|were|had|did|ago|last|earlier|since|told|\w{3,}ed|brought|began|came|"
                      r"took|made|went|got|gave|left|met|held|won|lost|fell|rose|sold|bought|paid|saw|became|"
                      r"spent|led|ran|found|kept|sent|struck|wrote|spoke|chose|drew|flew|grew|knew|threw|fought|"
                      r"caught|broke|stood|built|felt|heard|meant|lay|slid|sank|shot|fled|swept|stole|"
                      r"thought|taught|won|wore|woke|hid|bit|ate|drank|sang|rang|swam|forgot|overtook)$", re.I)
_NOT_PAST = re.compile(r"^(?:scheduled|expected|proposed|needed|intended|based|related|called|"
                       r"united|limited|red|bed|need|speed|feed|seed|indeed|hundred|ended)$", re.I)
_RE_QCTX = re.compile(r"\b(?:quarter|quarterly|period|three months)\b", re.I)
_RE_YTD = re.compile(r"\b(?:nine|six|eight|ten|eleven) months|\bfirst half|\byear to date|\bso far this year", re.I)
_RE_FINCTX = re.compile(r"\b(?:quarter|quarterly|period|three months|net|profit|earnings|revenue|sales|a share|"
                        r"income|loss)\b", re.I)


def _num(word: str) -> int | None:
    word = word.lower().strip()
    if word.isdigit():
        return int(word)
    if word in ("a", "an", "one", "the"):
        return 1
    if word in UNITS_WORDS:
        return UNITS_WORDS[word]
    if word in ("a dozen",):
        return 12
    parts = re.split(r"[\s-]+", word)
    if parts and parts[0] in TENS_WORDS:
        n = TENS_WORDS[parts[0]]
        if len(parts) == 2 and parts[1] in UNITS_WORDS:
            n += UNITS_WORDS[parts[1]]
        return n
    return None


_RE_SPOKEN_YEAR = re.compile(
    r"(?:nineteen|twenty)[\s-](?:(?:ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|"
    r"nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-](?:one|two|three|four|five|six|"
    r"seven|eight|nine))?|hundred|oh[\s-](?:one|two|three|four|five|six|seven|eight|nine))"
    r"|two thousand(?:\s+(?:and\s+)?(?:one|two|three|four|five|six|seven|eight|nine|ten))?")


def _spoken_year(s: str) -> int | None:
    s = re.sub(r"^the year\s+", "", s)
    m = re.fullmatch(r"two thousand(?:\s+(?:and\s+)?(\w+))?", s)
    if m:
        return 2000 + (_num(m.group(1)) or 0 if m.group(1) else 0)
    m = re.fullmatch(r"(nineteen|twenty)[\s-](.+)", s)
    if not m:
        return None
    cent = 19 if m.group(1) == "nineteen" else 20
    rest = m.group(2)
    if rest == "hundred":
        return cent * 100
    rest = re.sub(r"^oh[\s-]", "", rest)
    n = _num(rest)
    if n is None or n >= 100:
        return None
    return cent * 100 + n


# ------------------------------------------------------------------- value builders

def _mk(value, typ, gran, rs=None, re_=None):
    return (value, typ, gran, rs, re_)


def _day(d: dt.date):
    return _mk(d.isoformat(), "DATE", "day", d, d)


def _month_end(y: int, m: int) -> dt.date:
    if m == 12:
        return dt.date(y, 12, 31)
    return dt.date(y, m + 1, 1) - dt.timedelta(days=1)


def _month(y: int, m: int):
    return _mk(f"{y:04d}-{m:02d}", "DATE", "month", dt.date(y, m, 1), _month_end(y, m))


def _year(y: int):
    return _mk(f"{y:04d}", "DATE", "year", dt.date(y, 1, 1), dt.date(y, 12, 31))


def _week_of(d: dt.date):
    y, w, _ = d.isocalendar()
    mon = d - dt.timedelta(days=d.weekday())
    return _mk(f"{y:04d}-W{w:02d}", "DATE", "week", mon, mon + dt.timedelta(days=6))


def _weekend_of(d: dt.date):
    y, w, _ = d.isocalendar()
    mon = d - dt.timedelta(days=d.weekday())
    return _mk(f"{y:04d}-W{w:02d}-WE", "DATE", "week", mon + dt.timedelta(days=5), mon + dt.timedelta(days=6))


def _quarter(y: int, q: int):
    return _mk(f"{y:04d}-Q{q}", "DATE", "quarter", dt.date(y, 3 * q - 2, 1), _month_end(y, 3 * q))


def _half(y: int, h: int):
    return _mk(f"{y:04d}-H{h}", "DATE", "quarter", dt.date(y, 6 * h - 5, 1), _month_end(y, 6 * h))


def _season(y: int, code: str):
    a, b = SEASON_MONTHS[code]
    if code == "WI":
        return _mk(f"{y:04d}-WI", "DATE", "season", dt.date(y, 12, 1), _month_end(y + 1, 2))
    return _mk(f"{y:04d}-{code}", "DATE", "season", dt.date(y, a, 1), _month_end(y, b))


def _decade(start: int, fuzzy: bool = False):
    v = f"{start // 10:03d}" + ("" if fuzzy else "X")
    return _mk(v, "DATE", "decade", dt.date(start, 1, 1), dt.date(start + 9, 12, 31))


def _century(c: int):  # c = 19 for the 1900s
    return _mk(f"{c:02d}", "DATE", "decade", dt.date(max(c * 100, 1), 1, 1), dt.date(c * 100 + 99, 12, 31))


def _ref(kind: str):
    return _mk(kind, "DATE", None)


def _dur(v: str):
    return _mk(v, "DURATION", None)


def _time(d: dt.date, suffix: str):
    return _mk(f"{d.isoformat()}T{suffix}", "TIME", "time", d, d)


def _safe_date(y, m, d):
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _add_months(y: int, m: int, k: int) -> tuple[int, int]:
    t = y * 12 + (m - 1) + k
    return t // 12, t % 12 + 1


# ------------------------------------------------------------------------- tense

_RE_NOT_CUE = re.compile(r"\bnext (?:to|door)\b|\bset (?:off|up|out|aside|fire)\b|\bmay be\b(?= \w+ed\b)", re.I)


def _tense(expr: str, context: str) -> str:
    """'future', 'past' or '' from the nearest tense cue around the expression in its clause."""
    if not context:
        return ""
    i = context.lower().find(expr.lower()) if expr else -1
    if i < 0:
        return ""
    before = _RE_NOT_CUE.sub(" ", context[:i])
    after = _RE_NOT_CUE.sub(" ", context[i + len(expr):])
    before = re.split(r"[;:]|``|''|\"|[“”]", before)[-1]
    after = re.split(r"[;:.]|``|''|\"|[“”]", after)[0]
    bw = re.findall(r"[\w']+", before)[-12:]
    aw = re.findall(r"[\w']+", after)[:6]
    best = (99, "")
    items = [(len(bw) - k, w, bw[k - 1] if k else "") for k, w in enumerate(bw)]
    items += [(k + 1.5, w, aw[k - 1] if k else "") for k, w in enumerate(aw)]
    for dist, w, prev in items:
        wl = w.lower()
        if prev.lower() == "be" and _RE_PAST.match(wl):
            wl = "will"  # "will be held", "is to be signed": a passive infinitive, not a past event
        if wl in ("by", "set") and dist != 1:
            continue  # "by <date>" is a deadline; "set <date>" a schedule
        if _RE_FUT.match(wl):
            kind = "future"
        elif _RE_PAST.match(wl) and not _NOT_PAST.match(wl):
            kind = "past"
        elif _NOT_PAST.match(wl) and wl in ("scheduled", "expected", "intended", "proposed"):
            kind = "future"
        else:
            continue
        if dist < best[0]:
            best = (dist, kind)
    return best[1]


# ------------------------------------------------------------------ interpretation

def _month_num(tok: str) -> int | None:
    return MONTHS.get(tok.lower().rstrip(".").strip())


def _resolve_md(ref: dt.date | None, m: int, d: int, tense: str, weekday: int | None = None):
    if ref is None:
        return None
    cands = [x for x in (_safe_date(ref.year + k, m, d) for k in (-1, 0, 1)) if x]
    if weekday is not None:
        same = [x for x in cands if x.weekday() == weekday]
        if same:
            cands = same
    if not cands:
        return None
    before = [x for x in cands if x <= ref]
    after = [x for x in cands if x > ref]
    if tense == "future":
        if after and before and (min(after) - ref).days > 180 and (ref - max(before)).days <= 14:
            return max(before)  # "by Jan. 14" written on Jan. 15: the deadline just passed
        return min(after) if after else max(cands)
    if tense == "past" or not after:
        if after and before and (min(after) - ref).days <= 21 and (ref - max(before)).days > 330:
            return min(after)  # a date days ahead is likelier than one almost a year back
        return max(before) if before else min(cands)
    # untensed: the most recent one, unless the date is just ahead (schedules, deadlines)
    if (min(after) - ref).days <= FUTURE_WINDOW_DAYS or not before:
        return min(after)
    return max(before)


FUTURE_WINDOW_DAYS = 100


def _resolve_month(ref: dt.date, m: int, tense: str, which: str = "") -> int:
    if which == "last":
        return ref.year if m < ref.month else ref.year - 1
    if which == "next":
        return ref.year if m > ref.month else ref.year + 1
    if which == "this":
        return ref.year
    if m == ref.month:
        return ref.year
    ahead = (m - ref.month) % 12  # months until the next such month
    if tense == "future":
        return ref.year if m > ref.month else ref.year + 1
    if tense == "" and ahead <= 3:
        return ref.year if m > ref.month else ref.year + 1
    return ref.year if m < ref.month else ref.year - 1


def _resolve_weekday(ref: dt.date, wd: int, tense: str, which: str = ""):
    diff = wd - ref.weekday()
    if which in ("last", "past", "the previous"):
        back = (ref.weekday() - wd) % 7 or 7
        return ref - dt.timedelta(days=back)
    if which in ("next", "the following", "this coming"):
        fwd = diff % 7 or 7
        return ref + dt.timedelta(days=fwd)
    if diff == 0:
        return ref
    if tense == "future" or which == "this":
        return ref + dt.timedelta(days=diff % 7)
    return ref - dt.timedelta(days=(-diff) % 7)


def _current_quarter(d: dt.date) -> tuple[int, int]:
    return d.year, (d.month - 1) // 3 + 1


def _prev_quarter(d: dt.date) -> tuple[int, int]:
    y, q = _current_quarter(d)
    return (y, q - 1) if q > 1 else (y - 1, 4)


def _ctx_quarter(context: str, ref: dt.date) -> tuple[int, int]:
    """The quarter a financial sentence talks about: an ordinal quarter mentioned in it,
    else the last completed quarter (the one being reported)."""
    m = re.search(r"\b(first|second|third|fourth|1st|2nd|3rd|4th)[\s-]+(?:fiscal\s+)?quarter", context, re.I)
    ry, rq = _prev_quarter(ref)
    if m:
        q = ORDINALS[m.group(1).lower()]
        y = ref.year if q <= _current_quarter(ref)[1] else ref.year - 1
        return y, q
    return ry, rq


def _season_year(ref: dt.date, code: str, which: str, tense: str) -> int:
    cur_m = ref.month
    a, _ = SEASON_MONTHS[code]
    if code == "WI":
        # winter y = Dec y .. Feb y+1
        in_now = cur_m in (12, 1, 2)
        cur_w = ref.year if cur_m == 12 else ref.year - 1
        if which == "last":
            return cur_w - 1 if in_now else cur_w
        if which == "next" or (tense == "future" and not in_now):
            return cur_w + 1 if in_now else ref.year
        return cur_w if in_now or cur_m < 12 else ref.year
    started = cur_m >= a
    if which == "last":
        b = SEASON_MONTHS[code][1]
        return ref.year if cur_m > b else ref.year - 1
    if which == "next":
        return ref.year + 1 if started else ref.year
    if which == "this":
        return ref.year
    if tense == "future":
        return ref.year if cur_m <= SEASON_MONTHS[code][1] else ref.year + 1
    return ref.year if started else ref.year - 1


_PARTS = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "overnight": "NI",
          "mid-afternoon": "AF", "midafternoon": "AF", "mid afternoon": "AF", "mid-morning": "MO",
          "midmorning": "MO", "tonight": "NI"}


def _clock(s: str) -> str | None:
    """'10:35 a.m.' -> '10:35', 'noon' -> '12:00'."""
    s = s.lower()
    if re.search(r"\bnoon\b|\bmidday\b", s):
        return "12:00"
    if re.search(r"\bmidnight\b", s):
        return "24:00"
    m = re.search(r"\b([01]?\d|2[0-3])(?:[:.]([0-5]\d))?\s*(?:([ap])\.?\s?m\b)?", s)
    if not m or (m.group(2) is None and m.group(3) is None):
        return None
    h, mi, ap = int(m.group(1)), int(m.group(2) or 0), m.group(3)
    if ap == "p" and h < 12:
        h += 12
    if ap == "a" and h == 12:
        h = 0
    return f"{h:02d}:{mi:02d}"


# The interpreter of one expression is a table of named rules, tried in order: each takes the
# normalised expression `s`, the raw text, the reference date, the sentence and the tense, and
# returns a reading, None (the expression is this rule's but has no reading), or _NEXT (not its).
_NEXT = object()


def _rule_numeric(s: str, raw: str, ref: dt.date | None, context: str, tense: str):
    """Absolute numeric formats."""
    m = re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)(?:t(\d\d:\d\d)(?::\d\d)?)?", s)
    if m:
        d = _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if d is None:
            return None
        return _time(d, m.group(4)) if m.group(4) else _day(d)
    m = re.fullmatch(r"(\d{4})/(\d\d?)/(\d\d?)", s)
    if m:
        d = _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        return _day(d) if d else None
    m = re.fullmatch(r"(\d\d?)[/.](\d\d?)[/.](\d{4})", s)
    if m:
        a, b, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if a > 12 >= b:
            d = _safe_date(y, b, a)
        elif b > 12 >= a:
            d = _safe_date(y, a, b)
        elif a == b:
            d = _safe_date(y, a, b)
        else:
            return None  # ambiguous day/month order
        return _day(d) if d else None
    return _NEXT


def _rule_clock(s: str, raw: str, ref: dt.date | None, context: str, tense: str):
    """Clock times, optionally with a day."""
    if re.search(r"\d\s*[ap]\.?\s?m\b|\d[:.]\d\d|\bnoon\b|\bmidnight\b|\bmidday\b", s) and not re.search(
            r"\b(?:year|month|week)s?\b", s):
        hhmm = _clock(s)
        if hhmm:
            rest = re.sub(_CLOCK, " ", raw, flags=re.I)
            rest = re.sub(r"\b(?:[ECMP][SD]T|GMT|UTC|local time|around|about|at|on|in the)\b", " ", rest, flags=re.I)
            rest = rest.strip(" ,.")
            base = None
            if rest:
                sub = _interpret(rest, ref, context)
                if sub and sub[2] == "day" or (sub and sub[2] == "time"):
                    base = sub[3]
            elif ref is not None:
                base = ref
            if base is None:
                if ref is None:
                    return None
                base = ref
            if hhmm == "24:00":
                return _mk(f"{base.isoformat()}T24:00", "TIME", "time", base, base)
            return _time(base, hhmm)
    return _NEXT


def _rule_month_day(s: str, raw: str, ref: dt.date | None, context: str, tense: str):
    """Month-day(-year) with optional weekday / modifiers."""
    wdm = re.match(rf"^(?:(?:early|late|on|this|last|next)\s+)?({_WD}),?\s+", s)
    wday = WEEKDAYS.get(wdm.group(1).rstrip(".")) if wdm else None
    s2 = s[wdm.end():] if wdm else s
    s2 = re.sub(r"^(?:early|late|mid|around|on|the)[\s-]+", "", s2)
    m = re.fullmatch(rf"({_MON_ANY})\s*(\d\d?)(?:st|nd|rd|th)?\.?(?:,?\s+(\d{{4}}))?\.?", s2)
    if not m:
        m2 = re.fullmatch(rf"(\d\d?)(?:st|nd|rd|th)?\s+(?:of\s+)?({_MON_ANY})(?:,?\s+(\d{{4}}))?\.?", s2)
        if m2:
            m = m2
            mon, day, yr = _month_num(m2.group(2)), int(m2.group(1)), m2.group(3)
    else:
        mon, day, yr = _month_num(m.group(1)), int(m.group(2)), m.group(3)
    if not m:
        m3 = re.fullmatch(rf"({_MON_ANY})\s+(\w+(?:-\w+)?)(?:,?\s+(\d{{4}}))?", s2)
        if m3 and m3.group(2) in ORDINALS:
            m = m3
            mon, day, yr = _month_num(m3.group(1)), ORDINALS[m3.group(2)], m3.group(3)
    if m and mon:
        if yr:
            d = _safe_date(int(yr), mon, day)
        else:
            d = _resolve_md(ref, mon, day, tense, wday)
        return _day(d) if d else None
    return _NEXT


def _rule_month(s: str, raw: str, ref: dt.date | None, context: str, tense: str):
    """Month (year), with early/late/mid and this/last/next."""
    m = re.fullmatch(rf"(?:the\s+)?(?:(?:early|late|mid|middle|end|beginning|start)[\s-]*(?:of\s+)?|"
                     rf"the (?:early|late|middle|beginning|start|end) (?:part )?of\s+)?(?:(this|last|next)\s+)?"
                     rf"(?:(?:early|late|mid)[\s-]+)?({_MON_ANY})(?:(?:,?\s+|\s+of\s+)(\d{{4}})|\s+(this|last|next) year)?",
                     s)
    if m and _month_num(m.group(2)):
        mon = _month_num(m.group(2))
        if m.group(3):
            return _month(int(m.group(3)), mon)
        if ref is None:
            return _mk(f"XXXX-{mon:02d}", "DATE", "month")
        if m.group(4):
            y = ref.year + {"this": 0, "last": -1, "next": 1}[m.group(4)]
            return _month(y, mon)
        return _month(_resolve_month(ref, mon, tense, m.group(1) or ""), mon)
    return _NEXT


def _rule_years(s: str, raw: str, ref: dt.date | None, context: str, tense: str):
    """Years / decades / centuries (absolute)."""
    m = re.fullmatch(r"(?:(?:fiscal|calendar|the year|year|early|late|mid|the end of|the beginning of|the start of|"
                     r"the middle of|post|pre)[\s-]+)?(\d{4})(?:\s+(?:and beyond|or later|or earlier))?", s)
    if m:
        y = int(m.group(1))
        if 1000 <= y <= 2100:
            return _year(y)
    m = re.fullmatch(r"the (first|second|last) half of (?:fiscal )?(\d{4})", s)
    if m:
        return _half(int(m.group(2)), 1 if m.group(1) == "first" else 2)
    m = re.fullmatch(r"(?:the\s+)?((?:early|late|mid)[\s-]+)?(1\d|20)?(\d)0'?s", s.replace("'", "") if s.startswith("'") else s)
    if m is None:
        m = re.fullmatch(r"(?:the\s+)?((?:early|late|mid)[\s-]+)?'()(\d)0s", s)
    if m:
        c = m.group(2)
        if c:
            start = int(c) * 100 + int(m.group(3)) * 10
        else:
            if ref is None:
                return None
            start = (ref.year // 100) * 100 + int(m.group(3)) * 10
            if start > ref.year:
                start -= 100
        return _decade(start, fuzzy=bool(m.group(1)))
    m = re.fullmatch(r"(?:the\s+)?((?:early|late|mid)[\s-]+)?(twenties|thirties|forties|fifties|sixties|seventies|"
                     r"eighties|nineties)", s)
    if m and ref is not None:
        dec = {"twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6, "seventies": 7,
               "eighties": 8, "nineties": 9}[m.group(2)]
        start = (ref.year // 100) * 100 + dec * 10
        if start > ref.year:
            start -= 100
        return _decade(start, fuzzy=bool(m.group(1)))
    m = re.fullmatch(r"(?:the\s+)?(\d\d?)(?:st|nd|rd|th) century", s)
    if m:
        return _century(int(m.group(1)) - 1)
    m = re.fullmatch(r"(?:the\s+)?(\w+) century", s)
    if m and (m.group(1) in ORDINALS or m.group(1) in ("twentieth", "nineteenth", "eighteenth")):
        n = ORDINALS.get(m.group(1)) or {"twentieth": 20, "nineteenth": 19, "eighteenth": 18}[m.group(1)]
        return _century(n - 1)
    y = _spoken_year(s)
    if y:
        return _year(y)
    return _NEXT


def _rule_quarters(s: str, raw: str, ref: dt.date | None, context: str, tense: str):
    """Quarters and halves."""
    m = re.fullmatch(rf"(?:the\s+|its\s+|a\s+)?(?:(this|last|next) year's\s+)?((?:(?:fiscal|calendar|latest|current|flat|"
                     rf"same|comparable|year-ago|year-earlier|\d{{4}})[\s-]+)*)({_ORD})[\s-]+(?:fiscal[\s-]+)?"
                     rf"(quarter|half)(?:\s+of\s+(?:fiscal\s+)?(\d{{4}}))?", s)
    if m:
        n = ORDINALS[m.group(3)]
        mods = m.group(2) or ""
        ym = re.search(r"\d{4}", mods)
        if m.group(5):
            y = int(m.group(5))
        elif ym:
            y = int(ym.group(0))
        elif ref is None:
            return None
        elif m.group(1):
            y = ref.year + {"this": 0, "last": -1, "next": 1}[m.group(1)]
        else:
            cq = _current_quarter(ref)[1] if m.group(4) == "quarter" else (1 if ref.month <= 6 else 2)
            y = ref.year if n <= cq or tense == "future" else ref.year - 1
            if re.search(r"year-ago|year-earlier", mods):
                y -= 1
        return _quarter(y, n) if m.group(4) == "quarter" and n <= 4 else (_half(y, n) if n <= 2 else None)

    if ref is None:
        return _interpret_refs(s)
    return _NEXT


def _rule_financial(s: str, raw: str, ref: dt.date | None, context: str, tense: str):
    """Financial periods relative to the report."""
    if re.fullmatch(r"(?:the\s+)?(?:latest|most recent|recent|past|last|previous|just-ended|just ended)\s+"
                    r"(?:quarter|period)|(?:the\s+)?quarter|(?:the\s+)?period|(?:the\s+)?(?:latest|same|\d{4}) period",
                    s):
        if re.fullmatch(r"(?:the\s+)?period", s) and not _RE_QCTX.search(context or ""):
            return None
        ym = re.search(r"\d{4}", s)
        if ym and _RE_YTD.search(context or ""):
            return _year(int(ym.group(0)))
        y, q = _ctx_quarter(context or "", ref)
        if ym:
            y = int(ym.group(0))
        return _quarter(y, q)
    if re.fullmatch(r"(?:the\s+)?(?:current|present|this)\s+(?:fiscal\s+)?quarter", s):
        return _quarter(*_current_quarter(ref))
    if re.fullmatch(r"(?:the\s+)?(?:next|coming|following)\s+quarter", s):
        y, q = _current_quarter(ref)
        return _quarter(y + (q == 4), q % 4 + 1)
    if re.fullmatch(r"(?:the\s+)?(?:\d{4}) quarter", s):
        y, q = _ctx_quarter(context or "", ref)
        return _quarter(int(s[-12:-8]) if False else int(re.search(r"\d{4}", s).group(0)), q)
    if re.fullmatch(r"(?:the\s+)?(?:year-ago|year-earlier|year ago|comparable year-ago|comparable year-earlier|"
                    r"comparable|corresponding|same)\s*(?:quarter|period)?|(?:the\s+)?(?:quarter|period) a year "
                    r"(?:ago|earlier)|(?:the\s+)?corresponding period (?:of\s+)?last year|last year's (?:quarter|period)"
                    r"|(?:the\s+)?year-(?:ago|earlier)", s):
        if (_RE_QCTX.search(context or "") or re.search(r"quarter|period", s)) and not (
                _RE_YTD.search(context or "") and not re.search(r"quarter", s)):
            y, q = _ctx_quarter(context or "", ref)
            return _quarter(y - 1, q)
        return _year(ref.year - 1)
    if re.fullmatch(r"an? (?:year|twelve months|12 months) (?:ago|earlier|before)", s):
        if _RE_FINCTX.search(context or "") and not _RE_YTD.search(context or ""):
            y, q = _ctx_quarter(context or "", ref)
            return _quarter(y - 1, q)
        return _year(ref.year - 1)

    m = re.fullmatch(r"(?:(?:later|earlier)\s+(?:in\s+)?)?(that|the same|the following|the next|the previous|the "
                     r"preceding)\s+year", s)
    if m:
        i = (context or "").find(raw)
        years = re.findall(r"(?<![\d$,.])(1[5-9]\d\d|20\d\d)(?![\d%]|,\d)", (context or "")[:i] if i >= 0 else "")
        if years:
            y = int(years[-1])
        elif m.group(1) in ("that", "the same"):
            y = ref.year
        else:
            return None
        return _year(y + {"the following": 1, "the next": 1, "the previous": -1, "the preceding": -1}.get(m.group(1), 0))
    if re.fullmatch(r"(?:the\s+)?(?:latest|last|previous|most recent|prior)\s+(?:full\s+)?(?:fiscal|financial)\s+year", s):
        return _year(ref.year - 1)
    return _NEXT


def _rule_relative_days(s: str, raw: str, ref: dt.date | None, context: str, tense: str):
    """Days relative to ref."""
    m = re.fullmatch(r"(?:(early|late|earlier|later)\s+)?(today|yesterday|tomorrow|tonight)(?:\s+(morning|afternoon|evening|night))?",
                     s)
    if m:
        base = ref + dt.timedelta(days={"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}[m.group(2)])
        if m.group(2) == "tonight":
            return _time(base, "NI")
        if m.group(3):
            return _time(base, _PARTS[m.group(3)])
        return _day(base)
    m = re.fullmatch(r"(?:(early|late|earlier|later)\s+)?(?:this\s+)?(morning|afternoon|evening|mid-?afternoon|"
                     r"mid afternoon|mid-?morning)", s)
    if m and (s.startswith("this") or m.group(1) or "mid" in s):
        return _time(ref, _PARTS[m.group(2)])
    if s in ("last night", "overnight"):
        return _time(ref - dt.timedelta(days=1), "NI")
    m = re.fullmatch(r"(?:the\s+)?(next|following|previous) (day|morning|evening|night)", s)
    if m:
        return None  # anchored to another event, not to the reference date
    m = re.fullmatch(rf"(?:(early|late|earlier|later)\s+)?(?:(this|last|next|the previous|the following|this coming|past)\s+)?"
                     rf"({_WD})(?:'s)?(?:\s+({_PART}))?", s)
    if m:
        wd = WEEKDAYS[m.group(3).rstrip(".")]
        d = _resolve_weekday(ref, wd, tense, m.group(2) or "")
        if m.group(4):
            return _time(d, _PARTS[m.group(4)])
        return _day(d)
    return _NEXT


def _rule_units_ago(s: str, raw: str, ref: dt.date | None, context: str, tense: str):
    """N units ago / later."""
    m = re.fullmatch(rf"(?:(?:almost|nearly|about|some|around|roughly|more than|less than|over|just over|just under)\s+)?"
                     rf"({_NUMW})[\s-]+({_UNIT})s?\s+(ago|earlier|before|later|from now|hence)", s)
    if m:
        n = _num(m.group(1))
        unit = m.group(2)
        sign = 1 if m.group(3) in ("later", "from now", "hence") else -1
        if n is None:
            return _ref("PAST_REF" if sign < 0 else "FUTURE_REF")
        if unit == "day":
            return _day(ref + dt.timedelta(days=sign * n))
        if unit in ("week", "fortnight"):
            return _week_of(ref + dt.timedelta(days=sign * 7 * n * (2 if unit == "fortnight" else 1)))
        if unit == "month":
            return _month(*_add_months(ref.year, ref.month, sign * n))
        if unit == "quarter":
            y, q = _current_quarter(ref)
            t = y * 4 + q - 1 + sign * n
            return _quarter(t // 4, t % 4 + 1)
        if unit == "year":
            return _year(ref.year + sign * n)
        if unit == "decade":
            return _year(ref.year + sign * 10 * n)
        return None
    return _NEXT


def _rule_this_last_next(s: str, raw: str, ref: dt.date | None, context: str, tense: str):
    """This/last/next week, month, year, ...."""
    m = re.fullmatch(r"(?:(early|late|earlier|later)\s+(?:in\s+)?)?(?:the\s+)?(?:(end|beginning|start|middle)\s+of\s+(?:the\s+)?)?"
                     r"(this|last|next|past|previous|current|coming|following|same|that)\s+"
                     rf"(week|weekend|month|year|quarter|decade|century|{_SEASON})", s)
    if not m:
        m = re.fullmatch(r"(earlier|later)\s+(?:in\s+)?()(this|that|the|last|next)\s+(week|month|year|decade)", s)
    if m:
        which, unit = m.group(3), m.group(4)
        k = {"this": 0, "current": 0, "same": 0, "that": 0, "the": 0, "last": -1, "past": -1, "previous": -1,
             "next": 1, "coming": 1, "following": 1}[which]
        if which in ("past", "coming") and unit in ("week", "month", "year", "decade", "century"):
            return _dur(f"P1{UNIT_CODE[unit][-1] if unit != 'decade' else 'DE'}")
        if unit == "week":
            return _week_of(ref + dt.timedelta(days=7 * k))
        if unit == "weekend":
            d = ref + dt.timedelta(days=7 * k)
            return _weekend_of(d)
        if unit == "month":
            y, mo = _add_months(ref.year, ref.month, k)
            r = _month(y, mo)
            if k == 0 and m.group(1) == "earlier":
                return _mk(r[0], "DATE", "month", r[3], ref)
            return r
        if unit == "year":
            return _year(ref.year + k)
        if unit == "quarter":
            y, q = _current_quarter(ref)
            t = y * 4 + q - 1 + k
            return _quarter(t // 4, t % 4 + 1)
        if unit == "decade":
            return _decade((ref.year // 10 + k) * 10)
        if unit == "century":
            return _century(ref.year // 100 + k)
        code = SEASONS[unit]
        return _season(_season_year(ref, code, {"last": "last", "past": "last", "previous": "last", "next": "next",
                                                "coming": "next", "following": "next"}.get(which, "this"), tense), code)
    m = re.fullmatch(rf"(?:the\s+)?(?:(?:early|late|mid|middle)[\s-]+(?:of\s+)?)?(?:(this|last|next|past|coming)\s+)?"
                     rf"(?:(?:early|late)\s+)?({_SEASON})(?:\s+(?:of\s+)?(\d{{4}}))?", s)
    if m:
        code = SEASONS[m.group(2)]
        if m.group(3):
            return _season(int(m.group(3)), code)
        which = {"past": "last", "coming": "next"}.get(m.group(1) or "", m.group(1) or "")
        return _season(_season_year(ref, code, which, tense), code)
    return _NEXT


def _rule_generic_periods(s: str, raw: str, ref: dt.date | None, context: str, tense: str):
    """Generic periods."""
    if re.fullmatch(r"(?:the\s+)?(?:current|present|full|whole|entire)?\s*(?:fiscal\s+|calendar\s+)?year|"
                    r"(?:the\s+)?(?:current|present)\s+(?:fiscal\s+)?year", s):
        return _year(ref.year)
    if re.fullmatch(r"(?:around\s+)?(?:the\s+)?(?:year[- ]end|year's end|end of the year|end of this year)", s):
        return _year(ref.year)
    if re.fullmatch(r"(?:the\s+)?(?:end|beginning|start|middle) of the month|(?:the\s+)?month", s):
        return _month(ref.year, ref.month)
    if re.fullmatch(r"(?:the\s+)?(?:end|beginning|start|middle) of the week|(?:the\s+)?week", s):
        return _week_of(ref)
    if re.fullmatch(r"(?:the\s+)?weekend", s):
        # the weekend just past, or the coming one in future context
        back = (ref.weekday() - 5) % 7 if ref.weekday() != 6 else 0
        d = ref - dt.timedelta(days=back) if tense != "future" else ref + dt.timedelta(days=(5 - ref.weekday()) % 7)
        return _weekend_of(d)
    return _NEXT


def _rule_holidays(s: str, raw: str, ref: dt.date | None, context: str, tense: str):
    """Holidays."""
    hol = re.sub(r"^(?:last|next|this)\s+", "", s)
    which = s.split()[0] if s.split()[0] in ("last", "next", "this") else ""
    t = "past" if which == "last" else "future" if which == "next" else tense
    if hol in HOLIDAYS_FIXED:
        mo, da = HOLIDAYS_FIXED[hol]
        d = _resolve_md(ref, mo, da, t)
        return _day(d) if d else None
    if hol in ("thanksgiving", "thanksgiving day", "election day", "labor day", "memorial day"):
        def _hd(y):
            if hol.startswith("thanksgiving"):
                d0 = dt.date(y, 11, 1)
                return d0 + dt.timedelta(days=(3 - d0.weekday()) % 7 + 21)
            if hol == "election day":
                d0 = dt.date(y, 11, 2)
                return d0 + dt.timedelta(days=(1 - d0.weekday()) % 7)
            if hol == "labor day":
                d0 = dt.date(y, 9, 1)
                return d0 + dt.timedelta(days=(0 - d0.weekday()) % 7)
            d0 = dt.date(y, 5, 31)
            return d0 - dt.timedelta(days=d0.weekday())
        cands = [_hd(ref.year + k) for k in (-1, 0, 1)]
        if t == "future":
            d = min(x for x in cands if x >= ref)
        elif t == "past":
            d = max(x for x in cands if x <= ref)
        else:
            d = min(cands, key=lambda x: abs((x - ref).days))
        return _day(d)

    r = _interpret_refs(s)
    if r:
        return r
    return _NEXT


def _rule_durations(s: str, raw: str, ref: dt.date | None, context: str, tense: str):
    """Durations (best effort)."""
    m = re.fullmatch(rf"(?:(?:the|these|those)\s+)?(?:(past|last|next|coming|previous|following|first|final|recent)\s+)?"
                     rf"(?:(?:almost|nearly|about|some|around|roughly|more than|less than|over|just over|just under)\s+)?"
                     rf"(?:({_NUMW})[\s-]+)?(?:and a half\s+)?({_UNIT})s?", s)
    if m and (m.group(1) or m.group(2)):
        n = _num(m.group(2)) if m.group(2) else 1
        code = UNIT_CODE[m.group(3)]
        if code.startswith("T"):
            return _dur(f"PT{n if n is not None else 'X'}{code[1:]}")
        return _dur(f"P{n if n is not None else 'X'}{code}")
    m = re.fullmatch(rf"({_UNIT})s", s)
    if m:
        code = UNIT_CODE[m.group(1)]
        return _dur(f"PTX{code[1:]}" if code.startswith("T") else f"PX{code}")
    return _NEXT


DATE_RULES = (
    ("numeric", _rule_numeric),
    ("clock", _rule_clock),
    ("month_day", _rule_month_day),
    ("month", _rule_month),
    ("years", _rule_years),
    ("quarters", _rule_quarters),
    ("financial", _rule_financial),
    ("relative_days", _rule_relative_days),
    ("units_ago", _rule_units_ago),
    ("this_last_next", _rule_this_last_next),
    ("generic_periods", _rule_generic_periods),
    ("holidays", _rule_holidays),
    ("durations", _rule_durations),
)


def _interpret(expr: str, ref: dt.date | None, context: str):
    raw = _RE_WS.sub(" ", expr.strip())
    s = raw.lower().strip(" ,;:")
    s = re.sub(r"\.$", "", s) if not re.search(r"\b(?:[ap]\.m|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.$", s) else s
    s = re.sub(r"'s$", "", s)
    s = re.sub(r"^(?:in|on|at|since|until|by|before|after|during|of|from|to|through|around|about)\s+(?=\S)", "", s)
    tense = _tense(raw, context)
    if not s:
        return None
    if re.search(r"nineteen|two thousand|twenty[\s-]", s):
        s = _RE_SPOKEN_YEAR.sub(lambda m: str(_spoken_year(m.group(0)) or m.group(0)), s)

    for _name, rule in DATE_RULES:
        reading = rule(s, raw, ref, context, tense)
        if reading is not _NEXT:
            return reading
    return None


_REFS = [
    (re.compile(r"(?:right now|now|currently|at present|presently|these days|nowadays|at the moment|current|"
                r"the present|present|at this time|this time|so far|to date|yet|already|still|today's)"), "PRESENT_REF"),
    (re.compile(r"(?:recently|more recently|most recently|lately|recent|in recent (?:years|months|weeks|days)|"
                r"recent (?:years|months|weeks|days|decades)|the past|in the past|previously|formerly|once|earlier|"
                r"before|then|at the time|the time|in years past|past years|several years ago|years ago|"
                r"long ago|some time ago|a while ago|the last few (?:years|months|weeks|days)|"
                r"the past (?:several|few) (?:years|months|weeks|days|quarters)|in the old days)"), "PAST_REF"),
    (re.compile(r"(?:the future|the near future|the distant future|future|the near term|the short term|the long term|"
                r"soon|shortly|one day|someday|some day|a later date|later|eventually|in the coming (?:years|months|"
                r"weeks|days)|coming (?:years|months|weeks|days|quarters)|future (?:years|months|quarters)|"
                r"the (?:years|months|weeks|days) ahead|as soon as possible)"), "FUTURE_REF"),
]
_SETS = {"daily": "P1D", "every day": "P1D", "each day": "P1D", "weekly": "P1W", "every week": "P1W",
         "each week": "P1W", "monthly": "P1M", "every month": "P1M", "each month": "P1M", "annually": "P1Y",
         "yearly": "P1Y", "every year": "P1Y", "each year": "P1Y"}


def _interpret_refs(s: str):
    if s in _SETS:
        return _mk(_SETS[s], "SET", None)
    for rx, kind in _REFS:
        if rx.fullmatch(s):
            return _ref(kind)
    return None


# -------------------------------------------------------------------------- public

def normalise(expr: str, ref: dt.date | None, context: str = "") -> Timex | None:
    """Normalise one temporal expression (its span given) against ``ref``.

    ``context`` is the surrounding sentence, used for tense cues.  Returns None when the
    expression is not understood."""
    if not expr or not expr.strip():
        return None
    if isinstance(ref, dt.datetime):
        ref = ref.date()
    r = _interpret(expr, ref, context or "")
    if r is None:
        # a longer span (e.g. "the end of the day Friday"): try the best sub-expression
        found = [t for t in _find_raw(expr) if t[1] - t[0] < len(expr.strip())]
        best = None
        for a, b in found:
            sub = _interpret(expr[a:b], ref, context or expr)
            if sub and (best is None or b - a > best[0]):
                best = (b - a, sub)
        if best is None:
            return None
        r = best[1]
    value, typ, gran, rs, re_ = r
    return Timex(0, len(expr), expr, value, typ, gran, rs, re_)


def _find_raw(text: str) -> list[tuple[int, int]]:
    cands = []
    low = text.lower()
    every = not FOLDS_TO_ASCII.isdisjoint(text)
    for rx, need in zip(_REC, _needs()):
        if not every and not _may_match(need, low, text):
            continue      # a text without what every match of rx contains: nothing to find
        for m in rx.finditer(text):
            a, b = m.span()
            # trim leading prepositions that only anchor the pattern
            mm = re.match(r"(?i:(?:in|on|at|since|until|by|before|after|during|of|from|to|through|around|about)\s+)",
                          text[a:b])
            if mm and a + mm.end() < b:
                a += mm.end()
            while b > a and text[b - 1] in " ,;:":
                b -= 1
            if b > a:
                cands.append((a, b))
    cands.sort(key=lambda x: (-(x[1] - x[0]), x[0]))
    chosen: list[tuple[int, int]] = []
    for a, b in cands:
        if all(b <= c or a >= d for c, d in chosen):
            chosen.append((a, b))
    chosen.sort()
    return chosen


_RE_SENT = re.compile(r"(?<=[.!?])[\"'’”]?\s+(?=[\"'“‘`(]*[A-Z])|\n\s*\n")
_RE_MONTH_PREP = re.compile(r"\b(?:in|since|until|by|during|through|from|of|to|before|after|early|late|mid|"
                            r"last|next|this|between|and)[\s-]+$", re.I)
_RE_MODAL_AFTER = re.compile(r"\s+(?:be|have|not|also|well|yet|never|still|soon|\w+ly)\b", re.I)
_AMBIG_ALONE = re.compile(r"(?i:may|march|once|before|then|earlier|later|still|yet|already|present|current|future|"
                          r"second|sun\.|sat\.|wed\.|mar\.)")


def _sentence_bounds(text: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for m in _RE_SENT.finditer(text):
        out.append((start, m.start()))
        start = m.end()
    out.append((start, len(text)))
    return out


def find_timexes(text: str, ref: dt.date | None) -> list[Timex]:
    """Recognise and normalise the temporal expressions in ``text`` (non-overlapping, sorted)."""
    if isinstance(ref, dt.datetime):
        ref = ref.date()
    sents = _sentence_bounds(text)
    out: list[Timex] = []
    si = 0
    for a, b in _find_raw(text):
        span = text[a:b]
        if _AMBIG_ALONE.fullmatch(span):
            if not (span in ("May", "March") and _RE_MONTH_PREP.search(text, 0, a)
                    and not _RE_MODAL_AFTER.match(text, b)):
                continue  # too ambiguous on their own ("May", "once", "later", ...)
        if span in ("Sun", "Sat", "Wed") or (span.lower() == "march" and span != "March"):
            continue
        while si + 1 < len(sents) and sents[si][1] <= a:
            si += 1
        s0, s1 = sents[si]
        ctx = text[s0:max(s1, b)]
        r = _interpret(span, ref, ctx)
        if r is None:
            continue
        value, typ, gran, rs, re_ = r
        out.append(Timex(a, b, span, value, typ, gran, rs, re_))
    return out
