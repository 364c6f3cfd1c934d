"""The model made faster without changing its parse: matrix products through numpy's BLAS and
maxout by whole-array maxima (wirecoder.blas), and the attribute ruler matched by lookups
(wirecoder.attribute_rules). The same tokens, tags, morphology, lemmas, dependencies and entities
as spaCy's own pipeline; every layer switched; one BLAS thread per process; clear errors for bad
settings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from thinc.api import NumpyOps

from wirecoder.attribute_rules import FastAttributeRuler, speed_up
from wirecoder.blas import NumpyBLASOps, use_numpy_blas
from wirecoder.resources import DEFAULT_SPACY_MODEL, load_spacy

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "sample-articles.jsonl"


# the attribute ruler's two-token, regex, dependency and whitespace patterns
ODD = ["Y'all gonna see it, ain't nothin' gon na stop us. Let's go, c'mon. There's a cat and there are two.",
       "I do. It is, you are.  Him and me,\n\n  them.", "  ", "a"]


def _texts(n: int = 12) -> list[str]:
    rows = [json.loads(line) for line in SAMPLES.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r["text"] for r in rows[:n]] + ODD


def _signature(doc) -> list[tuple]:
    return [(t.text, t.tag_, t.pos_, t.morph.to_json(), t.lemma_, t.dep_, t.head.i, t.ent_iob_, t.ent_type_,
             t.is_sent_start) for t in doc]


def test_every_layer_uses_numpy_blas():
    nlp = load_spacy(DEFAULT_SPACY_MODEL)
    kinds = {type(node.ops) for _, proc in nlp.pipeline if hasattr(getattr(proc, "model", None), "walk")
             for node in proc.model.walk()}
    assert kinds == {NumpyBLASOps}


def test_same_parse_as_blis():
    texts = _texts()
    ours = load_spacy(DEFAULT_SPACY_MODEL)
    stock = spacy.load(DEFAULT_SPACY_MODEL)          # a second copy with thinc's own ops
    assert all(type(n.ops) is NumpyOps for _, p in stock.pipeline if hasattr(getattr(p, "model", None), "walk")
               for n in p.model.walk())
    for a, b in zip(ours.pipe(texts), stock.pipe(texts)):
        assert _signature(a) == _signature(b)
        assert (a.tensor == b.tensor).all() or abs(a.tensor - b.tensor).max() < 1e-4


def test_maxout_same_as_thinc():
    """The whole-array maxout gives thinc's maxima (ties, infinities and every piece count)."""
    import numpy

    rng = numpy.random.default_rng(3)
    ours, theirs = NumpyBLASOps(), NumpyOps()
    for shape in [(1, 1, 1), (7, 5, 2), (300, 96, 3), (41, 64, 3), (0, 8, 3)]:
        X = rng.standard_normal(shape).astype("float32")
        if X.size:
            X[0, 0, :] = 1.5                        # a tie between all pieces
            X[-1, -1, 0] = numpy.inf
            X[-1, 0, -1] = -numpy.inf
        best, which = ours.maxout(X)
        want, _ = theirs.maxout(X)
        assert which is None and best.dtype == want.dtype and best.shape == want.shape
        assert numpy.array_equal(best, want)
    assert ours.maxout(X.astype("float64"))[1] is not None    # other arrays: thinc's own


def test_attribute_ruler_uses_lookups():
    ruler = load_spacy(DEFAULT_SPACY_MODEL).get_pipe("attribute_ruler")
    assert isinstance(getattr(ruler.match, "__self__", None), FastAttributeRuler)


def test_attribute_ruler_left_alone_for_other_patterns():
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"ORTH": "x", "OP": "+"}]], {"LEMMA": "y"})
    assert speed_up(nlp) is False
    assert nlp("x x").__getitem__(0).lemma_ == "y"


def test_blas_held_to_one_thread():
    from threadpoolctl import threadpool_info

    load_spacy(DEFAULT_SPACY_MODEL)
    blas = [i for i in threadpool_info() if i["user_api"] == "blas"]
    assert blas and all(i["num_threads"] == 1 for i in blas)


def test_blis_switch_and_bad_settings(monkeypatch):
    nlp = spacy.load(DEFAULT_SPACY_MODEL, disable=["parser", "ner", "tagger"])
    monkeypatch.setenv("WIRECODER_BLAS", "blis")
    assert use_numpy_blas(nlp) is False
    assert all(type(n.ops) is NumpyOps for n in nlp.get_pipe("tok2vec").model.walk())
    monkeypatch.setenv("WIRECODER_BLAS", "mkl")
    with pytest.raises(RuntimeError, match="WIRECODER_BLAS='mkl'.*'numpy'.*'blis'"):
        use_numpy_blas(nlp)


def test_trigger_candidates_change_no_trigger(monkeypatch):
    """find_triggers looks only at the tokens whose lemma or lower form the lexicon knows:
    the same triggers as looking at every token, on the samples."""
    from wirecoder import events
    from wirecoder.analyse import analyse
    from wirecoder.clean import clean
    from wirecoder.resources import default_resources
    from wirecoder.schema import Article

    res = default_resources()
    rows = [json.loads(line) for line in SAMPLES.read_text(encoding="utf-8").splitlines() if line.strip()]
    analyses = [analyse(clean(Article(id=r["id"], text=r["text"])), res) for r in rows]

    def found():
        return [(t.token.i, t.start_token.i, t.entry.type, t.nominal, [x.i for x in t.extra])
                for a in analyses for s in a.sentences for t in events.find_triggers(s, res.lexicon)]

    fast = found()
    assert len(fast) > 50
    monkeypatch.setattr(events, "_candidates", lambda sent, lex: range(sent.span.start, sent.span.end))
    assert found() == fast
