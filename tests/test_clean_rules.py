"""The clean stage's sentence splitter and clutter rules (data/clean.toml), on texts written here."""

import datetime as dt

import pytest

from wirecoder.clean import clean, split_sentences
from wirecoder.schema import Article


def _clean(text, title=None):
    return clean(Article(id=Article.make_id(text), text=text, title=title, published=dt.date(2024, 5, 2)))


def test_splitter_keeps_every_character_across_abbreviations():
    block = ("The U.S. said at 3 p.m. that the U.N. would act. Mr. Smith met Gen. Ruiz in the U.S. "
             "The army said \"no.\" He left.")
    sents = [block[s:e] for s, e in split_sentences(block)]
    assert sents == ["The U.S. said at 3 p.m. that the U.N. would act.",
                     "Mr. Smith met Gen. Ruiz in the U.S.", "The army said \"no.\"", "He left."]
    assert "".join(sents).replace(" ", "") == block.replace(" ", "")


@pytest.mark.parametrize("clutter, reason", [
    ("Read More", "boilerplate"),
    ("(Image: Jane Roe)", "credit"),
    ("Like us on Facebook; Follow us on Twitter; Daily Newsletter.", "boilerplate"),
    ("Roe reported from Lagos.", "boilerplate"),
    ("Reuters writers Ann Bee and Cy Dee contributed to this report.", "boilerplate"),
    ("Copyright 2024 Some Media. All rights reserved.", "boilerplate"),
    ("09:12, UK, Monday 06 May 2024.", "boilerplate"),
    ("(Reuters, AFP)", "boilerplate"),
])
def test_clutter_inside_a_block_is_removed_with_its_reason(clutter, reason):
    text = ("Protesters marched through Lagos on Monday against fuel prices. Police said the march was "
            "peaceful. " + clutter)
    ct = _clean(text)
    assert clutter not in ct.text
    assert "Protesters marched through Lagos" in ct.text and "Police said the march was peaceful." in ct.text
    assert any(r.reason == reason and clutter.split(". ")[0].strip(".") in r.text for r in ct.removed)


def test_caption_before_a_credit_and_dated_captions_go():
    text = ("Headline of the day\n\nA man waves a flag in Lima, Peru, Tuesday, April 2, 2024. "
            "Workers gather outside a factory. Ann Bee AP Photo.\n\n"
            "Dock workers went on strike in Callao on Tuesday.")
    ct = _clean(text)
    assert ct.text == "Dock workers went on strike in Callao on Tuesday."
    assert {r.reason for r in ct.removed} >= {"caption", "credit", "boilerplate"}


def test_byline_dateline_and_header_teaser():
    text = ("Court date set for ex-minister\n\n5 Mins Ex-minister appears in court on graft charges\n\n"
            "KAMPALA, Uganda (AP) - A former minister appeared in court on Friday.")
    ct = _clean(text)
    assert ct.text == "A former minister appeared in court on Friday."
    assert ct.dateline == "Kampala, Uganda"
    text = "By JANE ROE and JOHN DOE, Associated Press\n\nNAIROBI (AP) -- Police fired tear gas on Monday."
    ct = _clean(text)
    assert ct.text == "Police fired tear gas on Monday." and ct.dateline == "Nairobi"


def test_nothing_is_dropped_silently():
    text = ("Title line here\n\nBy: Jane Roe\n\nThe council voted on Monday. Read more: Other story here "
            "The mayor said so. (Photo: X Y) Later, it rained.")
    ct = _clean(text)
    kept = sum(seg.length for seg in ct.offsets.segments)
    removed = sum(len(r.text.strip()) for r in ct.removed)
    assert kept + removed >= len(text.replace("\n", "")) - text.count(" ") - 5
    for seg in ct.offsets.segments:
        assert ct.text[seg.clean_start:seg.clean_start + seg.length] == text[seg.orig_start:seg.orig_start + seg.length]


def test_unended_lines_footnotes_and_agency_credits():
    text = ("Talks resume in Doha\n\nDelegates met in Doha on Monday. They agreed to meet again.\n\n"
            "Delegates arrive at the venue in the Qatari capital\n\n"
            "Two men wave at the crowd. Ann Bee for Gulf Daily Media.\n\n"
            "The next round is due in June. * ISBN: a book number.")
    ct = _clean(text)
    assert ct.text == "Delegates met in Doha on Monday. They agreed to meet again.\n\nThe next round is due in June."
    reasons = {r.text[:10]: r.reason for r in ct.removed}
    assert reasons["Delegates "] == "caption" and reasons["* ISBN: a "] == "boilerplate"
    assert reasons["Ann Bee fo"] == "credit" and reasons["Two men wa"] == "caption"


def test_hard_wrapped_text_is_one_paragraph_per_paragraph():
    text = ("Headline here\n\nGunmen attacked a village near Gao on\nMonday, killing five people, officials\n"
            "said. The army sent troops.\n\nA second paragraph\nwrapped too.")
    ct = _clean(text)
    assert ct.text == ("Gunmen attacked a village near Gao on Monday, killing five people, officials said. "
                       "The army sent troops.\n\nA second paragraph wrapped too.")
    for seg in ct.offsets.segments:
        assert ct.text[seg.clean_start:seg.clean_start + seg.length] == text[seg.orig_start:seg.orig_start + seg.length]
