"""The benchmark keeps working: a smoke run against the real server (not a timed test)."""

from __future__ import annotations

import json

import pytest

from benchmarks.bench import ROOM_PAGES, main

pytestmark = pytest.mark.browser


def test_benchmark_smoke_run(tmp_path, capsys):
    out = tmp_path / "bench.json"
    assert main(["--smoke", "--servers", "workbook", "--settle", "15", "--out", str(out)]) == 0
    results = json.loads(out.read_text())
    browser = results["browser"]["workbook"]
    for measure in ("controls_visible", "first_answer_saved", "next_section"):
        assert browser[measure]["n"] == 1
        assert 0 < browser[measure]["p50"] < 120
    (room,) = results["rooms"]["workbook"]
    assert room["errors"] == 0, room["error_samples"]
    assert [room["ready"][page]["n"] for page in ROOM_PAGES] == [3] * len(ROOM_PAGES)
    assert room["save"]["n"] == 3 * (len(ROOM_PAGES) - 1)
    assert room["most_kernels"] >= 3
    assert room["peak_memory"]["kernels"] >= 1
    after = room["kernels_alive_after"]
    assert after["stale"] == 0
    assert after["kernels"] == after["before_room"], "only the preheated pools are left"
    assert "(c) room of 3 at the protocol level, workbook" in capsys.readouterr().out
