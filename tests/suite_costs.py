"""What each suite of the test command costs, written after every run.

A suite is a folder of ``tests/`` (``tests/sections``, ``tests/room``, ...), a top-level test file, or
``notebooks`` (nbval). Its cost is the wall time of its tests' set-up, call and tear-down, so a
session-wide server is counted where it is first started. The table closes pytest's report and goes
to ``test-artifacts/suite-costs.json`` (``suite-costs-serial.json`` and so on for the runs that
``./workbook test`` names), so a slow suite is seen before the command outgrows its budget (README,
"Tests").
"""

from __future__ import annotations

import json
import os
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "test-artifacts"
RUN_NAME_SETTING = "SUITE_COSTS"  # ./workbook test names its two passes; their costs go to two files


@dataclass
class SuiteCost:
    """The tests a suite ran and the seconds they took."""

    tests: int = 0
    seconds: float = 0.0


def suite_of(nodeid: str) -> str:
    """``tests/room/test_join.py::test_x`` -> ``tests/room``; ``tests/test_store.py::t`` -> that file."""
    path = nodeid.split("::", 1)[0]
    parts = path.split("/")
    if parts[0] == "notebooks":
        return "notebooks"
    return "/".join(parts[:2]) if len(parts) > 2 else path


class SuiteCosts:
    """Adds up each test's phases by suite and reports them at the end of the run."""

    def __init__(self) -> None:
        self.costs: defaultdict[str, SuiteCost] = defaultdict(SuiteCost)
        self.started = time.monotonic()

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        cost = self.costs[suite_of(report.nodeid)]
        cost.seconds += report.duration
        if report.when == "call" or (report.when == "setup" and report.skipped):
            cost.tests += 1

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        if not self.costs:
            return
        ranked = sorted(self.costs.items(), key=lambda item: item[1].seconds, reverse=True)
        total = time.monotonic() - self.started
        terminalreporter.section("what each suite cost")
        for suite, cost in ranked:
            terminalreporter.write_line(f"{cost.seconds:8.1f} s  {cost.tests:5d} tests  {suite}")
        terminalreporter.write_line(f"{total:8.1f} s  in all (collection and start included)")
        name = os.environ.get(RUN_NAME_SETTING, "")
        report = ARTIFACTS / (f"suite-costs-{name}.json" if name else "suite-costs.json")
        report.parent.mkdir(exist_ok=True)
        rows = [
            {"suite": suite, "tests": cost.tests, "seconds": round(cost.seconds, 1)} for suite, cost in ranked
        ]
        report.write_text(json.dumps({"seconds": round(total, 1), "suites": rows}, indent=2) + "\n")
