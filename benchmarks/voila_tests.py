"""Voilà's own app tests as a second opinion: run against stock Voilà, then against the workbook's server.

``./workbook bench --voila-tests`` (``results/issue-28-voila-tests.json``; ``--smoke``: a few tests).
Voilà's repository tests its server with ``tests/app``: about sixty tests that each start a Voilà
application in the test process, serve it on a free port and fetch pages, static files and kernels
from it. The same tests, at the very release installed here, run twice:

1. **stock**: as Voilà runs them, against ``voila.app.Voila``;
2. **workbook**: against the workbook's server, `benchmarks.voila_workbook_plugin` swapping the tests'
   application class for the workbook's (`widgets.server.voila_app.WorkbookVoila`) and reading the
   workbook's ``voila.json`` under each test's own settings (its kernel manager, warm parent, IPC
   transport, websocket class, template).

The workbook must pass every test stock Voilà passes, except the ones listed in :data:`ON_PURPOSE`, each
with the reason it differs by design. Any other difference makes the run fail (exit status 1).

Voilà's tests are not in its wheel: they come from its source distribution on PyPI (``pip download``),
unpacked into ``.voila-tests/`` at the repository's root (ignored by git). What they import beyond the
workbook's own dependencies (pytest-tornasync, papermill) is installed there too, with ``pip install
--target``, and put on ``PYTHONPATH`` only for these runs: pytest-tornasync would otherwise load itself
into the workbook's own test suite. Each run is its own pytest, with its own root folder and an empty
configuration, so neither the workbook's pytest settings nor its plugins apply.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import xml.etree.ElementTree as ElementTree
from datetime import UTC, datetime
from pathlib import Path

import voila

from harness.server import REPO
from widgets.room.access import ensure_facilitator_token

CACHE = REPO / ".voila-tests"
# What Voilà's tests/app and its conftest import beyond the workbook's test dependencies (Voilà's own
# `test` extra less what the workbook already has: ipykernel, ipywidgets, matplotlib, numpy, pytest).
TEST_DEPENDENCIES = ("pytest-tornasync", "papermill")
# --smoke: a page, the kernel websocket, a kernel shut down, the static files, and one test that differs.
SMOKE_TESTS = (
    "tests/app/execute_test.py",
    "tests/app/shutdown_kernel_test.py",
    "tests/app/template_sanity_test.py",
)
OUTCOMES = ("passed", "failed", "error", "skipped")
# Seconds one run of the tests may take (the whole of tests/app takes about 4 minutes on 2 cores).
RUN_LIMIT = 1800

# Tests the workbook's server fails on purpose, and why: each differs from stock Voilà by design.
_VERSIONED_STATIC = (
    "Voilà's own files are served from a versioned address (/voila/static/v/<digest>/voila.js,"
    " widgets/server/static_files.py) that browsers cache as long as it lasts; the test looks for the plain"
    " one"
)
ON_PURPOSE = {
    "preheat_activation_test::test_request_with_template_parameter": (
        "the workbook preheats its pages with its own template (reconnection): a page asked for with"
        " ?template=lab gets a new kernel, as stock Voilà does for any template it did not preheat with"
    ),
    "preheat_default_kernel_env_test::test_default_kernel_env_variable": (
        "voila.json sets the pools per notebook (kernel_pools_config), and Voilà reads default_env_variables"
        " only into its own default kernel_pools_config: the workbook sets no kernel environment that way"
    ),
    "preheat_multiple_notebooks_test::test_render_notebook_with_heated_kernel": (
        "pages before pools (widgets/server/pool_gate.py): pools are filled one kernel at a time, and the"
        " test asks 7 s after the start, while the folder's third of four pool kernels is being made"
    ),
    "template_sanity_test::test_lists_extension[lab]": _VERSIONED_STATIC,
    "template_sanity_test::test_lists_extension[classic]": _VERSIONED_STATIC,
    "tree_test::test_tree": (
        "the workbook's folder page lists nothing: it sends people to the welcome page"
        " (share/jupyter/voila/templates/reconnection/tree-lab.html and tree.html)"
    ),
}


def voila_version() -> str:
    """The Voilà release installed here: its tests are the ones run."""
    return str(voila.__version__)


def _pip(*arguments: str) -> None:
    subprocess.run([sys.executable, "-m", "pip", "--quiet", *arguments], check=True, timeout=600)


def ensure_tests(version: str) -> Path:
    """Voilà's ``tests/`` folder of release ``version``, from its source distribution on PyPI (once).

    Only ``tests/`` is unpacked: Voilà itself must be the installed one, not the source beside them.
    """
    folder = CACHE / f"voila-{version}"
    if (folder / "tests" / "app" / "conftest.py").is_file():
        return folder
    downloads = CACHE / "sdist"
    # Only Voilà from source (its build backend from wheels): pip reads its metadata to download it.
    _pip("download", "--no-deps", "--no-binary", "voila", f"voila=={version}", "--dest", str(downloads))
    archive = downloads / f"voila-{version}.tar.gz"
    prefix = f"voila-{version}/tests/"
    staging = Path(tempfile.mkdtemp(prefix="voila-sdist-", dir=CACHE))
    try:
        with tarfile.open(archive) as sdist:
            members = [member for member in sdist.getmembers() if member.name.startswith(prefix)]
            sdist.extractall(staging, members=members, filter="data")
        if not (staging / prefix / "app" / "conftest.py").is_file():
            raise RuntimeError(f"{archive.name} holds no tests/app: Voilà's tests cannot be run")
        shutil.rmtree(folder, ignore_errors=True)
        (staging / f"voila-{version}").rename(folder)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return folder


def ensure_dependencies(version: str) -> Path:
    """A folder with what Voilà's tests import beyond the workbook's own packages (installed once).

    pip first works out, against this environment, which packages are missing (a dry run), then installs
    exactly those into the folder: nothing the environment has is installed again in another version.
    """
    folder = CACHE / f"deps-{version}"
    done = folder / "installed.json"
    if done.is_file():
        return folder
    report = CACHE / "dependencies-report.json"
    _pip("install", "--dry-run", "--report", str(report), *TEST_DEPENDENCIES)
    wanted = [
        f"{item['metadata']['name']}=={item['metadata']['version']}"
        for item in json.loads(report.read_text())["install"]
    ]
    shutil.rmtree(folder, ignore_errors=True)
    _pip("install", "--no-deps", "--target", str(folder), *wanted)
    done.write_text(json.dumps(wanted, indent=1))
    return folder


def _environment(server: str, tests: Path, dependencies: Path, data: Path) -> dict[str, str]:
    """The environment of one run: only it sees the test dependencies, and the workbook its settings."""
    environment = dict(os.environ)
    # Voilà's CI installs its two test templates (tests/test_template, tests/skip_template); here Jupyter
    # finds them on its path instead.
    templates = [
        str(tests / "tests" / name / "share" / "jupyter") for name in ("test_template", "skip_template")
    ]
    python_path = [str(dependencies)]
    if server == "workbook":
        # As ./workbook serve: the workbook's page template, an answer store of its own, the facilitator
        # token in the environment; the plugin imported from this repository.
        templates.insert(0, str(REPO / "share" / "jupyter"))
        python_path.append(str(REPO))
        environment["RECONNECTION_DATA_DIR"] = str(data)
        environment.pop("RECONNECTION_FACILITATOR_TOKEN", None)
        ensure_facilitator_token(environment)
    environment["JUPYTER_PATH"] = os.pathsep.join(templates)
    environment["PYTHONPATH"] = os.pathsep.join(python_path)
    # Only the plugins named on the command line: none of this environment's (nbval, xdist, ...).
    environment["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    return environment


def run_tests(server: str, tests: Path, dependencies: Path, selection: list[str], report: Path) -> float:
    """Run Voilà's tests against ``server`` ("stock" or "workbook"); the seconds the run took.

    Each test's outcome goes to ``report`` (JUnit XML); pytest's own output to ``report`` with ``.log``.
    """
    config = CACHE / "pytest.ini"
    config.write_text("[pytest]\n")  # no settings: neither the workbook's addopts nor any other
    command = [
        sys.executable, "-m", "pytest", "-c", str(config), "--rootdir", str(tests),
        "-p", "no:cacheprovider", "-p", "pytest_tornasync.plugin",
        "--async-test-timeout=240",  # as Voilà's CI runs them
        "-W", "ignore::DeprecationWarning", "-q", f"--junitxml={report}",
    ]  # fmt: skip
    if server == "workbook":
        command += ["-p", "benchmarks.voila_workbook_plugin"]
    with tempfile.TemporaryDirectory(prefix="voila-tests-data-") as data:
        environment = _environment(server, tests, dependencies, Path(data))
        started = time.monotonic()
        with report.with_suffix(".log").open("w") as log:
            subprocess.run(
                [*command, *selection], cwd=tests, env=environment, stdout=log, stderr=subprocess.STDOUT,
                timeout=RUN_LIMIT, check=False,
            )  # fmt: skip
        return time.monotonic() - started


def outcomes(report: Path) -> dict[str, str]:
    """Each test's outcome in a JUnit XML report: passed, failed, error (in its setup or teardown), skipped.

    A test is named ``module::test`` (``execute_test::test_hello_world``): unique within ``tests/app``.
    """
    found = {}
    for case in ElementTree.parse(report).iter("testcase"):  # noqa: S314 - the report pytest just wrote
        name = f"{case.get('classname', '').rsplit('.', 1)[-1]}::{case.get('name')}"
        kinds = {child.tag for child in case}
        if "failure" in kinds:
            found[name] = "failed"
        elif "error" in kinds:
            found[name] = "error"
        elif "skipped" in kinds:
            found[name] = "skipped"
        else:
            found[name] = "passed"
    return found


def compare(stock: dict[str, str], workbook: dict[str, str]) -> dict:
    """Both runs side by side: every test's two outcomes, the counts, and what differs and why."""
    names = sorted(set(stock) | set(workbook))
    tests = {
        name: {"stock": stock.get(name, "not run"), "workbook": workbook.get(name, "not run")}
        for name in names
    }
    lost = [
        name for name, seen in tests.items() if seen["stock"] == "passed" and seen["workbook"] != "passed"
    ]
    return {
        "counts": {
            server: {
                outcome: sum(1 for seen in tests.values() if seen[server] == outcome) for outcome in OUTCOMES
            }
            for server in ("stock", "workbook")
        },
        "tests": tests,
        "differing_on_purpose": {name: ON_PURPOSE[name] for name in lost if name in ON_PURPOSE},
        "on_purpose_but_passed": sorted(
            name for name in ON_PURPOSE if tests.get(name, {}).get("workbook") == "passed"
        ),
        "unexplained": [name for name in lost if name not in ON_PURPOSE],
        "workbook_only": [
            name for name, seen in tests.items() if seen["workbook"] == "passed" != seen["stock"]
        ],
    }


