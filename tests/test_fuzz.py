"""Fuzzing the readers and the pipeline (Hypothesis, pinned in pyproject.toml): random
text, random bytes and random JSONL records, under every input format, give Articles or
documented per-record Skips, never an exception; the pipeline codes every Article the
readers give (or refuses it with the documented LimitError)."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wirecoder.limits import LimitError
from wirecoder.readers import Article, Options, Skip, read_bytes
from wirecoder.readers.base import InputError

NAMES = ["a.txt", "a.html", "a.jsonl", "a.csv", "a.rss", "a.atom", "a.xml", "a.warc", "a.json", "a.tsv", "a.gz",
         "a.zip", "a.warc.gz", "noext"]
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
NEWS = st.sampled_from([
    "Gunmen killed five villagers near Maiduguri on Tuesday, a local official said.",
    "Police arrested 12 protesters in Nairobi on Monday.",
    "<p>Troops clashed with rebels near Goma.</p>", "Fri, 26 Feb 2021 10:00:00 GMT", "2021-02-26",
    "\r\n", "\ufeff", "<item>", "</item>", "<rss>", "<?xml version='1.0'?>", "WARC/1.0\r\n", "{", "}", '"', ",",
    "<title>", "<nav>", "&amp;", "\x00", "\ud800",
])
TEXT = st.lists(st.one_of(st.text(max_size=40), NEWS), max_size=12).map("".join)


def drain(name: str, data: bytes) -> list:
    out = list(read_bytes(name, data, Options()))
    assert all(isinstance(x, (Article, Skip)) for x in out)
    for x in out:
        if isinstance(x, Skip):
            assert x.where.startswith(name) and x.reason and x.kind
    return out


@FUZZ
@given(name=st.sampled_from(NAMES), text=TEXT)
def test_random_text_in_every_format(name, text):
    drain(name, text.encode("utf-8", "surrogatepass"))


@FUZZ
@given(name=st.sampled_from(NAMES), data=st.binary(max_size=600))
def test_random_bytes_in_every_format(name, data):
    drain(name, data)


JSON_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30) | NEWS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12)
RECORD = st.fixed_dictionaries({}, optional={
    "id": JSON_VALUE, "text": st.one_of(NEWS, JSON_VALUE), "title": JSON_VALUE, "source": JSON_VALUE,
    "published": st.one_of(JSON_VALUE, st.sampled_from(["2024-05-01", "9999-12-31", "December 17, 2016", 1482192000])),
    "url": JSON_VALUE, "cluster": JSON_VALUE})


@FUZZ
@given(records=st.lists(RECORD, min_size=1, max_size=6))
def test_random_jsonl_records(records):
    data = "\n".join(json.dumps(r) for r in records).encode()
    out = drain("r.jsonl", data)
    assert len(out) == sum(1 for r in records)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(records=st.lists(RECORD, min_size=1, max_size=3), text=TEXT)
def test_pipeline_on_whatever_the_readers_give(pipeline, records, text):
    items = drain("r.jsonl", "\n".join(json.dumps(r) for r in records).encode())
    items += drain("t.txt", text.encode("utf-8", "surrogatepass"))
    for a in items:
        if isinstance(a, Article):
            try:
                pipeline.extract(a)
            except LimitError:
                pass


def test_documented_errors_only():
    """The reader-level exceptions that may escape a reader's own helpers are these."""
    assert issubclass(InputError, Exception) and issubclass(LimitError, ValueError)
    with pytest.raises(InputError):
        from wirecoder.readers.base import make_article

        make_article("   ", "x", Options())
