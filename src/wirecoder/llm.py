"""LLM extractors: the same ``extract(Article) -> ExtractionResult`` as the rules
:class:`~wirecoder.pipeline.Pipeline`, coded by a chat model on any OpenAI-compatible server
(llama.cpp, vLLM, Ollama, a hosted API).

* ``LLMExtractor(pipeline, config, mode="llm")`` sends the article's cleaned text with the
  codebook (``data/llm.toml``) and asks for JSON constrained by a JSON schema
  (``response_format: json_schema``); the answer is validated with the pydantic models
  :class:`~wirecoder.schema.LLMAnswer` and the ontology, and every string in it is mapped back
  to an evidence span of the text (exact, then case- and punctuation-insensitive match). A
  field whose words are not in the text is dropped and counted; an event whose trigger is not
  in the text is dropped and counted. Nothing is invented.
* ``mode="ensemble"``: the rules' events are the candidates; the model confirms or rejects
  each (``candidate`` number), corrects its type, mode, ACLED code, actor, recipient or place,
  and may add events. ``chosen_by`` on each event and mention says which extractor chose
  each field.
* Any failure (server down, timeout, HTTP error, bad or partial JSON, a type outside the
  ontology) falls back to the rules' events for that article, with a warning, and is counted
  (:class:`Stats`); ``ExtractionResult.fallback`` says why.
* Answers are cached on disk, keyed by model + request (prompt, schema, text), so a rerun
  sends nothing. Retries with backoff on timeouts, 429 and 5xx; at most ``concurrency``
  requests in flight (:meth:`LLMExtractor.stream` and :meth:`LLMExtractor.prefetch` read ahead).

Needs ``httpx`` (``pip install wirecoder[llm]``); the rules extractor needs nothing of this.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import CancelledError, Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from .lexicon import data_toml
from .schema import (Actor, Article, Count, DateRange, Event, ExtractionResult, LLMAnswer, LLMEvent, Location,
                     Mention, Span)

log = logging.getLogger("wirecoder.llm")

EXTRACTORS = ("rules", "llm", "ensemble")
FIELDS = ("plover_type", "plover_mode", "acled_code", "actor", "recipient", "location", "date", "killed")
DEFAULT_CACHE = Path.home() / ".cache" / "wirecoder" / "llm"
MAX_FIELD_CHARS = 120
AHEAD_MAX = 512        # read-ahead answers kept for extract(): far more than a caller holds before extracting
# how a server is asked for JSON, best first: OpenAI's json_schema (vLLM, llama.cpp's llama-server, hosted
# APIs), json_object with a schema (llama-cpp-python's server), then the prompt alone. A server that refuses
# one (HTTP 400/422, or a 500 that names response_format) is asked the next way for the rest of the run.
FORMATS = ("json_schema", "json_object", "prompt")


class LLMError(Exception):
    """A failed request or an unusable answer; ``kind`` is what the statistics count."""

    def __init__(self, kind: str, detail: str = "", status: int | None = None):
        super().__init__(f"{kind}: {detail}" if detail else kind)
        self.kind, self.status = kind, status
        self.format_refused = False


def _shaped(body: dict, fmt: str) -> dict:
    """``body`` (which asks for json_schema) asking for JSON the way ``fmt`` says."""
    if fmt == "json_schema":
        return body
    schema = body["response_format"]["json_schema"]["schema"]
    out = {k: v for k, v in body.items() if k != "response_format"}
    if fmt == "json_object":
        out["response_format"] = {"type": "json_object", "schema": schema}
    else:
        msgs = [dict(m) for m in body["messages"]]
        msgs[-1]["content"] += "\n\nAnswer with one JSON object that follows this JSON schema:\n" + json.dumps(schema)
        out["messages"] = msgs
    return out


@dataclass(frozen=True)
class LLMConfig:
    """Where and how to ask. ``api_key`` is read by the caller from the environment variable
    the user names (``--llm-key-env``); it is never written to the cache or the output."""

    url: str
    model: str
    api_key: str | None = field(default=None, repr=False)
    cache_dir: Path | None = DEFAULT_CACHE      # None: no cache
    timeout: float = 120.0                     # seconds per request
    concurrency: int = 4                       # requests in flight
    retries: int = 2                           # after the first try, on timeouts, 429 and 5xx
    backoff: float = 1.0                       # seconds before the first retry, doubled each time
    max_events: int = 5
    max_tokens: int = 1024
    max_chars: int = 8000                      # text sent per article (the start of a longer one)

    @classmethod
    def from_options(cls, url: str, model: str, key_env: str | None = None, **kw) -> "LLMConfig":
        key = None
        if key_env:
            key = os.environ.get(key_env)
            if not key:
                raise ValueError(f"--llm-key-env {key_env}: that environment variable is not set")
        return cls(url=url, model=model, api_key=key, **kw)

    @property
    def endpoint(self) -> str:
        """The chat-completions URL: a server root, its /v1, or the full path all work."""
        u = self.url.rstrip("/")
        if u.endswith("/chat/completions"):
            return u
        return u + ("/chat/completions" if u.endswith("/v1") else "/v1/chat/completions")


@dataclass
class Stats:
    """What the LLM extractor did in a run (printed at the end of extract/ingest/eval)."""

    articles: int = 0
    requests: int = 0                    # HTTP requests sent, retries included
    cache_hits: int = 0
    fallbacks: Counter = field(default_factory=Counter)     # why -> articles coded by the rules instead
    dropped: Counter = field(default_factory=Counter)       # field -> values not found in the text
    rejected: int = 0                    # ensemble: rule candidates the model said are not events
    added: int = 0                       # ensemble: events the model added
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def count_request(self) -> None:
        with self._lock:
            self.requests += 1

    def as_dict(self) -> dict:
        return {"articles": self.articles, "requests": self.requests, "cache_hits": self.cache_hits,
                "fallbacks": dict(self.fallbacks), "dropped_fields": dict(self.dropped),
                "rejected_candidates": self.rejected, "added_events": self.added}

    def line(self) -> str:
        s = (f"{self.articles} article(s), {self.requests} request(s), {self.cache_hits} answer(s) from the cache, "
             f"{sum(self.fallbacks.values())} fell back to the rules")
        if self.fallbacks:
            s += " (" + ", ".join(f"{k}: {v}" for k, v in self.fallbacks.most_common()) + ")"
        s += f", {sum(self.dropped.values())} field(s) dropped as not in the text"
        if self.dropped:
            s += " (" + ", ".join(f"{k}: {v}" for k, v in self.dropped.most_common()) + ")"
        if self.rejected or self.added:
            s += f", {self.rejected} rule candidate(s) rejected, {self.added} event(s) added"
        return s


# --------------------------------------------------------------------------- cache


class Cache:
    """Answers on disk, one file per request key (sha256 of model + messages + schema)."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    @staticmethod
    def key(body: dict) -> str:
        keyed = {k: body[k] for k in ("model", "messages", "response_format")}
        return hashlib.sha256(json.dumps(keyed, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> str | None:
        try:
            return json.loads(self._path(key).read_text("utf-8"))["content"]
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, key: str, content: str) -> None:
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
            tmp.write_text(json.dumps({"content": content}, ensure_ascii=False), "utf-8")
            os.replace(tmp, path)
        except OSError as exc:   # a read-only or full cache folder costs reruns, not results
            log.warning("LLM cache %s: cannot write (%s)", self.folder, exc)


# --------------------------------------------------------------------------- client


class Client:
    """POST /v1/chat/completions with retries, backoff and a limit on requests in flight."""

    def __init__(self, config: LLMConfig, stats: Stats):
        try:
            import httpx
        except ImportError:  # pragma: no cover - install problem
            raise RuntimeError("the LLM extractors need httpx: pip install 'wirecoder[llm]'") from None
        self.httpx = httpx
        self.config, self.stats = config, stats
        headers = {"Authorization": f"Bearer {config.api_key}"} if config.api_key else {}
        self.http = httpx.Client(timeout=config.timeout, headers=headers)
        self.gate = threading.Semaphore(max(1, config.concurrency))
        self.format, self._lock = FORMATS[0], threading.Lock()

    def complete(self, body: dict) -> str:
        """The answer's text (``choices[0].message.content``); LLMError when there is none. ``body``
        asks for json_schema; a server that refuses that is asked the next way of :data:`FORMATS`."""
        while True:
            fmt = self.format
            try:
                return self._post(_shaped(body, fmt))
            except LLMError as exc:
                if not exc.format_refused or fmt == FORMATS[-1]:
                    raise
                with self._lock:
                    if self.format == fmt:
                        self.format = FORMATS[FORMATS.index(fmt) + 1]
                        log.info("%s refused response_format %s (HTTP %s); asking with %s", self.config.endpoint,
                                 fmt, exc.status, self.format)

    def _post(self, body: dict) -> str:
        httpx, cfg = self.httpx, self.config
        err = LLMError("no answer")
        for attempt in range(cfg.retries + 1):
            if attempt:
                time.sleep(cfg.backoff * 2 ** (attempt - 1))
            try:
                with self.gate:
                    self.stats.count_request()
                    r = self.http.post(cfg.endpoint, json=body)
            except httpx.TimeoutException:
                err = LLMError("timeout", f"no answer from {cfg.endpoint} in {cfg.timeout:g} s")
                continue
            except httpx.TransportError as exc:
                err = LLMError("server unreachable", f"{cfg.endpoint}: {exc}")
                continue
            if r.status_code == 200:
                try:
                    content = r.json()["choices"][0]["message"]["content"]
                except (ValueError, KeyError, IndexError, TypeError):
                    raise LLMError("bad response", f"not an OpenAI chat completion: {r.text[:200]!r}") from None
                if not isinstance(content, str):
                    raise LLMError("bad response", "no message content")
                return content
            err = LLMError(f"HTTP {r.status_code}", r.text[:200], status=r.status_code)
            # a server that cannot do this response_format says so with 400 or 422 (some, with 500)
            err.format_refused = r.status_code in (400, 422) or (r.status_code >= 500 and "response_format" in r.text)
            if err.format_refused or (r.status_code not in (408, 429) and r.status_code < 500):
                break           # a request the server refuses is refused again
        raise err

    def close(self) -> None:
        self.http.close()


# --------------------------------------------------------------------------- prompt and schema


@dataclass(frozen=True)
class Codebook:
    system: str
    ensemble: str
    plover: dict[str, str]
    modes: dict[str, list[str]]
    acled: dict[str, str]

    @classmethod
    def load(cls, lexicon) -> "Codebook":
        data = data_toml("llm.toml")
        bad = [t for t in data["plover"] if t not in lexicon.plover] + [c for c in data["acled"] if c not in lexicon.acled]
        if bad:
            raise ValueError(f"llm.toml: not in the ontology: {', '.join(bad)}")
        return cls(system=data["system"], ensemble=data["ensemble"], plover=data["plover"], modes=data["modes"],
                   acled=data["acled"])

    def system_prompt(self, max_events: int, ensemble: bool) -> str:
        lines = [self.system.replace("MAX_EVENTS", str(max_events)).strip(), "", "PLOVER types (plover_type):"]
        lines += [f"- {t}: {d}" for t, d in self.plover.items()]
        lines += ["", "Modes (plover_mode), by type:"]
        lines += [f"- {t}: {', '.join(ms)}" for t, ms in self.modes.items()]
        lines += ["", "ACLED sub-event codes (acled_code), or null when none applies:"]
        lines += [f"- {c}: {d}" for c, d in self.acled.items()]
        if ensemble:
            lines += ["", self.ensemble.strip()]
        return "\n".join(lines)

    def schema(self, max_events: int, ensemble: bool) -> dict:
        # unions as anyOf and enums without a type: the form every grammar converter reads (llama.cpp's
        # drops maxLength and enum from a list of types); bounded strings keep a small model's answer short
        text = {"anyOf": [{"type": "string", "maxLength": MAX_FIELD_CHARS}, {"type": "null"}]}
        props = {
            "trigger": {"type": "string", "maxLength": MAX_FIELD_CHARS},
            "plover_type": {"enum": list(self.plover)},
            "plover_mode": text,
            "acled_code": {"enum": [*self.acled, None]},
            "actor": text, "recipient": text, "location": text, "date": text, "killed": text,
        }
        if ensemble:
            props = {"candidate": {"anyOf": [{"type": "integer"}, {"type": "null"}]}, **props}
        item = {"type": "object", "properties": props, "required": list(props), "additionalProperties": False}
        return {"type": "object", "properties": {"events": {"type": "array", "items": item, "maxItems": max_events}},
                "required": ["events"], "additionalProperties": False}


# --------------------------------------------------------------------------- evidence


_WORD = re.compile(r"\w+", re.U)


def find_span(text: str, phrase: str | None, near: int | None = None) -> Span | None:
    """Where ``phrase`` is written in ``text``: exactly, else ignoring case, punctuation and
    spacing between its words (and a leading article); the occurrence nearest ``near`` when
    there are several. None when its words are not there."""
    if not phrase or not phrase.strip():
        return None
    phrase = phrase.strip()
    hits = [(m.start(), m.end()) for m in re.finditer(re.escape(phrase), text)]
    if not hits:
        words = _WORD.findall(phrase)
        if not words or len(words) > 40:
            return None
        if len(words) > 1 and words[0].lower() in ("the", "a", "an"):
            words = words[1:]
        pat = r"(?<!\w)" + r"\W+".join(re.escape(w) for w in words) + r"(?!\w)"
        hits = [(m.start(), m.end()) for m in re.finditer(pat, text, re.I)]
    if not hits:
        return None
    s, e = min(hits, key=lambda h: abs(h[0] - near)) if near is not None else hits[0]
    return Span(start=s, end=e, text=text[s:e])


_SENT_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])|\n+")


