"""Reading a user's GeoNames dump (geoname table format): rows, feature kinds, archives, errors."""

import gzip
import zipfile

import pytest

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
