"""Noun phrases in the parse: the one helper every stage uses for a phrase's extent."""

from __future__ import annotations

STRIP_LEFT = {"the", "a", "an", "some", "this", "that", "these", "those"}


def lemma(tok) -> str:
    """A token's lemma, lower-cased (the form every word list is written in)."""
    return tok.lemma_.lower()


def np_span(tok) -> tuple[int, int]:
    """Token range [start, end) of the noun phrase headed by tok, with its prepositional
    modifiers (not those of time or circumstance: "on", "at", "during", ...) but without
    relative clauses, appositions (except a name: "the party leader John Smith"),
    coordination, leading determiners and a possessor's "'s". The one noun-phrase helper:
    the roles stage codes what lies in it, the role reader writes it out."""
    left, right = tok.i, tok.i
    for c in tok.children:
        if c.dep_ == "appos" and c.i > tok.i and c.pos_ == "PROPN" and not any(
                t.is_punct for t in tok.doc[tok.i + 1: c.left_edge.i + 1]):
            right = max(right, c.i)   # "the party leader John Smith": the name is part of the phrase
            continue
        if c.dep_ in ("relcl", "acl", "punct", "cc", "advcl", "conj", "appos") or c.dep_ == "prep" and c.lower_ in (
                "on", "at", "over", "after", "during", "since", "amid", "with", "as", "throughout", "across"):
            continue
        sub = list(c.subtree)
        if c.i < tok.i:
            left = min(left, sub[0].i)
        else:
            right = max(right, sub[-1].i)
    doc = tok.doc
    while left < right and (doc[left].is_punct or doc[left].lower_ in STRIP_LEFT):
        left += 1
    while right > left and (doc[right].is_punct or doc[right].dep_ == "case" and doc[right].head.i == tok.i):
        right -= 1   # a possessor without its "'s"
    return left, right + 1
