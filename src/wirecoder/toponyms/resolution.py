"""Toponym resolution: rank each mention's candidates by match quality, population and feature class,
explicit qualifiers ("X, Texas", "the Syrian town of X"), the countries and regions the rest of the
document points to, and proximity to the other toponyms' readings; a venue named right before its town
lies in that town."""

from __future__ import annotations

import math
import re
from collections import defaultdict

from ..geodesy import haversine_km, haversine_km_radians
from ..gazetteer import Gazetteer, Place, full_key, norm_key
from .common import Toponym, US_STATE_ABBR, current_gazetteer, using_gazetteer
from .candidates import (
    FEATURE_PRIOR, PRE_RE, QUALIFIER_RE, REGION_CODES, alt_name_quality, bare_name, name_candidates
)
from .fallback import context_places, embedded_candidates


def _qualifier(text: str, end: int) -> list[tuple[str, str | None]]:
    """Readings (ISO3, admin1 name or None) of a qualifier named right after a toponym: 'X, Texas',
    'X, Syria', 'X (Iraq)'; an ambiguous region code gives several ('X, WA': Washington or Western
    Australia), and the place that lies in one of them wins."""
    m = QUALIFIER_RE.match(text[end:end + 50])
    if not m:
        m2 = re.match(r"^\s*\(([A-Z][\w .]+)\)", text[end:end + 40])
        if not m2:
            return []
        q = m2.group(1)
    else:
        q = m.group(1)
    g = current_gazetteer()
    words = q.split()
    for k in range(len(words), 0, -1):
        s = " ".join(words[:k]).rstrip(",")
        s2 = US_STATE_ABBR.get(s)
        if s2:
            return [("USA", s2)]
        code = s if s in REGION_CODES else s + "." if s + "." in REGION_CODES else None
        if code:
            return [(iso, region or None) for region, iso in REGION_CODES[code]]
        s = s.rstrip(".")
        for p in g.lookup(s, 10):
            if full_key(p.name) != full_key(s) and p.feature != "country":
                continue
            if p.feature == "country":
                return [(p.country, None)]
            if p.feature == "admin1":
                return [(p.country, p.admin1 or p.name)]
    return []


def _qualifier_bonus(p: Place, readings: list[tuple[str, str | None]]) -> float:
    """3 for a candidate in the qualifier's country, 6 when also in its named first-order region."""
    best = 0.0
    for qc, qa in readings:
        if p.country == qc:
            best = max(best, 6.0 if qa and (p.admin1 == qa or p.name == qa) else 3.0)
    return best


def _prequalifier(text: str, start: int) -> str | None:
    """ISO3 of 'the Syrian town of X' / 'Iraq's city of X'."""
    m = PRE_RE.search(text[max(0, start - 60):start])
    if not m:
        return None
    c = current_gazetteer().country(m.group(1))
    return c.country if c else None


W = {"pop": 0.6, "quality": 1.2, "qualifier": 3.0, "country": 2.0, "country_sat": 2.0, "country_share": 2.0,
     "admin": 1.5, "admin_sat": 1.5, "near": 1.2, "near_km": 150.0, "near_region": 0.5, "capital": 2.5,
     "co": 1.5, "co_km": 30.0, "seat": 0.5}


_ADMIN_WORD = re.compile(r"^\s+(?:province|governorate|state|region|oblast|prefecture|department|district|county|"
                         r"emirate|wilaya|vilayet)\b", re.I)


KIN_MIN = 4  # names this long at least can be kin (see resolve)


def _prior(p: Place, q: float) -> float:
    sc = W["pop"] * math.log10(p.population + 1) + FEATURE_PRIOR.get(p.feature, 0.0) + W["quality"] * q
    if p.feature == "city" and q >= 1 and current_gazetteer().is_capital(p):  # by its own name, not an alias ('Mexico')
        sc += W["capital"]
    return sc


def resolve(mentions: list[tuple[int, int, str]], text: str, gazetteer: Gazetteer | None = None) -> list[Toponym]:
    """Resolve each (start, end, text) mention to a Place (or None), in document context, with
    `gazetteer` (the run's Resources.gazetteer; the default index when None)."""
    with using_gazetteer(gazetteer):
        return _resolve(mentions, text)


