"""Readers: one Article shape from every format, metadata taken from the input, and one
bad record reported (file + line/record + reason) without losing the rest."""

import datetime as dt
import json

import pytest
from readers_fixtures import (ATOM, CSV_ODD, FIELDS_ODD, HTML_PAGE, JSONL_ODD, P1, RSS, WARC_PAGES, csv_text, gz,
                              jsonl, write_warc, zipped)

from wirecoder.readers import Options, Skip, parse_fields, read_paths
from wirecoder.readers.dates import DateError, parse_any, parse_strict

assert CSV_ODD  # (placeholder kept in the fixtures module)


def read(*paths, **kw):
    items = list(read_paths([str(p) for p in paths], Options(**kw)))
    return [i for i in items if not isinstance(i, Skip)], [i for i in items if isinstance(i, Skip)]


# ------------------------------------------------------------------ HTML

def test_html_page_main_text_and_metadata(tmp_path):
    p = tmp_path / "goma.html"
    p.write_text(HTML_PAGE, encoding="utf-8")
    (a,), skips = read(p)
    assert not skips
    assert a.title == "Troops clash with rebels near Goma"
    assert a.source == "Kivu Times"                                   # og:site_name
    assert a.url == "https://kivutimes.example/2024/05/02/goma-clash"  # canonical
    assert a.published == dt.date(2024, 5, 2)                          # article:published_time, its own day
    assert P1 in a.text
    for junk in ("Home", "Sport", "Football results", "Copyright", "Subscribe", "font-family", "Photo: Kivu"):
        assert junk not in a.text, junk


@pytest.mark.parametrize("markup,expect", [
    ("<html><head><title>Only a title</title></head><body></body></html>", None),
    ("<html><head><script>var x = 1;</script></head><body><div></div></body></html>", None),
    (f"<html><head><title>Unclosed title<body><p>{P1}</p></body></html>", P1),
    (f"<html><body><nav><a href='/'>Home</a><p>{P1}</p></body></html>", P1),
])
def test_broken_html(tmp_path, markup, expect):
    p = tmp_path / "page.html"
    p.write_text(markup, encoding="utf-8")
    arts, skips = read(p)
    if expect is None:
        assert not arts and len(skips) == 1
        assert skips[0].where == str(p) and "no text in HTML page" in skips[0].reason and skips[0].kind == "no text"
    else:
        assert not skips and expect in arts[0].text


# ------------------------------------------------------------------ feeds

def test_rss_items_with_full_content_and_one_bad_date(tmp_path):
    p = tmp_path / "sahel.rss"
    p.write_text(RSS, encoding="utf-8")
    arts, skips = read(p)
    assert [a.url for a in arts] == ["https://sahelwire.example/a1", "https://sahelwire.example/a3"]
    assert arts[0].published == dt.date(2021, 2, 26) and arts[0].source == "Sahel Wire"
    assert arts[0].title == "Gunmen kidnap priest in Kaduna"
    assert "Police fired tear gas" in arts[1].text and "<p>" not in arts[1].text   # content:encoded, not the teaser
    assert arts[1].published == dt.date(2021, 2, 27)
    assert [(s.where, s.kind) for s in skips] == [(f"{p}#item2", "bad date"), (f"{p}#item4", "no text")]
    assert "year 0000" in skips[0].reason           # not silently read as 2000


def test_atom_feed(tmp_path):
    p = tmp_path / "andes.atom"
    p.write_text(ATOM, encoding="utf-8")
    arts, skips = read(p)
    assert not skips
    assert [(a.url, a.published, a.source) for a in arts] == [
        ("https://andes.example/1", dt.date(2024, 6, 8), "Andes Daily"),
        ("https://andes.example/2", dt.date(2024, 6, 9), "Andes Daily")]
    assert arts[0].text.startswith("Hundreds of students") and "<p>" not in arts[0].text


