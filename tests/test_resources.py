"""Resources: one object built from the options reaches every stage (no stage reads the
default lexicon, the default actor dictionary or the environment)."""

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from wirecoder.actors import ActorDictionary
from wirecoder.lexicon import Lexicon
from wirecoder.resources import FILTER_EXTRA_STEMS, Resources, default_resources, trie_pattern

ROOT = Path(__file__).resolve().parent.parent

FLOG = """
[[trigger]]
type = "COERCE"
mode = "torture"
verbs = ["flog"]
nouns = ["flogging"]

[[acled_cue]]
acled = "SEX_VIOL"
words = ["flogged the"]
when = ["OTHER"]
"""
BRIGADE = '[[group]]\nname = "Velmar Brigade"\ncountry = "KEN"\nsector = "REB"\ninter = 2\n'
TEXT = "The Velmar Brigade flogged the mayor in Mosul."


@pytest.fixture(scope="module")
def one_word(tmp_path_factory):
    d = tmp_path_factory.mktemp("res")
    (d / "flog.toml").write_text(FLOG, encoding="utf-8")
    (d / "brigade.toml").write_text(BRIGADE, encoding="utf-8")
    return Resources(lexicon=Lexicon.load(d / "flog.toml", with_package=False),
                     actors=ActorDictionary.load(d / "brigade.toml")), d


def test_every_stage_honours_a_one_word_lexicon(one_word):
    from wirecoder import clean
    from wirecoder.analyse import analyse, doc_actors
    from wirecoder.classify import type_mentions
    from wirecoder.events import detect
    from wirecoder.pipeline import Pipeline
    from wirecoder.main_event import main_mention
    from wirecoder.schema import Article

    res, _ = one_word
    art = Article(id="flog", text=TEXT + "\n\nPolice arrested two men and troops shelled a village.")
    cleaned = clean.clean(art)
    # the paragraph filter is built from this lexicon: the default one lets no "flog" through
    assert res.relevance.search(TEXT) and not default_resources().relevance.search(TEXT)
    analysis = analyse(cleaned, res)
    assert analysis.sentences and doc_actors(analysis.sentences[0].span.doc) is res.actors
    # detect knows one word only: "arrested" and "shelled" are no events here
    found = detect(analysis, art.id, res.lexicon)
    assert [m.trigger.text for m, _ in found] == ["flogged"]
    type_mentions(found, res.lexicon)
    m, _ = main_mention(found)
    assert m.plover_type == "COERCE" and m.plover_mode == "torture"
    result = Pipeline(res).extract(art)
    assert [e.plover_type for e in result.events] == ["COERCE"]
    ev = result.events[0]
    # the roles stage codes with this actor dictionary
    assert ev.actors and ev.actors[0].name == "Velmar Brigade" and ev.actors[0].country == "KEN"
    assert result.main_event.actor_phrase.text.endswith("Velmar Brigade")
    # the default pipeline knows neither the word nor the group
    from wirecoder.pipeline import default_pipeline

    assert not default_pipeline().extract(Article(id="flog2", text=TEXT)).events


def test_acled_cues_come_from_the_lexicon(one_word):
    from wirecoder.acled_subtype import _cue_table

    res, _ = one_word
    assert [c.code for c in _cue_table(res.lexicon)] == ["SEX_VIOL"]
    assert len(_cue_table(default_resources().lexicon)) > 10


def test_build_from_options_ignores_nothing(one_word, monkeypatch):
    _, d = one_word
    monkeypatch.delenv("WIRECODER_TRIGGERS", raising=False)
    res = Resources.build(triggers=[d / "flog.toml"], actors=[d / "brigade.toml"], filter_paragraphs=False)
    assert "flog" in res.lexicon.verbs and "attack" in res.lexicon.verbs   # user file on top of the package
    assert res.actors.code("Velmar Brigade") is not None
    assert res.thresholds.filter_paragraphs is False


def test_cli_extract_with_triggers(one_word, tmp_path):
    from wirecoder.cli import main

    _, d = one_word
    art = tmp_path / "a.txt"
    art.write_text("Rebels flogged the mayor in Mosul.\n", encoding="utf-8")
    runner = CliRunner()
    plain = runner.invoke(main, ["extract", str(art), "--published", "2024-03-02"])
    assert plain.exit_code == 0, plain.output
    assert json.loads(plain.output)["events"] == []
    got = runner.invoke(main, ["extract", str(art), "--published", "2024-03-02", "--triggers", str(d / "flog.toml"),
                               "--actors", str(d / "brigade.toml")])
    assert got.exit_code == 0, got.output
    events = json.loads(got.output)["events"]
    assert [e["plover_type"] for e in events] == ["COERCE"]
    assert events[0]["location"] and "Mosul" in events[0]["location"]["name"]


def test_places_stage_uses_the_resources_gazetteer(tmp_path, monkeypatch):
    """A place known only to this run's gazetteer (an extra-places file given to Resources.build) is
    found by the places stage; a pipeline built without it does not know the place."""
    import datetime as dt

    from wirecoder.pipeline import Pipeline
    from wirecoder.schema import Article

    monkeypatch.delenv("WIRECODER_EXTRA_PLACES", raising=False)
    extra = tmp_path / "places.toml"
    extra.write_text('[[place]]\nname = "Quorvath"\nlat = 9.5\nlon = 8.25\ncountry = "NG"\n', encoding="utf-8")
    text = "Gunmen killed five villagers in the town of Quorvath on Monday, a local official said."
    art = Article(id="q1", text=text, published=dt.date(2024, 4, 10))
    with_place = Pipeline(Resources.build(extra_places=extra)).extract(art)
    loc = with_place.events[0].location
    assert loc is not None and loc.name == "Quorvath" and (loc.lat, loc.lon) == (9.5, 8.25)
    assert loc.country == "NGA"
    without = Pipeline(Resources.build()).extract(art)
    assert all(e.location is None or e.location.name != "Quorvath" for e in without.events)


@settings(max_examples=300, deadline=None)
@given(words=st.sets(st.text(alphabet="ab-c.é", min_size=1, max_size=4), min_size=1, max_size=8),
       texts=st.lists(st.text(alphabet="ab-c.é AB\n", max_size=10), min_size=1, max_size=10))
def test_trie_pattern_matches_what_the_plain_alternation_matches(words, texts):
    """The paragraph filter's pattern, written as a tree of prefixes, lets through exactly the
    texts the plain alternation of its words lets through (and at the same places)."""
    plain = re.compile(r"\b(?:%s)" % "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)), re.I)
    tree = re.compile(r"\b(?:%s)" % trie_pattern(words), re.I)
    for t in texts:
        assert [m.start() for m in plain.finditer(t)] == [m.start() for m in tree.finditer(t)]


def test_the_paragraph_filter_keeps_what_the_plain_alternation_kept():
    res = default_resources()
    stems = {w.lower()[: max(4, len(w) - 2)] if len(w) > 4 else w.lower() for w in res.lexicon.surface_words()}
    stems |= set(FILTER_EXTRA_STEMS)
    plain = re.compile(r"\b(?:%s)|[\"“”]" % "|".join(re.escape(w) for w in sorted(stems, key=len, reverse=True)),
                       re.I)
    rows = [json.loads(line) for line in (ROOT / "samples" / "sample-articles.jsonl").read_text().splitlines()]
    paras = [p for r in rows for p in r["text"].split("\n") if p.strip()] + ["The sport season ended.", "nothing"]
    assert [bool(plain.search(p)) for p in paras] == [bool(res.relevance.search(p)) for p in paras]
