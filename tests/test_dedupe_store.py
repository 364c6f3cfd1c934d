"""Deduplication in the store: incremental equals batch, whatever the order (Hypothesis), a
report that bridges two stored events merges them, and `wirecoder dedupe --rebuild`."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from test_dedupe import KHERSON, KHERSON_PORT, NYALA, SOUTH_DARFUR, SUDAN, ED_DAEIN, D, ev
from wirecoder.dedupe import cluster
from wirecoder.schema import Article, CleanText, DateRange, ExtractionResult, OffsetMap
from wirecoder.store import Store

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT / "tests" / "data" / "dedup-dev.jsonl"


def result_of(event) -> ExtractionResult:
    """A hand-built article holding one hand-built event."""
    aid = event.article_ids[0]
    text = f"report {aid}"
    art = Article(id=aid, text=text, source=event.sources[0], published=event.first_reported)
    return ExtractionResult(article=art, clean=CleanText(article_id=aid, text=text, offsets=OffsetMap()),
                            events=[event])


TOWN = dict(KHERSON, lat=46.6)

# a small dedup set: two real events reported several times each, vague reports among them
SMALL = [
    ev("a1", D(2024, 6, 21), date=D(2024, 6, 21), killed=3),
    ev("a2", D(2024, 6, 22), place=KHERSON_PORT, date=D(2024, 6, 21), killed=4),
    ev("a3", D(2024, 6, 22), killed=2),
    ev("a4", D(2024, 6, 24), date=D(2024, 6, 24), killed=2),
    ev("a5", D(2024, 6, 25), place=KHERSON_PORT, killed=2),
    ev("b1", D(2025, 2, 10), place=NYALA, date=D(2025, 2, 10), sub="Air/drone strike", killed=23),
    ev("b2", D(2025, 2, 10), place=ED_DAEIN, date=D(2025, 2, 10), sub="Air/drone strike", killed=8),
    ev("b3", D(2025, 2, 11), place=SUDAN, date=D(2025, 2, 10), sub="Air/drone strike"),
    ev("b4", D(2025, 2, 12), place=SOUTH_DARFUR, date=D(2025, 2, 10), sub="Air/drone strike"),
    ev("b5", D(2025, 2, 11), place=NYALA, sub="Air/drone strike", killed=20),
    # a bridge: c1 and c2 are 80 km apart, c3 lies between them (30 and 50 km) and places it more precisely
    ev("c1", D(2024, 3, 6), date=D(2024, 3, 5), place=dict(TOWN, name="West", lon=32.0, precision=2)),
    ev("c2", D(2024, 3, 6), date=D(2024, 3, 5), place=dict(TOWN, name="East", lon=33.046, precision=2), killed=1),
    ev("c3", D(2024, 3, 7), date=D(2024, 3, 5), place=dict(TOWN, name="Middle", lon=32.392), killed=2),
]


def partition(store: Store) -> set[frozenset]:
    return store.groups()


def snapshot(store: Store) -> tuple:
    events = sorted(e.model_dump_json() for e in store.events())
    with store._read() as conn:
        ea = sorted(conn.exec_driver_sql("SELECT event_id, article_id FROM event_articles").fetchall())
        links = sorted(conn.exec_driver_sql("SELECT source, target, relation, source_report, target_report "
                                            "FROM links").fetchall())
    return partition(store), events, ea, links


def ingest_in_order(results, order, **kw) -> tuple:
    with tempfile.TemporaryDirectory() as tmp:
        with Store(Path(tmp) / "s.db", **kw) as s:
            for i in order:
                s.add(results[i])
            snap = snapshot(s)
            s.rebuild()
            assert snapshot(s) == snap, "the incremental store differs from `dedupe --rebuild`"
        return snap


def batch_partition(results) -> set[frozenset]:
    reports = [e for r in results for e in r.events]
    return {frozenset(reports[i].id for i in g) for g in cluster(reports)}


SMALL_RESULTS = [result_of(e) for e in SMALL]
SMALL_WANT = ingest_in_order(SMALL_RESULTS, range(len(SMALL)))


def test_small_set_batch_is_what_dedupe_cluster_gives():
    assert SMALL_WANT[0] == batch_partition(SMALL_RESULTS)
    assert frozenset({"c1-e1", "c2-e1", "c3-e1"}) in SMALL_WANT[0]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.permutations(range(len(SMALL))))
def test_small_set_any_order_gives_the_same_events(order):
    assert ingest_in_order(SMALL_RESULTS, order) == SMALL_WANT


def test_a_report_that_bridges_two_stored_events_merges_them(tmp_path):
    c1, c2, c3 = (result_of(e) for e in SMALL[-3:])
    with Store(tmp_path / "s.db") as s:
        s.add(c1)
        s.add(c2)
        assert s.counts()["events"] == 2        # 80 km apart: not one event
        s.add(c3)
        assert s.counts()["events"] == 1        # c3 ties them
        (e,) = list(s.events())
        assert e.article_ids == ["c1", "c2", "c3"] and set(e.sources) == {"src-c1", "src-c2", "src-c3"}
        assert sorted(c.source_article for c in e.counts) == ["c2", "c3"]


@pytest.fixture(scope="module")
def dev_results(pipeline):
    out = []
    for line in DEV.read_text("utf-8").splitlines():
        r = json.loads(line)
        art = Article(id=Article.make_id(r["text"]), text=r["text"], title=r.get("title"), source=r.get("source"),
                      published=dt.date.fromisoformat(r["published"]), external_id=r["id"])
        out.append(pipeline.extract(art))
    return out


@pytest.fixture(scope="module")
def dev_want(dev_results):
    return ingest_in_order(dev_results, range(len(dev_results)))


def test_dev_file_store_equals_batch_clustering(dev_results, dev_want):
    assert dev_want[0] == batch_partition(dev_results)
    assert len(dev_want[0]) < sum(len(r.events) for r in dev_results)   # something was merged


@settings(max_examples=8, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],  # no shrinking
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_dev_file_any_order_gives_the_same_events(dev_results, dev_want, data):
    order = data.draw(st.permutations(range(len(dev_results))))
    assert ingest_in_order(dev_results, order) == dev_want


def test_rebuild_cli_equals_incremental_and_is_safe_to_interrupt(tmp_path):
    from wirecoder.cli import main

    db = tmp_path / "flat.db"
    with Store(db, merge=False) as s:      # every report its own event
        for r in SMALL_RESULTS:
            s.add(r)
        assert s.counts()["events"] == len(SMALL)
        before = s.fingerprint()

        def stop(done, total):
            if done > 3:
                raise KeyboardInterrupt
        with pytest.raises(KeyboardInterrupt):
            s.rebuild(progress=stop)
        assert s.fingerprint() == before      # the transaction was rolled back
    res = CliRunner().invoke(main, ["dedupe", "--rebuild", "--db", str(db)])
    assert res.exit_code == 0, res.output
    assert f"{len(SMALL)} events before, {len(SMALL_WANT[0])} after" in res.stderr
    with Store(db) as s:
        assert snapshot(s) == SMALL_WANT
    res = CliRunner().invoke(main, ["dedupe", "--db", str(db)])
    assert res.exit_code == 2 and "--rebuild" in res.output
    res = CliRunner().invoke(main, ["dedupe", "--rebuild", "--db", str(tmp_path / "none.db")])
    assert res.exit_code == 1 and "no such database" in res.output


STORY = ("Gunmen killed six farmers in an attack on a village near Jos on Tuesday, a local official said. "
         "The attackers arrived on motorcycles shortly after dawn and set fire to several houses before fleeing "
         "into the bush. Residents said the village had been attacked twice in the past year. The state "
         "government condemned the killings and said security forces had been sent to the area to restore calm.")


def test_syndicated_copies_are_one_article_with_several_sources(tmp_path, pipeline):
    from wirecoder.syndication import figures, is_copy, signature

    copy = "JOS, Nigeria (Plateau Herald) - " + STORY + " Distributed by Plateau Herald."
    other_toll = STORY.replace("six farmers", "eight farmers")
    assert is_copy(signature(STORY), figures(STORY), signature(copy), figures(copy))
    with Store(tmp_path / "s.db") as s:
        s.ingest([Article(id=Article.make_id(STORY), text=STORY, source="Lake Post", published=D(2024, 4, 10))],
                 pipeline=pipeline)
        n_events = s.counts()["events"]
        stats = s.ingest([Article(id=Article.make_id(copy), text=copy, source="Plateau Herald",
                                  url="https://plateau.example/jos", published=D(2024, 4, 11))], pipeline=pipeline)
        assert stats["skipped"] == 1 and s.counts()["articles"] == 1 and s.counts()["events"] == n_events
        (outlets,) = s.article_sources().values()
        assert [o["source"] for o in outlets] == ["Lake Post", "Plateau Herald"]
        assert all("Plateau Herald" in e.sources for e in s.events())
        assert all(e.last_reported == D(2024, 4, 11) for e in s.events())
        # the same story with another death toll is a report of its own (each outlet's figure is kept)
        s.ingest([Article(id=Article.make_id(other_toll), text=other_toll, source="Coast Wire",
                          published=D(2024, 4, 11))], pipeline=pipeline)
        assert s.counts()["articles"] == 2
        killed = sorted(c.value for e in s.events() for c in e.counts if c.kind == "killed")
        assert 6 in killed and 8 in killed
        # an outlet that carried the story a day earlier: the first report date (a matcher feature)
        # moves, so the reports are filed again; a later outlet only fuses their events again
        early = "JOS, Nigeria (Dawn Wire) - " + STORY
        stats = s.ingest([Article(id=Article.make_id(early), text=early, source="Dawn Wire",
                                  published=D(2024, 4, 9))], pipeline=pipeline)
        assert stats["skipped"] == 1 and s.counts()["articles"] == 2      # a copy: an outlet
        first = {e.first_reported for e in s.events() if "Dawn Wire" in e.sources}
        assert first == {D(2024, 4, 9)}
        snap = snapshot(s)
        s.rebuild()
        assert snapshot(s) == snap, "the store after the outlets differs from `dedupe --rebuild`"


def test_both_backends_bridge_rebuild_and_copies(store_url):
    """The same on SQLite and PostgreSQL: a bridging report merges, --rebuild changes nothing."""
    with Store(store_url) as s:
        for r in SMALL_RESULTS[::-1]:
            s.add(r)
        snap = snapshot(s)
        assert snap[0] == SMALL_WANT[0] and snap == SMALL_WANT
        s.rebuild()
        assert snapshot(s) == snap
        # a rebuild that writes: every report unfiled, so every event is written again (on PostgreSQL
        # the streamed read of the reports once turned these writes into server-side cursors)
        with s.engine.begin() as conn:
            conn.exec_driver_sql("UPDATE reports SET event_id = NULL")
        res = s.rebuild()
        assert snapshot(s) == snap and res["events"] == len(snap[0])


def test_a_syndicated_copy_added_directly_is_an_outlet(tmp_path, pipeline):
    """Store.add (the path of add_many, the Dask merge and the API) knows copies too."""
    copy = STORY + " (Distributed by Coast Wire.)"
    with Store(tmp_path / "s.db") as s:
        assert s.add(pipeline.extract(Article(id=Article.make_id(STORY), text=STORY, source="Lake Post",
                                              published=D(2024, 4, 10))))
        assert not s.add(pipeline.extract(Article(id=Article.make_id(copy), text=copy, source="Coast Wire",
                                                  published=D(2024, 4, 12))))
        assert s.counts()["articles"] == 1
        assert [o["source"] for o in next(iter(s.article_sources().values()))] == ["Lake Post", "Coast Wire"]


def _year_of_reports() -> list:
    """A dense year in one town: a shelling report every day, stated to the day (all of the same type
    family and place), and a month-dated report each month (not matched: MAX_DATE_WIDTH): each day's
    report pairs with its neighbours', so the could-pair relation chains the whole year together."""
    out = []
    for k in range(0, 366, 1):
        day = D(2024, 1, 1) + dt.timedelta(days=k)
        out.append(ev(f"d{k:03d}", day + dt.timedelta(days=1), date=day, killed=k % 7 + 1))
    for m in range(1, 13):
        first = D(2024, m, 1)
        last = (D(2024, m + 1, 1) if m < 12 else D(2025, 1, 1)) - dt.timedelta(days=1)
        e = ev(f"m{m:02d}", last + dt.timedelta(days=1))
        out.append(e.model_copy(update={"date": DateRange(start=first, end=last, precision="month")}))
    return out


