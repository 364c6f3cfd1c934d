"""The `wirecoder` command line."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import click

from . import __version__
from .extractor_options import extractor_option, report
from .ingest import InputError, iter_files, parse_cli_date, read_file  # noqa: F401

EXIT_DOC = """\b
Exit codes: 0 done (articles stored, already stored, or set aside by language);
1 nothing could be done (every input failed, or a bad option, output or database);
2 some records failed and the rest were processed (click also uses 2 for a usage error);
130 interrupted (what was stored before is kept; run the same command again to resume)."""


DB_HELP = "Store: an SQLite file, or a postgresql://USER@HOST/DB URL."


def _published(value):
    from .readers.dates import DateError

    try:
        return parse_cli_date(value)
    except DateError as exc:
        raise click.BadParameter(str(exc), param_hint="--published") from None


def _fields(values):
    from .readers import parse_fields

    try:
        return parse_fields(values)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--field") from None


def _check_db_for_writing(db: str) -> None:
    """A store that would keep nothing is refused: ``--db ""`` and SQLite's in-memory names."""
    s = str(db)
    if not s.strip() or s == ":memory:" or s.startswith("file::memory:") or "mode=memory" in s:
        raise click.ClickException(f"--db {s!r}: an empty or in-memory database keeps nothing; give a file name")
    if re.match(r"^postgres(ql)?(\+\w+)?://", s):   # a server's database: nothing to check on disk here
        return
    if s.startswith("sqlite:///"):
        s = s[len("sqlite:///"):]
    p = Path(s)
    if p.is_dir():
        raise click.ClickException(f"--db {s}: is a directory; give a database file name")
    if p.exists() and not p.is_file():
        raise click.ClickException(f"--db {s}: is not a regular file")
    if str(p.parent) and not p.parent.is_dir():
        raise click.ClickException(f"--db {s}: directory {p.parent} does not exist")


def _setup_logging(verbose: bool, quiet: bool) -> None:
    import logging

    from .gazetteer import set_progress

    set_progress(False if quiet else None)   # the first run's gazetteer build: step by step on a terminal
    level = logging.INFO if verbose else (logging.ERROR if quiet else logging.WARNING)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr, force=True)
    for noisy in ("trafilatura", "htmldate", "courlan", "charset_normalizer"):
        logging.getLogger(noisy).setLevel(logging.CRITICAL)


input_options = [
    click.option("--published", help="Publication date YYYY-MM-DD, for records that do not say (relative dates "
                                     "need it)."),
    click.option("--source", help="Source name, for records that do not say."),
    click.option("--encoding", help="Text encoding of the files when not UTF-8 (e.g. cp1252)."),
    click.option("--field", "fields", multiple=True, metavar="NAME=COLUMN",
                 help="JSONL/CSV field names: NAME is text, title, date, url, source or id "
                      "(e.g. --field text=body --field date=pubDate). Repeatable."),
    click.option("--language", default="en", show_default=True,
                 help="Keep articles in this language (ISO 639-1 code) and skip others, counted by language; "
                      "'any' keeps all."),
    click.option("--quiet", "-q", is_flag=True, help="No progress bar."),
    click.option("--verbose", "-v", is_flag=True, help="Log each article and each skipped record as it happens."),
]


def with_input_options(f):
    for opt in reversed(input_options):
        f = opt(f)
    return f


def _language(code: str):
    if code.lower() in ("any", "all", "none", ""):
        return None
    from .readers.language import LanguageFilter

    return LanguageFilter((code.lower(),))


class Progress:
    """Articles counted on stderr, with their rate and, when the inputs are files, an ETA
    from the bytes of the files reached so far. Only on a terminal, never with --quiet."""

    def __init__(self, label: str, enabled: bool):
        import time

        self.label, self.enabled = label, enabled
        self.t0 = self.last = time.monotonic()
        self.total = self.done_bytes = 0
        self.n = self.skipped = 0

    def update(self, outcome=None, force: bool = False) -> None:
        import time

        if outcome is not None:
            if outcome.status in ("stored", "already"):
                self.n += 1
            else:
                self.skipped += 1
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and now - self.last < 0.2:
            return
        self.last = now
        rate = self.n / max(now - self.t0, 1e-6)
        line = f"\r{self.label}: {self.n} articles ({rate:.1f}/s), {self.skipped} skipped"
        if self.total:
            frac = min(self.done_bytes / self.total, 1.0)
            eta = (now - self.t0) * (1 - frac) / frac if frac > 0 else 0
            line += f", {frac:.0%} of {self.total / 1e6:.1f} MB, ETA {int(eta) // 60}:{int(eta) % 60:02d}"
        sys.stderr.write(line + "\x1b[K")
        sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            self.update(force=True)
            sys.stderr.write("\n")
            sys.stderr.flush()


