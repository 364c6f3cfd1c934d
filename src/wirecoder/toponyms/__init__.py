"""Toponym recognition (spaCy NER + gazetteer) and resolution (candidate ranking in document context),
in four modules: ``recognition``, ``candidates``, ``resolution`` and ``fallback`` (names the gazetteer
lacks), over ``common``.

recognise(doc) finds place-name spans in a spaCy Doc: GPE/LOC/FAC entities, NER errors (PERSON/ORG/
NORP labels on strong gazetteer hits in a place context such as "the town of X", "in X", "X, Syria"),
place names embedded in organisation names, and gazetteer matches the NER missed.

resolve(mentions, text) ranks each mention's gazetteer candidates by: match quality, population and
feature class (prior), explicit qualifiers ("X, Texas", "the Syrian town of X"), the countries and
admin-1 regions the rest of the document points to, and proximity to the other toponyms' current
best reading; a few passes of re-scoring, one mention at a time, let unambiguous names settle the
ambiguous ones. A building or venue named right before its town ("the X Bistro in Lyon") lies in that
town; a name the gazetteer lacks takes the article's context place.
"""

from .common import Toponym
from .recognition import recognise
from .resolution import resolve

__all__ = ["Toponym", "recognise", "resolve"]
