"""Fuzzy lookup: spelling-variant (skeleton) candidates checked by longest-common-subsequence similarity,
with length plans that prune what cannot reach the threshold; Arabic article prefixes tolerated."""

from __future__ import annotations

import bisect
import math
import operator


SKELETON_MIN_SIMILARITY = 0.78  # 2 * LCS / (len(a) + len(b)) of the folded keys


SKELETON_MAX_TRIES = 40  # similarity checks per skeleton key (candidates come best-ranked first)


SKELETON_MAX_HITS = 5  # spelling-variant places returned at most, best first (5 and 40 read the dev geo files alike)


SKELETON_MIN_POP = 1000  # skeleton (spelling-variant) hits on tiny villages are noise, not variants


def group_id(initial: str, length: int) -> int:
    """A skel row group: keys of this initial (all vowel initials together: they pair with each other) and
    length."""
    return (42 if initial in VOWEL_SET else ord(initial)) * 256 + length


def _lcs_needed(n: int, m: int) -> int:
    """The least LCS that passes 2 * LCS >= SKELETON_MIN_SIMILARITY * (n + m) (that very comparison):
    the ceiling of the bound, moved by a step where float rounding put it off by one."""
    bound = SKELETON_MIN_SIMILARITY * (n + m)
    need = max(0, math.ceil(bound / 2))
    while need > 0 and 2 * (need - 1) >= bound:
        need -= 1
    while not 2 * need >= bound:
        need += 1
    return need