def _inputs(paths, opts, bar: Progress):
    """The readers over ``paths`` (files, directories, globs, -), the progress bar told the
    total size first and each file's bytes as it is done."""
    from .readers import read_one
    from .readers.base import Skip
    from .readers.sources import expand

    files = list(expand(paths))
    for f in files:
        if not isinstance(f, Skip) and f != "-":
            try:
                bar.total += os.stat(f).st_size
            except OSError:
                pass
    for f in files:
        if isinstance(f, Skip):
            yield f
            continue
        yield from read_one(f, opts)
        if f != "-":
            try:
                bar.done_bytes += os.stat(f).st_size
            except OSError:
                pass


def _run(label, paths, opts, pipe, *, lang, quiet, verbose, seen=None, on_result=None, workers=1, triggers=(),
         actors=(), items_hook=None, stored=None):
    """The shared loop of extract and ingest: readers -> pipeline -> ``on_result``; returns
    (tally, interrupted). Skips are reported as they happen with --verbose, else at the end.
    An LLM extractor runs in this process, its requests read ahead (``prefetch``), skipping
    the articles ``stored(id)`` says are stored and those of another language."""
    import logging

    from .ingest import Tally

    log = logging.getLogger(f"wirecoder.{label}")
    tally = Tally()
    bar = Progress(label, enabled=not quiet and sys.stderr.isatty())
    interrupted = False
    try:
        from .parallel import outcomes

        items = _inputs(paths, opts, bar)
        if items_hook is not None:
            items = items_hook(items)
        if hasattr(pipe, "prefetch"):      # an LLM extractor: one process, requests in flight instead
            workers = 1

            def skip(art):
                return bool(stored and stored(art.id)) or (lang is not None and not lang.wanted(art.text)[0])

            items = pipe.prefetch(items, skip)
        for o in outcomes(items, pipe, workers=workers, triggers=triggers, actors=actors, seen=seen, language=lang):
            if o.status == "stored" and on_result is not None and on_result(o.result) is False:
                o.status = "already"
            tally.add(o)
            bar.update(o)
            if o.status == "skipped":
                log.info("skipped %s: %s", o.where, o.reason)
            elif o.status == "language":
                log.info("set aside %s: %s", o.where, o.reason)
            elif o.status == "stored":
                log.info("%s (%s): %d event(s)", o.where, o.article.id, len(o.result.events))
    except KeyboardInterrupt:
        interrupted = True
    except Fatal as exc:
        tally.fatal = str(exc)
    finally:
        bar.close()
    if tally.errors and not verbose:
        for e in tally.errors[:50]:
            click.echo(f"error: {e}", err=True)
        if len(tally.errors) > 50:
            click.echo(f"... and {len(tally.errors) - 50} more (see --verbose)", err=True)
    return tally, interrupted


FLUSH_S = 2.0   # ingest commits at least this often (seconds) while results come in


class Fatal(Exception):
    """A failure that ends the run (the store cannot be written): reported after the summary."""


def _exit(tally, interrupted) -> None:
    if tally.fatal:
        click.echo(f"error: {tally.fatal}; the run stopped there (what was stored before is kept)", err=True)
        sys.exit(1)
    if interrupted:
        click.echo("interrupted: what was stored is kept; run the same command again to resume", err=True)
        sys.exit(130)
    if tally.n_skipped and not tally.stored and not tally.already:
        sys.exit(1)
    if tally.n_skipped:
        sys.exit(2)



@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="wirecoder")
def main():
    """wirecoder: news articles in, event data out (who did what to whom, where, when,
    how many killed), with the evidence for every field. Offline.

    \b
    Quick start:
      wirecoder extract article.txt --published 2021-02-26
      wirecoder ingest articles/ --db events.db
      wirecoder export --db events.db --format acled-csv -o events.csv
    """


