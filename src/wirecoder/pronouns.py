"""The one pronoun list (``data/pronouns.toml``), by kind; the sets the stages use are
unions of these kinds."""

from __future__ import annotations

import tomllib
from importlib import resources

_DATA = tomllib.loads((resources.files("wirecoder") / "data" / "pronouns.toml").read_text("utf-8"))["pronouns"]


def kinds(*names: str) -> frozenset[str]:
    return frozenset(w for n in names for w in _DATA[n])


PERSONAL = kinds("personal")
POSSESSIVE = kinds("possessive")
RELATIVE = kinds("relative")
#: words that never name an actor by themselves (they refer to one)
NON_NAMING = kinds("personal", "demonstrative", "indefinite") | {"whom"}
#: the third parties a text refers back to: "it", "their", "we" (the role reader resolves them)
THIRD_PARTY = kinds("third_party")
OBJECT = kinds("object")
PERSON = kinds("person")
#: who can be the speaker of a quote ("he said", "they said", "it said")
SPEAKER = PERSONAL - {"me", "you", "us", "them"}
