"""spaCy's attribute ruler, matched by table lookups.

The model's ``attribute_ruler`` (tag map and word exceptions: POS, morphology and some lemmas
from the tagger's tags) runs spaCy's general token ``Matcher`` over its ~180 patterns, one
state machine per token: about 8% of the full pipeline's time. Every one of its patterns is one
or two tokens testing ``LOWER``, ``TAG``, ``DEP`` or ``IS_SPACE`` by equality, ``IN``, ``NOT_IN``
or ``REGEX``; :func:`speed_up` indexes the one-token patterns by word and by tag, checks each
token against the few patterns its word or tag can meet, and applies the matches exactly as the
ruler does (all matches found first, then applied in pattern order, later patterns winning).
Same tokens, same attributes (``tests/test_model_speed.py`` compares the parse with spaCy's own ruler);
a ruler with any other kind of pattern is left as it is."""

from __future__ import annotations

import re

from spacy.attrs import DEP, IS_SPACE, LOWER, TAG
from spacy.tokens._retokenize import set_token_attrs

COLUMNS = {"LOWER": 0, "TAG": 1, "DEP": 2, "IS_SPACE": 3}
ARRAY_ATTRS = [LOWER, TAG, DEP, IS_SPACE]


class _Unsupported(Exception):
    pass


class FastAttributeRuler:
    """The match and apply steps of one ``AttributeRuler``, by lookups."""

    def __init__(self, ruler):
        strings = ruler.vocab.strings
        self.strings = strings
        self.attrs = ruler.attrs
        self.indices = ruler.indices
        self.by_lower: dict[int, list] = {}
        self.by_tag: dict[int, list] = {}
        self.generic: list = []
        for attr_id, p in enumerate(ruler.patterns):
            for pattern in p["patterns"]:
                entry = (attr_id, [self._compile(spec) for spec in pattern])
                first = pattern[0]       # indexed by its first token's word or tag where it names one
                if isinstance(first.get("LOWER"), str):
                    self.by_lower.setdefault(strings.add(first["LOWER"]), []).append(entry)
                elif isinstance(first.get("TAG"), str):
                    self.by_tag.setdefault(strings.add(first["TAG"]), []).append(entry)
                else:
                    self.generic.append(entry)
        self._regex_memo: dict[tuple, bool] = {}
        self._row_memo: dict[tuple, tuple] = {}

    def _compile(self, spec: dict) -> list[tuple]:
        tests = []
        for key, value in spec.items():
            col = COLUMNS.get(key)
            if col is None:
                raise _Unsupported(key)
            if key == "IS_SPACE":
                if not isinstance(value, bool):
                    raise _Unsupported(value)
                tests.append((col, "eq", int(value)))
            elif isinstance(value, str):
                tests.append((col, "eq", self.strings.add(value)))
            elif isinstance(value, dict) and len(value) == 1:
                op, arg = next(iter(value.items()))
                if op == "IN":
                    tests.append((col, "in", frozenset(self.strings.add(v) for v in arg)))
                elif op == "NOT_IN":
                    tests.append((col, "not_in", frozenset(self.strings.add(v) for v in arg)))
                elif op == "REGEX" and isinstance(arg, str):
                    tests.append((col, "regex", re.compile(arg)))
                else:
                    raise _Unsupported(op)
            else:
                raise _Unsupported(value)
        return tests

    def _ok(self, tests: list[tuple], row: list[int], strings) -> bool:
        for col, kind, arg in tests:
            v = row[col]
            if kind == "eq":
                if v != arg:
                    return False
            elif kind == "in":
                if v not in arg:
                    return False
            elif kind == "not_in":
                if v in arg:
                    return False
            else:
                key = (arg, v)
                hit = self._regex_memo.get(key)
                if hit is None:
                    if len(self._regex_memo) > 100_000:
                        self._regex_memo.clear()
                    hit = self._regex_memo[key] = arg.search(strings[v]) is not None
                if not hit:
                    return False
        return True

    def _starts(self, row: tuple) -> tuple:
        """For a token of attributes ``row``: the one-token patterns it matches and the longer
        patterns whose first token it matches (the rest of those is checked on the next rows)."""
        hit = self._row_memo.get(row)
        if hit is None:
            single, longer = [], []
            for group in (self.by_lower.get(row[0]), self.by_tag.get(row[1]), self.generic):
                for attr_id, tests in group or ():
                    if self._ok(tests[0], row, self.strings):
                        if len(tests) == 1:
                            single.append(attr_id)
                        else:
                            longer.append((attr_id, tests))
            if len(self._row_memo) > 100_000:
                self._row_memo.clear()
            hit = self._row_memo[row] = (tuple(single), tuple(longer))
        return hit

    def match(self, doc) -> list[tuple[int, int, int]]:
        """Every (pattern, start, end) the ruler's Matcher finds, in the order it applies them.
        A token's one-token matches depend on its four attributes only: worked out once per
        distinct (word, tag, dependency, space) and remembered."""
        rows = [tuple(r) for r in doc.to_array(ARRAY_ATTRS).tolist()] if len(doc) else []
        found = set()
        ok, starts = self._ok, self._starts
        strings = doc.vocab.strings
        n_rows = len(rows)
        for i, row in enumerate(rows):
            single, longer = starts(row)
            for attr_id in single:
                found.add((attr_id, i, i + 1))
            for attr_id, tests in longer:
                n = len(tests)
                if i + n <= n_rows and all(ok(tests[j], rows[i + j], strings) for j in range(1, n)):
                    found.add((attr_id, i, i + n))
        return sorted(found)

    def set_annotations(self, doc, matches) -> None:
        for attr_id, start, end in matches:
            index = self.indices[attr_id]
            pos = start + index if index >= 0 else end + index
            if not start <= pos < end:
                raise ValueError(f"attribute ruler pattern {attr_id}: index {index} outside its match "
                                 f"{[t.text for t in doc[start:end]]}")
            set_token_attrs(doc[pos], self.attrs[attr_id])


def speed_up(nlp) -> bool:
    """Replace the match and apply steps of ``nlp``'s attribute ruler with lookups when every
    one of its patterns is of the kinds above; returns whether it did."""
    if "attribute_ruler" not in nlp.pipe_names:
        return False
    ruler = nlp.get_pipe("attribute_ruler")
    try:
        fast = FastAttributeRuler(ruler)
    except _Unsupported:
        return False
    ruler.match = fast.match
    ruler.set_annotations = fast.set_annotations
    return True
