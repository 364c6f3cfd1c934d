"""Unit tests for wirecoder.dates (invented sentences only)."""

import datetime as dt

import pytest

from wirecoder.dates import Timex, find_timexes, normalise

REF = dt.date(2021, 2, 26)  # a Friday
D = dt.date


def values(text, ref=REF):
    return [(t.text, t.value) for t in find_timexes(text, ref)]


def one(text, ref=REF):
    found = find_timexes(text, ref)
    assert len(found) == 1, found
    return found[0]


# ------------------------------------------------------------------ required cases

def test_last_week_is_previous_iso_week():
    t = one("Protesters blocked the road last week, residents said.")
    assert t.value == "2021-W07"
    assert (t.range_start, t.range_end) == (D(2021, 2, 15), D(2021, 2, 21))
    assert t.granularity == "week"


def test_day_month_without_year():
    t = one("The clashes began on 15 February in the north.")
    assert t.text == "15 February"
    assert t.value == "2021-02-15"
    assert (t.range_start, t.range_end) == (D(2021, 2, 15), D(2021, 2, 15))


def test_earlier_this_month_runs_to_ref():
    t = one("Earlier this month the governor imposed a curfew.")
    assert t.value == "2021-02"
    assert (t.range_start, t.range_end) == (D(2021, 2, 1), D(2021, 2, 26))


def test_on_thursday_past():
    t = one("Police fired tear gas on Thursday, witnesses said.")
    assert t.value == "2021-02-25"
    assert t.range_start == t.range_end == D(2021, 2, 25)


def test_photo_code_is_not_a_date():
    assert find_timexes("180217", REF) == []
    assert find_timexes("Photo 180217 by staff; file 20210215_0012.jpg", REF) == []


# ------------------------------------------------------------------ explicit dates

@pytest.mark.parametrize("text,value", [
    ("The ceasefire was signed on February 15.", "2021-02-15"),
    ("The ceasefire was signed on Feb. 15, 2020.", "2020-02-15"),
    ("The ceasefire was signed on 3 March 2019.", "2019-03-03"),
    ("The report is dated 2021-02-15.", "2021-02-15"),
    ("The report is dated 25/01/2021.", "2021-01-25"),
    ("The report is dated 01/25/2021.", "2021-01-25"),
    ("Troops arrived on Monday, Feb. 22.", "2021-02-22"),
])
def test_explicit_dates(text, value):
    assert one(text).value == value


def test_ambiguous_numeric_date_skipped():
    assert find_timexes("The form was dated 03/04/2021.", REF) == []


def test_numbers_are_not_dates():
    assert find_timexes("About 3,500 people and 2,021 soldiers marched; call 555-2021.", REF) == []
    assert find_timexes("Shares rose 1.12 to 45.50.", REF) == []


def test_day_month_in_previous_year():
    # 20 December, written in late February, is last December
    assert one("The militia seized the town on 20 December.").value == "2020-12-20"


def test_day_month_future_context():
    assert one("Elections will be held on 20 December.").value == "2021-12-20"
    assert one("The vote is scheduled for March 3.").value == "2021-03-03"


# ------------------------------------------------------------------ relative days

@pytest.mark.parametrize("text,value,typ", [
    ("The strike ended today.", "2021-02-26", "DATE"),
    ("The strike ended yesterday.", "2021-02-25", "DATE"),
    ("The strike will end tomorrow.", "2021-02-27", "DATE"),
    ("Rockets hit the city overnight.", "2021-02-25TNI", "TIME"),
    ("Rockets hit the city last night.", "2021-02-25TNI", "TIME"),
    ("Leaders will meet tonight.", "2021-02-26TNI", "TIME"),
])
def test_relative_days(text, value, typ):
    t = one(text)
    assert (t.value, t.type) == (value, typ)


def test_weekdays():
    assert one("Talks resumed on Monday.").value == "2021-02-22"
    assert one("Talks will resume on Monday.").value == "2021-03-01"
    assert one("Talks resumed on Friday.").value == "2021-02-26"  # the reference day itself
    assert one("The talks collapsed last Friday.").value == "2021-02-19"
    assert one("The talks will resume next Tuesday.").value == "2021-03-02"


def test_time_of_day():
    t = one("The blast happened at 10:35 a.m. Thursday.")
    assert t.value == "2021-02-25T10:35" and t.type == "TIME"


# ------------------------------------------------------------------ weeks, months, years

def test_this_and_next_week():
    t = one("Parliament debates the bill this week.")
    assert t.value == "2021-W08" and t.range_start == D(2021, 2, 22) and t.range_end == D(2021, 2, 28)
    assert one("Parliament will debate the bill next week.").value == "2021-W09"


