"""Language of an article (py3langid: an n-gram model shipped inside the PyPI package;
nothing is downloaded). Built once and passed in; ``detect`` looks at the first few
thousand characters only, so its cost does not grow with the article."""

from __future__ import annotations

SAMPLE_CHARS = 3000
MIN_CHARS = 40          # shorter texts are too short to judge: taken as the wanted language
MIN_CONFIDENCE = 0.9    # an article is set aside only when the detector is this sure it is another language


class LanguageFilter:
    def __init__(self, keep: tuple[str, ...] = ("en",)):
        from py3langid.langid import MODEL_FILE, LanguageIdentifier

        self.keep = set(keep)
        self._ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)

    def detect(self, text: str) -> str:
        sample = text[:SAMPLE_CHARS]
        if not _has_letters(sample, MIN_CHARS):
            return next(iter(self.keep)) if self.keep else "und"
        lang, prob = self._ident.classify(sample)
        if lang not in self.keep and prob < MIN_CONFIDENCE:
            return next(iter(self.keep)) if self.keep else lang
        return lang

    def wanted(self, text: str) -> tuple[bool, str]:
        lang = self.detect(text)
        return lang in self.keep, lang


def _has_letters(text: str, n: int) -> bool:
    """Whether ``text`` has at least ``n`` letters (``str.isalpha``), counted only as far as the
    n-th (a news article's first ~60 characters, not its first 3,000)."""
    if n <= 0:
        return True
    for c in text:
        if c.isalpha():
            n -= 1
            if not n:
                return True
    return False
