"""eval gsr reads every record of the published PLOVER GSR files: `source` / `target` may be a
list, an empty string, a word or a single object (records written for this test)."""

import json

from click.testing import CliRunner

GSR = """[
 {"event": "DOCUMENT", "text": "", "id": "doc",},
 {"id": "r1", "event": "COERCE", "text": "Police arrested twelve students outside the university in Velmar.",
  "source": [{"actorText": "Police", "code": "VLM", "sector": "COP",},], "target": "",},
 {"id": "r2", "event": "ASSAULT", "text": "Rebels ambushed an army convoy near the river, killing six soldiers.",
  "source": "rebels", "target": {"actorText": "army convoy", "sector": "MIL"}},
 {"id": "r3", "event": "AGREE", "text": "Japan will provide emergency loans to the island states.",
  "source": ["Japan", {"actorText": "Japan", "code": "JPN"}], "target": null},
 {"id": "r4", "event": "PROTEST", "text": "Thousands of farmers marched through the city to protest the new tax.",
  "source": 7, "target": []},
 {"id": "r5", "event": "ACCUSE"}
]"""


def test_gsr_reads_every_record_shape(tmp_path):
    from wirecoder.cli import main
    from wirecoder.evaluate.gsr import parties

    assert parties("") == [] and parties(None) == [] and parties(7) == []
    assert parties("rebels") == [{"actorText": "rebels"}]
    assert parties({"actorText": "X", "code": "ABC"}) == [{"actorText": "X", "code": "ABC"}]
    assert parties(["Japan", {"actorText": "Japan", "code": "JPN"}]) == [{"actorText": "Japan"},
                                                                       {"actorText": "Japan", "code": "JPN"}]
    f = tmp_path / "gsr.json"
    f.write_text(GSR, encoding="utf-8")
    res = CliRunner().invoke(main, ["eval", "gsr", str(f), "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["records"] == 4                       # r5 has no text: reported and skipped
    assert "record 6 (r5): no text or no event, skipped" in res.stderr
    assert out["n"]["type"] == 4 and out["n"]["actor_code"] == 1 and out["n"]["recipient_sector"] == 1
    assert out["type_accuracy"] >= 0.75