@pytest.mark.parametrize("text,value,gran", [
    ("Prices rose this month.", "2021-02", "month"),
    ("Prices rose last month.", "2021-01", "month"),
    ("Prices rose last year.", "2020", "year"),
    ("Prices rose this year.", "2021", "year"),
    ("Prices will rise next year.", "2022", "year"),
    ("The dam was finished in 2019.", "2019", "year"),
    ("The war broke out in May.", "2020-05", "month"),
    ("The war broke out in January.", "2021-01", "month"),
    ("The war broke out last May.", "2020-05", "month"),
    ("Elections are due next May.", "2021-05", "month"),
    ("Fighting flared in early December.", "2020-12", "month"),
    ("Fighting flared in late January.", "2021-01", "month"),
    ("Growth slowed in mid-2020.", "2020", "year"),
])
def test_months_and_years(text, value, gran):
    t = one(text)
    assert (t.value, t.granularity) == (value, gran)


def test_month_range():
    t = one("Prices rose last month.")
    assert (t.range_start, t.range_end) == (D(2021, 1, 1), D(2021, 1, 31))


def test_seasons_quarters_decades():
    t = one("The drought began last summer.")
    assert t.value == "2020-SU" and t.granularity == "season"
    assert one("Output fell in the third quarter.").value == "2020-Q3"
    assert one("Output fell in the first quarter of 2019.").value == "2019-Q1"
    t = one("The conflict dates back to the 1990s.")
    assert t.value == "199X" and t.granularity == "decade"
    assert (t.range_start, t.range_end) == (D(1990, 1, 1), D(1999, 12, 31))


@pytest.mark.parametrize("text,value", [
    ("The camp was set up two days ago.", "2021-02-24"),
    ("The camp was set up three weeks ago.", "2021-W05"),
    ("The camp was set up six months ago.", "2020-08"),
    ("The camp was set up 10 years ago.", "2011"),
])
def test_ago(text, value):
    assert one(text).value == value


def test_document_refs():
    assert one("Hundreds are now displaced.").value == "PRESENT_REF"
    assert one("The group has recently expanded.").value == "PAST_REF"
    assert one("Aid is currently blocked.").value == "PRESENT_REF"


def test_durations():
    t = one("The siege lasted three years.")
    assert (t.type, t.value) == ("DURATION", "P3Y")
    t = one("Clashes continued for the past two weeks.")
    assert (t.type, t.value) == ("DURATION", "P2W")


# ------------------------------------------------------------------ normalise()

def test_normalise_with_context():
    t = normalise("Thursday", REF, context="The minister will visit on Thursday.")
    assert isinstance(t, Timex) and t.value == "2021-03-04"
    t = normalise("Thursday", REF, context="The minister visited on Thursday.")
    assert t.value == "2021-02-25"
    assert normalise("15 February", REF).value == "2021-02-15"
    assert normalise("the 1990s", REF).value == "199X"
    assert normalise("nonsense words", REF) is None


def test_financial_year_ago():
    t = normalise("a year earlier", dt.date(2021, 10, 28),
                  context="Net income rose to $5 million in the third quarter from $3 million a year earlier.")
    assert t.value == "2020-Q3"
    assert normalise("a year ago", REF, context="He moved to the capital a year ago.").value == "2020"


def test_no_ref_explicit_only():
    assert normalise("Feb. 15, 2021", None).value == "2021-02-15"
    assert [t.value for t in find_timexes("It opened on 3 March 2019.", None)] == ["2019-03-03"]


def test_sorted_non_overlapping():
    text = "On Monday, Feb. 22, and again yesterday, police raided the camp set up in 2019."
    found = find_timexes(text, REF)
    assert [t.value for t in found] == ["2021-02-22", "2021-02-25", "2019"]
    for a, b in zip(found, found[1:]):
        assert a.end <= b.start
    for t in found:
        assert text[t.start:t.end] == t.text


def test_letters_that_match_ascii_under_ignorecase_yet_lower_case_apart():
    """The date patterns skip a text without what every match needs, compared lower-cased;
    the letters for which that comparison would be wrong are exactly the ones listed."""
    import re as _re

    from wirecoder.dates import FOLDS_TO_ASCII

    every = "".join(chr(c) for c in range(0x80, 0x110000) if not 0xD800 <= c < 0xE000)
    odd = {c for c in _re.findall(r"(?i)[a-z]", every)}
    assert odd == set(FOLDS_TO_ASCII)


def test_skipping_patterns_finds_what_scanning_with_every_pattern_finds(monkeypatch):
    import json as _json
    import random
    from pathlib import Path as _Path

    from wirecoder import dates

    rows = (_Path(__file__).resolve().parent.parent / "samples" / "sample-articles.jsonl").read_text().splitlines()
    texts = [p for r in rows for p in _json.loads(r)["text"].split("\n") if p.strip()]
    rng = random.Random(3)
    alphabet = list("0123456789 :./-aAmMpPdDyYsSıİſ\u212a") + [
        "Monday", "March", "ago", "days", "Christmas", "MONDAY", "mıdnight", "ſpring", "20", "1999", "'90s", " on "]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12))) for _ in range(3000)]
    texts += ["It happened on MONDAY, MARCH 3.", "at 10:30 a.m. on Tuesday", "in the 1990s", "two days ago"]
    skipping = [dates._find_raw(t) for t in texts]
    assert sum(map(bool, skipping)) > 100
    monkeypatch.setattr(dates, "_needs", lambda: (None,) * len(dates._REC))
    assert [dates._find_raw(t) for t in texts] == skipping
