"""`wirecoder gazetteer build` and `wirecoder gazetteer info`."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
import click

from .sources import default_path
from .builder import build
from .index import Gazetteer, folded_dumps


@click.group("gazetteer")
def cli():
    """Build and inspect the offline gazetteer index."""


@cli.command("build")
@click.option("--quiet", is_flag=True, help="No progress messages.")
@click.option("--path", type=click.Path(dir_okay=False), default=None, help="Where to write (default: the cache).")
@click.option("--geonames", "geonames", multiple=True, type=click.Path(dir_okay=False), metavar="FILE",
              help="Also fold in a GeoNames dump you have downloaded (geoname table, .txt/.zip/.gz: "
                   "allCountries.zip, cities500.zip, a country file such as IQ.zip). New places are added with "
                   "their alternate names; places already indexed (same geonameid) gain its names and take "
                   "GeoNames' coordinates, so countries and admin-1 areas get GeoNames' own points. Repeatable.")
@click.option("--geonames-classes", default="APLST", show_default=True, metavar="CLASSES",
              help="GeoNames feature classes kept from the dumps: A admin areas, P populated places, L regions "
                   "and areas, S spots (bases, airports, border posts), T terrain, H water, R roads, V vegetation.")
def build_cmd(quiet, path, geonames, geonames_classes):
    """(Re)compile the SQLite index from the installed packages (and any --geonames dumps).

    The index is written to a temporary file and renamed into place, so a failed build (a damaged
    dump, an interrupt) leaves an existing index as it was."""
    from ..geonames_dump import DumpError

    bad = set(geonames_classes.upper()) - set("ADHLPRSTUV")
    if bad or not geonames_classes:
        raise click.BadParameter(f"not GeoNames feature classes: {geonames_classes!r}", param_hint="--geonames-classes")
    t = time.time()
    try:
        p = build(path, quiet=quiet, geonames=geonames, geonames_classes=geonames_classes)
    except DumpError as e:
        target = Path(path).expanduser() if path else default_path()
        kept = f"; the index at {target} was left unchanged" if target.exists() else ""
        raise click.ClickException(f"{e}{kept}") from None
    con = sqlite3.connect(str(p))
    n_names = con.execute("SELECT value FROM meta WHERE key='names'").fetchone()[0]
    n_places = con.execute("SELECT count(*) FROM places").fetchone()[0]
    con.close()
    click.echo(f"wrote {p}: {n_places} places, {n_names} names ({time.time() - t:.1f}s)")


@cli.command("info")
@click.argument("names", nargs=-1)
def info_cmd(names):
    """Show where the index is and what it holds; with NAMES, look them up."""
    p = default_path()
    if not p.exists():
        click.echo(f"no index at {p} (run `wirecoder gazetteer build`)")
        return
    g = Gazetteer.default()
    meta = dict(g.con.execute("SELECT key, value FROM meta"))
    counts = dict(g.con.execute("SELECT feature, count(*) FROM places GROUP BY feature"))
    click.echo(f"{p} ({p.stat().st_size / 1e6:.1f} MB), built {meta.get('built')}, schema {meta.get('schema')}")
    click.echo(f"{meta.get('places')} places ({', '.join(f'{k} {v}' for k, v in sorted(counts.items()))}), "
               f"{meta.get('names')} names")
    dumps = folded_dumps(g.con)
    if not dumps:
        click.echo("GeoNames dumps folded in: none (packages only; see `wirecoder gazetteer build --geonames`)")
    for d in dumps:
        click.echo(f"GeoNames dump folded in: {d.get('file')} ({d.get('rows')} rows of classes {d.get('classes')}: "
                   f"{d.get('added')} new places, {d.get('updated')} updated)")
    for n in names:
        for pl in g.lookup(n, 5):
            click.echo(f"{n}\t{pl.name}\t{pl.feature}\t{pl.country}\t{pl.admin1}\t{pl.lat:.3f},{pl.lon:.3f}\t"
                       f"pop {pl.population}\tgeonameid {pl.geonameid}")


if __name__ == "__main__":  # pragma: no cover
    cli()