def print_table(results: dict) -> None:
    """The counts for both servers, then every test that passes on stock Voilà and not on the workbook's."""
    compared = results["compared"]
    print(f"\nVoilà {results['voila']}'s app tests ({results['selection']}) on each server")
    print(f"{'server':<10}" + "".join(f"{outcome:>9}" for outcome in OUTCOMES) + f"{'seconds':>9}")
    for server in ("stock", "workbook"):
        counts = compared["counts"][server]
        print(
            f"{server:<10}"
            + "".join(f"{counts[outcome]:>9}" for outcome in OUTCOMES)
            + f"{results['seconds'][server]:>9.0f}"
        )
    for name, reason in compared["differing_on_purpose"].items():
        print(f"  on purpose  {name}: {reason}")
    for name in compared["on_purpose_but_passed"]:
        print(f"  passed now  {name} (listed as differing on purpose)")
    for name in compared["unexplained"]:
        seen = compared["tests"][name]
        print(f"  NOT PASSED  {name}: {seen['workbook']} on the workbook's server, passed on stock Voilà")


def main(smoke: bool, out: Path) -> int:
    """Both runs, compared, written to ``out`` and printed; 1 if the workbook fails a test unexplained."""
    version = voila_version()
    CACHE.mkdir(exist_ok=True)
    tests = ensure_tests(version)
    dependencies = ensure_dependencies(version)
    selection = list(SMOKE_TESTS) if smoke else ["tests/app"]
    found, seconds = {}, {}
    for server in ("stock", "workbook"):
        report = CACHE / f"{server}.xml"
        report.unlink(missing_ok=True)
        seconds[server] = round(run_tests(server, tests, dependencies, selection, report), 1)
        if not report.is_file():
            raise RuntimeError(f"Voilà's tests wrote no report on {server}: see {report.with_suffix('.log')}")
        found[server] = outcomes(report)
    results = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "voila": version,
        "tests_from": f"voila-{version}.tar.gz, Voilà's source distribution on PyPI",
        "selection": " ".join(selection),
        "seconds": seconds,
        "compared": compare(found["stock"], found["workbook"]),
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1) + "\n")
    print_table(results)
    return 1 if results["compared"]["unexplained"] else 0
