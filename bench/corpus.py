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


# --------------------------------------------------------------------------- a mixed news feed


# Paragraphs of the articles a general news feed carries besides conflict news: sport, business,
# science and health, culture, local affairs. Written for this bench (no copied text). Like real
# articles of these kinds they quote people ("said", quotation marks) and use words that are
# also event words elsewhere ("attack", "shot", "strike", "fire", "cut", "beat", "charge").
GENRES = {
    "sport": {
        "titles": ["{team} beat {team2} to stay top of the table", "{team} draw with {team2} in rain-soaked derby",
                   "{name} signs new contract with {team}", "Late goal gives {team} first away win of the season"],
        "paras": [
            "{team} beat {team2} {n}-{m} on {day} evening, a result that keeps them top of the league with "
            "{k} games left to play in what has been an unusually close title race.",
            "The visitors started brightly and hit the post twice in the first quarter of an hour, but "
            "{team} grew into the game and took the lead through a low shot from the edge of the area.",
            "{name}, the club's attacking midfielder, was substituted at half-time with a hamstring problem "
            "and will have a scan on {day2}, the club's medical staff confirmed after the match.",
            "The second half was scrappy, with both sides giving the ball away cheaply in midfield and the "
            "referee showing {k} yellow cards as tempers frayed in the final twenty minutes.",
            "Attendance at the ground was just over {big},000, the highest of the season, and the home "
            "supporters sang throughout despite the steady rain that fell from kick-off onwards.",
            "The coach made three changes from the side that lost in the cup last week, bringing in two "
            "young defenders from the academy and moving the captain into a deeper role.",
            "Statistics compiled by the league show that {team} have conceded fewer goals than any other "
            "side this season, while their strikers have scored only twice from open play since October.",
            "The club's next fixture is away at {team2} in a fortnight, after the international break, when "
            "several of the squad will travel to play for their national teams.",
            "Tickets for the final home match of the season sold out within an hour of going on sale, and "
            "the club said it would put up a large screen in the car park for fans without seats.",
            "The transfer window opens in June, and the sporting director has said the budget will be "
            "similar to last year's, with priority given to a new goalkeeper and a left-back.",
            "Former players and pundits have praised the coach for building a side that presses high up "
            "the pitch and wins the ball back quickly, a style rarely seen at the club in recent decades.",
            "In the women's league, the club's second team won their fifth match in a row and moved into "
            "the promotion places with a game in hand over the teams around them.",
        ],
        "quotes": [
            '"We showed real character after a difficult start, and the players deserve the credit," {name} '
            'said at the post-match news conference.',
            '"It was not our best performance, but at this stage of the season it is the points that '
            'count," the captain told the club\'s television channel.',
            '"I am very happy here and I want to win trophies with this club," {name} said after signing.',
        ],
    },
    "business": {
        "titles": ["{company} profits rise as demand for {product} grows", "{company} to open new plant near {city}",
                   "Shares in {company} fall after weaker sales forecast", "Central bank holds interest rate at {n}.{m}%"],
        "paras": [
            "{company} reported a net profit of {big} million dollars for the third quarter on {day}, up "
            "{k} percent from a year earlier, helped by strong demand for {product} in its home market.",
            "Revenue rose to {big2} million dollars, slightly above the average forecast of analysts polled "
            "before the results, while operating costs grew more slowly than in the previous quarter.",
            "The company plans to cut its spending on advertising next year and to invest instead in a "
            "new warehouse near {city}, which it expects to open in the second half of the year.",
            "Shares in the group closed {n}.{m} percent higher on {day}, outperforming the wider market, "
            "which ended the session little changed after a volatile morning.",
            "The central bank kept its main interest rate unchanged at its meeting this week, saying that "
            "inflation had eased for a fourth consecutive month but remained above its target.",
            "Economists expect growth of about {n} percent this year, driven by household spending and "
            "exports of {product}, although higher energy prices could weigh on manufacturers.",
            "The retailer will also close {k} of its smaller stores in the coming months and move some of "
            "their staff to larger shops nearby, a plan that unions have said they will examine closely.",
            "Sales through the company's website grew faster than those in its shops for the first time, "
            "accounting for almost a third of the total, according to the quarterly report.",
            "The board proposed a dividend of {m}0 cents a share and said it would buy back shares worth "
            "up to {big} million dollars over the next twelve months.",
            "Competition in the sector has intensified since two foreign rivals entered the market last "
            "year, forcing local firms to lower prices and to spend more on delivery services.",
            "The firm employs about {big},000 people in {k} countries and has its headquarters in {city}, "
            "where it was founded as a family business more than sixty years ago.",
            "Analysts said the outlook for the rest of the year depended largely on the price of raw "
            "materials, which fell sharply in the spring before recovering over the summer.",
        ],
        "quotes": [
            '"These results show that our strategy is working, and we are confident about next year," '
            'chief executive {name} said in a statement.',
            '"Consumers are still cautious, but we are seeing a gradual recovery in spending," said {name}, '
            'an economist at a local bank.',
            '"The market had expected a stronger forecast, and that explains the reaction today," {name}, '
            'an analyst, told reporters.',
        ],
    },
    "science": {
        "titles": ["Researchers find new species of {animal} in {city} wetlands", "Study links sleep to memory in older adults",
                   "Hospital in {city} opens new cancer unit", "Scientists map the spread of a rare tree disease"],
        "paras": [
            "Researchers at the university in {city} have described a previously unknown species of {animal} "
            "found in wetlands on the edge of the city, in a paper published on {day} in a scientific journal.",
            "The team collected {k} specimens over two summers and compared their DNA with that of related "
            "species held in museum collections, finding differences large enough to name a new species.",
            "The study followed {big},000 adults aged over sixty for nine years and found that those who slept "
            "between six and eight hours a night scored better on memory tests than those who slept less.",
            "The authors cautioned that the research shows an association rather than a cause, and that "
            "people who sleep badly may already have health problems that affect their memory.",
            "The new unit has {k}0 beds and two radiotherapy machines, and will treat patients who until now "
            "had to travel more than three hours to the nearest specialist centre.",
            "Funding for the project came from a national research council and a charity, and the data will "
            "be made available to other scientists once the second phase of the study is complete.",
            "The disease, caused by a fungus, was first recorded in the country a decade ago and has since "
            "spread to woodland in {k} regions, according to the forestry service's latest survey.",
            "Volunteers helped to record the condition of more than {big},000 trees, using a mobile phone "
            "application that sends photographs and locations to the research team.",
            "The hospital said it had recruited {k}0 nurses and technicians for the unit, many of them "
            "trained at the medical school in {city}, which expanded its intake five years ago.",
            "Other scientists welcomed the findings but said larger studies would be needed before any "
            "change to public health advice, which currently recommends at least seven hours of sleep.",
            "The wetlands are protected as a nature reserve, and the city council said it would review its "
            "plans for a new road nearby in light of the discovery.",
            "Results from the second phase, which will test whether a simple exercise programme can slow "
            "the loss of memory, are expected in about three years.",
        ],
        "quotes": [
            '"Finding a new species so close to a large city shows how much we still have to learn," said '
            '{name}, who led the research.',
            '"This is good news for patients and their families, who will no longer have to travel so far," '
            'the hospital\'s director, {name}, said.',
            '"The message is simple: sleep matters at every age," {name}, one of the authors, told reporters.',
        ],
    },
    "culture": {
        "titles": ["Film festival in {city} opens with record audience", "{name} wins national poetry prize",
                   "Old cinema in {city} to reopen as arts centre", "Orchestra announces new season"],
        "paras": [
            "The film festival in {city} opened on {day} with a sold-out screening of a drama about three "
            "generations of a farming family, the first of {k}0 films to be shown over ten days.",
            "Organisers said advance ticket sales were the highest in the festival's history, and that a "
            "third of the films on the programme were made by first-time directors.",
            "{name}, whose collection of poems about the coast and the people who work on it was published "
            "last spring, received the prize at a ceremony in the national library on {day}.",
            "The judges praised the collection's plain language and its attention to everyday work, and said "
            "it had been chosen unanimously from a shortlist of {k} books.",
            "The cinema, which closed in the 1990s, will reopen next year after a renovation that keeps its "
            "original facade and adds two small theatres, a cafe and rehearsal rooms for local groups.",
            "The orchestra's new season includes {k} concerts in the main hall, a series of free lunchtime "
            "performances, and a tour of schools in the region with a programme written for children.",
            "Tickets will go on sale at the end of the month, with reduced prices for students and for "
            "residents of the city who are over sixty-five.",
            "The festival also includes workshops for young film-makers, an exhibition of posters from the "
            "city's old cinemas and a series of outdoor screenings in the main square.",
            "The prize carries an award of {big},000 and a residency at a writers' centre in the mountains, "
            "where previous winners have written some of their best-known work.",
            "The renovation cost about {big} million, shared between the city council, a national heritage "
            "fund and several hundred local people who contributed to a public appeal.",
            "Critics have welcomed the programme's mix of well-known works and new pieces by composers from "
            "the region, several of whom will be at the concerts to introduce their music.",
            "Last year's festival drew about {big},000 visitors, and hotels in the city centre reported that "
            "most of their rooms were booked for the opening weekend.",
        ],
        "quotes": [
            '"Cinema is still a place where people come together, and this week proves it," the festival\'s '
            'director, {name}, said.',
            '"I wrote these poems for the people I grew up with, and I am glad they have found readers," '
            '{name} said after the ceremony.',
            '"We wanted a building that belongs to everyone in the neighbourhood," said {name}, the architect.',
        ],
    },
}
TEAMS = ["Riverside United", "Northgate Rovers", "Harbour City", "Hillcrest Athletic", "Valley Town", "Eastfield FC"]
COMPANIES = ["Meridian Foods", "Brightline Logistics", "Coastal Textiles", "Summit Motors", "Greenleaf Retail"]
PRODUCTS = ["frozen meals", "electric scooters", "cotton fabric", "home delivery", "solar panels"]
ANIMALS = ["frog", "dragonfly", "freshwater snail", "beetle", "orchid"]
CITIES = ["Porto Alegre", "Cork", "Mombasa", "Adelaide", "Lyon", "Kraków", "Pune", "Halifax"]