def _resolve(mentions: list[tuple[int, int, str]], text: str) -> list[Toponym]:
    if not mentions:
        return []
    cand_cache: dict[str, list[tuple[Place, float]]] = {}
    items = []
    for s, e, t in mentions:
        # 'the Hiran region': the name with the area word after it also names candidates (Hiiraan)
        admin = _ADMIN_WORD.match(text[e:e + 30])
        key = (t, admin.group(0).strip().lower() if admin else "")
        if key not in cand_cache:
            c = name_candidates(t)
            if admin:
                seen = {(p.geonameid, p.name, p.country) for p, _ in c}
                c = c + [(p, q) for p, q in name_candidates(f"{t} {key[1]}")
                         if p.feature == "admin1" and (p.geonameid, p.name, p.country) not in seen]
            cand_cache[key] = (c, False) if c else (embedded_candidates(t), True)
        cands, emb = cand_cache[key]
        quals = _qualifier(text, e)
        pc = _prequalifier(text, s)
        # an admin-1 area smaller than a city of the same name is the lesser referent: no feature bonus
        top_city = max((p.population for p, q in cands if p.feature == "city" and q >= 2), default=0)
        cands = alt_name_quality(cands)
        if any(q >= 2 and p.feature == "country" for p, q in cands):
            # a country called by its own name is not some village that lists that name among its others
            cands = [(p, q) for p, q in cands if q >= 1]
        # 'in Kirkuk', 'in Aleppo': a bare name shared by a province and its namesake city inside it is the
        # city, unless the text says province ('Kirkuk province', 'Aleppo governorate')
        # (the city by its own name, the province by its own or another: 'Aleppo' in Halab; not 'New York',
        # which names New York City only as another of its names, and is as often the state)
        areas = {(p.country, p.admin1) for p, q in cands if p.feature == "admin1"}
        seat = set() if not areas or _ADMIN_WORD.match(text[e:e + 30]) else {
            (p.country, p.admin1) for p, q in cands
            if p.feature == "city" and q >= 2 and (p.country, p.admin1) in areas}
        base = []
        for p, q in cands:
            sc = _prior(p, q)
            if p.feature == "admin1" and (p.population < top_city or (p.country, p.admin1) in seat):
                sc -= FEATURE_PRIOR["admin1"]
            if seat and p.feature == "city" and q >= 2 and (p.country, p.admin1) in seat:
                sc += W["seat"]
            sc += _qualifier_bonus(p, quals)
            if pc and p.country == pc:
                sc += 3.0
            base.append(sc)
        items.append({"s": s, "e": e, "t": t, "cands": cands, "base": base, "key": norm_key(t), "emb": emb})

    # co-occurrence: candidates lying near some candidate of another (differently named) mention
    import numpy as np

    flat = [(i, p.lat, p.lon, q) for i, it in enumerate(items) for p, q in it["cands"]]
    if len(flat) > 1:
        owner = np.array([f[0] for f in flat])
        keys = np.array([hash(items[f[0]]["key"]) for f in flat])
        strong = np.array([f[3] >= 1 for f in flat])
        lat = np.radians(np.array([f[1] for f in flat]))
        lon = np.radians(np.array([f[2] for f in flat]))
        pos = 0
        for i, it in enumerate(items):
            m = len(it["cands"])
            if not m:
                continue
            a_lat, a_lon = lat[pos:pos + m, None], lon[pos:pos + m, None]
            d = haversine_km_radians(a_lat, a_lon, lat[None, :], lon[None, :])
            other = (keys != hash(it["key"])) & strong  # loose (skeleton/alias) readings lend no support
            close = (d < W["co_km"]) & other[None, :]
            # count distinct other mentions with a close candidate
            for k in range(m):
                owners = set(owner[close[k]].tolist())
                if owners:
                    it["base"][k] += W["co"] * min(3, len(owners)) / 3.0
            pos += m

    # context passes: countries / admin1 regions / locations of the other mentions' current best reading.
    # Mentions are re-read one at a time, each against the others' latest readings (updating them all at
    # once lets two mentions flip each other back and forth: 'Perth' and 'WA').
    best_idx = [max(range(len(it["cands"])), key=lambda k: it["base"][k]) if it["cands"] else None for it in items]
    country_w: dict[str, float] = defaultdict(float)
    admin_w: dict[tuple, float] = defaultdict(float)
    key_country: dict[tuple, float] = defaultdict(float)
    key_admin: dict[tuple, float] = defaultdict(float)
    pts: dict[int, tuple] = {}

    def vote(i: int, sign: int) -> None:
        it, p = items[i], items[i]["cands"][best_idx[i]][0]
        country_w[p.country] += sign
        key_country[(it["key"], p.country)] += sign
        if p.feature != "country" and p.admin1:
            admin_w[(p.country, p.admin1)] += sign
            key_admin[(it["key"], p.country, p.admin1)] += sign
        if sign < 0:
            pts.pop(i, None)
        elif p.feature != "country":
            pts[i] = (p.lat, p.lon, it["key"], p.feature == "admin1")

    for i, k in enumerate(best_idx):
        if k is not None:
            vote(i, 1)
    total = max(1.0, float(sum(k is not None for k in best_idx)))
    # a name's kin: itself and the longer or shorter names it begins or is begun by ('Dublin' and 'Dublin
    # Center Drive'): they lend each other no support, or a street named after a town would vote for
    # whichever reading of the town it was given
    words = {it["key"]: tuple(w for w in map(norm_key, it["t"].split()) if w) for it in items}

    def _kin(a: tuple, b: tuple) -> bool:  # the shorter name's words begin the longer name
        n = min(len(a), len(b))
        return n > 0 and a[:n] == b[:n] and len("".join(a[:n])) >= KIN_MIN

    kins = {k: frozenset(o for o, wo in words.items() if o == k or _kin(w, wo)) for k, w in words.items()}

    def support(cc: str, kin: frozenset) -> float:  # votes for a country, less those of a name and its kin
        return country_w.get(cc, 0.0) - sum(key_country.get((o, cc), 0.0) for o in kin)
    for _pass in range(4):
        changed = False
        for i, it in enumerate(items):
            if not it["cands"]:
                continue
            scores = []
            key = it["key"]
            kin = kins[key]
            for k, (p, q) in enumerate(it["cands"]):
                # exclude the votes of this name and its kin
                cw = max(0.0, support(p.country, kin))
                sc = it["base"][k]
                if p.country is None:  # continents, seas, macro-regions: no country to vote for them, so
                    cw = W["country_sat"]  # they count as fully supported, not as foreign to the article
                sc += W["country"] * min(1.0, cw / W["country_sat"]) + W["country_share"] * (cw / total)
                if p.feature != "country" and p.admin1:
                    aw = max(0.0, admin_w.get((p.country, p.admin1), 0.0)
                             - sum(key_admin.get((o, p.country, p.admin1), 0.0) for o in kin))
                    sc += W["admin"] * min(1.0, aw / W["admin_sat"])
                near = 0.0
                for la, lo, kk, region in pts.values():
                    if kk not in kin and abs(la - p.lat) < 2 \
                            and haversine_km(p.lat, p.lon, la, lo) < W["near_km"]:
                        near += W["near_region"] if region else 1  # a state's centre: half a neighbour
                        if near >= 2:
                            break
                sc += W["near"] * near
                scores.append(sc)
            it["scores"] = scores
            k = max(range(len(scores)), key=lambda k: scores[k])
            if k != best_idx[i]:
                vote(i, -1)
                best_idx[i] = k
                vote(i, 1)
                changed = True
        if not changed:
            break

    # a town found only as a spelling variant, in a country no other name of the article is in while other
    # names agree on some country, is a coincidence of spelling ('Tiarza' in a Pakistani story is not Trarza in
    # Mauritania): left unresolved, it takes the nearest town of the article in the country the others agree
    # on, else that country
    foreign: dict[int, str] = {}
    for i, it in enumerate(items):
        k = best_idx[i]
        if k is None:
            continue
        p, q = it["cands"][k]
        if q >= 1 or p.country is None or p.feature == "country" or it["emb"] \
                or current_gazetteer().has_name(bare_name(it["t"])):
            continue  # exact, another of its names ('Bombay'), or a country ('Afganistan')
        kin = kins[it["key"]]
        others = {c: support(c, kin) for c in country_w if c}
        if others.get(p.country, 0.0) <= 0 and max(others.values(), default=0.0) >= 1:
            vote(i, -1)
            best_idx[i] = None
            foreign[i] = max(others, key=lambda c: others[c])
    ctx = context_places(items, best_idx) if any(k is None for k in best_idx) else [None] * len(items)
    # 'the city's Dniprovskyi district', 'Kherson's Dniprovskyi district': a part of the town just named, not a
    # namesake elsewhere, however large
    towns = [(it["s"], it["e"], it["cands"][k][0]) for it, k in zip(items, best_idx)
             if k is not None and not it["emb"] and it["cands"][k][1] >= 1 and it["cands"][k][0].feature == "city"]
    for i, it in enumerate(items):
        before = text[max(0, it["s"] - 20):it["s"]]
        m = _PART_OF.search(before)
        if not m or best_idx[i] is None:
            continue
        if m.group(1):  # 'the city's': the last town named before it
            box = next((p for s0, _e, p in reversed(towns) if s0 < it["s"]), None)
        else:  # 'Kherson's': that very town
            box = next((p for _s, e0, p in towns if e0 == it["s"] - len(m.group(0))), None)
        pick = it["cands"][best_idx[i]][0]
        if box is None or pick is box or km_between(pick, box) <= CONTAINER_KM:
            continue
        best_idx[i] = _nearest_reading(it, box)
        if best_idx[i] is None:
            ctx[i] = box
    for i, cc in foreign.items():  # the nearest town of the article in that country, else the country
        local = [(abs(s0 - items[i]["s"]), p) for s0, _e, p in towns if p.country == cc]
        ctx[i] = min(local, key=lambda x: x[0])[1] if local else (current_gazetteer().country(cc) or ctx[i])
    within = _container_places(items, best_idx, text)
    out = []
    for i, it in enumerate(items):
        k = best_idx[i]
        box = within[i]
        if box is not None and (k is None or it["emb"]):  # 'the Grand Hotel in Vienna': Vienna
            out.append(Toponym(it["s"], it["e"], it["t"], box, 0.3))
            continue
        pick = it["cands"][k][0] if k is not None else None
        if box is not None and box.feature == "city" and pick.feature in ("city", "region") \
                and pick.population < CONTAINER_MAX_POP and km_between(pick, box) > CONTAINER_KM:
            # 'the Shelbyville club in Lyon': a small namesake far from the town named as its container is a
            # building or venue of that town; a candidate close to the town still wins. A big city is no
            # venue ('lost to Miami in Dallas')
            k = best_idx[i] = _nearest_reading(it, box)
            if k is None:
                out.append(Toponym(it["s"], it["e"], it["t"], box, 0.3))
                continue
        if k is None:  # nothing in the gazetteer: the article's context place, at low confidence
            p = ctx[i]
            out.append(Toponym(it["s"], it["e"], it["t"], p, 0.2 if p is not None else 0.0))
            continue
        scores = it.get("scores", it["base"])
        sc = scores[k]
        # confidence: margin over the runner-up, squashed
        others = [x for j, x in enumerate(scores) if j != k]
        margin = sc - max(others) if others else 3.0
        conf = 1.0 / (1.0 + math.exp(-margin))
        out.append(Toponym(it["s"], it["e"], it["t"], it["cands"][k][0], round(conf, 3)))
    return out