def test_one_more_report_gathers_a_bounded_neighbourhood(tmp_path, monkeypatch):
    """The cost of one more report does not grow with the store: the reports re-clustered around a
    new one are those within HORIZON_DAYS of its date (and the events they belong to), not the
    chain of a year of neighbours; and the store still equals `dedupe --rebuild`."""
    import wirecoder.dedupe as dd
    from wirecoder.store.base import HORIZON_DAYS

    year = [result_of(e) for e in _year_of_reports()]
    sizes = []
    real = dd.cluster_reps

    def spy(reps, **kw):
        sizes.append(len(reps))
        return real(reps, **kw)

    with Store(tmp_path / "s.db") as s:
        for r in year:
            s.add(r)
        snap = snapshot(s)
        monkeypatch.setattr(dd, "cluster_reps", spy)
        s.add(result_of(ev("new", D(2024, 6, 16), date=D(2024, 6, 15), killed=9)))
        monkeypatch.undo()
        after = snapshot(s)
        s.rebuild()
        assert snapshot(s) == after, "the incremental store differs from `dedupe --rebuild`"
    assert after != snap
    # the reports of the new report's days +- HORIZON_DAYS (and a day of slack each side) and the
    # events they belong to (two reports each), not the year's 378 reports (171 without the horizon)
    assert HORIZON_DAYS <= 3
    assert sizes and max(sizes) <= 2 * (2 * 3 + 3) + 4, sizes