# per query key length n: ((candidate length m, LCS needed), ...) for the m `_similar1` accepts
# (|n - m| <= max(1, n // 4)) whose pairs can pass at all (LCS <= min(n, m))
_PLAN_LENGTHS = [tuple((m, _lcs_needed(n, m)) for m in range(max(1, n - max(1, n // 4)), n + max(1, n // 4) + 1)
                       if _lcs_needed(n, m) <= min(n, m)) for n in range(256)]


def skeleton_plan(a: str) -> list:
    """For a query key ``a``: per variant x of it (strip_pre), ``(x, group base, ((length, LCS needed),
    ...))``: the skel row groups (group_id: base + length) that `_similar` would compare x with, and the
    LCS each pair needs. Keys of another initial (vowel-initial keys pair with each other) or of a length out
    of tolerance never match."""
    if a[0] not in _PREFIX_INITIALS:  # no al-/el-/abu-/bu-: the key alone
        return [(a, group_id(a[0], 0), _PLAN_LENGTHS[len(a)])]
    return [(x, group_id(x[0], 0), _PLAN_LENGTHS[len(x)]) for x in strip_pre(a)]


def skeleton_hits(plan: list, groups: dict, bound: int) -> set:
    """Positions (< bound) of the candidates in one skel row part that `_similar` accepts for the query the
    plan is of: any (query variant, key variant) pair of compatible initial and length with
    2 * LCS >= SKELETON_MIN_SIMILARITY * (len + len)."""
    ok: set[int] = set()
    lcs = _lcs_c
    for x, base, lens in plan:
        for m, need in lens:
            v = groups.get(base + m)
            if v is not None:
                ys, firsts, dups = v
                ys = ys.split(" ")
                if firsts[-1] >= bound:  # first positions ascend
                    ys = ys[:bisect.bisect_left(firsts, bound)]
                for i, y in enumerate(ys):
                    if lcs(x, y) >= need:
                        pos = firsts[i]
                        ok.add(pos)
                        if dups:
                            d = dups.get(pos)
                            if d:  # later positions of the same key, ascending
                                ok.update(d if d[-1] < bound else d[:bisect.bisect_left(d, bound)])
    return ok


def strip_pre(k: str) -> list[str]:
    return [k] + [k[len(pre):] for pre in ("al", "el", "abu", "bu") if k.startswith(pre) and len(k) - len(pre) >= 4]


VOWEL_SET = frozenset("aeiouy")


_PREFIX_INITIALS = frozenset("aeb")  # al-, el-, abu-, bu-


_PREFIXES = ("al", "el", "abu", "bu")


RANK = operator.itemgetter(1)


def _similar(a: str, b: str) -> bool:
    """Loose-match guard for skeleton hits: similar length, same initial (or both vowel-initial) and a high
    character-sequence ratio, comparing with and without a leading al-/el-/abu-."""
    if a[0] != b[0] and not (a[0] in VOWEL_SET and b[0] in VOWEL_SET) \
            and a[0] not in _PREFIX_INITIALS and b[0] not in _PREFIX_INITIALS:
        return False
    return any(_similar1(x, y) for x in strip_pre(a) for y in strip_pre(b))


def _similar_to(a: str):
    """`_similar` with its first argument fixed: the query's prefix variants are prepared once, the pairs worth
    an LCS are planned once per (initial, length) of the candidate key, and the LCS runs in C (rapidfuzz), so
    checking many skeleton candidates stays cheap. Same result as _similar(a, b)."""
    a0 = a[0]
    a0v = a0 in VOWEL_SET
    a0p = a0 in _PREFIX_INITIALS
    av = [(x, len(x), max(1, len(x) // 4), x[0], x[0] in VOWEL_SET) for x in strip_pre(a)]
    lens = frozenset(m for x in av for m in range(x[1] - x[2], x[1] + x[2] + 1))
    lcs = _lcs_c
    ratio = SKELETON_MIN_SIMILARITY
    plans: dict = {}

    def plan(y0: str, m: int) -> tuple:
        # the query variants a key variant of initial y0 and length m is compared with, and the LCS each
        # needs (the checks of _similar1 that do not depend on the key's letters; LCS <= min(n, m))
        return tuple((x, ratio * (n + m)) for x, n, tol, x0, x0v in av
                     if abs(n - m) <= tol and (x0 == y0 or (x0v and y0 in VOWEL_SET))
                     and 2 * min(n, m) >= ratio * (n + m))

    def sim(b: str) -> bool:
        b0 = b[0]
        if b0 in _PREFIX_INITIALS and b.startswith(_PREFIXES):
            bvs = strip_pre(b)
        elif a0 != b0 and not (a0v and b0 in VOWEL_SET) and not a0p:
            return False  # 'Pentagon' is not 'Pontgouin' (b0 is no prefix initial here)
        elif len(b) not in lens:
            return False  # no length-compatible pair
        else:
            bvs = (b,)
        for y in bvs:
            k = (y[0], len(y))
            p = plans.get(k)
            if p is None:
                p = plans[k] = plan(*k)
            for x, need in p:
                if 2 * lcs(x, y) >= need:
                    return True
        return False

    return sim


def _lcs(a: str, b: str) -> int:
    """Length of the longest common subsequence (bit-parallel, Hyyrö 2004)."""
    n = len(a)
    if not n or not b:
        return 0
    pm: dict[str, int] = {}
    for i, c in enumerate(a):
        pm[c] = pm.get(c, 0) | (1 << i)
    mask = (1 << n) - 1
    v = mask
    for c in b:
        u = v & pm.get(c, 0)
        v = ((v + u) | (v - u)) & mask
    return n - bin(v).count("1")


try:
    from rapidfuzz.distance.LCSseq import similarity as _lcs_c  # the same LCS length, in C
except ImportError:  # pragma: no cover
    _lcs_c = _lcs


def _similar1(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > max(1, len(a) // 4):
        return False
    if a[0] != b[0] and not (a[0] in VOWEL_SET and b[0] in VOWEL_SET):
        return False  # 'Pentagon' is not 'Pontgouin'; Irbil/Erbil (vowel-initial variants) still meet
    return 2 * _lcs(a, b) >= SKELETON_MIN_SIMILARITY * (len(a) + len(b))
