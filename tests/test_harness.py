"""One test harness, imported by the tests and the benchmarks alike, and no import circle anywhere.

``harness/`` holds what both drive the workbook with (the real server, the protocol-level page client,
the throwaway PostgreSQL, the Chromium settings); it imports neither the tests nor the benchmarks, and
the tests reach the benchmark itself only where they test it.

Read from the source of ``harness/``, ``benchmarks/``, ``tests/`` and ``widgets/`` (every ``import``
statement, module level or inside a function), so a lazy import counts too. A test imports its helpers
by their bare names (``from conftest import ...``): pytest puts the test's folder and ``tests/`` on
the path, and so does this reading.
"""

from __future__ import annotations

import graphlib
from functools import cache
from pathlib import Path

import pytest

from harness.source import Imports, imports_of

REPO = Path(__file__).resolve().parents[1]
FOLDERS = ("harness", "benchmarks", "tests", "widgets")
# The tests of the benchmark itself: the only ones that may import it.
TESTS_OF_THE_BENCHMARK = {"tests.test_benchmark", "tests.test_faults"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def _modules() -> dict[str, Path]:
    found = {}
    for folder in FOLDERS:
        for path in sorted((REPO / folder).rglob("*.py")):
            inside = path.relative_to(REPO).parts
            if any(part.startswith(".") or part == "node_modules" for part in inside):
                continue  # e.g. benchmarks/.lighthouse/, installed from npm
            found[_module_name(path)] = path
    return found


@cache
def _imports(module: str) -> Imports:
    """Every ``(module, names)`` the module's source imports, relative imports made absolute."""
    return imports_of(_modules()[module], module)


def _resolve(module: str, dotted: str) -> str | None:
    """The repository's module ``dotted`` names when ``module`` imports it, if it is one of them."""
    if dotted in _modules():
        return dotted
    path = _modules()[module]
    if not module.startswith("tests."):
        return None
    # A test's bare import: its own folder first, then tests/ (both on the path pytest gives it).
    for folder in dict.fromkeys([path.parent, REPO / "tests"]):
        name = ".".join([*folder.relative_to(REPO).parts, dotted])
        if name in _modules():
            return name
    return None


def _internal_edges(module: str) -> set[str]:
    """The repository's own modules this module imports by name (a submodule named in ``from`` too)."""
    targets = set()
    for base, names in _imports(module):
        targets.add(_resolve(module, base))
        targets.update(_resolve(module, f"{base}.{name}") for name in names)
    return targets - {module, None}


def _cycle() -> list[str] | None:
    """One import circle of the repository's modules (as a path that ends where it began), or None."""
    graph = {module: sorted(_internal_edges(module)) for module in _modules()}
    try:
        graphlib.TopologicalSorter(graph).prepare()
    except graphlib.CycleError as error:
        return list(reversed(error.args[1]))
    return None


def _imports_the_benchmark(module: str) -> bool:
    return "benchmarks.bench" in _internal_edges(module) or any(
        base == "benchmarks.bench" or (base == "benchmarks" and "bench" in names)
        for base, names in _imports(module)
    )


def test_the_checker_reads_the_imports_it_is_meant_to():
    # Guards the checks below against passing because they read nothing.
    assert {"harness", "harness.server", "harness.page_client", "harness.postgres"} <= set(_modules())
    assert "benchmarks.bench" in _modules()
    assert "tests.conftest" in _modules()
    assert "tests.server.test_launch" in _modules()
    assert not [module for module in _modules() if "node_modules" in module]
    # Module level, inside a function, a submodule named in `from`, a test's helper by its bare name.
    assert "harness.server" in _internal_edges("tests.conftest")
    assert "benchmarks.faults" in _internal_edges("benchmarks.bench")
    assert "harness.server" in _internal_edges("benchmarks.shaped")
    assert "tests.conftest" in _internal_edges("tests.server.test_websocket")
    assert "tests.crafted" in _internal_edges("tests.test_hostile_clients")
    assert "widgets.controls" in _internal_edges("widgets.sections.sharing_load.view")
    assert _imports_the_benchmark("tests.test_benchmark")


def test_no_import_circle_anywhere_in_the_repository():
    assert _cycle() is None, " -> ".join(_cycle() or [])


@pytest.mark.parametrize(
    ("importer", "imported"),
    [
        # The old layout's circles: the benchmark's parts (which bench.py imports) importing it back,
        # and the throwaway PostgreSQL taking bench.py's free port (bench -> workers -> postgres).
        ("benchmarks.faults", "benchmarks.bench"),
        ("benchmarks.workers", "benchmarks.bench"),
        ("harness.postgres", "benchmarks.bench"),
        # And one through the harness: the harness reaching back into a test.
        ("harness.server", "tests.conftest"),
    ],
)
def test_the_checker_finds_a_circle(monkeypatch, importer, imported):
    real = _internal_edges
    monkeypatch.setitem(
        globals(),
        "_internal_edges",
        lambda module: real(module) | ({imported} if module == importer else set()),
    )
    assert _cycle() is not None


def test_the_harness_imports_neither_the_tests_nor_the_benchmarks():
    reaches = [
        f"{module} imports {base}"
        for module in _modules()
        if module.split(".")[0] == "harness"
        for base, _names in _imports(module)
        if base.split(".")[0] in ("benchmarks", "tests")
    ]
    reaches += [
        f"{module} imports {target}"
        for module in _modules()
        if module.split(".")[0] == "harness"
        for target in _internal_edges(module)
        if target.split(".")[0] in ("benchmarks", "tests")
    ]
    assert reaches == []


def test_only_the_tests_of_the_benchmark_import_it():
    importers = {
        module for module in _modules() if module.startswith("tests.") and _imports_the_benchmark(module)
    }
    assert importers <= TESTS_OF_THE_BENCHMARK, sorted(importers - TESTS_OF_THE_BENCHMARK)
