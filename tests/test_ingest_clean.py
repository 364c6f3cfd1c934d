"""Ingest and clean: formats, bad input, captions/credits/duplicates, offset map."""

import datetime as dt
import json

import pytest

from wirecoder.clean import clean
from wirecoder.ingest import InputError, read_file
from wirecoder.schema import Article

ARTICLE = """Fire Crews Battle Blaze At Harbour Warehouse

Smoke rises above the harbour on Monday (Picture: Harbour Times).

Firefighters battled a large blaze at a warehouse near the harbour on Monday evening, officials said.

Two workers were taken to hospital with minor burns, a fire service spokeswoman said.

Firefighters battled a large blaze at a warehouse near the harbour on Monday evening, officials said.

Cover image: Library picture of the harbour (Picture: Harbour Times).
"""


def make(text, **kw):
    return Article(id=Article.make_id(text), text=text, **kw)


def test_clean_drops_captions_credits_headline_and_repeats():
    c = clean(make(ARTICLE))
    assert c.title == "Fire Crews Battle Blaze At Harbour Warehouse"
    assert "Picture:" not in c.text
    assert "Cover image" not in c.text
    assert c.text.count("Firefighters battled a large blaze") == 1
    reasons = sorted(r.reason for r in c.removed)
    assert reasons.count("duplicate") == 1 and "credit" in reasons


def test_near_duplicate_sentence_dropped():
    text = ("The vote was the first test of the new coalition government in the capital.\n\n"
            "Ministers met later.\n\n"
            "The vote was the first test of the coalition government in the capital.\n")
    c = clean(make(text))
    assert c.text.count("first test") == 1


def test_credit_line_with_photo_code():
    text = "View of the ministry 220419 CREDIT AP\n\nPolice arrested three men in the capital on Friday.\n"
    c = clean(make(text))
    assert "220419" not in c.text and c.text.startswith("Police arrested")


def test_offset_map_points_back_to_original():
    art = make(ARTICLE)
    c = clean(art)
    i = c.text.index("Two workers")
    j = c.offsets.to_original(i)
    assert art.text[j:j + 11] == "Two workers"
    for seg in c.offsets.segments:
        assert c.text[seg.clean_start:seg.clean_start + seg.length] == art.text[seg.orig_start:seg.orig_start + seg.length]


def test_read_text_html_jsonl_feed(tmp_path):
    (tmp_path / "a.txt").write_text("Protesters marched in Lagos on Monday.", encoding="utf-8")
    (tmp_path / "b.html").write_text(
        "<html><head><title>Clash</title><meta property='article:published_time' content='2024-05-02T10:00:00Z'>"
        "</head><body><nav>Home | World</nav><p>Troops clashed with rebels near Goma.</p>"
        "<figure><figcaption>Soldiers in Goma. Photo: X</figcaption></figure><p>Broken <b>markup",
        encoding="utf-8")
    (tmp_path / "c.jsonl").write_text(
        json.dumps({"id": "x1", "published": "2024-01-02", "source": "Wire", "text": "Police arrested two men."}) + "\n"
        + json.dumps({"id": "x2", "text": "Rebels attacked a village."}) + "\n", encoding="utf-8")
    (tmp_path / "d.rss").write_text(
        "<?xml version='1.0'?><rss><channel><item><title>T</title><pubDate>Fri, 26 Feb 2021 10:00:00 GMT</pubDate>"
        "<description>Gunmen kidnapped a priest in Kaduna.</description></item></channel></rss>", encoding="utf-8")
    a = read_file(tmp_path / "a.txt", published=dt.date(2024, 1, 1))[0]
    assert a.published == dt.date(2024, 1, 1)
    b = read_file(tmp_path / "b.html")[0]
    assert b.title == "Clash" and b.published == dt.date(2024, 5, 2)
    assert "Home" not in b.text and "Photo" not in b.text and "Troops clashed" in b.text
    c = read_file(tmp_path / "c.jsonl")
    assert [x.external_id for x in c] == ["x1", "x2"] and c[0].source == "Wire"
    d = read_file(tmp_path / "d.rss")[0]
    assert d.published == dt.date(2021, 2, 26) and "kidnapped" in d.text


@pytest.mark.parametrize("content,problem", [
    (b"", "empty file"),
    (b"   \n\n", "empty file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR" + bytes(range(256)), "binary"),
    ("Caf\u00e9 owners protested".encode("cp1252"), "not valid UTF-8"),
])
def test_bad_input_names_file_and_problem(tmp_path, content, problem):
    p = tmp_path / "bad.txt"
    p.write_bytes(content)
    with pytest.raises(InputError) as e:
        read_file(p)
    assert str(p) in str(e.value) and problem in str(e.value)


def test_explicit_encoding(tmp_path):
    p = tmp_path / "latin.txt"
    p.write_bytes("Caf\u00e9 owners protested in Paris.".encode("cp1252"))
    assert "Café" in read_file(p, encoding="cp1252")[0].text


def test_malformed_jsonl_and_dates(tmp_path):
    p = tmp_path / "x.jsonl"
    p.write_text('{"text": "ok"}\n{"text": broken\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"x.jsonl:2: malformed JSON"):
        read_file(p)
    p.write_text('{"text": "Police arrested two men.", "published": "yesterday-ish"}\n', encoding="utf-8")
    with pytest.raises(InputError, match="unparseable published date"):
        read_file(p)


def test_huge_article_refused(tmp_path):
    p = tmp_path / "huge.txt"
    p.write_bytes(b"word " * 1_200_000)
    with pytest.raises(InputError, match="too large"):
        read_file(p)


def test_dateline_is_split_off():
    c = clean(make("KABUL, Afghanistan (Reuters) - Gunmen attacked a checkpoint in Kunduz on Monday.\n"))
    assert c.dateline == "Kabul, Afghanistan"
    assert c.text.startswith("Gunmen attacked")
    c = clean(make("MOGADISHU -- Militants stormed a hotel on Friday.\n"))
    assert c.dateline == "Mogadishu" and c.text.startswith("Militants")
    c = clean(make("Police arrested two men on Friday - officials said.\n"))
    assert c.dateline is None
