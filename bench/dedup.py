"""Cross-report deduplication at scale: time ``wirecoder.dedupe.cluster`` on synthetic event
records (10k and 100k), and check it finds the planted duplicates.

    .venv/bin/python bench/dedup.py [--sizes 10000 100000] [--out bench/results/dedup.json]

The records: random PLOVER types, dates, towns (with coordinates, in admin1 regions) over six
countries. Each real event is reported 1-4 times; the reports jitter as real ones do: a nearby
place or only the region or country, the day before or after, or no stated date
(publication-dated), named actors or none.

Two scenarios, both always run:

* ``constant-density``: the archive grows over time, as a real event archive does: the
  smallest size covers one year and the others proportionally more days (100k records: ten
  years), same places. Events per town per day stay the same.
* ``fixed-world`` (stress test): every size covers the same one year, so 100k records are ten
  times denser than 10k: ten times as many distinct same-type events near each record on the
  same days. Genuinely compatible pairs (and the greedy clustering's mistakes) grow with the
  square of the size here, so neither the time nor the quality can stay linear/flat.

Prints a table (records, seconds, records/s, planted-duplicate pairwise P/R/F1) and, per
scenario, the largest/smallest time ratio (near-linear cost gives about 10 for 100k/10k), and
writes JSON results."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

TYPES = ["ASSAULT", "PROTEST", "COERCE", "MOBILIZE", "AID", "THREATEN", "ACCUSE", "CONSULT", "AGREE",
         "SANCTION", "REQUEST", "COOPERATE"]
SUBS = {"ASSAULT": [("Explosions/Remote violence", "Air/drone strike"),
                    ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
                    ("Battles", "Armed clash"), ("Violence against civilians", "Attack")],
        "PROTEST": [("Protests", "Peaceful protest"), ("Riots", "Violent demonstration")],
        "COERCE": [("Strategic developments", "Arrests")]}
# (ISO3, centre lat, centre lon, half-size in degrees)
COUNTRIES = [("NGA", 9.0, 8.0, 5.0), ("SDN", 14.0, 29.0, 6.0), ("UKR", 49.0, 32.0, 4.0),
             ("SOM", 5.0, 46.0, 4.0), ("COD", -3.0, 23.0, 7.0), ("PAK", 30.0, 69.0, 5.0)]
TOWNS_PER_COUNTRY = 80
ADMIN1_PER_COUNTRY = 8


def make_world(rng: random.Random):
    from wirecoder.schema import Actor, Location

    towns, admins, nations, actors = {}, {}, {}, {}
    for iso, clat, clon, half in COUNTRIES:
        nations[iso] = Location(text=iso, name=iso, lat=clat, lon=clon, country=iso, feature="country", precision=3)
        admins[iso] = [Location(text=f"{iso}-A{k}", name=f"{iso}-A{k}", lat=clat, lon=clon, country=iso,
                                admin1=f"{iso}-A{k}", feature="admin1", precision=3) for k in range(ADMIN1_PER_COUNTRY)]
        towns[iso] = []
        for k in range(TOWNS_PER_COUNTRY):
            lat, lon = clat + rng.uniform(-half, half), clon + rng.uniform(-half, half)
            a1 = f"{iso}-A{k % ADMIN1_PER_COUNTRY}"
            towns[iso].append(Location(text=f"{iso}-T{k}", name=f"{iso}-T{k}", lat=lat, lon=lon, country=iso,
                                       admin1=a1, feature="city", precision=1))
        actors[iso] = [Actor(text=f"{iso} army", name=f"{iso} army", country=iso, sector="MIL"),
                       Actor(text=f"{iso} police", name=f"{iso} police", country=iso, sector="POL"),
                       Actor(text=f"{iso} rebels", name=f"{iso} rebels", sector="REB")]
    return towns, admins, nations, actors


def make_records(n: int, seed: int = 1, days: int = 365):
    """n event records (one per report) and the real event each reports, over ``days`` days."""
    from wirecoder.schema import Count, DateRange, Event, Location

    rng = random.Random(seed)
    towns, admins, nations, actors = make_world(rng)
    start = dt.date(2024, 1, 1)
    events, truth = [], []
    real = 0
    while len(events) < n:
        real += 1
        iso = rng.choice(COUNTRIES)[0]
        town = rng.choice(towns[iso])
        typ = rng.choice(TYPES)
        ev_type, sub = rng.choice(SUBS.get(typ, [(None, None)]))
        day = start + dt.timedelta(days=rng.randrange(days))
        actor = rng.choice(actors[iso]) if rng.random() < 0.5 else None
        killed = rng.randrange(1, 40) if typ == "ASSAULT" else None
        for _ in range(min(rng.choice([1, 1, 1, 2, 2, 3, 4]), n - len(events))):
            aid = f"art{len(events):07d}"
            published = day + dt.timedelta(days=rng.choice([0, 0, 1, 1, 2]))
            r = rng.random()
            if r < 0.70:
                loc = town
            elif r < 0.82:  # a nearby spot (a district, a village next door): within ~15 km
                loc = Location(text="near " + town.name, name="near " + town.name,
                               lat=town.lat + rng.uniform(-0.1, 0.1), lon=town.lon + rng.uniform(-0.1, 0.1),
                               country=iso, admin1=town.admin1, feature="city", precision=2)
            elif r < 0.90:
                loc = next(a for a in admins[iso] if a.admin1 == town.admin1)
            else:
                loc = nations[iso]
            r = rng.random()
            if r < 0.60:
                date = DateRange(start=day, end=day)
            elif r < 0.70:
                d2 = day + dt.timedelta(days=rng.choice([-1, 1]))
                date = DateRange(start=min(d2, published), end=min(d2, published))
            else:
                date = DateRange(start=published - dt.timedelta(days=1), end=published, precision="range",
                                 inferred=True)
            counts = []
            if killed is not None:
                v = max(1, killed + rng.randrange(-3, 4))
                counts.append(Count(kind="killed", value=v, text=f"{v} killed", source_article=aid))
            events.append(Event(
                id=f"{aid}-e1", plover_type=typ, acled_event_type=ev_type, acled_sub_event_type=sub,
                actors=[actor] if actor is not None and rng.random() < 0.8 else [], location=loc, date=date,
                counts=counts, fatalities=counts[0].value if counts else None, article_ids=[aid],
                sources=[f"source{rng.randrange(30)}"], first_reported=published, last_reported=published))
            truth.append(real)
    return events, truth


def pair_scores(groups: list[list[int]], truth: list[int]) -> dict:
    from collections import Counter

    pred = [0] * len(truth)
    for gi, g in enumerate(groups):
        for i in g:
            pred[i] = gi
    c = lambda labels: sum(k * (k - 1) // 2 for k in Counter(labels).values())  # noqa: E731
    npred, ngold, tp = c(pred), c(truth), c(zip(pred, truth))
    p = tp / npred if npred else 1.0
    r = tp / ngold if ngold else 1.0
    return {"pairwise_precision": round(p, 4), "pairwise_recall": round(r, 4),
            "pairwise_f1": round(2 * p * r / (p + r), 4) if p + r else 0.0}


SCENARIOS = ("constant-density", "fixed-world")


def run(n: int, days: int, repeat: int) -> dict:
    from wirecoder.dedupe import cluster

    t0 = time.perf_counter()
    events, truth = make_records(n, days=days)
    build = time.perf_counter() - t0
    times = []
    for _ in range(repeat):
        t1 = time.perf_counter()
        groups = cluster(events)
        times.append(time.perf_counter() - t1)
    secs = min(times)
    return {"records": n, "days": days, "real_events": len(set(truth)), "clusters": len(groups),
            "build_s": round(build, 2), "cluster_s": round(secs, 3), "records_per_s": round(n / secs),
            **pair_scores(groups, truth)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--repeat", type=int, default=3, help="timed runs per size and scenario (the fastest is kept)")
    ap.add_argument("--out", default=str(HERE / "results" / "dedup.json"))
    args = ap.parse_args()
    sizes = sorted(args.sizes)
    result = {"machine": f"{platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}",
              "command": ".venv/bin/python bench/dedup.py --sizes " + " ".join(map(str, sizes))
              + f" --repeat {args.repeat}", "scenarios": {}}
    print(f"{'scenario':<17} {'records':>8} {'days':>5} {'real':>7} {'clusters':>8} {'cluster s':>9} {'rec/s':>7} "
          f"{'pair P':>7} {'pair R':>7} {'pair F1':>7}")
    for scen in SCENARIOS:
        rows = []
        for n in sizes:
            days = round(365 * n / sizes[0]) if scen == "constant-density" else 365
            r = run(n, days, args.repeat)
            rows.append(r)
            print(f"{scen:<17} {r['records']:>8} {r['days']:>5} {r['real_events']:>7} {r['clusters']:>8} "
                  f"{r['cluster_s']:>9} {r['records_per_s']:>7} {r['pairwise_precision']:>7} "
                  f"{r['pairwise_recall']:>7} {r['pairwise_f1']:>7}", flush=True)
        entry = {"rows": rows}
        if len(rows) >= 2:
            entry["time_ratio"] = round(rows[-1]["cluster_s"] / rows[0]["cluster_s"], 2)
            entry["size_ratio"] = rows[-1]["records"] / rows[0]["records"]
        result["scenarios"][scen] = entry
    if len(sizes) >= 2:
        sr = sizes[-1] / sizes[0]
        for scen, entry in result["scenarios"].items():
            print(f"{scen}: time ratio {sizes[-1]}/{sizes[0]} = {entry['time_ratio']:.2f} "
                  f"(size ratio {sr:.0f}: linear = {sr:.0f}, quadratic = {sr ** 2:.0f})")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1) + "\n")
    print(f"wrote {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
