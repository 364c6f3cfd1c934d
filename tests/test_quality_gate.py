"""The quality gate: the dev figures of every eval command, pinned in tests/quality_floor.json
(one file, so moving a floor up is one edit). A change that lowers a figure by more than the
tolerance fails here. Reads ../shared/eval (beside the clone in CI); a part whose file is
missing is skipped. geo runs with gold spans only (--no-raw), its fast mode."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
FLOOR = json.loads((Path(__file__).parent / "quality_floor.json").read_text("utf-8"))
SHARED = (ROOT / FLOOR["shared"]).resolve()
TOL = FLOOR["tolerance"]


def _path(rel: str) -> Path:
    return ROOT / rel if rel.startswith("tests/") else SHARED / rel


def _run(args: list[str], files: list[Path]) -> dict:
    missing = [f for f in files if not f.exists()]
    if missing:
        pytest.skip(f"{missing[0]} not found")
    from wirecoder.cli import main

    res = CliRunner().invoke(main, ["eval", *args, *map(str, files)], catch_exceptions=False)
    assert res.stdout.strip(), res.stderr[-2000:]
    return json.loads(res.stdout)


def _get(d: dict, dotted: str):
    for k in dotted.split("."):
        d = d[k]
    return d


def _check(name: str, got: dict) -> None:
    spec = FLOOR[name]
    low = {k: v for k, v in spec.get("min", {}).items() if _get(got, k) < v - TOL}
    high = {k: v for k, v in spec.get("max", {}).items() if _get(got, k) > v}
    assert not low and not high, (
        f"{name} fell below its pinned figures: "
        + ", ".join(f"{k} {_get(got, k):.4f} < {v}" for k, v in low.items())
        + "; ".join(f"{k} {_get(got, k)} > {v}" for k, v in high.items())
        + " (raise or lower the floor in tests/quality_floor.json only with a measured reason)")


@pytest.mark.parametrize("name", ["plv", "case2021", "gsr", "time", "dedup"])
def test_eval_figures(name):
    spec = FLOOR[name]
    files = [_path(f) for f in spec["files"]]
    _check(name, _run([spec["command"], *spec.get("args", [])], files))


@pytest.mark.parametrize("which", ["lgl", "GWN"])
def test_geo_figures(which):
    spec = FLOOR["geo"]
    got = _run(["geo", "--no-raw", "--quiet", "--json"], [_path(spec["files"][which])])
    low = {k: v for k, v in spec["min"][which].items() if got[k] < v - TOL}
    assert not low, f"geo {which} fell below its pinned figures: {low} (got {[got[k] for k in low]})"


def test_events_figures():
    spec = FLOOR["events"]
    seed = _path(spec["seed"])
    folder = _path(spec["folder"])
    golds = sorted(folder.glob("*.gold.json")) if folder.is_dir() else []
    if not golds:
        pytest.skip(f"{folder} has no gold files")
    _check("events", _run(["events", "--json"], [seed, *golds]))
