"""The gazetteer's place record and feature ranks, shared by every part of the package."""

from __future__ import annotations

import math
from dataclasses import dataclass


SCHEMA_VERSION = 10


@dataclass
class Place:
    geonameid: int | None
    name: str
    lat: float
    lon: float
    country: str | None  # ISO3
    admin1: str | None  # admin1 name if known
    feature: str  # 'city' | 'admin1' | 'country' | 'region' (admin-2, continent, macro-region, sea) | 'facility'
    # (airport, air base) | 'extra'
    population: int


FEATURE_RANK = {"country": 4, "admin1": 3, "extra": 3, "region": 0.5, "city": 1, "facility": 1}


def place_prior(feature: str, population: int) -> float:
    """Static rank of a place among its homonyms (precomputed into the index at build time)."""
    return math.log10((population or 0) + 10) + 1.5 * FEATURE_RANK.get(feature, 0)