def _extractor(triggers, actors, extractor, llm):
    """The extractor of this run (``--extractor``) over the run's pipeline."""
    from .extractor_options import build

    return build(extractor, _pipeline(triggers, actors), **llm)


def _pipeline(triggers, actors):
    """The pipeline of this run: one Resources built from the options, passed to every stage."""
    from .pipeline import Pipeline, default_pipeline
    from .resources import Resources

    if triggers or actors:
        try:
            return Pipeline(Resources.build(triggers=triggers, actors=actors))
        except (ValueError, OSError) as exc:
            raise click.ClickException(str(exc)) from None
    return default_pipeline()


user_files = [
    click.option("--triggers", multiple=True, type=click.Path(exists=True, dir_okay=False),
                 help="Extra trigger lexicon (TOML, same format as the packaged triggers.toml)."),
    click.option("--actors", multiple=True, type=click.Path(exists=True, dir_okay=False),
                 help="Extra actor dictionary (TOML, same format as the packaged actors.toml)."),
]


def with_user_files(f):
    for opt in reversed(user_files):
        f = opt(f)
    return f


workers_option = click.option(
    "--workers", "-j", type=click.IntRange(min=1), default=None,
    help="Processes that code articles: N - 1 workers and this one, each loading the model once (default: all "
         "cores). Output is the same for any N. "
         "--extractor llm/ensemble run in one process, with --llm-concurrency requests in flight.")


@main.command(epilog=EXIT_DOC)
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option("--format", "fmt", type=click.Choice(["json", "jsonl", "csv", "acled-csv", "geojson"]), default="json",
              show_default=True, help="json: one document per article with events, links and quotes (a JSON "
              "array when there are several); jsonl: one such document per line.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=str),
              help="Write to this file instead of standard output.")
@click.option("--formula-escape/--no-formula-escape", default=True, show_default=True,
              help="CSV: prefix cells starting with = + - @ TAB or CR with a single quote (OWASP), so that a "
                   "spreadsheet does not run them as formulas.")
@with_input_options
@with_user_files
@workers_option
@extractor_option
def extract(files, fmt, output, formula_escape, published, source, encoding, fields, language, quiet, verbose,
            triggers, actors, workers, extractor, **llm):
    """Print the events in FILES (text, HTML, JSONL, CSV, RSS/Atom, WARC; .gz/.zip;
    directories and globs are walked; - reads stdin). Bad records are reported and skipped."""
    from . import export
    from .readers import Options

    _setup_logging(verbose, quiet)
    opts = Options(published=_published(published), source=source, encoding=encoding, fields=_fields(fields))
    pipe = _extractor(triggers, actors, extractor, llm)
    lang = _language(language)
    all_events = []

    out = open(output, "w", encoding="utf-8") if output else sys.stdout   # noqa: SIM115
    docs = {"n": 0, "first": None}

    def emit(result):
        if fmt in ("json", "jsonl"):
            doc = result.model_dump_json(indent=1 if fmt == "json" else None,
                                         exclude={"article": {"text", "input_removed"}})
            if fmt == "jsonl":
                out.write(doc + "\n")
            elif docs["n"] == 0:
                docs["first"] = doc          # one article: the document itself; several: a JSON array
            elif docs["n"] == 1:
                out.write("[\n" + docs["first"] + ",\n" + doc)
            else:
                out.write(",\n" + doc)
            docs["n"] += 1
        else:
            all_events.extend(result.events)

    try:
        tally, interrupted = _run("extract", files, opts, pipe, lang=lang, quiet=quiet, verbose=verbose,
                                  on_result=emit, workers=workers, triggers=triggers, actors=actors)
        if fmt == "json":
            out.write((docs["first"] if docs["n"] == 1 else "]" if docs["n"] else "[]") + "\n")
        elif fmt != "jsonl" and not interrupted:
            export.write(all_events, fmt, stream=out, escape=formula_escape)
        if output:
            out.close()
    except BrokenPipeError:          # `wirecoder extract ... | head`
        sys.stderr.close()
        os._exit(0)
    if tally.n_skipped or tally.languages or verbose:
        click.echo(f"extract: {tally.line()}", err=True)
    report(pipe)
    _exit(tally, interrupted)


