"""An analysis written against ACLED's documented columns and value conventions (codebook), as an
ACLED user would write it; it runs unchanged on `wirecoder export --format acled-csv`.
Usage: python acled_analysis.py FILE.csv -> JSON summary on stdout."""

import csv
import json
import sys
from collections import Counter, defaultdict

rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
by_type = Counter((r["event_type"], r["sub_event_type"]) for r in rows)
fatal = defaultdict(int)
for r in rows:
    month = r["event_date"][:7]                  # event_date is YYYY-MM-DD
    fatal[(r["admin1"], month)] += int(r["fatalities"])
state_forces = [r for r in rows if r["inter1"] == "1"]       # inter1 1: state forces
violent = [r for r in rows if r["disorder_type"].startswith("Political violence")]
precise = [r for r in rows if int(r["time_precision"]) == 1 and int(r["geo_precision"]) in (1, 2, 3)]
ids = {r["event_id_cnty"] for r in rows}
out = {
    "events": len(rows), "unique_ids": len(ids),
    "by_type": {f"{a} / {b}": n for (a, b), n in sorted(by_type.items())},
    "fatalities_by_admin1_month": {f"{a} {m}": n for (a, m), n in sorted(fatal.items())},
    "state_forces_actor1": len(state_forces), "political_violence": len(violent), "day_precise": len(precise),
    "countries": sorted({(int(r["iso"]), r["country"], r["region"]) for r in rows if r["iso"]}),
    "years": sorted({int(r["year"]) for r in rows}),
    "latest_change": max(int(r["timestamp"]) for r in rows),
    "coords": all(-90 <= float(r["latitude"]) <= 90 and -180 <= float(r["longitude"]) <= 180
                  for r in rows if r["latitude"]),
}
json.dump(out, sys.stdout, indent=1)
