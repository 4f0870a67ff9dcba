"""The package's layout is its architecture: each room in its folder, arrows pointing one way.

Read from the source (every ``import`` statement, module level or not), so a lazy import inside a
function counts too.
"""

from __future__ import annotations

import ast
import importlib
import json
import re
import tomllib
from functools import cache
from pathlib import Path

import pytest

from harness.source import Imports, imports_of
from widgets import load_content
from widgets.contract import SectionActivity
from widgets.registry import SECTIONS

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "widgets"
ROOMS = ("controls", "migrations", "rendering", "room", "sections", "server", "static_site", "take_home")
ACTIVITY_NAMES = sorted(
    path.name for path in (PACKAGE / "sections").iterdir() if (path / "model.py").is_file()
)
# The page shell's assembly: the only modules that import the sections or hand them on.
SHELL_ASSEMBLY = {
    "widgets.pages",
    "widgets.page_session",
    "widgets.registry",
    "widgets.welcome_view",
    "widgets.worksheets",
    # The server-free edition's page session and its build: they assemble the same pages in the browser.
    "widgets.static_site.device",
    "widgets.static_site.build",
}
WIDGET_LIBRARIES = ("ipywidgets", "anywidget", "IPython")


def _module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


@cache
def _imports(module: str) -> Imports:
    """Every ``(module, names)`` the module's source imports, relative imports made absolute."""
    return imports_of(_modules()[module], module)


def _internal_edges(module: str) -> set[str]:
    """The package's own modules this module imports by name (a submodule named in ``from`` too)."""
    targets = set()
    for base, names in _imports(module):
        if base in _modules():
            targets.add(base)
        targets.update(f"{base}.{name}" for name in names if f"{base}.{name}" in _modules())
    return targets - {module}


def _room(module: str) -> str:
    """The folder a module sits in: ``widgets`` for the page shell, or ``widgets.sections.checkin``."""
    path = _modules()[module]
    return module if path.name == "__init__.py" else module.rsplit(".", 1)[0]


def test_the_checker_reads_the_imports_it_is_meant_to():
    # Guards the checks below against passing because they read nothing.
    edges = _internal_edges("widgets.sections.sharing_load.view")
    assert "widgets.sections.sharing_load.model" in edges
    assert "widgets.sections.connection_map.model" in edges
    assert "widgets.controls" in edges
    assert "widgets.controls._guarded" in _internal_edges("widgets.controls._choice_group")
    assert len(_modules()) > 50


# No import circle anywhere in the repository (the package, its tests and benchmarks): tests/test_harness.py.


def test_no_module_reaches_into_another_folders_private_names():
    reaches = []
    for module in _modules():
        for base, names in _imports(module):
            if not base.startswith("widgets"):
                continue
            target = base if base in _modules() else base.rsplit(".", 1)[0]
            private_module = any(part.startswith("_") for part in base.split(".")[1:])
            private_names = [name for name in names if name.startswith("_") and name != "__version__"]
            if (private_module or private_names) and _room(target) != _room(module):
                reaches.append(f"{module}: from {base} import {', '.join(names)}")
    assert reaches == []


def test_a_pages_kernel_never_imports_the_server_code():
    offenders = [
        f"{module} imports {base}"
        for module in _modules()
        if not module.startswith("widgets.server")
        for base, _names in _imports(module)
        if base == "widgets.server" or base.startswith("widgets.server.")
    ]
    assert offenders == []


@pytest.mark.parametrize("activity", ACTIVITY_NAMES)
def test_each_activity_has_its_folder_with_a_model_and_a_view(activity):
    folder = PACKAGE / "sections" / activity
    assert sorted(path.name for path in folder.glob("*.py")) == ["__init__.py", "model.py", "view.py"]
    package = importlib.import_module(f"widgets.sections.{activity}")
    assert isinstance(package.ACTIVITY, SectionActivity)
    assert package.ACTIVITY in SECTIONS.activities, f"{activity}: not in widgets/registry.py"
    assert package.ACTIVITY.view() is importlib.import_module(f"widgets.sections.{activity}.view")
    assert package.ACTIVITY.answers.__module__ == f"widgets.sections.{activity}.model"


def _imports_widget_library(module: str, seen: set[str]) -> str | None:
    """The first widget library reached from ``module`` through the package's own imports, if any."""
    if module in seen:
        return None
    seen.add(module)
    for base, _names in _imports(module):
        if base.split(".")[0] in WIDGET_LIBRARIES:
            return f"{module} imports {base}"
    for target in sorted(_internal_edges(module)):
        if found := _imports_widget_library(target, seen):
            return found
    return None


@pytest.mark.parametrize(
    "module",
    [
        *(f"widgets.sections.{activity}.model" for activity in ACTIVITY_NAMES),
        "widgets.content_files",
        "widgets.workbook_content",
        "widgets.room.model",
        "widgets.room.figures",
        "widgets.room.content",
        "widgets.blocks",
        "widgets.contract",
        "widgets.summary",
        "widgets.rendering",
        "widgets.rendering.charts",
        "widgets.take_home.export",
        "widgets.store",
    ],
)
def test_models_and_content_never_import_a_widget_library(module):
    assert _imports_widget_library(module, set()) is None


def test_the_registry_lists_every_section_once_in_order():
    slugs = [section.slug for section in load_content().sections.sections]
    assert [activity.slug for activity in SECTIONS] == slugs
    assert len(ACTIVITY_NAMES) == len(slugs)


