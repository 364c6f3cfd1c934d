"""The `wirecoder` command line."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from . import __version__
from .ingest import InputError, iter_files, parse_cli_date, read_file  # noqa: F401

EXIT_DOC = """\b
Exit codes: 0 done (articles stored, already stored, or set aside by language);
1 nothing could be done (every input failed, or a bad option, output or database);
2 some records failed and the rest were processed (click also uses 2 for a usage error);
130 interrupted (what was stored before is kept; run the same command again to resume)."""


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
    p = Path(s)
    if p.is_dir():
        raise click.ClickException(f"--db {s}: is a directory; give a database file name")
    if p.exists() and not p.is_file():
        raise click.ClickException(f"--db {s}: is not a regular file")
    if str(p.parent) and not p.parent.is_dir():
        raise click.ClickException(f"--db {s}: directory {p.parent} does not exist")


def _setup_logging(verbose: bool, quiet: bool) -> None:
    import logging

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
         actors=()):
    """The shared loop of extract and ingest: readers -> pipeline -> ``on_result``; returns
    (tally, interrupted). Skips are reported as they happen with --verbose, else at the end."""
    import logging

    from .ingest import Tally

    log = logging.getLogger(f"wirecoder.{label}")
    tally = Tally()
    bar = Progress(label, enabled=not quiet and sys.stderr.isatty())
    interrupted = False
    try:
        from .parallel import outcomes

        for o in outcomes(_inputs(paths, opts, bar), pipe, workers=workers, triggers=triggers, actors=actors,
                          seen=seen, language=lang):
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
    help="Worker processes, each loading the model once (default: all cores). Output is the same for any N.")


@main.command(epilog=EXIT_DOC)
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option("--format", "fmt", type=click.Choice(["json", "jsonl", "csv", "acled-csv", "geojson"]), default="json",
              show_default=True, help="json: one document per article with events, links and quotes.")
@click.option("--formula-escape/--no-formula-escape", default=True, show_default=True,
              help="CSV: prefix cells starting with = + - @ TAB or CR with a single quote (OWASP), so that a "
                   "spreadsheet does not run them as formulas.")
@with_input_options
@with_user_files
@workers_option
def extract(files, fmt, formula_escape, published, source, encoding, fields, language, quiet, verbose,
            triggers, actors, workers):
    """Print the events in FILES (text, HTML, JSONL, CSV, RSS/Atom, WARC; .gz/.zip;
    directories and globs are walked; - reads stdin). Bad records are reported and skipped."""
    from . import export
    from .readers import Options

    _setup_logging(verbose, quiet)
    opts = Options(published=_published(published), source=source, encoding=encoding, fields=_fields(fields))
    pipe = _pipeline(triggers, actors)
    lang = _language(language)
    all_events = []

    def emit(result):
        if fmt == "json":
            click.echo(result.model_dump_json(indent=1, exclude={"article": {"text", "input_removed"}}))
        else:
            all_events.extend(result.events)

    try:
        tally, interrupted = _run("extract", files, opts, pipe, lang=lang, quiet=quiet, verbose=verbose,
                                  on_result=emit, workers=workers, triggers=triggers, actors=actors)
        if fmt != "json" and not interrupted:
            export.write(all_events, fmt, stream=sys.stdout, escape=formula_escape)
    except BrokenPipeError:          # `wirecoder extract ... | head`
        sys.stderr.close()
        os._exit(0)
    if tally.n_skipped or tally.languages or verbose:
        click.echo(f"extract: {tally.line()}", err=True)
    _exit(tally, interrupted)


@main.command(epilog=EXIT_DOC)
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option("--db", default="wirecoder.db", show_default=True, help="SQLite database file.")
@with_input_options
@with_user_files
@workers_option
def ingest(paths, db, published, source, encoding, fields, language, quiet, verbose, triggers, actors, workers):
    """Extract events from PATHS and store articles and events in the database.

    PATHS are files (text, HTML, JSONL, CSV, RSS/Atom, WARC; .gz and .zip too), directories
    (walked), globs, or - for standard input. Idempotent: an article already stored (same
    text) is skipped, so an interrupted run can simply be run again. A bad record is
    reported with its file and line or record number and skipped; the rest is processed,
    and what was stored before is never touched. The summary counts what was stored,
    skipped and why, and the articles set aside by language."""
    from .readers import Options
    from .store import Store, StoreError

    _setup_logging(verbose, quiet)
    opts = Options(published=_published(published), source=source, encoding=encoding, fields=_fields(fields))
    _check_db_for_writing(db)
    pipe = _pipeline(triggers, actors)
    lang = _language(language)
    try:
        store = Store(db)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    def add(result):
        import sqlite3

        try:
            return store.add(result)
        except (sqlite3.Error, OSError) as exc:
            full = "full" in str(exc).lower() or getattr(exc, "errno", None) == 28
            raise Fatal(f"{db}: " + ("disk full" if full else f"cannot write the database ({exc})")) from None

    with store:
        tally, interrupted = _run("ingest", paths, opts, pipe, lang=lang, quiet=quiet, verbose=verbose,
                                  seen=store.has_article, on_result=add, workers=workers, triggers=triggers,
                                  actors=actors)
        try:
            totals = store.counts()
        except Exception:  # noqa: BLE001 - the summary must not hide the run's own result
            totals = None
    where = (f" {db}: {totals['articles']} articles, {totals['events']} events, {totals['links']} links."
             if totals else "")
    click.echo(f"ingest: {tally.line()}.{where}", err=True)
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


@main.command(epilog=EXIT_DOC)
@click.option("--db", default="wirecoder.db", show_default=True, help="SQLite database file.")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "acled-csv", "geojson", "parquet", "links-csv"]),
              default="jsonl", show_default=True,
              help="links-csv: the typed links between events (retaliation, response, follows).")
@click.option("-o", "--output", type=click.Path(path_type=str),
              help="Output file (default: stdout; parquet needs one). Written to a temporary file in the same "
                   "directory, then renamed; never over the database, a device, a FIFO or a link.")
@click.option("--force", is_flag=True, help="Replace an existing regular file at --output.")
@click.option("--formula-escape/--no-formula-escape", default=True, show_default=True,
              help="CSV: prefix cells starting with = + - @ TAB or CR with a single quote (OWASP), so that a "
                   "spreadsheet does not run them as formulas.")
def export(db, fmt, output, force, formula_escape):
    """Export stored events (acled-csv uses ACLED's column names)."""
    from . import export as exp
    from .store import Store, StoreError

    if not Path(db).exists():
        raise click.ClickException(f"{db}: no such database (run `wirecoder ingest` first)")
    if output is not None:
        if output == "-":
            output = None
        else:
            try:
                exp.check_output(output, protect=[db], force=force)
            except exp.OutputError as exc:
                raise click.ClickException(str(exc)) from None
    try:
        with Store(db) as store:
            if fmt == "links-csv":
                n = exp.write_links(store.links(), output, stream=sys.stdout, escape=formula_escape)
                what = "link(s)"
            else:
                from .actors import ActorDictionary

                names = ActorDictionary.default().country_name
                n = exp.write(store.events(), fmt, output, stream=sys.stdout, country_name=names,
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


@main.command()
@click.option("--db", default="wirecoder.db", show_default=True, help="SQLite database file.")
@click.option("--limit", default=40, show_default=True, help="Rows to show.")
def summary(db, limit):
    """A table of the stored events."""
    from .store import Store, StoreError

    if not Path(db).exists():
        raise click.ClickException(f"{db}: no such database")
    try:
        with Store(db) as store:
            events = list(store.events())
            totals = store.counts()
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    rows = []
    for e in events[:limit]:
        d = e.date.start.isoformat() if e.date else "?"
        if e.date and e.date.end != e.date.start:
            d += f"..{e.date.end.isoformat()[5:]}"
        rows.append((d, e.plover_type, (e.acled_sub_event_type or "")[:24], (e.actor.name if e.actor else "")[:24],
                     (e.recipient.name if e.recipient else "")[:24],
                     (f"{e.location.name}, {e.location.country}" if e.location else "")[:26],
                     "" if e.fatalities is None else str(e.fatalities)))
    head = ("date", "PLOVER", "ACLED sub-type", "actor", "recipient", "where", "killed")
    widths = [max(len(str(r[i])) for r in rows + [head]) for i in range(len(head))]
    line = "  ".join(h.ljust(w) for h, w in zip(head, widths))
    click.echo(line)
    click.echo("-" * len(line))
    for r in rows:
        click.echo("  ".join(str(c).ljust(w) for c, w in zip(r, widths)))
    by_type: dict[str, int] = {}
    for e in events:
        by_type[e.plover_type] = by_type.get(e.plover_type, 0) + 1
    click.echo(f"\n{totals['articles']} articles, {totals['events']} events, {totals['links']} links, "
               f"{totals['quotes']} quotes. By type: " + ", ".join(f"{k} {v}" for k, v in sorted(by_type.items())))


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