@main.command(epilog=EXIT_DOC)
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option("--db", default="wirecoder.db", show_default=True, help=DB_HELP)
@with_input_options
@with_user_files
@workers_option
@extractor_option
def ingest(paths, db, published, source, encoding, fields, language, quiet, verbose, triggers, actors, workers,
           extractor, **llm):
    """Extract events from PATHS and store articles and events in the database.

    PATHS are files (text, HTML, JSONL, CSV, RSS/Atom, WARC; .gz and .zip too), directories
    (walked), globs, or - for standard input. Idempotent: an article already stored (same
    text) is skipped, so an interrupted run can simply be run again; the same text from
    another outlet, or a syndicated copy of it (nearly the same text, the same figures), adds
    that outlet as a source of the stored article and its events. A bad record is
    reported with its file and line or record number and skipped; the rest is processed,
    and what was stored before is never touched. The summary counts what was stored,
    skipped and why, and the articles set aside by language."""
    from .readers import Options
    from .store import Store, StoreError

    _setup_logging(verbose, quiet)
    opts = Options(published=_published(published), source=source, encoding=encoding, fields=_fields(fields))
    _check_db_for_writing(db)
    pipe = _extractor(triggers, actors, extractor, llm)
    lang = _language(language)
    try:
        store = Store(db)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    # The one writer stores results in transactions of up to BATCH articles (Store.add_many), and at
    # least every FLUSH_S seconds, so a slow run still commits as it goes; a run killed mid-batch
    # loses only that batch's uncommitted work, which a re-run codes again (no duplicates: the store
    # is keyed by the text's hash). A result is counted as stored when it is handed to the writer;
    # one that add_many finds already stored (a concurrent writer) is moved to "already" at the end.
    import time

    from .parallel import BATCH

    pending: list = []
    pending_ids: set[str] = set()
    # (events, why) of the results counted as stored that the writer did not store (a copy coded
    # before its original was written, found by add_many): their event counts are all the summary
    # needs. Holding the results kept each one's text, parse products and events to the end of the
    # run, ~0.3 MB apiece: the RSS of the 20,000-article bench archive grew by ~100 MB over its
    # last 10,000 records (docs/PERFORMANCE.md, issue 18).
    late_already: list[tuple[int, str]] = []
    last_flush = [time.monotonic()]

    def write(fn, *args):
        import sqlite3

        import sqlalchemy

        try:
            return fn(*args)
        except (sqlite3.Error, sqlalchemy.exc.DBAPIError, StoreError, OSError) as exc:
            full = "full" in str(exc).lower() or getattr(exc, "errno", None) == 28
            raise Fatal(f"{db}: " + ("disk full" if full else f"cannot write the database ({exc})")) from None

    def flush():
        last_flush[0] = time.monotonic()
        if not pending:
            return
        batch = list(pending)
        pending.clear()
        pending_ids.clear()
        try:
            flags = write(store.add_many, batch)
        except Fatal:
            late_already.extend((len(r.events), "lost") for r in batch)
            raise
        late_already.extend((len(r.events), "already") for r, ok in zip(batch, flags) if not ok)

    def add(result):
        if result.article.id in pending_ids:   # the same text twice in one batch: the first is stored first
            flush()
            return write(store.add, result)
        pending.append(result)
        pending_ids.add(result.article.id)
        if len(pending) >= BATCH or time.monotonic() - last_flush[0] >= FLUSH_S:
            try:
                flush()
            except Fatal:
                late_already.pop()   # this result: not counted yet (the run stops on it)
                raise
        return True

    current = {}

    def remember(items):      # the article being read, so that `seen` can record its outlet
        for item in items:
            current["article"] = item
            yield item

    def seen(article_id):
        if article_id in pending_ids:     # stored by the next write: write it now, then look
            flush()
        art = current.get("article")
        mine = getattr(art, "id", None) == article_id
        if store.has_article(article_id):
            if mine:
                store.add_outlet(art)   # the same text from another outlet: one more source
            return True
        twin = store.near_copy(art) if mine else None
        if twin is None:
            return False
        store.add_outlet(art.model_copy(update={"id": twin}))   # a syndicated copy: one more source
        return True

    with store:
        tally, interrupted = _run("ingest", paths, opts, pipe, lang=lang, quiet=quiet, verbose=verbose,
                                  seen=seen, on_result=add, workers=workers, triggers=triggers, actors=actors,
                                  items_hook=remember, stored=store.has_article)
        try:
            flush()
        except Fatal as exc:
            tally.fatal = tally.fatal or str(exc)
        except KeyboardInterrupt:
            interrupted = True
        for n_events, why in late_already:
            tally.stored -= 1
            tally.events -= n_events
            tally.already += why == "already"
        try:
            totals = store.counts()
        except Exception:  # noqa: BLE001 - the summary must not hide the run's own result
            totals = None
    where = (f" {db}: {totals['articles']} articles, {totals['events']} events, {totals['links']} links."
             if totals else "")
    click.echo(f"ingest: {tally.line()}.{where}", err=True)
    report(pipe)
    _exit(tally, interrupted)


