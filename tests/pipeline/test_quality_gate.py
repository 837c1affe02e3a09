"""The quality gate's floor check (the gate itself runs in ``make test`` over the corpus)."""

from __future__ import annotations

import json

from benchmarks.quality_gate import FLOORS_FILE, SETS, below_floors


def test_every_pinned_floor_names_a_known_set_and_metric() -> None:
    floors = json.loads(FLOORS_FILE.read_text(encoding="utf-8"))
    assert set(floors) == set(SETS)
    for name, metrics in floors.items():
        assert set(metrics) <= set(SETS[name]), name
        assert all(0 < value <= 1 for value in metrics.values())


def test_a_score_under_its_floor_is_named() -> None:
    floors = {"fundus-dev": {"body F1": 0.95, "tags F1": 0.7}}
    ok = {"fundus-dev": {"newscrawl": {"body F1": 0.96, "tags F1": 0.71}}}
    assert below_floors(ok, floors) == []
    low = {"fundus-dev": {"newscrawl": {"body F1": 0.94, "tags F1": 0.71}}}
    assert below_floors(low, floors) == ["fundus-dev body F1: 0.94 < floor 0.95"]
    assert below_floors({}, floors) == ["fundus-dev: not scored (is fundus-dev in the corpus?)"]
