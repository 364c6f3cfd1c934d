"""The trigger lexicon and the ontology tables, loaded from package data plus the user's
own trigger files (``--triggers``; built into the run's :class:`~wirecoder.resources.Resources`)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path


def data_toml(name: str, path: str | Path | None = None) -> dict:
    """A TOML data file: the user's own at ``path``, else the package's ``data/<name>``."""
    text = Path(path).read_text("utf-8") if path else (resources.files("wirecoder") / "data" / name).read_text("utf-8")
    return tomllib.loads(text)


@dataclass(frozen=True)
class Entry:
    type: str
    mode: str | None = None
    acled: str | None = None
    cameo: str | None = None
    objects: frozenset[str] = frozenset()
    light: bool = False
    anaphor: bool = False
    weight: float = 1.0
    origin: str = "package"


@dataclass
class Lexicon:
    verbs: dict[str, list[tuple[tuple[str, ...], Entry]]] = field(default_factory=dict)   # head lemma -> [(extra words, entry)]
    nouns: dict[str, list[tuple[tuple[str, ...], Entry]]] = field(default_factory=dict)   # last lemma -> [(full seq, entry)]
    contexts: list[dict] = field(default_factory=list)
    acled_cues: list[dict] = field(default_factory=list)   # [[acled_cue]]: words naming an ACLED sub-type
    plover: dict[str, dict] = field(default_factory=dict)
    acled: dict[str, list[str]] = field(default_factory=dict)
    cameo_roots: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, *user_files: str | Path, with_package: bool = True) -> "Lexicon":
        """The packaged triggers (unless ``with_package`` is False) plus the user's files,
        which win over the package's entries for the same word."""
        lex = cls()
        data_dir = resources.files("wirecoder") / "data"
        onto = tomllib.loads((data_dir / "ontology.toml").read_text("utf-8"))
        lex.plover, lex.acled, lex.cameo_roots = onto["plover"], onto["acled"], onto["cameo_roots"]
        if with_package:
            lex._add(tomllib.loads((data_dir / "triggers.toml").read_text("utf-8")), "package")
        for path in user_files:
            try:
                data = tomllib.loads(Path(path).read_text("utf-8"))
            except (OSError, tomllib.TOMLDecodeError) as exc:
                raise ValueError(f"{path}: cannot read trigger file: {exc}") from None
            lex._add(data, str(path), override=True)
        return lex

    def _add(self, data: dict, origin: str, override: bool = False) -> None:
        for i, t in enumerate(data.get("trigger", [])):
            if t.get("type") not in self.plover:
                raise ValueError(f"{origin}: trigger #{i + 1} has unknown PLOVER type {t.get('type')!r}")
            if t.get("acled") and t["acled"] not in self.acled:
                raise ValueError(f"{origin}: trigger #{i + 1} has unknown ACLED code {t['acled']!r}")
            entry = Entry(
                type=t["type"], mode=t.get("mode"), acled=t.get("acled"), cameo=t.get("cameo"),
                objects=frozenset(t.get("objects", [])), light=bool(t.get("light")), anaphor=bool(t.get("anaphor")),
                weight=float(t.get("weight", 1.0)) + (100.0 if override else 0.0), origin=origin,
            )
            for v in t.get("verbs", []):
                words = tuple(v.lower().split())
                self.verbs.setdefault(words[0], []).append((words[1:], entry))
            for n in t.get("nouns", []):
                words = tuple(n.lower().replace("-", " - ").split()) if " " in n else (n.lower(),)
                words = tuple(w for w in words if w != "-") or words
                self.nouns.setdefault(words[-1], []).append((words, entry))
        self.contexts.extend(data.get("context", []))
        self.acled_cues.extend(data.get("acled_cue", []))

    def surface_words(self) -> set[str]:
        words = set(self.verbs)
        for seqs in self.nouns.values():
            for seq, _ in seqs:
                words.add(seq[-1])
        return {w for w in words if len(w) > 2}

    def acled_types(self, code: str | None) -> tuple[str | None, str | None]:
        if not code:
            return None, None
        t = self.acled.get(code)
        return (t[0], t[1]) if t else (None, None)

    def cameo_for(self, entry: Entry) -> str:
        return entry.cameo or self.plover[entry.type]["cameo"]