def test_malformed_xml(tmp_path):
    bad = tmp_path / "bad.xml"
    bad.write_text("<<<not xml at all>>> &&&", encoding="utf-8")
    half = tmp_path / "half.rss"
    half.write_text(RSS[: RSS.index("<item><title>Full content")], encoding="utf-8")   # cut mid-feed
    arts, skips = read(bad, half)
    assert skips[0].where == str(bad) and skips[0].kind == "malformed XML"
    assert [a.url for a in arts] == ["https://sahelwire.example/a1"]     # what could be read is kept
    assert any(s.where == str(half) and "malformed XML" in s.reason for s in skips)


# ------------------------------------------------------------------ WARC

@pytest.mark.parametrize("compressed", [False, True])
def test_warc_html_responses(tmp_path, compressed):
    p = tmp_path / ("crawl.warc.gz" if compressed else "crawl.warc")
    write_warc(p, WARC_PAGES, gz=compressed)
    arts, skips = read(p)
    assert not skips
    assert [a.url for a in arts] == ["https://news.example/goma", "https://news.example/kano"]
    assert arts[0].published == dt.date(2024, 5, 3)      # no date in the page: the capture date
    assert arts[1].published == dt.date(2021, 2, 24)      # the page's own date wins
    assert P1 in arts[0].text and "Copyright" not in arts[0].text


