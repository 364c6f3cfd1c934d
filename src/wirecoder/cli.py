"""The `wirecoder` command line."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__
from .ingest import InputError, iter_files, parse_date, read_file


def _published(value):
    try:
        return parse_date(value, what="--published date", path="--published")
    except InputError:
        raise click.BadParameter(f"{value!r} is not a date (expected YYYY-MM-DD)") from None


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
    from .pipeline import Pipeline, default_pipeline

    if triggers or actors:
        try:
            return Pipeline.with_user_files(triggers, actors)
        except ValueError as exc:
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


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--published", help="Publication date YYYY-MM-DD, for files that do not say (relative dates need it).")
@click.option("--source", help="Source name, for files that do not say.")
@click.option("--format", "fmt", type=click.Choice(["json", "jsonl", "csv", "acled-csv", "geojson"]), default="json",
              show_default=True, help="json: one document per article with events, links and quotes.")
@click.option("--encoding", help="Text encoding of the files when not UTF-8 (e.g. cp1252).")
@with_user_files
def extract(files, published, source, fmt, encoding, triggers, actors):
    """Print the events in FILES (text, HTML, JSONL, RSS/Atom; directories are walked)."""
    from . import export

    pub = _published(published)
    pipe = _pipeline(triggers, actors)
    failures = processed = 0
    all_events = []
    for path in iter_files(list(files)):
        try:
            articles = read_file(path, published=pub, source=source, encoding=encoding)
        except InputError as exc:
            click.echo(f"error: {exc}", err=True)
            failures += 1
            continue
        for art in articles:
            result = pipe.extract(art)
            processed += 1
            if fmt == "json":
                click.echo(result.model_dump_json(indent=1, exclude={"article": {"text"}}))
            else:
                all_events.extend(result.events)
    if fmt != "json":
        export.write(all_events, fmt, stream=sys.stdout)
    if failures:
        sys.exit(1 if not processed else 2)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--db", default="wirecoder.db", show_default=True, help="SQLite database file.")
@click.option("--published", help="Publication date YYYY-MM-DD for files that do not say.")
@click.option("--source", help="Source name for files that do not say.")
@click.option("--encoding", help="Text encoding of the files when not UTF-8.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@with_user_files
def ingest(paths, db, published, source, encoding, quiet, triggers, actors):
    """Extract events from PATHS and store articles and events in the database.

    Idempotent: an article already stored (same text) is skipped, so an interrupted run
    can simply be run again. Bad files are reported and skipped; what was stored before
    is never touched."""
    from .store import Store, StoreError

    pub = _published(published)
    files = list(iter_files(list(paths)))
    if not files:
        raise click.ClickException("no input files")
    pipe = _pipeline(triggers, actors)
    try:
        store = Store(db)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    added = skipped = failed = events = 0
    errors = []
    with store, click.progressbar(files, label="ingesting", file=sys.stderr, show_pos=True,
                                  hidden=quiet or not sys.stderr.isatty()) as bar:
        for path in bar:
            try:
                articles = read_file(path, published=pub, source=source, encoding=encoding)
            except InputError as exc:
                errors.append(str(exc))
                failed += 1
                continue
            for art in articles:
                if store.has_article(art.id):
                    skipped += 1
                    continue
                result = pipe.extract(art)
                if store.add(result):
                    added += 1
                    events += len(result.events)
                else:
                    skipped += 1
        totals = store.counts()
    for e in errors:
        click.echo(f"error: {e}", err=True)
    click.echo(f"ingested {added} new article(s) with {events} event(s); {skipped} already stored; "
               f"{failed} file(s) failed. {db}: {totals['articles']} articles, {totals['events']} events, "
               f"{totals['links']} links.", err=True)
    if failed and not added and not skipped:
        sys.exit(1)
    if failed:
        sys.exit(2)


@main.command()
@click.option("--db", default="wirecoder.db", show_default=True, help="SQLite database file.")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "acled-csv", "geojson", "parquet", "links-csv"]),
              default="jsonl", show_default=True,
              help="links-csv: the typed links between events (retaliation, response, follows).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Output file (default: stdout; parquet needs one).")
def export(db, fmt, output):
    """Export stored events (acled-csv uses ACLED's column names)."""
    from . import export as exp
    from .store import Store, StoreError

    if not Path(db).exists():
        raise click.ClickException(f"{db}: no such database (run `wirecoder ingest` first)")
    try:
        with Store(db) as store:
            events = list(store.events())
            links = store.links()
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    if fmt == "links-csv":
        n = exp.write_links(links, output, stream=sys.stdout)
        click.echo(f"exported {n} link(s)" + (f" to {output}" if output else ""), err=True)
        return
    try:
        from .actors import ActorDictionary

        names = ActorDictionary.default().country_name
        n = exp.write(events, fmt, output, stream=sys.stdout, country_name=names)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"exported {n} event(s)" + (f" to {output}" if output else ""), err=True)


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
