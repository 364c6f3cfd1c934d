"""The pipeline: ingest -> clean -> analyse -> detect -> typing -> roles -> places -> dates
-> counts -> merge (+ main_event: the main event), one article at a time. Each stage is a
module with one job; this file only wires them together. Every stage gets its configuration
from one :class:`~wirecoder.resources.Resources`, built once from the CLI/API options."""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from . import classify as typing_stage
from . import clean as clean_stage
from . import counts as counts_stage
from . import events as events_stage
from . import merge as merge_stage
from . import places as places_stage
from . import quotes as quotes_stage
from . import roles as roles_stage
from . import main_event
from . import salience
from . import timing
from .actors import ActorDictionary
from .analyse import _pipe, analyse
from .analyse import plan as parse_plan
from .lexicon import Lexicon
from .resources import Resources, default_resources
from .schema import Article, ExtractionResult

CASUALTY_TYPES = {"ASSAULT"}
PREPARE_CHARS = 200_000   # most text parsed ahead in one prepare() call (the Docs are held until extract)


class Pipeline:
    """``Pipeline(resources).extract(article)`` -> :class:`ExtractionResult`."""

    def __init__(self, resources: Resources | None = None, *, lexicon: Lexicon | None = None,
                 actors: ActorDictionary | None = None, filter_paragraphs: bool | None = None):
        res = resources or default_resources()
        if lexicon is not None or actors is not None or filter_paragraphs is not None:
            res = replace(res, lexicon=lexicon or res.lexicon, actors=actors or res.actors,
                          thresholds=replace(res.thresholds, filter_paragraphs=res.thresholds.filter_paragraphs
                                             if filter_paragraphs is None else filter_paragraphs))
        self.resources = res
        # events placed only by a plainly locative phrase: statements, and sanctions ('imposed sanctions on
        # Iran' is aimed at Iran, not done there)
        self.verbal_types = {t for t, row in res.lexicon.plover.items() if row["quad"].startswith("verbal")} \
            | {"SANCTION"}
        self._prepared: dict[int, tuple] = {}

    @property
    def lexicon(self) -> Lexicon:
        return self.resources.lexicon

    @property
    def actors(self) -> ActorDictionary:
        return self.resources.actors

    @classmethod
    def with_user_files(cls, triggers: list[str | Path] = (), actors: list[str | Path] = ()) -> "Pipeline":
        return cls(Resources.build(triggers=triggers, actors=actors))

    def prepare(self, articles: list[Article]) -> None:
        """Clean the articles and parse the paragraphs the analyse stage will parse, all in one
        ``nlp.pipe`` batch (many short articles parse faster together than one by one); the
        next :meth:`extract` of each of these article objects uses that work. The same Docs
        as parsing article by article; what cannot be prepared (an article over a limit, an
        error) is left to ``extract``, which meets the same problem and reports it. Anything
        prepared before and not extracted is dropped."""
        from .limits import MAX_ARTICLE_CHARS

        self._prepared.clear()
        res = self.resources
        todo, size = [], 0
        for art in articles:
            if len(art.text) > MAX_ARTICLE_CHARS or size + len(art.text) > PREPARE_CHARS:
                continue
            try:
                cleaned = clean_stage.clean(art)
                p = parse_plan(cleaned, res)
            except Exception:  # noqa: BLE001 - extract meets it again and reports it for this article
                continue
            todo.append((art, cleaned, p))
            size += len(art.text)
        if len(todo) < 2:
            return
        try:
            docs = list(_pipe(res.nlp, [t for _, _, p in todo for t in p.texts]))
        except Exception:  # noqa: BLE001 - each article is parsed again (and fails) on its own
            return
        k = 0
        for art, cleaned, p in todo:
            n = len(p.keep)
            self._prepared[id(art)] = (art, cleaned, p, docs[k:k + n])
            k += n

    def extract(self, article: Article) -> ExtractionResult:
        from .limits import MAX_ARTICLE_CHARS, LimitError

        if len(article.text) > MAX_ARTICLE_CHARS:
            raise LimitError(f"article too long: {len(article.text):,} characters (limit {MAX_ARTICLE_CHARS:,}); "
                             "split it into articles")
        res = self.resources
        ready = self._prepared.pop(id(article), None)
        if ready is not None and ready[0] is article:
            _, cleaned, p, docs = ready
            analysis = analyse(cleaned, res, parsed=(p, docs))
        else:
            cleaned = clean_stage.clean(article)
            analysis = analyse(cleaned, res)
        found = events_stage.detect(analysis, article.id, res.lexicon)
        typing_stage.type_mentions(found, res.lexicon)
        main = main_event.main_mention(found)
        typing_stage.type_main(main, res.lexicon)
        # words that name no event of their own here are weighed for the main event only
        pairs = [(m, t) for m, t in found if t.event_sense]
        tops = places_stage.article_toponyms(analysis, res.gazetteer, res.actors) if pairs else {}
        memory = roles_stage.ActorMemory()
        by_sent: dict[int, list] = {}
        for m, t in pairs:
            by_sent.setdefault(m.sentence, []).append((m, t))
        for sent_index, sp in by_sent.items():
            sent = analysis.sentences[sent_index]
            nominal = {t.token.i: t for _, t in sp if t.nominal}
            trig_toks = {tok.i for _, t in sp for tok in t.tokens}
            for m, t in sp:
                roles_stage.fill_roles(m, t, res.actors, nominal, memory)
                places_stage.attach(m, t, tops, trig_toks - {tok.i for tok in t.tokens},
                                    verbal=m.plover_type in self.verbal_types or m.aux_mode == "threatened")
            if len(sp) == 1:
                places_stage.sentence_location(sp[0][0], sent, tops)
            timing.attach_dates(sp, sent, article.published)
            self._counts(sp, sent, article.id)
        if main is not None:        # the role reader's verbatim phrases, for the article's main event
            roles_stage.read_phrases(*main)
        # counts in sentences without an event ("The death toll rose to 12.") belong to the last violent one;
        # a sentence that only says where it happened places the last event told, if the text had not
        last = last_any = None
        for sent in analysis.sentences:
            sp = by_sent.get(sent.index, [])
            violent = [m for m, _ in sp if m.plover_type in CASUALTY_TYPES]
            if sp:
                last_any = sp[-1][0]
            elif last_any is not None and (last_any.location is None or last_any.location.precision == 3):
                scene = places_stage.scene_statement(sent, tops)
                if scene is not None:
                    last_any.location = scene
            if violent:
                last = violent[-1]
            elif last is not None and counts_stage.TOLL_HINT.search(sent.text):
                for raw in counts_stage.find_counts(sent):
                    if raw.kind != "arrested":
                        last.counts.append(counts_stage.to_count(raw, sent, article.id))
        events, links = merge_stage.merge_article(pairs, article.id, article.published, article.source, cleaned.text)
        roles_stage.claimed_responsibility(events, analysis, res.actors)
        places_stage.article_fallback(events, cleaned, res.gazetteer, self.verbal_types - {"CONSULT"})
        roles_stage.state_authorities(events, res.gazetteer)
        events, links = salience.select(events, links)
        quotes = quotes_stage.find_quotes(analysis, article.id)
        if main is not None:
            main_m = main[0].model_copy(deep=True)
        else:   # no mention can be the main event: the first sentence's main clause, untyped
            first = analysis if analysis.sentences else analyse(cleaned, res, first_paragraph=True)
            main_m = typing_stage.untyped_main(first, article.id, res.lexicon)
        return ExtractionResult(article=article, clean=cleaned, events=events, links=links, quotes=quotes,
                                main_event=main_m)

    def _counts(self, sp, sent, article_id: str) -> None:
        raws = counts_stage.find_counts(sent)
        for raw in raws:
            target = None
            for m, t in sp:
                if raw.token.i in {tok.i for tok in t.tokens}:
                    target = m
                    break
            if target is None:
                # the nearest preceding violent mention of the sentence, else the nearest one
                violent = [(m, t) for m, t in sp if m.plover_type in CASUALTY_TYPES]
                before = [mt for mt in violent if mt[1].token.i < raw.token.i]
                pick = before[-1] if before else (violent[0] if violent else None)
                target = pick[0] if pick else None
            if target is not None and (raw.kind != "arrested" or target.plover_type == "COERCE" or
                                       target.plover_type == "ASSAULT"):
                target.counts.append(counts_stage.to_count(raw, sent, article_id))
        for m, t in sp:
            if m.plover_type in ("AID", "MOBILIZE", "PROTEST"):
                for tok in t.tokens + ([t.role_verb] if t.role_verb is not None else []):
                    size = counts_stage.size_of(tok)
                    if size:
                        value, approx, head = size
                        raw = counts_stage.RawCount("size", value, approx, tok, head, None, head.text)
                        m.counts.append(counts_stage.to_count(raw, sent, article_id))
                        break


def default_pipeline() -> Pipeline:
    """The pipeline of a run with no options (its Resources are built once per process)."""
    return _default_pipeline()


@lru_cache(maxsize=1)
def _default_pipeline() -> Pipeline:
    return Pipeline(default_resources())


def extract(article: Article, resources: Resources | None = None) -> ExtractionResult:
    return (Pipeline(resources) if resources is not None else default_pipeline()).extract(article)