def test_the_widest_date_span_survives_a_rolled_back_write(tmp_path):
    """meta.max_span_days (what date filters widen their index range by) is written only when an
    event is wider than any this process wrote; a rolled-back transaction forgets what it wrote."""
    wide = ev("w1", D(2024, 3, 30)).model_copy(update={"date": DateRange(start=D(2024, 3, 1), end=D(2024, 3, 29),
                                                                          precision="month")})
    with Store(tmp_path / "s.db") as s:
        s.add(result_of(ev("n1", D(2024, 3, 2), date=D(2024, 3, 1))))
        assert s._max_span() == 0
        with pytest.raises(RuntimeError):
            with s._write() as conn:
                s._put_event(conn, wide, "2024-04-01T00:00:00+00:00")
                raise RuntimeError("interrupted")
        assert s._max_span() == 0
        s.add(result_of(wide))
        assert s._max_span() == 28
        assert [e.id for e in s.events(start="2024-03-20", end="2024-03-20")] == ["w1-e1"]


def test_a_copy_that_adds_only_a_source_does_not_recluster(tmp_path, pipeline, monkeypatch):
    """A copy from another outlet re-clusters nothing when its reports' matcher features stay as
    they were (it adds a source, a later report date); an earlier date re-files them."""
    calls = []
    real = Store._place

    def spy(self, *a, **kw):
        calls.append(kw.get("stored", False))
        return real(self, *a, **kw)

    monkeypatch.setattr(Store, "_place", spy)
    with Store(tmp_path / "s.db") as s:
        s.ingest([Article(id=Article.make_id(STORY), text=STORY, source="Lake Post", published=D(2024, 4, 10))],
                 pipeline=pipeline)
        assert calls == [False]
        later = STORY + " Distributed by Coast Wire."
        s.ingest([Article(id=Article.make_id(later), text=later, source="Coast Wire", published=D(2024, 4, 12))],
                 pipeline=pipeline)
        assert calls == [False]                      # fused again, not re-clustered
        assert all("Coast Wire" in e.sources and e.last_reported == D(2024, 4, 12) for e in s.events())
        early = "JOS, Nigeria (Dawn Wire) - " + STORY
        s.ingest([Article(id=Article.make_id(early), text=early, source="Dawn Wire", published=D(2024, 4, 9))],
                 pipeline=pipeline)
        assert calls == [False, True]                # the first report date moved: re-filed
