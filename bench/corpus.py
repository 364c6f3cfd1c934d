"""A synthetic benchmark corpus written from our own templates (no copied text).

``make_corpus(n, seed)`` returns n news-style articles of ~150-300 words, each with
a publication date, mixing event paragraphs with background paragraphs."""

from __future__ import annotations

import datetime as dt
import random

PLACES = [("Maiduguri", "Nigeria"), ("Goma", "the Democratic Republic of the Congo"), ("Mogadishu", "Somalia"),
          ("Kharkiv", "Ukraine"), ("Aleppo", "Syria"), ("Mosul", "Iraq"), ("Kandahar", "Afghanistan"),
          ("Peshawar", "Pakistan"), ("Gao", "Mali"), ("El Fasher", "Sudan"), ("Marib", "Yemen"),
          ("Cali", "Colombia"), ("Culiacan", "Mexico"), ("Mandalay", "Myanmar"), ("Marawi", "the Philippines"),
          ("Bamenda", "Cameroon"), ("Kidal", "Mali"), ("Beni", "the Democratic Republic of the Congo")]
ACTORS = ["government forces", "rebel fighters", "police officers", "unidentified gunmen", "militants",
          "the army", "soldiers", "security forces", "armed men", "a local militia"]
VICTIMS = ["villagers", "civilians", "soldiers", "police officers", "fighters", "farmers", "traders"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
NUMS = ["two", "three", "four", "five", "six", "seven", "eight", "10", "12", "15", "21"]
EVENTS = [
    "{actor} attacked a village near {place} on {day}, killing {n} {victims}, a local official said.",
    "An air strike hit a market in {place} on {day}, killing {n} people and wounding dozens, residents said.",
    "{actor} clashed with {actor2} outside {place} late on {day}, according to witnesses.",
    "Police arrested {n} protesters in {place} on {day} after a march against rising fuel prices.",
    "Hundreds of students protested in {place} on {day}, demanding the release of detained activists.",
    "A roadside bomb exploded near a checkpoint in {place} on {day}, killing {n} {victims}.",
    "{actor} shelled residential areas of {place} overnight, the regional governor said.",
    "Gunmen kidnapped {n} aid workers on the road to {place} on {day}, the organisation said.",
    "The government sent {n}00 extra troops to {place} on {day} to reinforce the garrison.",
    "The two sides agreed to a ceasefire in {place} on {day} after talks mediated by elders.",
]
BACKGROUND = [
    "The region has seen repeated violence over the past year, and thousands of families have fled their homes.",
    "Humanitarian groups have warned that food prices in the area have doubled since the start of the year.",
    "The road linking the town to the regional capital has been closed for several weeks.",
    "Local radio stations reported that schools and clinics in the district remained closed.",
    "Officials did not say how many people had been displaced, but aid agencies put the figure in the thousands.",
    "Residents described hearing heavy gunfire for several hours before the area fell quiet.",
    "The authorities have promised an investigation, but previous inquiries have produced few results.",
    "Markets reopened on the following morning, although many traders stayed away.",
]
QUOTES = [
    '"We heard the first explosion just after dawn and everyone ran," said {name}, a resident.',
    '"The situation remains tense, but our forces are in control," said {name}, a military spokesman.',
    '"We need urgent help for the wounded," {name}, a local doctor, told reporters.',
]
NAMES = ["Amina Yusuf", "Daniel Okafor", "Marta Ruiz", "Omar Haddad", "Grace Mwangi", "Ivan Petrenko", "Lina Saleh"]


def make_corpus(n: int = 200, seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    out = []
    start = dt.date(2024, 1, 1)
    for i in range(n):
        place, country = rng.choice(PLACES)
        paras = []
        for k in range(rng.randint(2, 3)):
            paras.append(rng.choice(EVENTS).format(
                actor=rng.choice(ACTORS).capitalize() if k == 0 else rng.choice(ACTORS).capitalize(),
                actor2=rng.choice(ACTORS), place=place, day=rng.choice(WEEKDAYS), n=rng.choice(NUMS),
                victims=rng.choice(VICTIMS)))
            paras.append(rng.choice(BACKGROUND))
        paras.insert(1, f"{place} lies in the north of {country}.")
        paras.append(rng.choice(QUOTES).format(name=rng.choice(NAMES)))
        paras.extend(rng.sample(BACKGROUND, 3))
        out.append({"id": f"bench-{i:05d}", "published": (start + dt.timedelta(days=i % 365)).isoformat(),
                    "source": "Bench Wire", "text": "\n\n".join(paras)})
    return out
