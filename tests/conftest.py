import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEED_GOLD = SHARED / "seed" / "us-strike-syria.gold.json"


def run_cli(*args, cwd=None, input=None):
    """Run the real `wirecoder` entry point in a subprocess."""
    exe = Path(sys.executable).with_name("wirecoder")
    return subprocess.run([str(exe), *map(str, args)], capture_output=True, text=True, cwd=cwd, input=input,
                          env={**os.environ, "PYTHONUNBUFFERED": "1"})


@pytest.fixture(scope="session")
def pipeline():
    from wirecoder.pipeline import default_pipeline

    return default_pipeline()


@pytest.fixture
def cli():
    return run_cli


# --------------------------------------------------------------------------- stores on both backends

CORPUS = [
    {"id": "r1", "published": "2024-04-10", "source": "Lake Post", "title": "Attack near Jos",
     "url": "https://lakepost.example/jos",
     "text": "Gunmen killed six farmers in an attack on a village near Jos on Tuesday, a local official said."},
    {"id": "r2", "published": "2024-04-11", "source": "Plateau Herald", "title": "Farmers shot dead",
     "url": "https://plateau.example/farmers",
     "text": "Six farmers were shot dead near Jos late on Tuesday when armed men attacked their village, police said. "
             "A police spokesman put the death toll at eight."},
    {"id": "r3", "published": "2024-04-11", "source": "Coast Wire", "title": "Arrests in Mombasa",
     "text": "Police arrested 40 protesters in Mombasa on Wednesday during a march against tax increases."},
    {"id": "r4", "published": "2024-03-06", "source": "Sahel Wire", "title": "Maiduguri attack",
     "text": "Gunmen killed five villagers in an attack on a village near Maiduguri on Tuesday, "
             "a local official said.\n\nThe attackers also burned several houses."},
    {"id": "r5", "published": "2024-06-08", "source": "Andes Daily", "title": "Students march",
     "text": "Hundreds of students protested in Santiago on Friday, demanding lower tuition fees."},
    {"id": "r6", "published": "2024-02-14", "source": "Front Daily", "title": "Gao shelling",
     "text": "Militants shelled an army post near Gao on Monday in retaliation for an air strike on their "
             "base in Kidal last week, a military source said."},
]


@pytest.fixture(scope="session")
def corpus_results(pipeline):
    """The pipeline's results for CORPUS, computed once for every store test."""
    import datetime as dt

    from wirecoder.schema import Article

    out = []
    for r in CORPUS:
        art = Article(id=Article.make_id(r["text"]), text=r["text"], title=r.get("title"), source=r["source"],
                      url=r.get("url"), published=dt.date.fromisoformat(r["published"]), external_id=r["id"])
        out.append(pipeline.extract(art))
    return out


PG_URL = os.environ.get("WIRECODER_TEST_PG")
PG_SKIP = "PostgreSQL tests need a server: set WIRECODER_TEST_PG=postgresql://USER@HOST:PORT/DB (.ci/run does)"


def reset_pg(url: str) -> None:
    """Drop everything in the test database's public schema."""
    import sqlalchemy as sa

    eng = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with eng.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    eng.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path):
    """A fresh, empty store URL on each backend."""
    if request.param == "sqlite":
        return str(tmp_path / "store.db")
    if not PG_URL:
        pytest.skip(PG_SKIP)
    reset_pg(PG_URL)
    return PG_URL
