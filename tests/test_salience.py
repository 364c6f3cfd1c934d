"""An event must be an event: candidates without evidence of their participants are not written."""

import datetime as dt

import pytest

from wirecoder.schema import Article


def _types(pipeline, text):
    art = Article(id=Article.make_id(text), text=text, published=dt.date(2024, 2, 14))
    return [e.plover_type for e in pipeline.extract(art).events]


@pytest.mark.parametrize("text", [
    "Firefighters battled two apartment fires in Leeds overnight.",
    "The lottery jackpot was hit in Ohio on Saturday.",
    "The club faces a relegation battle in the last weeks of the season.",
])
def test_words_without_participants_are_not_events(pipeline, text):
    assert "ASSAULT" not in _types(pipeline, text)


@pytest.mark.parametrize("text, want", [
    ("An air strike hit a market in Idlib on Monday.", "ASSAULT"),
    ("Rebels attacked a convoy near Goma on Sunday.", "ASSAULT"),
    ("A bomb killed 12 people in Mogadishu on Sunday.", "ASSAULT"),
    ("Police arrested 12 people in Nairobi on Monday.", "COERCE"),
    ("Thousands marched in Santiago on Friday against tuition fees.", "PROTEST"),
])
def test_events_with_a_target_toll_or_implicit_actor_stay(pipeline, text, want):
    assert want in _types(pipeline, text)