@main.command("run")
@click.argument("shards", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--cluster", required=True, metavar="ADDRESS",
              help="tcp://HOST:PORT of a Dask scheduler, or local[N] for N local worker processes.")
@click.option("-o", "--output", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Output folder: parts/ (per-shard Parquet), events.parquet (duplicates merged), summary.json.")
@click.option("--db", help="Also load the merged result into this SQLite store (kept articles are skipped).")
@click.option("--published", help="Publication date YYYY-MM-DD for records that do not say.")
@click.option("--source", help="Source name for records that do not say.")
@click.option("--encoding", help="Text encoding of the shards when not UTF-8.")
@with_user_files
def run_cluster(shards, cluster, out_dir, db, published, source, encoding, triggers, actors):
    """Code SHARDS (JSONL, Parquet, or any file `ingest` reads; directories are walked) on a Dask
    cluster, one task per shard, then merge duplicate events across shards with the store's own
    rules. Shards and the output folder must be visible to every worker."""
    from .cluster import ClusterError, run
    from .store import StoreError

    pub = _published(published)
    files = list(iter_files(list(shards)))
    if not files:
        raise click.ClickException("no input shards")
    _pipeline(triggers, actors)   # bad word-list files fail here, not on the workers
    try:
        s = run(files, out_dir, cluster=cluster, db=db, published=pub, source=source, encoding=encoding,
                triggers=triggers, actors=actors)
    except (ClusterError, StoreError) as exc:
        raise click.ClickException(str(exc)) from None
    for e in s.errors:
        click.echo(f"error: {e}", err=True)
    click.echo(f"coded {s.articles} article(s) in {s.shards - len(s.errors)} of {s.shards} shard(s): "
               f"{s.events_unmerged} event(s) before the merge; stored {s.added} new article(s), "
               f"{s.skipped} already stored; {s.events} event(s) after merging duplicates -> "
               f"{out_dir / 'events.parquet'}" + (f"; {db}: {s.totals['articles']} articles" if db else ""),
               err=True)
    if s.errors:
        sys.exit(2 if s.articles else 1)


FILTER_OPTIONS = [
    click.option("--since", metavar="DATE", help="Only events on or after this day (YYYY-MM-DD)."),
    click.option("--until", metavar="DATE", help="Only events on or before this day (YYYY-MM-DD)."),
    click.option("--type", "types", multiple=True, metavar="PLOVER",
                 help="Only these PLOVER types (repeat or comma-separate: ASSAULT,PROTEST)."),
    click.option("--event-type", "event_types", multiple=True, metavar="ACLED",
                 help="Only these ACLED event types ('Battles', 'Protests', ...)."),
    click.option("--country", "countries", multiple=True, metavar="ISO3",
                 help="Only events in these countries (ISO-3166 alpha-3: SYR, KEN; repeat or comma-separate)."),
    click.option("--admin1", help="Only events in this first-level division (e.g. 'Borno')."),
    click.option("--actor", help="Only events whose actor or recipient name contains this text."),
    click.option("--bbox", metavar="W,S,E,N", help="Only events inside this box: min_lon,min_lat,max_lon,max_lat."),
    click.option("--min-fatalities", type=int, help="Only events with at least this many killed."),
    click.option("--search", "q", metavar="WORDS", help="Only events reported in articles containing these words."),
]


def with_filters(f):
    for opt in reversed(FILTER_OPTIONS):
        f = opt(f)
    return f


def _event_filter(since, until, types, event_types, countries, admin1, actor, bbox, min_fatalities, q):
    from .store import EventFilter

    def split(values):
        return [v for item in values for v in item.split(",") if v.strip()]

    try:
        return EventFilter.parse(start=since, end=until, plover_type=split(types), acled_event_type=list(event_types),
                                 country=split(countries), admin1=admin1, actor=actor, bbox=bbox,
                                 min_fatalities=min_fatalities, q=q)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None


def _open_for_reading(db):
    """A store for reading: read-only when its file or folder cannot be written (read-only media)."""
    from .store import Store, StoreError

    try:
        return Store(db, readonly="auto", must_exist=True)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None


@main.command(epilog=EXIT_DOC)
@click.option("--db", default="wirecoder.db", show_default=True, help=DB_HELP)
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "acled-csv", "geojson", "parquet", "links-csv"]),
              default="jsonl", show_default=True,
              help="acled-csv: ACLED's columns and value conventions (docs/ACLED.md); links-csv: the typed links "
                   "between events (retaliation, response, follows, ...).")
