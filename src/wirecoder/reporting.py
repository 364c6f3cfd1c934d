"""The one list of reporting verbs (``data/reporting.toml``), by reach: ``SPEECH``, verbs of saying
whose clause is what someone said; ``ATTRIBUTION``, every verb that attributes a clause to a source
(speech included); ``QUOTATION``, verbs that introduce a quotation; ``FIGURES``, verbs that report a
figure and so name its claimant. Stages import these sets; none keeps a list of its own."""

from __future__ import annotations

from .lexicon import data_toml

_D = data_toml("reporting.toml")["reporting"]
SPEECH: frozenset[str] = frozenset(_D["speech"])
ATTRIBUTION: frozenset[str] = SPEECH | frozenset(_D["attribution"])
QUOTATION: frozenset[str] = frozenset(_D["quotation"])
FIGURES: frozenset[str] = frozenset(_D["figures"])