def _genre_fill(rng: random.Random) -> dict:
    fill = dict(team=rng.choice(TEAMS), company=rng.choice(COMPANIES), product=rng.choice(PRODUCTS),
                animal=rng.choice(ANIMALS), city=rng.choice(CITIES), name=rng.choice(NAMES),
                day=rng.choice(WEEKDAYS), day2=rng.choice(WEEKDAYS), n=rng.randint(1, 5), m=rng.randint(0, 9),
                k=rng.randint(3, 14), big=rng.randint(12, 95), big2=rng.randint(120, 990))
    fill["team2"] = rng.choice([t for t in TEAMS if t != fill["team"]])
    return fill


def _genre_article(rng: random.Random, genre: str, words: int) -> tuple[str, str]:
    """One article of ``genre``; past the genre's paragraphs it goes on as a round-up of another
    item of the same kind (another team, company, city), as news pages do."""
    g = GENRES[genre]
    fill = _genre_fill(rng)
    title = rng.choice(g["titles"]).format(**fill)
    paras = rng.sample(g["paras"], len(g["paras"]))
    quotes = rng.sample(g["quotes"], len(g["quotes"]))
    out = []
    k = 0
    while len(" ".join(out).split()) < words - 30:
        if not paras:
            fill = _genre_fill(rng)
            paras = rng.sample(g["paras"], len(g["paras"]))
            quotes = rng.sample(g["quotes"], len(g["quotes"]))
            lead = paras.pop().format(**fill)
            out.append(f"{rng.choice(SECTION_LEADS[3:])} {lead[0].lower()}{lead[1:]}")
            continue
        src = quotes if k % 4 == 2 and quotes else paras
        out.append(src.pop().format(**fill))
        k += 1
    return title, "\n\n".join(out)


def make_mixed_corpus(n: int = 1000, seed: int = 13, words: int = 600, news_share: float = 0.3) -> list[dict]:
    """A general news feed: ``news_share`` of the articles are conflict and politics news
    (:func:`make_news_corpus`'s articles), the rest sport, business, science/health and culture
    articles of about ``words`` words that report no political event (but quote people and use
    event words in other senses, as such articles do). Shuffled with a fixed seed."""
    rng = random.Random(seed)
    n_news = round(n * news_share)
    news = make_news_corpus(n_news, seed=seed, words=words) if n_news else []
    start = dt.date(2023, 1, 1)
    out = []
    genres = list(GENRES)
    for i in range(n - n_news):
        genre = genres[i % len(genres)]
        title, text = _genre_article(rng, genre, words)
        pub = start + dt.timedelta(days=rng.randrange(3 * 365))
        src = rng.choice(SOURCES)
        out.append({"id": f"feed-{i:05d}", "url": f"https://{src.lower().replace(' ', '')}.example/{genre}/{pub:%Y/%m}/{i}",
                    "title": title, "source": src, "published": pub.isoformat(), "text": text})
    out.extend(news)
    rng.shuffle(out)
    return out
