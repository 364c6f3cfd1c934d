"""The ``--extractor`` and ``--llm-*`` options of extract, ingest and the evals, and the
extractors they build (:func:`wirecoder.llm.make_extractor`). The rules extractor needs none
of the ``--llm-*`` options; the LLM ones need ``--llm-url`` and ``--llm-model``."""

from __future__ import annotations

from pathlib import Path

import click

from .llm import DEFAULT_CACHE, EXTRACTORS


def _llm_options(f):
    opts = [
        click.option("--llm-url", envvar="WIRECODER_LLM_URL", metavar="URL",
                     help="OpenAI-compatible server for --extractor llm/ensemble: its root, /v1, or the full "
                          "/v1/chat/completions URL (llama.cpp, vLLM, Ollama, a hosted API). "
                          "[env WIRECODER_LLM_URL]"),
        click.option("--llm-model", envvar="WIRECODER_LLM_MODEL", metavar="NAME",
                     help="Model name sent to that server. [env WIRECODER_LLM_MODEL]"),
        click.option("--llm-key-env", metavar="VAR",
                     help="Name of the environment variable that holds the server's API key (sent as a Bearer "
                          "token); none by default."),
        click.option("--llm-cache", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_CACHE,
                     show_default=True, help="Folder of cached answers (keyed by model, prompt and text): a rerun "
                                             "sends nothing."),
        click.option("--no-llm-cache", is_flag=True, help="Neither read nor write cached answers."),
        click.option("--llm-timeout", type=click.FloatRange(min=0.1), default=120.0, show_default=True,
                     help="Seconds to wait for one answer."),
        click.option("--llm-concurrency", type=click.IntRange(min=1), default=4, show_default=True,
                     help="Requests in flight at once."),
        click.option("--llm-max-events", type=click.IntRange(min=1), default=5, show_default=True,
                     help="Events the model may give per article (the sentence evals score one; 1 there makes a "
                          "slow model faster)."),
        click.option("--llm-retries", type=click.IntRange(min=0), default=2, show_default=True,
                     help="Retries (with backoff) after a timeout, HTTP 429 or 5xx; then the article falls back "
                          "to the rules."),
    ]
    for opt in reversed(opts):
        f = opt(f)
    return f


def extractor_option(f):
    """One extractor (extract, ingest)."""
    f = _llm_options(f)
    return click.option(
        "--extractor", type=click.Choice(EXTRACTORS), default="rules", show_default=True,
        help="rules: the rule-based pipeline; llm: a chat model on --llm-url codes each article (its every field "
             "found in the text, else dropped); ensemble: the model confirms, corrects or rejects the rules' "
             "events and may add some. On any LLM failure the article keeps the rules' events (warned, "
             "counted).")(f)


def extractors_option(f):
    """One or more extractors, scored side by side (the evals)."""
    f = _llm_options(f)
    return click.option(
        "--extractor", "extractors", multiple=True, default=("rules",), show_default=True, metavar="NAME[,NAME]",
        help="Extractor(s) to score: rules, llm, ensemble; repeat or comma-separate to print one table with each "
             "one's scores (llm and ensemble need --llm-url and --llm-model).")(f)


def parse_extractors(values) -> list[str]:
    names = []
    for v in values:
        for n in str(v).split(","):
            n = n.strip().lower()
            if not n:
                continue
            if n not in EXTRACTORS:
                raise click.BadParameter(f"{n!r} is not one of {', '.join(EXTRACTORS)}", param_hint="--extractor")
            if n not in names:
                names.append(n)
    return names or ["rules"]


def build(name: str, pipeline, llm_url=None, llm_model=None, llm_key_env=None, llm_cache=DEFAULT_CACHE,
          no_llm_cache=False, llm_timeout=120.0, llm_concurrency=4, llm_retries=2, llm_max_events=5):
    """The extractor ``name`` over ``pipeline`` (a click error for a missing or bad option)."""
    from .llm import LLMConfig, make_extractor

    if name == "rules":
        return pipeline
    if not llm_url or not llm_model:
        raise click.UsageError(f"--extractor {name} needs --llm-url and --llm-model")
    try:
        cfg = LLMConfig.from_options(llm_url, llm_model, llm_key_env, cache_dir=None if no_llm_cache else llm_cache,
                                     timeout=llm_timeout, concurrency=llm_concurrency, retries=llm_retries,
                                     max_events=llm_max_events)
        return make_extractor(name, pipeline, cfg)
    except (ValueError, RuntimeError) as exc:
        raise click.UsageError(str(exc)) from None


LLM_KEYS = ("llm_url", "llm_model", "llm_key_env", "llm_cache", "no_llm_cache", "llm_timeout", "llm_concurrency",
            "llm_retries", "llm_max_events")


def pop_llm(kwargs: dict) -> dict:
    """The --llm-* values out of a command's keyword arguments."""
    return {k: kwargs.pop(k) for k in LLM_KEYS if k in kwargs}


def report(extractor) -> None:
    """The LLM extractor's counts on stderr (nothing for the rules)."""
    stats = getattr(extractor, "stats", None)
    if stats is not None:
        click.echo(f"{extractor.mode}: {stats.line()}", err=True)