@pytest.mark.parametrize("compressed", [False, True])
def test_truncated_warc(tmp_path, compressed):
    full = tmp_path / "full.warc"
    write_warc(full, WARC_PAGES, gz=compressed)
    data = full.read_bytes()
    p = tmp_path / ("cut.warc.gz" if compressed else "cut.warc")
    p.write_bytes(data[: len(data) * 2 // 3])
    arts, skips = read(p)
    assert [a.url for a in arts] == ["https://news.example/goma"]
    assert len(skips) == 1 and skips[0].kind == "broken WARC" and "truncated WARC record" in skips[0].reason
    assert skips[0].where.startswith(f"{p}#record")


# ------------------------------------------------------------------ JSONL and CSV

def test_jsonl_odd_field_names_and_dates(tmp_path):
    p = tmp_path / "odd.jsonl"
    p.write_text(jsonl(JSONL_ODD[:2] + ['{"body": "not closed', JSONL_ODD[2], "[1, 2]", JSONL_ODD[3]]),
                 encoding="utf-8")
    arts, skips = read(p, fields=parse_fields(FIELDS_ODD))
    assert [a.published for a in arts] == [dt.date(2016, 12, 17), dt.date(2016, 12, 18), dt.date(2016, 12, 20),
                                           dt.date(2016, 12, 20)]
    assert [a.external_id for a in arts] == ["7", "b", "c", "d"]
    assert arts[0].title == "Two arrested" and arts[0].source == "Rift Post"
    assert [(s.where, s.kind) for s in skips] == [(f"{p}:3", "malformed JSON"), (f"{p}:5", "bad record")]


def test_jsonl_without_field_option_says_which_field(tmp_path):
    p = tmp_path / "odd.jsonl"
    p.write_text(jsonl([{"story": "Police arrested two men."}]), encoding="utf-8")
    arts, skips = read(p)
    assert not arts and "no text field (text/body/content)" in skips[0].reason


def test_csv_odd_columns_missing_column_bad_rows(tmp_path):
    p = tmp_path / "odd.csv"
    p.write_text(csv_text(), encoding="utf-8", newline="")
    arts, skips = read(p, fields=parse_fields(["text=story", "date=pub", "id=uid", "source=outlet"]))
    assert [(a.external_id, a.published, a.source) for a in arts] == [
        ("1", dt.date(2016, 12, 17), "Rift Post"), ("2", dt.date(2016, 12, 18), "Kivu"),
        ("6", dt.date(2016, 12, 21), "Sahel Wire")]
    assert "\r" not in arts[1].text and "Goma on Sunday,\nthe army" in arts[1].text
    assert [(s.where, s.kind) for s in skips] == [(f"{p}:5", "missing column"), (f"{p}:6", "no text"),
                                                  (f"{p}:7", "bad date")]


def test_csv_without_text_column(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text("a,b\n1,2\n", encoding="utf-8")
    arts, skips = read(p)
    assert not arts and skips[0].kind == "missing column" and "--field text=COLUMN" in skips[0].reason


# ------------------------------------------------------------------ where inputs come from

def test_directories_globs_gz_zip(tmp_path):
    d = tmp_path / "in"
    (d / "sub").mkdir(parents=True)
    (d / "a.txt").write_text("Rebels attacked an army base near Goma on Sunday.", encoding="utf-8")
    (d / "sub" / "b.jsonl.gz").write_bytes(gz(jsonl(JSONL_ODD[:1]).encode()))
    (d / "sub" / ".hidden.txt").write_text("never read", encoding="utf-8")
    (d / "c.zip").write_bytes(zipped({"x/one.html": HTML_PAGE.encode(), "two.atom": ATOM.encode()}))
    (d / "broken.gz").write_bytes(gz(b"Police arrested a man in Lagos on Friday.")[:-12])
    arts, skips = read(d, fields=parse_fields(FIELDS_ODD))
    paths = [a.path for a in arts]
    assert paths == [f"{d}/a.txt", f"{d}/c.zip!two.atom#item1", f"{d}/c.zip!two.atom#item2",
                     f"{d}/c.zip!x/one.html", f"{d}/sub/b.jsonl.gz:1"]
    assert [s.kind for s in skips] == ["broken archive"] and skips[0].where == f"{d}/broken.gz"
    arts2, skips2 = read(f"{d}/**/*.gz", fields=parse_fields(FIELDS_ODD))
    assert [a.path for a in arts2] == [f"{d}/sub/b.jsonl.gz:1"] and len(skips2) == 1
    _, skips3 = read(f"{d}/*.nothing")
    assert skips3[0].kind == "missing file" and "no file matches" in skips3[0].reason


def test_stdin_and_summary_counts(tmp_path, cli):
    rows = [{"id": 1, "text": "Police arrested two men in Nairobi on Monday after a protest, a spokesman said.",
             "published": "2024-05-14"},
            "this line is not JSON",
            {"id": 2, "text": "Rebels attacked a village near Beni on Tuesday.", "published": "yesterday"},
            {"id": 3, "text": "La police a arrêté deux hommes lundi à Nairobi après une manifestation contre "
                              "la hausse des prix, a déclaré un porte-parole.", "published": "2024-05-14"},
            {"id": 4, "published": "2024-05-14"}]
    db = tmp_path / "w.db"
    r = cli("ingest", "-", "--db", db, "-q", input=jsonl(rows))
    assert r.returncode == 2, r.stderr
    assert "<stdin>:2: malformed JSON" in r.stderr
    assert "<stdin>:3: unparseable published date" in r.stderr
    assert "<stdin>:5: record has no text field" in r.stderr
    assert "1 article(s) stored" in r.stderr
    assert "3 skipped (" in r.stderr and "malformed JSON: 1" in r.stderr and "bad date: 1" in r.stderr
    assert "no text: 1" in r.stderr
    assert "1 not English (fr: 1)" in r.stderr


def test_progress_and_verbose(tmp_path, cli):
    p = tmp_path / "a.jsonl"
    p.write_text(jsonl(JSONL_ODD), encoding="utf-8")
    r = cli("extract", p, "--verbose", "--format", "csv", *sum((["--field", f] for f in FIELDS_ODD), []))
    assert r.returncode == 0, r.stderr
    assert f"{p}:1 (" in r.stderr and "event(s)" in r.stderr      # one log line per article with --verbose
    r = cli("extract", p, "--quiet", "--format", "csv", *sum((["--field", f] for f in FIELDS_ODD), []))
    assert r.returncode == 0 and r.stderr == ""


def test_field_option_errors(cli, tmp_path):
    p = tmp_path / "a.txt"
    p.write_text("Police arrested two men.", encoding="utf-8")
    r = cli("extract", p, "--field", "body")
    assert r.returncode == 2 and "expected NAME=COLUMN" in r.stderr
    r = cli("extract", p, "--field", "colour=red")
    assert r.returncode == 2 and "NAME must be one of" in r.stderr


# ------------------------------------------------------------------ dates

@pytest.mark.parametrize("value,day", [
    ("2021-02-26", dt.date(2021, 2, 26)),
    ("2021-02-26T23:30:00-05:00", dt.date(2021, 2, 26)),
    ("2021-02-26T10:00:00.123Z", dt.date(2021, 2, 26)),
    ("20210226", dt.date(2021, 2, 26)),
    ("Fri, 26 Feb 2021 10:00:00 GMT", dt.date(2021, 2, 26)),
    ("26 Feb 21 10:00 +0100", dt.date(2021, 2, 26)),
    ("December 17, 2016", dt.date(2016, 12, 17)),
    ("Dec. 17, 2016", dt.date(2016, 12, 17)),
    ("Tuesday, December 17, 2016 at 3:45 pm EST", dt.date(2016, 12, 17)),
    ("17 December 2016", dt.date(2016, 12, 17)),
    ("1482192000", dt.date(2016, 12, 20)),
    (1482192000, dt.date(2016, 12, 20)),
    (1482192000000, dt.date(2016, 12, 20)),
    ("12/26/2021", dt.date(2021, 12, 26)),
    ("26.12.2021", dt.date(2021, 12, 26)),
])
def test_dates_any_common_format(value, day):
    assert parse_any(value) == day


@pytest.mark.parametrize("value", ["2021-02-26garbage", "Fri, 26 Feb 0000 10:00:00 GMT", "9999-12-31", "0001-01-01",
                                   "yesterday", "2021-02-30", "03/04/2021", "", [2021], True, "1" * 5000])
def test_dates_refused(value):
    with pytest.raises(DateError):
        parse_any(value)


@pytest.mark.parametrize("value", ["2021-2-26", "2021-02-26T10:00", "26/02/2021", "9999-12-31", "0000-01-01"])
def test_cli_date_is_strict(value):
    with pytest.raises(DateError):
        parse_strict(value)
    assert parse_strict("2021-02-26") == dt.date(2021, 2, 26)


def test_json_loads_helper_never_raises_outside_valueerror():
    from wirecoder.readers.jsonl import _loads

    for bad in ["[" * 10000, '{"id": ' + "9" * 5000 + "}", "\ud800", "nan", '{"a": NaN}']:
        try:
            _loads(bad)
        except ValueError:
            pass
    assert json.loads('{"a": 1}') == _loads('{"a": 1}')


# ------------------------------------------------------------------ streaming (JSONL, CSV, WARC files)

def test_big_jsonl_is_streamed_and_a_huge_line_skipped(tmp_path):
    from wirecoder.readers.base import MAX_BYTES

    row = {"text": "Police arrested two men in Nairobi on Monday after a protest. " * 30, "published": "2024-05-14"}
    rows = [dict(row, id=i) for i in range(4000)]                  # about 7.6 MB: over the per-file limit
    p = tmp_path / "big.jsonl"
    with open(p, "wb") as f:
        f.write(jsonl(rows[:2]).encode())
        f.write(b'{"id": "huge", "text": "' + b"x" * (MAX_BYTES + 10) + b'"}\n')
        f.write(b'{"text": "caf\xe9 not utf-8"}\n')
        f.write(jsonl(rows[2:]).encode())
    assert p.stat().st_size > MAX_BYTES
    arts, skips = read(p)
    assert len(arts) == 4000 and arts[-1].external_id == "3999" and arts[2].path == f"{p}:5"
    assert [(s.where, s.kind) for s in skips] == [(f"{p}:3", "too large"), (f"{p}:4", "encoding")]


def test_jsonl_gz_streamed_and_truncated(tmp_path):
    p = tmp_path / "a.jsonl.gz"
    data = gz(jsonl(JSONL_ODD).encode() * 50)
    p.write_bytes(data)
    arts, skips = read(p, fields=parse_fields(FIELDS_ODD))
    assert len(arts) == 200 and not skips
    p.write_bytes(data[: len(data) // 2])
    arts, skips = read(p, fields=parse_fields(FIELDS_ODD))
    assert 0 < len(arts) < 200 and skips[-1].kind == "broken archive"


def test_containers_over_the_old_file_limit_are_read_and_ingested(tmp_path, cli):
    """The size limit is one article's: a JSON array, an RSS feed and JSONL holding 6 MB of articles
    are read whole (each article still within its limit), and `ingest` stores a JSON array of them."""
    import json

    from wirecoder.readers import read_paths
    from wirecoder.readers.base import MAX_BYTES, Skip

    body = ("Police arrested 40 protesters in Mombasa on Wednesday during a march against tax increases. "
            + "The march went on for hours along the main road. " * 80)
    recs = [{"id": f"r{i}", "published": "2024-04-11", "source": f"Outlet {i % 40}", "title": f"March {i}",
             "text": body if i % 2 else body + f" Report {i % 3}."} for i in range(1400)]
    arr = tmp_path / "many.json"
    arr.write_text(json.dumps(recs), encoding="utf-8")
    lines = tmp_path / "many.jsonl"
    lines.write_text("\n".join(json.dumps(r) for r in recs), encoding="utf-8")
    items = "".join(f"<item><title>March {i}</title><description>{r['text']}</description>"
                    f"<pubDate>Thu, 11 Apr 2024 10:00:00 GMT</pubDate></item>" for i, r in enumerate(recs))
    feed = tmp_path / "many.rss"
    feed.write_text(f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>',
                    encoding="utf-8")
    for p in (arr, lines, feed):
        assert p.stat().st_size > MAX_BYTES
        got = list(read_paths([p]))
        assert not [s for s in got if isinstance(s, Skip)], p
        assert len(got) == len(recs), p
    # ingest: four texts, each from many outlets (stored once each, with every outlet)
    db = tmp_path / "s.db"
    r = cli("ingest", arr, "--db", db, "-q")
    assert r.returncode == 0, r.stderr[-2000:]
    assert "Traceback" not in r.stderr
    from wirecoder.store import Store

    with Store(db) as s:
        assert s.counts()["articles"] == 4
        outlets = s.article_sources()
        assert max(len(v) for v in outlets.values()) == 20


def test_letter_count_stops_at_the_minimum():
    """The language check's "enough letters?" counts only up to the minimum: the same answer
    as counting every letter (letters of any script, digits, marks and spaces)."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from wirecoder.readers.language import _has_letters

    @settings(max_examples=500, deadline=None)
    @given(st.text(alphabet=st.sampled_from("ab Éж中٣²_ \n.-'9"), max_size=80), st.integers(-1, 50))
    def same(text, n):
        assert _has_letters(text, n) == (sum(c.isalpha() for c in text) >= n)

    same()


def test_nesting_check_same_as_walking_every_character():
    """The JSONL reader's nesting guard (a count first, then the brackets only): the same answer
    as walking every character, at and around the limit."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from wirecoder.readers import jsonl

    def slow(line):
        depth = 0
        for ch in line:
            if ch in "[{":
                depth += 1
                if depth > jsonl.MAX_DEPTH:
                    return False
            elif ch in "]}":
                depth -= 1
        return True

    @settings(max_examples=300, deadline=None)
    @given(st.text(alphabet=st.sampled_from('[]{}a"'), max_size=200))
    def same(line):
        assert jsonl._depth_ok(line) == slow(line)

    same()
    n = jsonl.MAX_DEPTH
    for line in ["[" * n, "[" * (n + 1), "[]" * (n + 5), "{" * n + "]" + "[", '{"a": ' * (n + 1)]:
        assert jsonl._depth_ok(line) == slow(line)
