"""The founding article: `wirecoder eval events` on its gold file must pass.

One generic scorer (wirecoder.evaluate.events); nothing here is specific to the article."""

import json

import pytest

from conftest import SEED_GOLD

pytestmark = pytest.mark.skipif(not SEED_GOLD.exists(), reason="../shared/seed not beside the checkout")


def test_seed_article_passes_eval_events(cli):
    r = cli("eval", "events", SEED_GOLD, "--json")
    result = json.loads(r.stdout)
    assert result["passed"] is True, r.stderr
    assert result["facts_met"] == result["facts_total"]
    assert r.returncode == 0
