"""Batched parsing and writing (issue 14): ``Pipeline.prepare`` parses a chunk of articles in one
spaCy batch and gives the same results as article by article; ``ingest`` writes its results in
batches and still counts a text met twice in one batch as stored once."""

import json
from pathlib import Path

from wirecoder.pipeline import default_pipeline
from wirecoder.schema import Article
from wirecoder.store import Store

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "sample-articles.jsonl"


def _articles(n: int) -> list[Article]:
    recs = [json.loads(line) for line in SAMPLES.read_text(encoding="utf-8").splitlines() if line.strip()][:n]
    return [Article(id=r["id"], text=r["text"], title=r.get("title"), source=r.get("source"),
                    published=r["published"]) for r in recs]


def test_prepare_gives_the_same_results_as_one_by_one():
    pipe = default_pipeline()
    arts = _articles(6)
    one_by_one = [pipe.extract(a).model_dump_json() for a in arts]
    arts = _articles(6)   # new objects: nothing prepared for them yet
    pipe.prepare(arts)
    assert len(pipe._prepared) == len(arts)
    batched = [pipe.extract(a).model_dump_json() for a in arts]
    assert batched == one_by_one
    assert not pipe._prepared   # each prepared parse is used once, then dropped


def test_prepare_leaves_what_it_cannot_do_to_extract():
    from wirecoder.limits import MAX_ARTICLE_CHARS, LimitError

    pipe = default_pipeline()
    big = Article(id="big", text="word " * (MAX_ARTICLE_CHARS // 5 + 10))
    ok = _articles(2)
    pipe.prepare([big, *ok])
    assert id(big) not in pipe._prepared
    try:
        pipe.extract(big)
    except LimitError:
        pass
    else:  # pragma: no cover
        raise AssertionError("the over-long article must still fail in extract")
    assert [pipe.extract(a).model_dump_json() for a in ok] == \
        [pipe.extract(a).model_dump_json() for a in _articles(2)]


def test_ingest_counts_a_text_twice_in_one_batch_once(tmp_path, cli):
    text = ("Gunmen killed five villagers in an attack on a village near Maiduguri on Tuesday, "
            "a local official said.")
    rows = [{"id": "x1", "published": "2024-03-06", "source": "Sahel Wire", "text": text},
            {"id": "x2", "published": "2024-03-06", "source": "Lake Post", "text": text},
            {"id": "x3", "published": "2024-03-07", "source": "Rift Post",
             "text": "Police arrested 12 protesters in Nairobi on Monday, a police spokesman said."}]
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    db = tmp_path / "w.db"
    r = cli("ingest", src, "--db", db, "--workers", "1")
    assert r.returncode == 0, r.stderr
    assert "2 article(s) stored" in r.stderr and "1 already stored" in r.stderr, r.stderr
    with Store(db) as s:
        assert s.counts()["articles"] == 2


def test_ingest_holds_no_result_the_writer_found_stored(tmp_path, monkeypatch):
    """A syndicated copy read right after its original is coded before the original is written,
    and the writer then finds it a copy. The summary needs only its event count: the result is
    not held to the end of the run (it was, ~0.3 MB apiece: the RSS of a long archive grew)."""
    import gc

    from click.testing import CliRunner

    from wirecoder.cli import main
    from wirecoder.schema import ExtractionResult

    recs = [json.loads(line) for line in SAMPLES.read_text(encoding="utf-8").splitlines() if line.strip()][:3]
    rows = []
    for r in recs:
        rows.append({"id": r["id"], "published": r["published"], "source": "Wire One", "text": r["text"]})
        rows.append({"id": r["id"] + "-copy", "published": r["published"], "source": "Daily Two",
                     "text": r["text"] + "\n\n(Distributed by Daily Two.)"})
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    db = tmp_path / "w.db"
    live = []
    counts = Store.counts

    def counting(self):   # the ingest's last step, after every write: which results are still held
        gc.collect()
        live.append(sum(isinstance(o, ExtractionResult) and o.article.text.endswith("(Distributed by Daily Two.)")
                        for o in gc.get_objects()))   # this run's copies (other tests' results may be alive)
        return counts(self)

    monkeypatch.setattr(Store, "counts", counting)
    res = CliRunner().invoke(main, ["ingest", str(src), "--db", str(db), "--workers", "1", "--quiet"])
    assert res.exit_code == 0, res.output
    assert "3 article(s) stored" in res.output and "3 already stored" in res.output, res.output
    assert live == [0]
    monkeypatch.undo()
    with Store(db) as s:
        assert s.counts()["articles"] == 3
        assert sorted(len(v) for v in s.article_sources().values()) == [2, 2, 2]


def test_parse_batches_keep_order_and_bounds():
    from wirecoder.analyse import batches

    texts = ["a" * n for n in (3, 9, 2, 2, 12, 1, 4, 4, 4)]
    got = list(batches(texts, batch_size=3, batch_chars=10))
    assert [t for b in got for t in b] == texts           # every text once, in order
    assert all(len(b) <= 3 for b in got)
    # a batch is over the characters only when it is one text longer than the bound
    assert all(sum(map(len, b)) <= 10 or len(b) == 1 for b in got)
    assert got == [["aaa"], ["a" * 9], ["aa", "aa"], ["a" * 12], ["a", "aaaa", "aaaa"], ["aaaa"]]
