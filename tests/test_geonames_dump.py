"""Reading a user's GeoNames dump (geoname table format): rows, feature kinds, archives, errors."""

import gzip
import sqlite3
import zipfile

import pytest
from click.testing import CliRunner

from wirecoder.gazetteer import Gazetteer, build, build_cmd, folded_dumps, info_cmd
from wirecoder.geonames_dump import DumpError, read_dump


def _line(gid, name, alts, lat, lon, fclass, fcode, cc, admin1="", pop=0):
    cols = [str(gid), name, name, ",".join(alts), str(lat), str(lon), fclass, fcode, cc, "", admin1, "", "", "",
            str(pop), "", "0", "Asia/Baghdad", "2024-01-01"]
    return "\t".join(cols) + "\n"


ROWS = (_line(9000001, "Tall Qasrah", ["Tel Qasra", "Tell Qasra"], 34.51, 40.88, "P", "PPL", "SY", "07", 320)
        + _line(9000002, "Camp Falcon Ridge", [], 33.2, 44.3, "S", "MILB", "IQ", "07")
        + _line(9000003, "Republic of Iraq", ["Iraq"], 33.0, 44.0, "A", "PCLI", "IQ", "00", 40000000)
        + _line(9000004, "Wadi Zarqa", [], 32.1, 36.1, "H", "WAD", "JO")
        + _line(9000005, "Some Province", [], 35.0, 45.0, "A", "ADM1", "IQ", "08", 1000))


def test_rows_and_feature_kinds(tmp_path):
    p = tmp_path / "XX.txt"
    p.write_text(ROWS, encoding="utf-8")
    rows = list(read_dump(p))
    assert [r.geonameid for r in rows] == [9000001, 9000002, 9000003, 9000005]   # class H not kept by default
    assert [r.feature for r in rows] == ["city", "extra", "country", "admin1"]
    assert rows[0].alternatenames == ("Tel Qasra", "Tell Qasra") and rows[0].population == 320
    assert rows[0].admin1_key == "SY.07" and rows[2].admin1_key is None
    assert len(list(read_dump(p, classes={"H"}))) == 1


def test_archives(tmp_path):
    z = tmp_path / "allCountries.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("readme.txt", "about\n")
        zf.writestr("allCountries.txt", ROWS)
    g = tmp_path / "cities500.txt.gz"
    with gzip.open(g, "wt", encoding="utf-8") as f:
        f.write(ROWS)
    assert len(list(read_dump(z))) == len(list(read_dump(g))) == 4


def test_bad_files_name_the_file(tmp_path):
    with pytest.raises(DumpError, match="no such file"):
        list(read_dump(tmp_path / "missing.txt"))
    csv = tmp_path / "places.csv"
    csv.write_text("name,lat,lon\nX,1,2\n", encoding="utf-8")
    with pytest.raises(DumpError, match=r"places.csv: line 1: not a GeoNames"):
        list(read_dump(csv))
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes(ROWS.replace("Tall", "T\u00e2ll").encode("latin-1"))
    with pytest.raises(DumpError, match="latin1.txt: near line 1: not UTF-8"):
        list(read_dump(latin1))
    damaged = tmp_path / "damaged.txt"
    damaged.write_text(ROWS + "broken line\n" + ROWS, encoding="utf-8")   # one bad line in a good file is skipped
    assert len(list(read_dump(damaged))) == 8


# ---------------------------------------------------------------------------------------------
# folding a dump into the gazetteer index (`wirecoder gazetteer build --geonames FILE`)
#
# The builds are scoped to one country's cities (``cities_of``, a few seconds each); the dump's places,
# names and ids are invented (ids from 9,100,000 up), except one row that reuses the geonameid of a
# city already in the index.

SCOPE = {"IS"}


@pytest.fixture(scope="module")
def folded(tmp_path_factory):
    d = tmp_path_factory.mktemp("gaz")
    base = build(d / "base.sqlite", quiet=True, cities_of=SCOPE)
    con = sqlite3.connect(base)
    gid, lat, lon = con.execute("SELECT geonameid, lat, lon FROM places WHERE feature='city' AND country='ISL' "
                                "ORDER BY population DESC LIMIT 1").fetchone()
    country_ll = con.execute("SELECT lat, lon FROM places WHERE feature='country' AND country='ISL'").fetchone()
    con.close()
    dump = d / "IS.txt"
    dump.write_text(
        _line(9100001, "Glacieria", ["Republic of Glacieria", "Glaciera"], 60.25, -30.5, "A", "PCLI", "IS", "00", 5)
        + _line(9100002, "Zorvenholm", ["Zorvenholmur", "Sorvenholm"], 64.5, -19.5, "P", "PPL", "IS", "97", 2400)
        + _line(gid, "Qwertyvik Old Town", ["Qwertyvik"], lat, lon, "P", "PPLC", "IS", "", 0)
        + _line(9100003, "Hrimland Province", ["Hrimland"], 64.9, -18.8, "A", "ADM1", "IS", "97", 3000)
        + _line(9100004, "Camp Vindgard", [], 64.0, -22.0, "S", "MILB", "IS", "97")
        + _line(9100005, "Vindgard Creek", [], 64.0, -22.1, "H", "STM", "IS", "97"),
        encoding="utf-8")
    path = build(d / "folded.sqlite", quiet=True, geonames=[dump], cities_of=SCOPE)
    return {"dir": d, "path": path, "dump": dump, "gid": gid, "country_ll": country_ll,
            "gaz": Gazetteer(path=path, extra="")}


