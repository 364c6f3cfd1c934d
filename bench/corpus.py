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


# --------------------------------------------------------------------------- ~600-word news articles


SOURCES = ["Sahel Dispatch", "Eastern Ledger", "Horn Observer", "Lakes Courier", "Andes Wire", "Gulf Monitor",
           "Frontier Post Online", "Delta Herald", "Highland Times", "Coastal Record"]
EXTRA_BACKGROUND = [
    "Analysts said the latest incident fits a pattern of attacks on roads used by supply convoys, which have "
    "become more frequent since the rainy season ended and the tracks became passable again.",
    "The district's health office said its two hospitals were short of blood supplies and surgical kits, and "
    "that several patients had been referred to the regional capital, a journey of more than six hours.",
    "Diplomats in the capital said a new round of talks was possible before the end of the month, although "
    "neither side has publicly committed to a date or a venue.",
    "Prices of maize and cooking oil in the main market rose by about a third over the past month, traders "
    "said, as fewer lorries made the trip from the coast.",
    "Human rights groups have repeatedly called for independent investigations into abuses by all parties, "
    "and for those responsible to be brought to justice.",
    "The United Nations refugee agency said more than 40,000 people had crossed into neighbouring countries "
    "since the beginning of the year, most of them women and children.",
    "Mobile phone networks in parts of the province were down for most of the week, making it difficult to "
    "verify reports from remote villages.",
    "Schools in the area reopened in January after a closure of several months, but attendance remains low, "
    "according to teachers contacted by telephone.",
]
SECTION_LEADS = ["Elsewhere in the region,", "In a separate development,", "Earlier this month,",
                 "In related news,", "Meanwhile,"]


def _sample_records() -> list[dict]:
    import json
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "samples" / "sample-articles.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _vary(text: str, rng: random.Random) -> str:
    """Another day of the week and other small numbers, so copies of a sample are new reports."""
    import re

    text = re.sub(r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b",
                  lambda m: rng.choice(WEEKDAYS), text)
    return re.sub(r"\b([2-9]|1[0-9])\b(?= (?:people|soldiers|civilians|villagers|workers|members|police|"
                  r"protesters|of|were|had|killed|dead|others))", lambda m: str(rng.randint(2, 19)), text)


def make_news_corpus(n: int = 1000, seed: int = 11, words: int = 630) -> list[dict]:
    """n articles of about ``words`` words each, in the shape news exports have (id, url, title,
    source, published, text with paragraphs): a sample article's story (varied), follow-up event
    paragraphs from the templates above set in the story's town or another, background and quotes,
    and a second sample story as a regional round-up. One article in 12 holds no event at all."""
    rng = random.Random(seed)
    samples = _sample_records()
    start = dt.date(2023, 1, 1)
    out = []
    for i in range(n):
        base = rng.choice(samples)
        place, country = rng.choice(PLACES)
        fill = dict(actor2=rng.choice(ACTORS), place=place, day=rng.choice(WEEKDAYS), n=rng.choice(NUMS),
                    victims=rng.choice(VICTIMS))
        quiet = i % 12 == 11
        paras = [] if quiet else [_vary(p, rng) for p in base["text"].split("\n\n")]
        title = base["title"] if not quiet else f"Markets and roads in {place} after a difficult year"
        backgrounds = rng.sample(BACKGROUND + EXTRA_BACKGROUND, len(BACKGROUND + EXTRA_BACKGROUND))
        extra = rng.sample(EVENTS, 3)
        other = rng.choice([s for s in samples if s is not base])
        k = 0
        while len(" ".join(paras).split()) < words - 40:
            step = k % 5
            if step == 0 and backgrounds:
                paras.append(backgrounds.pop())
            elif step == 1 and extra and not quiet:
                fill.update(day=rng.choice(WEEKDAYS), n=rng.choice(NUMS), victims=rng.choice(VICTIMS),
                            actor=rng.choice(ACTORS).capitalize())
                paras.append(extra.pop().format(**fill))
            elif step == 2:
                paras.append(rng.choice(QUOTES).format(name=rng.choice(NAMES)))
            elif step == 3 and not quiet and other is not None:
                lead, *rest = [_vary(p, rng) for p in other["text"].split("\n\n")]
                paras.append(f"{rng.choice(SECTION_LEADS)} {lead[0].lower()}{lead[1:]}")
                paras.extend(rest[:2])
                other = None
            elif backgrounds:
                paras.append(backgrounds.pop())
            else:
                paras.append(f"{place} lies in {country}; the nearest town with a hospital is a day's drive away.")
            k += 1
        pub = start + dt.timedelta(days=rng.randrange(3 * 365))
        src = rng.choice(SOURCES)
        slug = "-".join(title.lower().split()[:6]).strip(".,'")
        out.append({"id": f"news-{i:05d}", "url": f"https://{src.lower().replace(' ', '')}.example/{pub:%Y/%m}/{slug}-{i}",
                    "title": title, "source": src, "published": pub.isoformat(), "text": "\n\n".join(paras)})
    return out


def write_shards(folder, articles: list[dict], per_shard: int = 100) -> list:
    """JSONL shards of ``per_shard`` articles (what `ingest` and `run --cluster` take)."""
    import json
    from pathlib import Path

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for k in range(0, len(articles), per_shard):
        p = folder / f"shard-{k // per_shard:05d}.jsonl"
        p.write_text("".join(json.dumps(a) + "\n" for a in articles[k:k + per_shard]), encoding="utf-8")
        paths.append(p)
    return paths