def sentence_of(text: str, pos: int) -> tuple[int, Span]:
    """The sentence (index, span) around ``pos``: a plain split at sentence-final marks and line breaks."""
    start, index = 0, 0
    for m in _SENT_END.finditer(text):
        if m.start() >= pos:
            end = m.start()
            break
        start, index = m.end(), index + 1
    else:
        end = len(text)
    while end > start and text[end - 1].isspace():
        end -= 1
    return index, Span(start=start, end=end, text=text[start:end])


def _number(text: str) -> int | None:
    m = re.search(r"\d[\d,]*", text)
    if m:
        try:
            return int(m.group().replace(",", ""))
        except ValueError:
            return None
    from .dates import _num

    for w in _WORD.findall(text):
        n = _num(w) if w.lower() not in ("a", "an", "the") else None
        if n is not None:
            return n
    return None


# --------------------------------------------------------------------------- the extractor


@dataclass
class _Prepared:
    article: Article
    rules: ExtractionResult | None = None
    body: dict | None = None
    candidates: list = field(default_factory=list)     # ensemble: (Event or Mention, its main mention or None)
    error: BaseException | None = None


class LLMExtractor:
    """``extract(article) -> ExtractionResult`` by a chat model (``mode="llm"``) or by the
    model adjudicating the rules' candidates (``mode="ensemble"``)."""

    def __init__(self, pipeline, config: LLMConfig, mode: str = "llm"):
        if mode not in ("llm", "ensemble"):
            raise ValueError(f"unknown LLM extractor mode {mode!r}")
        self.pipeline, self.config, self.mode = pipeline, config, mode
        self.resources = pipeline.resources
        self.lexicon = pipeline.resources.lexicon
        self.codebook = Codebook.load(self.lexicon)
        self.stats = Stats()
        self.cache = Cache(config.cache_dir) if config.cache_dir else None
        self.client = Client(config, self.stats)
        self._system = self.codebook.system_prompt(config.max_events, mode == "ensemble")
        self._schema = self.codebook.schema(config.max_events, mode == "ensemble")
        self._acled_code = {tuple(v): k for k, v in self.lexicon.acled.items()}
        self._ahead: dict[int, tuple[_Prepared, Future]] = {}

    # ---- the interface

    def extract(self, article: Article) -> ExtractionResult:
        got = self._ahead.pop(id(article), None)
        if got is not None:
            prep, fut = got
            try:
                answer = fut.result()
            except CancelledError:
                answer = self._ask(prep)
            return self._finish(prep, answer)
        prep = self._prepare(article)
        return self._finish(prep, self._ask(prep))

    def stream(self, articles: Iterable[Article]) -> Iterator[ExtractionResult]:
        """``extract`` over many articles, in order, with up to ``concurrency`` requests in flight."""
        window = max(1, self.config.concurrency)
        with ThreadPoolExecutor(window, thread_name_prefix="wirecoder-llm") as pool:
            pending: deque = deque()
            for art in articles:
                prep = self._prepare(art)
                pending.append((prep, pool.submit(self._ask, prep)))
                if len(pending) >= window:
                    p, f = pending.popleft()
                    yield self._finish(p, f.result())
            while pending:
                p, f = pending.popleft()
                yield self._finish(p, f.result())

    def prefetch(self, items: Iterable, skip: Callable[[Article], bool] | None = None) -> Iterator:
        """Pass ``items`` (Articles and anything else) through unchanged, ``concurrency`` items
        late: the requests of the articles read ahead are in flight meanwhile, and ``extract``
        picks their answers up. ``skip(article)`` true: not asked (already stored, other language)."""
        window = max(1, self.config.concurrency)
        pool = ThreadPoolExecutor(window, thread_name_prefix="wirecoder-llm")
        held: deque = deque()
        try:
            for item in items:
                if isinstance(item, Article) and not (skip is not None and skip(item)):
                    prep = self._prepare(item, defer_errors=True)
                    self._ahead[id(item)] = (prep, pool.submit(self._ask, prep))
                    while len(self._ahead) > AHEAD_MAX:   # the oldest: ones the caller skipped (a duplicate)
                        self._ahead.pop(next(iter(self._ahead)))
                held.append(item)
                if len(held) > window:
                    yield held.popleft()
            while held:
                yield held.popleft()
        except BaseException:     # the caller stopped (an interrupt, a fatal store error): drop what is pending
            self._ahead.clear()
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        # the caller may still hold the last articles (it extracts in chunks): their requests run on
        pool.shutdown(wait=False)

    def prepare(self, articles) -> None:
        """The rules pipeline's batch parse hook (:meth:`Pipeline.prepare`): nothing to do here, the
        rules' part of each article is done when its request is read ahead (:meth:`prefetch`)."""

    def close(self) -> None:
        self.client.close()

    # ---- steps

    def _prepare(self, article: Article, defer_errors: bool = False) -> _Prepared:
        """The rules' result (the fallback, the cleaned text, the ensemble's candidates) and the request."""
        prep = _Prepared(article)
        try:
            prep.rules = self.pipeline.extract(article)
        except Exception as exc:   # noqa: BLE001 - raised again by extract(), where the caller handles it
            if not defer_errors:
                raise
            prep.error = exc
            return prep
        text = prep.rules.clean.text[: self.config.max_chars]
        user = f"Text:\n{text}"
        if self.mode == "ensemble":
            prep.candidates = self._candidates(prep.rules)
            lines = [self._describe(i + 1, c) for i, (c, _) in enumerate(prep.candidates)]
            user += "\n\nCandidates:\n" + ("\n".join(lines) if lines else "(none)")
        prep.body = {
            "model": self.config.model,
            "messages": [{"role": "system", "content": self._system}, {"role": "user", "content": user}],
            "temperature": 0,
            "max_tokens": self.config.max_tokens,
            "response_format": {"type": "json_schema",
                                "json_schema": {"name": "events", "strict": True, "schema": self._schema}},
        }
        return prep

    def _ask(self, prep: _Prepared) -> LLMAnswer | LLMError | None:
        """The validated answer, or the LLMError that stopped it (never raises)."""
        if prep.body is None:
            return None
        key = Cache.key(prep.body)
        content = self.cache.get(key) if self.cache else None
        cached = content is not None
        try:
            if content is None:
                content = self.client.complete(prep.body)
            answer = self._parse(content)
        except LLMError as exc:
            return exc
        if cached:
            with self.stats._lock:
                self.stats.cache_hits += 1
        elif self.cache:
            self.cache.put(key, content)
        return answer

    def _parse(self, content: str) -> LLMAnswer:
        s = content.strip()
        fence = re.match(r"^```(?:json)?\s*(.*?)\s*```$", s, re.S)   # a server without constrained decoding
        if fence:
            s = fence.group(1)
        try:
            data = json.loads(s, strict=False)    # a raw line break inside a string: read, not refused
        except ValueError as exc:
            raise LLMError("bad JSON", f"{exc} in {content[:120]!r}") from None
        try:
            answer = LLMAnswer.model_validate(data)
        except ValidationError as exc:
            raise LLMError("answer not in the schema", str(exc).splitlines()[0]) from None
        for ev in answer.events:
            if ev.plover_type not in self.lexicon.plover:
                raise LLMError("type outside the ontology", ev.plover_type)
            if ev.acled_code is not None and ev.acled_code not in self.lexicon.acled:
                raise LLMError("ACLED code outside the ontology", ev.acled_code)
        return answer

    def _finish(self, prep: _Prepared, answer) -> ExtractionResult:
        if prep.error is not None:
            raise prep.error
        self.stats.articles += 1
        rules = prep.rules
        if not isinstance(answer, LLMAnswer):
            err = answer if isinstance(answer, LLMError) else LLMError("no answer")
            with self.stats._lock:
                self.stats.fallbacks[err.kind] += 1
            where = prep.article.path or prep.article.id
            log.warning("%s: the LLM extractor failed (%s); the rules' events are kept", where, err)
            return rules.model_copy(update={"extractor": self.mode, "fallback": str(err)[:300]})
        if self.mode == "llm":
            return self._llm_result(prep, answer)
        return self._ensemble_result(prep, answer)

    # ---- llm mode

    def _llm_result(self, prep: _Prepared, answer: LLMAnswer) -> ExtractionResult:
        art, rules = prep.article, prep.rules
        mentions = [m for m in (self._mention(ev, art, rules) for ev in answer.events) if m is not None]
        events = self._events(mentions, art, "l")
        main = mentions[0].model_copy(deep=True) if mentions else None
        return rules.model_copy(update={"events": events, "links": [], "main_event": main, "extractor": "llm"})

    def _events(self, mentions: list[Mention], art: Article, tag: str) -> list[Event]:
        from .merge import fuse

        out = []
        for i, m in enumerate(mentions):
            ev = fuse(f"{art.id}-{tag}{i + 1}", [m], art.published, art.source)
            ev.chosen_by = dict(m.chosen_by)
            out.append(ev)
        return out

    def _mention(self, ev: LLMEvent, art: Article, rules: ExtractionResult) -> Mention | None:
        """One answered event as a Mention whose every field has its evidence span; None without a trigger."""
        text = rules.clean.text
        trig = find_span(text, ev.trigger)
        if trig is None:
            self._drop("trigger")
            return None
        index, sent = sentence_of(text, trig.start)
        onto = self.lexicon.plover[ev.plover_type]
        acled_code = ev.acled_code or onto.get("acled") or None
        acled_type, acled_sub = self.lexicon.acled_types(acled_code)
        m = Mention(article_id=art.id, sentence=index, trigger=trig, sentence_span=sent, plover_type=ev.plover_type,
                    plover_mode=self._mode(ev), acled_event_type=acled_type, acled_sub_event_type=acled_sub,
                    acled_code=acled_code, cameo=onto["cameo"])
        chosen = {"plover_type": "llm"}
        if m.plover_mode:
            chosen["plover_mode"] = "llm"
        if ev.acled_code:
            chosen["acled_code"] = "llm"
        for role in ("actor", "recipient"):
            got = self._actor(getattr(ev, role), text, trig.start, role)
            if got is not None:
                actor, span = got
                if role == "actor":
                    m.actors, m.actor_phrase = [actor], span
                else:
                    m.recipients, m.recipient_phrase = [actor], span
                chosen[role] = "llm"
        loc = self._location(ev.location, text, trig.start, rules)
        if loc is not None:
            m.location, chosen["location"] = loc, "llm"
        date = self._date(ev.date, text, trig.start, sent.text, art)
        if date is not None:
            m.date, chosen["date"] = date, "llm"
        if ev.killed:
            span = find_span(text, ev.killed, trig.start)
            if span is None:
                self._drop("killed")
            else:
                m.counts = [Count(kind="killed", value=_number(span.text), text=span.text, source_article=art.id,
                                  span=span)]
                chosen["killed"] = "llm"
        m.chosen_by = chosen
        return m

    def _drop(self, name: str) -> None:
        with self.stats._lock:
            self.stats.dropped[name] += 1

    def _mode(self, ev: LLMEvent) -> str | None:
        mode = (ev.plover_mode or "").strip().lower()
        if not mode:
            return None
        if mode in self.codebook.modes.get(ev.plover_type, []):
            return mode
        self._drop("plover_mode")        # a mode the codebook does not have for this type
        return None

    def _actor(self, phrase: str | None, text: str, near: int, role: str) -> tuple[Actor, Span] | None:
        if not phrase:
            return None
        span = find_span(text, phrase, near)
        if span is None:
            self._drop(role)
            return None
        coded = self.resources.actors.code(span.text)
        actor = (coded.model_copy(update={"text": span.text, "span": span}) if coded is not None
                 else Actor(text=span.text, name=span.text, span=span))
        return actor, span

    def _location(self, phrase: str | None, text: str, near: int, rules: ExtractionResult) -> Location | None:
        if not phrase:
            return None
        span = find_span(text, phrase, near)
        if span is None:
            self._drop("location")
            return None
        # the rules' reading of the same words, when they placed something there
        known = [m.location for e in rules.events for m in e.mentions if m.location and m.location.span]
        if rules.main_event is not None and rules.main_event.location and rules.main_event.location.span:
            known.append(rules.main_event.location)
        for loc in known:
            if loc.span.start < span.end and span.start < loc.span.end:
                return loc.model_copy(update={"text": span.text, "span": span})
        try:
            places = self.resources.gazetteer.lookup(span.text, limit=1)
        except Exception:  # noqa: BLE001 - no gazetteer: the place as written, unresolved
            places = []
        if not places:
            return Location(text=span.text, name=span.text, span=span)
        p = places[0]
        return Location(text=span.text, name=p.name, lat=p.lat, lon=p.lon, geonameid=p.geonameid, country=p.country,
                        admin1=p.admin1, feature=p.feature,
                        precision=3 if p.feature in ("country", "admin1", "region") else 1, span=span)

    def _date(self, phrase: str | None, text: str, near: int, sentence: str, art: Article) -> DateRange | None:
        if not phrase:
            return None
        span = find_span(text, phrase, near)
        if span is None:
            self._drop("date")
            return None
        from .dates import normalise

        tx = normalise(span.text, art.published, sentence)
        if tx is None or tx.range_start is None or tx.range_end is None:
            self._drop("date")      # in the text, but not a date wirecoder can read
            return None
        gran = tx.granularity if tx.granularity in ("day", "week", "month", "quarter", "season", "year") else "range"
        return DateRange(start=tx.range_start, end=tx.range_end, precision=gran, text=span.text, span=span)

    # ---- ensemble mode

    def _candidates(self, rules: ExtractionResult) -> list:
        """The rules' events, and their main event when it is none of them (it is what sentence evals score)."""
        cands = [(e, None) for e in rules.events]
        main = rules.main_event
        if main is not None:
            key = (main.sentence, main.trigger.start)
            owner = next((i for i, e in enumerate(rules.events)
                          if any((m.sentence, m.trigger.start) == key for m in e.mentions)), None)
            if owner is None:
                cands.append((main, main))
            else:
                cands[owner] = (rules.events[owner], main)
        return cands

    def _code_of(self, obj) -> str | None:
        if isinstance(obj, Mention):
            return obj.acled_code
        return self._acled_code.get((obj.acled_event_type, obj.acled_sub_event_type))

    def _describe(self, n: int, obj) -> str:
        trig = obj.trigger.text if isinstance(obj, Mention) else obj.mentions[0].trigger.text
        act = obj.actors[0].text if obj.actors else None
        rec = obj.recipients[0].text if obj.recipients else None
        loc = obj.location.text if obj.location else None
        return (f"{n}. {obj.plover_type or '?'}" + (f"/{obj.plover_mode}" if obj.plover_mode else "")
                + f" acled_code={self._code_of(obj)} trigger={trig!r} actor={act!r} recipient={rec!r} location={loc!r}")

    def _ensemble_result(self, prep: _Prepared, answer: LLMAnswer) -> ExtractionResult:
        art, rules = prep.article, prep.rules
        n = len(prep.candidates)
        verdict: dict[int, LLMEvent] = {}
        new: list[LLMEvent] = []
        for ev in answer.events:
            if ev.candidate is not None and 1 <= ev.candidate <= n:
                verdict.setdefault(ev.candidate - 1, ev)
            else:
                new.append(ev)
        events, main = [], None
        for i, (obj, main_of) in enumerate(prep.candidates):
            ev = verdict.get(i)
            if ev is None:
                with self.stats._lock:
                    self.stats.rejected += 1
                continue
            if isinstance(obj, Event):
                obj = obj.model_copy(deep=True)
                self._adjudicate(obj, ev, rules)
                self._adjudicate(obj.mentions[0], ev, rules)
                events.append(obj)
            if main_of is not None:
                main = main_of.model_copy(deep=True)
                self._adjudicate(main, ev, rules)
        added = [m for m in (self._mention(ev, art, rules) for ev in new) if m is not None]
        with self.stats._lock:
            self.stats.added += len(added)
        events += self._events(added, art, "x")
        if main is None and added:
            main = added[0].model_copy(deep=True)
        kept = {e.id for e in events}
        links = [lk for lk in rules.links if lk.source in kept and lk.target in kept]
        return rules.model_copy(update={"events": events, "links": links, "main_event": main,
                                        "extractor": "ensemble"})

    def _adjudicate(self, obj, ev: LLMEvent, rules: ExtractionResult) -> None:
        """Set on ``obj`` (an Event or a Mention) each field the model answered differently and
        with evidence; ``obj.chosen_by`` records, per field, whose value it keeps."""
        text = rules.clean.text
        chosen = {f: "rules" for f in ("plover_type", "plover_mode", "acled_code", "actor", "recipient", "location")}
        trig = obj.trigger if isinstance(obj, Mention) else obj.mentions[0].trigger
        if ev.plover_type != obj.plover_type:
            obj.plover_type, obj.cameo = ev.plover_type, self.lexicon.plover[ev.plover_type]["cameo"]
            chosen["plover_type"] = "llm"
        mode = self._mode(ev)
        if mode and mode != obj.plover_mode:
            obj.plover_mode, chosen["plover_mode"] = mode, "llm"
        elif chosen["plover_type"] == "llm" and obj.plover_mode not in self.codebook.modes.get(obj.plover_type, []):
            obj.plover_mode, chosen["plover_mode"] = mode, "llm"     # the old type's mode does not fit the new type
        if ev.acled_code and ev.acled_code != self._code_of(obj):
            obj.acled_event_type, obj.acled_sub_event_type = self.lexicon.acled_types(ev.acled_code)
            if isinstance(obj, Mention):
                obj.acled_code = ev.acled_code
            chosen["acled_code"] = "llm"
        for role in ("actor", "recipient"):
            current = obj.actors if role == "actor" else obj.recipients
            phrase = getattr(ev, role)
            if not phrase or (current and _same(current[0].text, phrase)):
                continue
            got = self._actor(phrase, text, trig.start, role)
            if got is None:
                continue
            actor, span = got
            if role == "actor":
                obj.actors = [actor]
                if isinstance(obj, Mention):
                    obj.actor_phrase = span
            else:
                obj.recipients = [actor]
                if isinstance(obj, Mention):
                    obj.recipient_phrase = span
            chosen[role] = "llm"
        if ev.location and not (obj.location and _same(obj.location.text, ev.location)):
            loc = self._location(ev.location, text, trig.start, rules)
            if loc is not None:
                obj.location, chosen["location"] = loc, "llm"
        obj.chosen_by = chosen


def _same(a: str | None, b: str | None) -> bool:
    def key(s):
        words = [w.lower() for w in _WORD.findall(s or "")]
        return words[1:] if len(words) > 1 and words[0] in ("the", "a", "an") else words

    return key(a) == key(b)


def make_extractor(name: str, pipeline, config: LLMConfig | None = None):
    """``rules`` -> the pipeline itself; ``llm`` / ``ensemble`` -> an :class:`LLMExtractor` (needs ``config``)."""
    if name == "rules":
        return pipeline
    if name not in EXTRACTORS:
        raise ValueError(f"unknown extractor {name!r} (one of {', '.join(EXTRACTORS)})")
    if config is None:
        raise ValueError(f"--extractor {name} needs --llm-url and --llm-model")
    return LLMExtractor(pipeline, config, mode=name)