@click.option("-o", "--output", type=click.Path(path_type=str),
              help="Output file (default: stdout; parquet needs one). Written to a temporary file in the same "
                   "directory, then renamed; never over the database, a device, a FIFO or a link.")
@click.option("--force", is_flag=True, help="Replace an existing regular file at --output.")
@click.option("--formula-escape/--no-formula-escape", default=True, show_default=True,
              help="CSV: prefix cells starting with = + - @ TAB or CR with a single quote (OWASP), so that a "
                   "spreadsheet does not run them as formulas.")
@click.option("--all", "all_events", is_flag=True,
              help="acled-csv: also events without an ACLED event type (by default only those that have one).")
@with_filters
def export(db, fmt, output, force, formula_escape, all_events, **filters):
    """Export stored events, optionally filtered (streamed: memory does not grow with the store)."""
    from . import export as exp
    from .store import StoreError

    flt = _event_filter(**filters)
    if fmt == "acled-csv":
        flt.dated_only = True            # ACLED has no undated rows
        flt.acled_only = not all_events
    if output is not None:
        if output == "-":
            output = None
        else:
            try:
                exp.check_output(output, protect=[db], force=force)
            except exp.OutputError as exc:
                raise click.ClickException(str(exc)) from None
    store = _open_for_reading(db)
    try:
        with store:
            if fmt == "links-csv":
                n = exp.write_links(store.links(), output, stream=sys.stdout, escape=formula_escape)
                what = "link(s)"
            else:
                from .actors import ActorDictionary

                names = ActorDictionary.default().country_name
                n = exp.write(store.export_items(flt), fmt, output, stream=sys.stdout, country_name=names,
                              escape=formula_escape)
                what = "event(s)"
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    except (exp.OutputError, ValueError) as exc:
        raise click.ClickException(str(exc)) from None
    except BrokenPipeError:
        sys.stderr.close()
        os._exit(0)
    except OSError as exc:        # writing to stdout on a full disk, a closed descriptor
        raise click.ClickException(f"{output or 'stdout'}: cannot write: {exc.strerror or exc}") from None
    click.echo(f"exported {n} {what}" + (f" to {output}" if output else ""), err=True)


def _cut(text: str | None, width: int) -> str:
    """``text`` in at most ``width`` characters, cut at a word boundary with an ellipsis."""
    text = text or ""
    if len(text) <= width:
        return text
    head = text[: width - 1]
    if " " in head and not text[width - 1].isspace():
        head = head[: head.rindex(" ")]
    return head.rstrip(" ,;-") + "\u2026"


@main.command()
@click.option("--db", default="wirecoder.db", show_default=True, help=DB_HELP)
@click.option("--limit", default=40, show_default=True, type=click.IntRange(0), help="Rows to show.")
def summary(db, limit):
    """A table of the stored events (the first --limit by date) and totals by type."""
    from .store import StoreError

    store = _open_for_reading(db)
    try:
        with store:
            cols = ["date_start", "date_end", "plover_type", "acled_sub_event_type", "actor1", "actor2", "location",
                    "country", "fatalities"]
            events = list(store.rows(columns=cols, limit=limit))
            totals = store.counts()
            by_type = store.count_by("plover_type")
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    rows = []
    for e in events:
        d = e["date_start"] or "?"
        if e["date_end"] and e["date_end"] != e["date_start"]:
            d += f"..{e['date_end'][5:]}"
        where = f"{e['location']}, {e['country']}" if e["location"] and e["country"] else (e["location"] or "")
        rows.append((d, e["plover_type"], _cut(e["acled_sub_event_type"], 24), _cut(e["actor1"], 24),
                     _cut(e["actor2"], 24), _cut(where, 26), "" if e["fatalities"] is None else str(e["fatalities"])))
    head = ("date", "PLOVER", "ACLED sub-type", "actor", "recipient", "where", "killed")
    widths = [max(len(str(r[i])) for r in rows + [head]) for i in range(len(head))]
    line = "  ".join(h.ljust(w) for h, w in zip(head, widths))
    click.echo(line)
    click.echo("-" * len(line))
    for r in rows:
        click.echo("  ".join(str(c).ljust(w) for c, w in zip(r, widths)))
    if totals["events"] > len(rows):
        click.echo(f"... showing the first {len(rows)} of {totals['events']} events by date "
                   f"(--limit N for more; `wirecoder export` for all)")
    click.echo(f"\n{totals['articles']} articles, {totals['events']} events, {totals['links']} links, "
               f"{totals['quotes']} quotes. By type: " + ", ".join(f"{k} {v}" for k, v in sorted(by_type.items())))


