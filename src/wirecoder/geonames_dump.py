"""Read a GeoNames dump that a user has (``allCountries.txt``, ``cities500.txt``, a country
file such as ``IQ.txt``; plain text, ``.zip`` or ``.gz``) into gazetteer rows.

The packaged gazetteer covers GeoNames cities500 and the admin-1/admin-2 subdivisions; a
full dump adds villages, military bases, airports, border posts, camps, mountains and
GeoNames' own country and region points. ``wirecoder gazetteer build --geonames FILE``
folds it into the index (see :func:`wirecoder.gazetteer.build`).

The format is GeoNames' ``geoname`` table: 19 tab-separated columns, UTF-8, no header::

    geonameid name asciiname alternatenames latitude longitude feature_class feature_code
    country_code cc2 admin1_code admin2_code admin3_code admin4_code population elevation
    dem timezone modification_date
"""

from __future__ import annotations

import gzip
import io
import itertools
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

N_COLUMNS = 19
# feature classes kept by default: A admin areas, P populated places, L regions and areas
# (camps, parks, continents), S spots (bases, airports, border posts, buildings), T terrain
DEFAULT_CLASSES = frozenset("APLST")
COUNTRY_CODES = {"PCLI", "PCLD", "PCLF", "PCLS", "PCLIX", "PCL", "TERR"}
REGION_CODES = {"CONT", "RGN", "RGNE", "RGNH", "ZN", "ADM2", "ADM3", "ADM4", "ADM5", "ADMD", "ADM2H", "ADM3H"}
# in a damaged file, this share of malformed lines (after the first thousand) stops the read
MAX_BAD_SHARE = 0.01


class DumpError(ValueError):
    """A file that is not a readable GeoNames dump; the message names the file and the line."""


@dataclass(frozen=True)
class DumpRow:
    geonameid: int
    name: str
    alternatenames: tuple[str, ...]
    lat: float
    lon: float
    feature_class: str
    feature_code: str
    country: str          # ISO 3166 alpha-2, as GeoNames writes it ('' for none)
    admin1_code: str      # GeoNames admin-1 code, e.g. '11' (key 'IQ.11')
    population: int

    @property
    def feature(self) -> str:
        """The gazetteer's feature kind: city, admin1, country, region or extra."""
        code = self.feature_code
        if self.feature_class == "P":
            return "city"
        if code in COUNTRY_CODES:
            return "country"
        if code in ("ADM1", "ADM1H"):
            return "admin1"
        if code in REGION_CODES:
            return "region"
        return "extra"

    @property
    def admin1_key(self) -> str | None:
        return f"{self.country}.{self.admin1_code}" if self.country and self.admin1_code not in ("", "00") else None


def _open_text(path: Path) -> io.TextIOBase:
    name = path.name.lower()
    if name.endswith(".zip"):
        zf = zipfile.ZipFile(path)
        members = [m for m in zf.namelist() if m.lower().endswith(".txt") and "readme" not in m.lower()]
        if not members:
            raise DumpError(f"{path}: the zip archive holds no .txt GeoNames table")
        return io.TextIOWrapper(zf.open(members[0]), encoding="utf-8")
    if name.endswith(".gz"):
        return gzip.open(path, "rt", encoding="utf-8")
    return open(path, encoding="utf-8")


def _row(parts: list[str]) -> DumpRow:
    alts = tuple(a for a in parts[3].split(",") if a) if parts[3] else ()
    return DumpRow(int(parts[0]), parts[1], alts, float(parts[4]), float(parts[5]), parts[6], parts[7], parts[8],
                   parts[10], int(parts[14] or 0))


def read_dump(path: str | Path, classes: frozenset[str] | set[str] = DEFAULT_CLASSES) -> Iterator[DumpRow]:
    """The rows of a GeoNames dump whose feature class is in ``classes``.

    Raises :class:`DumpError` naming the file (and line) when the file is missing, is not
    UTF-8, or is not in the geoname table's format; a few damaged lines in a large file are
    skipped, but more than 1% of them stops the read."""
    path = Path(path)
    if not path.is_file():
        raise DumpError(f"{path}: no such file")
    bad = 0
    n = 0
    try:
        with _open_text(path) as f:
            for n, line in enumerate(f, start=1):
                if not line.strip() or line.startswith("#"):
                    continue
                parts = line.rstrip("\n").split("\t")
                try:
                    if len(parts) != N_COLUMNS:
                        raise ValueError(f"{len(parts)} columns, expected {N_COLUMNS}")
                    row = _row(parts)
                except ValueError as exc:
                    bad += 1
                    if n <= 3 and bad == n:
                        raise DumpError(f"{path}: line {n}: not a GeoNames geoname table ({exc})") from None
                    if n > 1000 and bad > MAX_BAD_SHARE * n:
                        raise DumpError(f"{path}: line {n}: {bad} malformed lines so far; the file is damaged "
                                        f"({exc})") from None
                    continue
                if row.feature_class in classes:
                    yield row
    except UnicodeDecodeError as exc:
        raise DumpError(f"{path}: near line {n + 1}: not UTF-8 ({exc.reason})") from None
    except (zipfile.BadZipFile, gzip.BadGzipFile, EOFError) as exc:
        raise DumpError(f"{path}: damaged archive ({exc})") from None


ALL_CLASSES = frozenset("ADHLPRSTUV")


def check_dump(path: str | Path, lines: int = 20) -> None:
    """Read the first rows of a dump: raises :class:`DumpError` at once for a missing file or one that
    is not a geoname table (a wrong download, a CSV), before a long build starts."""
    for _ in itertools.islice(read_dump(path, ALL_CLASSES), lines):
        pass
