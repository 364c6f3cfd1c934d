"""Cross-report deduplication (wirecoder.dedupe) on hand-built events, and `eval dedup` end to end."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

import pytest

from wirecoder.dedupe import cluster, find_match, merge_events
from wirecoder.schema import Actor, Count, DateRange, Event, Location

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT / "tests" / "data" / "dedup-dev.jsonl"

D = dt.date
KHERSON = dict(name="Kherson", lat=46.6354, lon=32.6169, country="UKR", admin1="Kherson", feature="city", precision=1)
KHERSON_PORT = dict(name="Kherson port", lat=46.62, lon=32.60, country="UKR", admin1="Kherson", feature="city",
                    precision=2)
NYALA = dict(name="Nyala", lat=12.0489, lon=24.8807, country="SDN", admin1="South Darfur", feature="city", precision=1)
ED_DAEIN = dict(name="Ed Daein", lat=11.4616, lon=26.1283, country="SDN", admin1="East Darfur", feature="city",
                precision=1)
SOUTH_DARFUR = dict(name="South Darfur", lat=11.5, lon=24.5, country="SDN", admin1="South Darfur", feature="admin1",
                    precision=3)
SUDAN = dict(name="Sudan", lat=15.5, lon=30.0, country="SDN", feature="country", precision=3)
EVENT_TYPE = {"Shelling/artillery/missile attack": "Explosions/Remote violence",
              "Air/drone strike": "Explosions/Remote violence", "Peaceful protest": "Protests",
              "Armed clash": "Battles", "Abduction/forced disappearance": "Violence against civilians"}
RUSSIA = Actor(text="Russian forces", name="Russia", country="RUS", sector="MIL")
SDN_ARMY = Actor(text="the army", name="Sudan", country="SDN", sector="MIL")


def ev(article: str, published: D, *, place=KHERSON, date: D | None = None, kind="ASSAULT",
       sub="Shelling/artillery/missile attack", killed=None, source=None, actors=(), claimed_by=None) -> Event:
    loc = Location(text=place["name"], **place) if place else None
    if date is None:
        dr = DateRange(start=published - dt.timedelta(days=1), end=published, precision="range", inferred=True)
    else:
        dr = DateRange(start=date, end=date, precision="day")
    counts = []
    if killed is not None:
        counts.append(Count(kind="killed", value=killed, text=f"{killed} killed", source_article=article,
                            claimed_by=claimed_by))
    e = Event(id=f"{article}-e1", plover_type=kind, acled_sub_event_type=sub,
              acled_event_type=EVENT_TYPE.get(sub), actors=list(actors),
              location=loc, date=dr, counts=counts, article_ids=[article], sources=[source or f"src-{article}"],
              first_reported=published, last_reported=published)
    e.fatalities = killed
    return e


def as_sets(groups, events):
    return {frozenset(events[i].id for i in g) for g in groups}


def test_two_reports_of_one_event_merge_keeping_all_counts():
    a = ev("a1", D(2024, 6, 21), date=D(2024, 6, 21), killed=3, source="Kyiv Post", claimed_by="regional governor",
           actors=[RUSSIA])
    b = ev("b2", D(2024, 6, 22), place=KHERSON_PORT, date=D(2024, 6, 21), killed=4, source="Ukrainska Pravda")
    c = ev("c3", D(2024, 6, 23), place=dict(name="Ukraine", lat=49.0, lon=32.0, country="UKR", feature="country",
                                            precision=3), date=D(2024, 6, 21), killed=5, source="Kyiv Post")
    assert cluster([a, b, c]) == [[0, 1, 2]]
    (m,) = merge_events([a, b, c])
    assert m.id == "a1-e1"  # the earliest report's id: stable
    assert m.article_ids == ["a1", "b2", "c3"]
    assert m.sources == ["Kyiv Post", "Ukrainska Pravda"]
    assert (m.first_reported, m.last_reported) == (D(2024, 6, 21), D(2024, 6, 23))
    assert sorted((c.source_article, c.value) for c in m.counts) == [("a1", 3), ("b2", 4), ("c3", 5)]
    assert next(c for c in m.counts if c.source_article == "a1").claimed_by == "regional governor"
    assert m.fatalities == 3  # most conservative across sources (ACLED)
    assert m.reconcile_rule and "conservative" in m.reconcile_rule
    assert m.location.name == "Kherson" and m.location.precision == 1  # most precise place
    assert m.date.start == D(2024, 6, 21) and not m.date.inferred
    assert [a.name for a in m.actors] == ["Russia"]


def test_same_place_and_type_a_week_apart_stay_apart():
    a = ev("a1", D(2024, 7, 2), date=D(2024, 7, 2), kind="PROTEST", sub="Peaceful protest")
    b = ev("b2", D(2024, 7, 9), date=D(2024, 7, 9), kind="PROTEST", sub="Peaceful protest")
    # publication-dated reports (no date in the text) a week apart too
    c = ev("c3", D(2024, 7, 3), kind="PROTEST", sub="Peaceful protest")
    d = ev("d4", D(2024, 7, 10), kind="PROTEST", sub="Peaceful protest")
    got = as_sets(cluster([a, b, c, d]), [a, b, c, d])
    assert got == {frozenset({"a1-e1", "c3-e1"}), frozenset({"b2-e1", "d4-e1"})}


def test_stated_dates_three_days_apart_in_one_city_stay_apart():
    a = ev("a1", D(2024, 6, 21), date=D(2024, 6, 21))
    b = ev("b2", D(2024, 6, 24), date=D(2024, 6, 24))
    assert len(cluster([a, b])) == 2


def test_same_day_and_type_in_towns_far_apart_stay_apart():
    a = ev("a1", D(2025, 2, 10), place=NYALA, date=D(2025, 2, 10), sub="Air/drone strike")
    b = ev("b2", D(2025, 2, 10), place=ED_DAEIN, date=D(2025, 2, 10), sub="Air/drone strike")
    assert len(cluster([a, b])) == 2
    assert len(merge_events([a, b])) == 2


def test_a_vague_report_does_not_chain_two_events():
    a = ev("a1", D(2025, 2, 10), place=NYALA, date=D(2025, 2, 10), sub="Air/drone strike", actors=[SDN_ARMY])
    b = ev("b2", D(2025, 2, 10), place=ED_DAEIN, date=D(2025, 2, 10), sub="Air/drone strike", actors=[SDN_ARMY])
    c = ev("c3", D(2025, 2, 11), place=SUDAN, date=D(2025, 2, 10), sub="Air/drone strike")
    d = ev("d4", D(2025, 2, 11), place=SOUTH_DARFUR, date=D(2025, 2, 10), sub="Air/drone strike")
    groups = cluster([a, b, c, d])
    got = as_sets(groups, [a, b, c, d])
    assert frozenset({"a1-e1", "b2-e1"}) not in got and not any({"a1-e1", "b2-e1"} <= g for g in got)
    assert any({"a1-e1", "d4-e1"} <= g for g in got)  # the region report joins the town in that region


def test_region_report_does_not_join_town_outside_the_region():
    b = ev("b2", D(2025, 2, 10), place=ED_DAEIN, date=D(2025, 2, 10), sub="Air/drone strike")
    d = ev("d4", D(2025, 2, 11), place=SOUTH_DARFUR, date=D(2025, 2, 10), sub="Air/drone strike")
    assert len(cluster([b, d])) == 2


def test_country_level_report_needs_close_stated_dates():
    town = ev("a1", D(2025, 2, 10), place=NYALA, date=D(2025, 2, 10))
    undated = ev("b2", D(2025, 2, 11), place=SUDAN)  # publication-dated, country only: too vague
    dated = ev("c3", D(2025, 2, 11), place=SUDAN, date=D(2025, 2, 10))
    assert len(cluster([town, undated])) == 2
    assert len(cluster([town, dated])) == 1


def test_other_types_countries_actors_and_one_article_stay_apart():
    base = ev("a1", D(2024, 6, 21), date=D(2024, 6, 21), actors=[RUSSIA])
    other_type = ev("b2", D(2024, 6, 21), date=D(2024, 6, 21), kind="PROTEST", sub="Peaceful protest")
    other_sub = ev("b3", D(2024, 6, 21), date=D(2024, 6, 21), sub="Abduction/forced disappearance")
    other_actor = ev("c3", D(2024, 6, 21), date=D(2024, 6, 21),
                     actors=[Actor(text="Ukraine", name="Ukraine", country="UKR", sector="MIL")])
    same_article = ev("a1", D(2024, 6, 21), date=D(2024, 6, 21))
    same_article.id = "a1-e2"
    for other in (other_type, other_sub, other_actor, same_article):
        assert len(cluster([base, other])) == 2, other.id


def test_merging_is_order_independent():
    rng = random.Random(7)
    events = [
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
    ]
    want = as_sets(cluster(events), events)
    want_merged = sorted(e.model_dump_json() for e in merge_events(events))
    assert len(want) < len(events)
    for _ in range(20):
        shuffled = events[:]
        rng.shuffle(shuffled)
        assert as_sets(cluster(shuffled), shuffled) == want
        assert sorted(e.model_dump_json() for e in merge_events(shuffled)) == want_merged


def test_merging_is_idempotent():
    events = [
        ev("a1", D(2024, 6, 21), date=D(2024, 6, 21), killed=3, actors=[RUSSIA]),
        ev("a2", D(2024, 6, 22), place=KHERSON_PORT, date=D(2024, 6, 21), killed=4),
        ev("a3", D(2024, 6, 22), killed=2),
        ev("a4", D(2024, 6, 24), date=D(2024, 6, 24), killed=2),
        ev("b1", D(2025, 2, 10), place=NYALA, date=D(2025, 2, 10), sub="Air/drone strike", killed=23),
        ev("b2", D(2025, 2, 10), place=ED_DAEIN, date=D(2025, 2, 10), sub="Air/drone strike", killed=8),
        ev("b3", D(2025, 2, 11), place=SUDAN, date=D(2025, 2, 10), sub="Air/drone strike"),
        ev("b4", D(2025, 2, 12), place=SOUTH_DARFUR, date=D(2025, 2, 10), sub="Air/drone strike"),
    ]
    once = merge_events(events)
    twice = merge_events(once)
    assert [e.model_dump_json() for e in twice] == [e.model_dump_json() for e in once]
    assert len(once) < len(events)


def test_find_match_for_incremental_updates():
    stored = [
        ev("a1", D(2024, 6, 21), date=D(2024, 6, 21), killed=3),
        ev("b1", D(2025, 2, 10), place=NYALA, date=D(2025, 2, 10), sub="Air/drone strike"),
    ]
    new = ev("z9", D(2024, 6, 22), place=KHERSON_PORT, date=D(2024, 6, 21), killed=4)
    assert find_match(new, stored) == 0
    later = ev("z8", D(2024, 6, 28), date=D(2024, 6, 28))
    assert find_match(later, stored) is None
    # the store replaces the match by the fused event: same id, both reports
    fused = merge_events([stored[0], new])
    assert len(fused) == 1 and fused[0].id == "a1-e1" and fused[0].article_ids == ["a1", "z9"]


def test_blocking_finds_neighbours_across_cell_and_date_bin_edges():
    # two reports 50 km apart straddling grid cells, dates straddling a bin edge
    a = ev("a1", D(2024, 1, 3), place=dict(name="A", lat=0.49, lon=10.49, country="XXX", feature="city", precision=1),
           date=D(2024, 1, 2))
    b = ev("b1", D(2024, 1, 4), place=dict(name="B", lat=0.80, lon=10.81, country="XXX", feature="city", precision=1),
           date=D(2024, 1, 3))
    for day in range(12):
        a2 = a.model_copy(update={"date": DateRange(start=D(2024, 1, 2) + dt.timedelta(days=day),
                                                      end=D(2024, 1, 2) + dt.timedelta(days=day))})
        b2 = b.model_copy(update={"date": DateRange(start=D(2024, 1, 3) + dt.timedelta(days=day),
                                                      end=D(2024, 1, 3) + dt.timedelta(days=day))})
        assert cluster([a2, b2]) == [[0, 1]], day


def test_eval_dedup_cli_on_the_dev_file():
    pytest.importorskip("wirecoder.actors")  # the pipeline needs it (being written alongside)
    from click.testing import CliRunner

    from wirecoder.evaluate.dedup import cli

    res = CliRunner().invoke(cli, [str(DEV), "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    for k in ("pairwise_precision", "pairwise_recall", "pairwise_f1", "bcubed_f1"):
        assert 0.0 <= out[k] <= 1.0
    assert out["articles"] == 51 and out["gold_clusters"] == 20
    assert out["bcubed_f1"] >= 0.90


def test_eval_dedup_bad_input_names_the_file(tmp_path):
    from click.testing import CliRunner

    from wirecoder.evaluate.dedup import cli

    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "text": \n')
    res = CliRunner().invoke(cli, [str(bad)])
    assert res.exit_code != 0
    assert "bad.jsonl" in res.output


def _with_sentence(e: Event, sentence: str) -> Event:
    from wirecoder.schema import Mention, Span

    m = Mention(article_id=e.article_ids[0], sentence=0, trigger=Span(start=0, end=5, text=sentence[:5]),
                sentence_span=Span(start=0, end=len(sentence), text=sentence), plover_type=e.plover_type,
                acled_sub_event_type=e.acled_sub_event_type)
    return e.model_copy(update={"mentions": [m]})


def test_a_placeless_report_joins_only_through_a_shared_proper_name():
    town = _with_sentence(ev("a1", D(2024, 6, 21), date=D(2024, 6, 21)),
                          "Russian artillery shelled central Kherson on Friday, killing three.")
    named = _with_sentence(ev("b2", D(2024, 6, 22), place=None, date=D(2024, 6, 21)),
                           "Three civilians died on Friday when shells hit a bus stop in Kherson.")
    unnamed = _with_sentence(ev("c3", D(2024, 6, 22), place=None, date=D(2024, 6, 21)),
                             "Three civilians died on Friday when shells hit a bus stop, officials said.")
    assert len(cluster([town, named])) == 1
    assert len(cluster([town, unnamed])) == 2  # 'Friday' and sentence-initial words do not count


def test_eval_dedup_via_the_installed_entry_point(cli):
    pytest.importorskip("wirecoder.actors")
    helped = cli("eval", "--help")
    if "dedup" not in helped.stdout:
        pytest.skip("`eval dedup` is not registered in cli.py yet")
    res = cli("eval", "dedup", DEV, "--json")
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert out["bcubed_f1"] >= 0.90 and out["articles"] == 51


def _all_pairs_cluster(events, day_window=3, km_limit=60.0, close_days=1):
    """The clustering without blocking: every pair scored in every round (the reference)."""
    from wirecoder.dedupe import _canon, _fuse_reps, _rep_of, _score, _usable

    order = sorted(range(len(events)), key=lambda i: _canon(events[i]))
    parent = list(range(len(events)))

    def find(x):
        while parent[x] != x:
            x = parent[x]
        return x

    reps = {p: r for p, e in enumerate(events[i] for i in order) if _usable(r := _rep_of(e, day_window))}
    while True:
        roots = sorted(reps)
        pairs = sorted((s, i, j) for x, i in enumerate(roots) for j in roots[x + 1:]
                       if (s := _score(reps[i], reps[j], km_limit, close_days)) is not None)
        merged = False
        for _s, i, j in pairs:
            a, b = find(i), find(j)
            if a == b or _score(reps[a], reps[b], km_limit, close_days) is None:
                continue
            a, b = min(a, b), max(a, b)
            parent[b] = a
            reps[a] = _fuse_reps(reps[a], reps.pop(b))
            merged = True
        if not merged:
            break
    groups = {}
    for p in range(len(events)):
        groups.setdefault(find(p), []).append(order[p])
    return sorted(sorted(g) for g in groups.values())


@pytest.mark.parametrize("seed", range(6))
def test_blocking_misses_no_pair_that_all_pairs_scoring_would_merge(seed):
    # dense random reports mixing every kind of place (towns near cell edges and far north, towns
    # without a region or country, regions, countries, none), stated, inferred and wide dates,
    # shared and conflicting actors, shared proper names
    rng = random.Random(seed)
    actors = [RUSSIA, SDN_ARMY, Actor(text="Ukraine", name="Ukraine", country="UKR", sector="MIL")]
    names = ["Kherson bus stop", "Bulama", "Kolo", "the market"]
    events = []
    for k in range(140):
        r = rng.random()
        if r < 0.55:
            lat = rng.choice([0.0, 46.6, 69.5, -0.3]) + rng.uniform(-0.7, 0.7)
            place = dict(name=f"T{k}", lat=lat, lon=rng.choice([32.6, 179.8, -179.9]) + rng.uniform(-0.7, 0.7),
                         country=rng.choice(["UKR", "UKR", None]), admin1=rng.choice(["R1", "R2", None]),
                         feature="city", precision=1)
        elif r < 0.7:
            place = dict(name=rng.choice(["R1", "R2"]), lat=46.0, lon=32.0, country=rng.choice(["UKR", None]),
                         feature="admin1", precision=3)
        elif r < 0.85:
            place = dict(name="Ukraine", lat=49.0, lon=32.0, country=rng.choice(["UKR", "SDN"]), feature="country",
                         precision=3)
        else:
            place = None
        published = D(2024, 6, 20) + dt.timedelta(days=rng.randrange(6))
        date = rng.choice([None, published, published - dt.timedelta(days=1)])
        e = ev(f"a{k:03d}", published, place=place, date=date, kind=rng.choice(["ASSAULT", "PROTEST", "COERCE"]),
               sub=rng.choice(["Shelling/artillery/missile attack", "Armed clash", None]),
               actors=rng.sample(actors, rng.choice([0, 0, 1])))
        if rng.random() < 0.1:
            e = e.model_copy(update={"date": DateRange(start=published - dt.timedelta(days=rng.choice([3, 20])),
                                                       end=published, precision="range")})
        if rng.random() < 0.3:
            e = _with_sentence(e, f"Witnesses said {rng.choice(names)} was hit on Friday.")
        events.append(e)
    want = _all_pairs_cluster(events)
    assert any(len(g) > 1 for g in want)
    assert sorted(cluster(events)) == want