@main.command()
@click.option("--db", default="wirecoder.db", show_default=True, help=DB_HELP)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback by default).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option("--create", is_flag=True, help="Create the store if it does not exist (to fill it by POSTing articles).")
def serve(db, host, port, create):
    """Serve the store: a web page (map, timeline, events, articles with evidence) at / and a
    JSON API under /api/ (OpenAPI at /docs and /openapi.json). Works offline."""
    from .store import Store, StoreError

    try:
        store = Store(db, readonly="auto", must_exist=not create)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    import uvicorn

    from .serve import create_app

    app = create_app(store)
    click.echo(f"serving {db} on http://{host}:{port}/ (API: /api/events, docs: /docs; Ctrl-C to stop)"
               + (" [read-only]" if store.readonly else ""), err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")


@main.command()
@click.option("--db", default="wirecoder.db", show_default=True, help=DB_HELP)
@click.option("--rebuild", is_flag=True,
              help="Cluster every stored report again and rewrite the events whose reports changed (required).")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
def dedupe(db, rebuild, quiet):
    """Re-cluster a whole store from its stored reports (each article's own events): the
    events become those that deduplicating all reports at once gives, which is also what
    ingesting them in any order gives, bar a re-clustering that cascades further than ingest
    looks (two days either side of a new report's date): run it after a large ingest, or after
    upgrading a store written by an older wirecoder. Streams the reports; one transaction, so
    an interrupted run leaves the store as it was."""
    import time

    from .store import Store, StoreError

    if not rebuild:
        raise click.UsageError("dedupe: give --rebuild (the only action so far)")
    _check_db_for_writing(db)
    try:
        store = Store(db, must_exist=True)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    show = not quiet and sys.stderr.isatty()
    last = [0.0]

    def progress(done, total):
        now = time.monotonic()
        if show and (done == total or now - last[0] > 0.2):
            last[0] = now
            sys.stderr.write(f"\rdedupe: {done}/{total} events checked ({done / max(total, 1):.0%})\x1b[K")
            sys.stderr.flush()

    try:
        with store:
            t0 = time.monotonic()
            res = store.rebuild(progress=progress)
    except KeyboardInterrupt:
        click.echo("\ndedupe: interrupted; the store is as it was.", err=True)
        sys.exit(130)
    if show:
        sys.stderr.write("\n")
    click.echo(f"dedupe: {res['reports']} reports, {res['events_before']} events before, {res['events']} after "
               f"({time.monotonic() - t0:.1f}s).", err=True)


@main.group("eval")
def eval_group():
    """Measure quality against gold data (each command has --json)."""


def _register():
    from .evaluate import events as ev

    eval_group.add_command(ev.cli, "events")
    for modname, name in (("time", "time"), ("geo", "geo"), ("dedup", "dedup"), ("plv", "plv"),
                          ("case2021", "case2021"), ("gsr", "gsr")):
        try:
            mod = __import__(f"wirecoder.evaluate.{modname}", fromlist=["cli"])
            eval_group.add_command(mod.cli, name)
        except ImportError:  # pragma: no cover
            pass
    try:
        from .gazetteer import cli as gaz

        main.add_command(gaz, "gazetteer")
    except ImportError:  # pragma: no cover
        pass


_register()

if __name__ == "__main__":  # pragma: no cover
    main()
