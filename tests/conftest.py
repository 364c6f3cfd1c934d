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