def test_nothing_below_the_shell_imports_a_section_or_the_shell():
    """The room, take-home, summary, rendering and the rest are handed the sections; they never fetch them.

    A section may use another section's model (section 9 reads section 1's check-in), never the shell.
    """
    offenders = []
    for module in _modules():
        if module in SHELL_ASSEMBLY or module.startswith("widgets.server"):
            continue  # the server process is the top: it preloads the pages
        in_sections = module.startswith("widgets.sections")
        for target in _internal_edges(module):
            upward = target in SHELL_ASSEMBLY or (target.startswith("widgets.sections") and not in_sections)
            if upward:
                offenders.append(f"{module} imports {target}")
    assert offenders == []


def test_markup_is_made_only_in_the_rendering_layer():
    """Outside widgets/rendering/ no module escapes HTML itself or writes a tag in a string."""
    tag_in_string = re.compile(r"""(?:^|[\s(=,+\[])[fr]?(?:'|")<[a-zA-Z/!]""")
    offenders = []
    for module, path in _modules().items():
        if module.startswith("widgets.rendering"):
            continue
        for base, names in _imports(module):
            if base in {"html", "markupsafe"} and (not names or "escape" in names):
                offenders.append(f"{module}: imports {base}.escape")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if tag_in_string.search(line) and not line.lstrip().startswith("#"):
                offenders.append(f"{module}:{number}: {line.strip()[:80]}")
    assert offenders == []


def test_each_room_is_a_folder_and_the_shell_stays_small():
    folders = sorted(path.name for path in PACKAGE.iterdir() if path.is_dir() and path.name != "__pycache__")
    assert folders == sorted([*ROOMS, "content"])
    assert not list((PACKAGE / "content").glob("*.py")), "content/ holds only the words a facilitator edits"
    shell = [path.name for path in PACKAGE.glob("*.py") if path.name != "__init__.py"]
    assert len(shell) <= 15, shell


def test_tests_mirror_the_package():
    for activity in ACTIVITY_NAMES:
        for part in ("model", "view"):
            assert (REPO / "tests" / "sections" / f"test_{activity}_{part}.py").is_file(), (activity, part)
    for room in ("controls", "rendering", "room", "server", "static_site", "take_home"):
        assert list((REPO / "tests" / room).glob("test_*.py")), room


def _resolve(dotted: str) -> object:
    module, _, name = dotted.rpartition(".")
    return getattr(importlib.import_module(module), name)


def test_settings_name_the_server_code_where_it_is():
    settings = json.loads((REPO / "voila.json").read_text(encoding="utf-8"))
    manager = _resolve(settings["VoilaConfiguration"]["multi_kernel_manager_class"])
    assert manager.__module__ == "widgets.server.kernels"
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    entry = project["entry-points"]["jupyter_client.kernel_provisioners"]["workbook-fork"]
    provisioner = _resolve(entry.replace(":", "."))
    assert provisioner.__module__ == "widgets.server.provisioner"


def test_the_readme_table_has_one_line_per_folder():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    table = readme.split("## What is where", 1)[1].split("\n## ", 1)[0]
    rows = [line.split("|")[1].strip().strip("`") for line in table.splitlines() if line.startswith("| `")]
    for room in ROOMS:
        assert f"widgets/{room}/" in rows, room
    for path in rows:
        if path.startswith("widgets/"):  # data/ and test-artifacts/ appear only once used
            assert (REPO / path.rstrip("/")).exists(), path


def _what_is_where() -> dict[str, str]:
    """The README's "What is where" table: each row's path and what it says is there."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    table = readme.split("## What is where", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in table.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|", 1)]
        if len(cells) == 2 and cells[0].startswith("`") and cells[0].endswith("`"):
            rows[cells[0].strip("`")] = cells[1]
    return rows


@pytest.mark.parametrize("folder", ["widgets", *(f"widgets/{room}" for room in ROOMS if room != "sections")])
def test_the_readme_names_every_module_of_each_folder(folder):
    """A new module cannot go unnamed: the README's row for its folder names its file."""
    row = _what_is_where()[f"{folder}/"]
    base = REPO / folder
    modules = base.glob("*.py") if folder == "widgets" else base.rglob("*.py")
    unnamed = []
    for path in modules:
        names = (f"`{path.name}`", f"`{path.relative_to(base)}`")
        if path.name != "__init__.py" and not any(name in row for name in names):
            unnamed.append(str(path.relative_to(base)))
    assert sorted(unnamed) == [], f"README.md's row for {folder}/ does not name {sorted(unnamed)}"


def test_the_readme_names_every_activity_folder():
    row = _what_is_where()["widgets/sections/"]
    assert [name for name in ACTIVITY_NAMES if f"`{name}`" not in row] == []


LONGEST_FUNCTION = 60  # lines, from ``def`` to its last line; ruff's C90 limits the branches


def test_no_function_is_longer_than_a_screen():
    """Long functions hide what they do; every one in the repository's Python fits on a screen."""
    too_long = []
    for folder in ("widgets", "tests", "benchmarks", "harness"):
        for path in sorted((REPO / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    length = (node.end_lineno or node.lineno) - node.lineno + 1
                    if length > LONGEST_FUNCTION:
                        too_long.append(f"{path.relative_to(REPO)}:{node.lineno} {node.name} ({length})")
    assert too_long == []
