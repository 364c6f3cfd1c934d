"""Fallbacks for names the gazetteer lacks: a place named inside the name ("Lakeside District Court" ->
Lakeside) and the article's context place (the nearest town told before, else after, else the most
mentioned place)."""

from __future__ import annotations

import re
from collections import defaultdict

from ..gazetteer import Place, full_key
from .common import (
    DIRECTIONS, INST_WORDS, REGION_SUFFIX, STOP_NAMES, alias_hit, demonym_place, gazetteer_key,
    strong_hit
)
from .candidates import name_candidates


_EMB_CACHE: dict[tuple, tuple] = {}


_ARABIC_ARTICLE = re.compile(r"^(?:al|el|ad|ed|ar|er|as|es|ash|at|az|ez|an|en|ud|um)[-‐‑]\w")


_EMB_WORD = re.compile(r"[A-Za-z\u00c0-\u024f][\w.'’\-]*")


_MISSION_WORDS = {"embassy", "embassies", "consulate", "consulate-general", "consul", "mission", "legation",
                  "chancery", "high commission"}


_EMB_SKIP = {"of", "the", "and", "for", "de", "du", "des", "la", "le", "del", "on", "at", "in", "&"}


def embedded_candidates(text: str) -> list[tuple[Place, float]]:
    """Candidates of a place named inside a name the gazetteer lacks: 'Northfield State University' ->
    Northfield, 'Lakeside District Court' -> Lakeside, 'the British Council' -> the United Kingdom.
    Longest, then leftmost, capitalised word run that names a country, a first-order region, a county or a
    large city (a smaller town only as the name's first words: 'Smallville Police Department'); a country's
    alias or demonym only when no place name is found. An embassy or consulate lies in its host country,
    not the one it represents: its sending country is no reading."""
    key = (text, gazetteer_key())
    hit = _EMB_CACHE.get(key)
    if hit is not None:
        return list(hit)
    if len(_EMB_CACHE) > 100_000:
        _EMB_CACHE.clear()
    words = [(m.start(), m.end(), m.group(0).rstrip(".'’")) for m in _EMB_WORD.finditer(text)]
    words = [w for w in words if w[2]]
    mission = any(w.lower() in _MISSION_WORDS for _, _, w in words)
    n = len(words)
    out: list[tuple[Place, float]] = []
    country_hit = None
    for L in range(min(4, n - 1), 0, -1):
        for i in range(0, n - L + 1):
            ws = [w for _, _, w in words[i:i + L]]
            if not (ws[0][:1].isupper() and ws[-1][:1].isupper()) or ws[0].lower() in _EMB_SKIP \
                    or ws[-1].lower() in _EMB_SKIP:
                continue
            if L == 1 and (ws[0].lower() in STOP_NAMES or ws[0].lower() in DIRECTIONS or len(ws[0]) < 2):
                continue
            if i + L < n and _ARABIC_ARTICLE.match(words[i + L][2]):
                continue  # 'Ain al-Asad', 'Ras al-Ain', 'Deir ez-Zor': the name goes on, 'Ain' is no place here
            sub = text[words[i][0]:words[i + L - 1][1]].rstrip(".'’")
            lead = i == 0 and i + L < n and words[i + L][2].lower() in INST_WORDS
            county = ws[-1].lower() in REGION_SUFFIX
            floor = 5000 if lead else 100000
            p = strong_hit(sub, 0)
            if p is not None and full_key(p.name) == full_key(sub) and (
                    p.feature in ("country", "admin1") or county or p.population >= floor):
                if mission and p.feature == "country":
                    continue
                out = [(c, q) for c, q in name_candidates(sub) if q >= 1 and (
                    c.feature in ("country", "admin1", "region") or c.population >= floor)] or [(p, 1.0)]
                break
            if country_hit is None and not mission:
                c = alias_hit(sub) if sub.replace(".", "").isupper() or L >= 2 else None
                if c is None and L == 1:
                    c = demonym_place(sub)
                country_hit = c
        if out:
            break
    if not out and country_hit is not None:
        out = [(country_hit, 2.0)]
    _EMB_CACHE[key] = tuple(out)
    return out


def context_places(items: list[dict], best_idx: list) -> list[Place | None]:
    """Each mention's context place: the nearest preceding town or city of the article, else the nearest
    following one, else the article's most mentioned place (None when nothing resolved). Only mentions
    resolved by their own name (not by a name embedded in them) and by a close match count."""
    resolved = [(it["s"], it["cands"][k][0]) for it, k in zip(items, best_idx)
                if k is not None and not it["emb"] and it["cands"][k][1] >= 1]
    if not resolved:
        return [None] * len(items)
    counts: dict[int, int] = defaultdict(int)
    first: dict[int, Place] = {}
    for _, p in resolved:
        counts[id(p)] += 1
        first.setdefault(id(p), p)
    dominant = first[max(counts, key=lambda k: counts[k])]
    fine = [(s, p) for s, p in resolved if p.feature == "city"]
    fine.sort(key=lambda x: x[0])
    out: list[Place | None] = []
    for it in items:
        prev = None
        for s, p in fine:
            if s >= it["s"]:
                break
            prev = p
        if prev is None:
            prev = next((p for s, p in fine if s > it["s"]), dominant)
        out.append(prev)
    return out