def test_dump_adds_places_by_their_alternate_names(folded):
    g = folded["gaz"]
    for q in ("Zorvenholm", "Zorvenholmur", "Sorvenholm"):
        p = g.lookup(q)[0]
        assert (p.geonameid, p.name, p.feature, p.country) == (9100002, "Zorvenholm", "city", "ISL")
        assert p.admin1 == "Hrimland Province"     # the admin-1 row comes later in the file
        assert (p.lat, p.lon, p.population) == (64.5, -19.5, 2400)
    a1 = g.admin1("Hrimland", "ISL")
    assert a1 is not None and a1.geonameid == 9100003
    camp = g.lookup("Camp Vindgard")[0]
    assert (camp.geonameid, camp.feature) == (9100004, "extra")
    assert not g.lookup("Vindgard Creek")            # class H is not kept by default


def test_dump_replaces_the_country_point(folded):
    g = folded["gaz"]
    c = g.country("ISL")
    assert (c.lat, c.lon) == (60.25, -30.5) and (c.lat, c.lon) != tuple(folded["country_ll"])
    assert g.country("Glacieria") == c and g.lookup("Republic of Glacieria")[0].country == "ISL"
    con = sqlite3.connect(folded["path"])
    assert con.execute("SELECT count(*) FROM places WHERE feature='country' AND country='ISL'").fetchone()[0] == 1


def test_dump_enriches_existing_ids_without_duplicates(folded):
    g = folded["gaz"]
    p = g.lookup("Qwertyvik")[0]
    assert p.geonameid == folded["gid"] and p.population > 0       # population 0 in the dump: kept
    assert p.name != "Qwertyvik Old Town"                          # the index's own name is kept
    con = sqlite3.connect(folded["path"])
    dup = con.execute("SELECT geonameid FROM places WHERE geonameid IS NOT NULL GROUP BY geonameid "
                      "HAVING count(*) > 1").fetchall()
    assert dup == []
    [d] = folded_dumps(con)
    assert d["file"].endswith("IS.txt") and (d["rows"], d["added"], d["updated"]) == (5, 3, 2)
    base = sqlite3.connect(folded["dir"] / "base.sqlite")
    n_base = base.execute("SELECT count(*) FROM places").fetchone()[0]
    assert con.execute("SELECT count(*) FROM places").fetchone()[0] == n_base + 3
    assert folded_dumps(base) == []


def test_info_names_the_dump(folded, monkeypatch):
    monkeypatch.setenv("WIRECODER_GAZETTEER", str(folded["path"]))
    out = CliRunner().invoke(info_cmd, []).output
    assert "GeoNames dump folded in:" in out and "IS.txt" in out and "3 new places, 2 updated" in out


def test_bad_dump_leaves_the_index_intact(folded):
    path = folded["path"]
    before = path.read_bytes()
    # a wrong file fails at once, naming file and line
    bad = folded["dir"] / "bad.txt"
    bad.write_text("geonameid,name\n1,Nowhere\n", encoding="utf-8")
    r = CliRunner().invoke(build_cmd, ["--quiet", "--path", str(path), "--geonames", str(bad)])
    assert r.exit_code == 1 and "bad.txt: line 1: not a GeoNames" in r.output and "left unchanged" in r.output
    # damage deep in the file is found during the build: the old index stays
    good = "".join(_line(9200000 + i, f"Plinkstad {i}", [], 64.0, -20.0, "P", "PPL", "IS") for i in range(1000))
    damaged = folded["dir"] / "damaged.txt"
    damaged.write_text(good + "9299999\tcut short\n" * 30, encoding="utf-8")
    with pytest.raises(DumpError, match=r"damaged.txt: line 10\d\d: .*malformed lines"):
        build(path, quiet=True, geonames=[damaged], cities_of=SCOPE)
    assert path.read_bytes() == before
    assert not [f for f in path.parent.iterdir() if f.name.endswith(".tmp")]
    assert Gazetteer(path=path, extra="").lookup("Sorvenholm")[0].geonameid == 9100002
