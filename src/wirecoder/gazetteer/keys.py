"""Name keys: case and accent folding (full key), the normalised key (articles and punctuation gone) and
transliteration skeletons (Boukamal ~ Abu Kamal ~ Al-Bukamal), the index's lookup keys."""

from __future__ import annotations

import re
import unicodedata


_SPECIAL = str.maketrans({"ø": "o", "Ø": "o", "ß": "ss", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "æ": "ae",
                          "Æ": "ae", "œ": "oe", "Œ": "oe", "ı": "i", "þ": "th", "ð": "d", "ħ": "h"})


_ARTICLE = re.compile(r"^(?:al|el|ad|ed|as|es|ar|er|at|et|az|an|ash|adh|ath|ul)[\s\-‐‑'’ʼ`]+(?=\w)", re.I)


_NONALNUM = re.compile(r"[^0-9a-z]+")


LATIN = re.compile(r"^[\x20-\x7e\u00a0-\u024f\u1e00-\u1eff\u2018-\u201f\u02bb\u02bc\u02be\u02bf]+$")


def _fold(s: str) -> str:
    if s.isascii():
        return s.casefold()
    s = unicodedata.normalize("NFKD", s.translate(_SPECIAL))
    return "".join(c for c in s if not unicodedata.combining(c)).casefold()


def full_key(name: str) -> str:
    """Casefolded, diacritics and punctuation/spaces stripped; keeps a leading article."""
    return _NONALNUM.sub("", _fold(name).replace("&", "and"))


def norm_key(name: str) -> str:
    """Like full_key, and also drops a leading Arabic article (al-, el-, ad-, as-, ar-...)."""
    return _norm_folded(_fold(name))


def lookup_keys(name: str) -> tuple[str, str]:
    """(full_key, norm_key) of a name, folding it once."""
    f = _fold(name)
    return _NONALNUM.sub("", f.replace("&", "and")), _norm_folded(f)


def _norm_folded(s: str) -> str:
    s = s.strip()
    if s.startswith("the "):
        s = s[4:]
    s2 = _ARTICLE.sub("", s)
    k = _NONALNUM.sub("", s2.replace("&", "and"))
    return k or _NONALNUM.sub("", s)


_SKEL_RULES = [("ou", "u"), ("oo", "u"), ("ee", "i"), ("ph", "f"), ("q", "k"), ("ck", "k"), ("c", "k"),
               ("kh", "k"), ("gh", "g"), ("dh", "d"), ("th", "t"), ("sch", "s"), ("sh", "s"), ("tch", "c"),
               ("dj", "j"), ("x", "ks"), ("v", "w"), ("z", "s")]


_VOWELS = re.compile(r"[aeiouy]+")


_DOUBLE = re.compile(r"(.)\1+")


_NO_VOWELS = str.maketrans("", "", "aeiouy")


def skeleton_keys(name: str) -> list[str]:
    """Loose consonant skeletons (fallback only): Irbil/Erbil/Arbil -> 'rbl', Boukamal/Abu Kamal -> 'bkml'."""
    return skeletons_of_key(norm_key(name))


def skeletons_of_key(k: str) -> list[str]:
    """skeleton_keys of an already normalised key (norm_key): of the key and of the key less a leading
    al-/el-/abu-/bu- (when 4 letters stay)."""
    for pre in ("al", "el", "abu", "bu"):
        if k.startswith(pre) and len(k) - len(pre) >= 4:
            # no rule matches across the prefix (none involves 'l' or 'b', nor 'u' after 'b'), so the rules
            # rewrite the rest alone: the same as rewriting both variants in full
            r = _skel_rules(k[len(pre):])
            variants = (pre + r, r)
            break
    else:
        variants = (_skel_rules(k),)
    out = []
    for v in variants:
        # = _DOUBLE.sub(r"\1", _VOWELS.sub("", v)) for keys (no newlines), several times faster
        prev = w = ""
        for c in v.translate(_NO_VOWELS):
            if c != prev:
                w += c
                prev = c
        if len(w) >= 3 and w not in out:
            out.append(w)
    return out


def _skel_rules(v: str) -> str:
    """_SKEL_RULES applied in order, unrolled (the loop's overhead is most of the cost on short keys)."""
    return (v.replace("ou", "u").replace("oo", "u").replace("ee", "i").replace("ph", "f").replace("q", "k")
            .replace("ck", "k").replace("c", "k").replace("kh", "k").replace("gh", "g").replace("dh", "d")
            .replace("th", "t").replace("sch", "s").replace("sh", "s").replace("tch", "c").replace("dj", "j")
            .replace("x", "ks").replace("v", "w").replace("z", "s"))
