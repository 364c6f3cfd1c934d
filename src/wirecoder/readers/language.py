"""Language of an article (py3langid: an n-gram model shipped inside the PyPI package;
nothing is downloaded). Built once and passed in; ``detect`` looks at the first few
thousand characters only, so its cost does not grow with the article."""

from __future__ import annotations

SAMPLE_CHARS = 3000
MIN_CHARS = 40          # shorter texts are too short to judge: taken as the wanted language


class LanguageFilter:
    def __init__(self, keep: tuple[str, ...] = ("en",)):
        from py3langid.langid import MODEL_FILE, LanguageIdentifier

        self.keep = set(keep)
        self._ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=False)

    def detect(self, text: str) -> str:
        sample = text[:SAMPLE_CHARS]
        if sum(c.isalpha() for c in sample) < MIN_CHARS:
            return next(iter(self.keep)) if self.keep else "und"
        lang, _ = self._ident.classify(sample)
        return lang

    def wanted(self, text: str) -> tuple[bool, str]:
        lang = self.detect(text)
        return lang in self.keep, lang
