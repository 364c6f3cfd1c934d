"""Direct quotes: run-on and unclosed quotations, attribution after a multi-sentence quote,
named appositions and pronouns (texts written here)."""

import datetime as dt

from wirecoder.quotes import quote_spans
from wirecoder.schema import Article


def _quotes(pipeline, text):
    art = Article(id=Article.make_id(text), text=text, published=dt.date(2024, 5, 2))
    return [(q.speaker, q.text) for q in pipeline.extract(art).quotes if q.direct]


def test_quote_spans_pair_marks_by_their_side():
    text = 'She said: "We were called at 2pm. "We sent a crew. "We treated a man."'
    got = [text[a:b] for a, b in quote_spans(text)]
    assert got == ["We were called at 2pm.", "We sent a crew.", "We treated a man."]
    text = "“The man raised a pipe at the officers, said Ruiz. Later a “pipe with a knob,” he said."
    assert [text[a:b] for a, b in quote_spans(text)] == ["The man raised a pipe at the officers", "pipe with a knob,"]


def test_attribution_after_a_multi_sentence_quote_and_apposition(pipeline):
    text = ('The ferry sank near Mwanza on Tuesday. "We won the vote twice. It is a great result," an elated '
            'Amina Odhiambo said after the count. "We have no idea," the station\'s owner, Peter Kamau, said.')
    got = dict((t[:10], s) for s, t in _quotes(pipeline, text))
    assert got == {"We won the": "Amina Odhiambo", "We have no": "Peter Kamau"}


def test_it_and_he_resolve_to_the_right_speaker(pipeline):
    text = ('In a statement, the Port Authority said it condemned the attack on the depot. "We apologise to the '
            'crews," it added. Senator Ann Bello criticised the agency on Monday. "Who pays for this?" she asked.')
    got = [(s, t[:10]) for s, t in _quotes(pipeline, text)]
    assert ("the Port Authority", "We apologi") in got and ("Ann Bello", "Who pays f") in got
