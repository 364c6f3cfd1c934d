"""The Python API of the README: wirecoder.extract() and wirecoder.Store."""

import datetime as dt

import pytest

import wirecoder


def test_extract_returns_the_typed_document(pipeline):
    doc = wirecoder.extract("Gunmen killed six farmers in an attack on a village near Jos on Tuesday, a local "
                            "official said.", published="2024-04-10", source="Lake Post", pipeline=pipeline)
    assert isinstance(doc, wirecoder.ExtractionResult)
    ev = doc.events[0]
    assert ev.plover_type == "ASSAULT" and ev.location.name == "Jos" and ev.fatalities == 6
    assert ev.date.start == dt.date(2024, 4, 9)
    assert ev.mentions[0].trigger.text and ev.mentions[0].sentence_span.text
    with pytest.raises(ValueError):
        wirecoder.extract("   ")
    with pytest.raises(Exception, match="published"):
        wirecoder.extract("Police arrested two men.", published="soon")


def test_store_ingest_events_records(tmp_path, pipeline):
    p = tmp_path / "a.txt"
    p.write_text("Police arrested 40 protesters in Mombasa on Wednesday during a march against tax increases.",
                 encoding="utf-8")
    with wirecoder.Store(tmp_path / "s.db") as store:
        stats = store.ingest([p, "Hundreds of students protested in Santiago on Friday, demanding lower fees."],
                             published="2024-06-08", pipeline=pipeline)
        assert stats["added"] == 2 and stats["failed"] == 0
        assert store.ingest([p], published="2024-06-08", pipeline=pipeline)["skipped"] == 1
        kenya = list(store.events(country="KEN"))
        assert kenya and all(e.location.country == "KEN" for e in kenya)
        assert all(e.plover_type == "PROTEST" for e in store.events(plover_type="PROTEST"))
        rows = list(store.records())
        assert rows and all(isinstance(r["date_start"], dt.date) for r in rows if r["date_start"])
        assert all(r["cameo"] is None or isinstance(r["cameo"], str) for r in rows)
        with pytest.raises(ValueError, match="ISO-3166"):
            list(store.events(country="Kenya"))