CONTAINER_KM = 100.0  # a place this far from the town named as its container is not in it


CONTAINER_MAX_POP = 200_000  # a city this large is not read as a venue of another town


def km_between(a: Place, b: Place) -> float:
    return haversine_km(a.lat, a.lon, b.lat, b.lon)


def _nearest_reading(it: dict, box: Place) -> int | None:
    """The best-scored candidate of a mention within CONTAINER_KM of the town it is said to lie in, or None."""
    near = [j for j, (p, _) in enumerate(it["cands"]) if km_between(p, box) <= CONTAINER_KM]
    return max(near, key=lambda j: it.get("scores", it["base"])[j]) if near else None


_PART_OF = re.compile(r"(?:\bthe\s+(city|town|capital|village|port)|(?<=\w))['’]s\s+$", re.I)


_IN_GAP = re.compile(r"\s+in\s+(?:the\s+|downtown\s+|central\s+)?", re.IGNORECASE)


_CONTAINER_GAP = re.compile(r"\s*(?:,|\bin|\bat|\bnear|\boutside|\bof)\s+(?:the\s+|downtown\s+|central\s+)?",
                            re.IGNORECASE)


def _container_places(items: list[dict], best_idx: list, text: str) -> list[Place | None]:
    """The place each mention lies in by the text's own say-so: 'the Grand Hotel in Vienna', 'City Hall,
    Dublin', 'Memorial Stadium at Lincoln' name the building's town right after it. Only a mention resolved
    by its own name (not a name embedded in it, nor a guess from context) serves as the container."""
    out: list[Place | None] = [None] * len(items)
    starts = {it["s"]: j for j, it in enumerate(items)}
    for i, it in enumerate(items):
        for gap in range(1, 16):  # the next mention starts within a few characters
            j = starts.get(it["e"] + gap)
            if j is None:
                continue
            gap_text = text[it["e"]:it["e"] + gap]
            strict = _IN_GAP.fullmatch(gap_text)  # a list ('Leeds, York') is no containment for a known name
            if (strict or (best_idx[i] is None or it["emb"]) and _CONTAINER_GAP.fullmatch(gap_text)) \
                    and best_idx[j] is not None and not items[j]["emb"] and items[j]["cands"][best_idx[j]][1] >= 1:
                out[i] = items[j]["cands"][best_idx[j]][0]
            break
    return out
